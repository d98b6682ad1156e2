package corpus

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"redline/internal/sharedtest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// wrec is a WARC record for a test archive.
type wrec struct {
	typ      string
	uri      string
	date     string
	id       string   // WARC-Record-ID with its angle brackets; "" for none
	ctype    string   // the record's Content-Type; "" for none
	extra    []string // more header lines, "Name: value"
	block    []byte
	length   int  // Content-Length to declare when not len(block)
	noLength bool // omit Content-Length
}

// bytes returns the record as written in an archive.
func (r wrec) bytes() []byte {
	var b bytes.Buffer
	b.WriteString("WARC/1.1\r\n")
	field := func(name, value string) {
		if value != "" {
			b.WriteString(name + ": " + value + "\r\n")
		}
	}
	field("WARC-Type", r.typ)
	field("WARC-Record-ID", r.id)
	field("WARC-Date", r.date)
	field("WARC-Target-URI", r.uri)
	field("Content-Type", r.ctype)
	for _, l := range r.extra {
		b.WriteString(l + "\r\n")
	}
	if !r.noLength {
		n := len(r.block)
		if r.length != 0 {
			n = r.length
		}
		field("Content-Length", strconv.Itoa(n))
	}
	b.WriteString("\r\n")
	b.Write(r.block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// recID returns a WARC-Record-ID for record n of a test archive.
func recID(n int) string {
	return fmt.Sprintf("<urn:uuid:%08d-0000-4000-8000-000000000000>", n)
}

const testDate = "2022-09-15T23:41:43Z"

// httpMsg returns an HTTP response: status line, header lines and body.
func httpMsg(status string, headers []string, body []byte) []byte {
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 " + status + "\r\n")
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// respRec returns a response record for uri holding msg.
func respRec(n int, uri string, msg []byte) wrec {
	return wrec{typ: "response", uri: uri, date: testDate, id: recID(n),
		ctype: "application/http; msgtype=response", block: msg}
}

// htmlResp returns a response record for a 200 text/html page.
func htmlResp(n int, uri, html string) wrec {
	return respRec(n, uri, httpMsg("200 OK", []string{"Content-Type: text/html; charset=utf-8"}, []byte(html)))
}

// page returns a small HTML page with a unique text.
func page(s string) string {
	return "<!DOCTYPE html>\n<html><head><title>" + s + "</title></head>\n<body><p>" + s + "</p></body></html>\n"
}

// gzMember compresses b as one gzip member.
func gzMember(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// archive joins records, each in its own gzip member when gz is set.
func archive(gz bool, recs ...wrec) []byte {
	var b bytes.Buffer
	for _, r := range recs {
		if gz {
			b.Write(gzMember(r.bytes()))
		} else {
			b.Write(r.bytes())
		}
	}
	return b.Bytes()
}

// docSummary is what the tests compare of a document.
type docSummary struct {
	Source, URL, Published, HTML string
}

func summarize(t *testing.T, rs []result) (docs []docSummary, errs []error) {
	t.Helper()
	for _, r := range rs {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		d := r.doc
		if d.ID != ContentID(d.HTML) || d.HTML == "" || d.Text != "" || !utf8.ValidString(d.HTML) {
			t.Errorf("%s: bad document: ID %q, %d bytes of HTML, %d of text", d.Source, d.ID, len(d.HTML), len(d.Text))
		}
		pub := ""
		if !d.Published.IsZero() {
			pub = d.Published.Format(time.RFC3339)
		}
		docs = append(docs, docSummary{d.Source, d.URL, pub, d.HTML})
	}
	return docs, errs
}

// wantRecordError checks that err is an *InputError for input whose
// *RecordError names record (0: between records) and id and wraps reason.
func wantRecordError(t *testing.T, err error, input string, record int, id string, reason error, sub string) {
	t.Helper()
	var ie *InputError
	var re *RecordError
	if !errors.As(err, &ie) || !errors.As(err, &re) {
		t.Fatalf("got %v (%T), want an *InputError holding a *RecordError", err, err)
	}
	if ie.Input != input || ie.Line != 0 || re.Record != record || re.ID != id {
		t.Errorf("error %q: input %q, record %d (%q); want %q, %d (%q)", err, ie.Input, re.Record, re.ID, input, record, id)
	}
	if !errors.Is(err, reason) {
		t.Errorf("error %q does not wrap %q", err, reason)
	}
	if !strings.Contains(err.Error(), sub) {
		t.Errorf("error %q does not contain %q", err, sub)
	}
	prefix := input + ": "
	if record > 0 {
		prefix += "record " + strconv.Itoa(record)
	} else {
		prefix += "offset "
	}
	if !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error %q does not start with %q", err, prefix)
	}
}

// mixedRecords is an archive with one record of each kind. wantMixed gives
// the documents read from it at path.
func mixedRecords() []wrec {
	cp1251, _ := charset.Lookup("windows-1251")
	ru, _ := cp1251.NewEncoder().String(page("Привет, мир"))
	return []wrec{
		{typ: "warcinfo", id: recID(1), date: testDate, ctype: "application/warc-fields", block: []byte("software: test\r\n")},
		{typ: "request", id: recID(2), date: testDate, uri: "https://a.example/1", ctype: "application/http; msgtype=request",
			block: []byte("GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n")},
		htmlResp(3, "https://a.example/1", page("Один")),
		{typ: "metadata", id: recID(4), date: testDate, uri: "https://a.example/1", ctype: "application/warc-fields", block: []byte("fetchTimeMs: 12\r\n")},
		respRec(5, "https://a.example/logo.png", httpMsg("200 OK", []string{"Content-Type: image/png"}, []byte("\x89PNG\r\n\x1a\n\x00\x00"))),
		respRec(6, "https://a.example/gone", httpMsg("404 Not Found", []string{"Content-Type: text/html"}, []byte(page("gone")))),
		respRec(7, "https://a.example/moved", httpMsg("301 Moved Permanently", []string{"Location: /1"}, nil)),
		{typ: "revisit", id: recID(8), date: testDate, uri: "https://a.example/1", ctype: "application/http; msgtype=response",
			extra: []string{"WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"},
			block: httpMsg("200 OK", []string{"Content-Type: text/html"}, nil)},
		respRec(9, "https://a.example/sniffed", httpMsg("200 OK", nil, []byte(page("sniffed")))),
		respRec(10, "https://a.example/plain", httpMsg("200 OK", nil, []byte("just some text, not a page\n"))),
		respRec(11, "https://a.example/x", httpMsg("200 OK", []string{"Content-Type: application/xhtml+xml"}, []byte(page("xhtml")))),
		func() wrec {
			r := respRec(12, "https://a.example/id", httpMsg("200 OK", []string{"Content-Type: application/octet-stream"}, []byte("<p>identified</p>")))
			r.extra = []string{"WARC-Identified-Payload-Type: text/html"}
			return r
		}(),
		{typ: "response", id: recID(13), date: testDate, uri: "dns:a.example", ctype: "text/dns", block: []byte("20220915234143\na.example. 300 IN A 192.0.2.1\n")},
		{typ: "resource", id: recID(14), date: testDate, uri: "https://a.example/r", ctype: "text/html", block: []byte(page("resource"))},
		respRec(15, "https://a.example/ru", httpMsg("200 OK", []string{"Content-Type: text/html; charset=windows-1251"}, []byte(ru))),
		{typ: "response", date: "2022-09-16T01:02:03.5Z", uri: "<https://a.example/noid>", ctype: "application/http;msgtype=response",
			block: httpMsg("200 OK", []string{"Content-Type: TEXT/HTML"}, []byte(page("no id")))},
	}
}

func wantMixed(path string) []docSummary {
	src := func(n int) string { return path + "#" + trimAngles(recID(n)) }
	return []docSummary{
		{src(3), "https://a.example/1", testDate, page("Один")},
		{src(9), "https://a.example/sniffed", testDate, page("sniffed")},
		{src(11), "https://a.example/x", testDate, page("xhtml")},
		{src(12), "https://a.example/id", testDate, "<p>identified</p>"},
		{src(15), "https://a.example/ru", testDate, page("Привет, мир")},
		{path + "#16", "https://a.example/noid", "2022-09-16T01:02:03Z", page("no id")},
	}
}

var wantMixedSkips = map[string]int{
	"warcinfo": 1, "request": 1, "metadata": 1, "not HTML": 2, "status 404": 1, "status 301": 1,
	"revisit": 1, "not HTTP": 1, "resource": 1,
}

// TestWARCRecords reads one archive with every kind of record, stored in
// each way: uncompressed, a gzip member per record, gzipped as a whole, and
// with a name that does not match its content.
func TestWARCRecords(t *testing.T) {
	recs := mixedRecords()
	dir := t.TempDir()
	whole := gzMember(archive(false, recs...))
	files := map[string][]byte{
		"plain.warc":             archive(false, recs...),
		"members.warc.gz":        archive(true, recs...),
		"whole.warc.gz":          whole,
		"plain-named-gz.warc.gz": archive(false, recs...),
		"gz-named-plain.warc":    archive(true, recs...),
		"UPPER.WARC.GZ":          archive(true, recs...),
	}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, dir, name, string(data))
			rs, r := openAll(t, []string{path}, Options{})
			docs, errs := summarize(t, rs)
			for _, err := range errs {
				t.Errorf("unexpected: %v", err)
			}
			if want := wantMixed(path); !slices.Equal(docs, want) {
				t.Errorf("documents:\n got %q\nwant %q", docs, want)
			}
			if got := r.SkippedRecords(); !maps.Equal(got, wantMixedSkips) {
				t.Errorf("SkippedRecords() = %v, want %v", got, wantMixedSkips)
			}
			if r.Skipped() != 10 || len(r.SkippedFiles()) != 0 {
				t.Errorf("Skipped() = %d, SkippedFiles() = %q; want 10 and none", r.Skipped(), r.SkippedFiles())
			}
			// Re-reading gives the same documents and IDs.
			again, _ := openAll(t, []string{path}, Options{})
			if len(again) != len(rs) {
				t.Fatalf("re-reading gave %d results, want %d", len(again), len(rs))
			}
			for i := range rs {
				if again[i].doc != rs[i].doc {
					t.Errorf("re-reading gave %+v, want %+v", again[i].doc, rs[i].doc)
				}
			}
		})
	}

	// A folder walk picks up .warc and .warc.gz files among the others.
	t.Run("walk", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, root, "a/x.warc.gz", string(archive(true, recs[2])))
		writeFile(t, root, "a/y.warc", string(archive(false, recs[8])))
		writeFile(t, root, "a/z.txt", "Some text.")
		writeFile(t, root, "a/w.warc.zip", "PK")
		rs, r := openAll(t, []string{root}, Options{})
		if got, want := outline(rs), []string{
			"doc " + filepath.Join(root, "a/x.warc.gz") + "#" + trimAngles(recID(3)),
			"doc " + filepath.Join(root, "a/y.warc") + "#" + trimAngles(recID(9)),
			"doc " + filepath.Join(root, "a/z.txt"),
		}; !slices.Equal(got, want) {
			t.Errorf("walk gave %q, want %q", got, want)
		}
		if r.Skipped() != 1 || len(r.SkippedRecords()) != 0 {
			t.Errorf("Skipped() = %d, SkippedRecords() = %v; want 1 (w.warc.zip) and none", r.Skipped(), r.SkippedRecords())
		}
	})
}

