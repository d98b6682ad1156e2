package index

// Compare: who wants what, according to how many independent sources, and
// how it moved. The aggregation runs inside this package because it reads
// Bleve's doc values directly (see scan): a comparison over a million claims
// must not decode a million stored JSON claims. The analysis of the scanned
// rows (verdicts, shifts, disagreements) is in compare_report.go.

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"redline/claim"
)

// Periods of a timeline (CompareQuery.By).
const (
	ByMonth   = "month"
	ByWeek    = "week"
	ByQuarter = "quarter"
)

// Verdicts of the convergence map (TopicMap.Verdict, Relation.Verdict).
const (
	// VerdictDeadlock: one party demands what another holds as a red line.
	VerdictDeadlock = "deadlock"
	// VerdictConvergence: one party's offer meets another's demand.
	VerdictConvergence = "possible convergence"
	// VerdictOpen: neither.
	VerdictOpen = "open"
)

// Kinds in the order every report lists them.
var Kinds = []string{claim.Demand, claim.RedLine, claim.Offer}

// CompareQuery selects the claims Compare aggregates and how. The zero
// value compares every claim by month.
type CompareQuery struct {
	// Party and Topic restrict the claims (any of the values; empty =
	// all). A claim with several topics counts under each selected one.
	Party, Topic []string
	// Speaker and Target restrict the claims to those speakers and target
	// parties (exact values, any of them; empty = all), as in Query.
	Speaker, Target []string
	// Since and Until bound the published date, both inclusive; claims
	// without a date are left out when either is set.
	Since, Until time.Time
	// MinConfidence leaves out the claims whose confidence is below it
	// (in [0, 1]; 0 = no bound), as Query.MinConfidence does.
	MinConfidence float64
	// By is the timeline period: ByMonth (default), ByWeek (ISO weeks) or
	// ByQuarter.
	By string
	// Evidence is the most sentences a position cites (default 3).
	Evidence int
	// MinSources is the fewest independent sources a position needs to
	// take part in a verdict (default 1): on a large corpus, 2 or 3 keeps
	// one misread sentence from making a deadlock.
	MinSources int
}

// Evidence is one claim a finding rests on, with what is needed to cite it.
type Evidence struct {
	Party      string  `json:"party"`         // the claim's party id
	Kind       string  `json:"kind"`          // demand, red_line or offer
	Sentence   string  `json:"sentence"`      // the sentence, as extracted
	Outlet     string  `json:"outlet"`        // "" when unknown
	Published  string  `json:"published"`     // "2006-01-02" or ""
	DocID      string  `json:"doc_id"`        // the article
	URL        string  `json:"url,omitempty"` // the article's address, when known
	Cluster    string  `json:"cluster"`       // the article's cluster (independent source)
	Confidence float64 `json:"confidence"`    // the claim's confidence
}

// Position is what one party holds on one topic as one kind of claim,
// counted honestly: Sources is the number of independent sources (distinct
// near-duplicate clusters), which a syndicated copy does not increase.
type Position struct {
	Party    string `json:"party"`    // party id
	Topic    string `json:"topic"`    // topic id
	Kind     string `json:"kind"`     // demand, red_line or offer
	Sources  int    `json:"sources"`  // distinct clusters
	Outlets  int    `json:"outlets"`  // distinct known outlets
	Articles int    `json:"articles"` // distinct articles
	Claims   int    `json:"claims"`   // claims
	First    string `json:"first"`    // earliest published date, "" if none is dated
	Last     string `json:"last"`     // latest published date, "" if none is dated
	// Evidence holds the highest-confidence claims, one per cluster (at
	// most CompareQuery.Evidence).
	Evidence []Evidence `json:"evidence"`
}

// KindCount is one kind of a party's stance on a topic.
type KindCount struct {
	Kind    string `json:"kind"`    // demand, red_line or offer
	Sources int    `json:"sources"` // independent sources
	Claims  int    `json:"claims"`  // claims
}

// Stance is one party's positions on one topic, side by side.
type Stance struct {
	Party string      `json:"party"` // party id
	Kinds []KindCount `json:"kinds"` // in the order of Kinds, only those held
}

