package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestClusters runs the real command on the sample articles: the class
// file has one valid line a word, the same inputs give the same bytes,
// and --exclude leaves the named records out.
func TestClusters(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.tsv"), filepath.Join(dir, "b.tsv")
	out := mustRun(t, "clusters", "--docs", "../../testdata/articles", "--clusters", "16", "--out", a)
	if !strings.Contains(out, "in 16 clusters; wrote "+a) {
		t.Errorf("summary: %q", out)
	}
	mustRun(t, "clusters", "--clusters", "16", "--out", b, "../../testdata/articles")
	da, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(da) != string(db) {
		t.Fatal("two runs on the same articles wrote different class files")
	}
	lines := nonEmptyLines(string(da))
	words := map[string]bool{}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 3 || f[0] == "" || strings.Trim(f[0], "01") != "" {
			t.Fatalf("bad line %q", l)
		}
		words[f[1]] = true
	}
	for _, w := range []string{"the", "said", "russia"} {
		if !words[w] {
			t.Errorf("no class for %q among %d words", w, len(words))
		}
	}

	// Leaving out every article but one leaves fewer words.
	entries, err := os.ReadDir("../../testdata/articles")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries[1:] {
		names = append(names, e.Name())
	}
	ex := filepath.Join(dir, "exclude")
	if err := os.WriteFile(ex, []byte("# held out\n"+strings.Join(names, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out = mustRun(t, "clusters", "--docs", "../../testdata/articles", "--exclude", ex, "--clusters", "16", "--min-count", "1", "--out", a)
	if !strings.Contains(out, fmt.Sprintf("1 articles (%d excluded, 0 unreadable)", len(names))) {
		t.Errorf("summary with --exclude: %q", out)
	}
}

// TestClustersBadDocument: a record that cannot be read is named, counted
// and passed over; the classes are made from the rest.
func TestClustersBadDocument(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "dump.jsonl")
	good := `{"id": "a1", "text": "Moscow demands that Kyiv withdraw its troops. Kyiv refuses to withdraw its troops from the region."}`
	if err := os.WriteFile(dump, []byte(good+"\n{\"id\": \"a2\", \"text\": \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := runCLI(t, "clusters", "--docs", dump, "--clusters", "4", "--min-count", "1", "--out", filepath.Join(dir, "c.tsv"))
	if err != nil {
		t.Fatalf("clusters over a dump with one bad record: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "1 articles (0 excluded, 1 unreadable)") {
		t.Errorf("summary: %q, want the bad record counted", out)
	}
	if !strings.Contains(stderr, "dump.jsonl") {
		t.Errorf("stderr does not name the input: %q", stderr)
	}
}

func TestClustersUsage(t *testing.T) {
	_, _, err := runCLI(t, "clusters", "--docs", "../../testdata/articles")
	var ue *usageError
	if !errors.As(err, &ue) {
		t.Fatalf("no --out: %v, want a usage error", err)
	}
	_, _, err = runCLI(t, "clusters", "--docs", "../../testdata/articles", "--clusters", "1", "--out", filepath.Join(t.TempDir(), "x"))
	if !errors.As(err, &ue) {
		t.Fatalf("--clusters 1: %v, want a usage error", err)
	}
}

// TestClassesFlag: classes made from other articles are not those the
// built-in model was trained with: extract refuses them, naming both, and
// the rules alone, which read no classes, take them.
func TestClassesFlag(t *testing.T) {
	dir := t.TempDir()
	classes := filepath.Join(dir, "classes.tsv")
	mustRun(t, "clusters", "--docs", "../../testdata/articles", "--clusters", "16", "--out", classes)
	article := "../../testdata/articles/01_istanbul_round_what_each_side_wants.txt"
	_, _, err := runCLI(t, "extract", "--classes", classes, article)
	if err == nil || !strings.Contains(err.Error(), "trained with word classes") || !strings.Contains(err.Error(), "--classes") {
		t.Fatalf("extract with other classes: %v, want an error naming the classes", err)
	}
	if out := mustRun(t, "extract", "--rules", "--classes", classes, article); !strings.Contains(out, `"party"`) {
		t.Errorf("the rules with --classes found no claim:\n%s", out)
	}
	_, _, err = runCLI(t, "extract", "--classes", filepath.Join(dir, "missing.tsv"), article)
	if err == nil || !strings.Contains(err.Error(), "missing.tsv") {
		t.Fatalf("missing class file: %v, want an error naming it", err)
	}
}
