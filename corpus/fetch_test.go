package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// Every server in these tests is an httptest server on the loopback
// interface, closed by t.Cleanup; no test talks to any other address.

// testPage is a small valid HTML page.
const testPage = "<!DOCTYPE html>\n<html><head><title>Test</title></head><body><p>Hello, reader.</p></body></html>\n"

// testSite is a loopback HTTP server with fixed routes that counts the
// requests to each path; unknown paths, robots.txt included, are 404.
type testSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
	uas  []string
}

// newTestSite starts a server for routes (path -> handler).
func newTestSite(t *testing.T, routes map[string]http.HandlerFunc) *testSite {
	t.Helper()
	s := &testSite{hits: make(map[string]int)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.uas = append(s.uas, r.Header.Get("User-Agent"))
		s.mu.Unlock()
		if h := routes[r.URL.Path]; h != nil {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// hitCount returns how many requests path received.
func (s *testSite) hitCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// servePage returns a handler answering body with content type ct (none
// when ct is empty).
func servePage(ct, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ct == "" {
			w.Header()["Content-Type"] = nil // no sniffing by net/http
		} else {
			w.Header().Set("Content-Type", ct)
		}
		io.WriteString(w, body)
	}
}

// testFetcher returns a Fetcher for tests: no per-host delay, short
// backoff and timeout, unless opts says otherwise.
func testFetcher(opts FetchOptions) *Fetcher {
	if opts.PerHostDelay == 0 {
		opts.PerHostDelay = -1
	}
	if opts.RetryBackoff == 0 {
		opts.RetryBackoff = 5 * time.Millisecond
	}
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.Version == "" {
		opts.Version = "test"
	}
	return NewFetcher(opts)
}

// fakeClock replaces a Fetcher's clock and sleep: sleeping advances the
// clock at once and is recorded.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

// useFakeClock installs a fake clock, starting at the real time, in o.
func useFakeClock(o *FetchOptions) *fakeClock {
	c := &fakeClock{now: time.Now()}
	o.Now = func() time.Time {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.now
	}
	o.Sleep = func(ctx context.Context, d time.Duration) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.now = c.now.Add(d)
		c.waits = append(c.waits, d)
		return ctx.Err()
	}
	return c
}

// sleeps returns the waits so far.
func (c *fakeClock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// fetchCtx returns a context that ends with the test or after 20s.
func fetchCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// wantFetchError checks that err is an *InputError for input whose reason
// wraps want (when not nil) and whose message contains sub.
func wantFetchError(t *testing.T, err error, input string, want error, sub string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want *InputError", err, err)
	}
	if ie.Input != input {
		t.Errorf("InputError.Input = %q, want %q", ie.Input, input)
	}
	if want != nil && !errors.Is(err, want) {
		t.Errorf("error %q does not wrap %q", err, want)
	}
	if !strings.Contains(err.Error(), sub) {
		t.Errorf("error %q does not contain %q", err, sub)
	}
}

func TestFetchDefaults(t *testing.T) {
	f := NewFetcher(FetchOptions{})
	if o := f.chain.Options; o.PerHost != 2 || o.PerHostDelay != time.Second || f.chain.Hosts.MaxConcurrent() != 16 ||
		o.Timeout != 30*time.Second || o.Retries != 3 || o.MaxBytes != DefaultMaxBytes ||
		o.MaxRedirects != 10 || o.MaxRetryAfter != time.Minute || o.IgnoreRobots || f.chain.Cache != nil {
		t.Errorf("zero FetchOptions gave %+v", o)
	}
	if got, want := f.UserAgent(), "redline/dev (+https://github.com/redline-news/redline)"; got != want {
		t.Errorf("UserAgent = %q, want %q", got, want)
	}
	if got := NewFetcher(FetchOptions{Version: "1.2.3"}).UserAgent(); !strings.HasPrefix(got, "redline/1.2.3 ") {
		t.Errorf("UserAgent with Version = %q", got)
	}
	f = NewFetcher(FetchOptions{PerHostDelay: -1, Retries: -1, MaxRedirects: -1})
	if o := f.chain.Options; o.PerHostDelay != 0 || o.Retries != 0 || o.MaxRedirects != 0 {
		t.Errorf("negative options gave delay %v, retries %d, redirects %d", o.PerHostDelay, o.Retries, o.MaxRedirects)
	}
}

func TestFetchPage(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/article": servePage("text/html; charset=utf-8", testPage),
		"/old": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/moved?x=1", http.StatusMovedPermanently)
		},
		"/moved": servePage("text/html", testPage),
	})
	f := testFetcher(FetchOptions{})
	ctx := fetchCtx(t)

	doc, err := f.Fetch(ctx, site.URL+"/article#comments")
	if err != nil {
		t.Fatal(err)
	}
	if doc.URL != site.URL+"/article" || doc.Source != site.URL+"/article#comments" ||
		doc.HTML != testPage || doc.ID != ContentID(doc.URL) || doc.Text != "" {
		t.Errorf("got %+v", doc)
	}

	doc, err = f.Fetch(ctx, site.URL+"/old")
	if err != nil {
		t.Fatal(err)
	}
	if doc.URL != site.URL+"/moved?x=1" || doc.Source != site.URL+"/old" || doc.ID != ContentID(site.URL+"/moved?x=1") {
		t.Errorf("after redirect got URL %q, Source %q, ID %q", doc.URL, doc.Source, doc.ID)
	}
	// Same final URL, same ID: a re-fetch replaces, it does not duplicate.
	again, err := f.Fetch(ctx, site.URL+"/moved?x=1")
	if err != nil || again.ID != doc.ID {
		t.Errorf("re-fetch: ID %q, err %v; want ID %q", again.ID, err, doc.ID)
	}
}

