package corpus

// Reading WARC archives (ISO 28500: WARC/1.0 and WARC/1.1), such as the
// CC-NEWS crawl of Common Crawl.
//
// An archive is read as a stream, one record at a time. A compressed
// archive is a series of gzip members, normally one per record; it is read
// member by member, so that a corrupt or truncated member costs only the
// records it holds. Records may share a member (an archive gzipped as a
// whole), but a record may not continue into the next member: such a record
// is reported as truncated.
//
// Every "response" record holding an HTTP 200 response with an HTML payload
// becomes a Document; every other record is skipped and counted.
//
// Why not a WARC library: github.com/nlnwa/gowarc/v3 v3.1.0 and
// github.com/internetarchive/gowarc v0.8.96 were both tried on the cases of
// TestWARCCorrupt, the FuzzWARC seeds and testdata/warc (December 2026).
// Both read the healthy archives alike. internetarchive/gowarc stops at the
// first bad record (it has no way to find the next one), copies every block
// to a spooled temporary file and is tuned through environment variables.
// nlnwa/gowarc finds the next record by scanning for its magic, but reads
// only the first record of an archive gzipped as a whole, loses the record
// after a Content-Length that is too long (and all of them after one that
// runs past the end), and either caches each block before returning the
// record (325 MiB allocated to read two 64 MiB records) or, without
// validation, discards the block so the payload cannot be read at all.
// Streaming records of any size in bounded memory, the member-by-member
// gzip layer with its offsets and the recovery after a lying length (which
// TestWARCCorrupt pins) would all have stayed ours, around a library that
// only parses header fields, so the reader stays hand-written.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"redline/crawl"
)

// Reasons for an *InputError from a WARC archive, besides ErrTooLarge,
// ErrEmpty, ErrBinary and ErrCharset.
var (
	// ErrWARC: an archive holds data that is not a well-formed WARC record
	// (a missing or malformed header, a record cut short, a corrupt gzip
	// member), or a response record whose HTTP message cannot be parsed.
	ErrWARC = errors.New("bad WARC data")
	// ErrEncoding: an HTTP payload (of a WARC response record or a fetched
	// page) uses a Content-Encoding this package does not decode (such as
	// br or zstd), or its compressed or chunked data is corrupt ("gzip" that
	// is not gzip, a truncated stream). It is crawl.ErrEncoding.
	ErrEncoding = crawl.ErrEncoding
)

// RecordError locates a problem inside a WARC archive. The *InputError that
// Reader.Next returns for it names the archive; its Err is a *RecordError,
// whose Err in turn wraps the reason (ErrWARC, ErrEncoding, ErrTooLarge,
// ErrEmpty, ErrBinary or ErrCharset).
type RecordError struct {
	// Record is the 1-based number of the record in the archive, counting
	// every WARC header met so far (records skipped as not HTML included);
	// 0 when the problem lies between records.
	Record int
	// ID is the record's WARC-Record-ID without its angle brackets, or ""
	// when unknown.
	ID string
	// Offset locates the record or the bad data in the file: the byte
	// offset of the record in an uncompressed archive, or of the gzip member
	// holding it in a compressed one (the offset CDX indexes use).
	Offset int64
	// Err is the reason.
	Err error
}

// Error returns "record N (ID) at offset O: reason", or "offset O: reason"
// for bad data between records.
func (e *RecordError) Error() string {
	var b strings.Builder
	if e.Record > 0 {
		b.WriteString("record " + strconv.Itoa(e.Record))
		if e.ID != "" {
			b.WriteString(" (" + e.ID + ")")
		}
		b.WriteString(" at ")
	}
	b.WriteString("offset " + strconv.FormatInt(e.Offset, 10))
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *RecordError) Unwrap() error { return e.Err }

// SkippedRecords returns how many WARC records have been skipped so far, by
// reason: the record type ("warcinfo", "request", "metadata", "revisit",
// "resource", "conversion", "continuation", or "unknown type"); "not HTTP"
// for a response record that is not an HTTP response (such as a DNS
// lookup); "status N" for an HTTP status other than 200; "not HTML" for a
// payload that is neither declared nor sniffed as HTML. Skipped includes
// these counts. The map is a copy.
func (r *Reader) SkippedRecords() map[string]int {
	m := make(map[string]int, len(r.recordSkips))
	for k, v := range r.recordSkips {
		m[k] = v
	}
	return m
}

