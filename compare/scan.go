package compare

// The scan: every matching claim's doc values, read through the index's
// visitor into compact rows. Strings are interned as numbers per scanning
// goroutine and renumbered once at the end, so a million claims cost a
// million small rows, not a million decoded claims.

import (
	"context"
	"time"

	"redline/index"
)

// noDay marks a claim without a date.
const noDay = index.Undated

// row is one (claim, topic) pair as the scan found it; strings are interned
// as indexes into the scan's tables.
type row struct {
	ptk     int32 // into scanned.ptks
	pt      int32 // into scanned.pts (the ptk's party and topic)
	cluster int32
	outlet  int32 // 0 = unknown
	doc     int32
	day     int32 // days since 1970-01-01, or noDay
	start   int32
	conf    float32
	target  int32 // into scanned.targets, -1 = none
	period  int32 // first day of the row's period (set by report)
	k       int8  // the ptk's kind, index in Kinds, or -1
}

// ptkInfo is one party|topic|kind: its parts, its (party, topic) and kind
// numbers.
type ptkInfo struct {
	party, topic, kind string
	pt                 int32 // into scanned.pts
	k                  int8  // index in Kinds, -1 for another kind
}

// scanned is what scan read: rows and the tables their numbers refer to.
type scanned struct {
	rows     []row
	claims   int
	undated  int
	ptks     []ptkInfo
	pts      [][2]string // party, topic
	clusters []string
	outlets  []string // [0] = "" (unknown)
	docs     []string
	targets  []string // parties addressed
}

// interner maps strings to dense numbers. It remembers the last string it
// saw: the claims of one article are neighbours in the index, and share
// doc_id, cluster and outlet.
type interner struct {
	ids    map[string]int32
	list   *[]string
	last   []byte
	lastID int32
}

func newInterner(list *[]string) *interner {
	return &interner{ids: map[string]int32{}, list: list, lastID: -1}
}

func (in *interner) id(b []byte) int32 {
	if in.lastID >= 0 && string(b) == string(in.last) {
		return in.lastID
	}
	id, ok := in.ids[string(b)]
	if !ok {
		s := string(b)
		id = int32(len(*in.list))
		in.ids[s] = id
		*in.list = append(*in.list, s)
	}
	in.last, in.lastID = append(in.last[:0], b...), id
	return id
}

// scan visits every claim q selects and reads its doc values into rows. A
// claim counts under each of its topics; with a topic filter, only under
// the filtered ones. The index splits the matches into runs read
// concurrently, one scanPart each, merged at the end in run order.
func scan(ctx context.Context, snap *index.Snapshot, q Query, perRun int) (*scanned, error) {
	wantTopic := map[string]bool{}
	for _, t := range q.Topic {
		wantTopic[t] = true
	}
	var parts []*scanPart
	iq := index.Query{Party: q.Party, Topic: q.Topic, Speaker: q.Speaker, Target: q.Target, Since: q.Since, Until: q.Until, MinConfidence: q.MinConfidence}
	opts := index.VisitOptions{Fields: scanFields, PerRun: perRun}
	err := snap.VisitClaims(ctx, iq, opts, func() index.ClaimVisitor {
		p := newScanPart(wantTopic)
		parts = append(parts, p)
		return p
	})
	if err != nil {
		return nil, err
	}
	return mergeParts(parts, wantTopic), nil
}

// scanFields are the doc values scan reads of each claim.
var scanFields = []string{index.ValuePosition, index.ValueCluster, index.ValueOutlet, index.ValueDocID, index.ValueFacts, index.ValueTarget}

// scanPart is what one run of the visit read: rows whose ptk, cluster,
// outlet and doc are numbers into its own tables. It is the
// index.ClaimVisitor of its run.
type scanPart struct {
	rows                    []row
	claims, undated         int
	ptks                    []string
	clusters, outlets, docs []string
	targets                 []string

	wantTopic                         map[string]bool
	ptkIn, clusterIn, outletIn, docIn *interner
	targetIn                          *interner
	keep                              []bool // by local ptk: passes the topic filter
	// The current claim's values.
	cur     []int32 // ptks
	cluster int32
	outlet  int32
	doc     int32
	target  int32
	facts   index.Facts
}

func newScanPart(wantTopic map[string]bool) *scanPart {
	p := &scanPart{wantTopic: wantTopic, outlets: []string{""}}
	p.ptkIn, p.clusterIn, p.outletIn, p.docIn = newInterner(&p.ptks), newInterner(&p.clusters), newInterner(&p.outlets), newInterner(&p.docs)
	p.targetIn = newInterner(&p.targets)
	p.outletIn.ids[""] = 0
	return p
}

