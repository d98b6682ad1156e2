package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"redline/claim"
	"redline/index"
)

// TestSearchTitleMatchShowsSentence: a row found by its article's title
// shows the claim's sentence, then the title with the match marked. The
// title's fragment was printed in the sentence's place, so redline search
// 'title:ceasefire' listed titles and never the claims' sentences.
func TestSearchTitleMatchShowsSentence(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := carticle("title-1", "", "Harbour Wire", "2025-01-10",
		"ukraine red_line territory 0.9 Kyiv will never cede its land.",
		"russia demand ceasefire 0.9 Moscow demands a ceasefire on its terms.")
	a.Title = "Ceasefire talks stall"
	for i := range a.Claims {
		a.Claims[i].Title = a.Title
	}
	if err := ix.Write([]index.Article{a}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	tests := []struct {
		query string
		want  []string
	}{
		{"title:ceasefire kind:red_line", []string{"\n   Kyiv will never cede its land.\n   title: [Ceasefire] talks stall\n"}},
		{"title:ceasefire ceasefire", []string{"\n   Moscow demands a [ceasefire] on its terms.\n   title: [Ceasefire] talks stall\n"}},
		{"cede", []string{"\n   Kyiv will never [cede] its land.\n"}},
	}
	for _, tt := range tests {
		out := mustRun(t, "search", "--index", dir, "--min-confidence", "0", tt.query)
		for _, want := range tt.want {
			if !strings.Contains(out, want) {
				t.Errorf("search %q lacks %q:\n%s", tt.query, want, out)
			}
		}
		if tt.query == "cede" && strings.Contains(out, "title:") {
			t.Errorf("search %q shows a title it did not match:\n%s", tt.query, out)
		}
	}
}

// TestSearchSort: --sort orders the rows of search and the claims of export
// newest first, oldest first (undated last in both) or most confident
// first; a name that is no order is a usage error naming the orders.
// Results came by relevance only, and export by document alone.
func TestSearchSort(t *testing.T) {
	dir := ingestSample(t)
	for _, tt := range []struct {
		sort string
		less func(a, b claim.Claim) bool // a must not come after b
	}{
		{"newest", func(a, b claim.Claim) bool {
			return b.Published == "" || a.Published != "" && a.Published >= b.Published
		}},
		{"oldest", func(a, b claim.Claim) bool {
			return b.Published == "" || a.Published != "" && a.Published <= b.Published
		}},
		{"confidence", func(a, b claim.Claim) bool { return a.Confidence >= b.Confidence }},
	} {
		for _, args := range [][]string{{"search", "--json", "--limit", "1000"}, {"export"}} {
			args = append(args, "--index", dir, "--min-confidence", "0", "--sort", tt.sort)
			var got []claim.Claim
			for _, line := range nonEmptyLines(mustRun(t, args...)) {
				var c claim.Claim
				if err := json.Unmarshal([]byte(line), &c); err != nil {
					t.Fatal(err)
				}
				got = append(got, c)
			}
			if len(got) < 20 {
				t.Fatalf("%v: %d claims", args, len(got))
			}
			for i := 1; i < len(got); i++ {
				if !tt.less(got[i-1], got[i]) {
					t.Errorf("%v: claim %d (%s, %.2f) before claim %d (%s, %.2f)", args, i, got[i-1].Published, got[i-1].Confidence, i+1, got[i].Published, got[i].Confidence)
					break
				}
			}
		}
	}
	// The text says the order.
	if out := mustRun(t, "search", "--index", dir, "--sort", "oldest", "ceasefire"); !strings.Contains(out, "oldest first") {
		t.Errorf("search --sort oldest does not say so:\n%.300s", out)
	}
	_, _, err := runCLI(t, "search", "--index", dir, "--sort", "latest", "nato")
	var stderr bytes.Buffer
	if code := exitCode(err, &stderr); code != exitUsage || !strings.Contains(stderr.String(), `--sort "latest": want relevance, newest, oldest or confidence`) {
		t.Errorf("--sort latest: exit %d, printed %q", code, stderr.String())
	}
}

// TestExcludedWordFirst: a query that starts with an excluded word (-energy)
// is read as a flag and refused; the message says how to write it. It said
// only that the flag -energy is not defined.
func TestExcludedWordFirst(t *testing.T) {
	dir := ingestSample(t)
	for _, cmd := range []string{"search", "export"} {
		_, _, err := runCLI(t, cmd, "--index", dir, "-energy", "ceasefire")
		var stderr bytes.Buffer
		if code := exitCode(err, &stderr); code != exitUsage || !strings.Contains(stderr.String(), `write NOT energy, or put the query after --`) {
			t.Errorf("%s -energy ceasefire: exit %d, printed %q", cmd, code, stderr.String())
		}
	}
	// After --, it is the query; after a word, too.
	want := mustRun(t, "search", "--index", dir, "--min-confidence", "0", "ceasefire NOT energy")
	for _, args := range [][]string{{"--", "-energy", "ceasefire"}, {"ceasefire", "-energy"}} {
		if got := mustRun(t, append([]string{"search", "--index", dir, "--min-confidence", "0"}, args...)...); got[strings.Index(got, "\n"):] != want[strings.Index(want, "\n"):] {
			t.Errorf("search %q differs from 'ceasefire NOT energy'", args)
		}
	}
}
