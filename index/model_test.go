package index

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"redline/claim"
)

// confidenceFixture is one article with four claims at the confidences
// 0.3, 0.79, 0.8 and 0.95 (keys "m1:0", "m1:100", "m1:200", "m1:300"), and
// one ukraine claim at 0.95 in another article.
func confidenceFixture() []Article {
	a := Article{DocID: "m1", Outlet: "reuters", Published: "2025-01-10", Hash: "h-m1"}
	for i, conf := range []float64{0.3, 0.79, 0.8, 0.95} {
		// Distinct sentences: Search folds claims of one sentence.
		c := mkClaim("m1", 100*i, "russia", claim.Demand, []string{"nato"}, fmt.Sprintf("Russia demands that NATO stop expanding eastwards (%d).", i))
		c.Confidence = conf
		c.Outlet, c.Published = a.Outlet, a.Published
		a.Claims = append(a.Claims, c)
	}
	b := Article{DocID: "m2", Outlet: "ap", Published: "2025-01-11", Hash: "h-m2"}
	c := mkClaim("m2", 0, "ukraine", claim.RedLine, []string{"nato"}, "Ukraine rejects any limit on NATO membership.")
	c.Confidence = 0.95
	c.Outlet, c.Published = b.Outlet, b.Published
	b.Claims = []claim.Claim{c}
	return []Article{a, b}
}

func TestMinConfidence(t *testing.T) {
	ix := openTemp(t, Options{})
	if err := ix.Write(confidenceFixture()); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name  string
		q     Query
		want  []string // claim keys, sorted
		isErr bool
	}{
		{name: "min 0.8 keeps 0.8 and 0.95", q: Query{Party: []string{"russia"}, MinConfidence: 0.8}, want: []string{"m1:200", "m1:300"}},
		{name: "min 0 keeps all", q: Query{Party: []string{"russia"}}, want: []string{"m1:0", "m1:100", "m1:200", "m1:300"}},
		{name: "min 0.79 is inclusive", q: Query{Party: []string{"russia"}, MinConfidence: 0.79}, want: []string{"m1:100", "m1:200", "m1:300"}},
		{name: "min 1 keeps none", q: Query{Party: []string{"russia"}, MinConfidence: 1}, want: nil},
		{name: "with a text query", q: Query{Text: "nato", Party: []string{"russia"}, MinConfidence: 0.8}, want: []string{"m1:200", "m1:300"}},
		{name: "with other filters", q: Query{Kind: []string{claim.Demand}, Topic: []string{"nato"}, Since: day("2025-01-01"), MinConfidence: 0.8}, want: []string{"m1:200", "m1:300"}},
		{name: "every party", q: Query{MinConfidence: 0.8}, want: []string{"m1:200", "m1:300", "m2:0"}},
		{name: "below 0", q: Query{MinConfidence: -0.1}, isErr: true},
		{name: "above 1", q: Query{MinConfidence: 1.5}, isErr: true},
		{name: "NaN", q: Query{MinConfidence: math.NaN()}, isErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Limit = 100
			res, err := ix.Search(ctx, q)
			if tt.isErr {
				if !errors.Is(err, ErrQuery) {
					t.Fatalf("Search: error %v, want ErrQuery", err)
				}
				if err := ix.Claims(ctx, q, func(claim.Claim) error { return nil }); !errors.Is(err, ErrQuery) {
					t.Errorf("Claims: error %v, want ErrQuery", err)
				}
				if _, err := ix.Compare(ctx, CompareQuery{MinConfidence: q.MinConfidence}); !errors.Is(err, ErrQuery) {
					t.Errorf("Compare: error %v, want ErrQuery", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := keys(res.Hits); !slices.Equal(got, tt.want) || res.Total != uint64(len(tt.want)) {
				t.Errorf("Search: %q (total %d), want %q", got, res.Total, tt.want)
			}
			var exported []claim.Claim
			if err := ix.Claims(ctx, q, func(c claim.Claim) error { exported = append(exported, c); return nil }); err != nil {
				t.Fatal(err)
			}
			if got := keyList(exported); !slices.Equal(got, tt.want) {
				t.Errorf("Claims: %q, want %q", got, tt.want)
			}
			for _, c := range exported {
				if c.Confidence < q.MinConfidence {
					t.Errorf("Claims returned %s at %v, below %v", key(c), c.Confidence, q.MinConfidence)
				}
			}
			if q.Text != "" {
				return // Compare takes no text query
			}
			cmp, err := ix.Compare(ctx, CompareQuery{Party: q.Party, Topic: q.Topic, Since: q.Since, MinConfidence: q.MinConfidence})
			if err != nil {
				t.Fatal(err)
			}
			wantCount := len(tt.want)
			if len(q.Kind) > 0 {
				wantCount = -1 // Compare has no kind filter; only the demands are counted below
			}
			if wantCount >= 0 && cmp.Claims != wantCount {
				t.Errorf("Compare counted %d claims, want %d", cmp.Claims, wantCount)
			}
			if p := findPosition(cmp, "russia", "nato", claim.Demand); p != nil {
				for _, ev := range p.Evidence {
					if ev.Confidence < q.MinConfidence {
						t.Errorf("Compare cites a claim at %v, below %v", ev.Confidence, q.MinConfidence)
					}
				}
			}
		})
	}
}

func TestModelRecord(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := ix.Model(); ok || err != nil {
		t.Fatalf("new index: Model() ok=%v err=%v, want no record", ok, err)
	}
	if err := ix.Write(confidenceFixture()); err != nil {
		t.Fatal(err)
	}
	st, err := ix.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Model != nil || st.AtMinConfidence != st.Claims || st.Claims != 5 {
		t.Errorf("no record: Stats model %v, %d of %d claims at min confidence; want nil, all 5", st.Model, st.AtMinConfidence, st.Claims)
	}
	for _, bad := range []float64{-0.5, 1.01, math.NaN()} {
		if err := ix.SetModel(&ModelInfo{Model: "m", MinConfidence: bad}); err == nil {
			t.Errorf("SetModel with min confidence %v: no error", bad)
		}
	}
	want := ModelInfo{Model: "abc123", Lexicon: "russia-ukraine", MinConfidence: 0.8, Recorded: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	if err := ix.SetModel(&want); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// The record survives a reopen, read-only too, and Stats counts the
	// claims at or above it.
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := ro.Model()
	if err != nil || !ok || !got.Recorded.Equal(want.Recorded) || got.Model != want.Model || got.Lexicon != want.Lexicon || got.MinConfidence != want.MinConfidence {
		t.Errorf("Model() = %+v, %v, %v; want %+v", got, ok, err, want)
	}
	st, err = ro.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Model == nil || st.Model.Model != "abc123" || st.AtMinConfidence != 3 || st.Claims != 5 {
		t.Errorf("Stats: model %+v, %d of %d claims at min confidence; want abc123, 3 of 5", st.Model, st.AtMinConfidence, st.Claims)
	}
	if err := ro.SetModel(nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetModel on a read-only index: %v, want ErrReadOnly", err)
	}
	if err := ro.Close(); err != nil {
		t.Fatal(err)
	}

	// nil removes the record (the rules alone made the next claims).
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.SetModel(nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := ix.Model(); ok || err != nil {
		t.Errorf("after SetModel(nil): ok=%v err=%v, want no record", ok, err)
	}
}
