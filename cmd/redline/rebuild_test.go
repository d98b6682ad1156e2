package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"redline/extract"
	"redline/index"
)

// TestIngestOtherExtractor: an index records its lexicon and model; an
// ingest with another stops with a message naming both, and --rebuild
// starts a fresh index with only that run's claims.
func TestIngestOtherExtractor(t *testing.T) {
	dir := ingestSample(t)
	before := stats(t, dir)
	one := filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt")

	_, _, err := runCLI(t, "ingest", "--index", dir, "--rules", one)
	if err == nil || !strings.Contains(err.Error(), "--rebuild") || !strings.Contains(err.Error(), "the rules alone") || !strings.Contains(err.Error(), "claim model") {
		t.Fatalf("ingest --rules into a model's index: err = %v", err)
	}
	if after := stats(t, dir); after.Claims != before.Claims || after.Articles != before.Articles {
		t.Errorf("the refused ingest changed the index: %d/%d claims, %d/%d articles", after.Claims, before.Claims, after.Articles, before.Articles)
	}
	// The same extractor again is fine.
	mustRun(t, "ingest", "--index", dir, one)

	out := mustRun(t, "ingest", "--index", dir, "--rules", "--rebuild", one)
	if !strings.Contains(out, "documents: 1 read, 1 indexed") {
		t.Errorf("ingest --rebuild:\n%s", out)
	}
	if st := stats(t, dir); st.Articles != 1 || st.Model != nil {
		t.Errorf("after --rebuild: %d articles, model %+v; want 1 article by the rules alone", st.Articles, st.Model)
	}
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	x, ok, err := ix.Extractor()
	ix.Close()
	if err != nil || !ok || x.Model != "" || x.Lexicon == "" || x.LexiconVersion == "" {
		t.Errorf("recorded extractor %+v, %v, %v; want the lexicon and no model", x, ok, err)
	}
	// Now the model's ingest is the other one.
	if _, _, err := runCLI(t, "ingest", "--index", dir, one); err == nil || !strings.Contains(err.Error(), "--rebuild") {
		t.Errorf("ingest with the model into a rules index: err = %v", err)
	}
}

