package extract

import (
	"slices"
	"strings"
	"testing"
)

// topicArticleOf reads a one-paragraph article and returns its topic
// article, failing unless it has want candidate sentences.
func topicArticleOf(t *testing.T, paragraph string, want int) (*Lexicon, *topicArticle) {
	t.Helper()
	lx, sp := ctSetup(t)
	a, sents := buildArticle(sp, text(paragraph))
	_, cands := lx.candidates(a, sents, true, nil, nil)
	if len(cands) != want {
		t.Fatalf("%q: %d candidate sentences, want %d", paragraph, len(cands), want)
	}
	return lx, newTopicArticle(lx, cands)
}

// TestTopicFeatures: each feature of the topic model fires for the topic
// of a sentence that has what it stands for, and not on a near miss.
func TestTopicFeatures(t *testing.T) {
	for _, tt := range []struct {
		name, text    string
		sentence      int // the candidate sentence read
		party, kind   string
		topic         string
		want, not     []string
		candsExpected int
	}{
		{name: "strong phrase near the cue",
			text: "Zelensky demanded more air defence systems.", party: "ukraine", kind: KindDemand, topic: "arms_supply",
			want: []string{"ts|arms_supply", "ts", "tnear", "tlex|arms_supply", "tdoc:1|arms_supply", "ttop", "tw:air|arms_supply", "tb|arms_supply", "tk:demand|arms_supply"},
			not:  []string{"tw", "tw|arms_supply", "tnone|arms_supply", "tb"}},
		{name: "weak phrase only",
			text: "Zelensky said Ukraine wants peace.", party: "ukraine", kind: KindDemand, topic: "ceasefire",
			want: []string{"tw", "tw|ceasefire"}, not: []string{"ts", "ts|ceasefire"}},
		{name: "a party acting is not its topic",
			text: "NATO has said it will not send more troops.", party: "nato", kind: KindRedLine, topic: "nato",
			want: []string{"tdoc:0|nato"}, not: []string{"ts", "tw", "tlex"}},
		{name: "a topic the sentence does not name",
			text: "Zelensky demanded more air defence systems.", party: "ukraine", kind: KindDemand, topic: "sanctions",
			want: []string{"tdoc:0", "tb|sanctions", "tw:air|sanctions"}, not: []string{"ts", "tw", "tnear", "tlex", "ttop", "tprev"}},
		{name: "a phrase far from the cue",
			text:  "Ukraine, which has been sent tanks, artillery and ammunition by its allies since the full-scale invasion began three years ago, is now demanding a truce.",
			party: "ukraine", kind: KindDemand, topic: "arms_supply",
			want: []string{"ts"}, not: []string{"tnear"}},
		{name: "the sentence before names it",
			text: "The EU imposed new sanctions on Russia on Monday. The Kremlin demanded that they be lifted at once.", sentence: 1, candsExpected: 2,
			party: "russia", kind: KindDemand, topic: "sanctions",
			want: []string{"tprev", "tprev|sanctions", "tdoc:1"}, not: []string{"ts", "tnext"}},
		{name: "the sentence after names it",
			text: "The EU imposed new sanctions on Russia on Monday. The Kremlin demanded that they be lifted at once.", sentence: 0, candsExpected: 2,
			party: "european_union", kind: KindDemand, topic: "sanctions",
			want: []string{"ts", "tdoc:1"}, not: []string{"tprev", "tnext"}},
		{name: "a word of the topic's phrases without the phrase",
			text: "Britain is ready to deploy troops in Ukraine after a deal.", party: "united_kingdom", kind: KindOffer, topic: "foreign_troops",
			want: []string{"tpart", "tpart|foreign_troops", "tpartn:1"}, not: []string{"ts", "tw"}},
		{name: "the phrase itself is no part",
			text: "Britain is ready to send troops to Ukraine after a deal.", party: "united_kingdom", kind: KindOffer, topic: "foreign_troops",
			want: []string{"ts"}, not: []string{"tpart"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lx, ta := topicArticleOf(t, tt.text, max(tt.candsExpected, 1))
			k := tt.sentence
			words, fs := ta.topicWords(k, true), featureSet{named: true}
			ta.topicFeats(k, tt.party, tt.kind, tt.topic, ta.hits(lx, k), &words, &fs)
			got := fs.names
			for i, name := range got {
				if fs.hs[i] != featureHash(name) {
					t.Errorf("feature %s: hash does not match its name", name)
				}
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("no %s among %s", w, strings.Join(got, " "))
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("%s among %s", n, strings.Join(got, " "))
				}
			}
		})
	}
}

