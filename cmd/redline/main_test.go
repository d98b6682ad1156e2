package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"redline/internal/sharedtest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"redline/claim"
	"redline/extract"
	"redline/index"
	"redline/pipeline"
)

const (
	sampleArticles = "../../testdata/articles"
	sampleGold     = "../../testdata/gold.jsonl"
	sharedArticles = "../../../shared/corpus/articles.jsonl"
	sharedSeeds    = "../../../shared/seeds"
)

// claimFields are the 20 fields of an exported claim, in the README's order.
var claimFields = []string{"doc_id", "source", "url", "title", "outlet", "published", "sentence", "start", "end",
	"party", "speaker", "kind", "topics", "target", "hedged", "condition", "cue", "attribution", "confidence", "cluster"}

// runCLI runs the program in-process and returns what it wrote.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runCLICtx(t, context.Background(), args...)
}

func runCLICtx(t *testing.T, ctx context.Context, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("redline %q panicked: %v", args, p)
			}
		}()
		err = run(ctx, args, &out, &errb)
	}()
	return out.String(), errb.String(), err
}

// mustRun runs the program and fails the test on an error.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, err := runCLI(t, args...)
	if err != nil {
		t.Fatalf("redline %s: %v\nstderr:\n%s", strings.Join(args, " "), err, errOut)
	}
	return out
}

// ingestSample builds an index of the eight sample articles and returns its
// folder.
func ingestSample(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	out := mustRun(t, "ingest", "--index", dir, sampleArticles)
	if !strings.Contains(out, "documents: 8 read, 8 indexed, 0 unchanged, 0 failed") {
		t.Fatalf("ingest summary:\n%s", out)
	}
	return dir
}

type statsJSON = index.StatsReport

func stats(t *testing.T, dir string) statsJSON {
	t.Helper()
	var st statsJSON
	dec := json.NewDecoder(strings.NewReader(mustRun(t, "stats", "--index", dir, "--json")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		t.Fatalf("stats --json: %v", err)
	}
	return st
}

// searchHit is one line of search --json.
type searchHit struct {
	claim.Claim
	Score   float64        `json:"score"`
	Claims  int            `json:"claims"`
	Sources []index.Source `json:"sources"`
}

func searchJSON(t *testing.T, args ...string) []searchHit {
	t.Helper()
	out := mustRun(t, append([]string{"search", "--json"}, args...)...)
	var hits []searchHit
	for i, line := range nonEmptyLines(out) {
		var h searchHit
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&h); err != nil {
			t.Fatalf("search --json line %d does not parse: %v\n%s", i+1, err, line)
		}
		hits = append(hits, h)
	}
	return hits
}

