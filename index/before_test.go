package index

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"redline/claim"
)

// blIndex names bleve.Index for embedding: a field named Index would hide
// its method Index.
type blIndex = bleve.Index

// countingIndex counts the searches run on the Bleve index it wraps.
type countingIndex struct {
	blIndex
	n atomic.Int64
}

func (c *countingIndex) SearchInContext(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	c.n.Add(1)
	return c.blIndex.SearchInContext(ctx, req)
}

// countSearches makes ix count its Bleve searches.
func countSearches(ix *Index) *countingIndex {
	c := &countingIndex{blIndex: ix.bl}
	ix.bl = c
	return c
}

// copiesArticles is rows sentences of copies claims each, one article a
// claim, the copies of a sentence on days far apart, so that newest first
// (and by relevance) the copies of the rows shown before any page fill
// the pages after it.
func copiesArticles(rows, copies int) []Article {
	var arts []Article
	for i := range rows * copies {
		row, cp := i%rows, i/rows
		id := fmt.Sprintf("cp%05d", i)
		c := mkClaim(id, 0, "ukraine", claim.Demand, []string{"security"}, fmt.Sprintf("Kyiv demands guarantee number %d.", row))
		day := (row + cp*97) % 700
		c.Published = fmt.Sprintf("%04d-%02d-%02d", 2023+day/336, 1+day/28%12, 1+day%28)
		c.Confidence = 0.5 + float64(row%40)/100
		arts = append(arts, Article{DocID: id, Hash: "h-" + id, Published: c.Published, Claims: []claim.Claim{c}})
	}
	return arts
}

// BenchmarkSearchBeforeCopies measures "Previous" in a search full of
// copies (600 sentences of 8 copies each, 4,800 claims): the page before
// page N+1, read by its cursor (Query.Before), newest first, by relevance
// and most confident first, in pages of 20 rows and of 100. It reports the
// Bleve searches one page costs (searches/op).
func BenchmarkSearchBeforeCopies(b *testing.B) {
	ix, err := Open(b.TempDir()+"/idx", Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	if err := ix.Write(copiesArticles(600, 8)); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	count := countSearches(ix)
	for _, bc := range []struct {
		name        string
		q           Query
		page, limit int
	}{
		{"newest/page2", Query{Order: OrderNewest}, 2, 20},
		{"newest/page29", Query{Order: OrderNewest}, 29, 20},
		{"relevance/page2", Query{Text: "guarantee"}, 2, 20},
		{"relevance/page29", Query{Text: "guarantee"}, 29, 20},
		{"confidence/page10", Query{Order: OrderConfidence}, 10, 20},
		{"newest/page5-of-100", Query{Order: OrderNewest}, 5, 100},
		{"confidence/page5-of-100", Query{Order: OrderConfidence}, 5, 100},
	} {
		q := bc.q
		q.Limit = bc.limit
		for range bc.page {
			res, err := ix.Search(ctx, q)
			if err != nil || res.Next == "" {
				b.Fatalf("%s: no page after %+v (%v)", bc.name, q, err)
			}
			q.After = res.Next
		}
		res, err := ix.Search(ctx, q)
		if err != nil || res.Prev == "" {
			b.Fatalf("%s: no page before (%v)", bc.name, err)
		}
		q.After, q.Before = "", res.Prev
		b.Run(bc.name, func(b *testing.B) {
			start := count.n.Load()
			for b.Loop() {
				if _, err := ix.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(count.n.Load()-start)/float64(b.N), "searches/op")
		})
	}
}

// pageIDs is the ids of a page's rows.
func pageIDs(res Result) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

var _ = slices.Equal[[]string]
