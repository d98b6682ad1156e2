package index

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
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
		e, ok := decodeErrorRecord(line)
		if !ok {
			return
		}
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
//
// The records of earlier runs stay in the file, not in memory: the log
// keeps a 64-bit hash of each record's input and reason, and of each input,
// and each write merges this run's changes into the file as it copies it
// (the file is sorted by input and reason; a file that is not, such as one
// of the older format, is sorted by the first write). A re-run over a file
// of DefaultMaxErrorRecords records thus holds some 10 MB, not the records,
// and one that meets no failure writes nothing. Two inputs (or records)
// whose hashes collide, about one chance in 10^8 for a run of 10^7
// documents over a full file, count as one: a record may then be dropped by
// Finish or counted again without being met.
type ErrorLog struct {
	path, run string
	max       int // most records; see ErrorLogOptions.MaxRecords
	unlisted  int // failures of this run not recorded for want of room
	seed      maphash.Seed

	// What the file holds as of the last write (or OpenErrorLog): the
	// hashes of its records' input and reason, its records, its distinct
	// inputs; sorted is false when its lines are not sorted, unique and
	// of the current form, so the next write reads it whole.
	onDisk  map[uint64]struct{}
	records int
	inputs  int
	sorted  bool

	met     map[uint64]struct{}     // failures met by this run
	pending map[uint64]*ErrorRecord // failures met and not yet written
	added   int                     // of pending, those the file has no record of

	old   map[uint64]struct{} // inputs of earlier records; not changed after OpenErrorLog
	mu    sync.Mutex          // guards read
	read  map[uint64]struct{} // inputs of earlier records this run read
	dirty bool
	saved time.Time
}

// ErrorLogOptions tune an ErrorLog; the zero value means the defaults.
type ErrorLogOptions struct {
	// MaxRecords is the most records the file holds (default
	// DefaultMaxErrorRecords): a run's new failures beyond it are counted
	// (Unlisted) but not recorded, so that a dump of millions of bad lines
	// does not rewrite them all every second.
	MaxRecords int
}

// DefaultMaxErrorRecords is ErrorLogOptions.MaxRecords when zero: some
// 30 MB of records on disk.
const DefaultMaxErrorRecords = 100_000

