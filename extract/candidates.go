package extract

import (
	"slices"
	"strings"
)

// The claim model scores candidates: (sentence, holder, kind) triples. A
// sentence is a candidate when it has a cue of any strength, when the rules
// found a claim in it, or when it is a list item under a lead-in. Its
// holders are every party that could hold a position stated there: those it
// names, the rules' claimants, the quote's speaker, and from context the
// last subject, the last person, the section heading's party, the list
// lead-in's party and the parties of the sentence before. The features say
// how each holder relates to the cues and what the sentence is doing.

// maxHolders bounds the holders of one sentence; the closest sources are
// added first.
const maxHolders = 8

// candSentence is one sentence that may hold a claim, with its holders and
// the features all of its candidates share.
type candSentence struct {
	index   int // in the article's sentences
	sent    Sentence
	ss      *sentenceState
	cues    []cue
	rules   []Claim // the rules' claims for this sentence
	hedged  bool
	holders []holder
	base    featureSet     // sentence features, conjoined with each kind when scored
	lex     []string       // the topics the lexicon's phrases name in the sentence
	prev    *sentenceState // the sentence just before; nil when there is none
}

// holder is a party that may hold a position stated in a sentence.
type holder struct {
	party       string
	speaker     string
	attribution string
	feats       featureSet
}

// candidates reads an article's sentences with the rules and returns the
// rules' claims and the candidate sentences. names keeps feature names, for
// training.
func (lx *Lexicon) candidates(a Article, sents []Sentence, names bool, tagger *Tagger, classes *WordClasses) ([]Claim, []candSentence) {
	// Room for every sentence at once: about half the sentences of news
	// text are candidates (17,119 of 36,273 in bulk.jsonl), and one array
	// of that size takes no more bytes than growing one from empty, in one
	// allocation instead of several.
	out := make([]candSentence, 0, len(sents))
	var prevSS *sentenceState
	prevIndex := -2
	obs := func(st *claimState, i int, ss *sentenceState, blk Block, next *sentenceState, cs []Claim) {
		prev := prevSS
		if prevIndex != i-1 {
			prev = nil
		}
		prevSS, prevIndex = ss, i
		if len(ss.toks) == 0 {
			return
		}
		text := strings.TrimSpace(ss.text)
		if strings.HasSuffix(strings.TrimRight(text, "\"”’' )"), "?") {
			return
		}
		cues := lx.sentenceCues(ss)
		listLead := blk.Kind == ListItem && st.leadParty != ""
		// A threat or a pledge often has no cue ("any attack will be met
		// with sanctions, Biden said"): a sentence that names a party or
		// quotes someone is a candidate too.
		if len(cues) == 0 && len(cs) == 0 && !listLead && len(ss.mentions) == 0 && !ss.quoted {
			return
		}
		c := candSentence{index: i, sent: sents[i], ss: ss, cues: cues, rules: cs, hedged: lx.sentenceHedged(ss)}
		var tags []string
		if tagger != nil {
			tags = tagger.tags(ss.text, ss.toks)
		}
		c.base = sentenceFeatures(st, ss, blk, cues, c.hedged, tags, names)
		c.holders = holders(st, ss, blk, prev, next, cues, cs, tags, names)
		classSentenceFeatures(classes, ss, cues, &c.base)
		classHolderFeatures(classes, ss, cues, c.holders)
		c.lex = lx.sentenceTopics(ss)
		c.prev = prev
		stance(&c)
		roles(st, &c)
		out = append(out, c)
	}
	rules := lx.claims(a, sents, obs)
	// How much of the article is about the lexicon's conflict: background
	// articles mention a party now and then, reports of positions often.
	rel := 0
	for _, c := range out {
		if len(c.ss.mentions) > 0 {
			rel++
		}
	}
	fs := newFeatureSet(names, 3)
	fs.add("rel:", bucket(rel))
	fs.add("ncand:", bucket(len(out)))
	fs.add("rules:", bucket(len(rules)))
	for k := range out {
		out[k].base.addAll(&fs)
	}
	// The rules are reliable in articles about the talks written in plain
	// news English, and not in others: how many claims they find in the
	// article says which kind of article this is.
	dens := bucket(len(rules))
	for k := range out {
		for h := range out[k].holders {
			hd := &out[k].holders[h]
			for _, r := range out[k].rules {
				if r.Party == hd.party {
					hd.feats.addJoin("ruledens:", r.Kind, ":", dens)
					hd.feats.addJoin("ruleattr:", r.Attribution, ":", dens)
				}
			}
		}
	}
	return rules, out
}