// Relation is one pair of positions a verdict rests on: A's AKind meets B's
// BKind (for a deadlock A demands and B holds a red line; for a possible
// convergence A offers and B demands).
type Relation struct {
	Verdict  string     `json:"verdict"`  // VerdictDeadlock or VerdictConvergence
	A        string     `json:"a"`        // one party
	AKind    string     `json:"a_kind"`   // its kind of claim
	B        string     `json:"b"`        // the other party
	BKind    string     `json:"b_kind"`   // its kind of claim
	Evidence []Evidence `json:"evidence"` // A's best claim, then B's
}

// TopicMap is one row of the convergence map: every party's stance on the
// topic and a verdict. Verdict is VerdictDeadlock when some relation is a
// deadlock, else VerdictConvergence when some is a possible convergence,
// else VerdictOpen; Relations lists all of them. Only positions with at
// least CompareQuery.MinSources independent sources form relations.
type TopicMap struct {
	Topic     string     `json:"topic"`     // topic id
	Stances   []Stance   `json:"stances"`   // by party id
	Verdict   string     `json:"verdict"`   // see above
	Relations []Relation `json:"relations"` // deadlocks first
}

// Tally counts one kind in one period.
type Tally struct {
	Sources int `json:"sources"` // independent sources
	Claims  int `json:"claims"`  // claims
}

// Point is one period of a Series: the kinds reported then.
type Point struct {
	Period  string `json:"period"`   // "2025-03", "2025-W11" or "2025-Q1"
	Demand  Tally  `json:"demand"`   // demands reported in the period
	RedLine Tally  `json:"red_line"` // red lines reported in the period
	Offer   Tally  `json:"offer"`    // offers reported in the period
	// Dominant is the kind with the most independent sources (ties broken
	// by claims), or "" when two kinds tie on both.
	Dominant string `json:"dominant"`
}

// Tally returns the point's tally of kind.
func (p Point) Tally(kind string) Tally {
	switch kind {
	case claim.Demand:
		return p.Demand
	case claim.RedLine:
		return p.RedLine
	case claim.Offer:
		return p.Offer
	}
	return Tally{}
}

// Series is the timeline of one party on one topic.
type Series struct {
	Party  string  `json:"party"`  // party id
	Topic  string  `json:"topic"`  // topic id
	Claims int     `json:"claims"` // dated claims in all
	Points []Point `json:"points"` // the periods with dated claims, in order
}

// Shift is a change of a party's dominant kind on a topic between two
// periods with a dominant kind (periods between them had none, or no
// claims).
type Shift struct {
	Party      string   `json:"party"`       // party id
	Topic      string   `json:"topic"`       // topic id
	From       string   `json:"from"`        // the dominant kind before
	To         string   `json:"to"`          // the dominant kind after
	FromPeriod string   `json:"from_period"` // the last period of From
	Period     string   `json:"period"`      // the first period of To
	Evidence   Evidence `json:"evidence"`    // the first claim of To in Period
}

// Side is one kind reported in a Disagreement and the outlets that report
// it.
type Side struct {
	Kind     string     `json:"kind"`     // demand, red_line or offer
	Outlets  []string   `json:"outlets"`  // sorted
	Evidence []Evidence `json:"evidence"` // the highest-confidence claim of them
}

// Disagreement is a party's position on a topic in one period that outlets
// report as different kinds: some outlet reports a kind another does not,
// and the other reports a kind the first does not ("demand" at one,
// "red_line" or "offer" at another). Claims without an outlet take no part.
type Disagreement struct {
	Party  string `json:"party"`  // party id
	Topic  string `json:"topic"`  // topic id
	Period string `json:"period"` // the period
	Sides  []Side `json:"sides"`  // in the order of Kinds
}

// Comparison is what Compare finds.
type Comparison struct {
	By      string `json:"by"`      // the timeline period: month, week or quarter
	Claims  int    `json:"claims"`  // claims aggregated
	Undated int    `json:"undated"` // of them without a date: in positions, not in the timeline
	// MinConfidence is the confidence bound the claims were selected with
	// (CompareQuery.MinConfidence; 0 = none).
	MinConfidence float64 `json:"min_confidence"`
	// Periods is every period from the first dated claim to the last, in
	// order, so timelines can be drawn on one axis.
	Periods       []string       `json:"periods"`
	Positions     []Position     `json:"positions"`     // by topic, party, kind
	Map           []TopicMap     `json:"map"`           // by topic
	Timeline      []Series       `json:"timeline"`      // by party, topic
	Shifts        []Shift        `json:"shifts"`        // by party, topic, period
	Disagreements []Disagreement `json:"disagreements"` // by party, topic, period
	Took          time.Duration  `json:"-"`             // time Compare took
}

