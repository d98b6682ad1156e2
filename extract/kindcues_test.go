package extract

import (
	"slices"
	"strings"
	"testing"
)

// stanceOf returns the kind features (kindcues.go) of a one-sentence
// article's candidate: the sentence's, and those of party's holder.
func stanceOf(t *testing.T, sentence, party string) (base, holder []string) {
	t.Helper()
	lx, sp := ctSetup(t)
	a, sents := buildArticle(sp, text(sentence))
	_, cands := lx.candidates(a, sents, true, nil, nil)
	if len(cands) != 1 {
		t.Fatalf("%q: %d candidate sentences, want 1", sentence, len(cands))
	}
	c := &cands[0]
	b, h := featureSet{named: true}, featureSet{named: true}
	stanceFeatures(c.ss, c.cues, &b)
	holderStance(c.ss, party, &h)
	return b.names, h.names
}

// TestStanceFeatures: each feature fires on a sentence that has the
// structure it stands for, and not on a near miss that lacks it.
func TestStanceFeatures(t *testing.T) {
	for _, tt := range []struct {
		name, sentence, party string
		want, not             []string // features of the sentence or the holder
	}{
		{name: "deterrent threat: punishment on a positive condition",
			sentence: "Biden said Russia would face severe sanctions if it invades Ukraine.", party: "united_states",
			want: []string{"cond:if", "condpol:after:pos", "cons:pos:punitive"}, not: []string{"condpol:after:neg", "cons:neg:punitive"}},
		{name: "ultimatum: punishment on a negated condition",
			sentence: "Hungary threatened to halt power exports if oil flows did not resume.", party: "hungary",
			want: []string{"cond:if", "condpol:after:neg"}, not: []string{"condpol:after:pos"}},
		{name: "unless is a negated condition",
			sentence: "Washington will cut military aid unless Israel allows more aid into Gaza.", party: "united_states",
			want: []string{"cond:unless", "condpol:after:neg", "cons:neg:punitive"}},
		{name: "leading condition",
			sentence: "If Ukraine is granted NATO membership, Zelensky would step down.", party: "ukraine",
			want: []string{"cond:if", "condpol:lead:pos", "cons:pos:commissive"}, not: []string{"condpol:after:pos"}},
		{name: "until",
			sentence: "Russia's assets will remain frozen until Moscow pays for the damage.", party: "russia",
			want: []string{"cond:until"}},
		{name: "no condition, no condition features",
			sentence: "Biden said Russia would face severe sanctions after it invaded Ukraine.", party: "united_states",
			not: []string{"cond:if", "condpol:after:pos", "cons:pos:punitive"}},
		{name: "negated commissive",
			sentence: "Ukraine will not give up Crimea.", party: "ukraine",
			want: []string{"mod:commissive:neg", "hv:commissive"}, not: []string{"mod:commissive"}},
		{name: "plain commissive",
			sentence: "Ukraine will give up Crimea.", party: "ukraine",
			want: []string{"mod:commissive"}, not: []string{"mod:commissive:neg"}},
		{name: "deontic on the other side",
			sentence: "Zelensky said Russia must withdraw its troops from Ukraine.", party: "russia",
			want: []string{"mod:deontic", "hv:deontic"}},
		{name: "pledge of weapons",
			sentence: "Britain is sending more air defence missiles to Ukraine.", party: "united_kingdom",
			want: []string{"give", "hv:provision"}, not: []string{"narr:nocue"}},
		{name: "event, not a position",
			sentence: "Zelensky met Macron in Paris on Monday.", party: "ukraine",
			want: []string{"narr:nocue", "hv:narration"}, not: []string{"give"}},
		{name: "either or",
			sentence: "Trump told Zelensky that he would either make a deal or the US would be out.", party: "united_states",
			want: []string{"eitheror"}},
		{name: "or without either",
			sentence: "Trump told Zelensky that he would make a deal or the US would be out.", party: "united_states",
			not: []string{"eitheror"}},
		{name: "past and present cues",
			sentence: "Russia rejected the plan and demands a ceasefire.", party: "russia",
			want: []string{"ctense:red_line:past", "ctense:demand:now"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base, holder := stanceOf(t, tt.sentence, tt.party)
			all := append(base, holder...)
			for _, w := range tt.want {
				if !slices.Contains(all, w) {
					t.Errorf("%q: no %s among %s", tt.sentence, w, strings.Join(all, " "))
				}
			}
			for _, n := range tt.not {
				if slices.Contains(all, n) {
					t.Errorf("%q: %s among %s", tt.sentence, n, strings.Join(all, " "))
				}
			}
		})
	}
}
