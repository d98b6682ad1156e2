package compare

// Verdicts from content: what two parties' positions on a topic say when
// they meet, not that the parties are mentioned together. Two positions
// meet when a claim of one names the other party as its target; a party
// speaking on the same topic to someone else is no counterpart.

import (
	"slices"

	"redline/claim"
)

// Verdicts of the convergence map (TopicMap.Verdict, Pair.Verdict,
// Relation.Verdict).
const (
	// VerdictStandoff: a demand of one party meets a red line of the other.
	VerdictStandoff = "standoff"
	// VerdictMovement: a demand of one party meets an offer of the other,
	// movement toward agreement.
	VerdictMovement = "movement"
	// VerdictConvergence: both parties offer.
	VerdictConvergence = "convergence"
	// VerdictOneSided: no counterpart. For a topic: only one party holds
	// positions on it, or (with several) the only party addressed holds
	// none; for a pair: A addresses B, which holds no position on the
	// topic.
	VerdictOneSided = "one-sided"
	// VerdictThin: the positions meet, or one party speaks alone, but a
	// side rests on fewer than Query.MinSources independent sources.
	VerdictThin = "too little evidence"
	// VerdictOpen: several parties hold positions, none of which meet:
	// they do not address each other, or both demand, or a red line
	// stands against an offer.
	VerdictOpen = "open"
)

// meetings are the kinds of meeting in the order a verdict prefers them:
// the most cautious reading wins, so one standoff outweighs any movement.
var meetings = []struct{ verdict, aKind, bKind string }{
	{VerdictStandoff, claim.Demand, claim.RedLine},
	{VerdictMovement, claim.Demand, claim.Offer},
	{VerdictConvergence, claim.Offer, claim.Offer},
}

// verdictRank orders verdicts for listing and for a topic's verdict:
// established meetings by preference, then thin ones (a meeting is seen
// but cannot be judged), then one-sided pairs.
func verdictRank(v string) int {
	for i, m := range meetings {
		if m.verdict == v {
			return i
		}
	}
	switch v {
	case VerdictThin:
		return len(meetings)
	case VerdictOneSided:
		return len(meetings) + 1
	}
	return len(meetings) + 2
}

// buildMap derives the convergence map from the positions, whose evidence
// has been read.
func (d *draft) buildMap() {
	d.Map = convergenceMap(d.Positions, d.minSources)
}

// convergenceMap returns one TopicMap per topic of positions (sorted by
// topic, party and kind, as Run sorts them). A position with fewer than
// minSources independent sources makes its meetings thin.
func convergenceMap(positions []Position, minSources int) []TopicMap {
	var out []TopicMap
	for i := 0; i < len(positions); {
		j := i
		for j < len(positions) && positions[j].Topic == positions[i].Topic {
			j++
		}
		out = append(out, topicMap(positions[i:j], minSources))
		i = j
	}
	return out
}

// topicMap judges one topic from its positions (sorted by party, kind).
func topicMap(ps []Position, minSources int) TopicMap {
	tm := TopicMap{Topic: ps[0].Topic, ClaimIDs: []string{}, Relations: []Relation{}, Pairs: []Pair{}}
	held := map[string]map[string]*Position{}
	var parties []string
	for i := range ps {
		p := &ps[i]
		if held[p.Party] == nil {
			held[p.Party] = map[string]*Position{}
			parties = append(parties, p.Party)
			tm.Stances = append(tm.Stances, Stance{Party: p.Party})
		}
		held[p.Party][p.Kind] = p
		st := &tm.Stances[len(tm.Stances)-1]
		st.Kinds = append(st.Kinds, KindCount{Kind: p.Kind, Sources: p.Sources, Claims: p.Claims})
	}

	if len(parties) == 1 {
		// Nobody to meet: one-sided, if what the party holds is
		// confirmed by enough sources.
		tm.Verdict = VerdictThin
		for _, p := range ps {
			if p.Sources >= minSources {
				tm.Verdict = VerdictOneSided
			}
			tm.ClaimIDs = appendIDs(tm.ClaimIDs, p.Evidence)
		}
		return tm
	}

	for x, a := range parties {
		for _, b := range parties[x+1:] {
			if pr, ok := judgePair(a, b, held[a], held[b], minSources); ok {
				tm.Pairs = append(tm.Pairs, pr)
			}
		}
	}
	// A party addressing one that holds no position on the topic.
	for _, a := range parties {
		tm.Pairs = append(tm.Pairs, unanswered(a, held[a], held, minSources)...)
	}
	slices.SortStableFunc(tm.Pairs, func(p, q Pair) int { return verdictRank(p.Verdict) - verdictRank(q.Verdict) })
	tm.Verdict = VerdictOpen
	if len(tm.Pairs) > 0 {
		tm.Verdict = tm.Pairs[0].Verdict
	}
	if tm.Verdict == VerdictOpen {
		tm.Pairs = []Pair{}
	}
	for _, pr := range tm.Pairs {
		if pr.Verdict == tm.Verdict {
			tm.ClaimIDs = appendUnique(tm.ClaimIDs, pr.ClaimIDs...)
		}
	}
	// Every meeting on the topic, established ones first.
	var thin []Relation
	for _, a := range parties {
		for _, b := range parties {
			for _, r := range meetingsOf(a, b, held[a], held[b], minSources) {
				if r.Thin {
					thin = append(thin, r)
				} else {
					tm.Relations = append(tm.Relations, r)
				}
			}
		}
	}
	slices.SortStableFunc(tm.Relations, func(p, q Relation) int { return verdictRank(p.Verdict) - verdictRank(q.Verdict) })
	tm.Relations = append(tm.Relations, thin...)
	return tm
}

