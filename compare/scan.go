package compare

// The scan: every matching claim's doc values, read through the index's
// visitor and folded at once into the aggregates the report needs, so that
// no claim is kept. Per position (party, topic, kind): counts, the first
// and last day, the best claim of the best independent sources and of each
// party addressed; per timeline cell (party, topic, period, kind): counts,
// the earliest claim, the outlets and the best claim with an outlet.
//
// The distinct sources and articles are counted by what each source and
// article has been counted for: a short list per article and per cluster
// (the positions, cells and addressed parties of its claims, some ten to
// twenty), 8 to 12 bytes an entry in flat slices (see lists), where a set
// of (group, source) pairs took some 25 and the rows of the claims 48 a
// claim and topic, held up to four times. Memory then grows with the
// articles and clusters, not with the claims.

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"redline/index"
)

// noDay marks a claim without a date.
const noDay = index.Undated

// row is one (claim, topic) pair as the scan met it, kept only as the claim
// an aggregate cites; strings are interned as indexes into the scan's
// tables.
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
	k       int8  // the ptk's kind, index in Kinds, or -1
	ref     index.Ref
}

// ptkInfo is one party|topic|kind: its parts, its (party, topic) and kind
// numbers, and whether the query keeps it.
type ptkInfo struct {
	party, topic, kind string
	pt                 int32 // into scanned.pts, -1 when not kept
	k                  int8  // index in Kinds, -1 for another kind
	keep               bool  // well formed and passes the topic filter
}

// posAgg is what the report needs of one position (a ptk).
type posAgg struct {
	claims, sources, articles, outlets int
	first, last                        int32
	// best holds the best claim of each of the best independent sources,
	// best first, at most Query.Evidence of them (see offer).
	best    []row
	targets map[int32]*targetAgg // by party addressed, other than the position's
}

// targetAgg is a party a position addresses: its independent sources and
// the best claim addressing it.
type targetAgg struct {
	sources int
	best    row
}

// cellKey names a timeline cell: a (party, topic), a period (its first
// day) and a kind.
type cellKey struct {
	pt, period int32
	k          int8
}

// cellAgg is what the timeline needs of one cell.
type cellAgg struct {
	cellKey
	hasBest         bool
	claims, sources int32
	earliest        row
	outlets         []int32 // the known outlets, each once, sorted
	best            row     // the best claim with a known outlet, if hasBest
}

// cellChunk is how many cells a chunk of the cell store holds: the cells
// grow in chunks, not by doubling one slice (and copying it each time).
const cellChunk = 4096

// scanned is what scan read: the aggregates and the tables their numbers
// refer to.
type scanned struct {
	claims, undated int
	ptks            []ptkInfo
	pts             [][2]string // party, topic
	clusters        []string
	outlets         []string // [0] = "" (unknown)
	docs            []string
	targets         []string // parties addressed

	pos    []posAgg    // by ptk
	cells  [][]cellAgg // in chunks of cellChunk
	ncells int
	// minPeriod and maxPeriod bound the periods of the cells (noDay when
	// there are none).
	minPeriod, maxPeriod int32
}

// aggregator folds the claims of every scanning goroutine into one
// scanned, one claim at a time under its lock.
type aggregator struct {
	mu        sync.Mutex
	sc        *scanned
	q         Query
	wantTopic map[string]bool

	ptkIn, clusterIn, outletIn, docIn, targetIn *interner

	posOutlets map[uint64]struct{} // (ptk, outlet): outlets are few
	// What each article (by doc) and cluster has been counted for: the
	// positions of its claims (articles and sources of a position), the
	// cells (sources of a cell), and the (position, target) pairs
	// (sources of a party addressed).
	docPTKs, clusterPTKs, clusterCells lists[int32]
	clusterTargets                     lists[[2]int32]
	cellOf                             map[cellKey]int32 // into sc.cells
	periodOf                           map[int32]int32   // day -> first day of its period
}

func newAggregator(q Query) *aggregator {
	sc := &scanned{outlets: []string{""}, minPeriod: noDay, maxPeriod: noDay}
	a := &aggregator{sc: sc, q: q, wantTopic: map[string]bool{},
		posOutlets: map[uint64]struct{}{}, cellOf: map[cellKey]int32{},
		periodOf: map[int32]int32{}}
	for _, t := range q.Topic {
		a.wantTopic[t] = true
	}
	a.ptkIn, a.clusterIn, a.outletIn, a.docIn = newInterner(nil), newInterner(&sc.clusters), newInterner(&sc.outlets), newInterner(&sc.docs)
	a.targetIn = newInterner(&sc.targets)
	a.outletIn.ids[""] = 0
	return a
}

