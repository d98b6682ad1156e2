package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"redline/claim"
)

// BenchmarkWrite measures Write with groups of 200 articles of 10 claims
// (2,000 claims, 2,200 documents per batch) into a growing index: without
// read views for other processes, with the default publishing (at most one
// view a second), and with a view after every write (the worst case).
func BenchmarkWrite(b *testing.B) {
	for _, bc := range []struct {
		name     string
		interval time.Duration
	}{
		{"publish=off", -1},
		{"publish=default", 0},
		{"publish=every-write", time.Nanosecond},
	} {
		b.Run(bc.name, func(b *testing.B) { benchmarkWrite(b, Options{PublishInterval: bc.interval}) })
	}
}

func benchmarkWrite(b *testing.B, opts Options) {
	const perWrite, claimsPer = 200, 10
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), opts)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	base := manyArticles(perWrite, claimsPer)
	round := 0
	var arts, claims int
	for b.Loop() {
		batch := make([]Article, len(base))
		for i, a := range base {
			// New doc ids each round, so the index grows.
			id := fmt.Sprintf("r%d-%s", round, a.DocID)
			a.DocID = id
			a.Claims = append(a.Claims[:0:0], a.Claims...)
			for j := range a.Claims {
				a.Claims[j].DocID = id
			}
			batch[i] = a
			claims += len(a.Claims)
		}
		arts += len(batch)
		round++
		if err := ix.Write(batch); err != nil {
			b.Fatal(err)
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(arts)/sec, "articles/s")
	b.ReportMetric(float64(arts+claims)/sec, "docs/s")
	b.ReportMetric(float64(claims)/sec, "claims/s")
}

// benchIndex returns an index opened with opts holding 5,000 articles of
// 10 claims, written 250 articles at a time; it is closed with the
// benchmark.
func benchIndex(b *testing.B, opts Options) *Index {
	b.Helper()
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	arts := manyArticles(5000, 10)
	for i := 0; i < len(arts); i += 250 {
		if err := ix.Write(arts[i : i+250]); err != nil {
			b.Fatal(err)
		}
	}
	return ix
}

