package index

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"redline/claim"
)

// orderedArticles are articles whose claims repeat sentences across
// articles (copies to fold), share dates and confidences (ties), and
// include undated ones.
func orderedArticles() []Article {
	arts := manyArticles(60, 4)
	for i := range arts {
		if i%7 == 3 {
			arts[i].Published = ""
			for j := range arts[i].Claims {
				arts[i].Claims[j].Published = ""
			}
		}
		if i%5 == 0 && i > 0 {
			// The same day as the article before it.
			arts[i].Published = arts[i-1].Published
			for j := range arts[i].Claims {
				arts[i].Claims[j].Published = arts[i].Published
			}
		}
		for j := range arts[i].Claims {
			arts[i].Claims[j].Confidence = float64((i*3+j*7)%11) / 10 / 1.1
		}
	}
	return arts
}

// modelRows is what Search must return in order o (not relevance), found
// the slow way: every matching claim sorted in Go, then the first claim of
// each sentence, party and kind.
func modelRows(t *testing.T, ix *Index, q Query, o Order) []string {
	t.Helper()
	return modelOrder(t, ix, q, o, true)
}

// modelOrder is every claim matching q in order o, found the slow way; fold
// keeps the first claim of each sentence, party and kind only.
func modelOrder(t *testing.T, ix *Index, q Query, o Order, fold bool) []string {
	t.Helper()
	var all []claim.Claim
	if err := ix.Claims(context.Background(), q, func(c claim.Claim) error { all = append(all, c); return nil }); err != nil {
		t.Fatal(err)
	}
	day := func(c claim.Claim, desc bool) int {
		// Undated last in either direction.
		if c.Published == "" {
			return 1
		}
		return 0
	}
	slices.SortFunc(all, func(a, b claim.Claim) int {
		byDay := func(desc bool) int {
			if d := cmp.Compare(day(a, desc), day(b, desc)); d != 0 {
				return d
			}
			if desc {
				return -cmp.Compare(a.Published, b.Published)
			}
			return cmp.Compare(a.Published, b.Published)
		}
		var c int
		switch o {
		case OrderOldest:
			c = byDay(false)
		case OrderConfidence:
			c = cmp.Or(-cmp.Compare(a.Confidence, b.Confidence), byDay(true))
		default:
			c = byDay(true)
		}
		return cmp.Or(c, cmp.Compare(a.DocID, b.DocID), cmp.Compare(a.Start, b.Start),
			cmp.Compare(ClaimID(a.DocID, a.Start, a.Party, a.Kind), ClaimID(b.DocID, b.Start, b.Party, b.Kind)))
	})
	seen := map[string]bool{}
	var out []string
	for _, c := range all {
		if k := foldKey(&c); !seen[k] || !fold {
			seen[k] = true
			out = append(out, ClaimID(c.DocID, c.Start, c.Party, c.Kind))
		}
	}
	return out
}

