package extract

// The topic model decides what a claim is about: one logistic regression
// over (claim, topic) pairs. Its features say how the topic is named around
// the claim — by a phrase of the lexicon in the sentence (strong or weak,
// near a cue or not), in the rules' claim, in the sentences before and
// after, how often in the article, by words of its phrases without the
// phrase ("troops" for foreign_troops) — each both shared by all topics and
// for that topic alone, and the sentence's words for the topic alone. Sharing
// lets a rare topic learn from the frequent ones what a phrase near the cue
// is worth; the topic's own features learn its background wording ("strong
// response" is sanctions).

import (
	"math"
	"slices"
)

// topicNear is how many tokens from a cue a topic phrase counts as the
// cue's own.
const topicNear = 6

// topicHit is how a sentence names one topic.
type topicHit struct {
	strong, weak bool // by a strong phrase, by a weak (~) one
	near         bool // a phrase of it within topicNear tokens of a cue
	parts        int  // words of its phrases in the sentence (topicPhraseWords)
}

// topicHits are the topics a sentence names, and the topics words of
// whose phrases it has.
type topicHits struct {
	by    map[string]topicHit
	named int // topics named by a phrase
}

// topicArticle is what the topic model reads of one article: its candidate
// sentences and how many of them name each topic.
type topicArticle struct {
	cands    []candSentence
	lexWords map[string][]string // the lexicon's topicWords
	doc      map[string]int
	top      string // the topic most candidate sentences name ("" for none)
}

func newTopicArticle(lx *Lexicon, cands []candSentence) *topicArticle {
	ta := &topicArticle{cands: cands, lexWords: lx.topicWords, doc: map[string]int{}}
	for k := range cands {
		for _, t := range cands[k].lex {
			ta.doc[t]++
		}
	}
	best := 0
	for k := range cands {
		// First named first: the order is the article's, not the map's.
		for _, t := range cands[k].lex {
			if n := ta.doc[t]; n > best {
				best, ta.top = n, t
			}
		}
	}
	return ta
}

// topicPhraseWords returns, by word, the topics whose phrases in m have
// the word: words of four letters or more that at most two topics share,
// so that "troops" stands for foreign_troops and withdrawal, and "the"
// (short) or "military" (in phrases of six topics) for none.
func topicPhraseWords(m *matcher) map[string][]string {
	out := map[string][]string{}
	for _, ps := range m.byFirst {
		for _, p := range ps {
			id := p.value.(topicRef).id
			for _, w := range p.words {
				if len(w) > 3 && !slices.Contains(out[w], id) {
					out[w] = append(out[w], id)
				}
			}
		}
	}
	for w, ids := range out {
		if len(ids) > 2 {
			delete(out, w)
		}
	}
	return out
}

// hits returns the topics the lexicon's phrases name in candidate sentence
// k. As the rules read it, a phrase that stands for a party acting in the
// sentence ("NATO has said", "supported by NATO") names that party, not the
// topic.
func (ta *topicArticle) hits(lx *Lexicon, k int) topicHits {
	cs := &ta.cands[k]
	ss := cs.ss
	toks := ss.toks
	out := map[string]topicHit{}
	eachTopicPhrase(lx, ss, 0, len(toks), func(i, j int, ref topicRef) {
		near := false
		for _, c := range cs.cues {
			if i-c.j <= topicNear && c.i-j <= topicNear {
				near = true
			}
		}
		h := out[ref.id]
		if ref.weak {
			h.weak = true
		} else {
			h.strong = true
		}
		h.near = h.near || near
		out[ref.id] = h
	})
	named := len(out)
	for i := range toks {
		for _, id := range ta.lexWords[toks[i].norm] {
			h := out[id]
			h.parts++
			out[id] = h
		}
	}
	return topicHits{by: out, named: named}
}

// neighbourNames reports whether the candidate sentence right before (d =
// -1) or after (d = 1) sentence k names topic t.
func (ta *topicArticle) neighbourNames(k, d int, t string) bool {
	n := k + d
	if n < 0 || n >= len(ta.cands) || ta.cands[n].index != ta.cands[k].index+d {
		return false
	}
	return slices.Contains(ta.cands[n].lex, t)
}

