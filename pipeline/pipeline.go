// Package pipeline runs the ingest stages concurrently. Run wires named
// stages, each in stages.go with its own tests and benchmark:
//
//	read     the Source's documents, in order, numbered (one goroutine)
//	extract  text, sentences and claims of each (one goroutine per core)
//	order    the results back in source order (one goroutine, which also runs
//	dedup    duplicate detection, package dedup, and
//	batch    the grouping of articles into index batches)
//	commit   each batch to the Writer (one goroutine)
//
// Run owns every goroutine it starts, in one errgroup; none outlives it.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"redline/corpus"
	"redline/extract"
	"redline/index"
)

// Source yields documents; io.EOF ends it. An error that wraps
// *corpus.InputError is one bad document: Run records it and goes on. Any
// other error stops the run.
type Source interface {
	Next(ctx context.Context) (corpus.Document, error)
}

// Runner is implemented by a Source that works in the background, such as
// *corpus.Inputs fetching URLs: Run calls its Run in the run's errgroup,
// beside the stages, and cancels its context when the run ends, so none of
// its goroutines outlives Run. Its Run returns nil when its context ends.
type Runner interface {
	Run(ctx context.Context) error
}

// Extractor turns one document into its claims and resolves its metadata
// (Result.Title, Outlet, URL, Published), which the article is written
// with. It must be safe for concurrent use. An error is one bad document,
// recorded and skipped.
type Extractor interface {
	Extract(doc corpus.Document) (extract.Result, error)
}

// Writer stores results. Unchanged may be called from many goroutines at
// once; Write is called from one goroutine only. A Write error stops the run.
type Writer interface {
	Unchanged(docID, hash string) (bool, error)
	Write(arts []index.Article) error
}

// GCPercent is the garbage collector's target that redline ingest runs
// with when the GOGC environment variable does not set one: a run keeps a
// bounded window of articles in memory whatever the corpus size, so three
// times the default trades a fixed ~100 MB for about a fifth less CPU
// (measured over bulk.jsonl: 150 MB and 2.0-3.1 CPU-s at 100, 220-260 MB
// and 1.8-2.2 CPU-s at 300). GOMEMLIMIT caps the heap where memory is short.
const GCPercent = 300

// Options tune a run; the zero value means the defaults.
type Options struct {
	// Workers is the number of extraction goroutines; default GOMAXPROCS.
	Workers int
	// BatchSize is the number of articles per index batch; default 256.
	BatchSize int
	// Version is mixed into each article's hash, so that a change of lexicon
	// or extractor re-extracts documents that are otherwise unchanged.
	Version string
	// OnError is called for every document that could not be read or
	// extracted, in source order, one call at a time.
	OnError func(DocError)
	// OnBadDate is called for every document whose publication date was
	// given but not understood (see BadDate), in source order, one call
	// at a time. Such a document is still extracted and indexed, undated.
	OnBadDate func(BadDate)
	// Progress is called with the counts so far at most every
	// ProgressEvery (default 200ms), one call at a time.
	Progress      func(Summary)
	ProgressEvery time.Duration
	// Force re-extracts documents even when the index holds them unchanged.
	Force bool
	// Dedup detects duplicates (see package dedup): an exact copy of the main
	// text of an article already indexed or read earlier in the run is
	// skipped and counted in Summary.Duplicates; a near-duplicate is
	// indexed in the cluster of the article it copies (index.Article.Cluster),
	// so that it does not count as an independent source. When the Writer
	// is also a dedup.Finder, articles of earlier runs are found too.
	// Documents are then handled in the order the source yields them,
	// whatever the number of workers, so the decisions are deterministic.
	Dedup bool
}

// DocError is one document that failed: Input names it (file, file:line, or
// the document's source) and Err says why.
type DocError struct {
	Input string
	Err   error
}

// BadDate is a document whose publication date was present but could not
// be understood: its dump record's "published", its WARC-Date, or (when it
// has no date otherwise) the date its page declares. Input is the
// document's source, DocID its id and Value the date as given (its first
// 100 bytes and "…" when longer).
type BadDate struct {
	Input, DocID, Value string
}

