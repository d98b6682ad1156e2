package index

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
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

// TestVerifiedRecord: a command that verified the segments records them
// in VerifiedFile, and the next command (a new Index, as a new process
// would open) reads none of them again; a file whose time changed is read
// again, Check reads every file whatever the record says, and files too
// recent to vouch for are not recorded.
func TestVerifiedRecord(t *testing.T) {
	ctx := context.Background()
	dir := buildIndex(t, threeBatches()...)
	record := filepath.Join(dir, VerifiedFile)
	stats := func() error {
		t.Helper()
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			return err
		}
		defer ix.Close()
		_, err = ix.Stats(ctx)
		return err
	}

	// Files written a moment ago are read, but not recorded.
	if err := stats(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(record); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("record of files written a moment ago: %v, want none", err)
	}

	// Files old enough are recorded, one entry each.
	hourAgo := time.Now().Add(-time.Hour)
	segs := liveSegments(t, dir)
	for _, s := range segs {
		if err := os.Chtimes(s, hourAgo, hourAgo); err != nil {
			t.Fatal(err)
		}
	}
	if err := stats(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("no record after verifying old files: %v", err)
	}
	var rec verifiedRecord
	if err := json.Unmarshal(b, &rec); err != nil || len(rec.Segments) != len(segs) {
		t.Fatalf("record %s: %v, %d entries for %d segments", b, err, len(rec.Segments), len(segs))
	}

	// A byte flipped with the time put back: the record vouches for the
	// file, so a new Index does not read it...
	victim := largestLiveSegment(t, dir)
	corruptMiddle(t, victim)
	if err := os.Chtimes(victim, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	if err := stats(); err != nil {
		t.Errorf("with the record: %v; want the vouched file not read", err)
	}
	// ...but Check reads every file.
	rep, err := Check(ctx, dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() {
		t.Errorf("Check trusted the record: no problem reported for a corrupt segment")
	}
	// A file with another time is read again.
	if err := os.Chtimes(victim, hourAgo.Add(time.Second), hourAgo.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := stats(); !errors.Is(err, ErrDamaged) {
		t.Errorf("a changed file is not verified anew: %v, want ErrDamaged", err)
	}

	// A garbled record vouches for nothing.
	if err := os.WriteFile(record, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(victim, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	if err := stats(); !errors.Is(err, ErrDamaged) {
		t.Errorf("a garbled record vouched for a file: %v, want ErrDamaged", err)
	}
}

// TestVerifiedRecordVoidOnCreate: an index created where a record was
// left (an index removed and made again, say) starts without it.
func TestVerifiedRecordVoidOnCreate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "redline.index")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	record := filepath.Join(dir, VerifiedFile)
	if err := os.WriteFile(record, []byte(`{"segments":[{"name":"000000000001.zap","size":1,"mod_time_ns":1}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := os.Stat(record); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the old record is still there after create: %v", err)
	}
}
