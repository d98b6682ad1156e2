package corpus

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// dumpBufSize is the size of the bufio.Reader a dump is read through. Lines
// longer than this are assembled from several reads, up to the limit.
const dumpBufSize = 64 << 10

// dumpReader streams the records of one JSONL dump, one line at a time.
// Memory use is bounded by the line limit plus the read buffer: a line longer
// than the limit is skipped without being kept.
type dumpReader struct {
	input   string // the dump's path as given, for Source and errors
	br      *bufio.Reader
	closers []io.Closer // closed by close, innermost first
	max     int64       // longest accepted line, in bytes, without its line end
	line    int         // number of the line being or last read
	records int         // non-blank lines seen
	buf     []byte      // the current line, reused
	done    bool
	ids     *idSet            // the explicit ids met so far, this dump's and (from a Reader) the earlier dumps' of the run
	onDup   func(DuplicateID) // called for each record skipped for its id; may be nil
	arr     *json.Decoder     // the array being read, for a JSON array of records
	arrOpen bool              // arr's opening bracket has been read
}

// idKey stands for a record's id in the ids a dumpReader has seen: the
// first 16 bytes of its SHA-256. The ids of the dumps of a run are kept for
// the whole run, one entry a record, and an id is often a URL: a key of fixed size
// keeps the ids of a million records in some 55 MB, where their text took
// over 100 MB for ids of 36 bytes and grew with longer ones. Two ids share a key with a probability of about n²/2¹²⁹
// for n records, and a cryptographic hash keeps a dump's author from making
// them.
type idKey [16]byte

func keyOfID(id string) idKey {
	sum := sha256.Sum256([]byte(id))
	return idKey(sum[:16])
}

// idSet holds the explicit ids met so far, each with where it was first
// met: the input, by its number in inputs, and the line.
type idSet struct {
	first  map[idKey]idFirst
	inputs []string
}

// idFirst is where an id was first met. Eight bytes, as the line number
// alone took before ids were compared across dumps: lines past 2³² (a dump
// of some 4 billion records) are shown as 2³²-1.
type idFirst struct{ input, line uint32 }

// add records id as met on line of input, unless it was met before: then
// it returns where, and false.
func (s *idSet) add(id, input string, line int) (firstInput string, firstLine int, added bool) {
	k := keyOfID(id)
	if f, ok := s.first[k]; ok {
		return s.inputs[f.input], int(f.line), false
	}
	if s.first == nil {
		s.first = make(map[idKey]idFirst)
	}
	if len(s.inputs) == 0 || s.inputs[len(s.inputs)-1] != input {
		s.inputs = append(s.inputs, input)
	}
	s.first[k] = idFirst{input: uint32(len(s.inputs) - 1), line: uint32(min(line, math.MaxUint32))}
	return "", 0, true
}

// DuplicateID is a record that was skipped because an earlier record of
// the run, in the same dump or in a dump (or .json file) before it, has
// the same "id". The first record with an id wins: inputs are read as a
// stream, and the first record is on its way to the index by the time a
// later one is met.
type DuplicateID struct {
	// Input is the path of the skipped record's dump as given ("-" for
	// standard input), FirstInput that of the record kept (the same for a
	// repeat within one dump).
	Input, FirstInput string
	// ID is the repeated id.
	ID string
	// FirstLine is the 1-based line of the record that was kept (0 for a
	// .json file that is one record), Line that of the record skipped.
	FirstLine, Line int
}

// String returns, for example, `bulk.jsonl:17: id "a1" repeats line 3;
// the first record is kept`, or for a repeat across dumps `b.jsonl:2: id
// "a1" repeats a.jsonl:3; the first record is kept`.
func (d DuplicateID) String() string {
	at := func(input string, line int) string {
		if line > 0 {
			return fmt.Sprintf("%s:%d", input, line)
		}
		return input
	}
	if d.FirstInput != "" && d.FirstInput != d.Input {
		return fmt.Sprintf("%s: id %q repeats %s; the first record is kept", at(d.Input, d.Line), d.ID, at(d.FirstInput, d.FirstLine))
	}
	return fmt.Sprintf("%s: id %q repeats line %d; the first record is kept", at(d.Input, d.Line), d.ID, d.FirstLine)
}

// newDumpReader returns a dumpReader over r. skipped is the number of lines
// already consumed from r (by the stdin sniffing), so line numbers stay
// those of the input.
func newDumpReader(r io.Reader, input string, max int64, skipped int, closers ...io.Closer) *dumpReader {
	return &dumpReader{
		input:   input,
		br:      bufio.NewReaderSize(r, dumpBufSize),
		closers: closers,
		max:     max,
		line:    skipped,
	}
}

// close releases the files and decompressors behind the dump; it is safe to
// call more than once.
func (d *dumpReader) close() error {
	var errs []error
	for _, c := range d.closers {
		errs = append(errs, c.Close())
	}
	d.closers = nil
	d.done = true
	return errors.Join(errs...)
}

