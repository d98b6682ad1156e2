package index

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// errKilled stands for a kill at a test hook: the step stops there and
// leaves the disk as a kill would.
var errKilled = errors.New("killed here")

// openers are the ways the next command meets the index; each must heal
// what a kill left.
var openers = []struct {
	name string
	open func(dir string, log *slog.Logger) error
}{
	{"read-only Open (search, export, stats, compare, serve)", func(dir string, log *slog.Logger) error {
		ix, err := Open(dir, Options{ReadOnly: true, Logger: log})
		if err == nil {
			err = ix.Close()
		}
		return err
	}},
	{"writable Open (ingest)", func(dir string, log *slog.Logger) error {
		ix, err := Open(dir, Options{Logger: log})
		if err == nil {
			err = ix.Close()
		}
		return err
	}},
	{"Check", func(dir string, log *slog.Logger) error {
		if err := Heal(dir, log); err != nil {
			return err
		}
		rep, err := Check(context.Background(), dir, Options{})
		if err == nil && !rep.OK() {
			err = errors.New(strings.Join(rep.Problems, "; "))
		}
		return err
	}},
}

// TestHealRepairSwap: an in-place repair killed after it moved the damaged
// index aside and before it renamed the repaired one into place leaves the
// index folder missing; the next command that opens it finishes the swap,
// says so, and reads every claim. A second repair works on the result.
func TestHealRepairSwap(t *testing.T) {
	arts := manyArticles(40, 2)
	for _, op := range openers {
		t.Run(op.name, func(t *testing.T) {
			dir := buildIndex(t, arts[:20], arts[20:])
			want := claimKeys(t, dir)
			_, err := Repair(context.Background(), dir, RepairOptions{swapHook: func() error { return errKilled }})
			if !errors.Is(err, errKilled) {
				t.Fatalf("repair: %v, want the hook's kill", err)
			}
			t.Cleanup(func() { removeGlob(dir + ".*") })
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("after the kill the index folder is there (%v): the hook is not between the renames", err)
			}
			var logged bytes.Buffer
			if err := op.open(dir, slog.New(slog.NewTextHandler(&logged, nil))); err != nil {
				t.Fatalf("open after the kill: %v", err)
			}
			if !strings.Contains(logged.String(), "finished it: the repaired index") || !strings.Contains(logged.String(), ".damaged-") {
				t.Errorf("stderr does not say what was done:\n%s", logged.String())
			}
			if got := claimKeys(t, dir); !slices.Equal(got, want) {
				t.Errorf("after the healed repair %d claims, before %d", len(got), len(want))
			}
			if _, err := os.Stat(filepath.Join(dir, RepairedFile)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s left in the index: %v", RepairedFile, err)
			}
			if left, _ := filepath.Glob(dir + ".repair-*"); len(left) > 0 {
				t.Errorf("repair copies left: %v", left)
			}
			if kept, _ := filepath.Glob(dir + ".damaged-*"); len(kept) != 1 {
				t.Errorf("damaged index kept as %v, want one folder", kept)
			}
			logged.Reset()
			if err := op.open(dir, slog.New(slog.NewTextHandler(&logged, nil))); err != nil || logged.Len() > 0 {
				t.Errorf("second open: %v, logged %q; want nothing to do", err, logged.String())
			}
		})
	}
}

// TestHealRepairSwapDone: killed after the second rename, only the marker
// is left in the index: it is removed and nothing else changes; killed
// before the first, the index is as it was and the marked copy is left for
// the next repair to remove, not swapped in.
func TestHealRepairSwapDone(t *testing.T) {
	arts := manyArticles(10, 2)
	dir := buildIndex(t, arts)
	want := claimKeys(t, dir)
	t.Cleanup(func() { removeGlob(dir + ".*") })
	abs, _ := filepath.Abs(dir)
	if err := writeJSONAtomic(filepath.Join(dir, RepairedFile), RepairSwap{Index: abs, Damaged: abs + ".damaged-x"}, false); err != nil {
		t.Fatal(err)
	}
	early := dir + ".repair-1"
	if err := os.MkdirAll(filepath.Join(early, BleveDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := writeJSONAtomic(filepath.Join(early, RepairedFile), RepairSwap{Index: abs, Damaged: abs + ".damaged-y"}, false); err != nil {
		t.Fatal(err)
	}
	if err := Heal(dir, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, RepairedFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the marker of a finished swap is still in the index: %v", err)
	}
	if _, err := os.Stat(early); err != nil {
		t.Errorf("the copy of a repair killed before its swap: %v", err)
	}
	if got := claimKeys(t, dir); !slices.Equal(got, want) {
		t.Errorf("%d claims, want %d", len(got), len(want))
	}
}

// TestHealReset: an ingest --rebuild killed after its Reset set the index
// aside and before the new one took its place leaves no Bleve folder; the
// next command puts the old index back, says so, and reads every claim.
// A --rebuild run again then resets it as asked.
func TestHealReset(t *testing.T) {
	arts := manyArticles(40, 2)
	for _, op := range openers {
		t.Run(op.name, func(t *testing.T) {
			dir := buildIndex(t, arts[:20], arts[20:])
			want := claimKeys(t, dir)
			if err := Reset(dir, Options{resetHook: func() error { return errKilled }}); !errors.Is(err, errKilled) {
				t.Fatalf("reset: %v, want the hook's kill", err)
			}
			if _, err := os.Stat(filepath.Join(dir, BleveDir)); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("after the kill %s/ is there (%v): the hook is not between the renames", BleveDir, err)
			}
			var logged bytes.Buffer
			if err := op.open(dir, slog.New(slog.NewTextHandler(&logged, nil))); err != nil {
				t.Fatalf("open after the kill: %v", err)
			}
			if !strings.Contains(logged.String(), "restored the index as it was") {
				t.Errorf("stderr does not say what was done:\n%s", logged.String())
			}
			if got := claimKeys(t, dir); !slices.Equal(got, want) {
				t.Errorf("after the healed reset %d claims, before %d", len(got), len(want))
			}
		})
	}
	t.Run("reset again", func(t *testing.T) {
		dir := buildIndex(t, arts)
		if err := Reset(dir, Options{resetHook: func() error { return errKilled }}); !errors.Is(err, errKilled) {
			t.Fatal(err)
		}
		if err := Reset(dir, Options{}); err != nil {
			t.Fatal(err)
		}
		if got := claimKeys(t, dir); len(got) != 0 {
			t.Errorf("after a whole reset %d claims, want none", len(got))
		}
		ix, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if _, err := os.Stat(filepath.Join(dir, TrashDir)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left after a writable open: %v", TrashDir, err)
		}
	})
}

// TestCreateKilled: a kill while Bleve makes a new index leaves its
// folder beside the Bleve folder, never a bleve/ without its mapping: the
// next Open makes the index, and once the leftover is old, removes it.
func TestCreateKilled(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "redline.index")
	half := filepath.Join(dir, creatingPrefix+"123")
	if err := os.MkdirAll(half, 0o700); err != nil {
		t.Fatal(err)
	}
	// What Bleve writes first.
	if err := os.WriteFile(filepath.Join(half, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * staleCreatingAge)
	if err := os.Chtimes(half, old, old); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("open beside a half-made index: %v", err)
	}
	if err := ix.Write(manyArticles(3, 1)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(half); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the half-made index is still there: %v", err)
	}
	if got := claimKeys(t, dir); len(got) != 3 {
		t.Errorf("%d claims, want 3", len(got))
	}
}

func removeGlob(pattern string) {
	found, _ := filepath.Glob(pattern)
	for _, p := range found {
		_ = os.RemoveAll(p)
	}
}
