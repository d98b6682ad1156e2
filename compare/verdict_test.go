package compare

import (
	"fmt"
	"strings"
	"testing"

	"redline/index"
)

// pos is a hand-built position "party kind sources [>target ...]" on one
// topic, with one piece of evidence per source whose id is "party/kind/n",
// addressing each target by the claim "party/kind/>target".
func pos(spec string) Position {
	f := strings.Fields(spec)
	var p Position
	if _, err := fmt.Sscan(strings.Join(f[:3], " "), &p.Party, &p.Kind, &p.Sources); err != nil {
		panic(spec + ": " + err.Error())
	}
	p.Topic, p.Claims = "t", p.Sources
	for i := range min(p.Sources, 3) {
		p.Evidence = append(p.Evidence, Evidence{ID: fmt.Sprintf("%s/%s/%d", p.Party, p.Kind, i+1), Party: p.Party, Kind: p.Kind})
	}
	for _, t := range f[3:] {
		party := strings.TrimPrefix(t, ">")
		p.Targets = append(p.Targets, Target{Party: party, Sources: 1, ClaimID: p.Party + "/" + p.Kind + "/>" + party})
	}
	return p
}

// TestTopicVerdict judges hand-built positions on one topic. Positions are
// listed by party and kind, as Run sorts them.
func TestTopicVerdict(t *testing.T) {
	for _, tt := range []struct {
		name       string
		positions  []string
		minSources int
		verdict    string
		ids        string // the topic's claim ids
		pairs      string // "a-b:verdict ..." in listed order
	}{
		{"demand meets red line", []string{"russia demand 2 >ukraine", "ukraine red_line 2"}, 2, VerdictStandoff,
			"russia/demand/>ukraine russia/demand/1 russia/demand/2 ukraine/red_line/1 ukraine/red_line/2", "russia-ukraine:standoff"},
		{"the red line answers the demand", []string{"russia red_line 3 >ukraine", "ukraine demand 2"}, 2, VerdictStandoff,
			"russia/red_line/>ukraine ukraine/demand/1 ukraine/demand/2 russia/red_line/1 russia/red_line/2 russia/red_line/3", "russia-ukraine:standoff"},
		// Speaking on the same topic is no meeting: neither addresses the
		// other (the co-occurrence verdict called this a deadlock).
		{"demand and red line that do not face each other", []string{"russia demand 2", "ukraine red_line 2"}, 2, VerdictOpen, "", ""},
		{"demand meets offer", []string{"russia demand 2 >ukraine", "ukraine offer 3"}, 2, VerdictMovement,
			"russia/demand/>ukraine russia/demand/1 russia/demand/2 ukraine/offer/1 ukraine/offer/2 ukraine/offer/3", "russia-ukraine:movement"},
		{"offers on both sides", []string{"russia offer 2", "ukraine offer 2 >russia"}, 2, VerdictConvergence,
			"ukraine/offer/>russia russia/offer/1 russia/offer/2 ukraine/offer/1 ukraine/offer/2", "russia-ukraine:convergence"},
		{"one party alone", []string{"russia demand 2", "russia red_line 1"}, 2, VerdictOneSided,
			"russia/demand/1 russia/demand/2 russia/red_line/1", ""},
		{"one party alone on one story", []string{"russia demand 1"}, 2, VerdictThin, "russia/demand/1", ""},
		{"an addressed party that holds nothing", []string{"belarus offer 2", "russia demand 2 >ukraine"}, 2, VerdictOneSided,
			"russia/demand/>ukraine russia/demand/1 russia/demand/2", "russia-ukraine:one-sided"},
		{"an addressed party that holds nothing, on one story", []string{"belarus offer 2", "russia demand 1 >ukraine"}, 2, VerdictThin,
			"russia/demand/>ukraine russia/demand/1", "russia-ukraine:too little evidence"},
		{"a standoff on one story a side", []string{"russia demand 1 >ukraine", "ukraine red_line 3"}, 2, VerdictThin,
			"russia/demand/>ukraine russia/demand/1 ukraine/red_line/1 ukraine/red_line/2 ukraine/red_line/3", "russia-ukraine:too little evidence"},
		{"one story a side, trusted", []string{"russia demand 1 >ukraine", "ukraine red_line 1"}, 1, VerdictStandoff,
			"russia/demand/>ukraine russia/demand/1 ukraine/red_line/1", "russia-ukraine:standoff"},
		{"both demand", []string{"russia demand 3 >ukraine", "ukraine demand 3 >russia"}, 2, VerdictOpen, "", ""},
		{"red line against offer", []string{"russia red_line 2 >ukraine", "ukraine offer 2 >russia"}, 2, VerdictOpen, "", ""},
		{"a standoff outweighs movement", []string{"russia demand 2 >ukraine", "ukraine red_line 2", "ukraine offer 2"}, 2, VerdictStandoff,
			"russia/demand/>ukraine russia/demand/1 russia/demand/2 ukraine/red_line/1 ukraine/red_line/2", "russia-ukraine:standoff"},
		// A red line resting on one story does not turn movement into a
		// standoff.
		{"a thin red line beside an offer", []string{"russia demand 2 >ukraine", "ukraine red_line 1", "ukraine offer 2"}, 2, VerdictMovement,
			"russia/demand/>ukraine russia/demand/1 russia/demand/2 ukraine/offer/1 ukraine/offer/2", "russia-ukraine:movement"},
		{"movement outweighs convergence", []string{"russia demand 2 >ukraine", "russia offer 2 >ukraine", "ukraine offer 2"}, 2, VerdictMovement,
			"russia/demand/>ukraine russia/demand/1 russia/demand/2 ukraine/offer/1 ukraine/offer/2", "russia-ukraine:movement"},
		{"pairs: the most cautious verdict wins, all listed", []string{"belarus offer 2 >russia", "russia demand 2 >ukraine", "ukraine red_line 2"}, 2, VerdictStandoff,
			"russia/demand/>ukraine russia/demand/1 russia/demand/2 ukraine/red_line/1 ukraine/red_line/2", "russia-ukraine:standoff belarus-russia:movement"},
		{"a thin meeting beside an open pair", []string{"belarus red_line 1 >russia", "russia demand 2", "ukraine demand 2"}, 2, VerdictThin,
			"belarus/red_line/>russia russia/demand/1 russia/demand/2 belarus/red_line/1", "belarus-russia:too little evidence"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ps []Position
			for _, s := range tt.positions {
				ps = append(ps, pos(s))
			}
			m := convergenceMap(ps, tt.minSources)
			if len(m) != 1 {
				t.Fatalf("%d topics", len(m))
			}
			tm := m[0]
			if tm.Verdict != tt.verdict {
				t.Errorf("verdict %q, want %q", tm.Verdict, tt.verdict)
			}
			if got := strings.Join(tm.ClaimIDs, " "); got != tt.ids {
				t.Errorf("claim ids\n got %s\nwant %s", got, tt.ids)
			}
			var pairs []string
			for _, p := range tm.Pairs {
				pairs = append(pairs, p.A+"-"+p.B+":"+p.Verdict)
				if len(p.ClaimIDs) == 0 {
					t.Errorf("pair %s-%s rests on nothing: %+v", p.A, p.B, p)
				}
				for _, r := range p.Relations {
					if r.Thin != (p.Verdict == VerdictThin) {
						t.Errorf("pair %s-%s (%s) lists relation %+v", p.A, p.B, p.Verdict, r)
					}
				}
			}
			if got := strings.Join(pairs, " "); got != tt.pairs {
				t.Errorf("pairs %q, want %q", got, tt.pairs)
			}
		})
	}
}

