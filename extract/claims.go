package extract

import (
	"cmp"
	"slices"
	"strings"
)

// Claims finds the claims of one article: for every sentence that may be a
// claim, the cue that makes it a demand, a red line or an offer, the party
// that holds the position (from the sentence itself or its context: a
// pronoun, a heading, a list lead-in) and the topics. sents must be the
// article's sentences in order, as Splitter.Split returns them. The claims
// carry offsets and classification but no document metadata; Extractor.Extract
// fills that in. Claims is safe for concurrent use.
func (lx *Lexicon) Claims(a Article, sents []Sentence) []Claim {
	return lx.claims(a, sents, nil)
}

// sentenceObserver sees each sentence the rules read for claims (not
// headings), with the context as it stood before the sentence and the
// claims the rules found in it: the claim model builds its candidates here.
type sentenceObserver func(st *claimState, i int, ss *sentenceState, blk Block, next *sentenceState, cs []Claim)

// claims is Claims with an observer, which may be nil.
func (lx *Lexicon) claims(a Article, sents []Sentence, obs sentenceObserver) []Claim {
	st := &claimState{lx: lx, art: a}
	var out []Claim
	var ahead *sentenceState // sents[i], when it was analysed as the one after
	for i, s := range sents {
		blk := Block{Kind: Paragraph}
		if s.Block >= 0 && s.Block < len(a.Blocks) {
			blk = a.Blocks[s.Block]
		}
		st.enterBlock(s.Block, blk)
		ss := ahead
		if ss == nil {
			ss = st.analyse(s)
		}
		ahead = nil
		if blk.Kind == Heading {
			st.heading(ss)
			continue
		}
		var next *sentenceState
		if i+1 < len(sents) && sents[i+1].Block == s.Block {
			next = st.analyse(sents[i+1])
			ahead = next
		}
		cs := st.sentenceClaims(s, ss, blk, next)
		if obs != nil {
			obs(st, i, ss, blk, next, cs)
		}
		out = append(out, cs...)
		st.remember(ss, cs)
	}
	return out
}

// claimState is the context that carries from sentence to sentence.
type claimState struct {
	lx  *Lexicon
	art Article

	block     int
	blockKind BlockKind

	headingParty string // party the current section heading names
	lastParty    string // party last in subject position in this section
	lastOrg      string // the same, counting only states and offices ("it")
	lastPerson   mention
	// prev is the sentence before, when it opened a quotation that it did
	// not close: its continuation takes its topics.
	prev *sentenceState
	// holder is the party of the current sentence's last attributed cue: a
	// later "it" or "they" in the sentence refers to it first.
	holder string
	// lead-in of the current list: the party and kind of the last cue
	// before the list started.
	leadParty, leadKind, leadSpeaker, leadCue string
	pendingLead                               *leadIn
}

type leadIn struct{ party, kind, speaker, cue string }

type sentenceState struct {
	text     string
	toks     []token
	mentions []mention
	cues     []cue
	cuesDone bool
}

// Limits that keep the work per sentence bounded: a page without
// punctuation must not stall a batch.
const (
	// maxSentenceTokens: longer "sentences" are run-on text (menus, tables,
	// pages without full stops), not read for claims.
	maxSentenceTokens = 300
	// maxBack: how far before a cue its subject may stand.
	maxBack = 60
)

// sentenceCues returns the sentence's cues, found once.
func (lx *Lexicon) sentenceCues(ss *sentenceState) []cue {
	if !ss.cuesDone {
		ss.cues, ss.cuesDone = lx.findCues(ss.toks), true
	}
	return ss.cues
}

// mention is a party named in a sentence: tokens [i, j).
type mention struct {
	i, j    int
	party   string
	person  string
	kind    refKind
	subject bool // not the object of a preposition nor a possessive modifier
}