// TestTopicFeaturesRule: the rules' topics of the same claim are a feature,
// those of another party's claim another.
func TestTopicFeaturesRule(t *testing.T) {
	lx, ta := topicArticleOf(t, "Russia demanded that Ukraine never join NATO.", 1)
	hits := ta.hits(lx, 0)
	words := ta.topicWords(0, true)
	names := func(party string) []string {
		fs := featureSet{named: true}
		ta.topicFeats(0, party, KindDemand, "nato", hits, &words, &fs)
		return fs.names
	}
	if rules := ta.cands[0].rules; len(rules) == 0 || rules[0].Party != "russia" {
		t.Fatalf("the rules found %v, want a claim of russia", rules)
	}
	if got := names("russia"); !slices.Contains(got, "trule|nato") || slices.Contains(got, "truleother") {
		t.Errorf("russia's claim: %s, want trule|nato and no truleother", strings.Join(got, " "))
	}
	if got := names("ukraine"); slices.Contains(got, "trule") || !slices.Contains(got, "truleother|nato") {
		t.Errorf("ukraine's claim: %s, want truleother|nato and no trule", strings.Join(got, " "))
	}
}

// TestClaimTopics: a claim takes every topic the topic model scores at 0 or
// above, else the best one, in the lexicon's order; a model without a
// topic model leaves the topics to the rules.
func TestClaimTopics(t *testing.T) {
	lx, ta := topicArticleOf(t, "Biden said Russia would face sanctions and lose the war if it invaded Ukraine.", 1)
	for _, tt := range []struct {
		name    string
		weights map[string]float64
		want    []string
	}{
		{name: "named topics",
			weights: map[string]float64{"ts": 2, "tdoc:0": -1, "tdoc:1": -1, "tb|sanctions": -0.5},
			want:    []string{"sanctions"}},
		{name: "a prior takes a topic without its phrase",
			weights: map[string]float64{"ts": 2, "tdoc:0": -1, "tdoc:1": -1, "tb|territory": 1.5, "tb|sanctions": -0.5},
			want:    []string{"territory", "sanctions"}},
		{name: "a word of the sentence takes a topic",
			weights: map[string]float64{"ts": 2, "tdoc:0": -1, "tdoc:1": -1, "tb|sanctions": -0.5, "tw:war|territory": 2.5},
			want:    []string{"territory", "sanctions"}},
		{name: "none above zero: the best",
			weights: map[string]float64{"ts": 0.5, "tdoc:0": -2, "tdoc:1": -1},
			want:    []string{"sanctions"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := &Model{topicModel: hashWeights(tt.weights)}
			m.topicWords = topicWordWeightsByName(tt.weights, m.topicModel)
			ts := &topicSentence{k: -1}
			m.readSentence(lx, ta, 0, ts)
			got := m.claimTopics(lx, ta, ts, "united_states", KindRedLine)
			if !slices.Equal(got, tt.want) {
				t.Errorf("topics %v, want %v", got, tt.want)
			}
		})
	}
	if got := (&Model{}).claimTopics(lx, ta, &topicSentence{k: -1}, "united_states", KindRedLine); got != nil {
		t.Errorf("without a topic model: %v, want nil", got)
	}
}

