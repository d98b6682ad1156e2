package pipeline

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"redline/corpus"
	"redline/extract"
)

// Extracted is one document of ExtractEach: the document and its result,
// or the error that made it unreadable (wrapping *corpus.InputError) or
// left it without claims (an Extractor error).
type Extracted struct {
	Doc    corpus.Document
	Result extract.Result
	Err    error
}

// ExtractEach runs the read and extract stages of Run without an index:
// it extracts every document of src (running it first if it is a Runner)
// on workers goroutines (0 means
// GOMAXPROCS) and calls fn with each, in source order, from one goroutine.
// An error from fn, a fatal source error or ctx's cancellation stops it
// and is returned.
func ExtractEach(ctx context.Context, src Source, ex Extractor, workers int, fn func(Extracted) error) error {
	opts := Options{Workers: workers}.withDefaults()
	// stop ends the run when fn fails: the consumer goes on draining the
	// results, so it returns only at the end, and errgroup alone would not
	// cancel the reader before then.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	g, gctx := errgroup.WithContext(runCtx)
	var incomplete atomic.Bool
	rd := &reader{src: src, window: make(chan struct{}, max(opts.Workers*16, 64)), incomplete: &incomplete}
	jobs := make(chan job, opts.Workers*4)
	type done struct {
		seq int
		Extracted
	}
	results := make(chan done, opts.Workers*4)

	if r, ok := src.(Runner); ok {
		g.Go(func() error { return r.Run(gctx) })
	}
	g.Go(func() error { return rd.run(gctx, jobs) })
	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		g.Go(func() error {
			defer wg.Done()
			for j := range jobs {
				d := done{seq: j.seq, Extracted: Extracted{Doc: j.doc, Err: j.err}}
				if j.err == nil && gctx.Err() == nil {
					d.Result, d.Err = extractSafely(ex, j.doc)
				}
				// The consumer below drains results to the end.
				results <- d
			}
			return nil
		})
	}
	g.Go(func() error {
		wg.Wait()
		close(results)
		return nil
	})
	g.Go(func() error {
		var ferr error
		inOrder(results, func(d done) int { return d.seq }, rd.window, func(d done) {
			if ferr == nil && gctx.Err() == nil {
				if ferr = fn(d.Extracted); ferr != nil {
					stop()
				}
			}
		})
		// Results left behind a gap, which only a stopped run leaves,
		// are not handed on.
		return ferr
	})
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// extractSafely is ex.Extract with a panic turned into the document's
// error, as in Run.
func extractSafely(ex Extractor, doc corpus.Document) (res extract.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error while extracting: %v", p)
		}
	}()
	return ex.Extract(doc)
}
