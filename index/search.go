package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"redline/claim"
)

// Query selects claims. The zero value selects every claim.
type Query struct {
	// Text is read as in web search: several words must all match
	// ("nato guarantees"), OR joins alternatives ("ceasefire OR truce"),
	// NOT word and -word exclude, AND may be written, quotes make a phrase
	// ("security guarantees") of the sentence's exact words, lower-cased
	// but neither stemmed nor thinned ("will not cede" finds just that);
	// operators are upper case. Each word is an
	// atom of Bleve's query-string syntax: plain words search the sentence
	// ("nato" matches "NATO"; the English analyzer stems), and field:value
	// searches another field: party, kind, topic (or topics), outlet,
	// doc_id, speaker, target, attribution (exact), title (text),
	// hedged:true, confidence:>0.8, start:<100, published:>="2024-01-01",
	// published:2025-03-14 (a day; a month 2025-03 or a year 2025 too).
	// Values of party, kind, topic and outlet go through Resolve. An
	// unknown field is an error, and so is a text of words the index
	// leaves out ("the"). "" or "*" selects all claims.
	Text string

	// Resolve maps a party, kind, topic or outlet value written in Text to
	// the indexed values it stands for; its error rejects the query
	// (wrapped in ErrQuery). When nil, party, kind and topic values are
	// lower-cased and outlet values taken as written.
	Resolve ResolveFunc

	// Filters: OR within one field, AND across fields; empty = any.
	// Values are exact (case-sensitive) party ids, kinds, topic ids,
	// outlets, speakers (as the claims name them) and target party ids.
	Party, Kind, Topic, Outlet, Speaker, Target []string

	// Since and Until bound the claim's published date, both inclusive,
	// compared by calendar date (year, month, day of the time.Time as
	// given). Zero = open. Claims without a date never match a bound.
	Since, Until time.Time

	// MinConfidence leaves out the claims whose confidence is below it
	// (in [0, 1]; 0 = no bound). The caller chooses it, e.g. the
	// MinConfidence of the index's Model.
	MinConfidence float64

	// Limit is the number of hits Search returns (default 10, at most
	// MaxLimit); Offset skips that many hits first. Claims ignores both.
	Limit, Offset int

	// Order is the order of Search's hits (see Order); Claims writes in
	// (doc_id, start) order unless it is set.
	Order Order

	// After makes Search start just after the hit whose Result.Next it is
	// (of the same query and order); Offset then counts hits after it.
	// Deep pages are cheap this way: Search reads from the cursor on,
	// not every match before it. Claims ignores it.
	After string

	// Before makes Search return the Limit rows just before the hit whose
	// Result.Prev it is (of the same query and order), so that a page can
	// link to the one before it however deep it is: the page after a
	// cursor is read from the cursor, not by an offset that grows with
	// it. When fewer rows than Limit come before it, Search returns the
	// first page instead (Result.Prev is then ""). Offset and After must
	// be zero with it. Claims ignores it.
	Before string

	// Facets asks Search for counts per party, kind, topic and outlet over
	// all matches. Claims ignores it.
	Facets bool
}

// MaxLimit caps Query.Limit in Search; use Claims to read more.
const MaxLimit = 10000

// facetSize is how many values Search reports per facet; statsFacetSize
// how many Stats reports.
const (
	facetSize      = 100
	statsFacetSize = 1000
)

// FacetCount is how many claims have one value of a field.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is one page of search results.
type Result struct {
	Total uint64 // number of matching claims (not just this page)
	Hits  []Hit
	// Facets maps "party", "kind", "topic" and "outlet" to counts over all
	// matches, most frequent first (ties by value), at most 100 values
	// each; nil unless Query.Facets.
	Facets map[string][]FacetCount
	Took   time.Duration // time Bleve spent on the search
	// Next is the cursor of the page after this one (Query.After), ""
	// when no row follows this page.
	Next string
	// Prev is the cursor of the page before this one (Query.Before), ""
	// when this page is the first.
	Prev string
}

