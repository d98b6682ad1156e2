package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"redline/claim"
)

func mkClaim(doc string, start int, party, kind string, topics []string, sentence string) claim.Claim {
	return claim.Claim{
		DocID: doc, Start: start, End: start + len(sentence), Sentence: sentence,
		Party: party, Kind: kind, Topics: topics,
		Cue: "demands", Attribution: claim.BySubject, Confidence: 0.75,
	}
}

// fixture returns three articles with six claims (ids c1..c6 in comments).
func fixture() []Article {
	a := Article{DocID: "a1", Source: "seed/a1.html", URL: "https://example.org/a1", Title: "Kyiv demands guarantees",
		Outlet: "reuters", Published: "2024-03-01", Hash: "h-a1"}
	a.Claims = []claim.Claim{
		mkClaim("a1", 0, "ukraine", claim.Demand, []string{"security"}, "Ukraine demands security guarantees from NATO allies."),               // c1
		mkClaim("a1", 60, "russia", claim.RedLine, []string{"nato", "security"}, "Moscow said NATO membership for Kyiv is a red line."),        // c2
		mkClaim("a1", 120, "ukraine", claim.Offer, []string{"ceasefire"}, "Kyiv could offer a ceasefire if guarantees of security are given."), // c3
	}
	a.Claims[2].Hedged = true
	a.Claims[2].Speaker = "Zelenskyy"
	a.Claims[2].Target = "russia"
	a.Claims[2].Condition = "if guarantees of security are given"
	a.Claims[2].Confidence = 0.6125
	a.Claims[2].Attribution = claim.BySpeaker

	b := Article{DocID: "b1", Source: "seed/b1.html", URL: "https://example.org/b1", Title: "Moscow's terms",
		Outlet: "ap", Published: "2024-03-15", Hash: "h-b1"}
	b.Claims = []claim.Claim{
		mkClaim("b1", 10, "russia", claim.Demand, []string{"territory"}, "Russia demands that Ukraine cede the four regions."),   // c4
		mkClaim("b1", 90, "us", claim.Offer, []string{"aid", "security"}, "Washington offered new security guarantees to Kyiv."), // c5
	}
	c := Article{DocID: "c1", Source: "seed/c1.html", Title: "Brussels", Outlet: "reuters", Hash: "h-c1"}
	c.Claims = []claim.Claim{
		mkClaim("c1", 5, "eu", claim.Demand, []string{"sanctions"}, "The EU demands a full withdrawal."), // c6
	}
	for _, art := range []*Article{&a, &b, &c} {
		for i := range art.Claims {
			cl := &art.Claims[i]
			cl.Source, cl.URL, cl.Title, cl.Outlet, cl.Published = art.Source, art.URL, art.Title, art.Outlet, art.Published
		}
	}
	return []Article{a, b, c}
}

func openTemp(t *testing.T, opts Options) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "redline.index"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}

func openFixture(t *testing.T) *Index {
	t.Helper()
	ix := openTemp(t, Options{})
	if err := ix.Write(fixture()); err != nil {
		t.Fatal(err)
	}
	return ix
}

// key names a claim as "doc:start".
func key(c claim.Claim) string { return fmt.Sprintf("%s:%d", c.DocID, c.Start) }

func keys(hits []Hit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = key(h.Claim)
	}
	sort.Strings(out)
	return out
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustSearch(t *testing.T, ix *Index, q Query) Result {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 100
	}
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

