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
		ss.cues, ss.cuesDone = lx.findCues(ss.toks), true
	}
	return ss.cues
}

// cue is one position cue found in a sentence: tokens [i, j), after
// negation and chaining are applied.
type cue struct {
	i, j    int
	kind    string
	noun    bool   // read as a noun: its holder is a possessive before it
	text    string // as written
	negated bool
	weak    bool
}

var negators = map[string]bool{"not": true, "never": true, "no": true, "unwilling": true, "nor": true, "cannot": true}

// chainers are words that may stand between two cues of one predicate:
// "refused to rule out", "is not willing to give up".
var chainers = map[string]bool{"to": true, "be": true, "even": true, "ever": true, "consider": true, "fully": true, "any": true, "on": true, "that": true, "there": true}

var weakCues = map[string]bool{"must": true, "need": true, "needs": true, "have to": true, "has to": true, "would have to": true, "expects": true, "expected": true, "plan": true, "plans": true, "aim": true, "aims": true, "hope for": true, "hopes for": true, "propose": true, "proposes": true, "proposed": true, "proposal": true, "offer": true, "offers": true, "offered": true}

// findCues finds the cues of a sentence, left to right, with chains such as
// "refused to rule out" folded into one cue of the combined kind.
func (lx *Lexicon) findCues(toks []token) []cue {
	var raw []cue
	for i := 0; i < len(toks); {
		ms := lx.cues.at(toks, i)
		if len(ms) == 0 {
			if cs := lx.concessions.at(toks, i); len(cs) > 0 {
				raw = append(raw, cue{i: i, j: cs[0].j, kind: "concession"})
				i = cs[0].j
				continue
			}
			i++
			continue
		}
		best := ms[0]
		c := cue{i: i, j: best.j, kind: best.value.(cueRef).kind}
		nounOK, verbOK := false, false
		for _, m := range ms {
			if m.j != best.j {
				continue
			}
			if m.value.(cueRef).noun {
				nounOK = true
			} else {
				verbOK = true
			}
		}
		switch {
		case nounOK && !verbOK:
			c.noun = true
		case nounOK && verbOK:
			c.noun = nounContext(toks, i)
		}
		if !c.noun && i > 0 && adjectiveBefore[toks[i-1].norm] && strings.HasSuffix(toks[i].norm, "ed") {
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
		raw[k].negated = negatedAt(toks, raw[k].i, lo)
		raw[k].text = spanText(toks, raw[k].i, raw[k].j)
		raw[k].weak = weakCues[strings.ToLower(raw[k].text)]
	}
	// Fold chains: a cue followed closely by another cue of the same
	// predicate ("refused to rule out", "willing to give up"). A negator
	// inside the head ("insists on no") does not negate the follower again.
	var out []cue
	for k := 0; k < len(raw); k++ {
		c := raw[k]
		for k+1 < len(raw) && chained(toks, c.j, raw[k+1].i) {
			n := raw[k+1]
			c.kind = chainKind(c.kind, n.kind, negatedAt(toks, n.i, c.j))
			c.j = n.j
			c.text = spanText(toks, c.i, c.j)
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
			if k := negatorAt(toks, c.i, max(0, c.i-6)); k >= 0 {
				c.text = spanText(toks, k, c.j)
			}
		}
		out = append(out, c)
	}
	return out
}

// chained reports whether tokens [from, to) join two cues into one predicate.
func chained(toks []token, from, to int) bool {
	if to-from > 3 {
		return false
	}
	for k := from; k < to; k++ {
		if !chainers[toks[k].norm] && !negators[toks[k].norm] {
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

// auxiliaries are the words that may stand between a negator and its verb
// without counting against the window: "no signal they are willing".
var auxiliaries = map[string]bool{"is": true, "are": true, "was": true, "were": true, "be": true, "been": true, "has": true, "have": true, "had": true, "will": true, "would": true, "could": true, "can": true, "may": true, "might": true, "should": true, "shall": true, "do": true, "does": true, "did": true, "it": true, "they": true, "he": true, "she": true, "we": true, "i": true, "still": true, "yet": true, "so": true, "far": true, "also": true}

// negatedAt reports whether the cue at token i is negated by a negator
// among the three words before it (auxiliaries and pronouns not counted),
// within its clause and at or after token lo.
func negatedAt(toks []token, i, lo int) bool { return negatorAt(toks, i, lo) >= 0 }

// negatorAt returns the token index of the negator of the cue at token i,
// or -1; see negatedAt.
func negatorAt(toks []token, i, lo int) int {
	words := 0
	for k := i - 1; k >= lo && words < 3; k-- {
		t := toks[k].norm
		if negators[t] {
			return k
		}
		if t == "longer" && k > 0 && toks[k-1].norm == "no" {
			return k - 1
		}
		if isClauseBreak(toks[k]) || t == "but" || t == "," {
			return -1
		}
		if !auxiliaries[t] {
			words++
		}
	}
	return -1
}

// adjectiveBefore are words after which a participle is an adjective.
var adjectiveBefore = map[string]bool{"the": true, "a": true, "an": true, "its": true, "their": true, "his": true, "her": true, "this": true, "these": true, "those": true, "'s": true}

var determiners = map[string]bool{"the": true, "a": true, "an": true, "these": true, "those": true, "such": true, "any": true, "all": true, "its": true, "his": true, "her": true, "their": true, "our": true, "my": true, "'s": true, "of": true, "main": true, "key": true, "core": true, "initial": true, "six": true, "new": true, "latest": true, "maximalist": true, "this": true, "that": true, "some": true}

// nounContext reports whether a cue that can be a verb or a noun ("demands",
// "offer") reads as a noun at token i: after a determiner or a possessive.
func nounContext(toks []token, i int) bool {
	return i > 0 && determiners[toks[i-1].norm]
}

func isClauseBreak(t token) bool {
	switch t.norm {
	case ";", ":", "—", "–", "(", ")":
		return true
	}
	return false
}

func spanText(toks []token, i, j int) string {
	if i >= j {
		return ""
	}
	var b strings.Builder
	for k := i; k < j; k++ {
		if k > i && toks[k].start > toks[k-1].end {
			b.WriteByte(' ')
		}
		b.WriteString(toks[k].text)
	}
	return b.String()
}
