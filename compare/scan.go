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
	"hash/maphash"
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
	best []row
	// targets are the parties addressed other than the position's, in
	// the order met: a position addresses a few parties.
	targets []targetAgg
	// outletIDs are the position's known outlets, each once, sorted:
	// outlets are few (some tens to hundreds).
	outletIDs []int32
}

// targetAgg is a party a position addresses: its independent sources and
// the best claim addressing it.
type targetAgg struct {
	target  int32 // into scanned.targets
	pair    int32 // the number of (position, target) in aggregator.clusterTargets
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
	// outletBits has bit o set for each outlet o < 64 in outlets: the
	// commonest outlets, numbered first, are found in the cell itself.
	outletBits uint64
	best       row // the best claim with a known outlet, if hasBest
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
	ptkTerms                                    []string // by ptk, for ptkIn

	// What each article (by doc) and cluster has been counted for: the
	// positions of its claims (articles and sources of a position), the
	// cells (sources of a cell), and the (position, target) pairs
	// (sources of a party addressed).
	// (position, target) pairs by their number (targetAgg.pair).
	docPTKs, clusterPTKs, clusterCells, clusterTargets lists
	targetPairs                                        int32 // (position, target) pairs numbered
	// cellOf numbers the cells of each (party, topic) by period and
	// kind: cellOf[pt][period*3+k] is 1 + the cell's index in sc.cells, 0
	// for none, where period numbers the periods as they were first met.
	cellOf   [][]int32
	periodOf map[int32]period // by day
	periodNo map[int32]int32  // by first day
}

// period is the period of a day: its first day and its number in
// aggregator.cellOf.
type period struct{ start, n int32 }

func newAggregator(q Query) *aggregator {
	sc := &scanned{outlets: []string{""}, minPeriod: noDay, maxPeriod: noDay}
	a := &aggregator{sc: sc, q: q, wantTopic: map[string]bool{}, periodOf: map[int32]period{}, periodNo: map[int32]int32{}}
	for _, t := range q.Topic {
		a.wantTopic[t] = true
	}
	a.ptkIn, a.clusterIn, a.outletIn, a.docIn = newInterner(&a.ptkTerms), newInterner(&sc.clusters), newInterner(&sc.outlets), newInterner(&sc.docs)
	a.targetIn = newInterner(&sc.targets)
	a.outletIn.ids[""] = 0
	return a
}

// interner maps strings to dense numbers.
type interner struct {
	ids  map[string]int32
	list *[]string // the strings by number
}

func newInterner(list *[]string) *interner {
	return &interner{ids: map[string]int32{}, list: list}
}

// id returns the number of b, the string it stands for, and whether b is
// new.
func (in *interner) id(b []byte) (int32, string, bool) {
	if id, ok := in.ids[string(b)]; ok {
		return id, (*in.list)[id], false
	}
	s := string(b)
	id := int32(len(*in.list))
	in.ids[s] = id
	*in.list = append(*in.list, s)
	return id, s, true
}

// idCache is one scanning run's cache of the numbers an interner gave,
// by a hash of the string. The claims of an article are not neighbours in
// the index (Bleve numbers the documents of a batch in no set order), so
// one remembered string missed nearly always, and the interner's map of
// some hundred thousand doc ids and clusters, looked up for every claim,
// missed the processor's caches: the cache holds the few hundred articles
// a batch spreads over.
type idCache struct {
	slots []cacheSlot // a power of two of them
	seed  maphash.Seed
}

type cacheSlot struct {
	s  string
	id int32 // -1 = empty
}

func newIDCache(size int) idCache {
	c := idCache{slots: make([]cacheSlot, size), seed: maphash.MakeSeed()}
	for i := range c.slots {
		c.slots[i].id = -1
	}
	return c
}

// id returns the number of b in in, and whether it is new there.
func (c *idCache) id(b []byte, in *interner) (int32, bool) {
	sl := &c.slots[maphash.Bytes(c.seed, b)&uint64(len(c.slots)-1)]
	if sl.id >= 0 && sl.s == string(b) {
		return sl.id, false
	}
	id, str, isNew := in.id(b)
	sl.s, sl.id = str, id
	return id, isNew
}

