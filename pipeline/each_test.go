package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"redline/corpus"
)

// TestExtractEachInOrder: results come in source order whatever the number
// of workers, with input errors, extraction errors and panics as the
// documents' errors.
func TestExtractEachInOrder(t *testing.T) {
	var items []item
	for i := range 200 {
		switch i % 10 {
		case 3:
			items = append(items, item{err: &corpus.InputError{Input: fmt.Sprint("in", i), Err: corpus.ErrBinary}})
		case 5:
			items = append(items, item{doc: doc(fmt.Sprint("d", i), "fail")})
		case 7:
			items = append(items, item{doc: doc(fmt.Sprint("d", i), "panic")})
		default:
			items = append(items, item{doc: doc(fmt.Sprint("d", i), strings.Repeat("x", i%5+1))})
		}
	}
	for _, workers := range []int{1, 3, 8} {
		var got []string
		errs := 0
		err := ExtractEach(context.Background(), &fakeSource{items: items}, &fakeExtractor{}, workers, func(x Extracted) error {
			if x.Err != nil {
				errs++
				got = append(got, "err")
				return nil
			}
			got = append(got, x.Doc.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i, it := range items {
			if it.err != nil || i%10 == 5 || i%10 == 7 {
				want = append(want, "err")
			} else {
				want = append(want, it.doc.ID)
			}
		}
		if !slices.Equal(got, want) || errs != 60 {
			t.Errorf("%d workers: %d errors, order %v; want 60 and %v", workers, errs, got[:10], want[:10])
		}
	}
}

// TestExtractEachStops: an error from fn and a fatal source error stop it
// and are returned; no goroutine is left (the race detector and
// TestRunNoGoroutineLeak's check cover Run's stages, which it shares).
func TestExtractEachStops(t *testing.T) {
	stop := errors.New("stop here")
	calls := 0
	err := ExtractEach(context.Background(), &fakeSource{infinite: true}, &fakeExtractor{}, 4, func(Extracted) error {
		if calls++; calls == 50 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 50 {
		t.Errorf("ExtractEach = %v after %d calls, want %v after 50", err, calls, stop)
	}
	fatal := errors.New("disk gone")
	err = ExtractEach(context.Background(), &fakeSource{items: append(docs(5), item{err: fatal})}, &fakeExtractor{}, 2, func(Extracted) error { return nil })
	if !errors.Is(err, fatal) {
		t.Errorf("ExtractEach = %v, want %v", err, fatal)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ExtractEach(ctx, &fakeSource{items: docs(5)}, &fakeExtractor{}, 2, func(Extracted) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("ExtractEach with a cancelled context = %v, want context.Canceled", err)
	}
}
