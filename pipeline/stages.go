package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"redline/corpus"
	"redline/dedup"
	"redline/index"
)

// job is one document (or input error) and its position in the source.
type job struct {
	seq int
	doc corpus.Document
	err error
}

// result is what the extract stage made of one job.
type result struct {
	seq       int
	art       index.Article
	unchanged bool
	bytes     int64
	err       *DocError
	sketch    dedup.Sketch // with Options.Dedup
	badDate   *BadDate     // a published date given but not understood
	// copyOf is the document's id when it was made from its content
	// (corpus.Document.IDFromContent), for the order stage to tell a later
	// copy of a document of this run; "" otherwise.
	copyOf string
}

// reader is the read stage: the only sender on jobs, which it closes.
type reader struct {
	src Source
	// window bounds the documents in flight: the reader takes a slot per
	// job, the order stage frees it when it handles the result in source
	// order, so results that arrive early wait in a buffer of at most this
	// size.
	window chan struct{}
	// incomplete records that documents were left unread or unprocessed
	// because the run was stopped.
	incomplete *atomic.Bool
}

// run sends every document of the source, numbered, on jobs. It returns an
// error only for a fatal source error; when the run is stopped it just
// stops, so that the error that stopped it is the one Run returns.
func (rd *reader) run(ctx context.Context, jobs chan<- job) error {
	defer close(jobs)
	for seq := 0; ; seq++ {
		select {
		case rd.window <- struct{}{}:
		case <-ctx.Done():
			rd.incomplete.Store(true)
			return nil
		}
		doc, err := rd.src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if ctx.Err() != nil {
			rd.incomplete.Store(true)
			return nil
		}
		var ie *corpus.InputError
		if err != nil && !errors.As(err, &ie) {
			return err
		}
		select {
		case jobs <- job{seq: seq, doc: doc, err: err}:
		case <-ctx.Done():
			rd.incomplete.Store(true)
			return nil
		}
	}
}

// extractAll is one worker of the extract stage. It sends a result for
// every job, since the order stage drains results to the end; once the run
// is stopped the jobs left are drained without being processed.
func extractAll(ctx context.Context, jobs <-chan job, results chan<- result, ex Extractor, w Writer, opts Options, incomplete *atomic.Bool) {
	for j := range jobs {
		if ctx.Err() != nil {
			incomplete.Store(true)
			continue
		}
		results <- process(j, ex, w, opts)
	}
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
	if doc.IDFromContent {
		r.copyOf = doc.ID
	}
	hash := Hash(doc, opts.Version)
	if !opts.Force {
		same, err := w.Unchanged(doc.ID, hash)
		if err == nil && same {
			r.unchanged = true
			// The document's own bad date is still this run's to
			// report; a page's is known only after extraction.
			r.badDate = badDate(doc, doc.BadPublished)
			return r
		}
	}
	res, err := ex.Extract(doc)
	if err != nil {
		r.err = &DocError{Input: doc.Source, Err: err}
		return r
	}
	r.badDate = badDate(doc, res.BadPublished)
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
		r.sketch = dedup.SketchArticle(res.Article)
	}
	return r
}

// badDate is the BadDate of doc for the value bad, or nil when bad is "".
func badDate(doc corpus.Document, bad string) *BadDate {
	if bad == "" {
		return nil
	}
	// A "date" can be any text (a whole JSON object in a dump): the
	// warning shows enough of it to find it.
	const most = 100
	if len(bad) > most {
		cut := most
		for cut > 0 && !utf8.RuneStart(bad[cut]) {
			cut--
		}
		bad = bad[:cut] + "…"
	}
	return &BadDate{Input: doc.Source, DocID: doc.ID, Value: bad}
}

// batch is one group of articles for the commit stage. done, when set, is
// closed once the batch is written or given up.
type batch struct {
	arts   []index.Article
	claims int
	done   chan struct{}
}

// batcher is the batch stage: it groups articles into batches of size.
type batcher struct {
	size int
	cur  batch
}

// add adds an article and reports whether the batch is full.
func (b *batcher) add(a index.Article) bool {
	b.cur.arts = append(b.cur.arts, a)
	b.cur.claims += len(a.Claims)
	return len(b.cur.arts) >= b.size
}

// take returns the batch so far and starts a new one; ok is false when it
// is empty. The new batch has a new slice: the Writer may keep the old one.
func (b *batcher) take() (bt batch, ok bool) {
	bt, b.cur = b.cur, batch{}
	return bt, len(bt.arts) > 0
}

// committer is the commit stage: it writes each batch with w, one at a
// time, and counts what was written.
type committer struct {
	w       Writer
	stop    context.CancelFunc
	failed  atomic.Bool
	indexed atomic.Int64
	claims  atomic.Int64
}

// run writes the batches until the channel is closed. It drains them all,
// even after a Write failed (which stops the run), so that no sender
// blocks; the batches after a failure are given up.
func (c *committer) run(batches <-chan batch) error {
	var werr error
	for b := range batches {
		if werr == nil {
			if err := c.w.Write(b.arts); err != nil {
				werr = fmt.Errorf("writing index: %w", err)
				c.failed.Store(true)
				c.stop()
			} else {
				c.indexed.Add(int64(len(b.arts)))
				c.claims.Add(int64(b.claims))
			}
		}
		if b.done != nil {
			close(b.done)
		}
	}
	return werr
}