// TestWARCPayloadEncodings: chunked transfer coding and the gzip and
// deflate content codings are undone, also when the payload was stored
// already decoded; an unsupported or corrupt coding is an input error for
// that record only.
func TestWARCPayloadEncodings(t *testing.T) {
	html := page("Ελληνικά και English, encoded")
	zl := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := zlib.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	raw := func(b []byte) []byte {
		var buf bytes.Buffer
		zw, _ := flate.NewWriter(&buf, flate.BestCompression)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	chunk := func(b []byte) []byte {
		var buf bytes.Buffer
		for i, n := 0, 0; i < len(b); i += n {
			n = min(len(b)-i, 17+i%23)
			fmt.Fprintf(&buf, "%x", n)
			if i == 0 {
				buf.WriteString(";ext=1")
			}
			buf.WriteString("\r\n")
			buf.Write(b[i : i+n])
			buf.WriteString("\r\n")
		}
		buf.WriteString("0\r\nX-Trailer: t\r\n\r\n")
		return buf.Bytes()
	}
	gz := gzMember([]byte(html))
	corrupt := append([]byte(nil), gz...)
	for i := 12; i < len(corrupt)-8; i++ {
		corrupt[i] ^= 0x55
	}
	ct := "Content-Type: text/html; charset=utf-8"
	recs := []wrec{
		respRec(1, "u:chunked", httpMsg("200 OK", []string{ct, "Transfer-Encoding: chunked"}, chunk([]byte(html)))),
		respRec(2, "u:gzip", httpMsg("200 OK", []string{ct, "Content-Encoding: gzip", "Content-Length: 3"}, gz)),
		respRec(3, "u:x-gzip", httpMsg("200 OK", []string{ct, "Content-Encoding: X-Gzip"}, gz)),
		respRec(4, "u:zlib", httpMsg("200 OK", []string{ct, "Content-Encoding: deflate"}, zl([]byte(html)))),
		respRec(5, "u:raw-deflate", httpMsg("200 OK", []string{ct, "Content-Encoding: deflate"}, raw([]byte(html)))),
		respRec(6, "u:chunked-gzip", httpMsg("200 OK", []string{ct, "Transfer-Encoding: chunked", "Content-Encoding: gzip"}, chunk(gz))),
		respRec(7, "u:stored-decoded", httpMsg("200 OK", []string{ct, "Content-Encoding: gzip", "Transfer-Encoding: chunked"}, []byte(html))),
		respRec(8, "u:gzip-twice", httpMsg("200 OK", []string{ct, "Content-Encoding: gzip, gzip"}, gzMember(gz))),
		respRec(9, "u:br", httpMsg("200 OK", []string{ct, "Content-Encoding: br"}, []byte("\x1b\x00"))),
		respRec(10, "u:corrupt-gzip", httpMsg("200 OK", []string{ct, "Content-Encoding: gzip"}, corrupt)),
		respRec(11, "u:cut-gzip", httpMsg("200 OK", []string{ct, "Content-Encoding: gzip"}, gz[:len(gz)-8])),
		respRec(12, "u:bad-http", []byte("garbage\r\n\r\n")),
		respRec(13, "u:big-header", httpMsg("200 OK", []string{ct, "Set-Cookie: " + strings.Repeat("c", 300<<10)}, []byte(html))),
		respRec(14, "u:empty", httpMsg("200 OK", []string{ct}, []byte(" \n"))),
		respRec(15, "u:last", httpMsg("200 OK", []string{ct}, []byte(page("last")))),
	}
	path := writeFile(t, t.TempDir(), "enc.warc.gz", string(archive(true, recs...)))
	rs, _ := openAll(t, []string{path}, Options{})
	docs, errs := summarize(t, rs)
	var urls []string
	for _, d := range docs {
		urls = append(urls, d.URL)
		want := html
		if d.URL == "u:last" {
			want = page("last")
		}
		if d.HTML != want {
			t.Errorf("%s: HTML %q, want %q", d.URL, d.HTML, want)
		}
	}
	wantURLs := []string{"u:chunked", "u:gzip", "u:x-gzip", "u:zlib", "u:raw-deflate", "u:chunked-gzip",
		"u:stored-decoded", "u:gzip-twice", "u:cut-gzip", "u:last"}
	if !slices.Equal(urls, wantURLs) {
		t.Errorf("documents %q, want %q", urls, wantURLs)
	}
	if len(errs) != 5 {
		t.Fatalf("got %d errors (%v), want 5", len(errs), errs)
	}
	wantRecordError(t, errs[0], path, 9, trimAngles(recID(9)), ErrEncoding, `Content-Encoding "br"`)
	wantRecordError(t, errs[1], path, 10, trimAngles(recID(10)), ErrEncoding, "flate")
	wantRecordError(t, errs[2], path, 12, trimAngles(recID(12)), ErrWARC, "malformed HTTP response")
	wantRecordError(t, errs[3], path, 13, trimAngles(recID(13)), ErrWARC, "HTTP header longer than 262144 bytes")
	wantRecordError(t, errs[4], path, 14, trimAngles(recID(14)), ErrEmpty, "HTML payload: empty file")
}

// TestWARCTooLarge: a payload over MaxBytes, as stored or once decoded, is
// an input error naming the archive and the record; reading goes on. A
// large record that is not HTML is skipped without error.
func TestWARCTooLarge(t *testing.T) {
	const max = 1000
	big := page(strings.Repeat("big ", 300))
	bomb := gzMember([]byte(page(strings.Repeat("z", 100_000))))
	recs := []wrec{
		htmlResp(1, "u:small", page("small")),
		htmlResp(2, "u:big", big),
		respRec(3, "u:bomb", httpMsg("200 OK", []string{"Content-Type: text/html", "Content-Encoding: gzip"}, bomb)),
		respRec(4, "u:image", httpMsg("200 OK", []string{"Content-Type: image/jpeg"}, bytes.Repeat([]byte{0xff}, 50_000))),
		htmlResp(5, "u:exact", "<p>"+strings.Repeat("e", max-7)+"</p>"),
	}
	for _, gz := range []bool{false, true} {
		path := writeFile(t, t.TempDir(), "big.warc", string(archive(gz, recs...)))
		rs, r := openAll(t, []string{path}, Options{MaxBytes: max})
		docs, errs := summarize(t, rs)
		if len(docs) != 2 || docs[0].URL != "u:small" || docs[1].URL != "u:exact" || len(docs[1].HTML) != max {
			t.Errorf("gz=%v: documents %v, want u:small and u:exact (%d bytes)", gz, docs, max)
		}
		if len(errs) != 2 {
			t.Fatalf("gz=%v: got errors %v, want 2", gz, errs)
		}
		wantRecordError(t, errs[0], path, 2, trimAngles(recID(2)), ErrTooLarge, "payload is more than 1000 bytes")
		wantRecordError(t, errs[1], path, 3, trimAngles(recID(3)), ErrTooLarge, "payload is more than 1000 bytes")
		if !strings.Contains(errs[0].Error(), "record 2 ("+trimAngles(recID(2))+") at offset ") {
			t.Errorf("error %q does not name the record", errs[0])
		}
		if r.SkippedRecords()["not HTML"] != 1 {
			t.Errorf("SkippedRecords() = %v, want the image counted", r.SkippedRecords())
		}
	}
}

// TestWARCCorrupt: bad data is reported once, then reading resumes at the
// next record that can be found; at the end of the file reading stops.
func TestWARCCorrupt(t *testing.T) {
	rec := func(n int) wrec { return htmlResp(n, "u:"+strconv.Itoa(n), page("page "+strconv.Itoa(n))) }
	member := func(n int) []byte { return gzMember(rec(n).bytes()) }
	join := func(parts ...[]byte) string { return string(bytes.Join(parts, nil)) }
	id := func(n int) string { return trimAngles(recID(n)) }

	shortLength := rec(2)
	shortLength.length = len(shortLength.block) - 10
	longLength := rec(2)
	longLength.length = len(longLength.block) + 100
	hugeLength := rec(2)
	hugeLength.length = 1 << 40
	intoNext := rec(2)
	intoNext.length = len(intoNext.block) + 4 + len(rec(3).bytes()) - 10
	noLength := rec(1)
	noLength.noLength = true
	m2 := member(2)
	flipped := append([]byte(nil), m2...)
	flipped[len(flipped)/2] ^= 0x10
	badCRC := append([]byte(nil), m2...)
	badCRC[len(badCRC)-8] ^= 0x01

	type check struct {
		record int
		id     string
		sub    string
	}
	tests := []struct {
		name string
		data string
		urls []string // documents, in order
		errs []check  // errors, in order; all wrap ErrWARC
		// Offsets of the errors, when checked.
		offsets []int64
	}{
		{
			name:    "plain garbage between records",
			data:    join(rec(1).bytes(), []byte("garbage line\r\nmore\r\n"), rec(2).bytes()),
			urls:    []string{"u:1", "u:2"},
			errs:    []check{{0, "", `expected a WARC/1.x header line, found "garbage line"`}},
			offsets: []int64{int64(len(rec(1).bytes()))},
		},
		{
			name:    "plain Content-Length too short",
			data:    join(rec(1).bytes(), shortLength.bytes(), rec(3).bytes()),
			urls:    []string{"u:1", "u:3"},
			errs:    []check{{2, id(2), "Content-Length 140 does not end the record"}},
			offsets: []int64{int64(len(rec(1).bytes()))},
		},
		{
			name:    "plain Content-Length too long",
			data:    join(rec(1).bytes(), longLength.bytes(), rec(3).bytes(), rec(4).bytes()),
			urls:    []string{"u:1", "u:3", "u:4"},
			errs:    []check{{2, id(2), "Content-Length 250 does not end the record"}},
			offsets: []int64{int64(len(rec(1).bytes()))},
		},
		{
			name: "plain Content-Length swallowing two records and more",
			data: join(rec(1).bytes(), hugeLength.bytes(), rec(3).bytes(), rec(4).bytes()),
			urls: []string{"u:1", "u:3", "u:4"},
			// It runs past the end of the file.
			errs:    []check{{2, id(2), "record truncated: block has"}},
			offsets: []int64{int64(len(rec(1).bytes()))},
		},
		{
			name:    "plain Content-Length ending in the next record's block",
			data:    join(rec(1).bytes(), intoNext.bytes(), rec(3).bytes(), rec(4).bytes()),
			urls:    []string{"u:1", "u:3", "u:4"},
			errs:    []check{{2, id(2), "does not end the record"}},
			offsets: []int64{int64(len(rec(1).bytes()))},
		},
		{
			name: "gz Content-Length too short",
			data: join(member(1), gzMember(shortLength.bytes()), member(3)),
			urls: []string{"u:1", "u:3"},
			errs: []check{{2, id(2), "Content-Length 140 does not end the record"}},
			// The offset of the member.
			offsets: []int64{int64(len(member(1)))},
		},
		{
			name:    "gz as a whole, Content-Length too long",
			data:    join(gzMember([]byte(join(rec(1).bytes(), longLength.bytes(), rec(3).bytes(), rec(4).bytes())))),
			urls:    []string{"u:1", "u:3", "u:4"},
			errs:    []check{{2, id(2), "Content-Length 250 does not end the record"}},
			offsets: []int64{0},
		},
		{
			name:    "gz as a whole, Content-Length too short",
			data:    join(gzMember([]byte(join(rec(1).bytes(), shortLength.bytes(), rec(3).bytes())))),
			urls:    []string{"u:1", "u:3"},
			errs:    []check{{2, id(2), "Content-Length 140 does not end the record"}},
			offsets: []int64{0},
		},
		{
			name:    "gz as a whole, Content-Length swallowing the rest",
			data:    join(gzMember([]byte(join(rec(1).bytes(), hugeLength.bytes(), rec(3).bytes(), rec(4).bytes())))),
			urls:    []string{"u:1", "u:3", "u:4"},
			errs:    []check{{2, id(2), "record truncated"}},
			offsets: []int64{0},
		},
		{
			name: "plain missing Content-Length",
			data: join(noLength.bytes(), rec(2).bytes()),
			urls: []string{"u:2"},
			errs: []check{{1, id(1), `missing or bad Content-Length ""`}},
		},
		{
			name: "plain truncated at the end",
			data: join(rec(1).bytes(), rec(2).bytes()[:len(rec(2).bytes())-50]),
			urls: []string{"u:1"},
			errs: []check{{2, id(2), "record truncated: block has"}},
		},
		{
			name: "plain truncated in the header",
			data: join(rec(1).bytes(), rec(2).bytes()[:40]),
			urls: []string{"u:1"},
			errs: []check{{2, "", "record truncated: header cut short"}},
		},
		{
			name: "gz member cut short, then good members",
			data: join(member(1), m2[:len(m2)/2], member(3), member(4)),
			urls: []string{"u:1", "u:3", "u:4"},
			// Member 3 decompresses as garbage in the header of record 2.
			errs: []check{{2, id(2), "malformed header line"}},
		},
		{
			name: "gz block longer than its member",
			data: join(member(1), gzMember(longLength.bytes()), member(3)),
			urls: []string{"u:1", "u:3"},
			errs: []check{{2, id(2), "record truncated: block has"}},
		},
		{
			name: "gz flipped bit",
			data: join(member(1), flipped, member(3)),
			urls: []string{"u:1", "u:3"},
			errs: []check{{2, id(2), ""}},
		},
		{
			name: "gz bad checksum",
			data: join(member(1), badCRC, member(3)),
			urls: []string{"u:1", "u:3"},
			errs: []check{{2, id(2), "corrupt gzip member: gzip: invalid checksum"}},
		},
		{
			name:    "gz garbage between members",
			data:    join(member(1), []byte("JUNK\x1f\x8bJUNK"), member(2)),
			urls:    []string{"u:1", "u:2"},
			errs:    []check{{0, "", "10 bytes that are not a gzip member before offset"}},
			offsets: []int64{int64(len(member(1)))},
		},
		{
			name: "gz truncated at the end",
			data: join(member(1), member(2), member(3)[:30]),
			urls: []string{"u:1", "u:2"},
			errs: []check{{0, "", "corrupt gzip member: unexpected EOF"}},
		},
		{
			name:    "gz plain bytes after the members",
			data:    join(member(1), rec(2).bytes()),
			urls:    []string{"u:1"},
			errs:    []check{{0, "", fmt.Sprintf("%d bytes at the end that are not a gzip member", len(rec(2).bytes()))}},
			offsets: []int64{int64(len(member(1)))},
		},
		{
			name:    "not a WARC",
			data:    "Hello, world.\nThis is not an archive.\n",
			errs:    []check{{0, "", `found "Hello, world."`}},
			offsets: []int64{0},
		},
		{
			name: "long line",
			data: join(bytes.Repeat([]byte("x"), 200_000), []byte("\r\n"), rec(1).bytes()),
			urls: []string{"u:1"},
			errs: []check{{0, "", "line too long"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, t.TempDir(), "c.warc.gz", tc.data)
			rs, _ := openAll(t, []string{path}, Options{})
			docs, errs := summarize(t, rs)
			var urls []string
			for _, d := range docs {
				urls = append(urls, d.URL)
				if want := page("page " + strings.TrimPrefix(d.URL, "u:")); d.HTML != want {
					t.Errorf("%s: HTML %q, want %q", d.URL, d.HTML, want)
				}
			}
			if !slices.Equal(urls, tc.urls) {
				t.Errorf("documents %q, want %q", urls, tc.urls)
			}
			if len(errs) != len(tc.errs) {
				t.Fatalf("got errors %v, want %d", errs, len(tc.errs))
			}
			for i, c := range tc.errs {
				wantRecordError(t, errs[i], path, c.record, c.id, ErrWARC, c.sub)
				if i < len(tc.offsets) {
					var re *RecordError
					errors.As(errs[i], &re)
					if re.Offset != tc.offsets[i] {
						t.Errorf("error %q: offset %d, want %d", errs[i], re.Offset, tc.offsets[i])
					}
				}
			}
		})
	}

	// The order of results: the error comes where the bad data is.
	t.Run("order", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "o.warc", join(rec(1).bytes(), []byte("junk\r\n"), rec(2).bytes()))
		rs, _ := openAll(t, []string{path}, Options{})
		want := []string{"doc " + path + "#" + id(1), "err " + path + ":0", "doc " + path + "#" + id(2)}
		if got := outline(rs); !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})

	// Empty archives.
	for _, data := range []string{"", "\r\n\r\n", string(gzMember(nil))} {
		path := writeFile(t, t.TempDir(), "e.warc.gz", data)
		rs, _ := openAll(t, []string{path}, Options{})
		if len(rs) != 1 {
			t.Fatalf("%q: got %v, want one ErrEmpty", data, rs)
		}
		wantInputError(t, rs[0].err, path, 0, ErrEmpty, "empty file")
	}
}