func TestFetchBadURL(t *testing.T) {
	f := testFetcher(FetchOptions{})
	for _, u := range []string{"", "example.com/page", "ftp://example.com/x", "http://", "http://a b/", "mailto:x@example.com"} {
		_, err := f.Fetch(fetchCtx(t), u)
		wantFetchError(t, err, u, ErrBadURL, "invalid URL")
	}
}

// TestFetchTimeout: a server that never answers, or stalls halfway through
// the body, fails every attempt with ErrTimeout after Timeout.
func TestFetchTimeout(t *testing.T) {
	stall := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/slow": stall,
		"/slow-body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>")
			w.(http.Flusher).Flush()
			stall(w, r)
		},
	})
	f := testFetcher(FetchOptions{Timeout: 150 * time.Millisecond, Retries: 1})
	for _, path := range []string{"/slow", "/slow-body"} {
		start := time.Now()
		_, err := f.Fetch(fetchCtx(t), site.URL+path)
		elapsed := time.Since(start)
		wantFetchError(t, err, site.URL+path, ErrTimeout, "after 2 attempts")
		if elapsed < 300*time.Millisecond || elapsed > 3*time.Second {
			t.Errorf("%s: failed after %v, want about 2 × 150ms", path, elapsed)
		}
		if n := site.hitCount(path); n != 2 {
			t.Errorf("%s: %d requests, want 2 (one retry)", path, n)
		}
	}
}

// TestFetchConnectionDropped: a server that closes the connection halfway
// through the body (or before answering) is retried, then reported.
func TestFetchConnectionDropped(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
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
	f := testFetcher(FetchOptions{Retries: 2})
	_, err := f.Fetch(fetchCtx(t), site.URL+"/half")
	wantFetchError(t, err, site.URL+"/half", io.ErrUnexpectedEOF, "after 3 attempts")
	if n := site.hitCount("/half"); n != 3 {
		t.Errorf("/half: %d requests, want 3", n)
	}
	_, err = f.Fetch(fetchCtx(t), site.URL+"/nothing")
	wantFetchError(t, err, site.URL+"/nothing", nil, "after 3 attempts")
	if n := site.hitCount("/nothing"); n != 3 {
		t.Errorf("/nothing: %d requests, want 3", n)
	}
}