func TestRoundTrip(t *testing.T) {
	ix := openFixture(t)
	want := map[string]claim.Claim{}
	for _, a := range fixture() {
		for _, c := range a.Claims {
			c.Cluster = a.DocID // the index records the article's cluster
			want[key(c)] = c
		}
	}
	res := mustSearch(t, ix, Query{})
	if res.Total != uint64(len(want)) || len(res.Hits) != len(want) {
		t.Fatalf("got %d/%d hits, want %d", len(res.Hits), res.Total, len(want))
	}
	for _, h := range res.Hits {
		w, ok := want[key(h.Claim)]
		if !ok {
			t.Fatalf("unexpected hit %s", key(h.Claim))
		}
		if !reflect.DeepEqual(h.Claim, w) {
			t.Errorf("claim %s:\n got %+v\nwant %+v", key(w), h.Claim, w)
		}
	}
	// Without text: newest first, then doc_id, start; undated last.
	got := []string{}
	for _, h := range res.Hits {
		got = append(got, key(h.Claim))
	}
	wantOrder := []string{"b1:10", "b1:90", "a1:0", "a1:60", "a1:120", "c1:5"}
	if !slices.Equal(got, wantOrder) {
		t.Errorf("order %v, want %v", got, wantOrder)
	}
	// Limit and Offset page through the same order.
	page := mustSearch(t, ix, Query{Limit: 2, Offset: 2})
	if k := []string{key(page.Hits[0].Claim), key(page.Hits[1].Claim)}; !slices.Equal(k, wantOrder[2:4]) || page.Total != 6 {
		t.Errorf("page 2 = %v (total %d), want %v", k, page.Total, wantOrder[2:4])
	}
}

func TestFilters(t *testing.T) {
	ix := openFixture(t)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"all", Query{}, []string{"a1:0", "a1:120", "a1:60", "b1:10", "b1:90", "c1:5"}},
		{"star", Query{Text: "*"}, []string{"a1:0", "a1:120", "a1:60", "b1:10", "b1:90", "c1:5"}},
		{"party", Query{Party: []string{"russia"}}, []string{"a1:60", "b1:10"}},
		{"party or", Query{Party: []string{"russia", "us"}}, []string{"a1:60", "b1:10", "b1:90"}},
		{"party case-sensitive", Query{Party: []string{"Russia"}}, []string{}},
		{"kind", Query{Kind: []string{claim.Demand}}, []string{"a1:0", "b1:10", "c1:5"}},
		{"topic", Query{Topic: []string{"security"}}, []string{"a1:0", "a1:60", "b1:90"}},
		{"outlet", Query{Outlet: []string{"reuters"}}, []string{"a1:0", "a1:120", "a1:60", "c1:5"}},
		{"party and kind", Query{Party: []string{"ukraine"}, Kind: []string{claim.Demand}}, []string{"a1:0"}},
		{"since", Query{Since: day("2024-03-10")}, []string{"b1:10", "b1:90"}},
		{"until inclusive", Query{Until: day("2024-03-01")}, []string{"a1:0", "a1:120", "a1:60"}},
		{"until with time of day", Query{Until: day("2024-03-01").Add(23 * time.Hour)}, []string{"a1:0", "a1:120", "a1:60"}},
		{"one day", Query{Since: day("2024-03-15"), Until: day("2024-03-15")}, []string{"b1:10", "b1:90"}},
		{"range between", Query{Since: day("2024-03-02"), Until: day("2024-03-14")}, []string{}},
		{"text and party", Query{Text: "guarantees", Party: []string{"us"}}, []string{"b1:90"}},
		{"field query", Query{Text: "party:russia"}, []string{"a1:60", "b1:10"}},
		{"plain word is case-insensitive", Query{Text: "nato"}, []string{"a1:0", "a1:60"}},
		{"stemming", Query{Text: "demanded"}, []string{"a1:0", "b1:10", "c1:5"}},
		{"words are AND", Query{Text: "security guarantees"}, []string{"a1:0", "a1:120", "b1:90"}},
		{"words are AND, not OR", Query{Text: "security kyiv"}, []string{"a1:120", "b1:90"}},
		{"OR", Query{Text: "kyiv OR withdrawal"}, []string{"a1:120", "a1:60", "b1:90", "c1:5"}},
		{"phrase", Query{Text: `"security guarantees"`}, []string{"a1:0", "b1:90"}},
		{"must not", Query{Text: "+security -washington"}, []string{"a1:0", "a1:120"}},
		{"boolean field", Query{Text: "hedged:true"}, []string{"a1:120"}},
		{"speaker", Query{Text: "speaker:Zelenskyy"}, []string{"a1:120"}},
		{"topics field", Query{Text: "topics:nato"}, []string{"a1:60"}},
		{"numeric range", Query{Text: "start:>=90"}, []string{"a1:120", "b1:90"}},
		{"title", Query{Text: "title:moscow"}, []string{"b1:10", "b1:90"}},
		{"date in query string", Query{Text: `published:>="2024-03-10"`}, []string{"b1:10", "b1:90"}},
		{"confidence", Query{Text: "confidence:<0.7"}, []string{"a1:120"}},
		{"wildcard", Query{Text: "withdr*"}, []string{"c1:5"}},
		{"regexp", Query{Text: "party:/u.*/"}, []string{"a1:0", "a1:120", "b1:90"}},
		// Patterns match the sentence's words as written (the stemmed
		// term of "guarantees" is "guarante"), in any case.
		{"wildcard over a stem", Query{Text: "guarantee*"}, []string{"a1:0", "a1:120", "b1:90"}},
		{"wildcard in any case", Query{Text: "Guarantee*"}, []string{"a1:0", "a1:120", "b1:90"}},
		{"wildcard on the sentence field", Query{Text: "sentence:guarantee?"}, []string{"a1:0", "a1:120", "b1:90"}},
		{"excluded wildcard", Query{Text: "kyiv -guarantee*"}, []string{"a1:60"}},
		{"regexp on the sentence", Query{Text: "/guarantees?/"}, []string{"a1:0", "a1:120", "b1:90"}},
		{"regexp in any case", Query{Text: "/Guarantees/"}, []string{"a1:0", "a1:120", "b1:90"}},
		{"regexp anchored", Query{Text: "/^guarantees?/"}, []string{"a1:0", "a1:120", "b1:90"}},
		{"regexp anchored on a field", Query{Text: "party:/^u.*/"}, []string{"a1:0", "a1:120", "b1:90"}},
		{"no match", Query{Text: "zanzibar"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustSearch(t, ix, tt.q)
			if got := keys(res.Hits); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if res.Total != uint64(len(tt.want)) {
				t.Errorf("total %d, want %d", res.Total, len(tt.want))
			}
		})
	}
}

