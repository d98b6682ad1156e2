package extract

import (
	"testing"
	"time"

	"redline/corpus"
)

func TestExtractEnglishOnly(t *testing.T) {
	ex, err := NewExtractor(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, text string
		notEnglish bool
		claims     int
	}{
		{"English", "Moscow has demanded that Kyiv withdraw its troops from the Donbas. Ukraine rejected any talks about its territory.", false, 2},
		{"German", "Moskau hat gefordert, dass Kiew seine Truppen aus dem Donbas abzieht. Die Ukraine lehnt jede Abtretung ihres Territoriums ab, und die Regierung in Kiew will über die Krim nicht verhandeln, solange russische Soldaten im Land sind.", true, 0},
		{"Ukrainian", "Москва вимагає, щоб Київ вивів війська з Донбасу. Україна відкидає будь-які переговори про свою територію та не визнає анексію Криму.", true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := ex.Extract(corpus.Document{ID: "d1", Source: "d1.txt", Text: c.text})
			if err != nil {
				t.Fatal(err)
			}
			if res.NotEnglish != c.notEnglish || len(res.Claims) != c.claims {
				t.Errorf("NotEnglish = %v with %d claims, want %v with %d: %+v", res.NotEnglish, len(res.Claims), c.notEnglish, c.claims, res.Claims)
			}
		})
	}
}

func TestExtractMetadata(t *testing.T) {
	ex, err := NewExtractor(nil)
	if err != nil {
		t.Fatal(err)
	}
	page := `<html lang="en"><head><title>Talks</title><meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2025-05-16T09:00:00Z"><link rel="canonical" href="https://example.org/a"></head>
<body><article><p>Moscow has demanded that Kyiv withdraw its troops from the Donbas.</p></article></body></html>`
	// The document's own metadata wins; the page's fills the gaps.
	for _, c := range []struct {
		name                            string
		doc                             corpus.Document
		outlet, published, url, wantTit string
	}{
		{"from the page", corpus.Document{ID: "p", Source: "p.html", HTML: page}, "Example Wire", "2025-05-16", "https://example.org/a", "Talks"},
		{"from the document", corpus.Document{ID: "p", Source: "p.html", HTML: page, Outlet: "Wire Two", URL: "https://two.example/a", Title: "Own title",
			Published: time.Date(2025, 5, 17, 0, 0, 0, 0, time.UTC)}, "Wire Two", "2025-05-17", "https://two.example/a", "Own title"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := ex.Extract(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Claims) != 1 {
				t.Fatalf("got %d claims, want 1", len(res.Claims))
			}
			cl := res.Claims[0]
			if cl.Outlet != c.outlet || cl.Published != c.published || cl.URL != c.url || cl.Title != c.wantTit || cl.DocID != "p" {
				t.Errorf("claim metadata = outlet %q, published %q, url %q, title %q, doc %q", cl.Outlet, cl.Published, cl.URL, cl.Title, cl.DocID)
			}
		})
	}
}