// Hit is one matching claim.
type Hit struct {
	// ID identifies the claim in the index (Index.Claim reads it back):
	// "c:<doc_id>:<start>:<party>:<kind>", with a ":<n>" suffix for a
	// second claim of the same start, party and kind.
	ID    string
	Claim claim.Claim // exactly as written
	Score float64     // relevance; 0 when Query.Text selects all
	// Fragments holds the sentence with each matched term or phrase in
	// [brackets], when the text query matched the sentence; empty
	// otherwise (e.g. a query on party only). Fragments for a title match
	// follow, prefixed "title: ".
	Fragments []string
	// Claims counts the matching claims folded into this hit: the same
	// sentence text (white space folded), party and kind; 1 when the
	// sentence appeared once. Sources lists them (at most MaxSources),
	// this hit's own claim first, then newest first.
	Claims  int
	Sources []Source
}

// Search returns one page of claims matching q in the order q.Order
// (default: by relevance when q.Text is given, else newest first).
// Claims with the same sentence, party and kind are folded into one hit
// (the first of them in that order) with their sources; q.Limit and
// q.Offset count folded hits, so page n of an order is the nth slice of
// the folded hits in that order, whether it is asked for by offset or by
// the cursor of page n-1 (q.After).
// An invalid q.Text fails with an error wrapping ErrQuery. Search may run
// concurrently with Write and other searches; ctx cancels it.
func (ix *Index) Search(ctx context.Context, q Query) (_ Result, err error) {
	defer recoverDamage(ix.dir, "search", &err)
	if err := ix.verifySegments("search"); err != nil {
		return Result{}, err
	}
	bq, hasText, err := ix.claimQuery(q)
	if err != nil {
		return Result{}, err
	}
	if _, err := ParseOrder(string(q.Order)); err != nil {
		return Result{}, err
	}
	order := q.Order.resolve(hasText)
	so := ix.searchOrder(order)
	var after, before []string
	var at cursor // the cursor given, after or before
	if q.After != "" {
		if at, err = readCursor("after", q.After, order, so); err != nil {
			return Result{}, err
		}
		after = at.After
	}
	if q.Before != "" {
		if q.After != "" || q.Offset > 0 {
			return Result{}, fmt.Errorf("%w: before with after or an offset: a page is read before a cursor, or after a cursor or an offset, not both", ErrQuery)
		}
		if at, err = readCursor("before", q.Before, order, so); err != nil {
			return Result{}, err
		}
		before = at.After
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, MaxLimit)
	skip := max(q.Offset, 0)
	// start is the number of rows before the page, when known.
	start := skip
	switch {
	case after != nil && at.Rows > 0:
		start = at.Rows + skip
	case before != nil && at.Rows > 0:
		// The rows up to the claim at the cursor, which starts the page
		// after.
		start = at.Rows - 1 - limit
	case after != nil || before != nil:
		start = -1
	}
	bound := at.Write
	if ix.writes {
		// The pages of one paging are of the state its first page read,
		// whatever an ingest commits meanwhile: that state's write is
		// carried by the cursors. Every page is bounded, the first too,
		// so that relevance scores are computed alike on all.
		last, _, err := ix.LastCommit()
		if err != nil {
			return Result{}, err
		}
		if after == nil && before == nil {
			bound = last.Seq
		}
		// A cursor without a bound (of an older redline) pages the
		// state as it is.
		if bound > 0 {
			bq = boundQuery(bq, bound)
		}
		// Relevance scores depend on the whole index, so a write since
		// the first page moves the scores of its claims too, and a
		// cursor's score no longer falls between the same two claims.
		// The page is then read by its place in the rows instead, when
		// the cursor knows it and it is not too deep to count to.
		if bound > 0 && last.Seq != bound && order == OrderRelevance && start >= 0 && (after != nil || before != nil) && start+limit < maxScan/2 {
			if before != nil && at.Rows-1 <= limit {
				start = 0 // the first page, whole, as below
			}
			after, before, skip = nil, nil, max(start, 0)
		}
	} else {
		bound = 0
	}
	req := bleve.NewSearchRequestOptions(bq, limit, 0, false)
	if !hasText {
		req.Score = bleve.ScoreNone
	}
	req.SortByCustom(so)
	if q.Facets {
		addFacets(req, facetSize)
	}
	f := folding{ix: ix, bq: bq, text: q.Text, order: order, sort: so, hasText: hasText, bound: bound, start: start}
	var (
		hits       []Hit
		keys       []string
		res        *bleve.SearchResult
		next, prev string
	)
	if before != nil {
		hits, keys, res, next, prev, err = f.hitsBefore(ctx, req, before, limit)
		if err == nil && res == nil {
			// Fewer rows than a page come before the cursor: the first
			// page, whole.
			req.SearchBefore = nil
			f.start = 0
			hits, keys, res, next, prev, err = f.hits(ctx, req, nil, 0, limit)
		}
	} else {
		hits, keys, res, next, prev, err = f.hits(ctx, req, after, skip, limit)
	}
	if err != nil {
		return Result{}, err
	}
	if err := ix.addSources(ctx, bq, q.Text, hits, keys); err != nil {
		return Result{}, err
	}
	out := Result{Total: res.Total, Took: res.Took, Hits: hits, Next: next, Prev: prev}
	if out.Hits == nil {
		out.Hits = []Hit{}
	}
	if q.Facets {
		out.Facets = facetCounts(res.Facets)
	}
	return out, nil
}