// TestFetchRetryStatus: 5xx is retried and may succeed; a lasting 503 is a
// *StatusError after every retry; 404 is not retried.
func TestFetchRetryStatus(t *testing.T) {
	var flaky atomic.Int32
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/flaky": func(w http.ResponseWriter, r *http.Request) {
			if flaky.Add(1) == 1 {
				http.Error(w, "oops", http.StatusInternalServerError)
				return
			}
			servePage("text/html", testPage)(w, r)
		},
		"/down": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		},
	})
	f := testFetcher(FetchOptions{})
	doc, err := f.Fetch(fetchCtx(t), site.URL+"/flaky")
	if err != nil || doc.HTML != testPage {
		t.Fatalf("500 then 200: got %v, %q", err, doc.HTML)
	}
	if n := site.hitCount("/flaky"); n != 2 {
		t.Errorf("/flaky: %d requests, want 2", n)
	}

	_, err = f.Fetch(fetchCtx(t), site.URL+"/down")
	wantFetchError(t, err, site.URL+"/down", ErrHTTPStatus, "HTTP status 503 Service Unavailable (after 4 attempts)")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 503 {
		t.Errorf("error %v is not a *StatusError with code 503", err)
	}
	if n := site.hitCount("/down"); n != 4 {
		t.Errorf("/down: %d requests, want 4 (3 retries)", n)
	}

	_, err = f.Fetch(fetchCtx(t), site.URL+"/missing")
	wantFetchError(t, err, site.URL+"/missing", ErrHTTPStatus, "404 Not Found")
	if strings.Contains(err.Error(), "attempts") || site.hitCount("/missing") != 1 {
		t.Errorf("404 was retried: %v, %d requests", err, site.hitCount("/missing"))
	}
}

// TestFetchRetryAfter: a 429 with Retry-After: 1 is retried after about a
// second, even when the computed backoff would be much longer.
func TestFetchRetryAfter(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/busy": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			times = append(times, time.Now())
			n := len(times)
			mu.Unlock()
			if n == 1 {
				w.Header().Set("Retry-After", "1")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
			servePage("text/html", testPage)(w, r)
		},
	})
	f := testFetcher(FetchOptions{RetryBackoff: time.Hour, MaxRetryAfter: 10 * time.Second})
	start := time.Now()
	doc, err := f.Fetch(fetchCtx(t), site.URL+"/busy")
	if err != nil || doc.HTML != testPage {
		t.Fatalf("got %v, %q", err, doc.HTML)
	}
	if len(times) != 2 {
		t.Fatalf("%d requests, want 2", len(times))
	}
	if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond || time.Since(start) > 5*time.Second {
		t.Errorf("retried after %v (total %v), want about 1s", gap, time.Since(start))
	}
}

// TestFetchRetryAfterCapped: Retry-After in seconds or as an HTTP date is
// capped at MaxRetryAfter; without it the backoff doubles, with jitter.
func TestFetchRetryAfterCapped(t *testing.T) {
	var n atomic.Int32
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/x": func(w http.ResponseWriter, r *http.Request) {
			switch n.Add(1) {
			case 1:
				w.Header().Set("Retry-After", "3600")
			case 2:
				w.Header().Set("Retry-After", time.Now().Add(2*time.Hour).UTC().Format(http.TimeFormat))
			}
			http.Error(w, "busy", http.StatusServiceUnavailable)
		},
	})
	o := FetchOptions{RetryBackoff: 10 * time.Millisecond, MaxRetryAfter: 40 * time.Millisecond, Retries: 4}
	clock := useFakeClock(&o)
	f := testFetcher(o)
	_, err := f.Fetch(fetchCtx(t), site.URL+"/x")
	wantFetchError(t, err, site.URL+"/x", ErrHTTPStatus, "after 5 attempts")
	waits := clock.sleeps()
	if len(waits) != 4 {
		t.Fatalf("waits %v, want 4", waits)
	}
	if waits[0] != 40*time.Millisecond || waits[1] != 40*time.Millisecond {
		t.Errorf("Retry-After waits %v, want both capped at 40ms", waits[:2])
	}
	// Third and fourth retries: backoff 10ms·2² = 40ms and 10ms·2³ capped
	// at 40ms, less up to half of jitter.
	for _, w := range waits[2:] {
		if w < 20*time.Millisecond || w > 40*time.Millisecond {
			t.Errorf("backoff %v, want 20ms..40ms", w)
		}
	}
}

