// The feature templates, the word normalization, the rules ahead of the
// perceptron and the emoticon list below reproduce prose v2.0.0's tag.go and
// tokenize.go (github.com/jdkato/prose), so that the tags are prose's own:
//
// Copyright 2013 Matthew Honnibal; Copyright (c) 2017-2018 Joseph Kato.
// Permission is hereby granted, free of charge, to any person obtaining a
// copy of this software and associated documentation files (the
// "Software"), to deal in the Software without restriction, including
// without limitation the rights to use, copy, modify, merge, publish,
// distribute, sublicense, and/or sell copies of the Software, and to permit
// persons to whom the Software is furnished to do so, subject to the
// following conditions: The above copyright notice and this permission
// notice shall be included in all copies or substantial portions of the
// Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
// EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
// MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN
// NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
// DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
// OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
// USE OR OTHER DEALINGS IN THE SOFTWARE.

package extract

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"
	"github.com/mingrammer/commonregex"
)

// perceptron is prose's averaged-perceptron tagging model in a form that is
// quick to score. prose keeps its weights as a map from feature name to a
// map from tag to weight, builds a map of feature names for every word and
// adds into a map of scores. Here a feature's weights are found without
// building its name: one lookup per word of a sentence gives the word's
// features at every distance from the word tagged, the tag prose may fix
// for it and the features of its last three bytes; the features of the two
// tags before, and the bias, are summed ahead into one row per pair of
// tags. The weights are prose's (prose.Asset hands out the model files it
// embeds, gob-encoded), and every one is a multiple of 0.001, so they are
// kept as integer thousandths: sums are exact, and the highest sum is the
// tag prose's floating-point sums pick. Where two tags tie exactly, prose's
// choice depends on the order it walks its maps in, which Go randomizes;
// here the tag first in prose's class list wins.
type perceptron struct {
	labels  []string // tag of each label, in prose's class order
	labelID []int32  // tag id (below) of each label
	ws      []int32  // weights of all features: thousandths<<labelBits | label

	// entries holds the words the model knows something of, as written
	// (the tags prose fixes) or as normalized (their features).
	entries  map[string]int32
	entryFs  []entry
	after    []afterTag       // entry.after indexes it
	fixed    []fixedTag       // entry.fixed indexes it
	suffixes map[string]int32 // last three bytes of words with features
	suffixFs [][3]span        // "i suffix", "i-1 suffix", "i+1 suffix"
	pref1    [256]span        // "i pref1 <first byte as a rune>"

	// Tag ids: the tags the feature names mention, 0 to nt-1; nt stands
	// for any other tag. pairRows[(p1*(nt+1)+p2)*len(labels):] is the bias
	// plus the features of tag p1 before the word and p2 before that
	// ("i-1 tag", "i-2 tag", "i tag+i-2 tag"), and pairSeen the labels
	// those features name.
	tagIDs   map[string]int32
	nt       int32
	pairRows []int32
	pairSeen []uint64

	startID, start2ID, dashID, symID, nnID, noneID int32
	// The entries and suffix features of prose's start and end markers.
	marks [4]struct{ entry, suffix int32 }
}

// fspan is where a feature's weights are in perceptron.ws while the model
// is built; n is 0 for a feature the model does not have.
type fspan struct{ off, n uint32 }

// span is an fspan packed for scoring: off<<8 | n.
type span uint32

func (sp fspan) packed() span { return span(sp.off<<8 | sp.n) }

// entry is wordEntry packed for scoring: two to a cache line.
type entry struct {
	at     [5]span
	suffix int32  // suffixFs index, -1 for none
	fixed  int32  // fixed index, -1 for none
	after  uint32 // first<<8 | count of its afterTag
}

// fixedTag is a tag prose gives a word without the perceptron, with its
// tag id.
type fixedTag struct {
	tag string
	id  int32
}

type afterTag struct {
	tag int32
	sp  span
}

// maxRow bounds the labels of a feature and maxWeights the weights of the
// model, as span packs them.
const (
	maxRow     = 1<<8 - 1
	maxWeights = 1<<24 - 1
)

