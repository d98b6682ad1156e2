package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"redline/claim"
)

// TestSearchFolds: claims with the same sentence (white space folded),
// party and kind are one hit listing their sources; Limit and Offset count
// hits; export still has every claim.
func TestSearchFolds(t *testing.T) {
	ix := openTemp(t, Options{})
	var arts []Article
	wire := []string{"Kyiv will not cede territory.", "Kyiv  will not\ncede territory.", "Kyiv will not cede territory."}
	for i, s := range wire {
		id := fmt.Sprintf("w%d", i)
		a := Article{DocID: id, Source: id + ".txt", URL: "https://example.org/" + id, Outlet: fmt.Sprintf("outlet %d", i),
			Published: fmt.Sprintf("2025-01-0%d", i+1), Hash: "h-" + id, Cluster: "w0"}
		c := mkClaim(id, 10, "ukraine", claim.RedLine, []string{"territory"}, s)
		c.Source, c.URL, c.Outlet, c.Published = a.Source, a.URL, a.Outlet, a.Published
		a.Claims = []claim.Claim{c}
		arts = append(arts, a)
	}
	// The same sentence read as another party's claim is a row of its own.
	other := mkClaim("w2", 10, "russia", claim.RedLine, []string{"territory"}, wire[2])
	other.Published = arts[2].Published
	arts[2].Claims = append(arts[2].Claims, other)
	for i := range 3 {
		id := fmt.Sprintf("u%d", i)
		c := mkClaim(id, 0, "ukraine", claim.Demand, []string{"territory"}, fmt.Sprintf("Kyiv demands its territory back (%d).", i))
		c.Published = "2024-06-01"
		arts = append(arts, Article{DocID: id, Hash: "h-" + id, Published: c.Published, Claims: []claim.Claim{c}})
	}
	if err := ix.Write(arts); err != nil {
		t.Fatal(err)
	}

	res := mustSearch(t, ix, Query{Limit: 100})
	if res.Total != 7 || len(res.Hits) != 5 {
		t.Fatalf("total %d, %d hits; want 7 claims in 5 hits", res.Total, len(res.Hits))
	}
	h := res.Hits[1] // newest first: w2's claims, russia's before ukraine's
	if h.Claim.DocID != "w2" || h.Claims != 3 || len(h.Sources) != 3 {
		t.Fatalf("first hit %s, %d claims, sources %+v; want w2 with 3", key(h.Claim), h.Claims, h.Sources)
	}
	var docs []string
	for _, s := range h.Sources {
		docs = append(docs, s.DocID+"|"+s.Outlet+"|"+s.URL+"|"+s.Cluster)
	}
	want := []string{"w2|outlet 2|https://example.org/w2|w0", "w1|outlet 1|https://example.org/w1|w0", "w0|outlet 0|https://example.org/w0|w0"}
	if !slices.Equal(docs, want) {
		t.Errorf("sources %q, want %q", docs, want)
	}
	if o := res.Hits[0]; o.Claim.Party != "russia" || o.Claims != 1 || len(o.Sources) != 1 {
		t.Errorf("second hit %+v; want the russia claim alone", o)
	}
	if h.Claim.Party != "ukraine" {
		t.Errorf("second hit of party %s", h.Claim.Party)
	}

	// A text query folds the same way, and filters count.
	res = mustSearch(t, ix, Query{Text: `"will not cede"`, Party: []string{"ukraine"}})
	if len(res.Hits) != 1 || res.Hits[0].Claims != 3 {
		t.Errorf("phrase: %d hits (first: %+v); want one of 3 claims", len(res.Hits), res.Hits)
	}
	res = mustSearch(t, ix, Query{Text: `"will not cede"`, Outlet: []string{"outlet 1"}})
	if len(res.Hits) != 1 || res.Hits[0].Claims != 1 || res.Hits[0].Claim.DocID != "w1" {
		t.Errorf("one outlet: %+v; want w1's claim alone", res.Hits)
	}

	// Pages count hits.
	var pages []string
	for off := 0; off < 6; off += 2 {
		for _, h := range mustSearch(t, ix, Query{Limit: 2, Offset: off}).Hits {
			pages = append(pages, key(h.Claim)+"/"+h.Claim.Party)
		}
	}
	wantPages := []string{"w2:10/russia", "w2:10/ukraine", "u0:0/ukraine", "u1:0/ukraine", "u2:0/ukraine"}
	if !slices.Equal(pages, wantPages) {
		t.Errorf("pages %q, want %q", pages, wantPages)
	}

	n := 0
	if err := ix.Claims(context.Background(), Query{}, func(c claim.Claim) error {
		n++
		if c.Cluster == "" {
			t.Errorf("%s: exported without its cluster", key(c))
		}
		return nil
	}); err != nil || n != 7 {
		t.Errorf("export: %d claims, %v; want 7", n, err)
	}
}

// TestSearchFoldsDeepPages: when copies fill many pages of matches, each
// page of rows is the same slice of the whole folded list, whatever the
// offset, and the rows shown have their fragments.
func TestSearchFoldsDeepPages(t *testing.T) {
	ix := openTemp(t, Options{})
	const rows, copies = 40, 9 // 360 claims: the first search reads 50
	var arts []Article
	for i := range rows * copies {
		id := fmt.Sprintf("d%03d", i)
		s := fmt.Sprintf("Kyiv demands guarantee number %d.", i%rows)
		c := mkClaim(id, 0, "ukraine", claim.Demand, []string{"security"}, s)
		c.Published = fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28)
		arts = append(arts, Article{DocID: id, Hash: "h-" + id, Published: c.Published, Claims: []claim.Claim{c}})
	}
	if err := ix.Write(arts); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"", "guarantee"} {
		all := mustSearch(t, ix, Query{Text: text, Limit: 100})
		if len(all.Hits) != rows || all.Total != rows*copies {
			t.Fatalf("%q: %d rows of %d claims, want %d of %d", text, len(all.Hits), all.Total, rows, rows*copies)
		}
		var whole, paged []string
		for _, h := range all.Hits {
			whole = append(whole, h.Claim.Sentence)
		}
		for off := 0; off < rows+5; off += 7 {
			for _, h := range mustSearch(t, ix, Query{Text: text, Limit: 7, Offset: off}).Hits {
				paged = append(paged, h.Claim.Sentence)
				if h.Claims != copies {
					t.Errorf("%q offset %d: row of %d claims, want %d", text, off, h.Claims, copies)
				}
				if text != "" && len(h.Fragments) == 0 {
					t.Errorf("%q offset %d: row without fragments", text, off)
				}
			}
		}
		if !slices.Equal(paged, whole) {
			t.Errorf("%q: pages give %q,\nwant %q", text, paged, whole)
		}
	}
}