func nonEmptyLines(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func TestIngestStatsSearch(t *testing.T) {
	dir := ingestSample(t)

	st := stats(t, dir)
	if st.Articles != 8 || st.Claims == 0 || st.Errors != 0 {
		t.Fatalf("stats = %+v, want 8 articles, some claims, no errors", st)
	}
	var sum uint64
	for _, fc := range st.ByKind {
		sum += uint64(fc.Count)
	}
	if sum != st.Claims {
		t.Errorf("claims by kind add up to %d, want %d", sum, st.Claims)
	}
	if text := mustRun(t, "stats", "--index", dir); !strings.Contains(text, "articles: 8 (0 not in English, kept without claims)\n") || !strings.Contains(text, fmt.Sprintf("claims:   %d\n", st.Claims)) {
		t.Errorf("stats text:\n%s", text)
	}

	// Text output: every hit line names the party and kind asked for
	// (--min-confidence 0: what the calibration calls unsure counts too).
	out := mustRun(t, "search", "--index", dir, "--min-confidence", "0", "--party", "russia", "--kind", "red_line", "nato")
	hitLine := regexp.MustCompile(`(?m)^\d+\. (\S+) (\S+) \[`)
	lines := hitLine.FindAllStringSubmatch(out, -1)
	if len(lines) == 0 || !regexp.MustCompile(`^\d+ claims match`).MatchString(out) {
		t.Fatalf("search printed no hits:\n%s", out)
	}
	for _, m := range lines {
		if m[1] != "russia" || m[2] != "red_line" {
			t.Errorf("hit %q: want russia red_line", m[0])
		}
	}

	// JSON output: every line parses as a claim plus score.
	hits := searchJSON(t, "--index", dir, "--min-confidence", "0", "--party", "russia", "--kind", "red_line", "nato")
	if len(hits) != len(lines) {
		t.Errorf("search --json gave %d hits, the text form %d", len(hits), len(lines))
	}
	for _, h := range hits {
		if h.Party != "russia" || h.Kind != claim.RedLine || h.DocID == "" || h.Sentence == "" || len(h.Topics) == 0 {
			t.Errorf("hit %+v: want a russia demand with doc_id, sentence and topics", h.Claim)
		}
		if h.Score <= 0 {
			t.Errorf("hit with a text query has score %v", h.Score)
		}
	}

	// Several values of a filter, and --limit.
	hits = searchJSON(t, "--index", dir, "--min-confidence", "0", "--party", "russia,ukraine", "--kind", "red_line", "--limit", "3")
	if len(hits) == 0 || len(hits) > 3 {
		t.Errorf("--limit 3 gave %d hits", len(hits))
	}
	for _, h := range hits {
		if (h.Party != "russia" && h.Party != "ukraine") || h.Kind != claim.RedLine {
			t.Errorf("hit %s/%s: want russia or ukraine red_line", h.Party, h.Kind)
		}
	}
	// No query selects everything at or above the default min confidence,
	// and everything with --min-confidence 0.
	all := searchJSON(t, "--index", dir, "--limit", "10000")
	if uint64(len(all)) != st.ClaimsAtMin {
		t.Errorf("search with no query gave %d hits, stats %d claims at min confidence", len(all), st.ClaimsAtMin)
	}
	all = searchJSON(t, "--index", dir, "--limit", "10000", "--min-confidence", "0")
	if uint64(len(all)) != st.Claims {
		t.Errorf("search with no query and --min-confidence 0 gave %d hits, stats %d claims", len(all), st.Claims)
	}
}

func TestSearchQueryErrors(t *testing.T) {
	dir := ingestSample(t)
	for _, q := range []string{`"unclosed`, `party:`, `+`, `/[/`, `nato~9`} {
		_, _, err := runCLI(t, "search", "--index", dir, q)
		if err == nil {
			t.Errorf("search %q: no error", q)
			continue
		}
		if !errors.Is(err, index.ErrQuery) || !strings.Contains(err.Error(), "invalid query") {
			t.Errorf("search %q: error %q, want an invalid-query error", q, err)
		}
		var stderr bytes.Buffer
		// A query the user mistyped is a usage error (exit 2), as a
		// wrong flag is, not a failure of the command (exit 1).
		if code := exitCode(err, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "invalid query") || !strings.Contains(stderr.String(), strconv.Quote(q)) {
			t.Errorf("search %q: exit %d, printed %q", q, code, stderr.String())
		}
	}
	// Odd queries Bleve accepts must not panic either (runCLI fails on a panic).
	for _, q := range []string{`party:(`, `(nato`, `nato)`, `title:(`, `*`, `""`, `-`, `confidence:>2`, `published:>="x"`} {
		runCLI(t, "search", "--index", dir, q)
		runCLI(t, "export", "--index", dir, q)
	}
}

// exported reads an export --format jsonl and checks every line.
func exported(t *testing.T, out string) []claim.Claim {
	t.Helper()
	var claims []claim.Claim
	for i, line := range nonEmptyLines(out) {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(line), &fields); err != nil {
			t.Fatalf("export line %d: %v\n%s", i+1, err, line)
		}
		var keys []string
		for k := range fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := slices.Sorted(slices.Values(claimFields))
		if !slices.Equal(keys, want) {
			t.Fatalf("export line %d has fields %q, want the %d %q", i+1, keys, len(want), want)
		}
		if !bytes.HasPrefix(fields["topics"], []byte("[")) {
			t.Errorf("export line %d: topics = %s, want an array", i+1, fields["topics"])
		}
		var c claim.Claim
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("export line %d does not decode as a claim: %v", i+1, err)
		}
		claims = append(claims, c)
	}
	return claims
}

