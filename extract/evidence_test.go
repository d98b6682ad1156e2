package extract

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"redline/claim"
	"redline/corpus"
	"redline/internal/sharedtest"
)

// TestEvidenceInvariants checks every claim extracted from the shared
// corpora: its offsets cut exactly its sentence from the article's text,
// its cue lies inside the sentence (a list item's, in the lead-in before
// it), and a sentence over claim.LongSentence bytes records why.
func TestEvidenceInvariants(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts two corpora")
	}
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"bulk.jsonl", "articles.jsonl"} {
		path := "../../shared/corpus/" + name
		if _, err := os.Stat(path); err != nil {
			sharedtest.Missing(t, "shared corpus not found: ", err)
			return
		}
		t.Run(name, func(t *testing.T) {
			r, err := corpus.Open([]string{path}, corpus.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var claims, badCut, badCue, long int
			reasons := map[string]int{}
			for {
				doc, err := r.Next(context.Background())
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				res, err := ex.Extract(doc)
				if err != nil {
					continue // no text: no claims
				}
				for _, c := range res.Claims {
					claims++
					text := res.Article.Text
					if c.Start < 0 || c.End > len(text) || c.Start > c.End || text[c.Start:c.End] != c.Sentence {
						badCut++
						t.Errorf("%s: offsets [%d,%d) do not cut the sentence %q", c.DocID, c.Start, c.End, c.Sentence)
						continue
					}
					in := c.Sentence
					if c.Attribution == ByList {
						in = text[:c.End] // the lead-in's cue, before the item
					}
					if !strings.Contains(strings.ToLower(in), strings.ToLower(c.Cue)) {
						badCue++
						t.Errorf("%s @%d: cue %q (%s) not in the sentence %q", c.DocID, c.Start, c.Cue, c.Attribution, c.Sentence)
					}
					switch {
					case len(c.Sentence) > claim.LongSentence && c.Long == "":
						long++
						t.Errorf("%s @%d: sentence of %d bytes with no reason: %.200q", c.DocID, c.Start, len(c.Sentence), c.Sentence)
					case len(c.Sentence) > claim.LongSentence:
						reasons[c.Long]++
					case c.Long != "":
						t.Errorf("%s @%d: sentence of %d bytes marked long (%s)", c.DocID, c.Start, len(c.Sentence), c.Long)
					}
				}
			}
			t.Logf("%d claims: %d bad offsets, %d cues outside, %d sentences over %d bytes without a reason; long with a reason: %v",
				claims, badCut, badCue, long, claim.LongSentence, reasons)
			if claims == 0 {
				t.Error("no claims extracted")
			}
		})
	}
}
