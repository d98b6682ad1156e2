package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"redline/claim"
	"redline/corpus"
	"redline/extract"
	"redline/index"
)

// item is one answer of a fakeSource: a document or an error.
type item struct {
	doc corpus.Document
	err error
}

// fakeSource yields its items in order, then io.EOF. Like corpus.Reader it
// returns ctx.Err() once ctx is done. When infinite is set it makes up
// documents forever after its items.
type fakeSource struct {
	items    []item
	infinite bool
	n        int
}

func (s *fakeSource) Next(ctx context.Context) (corpus.Document, error) {
	if err := ctx.Err(); err != nil {
		return corpus.Document{}, err
	}
	if s.n < len(s.items) {
		it := s.items[s.n]
		s.n++
		return it.doc, it.err
	}
	if s.infinite {
		s.n++
		return doc(fmt.Sprintf("gen%06d", s.n), "generated text"), nil
	}
	return corpus.Document{}, io.EOF
}

func doc(id, text string) corpus.Document {
	return corpus.Document{ID: id, Source: id + ".txt", Text: text}
}

func docs(n int) []item {
	items := make([]item, n)
	for i := range items {
		items[i] = item{doc: doc(fmt.Sprintf("d%04d", i), strings.Repeat("x", i%7+1))}
	}
	return items
}

// fakeExtractor makes len(doc.Text)%3 claims per document, fails documents
// whose text is "fail" and panics on "panic". It records every document it
// extracted successfully and may run a hook (under its lock) on each.
type fakeExtractor struct {
	delay time.Duration
	hook  func(n int) // called with the count of successful extractions

	mu        sync.Mutex
	extracted []string
}

func (e *fakeExtractor) Extract(d corpus.Document) (extract.Result, error) {
	if e.delay > 0 {
		time.Sleep(e.delay)
	}
	switch d.Text {
	case "fail":
		return extract.Result{}, fmt.Errorf("%w: nothing here", extract.ErrNoText)
	case "panic":
		var m map[string]int
		//lint:ignore SA5000 a nil-map write, like a real bug would
		m["boom"]++
	}
	// Like the real extractor, the result carries the document's metadata.
	res := extract.Result{Title: d.Title, Outlet: d.Outlet, URL: d.URL}
	if !d.Published.IsZero() {
		res.Published = d.Published.UTC().Format("2006-01-02")
	}
	res.Article.Text = d.Text
	for i := range len(d.Text) % 3 {
		res.Claims = append(res.Claims, claim.Claim{DocID: d.ID, Start: i, End: i + 1, Party: "russia", Kind: claim.Demand})
	}
	if d.Text == "bad date" { // a claim the index refuses
		res.Claims = append(res.Claims, claim.Claim{DocID: d.ID, Published: "24 Feb 2022", Party: "russia", Kind: claim.Demand})
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.extracted = append(e.extracted, d.ID)
	if e.hook != nil {
		e.hook(len(e.extracted))
	}
	return res, nil
}

func (e *fakeExtractor) ids() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.extracted)
}

// fakeWriter records every Write (copying the batch, so a reused slice
// cannot fool it) and holds the documents listed in held as unchanged.
type fakeWriter struct {
	held    map[string]string // doc id -> hash
	failOn  int               // the 1-based Write call that fails; 0 = none
	failErr error

	mu      sync.Mutex
	batches [][]index.Article
	calls   int
}

func (w *fakeWriter) Unchanged(docID, hash string) (bool, error) {
	h, ok := w.held[docID] // held is only read once Run has started
	return ok && h == hash, nil
}

func (w *fakeWriter) Write(arts []index.Article) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls++
	if w.calls == w.failOn {
		return w.failErr
	}
	for i := range arts { // as index.Write does
		if err := arts[i].Validate(); err != nil {
			return err
		}
	}
	w.batches = append(w.batches, slices.Clone(arts))
	return nil
}

func (w *fakeWriter) written() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var ids []string
	for _, b := range w.batches {
		for _, a := range b {
			ids = append(ids, a.DocID)
		}
	}
	return ids
}

