package index

import (
	"bytes"
	"container/heap"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// ReadErrors reads the ErrorsFile of the index folder dir: the number of
// distinct inputs it names (the inputs failing as of the last run that read
// them) and its recent records, newest first (by Time, then the later line;
// a Time that is not RFC 3339 counts as the oldest; none for recent 0 or
// less). Lines of the older log format that repeat an input and reason are
// one record, as ErrorLog reads them. A folder without the file has none;
// lines that are not records are skipped, also those longer than a record
// can be (a MiB). Errors name the file.
//
// The file is read in one pass and its records are not kept: a file as
// ingest writes it (sorted by input and reason) costs a copy of the recent
// lines. One that is not sorted, such as one of the older format, is read
// twice and costs a hash and the times of each record; two inputs (or
// records) of it whose 64-bit hashes collide count as one.
func ReadErrors(dir string, recent int) (inputs int, last []ErrorRecord, err error) {
	path := filepath.Join(dir, ErrorsFile)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, []ErrorRecord{}, nil
	}
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	// A negative recent is none, like 0, rather than out-of-range slicing.
	recent = max(recent, 0)
	inputs, last, sorted, err := newestSorted(f, recent)
	if err == nil && !sorted {
		// Reread from the start of the same file, which a write
		// replaces by a rename, not in place.
		if _, err = f.Seek(0, io.SeekStart); err == nil {
			inputs, last, err = newestMerged(f, recent)
		}
	}
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", path, err)
	}
	return inputs, last, nil
}

// newestSorted reads the records of an ErrorsFile from r, as long as each
// line's input and reason come after the last line's (sorted reports
// whether they all do): each line is then a record of its own, and an
// input's records are on adjacent lines, so that the inputs are counted
// and the recent newest records kept without holding any other.
func newestSorted(r io.Reader, recent int) (inputs int, last []ErrorRecord, sorted bool, err error) {
	newest := newestHeap[recentLine]{max: recent, older: func(a, b recentLine) bool {
		return a.at.Compare(b.at) < 0 || a.at.Equal(b.at) && a.n < b.n
	}}
	times := timeCache{}
	var prevIn, prevRe []byte
	sorted = true
	n := 0 // records so far
	err = eachLineAt(r, maxErrorLine, func(line []byte, _ int64) bool {
		l, ok := parseErrorLine(line, true)
		if !ok {
			return true
		}
		if n > 0 {
			c := bytes.Compare(l.input, prevIn)
			if c < 0 || c == 0 && bytes.Compare(l.reason, prevRe) <= 0 {
				sorted = false
				return false
			}
			if c > 0 {
				inputs++
			}
		} else {
			inputs++
		}
		// The line's buffer is reused: keep copies.
		prevIn = append(prevIn[:0], l.input...)
		prevRe = append(prevRe[:0], l.reason...)
		if recent > 0 {
			x := recentLine{at: times.at(l.time), n: n}
			if newest.admits(x) {
				// The line the new one replaces lends it its buffer.
				x.line = append(newest.spare().line[:0], line...)
				newest.push(x)
			}
		}
		n++
		return true
	})
	if err != nil || !sorted {
		return 0, nil, sorted, err
	}
	last = make([]ErrorRecord, 0, len(newest.items))
	for _, x := range newest.sorted() {
		r, ok := decodeErrorRecord(x.line)
		if !ok {
			return 0, nil, true, fmt.Errorf("line %q read as a record once, then not", x.line)
		}
		last = append(last, r)
	}
	return inputs, last, true, nil
}

// recentLine is a line newestSorted keeps: its record's time, number, and
// the line itself.
type recentLine struct {
	at   time.Time
	n    int
	line []byte
}

