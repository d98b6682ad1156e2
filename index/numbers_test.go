package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search/query"

	"redline/claim"
)

// TestSortKeyOrder: sortKey terms sort as their integers do, so that sorting
// by start and a term range over start keep the order of the offsets.
func TestSortKeyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	vs := []int64{math.MinInt64, math.MinInt64 + 1, -1 << 40, -2, -1, 0, 1, 2, 255, 256, 1 << 40, math.MaxInt64 - 1, math.MaxInt64}
	for range 200 {
		vs = append(vs, int64(r.Uint64()))
	}
	for _, a := range vs {
		for _, b := range vs {
			if got, want := sortKey(a) < sortKey(b), a < b; got != want {
				t.Fatalf("sortKey(%d) < sortKey(%d) = %v, want %v", a, b, got, want)
			}
		}
	}
	fs := []float64{math.Inf(-1), -1e300, -1, -0.5, 0, 0.25, 1, 2, 99.5, 100, 1e300, math.Inf(1)}
	for i := 1; i < len(fs); i++ {
		if numberKey(fs[i-1]) >= numberKey(fs[i]) {
			t.Errorf("numberKey(%v) >= numberKey(%v)", fs[i-1], fs[i])
		}
	}
}

// startQueries are query texts on start, with what each selects.
var startQueries = []struct {
	text string
	keep func(start int) bool
}{
	{"start:<100", func(s int) bool { return s < 100 }},
	{"start:<=100", func(s int) bool { return s <= 100 }},
	{"start:>100", func(s int) bool { return s > 100 }},
	{"start:>=100", func(s int) bool { return s >= 100 }},
	{"start:>100.5", func(s int) bool { return s > 100 }},
	{"start:<100.5", func(s int) bool { return s <= 100 }},
	{"start:100", func(s int) bool { return s == 100 }},
	{"start:0", func(s int) bool { return s == 0 }},
	{"start:>=0", func(s int) bool { return true }},
	{"start:<0", func(s int) bool { return false }},
	{"start:>-5", func(s int) bool { return true }},
	{"start:>1711 AND start:<=65536", func(s int) bool { return s > 1711 && s <= 65536 }},
	{"start:<1 OR start:>=1000000", func(s int) bool { return s < 1 || s >= 1000000 }},
	{"NOT start:>=1000", func(s int) bool { return s < 1000 }},
	{"start:>1000000000000", func(s int) bool { return false }},
	// Not ranges: these matched nothing when start was a number field,
	// and match nothing now.
	{"start:10*", func(s int) bool { return false }},
	{"start:/1.*/", func(s int) bool { return false }},
}

// claimStarts returns the starts of the claims of ix that text selects, in
// export order (doc_id, then start).
func claimStarts(t *testing.T, ix *Index, text string) []int {
	t.Helper()
	var out []int
	err := ix.Claims(context.Background(), Query{Text: text}, func(c claim.Claim) error {
		out = append(out, c.Start)
		return nil
	})
	if err != nil {
		t.Fatalf("Claims(%q): %v", text, err)
	}
	return out
}

// checkStartQueries runs startQueries on ix, whose claims (one article's)
// have the sorted offsets all, against the definition.
func checkStartQueries(t *testing.T, ix *Index, all []int) {
	t.Helper()
	for _, q := range startQueries {
		want := []int{}
		for _, s := range all {
			if q.keep(s) {
				want = append(want, s)
			}
		}
		got := claimStarts(t, ix, q.text)
		if got == nil {
			got = []int{}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: starts %v, want %v", q.text, got, want)
		}
	}
}

// TestStartRanges: with start indexed as sortKey terms (layout 6), a range
// on start in a query text selects exactly the claims the comparison
// selects, bounds exclusive or inclusive as written, and claims come back
// sorted by start.
func TestStartRanges(t *testing.T) {
	ix := openTemp(t, Options{})
	if ix.numeric {
		t.Fatal("a new index has the numeric layout")
	}
	starts := []int{0, 1, 2, 99, 100, 101, 255, 256, 999, 1000, 1711, 1712, 4096, 65535, 65536, 65537, 999999, 1000000, 1 << 30}
	a := Article{DocID: "d1", Hash: "h"}
	// Written out of order: the sort must put them in order.
	for i := len(starts) - 1; i >= 0; i-- {
		a.Claims = append(a.Claims, mkClaim("d1", starts[i], "russia", "demand", []string{"ceasefire"}, "Russia demands a ceasefire "+strconv.Itoa(i)+"."))
	}
	if err := ix.Write([]Article{a}); err != nil {
		t.Fatal(err)
	}
	checkStartQueries(t, ix, starts)
	hits, err := ix.ArticleClaims(context.Background(), "d1")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, h := range hits {
		got = append(got, h.Claim.Start)
	}
	if !slices.Equal(got, starts) {
		t.Errorf("ArticleClaims starts = %v, want %v", got, starts)
	}
}

