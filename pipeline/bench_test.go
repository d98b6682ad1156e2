package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"redline/corpus"
	"redline/extract"
	"redline/index"
)

// The benchmarks read the shared bulk dump (814 mixed news records, about
// 5 MB) when it is next to the repository, and the eight sample articles
// otherwise. Each reports docs/s and, through SetBytes, MB/s of input
// (the documents' raw text or HTML), per run over the whole corpus.
const (
	benchBulk     = "../../shared/corpus/bulk.jsonl"
	benchFallback = "../testdata/articles"
)

// benchData is the benchmark corpus, read once and shared by the
// benchmarks; the later stages' inputs are computed on first use.
type benchData struct {
	paths []string
	docs  []corpus.Document
	bytes int64

	once     sync.Once
	err      error
	ex       *extract.Extractor
	articles []extract.Article    // Text of every doc that has text
	sents    [][]extract.Sentence // Split of each article
	arts     []index.Article      // what the pipeline hands the index
	results  []result             // the extract stage's results (with sketches)
}

var (
	benchOnce sync.Once
	bench     benchData
	benchErr  error
)

func loadBench(b *testing.B) *benchData {
	b.Helper()
	benchOnce.Do(func() {
		bench.paths = []string{benchFallback}
		if _, err := os.Stat(benchBulk); err == nil {
			bench.paths = []string{benchBulk}
		}
		bench.docs, bench.bytes, benchErr = readAll(bench.paths)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	if bench.paths[0] == benchFallback {
		b.Logf("%s not found: using the %d sample articles", benchBulk, len(bench.docs))
	}
	return &bench
}

// stages computes the inputs of the per-stage benchmarks.
func (d *benchData) stages(b *testing.B) {
	b.Helper()
	d.once.Do(func() {
		if d.ex, d.err = extract.NewExtractor(nil); d.err != nil {
			return
		}
		for _, doc := range d.docs {
			a, err := extract.Text(doc)
			if errors.Is(err, extract.ErrNoText) {
				continue
			}
			if err != nil {
				d.err = err
				return
			}
			d.articles = append(d.articles, a)
			d.sents = append(d.sents, d.ex.Splitter().Split(a))
			r := process(job{doc: doc}, d.ex, nil, Options{Force: true, Version: "bench", Dedup: true})
			if r.err == nil {
				d.arts = append(d.arts, r.art)
				r.seq = len(d.results)
				d.results = append(d.results, r)
			}
		}
	})
	if d.err != nil {
		b.Fatal(d.err)
	}
}

func readAll(paths []string) ([]corpus.Document, int64, error) {
	r, err := corpus.Open(paths, corpus.Options{})
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	var docs []corpus.Document
	var n int64
	for {
		doc, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return docs, n, nil
		}
		var ie *corpus.InputError
		if errors.As(err, &ie) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		docs = append(docs, doc)
		n += int64(len(doc.Text) + len(doc.HTML))
	}
}

// report sets the bytes per run and reports documents per second.
func report(b *testing.B, docsPerRun int, bytesPerRun int64) {
	b.SetBytes(bytesPerRun)
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(docsPerRun)*float64(b.N)/s, "docs/s")
	}
}

// BenchmarkIngest is the whole ingest: the corpus reader, the extraction
// workers and a fresh index on disk each run (opened, written and closed),
// with the shipped claim model without and with duplicate detection
// (fingerprints in the workers, one index lookup per article in the
// writer), and with the rules alone, to show what each costs.
func BenchmarkIngest(b *testing.B) {
	d := loadBench(b)
	model, err := extract.NewExtractor(nil)
	if err != nil {
		b.Fatal(err)
	}
	rules := rulesExtractor(b)
	for _, c := range []struct {
		name  string
		ex    *extract.Extractor
		dedup bool
	}{{"model", model, false}, {"model", model, true}, {"rules", rules, false}} {
		ex, dedup := c.ex, c.dedup
		b.Run(fmt.Sprintf("%s/dedup=%v", c.name, dedup), func(b *testing.B) {
			dir := b.TempDir()
			var sum Summary
			run := 0
			for b.Loop() {
				run++
				path := filepath.Join(dir, strconv.Itoa(run))
				sum = ingestOnce(b, d.paths, ex, path, dedup)
				removeIndex(b, path)
			}
			report(b, sum.Read, sum.Bytes)
			b.ReportMetric(float64(sum.Claims), "claims/run")
			b.ReportMetric(float64(sum.Duplicates), "duplicates/run")
		})
	}
}

// rulesExtractor is an extractor whose rules alone find the claims, to
// measure beside the shipped model.
func rulesExtractor(b *testing.B) *extract.Extractor {
	ex, err := extract.New(extract.Options{Rules: true})
	if err != nil {
		b.Fatal(err)
	}
	return ex
}