// wordEntry is what the model knows of one word: its features as the word
// two before the one tagged, one before, the word itself, one after, two
// after ("i-2 word" to "i+2 word"), the features of its last three bytes,
// the word itself after each tag ("i-1 tag+i word"), and the tag prose
// gives it without the perceptron.
type wordEntry struct {
	at       [5]fspan
	suffix   int32 // suffixFs index, -1 for none
	afterTag []tagSpan
	fixed    string
	hasFixed bool
}

type tagSpan struct {
	tag  int32
	span fspan
}

// suffixFeats are the features of the last three bytes of a word: of the
// word tagged as written ("i suffix"), of the word before and of the word
// after as normalized ("i-1 suffix", "i+1 suffix").
type suffixFeats struct{ self, prev, next fspan }

const (
	// labelBits packs a label into the low bits of a weight; the labels a
	// position scores are kept in one uint64.
	labelBits = 6
	maxLabels = 1 << labelBits
)

// loadPerceptron decodes prose's embedded tagging model.
func loadPerceptron() (*perceptron, error) {
	var (
		weights map[string]map[string]float64
		tagMap  map[string]string
		classes []string
	)
	for _, f := range []struct {
		name string
		v    any
	}{{"classes.gob", &classes}, {"tags.gob", &tagMap}, {"weights.gob", &weights}} {
		b, err := prose.Asset("model/AveragedPerceptron/" + f.name)
		if err != nil {
			return nil, fmt.Errorf("prose's tagging model: %w", err)
		}
		if err := gob.NewDecoder(bytes.NewReader(b)).Decode(f.v); err != nil {
			return nil, fmt.Errorf("prose's tagging model %s: %w", f.name, err)
		}
	}
	p := &perceptron{entries: map[string]int32{}, suffixes: map[string]int32{}, tagIDs: map[string]int32{}}
	index := map[string]int32{}
	label := func(tag string) (int32, error) {
		if i, ok := index[tag]; ok {
			return i, nil
		}
		if len(p.labels) == maxLabels {
			return 0, fmt.Errorf("prose's tagging model: more than %d tags", maxLabels)
		}
		index[tag] = int32(len(p.labels))
		p.labels = append(p.labels, tag)
		return index[tag], nil
	}
	for _, c := range classes {
		if _, err := label(c); err != nil {
			return nil, err
		}
	}
	tagID := func(tag string) int32 {
		if id, ok := p.tagIDs[tag]; ok {
			return id
		}
		id := int32(len(p.tagIDs))
		p.tagIDs[tag] = id
		return id
	}
	// The model as built, before packing.
	var (
		entryFs  []wordEntry
		suffixFs []suffixFeats
		pref1    [256]fspan
	)
	entry := func(w string) *wordEntry {
		i, ok := p.entries[w]
		if !ok {
			i = int32(len(entryFs))
			p.entries[w] = i
			entryFs = append(entryFs, wordEntry{suffix: -1})
		}
		return &entryFs[i]
	}
	suffix := func(s string) *suffixFeats {
		i, ok := p.suffixes[s]
		if !ok {
			i = int32(len(suffixFs))
			p.suffixes[s] = i
			suffixFs = append(suffixFs, suffixFeats{})
		}
		return &suffixFs[i]
	}
	type tagged struct {
		a, b int32
		sp   fspan
	}
	var bias fspan
	var prev, prev2, pairs []tagged
	for feat, row := range weights {
		if len(row) == 0 {
			continue
		}
		off := uint32(len(p.ws))
		for tag, w := range row {
			l, err := label(tag)
			if err != nil {
				return nil, err
			}
			milli := math.Round(w * 1000)
			if milli/1000 != w || math.Abs(milli) >= 1<<24 {
				return nil, fmt.Errorf("prose's tagging model: weight %v of %q is not in thousandths", w, feat)
			}
			p.ws = append(p.ws, int32(milli)<<labelBits|l)
		}
		sp := fspan{off, uint32(len(p.ws)) - off}
		// prose names a feature "<template> <part> [<part>]"; tags hold no
		// space, so a name splits one way only. Names prose never builds
		// are left out: they never fire.
		tmpl, rest, _ := strings.Cut(feat, " ")
		if tmpl != "bias" {
			// Every other template is two words or more ("i-1 tag").
			var second string
			second, rest, _ = strings.Cut(rest, " ")
			tmpl += " " + second
		}
		switch tmpl {
		case "bias":
			if feat == "bias" {
				bias = sp
			}
		case "i suffix":
			suffix(rest).self = sp
		case "i-1 suffix":
			suffix(rest).prev = sp
		case "i+1 suffix":
			suffix(rest).next = sp
		case "i-2 word":
			entry(rest).at[0] = sp
		case "i-1 word":
			entry(rest).at[1] = sp
		case "i word":
			entry(rest).at[2] = sp
		case "i+1 word":
			entry(rest).at[3] = sp
		case "i+2 word":
			entry(rest).at[4] = sp
		case "i pref1":
			if r, n := utf8.DecodeRuneInString(rest); n == len(rest) && r < 256 && string(rune(r)) == rest {
				pref1[r] = sp
			}
		case "i-1 tag":
			prev = append(prev, tagged{tagID(rest), 0, sp})
		case "i-2 tag":
			prev2 = append(prev2, tagged{tagID(rest), 0, sp})
		case "i tag+i-2":
			// "i tag+i-2 tag T1 T2"
			if r, ok := strings.CutPrefix(rest, "tag "); ok {
				if t1, t2, ok := strings.Cut(r, " "); ok && !strings.Contains(t2, " ") {
					pairs = append(pairs, tagged{tagID(t1), tagID(t2), sp})
				}
			}
		case "i-1 tag+i":
			// "i-1 tag+i word T W"
			if r, ok := strings.CutPrefix(rest, "word "); ok {
				if t, w, ok := strings.Cut(r, " "); ok {
					e := entry(w)
					e.afterTag = append(e.afterTag, tagSpan{tagID(t), sp})
				}
			}
		}
	}
	for w, tag := range tagMap {
		e := entry(w)
		e.fixed, e.hasFixed = tag, true
	}
	for w, i := range p.entries {
		if s, ok := p.suffixes[w[len(w)-min(len(w), 3):]]; ok {
			entryFs[i].suffix = s
		}
	}
	// The rows of tag pairs: nt+1 tags (the last any other) squared, by
	// the number of labels.
	p.nt = int32(len(p.tagIDs))
	if p.nt > 1<<10 {
		return nil, fmt.Errorf("prose's tagging model: %d tags in feature names", p.nt)
	}
	nl := int32(len(p.labels))
	rows := make([][]fspan, (p.nt+1)*(p.nt+1))
	for a := range p.nt + 1 {
		for b := range p.nt + 1 {
			rows[a*(p.nt+1)+b] = []fspan{bias}
		}
	}
	for _, t := range prev {
		for b := range p.nt + 1 {
			r := &rows[t.a*(p.nt+1)+b]
			*r = append(*r, t.sp)
		}
	}
	for _, t := range prev2 {
		for a := range p.nt + 1 {
			r := &rows[a*(p.nt+1)+t.a]
			*r = append(*r, t.sp)
		}
	}
	for _, t := range pairs {
		r := &rows[t.a*(p.nt+1)+t.b]
		*r = append(*r, t.sp)
	}
	p.pairRows = make([]int32, int32(len(rows))*nl)
	p.pairSeen = make([]uint64, len(rows))
	for i, spans := range rows {
		row := p.pairRows[int32(i)*nl:]
		for _, sp := range spans {
			for _, v := range p.ws[sp.off : sp.off+sp.n] {
				row[v&(maxLabels-1)] += v >> labelBits
				p.pairSeen[i] |= 1 << (v & (maxLabels - 1))
			}
		}
	}
	p.labelID = make([]int32, nl)
	for l, tag := range p.labels {
		p.labelID[l] = p.tagOf(tag)
	}
	// The rows summed into pairRows are left behind here.
	if err := p.pack(entryFs, suffixFs, &pref1); err != nil {
		return nil, err
	}
	p.startID, p.start2ID = p.tagOf("-START-"), p.tagOf("-START2-")
	p.dashID, p.symID, p.nnID, p.noneID = p.tagOf("-"), p.tagOf("SYM"), p.tagOf("NN"), p.tagOf("-NONE-")
	for k, m := range []string{"-START-", "-START2-", "-END-", "-END2-"} {
		p.marks[k].entry, p.marks[k].suffix = p.lookup(m)
	}
	return p, nil
}

