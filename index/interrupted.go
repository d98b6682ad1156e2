package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// RepairedFile is the file an in-place Repair writes into its complete
// copy of the index just before it swaps the copy with the damaged index
// (two renames: the damaged index aside, the copy into its place). It
// names both folders, so that Heal can finish a swap a kill interrupted;
// it is removed once the copy is in place.
const RepairedFile = "repaired.json"

// creatingPrefix starts the name of the folder, beside the Bleve folder, in
// which a new Bleve index is made before it is renamed to BleveDir.
const creatingPrefix = BleveDir + ".creating-"

// staleCreatingAge is how old a creatingPrefix folder must be before a
// writer takes it for one a kill left: making an empty index takes
// milliseconds, and a younger one may be another process's at work.
const staleCreatingAge = time.Minute

// RepairSwap is the content of RepairedFile.
type RepairSwap struct {
	// Index is the folder repaired (absolute); Damaged is where the
	// damaged index is moved before the copy takes its place.
	Index   string `json:"index"`
	Damaged string `json:"damaged"`
}

// Heal finishes or undoes what a kill left of an interrupted step that
// moves the index at dir aside, so that no command finds the index missing
// and makes a new empty one in its place:
//
//   - An in-place Repair killed between moving the damaged index aside and
//     renaming its complete copy to dir (dir is missing, the copy holds a
//     RepairedFile naming dir and the damaged folder, which exists): the
//     copy is renamed to dir, as the repair would have done.
//   - A Reset killed after moving the Bleve folder to TrashDir and before
//     the new one took its place (dir holds TrashDir with an index and no
//     BleveDir): the old Bleve folder is put back, as if the Reset had not
//     started, since the ingest --rebuild it began wrote nothing.
//
// Each step it takes is logged as a warning on log (nil: not logged),
// saying what it found and what it did. A state it does not recognise is
// left for Open to judge. Open calls Heal itself; commands that look at
// the folder before they open it call Heal first. Heal needs no lock: both
// states arise only from a process that died (or, for a moment, from one
// between two renames, which then finds its work done by Heal).
func Heal(dir string, log *slog.Logger) error {
	if dir == "" {
		return nil
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := finishRepairSwap(dir, log); err != nil {
		return err
	}
	return undoReset(dir, log)
}

// finishRepairSwap renames the complete copy of an in-place repair a kill
// interrupted to dir.
func finishRepairSwap(dir string, log *slog.Logger) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	if _, err := os.Stat(abs); err == nil {
		// A kill after the second rename leaves the marker: the swap is
		// done.
		if err := os.Remove(filepath.Join(abs, RepairedFile)); err == nil {
			log.Warn("a repair of this index was interrupted after it put the repaired index in place; nothing was left to do but remove its " + RepairedFile)
		}
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil // Open reports it
	}
	copies, _ := filepath.Glob(abs + ".repair-*")
	slices.Sort(copies) // "<dir>.repair-<UnixNano>": the newest last
	for _, out := range slices.Backward(copies) {
		b, err := os.ReadFile(filepath.Join(out, RepairedFile))
		if err != nil {
			continue
		}
		var s RepairSwap
		if json.Unmarshal(b, &s) != nil || s.Index != abs {
			continue
		}
		if fi, err := os.Stat(s.Damaged); err != nil || !fi.IsDir() {
			continue // the damaged index was not moved: no swap began
		}
		if err := os.Rename(out, abs); err != nil {
			if _, serr := os.Stat(abs); serr == nil {
				return nil // the repair itself, or another command, finished it
			}
			return fmt.Errorf("index %s is missing: a repair was interrupted after it moved the damaged index to %s and before it put the repaired one (%s) in its place, and renaming %s to %s failed: %w; rename it by hand",
				dir, s.Damaged, out, out, abs, err)
		}
		_ = os.Remove(filepath.Join(abs, RepairedFile))
		log.Warn(fmt.Sprintf("a repair of this index was interrupted after it moved the damaged index aside and before it put the repaired one in place; finished it: the repaired index (%s) is now %s, the damaged one is kept as %s", out, dir, s.Damaged), "index", dir)
		return nil
	}
	return nil
}

// undoReset puts back the Bleve folder a Reset moved to TrashDir when no
// new one took its place.
func undoReset(dir string, log *slog.Logger) error {
	bdir := filepath.Join(dir, BleveDir)
	if _, err := os.Lstat(bdir); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	trash := filepath.Join(dir, TrashDir)
	// Without index_meta.json the folder is what a removal left, not an
	// index to put back.
	if _, err := os.Stat(filepath.Join(trash, "index_meta.json")); err != nil {
		return nil
	}
	if err := os.Rename(trash, bdir); err != nil {
		if _, serr := os.Stat(bdir); serr == nil {
			return nil
		}
		return fmt.Errorf("index %s: an ingest --rebuild was interrupted after it moved the index to %s, and putting it back failed: %w; rename %s to %s by hand", dir, trash, err, trash, bdir)
	}
	log.Warn(fmt.Sprintf("an ingest --rebuild was interrupted after it set the index aside (%s/) and before it made the new one; restored the index as it was, with all its claims (run the ingest --rebuild again to start afresh)", TrashDir), "index", dir)
	return nil
}

// newBleve makes a new empty Bleve index with this package's mapping and
// layout marker in a folder of its own in dir and returns that folder's
// path; renamed to BleveDir, the new index appears whole or not at all. A
// kill while Bleve makes an index leaves index_meta.json without the
// mapping, which no Open accepts; in a creatingPrefix folder it is only
// litter that the next writer removes.
func newBleve(dir string) (string, error) {
	tmp, err := os.MkdirTemp(dir, creatingPrefix+"*")
	if err != nil {
		return "", err
	}
	bl, err := bleve.NewUsing(tmp, newMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore, scorchConfig())
	if err == nil {
		err = bl.SetInternal([]byte(schemaKey), []byte(schemaVersion))
		if cerr := bl.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return "", err
	}
	return tmp, nil
}

// removeStaleCreating removes the folders of new indexes that kills left
// in dir before they were renamed into place.
func removeStaleCreating(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), creatingPrefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) >= staleCreatingAge {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
