package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"redline/index"
)

// TestIngestRepeatedIDsAcrossDumps: a record id repeated in a later dump
// of the run is skipped as within one dump: the first record in input
// order is indexed, the warning names both inputs and lines, the summary
// counts it, and re-runs write nothing (before, the later record replaced
// the first on every run, and each re-run rewrote it).
func TestIngestRepeatedIDsAcrossDumps(t *testing.T) {
	in := writeFiles(t, map[string]string{
		"a.jsonl": `{"id": "x1", "outlet": "Wire A", "text": "Russia demands that Ukraine withdraw its troops from the four regions."}` + "\n" +
			`{"id": "x2", "outlet": "Wire A", "text": "Ukraine says it will never recognise the annexation of Crimea."}` + "\n",
		"b.jsonl": `{"id": "x3", "outlet": "Wire B", "text": "The Kremlin rejected any deployment of foreign troops in Ukraine."}` + "\n" +
			`{"id": "x1", "outlet": "Wire B", "text": "Kyiv is ready to discuss a ceasefire if it received security guarantees."}` + "\n",
	})
	a, b := filepath.Join(in, "a.jsonl"), filepath.Join(in, "b.jsonl")
	dir := filepath.Join(t.TempDir(), "idx")
	want := []string{
		"documents: 3 read, 3 indexed, 0 unchanged, 0 failed",
		"documents: 3 read, 0 indexed, 3 unchanged, 0 failed",
		"documents: 3 read, 0 indexed, 3 unchanged, 0 failed",
	}
	var export1 string
	for run, summary := range want {
		out, errOut, err := runCLI(t, "ingest", "--index", dir, a, b)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run+1, err, errOut)
		}
		if !strings.Contains(out, summary) || !strings.Contains(out, "repeated ids: 1 later records skipped") {
			t.Errorf("run %d summary:\n%s\nwant %q and the repeated id counted", run+1, out, summary)
		}
		for _, w := range []string{"repeated id skipped", "id=x1", "input=" + b, "line=2", "first_input=" + a, "first_line=1"} {
			if !strings.Contains(errOut, w) {
				t.Errorf("run %d: stderr lacks %q:\n%s", run+1, w, errOut)
			}
		}
		export := mustRun(t, "export", "--index", dir, "--min-confidence", "0")
		if run == 0 {
			export1 = export
		} else if export != export1 {
			t.Errorf("run %d changed the export:\n%s\nwas\n%s", run+1, export, export1)
		}
	}
	for _, c := range exported(t, export1) {
		if c.DocID == "x1" && (c.Outlet != "Wire A" || c.Source != a+"#x1") {
			t.Errorf("x1 comes from %s (%s), want the first record, of %s", c.Source, c.Outlet, a)
		}
	}
	if st := stats(t, dir); st.Articles != 3 {
		t.Errorf("stats: %d articles, want 3", st.Articles)
	}
	if _, err := os.Stat(filepath.Join(dir, "errors.jsonl")); err == nil {
		t.Error("errors.jsonl written: a repeated id is no failure")
	}
}