// pages reads every row of q page by page, by offset or by cursor.
func pages(t *testing.T, ix *Index, q Query, limit int, byCursor bool) []string {
	t.Helper()
	var out []string
	q.Limit = limit
	for page := 0; page < 1000; page++ {
		if !byCursor {
			q.Offset = page * limit
		}
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("page %d of %+v: %v", page+1, q, err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if len(res.Hits) < limit {
			if res.Next != "" {
				t.Errorf("page %d of %+v is not full but has a next cursor", page+1, q)
			}
			return out
		}
		if res.Next == "" {
			// A full last page: no page may follow it.
			q.After, q.Offset = "", (page+1)*limit
			if rest, err := ix.Search(context.Background(), q); err != nil || len(rest.Hits) > 0 {
				t.Fatalf("page %d of %+v is full with no next cursor, but rows follow it (%v)", page+1, q, err)
			}
			return out
		}
		if byCursor {
			q.After = res.Next
		}
	}
	t.Fatal("no end of the pages")
	return nil
}

// TestSearchOrders: Search returns its rows newest first, oldest first
// (undated last in both), most confident first or by relevance; in every
// order a row is the first claim of its sentence, party and kind, and page
// n, by offset or by the cursor of page n-1, is the nth slice of the whole
// ordered list of rows. Results came by relevance only.
func TestSearchOrders(t *testing.T) {
	ix := openTemp(t, Options{})
	if err := ix.Write(orderedArticles()); err != nil {
		t.Fatal(err)
	}
	queries := []Query{
		{},
		{Text: "sanctions"},
		{Text: "withdrawal OR grain", Party: []string{"russia", "ukraine", "us"}},
		{MinConfidence: 0.4},
	}
	for _, q := range queries {
		for _, o := range Orders() {
			q := q
			q.Order = o
			whole := pages(t, ix, q, 1000, false)
			if o != OrderRelevance || q.Text == "" {
				want := modelRows(t, ix, q, o.resolve(q.Text != ""))
				if !slices.Equal(whole, want) {
					t.Errorf("%q in order %s:\n got %v\nwant %v", q.Text, o, whole, want)
					continue
				}
			}
			if len(whole) < 10 {
				t.Fatalf("%q in order %s: %d rows, too few to page", q.Text, o, len(whole))
			}
			for _, limit := range []int{1, 3, 7} {
				for _, byCursor := range []bool{false, true} {
					if got := pages(t, ix, q, limit, byCursor); !slices.Equal(got, whole) {
						i := 0
						for i < min(len(got), len(whole)) && got[i] == whole[i] {
							i++
						}
						t.Errorf("%+v, pages of %d (cursor %v): from row %d of %d\n got %v\nwant %v", q, limit, byCursor, i, len(whole), got[i:min(i+3, len(got))], whole[i:min(i+3, len(whole))])
					}
				}
			}
		}
	}
}

// TestSearchBefore: walking back from the last page by each page's Prev
// cursor reads the same pages as walking forward, in every order, rows
// folded alike; the first page has no Prev, and a cursor with fewer rows
// than a page before it reads the first page. A page had no way to the
// one before it but an offset, refused beyond MaxOffset-deep pages.
func TestSearchBefore(t *testing.T) {
	ix := openTemp(t, Options{})
	if err := ix.Write(orderedArticles()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []Query{{}, {Text: "sanctions"}, {Text: "withdrawal OR grain", Party: []string{"russia", "ukraine", "us"}}} {
		for _, o := range Orders() {
			for _, limit := range []int{1, 3, 7} {
				q := q
				q.Order, q.Limit = o, limit
				var fwd [][]string
				var prevs []string
				for n := 0; n < 1000; n++ {
					res := mustSearch(t, ix, q)
					var ids []string
					for _, h := range res.Hits {
						ids = append(ids, h.ID)
					}
					if (n == 0) != (res.Prev == "") {
						t.Fatalf("%+v page %d: prev %q", q, n+1, res.Prev)
					}
					fwd, prevs = append(fwd, ids), append(prevs, res.Prev)
					if res.Next == "" {
						break
					}
					q.After = res.Next
				}
				q.After = ""
				for n := len(fwd) - 1; n > 0; n-- {
					q.Before = prevs[n]
					res, err := ix.Search(ctx, q)
					if err != nil {
						t.Fatalf("%+v: %v", q, err)
					}
					var ids []string
					for _, h := range res.Hits {
						ids = append(ids, h.ID)
					}
					if !slices.Equal(ids, fwd[n-1]) {
						t.Errorf("%q order %s limit %d: the page before page %d is %v, want %v", q.Text, o, limit, n+1, ids, fwd[n-1])
					}
					if (n-1 == 0) != (res.Prev == "") || res.Next == "" {
						t.Errorf("%q order %s limit %d: page %d read back has prev %q, next %q", q.Text, o, limit, n, res.Prev, res.Next)
					}
					if n > 1 && res.Prev != prevs[n-1] {
						t.Errorf("%q order %s limit %d: page %d read back has another prev than read forward", q.Text, o, limit, n)
					}
				}
			}
		}
	}
	// Before the second row, a page of three is the first page.
	first := mustSearch(t, ix, Query{Limit: 1, Order: OrderOldest})
	second := mustSearch(t, ix, Query{Limit: 1, Order: OrderOldest, After: first.Next})
	whole := mustSearch(t, ix, Query{Limit: 3, Order: OrderOldest})
	back := mustSearch(t, ix, Query{Limit: 3, Order: OrderOldest, Before: second.Prev})
	if len(back.Hits) != 3 || back.Hits[0].ID != whole.Hits[0].ID || back.Hits[2].ID != whole.Hits[2].ID || back.Prev != "" {
		t.Errorf("three rows before the second: %d rows, prev %q; want the first page", len(back.Hits), back.Prev)
	}
	for _, q := range []Query{{Before: second.Prev, After: first.Next}, {Before: second.Prev, Offset: 2}} {
		q.Limit, q.Order = 3, OrderOldest
		if _, err := ix.Search(ctx, q); !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), "before with after or an offset") {
			t.Errorf("before with after or an offset: %v", err)
		}
	}
}

