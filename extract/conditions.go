package extract

// Claim rules: conditions, hedges and clause tests. The condition a
// position is given, the hedges that mark an inferred one, and the tests
// that keep a cue from stating its subject's position: a conditional
// clause, an agentless passive, a noun cue without a holder, and
// coordinated, participle and relative clauses.

import (
	"strings"
)

// inCondition reports whether token i lies in a conditional or temporal
// clause ("if it kept rejecting", "until Moscow agreed"): the marker stands
// before i with no comma or clause break between.
func inCondition(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-8; k-- {
		switch toks[k].norm {
		case "if", "unless", "until", "once", "whether":
			return true
		case ",", ";", ":", "—", "–", "that":
			return false
		}
	}
	return false
}

// agentlessPassive reports whether a verb cue is a passive participle with
// no "by" agent ("Russia would be offered…", "Ukraine was asked to…",
// "Kyiv has been urged to…"): its subject is the addressee, not the holder.
func (w *words) agentlessPassive(toks []token, c cue) bool {
	if c.noun {
		return false
	}
	v := toks[c.i].norm
	if !strings.HasSuffix(v, "ed") && v != "sought" {
		return false
	}
	if toks[c.i].is(wcParticipleAdjective) {
		return false
	}
	k := c.i - 1
	for k >= 0 && (toks[k].norm == "also" || toks[k].norm == "already" || toks[k].norm == "not" || toks[k].norm == "formally" || toks[k].norm == "now" || toks[k].norm == "repeatedly") {
		k--
	}
	return k >= 0 && toks[k].is(wcBeForm)
}

// holderless reports whether a noun cue with no possessive may still take
// the subject of its clause as holder: "Putin maintains maximalist demands"
// but not "a goal enshrined…", "some of the demands…", "create conditions".
func (w *words) holderless(toks []token, c cue) bool {
	if toks[c.j-1].is(wcNeedsHolder) {
		return false
	}
	for k := c.i - 1; k >= 0 && k >= c.i-3; k-- {
		switch toks[k].norm {
		case "a", "an", "the", "some", "any", "these", "those", "such", "of", "on", "with", "about", "no":
			return false
		}
	}
	return true
}

// condition returns the condition a cue at token from is given: the
// conditional clause after it, or else one that opens the sentence ("If
// Moscow keeps refusing a truce, Kyiv will…"), from its marker to the next
// comma, semicolon or the end.
func condition(ss *sentenceState, from int) string {
	if c := conditionAfter(ss, from); c != "" {
		return c
	}
	if k := leadingCondition(ss.toks); k >= 0 && k < from {
		return conditionAfter(ss, k)
	}
	return ""
}

// leadingCondition returns the token of a condition marker that opens the
// sentence (after at most an adverb and a comma), or -1.
func leadingCondition(toks []token) int {
	for k := 0; k < len(toks) && k < 3; k++ {
		switch toks[k].norm {
		case "if", "unless", "provided", "once":
			return k
		}
	}
	return -1
}

func conditionAfter(ss *sentenceState, from int) string {
	toks := ss.toks
	for k := from; k < len(toks); k++ {
		if !toks[k].is(wcConditionStart) {
			continue // no marker starts here
		}
		for _, mk := range ss.words.conditionMarkers {
			if !hasWordsAt(toks, k, mk) {
				continue
			}
			end := len(toks)
			for e := k + len(mk); e < len(toks); e++ {
				if n := toks[e].norm; n == "," || n == ";" || n == "." || n == "—" {
					end = e
					break
				}
			}
			if end-k < 3 {
				continue
			}
			return strings.TrimSpace(ss.text[toks[k].start:toks[end-1].end])
		}
	}
	return ""
}

// hasWordsAt reports whether the words ws stand at token k, in order.
func hasWordsAt(toks []token, k int, ws []string) bool {
	if k+len(ws) > len(toks) {
		return false
	}
	for n, w := range ws {
		if toks[k+n].norm != w {
			return false
		}
	}
	return true
}

// coordinatedClause reports whether tokens [from, to) join a new clause to
// the one before: "…, but would allow", "… and has offered".
func coordinatedClause(toks []token, from, to int) bool {
	for k := from; k < to; k++ {
		switch toks[k].norm {
		case "but", "and", "yet", "while", "although", "though", "whereas":
			return true
		}
	}
	return false
}

// breakBetween reports whether a comma or a clause break stands in
// [from, to): "…called for X, a request Washington dismissed".
func breakBetween(toks []token, from, to int) bool {
	for k := from; k < to && k < len(toks); k++ {
		if toks[k].norm == "," || isClauseBreak(toks[k]) {
			return true
		}
	}
	return false
}

// participleClause reports whether a cue opens a participle clause after a
// comma, which shares the sentence's subject: "…, demanding all troops leave".
func participleClause(toks []token, c cue) bool {
	return c.i > 0 && toks[c.i-1].norm == "," && strings.HasSuffix(toks[c.i].norm, "ing")
}

// relativeBetween reports whether a relative clause starts in [from, to).
func relativeBetween(toks []token, from, to int) bool {
	for k := from; k < to; k++ {
		if relativePronoun(toks[k].norm) {
			return true
		}
	}
	return false
}

func relativePronoun(w string) bool {
	switch w {
	case "which", "who", "whom", "whose", "where":
		return true
	}
	return false
}

// sentenceHedged reports whether a sentence has a hedge, found once: the
// rules and the claim model both ask.
func (lx *Lexicon) sentenceHedged(ss *sentenceState) bool {
	if !ss.hedgedDone {
		ss.hedged, ss.hedgedDone = lx.hedged(ss.toks), true
	}
	return ss.hedged
}

func (lx *Lexicon) hedged(toks []token) bool {
	var buf [4]match
	for i := range toks {
		if len(lx.hedges.appendAt(buf[:0], toks, i)) > 0 {
			return true
		}
	}
	return false
}