func TestPhraseHighlight(t *testing.T) {
	ix := openFixture(t)
	res := mustSearch(t, ix, Query{Text: `"security guarantees"`})
	frags := map[string][]string{}
	for _, h := range res.Hits {
		frags[key(h.Claim)] = h.Fragments
		if h.Score <= 0 {
			t.Errorf("%s: score %v", key(h.Claim), h.Score)
		}
	}
	want := map[string][]string{
		"a1:0":  {"Ukraine demands [security guarantees] from NATO allies."},
		"b1:90": {"Washington offered new [security guarantees] to Kyiv."},
	}
	if !reflect.DeepEqual(frags, want) {
		t.Errorf("fragments %q, want %q", frags, want)
	}

	res = mustSearch(t, ix, Query{Text: "nato kyiv"})
	got := map[string][]string{}
	for _, h := range res.Hits {
		got[key(h.Claim)] = h.Fragments
	}
	if f := got["a1:60"]; len(f) != 1 || f[0] != "Moscow said [NATO] membership for [Kyiv] is a red line." {
		t.Errorf("a1:60 fragments %q", f)
	}
	// A filter-only query has no fragments.
	res = mustSearch(t, ix, Query{Party: []string{"eu"}})
	if len(res.Hits) != 1 || res.Hits[0].Fragments != nil {
		t.Errorf("filter-only hit: %+v", res.Hits)
	}
}

