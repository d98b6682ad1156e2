package extract

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"redline/corpus"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	goldenArticles = "../testdata/articles"
	goldenDir      = "testdata/golden"
)

// TestGolden runs the whole extraction over the test articles and compares
// every claim, all fields, with testdata/golden/<article>.jsonl. After an
// intended change of the rules, rewrite the files with
//
//	go test ./extract/ -run TestGolden -update
//
// and review the diff of testdata/golden.
func TestGolden(t *testing.T) {
	entries, err := os.ReadDir(goldenArticles)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := NewExtractor(nil)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		name := e.Name()
		golden := filepath.Join(goldenDir, name+".jsonl")
		seen[filepath.Base(golden)] = true
		t.Run(name, func(t *testing.T) {
			got := goldenLines(t, ex, filepath.Join(goldenArticles, name))
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if errors.Is(err, os.ErrNotExist) {
				t.Fatalf("no golden file %s: run go test ./extract/ -run TestGolden -update", golden)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("claims of %s differ from %s (rewrite with -update if the change is intended):\n%s", name, golden, lineDiff(string(want), string(got)))
			}
		})
	}
	// A golden file whose article is gone is stale.
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.jsonl"))
	for _, f := range files {
		if seen[filepath.Base(f)] {
			continue
		}
		if *update {
			if err := os.Remove(f); err != nil {
				t.Error(err)
			}
			continue
		}
		t.Errorf("golden file %s has no article in %s (remove it, or run -update)", f, goldenArticles)
	}
}

// goldenLines extracts the claims of the article at path, read as the
// pipeline reads it, and returns them as JSON lines sorted by document and
// offset.
func goldenLines(tb testing.TB, ex *Extractor, path string) []byte {
	tb.Helper()
	r, err := corpus.Open([]string{path}, corpus.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	var claims []Claim
	for {
		doc, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		res, err := ex.Extract(doc)
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		checkClaimInvariants(tb, ex.Lexicon(), res.Article, res.Claims)
		claims = append(claims, res.Claims...)
	}
	slices.SortStableFunc(claims, func(a, b Claim) int {
		return cmp.Or(cmp.Compare(a.DocID, b.DocID), cmp.Compare(a.Start, b.Start))
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, c := range claims {
		if err := enc.Encode(c); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// lineDiff describes how got differs from want, line by line: the first
// differing line, then the lines only one side has, each shown as its
// claim (party, kind, topics, sentence) when it is one.
func lineDiff(want, got string) string {
	wl := strings.Split(strings.TrimSuffix(want, "\n"), "\n")
	gl := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	var b strings.Builder
	fmt.Fprintf(&b, "\tgolden %d lines, now %d\n", len(wl), len(gl))
	for k := 0; k < len(wl) || k < len(gl); k++ {
		var w, g string
		if k < len(wl) {
			w = wl[k]
		}
		if k < len(gl) {
			g = gl[k]
		}
		if w != g {
			fmt.Fprintf(&b, "\tfirst difference at line %d:\n\t- %s\n\t+ %s\n", k+1, w, g)
			if fw, ok := fieldDiff(w, g); ok {
				fmt.Fprintf(&b, "\t  fields: %s\n", fw)
			}
			break
		}
	}
	count := func(ls []string) map[string]int {
		m := map[string]int{}
		for _, l := range ls {
			m[l]++
		}
		return m
	}
	wc, gc := count(wl), count(gl)
	const max = 15
	n := 0
	for _, l := range wl {
		if gc[l] > 0 {
			gc[l]--
			continue
		}
		if n++; n <= max {
			fmt.Fprintf(&b, "\t- %s\n", claimSummary(l))
		}
	}
	for _, l := range gl {
		if wc[l] > 0 {
			wc[l]--
			continue
		}
		if n++; n <= max {
			fmt.Fprintf(&b, "\t+ %s\n", claimSummary(l))
		}
	}
	if n > max {
		fmt.Fprintf(&b, "\t… and %d more changed lines\n", n-max)
	}
	return b.String()
}

// claimSummary shortens a golden line to what a reviewer reads first.
func claimSummary(line string) string {
	var c Claim
	if err := json.Unmarshal([]byte(line), &c); err != nil || line == "" {
		return line
	}
	s := c.Sentence
	if len(s) > 90 {
		s = s[:90] + "…"
	}
	return fmt.Sprintf("%s %s %v attr=%s conf=%.2f @%d %q", c.Party, c.Kind, c.Topics, c.Attribution, c.Confidence, c.Start, s)
}

// fieldDiff names the fields in which two golden lines differ.
func fieldDiff(want, got string) (string, bool) {
	var w, g map[string]any
	if json.Unmarshal([]byte(want), &w) != nil || json.Unmarshal([]byte(got), &g) != nil {
		return "", false
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(w)) {
		if fmt.Sprint(w[k]) != fmt.Sprint(g[k]) {
			out = append(out, fmt.Sprintf("%s %v → %v", k, w[k], g[k]))
		}
	}
	return strings.Join(out, "; "), len(out) > 0
}

// The diff of a golden mismatch names what changed.
func TestGoldenDiff(t *testing.T) {
	a := `{"doc_id":"d","sentence":"Russia wants peace.","start":0,"party":"russia","kind":"demand","topics":["negotiations"]}`
	b := `{"doc_id":"d","sentence":"Russia wants peace.","start":0,"party":"russia","kind":"offer","topics":["negotiations"]}`
	c := `{"doc_id":"d","sentence":"Kyiv rejects it.","start":20,"party":"ukraine","kind":"red_line","topics":["territory"]}`
	d := lineDiff(a+"\n"+c+"\n", b+"\n"+c+"\n")
	for _, w := range []string{"first difference at line 1", "kind demand → offer", "- russia demand", "+ russia offer"} {
		if !strings.Contains(d, w) {
			t.Errorf("diff does not say %q:\n%s", w, d)
		}
	}
	if strings.Contains(d, "ukraine") {
		t.Errorf("diff shows an unchanged line:\n%s", d)
	}
	d = lineDiff(a+"\n", a+"\n"+c+"\n")
	if !strings.Contains(d, "golden 1 lines, now 2") || !strings.Contains(d, "+ ukraine red_line") {
		t.Errorf("diff of an added line:\n%s", d)
	}
}
