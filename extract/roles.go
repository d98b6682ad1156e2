package extract

import "strings"

// Features of the claim model that tell a position's holder from the party
// it is addressed to. A sentence often names both, and the one named
// nearest a cue is not always the holder: "China's plan called on Russia
// and Ukraine to talk", "Biden urged Kyiv to accept", "Ukraine was asked
// to withdraw", "Biden said Russia should withdraw", "sanctions if Russia
// invades". The party asked, told, warned or threatened is the target. The
// rules take the nearest subject before a cue; these features say, for
// each holder, where the sentence names it, and the model weighs them.

// The roles a mention of a party may play, one bit each.
const (
	roleAddressee    = 1 << iota // object of an addressing verb, or subject of its passive
	roleAgent                    // "by X" after a past participle: the one who asks or says
	roleCondition                // inside the sentence's conditional clause
	roleEmbedded                 // subject of a clause another party reports
	roleEmbeddedSelf             // subject of a clause its own party reports
	roleRelative                 // right after a relative pronoun
	roleEmbeddedAnon             // subject of a clause someone the lexicon does not name reports
)

// roleNames are the roles' feature names, in the bits' order.
var roleNames = [...]string{"addressee", "agent", "cond", "embedded", "embself", "relative", "embanon"}

// roles appends the role features of each holder of a candidate sentence.
// Who reports each mention's clause, and each mention's roles, are found
// once for all the holders.
func roles(st *claimState, c *candSentence) {
	ss := c.ss
	cc, hasCond := findCondition(ss)
	// On the stack for all but sentences with many mentions.
	var buf [8]mentionRoles
	ms := buf[:]
	if len(ss.mentions) > len(buf) {
		ms = make([]mentionRoles, len(ss.mentions))
	}
	ms = ms[:len(ss.mentions)]
	for i, m := range ss.mentions {
		ms[i].reporter, ms[i].reported = st.clauseReporter(ss, m)
		ms[i].roles = mentionRole(ss, m, ms[i], cc, hasCond)
	}
	for h := range c.holders {
		holderRoles(ss, ms, c.holders[h].party, &c.holders[h].feats)
	}
}

// mentionRoles is what roles finds of a mention: who reports the clause it
// is the subject of (reporter, when reported), and its roles.
type mentionRoles struct {
	reporter string // the reporter's party; "" for one the lexicon does not know
	reported bool
	roles    int
}

// holderRoles appends the roles of party's mentions in the sentence (ms,
// by mention) to f, and "role:target" when the sentence names the party
// only in a role that does not hold a position (addressee, condition,
// another party's clause).
func holderRoles(ss *sentenceState, ms []mentionRoles, party string, f *featureSet) {
	seen, free, named := 0, false, false
	for i, m := range ss.mentions {
		if ms[i].reported && ms[i].reporter == party && m.party != party {
			// The party reports what another must or will do: "Macron told
			// Putin that Russia must withdraw" is France's demand. What the
			// other party's verb is says which kind.
			f.addJoin("role:", "reports", ":", verbStance(ss, m))
		}
		if m.party != party {
			continue
		}
		named = true
		r := ms[i].roles
		seen |= r
		if r&roleEmbedded != 0 {
			f.addJoin("role:", "embedded", ":", verbStance(ss, m))
		}
		if r&roleEmbeddedAnon != 0 {
			f.addJoin("role:", "embanon", ":", verbStance(ss, m))
		}
		if (m.subject || r&roleAgent != 0) && r&(roleAddressee|roleCondition|roleEmbedded|roleEmbeddedAnon|roleRelative) == 0 {
			free = true
		}
	}
	for b, name := range roleNames {
		if seen&(1<<b) != 0 {
			f.add("role:", name)
		}
	}
	if named && !free {
		f.add("role:", "target")
	}
}

// verbStance is the stance class of the verb after mention m (kindcues.go),
// "neg" appended when negated, "none" for none within five tokens.
func verbStance(ss *sentenceState, m mention) string {
	neg := ""
	for k := m.j; k < len(ss.toks) && k < m.j+5; k++ {
		t := &ss.toks[k]
		if t.is(wcNegator) {
			neg = ":neg"
			continue
		}
		if b := t.class.stance(); b != 0 {
			return stanceName(b) + neg
		}
		if t.norm == "," || isClauseBreak(*t) {
			break
		}
	}
	return "none" + neg
}