func TestExport(t *testing.T) {
	dir := ingestSample(t)
	st := stats(t, dir)

	claims := exported(t, mustRun(t, "export", "--index", dir, "--min-confidence", "0"))
	if uint64(len(claims)) != st.Claims {
		t.Fatalf("export wrote %d claims, stats says %d", len(claims), st.Claims)
	}
	sorted := slices.IsSortedFunc(claims, func(a, b claim.Claim) int {
		if c := strings.Compare(a.DocID, b.DocID); c != 0 {
			return c
		}
		return a.Start - b.Start
	})
	if !sorted {
		t.Error("export is not sorted by (doc_id, start)")
	}
	for _, c := range claims {
		if c.DocID == "" || c.Source == "" || c.Sentence == "" || c.Party == "" || c.Kind == "" || c.End <= c.Start || c.Confidence < 0 || c.Confidence > 1 {
			t.Errorf("incomplete claim %+v", c)
		}
	}

	// CSV: the header and one row per claim, in the same order.
	out := mustRun(t, "export", "--index", dir, "--format", "csv", "--min-confidence", "0")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("export --format csv: %v", err)
	}
	// The JSON fields, and long, which JSON leaves out when it is "".
	if header := append(slices.Clone(claimFields), "long"); len(rows) == 0 || !slices.Equal(rows[0], header) {
		t.Fatalf("CSV header = %q, want %q", rows[0], header)
	}
	if len(rows)-1 != len(claims) {
		t.Fatalf("CSV has %d rows, JSONL %d", len(rows)-1, len(claims))
	}
	for i, row := range rows[1:] {
		if c := claims[i]; row[0] != c.DocID || row[7] != fmt.Sprint(c.Start) || row[6] != c.Sentence || row[9] != c.Party || row[11] != c.Kind {
			t.Errorf("CSV row %d = %q, JSONL has %s@%d %s %s", i+1, row[:12], c.DocID, c.Start, c.Party, c.Kind)
			break
		}
		// The confidence as JSON has it, not rounded: a --min-confidence
		// filter and the number a reader sees agree.
		if c := claims[i]; row[18] != strconv.FormatFloat(c.Confidence, 'f', -1, 64) {
			t.Errorf("CSV row %d confidence %q, JSONL %v", i+1, row[18], c.Confidence)
			break
		}
	}

	// Filters and --out.
	file := filepath.Join(t.TempDir(), "ukraine.jsonl")
	if out := mustRun(t, "export", "--index", dir, "--party", "ukraine", "--min-confidence", "0", "--out", file); out != "" {
		t.Errorf("export --out wrote to stdout: %q", out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	uk := exported(t, string(b))
	want := 0
	for _, c := range claims {
		if c.Party == "ukraine" {
			want++
		}
	}
	if len(uk) != want || want == 0 {
		t.Errorf("export --party ukraine wrote %d claims, want %d", len(uk), want)
	}
	for _, c := range uk {
		if c.Party != "ukraine" {
			t.Errorf("export --party ukraine wrote a %s claim", c.Party)
		}
	}
}

func TestReingest(t *testing.T) {
	dir := ingestSample(t)
	before := stats(t, dir)
	export1 := mustRun(t, "export", "--index", dir)

	out := mustRun(t, "ingest", "--index", dir, sampleArticles)
	if !strings.Contains(out, "documents: 8 read, 0 indexed, 8 unchanged, 0 failed") || !strings.Contains(out, "claims:    0\n") {
		t.Errorf("second ingest:\n%s", out)
	}
	if after := stats(t, dir); after.Claims != before.Claims || after.Articles != 8 {
		t.Errorf("after a second ingest: %d articles, %d claims; want 8, %d", after.Articles, after.Claims, before.Claims)
	}

	out = mustRun(t, "ingest", "--index", dir, "--force", sampleArticles)
	if !strings.Contains(out, "documents: 8 read, 8 indexed, 0 unchanged, 0 failed") || !strings.Contains(out, fmt.Sprintf("claims:    %d\n", before.Claims)) {
		t.Errorf("ingest --force:\n%s", out)
	}
	if after := stats(t, dir); after.Claims != before.Claims || after.Articles != 8 {
		t.Errorf("after ingest --force: %d articles, %d claims; want 8, %d", after.Articles, after.Claims, before.Claims)
	}
	if export2 := mustRun(t, "export", "--index", dir); export2 != export1 {
		t.Error("the export changed after re-ingesting the same articles")
	}
}

// writeFiles creates files in a new temporary folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type errorLine struct {
	Time      string `json:"time"`
	Input     string `json:"input"`
	Reason    string `json:"reason"`
	FirstSeen string `json:"first_seen"`
	Count     int    `json:"count"`
}

func readErrors(t *testing.T, dir string) []errorLine {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "errors.jsonl"))
	if err != nil {
		t.Fatalf("errors.jsonl: %v", err)
	}
	var lines []errorLine
	for i, l := range nonEmptyLines(string(b)) {
		var e errorLine
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("errors.jsonl line %d: %v\n%s", i+1, err, l)
		}
		_, err1 := time.Parse(time.RFC3339, e.Time)
		_, err2 := time.Parse(time.RFC3339, e.FirstSeen)
		if err1 != nil || err2 != nil || e.Input == "" || e.Reason == "" || e.Count < 1 || e.FirstSeen > e.Time {
			t.Errorf("errors.jsonl line %d is incomplete: %s", i+1, l)
		}
		lines = append(lines, e)
	}
	return lines
}