// Claims calls fn for every claim matching q (q.Limit, q.Offset, q.After
// and q.Facets are ignored), in (doc_id, start) order, or in q.Order when
// it is set (as Search orders claims, copies included: nothing is folded).
// An order reads the matches once per PageSize claims, with a
// search-after cursor; the (doc_id, start) order, which the rest of this
// comment is about, reads them once in all. Memory stays bounded by
// PageSize claims however many there are, and the work is linear in the
// number of claims: Claims walks the sorted doc_id dictionary, takes the
// next doc_ids worth about PageSize claims, and pages through their matches
// with a search-after cursor. It stops at and returns the first error of fn,
// of ctx or of the index. Claims written concurrently may or may not be
// seen, but no claim is seen twice.
func (ix *Index) Claims(ctx context.Context, q Query, fn func(claim.Claim) error) error {
	if err := ix.verifySegments("export"); err != nil {
		return err
	}
	return ix.claims(ctx, q, guard(fn))
}

// claims is Claims without the checksum verification.
func (ix *Index) claims(ctx context.Context, q Query, fn func(claim.Claim) error) (err error) {
	defer recoverDamage(ix.dir, "export", &err)
	bq, hasText, err := ix.claimQuery(q)
	if err != nil {
		return err
	}
	if q.Order != OrderDefault {
		return ix.orderedClaims(ctx, q, bq, hasText, fn)
	}
	if err := ix.readDictionaries(fieldDocID); err != nil {
		return err
	}
	dict, err := ix.bl.FieldDict(fieldDocID)
	if err != nil {
		return ix.wrap(err)
	}
	defer dict.Close()

	page := ix.opts.PageSize
	var chunk []string
	var sum uint64
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		terms := make([]query.Query, len(chunk))
		for i, d := range chunk {
			terms[i] = termQuery(fieldDocID, d)
		}
		chunk, sum = chunk[:0], 0
		return ix.exportPages(ctx, q.Text, query.NewConjunctionQuery([]query.Query{bq, query.NewDisjunctionQuery(terms)}), fn)
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("index: export: %w", ix.wrap(err))
		}
		if e == nil {
			break
		}
		// Count is the number of documents with this doc_id: its claims
		// plus the article record (deleted ones may still count).
		chunk = append(chunk, e.Term)
		sum += e.Count
		if sum >= uint64(page) || len(chunk) >= lookupChunk {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// exportPages calls fn for every match of bq in (doc_id, start) order,
// page by page.
func (ix *Index) exportPages(ctx context.Context, text string, bq query.Query, fn func(claim.Claim) error) error {
	so := search.SortOrder{
		&search.SortField{Field: fieldDocID, Type: search.SortFieldAsString},
		ix.sortStart(),
		&search.SortDocID{},
	}
	return ix.sortedPages(ctx, text, bq, so, false, fn)
}

// sortedPages calls fn for every match of bq in sort order so, reading
// pages of Options.PageSize one after the other; scored says whether so
// reads the relevance score. text labels errors.
func (ix *Index) sortedPages(ctx context.Context, text string, bq query.Query, so search.SortOrder, scored bool, fn func(claim.Claim) error) error {
	page := ix.opts.PageSize
	var after []string
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		req := bleve.NewSearchRequestOptions(bq, page, 0, false)
		req.Fields = []string{fieldRaw}
		if !scored {
			req.Score = bleve.ScoreNone
		}
		req.SortByCustom(so)
		req.SearchAfter = after
		res, err := ix.bl.SearchInContext(ctx, req)
		if err != nil {
			return ix.searchErr(ctx, text, err)
		}
		for _, h := range res.Hits {
			c, err := decodeHit(h)
			if err != nil {
				return err
			}
			if err := fn(c); err != nil {
				return err
			}
		}
		if len(res.Hits) < page {
			return nil
		}
		after = afterOf(so, res.Hits[len(res.Hits)-1])
	}
}