// sentenceFeatures are what a sentence is doing, whoever holds the claim.
func sentenceFeatures(st *claimState, ss *sentenceState, blk Block, cues []cue, hedged bool, tags []string, names bool) featureSet {
	// Room for a word and a word pair per token, the cues' features and
	// the article's three, so that the slice is made once.
	f := newFeatureSet(names, 2*len(ss.toks)+16+16*len(cues))
	f.add("bias", "")
	f.add("blk:", blk.Kind.String())
	toks := ss.toks
	words := 0
	// By index: a token is too big to copy for each look (here and in
	// the loops below over every token of a sentence).
	for k := range toks {
		t := &toks[k]
		if !t.word {
			continue
		}
		words++
		f.add("w:", t.norm)
		if len(t.norm) == 4 && (strings.HasPrefix(t.norm, "19") || strings.HasPrefix(t.norm, "200") || strings.HasPrefix(t.norm, "201")) && isDigits(t.norm) {
			f.add("hist", "")
		}
		if t.is(wcReportingVerb) {
			f.add("rep:", t.norm)
		}
	}
	// Pairs of words carry what single words cannot: "not accept",
	// "ready to", "said it", "in 2014".
	prev := "^"
	for k := range toks {
		if t := &toks[k]; t.word {
			f.addJoin("b:", prev, "_", t.norm)
			prev = t.norm
		}
	}
	f.add("len:", bucket(words/5))
	f.add("first:", toks[0].norm)
	if ss.quoted {
		f.add("quote", "")
	}
	if hedged {
		f.add("hedge", "")
	}
	if leadingCondition(toks) >= 0 {
		f.add("ifstart", "")
	}
	for _, c := range cues {
		f.add("c:", c.kind)
		f.add("cw:", strings.ToLower(c.text))
		if c.negated {
			f.add("cneg:", c.kind)
		}
		if c.noun {
			f.add("cnoun:", c.kind)
		}
		if c.weak {
			f.add("cweak:", c.kind)
		}
		if inCondition(toks, c.i) {
			f.add("ccond:", c.kind)
		}
		if ss.words.agentlessPassive(toks, c) {
			f.add("cpass:", c.kind)
		}
		if c.i > 0 {
			f.add("cl:", toks[c.i-1].norm)
		}
		if tags != nil {
			f.addJoin("ct:", c.kind, ":", tags[c.i])
		}
	}
	for _, t := range tags {
		if strings.HasPrefix(t, "VB") || t == "MD" {
			f.add("t:", t)
		}
	}
	f.add("ncues:", bucket(len(cues)))
	f.add("np:", bucket(distinctParties(ss.mentions)))
	for k := 0; k < len(toks) && k < 3; k++ {
		if toks[k].is(wcPronoun) {
			f.add("pron:", ss.words.pronouns[toks[k].norm])
			break
		}
	}
	return f
}

