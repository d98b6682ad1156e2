package extract

// Claim rules: the entry points and the per-sentence driver. For each
// sentence the driver finds the cues (cues.go), resolves who holds each
// position (holders.go), sets aside cues that sit in a condition or in
// another cue's clause (conditions.go), collects the topics (topics.go)
// and scores the claim (confidence.go). claimState carries the context
// from sentence to sentence: the last subject, the section heading's
// party, the list lead-in.

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
	st := &claimState{lx: lx, art: a, states: make([]sentenceState, 0, len(sents))}
	for _, s := range sents {
		st.textLeft += len(s.Text)
	}
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

	// slab is where the sentences' tokens are cut from: one array for
	// many sentences instead of one each, sized by textLeft, the bytes of
	// the sentences not yet analysed. The model keeps every candidate
	// sentence's tokens to the end of the article, so none is reused.
	slab     []token
	textLeft int
	// lower holds the lowered norms of the article's capitalised words
	// (appendTokens): one growing buffer instead of one per sentence.
	lower strings.Builder
	// states are the article's sentence states, made in one array that
	// analyse fills in turn: each sentence is analysed once, and the
	// model keeps pointers to them to the end of the article.
	states []sentenceState
}

type leadIn struct{ party, kind, speaker, cue string }

type sentenceState struct {
	text     string
	toks     []token
	words    *words // the lexicon's, for the rules that see only the sentence
	mentions []mention
	cues     []cue
	cuesDone bool
	// topics, once topicsDone, are the topics of the whole sentence.
	topics     []string
	topicsDone bool
	// hedged, once hedgedDone, says whether the sentence has a hedge.
	hedged, hedgedDone bool
	// quoted says whether the sentence has a double quotation mark; the
	// rules and the features ask several times.
	quoted bool
	// speaker and speakerOK, once speakerDone, are quoteSpeaker's result.
	speaker                subject
	speakerOK, speakerDone bool
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
	var ss *sentenceState
	if n := len(st.states); n < cap(st.states) {
		st.states = st.states[:n+1]
		ss = &st.states[n]
	} else {
		ss = new(sentenceState)
	}
	*ss = sentenceState{text: s.Text, toks: st.lx.classify(st.tokenize(s.Text)), words: st.lx.words, quoted: hasDoubleQuote(s.Text)}
	if len(ss.toks) > maxSentenceTokens {
		ss.toks = nil // run-on text: no claims, no context
	}
	ss.mentions = st.lx.mentions(ss.text, ss.toks)
	return ss
}

// tokenize is tokenize(text) for the next sentence of the article, its
// tokens cut from st.slab.
func (st *claimState) tokenize(text string) []token {
	st.textLeft = max(st.textLeft-len(text), 0)
	if cap(st.slab) < tokensCap(len(text)) {
		st.slab = make([]token, 0, tokensCap(len(text))+st.textLeft/6)
	}
	toks := appendTokens(st.slab, text, &st.lower)
	switch {
	case len(toks) > cap(st.slab):
		// The slab was too small: the tokens grew an array of their own.
	case len(toks) > maxSentenceTokens:
		// Run-on text, which analyse drops: the next sentence reuses
		// the room.
	default:
		// The rest of the slab is for the sentences after. The full slice
		// expression keeps an append to these tokens from writing over
		// the next sentence's.
		st.slab = st.slab[len(toks):len(toks)]
		toks = toks[:len(toks):len(toks)]
	}
	return toks
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
	hedged := st.lx.sentenceHedged(ss)

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
			if topics := st.lx.topicsIn(ss, 0, len(toks)); len(topics) > 0 {
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
		if st.lx.words.reportingInsist[strings.ToLower(kept[n].c.text)] && kept[n+1].sub.party == kept[n].sub.party && kept[n+1].c.kind != KindDemand {
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
		topics := st.lx.topicsIn(ss, from, to)
		switch {
		case len(topics) > 0:
		case len(kept) == 1:
			topics = st.lx.topicsIn(ss, 0, len(toks))
		default:
			// "maintains maximalist demands…, primarily Ukraine's desire to
			// join NATO": what the position is about may follow the next cue.
			topics = st.lx.topicsIn(ss, c.j, len(toks))
		}
		if len(topics) == 0 && st.prev != nil {
			topics = st.lx.topicsIn(st.prev, 0, len(st.prev.toks))
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
			Cue:         c.written(ss),
			Attribution: sub.attribution,
			Confidence:  confidence(sub.attribution, c.weak, hedged, sub.near),
		}
		cl.Target = cmp.Or(sub.target, target(ss, c, sub.party))
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