// skipRecord counts one WARC record skipped for reason.
func (r *Reader) skipRecord(reason string) {
	r.skipped++
	if r.recordSkips == nil {
		r.recordSkips = map[string]int{}
	}
	r.recordSkips[reason]++
}

// closeWARC closes the archive being read, if any.
func (r *Reader) closeWARC() error {
	if r.warc == nil {
		return nil
	}
	err := r.warc.close()
	r.warc = nil
	return err
}

const (
	// warcBufSize is the size of the buffers an archive is read through;
	// it is also the longest WARC header line accepted.
	warcBufSize = 64 << 10
	// maxWARCHeader is the most bytes of WARC header a record may have.
	maxWARCHeader = 256 << 10
	// maxHTTPHeader is the most bytes of HTTP status line and header a
	// response record may have.
	maxHTTPHeader = 256 << 10
	// sniffLenHTTP is how many payload bytes content sniffing examines.
	sniffLenHTTP = 512
)

var (
	// errSkippedRecord is returned by warcReader.next for a skipped record,
	// so that Reader.Next can check its context between records.
	errSkippedRecord = errors.New("corpus: WARC record skipped")
	// errTruncated ends a record block that stops before its Content-Length.
	errTruncated = errors.New("record truncated")
	// errLongLine is a header line longer than the read buffer.
	errLongLine = errors.New("line too long")
	// errHTTPHeaderTooLarge stops an HTTP header over maxHTTPHeader.
	errHTTPHeaderTooLarge = errors.New("HTTP header too large")
)

var gzipMagic = []byte{0x1f, 0x8b, 0x08}

// memberError is a gzip member that failed to decompress.
type memberError struct{ err error }

func (e *memberError) Error() string { return "corrupt gzip member: " + e.err.Error() }
func (e *memberError) Unwrap() error { return e.err }

// warcCounter counts the bytes read from r.
type warcCounter struct {
	r io.Reader
	n int64
}

