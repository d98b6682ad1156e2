// Package pipeline runs the ingest stages concurrently: one reader, a pool of
// extraction workers (text, sentences, claims) and one batched index writer.
// Run owns every goroutine it starts; none outlives it.
package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
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
	// extracted, one call at a time, from the writer goroutine.
	OnError func(DocError)
	// Progress is called with the counts so far at most every
	// ProgressEvery (default 200ms), one call at a time.
	Progress      func(Summary)
	ProgressEvery time.Duration
	// Force re-extracts documents even when the index holds them unchanged.
	Force bool
	// Dedup detects duplicates (see dedup.go): an exact copy of the main
	// text of an article already indexed or read earlier in the run is
	// skipped and counted in Summary.Duplicates; a near-duplicate is
	// indexed in the cluster of the article it copies (index.Article.Cluster),
	// so that it does not count as an independent source. When the Writer
	// is also a DuplicateFinder, articles of earlier runs are found too.
	// Documents are then handled in the order the source yields them,
	// whatever the number of workers, so the decisions are deterministic.
	Dedup bool
}

// DuplicateFinder is implemented by a Writer that can find the articles it
// stored earlier by fingerprint (*index.Index does). Run calls it from the
// writer goroutine only, before the Write of the article's batch.
type DuplicateFinder interface {
	Duplicates(textHash string, bands []string, limit int) ([]index.Candidate, error)
}

// DocError is one document that failed: Input names it (file, file:line, or
// the document's source) and Err says why.
type DocError struct {
	Input string
	Err   error
}

// Summary counts what a run did. Bytes is the size of the documents' raw text
// or HTML.
type Summary struct {
	Read           int // documents read (including failed, unchanged and duplicate ones)
	Failed         int // documents that could not be read or had no text
	Unchanged      int // documents the index already held with the same content
	Duplicates     int // exact copies skipped (Options.Dedup): neither indexed nor failed
	Indexed        int // documents written to the index
	NearDuplicates int // of them, copies put in an earlier article's cluster (Options.Dedup)
	Claims         int // claims written
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

// job is one document (or input error) and its position in the source.
type job struct {
	seq int
	doc corpus.Document
	err error
}

type result struct {
	seq       int
	art       index.Article
	unchanged bool
	bytes     int64
	err       *DocError
	sketch    Sketch // with Options.Dedup
}

// Run reads every document of src, extracts it and writes its claims with w,
// in batches. It returns when the source is exhausted, on the first fatal
// error, or when ctx is cancelled; in the last case the documents already
// extracted are still written, and the error is ctx.Err().
func Run(ctx context.Context, src Source, ex Extractor, w Writer, opts Options) (Summary, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batchSize := opts.BatchSize
	if batchSize <= 0 {
		batchSize = 256
	}
	every := opts.ProgressEvery
	if every <= 0 {
		every = 200 * time.Millisecond
	}
	start := time.Now()
	var sum Summary

	// stop ends the run early: the parent's cancellation, the first fatal
	// error (errgroup cancels gctx) or a Write error (the writer calls stop,
	// since it keeps draining results and so returns only at the end).
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	g, gctx := errgroup.WithContext(runCtx)
	jobs := make(chan job, workers*4)
	results := make(chan result, workers*4)
	// window bounds the documents in flight: the producer takes a slot per
	// job, the writer frees it when it handles the result in source order,
	// so results that arrive early wait in a buffer of at most this size.
	window := make(chan struct{}, max(workers*16, 64))
	// incomplete records that documents were left unread or unprocessed
	// because the run was stopped.
	var incomplete atomic.Bool

	if r, ok := src.(Runner); ok {
		g.Go(func() error { return r.Run(gctx) })
	}

	// Producer: the only sender on jobs, which it closes. It returns an
	// error only for a fatal source error; when the run is stopped it just
	// stops, so that the error that stopped it is the one Run returns.
	g.Go(func() error {
		defer close(jobs)
		for seq := 0; ; seq++ {
			select {
			case window <- struct{}{}:
			case <-gctx.Done():
				incomplete.Store(true)
				return nil
			}
			doc, err := src.Next(gctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if gctx.Err() != nil {
				incomplete.Store(true)
				return nil
			}
			var ie *corpus.InputError
			if err != nil && !errors.As(err, &ie) {
				return err
			}
			select {
			case jobs <- job{seq: seq, doc: doc, err: err}:
			case <-gctx.Done():
				incomplete.Store(true)
				return nil
			}
		}
	})

	// Workers: the only senders on results, closed when all are done. Every
	// result is sent, since the writer drains results to the end; once the
	// run is stopped the jobs left are drained without being processed.
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for j := range jobs {
				if gctx.Err() != nil {
					incomplete.Store(true)
					continue
				}
				results <- process(j, ex, w, opts)
			}
			return nil
		})
	}
	g.Go(func() error {
		wg.Wait()
		close(results)
		return nil
	})

	// Writer: handles results in source order, batches them and owns the
	// summary and the duplicate detection. It reads results until the
	// channel is closed, even when the run is stopped, so that every
	// document already extracted is written (unless a Write failed).
	g.Go(func() error {
		var batch []index.Article
		var batchClaims int
		var werr error
		var dd *dedup
		if opts.Dedup {
			dd = newDedup(w)
		}
		flush := func() {
			if len(batch) == 0 || werr != nil {
				return
			}
			if err := w.Write(batch); err != nil {
				werr = fmt.Errorf("writing index: %w", err)
				stop()
				return
			}
			sum.Indexed += len(batch)
			sum.Claims += batchClaims
			// A new slice: the Writer may keep the one it was given.
			batch, batchClaims = nil, 0
			if dd != nil {
				dd.written()
			}
		}
		last := time.Now()
		handle := func(r result) {
			if werr != nil {
				return // the run is over
			}
			sum.Read++
			sum.Bytes += r.bytes
			switch {
			case r.err != nil:
				sum.Failed++
				if opts.OnError != nil {
					opts.OnError(*r.err)
				}
			case r.unchanged:
				sum.Unchanged++
			default:
				if dd != nil {
					dup, err := dd.check(&r.art, r.sketch)
					if err != nil {
						werr = fmt.Errorf("finding duplicates: %w", err)
						stop()
						return
					}
					if dup {
						sum.Duplicates++
						break
					}
					if r.art.Cluster != r.art.DocID {
						sum.NearDuplicates++
					}
				}
				batch = append(batch, r.art)
				batchClaims += len(r.art.Claims)
				if len(batch) >= batchSize {
					flush()
				}
			}
			if opts.Progress != nil && werr == nil && time.Since(last) >= every {
				last = time.Now()
				s := sum
				s.Elapsed = time.Since(start)
				opts.Progress(s)
			}
		}
		early := map[int]result{} // results ahead of the next in order
		next := 0
		for r := range results {
			early[r.seq] = r
			for {
				r, ok := early[next]
				if !ok {
					break
				}
				delete(early, next)
				next++
				<-window
				handle(r)
			}
		}
		// A stopped run leaves gaps (jobs drained unprocessed): handle the
		// rest in order.
		for _, seq := range slices.Sorted(maps.Keys(early)) {
			handle(early[seq])
		}
		flush()
		return werr
	})

	err := g.Wait()
	sum.Elapsed = time.Since(start)
	if ctx.Err() != nil && (err != nil || incomplete.Load()) {
		return sum, ctx.Err()
	}
	return sum, err
}

