package index

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"redline/claim"
)

// Search results fold the claims that say the same thing into one row: the
// same sentence text (white space folded), party and kind. Wire copies and
// syndicated articles repeat a sentence word for word; a reader wants it
// once, with where it appeared. Party and kind are part of the key because
// one sentence may hold positions of two parties or of two kinds, and each
// is a row of its own.

// MaxSources is the most sources a Hit lists; Hit.Claims counts them all.
const MaxSources = 100

// Source is one claim folded into a row of search results: where its
// sentence appeared.
type Source struct {
	DocID     string `json:"doc_id"`
	Source    string `json:"source"`
	URL       string `json:"url,omitempty"`
	Outlet    string `json:"outlet"`
	Published string `json:"published"` // "2006-01-02" or ""
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Cluster   string `json:"cluster,omitempty"` // the article's near-duplicate cluster
}

func sourceOf(c *claim.Claim) Source {
	return Source{DocID: c.DocID, Source: c.Source, URL: c.URL, Outlet: c.Outlet, Published: c.Published,
		Start: c.Start, End: c.End, Cluster: c.Cluster}
}

// foldKey is the key of a claim's row: a hash of its sentence with white
// space folded, its party and its kind.
func foldKey(c *claim.Claim) string {
	h := sha256.New()
	h.Write([]byte(strings.Join(strings.Fields(c.Sentence), " ")))
	h.Write([]byte{0})
	h.Write([]byte(c.Party))
	h.Write([]byte{0})
	h.Write([]byte(c.Kind))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// maxScan bounds how many matching claims Search reads to fill one page of
// rows, so a page deep in results full of copies stays bounded. The scan
// reads the claims' sort values only (the fold key is the last of them),
// not their stored JSON, which Search loads for the rows it returns.
const maxScan = 10 * MaxLimit

// folding reads the rows of one search: the claims that come first of
// their fold key in the search's order. That definition does not depend
// on where a page starts, so a page read after a cursor is the same slice
// of rows as the one read by offset from the first match.
type folding struct {
	ix      *Index
	bq      query.Query
	text    string
	order   Order
	sort    search.SortOrder
	hasText bool
	// bound is the write whose state the pages are of (see boundQuery),
	// carried by their cursors; 0: none.
	bound uint64
	// start is the number of rows before the page (the first page: 0),
	// -1 when not known (a cursor that does not say).
	start int
}

// rowsTo is the number of rows up to and including the ith of the page,
// 0 when not known.
func (f *folding) rowsTo(i int) int {
	if f.start < 0 {
		return 0
	}
	return f.start + i + 1
}

// hits runs req from just after the cursor after (nil: from the first
// match) and folds its hits into rows until it has skip+limit rows; it
// returns the rows after the first skip with their fold keys, the result
// of the first search (for the total and facets, which count every match
// whatever the cursor) and the cursor after the last row when a row
// follows the page: it reads one row more than the page to know, so that
// the last page of a result whose rows fill it exactly has no cursor to an
// empty page. A search visits every match to sort them, so when the first search
// does not fill the page the next one reads all the rest of the matches
// (their sort values), up to maxScan/2 at a time: a page of a result full
// of copies costs two or three searches, not one for each page of claims
// read. After a cursor, the fold keys met are looked up together, a batch
// a search (firstIDs), not one search a key.
func (f *folding) hits(ctx context.Context, req *bleve.SearchRequest, after []string, skip, limit int) ([]Hit, []string, *bleve.SearchResult, string, string, error) {
	// One row past the page says whether another page follows.
	want := skip + limit + 1
	chunk := min(max(2*want, 50), MaxLimit)
	exhausted := false // every match after the cursor was read
	seen := map[string]bool{}
	var rows []*search.DocumentMatch
	var first *bleve.SearchResult
	cur := after
	// After a cursor, the first claim of a key met here may have one
	// before the cursor: the row was on an earlier page. firstOf holds
	// the first claim of each key looked up, a batch of keys a search
	// (firstIDs), twice as many each time.
	firstOf := map[string]string{}
	batch := max(want, minBatch)
	for scanned := 0; len(rows) < want && scanned < maxScan; {
		req.From, req.Size, req.SearchAfter = 0, chunk, cur
		res, err := f.ix.bl.SearchInContext(ctx, req)
		if err != nil {
			return nil, nil, nil, "", "", f.ix.searchErr(ctx, f.text, err)
		}
		if first == nil {
			first = res
			req.Facets = nil // counted over all matches by the first search
		} else {
			first.Took += res.Took
		}
		for i, h := range res.Hits {
			if len(rows) == want {
				break
			}
			k := foldKeyOf(h)
			if seen[k] {
				continue
			}
			seen[k] = true
			if after != nil && !strings.HasPrefix(k, "id:") {
				if _, ok := firstOf[k]; !ok {
					keys := newKeys(res.Hits[i:], seen, firstOf, k, batch)
					if err := f.firstIDs(ctx, keys, firstOf); err != nil {
						return nil, nil, nil, "", "", err
					}
					batch *= 2
				}
				if id := firstOf[k]; id != "" && id != h.ID {
					continue
				}
			}
			rows = append(rows, h)
		}
		scanned += len(res.Hits)
		if len(res.Hits) < chunk {
			exhausted = true
			break
		}
		cur = afterOf(f.sort, res.Hits[len(res.Hits)-1])
		// The first search was not enough: a page past many copies, or
		// deep. Every search visits all matches, so read the rest in one
		// (up to maxScan/2 sort values, a few tens of MB, not their JSON).
		chunk = min(max(2*chunk, int(first.Total)-scanned), maxScan/2)
	}
	// A scan cut short by maxScan may have stopped before the row that
	// follows: the page then keeps its cursor, as a full page did.
	more := len(rows) == want || (len(rows) == want-1 && !exhausted)
	rows = rows[:min(len(rows), want-1)]
	if skip >= len(rows) {
		return nil, nil, first, "", "", nil
	}
	page := rows[skip:]
	hits, keys, err := f.load(ctx, page)
	if err != nil {
		return nil, nil, nil, "", "", err
	}
	next, prev := "", ""
	if len(page) == limit && more {
		next = cursorOf(f.order, f.sort, page[len(page)-1], f.bound, f.rowsTo(len(page)-1))
	}
	if after != nil || skip > 0 {
		// Rows come before this page: its first row is where the page
		// before it ends.
		prev = cursorOf(f.order, f.sort, page[0], f.bound, f.rowsTo(0))
	}
	return hits, keys, first, next, prev, nil
}

// hitsBefore reads the limit rows just before the claim at the cursor
// before, as hits reads those after one: it searches the matches before
// the cursor, nearest first, up to maxScan of them, and takes each claim
// that is the first of its fold key in the search's order (see
// rowsBefore). It returns the rows in the search's order, the first search
// (for the total and facets), and the cursors of the pages after and
// before (the latter "" when no row precedes). When fewer than limit rows
// precede the cursor it returns a nil result: the caller reads the first
// page instead, so that a page is always full.
//
// Its cost is bounded whatever the page size and however many copies
// the results hold: when the first search does not reach back to the
// first match, the second reads all the rest (up to maxScan/2 sort
// values, as hits does), and the fold keys whose first claim lies further
// back are looked up together (firstIDs), not one search a key.
func (f *folding) hitsBefore(ctx context.Context, req *bleve.SearchRequest, before []string, limit int) ([]Hit, []string, *bleve.SearchResult, string, string, error) {
	want := limit + 1 // one row more says whether a page precedes
	chunk := min(max(2*want, 50), MaxLimit)
	firstOf := map[string]string{}     // fold key: the id of its first claim, once looked up
	var window []*search.DocumentMatch // the matches before the cursor read, nearest first
	var rows []*search.DocumentMatch   // nearest the cursor first
	var first *bleve.SearchResult
	cur := before
	for scanned := 0; scanned < maxScan; {
		req.From, req.Size, req.SearchAfter, req.SearchBefore = 0, chunk, nil, cur
		res, err := f.ix.bl.SearchInContext(ctx, req)
		if err != nil {
			return nil, nil, nil, "", "", f.ix.searchErr(ctx, f.text, err)
		}
		if first == nil {
			first = res
			req.Facets = nil
		} else {
			first.Took += res.Took
		}
		// Search-before gives the hits in the search's order: walk them
		// back from the cursor.
		for i := len(res.Hits) - 1; i >= 0; i-- {
			window = append(window, res.Hits[i])
		}
		scanned += len(res.Hits)
		exhausted := len(res.Hits) < chunk
		if rows, err = f.rowsBefore(ctx, window, exhausted, firstOf, want); err != nil {
			return nil, nil, nil, "", "", err
		}
		if len(rows) == want || exhausted {
			break
		}
		cur = afterOf(f.sort, res.Hits[0])
		// Read the rest in one: every search visits all matches anyway.
		chunk = min(max(2*chunk, int(first.Total)-scanned), maxScan/2)
	}
	if len(rows) < limit {
		return nil, nil, nil, "", "", nil
	}
	more := len(rows) == want
	page := rows[:limit]
	slices.Reverse(page)
	hits, keys, err := f.load(ctx, page)
	if err != nil {
		return nil, nil, nil, "", "", err
	}
	// A row follows this page: the claim at the cursor.
	next := cursorOf(f.order, f.sort, page[len(page)-1], f.bound, f.rowsTo(len(page)-1))
	prev := ""
	if more {
		prev = cursorOf(f.order, f.sort, page[0], f.bound, f.rowsTo(0))
	}
	return hits, keys, first, next, prev, nil
}

// rowsBefore returns up to want rows of window, the matches just before a
// cursor, nearest first: the claims that are the first of their fold key
// among all matches, nearest the cursor first. Only the furthest claim of
// a key in window can be its first. When window reaches back to the first
// match (complete), it is the first; else it is when the key's first claim
// (firstOf, filled in by firstIDs for the keys it lacks) is that one.
func (f *folding) rowsBefore(ctx context.Context, window []*search.DocumentMatch, complete bool, firstOf map[string]string, want int) ([]*search.DocumentMatch, error) {
	furthest := map[string]int{} // fold key: its furthest claim in window
	for i, h := range window {
		furthest[foldKeyOf(h)] = i
	}
	var cands []*search.DocumentMatch // nearest first
	for i, h := range window {
		if furthest[foldKeyOf(h)] == i {
			cands = append(cands, h)
		}
	}
	isRow := func(h *search.DocumentMatch) (row, known bool) {
		k := foldKeyOf(h)
		if complete || strings.HasPrefix(k, "id:") {
			return true, true
		}
		id, ok := firstOf[k]
		return ok && id == h.ID, ok
	}
	var rows []*search.DocumentMatch
	// Look the keys up nearest first, as many as rows are missing and
	// twice as many each time after: few searches however many
	// candidates turn out copies of rows further back.
	batch := max(want, minBatch)
	for i := 0; i < len(cands) && len(rows) < want; {
		if _, known := isRow(cands[i]); !known {
			var keys []string
			for j := i; j < len(cands) && len(keys) < batch; j++ {
				if _, known := isRow(cands[j]); !known {
					keys = append(keys, foldKeyOf(cands[j]))
				}
			}
			if err := f.firstIDs(ctx, keys, firstOf); err != nil {
				return nil, err
			}
			batch *= 2
		}
		if row, _ := isRow(cands[i]); row {
			rows = append(rows, cands[i])
		}
		i++
	}
	return rows, nil
}

// newKeys returns k and the fold keys after it in hits, up to n in all,
// that are met there first (not in seen) and not looked up yet (not in
// firstOf): the keys a look-up from k on needs next.
func newKeys(hits []*search.DocumentMatch, seen map[string]bool, firstOf map[string]string, k string, n int) []string {
	keys := []string{k}
	taken := map[string]bool{k: true}
	for _, h := range hits {
		if len(keys) == n {
			break
		}
		x := foldKeyOf(h)
		if _, ok := firstOf[x]; ok || seen[x] || taken[x] || strings.HasPrefix(x, "id:") {
			continue
		}
		keys, taken[x] = append(keys, x), true
	}
	return keys
}

// minBatch is the fewest fold keys a look-up (firstIDs) asks for: a
// search of a few keys costs what one of many does, and a page whose
// keys were mostly shown before (the last pages of a result full of
// copies) meets many before it has its rows.
const minBatch = 64

// firstIDs records in firstOf the id of the first claim of each fold key
// of keys among the matches, in the search's order: it reads the matches
// of those keys from the first on, in pages up to maxScan/2, until it has
// met every key.
func (f *folding) firstIDs(ctx context.Context, keys []string, firstOf map[string]string) error {
	terms := make([]query.Query, len(keys))
	missing := make(map[string]bool, len(keys))
	for i, k := range keys {
		terms[i] = termQuery(fieldFold, k)
		missing[k] = true
	}
	// Sort values are cheap to read: a page large enough for the copies
	// of most keys makes it one search.
	size := min(max(16*len(keys), 1000), maxScan/2)
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{f.bq, query.NewDisjunctionQuery(terms)}), size, 0, false)
	if !f.hasText {
		req.Score = bleve.ScoreNone
	}
	// The fold term adds the same score to every claim of a key, so
	// their order by relevance is the order of the search itself.
	req.SortByCustom(f.sort.Copy())
	for len(missing) > 0 {
		res, err := f.ix.bl.SearchInContext(ctx, req)
		if err != nil {
			return f.ix.searchErr(ctx, f.text, err)
		}
		for _, h := range res.Hits {
			if k := foldKeyOf(h); missing[k] {
				firstOf[k] = h.ID
				delete(missing, k)
			}
		}
		if len(res.Hits) < size {
			break
		}
		req.SearchAfter = afterOf(f.sort, res.Hits[len(res.Hits)-1])
	}
	// A key no claim matches any more (a concurrent write) has no first
	// claim among them: none of its claims is a row.
	for k := range missing {
		firstOf[k] = ""
	}
	return nil
}