// TestTopicScores: the scores read the words' weights from the table of
// the words by topic, and make exactly the sums of the weights of every
// feature of topicFeats, words included, in their order (what the topic
// model was trained to score), for the built-in model.
func TestTopicScores(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	lx, ta := topicArticleOf(t, "Ukraine rejected any ceasefire that freezes the front line, Zelensky said. "+
		"Russia demands that Kyiv give up its NATO bid and withdraw its troops from four regions. "+
		"Britain is ready to send peacekeepers once a deal is signed, and the EU wants sanctions kept.", 3)
	compared := 0
	// One topicSentence read for each sentence in turn, as claimsOf does.
	ts := &topicSentence{k: -1}
	for k := range ta.cands {
		hits, words := ta.hits(lx, k), ta.topicWords(k, false)
		m.readSentence(lx, ta, k, ts)
		for _, h := range ta.cands[k].holders {
			for _, kind := range claimKinds {
				got := m.topicScores(lx, ta, ts, h.party, kind)
				for i, topic := range lx.topicIDs {
					var fs featureSet
					ta.topicFeats(k, h.party, kind, topic, hits, &words, &fs)
					want := dot(m.topicModel, fs.hs)
					if got[i] != want {
						t.Errorf("sentence %d, %s %s, %s: score %v, want %v", k, h.party, kind, topic, got[i], want)
					}
					compared++
				}
			}
		}
	}
	if compared < 100 {
		t.Errorf("only %d scores compared", compared)
	}
	// The table holds a weight for every word of the sentences that the
	// topic model has one for, so that the test above reads it.
	inTable := 0
	for k := range ta.cands {
		words := ta.topicWords(k, false)
		for _, h := range words.hs {
			if m.topicWords.row(h) != nil {
				inTable++
			}
		}
	}
	if inTable == 0 {
		t.Error("no word of the sentences in the table")
	}
}

// TestTopicWordWeights: the table gives a word's weight with each topic,
// whatever the topic's id, and none for words and topics without one.
func TestTopicWordWeights(t *testing.T) {
	byName := map[string]float64{
		"tw:war|territory": 2.5, "tw:war|sanctions": -1,
		"tw:war|a|b":  1.5, // a topic id with a bar in it
		"tw:deal|a|b": 0.25, "ts|territory": 7, "tb": 3,
	}
	tw := topicWordWeightsByName(byName, hashWeights(byName))
	for _, c := range []struct {
		word, topic string
		want        float64
	}{
		{"war", "territory", 2.5},
		{"war", "sanctions", -1},
		{"war", "a|b", 1.5},
		{"deal", "a|b", 0.25},
		{"deal", "territory", 0},
		{"peace", "territory", 0}, // no weights: no row
	} {
		got := 0.0
		row := tw.row(featureHash(topicWordPrefix + c.word))
		if col, known := tw.cols[c.topic]; row != nil && known {
			got = row[col]
		}
		if got != c.want {
			t.Errorf("%s with %s: %v, want %v", c.word, c.topic, got, c.want)
		}
	}
	if tw.row(featureHash("ts")) != nil {
		t.Error("a feature that is not a word has a row")
	}
}

// topicModelTopics returns the topics the model's topic model has a prior
// (a "tb|topic" weight) for.
func topicModelTopics(t testing.TB, m *Model) []string {
	t.Helper()
	f, err := m.weightsByName()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for name := range f.TopicModel {
		if id, ok := strings.CutPrefix(name, "tb|"); ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// TestTopicPhraseWords: a word of a topic's phrases stands for the topic,
// unless it is short or shared by more than two topics.
func TestTopicPhraseWords(t *testing.T) {
	lx, _ := ctSetup(t)
	for _, tt := range []struct {
		word string
		want []string // sorted; nil for none
	}{
		{"troops", []string{"foreign_troops", "withdrawal"}},
		{"peacekeeping", []string{"foreign_troops"}},
		{"the", nil},     // short
		{"regions", nil}, // four regions: territory, donbas, kherson_zaporizhzhia
		{"kremlin", nil}, // in no phrase
	} {
		got := slices.Sorted(slices.Values(lx.topicWords[tt.word]))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q stands for %v, want %v", tt.word, got, tt.want)
		}
	}
}