// StartClaim implements index.ClaimVisitor.
func (p *scanPart) StartClaim() {
	p.cur = p.cur[:0]
	p.cluster, p.outlet, p.doc, p.target = -1, 0, -1, -1
	p.facts = index.Facts{Day: noDay}
}

// Value implements index.ClaimVisitor.
func (p *scanPart) Value(field string, term []byte) {
	switch field {
	case index.ValuePosition:
		id := p.ptkIn.id(term)
		if int(id) == len(p.keep) {
			info := parsePTK(string(term))
			p.keep = append(p.keep, info.party != "" && (len(p.wantTopic) == 0 || p.wantTopic[info.topic]))
		}
		p.cur = append(p.cur, id)
	case index.ValueCluster:
		p.cluster = p.clusterIn.id(term)
	case index.ValueOutlet:
		p.outlet = p.outletIn.id(term)
	case index.ValueTarget:
		p.target = p.targetIn.id(term)
	case index.ValueDocID:
		p.doc = p.docIn.id(term)
	case index.ValueFacts:
		if f, ok := index.ParseFacts(term); ok {
			p.facts = f
		}
	}
}

// EndClaim implements index.ClaimVisitor: the claim becomes one row per
// kept topic.
func (p *scanPart) EndClaim() {
	if p.doc < 0 {
		return
	}
	if p.cluster < 0 {
		// Written without a cluster: its own source.
		p.cluster = p.clusterIn.id([]byte(p.docs[p.doc]))
	}
	counted := false
	f := p.facts
	for _, k := range p.cur {
		if p.keep[k] {
			counted = true
			p.rows = append(p.rows, row{ptk: k, cluster: p.cluster, outlet: p.outlet, doc: p.doc, day: f.Day, start: f.Start, conf: f.Confidence, target: p.target})
		}
	}
	if counted {
		p.claims++
		if f.Day == noDay {
			p.undated++
		}
	}
}

// parsePTK splits a ptk term; party is "" for a malformed one.
func parsePTK(s string) ptkInfo {
	info := ptkInfo{pt: -1, k: -1}
	if p, t, k, ok := index.SplitPosition(s); ok {
		info.party, info.topic, info.kind = p, t, k
	}
	for i, k := range Kinds {
		if info.kind == k {
			info.k = int8(i)
		}
	}
	return info
}

// mergeParts renumbers the parts' rows into one scanned with shared tables,
// keeping the parts' order.
func mergeParts(parts []*scanPart, wantTopic map[string]bool) *scanned {
	sc := &scanned{outlets: []string{""}}
	ptkIDs := map[string]int32{}
	ptIDs := map[[2]string]int32{}
	clusters, outlets, docs := newInterner(&sc.clusters), newInterner(&sc.outlets), newInterner(&sc.docs)
	targets := newInterner(&sc.targets)
	outlets.ids[""] = 0
	remap := func(local []string, in *interner) []int32 {
		m := make([]int32, len(local))
		for i, s := range local {
			m[i] = in.id([]byte(s))
		}
		return m
	}
	n := 0
	for _, p := range parts {
		n += len(p.rows)
	}
	sc.rows = make([]row, 0, n)
	for _, p := range parts {
		sc.claims += p.claims
		sc.undated += p.undated
		ptkMap := make([]int32, len(p.ptks))
		for i, s := range p.ptks {
			id, ok := ptkIDs[s]
			if !ok {
				info := parsePTK(s)
				if info.party != "" && (len(wantTopic) == 0 || wantTopic[info.topic]) {
					key := [2]string{info.party, info.topic}
					pt, ok := ptIDs[key]
					if !ok {
						pt = int32(len(sc.pts))
						ptIDs[key] = pt
						sc.pts = append(sc.pts, key)
					}
					info.pt = pt
				}
				id = int32(len(sc.ptks))
				ptkIDs[s] = id
				sc.ptks = append(sc.ptks, info)
			}
			ptkMap[i] = id
		}
		cm, om, dm, tm := remap(p.clusters, clusters), remap(p.outlets, outlets), remap(p.docs, docs), remap(p.targets, targets)
		for _, r := range p.rows {
			r.ptk = ptkMap[r.ptk]
			r.pt, r.k = sc.ptks[r.ptk].pt, sc.ptks[r.ptk].k
			r.cluster, r.outlet, r.doc = cm[r.cluster], om[r.outlet], dm[r.doc]
			if r.target >= 0 {
				r.target = tm[r.target]
			}
			sc.rows = append(sc.rows, r)
		}
	}
	return sc
}

// dayString formats a day number as "2006-01-02".
func dayString(day int32) string {
	if day == noDay {
		return ""
	}
	return time.Unix(int64(day)*86400, 0).UTC().Format("2006-01-02")
}

// claimRef names a claim to cite: the row and the claim's party and kind.
type claimRef struct {
	r           row
	party, kind string
}
