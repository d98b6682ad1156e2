package corpus

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
)

// The payload of a WARC response record: its HTTP message, transfer and
// content codings, media type and size limit.

// payload reads the block of a record: a Document for an HTML page, or
// errSkippedRecord (the record counted), or the reason the record is bad.
// It need not consume the whole block.
func (w *warcReader) payload(h *warcHeader, blk *blockReader) (Document, error) {
	skip := func(reason string) (Document, error) {
		w.skip(reason)
		return Document{}, errSkippedRecord
	}
	switch typ := strings.ToLower(h.typ); typ {
	case "response":
	case "warcinfo", "request", "metadata", "revisit", "resource", "conversion", "continuation":
		return skip(typ)
	default:
		return skip("unknown type")
	}
	if mt := warcMediaType(h.contentType); mt != "" && mt != "application/http" {
		return skip("not HTTP")
	}

	if w.hb == nil {
		w.hb = bufio.NewReaderSize(&w.hcap, 16<<10)
		w.dr = bufio.NewReaderSize(nil, 4<<10)
	}
	w.hcap = capReader{r: blk, n: maxHTTPHeader, on: true}
	w.hb.Reset(&w.hcap)
	resp, err := http.ReadResponse(w.hb, nil)
	if err != nil {
		if blk.err != nil {
			return Document{}, blk.err // reported by readRecord
		}
		if errors.Is(err, errHTTPHeaderTooLarge) {
			return Document{}, fmt.Errorf("%w: HTTP header longer than %d bytes", ErrWARC, maxHTTPHeader)
		}
		return Document{}, fmt.Errorf("%w: HTTP response: %v", ErrWARC, err)
	}
	w.hcap.on = false
	if resp.StatusCode != http.StatusOK {
		return skip("status " + strconv.Itoa(resp.StatusCode))
	}

	ctype := resp.Header.Get("Content-Type")
	sniff := false
	switch mt := warcMediaType(ctype); {
	case isHTMLMedia(mt):
	case !isUnknownMedia(mt):
		return skip("not HTML")
	default:
		// No useful Content-Type: trust the crawler's identification of
		// the payload if it made one, else sniff.
		pt := warcMediaType(h.payloadType)
		switch {
		case isHTMLMedia(pt):
		case !isUnknownMedia(pt):
			return skip("not HTML")
		default:
			sniff = true
		}
	}

	body, err := w.decodedBody(resp)
	if err != nil {
		return Document{}, err
	}
	if sniff {
		w.dr.Reset(body)
		head, _ := w.dr.Peek(sniffLenHTTP)
		if !strings.HasPrefix(http.DetectContentType(head), "text/html") {
			return skip("not HTML")
		}
		body = w.dr
	}
	w.body.Reset()
	_, err = w.body.ReadFrom(io.LimitReader(body, w.max+1))
	if blk.err != nil {
		return Document{}, blk.err
	}
	if err != nil && !(errors.Is(err, io.ErrUnexpectedEOF) && w.body.Len() > 0) {
		// A payload cut short (as crawlers do at their size limit) is
		// kept; corrupt data is not.
		return Document{}, fmt.Errorf("%w: %v", ErrEncoding, err)
	}
	if int64(w.body.Len()) > w.max {
		return Document{}, fmt.Errorf("%w: payload is more than %d bytes, the limit", ErrTooLarge, w.max)
	}
	html, err := decodeHTMLType(w.body.Bytes(), ctype)
	if err != nil {
		return Document{}, fmt.Errorf("HTML payload: %w", err)
	}
	doc := Document{
		ID:            ContentID(html),
		IDFromContent: true,
		URL:           strings.ToValidUTF8(trimAngles(h.targetURI), "\uFFFD"),
		HTML:          html,
	}
	doc.Published, doc.BadPublished = parsePublished(h.date)
	doc.BadPublished = strings.ToValidUTF8(doc.BadPublished, "\uFFFD")
	doc.Captured = true
	return doc, nil
}

