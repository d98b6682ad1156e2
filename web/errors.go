package web

import (
	"os"
	"path/filepath"
	"slices"
	"sync"

	"redline/index"
)

// errorsCache holds what the status page and /api/stats last read of the
// index folder's ErrorsFile, and reads it again only when the file changed.
// A full file (100,000 records) costs some 0.1 s to read, several times
// that while an ingest loads the machine, and an ingest rewrites it at most
// every second or so, whole, through a rename: a file of the same identity,
// size and modification time as the one read holds what was read.
type errorsCache struct {
	mu     sync.Mutex // held while reading, so that requests at once read once
	fi     os.FileInfo
	recent int
	inputs int
	last   []index.ErrorRecord
}

// read is index.ReadErrors(dir, recent), from the last read when the file
// did not change since.
func (c *errorsCache) read(dir string, recent int) (int, []index.ErrorRecord, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Stat before reading: a file replaced in between is read again by
	// the next request rather than taken for the one stated.
	fi, err := os.Stat(filepath.Join(dir, index.ErrorsFile))
	if err != nil {
		fi = nil // no file, or none that can be told apart: read it each time
	}
	if fi != nil && c.fi != nil && c.recent == recent && os.SameFile(fi, c.fi) &&
		fi.Size() == c.fi.Size() && fi.ModTime().Equal(c.fi.ModTime()) {
		return c.inputs, slices.Clone(c.last), nil
	}
	inputs, last, err := index.ReadErrors(dir, recent)
	if err != nil {
		c.fi = nil
		return 0, nil, err
	}
	c.fi, c.recent, c.inputs, c.last = fi, recent, inputs, last
	return inputs, slices.Clone(last), nil
}