// foldKeyOf is the fold key of a hit of a search sorted by searchOrder:
// its last sort value. A claim without one (none is written so) is a row
// of its own.
func foldKeyOf(h *search.DocumentMatch) string {
	if n := len(h.DecodedSort); n > 0 && h.DecodedSort[n-1] != "" {
		return h.DecodedSort[n-1]
	}
	return "id:" + h.ID
}

// load reads the stored claims of the rows of a page (and their matched
// spans when the search has text), in the page's order. A claim that a
// concurrent write replaced since the scan is left out.
func (f *folding) load(ctx context.Context, page []*search.DocumentMatch) ([]Hit, []string, error) {
	ids := make([]string, len(page))
	for i, h := range page {
		ids[i] = h.ID
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{f.bq, query.NewDocIDQuery(ids)}), len(ids), 0, false)
	req.Fields = []string{fieldRaw}
	req.IncludeLocations = f.hasText
	if !f.hasText {
		req.Score = bleve.ScoreNone
	}
	res, err := f.ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, f.ix.searchErr(ctx, f.text, err)
	}
	byID := make(map[string]*search.DocumentMatch, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h
	}
	hits := make([]Hit, 0, len(page))
	keys := make([]string, 0, len(page))
	for _, p := range page {
		h := byID[p.ID]
		if h == nil {
			continue
		}
		c, err := decodeHit(h)
		if err != nil {
			return nil, nil, err
		}
		hit := Hit{ID: h.ID, Claim: c}
		if f.hasText {
			hit.Score = p.Score
			hit.Fragments = fragments(&c, h.Locations)
		}
		hits, keys = append(hits, hit), append(keys, foldKey(&c))
	}
	return hits, keys, nil
}