func (c *warcCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// warcSource gives the uncompressed bytes of an archive, one segment at a
// time: the whole file when it is not compressed, one gzip member when it
// is. Read returns io.EOF at the end of a segment; nextMember moves on to
// the next one.
type warcSource struct {
	cnt         warcCounter
	seeker      io.Seeker     // the file when it can seek, to rescan a corrupt member
	raw         *bufio.Reader // the file's bytes
	zr          *gzip.Reader  // nil for an uncompressed archive
	inMember    bool          // zr is reading a member
	corrupt     bool          // the current member failed to decompress
	memberStart int64         // file offset of the current member
	memberOut   int64         // bytes decompressed from the current member
	total       int64         // bytes given by Read, not counting rewinds
	rewinding   bool          // Read is replaying bytes already counted
	limit       int64         // the most bytes a compressed archive may give; 0: no limit
	overLimit   error         // the *DecompressedError once past limit
}

func newWARCSource(f io.Reader) *warcSource {
	s := &warcSource{cnt: warcCounter{r: f}}
	s.seeker, _ = f.(io.Seeker)
	s.raw = bufio.NewReaderSize(&s.cnt, warcBufSize)
	if m, _ := s.raw.Peek(2); len(m) == 2 && m[0] == gzipMagic[0] && m[1] == gzipMagic[1] {
		s.zr = new(gzip.Reader)
	}
	return s
}

// rawPos is the file offset of the next byte of the file to decompress.
func (s *warcSource) rawPos() int64 { return s.cnt.n - int64(s.raw.Buffered()) }

func (s *warcSource) Read(p []byte) (int, error) {
	if s.zr == nil {
		n, err := s.raw.Read(p)
		s.count(n)
		return n, err
	}
	if s.overLimit != nil {
		return 0, s.overLimit
	}
	if !s.inMember {
		return 0, io.EOF
	}
	n, err := s.zr.Read(p)
	s.memberOut += int64(n)
	s.count(n)
	if s.limit > 0 && s.total > s.limit {
		s.overLimit = &DecompressedError{Limit: s.limit}
		s.inMember = false
		return n, s.overLimit
	}
	if err == io.EOF {
		s.inMember = false
	} else if err != nil {
		s.inMember = false
		s.corrupt = true
		err = &memberError{err}
	}
	return n, err
}

// count adds n bytes read to s.total, unless they are being replayed.
func (s *warcSource) count(n int) {
	if !s.rewinding {
		s.total += int64(n)
	}
}

// nextMember moves to the next gzip member, or returns io.EOF at the end
// of the file (always, for an uncompressed archive). It also returns how
// many bytes it skipped, from file offset at, because they did not start a
// valid gzip member. After a corrupt member it rescans the file from just
// after that member's start when the file can seek, so that a member cut
// short does not hide the one after it.
func (s *warcSource) nextMember() (at, skipped int64, err error) {
	if s.zr == nil {
		return 0, 0, io.EOF
	}
	s.inMember = false
	search := false
	if s.corrupt {
		s.corrupt = false
		s.seekTo(s.memberStart + 1)
		search = true
	}
	start := s.rawPos()
	for {
		if search && !s.findMagic() {
			return start, s.rawPos() - start, io.EOF
		}
		s.memberStart = s.rawPos()
		s.memberOut = 0
		err := s.zr.Reset(s.raw)
		if err == nil {
			s.zr.Multistream(false)
			s.inMember = true
			return start, s.memberStart - start, nil
		}
		if err == io.EOF && s.memberStart == start && !search {
			return start, 0, io.EOF // the clean end of the file
		}
		s.seekTo(s.memberStart + 1)
		search = true
	}
}

// seekTo moves to file offset off when the file can seek and off is behind
// the current position; otherwise reading goes on from where it is.
func (s *warcSource) seekTo(off int64) {
	if s.seeker == nil || off >= s.rawPos() {
		return
	}
	if _, err := s.seeker.Seek(off, io.SeekStart); err != nil {
		s.seeker = nil // a pipe, say: go on from the current position
		return
	}
	s.cnt.n = off
	s.raw.Reset(&s.cnt)
}

// findMagic discards bytes up to the next gzip member header; it returns
// false at the end of the file (or on a read error).
func (s *warcSource) findMagic() bool {
	for {
		if _, err := s.raw.Peek(len(gzipMagic)); err != nil {
			s.raw.Discard(s.raw.Buffered())
			return false
		}
		buf, _ := s.raw.Peek(s.raw.Buffered())
		if i := bytes.Index(buf, gzipMagic); i >= 0 {
			s.raw.Discard(i)
			return true
		}
		s.raw.Discard(len(buf) - (len(gzipMagic) - 1))
	}
}

// warcHeader holds the WARC header fields a record is read by.
type warcHeader struct {
	typ, targetURI, date, recordID, contentType, payloadType string
	contentLength                                            string
	hasLength                                                bool
}

// warcReader streams the records of one WARC archive. Memory use is bounded
// by its buffers plus one payload of at most max bytes (and its decoding).
type warcReader struct {
	input  string // the archive's path as given, for Source and errors
	closer io.Closer
	src    *warcSource
	br     *bufio.Reader // uncompressed bytes of the current segment
	max    int64
	skip   func(reason string)

	started  bool
	done     bool
	record   int   // WARC headers met so far
	resync   bool  // skipping bad data up to the next WARC header
	reported bool  // an error has been returned
	rewound  int64 // bytes read again after a wrong Content-Length

	// Reused from record to record.
	hb   *bufio.Reader // the HTTP message of a response record
	hcap capReader
	dr   *bufio.Reader // the decoded payload, for sniffing
	gz   *gzip.Reader
	body bytes.Buffer
}

// newWARCReader returns a reader of the archive f, named input. Every
// skipped record is passed to skip with its reason. f is closed by close.
func newWARCReader(f io.ReadCloser, input string, max int64, skip func(string)) *warcReader {
	return &warcReader{input: input, closer: f, src: newWARCSource(f), max: max, skip: skip}
}

// close releases the archive; it is safe to call more than once.
func (w *warcReader) close() error {
	w.done = true
	if w.closer == nil {
		return nil
	}
	err := w.closer.Close()
	w.closer = nil
	return err
}

// next returns the next HTML document of the archive; an *InputError for a
// bad record or bad data, after which next may be called again;
// errSkippedRecord for a record that is not an HTML page; or io.EOF. An
// archive without any record yields one ErrEmpty error before io.EOF.
func (w *warcReader) next() (Document, error) {
	if !w.started {
		w.started = true
		w.br = bufio.NewReaderSize(w.src, warcBufSize)
	}
	for !w.done {
		skipBlankLines(w.br)
		off := w.offset()
		line, err := w.readLine()
		if err == io.EOF && len(line) == 0 {
			if err := w.endSegment(); err != nil {
				return Document{}, err
			}
			continue
		}
		var me *memberError
		switch {
		case err == errLongLine || errors.As(err, &me):
			if e := w.badData(off, err); e != nil {
				return Document{}, e
			}
			continue
		case err != nil && err != io.EOF:
			w.done = true // a read error: give up the file
			return Document{}, w.fail(&InputError{Input: w.input, Err: pathErrReason(err)})
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue // the blank lines that end a record
		}
		if !isWARCVersion(line) {
			shown := line
			if len(shown) > 40 {
				shown = shown[:40]
			}
			if e := w.badData(off, fmt.Errorf("expected a WARC/1.x header line, found %q", shown)); e != nil {
				return Document{}, e
			}
			continue
		}
		w.resync = false
		doc, err := w.readRecord(off)
		if err != nil {
			return Document{}, err
		}
		return doc, nil
	}
	return Document{}, io.EOF
}

// fail records that an error is being returned.
func (w *warcReader) fail(err *InputError) error {
	w.reported = true
	return err
}

// badData starts skipping to the next WARC header and returns the error to
// report, or nil when already skipping.
func (w *warcReader) badData(off int64, reason error) error {
	if w.resync {
		return nil
	}
	w.resync = true
	return w.fail(&InputError{Input: w.input, Err: &RecordError{Offset: off, Err: fmt.Errorf("%w: %w", ErrWARC, reason)}})
}

// endSegment moves to the next gzip member; at the end of the file it ends
// the archive, with ErrEmpty when nothing at all was found.
func (w *warcReader) endSegment() error {
	at, skipped, err := w.src.nextMember()
	var bad error
	switch {
	case skipped > 0 && err == io.EOF:
		bad = w.badData(at, fmt.Errorf("%d bytes at the end that are not a gzip member", skipped))
	case skipped > 0:
		bad = w.badData(at, fmt.Errorf("%d bytes that are not a gzip member before offset %d", skipped, w.src.memberStart))
	}
	if err == io.EOF {
		w.done = true
		if bad == nil && w.record == 0 && !w.reported {
			bad = w.fail(&InputError{Input: w.input, Err: ErrEmpty})
		}
	}
	return bad
}

// offset is the file offset of the next uncompressed byte: the offset of
// the current member in a compressed archive.
func (w *warcReader) offset() int64 {
	if w.src.zr != nil {
		return w.src.memberStart
	}
	return w.src.rawPos() - int64(w.br.Buffered())
}

// readLine returns the next line of the current segment without its line
// end. At the end of the segment it returns io.EOF, with the unterminated
// last line if any. A line longer than the buffer is skipped and reported
// as errLongLine. Any other error is the segment's.
func (w *warcReader) readLine() ([]byte, error) {
	line, err := w.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		for err == bufio.ErrBufferFull {
			_, err = w.br.ReadSlice('\n')
		}
		if err == nil || err == io.EOF {
			err = errLongLine
		}
		return nil, err
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), err
}

