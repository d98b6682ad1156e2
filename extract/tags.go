package extract

import (
	"strings"

	"github.com/jdkato/prose/v2"
)

// Tagger gives the words of a candidate sentence their parts of speech
// (Penn Treebank tags) with prose's averaged-perceptron tagger. The model
// is loaded once, by NewTagger, and shared: prose reloads it on every
// document unless it is handed over. Only candidate sentences are tagged,
// never the whole corpus. A *Tagger is safe for concurrent use: tagging
// only reads the model.
type Tagger struct {
	model *prose.Model
}

// NewTagger loads prose's tagging model.
func NewTagger() (*Tagger, error) {
	doc, err := prose.NewDocument("", prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		return nil, err
	}
	return &Tagger{model: doc.Model}, nil
}

// tags returns one tag per token of the sentence text ("" where prose's
// tokens could not be aligned with ours).
func (t *Tagger) tags(text string, toks []token) []string {
	out := make([]string, len(toks))
	if t == nil || len(toks) == 0 {
		return out
	}
	doc, err := prose.NewDocument(text, prose.UsingModel(t.model), prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		return out
	}
	// prose's tokens carry no offsets: find each in the text, in order.
	type span struct {
		start, end int
		tag        string
	}
	var spans []span
	cur := 0
	for _, pt := range doc.Tokens() {
		if pt.Text == "" {
			continue
		}
		i := strings.Index(text[cur:], pt.Text)
		if i < 0 || i > 40 {
			continue
		}
		spans = append(spans, span{cur + i, cur + i + len(pt.Text), pt.Tag})
		cur += i + len(pt.Text)
	}
	k := 0
	for i, tk := range toks {
		for k < len(spans) && spans[k].end <= tk.start {
			k++
		}
		if k < len(spans) && spans[k].start <= tk.start {
			out[i] = spans[k].tag
		}
	}
	return out
}