func (w *fakeWriter) claims() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, b := range w.batches {
		for _, a := range b {
			n += len(a.Claims)
		}
	}
	return n
}

// errorLog collects OnError calls; Run promises one call at a time, so it
// takes no lock and -race checks the promise.
type errorLog struct{ errs []DocError }

func (l *errorLog) add(de DocError) { l.errs = append(l.errs, de) }

func (l *errorLog) inputs() []string {
	var s []string
	for _, de := range l.errs {
		s = append(s, de.Input)
	}
	return s
}

func TestRunSummary(t *testing.T) {
	inputErr := &corpus.InputError{Input: "dump.jsonl", Line: 3, Err: corpus.ErrNotJSON}
	fileErr := &corpus.InputError{Input: "empty.txt", Err: corpus.ErrEmpty}
	five := docs(5)
	bytesOf := func(items []item) int64 {
		var n int64
		for _, it := range items {
			n += int64(len(it.doc.Text) + len(it.doc.HTML))
		}
		return n
	}
	claimsOf := func(items []item) int {
		n := 0
		for _, it := range items {
			n += len(it.doc.Text) % 3
		}
		return n
	}

	tests := []struct {
		name       string
		items      []item
		held       []int // indexes of items the writer holds unchanged
		force      bool
		want       Summary // Elapsed ignored
		wantErrs   []string
		wantExtrac int
	}{
		{
			name:       "all documents flow through",
			items:      five,
			want:       Summary{Read: 5, Indexed: 5, Claims: claimsOf(five), Bytes: bytesOf(five)},
			wantExtrac: 5,
		},
		{
			name:       "empty source",
			want:       Summary{},
			wantExtrac: 0,
		},
		{
			name: "input errors are counted and the run goes on",
			items: append([]item{{err: inputErr}}, append(slices.Clone(five[:2]),
				item{err: fmt.Errorf("wrapped: %w", fileErr)}, five[2])...),
			want:       Summary{Read: 5, Failed: 2, Indexed: 3, Claims: claimsOf(five[:3]), Bytes: bytesOf(five[:3])},
			wantErrs:   []string{"dump.jsonl:3", "empty.txt"},
			wantExtrac: 3,
		},
		{
			name:       "extract errors are counted and the run goes on",
			items:      append(slices.Clone(five[:2]), item{doc: doc("bad", "fail")}, five[2]),
			want:       Summary{Read: 4, Failed: 1, Indexed: 3, Claims: claimsOf(five[:3]), Bytes: bytesOf(five[:3]) + 4},
			wantErrs:   []string{"bad.txt"},
			wantExtrac: 3,
		},
		{
			name:       "an extract panic is a document error",
			items:      append(slices.Clone(five[:2]), item{doc: doc("boom", "panic")}, five[2]),
			want:       Summary{Read: 4, Failed: 1, Indexed: 3, Claims: claimsOf(five[:3]), Bytes: bytesOf(five[:3]) + 5},
			wantErrs:   []string{"boom.txt"},
			wantExtrac: 3,
		},
		{
			name:       "unchanged documents are skipped",
			items:      five,
			held:       []int{1, 3},
			want:       Summary{Read: 5, Unchanged: 2, Indexed: 3, Claims: claimsOf(five) - claimsOf([]item{five[1], five[3]}), Bytes: bytesOf(five)},
			wantExtrac: 3,
		},
		{
			name:       "force re-extracts unchanged documents",
			items:      five,
			held:       []int{1, 3},
			force:      true,
			want:       Summary{Read: 5, Indexed: 5, Claims: claimsOf(five), Bytes: bytesOf(five)},
			wantExtrac: 5,
		},
	}
	for _, tt := range tests {
		for _, workers := range []int{1, 4} {
			t.Run(fmt.Sprintf("%s/workers=%d", tt.name, workers), func(t *testing.T) {
				const version = "v1"
				w := &fakeWriter{held: map[string]string{}}
				for _, i := range tt.held {
					w.held[tt.items[i].doc.ID] = Hash(tt.items[i].doc, version)
				}
				// A hash made with another version never counts as unchanged.
				w.held["never"] = Hash(doc("never", "x"), "v0")
				ex := &fakeExtractor{}
				var log errorLog
				sum, err := Run(context.Background(), &fakeSource{items: tt.items}, ex, w, Options{
					Workers: workers, BatchSize: 2, Version: version, Force: tt.force, OnError: log.add,
				})
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
				if sum.Elapsed <= 0 {
					t.Errorf("Elapsed = %v, want > 0", sum.Elapsed)
				}
				sum.Elapsed = 0
				if sum != tt.want {
					t.Errorf("Summary = %+v\nwant      %+v", sum, tt.want)
				}
				got := log.inputs()
				slices.Sort(got)
				if !slices.Equal(got, tt.wantErrs) {
					t.Errorf("OnError inputs = %q, want %q", got, tt.wantErrs)
				}
				for _, de := range log.errs {
					if de.Err == nil {
						t.Errorf("DocError %q has a nil Err", de.Input)
					}
				}
				if n := len(ex.ids()); n != tt.wantExtrac {
					t.Errorf("extracted %d documents, want %d", n, tt.wantExtrac)
				}
				if n := len(w.written()); n != tt.want.Indexed {
					t.Errorf("writer got %d articles, Summary.Indexed = %d", n, tt.want.Indexed)
				}
				if n := w.claims(); n != tt.want.Claims {
					t.Errorf("writer got %d claims, Summary.Claims = %d", n, tt.want.Claims)
				}
				for _, id := range w.written() {
					if i := slices.IndexFunc(tt.held, func(i int) bool { return tt.items[i].doc.ID == id }); i >= 0 && !tt.force {
						t.Errorf("unchanged document %s was written", id)
					}
				}
			})
		}
	}
}