func (st *claimState) enterBlock(idx int, b Block) {
	if idx == st.block && b.Kind == st.blockKind {
		return
	}
	// A heading or boilerplate passed over since the last sentence ("Related
	// coverage") ends a lead-in.
	for k := st.block + 1; k < idx && k < len(st.art.Blocks); k++ {
		if kb := st.art.Blocks[k].Kind; kb == Heading || kb == Boilerplate {
			st.pendingLead = nil
		}
	}
	prevKind := st.blockKind
	st.block, st.blockKind = idx, b.Kind
	switch {
	case b.Kind == ListItem && prevKind != ListItem:
		st.leadParty, st.leadKind, st.leadSpeaker, st.leadCue = "", "", "", ""
		if l := st.pendingLead; l != nil {
			st.leadParty, st.leadKind, st.leadSpeaker, st.leadCue = l.party, l.kind, l.speaker, l.cue
		}
	case b.Kind != ListItem:
		st.leadParty, st.leadKind, st.leadSpeaker, st.leadCue = "", "", "", ""
	}
	st.prev = nil
}

func (st *claimState) analyse(s Sentence) *sentenceState {
	ss := &sentenceState{text: s.Text, toks: tokenize(s.Text)}
	if len(ss.toks) > maxSentenceTokens {
		ss.toks = nil // run-on text: no claims, no context
	}
	ss.mentions = st.lx.mentions(ss.toks)
	return ss
}

// heading starts a section: what follows belongs to the party the heading
// names, when it names exactly one.
func (st *claimState) heading(ss *sentenceState) {
	st.headingParty, st.lastParty, st.lastOrg, st.lastPerson = "", "", "", mention{}
	st.pendingLead = nil
	parties := map[string]bool{}
	for _, m := range ss.mentions {
		if m.kind != refDemonym {
			parties[m.party] = true
		}
	}
	if len(parties) == 1 {
		for p := range parties {
			st.headingParty = p
		}
	}
}

// remember updates the context after a sentence: the last party in subject
// position, the last person, and a possible list lead-in, which holds until
// the list starts or another block does.
func (st *claimState) remember(ss *sentenceState, cs []Claim) {
	for _, m := range ss.mentions {
		if m.subject {
			st.lastParty = m.party
			if m.kind == refPerson {
				st.lastPerson = m
			} else {
				st.lastOrg = m.party
			}
			break
		}
	}
	if len(cs) > 0 {
		st.lastParty = cs[0].Party
		if cs[0].Speaker == "" {
			st.lastOrg = cs[0].Party
		}
	} else if thingSubject(ss) {
		// "The draft also proposes…. It also calls for…": "it" is the draft.
		st.lastOrg = ""
	}
	if st.blockKind != ListItem {
		// A lead-in holds through short bridging sentences ("They include",
		// "Among its ten points are:") until the list starts; any other
		// sentence without a position ends it.
		switch lead := st.leadFrom(ss); {
		case lead != nil:
			st.pendingLead = lead
		case !bridging(ss):
			st.pendingLead = nil
		}
	}
	st.prev = nil
	if opensQuote(ss.text) {
		st.prev = ss
	}
}

// thingSubject reports whether a sentence opens with a noun phrase that
// names no party ("The draft also proposes…").
func thingSubject(ss *sentenceState) bool {
	if len(ss.toks) < 2 {
		return false
	}
	switch ss.toks[0].norm {
	case "the", "a", "an", "this", "that", "such":
	default:
		return false
	}
	_, ok := mentionStartingAt(ss.mentions, 0)
	if ok {
		return false
	}
	_, ok = mentionStartingAt(ss.mentions, 1)
	return !ok
}

// opensQuote reports whether a sentence opens a quotation it does not close.
func opensQuote(s string) bool {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "“"):
		return strings.Count(s, "“") > strings.Count(s, "”")
	case strings.HasPrefix(s, "\""):
		return strings.Count(s, "\"")%2 == 1
	}
	return false
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

var prepositions = map[string]bool{"of": true, "to": true, "from": true, "with": true, "for": true, "on": true, "against": true, "by": true, "in": true, "into": true, "at": true, "between": true, "about": true, "toward": true, "towards": true, "than": true, "like": true, "including": true, "over": true, "under": true, "through": true, "without": true, "upon": true, "onto": true, "among": true, "via": true, "per": true, "as": true, "alongside": true, "behind": true, "across": true, "within": true, "after": true, "before": true, "since": true, "during": true}

