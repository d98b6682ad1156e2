package index

import (
	"context"
	"errors"
	"os"
	"testing"
)

// TestVerifiedShared: an Index opened with a Verified another Index already
// filled reads no segment file again; one whose file changed (here: a
// flipped byte that also moves the modification time) is verified anew.
// The shared set is what lets a server reopen an index cheaply.
func TestVerifiedShared(t *testing.T) {
	ctx := context.Background()
	dir := buildIndex(t, threeBatches()...)
	var v Verified
	stats := func() error {
		t.Helper()
		ix, err := Open(dir, Options{ReadOnly: true, Verified: &v})
		if err != nil {
			return err
		}
		defer ix.Close()
		_, err = ix.Stats(ctx)
		return err
	}
	if err := stats(); err != nil {
		t.Fatal(err)
	}
	segs := liveSegments(t, dir)
	for _, s := range segs {
		if !v.has(s) {
			t.Fatalf("segment %s not recorded as verified", s)
		}
	}

	// A byte flipped with the modification time put back: the shared set
	// still vouches for the file, so the second open reads none of it.
	victim := largestLiveSegment(t, dir)
	fi, err := os.Stat(victim)
	if err != nil {
		t.Fatal(err)
	}
	corruptMiddle(t, victim)
	if err := os.Chtimes(victim, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := stats(); err != nil {
		t.Errorf("second open with the shared set: %v; want no segment read again", err)
	}
	// The same file with a new modification time is read again.
	if err := os.Chtimes(victim, fi.ModTime().Add(1e9), fi.ModTime().Add(1e9)); err != nil {
		t.Fatal(err)
	}
	if err := stats(); !errors.Is(err, ErrDamaged) {
		t.Errorf("a changed file is not verified anew: %v, want ErrDamaged", err)
	}
}
