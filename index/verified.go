package index

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Verified remembers the segment files of one index whose checksums were
// verified, so that an Index opened again on the same index (a server
// reopens it after every idle spell and every commit) does not read them
// all again: segment files never change once written. A file is known by
// its name, size and modification time, which a published view's hard
// links share with the live file, and which differ for a file written
// anew under an old name (after --rebuild). The zero value is empty and
// ready; it is safe for concurrent use. Pass one in Options.Verified to
// share it between opens.
type Verified struct {
	mu    sync.Mutex
	files map[verifiedKey]bool
	// old holds the verified files whose modification time was older
	// than racyAge when they were verified, or that a record vouched for:
	// those VerifiedFile may list.
	old map[verifiedKey]bool
}

type verifiedKey struct {
	name    string
	size    int64
	modTime int64 // Unix nanoseconds
}

func keyOf(path string) (verifiedKey, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return verifiedKey{}, false
	}
	return verifiedKey{filepath.Base(path), fi.Size(), fi.ModTime().UnixNano()}, true
}

// has reports whether the file at path was verified as it is now.
func (v *Verified) has(path string) bool {
	k, ok := keyOf(path)
	if !ok {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.files[k]
}

// VerifiedFile, in an index folder, records the segment files whose
// checksums a past command verified, each by name, size and modification
// time, so that the next command does not read the whole index again: a
// `redline search` on an index of millions of claims would otherwise read
// gigabytes before answering. It is a cache, never an authority: a file
// whose size or time differs from its entry is verified again, `redline
// check` and repair read every segment whatever it says, and a missing,
// unreadable or unwritable record only costs the reading.
const VerifiedFile = "verified-segments.json"

// racyAge is how old a segment file's modification time must be when it is
// verified for the record to vouch for it later. A file changed within the
// file system's timestamp granularity of its verification (a tick, some
// milliseconds) could keep its time: only a file already this old when it
// was read is vouched for (git's index has the same rule for "racily
// clean" entries).
const racyAge = 2 * time.Second

// verifiedRecord is the content of VerifiedFile.
type verifiedRecord struct {
	Segments []verifiedEntry `json:"segments"`
}

type verifiedEntry struct {
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mod_time_ns"` // Unix nanoseconds
}

// load adds the entries of the record at path; a missing or unreadable
// record adds nothing.
func (v *Verified) load(path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	var rec verifiedRecord
	if json.Unmarshal(b, &rec) != nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.files == nil {
		v.files = make(map[verifiedKey]bool)
	}
	for _, e := range rec.Segments {
		if e.Name == "" || e.Name != filepath.Base(e.Name) {
			continue
		}
		k := verifiedKey{e.Name, e.Size, e.ModTime}
		v.files[k] = true
		if v.old == nil {
			v.old = make(map[verifiedKey]bool)
		}
		v.old[k] = true
	}
}

// save writes the record at path: the segment files among paths that were
// verified as they are now and were older than racyAge then (see vouch). It
// reports whether it wrote one.
func (v *Verified) save(path string, paths []string) (bool, error) {
	var rec verifiedRecord
	v.mu.Lock()
	for _, p := range paths {
		k, ok := keyOf(p)
		if ok && v.files[k] && v.old[k] {
			rec.Segments = append(rec.Segments, verifiedEntry{k.name, k.size, k.modTime})
		}
	}
	v.mu.Unlock()
	if len(rec.Segments) == 0 {
		return false, nil
	}
	slices.SortFunc(rec.Segments, func(a, b verifiedEntry) int { return strings.Compare(a.Name, b.Name) })
	return true, writeJSONAtomic(path, rec, false)
}

// vouch records the file at path as verified now, and as one the record
// may vouch for if its modification time was older than racyAge at the
// time, which it reports.
func (v *Verified) vouch(path string, verifiedAt time.Time) (old bool) {
	k, ok := keyOf(path)
	if !ok {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.files == nil {
		v.files = make(map[verifiedKey]bool)
	}
	v.files[k] = true
	if verifiedAt.Sub(time.Unix(0, k.modTime)) < racyAge {
		return false
	}
	if v.old == nil {
		v.old = make(map[verifiedKey]bool)
	}
	v.old[k] = true
	return true
}