func TestRunDocErrorDetails(t *testing.T) {
	items := []item{
		{err: &corpus.InputError{Input: "dump.jsonl", Line: 7, Err: corpus.ErrNotJSON}},
		{doc: doc("boom", "panic")},
		{doc: doc("bad", "fail")},
	}
	var log errorLog
	_, err := Run(context.Background(), &fakeSource{items: items}, &fakeExtractor{}, &fakeWriter{}, Options{Workers: 1, OnError: log.add})
	if err != nil {
		t.Fatal(err)
	}
	byInput := map[string]error{}
	for _, de := range log.errs {
		byInput[de.Input] = de.Err
	}
	if err := byInput["dump.jsonl:7"]; !errors.Is(err, corpus.ErrNotJSON) {
		t.Errorf("dump line error = %v, want one wrapping corpus.ErrNotJSON", err)
	}
	if err := byInput["boom.txt"]; err == nil || !strings.Contains(err.Error(), "internal error") || !strings.Contains(err.Error(), "nil map") {
		t.Errorf("panic error = %v, want an internal error naming the panic", err)
	}
	if err := byInput["bad.txt"]; !errors.Is(err, extract.ErrNoText) {
		t.Errorf("extract error = %v, want one wrapping extract.ErrNoText", err)
	}
}

func TestRunArticleFields(t *testing.T) {
	pub := time.Date(2025, 5, 17, 23, 30, 0, 0, time.FixedZone("X", -3*3600))
	d := corpus.Document{ID: "a1", Source: "dump.jsonl#a1", URL: "https://example.org/a1", Title: "T", Outlet: "O", Published: pub, Text: "abcd"}
	w := &fakeWriter{}
	if _, err := Run(context.Background(), &fakeSource{items: []item{{doc: d}}}, &fakeExtractor{}, w, Options{Version: "v"}); err != nil {
		t.Fatal(err)
	}
	if len(w.batches) != 1 || len(w.batches[0]) != 1 {
		t.Fatalf("batches = %v, want one article", w.batches)
	}
	a := w.batches[0][0]
	want := index.Article{DocID: "a1", Source: "dump.jsonl#a1", URL: "https://example.org/a1", Title: "T", Outlet: "O",
		Published: "2025-05-18", Hash: Hash(d, "v")}
	a.Claims = nil
	if !equalArticle(a, want) {
		t.Errorf("article = %+v\nwant      %+v", a, want)
	}
	if Hash(d, "v") == Hash(d, "w") {
		t.Error("Hash ignores the version")
	}
	d2 := d
	d2.Text = "abce"
	if Hash(d, "v") == Hash(d2, "v") {
		t.Error("Hash ignores the text")
	}
}

