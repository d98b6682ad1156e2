package index

import (
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
	modTime time.Time
}

func keyOf(path string) (verifiedKey, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return verifiedKey{}, false
	}
	return verifiedKey{filepath.Base(path), fi.Size(), fi.ModTime()}, true
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