func TestFacets(t *testing.T) {
	ix := openFixture(t)
	res := mustSearch(t, ix, Query{Facets: true})
	want := map[string][]FacetCount{
		"party":  {{"russia", 2}, {"ukraine", 2}, {"eu", 1}, {"us", 1}},
		"kind":   {{"demand", 3}, {"offer", 2}, {"red_line", 1}},
		"topic":  {{"security", 3}, {"aid", 1}, {"ceasefire", 1}, {"nato", 1}, {"sanctions", 1}, {"territory", 1}},
		"outlet": {{"reuters", 4}, {"ap", 2}},
	}
	if !reflect.DeepEqual(res.Facets, want) {
		t.Errorf("facets\n got %v\nwant %v", res.Facets, want)
	}
	// Facets follow the query.
	res = mustSearch(t, ix, Query{Facets: true, Outlet: []string{"ap"}})
	if w := []FacetCount{{"russia", 1}, {"us", 1}}; !reflect.DeepEqual(res.Facets["party"], w) {
		t.Errorf("ap party facet %v, want %v", res.Facets["party"], w)
	}
	if res := mustSearch(t, ix, Query{}); res.Facets != nil {
		t.Errorf("facets without asking: %v", res.Facets)
	}
}

func TestQuerySyntaxError(t *testing.T) {
	ix := openFixture(t)
	for _, text := range []string{
		`"unclosed phrase`,
		`sentence:`,
		`+`,
		`start:>abc`,
		`/[a-/`,
		`a:b:c`,
		`foo~x`,
		`start:>`,
		`-`,
	} {
		t.Run(text, func(t *testing.T) {
			_, err := ix.Search(context.Background(), Query{Text: text})
			if !errors.Is(err, ErrQuery) {
				t.Fatalf("err = %v, want ErrQuery", err)
			}
			if !strings.Contains(err.Error(), text) {
				t.Errorf("error %q does not quote the query", err)
			}
			err = ix.Claims(context.Background(), Query{Text: text}, func(claim.Claim) error { return nil })
			if !errors.Is(err, ErrQuery) {
				t.Errorf("Claims err = %v, want ErrQuery", err)
			}
		})
	}
	if _, err := ix.Search(context.Background(), Query{Since: day("2024-03-02"), Until: day("2024-03-01")}); !errors.Is(err, ErrQuery) {
		t.Errorf("since after until: err = %v, want ErrQuery", err)
	}
}