func equalArticle(a, b index.Article) bool {
	return a.DocID == b.DocID && a.Source == b.Source && a.URL == b.URL && a.Title == b.Title &&
		a.Outlet == b.Outlet && a.Published == b.Published && a.Hash == b.Hash && len(a.Claims) == len(b.Claims)
}

func TestRunFatalSourceError(t *testing.T) {
	fatal := errors.New("disk on fire")
	items := append(docs(5), item{err: fatal})
	items = append(items, docs(5)...)
	w := &fakeWriter{}
	var log errorLog
	sum, err := Run(context.Background(), &fakeSource{items: items}, &fakeExtractor{}, w, Options{Workers: 2, BatchSize: 100, OnError: log.add})
	if !errors.Is(err, fatal) {
		t.Fatalf("Run error = %v, want %v", err, fatal)
	}
	if len(log.errs) != 0 {
		t.Errorf("a fatal error was reported as a document error: %v", log.errs)
	}
	if sum.Read > 5 || sum.Indexed != len(w.written()) {
		t.Errorf("Summary = %+v after 5 documents and a fatal error; writer got %d", sum, len(w.written()))
	}
}

func TestRunWriteError(t *testing.T) {
	werr := errors.New("index full")
	w := &fakeWriter{failOn: 2, failErr: werr}
	sum, err := Run(context.Background(), &fakeSource{items: docs(50)}, &fakeExtractor{}, w, Options{Workers: 2, BatchSize: 5})
	if !errors.Is(err, werr) {
		t.Fatalf("Run error = %v, want one wrapping %v", err, werr)
	}
	if w.calls != 2 {
		t.Errorf("Write called %d times, want the run to stop after the failing second call", w.calls)
	}
	if sum.Indexed != 5 {
		t.Errorf("Summary.Indexed = %d, want 5 (the first batch only)", sum.Indexed)
	}
}

func TestRunBatchSize(t *testing.T) {
	tests := []struct {
		docs, batch, wantCalls int
	}{
		{docs: 10, batch: 3, wantCalls: 4},
		{docs: 9, batch: 3, wantCalls: 3},
		{docs: 1, batch: 3, wantCalls: 1},
		{docs: 0, batch: 3, wantCalls: 0},
		{docs: 600, batch: 0, wantCalls: 3}, // default 256
		{docs: 7, batch: 1, wantCalls: 7},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d docs by %d", tt.docs, tt.batch), func(t *testing.T) {
			w := &fakeWriter{}
			sum, err := Run(context.Background(), &fakeSource{items: docs(tt.docs)}, &fakeExtractor{}, w, Options{Workers: 3, BatchSize: tt.batch})
			if err != nil {
				t.Fatal(err)
			}
			if w.calls != tt.wantCalls {
				t.Errorf("Write called %d times, want %d", w.calls, tt.wantCalls)
			}
			limit := tt.batch
			if limit == 0 {
				limit = 256
			}
			for i, b := range w.batches {
				if len(b) > limit || len(b) == 0 {
					t.Errorf("batch %d has %d articles, want 1..%d", i, len(b), limit)
				}
				if i < len(w.batches)-1 && len(b) != limit {
					t.Errorf("batch %d of %d has %d articles, want full batches of %d", i, len(w.batches), len(b), limit)
				}
			}
			got := w.written()
			slices.Sort(got)
			if len(got) != tt.docs || len(slices.Compact(got)) != tt.docs || sum.Indexed != tt.docs {
				t.Errorf("writer got %d distinct of %d articles, Indexed %d; want %d", len(slices.Compact(got)), len(got), sum.Indexed, tt.docs)
			}
		})
	}
}