// topicFeats appends to f the features of topic t for the claim of party
// and kind in candidate sentence k; hits are the sentence's (ta.hits) and
// words its words' features (topicWords), named when f is.
func (ta *topicArticle) topicFeats(k int, party, kind, t string, hits topicHits, words *featureSet, f *featureSet) {
	cs := &ta.cands[k]
	// The features added here, by their index in f less base, as bit
	// sets (a topic has 17 at most): those shared and conjoined (both) and
	// those conjoined only (own). Bit sets keep them in order, and off the
	// heap.
	base := f.len()
	var both, own uint64
	add := func(set *uint64, prefix, value string) {
		f.add(prefix, value)
		*set |= 1 << (f.len() - 1 - base)
	}
	add(&own, "tb", "")
	add(&own, "tk:", kind)
	add(&own, "tp:", party)
	h := hits.by[t]
	named := h.strong || h.weak
	switch {
	case h.strong:
		add(&both, "ts", "")
	case named:
		add(&both, "tw", "")
	}
	if h.near {
		add(&both, "tnear", "")
	}
	if hits.named == 0 {
		add(&own, "tnone", "")
	}
	if !named && h.parts > 0 {
		add(&both, "tpart", "")
		add(&both, "tpartn:", bucket(h.parts))
	}
	if slices.Contains(cs.lex, t) {
		add(&both, "tlex", "")
		add(&both, "tlexn:", bucket(len(cs.lex)))
	}
	rule := ruleTopics(cs, party, kind)
	switch {
	case slices.Contains(rule, t):
		add(&both, "trule", "")
		add(&both, "truln:", bucket(len(rule)))
	case rule != nil:
		add(&both, "tnotrule", "")
	}
	for _, r := range cs.rules {
		if (r.Party != party || r.Kind != kind) && slices.Contains(r.Topics, t) {
			add(&both, "truleother", "")
			break
		}
	}
	if ta.neighbourNames(k, -1, t) {
		add(&both, "tprev", "")
	}
	if ta.neighbourNames(k, 1, t) {
		add(&both, "tnext", "")
	}
	add(&both, "tdoc:", bucket(ta.doc[t]))
	if ta.top == t {
		add(&both, "ttop", "")
	}
	n := f.len()
	for _, set := range [...]uint64{both, own} {
		for i := base; i < n; i++ {
			if set&(1<<(i-base)) != 0 {
				f.addConjoined(f, i, t)
			}
		}
	}
	// The conjoined-only features leave their plain form out: it is the
	// same for every topic of the claim, and says nothing.
	kept := base
	for i := base; i < f.len(); i++ {
		if i < n && own&(1<<(i-base)) != 0 {
			continue
		}
		f.hs[kept] = f.hs[i]
		if f.named {
			f.names[kept] = f.names[i]
		}
		kept++
	}
	f.hs = f.hs[:kept]
	if f.named {
		f.names = f.names[:kept]
	}
	if words != nil {
		for i := range words.hs {
			f.addConjoined(words, i, t)
		}
	}
}

// topicWordPrefix starts the word features of topicWords.
const topicWordPrefix = "tw:"

// topicWords returns the word features of candidate sentence k, to be
// conjoined with each topic.
func (ta *topicArticle) topicWords(k int, names bool) featureSet {
	f := newFeatureSet(names, len(ta.cands[k].ss.toks))
	ta.addTopicWords(k, &f)
	return f
}

// addTopicWords adds to f the word features of candidate sentence k
// (topicWords).
func (ta *topicArticle) addTopicWords(k int, f *featureSet) {
	toks := ta.cands[k].ss.toks
	for i := range toks {
		if t := &toks[i]; t.word {
			f.add(topicWordPrefix, t.norm)
		}
	}
}

// topicSentence is what the topic model reads of candidate sentence k
// the same way for every claim taken in it (several holders or kinds): its
// topic hits and the weight rows of its word features. One serves the
// sentences of an article in turn, its slices reused.
type topicSentence struct {
	k     int         // the candidate sentence read; -1 for none yet
	hits  topicHits   // ta.hits
	words featureSet  // ta.topicWords, unnamed
	rows  [][]float64 // by feature of words, its topicWords row (nil for none)
	buf   featureSet  // topicFeats' features of one topic
}

// readSentence sets ts to what the topic model reads of candidate
// sentence k for any claim in it. The model must have a topic model.
func (m *Model) readSentence(lx *Lexicon, ta *topicArticle, k int, ts *topicSentence) {
	ts.k, ts.hits = k, ta.hits(lx, k)
	ts.words.reset()
	ta.addTopicWords(k, &ts.words)
	ts.rows = ts.rows[:0]
	for _, h := range ts.words.hs {
		ts.rows = append(ts.rows, m.topicWords.row(h))
	}
}