// removeIndex deletes a benchmark's index, off the clock.
func removeIndex(b *testing.B, path string) {
	b.StopTimer()
	defer b.StartTimer()
	if err := os.RemoveAll(path); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkStageRead is the corpus reader alone: open, decode, identify.
func BenchmarkStageRead(b *testing.B) {
	d := loadBench(b)
	for b.Loop() {
		docs, _, err := readAll(d.paths)
		if err != nil {
			b.Fatal(err)
		}
		if len(docs) != len(d.docs) {
			b.Fatalf("read %d documents, want %d", len(docs), len(d.docs))
		}
	}
	report(b, len(d.docs), d.bytes)
}

// BenchmarkStageText is extract.Text on every document (HTML main-text
// extraction, plain-text blocks).
func BenchmarkStageText(b *testing.B) {
	d := loadBench(b)
	for b.Loop() {
		for _, doc := range d.docs {
			if _, err := extract.Text(doc); err != nil && !errors.Is(err, extract.ErrNoText) {
				b.Fatal(err)
			}
		}
	}
	report(b, len(d.docs), d.bytes)
}

// BenchmarkStageSentences is Splitter.Split on the articles' text.
func BenchmarkStageSentences(b *testing.B) {
	d := loadBench(b)
	d.stages(b)
	sp := d.ex.Splitter()
	for b.Loop() {
		for _, a := range d.articles {
			sp.Split(a)
		}
	}
	report(b, len(d.docs), d.bytes)
}

// BenchmarkStageClaims is the claims stage on pre-split sentences: the
// shipped model (which runs the rules for its features), and the rules
// alone beside it.
func BenchmarkStageClaims(b *testing.B) {
	d := loadBench(b)
	d.stages(b)
	rules := rulesExtractor(b)
	for _, c := range []struct {
		name string
		ex   *extract.Extractor
	}{{"model", d.ex}, {"rules", rules}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for i, a := range d.articles {
					c.ex.Claims(a, d.sents[i])
				}
			}
			report(b, len(d.docs), d.bytes)
		})
	}
}

// BenchmarkStageIndex is index.Write of the pre-extracted articles, in
// batches of the pipeline's default size, into a fresh index each run.
func BenchmarkStageIndex(b *testing.B) {
	d := loadBench(b)
	d.stages(b)
	const batch = 256
	dir := b.TempDir()
	run := 0
	for b.Loop() {
		run++
		path := filepath.Join(dir, strconv.Itoa(run))
		ix, err := index.Open(path, index.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; i < len(d.arts); i += batch {
			if err := ix.Write(d.arts[i:min(i+batch, len(d.arts))]); err != nil {
				b.Fatal(err)
			}
		}
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		removeIndex(b, path)
	}
	report(b, len(d.docs), d.bytes)
}

// BenchmarkIngestVsSplit sets the whole ingest (as `redline ingest` runs
// it: duplicate detection on, one worker per core, a fresh index on disk)
// beside sentence splitting alone over the same file on the same cores: the
// corpus reader, the text stage (which makes the blocks the splitter reads)
// and Punkt, on one goroutine per core. The two alternate within each
// iteration, so that both see the same machine load; it reports both
// speeds and their ratio (ingest/split; the goal is at least 0.5), and the
// CPU time an ingest takes and the cores it keeps busy on average (CPU
// time over wall time; GOMAXPROCS at most): an ingest that keeps every core
// busy is only made faster by taking less CPU time.
func BenchmarkIngestVsSplit(b *testing.B) {
	d := loadBench(b)
	// As redline ingest runs (GOGC unset): the floor gets the same setting.
	defer debug.SetGCPercent(debug.SetGCPercent(GCPercent))
	ex, err := extract.NewExtractor(nil)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var splitTime, ingestTime, ingestCPU time.Duration
	cpuKnown := true
	var sum Summary
	run := 0
	for b.Loop() {
		run++
		t0 := time.Now()
		if err := splitAll(d.paths, ex.Splitter(), runtime.GOMAXPROCS(0)); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		c1, ok1 := cpuTime()
		path := filepath.Join(dir, strconv.Itoa(run))
		sum = ingestOnce(b, d.paths, ex, path, true)
		c2, ok2 := cpuTime()
		splitTime += t1.Sub(t0)
		ingestTime += time.Since(t1)
		ingestCPU += c2 - c1
		cpuKnown = cpuKnown && ok1 && ok2
		removeIndex(b, path)
	}
	mb := float64(d.bytes) * float64(run) / 1e6
	b.ReportMetric(mb/splitTime.Seconds(), "split-MB/s")
	b.ReportMetric(mb/ingestTime.Seconds(), "ingest-MB/s")
	b.ReportMetric(splitTime.Seconds()/ingestTime.Seconds(), "ratio")
	b.ReportMetric(float64(sum.Claims), "claims/run")
	if cpuKnown {
		b.ReportMetric(ingestCPU.Seconds()/float64(run), "ingest-cpu-s/run")
		b.ReportMetric(ingestCPU.Seconds()/ingestTime.Seconds(), "ingest-cores")
	}
}

// ingestOnce ingests paths into a fresh index at path, as redline ingest
// does (the caller removes the index).
func ingestOnce(b *testing.B, paths []string, ex Extractor, path string, dedup bool) Summary {
	b.Helper()
	src, err := corpus.Open(paths, corpus.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	ix, err := index.Open(path, index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	sum, err := Run(context.Background(), src, ex, ix, Options{Version: "bench", Dedup: dedup})
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		b.Fatal(err)
	}
	return sum
}

// splitAll reads every document of paths, makes its text and splits it into
// sentences on the given number of goroutines.
func splitAll(paths []string, sp *extract.Splitter, workers int) error {
	src, err := corpus.Open(paths, corpus.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	g, ctx := errgroup.WithContext(context.Background())
	docs := make(chan corpus.Document, workers*4)
	g.Go(func() error {
		defer close(docs)
		for {
			doc, err := src.Next(ctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			var ie *corpus.InputError
			if errors.As(err, &ie) {
				continue
			}
			if err != nil {
				return err
			}
			select {
			case docs <- doc:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})
	for range workers {
		g.Go(func() error {
			for doc := range docs {
				a, err := extract.Text(doc)
				if err != nil {
					continue // no text: ingest counts it as failed and goes on
				}
				sp.Split(a)
			}
			return nil
		})
	}
	return g.Wait()
}