// TestCooccurrenceIsNoStandoff: parties that merely speak on the same
// topic are not in a standoff. On an index, Russia and Ukraine both demand
// on energy and Belarus holds a red line there, none addressing another;
// on the ceasefire, Russia's demand of Ukraine meets Ukraine's offer (two
// stories a side) beside a one-story Ukrainian red line. The verdicts from
// co-occurrence called both a deadlock.
func TestCooccurrenceIsNoStandoff(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write([]index.Article{
		cart("a1", "", "Reuters", "2025-01-10", "russia demand energy 0.9 Moscow demands gas transit.", "ukraine demand energy 0.9 Kyiv demands a halt to strikes on power plants."),
		cart("a2", "", "BBC", "2025-01-12", "russia demand energy 0.9 Russia wants its pipelines reopened.", "ukraine demand energy 0.9 Ukraine wants its grid protected."),
		cart("a3", "", "TASS", "2025-01-13", "belarus red_line energy 0.9 Minsk rules out any tariff change."),
		cart("b1", "", "Reuters", "2025-02-01", "russia>ukraine demand ceasefire 0.9 Moscow demands a truce on its terms.", "ukraine offer ceasefire 0.9 Kyiv offers a 30-day truce."),
		cart("b2", "", "AP", "2025-02-02", "russia>ukraine demand ceasefire 0.9 The Kremlin calls for a ceasefire.", "ukraine offer ceasefire 0.9 Ukraine is ready for a ceasefire."),
		cart("b3", "", "TASS", "2025-02-03", "ukraine red_line ceasefire 0.9 Kyiv will never accept a frozen front."),
	}); err != nil {
		t.Fatal(err)
	}
	c := mustCompare(t, ix, Query{})
	got := map[string]string{}
	for _, tm := range c.Map {
		got[tm.Topic] = tm.Verdict
	}
	if got["energy"] != VerdictOpen || got["ceasefire"] != VerdictMovement {
		t.Errorf("verdicts %v, want energy %q (nobody addresses anybody), ceasefire %q", got, VerdictOpen, VerdictMovement)
	}
	for _, tm := range c.Map {
		if tm.Topic == "ceasefire" {
			want := "c:b1:0:russia:demand c:b2:0:russia:demand c:b1:100:ukraine:offer c:b2:100:ukraine:offer"
			if ids := strings.Join(tm.ClaimIDs, " "); ids != want {
				t.Errorf("ceasefire rests on %s, want %s", ids, want)
			}
		}
	}
}