// TestIngestOtherLexicon: an ingest with a --lexicon other than the one
// the index was built with (one alias more, or another name) stops with a
// message naming both lexicons and --rebuild, and leaves the index as it
// was.
func TestIngestOtherLexicon(t *testing.T) {
	builtin, err := os.ReadFile("../../extract/lexicon.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := ingestSample(t)
	export := func() string {
		return mustRun(t, "export", "--index", dir, "--min-confidence", "0", "--format", "jsonl")
	}
	before := export()
	if len(nonEmptyLines(before)) == 0 {
		t.Fatal("the sample index exports no claims")
	}
	was := recordedExtractor(t, dir)
	one := filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt")
	for _, tc := range []struct{ name, old, new string }{
		{"alias", "Kremlin officials]", "Kremlin officials, Russian envoys]"},
		{"renamed", "\nname: russia-ukraine\n", "\nname: russia-ukraine-talks\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(builtin), tc.old) {
				t.Fatalf("extract/lexicon.yaml no longer holds %q", tc.old)
			}
			lexPath := filepath.Join(t.TempDir(), "lexicon.yaml")
			if err := os.WriteFile(lexPath, []byte(strings.Replace(string(builtin), tc.old, tc.new, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			lex, err := extract.LoadLexicon(lexPath)
			if err != nil {
				t.Fatal(err)
			}
			if lex.Fingerprint() == was.LexiconVersion {
				t.Fatalf("the modified lexicon has the built-in's version %s", was.LexiconVersion)
			}
			_, stderr, err := runCLI(t, "ingest", "--index", dir, "--lexicon", lexPath, one)
			if code := exitCode(err, io.Discard); code == exitOK {
				t.Fatalf("ingest --lexicon %s into an index of the built-in lexicon: exit %d\n%s", lexPath, code, stderr)
			}
			for _, want := range []string{
				fmt.Sprintf("lexicon %q (version %s)", was.Lexicon, was.LexiconVersion),
				fmt.Sprintf("lexicon %q (version %s)", lex.Name(), lex.Fingerprint()),
				"--rebuild",
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not name %s: %v", want, err)
				}
			}
			if after := export(); after != before {
				t.Errorf("the refused ingest changed the export: %d lines, %d before", len(nonEmptyLines(after)), len(nonEmptyLines(before)))
			}
			if now := recordedExtractor(t, dir); now != was {
				t.Errorf("the refused ingest recorded %+v, was %+v", now, was)
			}
		})
	}
}

// recordedExtractor returns the extractor the index at dir records.
func recordedExtractor(t *testing.T, dir string) index.ExtractorInfo {
	t.Helper()
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	x, ok, err := ix.Extractor()
	if err != nil || !ok {
		t.Fatalf("recorded extractor: %v, %v", ok, err)
	}
	return x
}

// TestRebuildLeavesForeignFolders: --rebuild never deletes a folder that
// holds no index.
func TestRebuildLeavesForeignFolders(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCLI(t, "ingest", "--index", dir, "--rebuild", sampleArticles)
	if !errors.Is(err, index.ErrNotIndex) {
		t.Errorf("err = %v, want ErrNotIndex", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("the folder's file is gone: %v", err)
	}
}

// TestInputTotal: the progress bar's total is the number of documents
// where it is cheap and exact to know, and unknown (-1) elsewhere.
func TestInputTotal(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "d.jsonl")
	if err := os.WriteFile(dump, []byte("{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n{\"id\":\"c\"}"), 0o644); err != nil {
		t.Fatal(err)
	}
	one := filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt")
	fi, err := os.Stat(dump)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		paths  []string
		urls   int
		budget int64
		want   int
	}{
		{nil, 4, maxCountBytes, 4},
		{[]string{dump}, 0, maxCountBytes, 3},
		{[]string{dump, one}, 2, maxCountBytes, 6},
		{[]string{sampleArticles}, 0, maxCountBytes, -1}, // a folder
		{[]string{"-"}, 0, maxCountBytes, -1},
		{[]string{filepath.Join(dir, "missing.jsonl")}, 0, maxCountBytes, -1},
		// Dumps over the budget are not read through before the run.
		{[]string{dump}, 0, fi.Size(), 3},
		{[]string{dump}, 0, fi.Size() - 1, -1},
		{[]string{dump, dump}, 0, 2*fi.Size() - 1, -1},
	} {
		if got := inputTotal(tt.paths, tt.urls, tt.budget); got != tt.want {
			t.Errorf("inputTotal(%q, %d, %d) = %d, want %d", tt.paths, tt.urls, tt.budget, got, tt.want)
		}
	}
}

// TestSearchFoldsCopies: a sentence two articles share is one row of
// search, in text and JSON, with both sources; export keeps both claims.
func TestSearchFoldsCopies(t *testing.T) {
	shared := "Russia demands that Ukraine give up its claim to Crimea."
	dump := writeFiles(t, map[string]string{"d.jsonl": `{"id":"one","outlet":"Daily One","url":"https://one.example/a","published":"2025-03-01","title":"Talks","text":"` + shared + ` The weather in Geneva was cold and the delegates arrived late in the evening."}
{"id":"two","outlet":"Two Times","url":"https://two.example/b","published":"2025-03-02","title":"Crimea","text":"Officials met for a third day of meetings in a hotel by the lake. ` + shared + `"}
`})
	dir := filepath.Join(t.TempDir(), "idx")
	mustRun(t, "ingest", "--index", dir, filepath.Join(dump, "d.jsonl"))
	if n := len(exported(t, mustRun(t, "export", "--index", dir, "--min-confidence", "0", "crimea"))); n != 2 {
		t.Fatalf("export: %d claims, want 2", n)
	}
	hits := searchJSON(t, "--index", dir, "--min-confidence", "0", "crimea")
	if len(hits) != 1 || hits[0].Claims != 2 || len(hits[0].Sources) != 2 {
		t.Fatalf("search --json: %d rows %+v; want one row of 2 claims", len(hits), hits)
	}
	var urls []string
	for _, s := range hits[0].Sources {
		urls = append(urls, s.URL)
	}
	if !(strings.Contains(strings.Join(urls, " "), "one.example") && strings.Contains(strings.Join(urls, " "), "two.example")) {
		t.Errorf("sources %q, want both articles", urls)
	}
	text := mustRun(t, "search", "--index", dir, "--min-confidence", "0", "crimea")
	if !strings.Contains(text, "the same sentence in 2 claims, 2 outlets") || strings.Count(text, "give up its claim to") != 1 {
		t.Errorf("search text:\n%s", text)
	}
}

