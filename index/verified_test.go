package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
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

// TestVerifiedRecorded: the segment files one command verified are not
// read again by the next, a new process with an empty Verified (here: an
// Index opened without one), when the record in VerifiedFile vouches for
// them; without it every search, export and stats read the whole index. A
// file changed since, one written too recently for its time to tell a later
// change, and a record that is not JSON are read again.
func TestVerifiedRecorded(t *testing.T) {
	ctx := context.Background()
	stats := func(dir string) (checked int64, err error) {
		t.Helper()
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			return 0, err
		}
		defer ix.Close()
		_, err = ix.Stats(ctx)
		return ix.checked.Load(), err
	}
	// age sets the modification time of every segment file to an hour
	// ago, as for an index an ingest wrote earlier.
	age := func(t *testing.T, dir string) {
		t.Helper()
		old := time.Now().Add(-time.Hour)
		for _, s := range liveSegments(t, dir) {
			if err := os.Chtimes(s, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) // after the first command
		read  func(segs int) int64           // files the second command reads
		err   error
	}{
		{"recorded", func(*testing.T, string) {}, func(int) int64 { return 0 }, nil},
		{"changed since", func(t *testing.T, dir string) {
			victim := largestLiveSegment(t, dir)
			corruptMiddle(t, victim)
			old := time.Now().Add(-30 * time.Minute)
			if err := os.Chtimes(victim, old, old); err != nil {
				t.Fatal(err)
			}
		}, func(int) int64 { return 1 }, ErrDamaged},
		{"record not JSON", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, BleveDir, VerifiedFile), []byte("{"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, func(n int) int64 { return int64(n) }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := buildIndex(t, threeBatches()...)
			age(t, dir)
			segs := len(liveSegments(t, dir))
			if n, err := stats(dir); err != nil || n != int64(segs) {
				t.Fatalf("first command: %v, %d segment files read, want all %d", err, n, segs)
			}
			tc.setup(t, dir)
			n, err := stats(dir)
			if !errors.Is(err, tc.err) || n != tc.read(segs) {
				t.Errorf("second command: %v, %d segment files read, want %v after %d", err, n, tc.err, tc.read(segs))
			}
		})
	}

	// Files written just now are verified by every command until they are
	// older than settled: their time could not tell a change made within
	// the same clock tick.
	dir := buildIndex(t, threeBatches()...)
	segs := len(liveSegments(t, dir))
	for i := range 2 {
		if n, err := stats(dir); err != nil || n != int64(segs) {
			t.Errorf("command %d on a fresh index: %v, %d segment files read, want all %d", i+1, err, n, segs)
		}
	}
}