// Compare aggregates the claims q selects into positions, a convergence
// map, timelines with their shifts and disagreements between sources. It
// reads only doc values of the matching claims (ptk, cluster, outlet,
// doc_id and facts: one term each, but one per topic for ptk), then the
// stored JSON of the claims it cites: its time grows with the number of
// claims and its memory with the number of claim-topic pairs (about 40
// bytes each). It may run concurrently with Write and sees one snapshot of
// the index.
func (ix *Index) Compare(ctx context.Context, q CompareQuery) (_ *Comparison, err error) {
	defer recoverDamage(ix.dir, "compare", &err)
	if err := ix.verifySegments("compare"); err != nil {
		return nil, err
	}
	start := time.Now()
	switch q.By {
	case "":
		q.By = ByMonth
	case ByMonth, ByWeek, ByQuarter:
	default:
		return nil, fmt.Errorf("%w: period %q: want month, week or quarter", ErrQuery, q.By)
	}
	if q.Evidence <= 0 {
		q.Evidence = 3
	}
	if q.MinSources <= 0 {
		q.MinSources = 1
	}
	bq, _, err := buildQuery(Query{Party: q.Party, Topic: q.Topic, Speaker: q.Speaker, Target: q.Target,
		Since: q.Since, Until: q.Until, MinConfidence: q.MinConfidence})
	if err != nil {
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
	defer reader.Close()

	sc, err := ix.scan(ctx, reader, bq, q.Topic)
	if err != nil {
		return nil, err
	}
	cmp := sc.report(q)
	if err := cmp.resolve(ctx, reader, sc); err != nil {
		return nil, err
	}
	cmp.MinConfidence = q.MinConfidence
	cmp.Took = time.Since(start)
	return &cmp.Comparison, nil
}

// noDay marks a claim without a date.
const noDay = int32(-1 << 31)

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

// scan walks every claim bq matches and reads its doc values into rows. A
// claim counts under each of its topics; with a topic filter, only under
// the filtered ones. The matches are collected first, then their doc values
// read by one goroutine per CPU, each with its own string tables, merged at
// the end.
func (ix *Index) scan(ctx context.Context, reader bleveindex.IndexReader, bq query.Query, topics []string) (*scanned, error) {
	searcher, err := bq.Searcher(ctx, reader, ix.bl.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, ix.searchErr(ctx, "", err)
	}
	defer searcher.Close()
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(searcher.DocumentMatchPoolSize(), 0),
		IndexReader:       reader,
	}
	// The internal ids of the matches, back to back in buf.
	var buf []byte
	var ends []int
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		dm, err := searcher.Next(sctx)
		if err != nil {
			return nil, ix.searchErr(ctx, "", err)
		}
		if dm == nil {
			break
		}
		buf = append(buf, dm.IndexInternalID...)
		ends = append(ends, len(buf))
		sctx.DocumentMatchPool.Put(dm)
	}

	wantTopic := map[string]bool{}
	for _, t := range topics {
		wantTopic[t] = true
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, len(ends)/scanPerWorker))
	parts := make([]scanPart, workers)
	var wg sync.WaitGroup
	for w := range parts {
		from, to := w*len(ends)/workers, (w+1)*len(ends)/workers
		wg.Go(func() {
			parts[w].scan(ctx, ix, reader, buf, ends, from, to, wantTopic)
		})
	}
	wg.Wait()
	for _, p := range parts {
		if p.err != nil {
			return nil, p.err
		}
	}
	return mergeParts(parts, wantTopic), nil
}

// scanPerWorker is the fewest matches worth another scanning goroutine.
var scanPerWorker = 20000

// scanPart is what one scanning goroutine read: rows whose ptk, cluster,
// outlet and doc are numbers into its own tables.
type scanPart struct {
	rows                    []row
	claims, undated         int
	ptks                    []string
	clusters, outlets, docs []string
	err                     error
}

