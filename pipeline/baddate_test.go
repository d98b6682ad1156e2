package pipeline

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"redline/corpus"
	"redline/extract"
)

// TestRunBadDates: a document whose date was given but not understood (its
// own, or the only one its page declares) is indexed undated, OnBadDate
// names it in source order and Summary.BadDates counts it, also when the
// index holds it unchanged; a readable date, or none at all, is not
// reported.
func TestRunBadDates(t *testing.T) {
	ex, err := extract.New(extract.Options{Rules: true})
	if err != nil {
		t.Fatal(err)
	}
	text := "Moscow has demanded that Kyiv withdraw its troops from the Donbas."
	page := func(meta string) string {
		return `<!DOCTYPE html><html><head><title>Talks</title>` + meta + `</head><body><article><p>` + text + `</p><p>` + text + `</p></article></body></html>`
	}
	ownBad := corpus.Document{ID: "own", Source: "d.jsonl#own", Text: text, BadPublished: "sometime in March"}
	held := corpus.Document{ID: "held", Source: "d.jsonl#held", Text: text + " Again.", BadPublished: "20250312"}
	long := corpus.Document{ID: "long", Source: "d.jsonl#long", Text: text + " Long.", BadPublished: strings.Repeat("x", 99) + "é" + strings.Repeat("y", 50)}
	items := []item{
		{doc: corpus.Document{ID: "good", Source: "d.jsonl#good", Text: text, Published: time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)}},
		{doc: ownBad},
		{doc: corpus.Document{ID: "none", Source: "none.txt", Text: text + " Too."}},
		{doc: corpus.Document{ID: "page", Source: "page.html", HTML: page(`<meta property="article:published_time" content="soon">`)}},
		{doc: corpus.Document{ID: "pagegood", Source: "pagegood.html", HTML: page(`<meta property="article:published_time" content="soon"><meta name="date" content="2022-03-15">`)}},
		{doc: held},
		{doc: long},
	}
	w := &fakeWriter{held: map[string]string{"held": Hash(held, "v")}}
	var got []BadDate
	sum, err := Run(context.Background(), &fakeSource{items: items}, ex, w, Options{
		Workers: 2, Version: "v",
		OnBadDate: func(bd BadDate) { got = append(got, bd) },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []BadDate{
		{Input: "d.jsonl#own", DocID: "own", Value: "sometime in March"},
		{Input: "page.html", DocID: "page", Value: "soon"},
		{Input: "d.jsonl#held", DocID: "held", Value: "20250312"},
		{Input: "d.jsonl#long", DocID: "long", Value: strings.Repeat("x", 99) + "…"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("OnBadDate calls\n got  %+v\n want %+v", got, want)
	}
	if sum.BadDates != len(want) || sum.Indexed != 6 || sum.Unchanged != 1 || sum.Failed != 0 {
		t.Errorf("summary %+v, want 4 bad dates, 6 indexed, 1 unchanged, none failed", sum)
	}
	published := map[string]string{}
	for _, b := range w.batches {
		for _, a := range b {
			published[a.DocID] = a.Published
		}
	}
	for id, d := range map[string]string{"good": "2025-03-12", "own": "", "none": "", "page": "", "pagegood": "2022-03-15"} {
		if p, ok := published[id]; !ok || p != d {
			t.Errorf("article %s: published %q (written %v), want %q", id, p, ok, d)
		}
	}
}
