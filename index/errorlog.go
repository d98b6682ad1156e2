package index

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// ErrorsFile, in an index folder, says which inputs of the ingests are
// failing and why: one ErrorRecord per line, one line per input and reason,
// sorted by input. It is a state, not a log: each ingest rewrites it (see
// ErrorLog), so a failure met again counts one more run instead of adding a
// line, and an input a complete run read without that failure leaves it.
const ErrorsFile = "errors.jsonl"

// errorsTemp is the temporary file ErrorsFile is written to before it is
// renamed into place; a kill may leave it.
const errorsTemp = "." + ErrorsFile + ".tmp"

// ErrorRecord is one line of ErrorsFile: Input failed for Reason. Times are
// RFC 3339, UTC, each the start of an ingest run, so that a record can be
// traced to the runs that met it: Time is the last run that met the failure
// and FirstSeen the first; Count is how many runs met it. Lines of the older
// log format (time, input, reason only) read as one run each.
type ErrorRecord struct {
	Time      string `json:"time"`
	Input     string `json:"input"`
	Reason    string `json:"reason"`
	FirstSeen string `json:"first_seen"`
	Count     int    `json:"count"`
}

// ReadErrors reads the ErrorsFile of the index folder dir: the number of
// distinct inputs it names (the inputs failing as of the last run that read
// them) and its recent records, newest first (by Time, then the later line;
// none for recent 0 or less). A folder without the file has none; lines that are not
// records are skipped, also those longer than a record can be (a MiB).
// Errors name the file.
func ReadErrors(dir string, recent int) (inputs int, last []ErrorRecord, err error) {
	recs, err := readErrorFile(filepath.Join(dir, ErrorsFile))
	if err != nil {
		return 0, nil, err
	}
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r.Input] = true
	}
	// A negative recent is none, like 0, rather than out-of-range slicing.
	recent = max(recent, 0)
	// Of records of one time, a later line first: the newer of the lines
	// of an older log, which was in the order of the failures.
	// A time that is not RFC 3339 counts as the oldest.
	slices.Reverse(recs)
	at := func(r ErrorRecord) time.Time {
		t, _ := time.Parse(time.RFC3339, r.Time)
		return t
	}
	slices.SortStableFunc(recs, func(a, b ErrorRecord) int { return at(b).Compare(at(a)) })
	last = append([]ErrorRecord{}, recs[:min(recent, len(recs))]...)
	return len(seen), last, nil
}