func TestIngestBadInputs(t *testing.T) {
	article, err := os.ReadFile(filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt"))
	if err != nil {
		t.Fatal(err)
	}
	in := writeFiles(t, map[string]string{
		"good.txt":   string(article),
		"empty.txt":  "",
		"binary.txt": "PK\x03\x04\x00\x00\x00\x08\x00\x00\x00binary\x00\x00\x01\x02",
		"latin1.txt": "Moscow demands that Kyiv give up its claim to Crimea, said the caf\xe9 owner.\n",
		"dump.jsonl": `{"id": "r1", "text": "Russia demands that Ukraine withdraw its troops from the four regions."}` + "\n" +
			`{"id": "r2", "text": ` + "\n" +
			`{"id": "r3", "text": "Ukraine says it will never recognise the annexation of Crimea."}` + "\n",
	})
	dir := filepath.Join(t.TempDir(), "idx")
	out, errOut, err := runCLI(t, "ingest", "--index", dir, in)
	if err != nil {
		t.Fatalf("ingest with some bad inputs failed: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "documents: 7 read, 3 indexed, 0 unchanged, 4 failed") || !strings.Contains(out, "errors:    4 inputs failing, see "+filepath.Join(dir, "errors.jsonl")) {
		t.Errorf("summary:\n%s", out)
	}
	lines := readErrors(t, dir)
	var inputs []string
	for _, l := range lines {
		inputs = append(inputs, l.Input)
	}
	want := []string{filepath.Join(in, "binary.txt"), filepath.Join(in, "dump.jsonl") + ":2", filepath.Join(in, "empty.txt"), filepath.Join(in, "latin1.txt")}
	slices.Sort(inputs)
	if !slices.Equal(inputs, want) {
		t.Errorf("errors.jsonl inputs = %q, want %q", inputs, want)
	}
	for _, name := range []string{"binary.txt", "dump.jsonl", "empty.txt", "latin1.txt"} {
		if !strings.Contains(errOut, name) {
			t.Errorf("stderr does not mention %s:\n%s", name, errOut)
		}
	}
	if st := stats(t, dir); st.Articles != 3 || st.Errors != 4 {
		t.Errorf("stats = %d articles, %d errors; want 3, 4", st.Articles, st.Errors)
	}

	// A re-run meets the same bad inputs again: each stays one line, met
	// by two runs.
	if _, _, err := runCLI(t, "ingest", "--index", dir, in); err != nil {
		t.Fatal(err)
	}
	if lines := readErrors(t, dir); len(lines) != 4 || lines[0].Count != 2 {
		t.Errorf("errors.jsonl after two runs = %+v, want 4 lines, each met by 2 runs", lines)
	}
	if st := stats(t, dir); st.Errors != 4 {
		t.Errorf("stats after two runs = %d errors, want 4 distinct inputs", st.Errors)
	}
}

// TestIngestErrorsAfterKill: an errors.jsonl whose last line a kill left
// unfinished (as the appending log of older versions could) is read for
// its whole lines; the next run writes whole lines only, keeps the failure
// of an input it did not read and adds its own.
func TestIngestErrorsAfterKill(t *testing.T) {
	article, err := os.ReadFile(filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt"))
	if err != nil {
		t.Fatal(err)
	}
	in := writeFiles(t, map[string]string{"good.txt": string(article), "empty.txt": ""})
	dir := filepath.Join(t.TempDir(), "idx")
	if _, errOut, err := runCLI(t, "ingest", "--index", dir, in); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	path := filepath.Join(dir, "errors.jsonl")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The record of another input, cut halfway as a kill would leave it.
	half := strings.Replace(string(b), "empty.txt", "other.txt", 1)
	if err := os.WriteFile(path, append(b, half[:len(half)/2]...), 0o644); err != nil {
		t.Fatal(err)
	}
	in2 := writeFiles(t, map[string]string{"good.txt": string(article), "blank.txt": " \n"})
	if _, errOut, err := runCLI(t, "ingest", "--index", dir, in2); err != nil {
		t.Fatalf("second ingest: %v\n%s", err, errOut)
	}
	b, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var inputs []string
	for _, l := range readErrors(t, dir) {
		inputs = append(inputs, l.Input)
	}
	slices.Sort(inputs)
	want := []string{filepath.Join(in2, "blank.txt"), filepath.Join(in, "empty.txt")}
	slices.Sort(want)
	if !slices.Equal(inputs, want) {
		t.Errorf("errors.jsonl after a killed write and a new run:\n%s\nwant the records of blank.txt and empty.txt, whole", b)
	}
	if st := stats(t, dir); st.Errors != 2 {
		t.Errorf("stats = %d errors, want 2 (empty.txt, blank.txt)", st.Errors)
	}
}

// TestIngestErrorsRerun: errors.jsonl says which inputs are failing now.
// Five runs over a folder with a bad file list it once, met by five runs
// (first_seen the first run, time the last); a file fixed or removed leaves
// it at the next run over the folder, a failure with a new reason replaces
// the old one, and a run over other inputs keeps the folder's failures.
// stats and the run summary count the same inputs.
func TestIngestErrorsRerun(t *testing.T) {
	article, err := os.ReadFile(filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt"))
	if err != nil {
		t.Fatal(err)
	}
	in := writeFiles(t, map[string]string{
		"good.txt":   string(article),
		"empty.txt":  "",
		"binary.txt": "\x00\x01\x02",
		"gone.txt":   " \n",
		"dump.jsonl": `{"id": "r1", "text": "Russia demands that Ukraine withdraw its troops."}` + "\n" + `{"id": ` + "\n",
	})
	dir := filepath.Join(t.TempDir(), "idx")
	type want struct {
		input  string
		reason string // a part of it
		count  int
	}
	check := func(step string, out string, wants []want) []errorLine {
		t.Helper()
		lines := readErrors(t, dir)
		ok := len(lines) == len(wants)
		for i := 0; ok && i < len(wants); i++ {
			l, w := lines[i], wants[i]
			ok = l.Input == filepath.Join(in, w.input) && strings.Contains(l.Reason, w.reason) && l.Count == w.count
		}
		if !ok {
			t.Errorf("%s: errors.jsonl = %+v\nwant %+v, sorted by input", step, lines, wants)
		}
		summary := fmt.Sprintf("errors:    %d inputs failing, see %s", len(wants), filepath.Join(dir, "errors.jsonl"))
		if len(wants) == 1 {
			summary = strings.Replace(summary, "inputs", "input", 1)
		}
		if !strings.Contains(out, summary) {
			t.Errorf("%s: summary says\n%s\nwant %q", step, out, summary)
		}
		if st := stats(t, dir); st.Errors != len(wants) {
			t.Errorf("%s: stats = %d errors, want %d", step, st.Errors, len(wants))
		}
		return lines
	}
	var first []errorLine
	for run := 1; run <= 5; run++ {
		out, errOut, err := runCLI(t, "ingest", "--index", dir, in)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, errOut)
		}
		lines := check(fmt.Sprintf("run %d", run), out, []want{
			{"binary.txt", "binary file", run}, {"dump.jsonl:2", "not valid JSON", run}, {"empty.txt", "empty file", run}, {"gone.txt", "empty", run}})
		if run == 1 {
			first = lines
		} else if len(lines) == len(first) && (lines[0].FirstSeen != first[0].FirstSeen || lines[0].Time < first[0].Time) {
			t.Errorf("run %d: first_seen %s, time %s; want first_seen %s of the first run", run, lines[0].FirstSeen, lines[0].Time, first[0].FirstSeen)
		}
	}

	// Another folder's run keeps this folder's failures and adds its own.
	other := writeFiles(t, map[string]string{"blank.md": "\n\n"})
	out, _, err := runCLI(t, "ingest", "--index", dir, other)
	if err == nil || !strings.Contains(err.Error(), "none of the 1 documents") {
		t.Fatalf("a run over one bad file: %v, want the error that none could be read", err)
	}
	if n := len(readErrors(t, dir)); n != 5 || !strings.Contains(out, "errors:    5 inputs failing") {
		t.Errorf("after a run over another folder: %d lines, summary\n%s\nwant 5", n, out)
	}
	if err := os.RemoveAll(other); err != nil {
		t.Fatal(err)
	}

	// Fixed, removed, and failing for another reason.
	for name, content := range map[string]string{"empty.txt": string(article[:len(article)/2]), "binary.txt": "caf\xe9\n",
		"dump.jsonl": `{"id": "r1", "text": "Russia demands that Ukraine withdraw its troops."}` + "\n"} {
		if err := os.WriteFile(filepath.Join(in, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(in, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "ingest", "--index", dir, in)
	if err != nil {
		t.Fatalf("run after the fixes: %v\n%s", err, errOut)
	}
	lines := readErrors(t, dir)
	// The other folder's failure stays (no run read it again); binary.txt
	// fails for a new reason, met by one run.
	var inputs []string
	for _, l := range lines {
		inputs = append(inputs, l.Input)
		if l.Input == filepath.Join(in, "binary.txt") && (l.Count != 1 || !strings.Contains(l.Reason, "UTF-8")) {
			t.Errorf("binary.txt now = %+v, want its new reason, met by 1 run", l)
		}
	}
	if want := []string{filepath.Join(in, "binary.txt"), filepath.Join(other, "blank.md")}; !slices.Equal(inputs, want) && !slices.Equal(inputs, []string{want[1], want[0]}) {
		t.Errorf("after the fixes errors.jsonl names %q, want %q", inputs, want)
	}
	if !strings.Contains(out, "errors:    2 inputs failing") || stats(t, dir).Errors != 2 {
		t.Errorf("after the fixes: summary\n%s\nstats %d errors; want 2", out, stats(t, dir).Errors)
	}
}

func TestIngestAllBad(t *testing.T) {
	in := writeFiles(t, map[string]string{"empty.txt": " \n\t\n", "binary.txt": "\x00\x01\x02\x03"})
	dir := filepath.Join(t.TempDir(), "idx")
	out, _, err := runCLI(t, "ingest", "--index", dir, in)
	if err == nil {
		t.Fatalf("ingest of only bad inputs succeeded:\n%s", out)
	}
	if !strings.Contains(err.Error(), "none of the 2 documents") {
		t.Errorf("error = %q", err)
	}
	if code := exitCode(err, &bytes.Buffer{}); code != exitFailure {
		t.Errorf("exit code %d, want %d", code, exitFailure)
	}
	if n := len(readErrors(t, dir)); n != 2 {
		t.Errorf("errors.jsonl has %d lines, want 2", n)
	}
}

func TestIngestNoDocuments(t *testing.T) {
	in := writeFiles(t, map[string]string{"notes.pdf": "%PDF-1.4", ".hidden.txt": "Russia demands."})
	_, _, err := runCLI(t, "ingest", "--index", filepath.Join(t.TempDir(), "idx"), in)
	if err == nil || !strings.Contains(err.Error(), "no documents") {
		t.Errorf("ingest of a folder without articles: error %v, want one saying no documents", err)
	}
	// The files were there: say why none was read and what would be.
	for _, want := range []string{"2 files skipped", "unknown type", ".jsonl", ".warc"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ingest of a folder without articles: error %v, want it to say %q", err, want)
		}
	}
}

func TestIngestMissingPath(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "idx")
	_, _, err := runCLI(t, "ingest", "--index", dir, sampleArticles, filepath.Join(tmp, "nope.jsonl"))
	if err == nil {
		t.Fatal("ingest of a missing path succeeded")
	}
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "nope.jsonl") {
		t.Errorf("error = %v, want a not-exist error naming the path", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the index folder was created before the paths were checked (stat: %v)", err)
	}
}

func TestQueryMissingIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	for _, cmd := range []string{"search", "export", "stats"} {
		_, _, err := runCLI(t, cmd, "--index", dir)
		if err == nil || !strings.Contains(err.Error(), "no index at "+dir) {
			t.Errorf("%s on a missing index: error %v", cmd, err)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a query created the index folder (stat: %v)", err)
	}
}

func TestIngestIndexInUse(t *testing.T) {
	dir := ingestSample(t)
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	start := time.Now()
	_, _, err = runCLI(t, "ingest", "--index", dir, sampleArticles)
	took := time.Since(start)
	if err == nil {
		t.Fatal("a second ingest while the index is open succeeded")
	}
	if !strings.Contains(err.Error(), "in use") || !errors.Is(err, index.ErrLocked) {
		t.Errorf("error = %q, want one saying the index is in use", err)
	}
	// Not a speed test: the open waits index.DefaultLockTimeout (2 s) and
	// must then fail rather than wait for the other holder. The bound is
	// wide because -race on a loaded 2-core machine is several times slower.
	if took > 20*time.Second {
		t.Errorf("ingest took %v to see the index is in use", took)
	}
}

func TestIngestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := runCLICtx(t, ctx, "ingest", "--index", filepath.Join(t.TempDir(), "idx"), sampleArticles)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ingest with a cancelled context: %v, want context.Canceled", err)
	}
	var stderr bytes.Buffer
	if code := exitCode(err, &stderr); code != exitCanceled || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, printed %q", code, stderr.String())
	}
}

