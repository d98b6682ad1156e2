package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// extractorKey is the Bleve internal key under which the lexicon and claim
// model that extracted the index's claims are recorded (see SetExtractor).
const extractorKey = "redline:extractor"

// ExtractorInfo records what extracted an index's claims: the lexicon and
// the claim model (or the rules alone). Claims of two extractors in one
// index cannot be compared with each other, so ingest compares its own
// with the record before it writes. The index does not interpret the
// values.
type ExtractorInfo struct {
	// Lexicon is the lexicon's name and LexiconVersion a fingerprint of
	// its content.
	Lexicon        string `json:"lexicon"`
	LexiconVersion string `json:"lexicon_version"`
	// Model is the claim model's fingerprint, "" when the rules alone
	// decide.
	Model string `json:"model"`
}

// SetExtractor records the extractor whose claims the index holds. It is
// stored durably and atomically in the index itself, like SetModel.
func (ix *Index) SetExtractor(e ExtractorInfo) error {
	if ix.opts.ReadOnly {
		return fmt.Errorf("index %s: %w", ix.dir, ErrReadOnly)
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("index: record extractor: %w", err)
	}
	if err := ix.bl.SetInternal([]byte(extractorKey), b); err != nil {
		return fmt.Errorf("index: record extractor: %w", ix.wrap(err))
	}
	return nil
}

// Extractor returns the recorded extractor; ok is false when none is
// recorded (a new index).
func (ix *Index) Extractor() (e ExtractorInfo, ok bool, err error) {
	defer recoverDamage(ix.dir, "read the extractor record", &err)
	ok, err = ix.internalJSON(extractorKey, "extractor", &e)
	return e, ok && err == nil, err
}

// Reset removes the index in folder dir and leaves a new empty one in its
// place: the Bleve index and the record of its writes go, the caller's
// other files (errors.jsonl, fetch-cache/) stay. It opens the index first
// to take its lock, and fails with ErrLocked while another process holds
// it. An index Open refuses (an older layout, damage) is removed too when
// dir holds a Bleve index or what a killed Reset left of one; a folder
// without either is left alone. A missing dir is no error.
//
// The new index is made first, beside the old one (see newBleve); then the
// old Bleve folder is renamed to TrashDir, which the next writable Open
// removes, and the new one into its place. A kill at any moment leaves the
// old index whole (put back by Heal when the kill came between the two
// renames) or the new one, never a Bleve folder without its
// index_meta.json that a second Reset would not recognise, nor no index.
func Reset(dir string, opts Options) error {
	bdir := filepath.Join(dir, BleveDir)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	opts.ReadOnly = false
	ix, err := Open(dir, opts)
	switch {
	case err == nil:
		if err := ix.Close(); err != nil {
			return err
		}
	case errors.Is(err, ErrLocked):
		return err
	default:
		if !bleveRemains(bdir) {
			return err // not a Bleve index: nothing of ours to remove
		}
	}
	trash := filepath.Join(dir, TrashDir)
	if err := os.RemoveAll(trash); err != nil {
		return fmt.Errorf("index: reset %s: %w", dir, err)
	}
	tmp, err := newBleve(dir)
	if err != nil {
		return fmt.Errorf("index: reset %s: make the new index: %w", dir, err)
	}
	// The record of writes goes first: without it the old index still
	// checks whole, while a record without its index would not.
	if err := os.Remove(filepath.Join(dir, CommitFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("index: reset %s: %w", dir, err)
	}
	if err := os.Rename(bdir, trash); err != nil && !errors.Is(err, fs.ErrNotExist) {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("index: reset %s: %w", dir, err)
	}
	if hook := opts.resetHook; hook != nil {
		if err := hook(); err != nil {
			return err // the test's kill: the old index aside, no new one
		}
	}
	if err := os.Rename(tmp, bdir); err != nil {
		_ = os.RemoveAll(tmp)
		// Another command put the old index back (Heal) meanwhile.
		return fmt.Errorf("index: reset %s: the old index was set aside, but the new one could not take its place: %w; run again", dir, err)
	}
	return nil
}

// bleveRemains reports whether bdir is a Bleve index folder, or what an
// interrupted removal of one left (its store/ without index_meta.json).
func bleveRemains(bdir string) bool {
	for _, name := range []string{"index_meta.json", "store"} {
		if _, err := os.Stat(filepath.Join(bdir, name)); err == nil {
			return true
		}
	}
	return false
}

// lexiconKey is the Bleve internal key under which the source of the
// lexicon that extracted the index's claims is kept (see SetLexicon).
const lexiconKey = "redline:lexicon"

// SetLexicon keeps the source of the lexicon whose claims the index holds
// (the file's bytes, as the caller parses it), so that the commands that
// read the index name its parties as that lexicon does, whichever lexicon
// they were built with. It is stored like SetExtractor; the index does not
// interpret it.
func (ix *Index) SetLexicon(src []byte) error {
	if ix.opts.ReadOnly {
		return fmt.Errorf("index %s: %w", ix.dir, ErrReadOnly)
	}
	if err := ix.bl.SetInternal([]byte(lexiconKey), src); err != nil {
		return fmt.Errorf("index: record lexicon: %w", ix.wrap(err))
	}
	return nil
}

// Lexicon returns the lexicon source SetLexicon kept; ok is false when
// none is kept (a new index, or one written before indexes kept it).
func (ix *Index) Lexicon() (src []byte, ok bool, err error) {
	defer recoverDamage(ix.dir, "read the lexicon record", &err)
	b, err := ix.bl.GetInternal([]byte(lexiconKey))
	if err != nil {
		return nil, false, ix.wrap(err)
	}
	return slices.Clone(b), len(b) > 0, nil
}
