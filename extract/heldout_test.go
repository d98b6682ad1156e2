package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"redline/internal/sharedtest"
)

// TestHeldoutGold checks the project's held-out gold (../gold/bulk-heldout)
// against the articles it annotates: every line names an annotated article
// of bulk.jsonl that is neither training gold nor reserved for evaluation
// nor in articles.jsonl, quotes its sentence exactly, and uses the
// lexicon's parties (or "other"), kinds and topics. A held-out set that
// overlapped what the model is trained on would report a score that means
// nothing.
func TestHeldoutGold(t *testing.T) {
	const dir = "../gold/bulk-heldout/"
	shared := "../../shared/"
	if _, err := os.Stat(shared + "corpus/bulk.jsonl"); err != nil {
		sharedtest.Missing(t, "shared corpus not found: ", err)
		return
	}
	f, err := os.Open(dir + "gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gold, err := ReadGold(f, dir+"gold.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	docs := lines(t, dir+"docs.txt")
	train := lines(t, shared+"gold/train/docs.txt")
	reserved := lines(t, shared+"gold/train/RESERVED")
	texts := map[string]string{}
	for _, l := range lines(t, shared+"corpus/bulk.jsonl") {
		var r struct{ ID, Text string }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		texts[r.ID] = r.Text
	}
	evaluation := map[string]bool{}
	for _, l := range lines(t, shared+"corpus/articles.jsonl") {
		var r struct{ ID string }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		evaluation[r.ID] = true
	}
	for _, d := range docs {
		switch {
		case texts[d] == "":
			t.Errorf("%s: not an article of bulk.jsonl", d)
		case slices.Contains(train, d):
			t.Errorf("%s: also in the training gold", d)
		case slices.Contains(reserved, d):
			t.Errorf("%s: reserved for evaluation", d)
		case evaluation[d]:
			t.Errorf("%s: an article of articles.jsonl", d)
		}
	}
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	topics := lx.Topics()
	required := 0
	for i, g := range gold {
		if !g.Optional {
			required++
		}
		if !slices.Contains(docs, g.Doc) {
			t.Errorf("line %d: %s is not listed in docs.txt", i+1, g.Doc)
		}
		if !strings.Contains(texts[g.Doc], g.Sentence) {
			t.Errorf("line %d: the sentence is not in %s: %q", i+1, g.Doc, g.Sentence)
		}
		if _, ok := lx.PartyID(g.Party); !ok && g.Party != "other" {
			t.Errorf("line %d: party %q is neither the lexicon's nor other", i+1, g.Party)
		}
		for _, tp := range g.Topics {
			if !slices.Contains(topics, tp) {
				t.Errorf("line %d: topic %q is not the lexicon's", i+1, tp)
			}
		}
		if g.Note == "" {
			t.Errorf("line %d: no note", i+1)
		}
	}
	if len(docs) != 96 || len(gold) != 380 || required != 156 {
		t.Errorf("%d articles, %d claims, %d required; gold/README.md says 96, 380, 156", len(docs), len(gold), required)
	}
}

// lines returns the non-blank lines of a file.
func lines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
