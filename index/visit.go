package index

// Visiting: the generic read path for analyses that aggregate many claims
// (package compare). The caller never sees a Bleve type: it gives a Query and
// a ClaimVisitor, in the shape of Bleve's facet builders (search/
// facets_builder.go), and the index walks the matches and hands the visitor
// each claim's doc values. Doc values are read straight from the segments, so
// a visit over a million claims decodes no stored JSON; the few claims an
// analysis cites are then loaded by id.

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"redline/claim"
)

// Doc-value fields of a claim that VisitClaims can hand to a visitor. Each
// claim has at most one value of each, except ValuePosition (one per topic).
// A claim whose cluster, outlet or position is unknown has no value of that
// field.
const (
	ValueDocID    = fieldDocID   // the article's doc id
	ValueCluster  = fieldCluster // the article's near-duplicate cluster (independent source)
	ValueOutlet   = fieldOutlet  // the outlet
	ValuePosition = fieldPTK     // "party|topic|kind", one per topic: see SplitPosition
	ValueFacts    = fieldFacts   // date, confidence and offset packed in one term: see ParseFacts
	// ValueTarget is the party the claim addresses (claim.Claim.Target).
	// It has no doc value: VisitClaims reads the field's postings once per
	// visit (one term per party addressed anywhere in the index) and hands
	// the term on like the others.
	ValueTarget = fieldTarget
	// ValueRef is no field: its term is where the claim is in the
	// snapshot (see ParseRef), for ClaimAt.
	ValueRef = "_ref"
)

// ClaimVisitor is told the doc values of the claims a visit matches, one
// claim at a time: StartClaim, then Value once per value of the fields
// asked for (in no particular order), then EndClaim. term is valid only
// during the call to Value: copy what is kept. A visitor is used by one
// goroutine at a time.
type ClaimVisitor interface {
	StartClaim()
	Value(field string, term []byte)
	EndClaim()
}

// VisitOptions say what VisitClaims reads. The zero value reads no field
// (the visitor only counts claims).
type VisitOptions struct {
	// Fields are the Value* fields to hand to the visitor.
	Fields []string
	// PerRun is the fewest matches worth another goroutine (default
	// 20,000): the matches are split into at most GOMAXPROCS consecutive
	// runs of at least PerRun each.
	PerRun int
}

// skipFactor: a visit skips through the target postings while its matches
// times the target terms are below this many times the postings (a
// comparison of 8-byte ids costs a fraction of reading a posting). The
// tests set it to try both ways.
var skipFactor uint64 = 16

// DefaultPerRun is VisitOptions.PerRun when zero.
const DefaultPerRun = 20000

// Snapshot is one state of the index, for reads that must agree with each
// other (visit the claims, then load the ones to cite): a Write that lands in
// between is not seen. Close it when done; it holds the segments it reads
// open.
type Snapshot struct {
	ix     *Index
	reader bleveindex.IndexReader

	// The first document number of each segment, for ClaimAt.
	offsetsOnce sync.Once
	offsets     []uint64
}

// Snapshot verifies the index's segments (as Search does) and returns the
// current state for reading. It may be called concurrently with Write.
func (ix *Index) Snapshot() (_ *Snapshot, err error) {
	defer recoverDamage(ix.dir, "read", &err)
	if err := ix.verifySegments("read"); err != nil {
		return nil, err
	}
	adv, err := ix.bl.Advanced()
	if err != nil {
		return nil, ix.wrap(err)
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, ix.wrap(err)
	}
	return &Snapshot{ix: ix, reader: reader}, nil
}

// Close releases the snapshot.
func (s *Snapshot) Close() error { return s.reader.Close() }

