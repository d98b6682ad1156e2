package extract

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzReadGold: any input either parses into records that satisfy the gold
// contract or fails with an error naming the file; it never panics.
func FuzzReadGold(f *testing.F) {
	f.Add(`{"doc": "a.txt", "sentence": "Moscow wants X.", "party": "russia", "kind": "demand", "topics": ["nato"], "target": "", "speaker": "", "hedged": false, "optional": false, "note": ""}`)
	f.Add("{}\n")
	f.Add("\xef\xbb\xbf{\"doc\":\"a\"}\r\n\n")
	f.Add(`{"doc": "a", "sentence": "s", "party": "p", "kind": "offer"}` + "\n" + `{"doc": "a", "sentence": "s", "party": "p", "kind": "offer"}`)
	f.Fuzz(func(t *testing.T, in string) {
		gold, err := ReadGold(strings.NewReader(in), "fuzz.jsonl")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.jsonl") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, g := range gold {
			if g.Doc == "" || g.Sentence == "" || g.Party == "" {
				t.Fatalf("record without doc, sentence or party: %+v", g)
			}
			if g.Kind != KindDemand && g.Kind != KindRedLine && g.Kind != KindOffer {
				t.Fatalf("record with kind %q", g.Kind)
			}
		}
	})
}

// FuzzParseLexicon: any input either builds a lexicon whose party and topic
// ids fit the index's "party|topic|kind" term and that extracts claims
// without panicking, or fails with an error naming the file.
func FuzzParseLexicon(f *testing.F) {
	f.Add(defaultLexicon)
	f.Add([]byte("name: x\nparties: [{id: a, aliases: [Alpha]}]\ncues: {demand: {verbs: [wants]}}\ntopics: {trade: [tariffs]}\n"))
	f.Add([]byte("parties: []\n"))
	f.Add([]byte("topics: [a, b]\n"))
	f.Add([]byte(":\n- ]["))
	f.Add([]byte("name: x\nparties: [{id: a|b, aliases: [Alpha]}]\ncues: {demand: {verbs: [wants]}}\ntopics: {trade: [tariffs]}\n"))
	f.Add([]byte("name: x\nparties: [{id: a, aliases: [Alpha]}]\ncues: {demand: {verbs: [wants]}}\ntopics: {trade|x: [tariffs]}\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		lx, err := ParseLexicon(in, "fuzz.yaml")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(lx.Parties()) == 0 || len(lx.Topics()) == 0 {
			t.Fatalf("lexicon accepted without parties or topics")
		}
		// The index keeps a claim's position as one "party|topic|kind" term.
		for _, p := range lx.Parties() {
			if strings.Contains(p.ID, "|") {
				t.Fatalf("party id %q accepted: it does not fit a party|topic|kind term", p.ID)
			}
		}
		for _, id := range lx.Topics() {
			if strings.Contains(id, "|") {
				t.Fatalf("topic id %q accepted: it does not fit a party|topic|kind term", id)
			}
		}
		text := "Alpha wants lower tariffs. Moscow refuses to cede Crimea, while Kyiv is ready to talk."
		a := Article{Text: text, Blocks: []Block{{Kind: Paragraph, End: len(text), Text: text}}}
		for _, c := range lx.Claims(a, []Sentence{{Start: 0, End: len(text), Text: text}}) {
			if c.Party == "" || len(c.Topics) == 0 || !bytes.Contains([]byte(text), []byte(c.Sentence)) {
				t.Fatalf("bad claim %+v", c)
			}
		}
	})
}