func TestRewriteReplacesClaims(t *testing.T) {
	ix := openFixture(t)
	arts := fixture()
	a := arts[0]
	a.Hash = "h-a1-v2"
	a.Claims = []claim.Claim{a.Claims[1]} // keep only the red line
	a.Claims[0].Start = 61                // offsets moved: a new id
	if err := ix.Write([]Article{a}); err != nil {
		t.Fatal(err)
	}
	res := mustSearch(t, ix, Query{Text: `doc_id:a1`})
	if got := keys(res.Hits); !slices.Equal(got, []string{"a1:61"}) {
		t.Errorf("a1 claims after rewrite: %v", got)
	}
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Claims != 4 || st.Articles != 3 {
		t.Errorf("stats after rewrite: %d claims, %d articles; want 4, 3", st.Claims, st.Articles)
	}
	// An article rewritten with no claims keeps its record but no claims.
	c := arts[2]
	c.Claims = nil
	if err := ix.Write([]Article{c}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := ix.Has("c1"); !ok {
		t.Error("Has(c1) = false after rewrite with no claims")
	}
	if res := mustSearch(t, ix, Query{Text: "doc_id:c1"}); res.Total != 0 {
		t.Errorf("c1 still has %d claims", res.Total)
	}
	// The same doc twice in one Write: the last wins.
	b1, b2 := arts[1], arts[1]
	b2.Claims = b2.Claims[:1]
	if err := ix.Write([]Article{b1, b2}); err != nil {
		t.Fatal(err)
	}
	if res := mustSearch(t, ix, Query{Text: "doc_id:b1"}); !slices.Equal(keys(res.Hits), []string{"b1:10"}) {
		t.Errorf("b1 claims: %v", keys(res.Hits))
	}
	if n, err := ix.DocCount(); err != nil || n != 3+2 {
		t.Errorf("DocCount = %d, %v; want 5", n, err)
	}
}

func TestDuplicateClaimIDs(t *testing.T) {
	ix := openTemp(t, Options{})
	c := mkClaim("d", 0, "russia", claim.Demand, []string{"x"}, "Russia demands this and that.")
	c2 := c
	c2.Target = "ukraine"
	if err := ix.Write([]Article{{DocID: "d", Claims: []claim.Claim{c, c2}}}); err != nil {
		t.Fatal(err)
	}
	if res := mustSearch(t, ix, Query{}); res.Total != 2 {
		t.Errorf("%d claims, want 2", res.Total)
	}
	if err := ix.Write([]Article{{DocID: "d", Claims: []claim.Claim{c}}}); err != nil {
		t.Fatal(err)
	}
	if res := mustSearch(t, ix, Query{}); res.Total != 1 {
		t.Errorf("%d claims after rewrite, want 1", res.Total)
	}
}

func TestUnchangedHas(t *testing.T) {
	ix := openFixture(t)
	tests := []struct {
		doc, hash string
		unchanged bool
		has       bool
	}{
		{"a1", "h-a1", true, true},
		{"a1", "h-a1-other", false, true},
		{"a1", "", false, true},
		{"zz", "h-a1", false, false},
		{"a", "h-a1", false, false}, // prefix of a doc id
	}
	for _, tt := range tests {
		got, err := ix.Unchanged(tt.doc, tt.hash)
		if err != nil || got != tt.unchanged {
			t.Errorf("Unchanged(%q, %q) = %v, %v; want %v", tt.doc, tt.hash, got, err, tt.unchanged)
		}
		has, err := ix.Has(tt.doc)
		if err != nil || has != tt.has {
			t.Errorf("Has(%q) = %v, %v; want %v", tt.doc, has, err, tt.has)
		}
	}
}

func TestInvalidArticle(t *testing.T) {
	ix := openTemp(t, Options{})
	good := fixture()[0]
	bad := []Article{
		{DocID: ""},
		{DocID: "x", Published: "March 1"},
		{DocID: "x", Claims: []claim.Claim{{DocID: "y"}}},
		{DocID: "x", Claims: []claim.Claim{{DocID: "x", Published: "2024-13-01"}}},
	}
	for i, b := range bad {
		err := ix.Write([]Article{good, b})
		if !errors.Is(err, ErrInvalidArticle) {
			t.Errorf("bad[%d]: err = %v, want ErrInvalidArticle", i, err)
		}
	}
	if n, _ := ix.DocCount(); n != 0 {
		t.Errorf("%d docs written by failed Writes", n)
	}
}

// manyArticles returns n articles with per claims each, doc ids in reverse
// order so that write order differs from export order.
func manyArticles(n, per int) []Article {
	parties := []string{"russia", "ukraine", "us", "eu", "china"}
	kinds := []string{claim.Demand, claim.RedLine, claim.Offer}
	topics := []string{"security", "territory", "sanctions", "aid", "nato", "ceasefire", "energy"}
	outlets := []string{"reuters", "ap", "bbc", "kyivindependent"}
	words := []string{"negotiations", "withdrawal", "guarantees", "ceasefire", "sanctions", "territory", "security", "referendum", "troops", "grain"}
	arts := make([]Article, n)
	for i := range arts {
		id := fmt.Sprintf("doc-%06d", n-1-i)
		pub := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%900).Format("2006-01-02")
		a := Article{DocID: id, Source: id + ".html", URL: "https://example.org/" + id, Title: "Title " + words[i%len(words)],
			Outlet: outlets[i%len(outlets)], Published: pub, Hash: "h" + id}
		for j := range per {
			p := parties[(i+j)%len(parties)]
			s := fmt.Sprintf("%s insists on %s and %s before any talks on %s.", strings.ToUpper(p[:1])+p[1:],
				words[(i+j)%len(words)], words[(i*7+j*3)%len(words)], words[(j*5+i)%len(words)])
			c := mkClaim(id, (per-j)*200, p, kinds[(i+j)%len(kinds)], []string{topics[(i+j)%len(topics)], topics[(i+2*j+1)%len(topics)]}, s)
			slices.Sort(c.Topics)
			c.Topics = slices.Compact(c.Topics)
			c.Source, c.URL, c.Title, c.Outlet, c.Published = a.Source, a.URL, a.Title, a.Outlet, a.Published
			c.Confidence = float64(j%10) / 10
			a.Claims = append(a.Claims, c)
		}
		arts[i] = a
	}
	return arts
}