// mentionRole returns the roles of mention m, whose clause's reporter rep
// holds (see reportedBy).
func mentionRole(ss *sentenceState, m mention, rep mentionRoles, cc condClause, hasCond bool) int {
	r := 0
	if addressedObject(ss, m) || passiveAddressee(ss, m) {
		r |= roleAddressee
	}
	if passiveAgentRole(ss, m) {
		r |= roleAgent
	}
	if hasCond && cc.i <= m.i && m.i < cc.j {
		r |= roleCondition
	}
	if rep.reported {
		switch rep.reporter {
		case m.party:
			r |= roleEmbeddedSelf
		case "":
			r |= roleEmbeddedAnon
		default:
			r |= roleEmbedded
		}
	}
	if k := skipThe(ss.toks, m.i-1); k >= 0 && relativePronoun(ss.toks[k].norm) {
		r |= roleRelative
	}
	return r
}

// skipThe steps back from token k over "the" and returns the index of the
// first other token, -1 when there is none.
func skipThe(toks []token, k int) int {
	for k >= 0 && toks[k].norm == "the" {
		k--
	}
	return k
}

// addressedObject reports whether mention m is the object of an addressing
// verb: "urged Kyiv", "told the US", "called on Russia and Ukraine",
// "appealed to Beijing", "called for Moscow to".
func addressedObject(ss *sentenceState, m mention) bool {
	toks, w := ss.toks, ss.words
	k := skipThe(toks, m.i-1)
	// Back over the parties coordinated before it: "Russia and Ukraine".
	for k >= 0 && (toks[k].norm == "and" || toks[k].norm == ",") {
		p, ok := mentionEndingAt(ss.mentions, k)
		if !ok {
			break
		}
		k = skipThe(toks, p.i-1)
	}
	if k < 0 {
		return false
	}
	if w.addressing[toks[k].norm] {
		return true
	}
	if k == 0 || !w.addressing[toks[k-1].norm] {
		return false
	}
	switch toks[k].norm {
	case "on", "upon", "to", "of":
		return true
	case "for":
		return m.j < len(toks) && toks[m.j].norm == "to"
	}
	return false
}

// passiveAddressee reports whether mention m is the subject of a passive
// addressing verb: "Ukraine was asked to", "Kyiv has been urged to".
func passiveAddressee(ss *sentenceState, m mention) bool {
	toks, w := ss.toks, ss.words
	be := false
	k := m.j
	for ; k < len(toks) && k < m.j+5; k++ {
		switch t := &toks[k]; {
		case t.is(wcBeForm):
			be = true
		case t.is(wcAuxiliary), t.norm == "also", t.norm == "repeatedly", t.norm == "reportedly", t.norm == "again", t.norm == "now":
		default:
			return be && w.addressing[t.norm] && (t.norm == "told" || len(t.norm) > 2 && t.norm[len(t.norm)-2:] == "ed")
		}
	}
	return false
}

// passiveAgentRole reports whether mention m is the agent of a passive:
// "by X" after a past participle, with at most two words between ("was
// urged by Berlin to", "a ceasefire was demanded by Moscow", "repeated last
// week by President Trump"), or after another agent ("by Paris and
// Berlin"). The agent asks, demands or says; the passive's subject is the
// one addressed, or what is said.
func passiveAgentRole(ss *sentenceState, m mention) bool {
	toks, w := ss.toks, ss.words
	k := m.i - 1
	// Back over what stands between "by" and the name: "the", a title.
	for n := 0; k > 0 && n < 2 && (toks[k].norm == "the" || toks[k].norm == "former" || toks[k].word && toks[k].upper); n++ {
		k--
	}
	if k >= 0 && (toks[k].norm == "and" || toks[k].norm == ",") {
		if p, ok := mentionEndingAt(ss.mentions, k); ok {
			return passiveAgentRole(ss, p)
		}
		return false
	}
	if k < 1 || toks[k].norm != "by" {
		return false
	}
	for v := k - 1; v >= 0 && v >= k-3; v-- {
		if participle(&toks[v], w) {
			return true
		}
		if !w.adverbLike(toks[v]) {
			return false
		}
	}
	return false
}

// participle reports whether t reads as a past participle: an irregular
// one ("told", "sought"), or a word of more than four letters ending in
// -ed or -en ("demanded", "driven") that english.yaml does not list as no
// participle, or an addressing verb in -ed ("urged").
func participle(t *token, w *words) bool {
	v := t.norm
	switch {
	case w.irregularParticiples[v]:
		return true
	case w.notParticiples[v]:
		return false
	}
	return len(v) > 4 && (strings.HasSuffix(v, "ed") || strings.HasSuffix(v, "en")) || w.addressing[v] && strings.HasSuffix(v, "ed")
}