// TestFetchRedirects: a redirect loop stops after MaxRedirects with
// ErrRedirects; a redirect to a non-HTTP scheme is refused.
func TestFetchRedirects(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/a": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) },
		"/b": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) },
		"/ftp": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "ftp://example.invalid/x", http.StatusFound)
		},
	})
	f := testFetcher(FetchOptions{MaxRedirects: 5})
	_, err := f.Fetch(fetchCtx(t), site.URL+"/a")
	wantFetchError(t, err, site.URL+"/a", ErrRedirects, "too many redirects: more than 5, the last to "+site.URL+"/a")
	if n := site.hitCount("/a") + site.hitCount("/b"); n != 6 {
		t.Errorf("%d requests in the loop, want 6", n)
	}
	_, err = f.Fetch(fetchCtx(t), site.URL+"/ftp")
	wantFetchError(t, err, site.URL+"/ftp", ErrBadURL, "ftp")
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
		{"/plain-html", "text/plain", testPage, true},
		{"/none-html", "", testPage, true},
		{"/octet-html", "application/octet-stream", testPage, true},
		{"/xhtml", "application/xhtml+xml", xhtml, true},
		{"/xml-xhtml", "application/xml", xhtml, true},
		{"/png-as-html", "text/html", png, false},
		{"/jpeg-as-html", "text/html; charset=utf-8", jpeg, false},
		{"/plain-text", "text/plain", "Just some text, no markup at all.", false},
		{"/pdf", "application/pdf", "%PDF-1.4 " + testPage, false},
		{"/json", "application/json", `{"html": "<p>x</p>"}`, false},
	}
	routes := make(map[string]http.HandlerFunc)
	for _, c := range cases {
		routes[c.path] = servePage(c.ct, c.body)
	}
	site := newTestSite(t, routes)
	f := testFetcher(FetchOptions{})
	for _, c := range cases {
		doc, err := f.Fetch(fetchCtx(t), site.URL+c.path)
		if c.ok {
			if err != nil || doc.HTML != c.body {
				t.Errorf("%s: got %v, want the page", c.path, err)
			}
			continue
		}
		wantFetchError(t, err, site.URL+c.path, ErrContentType, "content type")
		if site.hitCount(c.path) != 1 {
			t.Errorf("%s: %d requests, want 1 (no retry)", c.path, site.hitCount(c.path))
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
	site := newTestSite(t, map[string]http.HandlerFunc{"/huge": huge(false), "/declared": huge(true)})
	f := testFetcher(FetchOptions{MaxBytes: 1 << 20})

	for _, path := range []string{"/huge", "/declared"} {
		written.Store(0)
		start := time.Now()
		_, err := f.Fetch(fetchCtx(t), site.URL+path)
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
		if site.hitCount(path) != 1 {
			t.Errorf("%s: %d requests, want 1", path, site.hitCount(path))
		}
	}
}

// TestFetchContentEncoding: a body labelled gzip that is not gzip, or is a
// truncated gzip stream, is ErrEncoding and not retried; real gzip
// is decoded.
func TestFetchContentEncoding(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, testPage)
	zw.Close()
	encoded := func(ce string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", ce)
			w.Write(body)
		}
	}
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/gzip":      encoded("gzip", gz.Bytes()),
		"/not-gzip":  encoded("gzip", []byte(testPage)),
		"/truncated": encoded("gzip", gz.Bytes()[:gz.Len()/2]),
		"/brotli":    encoded("br", []byte(testPage)),
	})
	f := testFetcher(FetchOptions{})
	doc, err := f.Fetch(fetchCtx(t), site.URL+"/gzip")
	if err != nil || doc.HTML != testPage {
		t.Errorf("real gzip: %v, %q", err, doc.HTML)
	}
	for _, c := range []struct{ path, sub string }{
		{"/not-gzip", "not valid gzip"},
		{"/truncated", "not valid gzip"},
		{"/brotli", `"br" was not asked for`},
	} {
		_, err := f.Fetch(fetchCtx(t), site.URL+c.path)
		wantFetchError(t, err, site.URL+c.path, ErrEncoding, c.sub)
		if site.hitCount(c.path) != 1 {
			t.Errorf("%s: %d requests, want 1", c.path, site.hitCount(c.path))
		}
	}
}

