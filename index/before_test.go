package index

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

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

// countSearches makes ix count its Bleve searches. ix must publish no
// read views (Options.PublishInterval < 0): its publisher reads ix.bl.
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

// copiesPage is a page of the search of BenchmarkSearchBeforeCopies: the
// page after page-1 pages of limit rows of q, or the page before page+1.
type copiesPage struct {
	name        string
	q           Query
	page, limit int
}

// BenchmarkSearchBeforeCopies measures "Previous" in a search full of
// copies (600 sentences of 8 copies each, 4,800 claims): the page before
// page N+1, read by its cursor (Query.Before), newest first, by relevance
// and most confident first, in pages of 20 rows and of 100. It reports the
// Bleve searches one page costs (searches/op).
func BenchmarkSearchBeforeCopies(b *testing.B) {
	benchCopiesPages(b, true, []copiesPage{
		{"newest/page2", Query{Order: OrderNewest}, 2, 20},
		{"newest/page29", Query{Order: OrderNewest}, 29, 20},
		{"relevance/page2", Query{Text: "guarantee"}, 2, 20},
		{"relevance/page29", Query{Text: "guarantee"}, 29, 20},
		{"confidence/page10", Query{Order: OrderConfidence}, 10, 20},
		{"newest/page5-of-100", Query{Order: OrderNewest}, 5, 100},
		{"confidence/page5-of-100", Query{Order: OrderConfidence}, 5, 100},
	})
}

// BenchmarkSearchAfterCopies measures "Next" in the search of
// BenchmarkSearchBeforeCopies: page N+1 read by the cursor of page N
// (Query.After). It reports the Bleve searches one page costs.
func BenchmarkSearchAfterCopies(b *testing.B) {
	benchCopiesPages(b, false, []copiesPage{
		{"newest/page2", Query{Order: OrderNewest}, 2, 20},
		{"newest/page29", Query{Order: OrderNewest}, 29, 20},
		{"relevance/page29", Query{Text: "guarantee"}, 29, 20},
		{"confidence/page10", Query{Order: OrderConfidence}, 10, 20},
		{"newest/page5-of-100", Query{Order: OrderNewest}, 5, 100},
	})
}

