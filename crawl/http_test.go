package crawl

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"redline/internal/fetchtest"
)

// TestFetchTimeout: a server that never answers, or stalls halfway through
// the body, fails every attempt with ErrTimeout after Timeout.
func TestFetchTimeout(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/slow":      stall,
		"/slow-body": stallBody,
	})
	f := testFetcher(Options{Timeout: 150 * time.Millisecond, Retries: 1})
	for _, path := range []string{"/slow", "/slow-body"} {
		start := time.Now()
		_, err := f.Fetch(fetchtest.Ctx(t), site.URL+path)
		elapsed := time.Since(start)
		wantFetchError(t, err, site.URL+path, ErrTimeout, "after 2 attempts")
		if elapsed < 300*time.Millisecond || elapsed > 3*time.Second {
			t.Errorf("%s: failed after %v, want about 2 × 150ms", path, elapsed)
		}
		if n := site.Hits(path); n != 2 {
			t.Errorf("%s: %d requests, want 2 (one retry)", path, n)
		}
	}
}

// TestFetchConnectionDropped: a server that closes the connection halfway
// through the body (or before answering) is retried, then reported.
func TestFetchConnectionDropped(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/half": func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 10000\r\n\r\n")
			buf.WriteString("<html><body>" + strings.Repeat("x", 5000))
			buf.Flush()
		},
		"/nothing": func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		},
	})
	f := testFetcher(Options{Retries: 2})
	_, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/half")
	wantFetchError(t, err, site.URL+"/half", io.ErrUnexpectedEOF, "after 3 attempts")
	if n := site.Hits("/half"); n != 3 {
		t.Errorf("/half: %d requests, want 3", n)
	}
	_, err = f.Fetch(fetchtest.Ctx(t), site.URL+"/nothing")
	wantFetchError(t, err, site.URL+"/nothing", nil, "after 3 attempts")
	if n := site.Hits("/nothing"); n != 3 {
		t.Errorf("/nothing: %d requests, want 3", n)
	}
}