// russian is a paragraph long enough for charset detection.
const russian = "Президент России заявил в четверг, что правительство подготовит новый закон о средствах массовой информации. " +
	"По словам представителей министерства, документ будет опубликован в ближайшие недели, а общественное обсуждение продлится до конца года. " +
	"Эксперты считают, что изменения затронут прежде всего региональные газеты и независимые сайты."

// TestFetchCharset: pages in legacy encodings come out as correct UTF-8,
// whether the charset is in the header, in a <meta>, or nowhere.
func TestFetchCharset(t *testing.T) {
	enc := func(e *charmap.Charmap, s string) string {
		b, err := e.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	page := func(head string) string {
		return "<html><head>" + head + "<title>Новости</title></head><body><p>" + russian + "</p></body></html>"
	}
	cases := []struct {
		path, ct, body string
	}{
		{"/cp1251-undeclared", "text/html", enc(charmap.Windows1251, page(""))},
		{"/koi8-undeclared", "text/html", enc(charmap.KOI8R, page(""))},
		{"/cp1251-header", "text/html; charset=windows-1251", enc(charmap.Windows1251, page(""))},
		{"/koi8-meta", "text/html", enc(charmap.KOI8R, page(`<meta charset="koi8-r">`))},
		{"/cp1251-no-content-type", "", enc(charmap.Windows1251, page(""))},
		// A UTF-8 page behind a server that claims ISO-8859-1 stays UTF-8.
		{"/utf8-wrong-header", "text/html; charset=iso-8859-1", page(`<meta charset="utf-8">`)},
	}
	routes := make(map[string]http.HandlerFunc)
	for _, c := range cases {
		routes[c.path] = servePage(c.ct, c.body)
	}
	site := newTestSite(t, routes)
	f := testFetcher(FetchOptions{})
	for _, c := range cases {
		doc, err := f.Fetch(fetchCtx(t), site.URL+c.path)
		if err != nil {
			t.Errorf("%s: %v", c.path, err)
			continue
		}
		if !strings.Contains(doc.HTML, russian) || !strings.Contains(doc.HTML, "<title>Новости</title>") {
			t.Errorf("%s: not decoded to the Russian text: %.120q", c.path, doc.HTML)
		}
	}
}

func TestFetchDecodeHTMLRules(t *testing.T) {
	latin := "<html><body><p>Caf\xe9 cr\xe8me, na\xefve r\xe9sum\xe9 of the d\xe9j\xe0 vu.</p></body></html>"
	for _, c := range []struct {
		raw, ct, want string
		err           error
	}{
		{latin, "text/html; charset=iso-8859-1", "Café crème, naïve résumé of the déjà vu.", nil},
		{"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "text/html; charset=windows-1251", "<p>café</p>", nil},
		{"\xff\xfe<\x00p\x00>\x00", "text/html", "<p>", nil},
		{"<\x00p\x00>\x00\xe9\x00", "text/html; charset=utf-16le", "<p>é", nil},
		{"<p>x\x00y</p>", "text/html", "", ErrBinary},
		{"  \n ", "text/html", "", ErrEmpty},
		{"<p>caf\xe9</p>", "text/html; charset=no-such-charset", "<p>café</p>", nil},
	} {
		got, err := decodeHTMLType([]byte(c.raw), c.ct)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("decode %q: error %v, want %v", c.raw, err, c.err)
			}
			continue
		}
		if err != nil || !strings.Contains(got, c.want) {
			t.Errorf("decode %q (%s) = %q, %v; want it to contain %q", c.raw, c.ct, got, err, c.want)
		}
	}
}