// mentions finds the parties a sentence names: aliases and people, and
// demonyms that qualify a role noun ("Russian negotiators"). Names inside a
// hyphenated compound ("pro-Russian", "Russia-Ukraine") are not mentions.
func (lx *Lexicon) mentions(toks []token) []mention {
	var out []mention
	for i := 0; i < len(toks); {
		ms := lx.names.at(toks, i)
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
		if ref.kind == refDemonym {
			// A demonym names a claimant only before a role noun, with at
			// most one word between ("Russian chief negotiator").
			found := false
			for k := mn.j; k < len(toks) && k <= mn.j+1; k++ {
				if rs := lx.roles.at(toks, k); len(rs) > 0 {
					mn.j = rs[0].j
					found = true
					break
				}
			}
			if !found {
				continue
			}
			// A person named right after the role is that person.
			if pm := lx.names.at(toks, mn.j); len(pm) > 0 && pm[0].value.(nameRef).kind == refPerson {
				r := pm[0].value.(nameRef)
				if r.party == mn.party {
					mn.person, mn.kind, mn.j = r.person, refPerson, pm[0].j
				}
			}
			i = mn.j
		}
		mn.subject = subjectPosition(toks, mn, lx)
		// "to Kyiv and Moscow": a name joined by "and" to an object is one.
		if n := len(out); n > 0 && mn.i >= 2 && (toks[mn.i-1].norm == "and" || toks[mn.i-1].norm == "or") && out[n-1].j == mn.i-1 {
			mn.subject = out[n-1].subject
		}
		out = append(out, mn)
	}
	return merged(toks, out)
}

