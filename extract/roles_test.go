package extract

import (
	"slices"
	"strings"
	"testing"
)

// rolesOf returns the role features (roles.go) of party's holder in the
// last sentence of a one-paragraph article.
func rolesOf(t *testing.T, sentence, party string) []string {
	t.Helper()
	lx, sp := ctSetup(t)
	a, sents := buildArticle(sp, text(sentence))
	_, cands := lx.candidates(a, sents, true, nil, nil)
	if len(cands) == 0 || cands[len(cands)-1].index != len(sents)-1 {
		t.Fatalf("%q: the last sentence is no candidate", sentence)
	}
	for _, h := range cands[len(cands)-1].holders {
		if h.party != party {
			continue
		}
		var out []string
		for _, name := range h.feats.names {
			if strings.HasPrefix(name, "role:") {
				out = append(out, name)
			}
		}
		return out
	}
	t.Fatalf("%q: no holder %s", sentence, party)
	return nil
}

// TestHolderRoles: the party a position is addressed to, or that a
// condition or another party's clause names, is marked so; the holder that
// addresses it is not.
func TestHolderRoles(t *testing.T) {
	for _, tt := range []struct {
		name, sentence, party string
		want, not             []string
	}{
		{name: "object of urged",
			sentence: "Berlin urged Kyiv to consider a freeze along the current line.", party: "ukraine",
			want: []string{"role:addressee", "role:target"}},
		{name: "the one who urges",
			sentence: "Berlin urged Kyiv to consider a freeze along the current line.", party: "germany",
			not: []string{"role:addressee", "role:target"}},
		{name: "called on two coordinated parties",
			sentence: "The Chinese proposal called on Moscow and Kyiv to meet without preconditions.", party: "ukraine",
			want: []string{"role:addressee", "role:target"}},
		{name: "called on, the first of two",
			sentence: "The Chinese proposal called on Moscow and Kyiv to meet without preconditions.", party: "russia",
			want: []string{"role:addressee"}},
		{name: "appealed to",
			sentence: "Ankara appealed to Washington to keep the grain corridor open.", party: "united_states",
			want: []string{"role:addressee"}},
		{name: "passive addressee with its agent",
			sentence: "Kyiv has been pressed by Washington to hold elections this year.", party: "ukraine",
			want: []string{"role:addressee", "role:target"}},
		{name: "the agent of a passive addressing verb",
			sentence: "Kyiv has been pressed by Washington to hold elections this year.", party: "united_states",
			want: []string{"role:agent"}, not: []string{"role:addressee", "role:target"}},
		{name: "the agent of a passive cue verb",
			sentence: "The plan was rejected outright by Kyiv as a surrender.", party: "ukraine",
			want: []string{"role:agent"}, not: []string{"role:target"}},
		{name: "the second of coordinated agents",
			sentence: "Talks were demanded by Paris and Berlin before any ceasefire.", party: "germany",
			want: []string{"role:agent"}, not: []string{"role:target"}},
		{name: "by after no participle is no agent",
			sentence: "Moscow demands a ceasefire by Easter, Kyiv said.", party: "russia",
			not: []string{"role:agent"}},
		{name: "reporter named after of",
			sentence: "A representative of the White House warned that Beijing would bear the consequences.", party: "china",
			want: []string{"role:embedded", "role:target"}, not: []string{"role:embanon"}},
		{name: "the party after of reports",
			sentence: "A representative of the White House warned that Beijing would bear the consequences.", party: "united_states",
			want: []string{"role:reports:commissive"}, not: []string{"role:embedded"}},
		{name: "a pronoun reports: its antecedent holds",
			sentence: "Olaf Scholz spoke in Berlin on Monday. He said Kyiv must hold elections this year.", party: "germany",
			want: []string{"role:reports:deontic"}},
		{name: "a pronoun reports: the subject is addressed",
			sentence: "Olaf Scholz spoke in Berlin on Monday. He said Kyiv must hold elections this year.", party: "ukraine",
			want: []string{"role:embedded:deontic", "role:target"}},
		{name: "reported by someone the lexicon does not know",
			sentence: "The senators said that Moscow should pull its troops back.", party: "russia",
			want: []string{"role:embanon", "role:embanon:deontic", "role:target"}, not: []string{"role:embedded"}},
		{name: "according to an unknown source",
			sentence: "According to the general, Ukraine needs more air defence systems.", party: "ukraine",
			want: []string{"role:embanon", "role:target"}},
		{name: "according to a party",
			sentence: "According to the Kremlin, Kyiv must withdraw from four regions.", party: "ukraine",
			want: []string{"role:embedded:deontic", "role:target"}},
		{name: "named in the condition of a threat",
			sentence: "The EU will impose new sanctions if Minsk lets troops cross its border.", party: "belarus",
			want: []string{"role:cond", "role:target"}},
		{name: "subject of another party's clause",
			sentence: "Macron told reporters that Moscow should pull its troops back.", party: "russia",
			want: []string{"role:embedded", "role:embedded:deontic", "role:target"}},
		{name: "the reporter of another party's obligation",
			sentence: "Macron told reporters that Moscow should pull its troops back.", party: "france",
			want: []string{"role:reports:deontic"}, not: []string{"role:target", "role:embedded"}},
		{name: "subject of its own party's clause",
			sentence: "Zelensky said Ukraine would never give up Crimea.", party: "ukraine",
			want: []string{"role:embself"}, not: []string{"role:embedded", "role:target"}},
		{name: "after a relative pronoun",
			sentence: "Kyiv wants back the land, which Moscow seized in 2014.", party: "russia",
			want: []string{"role:relative", "role:target"}},
		{name: "plain subject: no role",
			sentence: "Moscow demands that sanctions be lifted first.", party: "russia",
			not: []string{"role:addressee", "role:target", "role:embedded", "role:cond"}},
		{name: "thanks to is no address",
			sentence: "Thanks to Washington the grain corridor stayed open, Ankara said.", party: "united_states",
			not: []string{"role:addressee"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := rolesOf(t, tt.sentence, tt.party)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%q, %s: no %s in %v", tt.sentence, tt.party, w, got)
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("%q, %s: %s in %v", tt.sentence, tt.party, n, got)
				}
			}
		})
	}
}