// claimTopics returns the topics of the claim of party and kind in the
// candidate sentence of ts: those the topic model gives a probability of
// at least one half, else the most likely one, in the lexicon's order. It
// returns nil for a model without a topic model, for which ts may be unread.
func (m *Model) claimTopics(lx *Lexicon, ta *topicArticle, ts *topicSentence, party, kind string) []string {
	if m.topicModel == nil {
		return nil
	}
	var out []string
	best, bestZ := "", math.Inf(-1)
	for i, z := range m.topicScores(lx, ta, ts, party, kind) {
		t := lx.topicIDs[i]
		if z >= 0 {
			out = append(out, t)
		}
		if z > bestZ {
			best, bestZ = t, z
		}
	}
	if len(out) == 0 && best != "" {
		out = []string{best}
	}
	return out
}

// topicScores returns the topic model's score of each of the lexicon's
// topics for the claim of party and kind in the candidate sentence of ts:
// for each, the sum of the weights of topicFeats' features in their order.
func (m *Model) topicScores(lx *Lexicon, ta *topicArticle, ts *topicSentence, party, kind string) []float64 {
	// The word features come last in topicFeats' list, each conjoined with
	// the topic: their weights for every topic were looked up once
	// (readSentence) and are added in the same order after the other
	// features' sum, which makes the same sum as dot over the whole list.
	out := make([]float64, len(lx.topicIDs))
	buf := &ts.buf
	for i, t := range lx.topicIDs {
		buf.reset()
		ta.topicFeats(ts.k, party, kind, t, ts.hits, nil, buf)
		z := dot(m.topicModel, buf.hs)
		col, known := m.topicWords.cols[t]
		for _, r := range ts.rows {
			w := 0.0 // what dot adds for a feature without a weight
			if known && r != nil {
				w = r[col]
			}
			z += w
		}
		out[i] = z
	}
	return out
}

// topicExamples turns the gold claims of the docs into examples of the
// topic model: for every candidate sentence and gold claim (required or
// optional, as topic F1 counts both) that match, one example per topic of
// ids, positive for the gold claim's topics.
func topicExamples(docs []TrainingDoc, ids []string, v *vocab) []example {
	var out []example
	buf := featureSet{named: true}
	for di := range docs {
		d := &docs[di]
		if len(d.cands) == 0 || d.lex == nil {
			continue
		}
		lx := d.lex
		ta := newTopicArticle(lx, d.cands)
		goldText := make([]scoreText, len(d.Gold))
		for i, g := range d.Gold {
			goldText[i] = scorePrepare(g.Sentence)
		}
		for k := range d.cands {
			st := scorePrepare(d.cands[k].sent.Text)
			var hits topicHits
			var words featureSet
			for gi, g := range d.Gold {
				if len(g.Topics) == 0 {
					continue
				}
				if ok, _ := scoreOverlap(&goldText[gi], &st); !ok {
					continue
				}
				if hits.by == nil {
					hits, words = ta.hits(lx, k), ta.topicWords(k, true)
				}
				for _, t := range ids {
					buf.reset()
					ta.topicFeats(k, g.Party, g.Kind, t, hits, &words, &buf)
					x := make([]int32, buf.len())
					for i, fh := range buf.hs {
						x[i] = v.id(fh, buf.names[i])
					}
					y := 0.0
					if slices.Contains(g.Topics, t) {
						y = 1
					}
					out = append(out, example{x: x, y: y, doc: di, w: d.weight()})
				}
			}
		}
	}
	return out
}

// trainTopicModel fits the topic model on the docs' gold claims, over the
// topics of the lexicon they were prepared with.
func trainTopicModel(docs []TrainingDoc, o TrainOptions) map[string]float64 {
	if len(docs) == 0 || docs[0].lex == nil {
		return nil
	}
	v := &vocab{index: map[uint64]int32{}}
	ex := topicExamples(docs, docs[0].lex.topicIDs, v)
	if len(ex) == 0 {
		return nil
	}
	ex = prune(ex, v, o.MinDocs)
	out := map[string]float64{}
	keep(out, fitLR(ex, len(v.names), o), v.names, o.MinWeight)
	return out
}