// decodedBody returns the payload of resp, whose header has been read from
// w.hb, undoing chunked transfer coding and the gzip and deflate content
// codings. The payload runs to the end of the record block: an HTTP
// Content-Length is not trusted, as crawlers often store the payload
// decoded under its original header. Codings that were declared but
// evidently already undone are ignored.
func (w *warcReader) decodedBody(resp *http.Response) (io.Reader, error) {
	var r io.Reader = w.hb
	for _, te := range resp.TransferEncoding {
		if strings.EqualFold(te, "chunked") && looksChunked(w.hb) {
			r = httputil.NewChunkedReader(w.hb)
		}
	}
	var codings []string
	for _, v := range resp.Header.Values("Content-Encoding") {
		for _, c := range strings.Split(v, ",") {
			if c = strings.ToLower(strings.TrimSpace(c)); c != "" && c != "identity" {
				codings = append(codings, c)
			}
		}
	}
	gzUsed := false
	for i := len(codings) - 1; i >= 0; i-- {
		br, ok := r.(*bufio.Reader)
		if !ok {
			br = bufio.NewReader(r)
		}
		r = br
		magic, _ := br.Peek(2)
		switch codings[i] {
		case "gzip", "x-gzip":
			if !bytes.HasPrefix(magic, gzipMagic[:2]) {
				continue // stored decoded
			}
			zr := w.gz // reused, unless the payload is gzipped twice
			if zr == nil || gzUsed {
				zr = new(gzip.Reader)
			}
			if w.gz == nil {
				w.gz = zr
			}
			gzUsed = true
			if err := zr.Reset(br); err != nil {
				return nil, fmt.Errorf("%w: gzip: %v", ErrEncoding, err)
			}
			r = zr
		case "deflate":
			// RFC 9110 means zlib; some servers send raw deflate.
			if len(magic) == 2 && magic[0]&0x0f == 8 && (uint16(magic[0])<<8|uint16(magic[1]))%31 == 0 {
				zr, err := zlib.NewReader(br)
				if err != nil {
					return nil, fmt.Errorf("%w: deflate: %v", ErrEncoding, err)
				}
				r = zr
			} else {
				r = flate.NewReader(br)
			}
		default:
			return nil, fmt.Errorf("%w: Content-Encoding %q", ErrEncoding, codings[i])
		}
	}
	return r, nil
}

// looksChunked reports whether the payload in br starts with a chunk-size
// line: a payload that was de-chunked before it was stored does not.
func looksChunked(br *bufio.Reader) bool {
	b, _ := br.Peek(32)
	i := 0
	for i < len(b) && isHexDigit(b[i]) {
		i++
	}
	if i == 0 || i > 16 {
		return false
	}
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return i < len(b) && (b[i] == '\r' || b[i] == '\n' || b[i] == ';')
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// warcMediaType returns the lower-case media type of a Content-Type value,
// without parameters.
func warcMediaType(s string) string {
	s, _, _ = strings.Cut(s, ";")
	return strings.ToLower(strings.TrimSpace(s))
}

func isHTMLMedia(mt string) bool {
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// isUnknownMedia reports whether a media type says nothing about the
// payload, so that it must be sniffed.
func isUnknownMedia(mt string) bool {
	switch mt {
	case "", "application/octet-stream", "binary/octet-stream", "application/unknown", "unknown/unknown", "*/*":
		return true
	}
	return false
}

// trimAngles removes the angle brackets around a WARC-Record-ID (and
// around a WARC-Target-URI, as WARC/1.0 examples wrote it).
func trimAngles(s string) string {
	if len(s) >= 2 && s[0] == '<' && s[len(s)-1] == '>' {
		return strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// blockReader reads a record block of known size from the archive. It
// records why the block ended early: errTruncated at the end of the
// segment, or the segment's error.
type blockReader struct {
	r    *bufio.Reader
	n    int64 // bytes left
	size int64
	err  error
}

func (b *blockReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= int64(n)
	switch {
	case err == io.EOF && b.n > 0:
		err = errTruncated
	case err == io.EOF:
		err = nil
	}
	b.err = err
	return n, err
}

// discard skips the rest of the block.
func (b *blockReader) discard() {
	for b.err == nil && b.n > 0 {
		d, err := b.r.Discard(int(min(b.n, 1<<30)))
		b.n -= int64(d)
		if err == io.EOF {
			err = errTruncated
		}
		b.err = err
	}
}

// capReader fails with errHTTPHeaderTooLarge after n bytes while on.
type capReader struct {
	r  io.Reader
	n  int64
	on bool
}

func (c *capReader) Read(p []byte) (int, error) {
	if !c.on {
		return c.r.Read(p)
	}
	if c.n <= 0 {
		return 0, errHTTPHeaderTooLarge
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}