// TestWARCOffsets: an error names the record's offset: the byte offset in
// an uncompressed archive, the gzip member's in a compressed one.
func TestWARCOffsets(t *testing.T) {
	recs := []wrec{htmlResp(1, "u:1", page("one")), htmlResp(2, "u:2", page(strings.Repeat("two ", 500))), htmlResp(3, "u:3", page("three"))}
	for _, gz := range []bool{false, true} {
		var first []byte
		if gz {
			first = gzMember(recs[0].bytes())
		} else {
			first = recs[0].bytes()
		}
		path := writeFile(t, t.TempDir(), "o.warc.gz", string(archive(gz, recs...)))
		rs, _ := openAll(t, []string{path}, Options{MaxBytes: 1000})
		_, errs := summarize(t, rs)
		if len(rs) != 3 || len(errs) != 1 {
			t.Fatalf("gz=%v: got %v", gz, rs)
		}
		var re *RecordError
		if !errors.As(errs[0], &re) || re.Offset != int64(len(first)) {
			t.Errorf("gz=%v: error %v, want offset %d", gz, errs[0], len(first))
		}
	}
}

// TestRecordErrorFormat: the messages of RecordError.
func TestRecordErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&InputError{Input: "a.warc.gz", Err: &RecordError{Record: 3, ID: "urn:uuid:x", Offset: 1234, Err: ErrTooLarge}},
			"a.warc.gz: record 3 (urn:uuid:x) at offset 1234: too large"},
		{&RecordError{Record: 4, Offset: 0, Err: ErrWARC}, "record 4 at offset 0: bad WARC data"},
		{&RecordError{Offset: 99, Err: ErrWARC}, "offset 99: bad WARC data"},
		{&RecordError{Offset: 1}, "offset 1"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

// TestWARCStreams: archive records far larger than MaxBytes, skipped or
// refused, are streamed through, not held in memory.
func TestWARCStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 128 MiB")
	}
	const huge = 64 << 20
	path := filepath.Join(t.TempDir(), "huge.warc.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	writeHuge := func(n int, ctype string) {
		zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
		head := httpMsg("200 OK", []string{"Content-Type: " + ctype}, nil)
		r := respRec(n, "u:huge", nil)
		r.length = len(head) + huge
		b := r.bytes()
		b = b[:len(b)-4] // without the record's end
		zw.Write(b)
		zw.Write(head)
		io.CopyN(zw, zeroReader{}, huge)
		zw.Write([]byte("\r\n\r\n"))
		zw.Close()
	}
	writeHuge(1, "video/mp4")
	writeHuge(2, "text/html")
	f.Write(gzMember(htmlResp(3, "u:small", page("small")).bytes()))
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rs, r := openAll(t, []string{path}, Options{MaxBytes: 1 << 20})
	runtime.ReadMemStats(&after)
	docs, errs := summarize(t, rs)
	if len(docs) != 1 || len(errs) != 1 || !errors.Is(errs[0], ErrTooLarge) || r.SkippedRecords()["not HTML"] != 1 {
		t.Fatalf("got documents %d, errors %v, skipped %v", len(docs), errs, r.SkippedRecords())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("reading two 64 MiB records allocated %d MiB", alloc>>20)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestWARCContext: Next checks its context between skipped records.
func TestWARCContext(t *testing.T) {
	recs := []wrec{}
	for i := 1; i <= 5; i++ {
		recs = append(recs, wrec{typ: "request", id: recID(i), block: []byte("GET / HTTP/1.1\r\n\r\n")})
	}
	recs = append(recs, htmlResp(6, "u:6", page("six")))
	path := writeFile(t, t.TempDir(), "ctx.warc", string(archive(false, recs...)))
	r, err := Open([]string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Next(ctx); err != context.Canceled {
		t.Fatalf("Next with a done context = %v", err)
	}
	doc, err := r.Next(context.Background())
	if err != nil || doc.URL != "u:6" || r.Skipped() != 5 {
		t.Fatalf("got %+v, %v, %d skipped", doc, err, r.Skipped())
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

// ccnewsRecord is one capture of the shared CC-News sample.
type ccnewsRecord struct {
	ID     string `json:"dataset_id"`
	URI    string `json:"uri"`
	Date   string `json:"warc_sourced_date"`
	Domain string `json:"domain"`
	HTML   string `json:"article_html"`
}

// encodeHTML encodes s in the charset named, writing the characters it
// cannot represent as numeric character references, and returns the bytes
// and the UTF-8 text they decode to.
func encodeHTML(t testing.TB, s, name string) ([]byte, string) {
	t.Helper()
	enc, _ := charset.Lookup(name)
	if enc == nil {
		t.Fatalf("unknown charset %s", name)
	}
	e := enc.NewEncoder() // writes &#N; for what it cannot encode
	var want strings.Builder
	cache := map[rune]string{}
	for _, r := range s {
		if r < utf8.RuneSelf {
			want.WriteRune(r)
			continue
		}
		out, ok := cache[r]
		if !ok {
			if b, err := e.String(string(r)); err != nil || strings.HasPrefix(b, "&#") {
				out = "&#" + strconv.Itoa(int(r)) + ";"
			} else {
				out = string(r)
			}
			cache[r] = out
		}
		want.WriteString(out)
	}
	b, err := e.String(want.String())
	if err != nil {
		t.Fatal(err)
	}
	return []byte(b), want.String()
}

// ccnewsArchives builds one WARC archive per folder of the shared CC-News
// sample, shaped like a real CC-NEWS file: a warcinfo record, then for each
// capture a request, the response and a metadata record. Most pages are
// served as the UTF-8 they are; the Russian ones are re-encoded to
// windows-1251 and the Greek ones to ISO-8859-7, declared only by the HTTP
// header (their <meta> still says UTF-8); the Spanish one to windows-1252,
// declared only by its <meta>; the Brazilian ones are served chunked and
// gzipped. It returns the archive paths and, per archive path, the
// expected documents and the titles the pages must contain.
func ccnewsArchives(t testing.TB, dir string, sample string) (paths []string, want map[string][]docSummary, titles map[string]string) {
	want = map[string][]docSummary{}
	titles = map[string]string{}
	crawls, _ := filepath.Glob(filepath.Join(sample, "CC-NEWS-*"))
	for _, crawl := range crawls {
		files, _ := filepath.Glob(filepath.Join(crawl, "warc-extract", "*", "*.json"))
		slices.Sort(files)
		path := filepath.Join(dir, filepath.Base(crawl)+".warc.gz")
		var out bytes.Buffer
		n := 1
		out.Write(gzMember(wrec{typ: "warcinfo", id: recID(n), date: "2022-09-15T23:00:49Z", ctype: "application/warc-fields",
			block: []byte("software: test\r\nformat: WARC File Format 1.1\r\n")}.bytes()))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var c ccnewsRecord
			if err := json.Unmarshal(data, &c); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if pc, err := os.ReadFile(strings.Replace(file, "warc-extract", "processed-content", 1)); err == nil {
				var p struct{ Title string }
				json.Unmarshal(pc, &p)
				if strings.Contains(c.HTML, p.Title) { // not so for one NPR page
					titles[c.URI] = p.Title
				}
			}
			n++
			out.Write(gzMember(wrec{typ: "request", id: recID(n), date: c.Date, uri: c.URI, ctype: "application/http; msgtype=request",
				block: []byte("GET / HTTP/1.1\r\nHost: " + c.Domain + "\r\n\r\n")}.bytes()))
			body, html := []byte(c.HTML), c.HTML
			headers := []string{"Content-Type: text/html; charset=UTF-8"}
			switch c.Domain {
			case "1prime.ru":
				body, html = encodeHTML(t, c.HTML, "windows-1251")
				headers = []string{"Content-Type: text/html; charset=windows-1251"}
			case "alphapatras.gr":
				body, html = encodeHTML(t, c.HTML, "iso-8859-7")
				headers = []string{"Content-Type: text/html; charset=iso-8859-7"}
			case "andaluciainformacion.es":
				meta := strings.Replace(c.HTML, "charset=utf-8", "charset=iso-8859-1", 1)
				body, html = encodeHTML(t, meta, "windows-1252")
				headers = []string{"Content-Type: text/html"}
			case "agenciabrasil.ebc.com.br":
				gz := gzMember(body)
				body = []byte(fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(gz), gz))
				headers = append(headers, "Content-Encoding: gzip", "Transfer-Encoding: chunked")
			}
			n++
			r := respRec(n, c.URI, httpMsg("200 OK", append(headers, "Server: test"), body))
			r.id = "<urn:uuid:" + c.ID + ">"
			r.date = c.Date
			r.extra = []string{"WARC-Identified-Payload-Type: text/html"}
			out.Write(gzMember(r.bytes()))
			want[path] = append(want[path], docSummary{path + "#urn:uuid:" + c.ID, c.URI, c.Date, html})
			n++
			out.Write(gzMember(wrec{typ: "metadata", id: recID(n), date: c.Date, uri: c.URI, ctype: "application/warc-fields",
				block: []byte("fetchTimeMs: 100\r\n")}.bytes()))
		}
		if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths, want, titles
}

// TestWARCCCNews reads archives built from the 39 captures of the shared
// CC-News sample: every page is a document with its URL and capture date,
// and the non-English pages, whatever their encoding, decode to the text
// they were written in.
func TestWARCCCNews(t *testing.T) {
	sample := filepath.Join(sharedCorpus(t), "ccnews-2022-09", "sample-data")
	if _, err := os.Stat(sample); err != nil {
		sharedtest.Missing(t, "../shared/corpus/ccnews-2022-09/sample-data not found: ", err)
	}
	dir := t.TempDir()
	paths, want, titles := ccnewsArchives(t, dir, sample)
	if len(paths) != 2 {
		t.Fatalf("built %d archives, want 2", len(paths))
	}
	rs, r := openAll(t, []string{dir}, Options{})
	docs, errs := summarize(t, rs)
	for _, err := range errs {
		t.Errorf("unexpected: %v", err)
	}
	var all []docSummary
	for _, p := range paths {
		all = append(all, want[p]...)
	}
	if len(docs) != 39 || len(all) != 39 {
		t.Fatalf("got %d documents, want %d (39)", len(docs), len(all))
	}
	langs := map[string]int{}
	for i, d := range docs {
		w := all[i]
		if d.Source != w.Source || d.URL != w.URL || d.Published != w.Published {
			t.Errorf("document %d: %s %s %s, want %s %s %s", i, d.Source, d.URL, d.Published, w.Source, w.URL, w.Published)
		}
		if d.HTML != w.HTML {
			t.Errorf("%s: HTML differs from the page (%d bytes, want %d)", d.URL, len(d.HTML), len(w.HTML))
		}
		if title := titles[d.URL]; title != "" && !strings.Contains(d.HTML, title) {
			t.Errorf("%s: HTML does not hold the title %q", d.URL, title)
		}
		switch {
		case strings.Contains(d.URL, "1prime.ru"):
			langs["ru"]++
			if !strings.Contains(d.HTML, "ПРАЙМ") {
				t.Errorf("%s: no Cyrillic text", d.URL)
			}
		case strings.Contains(d.URL, "alphapatras.gr"):
			langs["el"]++
			if !strings.Contains(d.HTML, "Πάτρα") && !strings.Contains(d.HTML, "Ελλάδα") {
				t.Errorf("%s: no Greek text", d.URL)
			}
		case strings.Contains(d.URL, "andaluciainformacion.es"):
			langs["es"]++
			if !strings.Contains(d.HTML, "atrapado bajo un tractor en Pontevedra") || !strings.Contains(d.HTML, "ñ") {
				t.Errorf("%s: Spanish text missing", d.URL)
			}
		case strings.Contains(d.URL, "agenciabrasil"):
			langs["pt"]++
			if !strings.Contains(d.HTML, "ção") {
				t.Errorf("%s: Portuguese text missing", d.URL)
			}
		}
	}
	if wantLangs := map[string]int{"ru": 7, "el": 8, "es": 1, "pt": 5}; !maps.Equal(langs, wantLangs) {
		t.Errorf("pages by language %v, want %v", langs, wantLangs)
	}
	wantSkips := map[string]int{"warcinfo": 2, "request": 39, "metadata": 39}
	if !maps.Equal(r.SkippedRecords(), wantSkips) || r.Skipped() != 80 {
		t.Errorf("skipped %d: %v, want 80: %v", r.Skipped(), r.SkippedRecords(), wantSkips)
	}
	t.Logf("%d archives, %d documents (ru %d, el %d, es %d, pt %d), %d records skipped %v",
		len(paths), len(docs), langs["ru"], langs["el"], langs["es"], langs["pt"], r.Skipped(), r.SkippedRecords())
}

// TestWARCFixture reads the small hand-written archive in testdata/warc.
func TestWARCFixture(t *testing.T) {
	path := filepath.Join("testdata", "warc", "sample.warc")
	rs, r := openAll(t, []string{path}, Options{})
	docs, errs := summarize(t, rs)
	if len(errs) != 0 || len(docs) != 2 {
		t.Fatalf("got documents %v, errors %v; want 2 and none", docs, errs)
	}
	if docs[0].URL != "https://news.example/kyiv-talks" || docs[0].Published != "2022-09-15T23:41:43Z" ||
		!strings.Contains(docs[0].HTML, "Talks resumed in Istanbul.") {
		t.Errorf("first document %+v", docs[0])
	}
	if docs[1].URL != "https://news.example/de/gespraeche" || !strings.Contains(docs[1].HTML, "Gespräche in Istanbul") {
		t.Errorf("second document %+v", docs[1])
	}
	if want := map[string]int{"warcinfo": 1, "request": 1, "status 404": 1}; !maps.Equal(r.SkippedRecords(), want) {
		t.Errorf("SkippedRecords() = %v, want %v", r.SkippedRecords(), want)
	}
}

// seekCloser is a bytes.Reader that can be closed.
type seekCloser struct{ *bytes.Reader }

func (seekCloser) Close() error { return nil }

// fuzzGzip is reused by FuzzWARC: a new gzip.Writer costs about 1 MB, and
// at the default level each member clears 512 KB of hash tables.
var fuzzGzip = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.HuffmanOnly)
	return zw
}}