// addSources fills in the sources of each row: every claim matching bq
// with the row's fold key, the row's own claim first, then newest first.
func (ix *Index) addSources(ctx context.Context, bq query.Query, text string, rows []Hit, keys []string) error {
	if len(rows) == 0 {
		return nil
	}
	terms := make([]query.Query, len(keys))
	for i, k := range keys {
		terms[i] = termQuery(fieldFold, k)
	}
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery([]query.Query{bq, query.NewDisjunctionQuery(terms)}), MaxLimit, 0, false)
	req.Fields = []string{fieldRaw}
	req.Score = bleve.ScoreNone
	req.SortByCustom(ix.newestFirst())
	// The counts come from a facet: the page of sources may be cut short
	// by MaxLimit when a sentence was copied very many times.
	req.AddFacet(fieldFold, bleve.NewFacetRequest(fieldFold, len(keys)))
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return ix.searchErr(ctx, text, err)
	}
	row := make(map[string]int, len(keys))
	for i, k := range keys {
		row[k] = i
		rows[i].Sources = []Source{sourceOf(&rows[i].Claim)}
		rows[i].Claims = 1
	}
	if f := res.Facets[fieldFold]; f != nil {
		for _, t := range f.Terms.Terms() {
			if i, ok := row[t.Term]; ok {
				rows[i].Claims = max(t.Count, 1)
			}
		}
	}
	for _, h := range res.Hits {
		c, err := decodeHit(h)
		if err != nil {
			return err
		}
		i, ok := row[foldKey(&c)]
		if !ok || len(rows[i].Sources) >= MaxSources {
			continue
		}
		if own := rows[i].Claim; c.DocID == own.DocID && c.Start == own.Start {
			continue
		}
		rows[i].Sources = append(rows[i].Sources, sourceOf(&c))
	}
	for i := range rows {
		// Sources is never shorter than the claims seen, whatever the
		// facet said.
		rows[i].Claims = max(rows[i].Claims, len(rows[i].Sources))
		rest := rows[i].Sources[1:]
		slices.SortStableFunc(rest, func(a, b Source) int {
			if a.Published != b.Published {
				return -cmp.Compare(a.Published, b.Published)
			}
			return cmp.Or(cmp.Compare(a.DocID, b.DocID), cmp.Compare(a.Start, b.Start))
		})
	}
	return nil
}