// VisitClaims walks every claim q matches (q.Text and the filters as in
// Search; Limit, Offset and Facets are ignored) and hands each claim's doc
// values of opts.Fields to a visitor. The matches are found first, in index
// order, then split into consecutive runs read concurrently, one goroutine
// per run: newRun is called once per run, in run order, before any claim is
// visited, and the visitor it returns sees that run's claims in index order.
// So a caller that keeps its visitors in the order newRun made them can
// merge them into the index order. An invalid q fails with ErrQuery before
// newRun is called; ctx cancels the walk.
func (s *Snapshot) VisitClaims(ctx context.Context, q Query, opts VisitOptions, newRun func() ClaimVisitor) (err error) {
	ix := s.ix
	defer recoverDamage(ix.dir, "visit claims", &err)
	bq, _, err := ix.claimQuery(q)
	if err != nil {
		return err
	}
	searcher, err := bq.Searcher(ctx, s.reader, ix.bl.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return ix.searchErr(ctx, q.Text, err)
	}
	defer searcher.Close()
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(searcher.DocumentMatchPoolSize(), 0),
		IndexReader:       s.reader,
	}
	// The internal ids of the matches, back to back in buf: collecting them
	// first lets the doc values be read by several goroutines.
	var buf []byte
	var ends []int
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		dm, err := searcher.Next(sctx)
		if err != nil {
			return ix.searchErr(ctx, q.Text, err)
		}
		if dm == nil {
			break
		}
		buf = append(buf, dm.IndexInternalID...)
		ends = append(ends, len(buf))
		sctx.DocumentMatchPool.Put(dm)
	}

	var dvFields []string
	var tp *postings
	var refs bool
	for _, f := range opts.Fields {
		if f == ValueRef {
			refs = true
			continue
		}
		if f != ValueTarget {
			dvFields = append(dvFields, f)
			continue
		}
		terms, total, err := s.terms(fieldTarget)
		if err != nil {
			return err
		}
		// Reading every posting (and sorting them) costs in proportion to
		// all claims with a target. Skipping to each match in each term's
		// postings compares the matches times the terms, and advances a
		// reader at most once per posting: cheaper unless the matches are
		// a good part of the index.
		if uint64(len(ends))*uint64(len(terms)) < skipFactor*total {
			tp = &postings{field: fieldTarget, terms: terms, skip: true}
		} else if tp, err = s.postings(ctx, fieldTarget, terms); err != nil {
			return err
		}
	}

	perRun := opts.PerRun
	if perRun <= 0 {
		perRun = DefaultPerRun
	}
	runs := min(runtime.GOMAXPROCS(0), max(1, len(ends)/perRun))
	visitors := make([]ClaimVisitor, runs)
	for i := range visitors {
		visitors[i] = newRun()
	}
	errs := make([]error, runs)
	var wg sync.WaitGroup
	for w := range runs {
		from, to := w*len(ends)/runs, (w+1)*len(ends)/runs
		wg.Go(func() {
			errs[w] = s.guardedRun(ctx, buf, ends, from, to, dvFields, refs, tp, visitors[w])
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// guardedVisitor marks the calls into the caller's visitor, so that a
// panic of the visitor is re-raised as the caller's, not taken for damage
// of the index (see recoverDamage). A flag costs less than a deferred
// recover per value.
type guardedVisitor struct {
	v      ClaimVisitor
	inside bool
}

func (g *guardedVisitor) StartClaim() { g.inside = true; g.v.StartClaim(); g.inside = false }
func (g *guardedVisitor) EndClaim()   { g.inside = true; g.v.EndClaim(); g.inside = false }
func (g *guardedVisitor) Value(field string, term []byte) {
	g.inside = true
	g.v.Value(field, term)
	g.inside = false
}

// guardedRun is visitRun on a goroutine of its own: a panic there would not
// reach the deferred recovery of VisitClaims, so it recovers its own. A
// panic of the visitor is re-raised as it is.
func (s *Snapshot) guardedRun(ctx context.Context, buf []byte, ends []int, from, to int, fields []string, refs bool, tp *postings, v ClaimVisitor) (err error) {
	defer recoverDamage(s.ix.dir, "visit claims", &err)
	return s.visitRun(ctx, buf, ends, from, to, fields, refs, tp, &guardedVisitor{v: v})
}

// visitRun reads the doc values of matches from to to (indexes into ends),
// and hands on each match's number when refs is set.
func (s *Snapshot) visitRun(ctx context.Context, buf []byte, ends []int, from, to int, fields []string, refs bool, tp *postings, v *guardedVisitor) (err error) {
	defer func() {
		if v.inside {
			if p := recover(); p != nil {
				panic(callerPanic{p})
			}
		}
	}()
	var dvr bleveindex.DocValueReader
	if len(fields) > 0 {
		var err error
		if dvr, err = s.reader.DocValueReader(fields); err != nil {
			return s.ix.wrap(err)
		}
	}
	value := v.Value
	start := 0
	if from > 0 {
		start = ends[from-1]
	}
	// The matches come in index order, and so do the postings: one cursor
	// walks them side by side, or one reader per term skips ahead.
	cur := 0
	var sk *skipper
	if tp != nil && tp.skip {
		if sk, err = s.newSkipper(ctx, tp); err != nil {
			return err
		}
		defer sk.close()
	} else if tp != nil && from < to {
		cur = tp.search(buf[start:ends[from]])
	}
	for i := from; i < to; i++ {
		if (i-from)%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		id := bleveindex.IndexInternalID(buf[start:ends[i]])
		start = ends[i]
		v.StartClaim()
		if refs {
			value(ValueRef, id)
		}
		if dvr != nil {
			if err := dvr.VisitDocValues(id, value); err != nil {
				return s.ix.wrap(err)
			}
		}
		if sk != nil {
			if err := sk.visit(id, tp.field, value); err != nil {
				return s.ix.wrap(err)
			}
		} else if tp != nil {
			for cur < tp.len() && bytes.Compare(tp.id(cur), id) < 0 {
				cur++
			}
			for ; cur < tp.len() && bytes.Equal(tp.id(cur), id); cur++ {
				value(tp.field, tp.terms[tp.term[cur]])
			}
		}
		v.EndClaim()
	}
	return nil
}

// postings are the documents of every term of a field without doc values,
// sorted by internal id: the i-th has the id ids[ends[i-1]:ends[i]] and
// the term terms[term[i]]. When skip is set, only terms is filled: each run
// reads the terms' postings by skipping to its matches (see skipper).
type postings struct {
	field string
	ids   []byte
	ends  []int
	term  []int32
	terms [][]byte
	skip  bool
}

// skipper finds a run's matches in the postings of each term, one reader
// per term, skipping ahead to each match.
type skipper struct {
	terms   [][]byte
	readers []bleveindex.TermFieldReader
	docs    []bleveindex.TermFieldDoc
	next    []*bleveindex.TermFieldDoc
	done    []bool
}

func (s *Snapshot) newSkipper(ctx context.Context, tp *postings) (*skipper, error) {
	sk := &skipper{terms: tp.terms, docs: make([]bleveindex.TermFieldDoc, len(tp.terms)),
		next: make([]*bleveindex.TermFieldDoc, len(tp.terms)), done: make([]bool, len(tp.terms))}
	for _, t := range tp.terms {
		r, err := s.reader.TermFieldReader(ctx, t, tp.field, false, false, false)
		if err != nil {
			sk.close()
			return nil, s.ix.wrap(err)
		}
		sk.readers = append(sk.readers, r)
	}
	return sk, nil
}

// visit hands value the terms whose postings hold id; ids must come in
// increasing order.
func (sk *skipper) visit(id bleveindex.IndexInternalID, field string, value func(string, []byte)) error {
	for t, r := range sk.readers {
		if sk.done[t] {
			continue
		}
		n := sk.next[t]
		if n == nil || bytes.Compare(n.ID, id) < 0 {
			var err error
			if n, err = r.Advance(id, &sk.docs[t]); err != nil {
				return err
			}
			if n == nil {
				sk.done[t] = true
				continue
			}
			sk.next[t] = n
		}
		if bytes.Equal(n.ID, id) {
			value(field, sk.terms[t])
		}
	}
	return nil
}

func (sk *skipper) close() {
	for _, r := range sk.readers {
		r.Close()
	}
}

// terms returns the terms of field that some document has, and the number
// of postings they have in all (deleted documents included).
func (s *Snapshot) terms(field string) (terms [][]byte, total uint64, err error) {
	dict, err := s.reader.FieldDict(field)
	if err != nil {
		return nil, 0, s.ix.wrap(err)
	}
	defer dict.Close()
	for {
		de, err := dict.Next()
		if err != nil {
			return nil, 0, s.ix.wrap(err)
		}
		if de == nil {
			return terms, total, nil
		}
		if de.Count > 0 {
			terms = append(terms, []byte(de.Term))
			total += de.Count
		}
	}
}

func (p *postings) len() int { return len(p.ends) }

func (p *postings) id(i int) []byte {
	from := 0
	if i > 0 {
		from = p.ends[i-1]
	}
	return p.ids[from:p.ends[i]]
}

// search returns the first i whose id is not below id.
func (p *postings) search(id []byte) int {
	return sort.Search(p.len(), func(i int) bool { return bytes.Compare(p.id(i), id) >= 0 })
}

// postings reads the postings of terms of field, all of them.
func (s *Snapshot) postings(ctx context.Context, field string, terms [][]byte) (*postings, error) {
	type entry struct {
		from, to int // the id in all
		term     int32
	}
	var entries []entry
	var all []byte
	p := &postings{field: field, terms: terms}
	for t, term := range terms {
		tfr, err := s.reader.TermFieldReader(ctx, term, field, false, false, false)
		if err != nil {
			return nil, s.ix.wrap(err)
		}
		var tfd bleveindex.TermFieldDoc
		for n := 0; ; n++ {
			if n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					tfr.Close()
					return nil, err
				}
			}
			d, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return nil, s.ix.wrap(err)
			}
			if d == nil {
				break
			}
			all = append(all, d.ID...)
			entries = append(entries, entry{from: len(all) - len(d.ID), to: len(all), term: int32(t)})
		}
		if err := tfr.Close(); err != nil {
			return nil, s.ix.wrap(err)
		}
	}
	// Each term's postings are in id order; all of them together are not.
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(all[a.from:a.to], all[b.from:b.to]) })
	p.ids = make([]byte, 0, len(all))
	for _, e := range entries {
		p.ids = append(p.ids, all[e.from:e.to]...)
		p.ends = append(p.ends, len(p.ids))
		p.term = append(p.term, e.term)
	}
	return p, nil
}