// TestRunCancel cancels the run from inside the extractor and checks that
// Run returns context.Canceled and that every document extracted before the
// run stopped reached the writer.
func TestRunCancel(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			for round := range 30 {
				ctx, cancel := context.WithCancel(context.Background())
				ex := &fakeExtractor{hook: func(n int) {
					if n == 40 {
						cancel()
					}
				}}
				w := &fakeWriter{}
				sum, err := Run(ctx, &fakeSource{infinite: true}, ex, w, Options{Workers: workers, BatchSize: 1000})
				cancel()
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("round %d: Run error = %v, want context.Canceled", round, err)
				}
				extracted, written := ex.ids(), w.written()
				if len(extracted) < 40 {
					t.Fatalf("round %d: only %d documents extracted", round, len(extracted))
				}
				slices.Sort(extracted)
				slices.Sort(written)
				if !slices.Equal(extracted, written) {
					t.Fatalf("round %d: %d documents extracted but %d written (Summary %+v); extracted documents must be flushed",
						round, len(extracted), len(written), sum)
				}
				if sum.Indexed != len(written) {
					t.Fatalf("round %d: Summary.Indexed = %d, writer got %d", round, sum.Indexed, len(written))
				}
				if len(extracted) > 40+8*workers+workers {
					t.Errorf("round %d: %d documents extracted after a cancel at 40: the run does not stop", round, len(extracted))
				}
			}
		})
	}
}

func TestRunCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := &fakeWriter{}
	_, err := Run(ctx, &fakeSource{items: docs(10)}, &fakeExtractor{}, w, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error = %v, want context.Canceled", err)
	}
}