// TestStartRangesLayout3: an index whose start is a Bleve number (the
// layout 3 fixture) is read with numeric ranges and sorts, and its claims
// written into a new index answer every start query the same.
func TestStartRangesLayout3(t *testing.T) {
	ctx := context.Background()
	old, err := Open(copyDir(t, noTextFixture), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if !old.numeric {
		t.Fatal("the layout 3 fixture is not read as numeric")
	}
	byDoc := map[string][]claim.Claim{}
	var docs []string
	if err := old.Claims(ctx, Query{}, func(c claim.Claim) error {
		if byDoc[c.DocID] == nil {
			docs = append(docs, c.DocID)
		}
		byDoc[c.DocID] = append(byDoc[c.DocID], c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatal("the fixture has no claims")
	}
	ix := openTemp(t, Options{})
	for _, d := range docs {
		if err := ix.Write([]Article{{DocID: d, Hash: "h", Claims: byDoc[d]}}); err != nil {
			t.Fatal(err)
		}
	}
	queries := []string{"", "start:<100"}
	for _, d := range docs {
		for _, c := range byDoc[d] {
			for _, op := range []string{"<", "<=", ">", ">=", ""} {
				queries = append(queries, fmt.Sprintf("start:%s%d", op, c.Start))
			}
		}
	}
	for _, q := range queries {
		if got, want := claimStarts(t, ix, q), claimStarts(t, old, q); !slices.Equal(got, want) {
			t.Errorf("%q: layout 6 starts %v, layout 3 starts %v", q, got, want)
		}
	}
}

// TestKeyRangeMatchesSearcher: keyRange's bounds are those of Bleve's
// numeric range searcher, which compares Float64ToInt64 of the value.
func TestKeyRangeMatchesSearcher(t *testing.T) {
	yes, no := true, false
	f := func(v float64) *float64 { return &v }
	k := numeric.Float64ToInt64
	for _, c := range []struct {
		lo, hi         *float64
		loIncl, hiIncl *bool
		min, max       int64 // the integers the searcher compares with
		none           bool
	}{
		{lo: f(5), hi: f(9), loIncl: &yes, hiIncl: &yes, min: k(5), max: k(9)},
		{lo: f(5), hi: f(9), loIncl: &no, hiIncl: &no, min: k(5) + 1, max: k(9) - 1},
		{lo: f(5), hi: f(9), min: k(5), max: k(9) - 1}, // the searcher's defaults
		{lo: f(5), hi: f(5), loIncl: &no, hiIncl: &yes, none: true},
		{lo: f(5), hi: f(5), loIncl: &yes, hiIncl: &yes, min: k(5), max: k(5)},
		{hi: f(0), hiIncl: &no, min: k(math.Inf(-1)), max: k(0) - 1},
	} {
		q := keyRange(fieldStart, c.lo, c.hi, c.loIncl, c.hiIncl, nil)
		if c.none {
			if _, ok := q.(*query.MatchNoneQuery); !ok {
				t.Errorf("%+v: %T, want match none", c, q)
			}
			continue
		}
		tr, ok := q.(*query.TermRangeQuery)
		if !ok || tr.FieldVal != fieldStart || !*tr.InclusiveMin || !*tr.InclusiveMax {
			t.Fatalf("%+v: %#v, want an inclusive term range on start", c, q)
		}
		if lo, hi := sortKey(c.min), sortKey(c.max); tr.Min != lo || tr.Max != hi {
			t.Errorf("%+v: range %s..%s, want %s..%s", c, tr.Min, tr.Max, lo, hi)
		}
	}
}

// TestLayout5ReadOnly: an index of layout 5 (start a Bleve number) is read
// but not written: a write would put both forms of start in one index. The
// error names --rebuild, and the layout is left as it was.
func TestLayout5ReadOnly(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.bl.SetInternal([]byte(schemaKey), []byte("5")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if w, err := Open(dir, Options{}); err == nil {
		w.Close()
		t.Fatal("Open(layout 5) for writing succeeded")
	} else if !errors.Is(err, ErrNotIndex) || !strings.Contains(err.Error(), "--rebuild") || !strings.Contains(err.Error(), `"5"`) {
		t.Errorf("Open(layout 5) for writing: %v; want ErrNotIndex naming layout 5 and --rebuild", err)
	}
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open(layout 5, read-only): %v", err)
	}
	defer ro.Close()
	if v, err := ro.bl.GetInternal([]byte(schemaKey)); err != nil || string(v) != "5" {
		t.Errorf("schema = %q, %v; want it left at 5", v, err)
	}
}
