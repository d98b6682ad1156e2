package compare

// Whom positions address: two parties' positions on a topic meet only when
// one of them names the other as its target ("Russia demands that Kyiv
// ..."). The target has no doc value, so the index is visited once per
// party, for the claims addressed to it; those are a fraction of all claims.

import (
	"context"

	"redline/index"
)

// Target is a party that claims of a position address.
type Target struct {
	Party   string `json:"party"`    // the party addressed
	Sources int    `json:"sources"`  // independent sources of the claims addressing it
	ClaimID string `json:"claim_id"` // the highest-confidence claim addressing it
}

// posKey names a position: party, topic, kind.
type posKey [3]string

// best is a claim to cite, ordered by confidence (higher first), then date,
// document and offset, so that the choice does not depend on how the visit
// was split.
type best struct {
	conf       float32
	day, start int32
	doc        string
	set        bool
}

func (b best) better(o best) bool {
	switch {
	case !o.set:
		return b.set
	case !b.set:
		return false
	case b.conf != o.conf:
		return b.conf > o.conf
	case b.day != o.day:
		return b.day < o.day
	case b.doc != o.doc:
		return b.doc < o.doc
	}
	return b.start < o.start
}

// addressing accumulates the claims of one position that address one party.
type addressing struct {
	clusters map[string]bool
	best     best
}

// claimKey names a claim of the scan (index.ClaimID's parts).
type claimKey struct {
	doc         string
	start       int32
	party, kind string
}

// targetPart is the visitor of one run of one target's visit.
type targetPart struct {
	wantTopic map[string]bool
	// in, when set, holds the claims of the comparison: the visit does
	// not repeat the date and confidence bounds (each pass would build
	// their range searchers anew, which costs more than the visit on a
	// narrow comparison), so claims outside them are dropped here.
	in  map[claimKey]bool
	acc map[posKey]*addressing
	// The current claim.
	pos              []posKey
	cluster, doc     string
	facts            index.Facts
	hasCluster, hasD bool
}

func (p *targetPart) StartClaim() {
	p.pos = p.pos[:0]
	p.hasCluster, p.hasD = false, false
	p.facts = index.Facts{Day: noDay}
}

func (p *targetPart) Value(field string, term []byte) {
	switch field {
	case index.ValuePosition:
		if party, topic, kind, ok := index.SplitPosition(string(term)); ok && (len(p.wantTopic) == 0 || p.wantTopic[topic]) {
			p.pos = append(p.pos, posKey{party, topic, kind})
		}
	case index.ValueCluster:
		p.cluster, p.hasCluster = string(term), true
	case index.ValueDocID:
		p.doc, p.hasD = string(term), true
	case index.ValueFacts:
		if f, ok := index.ParseFacts(term); ok {
			p.facts = f
		}
	}
}

func (p *targetPart) EndClaim() {
	if !p.hasD {
		return
	}
	if len(p.pos) == 0 {
		return
	}
	if p.in != nil && !p.in[claimKey{p.doc, p.facts.Start, p.pos[0][0], p.pos[0][2]}] {
		return
	}
	cluster := p.doc
	if p.hasCluster {
		cluster = p.cluster
	}
	b := best{conf: p.facts.Confidence, day: p.facts.Day, start: p.facts.Start, doc: p.doc, set: true}
	for _, k := range p.pos {
		a := p.acc[k]
		if a == nil {
			a = &addressing{clusters: map[string]bool{}}
			p.acc[k] = a
		}
		a.clusters[cluster] = true
		if b.better(a.best) {
			a.best = b
		}
	}
}

// targets finds, for each position of the scanned claims (sc, selected by
// q), the parties among parties that its claims address: one visit per
// party.
func targets(ctx context.Context, snap *index.Snapshot, q Query, sc *scanned, parties []string, perRun int) (map[posKey][]Target, error) {
	wantTopic := map[string]bool{}
	for _, t := range q.Topic {
		wantTopic[t] = true
	}
	// Party and topic are term filters, cheap to repeat; the bounds are
	// checked against the scan instead.
	iq := index.Query{Party: q.Party, Topic: q.Topic}
	var in map[claimKey]bool
	if !q.Since.IsZero() || !q.Until.IsZero() || q.MinConfidence > 0 {
		in = make(map[claimKey]bool, sc.claims)
		for _, r := range sc.rows {
			info := sc.ptks[r.ptk]
			in[claimKey{sc.docs[r.doc], r.start, info.party, info.kind}] = true
		}
	}
	out := map[posKey][]Target{}
	for _, party := range parties {
		var runs []*targetPart
		opts := index.VisitOptions{Fields: targetFields, Target: party, PerRun: perRun}
		err := snap.VisitClaims(ctx, iq, opts, func() index.ClaimVisitor {
			p := &targetPart{wantTopic: wantTopic, in: in, acc: map[posKey]*addressing{}}
			runs = append(runs, p)
			return p
		})
		if err != nil {
			return nil, err
		}
		merged := map[posKey]*addressing{}
		for _, r := range runs {
			for k, a := range r.acc {
				m := merged[k]
				if m == nil {
					merged[k] = a
					continue
				}
				for c := range a.clusters {
					m.clusters[c] = true
				}
				if a.best.better(m.best) {
					m.best = a.best
				}
			}
		}
		// Parties are visited in sorted order, so each list is sorted.
		for k, a := range merged {
			if k[0] == party {
				continue // a party addressing itself is no counterpart
			}
			out[k] = append(out[k], Target{Party: party, Sources: len(a.clusters),
				ClaimID: index.ClaimID(a.best.doc, int(a.best.start), k[0], k[2])})
		}
	}
	return out, nil
}

// targetFields are the doc values targets reads of each claim.
var targetFields = []string{index.ValuePosition, index.ValueCluster, index.ValueDocID, index.ValueFacts}