// rerunDump writes a JSONL dump of n articles, made of the sample
// articles' paragraphs so that each is read as news, each with its own id
// and words of its own; the lines in bad (1-based) are not JSON.
func rerunDump(t *testing.T, path string, n int, bad ...int) {
	t.Helper()
	var paras []string
	ents, err := os.ReadDir(sampleArticles)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(sampleArticles, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range strings.Split(string(b), "\n\n") {
			if len(p) > 200 {
				paras = append(paras, p)
			}
		}
	}
	var sb strings.Builder
	for i := range n {
		if slices.Contains(bad, i+1) {
			sb.WriteString(`{"id": "broken` + "\n")
			continue
		}
		text := fmt.Sprintf("Dispatch %d from desk %d. %s\n\n%s", i, i%17, paras[i%len(paras)], paras[(i*7+3)%len(paras)])
		rec, _ := json.Marshal(map[string]string{"id": fmt.Sprintf("r%05d", i), "outlet": fmt.Sprintf("Wire %d", i%5),
			"published": fmt.Sprintf("2025-%02d-%02d", i%12+1, i%28+1), "text": text})
		sb.Write(rec)
		sb.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sortedExport is the export of the index in dir, its lines sorted.
func sortedExport(t *testing.T, dir string) []string {
	t.Helper()
	lines := nonEmptyLines(mustRun(t, "export", "--index", dir, "--min-confidence", "0"))
	slices.Sort(lines)
	return lines
}

// TestRerunAfterKill: an ingest killed with SIGKILL once it has committed
// some batches, and run again, finishes the job: the documents committed
// are unchanged, the rest indexed, the index holds what an uninterrupted
// ingest gives, errors.jsonl was whole at every moment (each write
// replaces it) and names each bad input once; a third run writes nothing.
func TestRerunAfterKill(t *testing.T) {
	bin := buildBinary(t)
	in := writeFiles(t, map[string]string{"a_empty.txt": "", "b_binary.txt": "\x00\x01\x02"})
	rerunDump(t, filepath.Join(in, "c_dump.jsonl"), 400, 2, 390)
	idx := filepath.Join(t.TempDir(), "idx")
	cmd := exec.Command(bin, "ingest", "--index", idx, in)
	cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a batch is committed (its record is written after it).
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(idx, index.CommitFile)); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the ingest committed nothing within 60s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if cmd.ProcessState.ExitCode() == exitOK {
		t.Skip("the ingest finished before the kill")
	}
	if _, err := os.Stat(filepath.Join(idx, "errors.jsonl")); err == nil {
		readErrors(t, idx) // fails on a line that is not a whole record
	}

	r := runBinary(t, bin, "ingest", "--index", idx, in)
	m := regexp.MustCompile(`documents: 402 read, (\d+) indexed, (\d+) unchanged, 4 failed`).FindStringSubmatch(r.stdout)
	if r.code != exitOK || m == nil || m[2] == "0" || m[1] == "0" {
		t.Fatalf("re-run after the kill: exit %d, want 0 and a summary of 402 read, some unchanged, the rest indexed\n%s\n%.2000s", r.code, r.stdout, r.stderr)
	}
	var inputs []string
	for _, l := range readErrors(t, idx) {
		inputs = append(inputs, l.Input)
	}
	want := []string{filepath.Join(in, "a_empty.txt"), filepath.Join(in, "b_binary.txt"), filepath.Join(in, "c_dump.jsonl") + ":2", filepath.Join(in, "c_dump.jsonl") + ":390"}
	if !slices.Equal(inputs, want) {
		t.Errorf("errors.jsonl names %q, want %q, each once", inputs, want)
	}
	if r := runBinary(t, bin, "ingest", "--index", idx, in); r.code != exitOK || !strings.Contains(r.stdout, "0 indexed") {
		t.Errorf("third run: exit %d, want nothing indexed\n%s", r.code, r.stdout)
	}
	if r := runBinary(t, bin, "check", "--index", idx); r.code != exitOK {
		t.Errorf("check after the kill and the re-run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	clean := filepath.Join(t.TempDir(), "clean")
	if r := runBinary(t, bin, "ingest", "--index", clean, in); r.code != exitOK {
		t.Fatalf("uninterrupted ingest: exit %d\n%s", r.code, r.stderr)
	}
	if got, want := sortedExport(t, idx), sortedExport(t, clean); !slices.Equal(got, want) {
		t.Errorf("the index killed and run again exports %d claims, the uninterrupted one %d, or others", len(got), len(want))
	}
}

// TestRerunFileAddedRemoved: re-running a folder with one more file
// indexes just that file (an exact copy of an indexed article is counted
// as a copy); with a file removed, ingest adds nothing and removes nothing:
// the removed file's article stays and its failure leaves errors.jsonl;
// --rebuild with the files that remain drops the article.
func TestRerunFileAddedRemoved(t *testing.T) {
	in := t.TempDir()
	ents, err := os.ReadDir(sampleArticles)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(sampleArticles, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if len(names) < 5 {
			names = append(names, e.Name())
			if err := os.WriteFile(filepath.Join(in, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(in, "empty.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "idx")
	mustRun(t, "ingest", "--index", dir, in)
	before := sortedExport(t, dir)

	// One more file, and a copy of one the index holds.
	extra := ents[len(ents)-1].Name()
	b, err := os.ReadFile(filepath.Join(sampleArticles, extra))
	if err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(filepath.Join(in, names[0]))
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{"zz_" + extra: b, "zz_copy.txt": first} {
		if err := os.WriteFile(filepath.Join(in, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := mustRun(t, "ingest", "--index", dir, in)
	if !strings.Contains(out, "documents: 8 read, 1 indexed, 5 unchanged, 1 failed") || !strings.Contains(out, "duplicates: 1 exact copies skipped") {
		t.Errorf("re-run with a file added:\n%s", out)
	}
	added := sortedExport(t, dir)
	for _, l := range before {
		if !slices.Contains(added, l) {
			t.Errorf("a claim changed when a file was added: %s", l)
		}
	}
	if st := stats(t, dir); st.Articles != 6 || len(added) <= len(before) {
		t.Errorf("after adding a file: %d articles, %d claims (were %d); want 6 articles and more claims", st.Articles, len(added), len(before))
	}

	// Removed: an indexed file and the failing one.
	for _, name := range []string{names[1], "empty.txt"} {
		if err := os.Remove(filepath.Join(in, name)); err != nil {
			t.Fatal(err)
		}
	}
	out = mustRun(t, "ingest", "--index", dir, in)
	if !strings.Contains(out, "documents: 6 read, 0 indexed, 5 unchanged, 0 failed") || strings.Contains(out, "errors:") {
		t.Errorf("re-run with files removed:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "errors.jsonl")); err == nil {
		t.Errorf("errors.jsonl still names the removed file: %+v", readErrors(t, dir))
	}
	if st := stats(t, dir); st.Articles != 6 || st.Errors != 0 {
		t.Errorf("after removing a file: %d articles, %d errors; want 6 (ingest adds only) and 0", st.Articles, st.Errors)
	}
	out = mustRun(t, "ingest", "--rebuild", "--index", dir, in)
	if !strings.Contains(out, "documents: 6 read, 5 indexed, 0 unchanged, 0 failed") {
		t.Errorf("--rebuild:\n%s", out)
	}
	if st := stats(t, dir); st.Articles != 5 {
		t.Errorf("after --rebuild: %d articles, want 5", st.Articles)
	}
	for _, l := range sortedExport(t, dir) {
		if strings.Contains(l, names[1]) {
			t.Errorf("after --rebuild the removed file's claims remain: %s", l)
			break
		}
	}
}

// TestRerunRebuildErrors: --rebuild makes an index of that run's inputs
// alone, and errors.jsonl with it: the failures of inputs the run was not
// given leave it, those it meets again keep their history.
func TestRerunRebuildErrors(t *testing.T) {
	article, err := os.ReadFile(filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt"))
	if err != nil {
		t.Fatal(err)
	}
	a := writeFiles(t, map[string]string{"good.txt": string(article), "empty.txt": ""})
	b := writeFiles(t, map[string]string{"blank.txt": " \n"})
	dir := filepath.Join(t.TempDir(), "idx")
	mustRun(t, "ingest", "--index", dir, a)
	runCLI(t, "ingest", "--index", dir, b) // fails: nothing readable
	if st := stats(t, dir); st.Errors != 2 {
		t.Fatalf("before --rebuild: %d errors, want 2", st.Errors)
	}
	out := mustRun(t, "ingest", "--rebuild", "--index", dir, a)
	lines := readErrors(t, dir)
	if len(lines) != 1 || lines[0].Input != filepath.Join(a, "empty.txt") || lines[0].Count != 2 {
		t.Errorf("errors.jsonl after --rebuild = %+v, want empty.txt alone, met by 2 runs", lines)
	}
	if st := stats(t, dir); st.Errors != 1 || !strings.Contains(out, "errors:    1 input failing") {
		t.Errorf("after --rebuild: stats %d errors, summary\n%s\nwant 1", st.Errors, out)
	}
}

// TestRerunFeedFixed: a feed that failed leaves errors.jsonl once a run
// reads it without the failure, as a file does; a feed that run was not
// given keeps its line.
func TestRerunFeedFixed(t *testing.T) {
	srv, _ := newsSite(t)
	var broken atomic.Bool
	broken.Store(true)
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>Kremlin sets terms</title><link>`+srv.URL+`/news/kremlin</link></item></channel></rss>`)
	})
	feeds := httptest.NewServer(mux)
	t.Cleanup(feeds.Close)
	dir := filepath.Join(t.TempDir(), "idx")
	args := []string{"ingest", "--index", dir, "--delay", "1ms", "--fetch-timeout", "2s", srv.URL + "/news/kremlin"}
	mustRun(t, append(args, "--feed", feeds.URL+"/feed", "--feed", srv.URL+"/news/kyiv")...)
	if lines := readErrors(t, dir); len(lines) != 2 {
		t.Fatalf("errors.jsonl = %+v, want the feed that is down and the page that is no feed", lines)
	}
	broken.Store(false)
	out := mustRun(t, append(args, "--feed", feeds.URL+"/feed")...)
	lines := readErrors(t, dir)
	if len(lines) != 1 || lines[0].Input != srv.URL+"/news/kyiv" || !strings.Contains(out, "errors:    1 input failing") {
		t.Errorf("after the feed is back: errors.jsonl = %+v, summary\n%s\nwant only the page that is no feed", lines, out)
	}
}