// process extracts one document, or finds that the index holds it already.
// A panic while extracting is that document's error, not the run's: one
// pathological article must not stop a batch of millions.
func process(j job, ex Extractor, w Writer, opts Options) (r result) {
	defer func() {
		if p := recover(); p != nil {
			r = result{seq: j.seq, bytes: r.bytes, err: &DocError{Input: j.doc.Source, Err: fmt.Errorf("internal error while extracting: %v", p)}}
		}
	}()
	if j.err != nil {
		var ie *corpus.InputError
		input := ""
		if errors.As(j.err, &ie) {
			input = ie.Input
			if ie.Line > 0 {
				input = fmt.Sprintf("%s:%d", ie.Input, ie.Line)
			}
		}
		return result{seq: j.seq, err: &DocError{Input: input, Err: j.err}}
	}
	doc := j.doc
	r.seq = j.seq
	r.bytes = int64(len(doc.Text) + len(doc.HTML))
	hash := Hash(doc, opts.Version)
	if !opts.Force {
		same, err := w.Unchanged(doc.ID, hash)
		if err == nil && same {
			r.unchanged = true
			return r
		}
	}
	res, err := ex.Extract(doc)
	if err != nil {
		r.err = &DocError{Input: doc.Source, Err: err}
		return r
	}
	r.art = index.Article{
		DocID:      doc.ID,
		Source:     doc.Source,
		URL:        res.URL,
		Title:      res.Title,
		Outlet:     res.Outlet,
		Published:  res.Published,
		Hash:       hash,
		Claims:     res.Claims,
		Lang:       res.Article.Lang,
		NotEnglish: res.NotEnglish,
		// The text the claims' offsets point into, kept for reading the
		// claims in place (the article view).
		Text: res.Article.Text,
	}
	// An article the index would refuse is this document's error; given to
	// Write it would fail the whole batch and stop the run.
	if err := r.art.Validate(); err != nil {
		return result{seq: j.seq, bytes: r.bytes, err: &DocError{Input: doc.Source, Err: err}}
	}
	if opts.Dedup {
		r.sketch = SketchArticle(res.Article)
	}
	return r
}

// Hash fingerprints a document's content and metadata together with a
// version string, so a re-run can skip what the index holds unchanged.
func Hash(doc corpus.Document, version string) string {
	h := sha256.New()
	for _, s := range []string{version, doc.ID, doc.Source, doc.URL, doc.Title, doc.Outlet, doc.Published.UTC().Format(time.RFC3339), doc.Text, doc.HTML} {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