// TestHelp: every command of the table answers --help, -h and "help
// COMMAND" with its own usage on stdout, and the main usage lists it.
func TestHelp(t *testing.T) {
	usage, _, err := runCLI(t, "help")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range commands() {
		cmd := c.name
		if seen[cmd] {
			t.Errorf("command %q is twice in the table", cmd)
		}
		seen[cmd] = true
		if !strings.Contains(usage, "  redline "+cmd+" ") {
			t.Errorf("the main usage does not list %q:\n%s", cmd, usage)
		}
		for _, flagName := range []string{"--help", "-h", "help"} {
			args := []string{cmd, flagName}
			if flagName == "help" {
				args = []string{"help", cmd}
			}
			out, _, err := runCLI(t, args...)
			if !errors.Is(err, flag.ErrHelp) {
				t.Errorf("%s %s: error %v, want flag.ErrHelp", cmd, flagName, err)
			}
			if !strings.Contains(out, "Usage: redline "+cmd) || !strings.Contains(out, "Flags:") {
				t.Errorf("%s %s printed to stdout:\n%s", cmd, flagName, out)
			}
			if code := exitCode(err, &bytes.Buffer{}); code != exitOK {
				t.Errorf("%s %s: exit code %d", cmd, flagName, code)
			}
		}
	}
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		out, _, err := runCLI(t, args...)
		if err != nil || !strings.Contains(out, "Usage:") {
			t.Errorf("%q: error %v, output:\n%s", args, err, out)
		}
	}
	if out, _, err := runCLI(t, "version"); err != nil || !strings.Contains(out, version) {
		t.Errorf("version: %v %q", err, out)
	}
}