// newestMerged reads the records of the ErrorsFile f in any order,
// merging the lines of one input and reason as readErrorFile does: each
// record's hash, number, merged times and count are kept, and the recent
// newest are read again from f at the offset of their first line. With
// recent 0, only the inputs' hashes are kept.
func newestMerged(f *os.File, recent int) (inputs int, last []ErrorRecord, err error) {
	seed := maphash.MakeSeed()
	seenInputs := map[uint64]struct{}{}
	var recs []mergedRecord
	times := stringCache{} // the records of one run share its time
	at := map[uint64]int{} // recs' indexes by hash of input and reason
	err = eachLineAt(f, maxErrorLine, func(line []byte, off int64) bool {
		l, ok := parseErrorLine(line, true)
		if !ok {
			return true
		}
		seenInputs[maphash.Bytes(seed, l.input)] = struct{}{}
		if recent == 0 {
			return true
		}
		firstSeen := l.firstSeen
		if len(firstSeen) == 0 {
			firstSeen = l.time
		}
		count := max(l.count, 1)
		// The input's length first, so that no two pairs of strings
		// hash the same bytes.
		var h maphash.Hash
		h.SetSeed(seed)
		var n [8]byte
		h.Write(strconv.AppendUint(n[:0], uint64(len(l.input)), 36))
		h.WriteByte(0)
		h.Write(l.input)
		h.Write(l.reason)
		k := h.Sum64()
		i, ok := at[k]
		if !ok {
			at[k] = len(recs)
			recs = append(recs, mergedRecord{off: off, len: len(line), time: times.intern(l.time), firstSeen: times.intern(firstSeen), count: count})
			return true
		}
		r := &recs[i]
		r.count += count
		if string(l.time) > r.time {
			r.time = times.intern(l.time)
		}
		if string(firstSeen) < r.firstSeen {
			r.firstSeen = times.intern(firstSeen)
		}
		return true
	})
	if err != nil {
		return 0, nil, err
	}
	newest := newestHeap[recentRecord]{max: recent, older: func(a, b recentRecord) bool {
		return a.at.Compare(b.at) < 0 || a.at.Equal(b.at) && a.i < b.i
	}}
	parsed := timeCache{}
	for i := range recs {
		x := recentRecord{at: parsed.atString(recs[i].time), i: i}
		if newest.admits(x) {
			newest.push(x)
		}
	}
	last = make([]ErrorRecord, 0, len(newest.items))
	var buf []byte
	for _, x := range newest.sorted() {
		m := recs[x.i]
		buf = slices.Grow(buf[:0], m.len)[:m.len]
		if _, err := f.ReadAt(buf, m.off); err != nil {
			return 0, nil, err
		}
		r, ok := decodeErrorRecord(buf)
		if !ok {
			return 0, nil, fmt.Errorf("line %q at offset %d read as a record once, then not", buf, m.off)
		}
		r.Time, r.FirstSeen, r.Count = m.time, m.firstSeen, m.count
		last = append(last, r)
	}
	return len(seenInputs), last, nil
}

// mergedRecord is what newestMerged keeps of a record: where its first
// line is, and its merged times and count.
type mergedRecord struct {
	off             int64
	len             int
	time, firstSeen string
	count           int
}

// recentRecord is a record of newestMerged's: its time and number.
type recentRecord struct {
	at time.Time
	i  int
}

// newestHeap keeps the max newest of the items pushed: a heap of them by
// older, the oldest first (container/heap's interface, through heapOf).
type newestHeap[T any] struct {
	max   int
	older func(a, b T) bool
	items []T
}

// admits reports whether x would be kept.
func (h *newestHeap[T]) admits(x T) bool {
	return len(h.items) < h.max || h.max > 0 && h.older(h.items[0], x)
}

// spare is the item the next push replaces, or a zero one when none is.
func (h *newestHeap[T]) spare() *T {
	if len(h.items) < h.max {
		var zero T
		return &zero
	}
	return &h.items[0]
}

// push keeps x, which admits admits, in place of the oldest item when
// there are max.
func (h *newestHeap[T]) push(x T) {
	if len(h.items) < h.max {
		heap.Push(heapOf[T]{h}, x)
		return
	}
	h.items[0] = x
	heap.Fix(heapOf[T]{h}, 0)
}

// heapOf is a newestHeap as container/heap sees it.
type heapOf[T any] struct{ h *newestHeap[T] }

func (o heapOf[T]) Len() int           { return len(o.h.items) }
func (o heapOf[T]) Less(i, j int) bool { return o.h.older(o.h.items[i], o.h.items[j]) }
func (o heapOf[T]) Swap(i, j int)      { o.h.items[i], o.h.items[j] = o.h.items[j], o.h.items[i] }
func (o heapOf[T]) Push(x any)         { o.h.items = append(o.h.items, x.(T)) }
func (o heapOf[T]) Pop() any {
	x := o.h.items[len(o.h.items)-1]
	o.h.items = o.h.items[:len(o.h.items)-1]
	return x
}

// sorted is the items, newest first.
func (h *newestHeap[T]) sorted() []T {
	s := slices.Clone(h.items)
	slices.SortFunc(s, func(a, b T) int {
		if h.older(b, a) {
			return -1
		}
		if h.older(a, b) {
			return 1
		}
		return 0
	})
	return s
}

// timeCache parses the Time of records, a Time that is not RFC 3339 being
// the zero time; the records of one ingest run share one.
type timeCache map[string]time.Time

func (c timeCache) at(b []byte) time.Time {
	if t, ok := c[string(b)]; ok {
		return t
	}
	return c.atString(string(b))
}