// orderedClaims calls fn for every match of bq in order q.Order, page by
// page.
func (ix *Index) orderedClaims(ctx context.Context, q Query, bq query.Query, hasText bool, fn func(claim.Claim) error) error {
	if _, err := ParseOrder(string(q.Order)); err != nil {
		return err
	}
	order := q.Order.resolve(hasText)
	return ix.sortedPages(ctx, q.Text, bq, ix.searchOrder(order), order == OrderRelevance, fn)
}

// Stats summarises the index.
type Stats struct {
	Articles, Claims uint64
	// NotEnglish counts the articles kept but not read for claims because
	// they are not in English.
	NotEnglish uint64
	// Claims per party, kind, topic and outlet, most frequent first (ties
	// by value), up to 1000 values each.
	ByParty, ByKind, ByTopic, ByOutlet []FacetCount
	// Model is the recorded claim model (see SetModel), nil when there is
	// none.
	Model *ModelInfo
	// AtMinConfidence counts the claims whose confidence is at least
	// Model.MinConfidence: all of them when Model is nil.
	AtMinConfidence uint64
}

// StatsReport is the JSON form of Stats: what redline stats --json prints,
// and what the workbench's /api/stats extends.
type StatsReport struct {
	Index      string       `json:"index"`
	Articles   uint64       `json:"articles"`
	NotEnglish uint64       `json:"not_english"`
	Claims     uint64       `json:"claims"`
	Errors     int          `json:"errors"` // distinct inputs ErrorsFile names
	ByParty    []FacetCount `json:"by_party"`
	ByKind     []FacetCount `json:"by_kind"`
	ByTopic    []FacetCount `json:"by_topic"`
	ByOutlet   []FacetCount `json:"by_outlet"`
	// Model is the claim model recorded at ingest, null when none is (the
	// rules alone, or an older redline).
	Model *ModelInfo `json:"model"`
	// MinConfidence is the default --min-confidence (the model's, else 0)
	// and ClaimsAtMin the claims at or above it.
	MinConfidence float64 `json:"min_confidence"`
	ClaimsAtMin   uint64  `json:"claims_at_min_confidence"`
}

// Report returns the stats of the index folder dir as a StatsReport;
// errors is the number of distinct inputs its ErrorsFile names (see
// ReadErrors).
func (st Stats) Report(dir string, errors int) StatsReport {
	r := StatsReport{Index: dir, Articles: st.Articles, NotEnglish: st.NotEnglish, Claims: st.Claims, Errors: errors,
		ByParty: st.ByParty, ByKind: st.ByKind, ByTopic: st.ByTopic, ByOutlet: st.ByOutlet, Model: st.Model, ClaimsAtMin: st.AtMinConfidence}
	if st.Model != nil {
		r.MinConfidence = st.Model.MinConfidence
	}
	return r
}

// Stats counts articles and claims and the claims per party, kind, topic and
// outlet. It may run concurrently with Write.
//
// Stats also verifies the checksums of the index's segment files and
// compares the counts with what the last write recorded (see Check for the
// full verification): damage is an error wrapping ErrDamaged, returned
// with the counts.
func (ix *Index) Stats(ctx context.Context) (_ Stats, err error) {
	defer recoverDamage(ix.dir, "stats", &err)
	if err := ix.verifySegments("stats"); err != nil {
		return Stats{}, err
	}
	st, err := ix.stats(ctx)
	if err != nil {
		return st, err
	}
	return st, ix.verifyCommit("stats", st.Articles, st.Claims)
}