// Summary counts what a run did. Bytes is the size of the documents' raw text
// or HTML.
type Summary struct {
	Read           int // documents read (including failed, unchanged and duplicate ones)
	Failed         int // documents that could not be read or had no text
	Unchanged      int // documents the index already held with the same content
	Duplicates     int // exact copies skipped, neither indexed nor failed: a later document with an id made from the same content (corpus.Document.IDFromContent), and with Options.Dedup a copy of another article's text
	Indexed        int // documents written to the index
	NearDuplicates int // of them, copies put in an earlier article's cluster (Options.Dedup)
	Claims         int // claims written
	BadDates       int // documents whose published date was given but not understood (see BadDate)
	Bytes          int64
	Elapsed        time.Duration
}

// DocsPerSec is the throughput in documents read per second.
func (s Summary) DocsPerSec() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Read) / s.Elapsed.Seconds()
}

// MBPerSec is the throughput in megabytes (10^6 bytes) of input per second.
func (s Summary) MBPerSec() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Bytes) / 1e6 / s.Elapsed.Seconds()
}

// Run reads every document of src, extracts it and writes its claims with w,
// in batches. It returns when the source is exhausted, on the first fatal
// error, or when ctx is cancelled; in the last case the documents already
// extracted are still written, and the error is ctx.Err().
func Run(ctx context.Context, src Source, ex Extractor, w Writer, opts Options) (Summary, error) {
	opts = opts.withDefaults()
	start := time.Now()
	// stop ends the run early: the parent's cancellation, the first fatal
	// error (errgroup cancels gctx) or a Write error (the commit stage
	// calls stop, since it keeps draining batches and returns only at the
	// end).
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	g, gctx := errgroup.WithContext(runCtx)

	var incomplete atomic.Bool
	// The window holds a whole batch beyond the workers' own: while the
	// commit stage writes one batch (and the order stage waits for it,
	// see newOrderer), the workers extract the next instead of idling.
	window := max(opts.Workers*16, 64) + opts.BatchSize
	rd := &reader{src: src, window: make(chan struct{}, window), incomplete: &incomplete}
	cm := &committer{w: w, stop: stop}
	ord := newOrderer(opts, w, cm, start)
	jobs := make(chan job, opts.Workers*4)
	// results has room for the whole window: the order stage does not
	// receive while it waits for a batch to be written, and with a few
	// slots only the workers stopped after a few documents, so that
	// extracting and indexing took turns instead of overlapping. The
	// window still bounds what is in flight (a worker never blocks here).
	results := make(chan result, window)
	batches := make(chan batch)

	if r, ok := src.(Runner); ok {
		g.Go(func() error { return r.Run(gctx) })
	}
	g.Go(func() error { return rd.run(gctx, jobs) })
	var workers sync.WaitGroup
	for range opts.Workers {
		workers.Add(1)
		g.Go(func() error {
			defer workers.Done()
			extractAll(gctx, jobs, results, ex, w, opts, &incomplete)
			return nil
		})
	}
	g.Go(func() error {
		workers.Wait()
		close(results)
		return nil
	})
	g.Go(func() error { return ord.run(results, rd.window, batches) })
	g.Go(func() error { return cm.run(batches) })

	err := g.Wait()
	sum := ord.sum
	sum.Indexed, sum.Claims = int(cm.indexed.Load()), int(cm.claims.Load())
	sum.Elapsed = time.Since(start)
	if ctx.Err() != nil && (err != nil || incomplete.Load()) {
		return sum, ctx.Err()
	}
	return sum, err
}

// withDefaults fills in the defaults of the zero fields.
func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 256
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = 200 * time.Millisecond
	}
	return o
}

// Hash fingerprints a document's content and metadata together with a
// version string, so a re-run can skip what the index holds unchanged.
func Hash(doc corpus.Document, version string) string {
	h := sha256.New()
	var n []byte
	for _, s := range []string{version, doc.ID, doc.Source, doc.URL, doc.Title, doc.Outlet, doc.Published.UTC().Format(time.RFC3339), doc.Text, doc.HTML} {
		// "len:s", written without copying s (a page may be megabytes).
		n = strconv.AppendInt(n[:0], int64(len(s)), 10)
		h.Write(append(n, ':'))
		io.WriteString(h, s)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