// pack lays the model out for scoring. The weights of each word's
// features go side by side, and those of each suffix: scoring a sentence
// reads a word's features at the five distances from five successive words
// tagged, so they are then in the cache together.
func (p *perceptron) pack(entryFs []wordEntry, suffixFs []suffixFeats, pref1 *[256]fspan) error {
	ws := make([]int32, 0, len(p.ws))
	var err error
	move := func(sp fspan) span {
		if sp.n > maxRow || len(ws)+int(sp.n) > maxWeights {
			err = fmt.Errorf("prose's tagging model: %d weights, a feature with %d", len(p.ws), sp.n)
		}
		off := uint32(len(ws))
		ws = append(ws, p.ws[sp.off:sp.off+sp.n]...)
		return fspan{off, sp.n}.packed()
	}
	p.entryFs = make([]entry, len(entryFs))
	for i := range entryFs {
		e, pe := &entryFs[i], &p.entryFs[i]
		for k := range e.at {
			pe.at[k] = move(e.at[k])
		}
		if len(e.afterTag) > maxRow {
			return fmt.Errorf("prose's tagging model: %d tags before one word", len(e.afterTag))
		}
		pe.after = uint32(len(p.after))<<8 | uint32(len(e.afterTag))
		for _, ts := range e.afterTag {
			p.after = append(p.after, afterTag{ts.tag, move(ts.span)})
		}
		pe.suffix, pe.fixed = e.suffix, -1
		if e.hasFixed {
			pe.fixed = int32(len(p.fixed))
			p.fixed = append(p.fixed, fixedTag{e.fixed, p.tagOf(e.fixed)})
		}
	}
	p.suffixFs = make([][3]span, len(suffixFs))
	for i, f := range suffixFs {
		p.suffixFs[i] = [3]span{move(f.self), move(f.prev), move(f.next)}
	}
	for b := range pref1 {
		p.pref1[b] = move(pref1[b])
	}
	if len(p.after) > maxWeights {
		return fmt.Errorf("prose's tagging model: %d word and tag features", len(p.after))
	}
	p.ws = ws
	return err
}