// FuzzWARC feeds arbitrary bytes to the WARC reader, as they are and, when
// they are not gzip data, with each "WARC/" line in a gzip member of its
// own: it must not panic, must end, and everything it returns must keep
// the package's promises. The seeds are small, for the sake of the
// minimization of new inputs.
func FuzzWARC(f *testing.F) {
	recs := mixedRecords()
	gz := gzMember([]byte("<p>zipped</p>"))
	seeds := [][]byte{
		archive(false, recs[0], recs[2], recs[4]),
		archive(false, recs[8], recs[11], recs[14]),
		archive(true, recs[2], recs[5]),
		archive(false,
			respRec(1, "u:c", httpMsg("200 OK", []string{"Transfer-Encoding: chunked", "Content-Encoding: gzip"},
				[]byte(fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(gz), gz)))),
			respRec(2, "u:d", httpMsg("200 OK", []string{"Content-Type: text/html; charset=koi8-r"}, []byte("<p>\xf0\xd2\xc9\xd7\xc5\xd4</p>"))),
			respRec(3, "u:e", httpMsg("200 OK", []string{"Content-Encoding: deflate"}, []byte("\x78\x9c\x00"))),
		),
		[]byte("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 12\r\n\r\nHTTP/1.1 200"),
		[]byte("WARC/1.0\r\nContent-Length: -1\r\n\r\nWARC/1.1\r\n\r\n"),
		append(gzMember(htmlResp(1, "u:1", page("one")).bytes()), "\x1f\x8b\x08\x00junk"...),
	}
	// Records that lie in their Content-Length: too long (by a little, into
	// the next record, past the end) and too short.
	for _, delta := range []int{-10, 3, 100, 1 << 30} {
		lying := htmlResp(2, "u:2", page("two"))
		lying.length = len(lying.block) + delta
		recs := []wrec{htmlResp(1, "u:1", page("one")), lying, htmlResp(3, "u:3", page("three")), recs[0]}
		seeds = append(seeds, archive(false, recs...), gzMember(archive(false, recs...)))
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzWARCOnce(t, data)
		if !bytes.HasPrefix(data, gzipMagic[:2]) {
			// At most 64 members, the last holding the rest.
			var members bytes.Buffer
			zw := fuzzGzip.Get().(*gzip.Writer)
			defer fuzzGzip.Put(zw)
			zw.Reset(&members)
			for i, part := range bytes.SplitAfterN(data, []byte("\nWARC/"), 64) {
				if i > 0 {
					zw.Write([]byte("WARC/"))
				}
				zw.Write(bytes.TrimSuffix(part, []byte("WARC/")))
				zw.Close()
				zw.Reset(&members)
			}
			fuzzWARCOnce(t, members.Bytes())
		}
	})
}

