package index

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged: the index files on disk are damaged (a corrupt or missing
// segment, a rolled-back state) and what was read from them cannot be
// trusted. The returned error wraps it with the index folder, the damaged
// segment files when known, and what to do. Read methods (Open, Search,
// Claims, Stats, Snapshot, ...) turn a panic inside the index libraries into
// such an error; see Check for a full verification.
var ErrDamaged = errors.New("index is damaged")

// damageAdvice is what a user can do about a damaged index.
const damageAdvice = "run redline check for details and redline repair to rebuild it from what is readable"

// damagedError is the error wrapping ErrDamaged.
type damagedError struct {
	dir      string
	op       string   // what was being done: "export", "search", ...
	segments []string // damaged segment files (base names), when known
	cause    string   // what went wrong
}

func (e *damagedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "index %s is damaged", e.dir)
	if len(e.segments) > 0 {
		fmt.Fprintf(&b, " (segment %s)", strings.Join(e.segments, ", "))
	}
	if e.op != "" || e.cause != "" {
		b.WriteString(": ")
		if e.op != "" {
			b.WriteString(e.op)
			if e.cause != "" {
				b.WriteString(": ")
			}
		}
		b.WriteString(e.cause)
	}
	b.WriteString("; " + damageAdvice)
	return b.String()
}

func (e *damagedError) Is(target error) bool { return target == ErrDamaged }

// callerPanic carries a panic of a caller's callback (Claims' fn) through
// the recovery of the index's own entry points, which re-raise it.
type callerPanic struct{ v any }

// recoverDamage is deferred by every method that reads the index: a panic
// inside Bleve, zap or vellum (a slice out of range on a corrupt segment,
// say) becomes an error wrapping ErrDamaged in *errp, naming the index folder
// and the segment files whose checksums fail. A panic of the caller's own
// callback is re-raised unchanged.
func recoverDamage(dir, op string, errp *error) {
	p := recover()
	if p == nil {
		return
	}
	if cp, ok := p.(callerPanic); ok {
		panic(cp.v)
	}
	if os.Getenv("REDLINE_DEBUG_PANIC") != "" {
		fmt.Fprintf(os.Stderr, "redline: recovered panic in index %s (%s): %v\n%s", dir, op, p, debug.Stack())
	}
	bad, _ := damagedSegments(filepath.Join(dir, BleveDir), nil)
	names := make([]string, len(bad))
	for i, s := range bad {
		names[i] = s.name
	}
	*errp = &damagedError{dir: dir, op: op, segments: names, cause: fmt.Sprintf("the index library failed reading it (%v)", p)}
}

// guard calls fn and re-raises a panic of it as a callerPanic, so that
// recoverDamage tells it from damage.
func guard[T any](fn func(T) error) func(T) error {
	return func(v T) (err error) {
		defer func() {
			if p := recover(); p != nil {
				panic(callerPanic{p})
			}
		}()
		return fn(v)
	}
}

// segmentProblem is a segment file that fails verification.
type segmentProblem struct {
	name string // base name, e.g. 000000000004.zap
	why  string
}

// storeDir is where scorch keeps its segments and root.bolt.
func storeDir(bdir string) string { return filepath.Join(bdir, "store") }

// damagedSegments verifies the checksum of every segment file in the
// Bleve folder bdir but those named in skip (verified already), and
// returns those that fail, by name.
func damagedSegments(bdir string, skip map[string]bool) ([]segmentProblem, error) {
	files, err := filepath.Glob(filepath.Join(storeDir(bdir), "*.zap"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []segmentProblem
	for _, f := range files {
		if skip[filepath.Base(f)] {
			continue
		}
		if err := verifySegmentFile(f); err != nil {
			out = append(out, segmentProblem{name: filepath.Base(f), why: err.Error()})
		}
	}
	return out, nil
}

// verifySegmentFile checks a zap segment file against the CRC-32 (IEEE) in
// its last four bytes, which zap computes over everything before it.
func verifySegmentFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	if size < 4 {
		return fmt.Errorf("%d bytes: too short for a segment", size)
	}
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, size-4)); err != nil {
		return err
	}
	var tail [4]byte
	if _, err := f.ReadAt(tail[:], size-4); err != nil {
		return err
	}
	if want, got := binary.BigEndian.Uint32(tail[:]), h.Sum32(); want != got {
		return fmt.Errorf("checksum mismatch: the file records %08x, its contents give %08x", want, got)
	}
	return nil
}

// missingSegments reads the Bleve folder's root.bolt without Bleve and
// returns the segment files that its newest snapshot names but that are
// not on disk. Bleve itself then opens an older snapshot, or none.
func missingSegments(bdir string, timeout time.Duration) ([]string, error) {
	db, err := bbolt.Open(filepath.Join(storeDir(bdir), "root.bolt"), 0o600, &bbolt.Options{ReadOnly: true, Timeout: timeout})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var missing []string
	err = db.View(func(tx *bbolt.Tx) error {
		snaps := tx.Bucket([]byte{'s'}) // scorch's snapshots bucket
		if snaps == nil {
			return nil
		}
		c := snaps.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			snap := snaps.Bucket(k)
			if v != nil || snap == nil {
				continue
			}
			return snap.ForEachBucket(func(sk []byte) error {
				seg := snap.Bucket(sk)
				p := seg.Get([]byte{'p'}) // the segment's file name
				if p == nil {
					return nil
				}
				if _, err := os.Stat(filepath.Join(storeDir(bdir), string(p))); errors.Is(err, fs.ErrNotExist) {
					missing = append(missing, filepath.Base(string(p)))
				}
				return nil
			})
		}
		return nil
	})
	return missing, err
}

// openDamage explains why Bleve could not open the index in bdir when the
// cause is damage on disk: segment files failing their checksums, or a
// root.bolt the database library rejects. It returns nil for other causes.
func openDamage(dir, bdir string, openErr error) error {
	if bad, _ := damagedSegments(bdir, nil); len(bad) > 0 {
		names, why := make([]string, len(bad)), make([]string, len(bad))
		for i, s := range bad {
			names[i], why[i] = s.name, s.name+": "+s.why
		}
		return &damagedError{dir: dir, op: "open", segments: names, cause: strings.Join(why, "; ")}
	}
	msg := openErr.Error()
	if errors.Is(openErr, bolterrors.ErrChecksum) || errors.Is(openErr, bolterrors.ErrInvalid) || errors.Is(openErr, bolterrors.ErrVersionMismatch) ||
		strings.Contains(msg, "checksum error") || strings.Contains(msg, "invalid database") || strings.Contains(msg, "version mismatch") {
		return &damagedError{dir: dir, op: "open", cause: fmt.Sprintf("%s, the record of the index's segments, is damaged (%v)", filepath.Join(storeDir(bdir), "root.bolt"), openErr)}
	}
	return nil
}