// isWARCVersion reports whether line is a WARC version line ("WARC/1.0").
func isWARCVersion(line []byte) bool {
	return len(line) > 5 && string(line[:5]) == "WARC/" && '0' <= line[5] && line[5] <= '9'
}

// readFields reads the header fields that follow a version line, up to the
// blank line that ends them.
func (w *warcReader) readFields() (warcHeader, error) {
	var h warcHeader
	var last *string // the field a continuation line extends
	total := 0
	for {
		line, err := w.readLine()
		if err == io.EOF {
			return h, fmt.Errorf("%w: header cut short", errTruncated)
		}
		if err != nil {
			return h, err
		}
		total += len(line) + 2
		if total > maxWARCHeader {
			return h, fmt.Errorf("header longer than %d bytes", maxWARCHeader)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			return h, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			if last != nil {
				*last += " " + string(bytes.TrimSpace(line))
			}
			continue
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			shown := line
			if len(shown) > 40 {
				shown = shown[:40]
			}
			return h, fmt.Errorf("malformed header line %q", shown)
		}
		var field *string
		switch strings.ToLower(string(bytes.TrimSpace(name))) {
		case "warc-type":
			field = &h.typ
		case "warc-target-uri":
			field = &h.targetURI
		case "warc-date":
			field = &h.date
		case "warc-record-id":
			field = &h.recordID
		case "content-type":
			field = &h.contentType
		case "warc-identified-payload-type":
			field = &h.payloadType
		case "content-length":
			field = &h.contentLength
			h.hasLength = true
		}
		last = field
		if field != nil {
			*field = string(bytes.TrimSpace(value))
		}
	}
}

