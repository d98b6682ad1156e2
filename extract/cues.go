package extract

// Claim rules: cues. The words that make a sentence state a demand, a red
// line or an offer, found with the lexicon, with chains ("refused to rule
// out") folded into one cue and negation applied to its kind.

import (
	"strings"
)

// sentenceCues returns the sentence's cues, found once.
func (lx *Lexicon) sentenceCues(ss *sentenceState) []cue {
	if !ss.cuesDone {
		ss.cues, ss.cuesDone = lx.findCues(ss.text, ss.toks), true
	}
	return ss.cues
}

// cue is one position cue found in a sentence: tokens [i, j), after
// negation and chaining are applied.
type cue struct {
	i, j    int
	kind    string
	noun    bool   // read as a noun: its holder is a possessive before it
	text    string // its words, single-spaced (a feature of the model)
	from    int    // the token its text starts at: i, or a negator before it
	negated bool
	weak    bool // a cue marked ~ in the lexicon ("must", "plans")
}

// findCues finds the cues of a sentence, left to right, with chains such as
// "refused to rule out" folded into one cue of the combined kind. toks are
// the tokens of text.
func (lx *Lexicon) findCues(text string, toks []token) []cue {
	var raw []cue
	var buf, cbuf [4]match
	for i := 0; i < len(toks); {
		ms := lx.cues.appendAt(buf[:0], toks, i)
		if len(ms) == 0 {
			if cs := lx.concessions.appendAt(cbuf[:0], toks, i); len(cs) > 0 {
				raw = append(raw, cue{i: i, j: cs[0].j, kind: "concession", weak: cs[0].value.(cueRef).weak})
				i = cs[0].j
				continue
			}
			i++
			continue
		}
		best := ms[0]
		c := cue{i: i, j: best.j, kind: best.value.(cueRef).kind}
		nounOK, verbOK, nounWeak, verbWeak := false, false, false, false
		for _, m := range ms {
			if m.j != best.j {
				continue
			}
			if ref := m.value.(cueRef); ref.noun {
				nounOK, nounWeak = true, nounWeak || ref.weak
			} else {
				verbOK, verbWeak = true, verbWeak || ref.weak
			}
		}
		switch {
		case nounOK && !verbOK:
			c.noun = true
		case nounOK && verbOK:
			c.noun = lx.words.nounContext(toks, i)
		}
		c.weak = verbWeak
		if c.noun {
			c.weak = nounWeak
		}
		if !c.noun && i > 0 && toks[i-1].is(wcAdjectiveBefore) && strings.HasSuffix(toks[i].norm, "ed") {
			i = best.j // "the proposed land swap", "the required reforms"
			continue
		}
		raw = append(raw, c)
		i = best.j
	}
	for k := range raw {
		lo := 0
		if k > 0 {
			lo = raw[k-1].j // "has not demanded the return of…": "not" is the demand's
		}
		raw[k].negated = lx.words.negatedAt(toks, raw[k].i, lo)
		raw[k].text, raw[k].from = spanText(text, toks, raw[k].i, raw[k].j), raw[k].i
	}
	// Fold chains: a cue followed closely by another cue of the same
	// predicate ("refused to rule out", "willing to give up"). A negator
	// inside the head ("insists on no") does not negate the follower again.
	var out []cue
	for k := 0; k < len(raw); k++ {
		c := raw[k]
		for k+1 < len(raw) && lx.words.chained(toks, c.j, raw[k+1].i) {
			n := raw[k+1]
			c.kind = chainKind(c.kind, n.kind, lx.words.negatedAt(toks, n.i, c.j))
			c.j = n.j
			c.text = spanText(text, toks, c.i, c.j)
			c.weak = c.weak && n.weak
			k++
		}
		kind, ok := applyNegation(c.kind, c.negated)
		if !ok {
			continue
		}
		c.kind = kind
		if c.negated {
			// Show the negation with the cue: "will never accept", not "accept".
			if k := lx.words.negatorAt(toks, c.i, max(0, c.i-6)); k >= 0 {
				c.text, c.from = spanText(text, toks, k, c.j), k
			}
		}
		out = append(out, c)
	}
	return out
}

