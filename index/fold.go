package index

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
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
// rows, so a page deep in results full of copies stays cheap.
const maxScan = 10 * MaxLimit

// foldedHits runs req page by page from the first match and folds its hits
// into rows until it has skip+limit rows; it returns the rows after the
// first skip, the result of the first page (for the total and facets) and
// the fold key of each row. Each page is twice the last (up to MaxLimit):
// every page is a new search that visits all matching claims to sort them,
// so a deep page or a result full of copies costs a few searches, not one
// for each 2×(skip+limit) claims read.
func (ix *Index) foldedHits(ctx context.Context, req *bleve.SearchRequest, text string, skip, limit int, hasText bool) ([]Hit, []string, *bleve.SearchResult, error) {
	want := skip + limit
	page := min(max(2*want, 50), MaxLimit)
	seen := map[string]bool{}
	var rows []Hit
	var keys []string
	var first *bleve.SearchResult
	for from := 0; len(rows) < want && from < maxScan; from, page = from+page, min(2*page, MaxLimit) {
		req.From, req.Size = from, page
		res, err := ix.bl.SearchInContext(ctx, req)
		if err != nil {
			return nil, nil, nil, ix.searchErr(ctx, text, err)
		}
		if first == nil {
			first = res
			req.Facets = nil // counted over all matches by the first page
		} else {
			first.Took += res.Took
		}
		for _, h := range res.Hits {
			c, err := decodeHit(h)
			if err != nil {
				return nil, nil, nil, err
			}
			k := foldKey(&c)
			if seen[k] {
				continue
			}
			seen[k] = true
			if len(rows) == want {
				break
			}
			hit := Hit{ID: h.ID, Claim: c, Score: h.Score}
			if hasText && len(rows) >= skip { // rows before skip are not shown
				hit.Fragments = fragments(&c, h.Locations)
			} else if !hasText {
				hit.Score = 0
			}
			rows, keys = append(rows, hit), append(keys, k)
		}
		if len(res.Hits) < page {
			break
		}
	}
	if skip >= len(rows) {
		return nil, nil, first, nil
	}
	return rows[skip:], keys[skip:], first, nil
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