// OpenErrorLog reads the ErrorsFile of the index folder dir for a run that
// started at run.
func OpenErrorLog(dir string, run time.Time, opts ErrorLogOptions) (*ErrorLog, error) {
	if opts.MaxRecords <= 0 {
		opts.MaxRecords = DefaultMaxErrorRecords
	}
	l := &ErrorLog{path: filepath.Join(dir, ErrorsFile), run: run.UTC().Format(time.RFC3339), max: opts.MaxRecords,
		seed: maphash.MakeSeed(), onDisk: map[uint64]struct{}{}, met: map[uint64]struct{}{},
		pending: map[uint64]*ErrorRecord{}, old: map[uint64]struct{}{}, read: map[uint64]struct{}{}}
	f, err := os.Open(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		l.sorted = true
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l.sorted = true
	var prev lineKey
	err = eachLine(f, maxErrorLine, func(line []byte) {
		k, ok := parseKey(line)
		if !ok {
			return // not a record: a rewrite leaves it out
		}
		if !k.current || (l.records > 0 && compareKeys(prev, k) >= 0) {
			l.sorted = false // an older format, or not sorted
		}
		if h := l.lineHash(k); !l.has(l.onDisk, h) {
			l.onDisk[h] = struct{}{}
			l.records++
		}
		if h := maphash.Bytes(l.seed, k.input); !l.has(l.old, h) {
			l.old[h] = struct{}{}
			l.inputs++
		}
		// The line's buffer is reused: keep a copy.
		prev.input = append(prev.input[:0], k.input...)
		prev.reason = append(prev.reason[:0], k.reason...)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.path, err)
	}
	// The file is rewritten in order by the next write, whatever the run
	// meets.
	l.dirty = !l.sorted
	return l, nil
}

// lineKey is what OpenErrorLog and the writes read of a record line: its
// input and reason (valid while the line is), and whether the record has
// the current form.
type lineKey struct {
	input, reason []byte
	current       bool
}

// parseKey reads the key of a record line (see parseErrorLine, not exact).
func parseKey(line []byte) (k lineKey, ok bool) {
	l, ok := parseErrorLine(line, false)
	return lineKey{input: l.input, reason: l.reason, current: l.count >= 1 && len(l.firstSeen) > 0}, ok
}

func compareKeys(a, b lineKey) int {
	return cmp.Or(bytes.Compare(a.input, b.input), bytes.Compare(a.reason, b.reason))
}

func (l *ErrorLog) keyHash(input, reason string) uint64 {
	var h maphash.Hash
	h.SetSeed(l.seed)
	h.WriteString(input)
	h.WriteByte(0)
	h.WriteString(reason)
	return h.Sum64()
}

// lineHash is keyHash of a line's key.
func (l *ErrorLog) lineHash(k lineKey) uint64 {
	var h maphash.Hash
	h.SetSeed(l.seed)
	h.Write(k.input)
	h.WriteByte(0)
	h.Write(k.reason)
	return h.Sum64()
}

func (l *ErrorLog) inputHash(input string) uint64 { return maphash.String(l.seed, input) }

func (l *ErrorLog) has(m map[uint64]struct{}, h uint64) bool {
	_, ok := m[h]
	return ok
}

// Path is the ErrorsFile the log writes.
func (l *ErrorLog) Path() string { return l.path }

// Fail records that input failed for reason in this run: a failure met
// before counts one more run, once however often the run meets it.
func (l *ErrorLog) Fail(input, reason string) {
	k := l.keyHash(input, reason)
	if l.has(l.met, k) {
		return
	}
	l.met[k] = struct{}{}
	known := l.has(l.onDisk, k)
	if !known && l.records+l.added >= l.max {
		l.unlisted++
		return
	}
	l.pending[k] = &ErrorRecord{Time: l.run, Input: input, Reason: reason, FirstSeen: l.run, Count: 1}
	if !known {
		l.added++
	}
	l.dirty = true
}

// Read records that the run read input (see ErrorLog). Only the inputs of
// earlier records are kept, so a run of millions of documents keeps no set
// of them.
func (l *ErrorLog) Read(input string) {
	h := l.inputHash(input)
	if !l.has(l.old, h) {
		return
	}
	l.mu.Lock()
	l.read[h] = struct{}{}
	l.mu.Unlock()
}

// Unlisted is the number of this run's failures not recorded because the
// file holds ErrorLogOptions.MaxRecords already.
func (l *ErrorLog) Unlisted() int { return l.unlisted }

// Inputs is the number of distinct inputs the file names, as of its last
// write (after Save or Finish, all the log knows).
func (l *ErrorLog) Inputs() int { return l.inputs }

// SaveEvery writes the file when this run met failures not yet written and
// it has not written it yet, or the last write is at least every ago: a
// killed run then loses at most that much of its own failures (the next run
// meets them again), and a run with many bad documents does not rewrite the
// file for each.
func (l *ErrorLog) SaveEvery(every time.Duration) error {
	// A long file is rewritten less often: a second more every 10,000
	// records.
	every += time.Duration(l.records/10_000) * time.Second
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
	return l.write(nil)
}

// Finish ends a complete run: the records of earlier runs whose input the
// run read (see Read) or covers (covered, for the inputs the run was given:
// a file, anything in a folder, a dump's lines) are dropped unless the run
// met the same failure, and the file is written. An empty log removes the
// file.
func (l *ErrorLog) Finish(covered func(input string) bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	drop := func(input, reason string) bool {
		if l.has(l.met, l.keyHash(input, reason)) {
			return false
		}
		return l.has(l.read, l.inputHash(input)) || covered(input)
	}
	if !l.dirty && l.records > 0 {
		// Whether anything goes is known only by reading the file; a
		// run over other inputs drops nothing, and writes nothing.
		any, err := l.anyDropped(drop)
		if err != nil {
			return err
		}
		if !any {
			return nil
		}
	}
	return l.write(drop)
}

// anyDropped reports whether drop drops a record of the file.
func (l *ErrorLog) anyDropped(drop func(input, reason string) bool) (bool, error) {
	f, err := os.Open(l.path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	found := false
	err = eachLine(f, maxErrorLine, func(line []byte) {
		if found {
			return
		}
		if k, ok := parseKey(line); ok && drop(string(k.input), string(k.reason)) {
			found = true
		}
	})
	return found, err
}

// write replaces the file with its records and this run's, sorted by input
// and reason, leaving out those drop (when not nil) drops.
func (l *ErrorLog) write(drop func(input, reason string) bool) error {
	// A fixed name: one ingest at a time writes an index folder (its lock),
	// and a file left by a killed run is truncated by the next.
	tmp := filepath.Join(filepath.Dir(l.path), errorsTemp)
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 256<<10)
	onDisk := make(map[uint64]struct{}, len(l.onDisk)+l.added)
	records, inputs, last := 0, 0, ""
	emit := func(r *ErrorRecord, line []byte, h uint64) error {
		if drop != nil && drop(r.Input, r.Reason) {
			return nil
		}
		if line == nil {
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			line = b
		}
		if records == 0 || r.Input != last {
			inputs++
			last = r.Input
		}
		records++
		onDisk[h] = struct{}{}
		if _, err := w.Write(line); err != nil {
			return err
		}
		return w.WriteByte('\n')
	}
	err = l.merge(emit)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && records == 0 {
		err = os.Remove(l.path)
		if errors.Is(err, fs.ErrNotExist) {
			err = nil
		}
		_ = os.Remove(tmp)
	} else if err == nil {
		err = os.Rename(tmp, l.path)
	}
	if err != nil {
		return err
	}
	// The rename is on disk only once the folder is.
	if d, err := os.Open(filepath.Dir(l.path)); err == nil {
		d.Sync()
		d.Close()
	}
	l.onDisk, l.records, l.inputs, l.sorted = onDisk, records, inputs, true
	clear(l.pending)
	l.added = 0
	l.dirty, l.saved = false, time.Now()
	return nil
}

// merge calls emit with every record the file is to hold, in order: the
// file's records, those this run met again counted once more, and this
// run's new ones. A record the file holds unchanged comes with its line.
func (l *ErrorLog) merge(emit func(r *ErrorRecord, line []byte, h uint64) error) error {
	var added []*ErrorRecord
	for h, r := range l.pending {
		if !l.has(l.onDisk, h) {
			added = append(added, r)
		}
	}
	byKey := func(a, b *ErrorRecord) int {
		return cmp.Or(strings.Compare(a.Input, b.Input), strings.Compare(a.Reason, b.Reason))
	}
	slices.SortFunc(added, byKey)
	emitAdded := func(before *ErrorRecord) error {
		for len(added) > 0 && (before == nil || byKey(added[0], before) < 0) {
			if err := emit(added[0], nil, l.keyHash(added[0].Input, added[0].Reason)); err != nil {
				return err
			}
			added = added[1:]
		}
		return nil
	}
	update := func(r *ErrorRecord, h uint64) bool {
		if _, ok := l.pending[h]; !ok {
			return false
		}
		r.Time = max(r.Time, l.run)
		r.FirstSeen = min(r.FirstSeen, l.run)
		r.Count++
		return true
	}
	if !l.sorted {
		// Read whole, merged and sorted.
		recs, err := readErrorFile(l.path)
		if err != nil {
			return err
		}
		slices.SortFunc(recs, func(a, b ErrorRecord) int { return byKey(&a, &b) })
		for i := range recs {
			r := &recs[i]
			if err := emitAdded(r); err != nil {
				return err
			}
			h := l.keyHash(r.Input, r.Reason)
			update(r, h)
			if err := emit(r, nil, h); err != nil {
				return err
			}
		}
		return emitAdded(nil)
	}
	f, err := os.Open(l.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err == nil {
		defer f.Close()
		var werr error
		err = eachLine(f, maxErrorLine, func(line []byte) {
			if werr != nil {
				return
			}
			k, ok := parseKey(line)
			if !ok {
				return
			}
			r := &ErrorRecord{Input: string(k.input), Reason: string(k.reason)}
			if werr = emitAdded(r); werr != nil {
				return
			}
			h := l.lineHash(k)
			if _, ok := l.pending[h]; ok {
				if werr = json.Unmarshal(line, r); werr != nil {
					return
				}
				update(r, h)
				werr = emit(r, nil, h)
				return
			}
			werr = emit(r, line, h)
		})
		if err = cmp.Or(err, werr); err != nil {
			return fmt.Errorf("%s: %w", l.path, err)
		}
	}
	return emitAdded(nil)
}

// maxErrorLine is the longest line of ErrorsFile that ReadErrors reads;
// a longer one is not a record ingest wrote, and is skipped.
const maxErrorLine = 1 << 20

// eachLine calls fn with each line of r, without its end, skipping the
// lines longer than max bytes (read through, not kept).
func eachLine(r io.Reader, max int, fn func([]byte)) error {
	return eachLineAt(r, max, func(line []byte, _ int64) bool {
		fn(line)
		return true
	})
}

// eachLineAt is eachLine with each line's offset in r, stopping when fn
// returns false.
func eachLineAt(r io.Reader, max int, fn func(line []byte, off int64) bool) error {
	br := bufio.NewReader(r)
	var long []byte // a line longer than br's buffer, so far
	tooLong := false
	var pos, start int64 // read so far; where the line started
	for {
		chunk, err := br.ReadSlice('\n')
		pos += int64(len(chunk))
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
			if !fn(bytes.TrimSuffix(line, []byte("\n")), start) {
				return nil
			}
		}
		long, tooLong, start = long[:0], false, pos
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