// TestRunNoGoroutineLeak runs every way of ending a run and checks that no
// goroutine outlives Run.
func TestRunNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := range 5 {
		// Normal end, with errors and panics.
		items := append(docs(30), item{doc: doc("boom", "panic")}, item{doc: doc("bad", "fail")},
			item{err: &corpus.InputError{Input: "x", Err: corpus.ErrEmpty}})
		if _, err := Run(context.Background(), &fakeSource{items: items}, &fakeExtractor{}, &fakeWriter{}, Options{Workers: 4, BatchSize: 3, OnError: func(DocError) {}}); err != nil {
			t.Fatal(err)
		}
		// Fatal source error.
		if _, err := Run(context.Background(), &fakeSource{items: append(docs(20), item{err: errors.New("fatal")})}, &fakeExtractor{}, &fakeWriter{}, Options{Workers: 4}); err == nil {
			t.Fatal("no error")
		}
		// Write error with a full pipeline behind it.
		if _, err := Run(context.Background(), &fakeSource{infinite: true}, &fakeExtractor{}, &fakeWriter{failOn: 1, failErr: errors.New("w")}, Options{Workers: 4, BatchSize: 2}); err == nil {
			t.Fatal("no error")
		}
		// Cancellation with slow workers.
		ctx, cancel := context.WithCancel(context.Background())
		ex := &fakeExtractor{delay: time.Duration(i) * 100 * time.Microsecond, hook: func(n int) {
			if n == 20 {
				cancel()
			}
		}}
		if _, err := Run(ctx, &fakeSource{infinite: true}, ex, &fakeWriter{}, Options{Workers: 4, BatchSize: 7}); !errors.Is(err, context.Canceled) {
			t.Fatalf("cancel: %v", err)
		}
		cancel()
	}
	var after int
	for range 100 {
		if after = runtime.NumGoroutine(); after <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	t.Errorf("%d goroutines before the runs, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
}

// TestRunCallbacksSerial checks that OnError and Progress are never called
// concurrently: both touch plain variables without a lock, which -race
// would flag, and an in-callback flag catches overlap without -race.
func TestRunCallbacksSerial(t *testing.T) {
	var items []item
	for i := range 400 {
		switch i % 4 {
		case 0:
			items = append(items, item{err: &corpus.InputError{Input: fmt.Sprint("in", i), Err: corpus.ErrBinary}})
		case 1:
			items = append(items, item{doc: doc(fmt.Sprint("f", i), "fail")})
		case 2:
			items = append(items, item{doc: doc(fmt.Sprint("p", i), "panic")})
		default:
			items = append(items, item{doc: doc(fmt.Sprint("ok", i), "abcde")})
		}
	}
	var (
		calls, errs, progress int
		inside                bool
		overlap               bool
		last                  Summary
		backwards             bool
	)
	enter := func() {
		if inside {
			overlap = true
		}
		inside = true
		calls++
		time.Sleep(10 * time.Microsecond)
	}
	sum, err := Run(context.Background(), &fakeSource{items: items}, &fakeExtractor{}, &fakeWriter{}, Options{
		Workers: 8, BatchSize: 5, ProgressEvery: time.Nanosecond,
		OnError: func(DocError) { enter(); errs++; inside = false },
		Progress: func(s Summary) {
			enter()
			progress++
			if s.Read < last.Read || s.Failed < last.Failed || s.Indexed < last.Indexed {
				backwards = true
			}
			last = s
			inside = false
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if overlap {
		t.Error("OnError and Progress calls overlapped")
	}
	if backwards {
		t.Error("Progress counts went backwards")
	}
	if errs != 300 || sum.Failed != 300 {
		t.Errorf("OnError called %d times, Summary.Failed = %d; want 300", errs, sum.Failed)
	}
	if progress == 0 {
		t.Error("Progress never called")
	}
	if calls != errs+progress {
		t.Errorf("calls = %d, want %d", calls, errs+progress)
	}
}

func TestSummaryRates(t *testing.T) {
	s := Summary{Read: 50, Bytes: 2e6, Elapsed: 2 * time.Second}
	if got := s.DocsPerSec(); got != 25 {
		t.Errorf("DocsPerSec = %v, want 25", got)
	}
	if got := s.MBPerSec(); got != 1 {
		t.Errorf("MBPerSec = %v, want 1", got)
	}
	if (Summary{Read: 5}).DocsPerSec() != 0 || (Summary{Bytes: 5}).MBPerSec() != 0 {
		t.Error("rates with zero Elapsed are not 0")
	}
}

// TestRunInvalidArticle checks that an article the index would refuse is one
// document's error, not a failed Write that stops the run.
func TestRunInvalidArticle(t *testing.T) {
	items := append(docs(3), item{doc: doc("odd", "bad date")})
	items = append(items, docs(3)...)
	w := &fakeWriter{}
	var log errorLog
	sum, err := Run(context.Background(), &fakeSource{items: items}, &fakeExtractor{}, w, Options{Workers: 2, OnError: log.add})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if sum.Failed != 1 || sum.Read != 7 || len(log.errs) != 1 {
		t.Fatalf("Summary = %+v, errors %v; want 7 read, 1 failed", sum, log.errs)
	}
	if de := log.errs[0]; de.Input != "odd.txt" || !errors.Is(de.Err, index.ErrInvalidArticle) {
		t.Errorf("DocError = %+v, want odd.txt wrapping index.ErrInvalidArticle", de)
	}
}

// keepingWriter keeps the slices it is given, as a Writer that queues
// batches might; Run must not reuse them.
type keepingWriter struct{ batches [][]index.Article }

func (w *keepingWriter) Unchanged(string, string) (bool, error) { return false, nil }
func (w *keepingWriter) Write(arts []index.Article) error {
	w.batches = append(w.batches, arts)
	return nil
}

func TestRunBatchesNotReused(t *testing.T) {
	w := &keepingWriter{}
	if _, err := Run(context.Background(), &fakeSource{items: docs(20)}, &fakeExtractor{}, w, Options{Workers: 1, BatchSize: 4}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, b := range w.batches {
		for _, a := range b {
			if seen[a.DocID] {
				t.Errorf("article %s appears twice in the batches kept: a batch slice was reused", a.DocID)
			}
			seen[a.DocID] = true
		}
	}
	if len(seen) != 20 {
		t.Errorf("kept batches hold %d distinct articles, want 20", len(seen))
	}
}