// orderer is the order stage, which runs the dedup and batch stages too:
// it handles the results in source order, owns the summary's counts of
// documents and calls OnError and Progress.
type orderer struct {
	opts  Options
	dd    *dedup.Detector // with Options.Dedup
	wait  bool            // wait for each batch to be written (dd reads the index)
	bt    batcher
	cm    *committer
	sum   Summary
	start time.Time
	last  time.Time
	err   error // the first fatal error of the stage

	// ids holds the ids made from content (see result.copyOf) of the
	// documents of this run that are indexed or unchanged: a later document
	// with one of them is a copy (two files with the same text), skipped
	// so that the first stays indexed, as the first record with an id of a
	// dump does. Without it both were written, each replacing the other on
	// every run, and the summary counted both. One entry a document: some
	// 50 MB a million.
	ids map[string]struct{}
}

func newOrderer(opts Options, w Writer, cm *committer, start time.Time) *orderer {
	o := &orderer{opts: opts, bt: batcher{size: opts.BatchSize}, cm: cm, ids: map[string]struct{}{}, start: start, last: start}
	if opts.Dedup {
		f, _ := w.(dedup.Finder)
		o.dd = dedup.New(f)
		// The detector asks the index about the articles written
		// before: a batch still being written would be seen or not
		// depending on timing, so with a Finder each batch is waited
		// for, and the decisions do not depend on the machine's speed.
		o.wait = f != nil
	}
	return o
}

// run reads results until the channel is closed, even when the run is
// stopped, so that every document already extracted is committed (unless
// a Write failed); it closes batches at the end.
func (o *orderer) run(results <-chan result, window <-chan struct{}, batches chan<- batch) error {
	defer close(batches)
	flush := func() {
		b, ok := o.bt.take()
		if !ok || o.err != nil || o.cm.failed.Load() {
			return
		}
		if o.wait {
			b.done = make(chan struct{})
		}
		batches <- b
		if o.dd != nil {
			o.dd.Flush()
		}
		if b.done != nil {
			<-b.done
			o.dd.Written()
		}
	}
	handle := func(r result) {
		if o.handle(r) {
			flush()
		}
	}
	// A stopped run leaves gaps (jobs drained unprocessed): handle the
	// rest in order.
	for _, r := range inOrder(results, func(r result) int { return r.seq }, window, handle) {
		handle(r)
	}
	flush()
	return o.err
}

// handle counts one result, checks it for duplicates and adds it to the
// batch; it reports whether the batch is full.
func (o *orderer) handle(r result) (full bool) {
	if o.err != nil || o.cm.failed.Load() {
		return false // the run is over
	}
	o.sum.Read++
	o.sum.Bytes += r.bytes
	if r.badDate != nil {
		o.sum.BadDates++
		if o.opts.OnBadDate != nil {
			o.opts.OnBadDate(*r.badDate)
		}
	}
	switch {
	case r.err != nil:
		o.sum.Failed++
		if o.opts.OnError != nil {
			o.opts.OnError(*r.err)
		}
	case r.copyOf != "" && o.seen(r.copyOf):
		o.sum.Duplicates++
	case r.unchanged:
		o.sum.Unchanged++
		o.first(r)
	default:
		if o.dd != nil {
			dup, err := o.dd.Check(&r.art, r.sketch)
			if err != nil {
				o.err = fmt.Errorf("finding duplicates: %w", err)
				o.cm.stop()
				return false
			}
			if dup {
				o.sum.Duplicates++
				break
			}
			if r.art.Cluster != r.art.DocID {
				o.sum.NearDuplicates++
			}
		}
		o.first(r)
		full = o.bt.add(r.art)
	}
	if o.opts.Progress != nil && time.Since(o.last) >= o.opts.ProgressEvery {
		o.last = time.Now()
		s := o.sum
		s.Indexed, s.Claims = int(o.cm.indexed.Load()), int(o.cm.claims.Load())
		s.Elapsed = time.Since(o.start)
		o.opts.Progress(s)
	}
	return full
}

// seen reports whether a document of this run with the content id id was
// indexed or unchanged (see orderer.ids).
func (o *orderer) seen(id string) bool {
	_, ok := o.ids[id]
	return ok
}

// first records that the document of r, indexed or unchanged, is the first
// with its id in this run (see orderer.ids).
func (o *orderer) first(r result) {
	if r.copyOf != "" {
		o.ids[r.copyOf] = struct{}{}
	}
}

// inOrder hands the values of results to fn in the order of their seq
// numbers (0, 1, 2, …), however they arrive, taking a window slot back for
// each, and returns those left behind a gap when results is closed (only a
// stopped run leaves one), in seq order. Values that arrive early wait in a
// buffer the window bounds.
func inOrder[T any](results <-chan T, seq func(T) int, window <-chan struct{}, fn func(T)) []T {
	early := map[int]T{} // values ahead of the next in order
	next := 0
	for v := range results {
		early[seq(v)] = v
		for {
			v, ok := early[next]
			if !ok {
				break
			}
			delete(early, next)
			next++
			<-window
			fn(v)
		}
	}
	left := make([]T, 0, len(early))
	for _, s := range slices.Sorted(maps.Keys(early)) {
		left = append(left, early[s])
	}
	return left
}
