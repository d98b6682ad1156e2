package corpus

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
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

// TestWARCBadDate: a response whose WARC-Date cannot be parsed is read all
// the same, undated, with the value in BadPublished; a good date leaves
// BadPublished empty.
func TestWARCBadDate(t *testing.T) {
	bad := htmlResp(1, "https://a.example/1", page("Bad date"))
	bad.date = "15 Sept 2022"
	path := writeFile(t, t.TempDir(), "d.warc", string(archive(false, bad, htmlResp(2, "https://a.example/2", page("Good date")))))
	rs, _ := openAll(t, []string{path}, Options{})
	if len(rs) != 2 || rs[0].err != nil || rs[1].err != nil {
		t.Fatalf("got %+v, want two documents", rs)
	}
	if d := rs[0].doc; !d.Published.IsZero() || d.BadPublished != "15 Sept 2022" {
		t.Errorf("bad date: Published %v, BadPublished %q; want zero and %q", d.Published, d.BadPublished, "15 Sept 2022")
	}
	if d := rs[1].doc; d.Published.IsZero() || d.BadPublished != "" {
		t.Errorf("good date: Published %v, BadPublished %q; want a time and \"\"", d.Published, d.BadPublished)
	}
}
