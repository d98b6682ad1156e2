package pipeline

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"redline/corpus"
)

// runningSource hands on documents made by its Run, as corpus.Inputs does
// with fetched pages: Next only reads what Run sends.
type runningSource struct {
	items   []item
	ch      chan item
	running atomic.Bool
	ended   atomic.Bool // Run has returned
}

func (s *runningSource) Run(ctx context.Context) error {
	s.running.Store(true)
	defer s.ended.Store(true)
	defer close(s.ch)
	for _, it := range s.items {
		select {
		case s.ch <- it:
		case <-ctx.Done():
			return nil
		}
	}
	return nil
}

func (s *runningSource) Next(ctx context.Context) (corpus.Document, error) {
	select {
	case it, ok := <-s.ch:
		if !ok {
			return corpus.Document{}, io.EOF
		}
		return it.doc, it.err
	case <-ctx.Done():
		return corpus.Document{}, ctx.Err()
	}
}

// TestRunStartsRunner: a Source that is a Runner is run inside the run
// (without it, Next would wait forever), and its Run has returned when
// Run does, both at the end of the source and when a Write stops the run.
func TestRunStartsRunner(t *testing.T) {
	src := &runningSource{items: docs(40), ch: make(chan item)}
	sum, err := Run(context.Background(), src, &fakeExtractor{}, &fakeWriter{}, Options{Workers: 3, BatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 40 || !src.ended.Load() {
		t.Errorf("read %d of 40; source's Run returned: %v", sum.Read, src.ended.Load())
	}

	werr := errors.New("index full")
	src = &runningSource{items: docs(500), ch: make(chan item)}
	_, err = Run(context.Background(), src, &fakeExtractor{}, &fakeWriter{failOn: 1, failErr: werr}, Options{Workers: 2, BatchSize: 5})
	if !errors.Is(err, werr) {
		t.Fatalf("Run error = %v, want %v (not the source's)", err, werr)
	}
	if !src.running.Load() || !src.ended.Load() {
		t.Error("the source's Run was not started, or outlived Run")
	}
}