// reportedBy finds who reports the clause mention m is the subject of:
// "Biden said (that) Russia should…", "Zelenskyy told Scholz that Ukraine
// would…". It returns the reporting verb's subject.
func reportedBy(ss *sentenceState, m mention) (mention, bool) {
	v := reportingVerb(ss, m)
	if v < 0 {
		return mention{}, false
	}
	return reporterMention(ss, v)
}

// reporterMention returns the party named in subject position before the
// reporting verb at token v, within ten tokens and the clause.
func reporterMention(ss *sentenceState, v int) (mention, bool) {
	toks := ss.toks
	for n := v; n > 0 && n >= v-10; n-- {
		if t := toks[n-1].norm; t == ";" || t == ":" {
			break
		}
		if p, ok := mentionEndingAt(ss.mentions, n); ok && p.subject {
			return p, true
		}
	}
	return mention{}, false
}

// reportingVerb returns the token of the verb that reports the clause
// mention m is the subject of ("said (that) Russia", "told Kyiv that
// Moscow"), or -1.
func reportingVerb(ss *sentenceState, m mention) int {
	toks, w := ss.toks, ss.words
	saying := func(t *token) bool {
		return t.is(wcClauseVerb|wcReportingVerb) || w.addressing[t.norm]
	}
	k := skipThe(toks, m.i-1)
	if k < 0 || !m.subject {
		return -1
	}
	switch {
	case toks[k].norm == "that":
		// The verb before "that", past its object or a time: "told Kyiv
		// that", "said on Monday that".
		for n := k - 1; n >= 0 && n >= k-4; n-- {
			if saying(&toks[n]) {
				return n
			}
			if toks[n].norm == "," || isClauseBreak(toks[n]) {
				break
			}
		}
	case toks[k].is(wcClauseVerb):
		return k
	}
	return -1
}

// clauseReporter finds who reports the clause mention m is the subject of,
// as reportedBy does, and also a reporter the sentence does not name in
// subject position: a party named in the reporter's noun phrase ("a
// representative of the White House warned that…", "Russia's ambassador
// said…"), a pronoun the context resolves ("he said Kyiv must…"), the
// source of "according to" ("According to the general, Ukraine needs…"),
// or someone the lexicon does not know ("the senators said…"): then the
// party is "" and reported is true. What a reporter says another must do
// is the reporter's position, not the subject's.
func (st *claimState) clauseReporter(ss *sentenceState, m mention) (string, bool) {
	toks := ss.toks
	v := reportingVerb(ss, m)
	if v < 0 {
		return st.accordingTo(ss, m)
	}
	if p, ok := reporterMention(ss, v); ok {
		return p.party, true
	}
	for n := v - 1; n >= 0 && n >= v-10; n-- {
		t := &toks[n]
		if t.norm == ";" || t.norm == ":" || t.norm == "that" || isClauseBreak(*t) {
			break
		}
		if p, ok := mentionEndingAt(ss.mentions, n+1); ok {
			// "the President of Ukraine", "Russia's ambassador".
			if k := skipThe(toks, p.i-1); k > 0 && toks[k].norm == "of" || p.j < len(toks) && toks[p.j].norm == "'s" {
				return p.party, true
			}
			continue
		}
		if t.word && t.is(wcPronoun) {
			if sub, ok := st.pronoun(ss, n, ss.words.pronouns[t.norm], nil); ok {
				return sub.party, true
			}
			break
		}
	}
	return "", true
}

// accordingTo finds the source of a sentence that opens "According to X,"
// when mention m is the subject of the clause after the comma.
func (st *claimState) accordingTo(ss *sentenceState, m mention) (string, bool) {
	toks := ss.toks
	if len(toks) < 3 || toks[0].norm != "according" || toks[1].norm != "to" || !m.subject {
		return "", false
	}
	comma := -1
	for k := 2; k < m.i; k++ {
		if toks[k].norm == "," {
			comma = k
			break
		}
	}
	if comma < 0 {
		return "", false
	}
	for _, p := range ss.mentions {
		if p.i > 1 && p.j <= comma {
			return p.party, true
		}
	}
	for k := 2; k < comma; k++ {
		if toks[k].word && toks[k].is(wcPronoun) {
			if sub, ok := st.pronoun(ss, k, ss.words.pronouns[toks[k].norm], nil); ok {
				return sub.party, true
			}
		}
	}
	return "", true
}