// merged joins an alias and a person that follow each other into one
// mention of the person ("Kremlin spokesman Dmitry Peskov", "Ukraine's
// foreign minister Andrii Sybiha").
func merged(toks []token, ms []mention) []mention {
	var out []mention
	for _, m := range ms {
		if n := len(out); n > 0 {
			p := &out[n-1]
			if p.party == m.party && m.i-p.j <= 4 && m.kind == refPerson && p.kind != refPerson && titleBetween(toks, p.j, m.i) {
				p.j, p.person, p.kind = m.j, m.person, refPerson
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// modified are nouns that a party's name may qualify ("NATO membership",
// "Russia troops"): such a name is a modifier, not a subject.
var modified = map[string]bool{"membership": true, "member": true, "members": true, "troops": true, "forces": true, "force": true, "bases": true, "base": true, "war": true, "invasion": true, "border": true, "borders": true, "soil": true, "army": true, "military": true, "territory": true, "summit": true, "talks": true, "deal": true, "accession": true, "enlargement": true, "expansion": true, "aggression": true, "attack": true, "attacks": true, "strikes": true, "sanctions": true}

// subjectLeft are the words after which a clause, and so a subject, may
// begin: conjunctions, complementizers and sentence adverbs.
var subjectLeft = map[string]bool{"and": true, "but": true, "or": true, "nor": true, "that": true, "while": true, "whereas": true, "although": true, "though": true, "because": true, "since": true, "as": true, "if": true, "when": true, "whether": true, "so": true, "yet": true, "meanwhile": true, "however": true, "also": true, "now": true, "instead": true, "then": true, "still": true, "where": true, "once": true, "unless": true, "until": true, "after": true, "before": true, "which": true, "who": true, "both": true, "even": true, "only": true, "not": true, "why": true, "how": true, "what": true}

// clauseVerbs take a clause without "that", whose subject follows them:
// "said Ukraine was prepared to…".
var clauseVerbs = map[string]bool{"said": true, "says": true, "say": true, "stated": true, "states": true, "added": true, "argued": true, "argues": true, "warned": true, "insisted": true, "insists": true, "believe": true, "believes": true, "believed": true, "think": true, "thinks": true, "fear": true, "fears": true, "feared": true, "claims": true, "claimed": true, "announced": true, "confirmed": true, "noted": true, "acknowledged": true, "indicated": true, "signalled": true, "signaled": true, "suggested": true, "declared": true, "asserted": true, "asserts": true, "explained": true, "wrote": true, "know": true, "knows": true, "hope": true, "hopes": true, "hoped": true, "expect": true, "expects": true, "reported": true, "mean": true, "means": true, "stressed": true, "emphasised": true, "emphasized": true, "repeated": true, "reiterated": true}

// titleWords are lower-case words of titles before a name.
var titleWords = map[string]bool{"president": true, "minister": true, "foreign": true, "defence": true, "defense": true, "prime": true, "chief": true, "deputy": true, "secretary": true, "spokesman": true, "spokeswoman": true, "spokesperson": true, "envoy": true, "special": true, "presidential": true, "aide": true, "adviser": true, "advisor": true, "negotiator": true, "head": true, "senior": true, "former": true, "top": true, "lead": true, "general": true, "chancellor": true, "ambassador": true, "leader": true, "state": true, "of": false}

// titleBetween reports whether tokens [from, to) can join an office to a
// person's name ("'s deputy defence minister", "trade minister"): no verb
// stands between, as one does in "The Kremlin said Putin…".
func titleBetween(toks []token, from, to int) bool {
	for k := from; k < to; k++ {
		t := toks[k].norm
		if clauseVerbs[t] || reportingVerbs[t] || beForms[t] || auxiliaries[t] || subjectLeft[t] {
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
	if k >= 0 && prepositions[toks[k].norm] {
		// "along with X", "together with X" make X a co-subject, which the
		// subject scan handles; a plain object of a preposition is not.
		return false
	}
	// Skip titles and roles that belong to the name ("Foreign Minister
	// Sergei Lavrov", "presidential aide Vladimir Medinsky").
	for k >= 0 && toks[k].word && (toks[k].upper || len(lx.roles.at(toks, k)) > 0 || titleWords[toks[k].norm]) && !subjectLeft[toks[k].norm] {
		k--
	}
	if k >= 0 && toks[k].word && !subjectLeft[toks[k].norm] && !clauseVerbs[toks[k].norm] {
		// After a verb or a noun ("would not meet Zelensky", "travelling
		// to Kyiv and Moscow"): an object or a modifier, not a subject.
		return false
	}
	if m.kind != refPerson && m.j < len(toks) && modified[toks[m.j].norm] {
		return false
	}
	if m.j < len(toks) && toks[m.j].norm == "'s" {
		next := m.j + 1
		for next < len(toks) && next <= m.j+2 {
			if rs := lx.roles.at(toks, next); len(rs) > 0 {
				return true
			}
			next++
		}
		return false
	}
	return true
}

var pronouns = map[string]string{
	"it": "it", "its": "it", "they": "they", "their": "they", "them": "they",
	"he": "he", "his": "he", "she": "he", "her": "he",
	"we": "we", "our": "we", "i": "we", "us": "we",
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
	toks := ss.toks
	// Passive: "rejected by Moscow", "viewed by Kyiv as non-negotiable".
	if sub, ok := passiveAgent(ss, c); ok {
		return sub, scanFound
	}
	if inCondition(toks, c.i) {
		return subject{}, scanNone // "if Moscow keeps refusing…" is a condition
	}
	if agentlessPassive(toks, c) {
		return subject{}, scanNone // its subject is the addressee; the holder is not named
	}
	if c.noun {
		sub, ok := st.possessor(ss, c)
		if ok {
			return sub, scanFound
		}
		if !holderless(toks, c) {
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
		if p, ok := pronouns[t.norm]; ok && t.word {
			if sub, ok := st.pronoun(ss, k, p, next); ok {
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
		if clauseVerbs[t.norm] && k+1 < c.i && toks[k+1].norm != "that" && c.kind == KindOffer {
			n := k + 1
			for n < c.i && toks[n].norm == "the" {
				n++
			}
			_, isMention := mentionStartingAt(ss.mentions, n)
			_, isPronoun := pronouns[toks[n].norm]
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
			_, isPronoun := pronouns[toks[n].norm]
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

var beForms = map[string]bool{"be": true, "been": true, "being": true, "is": true, "are": true, "was": true, "were": true}

// participleAdjectives are participles that read as adjectives before
// "to": "is prepared to", "is opposed to" state their subject's position.
var participleAdjectives = map[string]bool{"prepared": true, "opposed": true, "determined": true, "committed": true, "inclined": true, "interested": true, "resolved": true, "disposed": true, "set": true}

// agentlessPassive reports whether a verb cue is a passive participle with
// no "by" agent ("Russia would be offered…", "Ukraine was asked to…",
// "Kyiv has been urged to…"): its subject is the addressee, not the holder.
func agentlessPassive(toks []token, c cue) bool {
	if c.noun {
		return false
	}
	w := toks[c.i].norm
	if !strings.HasSuffix(w, "ed") && w != "sought" {
		return false
	}
	if participleAdjectives[w] {
		return false
	}
	k := c.i - 1
	for k >= 0 && (toks[k].norm == "also" || toks[k].norm == "already" || toks[k].norm == "not" || toks[k].norm == "formally" || toks[k].norm == "now" || toks[k].norm == "repeatedly") {
		k--
	}
	return k >= 0 && beForms[toks[k].norm]
}

// needsHolder are noun cues that state a position only with a holder named
// ("Putin's conditions", "Kyiv's aim"): bare, they are ordinary words ("to
// create conditions for talks").
var needsHolder = map[string]bool{"condition": true, "conditions": true, "aim": true, "aims": true, "goal": true, "goals": true, "objective": true, "objectives": true, "priority": true, "priorities": true, "plan": true, "plans": true, "desire": true, "wish": true, "wishes": true, "proposal": true, "proposals": true, "offer": true, "offers": true, "request": true, "requests": true, "concession": true, "concessions": true, "opposition": true, "veto": true}

// holderless reports whether a noun cue with no possessive may still take
// the subject of its clause as holder: "Putin maintains maximalist demands"
// but not "a goal enshrined…", "some of the demands…", "create conditions".
func holderless(toks []token, c cue) bool {
	if needsHolder[toks[c.j-1].norm] {
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
func adverbLike(t token) bool {
	if !t.word || t.norm == "by" || beForms[t.norm] || auxiliaries[t.norm] {
		return false
	}
	return !strings.HasSuffix(t.norm, "ed") && !strings.HasSuffix(t.norm, "en")
}

// adjectivalRedLine are red-line cues that name their holder with "to":
// "unacceptable to Moscow", "a red line for Kyiv" reads the same way.
var adjectivalRedLine = map[string]bool{"unacceptable": true, "is unacceptable": true, "are unacceptable": true, "non-negotiable": true, "is non-negotiable": true, "are non-negotiable": true, "existential threat": true, "impossible": true, "is impossible": true, "red line": true}

// passiveAgent finds "by X" right after the cue, or "by X as" right before
// it ("viewed by Kyiv as non-negotiable").
func passiveAgent(ss *sentenceState, c cue) (subject, bool) {
	toks := ss.toks
	try := func(k int) (subject, bool) {
		if k < 0 || k >= len(toks) || (toks[k].norm != "by" && !(toks[k].norm == "to" && adjectivalRedLine[strings.ToLower(c.text)] && c.j == k)) {
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
	for k := c.j; k < len(toks) && k < c.j+2 && adverbLike(toks[k]); k++ {
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
			if prepositions[toks[n].norm] {
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
			sub, ok := st.pronoun(ss, k, pronouns[toks[k].norm], nil)
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

var reportingVerbs = map[string]bool{"said": true, "says": true, "told": true, "tells": true, "stated": true, "states": true, "added": true, "explained": true, "declared": true, "announced": true, "insisted": true, "wrote": true, "argued": true, "noted": true, "warned": true, "asserted": true, "asserts": true, "stressed": true, "emphasised": true, "emphasized": true, "confirmed": true, "continued": true, "replied": true, "responded": true}

// quoteSpeaker finds the speaker of a quotation in a sentence: `"…,"
// Zelenskyy told reporters` or `"…," said Peskov`.
func quoteSpeaker(ss *sentenceState) (subject, bool) {
	toks := ss.toks
	hasQuote := strings.ContainsAny(ss.text, "\"“”")
	if !hasQuote {
		return subject{}, false
	}
	for k, t := range toks {
		if !reportingVerbs[t.norm] {
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

var conditionMarkers = [][]string{{"if"}, {"unless"}, {"provided", "that"}, {"provided"}, {"as", "long", "as"}, {"on", "condition", "that"}, {"in", "exchange", "for"}, {"in", "return", "for"}, {"only", "if"}, {"once"}}

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
		for _, mk := range conditionMarkers {
			if k+len(mk) > len(toks) {
				continue
			}
			ok := true
			for n, w := range mk {
				if toks[k+n].norm != w {
					ok = false
					break
				}
			}
			if !ok {
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

// topicsIn returns the topic ids named in tokens [from, to), in first-seen
// order. A phrase that stands for a party acting in the sentence ("supported
// by NATO", "NATO has said") is that party, not the topic. Weak phrases
// count only when nothing else names a topic.
func (st *claimState) topicsIn(ss *sentenceState, from, to int) []string {
	toks := ss.toks
	var strong, weak []string
	for i := max(from, 0); i < to && i < len(toks); {
		ms := st.lx.topics.at(toks, i)
		if len(ms) == 0 {
			i++
			continue
		}
		j := ms[0].j
		if m, ok := mentionStartingAt(ss.mentions, i); ok && m.j == j && (m.subject || (i > 0 && toks[i-1].norm == "by")) {
			i = j
			continue
		}
		for _, m := range ms {
			if m.j != j {
				break
			}
			ref := m.value.(topicRef)
			list := &strong
			if ref.weak {
				list = &weak
			}
			if !slices.Contains(*list, ref.id) {
				*list = append(*list, ref.id)
			}
		}
		i = j
	}
	if len(strong) > 0 {
		return strong
	}
	return weak
}

// sentenceClaims extracts the claims of one sentence.
func (st *claimState) sentenceClaims(s Sentence, ss *sentenceState, blk Block, next *sentenceState) []Claim {
	text := strings.TrimSpace(s.Text)
	if text == "" || strings.HasSuffix(strings.TrimRight(text, "\"”’' )"), "?") {
		return nil
	}
	toks := ss.toks
	cues := st.lx.sentenceCues(ss)
	// Most sentences state no position: look for hedges only in those that may.
	if len(cues) == 0 && (blk.Kind != ListItem || st.leadParty == "") {
		return nil
	}
	hedged := st.lx.hedged(toks)

	var out []Claim
	add := func(c Claim) {
		for k := range out {
			if out[k].Party == c.Party && out[k].Kind == c.Kind {
				for _, t := range c.Topics {
					if !slices.Contains(out[k].Topics, t) {
						out[k].Topics = append(out[k].Topics, t)
					}
				}
				out[k].Confidence = max(out[k].Confidence, c.Confidence)
				return
			}
		}
		out = append(out, c)
	}

	if len(cues) == 0 {
		// A list item under a lead-in states the lead-in's position.
		if blk.Kind == ListItem && st.leadParty != "" {
			if topics := st.topicsIn(ss, 0, len(toks)); len(topics) > 0 {
				add(Claim{Party: st.leadParty, Speaker: st.leadSpeaker, Kind: st.leadKind, Topics: topics, Cue: st.leadCue,
					Hedged: hedged, Attribution: ByList, Confidence: confidence(ByList, false, hedged, false)})
			}
		}
		return finish(out, s, st.lx)
	}

	// Attribute each cue; a cue inside the complement of the one before it
	// ("demands that Ukraine never accept…", "rejects demands that would
	// compromise…") is that cue's content, not a position of its own.
	type held struct {
		c   cue
		sub subject
	}
	var kept []held
	st.holder = ""
	defer func() { st.holder = "" }()
	for _, c := range cues {
		lo := 0
		if n := len(kept); n > 0 {
			lo = kept[n-1].c.j
		}
		sub, how := st.resolveSubject(ss, c, lo, next)
		if n := len(kept); n > 0 && !c.noun {
			p := kept[n-1]
			switch {
			case how == scanPrev && (coordinatedClause(toks, p.c.j, c.i) || participleClause(toks, c)):
				// "Russia is asking for X, but would allow Y".
				sub = p.sub
				sub.co = nil
			case how == scanPrev:
				continue
			case how == scanFound && !sub.passive && sub.at >= p.c.j && p.c.kind == KindDemand && sub.party != p.sub.party && !breakBetween(toks, p.c.j, sub.at) && !coordinatedClause(toks, p.c.j, sub.at):
				continue // the demand's addressee: "demanded that Ukraine cede"
			case how == scanFound && !sub.passive && sub.at >= p.c.j && relativeBetween(toks, p.c.j, sub.at) && !(sub.at > 0 && relativePronoun(toks[sub.at-1].norm)):
				continue // "open to X, which would mean the country would have to…"
			}
		}
		if sub.party == "" {
			continue
		}
		kept = append(kept, held{c, sub})
		st.holder = sub.party
	}
	// "He has insisted the country is not willing to…": an insist that
	// introduces its holder's own position reports it; the position is
	// the one that follows.
	for n := 0; n+1 < len(kept); n++ {
		if reportingInsist[strings.ToLower(kept[n].c.text)] && kept[n+1].sub.party == kept[n].sub.party && kept[n+1].c.kind != KindDemand {
			kept = append(kept[:n], kept[n+1:]...)
			n--
		}
	}
	for n, h := range kept {
		c, sub := h.c, h.sub
		// The topics of a cue lie between the cue before it and the one
		// after it; a cue with none there takes the sentence's, and a quote
		// continued from the sentence before takes that one's.
		from, to := 0, len(toks)
		if n > 0 {
			from = kept[n-1].c.j
		}
		if sub.at > from && sub.at < c.i {
			from = sub.at // "While Russia seeks X, Ukraine demands Y": Y's topics start at Ukraine
		}
		for k := c.i - 1; k > from; k-- {
			if n := toks[k].norm; n == "but" || n == ";" || n == "while" || n == "whereas" {
				from = k // "…asking for X, but would allow Y": Y's topics start at "but"
				break
			}
		}
		if n+1 < len(kept) {
			to = kept[n+1].c.i
			if nx := kept[n+1].sub.at; nx > c.j && nx < to {
				to = nx // the next position starts at its own subject
			}
			for k := c.j; k < to; k++ {
				if n := toks[k].norm; n == ";" || (n == "," && k+1 < to && (toks[k+1].norm == "and" || toks[k+1].norm == "but" || toks[k+1].norm == "while")) {
					to = k // "Sanctions relief must come first, and foreign troops are unacceptable"
					break
				}
			}
		}
		topics := st.topicsIn(ss, from, to)
		switch {
		case len(topics) > 0:
		case len(kept) == 1:
			topics = st.topicsIn(ss, 0, len(toks))
		default:
			// "maintains maximalist demands…, primarily Ukraine's desire to
			// join NATO": what the position is about may follow the next cue.
			topics = st.topicsIn(ss, c.j, len(toks))
		}
		if len(topics) == 0 && st.prev != nil {
			topics = st.topicsIn(st.prev, 0, len(st.prev.toks))
		}
		if len(topics) == 0 {
			continue
		}
		cl := Claim{
			Party:       sub.party,
			Speaker:     sub.speaker,
			Kind:        c.kind,
			Topics:      topics,
			Hedged:      hedged,
			Condition:   condition(ss, c.i),
			Cue:         c.text,
			Attribution: sub.attribution,
			Confidence:  confidence(sub.attribution, c.weak, hedged, sub.near),
		}
		cl.Target = target(ss, c, sub.party)
		add(cl)
		for _, p := range sub.co {
			co := cl
			co.Party, co.Speaker, co.Target = p, "", target(ss, c, p)
			co.Topics = slices.Clone(topics)
			add(co)
		}
	}
	return finish(out, s, st.lx)
}

var reportingInsist = map[string]bool{"insist": true, "insists": true, "insisted": true, "insisting": true, "insist that": true, "insists that": true, "insisted that": true}

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

// finish sets the sentence and offsets of a sentence's claims and orders
// their topics as the lexicon does.
func finish(cs []Claim, s Sentence, lx *Lexicon) []Claim {
	for k := range cs {
		cs[k].Sentence = s.Text
		cs[k].Start, cs[k].End = s.Start, s.End
		slices.SortFunc(cs[k].Topics, func(a, b string) int {
			return slices.Index(lx.topicIDs, a) - slices.Index(lx.topicIDs, b)
		})
	}
	return cs
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

func (lx *Lexicon) hedged(toks []token) bool {
	for i := range toks {
		if len(lx.hedges.at(toks, i)) > 0 {
			return true
		}
	}
	return false
}

// confidence scores how far a claim can be trusted, from how its claimant
// was found and how firm its cue is. The bands are calibrated on the seed
// gold: claims at or above 0.8 are the ones `eval` expects to be right nine
// times in ten.
func confidence(attribution string, weak, hedged, near bool) float64 {
	c := 0.0
	switch attribution {
	case BySubject, BySpeaker:
		c = 0.9
	case ByList:
		c = 0.8
	case ByPronoun:
		c = 0.75
		if near {
			c = 0.85
		}
	case ByHeading:
		c = 0.6
	}
	if weak {
		c -= 0.15
	}
	if hedged {
		c -= 0.2
	}
	return max(0, min(1, c))
}
