package dedup

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"testing"

	"redline/corpus"
	"redline/extract"
	"redline/index"
	"redline/internal/sharedtest"
)

// bulkPath is the shared dump the ingest benchmarks read: real crawled and
// wire articles, so the fingerprint's cost is measured on the texts ingest
// sees (short blocks, page furniture, repeated paragraphs), not only on
// generated ones.
const bulkPath = "../../shared/corpus/bulk.jsonl"

var (
	bulkOnce     sync.Once
	bulkArticles []extract.Article
	bulkIDs      []string // bulkArticles[i]'s document ID
	bulkErr      error
)

// loadBulk returns the articles of bulk.jsonl through the text stage, as
// the extraction workers hand them to SketchArticle, and their document IDs.
func loadBulk(tb testing.TB) ([]extract.Article, []string) {
	tb.Helper()
	if _, err := os.Stat(bulkPath); err != nil {
		sharedtest.Missing(tb, "../shared not found: ", err)
	}
	bulkOnce.Do(func() {
		r, err := corpus.Open([]string{bulkPath}, corpus.Options{})
		if err != nil {
			bulkErr = err
			return
		}
		defer r.Close()
		for {
			doc, err := r.Next(context.Background())
			if errors.Is(err, io.EOF) {
				return
			}
			var ie *corpus.InputError
			if errors.As(err, &ie) {
				continue
			}
			if err != nil {
				bulkErr = err
				return
			}
			a, err := extract.Text(doc)
			if err != nil {
				continue // no text: ingest skips it before the dedup stage
			}
			bulkArticles = append(bulkArticles, a)
			bulkIDs = append(bulkIDs, doc.ID)
		}
	})
	if bulkErr != nil {
		tb.Fatal(bulkErr)
	}
	return bulkArticles, bulkIDs
}

// BenchmarkSketchArticle is the dedup stage's cost in the extraction
// workers over the articles of bulk.jsonl: SketchArticle of each, in MB/s of
// the articles' text.
func BenchmarkSketchArticle(b *testing.B) {
	arts, _ := loadBulk(b)
	n := 0
	for _, a := range arts {
		n += len(a.Text)
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, a := range arts {
			SketchArticle(a)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(arts)), "µs/article")
}

// BenchmarkCheck is the writer's decision over the articles of bulk.jsonl
// in input order, in memory (no index): the band keys, the encoded sketch,
// the lookup among the run's earlier articles and the verification of
// candidates. The index lookup that Check adds with a Finder is measured by
// BenchmarkDuplicateLookup.
func BenchmarkCheck(b *testing.B) {
	arts, ids := loadBulk(b)
	sks := make([]Sketch, len(arts))
	for i, a := range arts {
		sks[i] = SketchArticle(a)
	}
	d := New(nil)
	dups := 0
	for b.Loop() {
		d.Reset()
		dups = 0
		for i := range sks {
			a := index.Article{DocID: ids[i]}
			dup, err := d.Check(&a, sks[i])
			if err != nil {
				b.Fatal(err)
			}
			if dup {
				dups++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(arts)), "µs/article")
	b.ReportMetric(float64(dups), "dups")
}
