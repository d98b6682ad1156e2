package index

import (
	"context"
	"errors"
	"os"
	"testing"
)

// TestVerifiedShared: an Index opened with a Verified another Index already
// filled reads no segment file again; one whose file changed (here: a
// flipped byte that also moves the modification time) is verified anew,
// before anything of it is read. The shared set is what lets a server
// reopen an index cheaply.
func TestVerifiedShared(t *testing.T) {
	ctx := context.Background()
	dir := buildIndex(t, threeBatches()...)
	var v Verified
	stats := func() (checked int64, err error) {
		t.Helper()
		ix, err := Open(dir, Options{ReadOnly: true, Verified: &v})
		if err != nil {
			return 0, err
		}
		defer ix.Close()
		_, err = ix.Stats(ctx)
		return ix.checked.Load(), err
	}
	segs := liveSegments(t, dir)
	if n, err := stats(); err != nil || n != int64(len(segs)) {
		t.Fatalf("first open: %v, %d segment files read, want all %d", err, n, len(segs))
	}
	for _, s := range segs {
		if !v.has(s) {
			t.Fatalf("segment %s not recorded as verified", s)
		}
	}

	// The shared set vouches for every file: the second open reads none.
	if n, err := stats(); err != nil || n != 0 {
		t.Errorf("second open with the shared set: %v, %d segment files read again, want none", err, n)
	}

	// A flipped byte moves the modification time: the file is read again,
	// and found damaged, before Bleve reads anything of it.
	victim := largestLiveSegment(t, dir)
	fi, err := os.Stat(victim)
	if err != nil {
		t.Fatal(err)
	}
	corruptMiddle(t, victim)
	if err := os.Chtimes(victim, fi.ModTime().Add(1e9), fi.ModTime().Add(1e9)); err != nil {
		t.Fatal(err)
	}
	if n, err := stats(); !errors.Is(err, ErrDamaged) || n != 1 {
		t.Errorf("a changed file: %v, %d segment files read, want ErrDamaged after reading it alone", err, n)
	}
}
