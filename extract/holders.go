package extract

// Claim rules: holders. Who holds the position a cue states: the parties a
// sentence names and which of them stand in subject position, passive
// agents, possessives, pronouns, quote speakers, coordinated subjects and
// list lead-ins; and the party a position is addressed to (target).

import (
	"cmp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mention is a party named in a sentence: tokens [i, j).
type mention struct {
	i, j    int
	party   string
	person  string
	kind    refKind
	subject bool // not the object of a preposition nor a possessive modifier
}

// leadFrom reads a sentence as a possible list lead-in: "Putin set out his
// six demands", "Moscow's conditions include:". It returns the party and the
// kind of its last cue, or nil. A noun cue with no possessive takes the
// subject of its clause here ("Putin set out several conditions:"), since a
// lead-in introduces positions by definition.
func (st *claimState) leadFrom(ss *sentenceState) *leadIn {
	cues := st.lx.sentenceCues(ss)
	if len(cues) == 0 {
		return nil
	}
	c := cues[len(cues)-1]
	sub, _ := st.resolveSubject(ss, c, 0, nil)
	if sub.party == "" && c.noun {
		v := c
		v.noun = false
		sub, _ = st.resolveSubject(ss, v, 0, nil)
	}
	if sub.party == "" {
		return nil
	}
	return &leadIn{party: sub.party, kind: c.kind, speaker: sub.speaker, cue: c.text}
}

// bridging reports whether a sentence without a cue may stand between a
// lead-in and its list: it ends in a colon, or is a short "They include".
func bridging(ss *sentenceState) bool {
	t := strings.TrimSpace(ss.text)
	if strings.HasSuffix(t, ":") {
		return true
	}
	n := 0
	for _, tok := range ss.toks {
		if tok.word {
			n++
		}
	}
	last := ""
	if len(ss.toks) > 0 {
		last = ss.toks[len(ss.toks)-1].norm
	}
	return n <= 4 && (last == "include" || last == "includes" || last == "are" || last == "were")
}

// mentions finds the parties a sentence names: aliases and people, and
// demonyms that qualify a role noun ("Russian negotiators"). Names inside a
// hyphenated compound ("pro-Russian", "Russia-Ukraine") are not mentions.
// toks are the tokens of text.
func (lx *Lexicon) mentions(text string, toks []token) []mention {
	// Gathered on the stack (a sentence names a few parties), then copied
	// to a slice of their number.
	var found [8]mention
	out := found[:0]
	var buf, rbuf [4]match
	for i := 0; i < len(toks); {
		ms := lx.names.appendAt(buf[:0], toks, i)
		if len(ms) == 0 {
			i++
			continue
		}
		m := ms[0]
		ref := m.value.(nameRef)
		mn := mention{i: m.i, j: m.j, party: ref.party, person: ref.person, kind: ref.kind}
		i = m.j
		if (mn.i > 0 && toks[mn.i-1].joined) || (mn.j < len(toks) && toks[mn.j].joined) {
			continue
		}
		if ref.kind == refPerson && lx.otherBearer(text, toks, mn, out) {
			continue
		}
		if ref.kind == refDemonym {
			// A demonym names a claimant only before a role noun, with at
			// most one word between ("Russian chief negotiator").
			found := false
			for k := mn.j; k < len(toks) && k <= mn.j+1; k++ {
				if rs := lx.roles.appendAt(rbuf[:0], toks, k); len(rs) > 0 {
					mn.j = rs[0].j
					found = true
					break
				}
			}
			if !found {
				continue
			}
			// A person named right after the role is that person.
			if pm := lx.names.appendAt(buf[:0], toks, mn.j); len(pm) > 0 && pm[0].value.(nameRef).kind == refPerson {
				r := pm[0].value.(nameRef)
				if r.party == mn.party {
					mn.person, mn.kind, mn.j = r.person, refPerson, pm[0].j
				}
			}
			i = mn.j
		}
		if ref.kind == refPerson && mn.j < len(toks) {
			// A title the lexicon gives to one office holder ("US
			// President") names whoever follows it: "US President Joe
			// Biden" is Biden, whatever the title's usual holder.
			if rs := lx.roles.appendAt(rbuf[:0], toks, mn.j-1); len(rs) > 0 && rs[0].j == mn.j {
				if pm := lx.names.appendAt(buf[:0], toks, mn.j); len(pm) > 0 {
					if r := pm[0].value.(nameRef); r.kind == refPerson && r.party == mn.party {
						mn.person = r.person
					}
				}
			}
		}
		mn.subject = subjectPosition(toks, mn, lx)
		// "to Kyiv and Moscow": a name joined by "and" to an object is one.
		if n := len(out); n > 0 && mn.i >= 2 && (toks[mn.i-1].norm == "and" || toks[mn.i-1].norm == "or") && out[n-1].j == mn.i-1 {
			mn.subject = out[n-1].subject
		}
		out = append(out, mn)
	}
	out = lx.words.merged(toks, out)
	if len(out) == 0 {
		return nil
	}
	ms := make([]mention, len(out))
	copy(ms, out)
	return ms
}

// otherBearer reports whether a person's one-word alias (a surname:
// "Wallace" of Ben Wallace) is written as part of another person's name:
// right after a capitalised word that is not the person's given name (nor
// one spelt with the same initial: "Sergey" for "Sergei"), a title, an
// honorific, a day or month, nor a name the lexicon knows, as in "CNN's
// Chris Wallace" or "Melania Trump". Only within running text: the
// capitalised word must follow a lower-case word or a comma, and the
// surname must not be followed by another capitalised word (a heading in
// title case). ms are the sentence's mentions before m.
func (lx *Lexicon) otherBearer(text string, toks []token, m mention, ms []mention) bool {
	if m.j-m.i != 1 || m.i < 2 {
		return false
	}
	given, _, ok := strings.Cut(m.person, " ")
	if !ok {
		return false
	}
	p := &toks[m.i-1]
	pText := p.textIn(text)
	if !p.word || !p.upper || p.joined || !strings.ContainsFunc(pText, unicode.IsLower) || strings.ContainsFunc(pText, notLetter) {
		return false
	}
	if b := &toks[m.i-2]; !(b.word && !b.upper) && b.textIn(text) != "," {
		return false
	}
	if m.j < len(toks) && toks[m.j].word && toks[m.j].upper {
		return false
	}
	if sameInitial(pText, given) {
		return false
	}
	if n := len(ms); n > 0 && ms[n-1].j == m.i {
		return false
	}
	if p.is(wcTitleWord) || lx.words.titleWords[strings.TrimSuffix(p.norm, "s")] || lx.words.notGivenNames[p.norm] {
		return false
	}
	var buf [4]match
	return len(lx.roles.appendAt(buf[:0], toks, m.i-1)) == 0
}

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// sameInitial reports whether a and b start with the same letter, in any
// case.
func sameInitial(a, b string) bool {
	ra, _ := utf8.DecodeRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return unicode.ToLower(ra) == unicode.ToLower(rb)
}

// merged joins an alias and a person that follow each other into one
// mention of the person ("Kremlin spokesman Dmitry Peskov", "Ukraine's
// foreign minister Andrii Sybiha").
func (w *words) merged(toks []token, ms []mention) []mention {
	out := ms[:0] // in place: out never gets ahead of the mention read
	for _, m := range ms {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.party == m.party && m.i-p.j <= 4 && m.kind == refPerson && p.kind != refPerson && w.titleBetween(toks, p.j, m.i) {
				p.j, p.person, p.kind = m.j, m.person, refPerson
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// titleBetween reports whether tokens [from, to) can join an office to a
// person's name ("'s deputy defence minister", "trade minister"): no verb
// stands between, as one does in "The Kremlin said Putin…".
func (w *words) titleBetween(toks []token, from, to int) bool {
	for k := from; k < to; k++ {
		if toks[k].is(wcClauseVerb | wcReportingVerb | wcBeForm | wcAuxiliary | wcSubjectLeft) {
			return false
		}
	}
	return true
}

// subjectPosition reports whether a mention can be the subject of a clause:
// not the object of a preposition, not a modifier of a noun ("NATO
// membership"), and not a possessive that modifies a thing ("Ukraine's
// sovereignty") rather than a role ("Ukraine's president").
func subjectPosition(toks []token, m mention, lx *Lexicon) bool {
	k := m.i - 1
	for k >= 0 && (toks[k].norm == "the" || toks[k].norm == "former" || toks[k].norm == "senior" || toks[k].norm == "an" || toks[k].norm == "a" || toks[k].norm == "anonymous" || toks[k].norm == "future") {
		k--
	}
	if k >= 0 && toks[k].is(wcPreposition) {
		// "along with X", "together with X" make X a co-subject, which the
		// subject scan handles; a plain object of a preposition is not.
		return false
	}
	// Skip titles and roles that belong to the name ("Foreign Minister
	// Sergei Lavrov", "presidential aide Vladimir Medinsky").
	var buf [4]match
	for k >= 0 && toks[k].word && (toks[k].upper || len(lx.roles.appendAt(buf[:0], toks, k)) > 0 || toks[k].is(wcTitleWord)) && !toks[k].is(wcSubjectLeft) {
		k--
	}
	if k >= 0 && toks[k].word && !toks[k].is(wcSubjectLeft|wcClauseVerb) {
		// After a verb or a noun ("would not meet Zelensky", "travelling
		// to Kyiv and Moscow"): an object or a modifier, not a subject.
		return false
	}
	if m.kind != refPerson && m.j < len(toks) && toks[m.j].is(wcModified) {
		return false
	}
	if m.j < len(toks) && toks[m.j].norm == "'s" {
		next := m.j + 1
		for next < len(toks) && next <= m.j+2 {
			if rs := lx.roles.appendAt(buf[:0], toks, next); len(rs) > 0 {
				return true
			}
			next++
		}
		return false
	}
	return true
}

// subject is the resolved holder of a position.
type subject struct {
	party       string
	speaker     string
	attribution string
	co          []string // further parties of a coordinated subject
	near        bool     // resolved within the sentence
	at          int      // token where the subject stands, or -1
	passive     bool
	target      string // the party the position is addressed to, when the scan found it
}

// scan outcomes of resolveSubject besides a subject found.
const (
	scanNone = iota // nothing in the sentence holds the position
	scanPrev        // the scan reached the previous cue first
	scanFound
)

// resolveSubject finds who holds the position the cue c states: a passive
// "by X", a possessive before a noun cue, the nearest mention in subject
// position before the cue (not before token lo, the end of the previous
// cue), or a pronoun resolved from context.
func (st *claimState) resolveSubject(ss *sentenceState, c cue, lo int, next *sentenceState) (subject, int) {
	toks, w := ss.toks, ss.words
	// Passive: "rejected by Moscow", "viewed by Kyiv as non-negotiable".
	if sub, ok := passiveAgent(ss, c); ok {
		return sub, scanFound
	}
	if inCondition(toks, c.i) {
		return subject{}, scanNone // "if Moscow keeps refusing…" is a condition
	}
	if w.agentlessPassive(toks, c) {
		return subject{}, scanNone // its subject is the addressee; the holder is not named
	}
	if c.noun {
		sub, ok := st.possessor(ss, c)
		if ok {
			return sub, scanFound
		}
		if !w.holderless(toks, c) {
			return subject{}, scanNone
		}
	}
	// Scan back from the cue for the nearest subject.
	var co []string
	for k := c.i - 1; k >= 0 && k >= c.i-maxBack; k-- {
		if k < lo {
			if len(co) > 0 {
				break
			}
			return subject{}, scanPrev
		}
		t := toks[k]
		if t.norm == ";" || (t.norm == ":" && k < c.i-1) {
			break
		}
		if m, ok := mentionEndingAt(ss.mentions, k+1); ok {
			if !m.subject {
				if coSubject(toks, m.i) {
					co = append(co, m.party)
				}
				k = m.i
				continue
			}
			// "Macron told Putin that Russia must withdraw": an obligation
			// another party reports is the reporter's demand, addressed to
			// the clause's subject.
			if c.kind == KindDemand && toks[c.i].class.stance() == stDeontic {
				if r, ok := reportedBy(ss, m); ok && r.party != m.party {
					sub := subject{party: r.party, attribution: BySubject, near: true, at: r.i, target: m.party}
					if r.kind == refPerson {
						sub.speaker, sub.attribution = r.person, BySpeaker
					}
					sub.co = coordinated(ss, r)
					return st.withSpeaker(ss, sub), scanFound
				}
			}
			sub := subject{party: m.party, attribution: BySubject, near: true, at: m.i}
			if m.kind == refPerson {
				sub.speaker = m.person
				sub.attribution = BySpeaker
			}
			sub.co = append(co, coordinated(ss, m)...)
			if sub.party == "" {
				return subject{}, scanNone
			}
			return st.withSpeaker(ss, sub), scanFound
		}
		if t.word && t.is(wcPronoun) {
			if sub, ok := st.pronoun(ss, k, w.pronouns[t.norm], next); ok {
				sub.co, sub.at = co, k
				return sub, scanFound
			}
			return subject{}, scanNone
		}
		if t.norm == "both" && k+1 < len(toks) && (toks[k+1].norm == "sides" || toks[k+1].norm == "parties" || toks[k+1].norm == "nations") {
			return subject{}, scanNone // ambiguous between the parties
		}
		if (t.norm == "country" || t.norm == "government") && k > 0 && toks[k-1].norm == "the" {
			if p := cmp.Or(st.lastOrg, st.lastParty); p != "" {
				return subject{party: p, attribution: ByPronoun, at: k - 1}, scanFound
			}
		}
		// Crossing a reporting verb with no "that" ("Starmer said the
		// coalition of countries ready to…"): the same test on what follows.
		if t.is(wcClauseVerb) && k+1 < c.i && toks[k+1].norm != "that" && c.kind == KindOffer {
			n := k + 1
			for n < c.i && toks[n].norm == "the" {
				n++
			}
			_, isMention := mentionStartingAt(ss.mentions, n)
			isPronoun := toks[n].is(wcPronoun)
			if !isMention && !isPronoun && toks[n].norm != "country" && toks[n].norm != "government" {
				return subject{}, scanNone
			}
		}
		// Crossing "that" into the clause of a reporting verb: the cue's
		// subject is what follows "that". When that is no party, a demand or
		// a red line is the reporter's ("Blinken said that sanctions would
		// not be lifted…"), but an offer is nobody's ("Ukraine fears that
		// any truce would allow…").
		if t.norm == "that" && k+1 < c.i {
			n := k + 1
			for n < c.i && toks[n].norm == "the" {
				n++
			}
			_, isMention := mentionStartingAt(ss.mentions, n)
			isPronoun := toks[n].is(wcPronoun)
			if !isMention && !isPronoun && toks[n].norm != "country" && toks[n].norm != "government" && c.kind == KindOffer {
				return subject{}, scanNone
			}
		}
	}
	if len(co) > 0 {
		return subject{party: co[0], attribution: BySubject, co: co[1:], near: true, at: -1}, scanFound
	}
	// No subject in the sentence: a quote's speaker, the list lead-in, the
	// section heading. A sentence that names any party, or whose cue sits in
	// a relative clause, is about something else: the context does not
	// speak for it.
	if sp, ok := quoteSpeaker(ss); ok {
		return sp, scanFound
	}
	if len(ss.mentions) > 0 || relativeBetween(toks, 0, c.i) {
		return subject{}, scanNone
	}
	if st.blockKind == ListItem && st.leadParty != "" {
		return subject{party: st.leadParty, speaker: st.leadSpeaker, attribution: ByList, at: -1}, scanFound
	}
	if st.headingParty != "" {
		return subject{party: st.headingParty, attribution: ByHeading, at: -1}, scanFound
	}
	return subject{}, scanNone
}

// withSpeaker fills the speaker of a subject that is a state or office from
// a person of the same party who is the sentence's source ("Zelenskyy said
// Ukraine was prepared to…").
func (st *claimState) withSpeaker(ss *sentenceState, sub subject) subject {
	if sub.speaker != "" {
		return sub
	}
	for _, m := range ss.mentions {
		if m.kind == refPerson && m.party == sub.party && m.subject {
			sub.speaker = m.person
			break
		}
	}
	return sub
}

func mentionEndingAt(ms []mention, j int) (mention, bool) {
	for _, m := range ms {
		if m.j == j {
			return m, true
		}
	}
	return mention{}, false
}

// coSubject reports whether the mention at token i joins a subject:
// "along with X", "alongside X", "together with X".
func coSubject(toks []token, i int) bool {
	k := i - 1
	for k >= 0 && toks[k].norm == "the" {
		k--
	}
	if k < 0 {
		return false
	}
	if toks[k].norm == "alongside" {
		return true
	}
	return toks[k].norm == "with" && k > 0 && (toks[k-1].norm == "along" || toks[k-1].norm == "together")
}

// coordinated returns the parties joined to mention m by "and" ("Russia and
// Belarus demand"), which hold the position too.
func coordinated(ss *sentenceState, m mention) []string {
	var out []string
	k := m.i - 1
	for k >= 0 && ss.toks[k].norm == "the" {
		k--
	}
	if k >= 0 && ss.toks[k].norm == "and" {
		if p, ok := mentionEndingAt(ss.mentions, k); ok && p.party != m.party {
			out = append(out, p.party)
		}
	}
	return out
}

// adverbLike reports whether a token may stand between a participle and
// its "by" agent: an adverb or a time word ("outright", "swiftly", "last"),
// not a verb ("should be settled by" is another predicate).
func (w *words) adverbLike(t token) bool {
	if !t.word || t.norm == "by" || t.is(wcBeForm|wcAuxiliary) {
		return false
	}
	return !strings.HasSuffix(t.norm, "ed") && !strings.HasSuffix(t.norm, "en")
}

// passiveAgent finds "by X" right after the cue, or "by X as" right before
// it ("viewed by Kyiv as non-negotiable").
func passiveAgent(ss *sentenceState, c cue) (subject, bool) {
	toks, w := ss.toks, ss.words
	try := func(k int) (subject, bool) {
		if k < 0 || k >= len(toks) || (toks[k].norm != "by" && !(toks[k].norm == "to" && w.adjectivalRedLine[strings.ToLower(c.text)] && c.j == k)) {
			return subject{}, false
		}
		var parties []mention
		pos := k + 1
		for pos < len(toks) {
			m, ok := mentionStartingAt(ss.mentions, pos)
			for !ok && pos < len(toks) && (toks[pos].norm == "the" || toks[pos].norm == "former" || toks[pos].norm == "and" || toks[pos].norm == ",") {
				pos++
				m, ok = mentionStartingAt(ss.mentions, pos)
			}
			if !ok {
				break
			}
			parties = append(parties, m)
			pos = m.j
			if pos >= len(toks) || (toks[pos].norm != "and" && toks[pos].norm != ",") {
				break
			}
		}
		if len(parties) == 0 {
			return subject{}, false
		}
		sub := subject{party: parties[0].party, speaker: parties[0].person, attribution: BySubject, near: true, passive: true, at: -1}
		if parties[0].kind == refPerson {
			sub.attribution = BySpeaker
		}
		for _, p := range parties[1:] {
			if p.party != sub.party {
				sub.co = append(sub.co, p.party)
			}
		}
		return sub, true
	}
	if sub, ok := try(c.j); ok {
		return sub, true
	}
	// "rejected outright by Kyiv", "dismissed last week by Moscow".
	for k := c.j; k < len(toks) && k < c.j+2 && w.adverbLike(toks[k]); k++ {
		if sub, ok := try(k + 1); ok {
			return sub, true
		}
	}
	// "viewed by Kyiv as non-negotiable": the agent stands before the cue,
	// followed by "as".
	for k := c.i - 1; k >= 0 && k >= c.i-6; k-- {
		if toks[k].norm == "by" {
			sub, ok := try(k)
			if !ok {
				break
			}
			if m, found := mentionStartingAt(ss.mentions, k+1); found && m.j < len(toks) && toks[m.j].norm == "as" {
				return sub, true
			}
			break
		}
	}
	return subject{}, false
}

func mentionStartingAt(ms []mention, i int) (mention, bool) {
	for _, m := range ms {
		if m.i == i {
			return m, true
		}
	}
	return mention{}, false
}

// possessor finds the holder of a noun cue: "Russia's insistence",
// "Putin's conditions", "its demands", "the demands of Moscow", "a priority
// for Kyiv". A possessive inside a prepositional phrase ("on some of its
// demands") names what is talked about, not a holder.
func (st *claimState) possessor(ss *sentenceState, c cue) (subject, bool) {
	toks := ss.toks
	inPP := func(k int) bool {
		for n := k - 1; n >= 0 && n >= k-2; n-- {
			if toks[n].is(wcPreposition) {
				return true
			}
			if toks[n].norm != "the" && toks[n].norm != "some" && toks[n].norm != "all" {
				return false
			}
		}
		return false
	}
	// Up to two modifiers between the possessive and the noun; the parts of
	// a hyphenated modifier ("his number-one priority") count as one.
	for k, words := c.i-1, 0; k >= 0 && words < 3; k-- {
		if toks[k].joined {
			words--
			continue
		}
		words++
		if toks[k].norm == "'s" {
			if m, ok := mentionEndingAt(ss.mentions, k); ok && !doubted(toks, m.i) {
				sub := subject{party: m.party, attribution: BySubject, near: true, at: m.i}
				if m.kind == refPerson {
					sub.speaker, sub.attribution = m.person, BySpeaker
				}
				return sub, true
			}
			return subject{}, false
		}
		switch toks[k].norm {
		case "its", "his", "her", "their", "our":
			if inPP(k) {
				return subject{}, false
			}
			sub, ok := st.pronoun(ss, k, ss.words.pronouns[toks[k].norm], nil)
			sub.at = k
			return sub, ok
		}
		if !toks[k].word || isClauseBreak(toks[k]) {
			break
		}
	}
	// "the demands of Russia", "demands by Moscow", "a priority for Kyiv".
	if c.j+1 < len(toks) && (toks[c.j].norm == "of" || toks[c.j].norm == "for") {
		k := c.j + 1
		for k < len(toks) && toks[k].norm == "the" {
			k++
		}
		if m, ok := mentionStartingAt(ss.mentions, k); ok {
			return subject{party: m.party, speaker: m.person, attribution: BySubject, near: true, at: m.i}, true
		}
	}
	return subject{}, false
}

// doubted reports whether a verb of doubt governs the noun phrase at token
// i: "doubts Ukraine's willingness" is Russia's view, not Ukraine's offer.
func doubted(toks []token, i int) bool {
	for k := i - 1; k >= 0 && k >= i-2; k-- {
		switch toks[k].norm {
		case "doubts", "doubt", "doubted", "questions", "questioned", "question", "denies", "denied", "deny", "mocked", "dismissed":
			return true
		}
	}
	return false
}

// pronoun resolves the pronoun at token k: to the holder of the sentence's
// previous position, or its first subject before the pronoun, or the party
// last in subject position in the section. "it" stands for a state or an
// office, never a person; "he" and "she" for a person. First person
// pronouns resolve to the speaker of the quote they stand in.
func (st *claimState) pronoun(ss *sentenceState, k int, p string, next *sentenceState) (subject, bool) {
	if p == "we" {
		if sp, ok := quoteSpeaker(ss); ok {
			return sp, true
		}
		if next != nil {
			if sp, ok := quoteSpeaker(next); ok {
				return sp, true
			}
		}
		return subject{}, false
	}
	if st.holder != "" && p != "he" {
		return subject{party: st.holder, attribution: ByPronoun, near: true}, true
	}
	for _, m := range ss.mentions {
		if m.j > k || !m.subject {
			continue
		}
		switch {
		case p == "he" && m.kind != refPerson:
			continue
		case p == "it" && m.kind == refPerson:
			// "Putin … arguing it would allow…": "it" is not Putin.
			return subject{}, false
		}
		return subject{party: m.party, speaker: m.person, attribution: ByPronoun, near: true}, true
	}
	switch p {
	case "he":
		if st.lastPerson.party != "" {
			return subject{party: st.lastPerson.party, speaker: st.lastPerson.person, attribution: ByPronoun}, true
		}
		return subject{}, false
	case "it":
		if st.lastOrg != "" {
			return subject{party: st.lastOrg, attribution: ByPronoun}, true
		}
	default:
		if st.lastParty != "" {
			return subject{party: st.lastParty, attribution: ByPronoun}, true
		}
	}
	if st.headingParty != "" {
		return subject{party: st.headingParty, attribution: ByHeading}, true
	}
	return subject{}, false
}

// quoteSpeaker finds the speaker of a quotation in a sentence: `"…,"
// Zelenskyy told reporters` or `"…," said Peskov`. The rules and the
// holders ask for each cue and pronoun: it is found once a sentence.
func quoteSpeaker(ss *sentenceState) (subject, bool) {
	if !ss.speakerDone {
		ss.speaker, ss.speakerOK = findQuoteSpeaker(ss)
		ss.speakerDone = true
	}
	return ss.speaker, ss.speakerOK
}

func findQuoteSpeaker(ss *sentenceState) (subject, bool) {
	toks := ss.toks
	if !ss.quoted {
		return subject{}, false
	}
	for k := range toks {
		if !toks[k].is(wcReportingVerb) {
			continue
		}
		// "Zelenskyy told", "the Kremlin spokesman said".
		if m, ok := mentionEndingAt(ss.mentions, k); ok {
			return subject{party: m.party, speaker: m.person, attribution: BySpeaker, near: true}, true
		}
		// "said Peskov".
		if m, ok := mentionStartingAt(ss.mentions, k+1); ok {
			return subject{party: m.party, speaker: m.person, attribution: BySpeaker, near: true}, true
		}
	}
	return subject{}, false
}

// target is the first party other than the claimant named after the cue.
func target(ss *sentenceState, c cue, party string) string {
	for _, m := range ss.mentions {
		if m.i >= c.i && m.party != party {
			return m.party
		}
	}
	return ""
}