func TestUsageErrors(t *testing.T) {
	idx := filepath.Join(t.TempDir(), "idx")
	tests := []struct {
		args []string
		want string
	}{
		{nil, "no command"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"ingest"}, "no PATH"},
		{[]string{"ingest", "--nope", sampleArticles}, "not defined: -nope"},
		{[]string{"ingest", "--workers", "many", sampleArticles}, "invalid value"},
		{[]string{"ingest", "--index", idx, "--workers", "-3", sampleArticles}, "--workers -3 is negative"},
		{[]string{"ingest", "--index", idx, "--per-host", "-1", sampleArticles}, "--per-host -1 is negative"},
		{[]string{"search", "--limit", "x", "nato"}, "invalid value"},
		{[]string{"search", "--index", idx, "--limit", "0", "nato"}, "--limit"},
		{[]string{"search", "--kind", "bogus", "nato"}, "--kind"},
		{[]string{"search", "--since", "yesterday"}, "--since"},
		{[]string{"search", "--since", "2025-02-01", "--until", "2025-01-01"}, "before"},
		{[]string{"export", "--format", "xml"}, "--format"},
		{[]string{"stats", "extra", "--bogus"}, ""},
		{[]string{"stats", "--bogus"}, "not defined"},
		{[]string{"stats", "other.index"}, "stats takes no arguments"},
		{[]string{"extract"}, "no PATH"},
		{[]string{"eval", "--gold", sampleGold}, "--gold and --docs"},
	}
	for _, tt := range tests {
		_, errOut, err := runCLI(t, tt.args...)
		if tt.want == "" {
			continue // only checks that it does not panic
		}
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want a usage error containing %q", tt.args, err, tt.want)
			continue
		}
		var stderr bytes.Buffer
		if code := exitCode(err, &stderr); code != exitUsage {
			t.Errorf("%q: exit code %d, want %d", tt.args, code, exitUsage)
		}
		if !strings.HasPrefix(stderr.String(), "redline: ") {
			t.Errorf("%q: exitCode printed %q", tt.args, stderr.String())
		}
		if len(tt.args) > 0 && strings.HasPrefix(tt.want, "not defined") && !strings.Contains(errOut, "Usage:") {
			t.Errorf("%q: no usage on stderr after a bad flag:\n%s", tt.args, errOut)
		}
	}
	if _, err := os.Stat(idx); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a usage error created the index folder")
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err       error
		code      int
		printed   string
		noMessage bool
	}{
		{err: nil, code: exitOK, noMessage: true},
		{err: flag.ErrHelp, code: exitOK, noMessage: true},
		{err: context.Canceled, code: exitCanceled, printed: "interrupted"},
		{err: fmt.Errorf("writing index: %w", context.Canceled), code: exitCanceled, printed: "interrupted"},
		{err: &interruptedError{msg: "run it again"}, code: exitCanceled, printed: "redline: interrupted: run it again\n"},
		{err: usagef("bad flag"), code: exitUsage, printed: "redline: bad flag"},
		{err: fmt.Errorf("wrapped: %w", usagef("bad")), code: exitUsage},
		{err: errors.New("disk full"), code: exitFailure, printed: "redline: disk full"},
		{err: fmt.Errorf("%w \"nato AND\": AND needs a word on each side", index.ErrQuery), code: exitUsage, printed: `invalid query "nato AND"`},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if code := exitCode(tt.err, &stderr); code != tt.code {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, code, tt.code)
		}
		if tt.noMessage && stderr.Len() > 0 {
			t.Errorf("exitCode(%v) printed %q", tt.err, stderr.String())
		}
		if !strings.Contains(stderr.String(), tt.printed) {
			t.Errorf("exitCode(%v) printed %q, want %q", tt.err, stderr.String(), tt.printed)
		}
	}
	if exitCode(context.Canceled, &bytes.Buffer{}) != 130 {
		t.Error("exitCode(context.Canceled) != 130")
	}
}