// tagOf is the id of a tag, nt for a tag no feature names.
func (p *perceptron) tagOf(tag string) int32 {
	if id, ok := p.tagIDs[tag]; ok {
		return id
	}
	return p.nt
}

// lookup returns the entry of a normalized word and the features of its
// last three bytes, -1 for none.
func (p *perceptron) lookup(w string) (entry, suffix int32) {
	if i, ok := p.entries[w]; ok {
		return i, p.entryFs[i].suffix
	}
	if s, ok := p.suffixes[w[len(w)-min(len(w), 3):]]; ok {
		return -1, s
	}
	return -1, -1
}

// Rules prose applies ahead of the perceptron.
var (
	noneRE = regexp.MustCompile(`^(?:0|\*[\w?]\*|\*\-\d{1,3}|\*[A-Z]+\*\-\d{1,3}|\*)$`)
	keepRE = regexp.MustCompile(`^\-[A-Z]{3}\-$`)
)

// tag gives each of prose's tokens of a sentence its tag, as prose's
// perceptronTagger.tag does, and counts the words where the perceptron's
// best tags tied (where prose's own choice is a coin toss).
// tags and at are scratch space, returned for reuse.
func (p *perceptron) tag(words, tags []string, at []int32) (_ []string, ties int, _ []int32) {
	n := len(words)
	tags = slices.Grow(tags[:0], n)[:n]
	// prose's context is the normalized words between two start and two
	// end markers: the entry and suffix features of each, and of each
	// word as written the entry (for its fixed tag) and the suffix.
	at = slices.Grow(at[:0], 4*(n+4))[:4*(n+4)]
	wordAt, sufAt, rawAt, rawSuf := at[:n+4], at[n+4:2*(n+4)], at[2*(n+4):3*(n+4)], at[3*(n+4):]
	for k, c := range []int{0, 1, n + 2, n + 3} {
		wordAt[c], sufAt[c] = p.marks[k].entry, p.marks[k].suffix
	}
	var buf []byte
	for i, w := range words {
		buf = appendNormalized(buf[:0], w)
		k := i + 2
		if i, ok := p.entries[string(buf)]; ok {
			wordAt[k], sufAt[k] = i, p.entryFs[i].suffix
		} else {
			wordAt[k], sufAt[k] = p.lookup(string(buf))
		}
		if string(buf) == w {
			rawAt[k], rawSuf[k] = wordAt[k], sufAt[k]
			continue
		}
		if i, ok := p.entries[w]; ok {
			rawAt[k], rawSuf[k] = i, p.entryFs[i].suffix
		} else if suffix3(w) == suffix3(string(buf)) {
			rawAt[k], rawSuf[k] = -1, sufAt[k]
		} else {
			rawAt[k], rawSuf[k] = p.lookup(w)
		}
	}
	p1, p2 := p.startID, p.start2ID
	for i, w := range words {
		var tag string
		var id int32
		switch {
		case w == "-":
			tag, id = "-", p.dashID
		case isEmoticon(w):
			tag, id = "SYM", p.symID
		// The link pattern needs a dot and the e-mail pattern an @: the
		// checks only run the expressions where they can match.
		case strings.HasPrefix(w, "@"),
			strings.IndexByte(w, '.') >= 0 && commonregex.LinkRegex.MatchString(w),
			strings.IndexByte(w, '@') >= 0 && commonregex.EmailRegex.MatchString(w):
			tag, id = "NN", p.nnID
		case (w == "0" || strings.HasPrefix(w, "*")) && noneRE.MatchString(w):
			tag, id = "-NONE-", p.noneID
		case len(w) == 5 && w[0] == '-' && keepRE.MatchString(w):
			tag, id = w, p.tagOf(w)
		default:
			if r := rawAt[i+2]; r >= 0 && p.entryFs[r].fixed >= 0 {
				f := p.fixed[p.entryFs[r].fixed]
				tag, id = f.tag, f.id
				break
			}
			l, tie := p.predict(i+2, wordAt, sufAt, rawSuf[i+2], w, p1, p2)
			if tie {
				ties++
			}
			tag, id = "", p.nt
			if l >= 0 {
				tag, id = p.labels[l], p.labelID[l]
			}
		}
		tags[i] = tag
		p2, p1 = p1, id
	}
	return tags, ties, at
}