// pair packs two numbers of a set's key.
func pair(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// interner maps strings to dense numbers. It remembers the last string it
// saw: the claims of one article are neighbours in the index, and share
// doc_id, cluster and outlet.
type interner struct {
	ids    map[string]int32
	list   *[]string // the strings by number; nil to keep none
	last   []byte
	lastID int32
}

func newInterner(list *[]string) *interner {
	return &interner{ids: map[string]int32{}, list: list, lastID: -1}
}

// id returns the number of b, and whether b is new.
func (in *interner) id(b []byte) (int32, bool) {
	if in.lastID >= 0 && string(b) == string(in.last) {
		return in.lastID, false
	}
	id, ok := in.ids[string(b)]
	if !ok {
		s := string(b)
		id = int32(len(in.ids))
		in.ids[s] = id
		if in.list != nil {
			*in.list = append(*in.list, s)
		}
	}
	in.last, in.lastID = append(in.last[:0], b...), id
	return id, !ok
}

// scan visits every claim q selects and folds its doc values into the
// aggregates. A claim counts under each of its topics; with a topic filter,
// only under the filtered ones. The index splits the matches into runs read
// concurrently, one scanPart each.
func scan(ctx context.Context, snap *index.Snapshot, q Query, perRun int) (*scanned, error) {
	agg := newAggregator(q)
	iq := index.Query{Party: q.Party, Topic: q.Topic, Speaker: q.Speaker, Target: q.Target, Since: q.Since, Until: q.Until, MinConfidence: q.MinConfidence}
	opts := index.VisitOptions{Fields: scanFields, PerRun: perRun}
	err := snap.VisitClaims(ctx, iq, opts, func() index.ClaimVisitor { return &scanPart{agg: agg} })
	if err != nil {
		return nil, err
	}
	return agg.sc, nil
}

// scanFields are the doc values scan reads of each claim.
var scanFields = []string{index.ValuePosition, index.ValueCluster, index.ValueOutlet, index.ValueDocID, index.ValueFacts, index.ValueTarget, index.ValueRef}

// scanPart is the index.ClaimVisitor of one run of the visit: it copies
// the values of the current claim and hands the claim to the aggregator.
type scanPart struct {
	agg                           *aggregator
	ptks                          []byte // the claim's positions, back to back
	ends                          []int  // where each ends in ptks
	cluster, outlet, doc, target  []byte
	hasCluster, hasDoc, hasTarget bool
	facts                         index.Facts
	ref                           index.Ref

	// The numbers the aggregator gave this run's last doc, cluster,
	// outlet and target, and its ptks: the claims of an article are
	// mostly neighbours in a run, and the runs' claims interleave in the
	// aggregator, where one memo would serve neither.
	lastDoc, lastCluster, lastOutlet, lastTarget memo
	ptkIDs                                       map[string]int32
}

// memo remembers the number of the last string interned.
type memo struct {
	last []byte
	n    int32
	ok   bool
}

// id returns the number of b in in.
func (m *memo) id(b []byte, in *interner) int32 {
	if m.ok && string(b) == string(m.last) {
		return m.n
	}
	m.n, _ = in.id(b)
	m.last, m.ok = append(m.last[:0], b...), true
	return m.n
}

// StartClaim implements index.ClaimVisitor.
func (p *scanPart) StartClaim() {
	p.ptks, p.ends = p.ptks[:0], p.ends[:0]
	p.outlet = p.outlet[:0]
	p.hasCluster, p.hasDoc, p.hasTarget = false, false, false
	p.facts = index.Facts{Day: noDay}
	p.ref = 0
}

// Value implements index.ClaimVisitor.
func (p *scanPart) Value(field string, term []byte) {
	switch field {
	case index.ValuePosition:
		p.ptks = append(p.ptks, term...)
		p.ends = append(p.ends, len(p.ptks))
	case index.ValueCluster:
		p.cluster, p.hasCluster = append(p.cluster[:0], term...), true
	case index.ValueOutlet:
		p.outlet = append(p.outlet[:0], term...)
	case index.ValueTarget:
		p.target, p.hasTarget = append(p.target[:0], term...), true
	case index.ValueDocID:
		p.doc, p.hasDoc = append(p.doc[:0], term...), true
	case index.ValueFacts:
		if f, ok := index.ParseFacts(term); ok {
			p.facts = f
		}
	case index.ValueRef:
		p.ref, _ = index.ParseRef(term)
	}
}

// EndClaim implements index.ClaimVisitor: the claim is folded in once per
// kept topic.
func (p *scanPart) EndClaim() {
	if !p.hasDoc {
		return
	}
	a := p.agg
	a.mu.Lock()
	defer a.mu.Unlock()
	sc := a.sc
	doc := p.lastDoc.id(p.doc, a.docIn)
	cluster := p.cluster
	if !p.hasCluster {
		// Written without a cluster: its own source.
		cluster = p.doc
	}
	r := row{doc: doc, target: -1, day: p.facts.Day, start: p.facts.Start, conf: p.facts.Confidence, ref: p.ref}
	r.cluster = p.lastCluster.id(cluster, a.clusterIn)
	r.outlet = p.lastOutlet.id(p.outlet, a.outletIn)
	if p.hasTarget {
		r.target = p.lastTarget.id(p.target, a.targetIn)
	}
	if p.ptkIDs == nil {
		p.ptkIDs = map[string]int32{}
	}
	counted := false
	from := 0
	for _, end := range p.ends {
		term := p.ptks[from:end]
		from = end
		id, ok := p.ptkIDs[string(term)]
		if !ok {
			var isNew bool
			id, isNew = a.ptkIn.id(term)
			if isNew {
				a.addPTK(string(term))
			}
			p.ptkIDs[string(term)] = id
		}
		info := sc.ptks[id]
		if !info.keep {
			continue
		}
		counted = true
		r.ptk, r.pt, r.k = id, info.pt, info.k
		a.fold(r)
	}
	if counted {
		sc.claims++
		if r.day == noDay {
			sc.undated++
		}
	}
}

// addPTK numbers a new ptk term, its (party, topic) when it is kept, and
// starts its position.
func (a *aggregator) addPTK(s string) {
	sc := a.sc
	info := parsePTK(s)
	info.keep = info.party != "" && (len(a.wantTopic) == 0 || a.wantTopic[info.topic])
	if info.keep {
		key := [2]string{info.party, info.topic}
		info.pt = int32(slices.Index(sc.pts, key))
		if info.pt < 0 {
			info.pt = int32(len(sc.pts))
			sc.pts = append(sc.pts, key)
		}
	}
	sc.ptks = append(sc.ptks, info)
	sc.pos = append(sc.pos, posAgg{first: noDay, last: noDay})
}

// fold adds the row of one claim and one of its positions to the
// aggregates.
func (a *aggregator) fold(r row) {
	sc := a.sc
	p := &sc.pos[r.ptk]
	p.claims++
	if a.clusterPTKs.add(r.cluster, r.ptk) {
		p.sources++
	}
	if a.docPTKs.add(r.doc, r.ptk) {
		p.articles++
	}
	if r.outlet != 0 && a.add(a.posOutlets, pair(r.ptk, r.outlet)) {
		p.outlets++
	}
	if r.day != noDay {
		if p.first == noDay || r.day < p.first {
			p.first = r.day
		}
		p.last = max(p.last, r.day)
	}
	p.best = a.offer(p.best, r, a.q.Evidence)
	if r.target >= 0 && sc.targets[r.target] != sc.ptks[r.ptk].party {
		if p.targets == nil {
			p.targets = map[int32]*targetAgg{}
		}
		t := p.targets[r.target]
		if t == nil {
			t = &targetAgg{best: r}
			p.targets[r.target] = t
		}
		if a.clusterTargets.add(r.cluster, [2]int32{r.ptk, r.target}) {
			t.sources++
		}
		if sc.betterRow(r, t.best) {
			t.best = r
		}
	}

	// The timeline: claims with a date and a known kind.
	if r.day == noDay || r.k < 0 {
		return
	}
	period, ok := a.periodOf[r.day]
	if !ok {
		period = periodStart(a.q.By, r.day)
		a.periodOf[r.day] = period
		if sc.minPeriod == noDay || period < sc.minPeriod {
			sc.minPeriod = period
		}
		sc.maxPeriod = max(sc.maxPeriod, period)
	}
	key := cellKey{pt: r.pt, period: period, k: r.k}
	ci, ok := a.cellOf[key]
	if !ok {
		ci = int32(sc.ncells)
		a.cellOf[key] = ci
		if sc.ncells%cellChunk == 0 {
			sc.cells = append(sc.cells, make([]cellAgg, 0, cellChunk))
		}
		last := &sc.cells[len(sc.cells)-1]
		*last = append(*last, cellAgg{cellKey: key, earliest: r})
		sc.ncells++
	}
	c := sc.cell(int(ci))
	c.claims++
	if a.clusterCells.add(r.cluster, ci) {
		c.sources++
	}
	if sc.earlierRow(r, c.earliest) {
		c.earliest = r
	}
	if r.outlet != 0 {
		// A cell has a few outlets to some hundreds: a sorted list, no
		// set, and the order the report wants.
		if i, found := slices.BinarySearch(c.outlets, r.outlet); !found {
			c.outlets = slices.Insert(c.outlets, i, r.outlet)
		}
		if !c.hasBest || sc.betterRow(r, c.best) {
			c.best, c.hasBest = r, true
		}
	}
}

// cell returns the cell numbered i.
func (sc *scanned) cell(i int) *cellAgg { return &sc.cells[i/cellChunk][i%cellChunk] }

// lists holds a short list of values for each of many owners (articles,
// clusters), all in three flat slices without pointers: no allocation per
// list, and nothing for the garbage collector to trace.
type lists[T comparable] struct {
	head []int32 // by owner: 1 + the index of its last value, 0 = none
	next []int32 // by value: 1 + the index of the owner's value before, 0 = none
	val  []T
}

// add adds v to the list of owner and reports whether it is new there.
func (l *lists[T]) add(owner int32, v T) bool {
	if int(owner) >= len(l.head) {
		l.head = append(l.head, make([]int32, int(owner)+1-len(l.head))...)
	}
	for e := l.head[owner]; e != 0; e = l.next[e-1] {
		if l.val[e-1] == v {
			return false
		}
	}
	l.val = append(l.val, v)
	l.next = append(l.next, l.head[owner])
	l.head[owner] = int32(len(l.val))
	return true
}

// add adds k to set and reports whether it is new.
func (a *aggregator) add(set map[uint64]struct{}, k uint64) bool {
	if _, ok := set[k]; ok {
		return false
	}
	set[k] = struct{}{}
	return true
}

// offer folds r into best, the best claim of each of the best n
// independent sources, best first: what sorting the best claim of every
// source and taking the first n gives, without keeping every source. A
// source that falls out of the n can only come back with a claim better
// than its best so far, which then is its best.
func (a *aggregator) offer(best []row, r row, n int) []row {
	sc := a.sc
	for i := range best {
		if best[i].cluster == r.cluster {
			if !sc.betterRow(r, best[i]) {
				return best
			}
			best = slices.Delete(best, i, i+1)
			break
		}
	}
	i := sort.Search(len(best), func(i int) bool { return sc.betterRow(r, best[i]) })
	if i >= n {
		return best
	}
	best = slices.Insert(best, i, r)
	return best[:min(len(best), n)]
}

// docLess orders two rows by document id, then by offset. Doc ids are
// interned in scan order; they are compared by value where the output
// order depends on it.
func (sc *scanned) docLess(a, b row) bool {
	return sc.docs[a.doc] < sc.docs[b.doc] || sc.docs[a.doc] == sc.docs[b.doc] && a.start < b.start
}

// betterRow reports whether a is the claim to cite before b: higher
// confidence, then earlier, then by document and position.
func (sc *scanned) betterRow(a, b row) bool {
	if a.conf != b.conf {
		return a.conf > b.conf
	}
	if a.day != b.day {
		return a.day < b.day
	}
	return sc.docLess(a, b)
}

// earlierRow reports whether a comes before b in time, then by document and
// position.
func (sc *scanned) earlierRow(a, b row) bool {
	if a.day != b.day {
		return a.day < b.day
	}
	return sc.docLess(a, b)
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