// inflightGauge counts requests in flight and remembers the peak.
type inflightGauge struct{ cur, peak atomic.Int32 }

func (g *inflightGauge) enter() {
	n := g.cur.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (g *inflightGauge) leave() { g.cur.Add(-1) }

// TestFetchPerHostConcurrency: the server counts requests in flight; with
// PerHost 2 there are never more than 2 at once, and MaxConcurrent bounds
// the total across hosts.
func TestFetchPerHostConcurrency(t *testing.T) {
	var host1, host2, all inflightGauge
	counting := func(host *inflightGauge) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			host.enter()
			all.enter()
			defer host.leave()
			defer all.leave()
			time.Sleep(30 * time.Millisecond)
			servePage("text/html", testPage)(w, r)
		}
	}
	site1 := newTestSite(t, map[string]http.HandlerFunc{"/p": counting(&host1)})
	site2 := newTestSite(t, map[string]http.HandlerFunc{"/p": counting(&host2)})

	var urls []string
	for i := range 12 {
		urls = append(urls, fmt.Sprintf("%s/p?i=%d", site1.URL, i))
	}
	f := testFetcher(FetchOptions{PerHost: 2, PerHostDelay: time.Millisecond})
	src := urlInputs(t, urls, f, 12)
	if n := len(drainSource(t, src)); n != 12 {
		t.Fatalf("got %d documents, want 12", n)
	}
	if m := host1.peak.Load(); m != 2 {
		t.Errorf("peak concurrency to one host %d, want exactly PerHost = 2", m)
	}

	// Two hosts, PerHost 4, MaxConcurrent 3: at most 3 in flight in all.
	all.peak.Store(0)
	urls = urls[:0]
	for i := range 8 {
		urls = append(urls, fmt.Sprintf("%s/p?i=%d", site1.URL, i), fmt.Sprintf("%s/p?i=%d", site2.URL, i))
	}
	f = testFetcher(FetchOptions{PerHost: 4, MaxConcurrent: 3, IgnoreRobots: true})
	src2 := urlInputs(t, urls, f, 0)
	if n := len(drainSource(t, src2)); n != 16 {
		t.Fatalf("got %d documents, want 16", n)
	}
	if m := all.peak.Load(); m != 3 {
		t.Errorf("peak total concurrency %d, want 3 (MaxConcurrent)", m)
	}
}

// TestFetchPerHostDelay: request starts to one host are PerHostDelay apart
// even when PerHost allows them at once.
func TestFetchPerHostDelay(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/p": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			servePage("text/html", testPage)(w, r)
		},
	})
	f := testFetcher(FetchOptions{PerHost: 4, PerHostDelay: 80 * time.Millisecond, IgnoreRobots: true})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			if _, err := f.Fetch(fetchCtx(t), fmt.Sprintf("%s/p?%d", site.URL, i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(starts) != 4 {
		t.Fatalf("%d requests", len(starts))
	}
	// Starts are spaced on the client; arrivals at the server jitter (a
	// new connection is slower than a reused one), so check the whole span,
	// and the spacing itself below with a clock standing still.
	if span := starts[3].Sub(starts[0]); span < 200*time.Millisecond {
		t.Errorf("4 requests arrived within %v, want ≥ 3 × 80ms", span)
	}

	// Each acquire reserves the next start: with the clock standing still,
	// four slots taken at once wait 0, 80, 160 and 240ms.
	now := time.Now()
	var waits []time.Duration
	f = testFetcher(FetchOptions{PerHost: 4, PerHostDelay: 80 * time.Millisecond,
		Now: func() time.Time { return now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		}})
	for range 4 {
		release, err := f.chain.Hosts.Acquire(fetchCtx(t), "http://example.test")
		if err != nil {
			t.Fatal(err)
		}
		defer release()
	}
	if want := []time.Duration{80 * time.Millisecond, 160 * time.Millisecond, 240 * time.Millisecond}; !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
}

// TestFetchUserAgent: every request, robots.txt included, names redline
// and its version.
func TestFetchUserAgent(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{"/p": servePage("text/html", testPage)})
	f := testFetcher(FetchOptions{Version: "1.2.3"})
	if _, err := f.Fetch(fetchCtx(t), site.URL+"/p"); err != nil {
		t.Fatal(err)
	}
	want := "redline/1.2.3 (+https://github.com/redline-news/redline)"
	if len(site.uas) != 2 || site.uas[0] != want || site.uas[1] != want {
		t.Errorf("User-Agent headers %q, want 2 × %q (robots.txt, page)", site.uas, want)
	}
	f = testFetcher(FetchOptions{UserAgent: "redline-test/0 (research)"})
	if _, err := f.Fetch(fetchCtx(t), site.URL+"/p"); err != nil {
		t.Fatal(err)
	}
	if got := site.uas[len(site.uas)-1]; got != "redline-test/0 (research)" {
		t.Errorf("custom User-Agent sent as %q", got)
	}
}

