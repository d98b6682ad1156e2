package extract

import "strings"

// Features of the claim model that tell the kinds apart, and a position
// from an event. The spec defines the kinds by what the holder does: a
// demand asks something of another party ("must", "calls on"), a red line
// refuses or deters ("will not", "will face sanctions if…"), an offer
// signals what the holder will do or give ("ready to … if…", "is sending
// weapons"); an ultimatum that orders a step ("…unless Israel allows more
// aid") is a demand. So the features read the structure of the sentence:
// its conditional clause (where it stands, whether it is negated, what the
// main clause does), the modality of its verbs, and the stance class of
// the verb that follows the holder (english.yaml's deontic, commissive,
// punitive, provision and narration lists).

// stance holds the features of one candidate sentence that tell the kinds
// apart: it appends them to the sentence's features and to each holder's.
func stance(c *candSentence) {
	stanceFeatures(c.ss, c.cues, &c.base)
	for h := range c.holders {
		holderStance(c.ss, c.holders[h].party, &c.holders[h].feats)
	}
}

// condClause is the conditional or temporal clause of a sentence: tokens
// [i, j), its marker, and whether it is negated ("if Tehran doesn't
// agree", "unless").
type condClause struct {
	i, j    int
	marker  string
	negated bool
}

// findCondition returns the sentence's first conditional or temporal
// clause, from its marker to the next comma or clause break, or false.
func findCondition(ss *sentenceState) (condClause, bool) {
	toks := ss.toks
	for k := range toks {
		n := 0
		marker := ""
		if t := toks[k].norm; t == "until" { // "unless" and the rest are condition_markers
			n, marker = 1, t
		} else if t == "in" && k+2 < len(toks) && toks[k+1].norm == "the" && toks[k+2].norm == "event" {
			n, marker = 3, "in the event"
		} else if toks[k].is(wcConditionStart) {
			for _, mk := range ss.words.conditionMarkers {
				if len(mk) > n && hasWordsAt(toks, k, mk) {
					n, marker = len(mk), toks[k].norm
					if len(mk) > 1 {
						marker = strings.Join(mk, "_")
					}
				}
			}
		}
		if n == 0 {
			continue
		}
		c := condClause{i: k, j: len(toks), marker: marker, negated: marker == "unless"}
		for e := k + n; e < len(toks); e++ {
			if t := toks[e].norm; t == "," || isClauseBreak(toks[e]) {
				c.j = e
				break
			}
			if toks[e].is(wcNegator) {
				c.negated = true
			}
		}
		return c, true
	}
	return condClause{}, false
}

// Bits of the stance classes seen in a span of a sentence: bit b is the
// class stanceClasses[b] (words.go) names, which words.stance maps each
// word of that english.yaml list to; stNegated is a negator.
const (
	stDeontic = 1 << iota
	stCommissive
	stPunitive
	stProvision
	stNarration
	stNegated // a negator
)

// stanceNames are the bits' names, in the bits' order: english.yaml's
// lists (stanceClasses), then the negator.
var stanceNames = [...]string{"deontic", "commissive", "punitive", "provision", "narration", "neg"}

// stanceName is the class name of a word's stance bit.
func stanceName(bit int) string {
	for b, n := range stanceNames {
		if bit == 1<<b {
			return n
		}
	}
	return ""
}

// classesIn returns the stance classes of the words in [i, j).
func classesIn(ss *sentenceState, i, j int) int {
	bits := 0
	for k := i; k < j; k++ {
		c := ss.toks[k].class
		if b := c.stance(); b != 0 {
			bits |= b
		} else if c&wcNegator != 0 {
			bits |= stNegated
		}
	}
	return bits
}

// stanceFeatures appends the sentence's conditional structure, modality
// and narration features to f.
func stanceFeatures(ss *sentenceState, cues []cue, f *featureSet) {
	toks := ss.toks
	main := classesIn(ss, 0, len(toks))
	if cc, ok := findCondition(ss); ok {
		pol := "pos"
		if cc.negated {
			pol = "neg"
		}
		side := "after"
		if cc.i < 3 {
			side = "lead"
		}
		f.add("cond:", cc.marker)
		f.add("condpol:", side+":"+pol)
		// What the main clause does decides the kind: a threat of
		// punishment on a positive condition is a red line, on a negated
		// one an ultimatum (a demand); a promise to give is an offer.
		main = classesIn(ss, 0, cc.i) | classesIn(ss, cc.j, len(toks))
		for b, name := range stanceNames {
			if main&(1<<b) != 0 {
				f.add("cons:", pol+":"+name)
			}
		}
		if main == 0 {
			f.add("cons:", pol+":none")
		}
	}
	// The modality of the sentence's verbs: the first modal, and whether
	// a negator follows it ("will not", "should not").
	for k := range toks {
		b := toks[k].class.stance()
		if b != stDeontic && b != stCommissive {
			continue
		}
		cl := stanceName(b)
		neg := ""
		for n := k + 1; n < len(toks) && n <= k+2; n++ {
			if toks[n].is(wcNegator) {
				neg = ":neg"
				break
			}
		}
		f.add("mod:", cl+neg)
		break
	}
	if main&stNarration != 0 {
		switch {
		case len(cues) == 0:
			f.add("narr:", "nocue")
		case narrationBefore(ss, cues[0].i):
			f.add("narr:", "first")
		default:
			f.add("narr:", "after")
		}
	}
	if main&stProvision != 0 {
		f.add("give", "")
	}
	if main&stPunitive != 0 {
		f.add("punish", "")
	}
	// Either-or: an ultimatum ("make a deal or we're out").
	for k := range toks {
		if toks[k].norm == "either" {
			for n := k + 2; n < len(toks); n++ {
				if toks[n].norm == "or" {
					f.add("eitheror", "")
					break
				}
			}
			break
		}
	}
	// A cue in the past tense reports a position taken before; in the
	// present or future, one held now.
	for _, c := range cues {
		tense := "now"
		if w := toks[c.i].norm; len(w) > 3 && w[len(w)-2:] == "ed" {
			tense = "past"
		} else if c.i > 0 && (toks[c.i-1].norm == "had" || toks[c.i-1].norm == "did") {
			tense = "past"
		}
		f.add("ctense:", c.kind+":"+tense)
	}
}

// narrationBefore reports whether a narration word stands before token i.
func narrationBefore(ss *sentenceState, i int) bool {
	for k := 0; k < i && k < len(ss.toks); k++ {
		if ss.toks[k].class.stance() == stNarration {
			return true
		}
	}
	return false
}

// holderStance appends the stance class of the verb that follows the
// party's first subject mention ("the UK is sending", "Russia must",
// "Scholz met"), negated or not, to f.
func holderStance(ss *sentenceState, party string, f *featureSet) {
	for _, m := range ss.mentions {
		if m.party != party || !m.subject {
			continue
		}
		neg := ""
		for k := m.j; k < len(ss.toks) && k < m.j+5; k++ {
			t := ss.toks[k].norm
			if ss.toks[k].is(wcNegator) {
				neg = ":neg"
				continue
			}
			if b := ss.toks[k].class.stance(); b != 0 {
				f.add("hv:", stanceName(b)+neg)
				return
			}
			if t == "," || isClauseBreak(ss.toks[k]) {
				break
			}
		}
		f.add("hv:", "none"+neg)
		return
	}
}