func TestEval(t *testing.T) {
	out := mustRun(t, "eval", "--gold", sampleGold, "--docs", sampleArticles)
	lines := nonEmptyLines(out)
	if len(lines) < 3 {
		t.Fatalf("eval printed:\n%s", out)
	}
	last := lines[len(lines)-3:]
	for i, re := range []string{
		`^claim P/R/F1: [01]\.\d{3} [01]\.\d{3} [01]\.\d{3}$`,
		`^party accuracy: [01]\.\d{3} \(n=[1-9]\d*\)$`,
		`^topic F1: [01]\.\d{3}$`,
	} {
		if !regexp.MustCompile(re).MatchString(last[i]) {
			t.Errorf("eval line %q does not match %s", last[i], re)
		}
	}
	if strings.Contains(out, "claim P/R/F1: 0.000 0.000") {
		t.Errorf("eval found nothing:\n%s", out)
	}

	var rep extract.Report
	if err := json.Unmarshal([]byte(mustRun(t, "eval", "--json", "--gold", sampleGold, "--docs", sampleArticles)), &rep); err != nil {
		t.Fatalf("eval --json: %v", err)
	}
	if rep.GoldDocs != 8 || rep.Gold == 0 || rep.Matched == 0 || len(rep.UnknownDocs) != 0 {
		t.Errorf("eval --json: %d gold docs, %d gold, %d matched, unknown %q", rep.GoldDocs, rep.Gold, rep.Matched, rep.UnknownDocs)
	}
	if _, _, err := runCLI(t, "eval", "--gold", filepath.Join(t.TempDir(), "none.jsonl"), "--docs", sampleArticles); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("eval with a missing gold file: %v", err)
	}
}

func TestExtract(t *testing.T) {
	path := filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "extract", path)
	claims := exported(t, out)
	if len(claims) == 0 {
		t.Fatalf("extract printed no claims:\n%s", out)
	}
	for _, c := range claims {
		if c.Source != path || c.DocID == "" {
			t.Errorf("claim source %q doc_id %q", c.Source, c.DocID)
		}
		if c.Start < 0 || c.End > len(text) || c.Start >= c.End || string(text[c.Start:c.End]) != c.Sentence {
			t.Errorf("claim offsets %d-%d do not point at its sentence %q", c.Start, c.End, c.Sentence)
		}
	}
	// A folder gives the claims of every article; an empty file is skipped.
	in := writeFiles(t, map[string]string{"a.txt": string(text), "empty.txt": ""})
	out2, errOut, err := runCLI(t, "extract", in)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(nonEmptyLines(out2)); n != len(claims) {
		t.Errorf("extract of a folder gave %d claims, want %d", n, len(claims))
	}
	if !strings.Contains(errOut, "empty.txt") {
		t.Errorf("extract did not report the empty file:\n%s", errOut)
	}
}

// TestProgressOffWhenNotTerminal checks that the progress line is drawn only
// on a terminal.
func TestProgressOffWhenNotTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []interface {
		Write([]byte) (int, error)
	}{&bytes.Buffer{}, f} {
		e := &env{stderr: w}
		p := e.progress(false, func() int { return 10 })
		if p.bar != nil {
			t.Errorf("progress is on for %T", w)
		}
		p.update(pipeline.Summary{Read: 3, Bytes: 100, Elapsed: time.Second})
		p.clear()
	}
	if fi, _ := f.Stat(); fi.Size() != 0 {
		t.Errorf("progress wrote %d bytes to a file", fi.Size())
	}
}