// scan reads the doc values of matches from to to (indexes into ends).
func (p *scanPart) scan(ctx context.Context, ix *Index, reader bleveindex.IndexReader, buf []byte, ends []int, from, to int, wantTopic map[string]bool) {
	dvr, err := reader.DocValueReader([]string{fieldPTK, fieldCluster, fieldOutlet, fieldDocID, fieldFacts})
	if err != nil {
		p.err = ix.wrap(err)
		return
	}
	p.outlets = []string{""}
	ptkIn, clusters, outlets, docs := newInterner(&p.ptks), newInterner(&p.clusters), newInterner(&p.outlets), newInterner(&p.docs)
	outlets.ids[""] = 0
	var keep []bool // by local ptk: passes the topic filter
	// One claim's values, filled by the visitor.
	var (
		ptks                      []int32
		cluster, outlet, doc, day int32
		startPos                  int32
		conf                      float32
	)
	visit := func(field string, term []byte) {
		switch field {
		case fieldPTK:
			id := ptkIn.id(term)
			if int(id) == len(keep) {
				info := parsePTK(string(term))
				keep = append(keep, info.party != "" && (len(wantTopic) == 0 || wantTopic[info.topic]))
			}
			ptks = append(ptks, id)
		case fieldCluster:
			cluster = clusters.id(term)
		case fieldOutlet:
			outlet = outlets.id(term)
		case fieldDocID:
			doc = docs.id(term)
		case fieldFacts:
			if d, c, st, ok := parseFacts(term); ok {
				day, conf, startPos = d, c, st
			}
		}
	}
	start := 0
	if from > 0 {
		start = ends[from-1]
	}
	for i := from; i < to; i++ {
		if (i-from)%4096 == 0 {
			if err := ctx.Err(); err != nil {
				p.err = err
				return
			}
		}
		id := bleveindex.IndexInternalID(buf[start:ends[i]])
		start = ends[i]
		ptks = ptks[:0]
		cluster, outlet, doc, day, startPos, conf = -1, 0, -1, noDay, 0, 0
		if err := dvr.VisitDocValues(id, visit); err != nil {
			p.err = ix.wrap(err)
			return
		}
		if doc < 0 {
			continue
		}
		if cluster < 0 {
			// Written without a cluster: its own source.
			cluster = clusters.id([]byte(p.docs[doc]))
		}
		counted := false
		for _, k := range ptks {
			if keep[k] {
				counted = true
				p.rows = append(p.rows, row{ptk: k, cluster: cluster, outlet: outlet, doc: doc, day: day, start: startPos, conf: conf})
			}
		}
		if counted {
			p.claims++
			if day == noDay {
				p.undated++
			}
		}
	}
}

// parsePTK splits a ptk term; party is "" for a malformed one.
func parsePTK(s string) ptkInfo {
	info := ptkInfo{pt: -1, k: -1}
	if p, rest, ok := cut(s); ok {
		if t, k, ok := cut(rest); ok {
			info.party, info.topic, info.kind = p, t, k
		}
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
func mergeParts(parts []scanPart, wantTopic map[string]bool) *scanned {
	sc := &scanned{outlets: []string{""}}
	ptkIDs := map[string]int32{}
	ptIDs := map[[2]string]int32{}
	clusters, outlets, docs := newInterner(&sc.clusters), newInterner(&sc.outlets), newInterner(&sc.docs)
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
		cm, om, dm := remap(p.clusters, clusters), remap(p.outlets, outlets), remap(p.docs, docs)
		for _, r := range p.rows {
			r.ptk = ptkMap[r.ptk]
			r.pt, r.k = sc.ptks[r.ptk].pt, sc.ptks[r.ptk].k
			r.cluster, r.outlet, r.doc = cm[r.cluster], om[r.outlet], dm[r.doc]
			sc.rows = append(sc.rows, r)
		}
	}
	return sc
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

// dayString formats a day number as "2006-01-02".
func dayString(day int32) string {
	if day == noDay {
		return ""
	}
	return time.Unix(int64(day)*86400, 0).UTC().Format(dateLayout)
}

// claimRef names a claim to cite: the row and the claim's party and kind.
type claimRef struct {
	r           row
	party, kind string
}

// loadClaim reads the stored JSON of the claim a row stands for.
func loadClaim(reader bleveindex.IndexReader, sc *scanned, ref claimRef) (claim.Claim, bool, error) {
	var c claim.Claim
	id := "c:" + sc.docs[ref.r.doc] + ":" + fmt.Sprint(ref.r.start) + ":" + ref.party + ":" + ref.kind
	doc, err := reader.Document(id)
	if err != nil || doc == nil {
		return c, false, err
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
