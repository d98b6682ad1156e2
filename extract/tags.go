package extract

import (
	"strings"
)

// Tagger gives the words of a candidate sentence their parts of speech
// (Penn Treebank tags): prose's tokens and prose's averaged-perceptron
// tags, scored by a compact copy of prose's weights (see perceptron) that
// tags about as fast as the rest of the claims stage runs. The model is
// loaded once, by NewTagger, and shared. Only candidate sentences are
// tagged, never the whole corpus. A *Tagger is safe for concurrent use:
// tagging only reads the model.
type Tagger struct {
	model *perceptron
}

// NewTagger loads prose's tagging model.
func NewTagger() (*Tagger, error) {
	p, err := loadPerceptron()
	if err != nil {
		return nil, err
	}
	return &Tagger{model: p}, nil
}

// proseTagged splits text into words and tags them as prose does, and
// counts the words where the best tags tied (see perceptron).
func (t *Tagger) proseTagged(text string) (words, tags []string, ties int) {
	pw := splitProse(text)
	tagged, ties := t.model.tag(pw.words)
	tags = make([]string, len(tagged))
	for k, r := range pw.reported {
		tags[k] = tagged[r]
	}
	return pw.words, tags, ties
}

// tags returns one tag per token of the sentence text ("" where prose's
// tokens could not be aligned with ours).
func (t *Tagger) tags(text string, toks []token) []string {
	out := make([]string, len(toks))
	if t == nil || len(toks) == 0 {
		return out
	}
	words, tags, _ := t.proseTagged(text)
	// prose's tokens carry no offsets: find each in the text, in order.
	type span struct {
		start, end int
		tag        string
	}
	var spans []span
	cur := 0
	for k, w := range words {
		if w == "" {
			continue
		}
		// A word more than 40 bytes on is taken as unaligned: searching
		// only that far finds the same words, and a long text with many
		// unaligned words is not searched to its end for each.
		i := strings.Index(text[cur:min(len(text), cur+40+len(w))], w)
		if i < 0 {
			continue
		}
		spans = append(spans, span{cur + i, cur + i + len(w), tags[k]})
		cur += i + len(w)
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