func (c timeCache) atString(s string) time.Time {
	if t, ok := c[s]; ok {
		return t
	}
	t, _ := time.Parse(time.RFC3339, s)
	// A bound on the cache, for a file of a thousand different times.
	if len(c) < 1024 {
		c[s] = t
	}
	return t
}

// stringCache holds one copy of each string it is asked for, up to a
// bound.
type stringCache map[string]string

func (c stringCache) intern(b []byte) string {
	if s, ok := c[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(c) < 1024 {
		c[s] = s
	}
	return s
}

// decodeErrorRecord reads a record line as ReadErrors and ErrorLog do: by
// encoding/json, a line of the older format (no first_seen, no count)
// being one run at its time.
func decodeErrorRecord(line []byte) (ErrorRecord, bool) {
	var e ErrorRecord
	if json.Unmarshal(line, &e) != nil {
		return ErrorRecord{}, false
	}
	if e.FirstSeen == "" {
		e.FirstSeen = e.Time
	}
	e.Count = max(e.Count, 1)
	return e, true
}

// errorLine is a record line's fields as json.Unmarshal decodes them into
// an ErrorRecord (valid while the line is).
type errorLine struct {
	time, input, reason, firstSeen []byte
	count                          int
}

// parseErrorLine reads a record line: ok is whether json.Unmarshal reads
// it into an ErrorRecord, and the fields are what it reads. A line as
// write makes it, or as the older log did (its fields in their order,
// strings without escapes, an integer count), is read in place, some ten
// times faster than by encoding/json, which reads any other.
//
// Unless exact, a line's strings are taken as they are when they have no
// escapes, without checking for what encoding/json would refuse or
// replace (control characters, invalid UTF-8), which ingest never writes:
// enough for ErrorLog, which copies lines whole and tells them apart by
// their keys, and spares it a fifth of its time.
func parseErrorLine(line []byte, exact bool) (l errorLine, ok bool) {
	rest, ok := bytes.CutPrefix(line, []byte(`{"time":"`))
	str := func(key string) []byte {
		if !ok {
			return nil
		}
		var v []byte
		if key != "" {
			rest, ok = bytes.CutPrefix(rest, []byte(key))
		}
		if ok {
			v, rest, ok = bytes.Cut(rest, []byte(`"`))
		}
		if ok && exact {
			ok = plainJSON(v)
		} else if ok {
			ok = bytes.IndexByte(v, '\\') < 0
		}
		return v
	}
	l.time = str("")
	l.input = str(`,"input":"`)
	l.reason = str(`,"reason":"`)
	if ok && string(rest) == "}" {
		return l, true // the older format
	}
	l.firstSeen = str(`,"first_seen":"`)
	if ok {
		var n []byte
		n, ok = bytes.CutPrefix(rest, []byte(`,"count":`))
		if ok {
			n, ok = bytes.CutSuffix(n, []byte("}"))
		}
		if ok {
			l.count, ok = jsonInt(n)
		}
	}
	if ok {
		return l, true
	}
	var r ErrorRecord
	if json.Unmarshal(line, &r) != nil {
		return errorLine{}, false
	}
	return errorLine{time: []byte(r.Time), input: []byte(r.Input), reason: []byte(r.Reason),
		firstSeen: []byte(r.FirstSeen), count: r.Count}, true
}

// plainJSON reports whether the inside of a JSON string, b, decodes to
// itself: valid UTF-8 without escapes or control characters (which JSON
// does not allow unescaped).
func plainJSON(b []byte) bool {
	// Eight bytes at a time, as long as none is under 0x20, a backslash
	// or over 0x7f; the bytes from the first word that has one, one by one.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		y := x ^ ones*'\\'
		if ((x-ones*0x20)&^x|(y-ones)&^y|x)&highs != 0 {
			break
		}
	}
	b = b[i:]
	ascii := true
	for _, c := range b {
		if c < 0x20 || c == '\\' {
			return false
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	return ascii || utf8.Valid(b)
}

// jsonInt reads b as json.Unmarshal reads a JSON number into an int: a
// JSON integer (no '+', no leading zero) within the range of int.
func jsonInt(b []byte) (int, bool) {
	d := bytes.TrimPrefix(b, []byte("-"))
	if len(d) == 0 || d[0] == '0' && len(d) > 1 {
		return 0, false
	}
	for _, c := range d {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	if len(d) <= 9 {
		// Within the range of any int: no need of strconv.
		n := 0
		for _, c := range d {
			n = n*10 + int(c-'0')
		}
		if len(d) < len(b) {
			n = -n
		}
		return n, true
	}
	n, err := strconv.Atoi(string(b))
	return n, err == nil
}