// TestFetchCancel: cancelling the context stops a fetch at once, with the
// context's error rather than an *InputError.
func TestFetchCancel(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		},
	})
	f := testFetcher(FetchOptions{IgnoreRobots: true})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := f.Fetch(ctx, site.URL+"/slow")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	var ie *InputError
	if errors.As(err, &ie) {
		t.Errorf("cancellation reported as a bad input: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v to stop", d)
	}
}

// TestFetchConcurrentUse hammers one Fetcher from many goroutines (run
// with -race).
func TestFetchConcurrentUse(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/p": servePage("text/html", testPage),
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(20 * time.Millisecond)
			io.WriteString(w, "User-agent: *\nDisallow: /private\n")
		},
	})
	f := testFetcher(FetchOptions{PerHost: 8, CacheDir: t.TempDir()})
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			if _, err := f.Fetch(fetchCtx(t), fmt.Sprintf("%s/p?%d", site.URL, i%10)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := site.hitCount("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once", n)
	}
	if err := f.CacheErr(); err != nil {
		t.Error(err)
	}
}

// TestFetchDeadline: FetchOptions.Deadline bounds a URL in all, retries,
// waits and robots.txt included, but not the wait for a free slot before
// its first request.
func TestFetchDeadline(t *testing.T) {
	stall := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}
	var robotsCalls atomic.Int32
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/slow": stall,
		"/slow-body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>")
			w.(http.Flusher).Flush()
			stall(w, r)
		},
		"/down": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		},
		"/page":  servePage("text/html", testPage),
		"/page2": servePage("text/html", testPage),
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			if robotsCalls.Add(1) == 1 { // slow the first time only
				stall(w, r)
				return
			}
			http.NotFound(w, r)
		},
	})
	const deadline = 300 * time.Millisecond
	tests := []struct {
		name     string
		opts     FetchOptions
		path     string
		sub      string // in the error
		maxHits  int
		maxSpent time.Duration
	}{
		{"headers never come", FetchOptions{IgnoreRobots: true}, "/slow", "timed out after 300ms", 1, 2 * time.Second},
		{"body stalls", FetchOptions{IgnoreRobots: true}, "/slow-body", "timed out after 300ms", 1, 2 * time.Second},
		{"retries stop at the deadline", FetchOptions{IgnoreRobots: true, RetryBackoff: 200 * time.Millisecond, Retries: 10},
			"/down", "timed out after 300ms (last attempt: HTTP status 503 Service Unavailable", 3, 2 * time.Second},
		{"a slow robots.txt counts", FetchOptions{}, "/page", "timed out after 300ms", 0, 2 * time.Second},
		{"the robots.txt that timed out is asked again", FetchOptions{}, "/page", "", 1, 2 * time.Second},
	}
	var f *Fetcher
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(tc.name, "asked again") {
				tc.opts.Deadline = deadline
				f = testFetcher(tc.opts)
			}
			before := site.hitCount(tc.path)
			start := time.Now()
			_, err := f.Fetch(fetchCtx(t), site.URL+tc.path)
			spent := time.Since(start)
			if tc.sub == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
			} else {
				wantFetchError(t, err, site.URL+tc.path, ErrTimeout, tc.sub)
				var de *DeadlineError
				if !errors.As(err, &de) || de.Deadline != deadline {
					t.Errorf("error %v is not a *DeadlineError of %v", err, deadline)
				}
				if errors.Is(err, ErrRobots) {
					t.Errorf("error %v says robots.txt disallows", err)
				}
			}
			if spent > tc.maxSpent {
				t.Errorf("took %v, want at most %v", spent, tc.maxSpent)
			}
			if hits := site.hitCount(tc.path) - before; hits > tc.maxHits || (tc.maxHits > 0 && hits == 0) {
				t.Errorf("%d requests, want 1 to %d", hits, tc.maxHits)
			}
		})
	}

	// Queueing behind other URLs of the host is not part of the deadline.
	f = testFetcher(FetchOptions{IgnoreRobots: true, PerHost: 1, PerHostDelay: 200 * time.Millisecond, Deadline: deadline})
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i, p := range []string{"/page", "/page2", "/page"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.Fetch(fetchCtx(t), site.URL+p)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("queued fetch %d: %v", i, err)
		}
	}
}

