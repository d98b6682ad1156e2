package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestIngestSameContentTwice: two files with the same text have the same
// id (a hash of the content), so they are one document: the first in input
// order is indexed and the other is an exact copy, skipped. The summary
// counts what the index holds, and a second run finds everything unchanged
// instead of writing the copies again, each replacing the other.
func TestIngestSameContentTwice(t *testing.T) {
	text, err := os.ReadFile(filepath.Join(sampleArticles, "01_istanbul_round_what_each_side_wants.txt"))
	if err != nil {
		t.Fatal(err)
	}
	other, err := os.ReadFile(filepath.Join(sampleArticles, "05_istanbul_direct_talks_2025.txt"))
	if err != nil {
		t.Fatal(err)
	}
	in := t.TempDir()
	for name, b := range map[string][]byte{"a.txt": text, "b.txt": other, "c/copy.txt": text, "d.txt": text} {
		p := filepath.Join(in, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(t.TempDir(), "idx")
	for _, want := range []string{
		"documents: 4 read, 2 indexed, 0 unchanged, 0 failed",
		"documents: 4 read, 0 indexed, 2 unchanged, 0 failed",
	} {
		out := mustRun(t, "ingest", "--index", dir, in)
		if !strings.Contains(out, want) || !strings.Contains(out, "duplicates: 2 exact copies skipped") {
			t.Errorf("ingest summary:\n%s\nwant %q and 2 exact copies skipped", out, want)
		}
		st := stats(t, dir)
		var claims uint64 = 1 << 63
		for line := range strings.Lines(out) {
			if v, ok := strings.CutPrefix(line, "claims:"); ok {
				n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
				if err != nil {
					t.Fatalf("summary line %q: %v", line, err)
				}
				claims = n
			}
		}
		if want == "documents: 4 read, 2 indexed, 0 unchanged, 0 failed" && claims != st.Claims {
			t.Errorf("the summary counts %d claims, the index holds %d", claims, st.Claims)
		}
		if st.Articles != 2 {
			t.Errorf("the index holds %d articles, want 2", st.Articles)
		}
	}
	// The claims of the copied text come from the first file.
	for line := range strings.Lines(mustRun(t, "export", "--index", dir, "--min-confidence", "0")) {
		if strings.Contains(line, "copy.txt") || strings.Contains(line, "d.txt") {
			t.Fatalf("a claim from a later copy: %s", line)
		}
	}
}