// TestTargetsWithinBounds: a claim left out of the comparison by its date
// or confidence addresses nobody in it, though the visits of addressed
// claims do not repeat those bounds.
func TestTargetsWithinBounds(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write([]index.Article{
		// Two claims of one article: only the confident one is compared.
		cart("a1", "", "Reuters", "2025-01-10", "russia>ukraine demand territory 0.3 Moscow demands land.", "russia demand territory 0.9 Moscow wants land."),
		cart("a2", "", "BBC", "2024-06-01", "russia>ukraine demand territory 0.9 Moscow demanded land last year."),
		cart("a3", "", "TASS", "2025-01-12", "ukraine red_line territory 0.9 Kyiv refuses."),
	}); err != nil {
		t.Fatal(err)
	}
	// Both addressing claims are in: a standoff on one story a side.
	c := mustCompare(t, ix, Query{MinSources: 1})
	if p := findPosition(c, "russia", "territory", "demand"); p == nil || len(p.Targets) != 1 || p.Targets[0].Sources != 2 || c.Map[0].Verdict != VerdictStandoff {
		t.Fatalf("all claims: %+v, verdict %s", p, c.Map[0].Verdict)
	}
	for _, q := range []Query{
		{MinSources: 1, MinConfidence: 0.5, Since: day("2025-01-01")},
		{MinSources: 1, MinConfidence: 0.5, Until: day("2025-12-31"), Since: day("2025-01-01")},
	} {
		c := mustCompare(t, ix, q)
		p := findPosition(c, "russia", "territory", "demand")
		if p == nil || len(p.Targets) != 0 || c.Map[0].Verdict != VerdictOpen {
			t.Errorf("%+v: russia's demand %+v, verdict %s; want no target, open", q, p, c.Map[0].Verdict)
		}
	}
}