// benchCopiesPages reads each page of pages by its cursor in an index of
// 600 sentences of 8 copies: by the Prev cursor of the page after it when
// before, else by the Next cursor of the page before it.
func benchCopiesPages(b *testing.B, before bool, pages []copiesPage) {
	ix, err := Open(b.TempDir()+"/idx", Options{PublishInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	if err := ix.Write(copiesArticles(600, 8)); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	count := countSearches(ix)
	for _, bc := range pages {
		q := bc.q
		q.Limit = bc.limit
		walk := bc.page - 1
		if before {
			walk = bc.page
		}
		for range walk {
			res, err := ix.Search(ctx, q)
			if err != nil || res.Next == "" {
				b.Fatalf("%s: no page after %+v (%v)", bc.name, q, err)
			}
			q.After = res.Next
		}
		if before {
			res, err := ix.Search(ctx, q)
			if err != nil || res.Prev == "" {
				b.Fatalf("%s: no page before (%v)", bc.name, err)
			}
			q.After, q.Before = "", res.Prev
		}
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

// TestSearchBeforeCopies: in a search full of copies, the pages read back
// by each page's Prev cursor and forward by each Next cursor are the pages
// by number (Offset), in every order and page size, and a page read by a
// cursor costs a bounded number of searches, whatever the page size.
// "Previous" and "Next" looked up every fold key they met by a search of
// its own: a page of 20 rows cost 24 searches, one of 100 rows 104.
func TestSearchBeforeCopies(t *testing.T) {
	ix := openTemp(t, Options{PublishInterval: -1})
	if err := ix.Write(copiesArticles(60, 6)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	count := countSearches(ix)
	for _, base := range []Query{{}, {Text: "guarantee"}, {Text: "guarantee OR number", Party: []string{"ukraine"}}} {
		for _, o := range Orders() {
			for _, limit := range []int{2, 7, 25} {
				q := base
				q.Order, q.Limit = o, limit
				// The pages by number.
				var byNumber [][]string
				for off := 0; ; off += limit {
					q.Offset = off
					ids := pageIDs(mustSearch(t, ix, q))
					if len(ids) == 0 {
						break
					}
					byNumber = append(byNumber, ids)
				}
				q.Offset = 0
				if len(byNumber) < 2 {
					t.Fatalf("%+v: %d pages, too few", q, len(byNumber))
				}
				// Forward by Next, then back by Prev.
				var prevs []string
				for n := range byNumber {
					before := count.n.Load()
					res := mustSearch(t, ix, q)
					if searches := count.n.Load() - before; searches > 8 {
						t.Errorf("%q %s limit %d: page %d after a cursor cost %d searches", q.Text, o, limit, n+1, searches)
					}
					if ids := pageIDs(res); !slices.Equal(ids, byNumber[n]) {
						t.Fatalf("%q %s limit %d: page %d by cursor is %v, by number %v", q.Text, o, limit, n+1, ids, byNumber[n])
					}
					if (res.Next == "") != (n == len(byNumber)-1) {
						t.Fatalf("%q %s limit %d: page %d of %d has next %q", q.Text, o, limit, n+1, len(byNumber), res.Next)
					}
					prevs = append(prevs, res.Prev)
					q.After = res.Next
				}
				q.After = ""
				for n := len(byNumber) - 1; n > 0; n-- {
					q.Before = prevs[n]
					before := count.n.Load()
					res, err := ix.Search(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					if searches := count.n.Load() - before; searches > 8 {
						t.Errorf("%q %s limit %d: the page before page %d cost %d searches", q.Text, o, limit, n+1, searches)
					}
					// A page before a cursor is always full: the first
					// page read back is the first page whole.
					want := byNumber[n-1]
					if ids := pageIDs(res); !slices.Equal(ids, want) {
						t.Errorf("%q %s limit %d: the page before page %d is %v, by number %v", q.Text, o, limit, n+1, ids, want)
					}
					if (res.Prev == "") != (n == 1) || (n > 1 && res.Prev != prevs[n-1]) {
						t.Errorf("%q %s limit %d: page %d read back has prev %q, read forward %q", q.Text, o, limit, n, res.Prev, prevs[n-1])
					}
				}
				q.Before = ""
			}
		}
	}
}

// TestRowsBeforeWindow: the rows rowsBefore finds in a window of matches
// that does not reach back to the first one, looking the fold keys up in
// batches (more than one), are those it finds in the whole run of matches
// before the cursor, however far back the copies of earlier rows reach.
func TestRowsBeforeWindow(t *testing.T) {
	ix := openTemp(t, Options{PublishInterval: -1})
	if err := ix.Write(copiesArticles(200, 3)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	count := countSearches(ix)
	most := int64(0) // the most look-ups one call made
	for _, o := range []Order{OrderNewest, OrderOldest, OrderConfidence} {
		bq, hasText, err := ix.claimQuery(Query{})
		if err != nil {
			t.Fatal(err)
		}
		f := folding{ix: ix, bq: bq, order: o, sort: ix.searchOrder(o), hasText: hasText}
		req := bleve.NewSearchRequestOptions(bq, 1000, 0, false)
		req.Score = bleve.ScoreNone
		req.SortByCustom(f.sort.Copy())
		all, err := ix.bl.SearchInContext(ctx, req)
		if err != nil || len(all.Hits) != 600 {
			t.Fatalf("%d matches (%v), want 600", len(all.Hits), err)
		}
		for _, cursor := range []int{10, 157, 420, 599} {
			var window []*search.DocumentMatch // nearest the cursor first
			for i := cursor - 1; i >= 0; i-- {
				window = append(window, all.Hits[i])
			}
			whole, err := f.rowsBefore(ctx, window, true, map[string]string{}, len(window))
			if err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{1, 9, 130, cursor - 1} {
				size = min(size, cursor)
				for _, want := range []int{1, 4, 21, 100} {
					n := count.n.Load()
					part, err := f.rowsBefore(ctx, window[:size], false, map[string]string{}, want)
					if err != nil {
						t.Fatal(err)
					}
					most = max(most, count.n.Load()-n)
					var exp []string
					for _, h := range whole {
						if len(exp) < want && slices.Contains(window[:size], h) {
							exp = append(exp, h.ID)
						}
					}
					var got []string
					for _, h := range part {
						got = append(got, h.ID)
					}
					if !slices.Equal(got, exp) {
						t.Errorf("%s, cursor %d, window of %d, %d wanted: rows %v, want %v", o, cursor, size, want, got, exp)
					}
				}
			}
		}
	}
	if most < 2 {
		t.Errorf("no call looked keys up in more than one batch (%d searches at most): the test does not reach the batches", most)
	}
}
