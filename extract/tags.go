package extract

import (
	"strings"
	"sync"
)

// Tagger gives the words of a candidate sentence their parts of speech
// (Penn Treebank tags): prose's words and prose's averaged-perceptron tags,
// the same as prose.NewDocument gives, scored from prose's own weights by
// perceptron (postag.go) about twenty times faster than prose tags
// (BenchmarkTagger). The model is loaded once, by NewTagger, and shared.
// Only candidate sentences are tagged, never the whole corpus. A *Tagger is
// safe for concurrent use: tagging only reads the model.
type Tagger struct {
	model *perceptron
	// scratch holds *tagScratch: tagging allocates only its result.
	scratch sync.Pool
}

// tagScratch is the working space of one tagging.
type tagScratch struct {
	pw    proseWords
	tags  []string
	at    []int32
	spans []tagSpanText
}

// tagSpanText is a tagged word of prose found in the sentence text.
type tagSpanText struct {
	start, end int
	tag        string
}

// NewTagger loads prose's tagging model.
func NewTagger() (*Tagger, error) {
	p, err := loadPerceptron()
	if err != nil {
		return nil, err
	}
	return &Tagger{model: p}, nil
}

// tagged splits text into words and tags them as prose does, in s, and
// counts the words where the best tags tied (see perceptron).
func (t *Tagger) tagged(text string, s *tagScratch) (ties int) {
	s.pw.split(text)
	s.tags, ties, s.at = t.model.tag(s.pw.words, s.tags, s.at)
	if s.pw.aliased {
		// In place: a word reports the tag of a later word, written in
		// turn only once it is reached.
		for k, r := range s.pw.reported {
			s.tags[k] = s.tags[r]
		}
	}
	return ties
}

// proseTagged is tagged with words and tags of its own.
func (t *Tagger) proseTagged(text string) (words, tags []string, ties int) {
	var s tagScratch
	ties = t.tagged(text, &s)
	return s.pw.words, s.tags, ties
}

// tags returns one tag per token of the sentence text ("" where prose's
// tokens could not be aligned with ours).
func (t *Tagger) tags(text string, toks []token) []string {
	out := make([]string, len(toks))
	if t == nil || len(toks) == 0 {
		return out
	}
	s, _ := t.scratch.Get().(*tagScratch)
	if s == nil {
		s = new(tagScratch)
	}
	defer t.scratch.Put(s)
	t.tagged(text, s)
	// prose's tokens carry no offsets: find each in the text, in order.
	spans := s.spans[:0]
	cur := 0
	for k, w := range s.pw.words {
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
		spans = append(spans, tagSpanText{cur + i, cur + i + len(w), s.tags[k]})
		cur += i + len(w)
	}
	s.spans = spans
	k := 0
	for i, tk := range toks {
		for k < len(spans) && spans[k].end <= int(tk.start) {
			k++
		}
		if k < len(spans) && spans[k].start <= int(tk.start) {
			out[i] = spans[k].tag
		}
	}
	return out
}
