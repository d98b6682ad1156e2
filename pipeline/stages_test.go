package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"redline/claim"
	"redline/corpus"
	"redline/index"
)

// TestReaderNumbersInOrder: the read stage numbers the documents and the
// input errors in source order, closes jobs at the end and returns a fatal
// source error.
func TestReaderNumbersInOrder(t *testing.T) {
	fatal := errors.New("disk gone")
	for _, tt := range []struct {
		name    string
		items   []item
		wantErr error
		wantN   int
	}{
		{"documents and input errors", append(docs(3), item{err: &corpus.InputError{Input: "x", Err: corpus.ErrBinary}}, docs(2)[0]), nil, 5},
		{"fatal error", append(docs(2), item{err: fatal}), fatal, 2},
		{"empty", nil, nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var incomplete atomic.Bool
			rd := &reader{src: &fakeSource{items: tt.items}, window: make(chan struct{}, 100), incomplete: &incomplete}
			jobs := make(chan job, 100)
			err := rd.run(context.Background(), jobs)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("run = %v, want %v", err, tt.wantErr)
			}
			var seqs []int
			for j := range jobs { // closed, or this would block
				seqs = append(seqs, j.seq)
			}
			if want := seqsUpTo(tt.wantN); !slices.Equal(seqs, want) {
				t.Errorf("sequence numbers %v, want %v", seqs, want)
			}
			if incomplete.Load() {
				t.Error("incomplete set for a run that was not stopped")
			}
		})
	}
}

func seqsUpTo(n int) []int {
	var out []int
	for i := range n {
		out = append(out, i)
	}
	return out
}

// TestReaderStopsWhenCancelled: a stopped run stops the read stage at the
// window, without error, and marks the run incomplete.
func TestReaderStopsWhenCancelled(t *testing.T) {
	var incomplete atomic.Bool
	rd := &reader{src: &fakeSource{infinite: true}, window: make(chan struct{}, 4), incomplete: &incomplete}
	ctx, cancel := context.WithCancel(context.Background())
	jobs := make(chan job, 100)
	done := make(chan error, 1)
	go func() { done <- rd.run(ctx, jobs) }()
	// The window (4) fills up: wait for its jobs rather than for a fixed
	// time, which a loaded machine may not give the reader.
	for deadline := time.Now().Add(5 * time.Second); len(jobs) < 4 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond) // room for a read past the window, were there one
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the read stage did not stop")
	}
	if n := len(jobs); n != 4 {
		t.Errorf("%d jobs sent, want the window's 4", n)
	}
	if !incomplete.Load() {
		t.Error("a stopped read stage did not mark the run incomplete")
	}
}

// TestBatcher: full batches of the size, then the rest; every batch a new
// slice, with its claims counted.
func TestBatcher(t *testing.T) {
	b := batcher{size: 3}
	var got []batch
	for i := range 7 {
		a := index.Article{DocID: fmt.Sprint(i), Claims: make([]claim.Claim, i%2)}
		if b.add(a) {
			bt, ok := b.take()
			if !ok {
				t.Fatal("a full batch was empty")
			}
			got = append(got, bt)
		}
	}
	if bt, ok := b.take(); ok {
		got = append(got, bt)
	}
	if _, ok := b.take(); ok {
		t.Error("take after take returned a batch")
	}
	var sizes, claims []int
	for _, bt := range got {
		sizes, claims = append(sizes, len(bt.arts)), append(claims, bt.claims)
	}
	if !slices.Equal(sizes, []int{3, 3, 1}) || !slices.Equal(claims, []int{1, 2, 0}) {
		t.Errorf("batches of %v articles and %v claims, want [3 3 1] and [1 2 0]", sizes, claims)
	}
	got[0].arts[0].DocID = "changed"
	if got[1].arts[0].DocID != "3" {
		t.Error("two batches share their slice")
	}
}

// TestCommitter: batches are written in order and counted; after a failed
// Write the run is stopped, the later batches are given up but drained,
// and every batch's done is closed.
func TestCommitter(t *testing.T) {
	werr := errors.New("index full")
	w := &fakeWriter{failOn: 2, failErr: werr}
	stopped := false
	c := &committer{w: w, stop: func() { stopped = true }}
	batches := make(chan batch)
	var dones []chan struct{}
	go func() {
		defer close(batches)
		for i := range 4 {
			d := make(chan struct{})
			dones = append(dones, d)
			batches <- batch{arts: []index.Article{{DocID: fmt.Sprint(i)}}, claims: 2, done: d}
		}
	}()
	if err := c.run(batches); !errors.Is(err, werr) {
		t.Fatalf("run = %v, want %v", err, werr)
	}
	if w.calls != 2 || !stopped || !c.failed.Load() {
		t.Errorf("Write called %d times, stopped %v, failed %v; want 2, true, true", w.calls, stopped, c.failed.Load())
	}
	if c.indexed.Load() != 1 || c.claims.Load() != 2 {
		t.Errorf("counted %d articles, %d claims; want 1, 2", c.indexed.Load(), c.claims.Load())
	}
	for i, d := range dones {
		select {
		case <-d:
		default:
			t.Errorf("batch %d: done not closed", i)
		}
	}
}

// TestOrdererRestoresSourceOrder: results arriving out of order are
// handled, counted and batched in source order.
func TestOrdererRestoresSourceOrder(t *testing.T) {
	w := &fakeWriter{}
	c := &committer{w: w, stop: func() {}}
	o := newOrderer(Options{BatchSize: 2, Workers: 1}.withDefaults(), w, c, time.Now())
	results := make(chan result, 10)
	window := make(chan struct{}, 10)
	for _, seq := range []int{2, 0, 4, 1, 3} {
		window <- struct{}{}
		results <- result{seq: seq, art: index.Article{DocID: fmt.Sprint(seq)}, bytes: 10}
	}
	close(results)
	batches := make(chan batch, 10)
	if err := o.run(results, window, batches); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for b := range batches {
		for _, a := range b.arts {
			ids = append(ids, a.DocID)
		}
	}
	if want := []string{"0", "1", "2", "3", "4"}; !slices.Equal(ids, want) {
		t.Errorf("batched %v, want %v", ids, want)
	}
	if o.sum.Read != 5 || o.sum.Bytes != 50 || len(window) != 0 {
		t.Errorf("Read %d, Bytes %d, window slots held %d; want 5, 50, 0", o.sum.Read, o.sum.Bytes, len(window))
	}
}

// BenchmarkStageOrder is the order, dedup and batch stages on the
// pre-extracted bench corpus (duplicate detection in memory), results
// arriving in reverse pairs; the commit stage is left out (BenchmarkStageIndex measures it).
func BenchmarkStageOrder(b *testing.B) {
	d := loadBench(b)
	d.stages(b)
	rs := slices.Clone(d.results)
	for i := 0; i+1 < len(rs); i += 2 {
		rs[i], rs[i+1] = rs[i+1], rs[i]
	}
	for b.Loop() {
		w := &fakeWriter{}
		c := &committer{w: w, stop: func() {}}
		o := newOrderer(Options{Dedup: true}.withDefaults(), w, c, time.Now())
		results := make(chan result, len(rs))
		window := make(chan struct{}, len(rs))
		for _, r := range rs {
			window <- struct{}{}
			results <- r
		}
		close(results)
		batches := make(chan batch, len(rs))
		if err := o.run(results, window, batches); err != nil {
			b.Fatal(err)
		}
	}
	report(b, len(rs), d.bytes)
}
