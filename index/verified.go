package index

import (
	"encoding/json"
	"os"
	"path/filepath"
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
}

type verifiedKey struct {
	name    string
	size    int64
	modTime int64 // in nanoseconds since 1970: a time.Time read back from JSON has another location and compares unequal
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

// add records the file at path as verified.
func (v *Verified) add(path string) {
	k, ok := keyOf(path)
	if !ok {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.files == nil {
		v.files = make(map[verifiedKey]bool)
	}
	v.files[k] = true
}

// VerifiedFile, in the Bleve folder of an index, records the segment files
// whose checksums a command verified, so that the next command (a new
// process, with an empty Verified) does not read them all again: without
// it every search, export and stats read the whole index from disk, a cost
// that grows with the index (a gigabyte for some 100,000 articles). Check
// reads every file whatever it records. Only the live index has one; a
// published view lists what the writer verified in a file of its own.
const VerifiedFile = "verified-segments.json"

// settled is how much older than the start of a verification a file's
// modification time must be for the verification to be recorded on disk.
// Some file systems keep modification times in whole seconds (two on FAT),
// and Linux's are a clock tick coarse: a file changed within the tick it
// was verified in keeps its time, and a record of it could vouch for
// content it never saw. A file written longer ago than that cannot change
// again without a later time. Segments are read again by each command until
// they are that old, which only a fresh ingest's are.
const settled = 2 * time.Second

// verifiedRecord is one line of VerifiedFile: a segment file as keyOf
// knows it.
type verifiedRecord struct {
	Name    string `json:"name"`
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime_ns"`
}

// load adds the files VerifiedFile in the Bleve folder bdir records. A
// missing or unreadable record vouches for nothing: the files are read.
func (v *Verified) load(bdir string) {
	b, err := os.ReadFile(filepath.Join(bdir, VerifiedFile))
	if err != nil {
		return
	}
	var recs []verifiedRecord
	if json.Unmarshal(b, &recs) != nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.files == nil {
		v.files = make(map[verifiedKey]bool)
	}
	for _, r := range recs {
		v.files[verifiedKey{filepath.Base(r.Name), r.Size, r.ModTime}] = true
	}
}

// save records in VerifiedFile in the Bleve folder bdir those of the
// segment files at paths that v holds as verified and that were last
// written before start-settled, where start is when their verification
// began. Files no longer in paths (merged away) drop out of the record.
func (v *Verified) save(bdir string, paths []string, start time.Time) error {
	recs := []verifiedRecord{}
	for _, p := range paths {
		k, ok := keyOf(p)
		if !ok || k.modTime >= start.Add(-settled).UnixNano() {
			continue
		}
		v.mu.Lock()
		ok = v.files[k]
		v.mu.Unlock()
		if ok {
			recs = append(recs, verifiedRecord{k.name, k.size, k.modTime})
		}
	}
	return writeJSONAtomic(filepath.Join(bdir, VerifiedFile), recs, false)
}