// TestSharedCorpus ingests the shared real articles and seeds when they are
// there.
func TestSharedCorpus(t *testing.T) {
	for _, p := range []string{sharedArticles, sharedSeeds} {
		if _, err := os.Stat(p); err != nil {
			sharedtest.Missing(t, fmt.Sprintf("shared data not available (%v): this test needs ../shared next to the repository", err))
		}
	}
	if testing.Short() {
		t.Skip("-short: skipping the ingest of the shared corpus")
	}
	dir := filepath.Join(t.TempDir(), "idx")
	out := mustRun(t, "ingest", "--index", dir, sharedArticles, sharedSeeds)
	if !strings.Contains(out, "0 failed") {
		t.Logf("ingest of the shared corpus:\n%s", out)
	}
	before := stats(t, dir)
	if before.Articles == 0 || before.Claims == 0 {
		t.Fatalf("stats = %+v", before)
	}
	hits := searchJSON(t, "--index", dir, "--party", "russia", "--kind", "demand", "nato")
	if len(hits) == 0 {
		t.Fatal("search --party russia --kind demand nato found nothing in the shared corpus")
	}
	for _, h := range hits {
		if h.Party != "russia" || h.Kind != "demand" {
			t.Errorf("hit %s/%s", h.Party, h.Kind)
		}
	}
	out = mustRun(t, "ingest", "--index", dir, sharedArticles, sharedSeeds)
	if !strings.Contains(out, " 0 indexed, ") {
		t.Errorf("second ingest re-indexed documents:\n%s", out)
	}
	if after := stats(t, dir); after.Claims != before.Claims || after.Articles != before.Articles {
		t.Errorf("after a second ingest: %d articles, %d claims; before %d, %d", after.Articles, after.Claims, before.Articles, before.Claims)
	}
}

// A document that is not in English is kept in the index, marked, and not
// read with the English claim rules.
func TestIngestNotEnglish(t *testing.T) {
	in := writeFiles(t, map[string]string{
		"en.txt": "Moscow has demanded that Kyiv withdraw its troops from the Donbas before any ceasefire.\n",
		"de.txt": "Moskau hat gefordert, dass Kiew seine Truppen aus dem Donbas abzieht. Die Ukraine lehnt jede Abtretung ihres Territoriums ab, und die Regierung in Kiew will über die Krim nicht verhandeln, solange russische Soldaten im Land sind.\n",
	})
	dir := filepath.Join(t.TempDir(), "idx")
	if out, errOut, err := runCLI(t, "ingest", "--index", dir, in); err != nil {
		t.Fatalf("ingest: %v\n%s\n%s", err, out, errOut)
	}
	out, _, err := runCLI(t, "stats", "--index", dir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Articles   int `json:"articles"`
		NotEnglish int `json:"not_english"`
		Claims     int `json:"claims"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatal(err)
	}
	if st.Articles != 2 || st.NotEnglish != 1 || st.Claims != 1 {
		t.Errorf("stats = %+v, want 2 articles, 1 not in English, 1 claim (from the English one)", st)
	}
}

// TestEvalDocsMissing: gold that names articles --docs does not hold is an
// error naming them, not a score over the articles that happen to be there.
func TestEvalDocsMissing(t *testing.T) {
	docs := t.TempDir()
	entries, err := os.ReadDir(sampleArticles)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for i, e := range entries {
		if i < 2 {
			left = append(left, e.Name()) // the two left out of --docs
			continue
		}
		b, err := os.ReadFile(filepath.Join(sampleArticles, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(docs, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range []string{"eval", "train"} {
		args := []string{cmd, "--gold", sampleGold, "--docs", docs}
		if cmd == "train" {
			args = append(args, "--out", filepath.Join(t.TempDir(), "model.json"))
		}
		_, _, err := runCLI(t, args...)
		if err == nil || !strings.Contains(err.Error(), "2 of the 8 articles") {
			t.Fatalf("%s with 2 articles missing: err = %v", cmd, err)
		}
		for _, name := range left {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("%s: error does not name %s: %v", cmd, name, err)
			}
		}
	}
}

// ingestDump writes dump as a JSONL file, ingests it into a fresh index
// with the real CLI and checks that the run summary holds each of summary.
// It returns the index folder, stdout and stderr.
func ingestDump(t *testing.T, dump string, summary []string) (dir, stdout, stderr string) {
	t.Helper()
	in := filepath.Join(t.TempDir(), "dump.jsonl")
	if err := os.WriteFile(in, []byte(dump), 0o644); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(t.TempDir(), "idx")
	stdout, stderr, err := runCLI(t, "ingest", "--index", dir, in)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, stderr)
	}
	for _, s := range summary {
		if !strings.Contains(stdout, s) {
			t.Errorf("summary lacks %q:\n%s", s, stdout)
		}
	}
	return dir, stdout, stderr
}

// TestFlagWithoutValueLast gives a flag that takes a value as the last
// argument, after the paths or query words: it is a usage error saying the
// value is missing, and the flag takes nothing for its value (it used to
// take the "--" that ends the reordered flags, so that "ingest x.jsonl
// --index" indexed into a folder named "--").
func TestFlagWithoutValueLast(t *testing.T) {
	articles, err := filepath.Abs(sampleArticles)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"ingest", articles, "--index"},
		{"search", "nato", "--limit"},
		{"export", "nato", "--index"},
	} {
		_, errOut, err := runCLI(t, args...)
		var ue *usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "flag needs an argument") {
			t.Errorf("%q: error %v, want a usage error saying the flag needs an argument\nstderr:\n%s", args, err, errOut)
		}
		if _, err := os.Stat("--"); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("%q made a folder named \"--\"", args)
		}
	}
}