// judgePair returns the verdict between parties a and b (a < b) from what
// each holds (by kind); ok is false when their positions do not meet.
func judgePair(a, b string, ha, hb map[string]*Position, minSources int) (Pair, bool) {
	rels := append(meetingsOf(a, b, ha, hb, minSources), meetingsOf(b, a, hb, ha, minSources)...)
	if len(rels) == 0 {
		return Pair{}, false
	}
	pr := Pair{A: a, B: b, Verdict: VerdictThin, Relations: []Relation{}, ClaimIDs: []string{}}
	for _, m := range meetings {
		for _, r := range rels {
			if r.Verdict == m.verdict && !r.Thin {
				pr.Verdict = m.verdict
				pr.Relations = append(pr.Relations, r)
			}
		}
		if pr.Verdict != VerdictThin {
			break
		}
	}
	if pr.Verdict == VerdictThin {
		pr.Relations = rels
	}
	for _, r := range pr.Relations {
		pr.ClaimIDs = appendUnique(pr.ClaimIDs, r.ClaimIDs...)
	}
	return pr, true
}

// meetingsOf lists the meetings of a's positions (ha) with b's (hb) with a
// in the first role: a demands and b holds a red line, a demands and b
// offers, both offer (only for a < b, so that it is listed once). Two
// positions meet only when a claim of one addresses the other party.
func meetingsOf(a, b string, ha, hb map[string]*Position, minSources int) []Relation {
	if a == b {
		return nil
	}
	var out []Relation
	for _, m := range meetings {
		if m.aKind == m.bKind && a > b {
			continue
		}
		pa, pb := ha[m.aKind], hb[m.bKind]
		if pa == nil || pb == nil {
			continue
		}
		ta, aToB := addresses(pa, b)
		tb, bToA := addresses(pb, a)
		if !aToB && !bToA {
			continue
		}
		r := Relation{Verdict: m.verdict, A: a, AKind: m.aKind, ASources: pa.Sources, B: b, BKind: m.bKind, BSources: pb.Sources,
			Thin: pa.Sources < minSources || pb.Sources < minSources, ClaimIDs: []string{}, Evidence: []Evidence{}}
		if aToB {
			r.ClaimIDs = append(r.ClaimIDs, ta.ClaimID)
		}
		if bToA {
			r.ClaimIDs = appendUnique(r.ClaimIDs, tb.ClaimID)
		}
		r.ClaimIDs = appendIDs(appendIDs(r.ClaimIDs, pa.Evidence), pb.Evidence)
		for _, p := range []*Position{pa, pb} {
			if len(p.Evidence) > 0 {
				r.Evidence = append(r.Evidence, p.Evidence[0])
			}
		}
		out = append(out, r)
	}
	return out
}

// addresses returns the target entry of p for party, if its claims
// address it.
func addresses(p *Position, party string) (Target, bool) {
	for _, t := range p.Targets {
		if t.Party == party {
			return t, true
		}
	}
	return Target{}, false
}

// unanswered returns a one-sided pair for each party that a's positions
// (ha) address and that holds no position on the topic (held): thin when
// the addressing position rests on fewer than minSources sources.
func unanswered(a string, ha map[string]*Position, held map[string]map[string]*Position, minSources int) []Pair {
	byTarget := map[string]*Pair{}
	var order []string
	for _, kind := range Kinds {
		p := ha[kind]
		if p == nil {
			continue
		}
		for _, t := range p.Targets {
			if held[t.Party] != nil || t.Party == a {
				continue
			}
			pr := byTarget[t.Party]
			if pr == nil {
				pr = &Pair{A: a, B: t.Party, Verdict: VerdictThin, Relations: []Relation{}, ClaimIDs: []string{}}
				byTarget[t.Party] = pr
				order = append(order, t.Party)
			}
			if p.Sources >= minSources {
				pr.Verdict = VerdictOneSided
			}
			pr.ClaimIDs = appendIDs(appendUnique(pr.ClaimIDs, t.ClaimID), p.Evidence)
		}
	}
	slices.Sort(order)
	out := make([]Pair, 0, len(order))
	for _, b := range order {
		out = append(out, *byTarget[b])
	}
	return out
}

// appendIDs appends the ids of evs not yet in ids.
func appendIDs(ids []string, evs []Evidence) []string {
	for _, ev := range evs {
		ids = appendUnique(ids, ev.ID)
	}
	return ids
}

// appendUnique appends the values not yet in list; lists are short (a few
// claims per position), so a scan is cheaper than a set.
func appendUnique(list []string, values ...string) []string {
	for _, v := range values {
		if v != "" && !slices.Contains(list, v) {
			list = append(list, v)
		}
	}
	return list
}