// Claim reads the stored claim with the given id (see ClaimID); found is
// false when the snapshot holds no such claim. It may be called by several
// goroutines at once.
func (s *Snapshot) Claim(id string) (c claim.Claim, found bool, err error) {
	defer recoverDamage(s.ix.dir, "read claim", &err)
	doc, err := s.reader.Document(id)
	if err != nil || doc == nil {
		return c, false, s.ix.wrap(err)
	}
	var raw []byte
	doc.VisitFields(func(f bleveindex.Field) {
		if f.Name() == fieldRaw {
			raw = f.Value()
		}
	})
	if raw == nil {
		return c, false, nil
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, false, fmt.Errorf("index: claim %s: %w", id, err)
	}
	return c, true, nil
}

// Ref is where a claim is in one Snapshot: the term of ValueRef.
type Ref uint64

// ParseRef reads a ValueRef term; ok is false for a malformed one.
func ParseRef(term []byte) (r Ref, ok bool) {
	if len(term) != 8 {
		return 0, false
	}
	return Ref(binary.BigEndian.Uint64(term)), true
}

// ClaimAt is Claim for a claim that a visit of this snapshot handed over
// with its ValueRef: it reads the claim at ref instead of looking id up in
// the ids of every segment, which costs some ten times more on an index of
// a million claims. A ref that holds no live claim of that id (one of
// another snapshot) reads id as Claim does. It may be called by several
// goroutines at once.
func (s *Snapshot) ClaimAt(id string, ref Ref) (c claim.Claim, found bool, err error) {
	raw, err := s.rawAt(id, ref)
	if err != nil || raw == nil {
		if err == nil {
			return s.Claim(id)
		}
		return c, false, err
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, false, fmt.Errorf("index: claim %s: %w", id, err)
	}
	return c, true, nil
}