// TestSearchOrderErrors: an order that is none and a cursor of another
// order or of nothing are query errors that say why.
func TestSearchOrderErrors(t *testing.T) {
	ix := openTemp(t, Options{})
	if err := ix.Write(orderedArticles()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := ix.Search(ctx, Query{Order: "latest"}); !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), `sort "latest": want relevance, newest, oldest, confidence`) {
		t.Errorf("order latest: %v", err)
	}
	if o, err := ParseOrder(" Newest "); o != OrderNewest || err != nil {
		t.Errorf("ParseOrder(Newest) = %q, %v", o, err)
	}
	res := mustSearch(t, ix, Query{Limit: 3, Order: OrderOldest})
	for _, q := range []Query{
		{After: res.Next, Order: OrderNewest},
		{After: res.Next, Text: "sanctions", Order: OrderOldest + "x"},
		{After: "bm90IGEgY3Vyc29y"},
		{After: "%%%"},
	} {
		if _, err := ix.Search(ctx, q); !errors.Is(err, ErrQuery) {
			t.Errorf("%+v: %v, want ErrQuery", q, err)
		}
	}
	// Total and facets count every match whatever the cursor.
	q := Query{Limit: 3, Order: OrderOldest, Facets: true}
	first := mustSearch(t, ix, q)
	q.After = first.Next
	second := mustSearch(t, ix, q)
	if second.Total != first.Total || len(second.Facets["party"]) != len(first.Facets["party"]) {
		t.Errorf("after a cursor: total %d, %d parties; first page %d, %d", second.Total, len(second.Facets["party"]), first.Total, len(first.Facets["party"]))
	}
}

// TestClaimsOrdered: an export in an order writes every matching claim,
// copies included, in that order, page by page.
func TestClaimsOrdered(t *testing.T) {
	ix := openTemp(t, Options{PageSize: 7})
	if err := ix.Write(orderedArticles()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []Query{{}, {Text: "sanctions"}, {MinConfidence: 0.4, Party: []string{"russia", "eu"}}} {
		for _, o := range []Order{OrderNewest, OrderOldest, OrderConfidence} {
			q := q
			q.Order = o
			var got []string
			if err := ix.Claims(context.Background(), q, func(c claim.Claim) error {
				got = append(got, ClaimID(c.DocID, c.Start, c.Party, c.Kind))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			plain := q
			plain.Order = OrderDefault
			if want := modelOrder(t, ix, plain, o, false); !slices.Equal(got, want) || len(got) < 20 {
				t.Errorf("%q in order %s: %d claims\n got %v\nwant %v", q.Text, o, len(got), got, want)
			}
		}
	}
}