func (ix *Index) stats(ctx context.Context) (Stats, error) {
	var st Stats
	areq := bleve.NewSearchRequestOptions(termQuery(fieldType, typeArticle), 0, 0, false)
	ares, err := ix.bl.SearchInContext(ctx, areq)
	if err != nil {
		return st, ix.searchErr(ctx, "", err)
	}
	st.Articles = ares.Total

	nreq := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(termQuery(fieldType, typeArticle), termQuery(fieldEnglish, "false")), 0, 0, false)
	nres, err := ix.bl.SearchInContext(ctx, nreq)
	if err != nil {
		return st, ix.searchErr(ctx, "", err)
	}
	st.NotEnglish = nres.Total

	creq := bleve.NewSearchRequestOptions(termQuery(fieldType, typeClaim), 0, 0, false)
	addFacets(creq, statsFacetSize)
	cres, err := ix.bl.SearchInContext(ctx, creq)
	if err != nil {
		return st, ix.searchErr(ctx, "", err)
	}
	st.Claims = cres.Total
	f := facetCounts(cres.Facets)
	st.ByParty, st.ByKind, st.ByTopic, st.ByOutlet = f["party"], f["kind"], f["topic"], f["outlet"]

	st.AtMinConfidence = st.Claims
	m, ok, err := ix.Model()
	if err != nil {
		return st, err
	}
	if ok {
		st.Model = &m
		if m.MinConfidence > 0 {
			mq, _, err := ix.claimQuery(Query{MinConfidence: m.MinConfidence})
			if err != nil {
				return st, err
			}
			mres, err := ix.bl.SearchInContext(ctx, bleve.NewSearchRequestOptions(mq, 0, 0, false))
			if err != nil {
				return st, ix.searchErr(ctx, "", err)
			}
			st.AtMinConfidence = mres.Total
		}
	}
	return st, nil
}

// facetFields maps the public facet names to index fields.
func facetFields() [4][2]string {
	return [4][2]string{{"party", fieldParty}, {"kind", fieldKind}, {"topic", fieldTopics}, {"outlet", fieldOutlet}}
}

func addFacets(req *bleve.SearchRequest, size int) {
	for _, f := range facetFields() {
		req.AddFacet(f[0], bleve.NewFacetRequest(f[1], size))
	}
}

func facetCounts(fr search.FacetResults) map[string][]FacetCount {
	out := make(map[string][]FacetCount, 4)
	for _, f := range facetFields() {
		counts := []FacetCount{}
		if r := fr[f[0]]; r != nil {
			for _, t := range r.Terms.Terms() {
				counts = append(counts, FacetCount{Value: t.Term, Count: t.Count})
			}
		}
		sort.Slice(counts, func(i, j int) bool {
			if counts[i].Count != counts[j].Count {
				return counts[i].Count > counts[j].Count
			}
			return counts[i].Value < counts[j].Value
		})
		out[f[0]] = counts
	}
	return out
}

// buildQuery turns q into a Bleve query over claim documents; hasText tells
// whether a text query is part of it.
func buildQuery(q Query) (bq query.Query, hasText bool, err error) {
	must := []query.Query{termQuery(fieldType, typeClaim)}
	if text := strings.TrimSpace(q.Text); text != "" && text != "*" {
		parsed, err := textQuery(text, q.Resolve)
		if err != nil {
			return nil, false, queryError(text, err)
		}
		must = append(must, parsed)
		hasText = true
	}
	for _, f := range []struct {
		field  string
		values []string
	}{{fieldParty, q.Party}, {fieldKind, q.Kind}, {fieldTopics, q.Topic}, {fieldOutlet, q.Outlet},
		{fieldSpeaker, q.Speaker}, {fieldTarget, q.Target}} {
		if len(f.values) == 0 {
			continue
		}
		terms := make([]query.Query, len(f.values))
		for i, v := range f.values {
			terms[i] = termQuery(f.field, v)
		}
		if len(terms) == 1 {
			must = append(must, terms[0])
		} else {
			must = append(must, query.NewDisjunctionQuery(terms))
		}
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		var since, until time.Time
		if !q.Since.IsZero() {
			since = calendarDate(q.Since)
		}
		if !q.Until.IsZero() {
			until = calendarDate(q.Until)
		}
		if !since.IsZero() && !until.IsZero() && until.Before(since) {
			return nil, false, fmt.Errorf("%w: since %s is after until %s", ErrQuery, since.Format(dateLayout), until.Format(dateLayout))
		}
		yes := true
		dr := query.NewDateRangeInclusiveQuery(since, until, &yes, &yes)
		dr.SetField(fieldPublished)
		must = append(must, dr)
	}
	if !validConfidence(q.MinConfidence) {
		return nil, false, fmt.Errorf("%w: min confidence %v is not in [0, 1]", ErrQuery, q.MinConfidence)
	}
	if q.MinConfidence > 0 {
		// Inclusive: a claim at exactly the bound is kept. Confidences are
		// indexed as the same float64 the claim carries, so 0.8 ≥ 0.8.
		yes := true
		lo := q.MinConfidence
		cr := query.NewNumericRangeInclusiveQuery(&lo, nil, &yes, nil)
		cr.SetField(fieldConfidence)
		must = append(must, cr)
	}
	return query.NewConjunctionQuery(must), hasText, nil
}

