package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBinaryDatelines ingests the plain-text articles of testdata/nuclear,
// whose only date and outlet are a header line ("April 12, 2026 | Gulf
// Wire"), through the real command, and checks that every claim carries
// the date and outlet its article prints and that compare then lays the
// claims out on a timeline, none left undated.
func TestBinaryDatelines(t *testing.T) {
	bin := buildBinary(t)
	idx := filepath.Join(t.TempDir(), "idx")

	// What each article's header says, read here by a rule of the test's
	// own: the third line is "Month D, YYYY | Outlet".
	want := map[string][2]string{} // file name → date, outlet
	files, err := filepath.Glob(filepath.Join(nuclearArticles, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles in %s: %v", nuclearArticles, err)
	}
	months := map[string]string{"April": "04", "May": "05", "June": "06"}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		if len(lines) < 3 {
			t.Fatalf("%s: too short for a dateline", file)
		}
		date, outlet, ok := strings.Cut(lines[2], " | ")
		f := strings.Fields(strings.ReplaceAll(date, ",", ""))
		if !ok || len(f) != 3 || months[f[0]] == "" || len(f[1]) > 2 {
			t.Fatalf("%s: no dateline on its third line: %q", file, lines[2])
		}
		want[filepath.Base(file)] = [2]string{f[2] + "-" + months[f[0]] + "-" + strings.Repeat("0", 2-len(f[1])) + f[1], outlet}
	}

	r := runBinary(t, bin, "ingest", "--index", idx, "--lexicon", nuclearLexicon, nuclearArticles)
	if r.code != exitOK {
		t.Fatalf("ingest: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	r = runBinary(t, bin, "export", "--index", idx, "--min-confidence", "0", "--format", "jsonl")
	if r.code != exitOK {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	claims := 0
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var c struct{ Source, Published, Outlet, Sentence string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		claims++
		w, ok := want[filepath.Base(c.Source)]
		if !ok {
			t.Fatalf("claim of an unknown article %q", c.Source)
		}
		if c.Published != w[0] || c.Outlet != w[1] {
			t.Errorf("%s: claim %q dated %q by %q, want %q by %q", filepath.Base(c.Source), c.Sentence, c.Published, c.Outlet, w[0], w[1])
		}
	}
	if claims < 20 {
		t.Fatalf("only %d claims exported:\n%s", claims, r.stdout)
	}

	r = runBinary(t, bin, "compare", "--index", idx, "--format", "json")
	if r.code != exitOK {
		t.Fatalf("compare: exit %d\n%s", r.code, r.stderr)
	}
	var cmp struct {
		Claims   int
		Undated  int
		Periods  []string
		Timeline []json.RawMessage
	}
	if err := json.Unmarshal([]byte(r.stdout), &cmp); err != nil {
		t.Fatalf("compare --format json: %v\n%s", err, r.stdout)
	}
	if cmp.Claims == 0 || cmp.Undated != 0 {
		t.Errorf("compare: %d claims, %d undated; want every claim dated", cmp.Claims, cmp.Undated)
	}
	if !slices.Equal(cmp.Periods, []string{"2026-04", "2026-05", "2026-06"}) {
		t.Errorf("compare periods = %v, want the months of the articles' datelines", cmp.Periods)
	}
	if len(cmp.Timeline) == 0 {
		t.Errorf("compare has no timeline:\n%s", r.stdout)
	}
}
