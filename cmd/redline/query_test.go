package main

import (
	"path/filepath"
	"strings"
	"testing"

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