// distinctParties returns how many parties the mentions name.
func distinctParties(ms []mention) int {
	n := 0
	for k, m := range ms {
		// A sentence names a few parties: a scan of the ones before is
		// cheaper than a set.
		if !slices.ContainsFunc(ms[:k], func(o mention) bool { return o.party == m.party }) {
			n++
		}
	}
	return n
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// holders lists the parties that may hold a position in the sentence, each
// with features that say how it stands to the cues.
func holders(st *claimState, ss *sentenceState, blk Block, prev, next *sentenceState, cues []cue, rules []Claim, tags []string, names bool) []holder {
	// The holders are gathered on the stack, then copied to a slice of
	// their number: two on average in news text, up to maxHolders.
	var buf [maxHolders]holder
	found := buf[:0]
	// The sources of each holder, in the order found, as (holder, source)
	// pairs in one list: on the stack for all but the longest lists.
	type source struct {
		h   int
		src string
	}
	var srcBuf [24]source
	srcs := srcBuf[:0]
	get := func(party, src, speaker, attribution string) {
		if party == "" {
			return
		}
		for k := range found {
			if found[k].party == party {
				if found[k].speaker == "" {
					found[k].speaker = speaker
				}
				srcs = append(srcs, source{k, src})
				return
			}
		}
		if len(found) >= maxHolders {
			return
		}
		found = append(found, holder{party: party, speaker: speaker, attribution: attribution})
		srcs = append(srcs, source{len(found) - 1, src})
	}
	for _, c := range rules {
		get(c.Party, "rule", c.Speaker, c.Attribution)
	}
	for _, m := range ss.mentions {
		src := "name"
		if m.subject {
			src = "subjname"
		}
		get(m.party, src, m.person, BySubject)
	}
	if sp, ok := quoteSpeaker(ss); ok {
		get(sp.party, "quote", sp.speaker, BySpeaker)
	}
	if next != nil {
		if sp, ok := quoteSpeaker(next); ok {
			get(sp.party, "nextquote", sp.speaker, BySpeaker)
		}
	}
	if blk.Kind == ListItem && st.leadParty != "" {
		get(st.leadParty, "lead", st.leadSpeaker, ByList)
	}
	get(st.lastPerson.party, "lastperson", st.lastPerson.person, ByPronoun)
	get(st.lastOrg, "lastorg", "", ByPronoun)
	get(st.lastParty, "last", "", ByPronoun)
	get(st.headingParty, "heading", "", ByHeading)
	if prev != nil {
		for _, m := range prev.mentions {
			get(m.party, "prev", m.person, ByPronoun)
		}
	}
	hs := make([]holder, len(found))
	copy(hs, found)
	// The holders' features share one array, each holder with the room
	// holderRoom gives it: one allocation for the sentence instead of one
	// a holder.
	var rooms [maxHolders]int
	total := 0
	for k := range hs {
		n := 0
		for _, s := range srcs {
			if s.h == k {
				n++
			}
		}
		rooms[k] = holderRoom(ss, hs[k].party, n, len(rules))
		total += rooms[k]
	}
	room := newFeatureSet(names, total)
	distinct := distinctParties(ss.mentions)
	var own [24]string
	for k := range hs {
		ks := own[:0]
		for _, s := range srcs {
			if s.h == k {
				ks = append(ks, s.src)
			}
		}
		hs[k].feats = room.carve(rooms[k])
		holderFeatures(ss, cues, rules, hs[k].party, ks, distinct, tags, &hs[k].feats)
	}
	return hs
}

// holderRoom is the room for the features of party as a holder with nsrcs
// sources in a sentence with nrules rules' claims, the features the passes
// after holderFeatures add included (word classes, stance, roles, the
// rules' density): a party the sentence names gets ten to twenty, most of
// them about its mention; one it does not, a few and the rules'.
func holderRoom(ss *sentenceState, party string, nsrcs, nrules int) int {
	room := 4 + nsrcs + 4*nrules
	if slices.ContainsFunc(ss.mentions, func(m mention) bool { return m.party == party }) {
		room += 16
	}
	return room
}

// holderFeatures appends to f how one party stands to the sentence's
// cues: where it is named, in which role, and what the rules made of it.
func holderFeatures(ss *sentenceState, cues []cue, rules []Claim, party string, srcs []string, nparties int, tags []string, f *featureSet) {
	f.add("p:", party)
	for _, s := range srcs {
		f.add("src:", s)
	}
	toks := ss.toks
	first := true
	named := false
	for mi, m := range ss.mentions {
		if m.party != party {
			continue
		}
		named = true
		if !first {
			continue
		}
		first = false
		if mi == 0 {
			f.add("firstmention", "")
		}
		f.add("mk:", refKindName(m.kind))
		if m.subject {
			f.add("subj", "")
		}
		if m.i > 0 {
			f.add("pl:", toks[m.i-1].norm)
			if m.i > 1 {
				f.add("pl2:", toks[m.i-2].norm)
			}
		} else {
			f.add("pl:", "^")
		}
		if m.j < len(toks) {
			f.add("pr:", toks[m.j].norm)
		}
		if tags != nil {
			if m.i > 0 {
				f.add("plt:", tags[m.i-1])
			}
			if m.j < len(toks) {
				f.add("prt:", tags[m.j])
			}
			// The holder's own verb: "Russia demanded", "Russia invaded".
			for k := m.j; k < len(toks) && k < m.j+5; k++ {
				if strings.HasPrefix(tags[k], "VB") || tags[k] == "MD" {
					f.add("pvt:", tags[k])
					f.add("pv:", toks[k].norm)
					break
				}
			}
		}
		// Where the cue nearest to it stands.
		best, bestD := -1, 1<<30
		for k, c := range cues {
			d := c.i - m.j
			if m.i >= c.j {
				d = m.i - c.j
			}
			if d < 0 {
				d = -d
			}
			if d < bestD {
				best, bestD = k, d
			}
		}
		if best >= 0 {
			c := cues[best]
			pos := "before"
			if m.i >= c.j {
				pos = "after"
			}
			f.addJoin("pos:", pos, ":", bucket(bestD))
			f.addJoin("posk:", pos, ":", c.kind)
			if pos == "before" && bestD <= 8 {
				for k := m.j; k < c.i; k++ {
					f.add("mid:", toks[k].norm)
				}
			}
		}
	}
	if !named {
		f.add("unnamed", "")
		if nparties > 0 {
			f.add("unnamed_others:", bucket(nparties))
		}
	} else if nparties == 1 {
		f.add("only", "")
	}
	for _, c := range rules {
		switch {
		case c.Party == party:
			f.addJoin("rule:", c.Kind, ":", c.Attribution)
			f.add("rulek:", c.Kind)
		case c.Target == party:
			f.add("ruletarget", "")
		default:
			f.add("ruleother:", c.Kind)
		}
	}
}

func refKindName(k refKind) string {
	switch k {
	case refPerson:
		return "person"
	case refDemonym:
		return "demonym"
	case refRole:
		return "role"
	}
	return "alias"
}

// sentenceTopics returns the topics the lexicon's phrases name in a
// sentence, found once: the sentence after it reads them again.
func (lx *Lexicon) sentenceTopics(ss *sentenceState) []string {
	if !ss.topicsDone {
		ss.topics, ss.topicsDone = lx.topicsIn(ss, 0, len(ss.toks)), true
	}
	return ss.topics
}

// topicFeatures are the features of the per-topic classifiers of a model
// file without a topic model: candidate sentence cs's words, the topic
// phrases of the lexicon in it and in the sentence before, and the rules'
// topics. They are made only when such a model needs them.
func (lx *Lexicon) topicFeatures(cs *candSentence, names bool) featureSet {
	ss, prev, lex, rules := cs.ss, cs.prev, cs.lex, cs.rules
	f := newFeatureSet(names, len(ss.toks)+8)
	f.add("bias", "")
	for _, t := range ss.toks {
		if t.word {
			f.add("w:", t.norm)
		}
	}
	for _, id := range lex {
		f.add("lex:", id)
	}
	if prev != nil && len(prev.toks) > 0 {
		for _, id := range lx.sentenceTopics(prev) {
			f.add("prevlex:", id)
		}
	}
	for _, c := range rules {
		for _, id := range c.Topics {
			f.add("rule:", id)
		}
	}
	return f
}

// kindFeatures appends to f the features of one (sentence, holder, kind)
// candidate: every sentence and holder feature, plain and conjoined with
// the kind, and those that only make sense for one kind.
func kindFeatures(cs *candSentence, h *holder, kind string, f *featureSet) {
	for _, src := range [...]*featureSet{&cs.base, &h.feats} {
		for i := range src.hs {
			f.addFrom(src, i)
			f.addConjoined(src, i, kind)
		}
	}
	kindOnly(cs, h, kind, f)
}

// kindOnly appends to f the features that only make sense for one kind.
func kindOnly(cs *candSentence, h *holder, kind string, f *featureSet) {
	n := 0
	for _, c := range cs.cues {
		if c.kind == kind {
			n++
		}
	}
	f.addJoin("kcues:", kind, ":", bucket(n))
	for _, c := range cs.rules {
		if c.Kind == kind && c.Party == h.party {
			f.addJoin("krule:", kind, ":", c.Attribution)
		}
	}
}