// Citation is what citing a claim takes beyond its doc values.
type Citation struct {
	Sentence   string  `json:"sentence"`
	URL        string  `json:"url"`
	Confidence float64 `json:"confidence"`
}

// CitationAt is ClaimAt for a claim's sentence, URL and confidence only:
// decoding the rest of the stored claim took half of what a comparison
// spent reading the claims it cites.
func (s *Snapshot) CitationAt(id string, ref Ref) (c Citation, found bool, err error) {
	raw, err := s.rawAt(id, ref)
	if err != nil || raw == nil {
		if err != nil {
			return c, false, err
		}
		cl, found, err := s.Claim(id)
		return Citation{Sentence: cl.Sentence, URL: cl.URL, Confidence: cl.Confidence}, found, err
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, false, fmt.Errorf("index: claim %s: %w", id, err)
	}
	return c, true, nil
}

// rawAt returns the stored JSON of the document at ref when it is live and
// has the id, or nil.
func (s *Snapshot) rawAt(id string, ref Ref) (raw []byte, err error) {
	defer recoverDamage(s.ix.dir, "read claim", &err)
	is, ok := s.reader.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	segs := is.Segments()
	// Document numbers run on from segment to segment, each segment
	// taking as many as it holds documents, deleted ones included (as
	// scorch numbers them); a wrong guess is caught by the id below.
	s.offsetsOnce.Do(func() {
		var next uint64
		for _, ss := range segs {
			s.offsets = append(s.offsets, next)
			next += ss.Segment().Count()
		}
	})
	n := uint64(ref)
	i := sort.Search(len(s.offsets), func(i int) bool { return s.offsets[i] > n }) - 1
	if i < 0 || i >= len(segs) {
		return nil, nil
	}
	local := n - s.offsets[i]
	if local >= segs[i].Segment().Count() || segs[i].Deleted() != nil && segs[i].Deleted().Contains(uint32(local)) {
		return nil, nil
	}
	match := false
	err = segs[i].VisitDocument(local, func(name string, _ byte, val []byte, _ []uint64) bool {
		switch {
		case name == "_id":
			match = string(val) == id
			// Never stop at _id: zapx (v17.2.3) then puts its pooled
			// reading state back twice, and two later reads share it.
			return true
		case !match:
			return false
		case name == fieldRaw:
			raw = append([]byte(nil), val...)
			return false
		}
		return true
	})
	if err != nil {
		return nil, s.ix.wrap(err)
	}
	return raw, nil
}