// chained reports whether tokens [from, to) join two cues into one predicate.
func (w *words) chained(toks []token, from, to int) bool {
	if to-from > 3 {
		return false
	}
	for k := from; k < to; k++ {
		if !toks[k].is(wcChainer | wcNegator) {
			return false
		}
	}
	return true
}

// chainKind combines the kind of a cue with the one that completes it.
func chainKind(first, next string, nextNegated bool) string {
	if nextNegated && (next == KindOffer || next == "concession") {
		next = KindRedLine
	}
	switch first {
	case KindRedLine:
		if next == KindRedLine {
			return KindOffer // "refused to rule out"
		}
		return KindRedLine // "refuses to accept"
	case KindOffer:
		if next == KindRedLine {
			return KindRedLine
		}
		return KindOffer // "ready to accept"
	case "concession":
		return next
	}
	if next == KindRedLine {
		return KindRedLine // "insists that there can be no…"
	}
	return first // a demand keeps its kind: its complement is the content
}

// applyNegation gives the kind of a negated cue, or false when the negated
// cue states no position ("has not demanded").
func applyNegation(kind string, negated bool) (string, bool) {
	if !negated {
		if kind == "concession" {
			return "", false // plain concessions are content, not cues
		}
		return kind, true
	}
	switch kind {
	case KindOffer, "concession":
		return KindRedLine, true // "not willing to", "will not cede"
	case KindRedLine:
		return KindOffer, true // "did not rule out"
	}
	return "", false
}

// negatedAt reports whether the cue at token i is negated by a negator
// among the three words before it (auxiliaries and pronouns not counted),
// within its clause and at or after token lo.
func (w *words) negatedAt(toks []token, i, lo int) bool { return w.negatorAt(toks, i, lo) >= 0 }

// negatorAt returns the token index of the negator of the cue at token i,
// or -1; see negatedAt.
func (w *words) negatorAt(toks []token, i, lo int) int {
	counted := 0
	for k := i - 1; k >= lo && counted < 3; k-- {
		t := toks[k].norm
		if toks[k].is(wcNegator) {
			return k
		}
		if t == "longer" && k > 0 && toks[k-1].norm == "no" {
			return k - 1
		}
		if isClauseBreak(toks[k]) || t == "but" || t == "," {
			return -1
		}
		if !toks[k].is(wcAuxiliary) {
			counted++
		}
	}
	return -1
}

// nounContext reports whether a cue that can be a verb or a noun ("demands",
// "offer") reads as a noun at token i: after a determiner or a possessive.
func (w *words) nounContext(toks []token, i int) bool {
	return i > 0 && toks[i-1].is(wcDeterminer)
}

func isClauseBreak(t token) bool {
	switch t.norm {
	case ";", ":", "—", "–", "(", ")":
		return true
	}
	return false
}

// written is the cue as the sentence writes it: the text from its first
// token (or the negator before it) to its last, quotation marks and
// spacing included, so that it is found in the claim's sentence
// (text folds those away).
func (c cue) written(ss *sentenceState) string {
	if c.from < 0 || c.j > len(ss.toks) || c.from >= c.j {
		return c.text
	}
	start, end := int(ss.toks[c.from].start), int(ss.toks[c.j-1].end)
	if start < 0 || end > len(ss.text) || start >= end {
		return c.text
	}
	return ss.text[start:end]
}

// spanText returns tokens [i, j) of toks, the tokens of text, as written
// and single-spaced.
func spanText(text string, toks []token, i, j int) string {
	if i >= j {
		return ""
	}
	var b strings.Builder
	for k := i; k < j; k++ {
		if k > i && toks[k].start > toks[k-1].end {
			b.WriteByte(' ')
		}
		b.WriteString(toks[k].textIn(text))
	}
	return b.String()
}
