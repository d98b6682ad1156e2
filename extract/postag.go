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
	"strconv"
	"strings"

	"github.com/jdkato/prose/v2"
	"github.com/mingrammer/commonregex"
)

// perceptron is prose's averaged-perceptron tagging model in a form that is
// quick to score. prose keeps its weights as a map from feature to a map
// from tag to weight, builds a map of features for every word and adds into
// a map of scores; here a feature is one lookup into a flat list of (tag,
// weight) pairs and the scores are an array. The weights are prose's
// (prose.Asset hands out the model files it embeds, gob-encoded), and
// every one of them is a multiple of 0.001, so they are kept as integer
// thousandths: sums are exact, and the highest sum is the tag prose's
// floating-point sums pick. Where two tags tie exactly, prose's choice
// depends on the order it walks its maps in, which Go randomizes; here the
// tag first in prose's class list wins.
type perceptron struct {
	labels []string          // tag of each label index, in prose's class order
	feats  map[string]fspan  // feature name as prose writes it → its weights
	ws     []labelWeight     // the weights of all features, feature by feature
	tagMap map[string]string // words prose tags without the perceptron
}

type fspan struct{ off, n uint32 }

type labelWeight struct {
	label uint8
	w     int32 // weight in thousandths
}

// maxLabels bounds the tag set: the labels a sentence position scores are
// kept in one uint64.
const maxLabels = 64

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
	p := &perceptron{feats: make(map[string]fspan, len(weights)), tagMap: tagMap}
	index := map[string]uint8{}
	label := func(tag string) (uint8, error) {
		if i, ok := index[tag]; ok {
			return i, nil
		}
		if len(p.labels) == maxLabels {
			return 0, fmt.Errorf("prose's tagging model: more than %d tags", maxLabels)
		}
		index[tag] = uint8(len(p.labels))
		p.labels = append(p.labels, tag)
		return index[tag], nil
	}
	for _, c := range classes {
		if _, err := label(c); err != nil {
			return nil, err
		}
	}
	for feat, row := range weights {
		off := uint32(len(p.ws))
		for tag, w := range row {
			l, err := label(tag)
			if err != nil {
				return nil, err
			}
			milli := math.Round(w * 1000)
			if milli/1000 != w || math.Abs(milli) > math.MaxInt32/64 {
				return nil, fmt.Errorf("prose's tagging model: weight %v of %q is not in thousandths", w, feat)
			}
			p.ws = append(p.ws, labelWeight{l, int32(milli)})
		}
		p.feats[feat] = fspan{off, uint32(len(p.ws)) - off}
	}
	return p, nil
}

// Rules prose applies ahead of the perceptron.
var (
	noneRE = regexp.MustCompile(`^(?:0|\*[\w?]\*|\*\-\d{1,3}|\*[A-Z]+\*\-\d{1,3}|\*)$`)
	keepRE = regexp.MustCompile(`^\-[A-Z]{3}\-$`)
)

// tag gives each of prose's tokens of a sentence its tag, as prose's
// perceptronTagger.tag does, and counts the words where the perceptron's
// best tags tied (where prose's own choice is a coin toss).
func (p *perceptron) tag(words []string) (tags []string, ties int) {
	n := len(words)
	out := make([]string, n)
	ctx := make([]string, n+4)
	ctx[0], ctx[1] = "-START-", "-START2-"
	for i, w := range words {
		ctx[i+2] = normalizeWord(w)
	}
	ctx[n+2], ctx[n+3] = "-END-", "-END2-"
	p1, p2 := "-START-", "-START2-"
	var key []byte
	for i, w := range words {
		var tag string
		var found bool
		switch {
		case w == "-":
			tag = "-"
		case isEmoticon(w):
			tag = "SYM"
		// The link pattern needs a dot and the e-mail pattern an @: the
		// checks only run the expressions where they can match.
		case strings.HasPrefix(w, "@"),
			strings.IndexByte(w, '.') >= 0 && commonregex.LinkRegex.MatchString(w),
			strings.IndexByte(w, '@') >= 0 && commonregex.EmailRegex.MatchString(w):
			tag = "NN"
		case (w == "0" || strings.HasPrefix(w, "*")) && noneRE.MatchString(w):
			tag = "-NONE-"
		case len(w) == 5 && w[0] == '-' && keepRE.MatchString(w):
			tag = w
		default:
			if tag, found = p.tagMap[w]; !found {
				var tie bool
				tag, tie, key = p.predict(key, i+2, ctx, w, p1, p2)
				if tie {
					ties++
				}
			}
		}
		out[i] = tag
		p2, p1 = p1, tag
	}
	return out, ties
}

// predict scores prose's features of word w at ctx[i] and returns the best
// tag and whether another tag had the same score. key is scratch space for
// feature names, returned for reuse.
func (p *perceptron) predict(key []byte, i int, ctx []string, w, p1, p2 string) (string, bool, []byte) {
	var scores [maxLabels]int64
	var seen uint64
	add := func(parts ...string) {
		key = key[:0]
		for k, s := range parts {
			if k > 0 {
				key = append(key, ' ')
			}
			key = append(key, s...)
		}
		sp, ok := p.feats[string(key)]
		if !ok {
			return
		}
		for _, lw := range p.ws[sp.off : sp.off+sp.n] {
			scores[lw.label] += int64(lw.w)
			seen |= 1 << lw.label
		}
	}
	add("bias")
	if w != "" {
		add("i suffix", suffix3(w))
		// prose converts the first byte, not the first rune, to a string.
		add("i pref1", string(rune(w[0])))
	}
	add("i-1 tag", p1)
	add("i-2 tag", p2)
	add("i tag+i-2 tag", p1, p2)
	add("i word", ctx[i])
	add("i-1 tag+i word", p1, ctx[i])
	add("i-1 word", ctx[i-1])
	add("i-1 suffix", suffix3(ctx[i-1]))
	add("i-2 word", ctx[i-2])
	add("i+1 word", ctx[i+1])
	add("i+1 suffix", suffix3(ctx[i+1]))
	add("i+2 word", ctx[i+2])
	best, tie := -1, false
	for l := range p.labels {
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
	if best < 0 {
		return "", false, key
	}
	return p.labels[best], tie, key
}

// suffix3 is the last three bytes of s (prose cuts bytes, not runes).
func suffix3(s string) string {
	return s[len(s)-min(len(s), 3):]
}

// normalizeWord is prose's normalize: hyphenated words, four-digit numbers
// and words starting with a digit become one symbol each; other words are
// lower-cased.
func normalizeWord(w string) string {
	if w == "" {
		return w
	}
	first := string(rune(w[0]))
	if strings.Contains(w, "-") && first != "-" {
		return "!HYPHEN"
	} else if _, err := strconv.Atoi(w); err == nil && len(w) == 4 {
		return "!YEAR"
	} else if w[0] >= '0' && w[0] <= '9' {
		return "!DIGITS"
	}
	return strings.ToLower(w)
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