// closedPort returns the address of a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestFetchErrorsSayWhat: each failure names what happened; a host that
// is down, a DNS failure or a broken robots.txt is never a robots.txt
// disallow.
func TestFetchErrorsSayWhat(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/robots.txt": serveRobots("User-agent: *\nDisallow: /private/\n"),
		"/private/a":  servePage("text/html", testPage),
		"/gone": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "gone", http.StatusGone)
		},
	})
	badRobots := newTestSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "busy", http.StatusTooManyRequests)
		},
	})
	// A resolver that knows no name, without asking the network.
	noDNS := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
		},
	}}
	down := "http://" + closedPort(t)
	tests := []struct {
		name   string
		opts   FetchOptions
		url    string
		want   error
		sub    string
		robots bool // whether the error may match ErrRobots
	}{
		{"host down, robots.txt first", FetchOptions{Retries: 1}, down + "/news/1", ErrUnreachable, "connection refused", false},
		{"host down, no robots.txt", FetchOptions{Retries: 1, IgnoreRobots: true}, down + "/news/1", ErrUnreachable, "host down or unreachable: ", false},
		{"DNS failure", FetchOptions{Client: noDNS}, "http://news.invalid/a", ErrDNS, "DNS lookup failed: dial tcp: lookup news.invalid: no such host", false},
		{"robots.txt disallows", FetchOptions{}, site.URL + "/private/a", ErrRobots, "disallowed by robots.txt: /private/a is forbidden", true},
		{"robots.txt answers 429", FetchOptions{Retries: -1}, badRobots.URL + "/a", ErrRobotsUnavailable, "HTTP status 429 Too Many Requests (fetching robots.txt", false},
		{"HTTP status", FetchOptions{}, site.URL + "/gone", ErrHTTPStatus, "HTTP status 410 Gone", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := testFetcher(tc.opts)
			_, err := f.Fetch(fetchCtx(t), tc.url)
			t.Log(err)
			wantFetchError(t, err, tc.url, tc.want, tc.sub)
			if !tc.robots && (errors.Is(err, ErrRobots) || strings.Contains(err.Error(), "disallowed")) {
				t.Errorf("%v reported as a robots.txt disallow", err)
			}
		})
	}
	// The unreachable robots.txt is remembered: a second URL of the host
	// fails at once with the same reason.
	f := testFetcher(FetchOptions{Retries: 1})
	for i := range 2 {
		_, err := f.Fetch(fetchCtx(t), down+"/news/"+fmt.Sprint(i))
		wantFetchError(t, err, down+"/news/"+fmt.Sprint(i), ErrRobotsUnavailable, "connection refused")
	}
}