// readRecord reads the record whose version line has just been read, at
// file offset off. It returns the document, errSkippedRecord, or an
// *InputError; the record's block is consumed in every case.
func (w *warcReader) readRecord(off int64) (Document, error) {
	w.record++
	rec := &RecordError{Record: w.record, Offset: off}
	fail := func(err error) (Document, error) {
		rec.Err = err
		return Document{}, w.fail(&InputError{Input: w.input, Err: rec})
	}
	h, err := w.readFields()
	rec.ID = strings.ToValidUTF8(trimAngles(h.recordID), "\uFFFD")
	if err != nil {
		w.resync = true
		return fail(fmt.Errorf("%w: %w", ErrWARC, err))
	}
	n, err := strconv.ParseInt(h.contentLength, 10, 64)
	if !h.hasLength || err != nil || n < 0 {
		w.resync = true
		return fail(fmt.Errorf("%w: missing or bad Content-Length %q", ErrWARC, h.contentLength))
	}
	start := w.segPos()
	blk := blockReader{r: w.br, n: n, size: n}
	doc, perr := w.payload(&h, &blk)
	blk.discard()
	ended := false
	if blk.err == nil {
		ended, blk.err = w.endRecord()
	}
	if blk.err != nil {
		w.resync = true
		var de *DecompressedError
		if errors.As(blk.err, &de) {
			w.done = true // no more of this archive
			return fail(blk.err)
		}
		var me *memberError
		if errors.As(blk.err, &me) {
			return fail(fmt.Errorf("%w: %w", ErrWARC, blk.err))
		}
		if blk.err == errTruncated {
			// Perhaps the Content-Length is too long: look for the records
			// it swallowed.
			w.recover(start)
			return fail(fmt.Errorf("%w: %w: block has %d of %d bytes", ErrWARC, errTruncated, blk.size-blk.n, blk.size))
		}
		return fail(blk.err)
	}
	if next, ok := w.atRecordStart(); !ok && !ended {
		// The block does not end where the next record starts, nor with
		// the blank line that ends a record: its Content-Length is wrong,
		// too short or too long. Read on from the next record header after
		// the start of the block. (Other bytes after a record's blank line
		// are bad data between records, reported by next.)
		w.resync = true
		err := fmt.Errorf("%w: Content-Length %d does not end the record: found %q after the block", ErrWARC, n, next)
		w.recover(start)
		return fail(err)
	}
	if perr == errSkippedRecord {
		return Document{}, perr
	}
	if perr != nil {
		return fail(perr)
	}
	id := rec.ID
	if id == "" {
		id = strconv.Itoa(rec.Record)
	}
	doc.Source = w.input + "#" + id
	return doc, nil
}

// atRecordStart reports whether the record just read is followed by the
// end of its segment or by a WARC version line, as it is when its
// Content-Length is right; when not, it returns what follows instead.
func (w *warcReader) atRecordStart() (next []byte, ok bool) {
	b, err := w.br.Peek(len("WARC/1.0"))
	if len(b) == 0 && err != nil {
		return nil, true // the end of the segment, or an error left to the next read
	}
	if isWARCVersion(b) || (err != nil && bytes.HasPrefix([]byte("WARC/1."), b)) {
		return nil, true
	}
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	return b, false
}