// next returns the next record as a Document, an *InputError for a bad line
// (after which next may be called again), or io.EOF. A record whose "id"
// an earlier record of the dump has is skipped and reported to onDup. A dump without any
// non-blank line yields one ErrEmpty error before io.EOF. A read error ends
// the dump: it is returned as an *InputError and then next returns io.EOF.
func (d *dumpReader) next() (Document, error) {
	for !d.done {
		raw, err := d.nextRaw()
		switch {
		case err == io.EOF:
			d.done = true
			if d.records == 0 {
				return Document{}, &InputError{Input: d.input, Err: ErrEmpty}
			}
			return Document{}, io.EOF
		case err != nil:
			return Document{}, err
		case raw == nil:
			continue // a blank line
		}
		doc, skip, err := d.record(raw)
		if skip {
			continue
		}
		return doc, err
	}
	return Document{}, io.EOF
}

// nextRaw returns the bytes of the next record, a line of the dump or an
// element of its array, and counts it; nil for a blank line; io.EOF at the
// end; or an *InputError naming the line (a read or syntax error also ends
// the dump).
func (d *dumpReader) nextRaw() ([]byte, error) {
	if d.arr != nil {
		raw, err := d.nextElement()
		switch {
		case err == io.EOF:
			return nil, io.EOF
		case err != nil:
			d.done = true
			return nil, &InputError{Input: d.input, Line: d.line, Err: err}
		}
		d.records++
		if int64(len(raw)) > d.max {
			return nil, &InputError{Input: d.input, Line: d.line,
				Err: fmt.Errorf("%w: element is %d bytes, limit is %d bytes", ErrTooLarge, len(raw), d.max)}
		}
		return raw, nil
	}
	d.line += skipBlankLines(d.br)
	line, size, tooLong, err := d.readLine()
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case err != nil:
		d.done = true
		return nil, &InputError{Input: d.input, Line: d.line, Err: err}
	case tooLong:
		d.records++
		return nil, &InputError{Input: d.input, Line: d.line,
			Err: fmt.Errorf("%w: line is %d bytes, limit is %d bytes", ErrTooLarge, size, d.max)}
	}
	if d.line == 1 {
		line = bytes.TrimPrefix(line, []byte(bomUTF8))
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return nil, nil
	}
	d.records++
	return line, nil
}

// record parses the record on line d.line. skip is true for a record whose
// explicit id an earlier record has (reported to onDup).
func (d *dumpReader) record(line []byte) (doc Document, skip bool, err error) {
	doc, err = parseRecord(line, d.input, d.line)
	if err != nil {
		return Document{}, false, &InputError{Input: d.input, Line: d.line, Err: err}
	}
	if doc.Source == d.input+"#"+doc.ID { // an explicit id
		if d.ids == nil {
			d.ids = &idSet{}
		}
		if input, line, added := d.ids.add(doc.ID, d.input, d.line); !added {
			if d.onDup != nil {
				d.onDup(DuplicateID{Input: d.input, FirstInput: input, ID: doc.ID, FirstLine: line, Line: d.line})
			}
			return Document{}, true, nil
		}
	}
	return doc, false, nil
}