func fuzzWARCOnce(t *testing.T, data []byte) {
	const max = 2048
	const name = "fuzz.warc"
	skips := 0
	w := newWARCReader(seekCloser{bytes.NewReader(data)}, name, max, func(string) { skips++ })
	defer w.close()
	for i := 0; ; i++ {
		if i > 1<<16 {
			t.Fatal("reading does not end")
		}
		doc, err := w.next()
		if err == io.EOF {
			break
		}
		if err == errSkippedRecord {
			continue
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Input != name {
				t.Fatalf("error %v is not an *InputError for %s", err, name)
			}
			known := false
			for _, reason := range []error{ErrWARC, ErrEncoding, ErrTooLarge, ErrEmpty, ErrBinary, ErrCharset} {
				known = known || errors.Is(err, reason)
			}
			if !known {
				t.Fatalf("unexpected reason: %v", err)
			}
			continue
		}
		if doc.HTML == "" || doc.ID != ContentID(doc.HTML) || !strings.HasPrefix(doc.Source, name+"#") || doc.Text != "" {
			t.Fatalf("bad document %+v", doc)
		}
		for _, s := range []string{doc.Source, doc.URL, doc.HTML} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %+v", doc)
			}
		}
		if len(doc.HTML) > 3*max {
			t.Fatalf("document of %d bytes from a %d-byte payload limit", len(doc.HTML), max)
		}
	}
	if _, err := w.next(); err != io.EOF {
		t.Fatalf("after io.EOF got %v", err)
	}
}