// segPos is the position of the next uncompressed byte in the current
// segment: its file offset in an uncompressed archive, its offset in the
// decompressed gzip member in a compressed one.
func (w *warcReader) segPos() int64 {
	if w.src.zr != nil {
		return w.src.memberOut - int64(w.br.Buffered())
	}
	return w.offset()
}

// maxRewind bounds the bytes read again after wrong Content-Lengths:
// this much plus twice the bytes of the archive read so far, so that
// recovering stays linear in the size of the archive.
const maxRewind = 64 << 20

// recover is called after a record whose block did not end where its
// Content-Length said; start is the segment position (see segPos) where its
// block began. It moves back to start when the archive can seek (and the
// bytes to read again are within budget), then skips to the next record
// header ("WARC/1.0" or "WARC/1.1" at the start of a line after a blank
// line) in the segment, or to the end of the segment when there is none.
// Thus a Content-Length too long loses no record that follows, and one too
// short loses nothing more.
func (w *warcReader) recover(start int64) {
	if again := w.segPos() - start; again > 0 && w.rewound+again <= maxRewind+2*w.src.total && w.rewind(start) {
		w.rewound += again
	}
	w.skipToHeader()
}

// rewind moves back to position pos of the current segment. It returns
// false, having moved nowhere, when the archive cannot seek.
func (w *warcReader) rewind(pos int64) bool {
	s := w.src
	if s.seeker == nil {
		return false
	}
	target := pos
	if s.zr != nil {
		target = s.memberStart
	}
	if _, err := s.seeker.Seek(target, io.SeekStart); err != nil {
		s.seeker = nil
		return false
	}
	s.cnt.n = target
	s.raw.Reset(&s.cnt)
	w.br.Reset(s)
	if s.zr == nil {
		return true
	}
	s.inMember, s.corrupt = false, false
	if err := s.zr.Reset(s.raw); err != nil {
		// It decompressed before: the file changed under us. Go on
		// without the member.
		s.corrupt = true
		return true
	}
	s.zr.Multistream(false)
	s.inMember = true
	s.memberOut = 0
	s.rewinding = true
	io.CopyN(io.Discard, s, pos)
	s.rewinding = false
	w.br.Reset(s)
	return true
}

// skipToHeader discards bytes up to the next "\r\n\r\nWARC/1.0\r\n" or
// "\r\n\r\nWARC/1.1\r\n" of the segment, keeping its version line, or
// up to the end of the segment.
func (w *warcReader) skipToHeader() {
	const pat = "\r\n\r\nWARC/1."
	const full = len(pat) + 3 // the minor version and its line end
	for {
		b, err := w.br.Peek(warcBufSize)
		for i := 0; ; {
			j := bytes.Index(b[i:], []byte(pat))
			if j < 0 {
				break
			}
			j += i
			if rest := b[j+len(pat):]; len(rest) >= 3 {
				if (rest[0] == '0' || rest[0] == '1') && rest[1] == '\r' && rest[2] == '\n' {
					w.br.Discard(j + 4)
					return
				}
			} else if err == nil {
				break // cut by the end of the buffer: look again after it
			}
			i = j + 1
		}
		if err != nil {
			w.br.Discard(len(b))
			return
		}
		w.br.Discard(len(b) - (full - 1))
	}
}

// endRecord consumes the blank lines that end a record. When the record
// ends its gzip member, this reads to the end of the member, where its
// checksum is verified: a corrupt member is then reported with its record
// instead of after it. It returns the member's error, if any, and whether
// the block was followed by a line end at least (a record ends with a blank
// line, "\r\n\r\n").
func (w *warcReader) endRecord() (ended bool, err error) {
	n := 0
	for {
		b, err := w.br.Peek(1)
		if err != nil {
			var me *memberError
			if errors.As(err, &me) {
				return n >= 2, err
			}
			return n >= 2, nil // the end of the segment, or a read error left to the next read
		}
		if b[0] != '\r' && b[0] != '\n' {
			return n >= 2, nil
		}
		w.br.Discard(1)
		n++
	}
}
