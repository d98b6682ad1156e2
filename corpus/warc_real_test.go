package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"redline/internal/sharedtest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// Tests of the WARC reader on real captures (the shared CC-News sample, the
// fixture in testdata/warc), the fuzz test and the benchmark.

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
