package extract

import (
	"testing"
	"time"

	"redline/corpus"
)

// TestExtractCapturedDate: a capture time (corpus.Document.Captured, a
// WARC-Date) dates a page only when the page declares no date; a capture
// time not understood is reported only when the page is then undated.
func TestExtractCapturedDate(t *testing.T) {
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	const body = `<body><article><p>Moscow has demanded that Ukraine abandon its bid to join NATO.</p></article></body></html>`
	dated := `<html><head><meta property="article:published_time" content="2025-05-10T08:00:00Z"></head>` + body
	undated := `<html><head><title>Talks</title></head>` + body
	captured := time.Date(2025, 5, 16, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		doc          corpus.Document
		published    string
		badPublished string
	}{
		{"page date wins", corpus.Document{HTML: dated, Published: captured, Captured: true}, "2025-05-10", ""},
		{"capture time when the page has none", corpus.Document{HTML: undated, Published: captured, Captured: true}, "2025-05-16", ""},
		{"a bad capture time beside a page date", corpus.Document{HTML: dated, BadPublished: "15 Sept", Captured: true}, "2025-05-10", ""},
		{"a bad capture time alone", corpus.Document{HTML: undated, BadPublished: "15 Sept", Captured: true}, "", "15 Sept"},
		{"the document's own date wins", corpus.Document{HTML: dated, Published: captured}, "2025-05-16", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ex.Extract(tc.doc)
			if err != nil {
				t.Fatal(err)
			}
			if res.Published != tc.published || res.BadPublished != tc.badPublished {
				t.Errorf("Published %q, BadPublished %q; want %q, %q", res.Published, res.BadPublished, tc.published, tc.badPublished)
			}
			if len(res.Claims) > 0 && res.Claims[0].Published != tc.published {
				t.Errorf("claim published %q, want %q", res.Claims[0].Published, tc.published)
			}
		})
	}
}
