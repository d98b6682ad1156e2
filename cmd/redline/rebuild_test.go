package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