// predict scores prose's features of word w at context position c (the
// suffix features of w as written in suf, tag ids p1 and p2 before it) and
// returns the best label, -1 if no feature fired, and whether another
// label had the same score.
func (p *perceptron) predict(c int, wordAt, sufAt []int32, suf int32, w string, p1, p2 int32) (int, bool) {
	nl := len(p.labels)
	pair := int(p1*(p.nt+1) + p2)
	var scores [maxLabels]int32
	copy(scores[:nl], p.pairRows[pair*nl:])
	seen := p.pairSeen[pair]
	add := func(sp span) {
		off := uint32(sp >> 8)
		for _, v := range p.ws[off : off+uint32(sp&maxRow)] {
			scores[v&(maxLabels-1)] += v >> labelBits
			seen |= 1 << (v & (maxLabels - 1))
		}
	}
	if w != "" {
		if suf >= 0 {
			add(p.suffixFs[suf][0])
		}
		// prose converts the first byte, not the first rune, to a string.
		add(p.pref1[w[0]])
	}
	if i := wordAt[c]; i >= 0 {
		e := &p.entryFs[i]
		add(e.at[2])
		if p1 < p.nt {
			first := e.after >> 8
			for _, ts := range p.after[first : first+e.after&maxRow] {
				if ts.tag == p1 {
					add(ts.sp)
					break
				}
			}
		}
	}
	if i := wordAt[c-1]; i >= 0 {
		add(p.entryFs[i].at[1])
	}
	if i := sufAt[c-1]; i >= 0 {
		add(p.suffixFs[i][1])
	}
	if i := wordAt[c-2]; i >= 0 {
		add(p.entryFs[i].at[0])
	}
	if i := wordAt[c+1]; i >= 0 {
		add(p.entryFs[i].at[3])
	}
	if i := sufAt[c+1]; i >= 0 {
		add(p.suffixFs[i][2])
	}
	if i := wordAt[c+2]; i >= 0 {
		add(p.entryFs[i].at[4])
	}
	best, tie := -1, false
	for l := range nl {
		if seen&(1<<l) == 0 {
			continue
		}
		switch {
		case best < 0 || scores[l] > scores[best]:
			best, tie = l, false
		case scores[l] == scores[best]:
			tie = true
		}
	}
	return best, tie
}