// BenchmarkSearch measures Search on an index of 50,000 claims (5,000
// articles).
func BenchmarkSearch(b *testing.B) {
	ix := benchIndex(b, Options{})
	{
		var size int64
		_ = filepath.WalkDir(ix.Dir(), func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if fi, err := d.Info(); err == nil {
					size += fi.Size()
				}
			}
			return nil
		})
		b.Logf("index of 50,000 claims + 5,000 articles: %.1f MB on disk (%d bytes/claim)", float64(size)/1e6, size/50000)
	}
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"word", Query{Text: "sanctions"}},
		{"phrase", Query{Text: `"security and sanctions"`}},
		{"word+filters", Query{Text: "withdrawal", Party: []string{"russia", "ukraine"}, Kind: []string{"demand"}}},
		{"word+facets", Query{Text: "guarantees", Facets: true}},
		{"all", Query{}},
		{"all+facets", Query{Facets: true}},
		{"daterange", Query{Since: day("2022-06-01"), Until: day("2022-12-31")}},
		// Page 50 of 20 rows by offset. The sentences of these claims
		// fold into 150 rows, so it is past the last: Search reads every
		// match to find so.
		{"word/page50", Query{Text: "sanctions", Limit: 20, Offset: 980}},
		{"all/page50", Query{Limit: 20, Offset: 980}},
		{"all/page7", Query{Limit: 20, Offset: 120}},
		{"oldest/page7", Query{Limit: 20, Offset: 120, Order: OrderOldest}},
		{"confidence/page7", Query{Limit: 20, Offset: 120, Order: OrderConfidence}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The last pages as the workbench's pager asks for them: by the cursor
	// of the page before (Query.After).
	for _, bc := range []struct {
		name string
		q    Query
		page int
	}{
		{"word/page3-after", Query{Text: "sanctions", Limit: 10}, 3},
		{"all/page7-after", Query{Limit: 20}, 7},
		{"oldest/page7-after", Query{Limit: 20, Order: OrderOldest}, 7},
		{"confidence/page7-after", Query{Limit: 20, Order: OrderConfidence}, 7},
	} {
		q := bc.q
		for range bc.page - 1 {
			res, err := ix.Search(ctx, q)
			if err != nil || res.Next == "" {
				b.Fatalf("%s: no page after %+v (%v)", bc.name, q, err)
			}
			q.After = res.Next
		}
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ix.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("export", func(b *testing.B) {
		n := 0
		for b.Loop() {
			if err := ix.Claims(ctx, Query{}, func(claim.Claim) error { n++; return nil }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "claims/s")
	})
}

// BenchmarkSearchDeep measures pages of 20 rows deep in a search of 50,000
// claims that are all distinct sentences (a row each), newest first and
// most confident first: page 1, page 50 and page 500 by offset, and page 50
// and 500 by the cursor of the page before, as the workbench's pager asks.
func BenchmarkSearchDeep(b *testing.B) {
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	arts := manyArticles(5000, 10)
	for i := range arts {
		for j := range arts[i].Claims {
			c := &arts[i].Claims[j]
			c.Sentence = fmt.Sprintf("%s Report %d-%d.", strings.TrimSuffix(c.Sentence, "."), i, j)
			c.End = c.Start + len(c.Sentence)
		}
	}
	for i := 0; i < len(arts); i += 250 {
		if err := ix.Write(arts[i : i+250]); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, o := range []Order{OrderNewest, OrderConfidence} {
		for _, page := range []int{1, 50, 500} {
			q := Query{Limit: 20, Offset: (page - 1) * 20, Order: o}
			b.Run(fmt.Sprintf("%s/page%d", o, page), func(b *testing.B) {
				for b.Loop() {
					if _, err := ix.Search(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
			if page == 1 {
				continue
			}
			// The cursor of the page before, read by offset once.
			prev, err := ix.Search(ctx, Query{Limit: 20, Offset: (page - 2) * 20, Order: o})
			if err != nil || prev.Next == "" {
				b.Fatalf("page %d: no cursor (%v)", page-1, err)
			}
			q = Query{Limit: 20, Order: o, After: prev.Next}
			b.Run(fmt.Sprintf("%s/page%d-after", o, page), func(b *testing.B) {
				for b.Loop() {
					if _, err := ix.Search(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkPublish measures the publication of one read view of an index of
// 50,000 claims; the cost grows with the number of segments, not the size.
func BenchmarkPublish(b *testing.B) {
	ix := benchIndex(b, Options{PublishInterval: -1})
	p := &publisher{ix: ix}
	for b.Loop() {
		p.have = false
		if err := p.publish(); err != nil {
			b.Fatal(err)
		}
	}
	segs, _ := filepath.Glob(filepath.Join(ix.bdir, "store", "*.zap"))
	b.ReportMetric(float64(len(segs)), "segments")
}

// BenchmarkOpenStats measures what one stats command pays on an index of
// 50,000 claims written an hour ago: open it read-only, count, close. The
// first open verifies every segment file and records them (VerifiedFile);
// each later one, a new Index as a new process would have, finds them
// recorded and reads none of them again. segments/op reports the files
// read per command.
func BenchmarkOpenStats(b *testing.B) {
	w := benchIndex(b, Options{})
	dir := w.Dir()
	if err := w.Close(); err != nil { // a reader of a held index reads the writer's view
		b.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	_ = filepath.WalkDir(filepath.Join(dir, BleveDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".zap" {
			return os.Chtimes(p, old, old)
		}
		return err
	})
	ctx := context.Background()
	var read int64
	for b.Loop() {
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Stats(ctx); err != nil {
			b.Fatal(err)
		}
		read += ix.checked.Load()
		ix.Close()
	}
	b.ReportMetric(float64(read)/float64(b.N), "segments/op")
}

// BenchmarkDuplicatesCluster measures one Duplicates lookup for a copy of a
// story the index holds 5,000 copies of, all sharing its 32 band keys (a
// crawl's paywall pages, a wire story reprinted everywhere): the lookup an
// ingest makes for every further copy.
func BenchmarkDuplicatesCluster(b *testing.B) {
	ix, err := Open(filepath.Join(b.TempDir(), "idx"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	keys := make([]string, 32)
	for i := range keys {
		keys[i] = fmt.Sprintf("%02x%06x", i, i*7919)
	}
	arts := clusterArticles(5000, keys)
	for i := 0; i < len(arts); i += 500 {
		if err := ix.Write(arts[i : i+500]); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if _, err := ix.Duplicates("hash-new", keys, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkErrorLogFull: a small re-run (four documents read, one of them
// failing as before) over an ErrorsFile of DefaultMaxErrorRecords
// records: "clean" meets no failure, so nothing needs writing; "failing"
// meets one again, so the file is written with its count one higher.
func BenchmarkErrorLogFull(b *testing.B) {
	dir := b.TempDir()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range DefaultMaxErrorRecords {
		in := fmt.Sprintf("/data/dumps/cc-news-%03d.jsonl:%07d", i%50, i*7+1)
		_ = enc.Encode(ErrorRecord{Time: "2026-12-07T17:24:04Z", Input: in,
			Reason:    in + ": no text: the record has neither text nor html (fields: id, url, outlet, published, title)",
			FirstSeen: "2026-12-01T09:12:40Z", Count: 3})
	}
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	slices.SortFunc(lines, bytes.Compare) // the file is sorted by input
	file := bytes.Join(lines, nil)
	covered := func(in string) bool { return strings.HasPrefix(in, "/in/") }
	for _, failing := range []bool{false, true} {
		name := "clean"
		if failing {
			name = "failing"
		}
		b.Run(name, func(b *testing.B) {
			if err := os.WriteFile(filepath.Join(dir, ErrorsFile), file, 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(file)))
			b.ReportAllocs()
			run := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
			for b.Loop() {
				run = run.Add(time.Second)
				l, err := OpenErrorLog(dir, run, ErrorLogOptions{})
				if err != nil {
					b.Fatal(err)
				}
				for i := range 4 {
					l.Read(fmt.Sprintf("/in/%d.txt", i))
				}
				if failing {
					in := "/data/dumps/cc-news-000.jsonl:0000001"
					l.Fail(in, in+": no text: the record has neither text nor html (fields: id, url, outlet, published, title)")
				}
				if err := l.Finish(covered); err != nil {
					b.Fatal(err)
				}
				if l.Inputs() != DefaultMaxErrorRecords {
					b.Fatalf("%d inputs failing, want %d", l.Inputs(), DefaultMaxErrorRecords)
				}
			}
		})
	}
}
