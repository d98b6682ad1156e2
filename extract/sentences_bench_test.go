package extract

import (
	"sort"
	"testing"

	"redline/corpus"
)

// BenchmarkSplit measures Split on articles already turned into blocks:
// the seed articles (skipped when ../shared is absent) and the hand-written
// fixture. MB/s counts the bytes of Article.Text.
func BenchmarkSplit(b *testing.B) {
	sp := newTestSplitter(b)
	run := func(b *testing.B, texts []string) {
		arts := make([]Article, len(texts))
		n := 0
		for i, t := range texts {
			a, err := Text(corpus.Document{Text: t})
			if err != nil {
				b.Fatal(err)
			}
			arts[i] = a
			n += len(a.Text)
		}
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			for _, a := range arts {
				sp.Split(a)
			}
		}
	}
	b.Run("seeds", func(b *testing.B) {
		docs := seedDocs(b)
		names := make([]string, 0, len(docs))
		for n := range docs {
			names = append(names, n)
		}
		sort.Strings(names)
		texts := make([]string, len(names))
		for i, n := range names {
			texts[i] = docs[n]
		}
		run(b, texts)
	})
	b.Run("fixture", func(b *testing.B) {
		run(b, []string{readFixture(b, "plain.txt")})
	})
}

// BenchmarkSplitParallel measures Split from all Ps on one Splitter.
func BenchmarkSplitParallel(b *testing.B) {
	sp := newTestSplitter(b)
	a, err := Text(corpus.Document{Text: readFixture(b, "plain.txt")})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(a.Text)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			sp.Split(a)
		}
	})
}

// BenchmarkText measures the text stage: plain text to blocks, the HTML
// fixture to an Article, and the plain text under a dateline.
func BenchmarkText(b *testing.B) {
	for _, c := range []struct {
		name string
		doc  corpus.Document
	}{
		{"plain", corpus.Document{Text: readFixture(b, "plain.txt")}},
		{"html", corpus.Document{HTML: readFixture(b, "article.html")}},
		// The plain text under a dateline, which the text stage reads.
		{"dateline", corpus.Document{Text: "Ceasefire Talks Stall\n\nApril 12, 2026 | Gulf Wire\n\n" + readFixture(b, "plain.txt")}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.doc.Text) + len(c.doc.HTML)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Text(c.doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewSplitter measures loading the sentence model.
func BenchmarkNewSplitter(b *testing.B) {
	for b.Loop() {
		if _, err := NewSplitter(); err != nil {
			b.Fatal(err)
		}
	}
}