// suffix3 is the last three bytes of s (prose cuts bytes, not runes).
func suffix3(s string) string {
	return s[len(s)-min(len(s), 3):]
}

// appendNormalized appends prose's normalization of w to buf: hyphenated
// words, four-digit numbers and words starting with a digit become one
// symbol each; other words are lower-cased.
func appendNormalized(buf []byte, w string) []byte {
	if w == "" {
		return buf
	}
	if strings.Contains(w, "-") && w[0] != '-' {
		return append(buf, "!HYPHEN"...)
	} else if len(w) == 4 && isAtoi(w) {
		return append(buf, "!YEAR"...)
	} else if w[0] >= '0' && w[0] <= '9' {
		return append(buf, "!DIGITS"...)
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 {
			// Not ASCII: strings.ToLower's own rules (and allocation).
			return append(buf, strings.ToLower(w)...)
		}
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// isAtoi reports whether strconv.Atoi reads w (without the error value
// Atoi allocates for every word that is not a number).
func isAtoi(w string) bool {
	if w != "" && (w[0] == '+' || w[0] == '-') {
		w = w[1:]
	}
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}

func isEmoticon(w string) bool {
	_, ok := emoticons[w]
	return ok
}

// emoticons are the tokens prose tags SYM.
var emoticons = map[string]struct{}{
	"(-8": {}, "(-;": {}, "(-_-)": {}, "(._.)": {}, "(:": {}, "(=": {}, "(o:": {},
	"(¬_¬)": {}, "(ಠ_ಠ)": {}, "(╯°□°）╯︵┻━┻": {}, "-__-": {}, "8-)": {}, "8-D": {},
	"8D": {}, ":(": {}, ":((": {}, ":(((": {}, ":()": {}, ":)))": {}, ":-)": {},
	":-))": {}, ":-)))": {}, ":-*": {}, ":-/": {}, ":-X": {}, ":-]": {}, ":-o": {},
	":-p": {}, ":-x": {}, ":-|": {}, ":-}": {}, ":0": {}, ":3": {}, ":P": {},
	":]": {}, ":`(": {}, ":`)": {}, ":`-(": {}, ":o": {}, ":o)": {}, "=(": {},
	"=)": {}, "=D": {}, "=|": {}, "@_@": {}, "O.o": {}, "O_o": {}, "V_V": {},
	"XDD": {}, "[-:": {}, "^___^": {}, "o_0": {}, "o_O": {}, "o_o": {}, "v_v": {},
	"xD": {}, "xDD": {}, `¯\(ツ)/¯`: {},
}