// ClaimID is the id of a claim in the index, "c:<doc_id>:<start>:<party>:<kind>":
// stable across runs, and unique since one sentence states one kind of
// position of one party once.
func ClaimID(docID string, start int, party, kind string) string {
	return "c:" + docID + ":" + strconv.Itoa(start) + ":" + party + ":" + kind
}

// Undated is Facts.Day of a claim without a published date.
const Undated = int32(-1 << 31)

// noDay is Undated inside the package (parseFacts).
const noDay = Undated

// Facts are a claim's date, confidence and offset, as one ValueFacts term
// holds them.
type Facts struct {
	Day        int32   // days since 1970-01-01 (UTC), or Undated
	Confidence float32 // in [0, 1], to a thousandth
	Start      int32   // the sentence's byte offset (claim.Claim.Start)
}

// ParseFacts reads a ValueFacts term; ok is false for a malformed one.
func ParseFacts(term []byte) (f Facts, ok bool) {
	day, conf, start, ok := parseFacts(term)
	return Facts{Day: day, Confidence: conf, Start: start}, ok
}

// SplitPosition splits a ValuePosition term into its party, topic and kind;
// ok is false for a malformed term.
func SplitPosition(term string) (party, topic, kind string, ok bool) {
	p, rest, ok := cut(term)
	if !ok {
		return "", "", "", false
	}
	t, k, ok := cut(rest)
	if !ok || p == "" {
		return "", "", "", false
	}
	return p, t, k, true
}

func cut(s string) (before, after string, ok bool) {
	for i := 0; i+len(ptkSep) <= len(s); i++ {
		if s[i:i+len(ptkSep)] == ptkSep {
			return s[:i], s[i+len(ptkSep):], true
		}
	}
	return s, "", false
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