// readErrorFile reads the records of an ErrorsFile at path, one per input
// and reason: lines of the older log format that repeat an input and reason
// are merged, counting a run each. A missing file has none.
func readErrorFile(path string) ([]ErrorRecord, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []ErrorRecord
	at := map[errorKey]int{}
	err = eachLine(f, maxErrorLine, func(line []byte) {
		var e ErrorRecord
		if json.Unmarshal(line, &e) != nil {
			return
		}
		if e.FirstSeen == "" {
			e.FirstSeen = e.Time
		}
		e.Count = max(e.Count, 1)
		k := errorKey{e.Input, e.Reason}
		i, ok := at[k]
		if !ok {
			at[k] = len(recs)
			recs = append(recs, e)
			return
		}
		r := &recs[i]
		r.Count += e.Count
		r.Time = max(r.Time, e.Time)
		r.FirstSeen = min(r.FirstSeen, e.FirstSeen)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

type errorKey struct{ input, reason string }

// ErrorLog keeps an index folder's ErrorsFile during one ingest run. Read
// may be called from one goroutine while another calls the other methods.
//
// Fail records a failure of the run; Read says that the run read an input
// (whatever came of it). Save writes the file with what is known so far:
// the records of earlier runs, and this run's failures added to them; a run
// stopped early (interrupted, killed) drops nothing, since it did not read
// everything it was given. Finish, at the end of a complete run, drops the
// records of earlier runs for inputs the run read or covered that it did not
// find failing for that reason, and writes the file. Every write replaces
// the file through a temporary file, synced, and a rename, so a kill at any
// moment leaves the old or the new file, whole.
type ErrorLog struct {
	path, run string
	max       int // most records; see ErrorLogOptions.MaxRecords
	unlisted  int // failures of this run not recorded for want of room
	recs      map[errorKey]*ErrorRecord
	met       map[errorKey]bool // failures met by this run
	old       map[string]bool   // inputs of earlier records; not changed after OpenErrorLog
	mu        sync.Mutex        // guards read
	read      map[string]bool   // inputs of earlier records this run read
	dirty     bool
	saved     time.Time
}

// ErrorLogOptions tune an ErrorLog; the zero value means the defaults.
type ErrorLogOptions struct {
	// MaxRecords is the most records the file holds (default
	// DefaultMaxErrorRecords): a run's new failures beyond it are counted
	// (Unlisted) but not recorded, so that a dump of millions of bad lines
	// does not hold them all in memory and rewrite them every second.
	MaxRecords int
}

// DefaultMaxErrorRecords is ErrorLogOptions.MaxRecords when zero: some
// 30 MB of records in memory and on disk.
const DefaultMaxErrorRecords = 100_000

// OpenErrorLog reads the ErrorsFile of the index folder dir for a run that
// started at run.
func OpenErrorLog(dir string, run time.Time, opts ErrorLogOptions) (*ErrorLog, error) {
	if opts.MaxRecords <= 0 {
		opts.MaxRecords = DefaultMaxErrorRecords
	}
	l := &ErrorLog{path: filepath.Join(dir, ErrorsFile), run: run.UTC().Format(time.RFC3339), max: opts.MaxRecords,
		recs: map[errorKey]*ErrorRecord{}, met: map[errorKey]bool{}, old: map[string]bool{}, read: map[string]bool{}}
	recs, err := readErrorFile(l.path)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		l.recs[errorKey{r.Input, r.Reason}] = &r
		l.old[r.Input] = true
	}
	return l, nil
}

// Path is the ErrorsFile the log writes.
func (l *ErrorLog) Path() string { return l.path }

// Fail records that input failed for reason in this run: a failure met
// before counts one more run, once however often the run meets it.
func (l *ErrorLog) Fail(input, reason string) {
	k := errorKey{input, reason}
	if l.met[k] {
		return
	}
	l.met[k] = true
	l.dirty = true
	r, ok := l.recs[k]
	if !ok && len(l.recs) >= l.max {
		l.unlisted++
		return
	}
	if !ok {
		l.recs[k] = &ErrorRecord{Time: l.run, Input: input, Reason: reason, FirstSeen: l.run, Count: 1}
		return
	}
	r.Time = l.run
	r.Count++
}

// Read records that the run read input (see ErrorLog). Only the inputs of
// earlier records are kept, so a run of millions of documents keeps no set
// of them.
func (l *ErrorLog) Read(input string) {
	if !l.old[input] {
		return
	}
	l.mu.Lock()
	l.read[input] = true
	l.mu.Unlock()
}

// Unlisted is the number of this run's failures not recorded because the
// file holds ErrorLogOptions.MaxRecords already.
func (l *ErrorLog) Unlisted() int { return l.unlisted }

// Inputs is the number of distinct inputs the log names.
func (l *ErrorLog) Inputs() int {
	seen := map[string]bool{}
	for k := range l.recs {
		seen[k.input] = true
	}
	return len(seen)
}

// SaveEvery writes the file when this run met failures not yet written and
// it has not written it yet, or the last write is at least every ago: a
// killed run then loses at most that much of its own failures (the next run
// meets them again), and a run with many bad documents does not rewrite the
// file for each.
func (l *ErrorLog) SaveEvery(every time.Duration) error {
	// A long file is rewritten less often: a second more every 10,000
	// records.
	every += time.Duration(len(l.recs)/10_000) * time.Second
	if !l.dirty || time.Since(l.saved) < every {
		return nil
	}
	return l.Save()
}

// Save writes the file with every record, this run's failures included,
// when the run met failures not yet written.
func (l *ErrorLog) Save() error {
	if !l.dirty {
		return nil
	}
	return l.write()
}

// Finish ends a complete run: the records of earlier runs whose input the
// run read (see Read) or covers (covered, for the inputs the run was given:
// a file, anything in a folder, a dump's lines) are dropped unless the run
// met the same failure, and the file is written. An empty log removes the
// file.
func (l *ErrorLog) Finish(covered func(input string) bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.recs {
		if !l.met[k] && (l.read[k.input] || covered(k.input)) {
			delete(l.recs, k)
			l.dirty = true
		}
	}
	return l.Save()
}

// write replaces the file with the records, sorted by input and reason.
func (l *ErrorLog) write() error {
	if len(l.recs) == 0 {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		l.dirty, l.saved = false, time.Now()
		return nil
	}
	recs := slices.SortedFunc(maps.Values(l.recs), func(a, b *ErrorRecord) int {
		return cmp.Or(strings.Compare(a.Input, b.Input), strings.Compare(a.Reason, b.Reason))
	})
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	// A fixed name: one ingest at a time writes an index folder (its lock),
	// and a file left by a killed run is truncated by the next.
	tmp := filepath.Join(filepath.Dir(l.path), errorsTemp)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, l.path); err != nil {
		return err
	}
	// The rename is on disk only once the folder is.
	if d, err := os.Open(filepath.Dir(l.path)); err == nil {
		d.Sync()
		d.Close()
	}
	l.dirty, l.saved = false, time.Now()
	return nil
}

// maxErrorLine is the longest line of ErrorsFile that ReadErrors reads;
// a longer one is not a record ingest wrote, and is skipped.
const maxErrorLine = 1 << 20

// eachLine calls fn with each line of r, without its end, skipping the
// lines longer than max bytes (read through, not kept).
func eachLine(r io.Reader, max int, fn func([]byte)) error {
	br := bufio.NewReader(r)
	var long []byte // a line longer than br's buffer, so far
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(chunk) > max {
				tooLong, long = true, long[:0]
			} else if !tooLong {
				long = append(long, chunk...)
			}
			continue
		}
		line := chunk
		if len(long) > 0 {
			line = append(long, chunk...)
		}
		if len(line) > max {
			tooLong = true
		}
		if len(line) > 0 && !tooLong {
			fn(bytes.TrimSuffix(line, []byte("\n")))
		}
		long, tooLong = long[:0], false
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