// TestFetchContentType: HTML is recognised by sniffing when the header
// lies or is missing, and non-HTML is refused even when labelled HTML.
func TestFetchContentType(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00\x01", 100)
	jpeg := "\xff\xd8\xff\xe0\x00\x10JFIF\x00" + strings.Repeat("\x07", 100)
	xhtml := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x</p></body></html>`
	cases := []struct {
		path, ct, body string
		ok             bool
	}{
		{"/plain-html", "text/plain", fetchtest.Page, true},
		{"/none-html", "", fetchtest.Page, true},
		{"/octet-html", "application/octet-stream", fetchtest.Page, true},
		{"/xhtml", "application/xhtml+xml", xhtml, true},
		{"/xml-xhtml", "application/xml", xhtml, true},
		{"/png-as-html", "text/html", png, false},
		{"/jpeg-as-html", "text/html; charset=utf-8", jpeg, false},
		{"/plain-text", "text/plain", "Just some text, no markup at all.", false},
		{"/pdf", "application/pdf", "%PDF-1.4 " + fetchtest.Page, false},
		{"/json", "application/json", `{"html": "<p>x</p>"}`, false},
	}
	routes := make(map[string]http.HandlerFunc)
	for _, c := range cases {
		routes[c.path] = fetchtest.ServePage(c.ct, c.body)
	}
	site := fetchtest.NewSite(t, routes)
	f := testFetcher(Options{})
	for _, c := range cases {
		doc, err := f.Fetch(fetchtest.Ctx(t), site.URL+c.path)
		if c.ok {
			if err != nil || doc.HTML != c.body {
				t.Errorf("%s: got %v, want the page", c.path, err)
			}
			continue
		}
		wantFetchError(t, err, site.URL+c.path, ErrContentType, "content type")
		if site.Hits(c.path) != 1 {
			t.Errorf("%s: %d requests, want 1 (no retry)", c.path, site.Hits(c.path))
		}
	}
}

// TestFetchTooLarge: a 100 MB body is refused once MaxBytes is passed,
// without being read to the end; a declared Content-Length over the limit
// is refused before reading.
func TestFetchTooLarge(t *testing.T) {
	const total = 100 << 20
	var written atomic.Int64
	done := make(chan struct{}, 2)
	huge := func(declare bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			defer func() { done <- struct{}{} }()
			w.Header().Set("Content-Type", "text/html")
			if declare {
				w.Header().Set("Content-Length", fmt.Sprint(total))
			}
			chunk := []byte("<p>" + strings.Repeat("all work and no play ", 1600) + "</p>\n")
			for n := 0; n < total; n += len(chunk) {
				k, err := w.Write(chunk)
				written.Add(int64(k))
				if err != nil {
					return
				}
			}
		}
	}
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/huge": huge(false), "/declared": huge(true)})
	f := testFetcher(Options{MaxBytes: 1 << 20})

	for _, path := range []string{"/huge", "/declared"} {
		written.Store(0)
		start := time.Now()
		_, err := f.Fetch(fetchtest.Ctx(t), site.URL+path)
		wantFetchError(t, err, site.URL+path, ErrTooLarge, "over the limit of 1048576 bytes")
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the server was still writing after 10s", path)
		}
		if w := written.Load(); w >= 20<<20 {
			t.Errorf("%s: server wrote %d bytes, want < 20 MB", path, w)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", path, d)
		}
		if site.Hits(path) != 1 {
			t.Errorf("%s: %d requests, want 1", path, site.Hits(path))
		}
	}
}

// TestFetchContentEncoding: a body labelled gzip that is not gzip, or is a
// truncated gzip stream, is ErrEncoding and not retried; real gzip
// is decoded.
func TestFetchContentEncoding(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, fetchtest.Page)
	zw.Close()
	encoded := func(ce string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", ce)
			w.Write(body)
		}
	}
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/gzip":      encoded("gzip", gz.Bytes()),
		"/not-gzip":  encoded("gzip", []byte(fetchtest.Page)),
		"/truncated": encoded("gzip", gz.Bytes()[:gz.Len()/2]),
		"/brotli":    encoded("br", []byte(fetchtest.Page)),
	})
	f := testFetcher(Options{})
	doc, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/gzip")
	if err != nil || doc.HTML != fetchtest.Page {
		t.Errorf("real gzip: %v, %q", err, doc.HTML)
	}
	for _, c := range []struct{ path, sub string }{
		{"/not-gzip", "not valid gzip"},
		{"/truncated", "not valid gzip"},
		{"/brotli", `"br" was not asked for`},
	} {
		_, err := f.Fetch(fetchtest.Ctx(t), site.URL+c.path)
		wantFetchError(t, err, site.URL+c.path, ErrEncoding, c.sub)
		if site.Hits(c.path) != 1 {
			t.Errorf("%s: %d requests, want 1", c.path, site.Hits(c.path))
		}
	}
}

// TestHTTP: one attempt, alone on a loopback server: what comes back for
// each kind of answer, and how failures are marked for Retry.
func TestHTTP(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/page":  fetchtest.ServePage("text/html", fetchtest.Page),
		"/moved": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/page#top", http.StatusFound) },
		"/etag": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"1"`)
			fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
		},
		"/busy": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		},
		"/limited":    func(w http.ResponseWriter, r *http.Request) { http.Error(w, "slow", http.StatusTooManyRequests) },
		"/empty":      func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
		"/feed.xml":   fetchtest.ServePage("application/rss+xml", `<?xml version="1.0"?><rss></rss>`),
		"/image.png":  fetchtest.ServePage("image/png", "\x89PNG\r\n\x1a\n"),
		"/robots.txt": fetchtest.ServePage("text/plain", strings.Repeat("# comment line\n", 50<<10)),
	})
	h := testHTTP()
	tests := []struct {
		name  string
		path  string
		kind  Kind
		cond  *Validators
		check func(*Response) bool
		want  error
		sub   string
		retry bool
		after time.Duration
	}{
		{name: "page", path: "/page", check: func(r *Response) bool { return string(r.Body) == fetchtest.Page && r.URL == site.URL+"/page" }},
		{name: "redirect is returned, not followed", path: "/moved",
			check: func(r *Response) bool {
				return r.Location != nil && r.Location.String() == site.URL+"/page" && r.Body == nil
			}},
		{name: "validators of the URL are sent", path: "/etag", cond: &Validators{URL: site.URL + "/etag", ETag: `"1"`},
			check: func(r *Response) bool { return r.NotModified }},
		{name: "validators of another URL are not", path: "/etag", cond: &Validators{URL: site.URL + "/other", ETag: `"1"`},
			check: func(r *Response) bool { return !r.NotModified && r.ETag == `"1"` }},
		{name: "5xx is retryable with its Retry-After", path: "/busy", want: ErrHTTPStatus, sub: "HTTP status 503 Service Unavailable", retry: true, after: 7 * time.Second},
		{name: "429 is retryable", path: "/limited", want: ErrHTTPStatus, sub: "429", retry: true, after: -1},
		{name: "404 is not", path: "/missing", want: ErrHTTPStatus, sub: "404 Not Found", after: -1},
		{name: "204 is no page", path: "/empty", want: ErrHTTPStatus, sub: "204", after: -1},
		{name: "a feed is not HTML", path: "/feed.xml", kind: Feed, check: func(r *Response) bool { return strings.HasPrefix(string(r.Body), "<?xml") }},
		{name: "an image is no feed", path: "/image.png", kind: Feed, want: ErrContentType, sub: "not a feed or sitemap", after: -1},
		{name: "a long robots.txt is cut", path: "/robots.txt", kind: RobotsTxt, check: func(r *Response) bool { return len(r.Body) == robotsMaxBytes }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := mustURL(t, site.URL+tc.path)
			req.Kind, req.Cond = tc.kind, tc.cond
			res, err := h.Fetch(fetchtest.Ctx(t), req)
			wantErr(t, err, tc.want, tc.sub)
			if err != nil {
				if retry, after := Retryable(err); retry != tc.retry || after != tc.after {
					t.Errorf("Retryable = %v, %v; want %v, %v", retry, after, tc.retry, tc.after)
				}
				return
			}
			if !tc.check(res) {
				t.Errorf("unexpected response %+v", res)
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{"", -1},
		{"  7 ", 7 * time.Second},
		{"0", 0},
		{"-3", -1},
		{"soon", -1},
		{"Sat, 01 Mar 2025 12:00:30 GMT", 30 * time.Second},
		{"Sat, 01 Mar 2025 11:00:00 GMT", 0},
		{"99999999999999", 1 << 31 * time.Second},
	} {
		if got := parseRetryAfter(c.in, now); got != c.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// FuzzParseRetryAfter: any header value gives -1 or a wait between zero
// and the cap of 2³¹ seconds, and never panics.
func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "7", " 120 ", "-1", "Sat, 01 Mar 2025 12:00:30 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "99999999999999999999", "1e3"} {
		f.Add(s)
	}
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d := parseRetryAfter(v, now)
		if d != -1 && (d < 0 || d > 1<<31*time.Second) {
			t.Errorf("parseRetryAfter(%q) = %v", v, d)
		}
	})
}