// TestRebuildOldLayout: an index of an older layout (here 3, before article
// texts) is read by search, refused by a plain ingest with a message naming
// --rebuild, and --rebuild starts it afresh in the current layout.
func TestRebuildOldLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "old")
	if err := os.CopyFS(dir, os.DirFS("../../index/testdata/layout3")); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "search", "--index", dir, "--min-confidence", "0", "*"); !strings.Contains(out, "claims") {
		t.Errorf("search of a layout 3 index:\n%s", out)
	}
	_, _, err := runCLI(t, "ingest", "--index", dir, sampleArticles)
	if err == nil || !strings.Contains(err.Error(), "--rebuild") {
		t.Fatalf("ingest into a layout 3 index: %v; want an error naming --rebuild", err)
	}
	mustRun(t, "ingest", "--index", dir, "--rebuild", sampleArticles)
	var first struct {
		DocID string `json:"doc_id"`
	}
	line, _, _ := strings.Cut(mustRun(t, "export", "--index", dir, "--min-confidence", "0"), "\n")
	if err := json.Unmarshal([]byte(line), &first); err != nil {
		t.Fatalf("export after --rebuild: %v: %q", err, line)
	}
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a, ok, err := ix.Article(context.Background(), first.DocID)
	if err != nil || !ok || a.Text == "" {
		t.Errorf("article after --rebuild: %v, %v, text %d bytes; want its text", ok, err, len(a.Text))
	}
}

// TestRebuildAfterKilledRemoval: a --rebuild killed while the old index was
// being removed leaves what is left of the Bleve folder (index_meta.json
// may go before the segment files) or, since the folder is set aside first,
// the old index under index.TrashDir; a second --rebuild accepts each and
// finishes, and the next ingest removes what was set aside.
func TestRebuildAfterKilledRemoval(t *testing.T) {
	one := filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt")
	for _, tc := range []struct {
		name string
		kill func(t *testing.T, dir string)
	}{
		{"index_meta.json removed first", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, index.BleveDir, "index_meta.json")); err != nil {
				t.Fatal(err)
			}
		}},
		{"set aside, no new index yet", func(t *testing.T, dir string) {
			if err := os.Rename(filepath.Join(dir, index.BleveDir), filepath.Join(dir, index.TrashDir)); err != nil {
				t.Fatal(err)
			}
			// A writer killed before leaves its read views too, and a
			// kill while errors.jsonl was written its temporary file.
			if err := os.MkdirAll(filepath.Join(dir, index.ReadDir, "1-1"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ".errors.jsonl.tmp"), []byte(`{"input":`), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := ingestSample(t)
			tc.kill(t, dir)
			out := mustRun(t, "ingest", "--index", dir, "--rebuild", one)
			if !strings.Contains(out, "documents: 1 read, 1 indexed") {
				t.Errorf("second --rebuild:\n%s", out)
			}
			if st := stats(t, dir); st.Articles != 1 {
				t.Errorf("after the second --rebuild the index holds %d articles, want 1", st.Articles)
			}
			mustRun(t, "check", "--index", dir)
			if _, err := os.Stat(filepath.Join(dir, index.TrashDir)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the old index set aside is still there: %v", err)
			}
		})
	}
}

// TestRebuildKeepsFetchCache: --rebuild keeps fetch-cache/ and makes the
// new index beside it, instead of refusing the folder it just emptied.
func TestRebuildKeepsFetchCache(t *testing.T) {
	dir := ingestSample(t)
	cached := filepath.Join(dir, index.CacheDir, "ab", "page")
	if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cached, []byte("cached"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "ingest", "--index", dir, "--rebuild", filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt"))
	if !strings.Contains(out, "documents: 1 read, 1 indexed") {
		t.Errorf("--rebuild with a fetch cache:\n%s", out)
	}
	if _, err := os.Stat(cached); err != nil {
		t.Errorf("the fetch cache is gone: %v", err)
	}
}