// scan visits every claim q selects and folds its doc values into the
// aggregates. A claim counts under each of its topics; with a topic filter,
// only under the filtered ones. The index splits the matches into runs read
// concurrently, one scanPart each.
func scan(ctx context.Context, snap *index.Snapshot, q Query, perRun int) (*scanned, error) {
	agg := newAggregator(q)
	iq := index.Query{Party: q.Party, Topic: q.Topic, Speaker: q.Speaker, Target: q.Target, Since: q.Since, Until: q.Until, MinConfidence: q.MinConfidence}
	opts := index.VisitOptions{Fields: scanFields, PerRun: perRun}
	err := snap.VisitClaims(ctx, iq, opts, func() index.ClaimVisitor { return newScanPart(agg) })
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

	// The numbers the aggregator gave the strings this run met lately:
	// each run has its own, since the runs' claims interleave in the
	// aggregator.
	docIDs, clusterIDs, outletIDs, targetIDs, ptkIDs idCache
}

func newScanPart(agg *aggregator) *scanPart {
	return &scanPart{agg: agg, docIDs: newIDCache(4096), clusterIDs: newIDCache(4096),
		outletIDs: newIDCache(256), targetIDs: newIDCache(256), ptkIDs: newIDCache(2048)}
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
	doc, _ := p.docIDs.id(p.doc, a.docIn)
	cluster := p.cluster
	if !p.hasCluster {
		// Written without a cluster: its own source.
		cluster = p.doc
	}
	r := row{doc: doc, target: -1, day: p.facts.Day, start: p.facts.Start, conf: p.facts.Confidence, ref: p.ref}
	r.cluster, _ = p.clusterIDs.id(cluster, a.clusterIn)
	r.outlet, _ = p.outletIDs.id(p.outlet, a.outletIn)
	if p.hasTarget {
		r.target, _ = p.targetIDs.id(p.target, a.targetIn)
	}
	counted := false
	from := 0
	for _, end := range p.ends {
		term := p.ptks[from:end]
		from = end
		id, isNew := p.ptkIDs.id(term, a.ptkIn)
		if isNew {
			a.addPTK(a.ptkTerms[id])
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
	// The timeline first, for claims with a date and a known kind: a
	// cell is of one position, so a cluster already counted for the cell
	// was counted for the position, and the position's list need not be
	// read.
	counted := false
	if r.day != noDay && r.k >= 0 {
		counted = a.foldCell(r)
	}
	if !counted && a.clusterPTKs.add(r.cluster, r.ptk) {
		p.sources++
	}
	if a.docPTKs.add(r.doc, r.ptk) {
		p.articles++
	}
	if r.outlet != 0 && insertSorted(&p.outletIDs, r.outlet) {
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
		var t *targetAgg
		for i := range p.targets {
			if p.targets[i].target == r.target {
				t = &p.targets[i]
				break
			}
		}
		if t == nil {
			p.targets = append(p.targets, targetAgg{target: r.target, pair: a.targetPairs, best: r})
			a.targetPairs++
			t = &p.targets[len(p.targets)-1]
		}
		if a.clusterTargets.add(r.cluster, t.pair) {
			t.sources++
		}
		if sc.betterRow(r, t.best) {
			t.best = r
		}
	}
}

// foldCell adds the row of a dated claim of a known kind to its timeline
// cell, and reports whether the claim's cluster was counted for the cell
// before.
func (a *aggregator) foldCell(r row) (seen bool) {
	sc := a.sc
	per, ok := a.periodOf[r.day]
	if !ok {
		per.start = periodStart(a.q.By, r.day)
		if per.n, ok = a.periodNo[per.start]; !ok {
			per.n = int32(len(a.periodNo))
			a.periodNo[per.start] = per.n
		}
		a.periodOf[r.day] = per
		if sc.minPeriod == noDay || per.start < sc.minPeriod {
			sc.minPeriod = per.start
		}
		sc.maxPeriod = max(sc.maxPeriod, per.start)
	}
	for int(r.pt) >= len(a.cellOf) {
		a.cellOf = append(a.cellOf, nil)
	}
	cells := &a.cellOf[r.pt]
	slot := int(per.n)*len(Kinds) + int(r.k)
	if slot >= len(*cells) {
		*cells = append(*cells, make([]int32, slot+1-len(*cells))...)
	}
	ci := (*cells)[slot] - 1
	if ci < 0 {
		ci = int32(sc.ncells)
		(*cells)[slot] = ci + 1
		if sc.ncells%cellChunk == 0 {
			sc.cells = append(sc.cells, make([]cellAgg, 0, cellChunk))
		}
		last := &sc.cells[len(sc.cells)-1]
		*last = append(*last, cellAgg{cellKey: cellKey{pt: r.pt, period: per.start, k: r.k}, earliest: r})
		sc.ncells++
	}
	c := sc.cell(int(ci))
	c.claims++
	seen = !a.clusterCells.add(r.cluster, ci)
	if !seen {
		c.sources++
	}
	if sc.earlierRow(r, c.earliest) {
		c.earliest = r
	}
	if r.outlet != 0 {
		// A cell has a few outlets to some hundreds: a sorted list, no
		// set, and the order the report wants.
		if r.outlet >= 64 {
			insertSorted(&c.outlets, r.outlet)
		} else if bit := uint64(1) << r.outlet; c.outletBits&bit == 0 {
			c.outletBits |= bit
			insertSorted(&c.outlets, r.outlet)
		}
		if !c.hasBest || sc.betterRow(r, c.best) {
			c.best, c.hasBest = r, true
		}
	}
	return seen
}

// cell returns the cell numbered i.
func (sc *scanned) cell(i int) *cellAgg { return &sc.cells[i/cellChunk][i%cellChunk] }

// lists holds a short list of numbers for each of many owners (articles,
// clusters): the first two numbers in the owner's head, the rest in a
// chain of blocks, newest first, of 6 numbers (32 bytes) and then of 14
// (64 bytes, a cache line), in pages of numbers: no pointers (nothing for
// the garbage collector to trace), no allocation per list, no copy of what
// was stored as the lists grow. A list of one or two numbers (an
// article's claims of one party) takes 16 bytes, a cluster's ten to
// twenty cells two or three blocks. A chain of single numbers, as before,
// took a cache line per number read, and those missed the processor's
// caches for any cluster met again later in the index.
type lists struct {
	heads []listHead // by owner
	pages [][]int32  // blocks: used | capacity<<16, next, then capacity numbers
}

// listHead is an owner's first two numbers and its newest block.
type listHead struct {
	val  [2]int32
	used int32 // numbers in val
	next int32 // 1 + the newest block (see lists.block), 0 = none
}

// listPageBits: a page of lists holds 1<<listPageBits numbers; a block is
// page<<listPageBits | offset.
const listPageBits = 14

// block returns the block b: its header and numbers.
func (l *lists) block(b int32) []int32 {
	return l.pages[b>>listPageBits][b&(1<<listPageBits-1):]
}

// add adds v to the list of owner and reports whether it is new there.
func (l *lists) add(owner, v int32) bool {
	if int(owner) >= len(l.heads) {
		l.heads = append(l.heads, make([]listHead, int(owner)+1-len(l.heads))...)
	}
	h := &l.heads[owner]
	for _, x := range h.val[:h.used] {
		if x == v {
			return false
		}
	}
	for b := h.next; b != 0; {
		blk := l.block(b - 1)
		for _, x := range blk[2 : 2+blk[0]&0xffff] {
			if x == v {
				return false
			}
		}
		b = blk[1]
	}
	if int(h.used) < len(h.val) {
		h.val[h.used] = v
		h.used++
		return true
	}
	capacity := int32(6)
	if h.next != 0 {
		blk := l.block(h.next - 1)
		if used := blk[0] & 0xffff; used < blk[0]>>16 {
			blk[2+used] = v
			blk[0]++
			return true
		}
		capacity = 14
	}
	// A new block, on a new page when this one is full.
	size := 2 + int(capacity)
	if len(l.pages) == 0 || len(l.pages[len(l.pages)-1])+size > 1<<listPageBits {
		l.pages = append(l.pages, make([]int32, 0, 1<<listPageBits))
	}
	page := &l.pages[len(l.pages)-1]
	b := int32(len(l.pages)-1)<<listPageBits | int32(len(*page))
	*page = append(*page, make([]int32, size)...)
	blk := (*page)[len(*page)-size:]
	blk[0], blk[1], blk[2] = 1|capacity<<16, h.next, v
	h.next = b + 1
	return true
}

// insertSorted adds v to the sorted list and reports whether it is new.
func insertSorted(list *[]int32, v int32) bool {
	i, found := slices.BinarySearch(*list, v)
	if !found {
		*list = slices.Insert(*list, i, v)
	}
	return !found
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