// readLine reads the next line without its line end ("\n" or "\r\n") and
// advances d.line. A line longer than d.max is consumed but not kept:
// tooLong is true and line is nil. size is the line's length. At the end of the input
// readLine returns io.EOF; other errors are read errors. The returned slice
// is valid until the next call.
func (d *dumpReader) readLine() (line []byte, size int64, tooLong bool, err error) {
	d.buf = d.buf[:0]
	d.line++
	for {
		chunk, err := d.br.ReadSlice('\n')
		size += int64(len(chunk))
		// Keep up to d.max bytes plus a two-byte line end, which is dropped
		// below; anything longer is over the limit.
		if !tooLong && int64(len(d.buf))+int64(len(chunk))-2 > d.max {
			tooLong = true
			d.buf = d.buf[:0]
		}
		if !tooLong {
			d.buf = append(d.buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && size == 0:
			d.line--
			return nil, 0, false, io.EOF
		case err != nil && err != io.EOF:
			return nil, size, false, err
		}
		if tooLong && bytes.HasSuffix(chunk, []byte("\n")) {
			size--
			if bytes.HasSuffix(chunk, []byte("\r\n")) {
				size--
			}
		}
		break
	}
	if tooLong {
		return nil, size, true, nil
	}
	line = bytes.TrimSuffix(d.buf, []byte("\n"))
	line = bytes.TrimSuffix(line, []byte("\r"))
	if int64(len(line)) > d.max {
		return nil, int64(len(line)), true, nil
	}
	return line, int64(len(line)), false, nil
}

// parseRecord turns one dump line into a Document. input and lineNo make the
// Source of a record without an id. The error is a reason for an InputError.
func parseRecord(line []byte, input string, lineNo int) (Document, error) {
	if i := invalidUTF8At(line); i >= 0 {
		return Document{}, fmt.Errorf("%w at byte offset %d of the line", ErrInvalidUTF8, i)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil || fields == nil {
		if json.Valid(line) {
			return Document{}, fmt.Errorf("%w: the line is a JSON %s, not an object", ErrNotJSON, jsonKind(line))
		}
		return Document{}, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	str := func(key string) string {
		var s string
		if raw, ok := fields[key]; ok && json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	}
	// The first non-blank of a field's names: redline's own, then those
	// of common news exporters (news-please, CC-News processing,
	// schema.org), so their output reads as it is.
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := str(k); strings.TrimSpace(v) != "" {
				return v
			}
		}
		return ""
	}
	text := normalizeText(first(textKeys...))
	if strings.TrimSpace(text) == "" {
		text = ""
	}
	html := strings.TrimPrefix(first(htmlKeys...), "\uFEFF")
	if strings.TrimSpace(html) == "" {
		html = ""
	}
	if text == "" && html == "" {
		return Document{}, ErrNoContent
	}
	doc := Document{
		ID:     recordID(fields["id"]),
		URL:    strings.TrimSpace(first(urlKeys...)),
		Title:  strings.TrimSpace(str("title")),
		Outlet: strings.TrimSpace(first(outletKeys...)),
		Text:   text,
		HTML:   html,
	}
	var published json.RawMessage
	for _, k := range publishedKeys {
		if raw, ok := fields[k]; ok && !isJSONNull(raw) {
			published = raw
			break
		}
	}
	doc.Published, doc.BadPublished = recordPublished(published)
	if doc.ID != "" {
		doc.Source = input + "#" + doc.ID
	} else {
		doc.Source = input + "#L" + strconv.Itoa(lineNo)
		doc.IDFromContent = true
		if text != "" {
			doc.ID = ContentID(text)
		} else {
			doc.ID = ContentID(html)
		}
	}
	return doc, nil
}

// The names a record's fields are read under, first name first: redline's
// own, then those of news-please ("maintext", "date_publish",
// "source_domain"), CC-News processing ("content", "published_date",
// "domain", "article_html", "uri") and schema.org ("articleBody",
// "datePublished").
var (
	textKeys      = []string{"text", "maintext", "content", "articleBody"}
	htmlKeys      = []string{"html", "article_html"}
	urlKeys       = []string{"url", "uri"}
	outletKeys    = []string{"outlet", "source_domain", "domain"}
	publishedKeys = []string{"published", "date_publish", "published_date", "datePublished"}
)

// isJSONNull reports a JSON null.
func isJSONNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// recordID returns a record's "id" as a trimmed string: a JSON string, or
// the literal of a JSON number. Anything else (absent, null, blank, another
// type) gives "".
func recordID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return strings.TrimSpace(s)
		}
	case c == '-' || '0' <= c && c <= '9':
		return string(raw)
	}
	return ""
}

// jsonKind names the type of the valid JSON value b.
func jsonKind(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return "value"
	}
	switch b[0] {
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// recordPublished reads a record's "published" field (see parsePublished).
// A value that is present but not understood (an unparseable string, or a
// JSON number, array or object) is returned as bad: its text, or the JSON
// itself when it is not a string, so that it can be reported. Absent,
// null and blank give neither.
func recordPublished(raw json.RawMessage) (t time.Time, bad string) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}, string(raw)
	}
	return parsePublished(s)
}

// isoLayouts are the ISO forms of a "published" value parsePublished
// reads: dates, and times with a zone as "Z07:00", "Z0700", "-07" or a
// name, or none.
var isoLayouts = [...]string{
	time.DateOnly,
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02T15:04:05-07",
	"2006-01-02 15:04:05-07",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05 MST",
}

// writtenLayouts are the forms of a date written out: RSS's RFC 1123 and
// its kin, and the dates pages print ("January 2, 2006", "2 Jan 2006").
var writtenLayouts = [...]string{
	time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"January 2, 2006", "Jan 2, 2006", "Jan. 2, 2006", "2 January 2006", "2 Jan 2006",
	"Monday, January 2, 2006", "Monday, 2 January 2006", "January 2 2006",
}

// ParseWrittenDate parses a date written out as feeds and pages write it
// (RFC 1123 and its kin, "January 2, 2006", "2 Jan 2006", "Monday, 2
// January 2006"), white space as given; ok is false when s is in none of
// these forms. A dump's "published" value is read in the same forms, so
// that a dump made from feeds or pages is dated as the pages are.
func ParseWrittenDate(s string) (t time.Time, ok bool) {
	for _, layout := range writtenLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parsePublished parses a "published" value in one of isoLayouts (seconds
// with optional fractions) or as ParseWrittenDate does. An empty value gives the zero Time and
// bad ""; a value it cannot parse gives the zero Time and bad = the value,
// trimmed, so that the caller can report it. Times keep their offset but
// never the machine's Local zone, so results do not depend on TZ; a time
// without a zone is taken as UTC.
func parsePublished(s string) (t time.Time, bad string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ""
	}
	t, ok := time.Time{}, false
	for _, layout := range isoLayouts {
		var err error
		if t, err = time.Parse(layout, s); err == nil {
			ok = true
			break
		}
	}
	if !ok {
		if t, ok = ParseWrittenDate(s); !ok {
			return time.Time{}, s
		}
	}
	_, off := t.Zone()
	if off == 0 {
		return t.UTC(), ""
	}
	return t.In(time.FixedZone("", off)), ""
}