// BenchmarkWARC reads archives of HTML pages shaped like CC-NEWS files (a
// request, a response and a metadata record per capture): synthetic pages
// of about 30 KB, compressed per record and not, and the pages of the
// shared CC-News sample (about 130 KB each, several charsets).
func BenchmarkWARC(b *testing.B) {
	dir := b.TempDir()
	var recs []wrec
	for i := range 300 {
		var body strings.Builder
		body.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Story " + strconv.Itoa(i) + "</title></head><body><nav>Home | World | Politics</nav><article>")
		for j := 0; body.Len() < 30_000; j++ {
			fmt.Fprintf(&body, "<p>Paragraph %d of story %d: negotiators met in Istanbul on day %d and said talks would resume.</p>\n", j, i, (i*31+j*7)%365)
		}
		body.WriteString("</article></body></html>")
		uri := "https://news.example/" + strconv.Itoa(i)
		recs = append(recs,
			wrec{typ: "request", id: recID(3 * i), date: testDate, uri: uri, ctype: "application/http; msgtype=request", block: []byte("GET / HTTP/1.1\r\n\r\n")},
			htmlResp(3*i+1, uri, body.String()),
			wrec{typ: "metadata", id: recID(3*i + 2), date: testDate, uri: uri, ctype: "application/warc-fields", block: []byte("fetchTimeMs: 100\r\n")})
	}
	paths := map[string][]string{}
	for name, gz := range map[string]bool{"synthetic-gz": true, "synthetic-plain": false} {
		p := filepath.Join(dir, name+".warc")
		if err := os.WriteFile(p, archive(gz, recs...), 0o644); err != nil {
			b.Fatal(err)
		}
		paths[name] = []string{p}
	}
	if sample, err := filepath.Abs(filepath.Join("..", "..", "shared", "corpus", "ccnews-2022-09", "sample-data")); err == nil {
		if _, err := os.Stat(sample); err == nil {
			sub := filepath.Join(dir, "ccnews")
			os.Mkdir(sub, 0o755)
			paths["ccnews-gz"], _, _ = ccnewsArchives(b, sub, sample)
		}
	}
	for _, name := range []string{"synthetic-gz", "synthetic-plain", "ccnews-gz"} {
		if paths[name] == nil {
			continue
		}
		b.Run(name, func(b *testing.B) {
			var size int64
			for _, p := range paths[name] {
				fi, _ := os.Stat(p)
				size += fi.Size()
			}
			b.SetBytes(size)
			b.ReportAllocs()
			docs := 0
			ctx := context.Background()
			for b.Loop() {
				r, err := Open(paths[name], Options{})
				if err != nil {
					b.Fatal(err)
				}
				for {
					_, err := r.Next(ctx)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					docs++
				}
				r.Close()
			}
			b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// TestWARCNoSeek: when the archive cannot seek, a corrupt member is
// skipped by scanning forward; the member right after it may be lost, the
// later ones are read.
func TestWARCNoSeek(t *testing.T) {
	member := func(n int) []byte {
		return gzMember(htmlResp(n, "u:"+strconv.Itoa(n), page("page "+strconv.Itoa(n))).bytes())
	}
	m2 := member(2)
	data := bytes.Join([][]byte{member(1), m2[:len(m2)/2], member(3), member(4), member(5)}, nil)
	w := newWARCReader(io.NopCloser(bytes.NewReader(data)), "pipe.warc.gz", DefaultMaxBytes, func(string) {})
	var urls []string
	errs := 0
	for i := 0; i < 100; i++ {
		doc, err := w.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs++
			if !errors.Is(err, ErrWARC) {
				t.Errorf("unexpected: %v", err)
			}
			continue
		}
		urls = append(urls, doc.URL)
	}
	if errs != 1 || len(urls) < 3 || urls[0] != "u:1" || !slices.Equal(urls[len(urls)-2:], []string{"u:4", "u:5"}) {
		t.Errorf("got %q and %d errors; want u:1, maybe u:3, u:4, u:5 and 1 error", urls, errs)
	}
}