// calendarDate is midnight UTC of t's calendar date, the way published
// dates are indexed.
func calendarDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// queryError wraps err in ErrQuery, quoting the text. err itself stays
// reachable with errors.Is and errors.As (a Resolve error, say).
func queryError(text string, err error) error {
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	return fmt.Errorf("%w %q: %w", ErrQuery, text, wrapped{msg, err})
}

// wrapped is an error with another message.
type wrapped struct {
	msg string
	err error
}

func (w wrapped) Error() string { return w.msg }
func (w wrapped) Unwrap() error { return w.err }

// searchErr classifies an error of a Bleve search: cancellation, a closed
// index, or a query that parsed but cannot run (bad regular expression,
// too many terms from a wildcard), which is reported as ErrQuery.
func (ix *Index) searchErr(ctx context.Context, text string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, bleve.ErrorIndexClosed) {
		return ix.wrap(err)
	}
	if text != "" && looksLikeQueryError(err) {
		return queryError(text, err)
	}
	if strings.Contains(err.Error(), "index read inconsistency") {
		// Bleve's word for a document number that its segments disagree on.
		return &damagedError{dir: ix.dir, op: "search", cause: err.Error()}
	}
	return fmt.Errorf("index: search %s: %w", ix.dir, err)
}

func looksLikeQueryError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"error parsing regexp", "TooManyClauses"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func decodeHit(h *search.DocumentMatch) (claim.Claim, error) {
	var c claim.Claim
	raw, ok := h.Fields[fieldRaw].(string)
	if !ok {
		return c, fmt.Errorf("index: claim %s has no stored JSON", h.ID)
	}
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return c, fmt.Errorf("index: claim %s: %w", h.ID, err)
	}
	return c, nil
}

// fragments marks the matched spans of the sentence (and title) with
// [brackets]. Spans separated only by spaces merge, so a phrase comes out
// as one bracket.
func fragments(c *claim.Claim, locs search.FieldTermLocationMap) []string {
	var out []string
	sent := locs[fieldSentence]
	if exact := locs[fieldExact]; len(exact) > 0 {
		// Both fields index the same sentence text: their offsets agree.
		sent = maps.Clone(sent)
		if sent == nil {
			sent = search.TermLocationMap{}
		}
		for term, ls := range exact {
			sent[term] = append(sent[term], ls...)
		}
	}
	if s := mark(c.Sentence, sent); s != "" {
		out = append(out, s)
	}
	title := locs[fieldTitle]
	if exact := locs[fieldTitleExact]; len(exact) > 0 {
		title = maps.Clone(title)
		if title == nil {
			title = search.TermLocationMap{}
		}
		for term, ls := range exact {
			title[term] = append(title[term], ls...)
		}
	}
	if s := mark(c.Title, title); s != "" {
		out = append(out, "title: "+s)
	}
	return out
}

func mark(text string, tlm search.TermLocationMap) string {
	type span struct{ start, end int }
	var spans []span
	for _, locs := range tlm {
		for _, l := range locs {
			s, e := int(l.Start), int(l.End)
			if s < 0 || e > len(text) || s >= e {
				continue
			}
			spans = append(spans, span{s, e})
		}
	}
	if len(spans) == 0 {
		return ""
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	merged := spans[:1]
	for _, sp := range spans[1:] {
		last := &merged[len(merged)-1]
		if sp.start <= last.end || strings.TrimFunc(text[last.end:sp.start], unicode.IsSpace) == "" {
			last.end = max(last.end, sp.end)
			continue
		}
		merged = append(merged, sp)
	}
	var b strings.Builder
	b.Grow(len(text) + 2*len(merged))
	prev := 0
	for _, sp := range merged {
		b.WriteString(text[prev:sp.start])
		b.WriteByte('[')
		b.WriteString(text[sp.start:sp.end])
		b.WriteByte(']')
		prev = sp.end
	}
	b.WriteString(text[prev:])
	return b.String()
}