func TestClaimsExportPaging(t *testing.T) {
	ix := openTemp(t, Options{PageSize: 7})
	arts := manyArticles(23, 4) // 92 claims, 14 pages
	if err := ix.Write(arts); err != nil {
		t.Fatal(err)
	}
	var want []claim.Claim
	for _, a := range arts {
		for _, c := range a.Claims {
			c.Cluster = a.DocID
			want = append(want, c)
		}
	}
	sort.Slice(want, func(i, j int) bool {
		if want[i].DocID != want[j].DocID {
			return want[i].DocID < want[j].DocID
		}
		return want[i].Start < want[j].Start
	})
	var got []claim.Claim
	if err := ix.Claims(context.Background(), Query{Limit: 3, Offset: 5}, func(c claim.Claim) error {
		got = append(got, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("export: got %d claims, want %d (first got %v)", len(got), len(want), keyList(got[:min(5, len(got))]))
	}

	// Filtered export, and an exact multiple of the page size (7*2).
	var n int
	err := ix.Claims(context.Background(), Query{Party: []string{"russia"}}, func(c claim.Claim) error {
		if c.Party != "russia" {
			t.Errorf("party %q in russia export", c.Party)
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("filtered export: %d, %v", n, err)
	}
	if res := mustSearch(t, ix, Query{Party: []string{"russia"}}); res.Total != uint64(n) {
		t.Errorf("exported %d russia claims, search says %d", n, res.Total)
	}
	one := []Article{{DocID: "zz"}}
	for i := range 14 {
		one[0].Claims = append(one[0].Claims, mkClaim("zz", i, "eu", "offer", []string{"x"}, "EU offers."))
	}
	if err := ix.Write(one); err != nil {
		t.Fatal(err)
	}
	n = 0
	if err := ix.Claims(context.Background(), Query{Party: []string{"eu"}, Topic: []string{"x"}}, func(claim.Claim) error { n++; return nil }); err != nil || n != 14 {
		t.Errorf("exact-multiple export: %d, %v; want 14", n, err)
	}

	// fn's error stops the export.
	stop := errors.New("stop")
	n = 0
	err = ix.Claims(context.Background(), Query{}, func(claim.Claim) error {
		n++
		if n == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 10 {
		t.Errorf("stop: err %v after %d", err, n)
	}
	// A cancelled context stops it too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Claims(ctx, Query{}, func(claim.Claim) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v", err)
	}
}

func keyList(cs []claim.Claim) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = key(c)
	}
	return out
}

func TestStats(t *testing.T) {
	ix := openTemp(t, Options{})
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 0 || st.Claims != 0 || len(st.ByParty) != 0 {
		t.Errorf("empty index stats: %+v", st)
	}
	if err := ix.Write(fixture()); err != nil {
		t.Fatal(err)
	}
	st, err = ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := Stats{
		Articles: 3, Claims: 6,
		ByParty:  []FacetCount{{"russia", 2}, {"ukraine", 2}, {"eu", 1}, {"us", 1}},
		ByKind:   []FacetCount{{"demand", 3}, {"offer", 2}, {"red_line", 1}},
		ByTopic:  []FacetCount{{"security", 3}, {"aid", 1}, {"ceasefire", 1}, {"nato", 1}, {"sanctions", 1}, {"territory", 1}},
		ByOutlet: []FacetCount{{"reuters", 4}, {"ap", 2}},
		// No model recorded: every claim is at the (zero) min confidence.
		AtMinConfidence: 6,
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("stats\n got %+v\nwant %+v", st, want)
	}
}

func TestReopenPersists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Write(fixture()); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := ix.Search(context.Background(), Query{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
	if _, err := os.Stat(filepath.Join(dir, BleveDir, "index_meta.json")); err != nil {
		t.Errorf("layout: %v", err)
	}
	// The caller's own file in the folder does not disturb it.
	if err := os.WriteFile(filepath.Join(dir, "errors.jsonl"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, ro := range []bool{false, true} {
		ix, err = Open(dir, Options{ReadOnly: ro})
		if err != nil {
			t.Fatalf("reopen (read-only %v): %v", ro, err)
		}
		st, err := ix.Stats(context.Background())
		if err != nil || st.Claims != 6 || st.Articles != 3 {
			t.Errorf("reopened (read-only %v): %+v, %v", ro, st, err)
		}
		if ok, _ := ix.Unchanged("b1", "h-b1"); !ok {
			t.Errorf("reopened: Unchanged(b1) = false")
		}
		if ro {
			if err := ix.Write(fixture()); !errors.Is(err, ErrReadOnly) {
				t.Errorf("read-only Write: %v", err)
			}
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(tmp, "foreign")
	if err := os.MkdirAll(filepath.Join(foreign, "photos"), 0o755); err != nil {
		t.Fatal(err)
	}
	noMeta := filepath.Join(tmp, "nometa")
	if err := os.MkdirAll(filepath.Join(noMeta, BleveDir), 0o755); err != nil {
		t.Fatal(err)
	}
	bleveFile := filepath.Join(tmp, "blevefile")
	if err := os.MkdirAll(bleveFile, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bleveFile, BleveDir), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, dir string
		opts      Options
		wantIs    error
		wantMsg   string
	}{
		{"file", file, Options{}, ErrNotIndex, "is a file"},
		{"foreign folder", foreign, Options{}, ErrNotIndex, "not empty"},
		{"bleve without meta", noMeta, Options{}, ErrNotIndex, "index_meta.json"},
		{"bleve is a file", bleveFile, Options{}, ErrNotIndex, "is a file"},
		{"read-only missing", filepath.Join(tmp, "missing"), Options{ReadOnly: true}, nil, "does not exist"},
		{"empty path", "", Options{}, nil, "empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := Open(tt.dir, tt.opts)
			if err == nil {
				ix.Close()
				t.Fatal("no error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("err = %v, want %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("err = %q, want it to mention %q", err, tt.wantMsg)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(tmp, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only Open created the folder: %v", err)
	}
	// An existing empty folder is fine.
	empty := filepath.Join(tmp, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(empty, Options{})
	if err != nil {
		t.Fatalf("empty folder: %v", err)
	}
	ix.Close()
}

func TestLockedSameProcess(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// A read-only Open reads the writer's published view instead: see
	// TestReadWhileWriting and TestReadOnlyLockedWithoutViews.
	for _, ro := range []bool{false} {
		start := time.Now()
		ix2, err := Open(dir, Options{LockTimeout: 200 * time.Millisecond, ReadOnly: ro})
		elapsed := time.Since(start)
		if err == nil {
			ix2.Close()
			t.Fatalf("second Open (read-only %v) succeeded", ro)
		}
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("err = %v, want ErrLocked", err)
		}
		if want := "index " + dir + " is in use by another process"; !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
		if elapsed > 2*time.Second {
			t.Errorf("took %v to fail", elapsed)
		}
	}
	// The first handle still works.
	if err := ix.Write(fixture()); err != nil {
		t.Fatal(err)
	}
}

// TestHelperHoldIndex is not a test: TestLockedOtherProcess runs the test
// binary with it to hold an index open in another process until stdin
// closes.
func TestHelperHoldIndex(t *testing.T) {
	dir := os.Getenv("REDLINE_INDEX_HOLD")
	if dir == "" {
		t.Skip("helper process only")
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
	ix.Close()
	os.Exit(0)
}

func TestLockedOtherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess")
	}
	dir := filepath.Join(t.TempDir(), "idx")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldIndex$")
	cmd.Env = append(os.Environ(), "REDLINE_INDEX_HOLD="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		t.Fatalf("helper: %q, %v", line, err)
	}

	start := time.Now()
	ix, err := Open(dir, Options{LockTimeout: 300 * time.Millisecond})
	elapsed := time.Since(start)
	if err == nil {
		ix.Close()
		t.Fatal("Open succeeded while another process holds the index")
	}
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "is in use by another process") {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if elapsed > 3*time.Second {
		t.Errorf("took %v to fail", elapsed)
	}

	// Once the other process exits, the index opens.
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("helper: %v", err)
	}
	ix, err = Open(dir, Options{LockTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatalf("after helper exit: %v", err)
	}
	ix.Close()
}

func TestConcurrentSearchWrite(t *testing.T) {
	ix := openTemp(t, Options{})
	arts := manyArticles(200, 5)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < len(arts); i += 20 {
			if err := ix.Write(arts[i : i+20]); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				res, err := ix.Search(context.Background(), Query{Text: "security", Facets: true})
				if err != nil {
					t.Error(err)
					return
				}
				// Whole articles only: the claim count is a multiple of 5.
				all, err := ix.Search(context.Background(), Query{})
				if err != nil {
					t.Error(err)
					return
				}
				if all.Total%5 != 0 {
					t.Errorf("saw %d claims: half an article", all.Total)
				}
				_ = res
			}
		}()
	}
	wg.Wait()
	st, err := ix.Stats(context.Background())
	if err != nil || st.Claims != 1000 || st.Articles != 200 {
		t.Errorf("stats %+v, %v", st, err)
	}
}

// FuzzSearchText checks that no query text makes Search panic: it either
// works or fails with ErrQuery.
func FuzzSearchText(f *testing.F) {
	for _, s := range []string{"nato", `"security guarantees"`, "party:russia", "+a -b", "a:b:c", `/[a-/`, "start:>", "foo~x",
		`published:>"2024-01-01"`, "confidence:>=0.5", "*", "", `\`, "title:\"", "^", "a^2", "?", "sent*"} {
		f.Add(s)
	}
	ix, err := Open(filepath.Join(f.TempDir(), "idx"), Options{})
	if err != nil {
		f.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Write(fixture()); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		_, err := ix.Search(context.Background(), Query{Text: text})
		if err != nil && !errors.Is(err, ErrQuery) {
			t.Errorf("Search(%q): %v (not ErrQuery)", text, err)
		}
	})
}

// TestWriterWaitsForReaders: read-only opens share the index's lock, and a
// writing Open waits for them to release it (an ingest started while an
// analyst's export runs) instead of failing after LockTimeout, as it does
// for another writer (TestLockedSameProcess). It waits at most ReaderWait.
func TestWriterWaitsForReaders(t *testing.T) {
	for _, tc := range []struct {
		name       string
		readerWait time.Duration
		release    bool // the reader closes the index after a while
		opens      bool
	}{
		{"reader finishes", 0, true, true},
		{"reader outlasts ReaderWait", 300 * time.Millisecond, false, false},
		{"no waiting for readers", -1, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			w, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(fixture()); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := Open(dir, Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if _, ok := r.View(); ok {
				t.Fatal("the reader opened a view, not the live index")
			}
			if tc.release {
				timer := time.AfterFunc(500*time.Millisecond, func() { r.Close() })
				defer timer.Stop()
			}
			w, err = Open(dir, Options{LockTimeout: 100 * time.Millisecond, ReaderWait: tc.readerWait})
			if tc.opens {
				if err != nil {
					t.Fatalf("writing Open while a reader held the index: %v, want it to wait for the reader", err)
				}
				w.Close()
				return
			}
			if err == nil {
				w.Close()
				t.Fatal("writing Open succeeded while a reader held the index")
			}
			if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "is in use by another process") {
				t.Errorf("err = %v, want ErrLocked", err)
			}
		})
	}
}
