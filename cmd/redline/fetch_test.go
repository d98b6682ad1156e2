package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// newsSite serves two article pages, an RSS feed linking to them, and a
// robots.txt that forbids /private/. It counts the article requests.
func newsSite(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	page := func(title, body string) string {
		return `<!doctype html><html lang="en"><head><title>` + title + `</title>
<meta property="article:published_time" content="2025-05-16T09:00:00Z"></head>
<body><nav><a href="/">Home</a></nav><article><h1>` + title + `</h1>` + body + `</article>
<footer>Copyright Example Wire</footer></body></html>`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	mux.HandleFunc("/news/kremlin", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Kremlin sets terms", `<p>The Kremlin has demanded that Kyiv withdraw its troops from the Donbas before any ceasefire.</p>
<p>Moscow also rejected the deployment of European peacekeepers in Ukraine.</p>`))
	})
	mux.HandleFunc("/news/kyiv", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page("Kyiv answers", `<p>Ukraine has said it will never recognise Russian sovereignty over Crimea.</p>
<p>Kyiv is ready to accept a ceasefire along the current front line.</p>`))
	})
	mux.HandleFunc("/private/memo", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, page("Memo", "<p>Russia demands sanctions relief.</p>"))
	})
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Kremlin sets terms</title><link>/news/kremlin</link></item>
<item><title>Kyiv answers</title><link>/news/kyiv</link></item>
</channel></rss>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestIngestURLs(t *testing.T) {
	srv, hits := newsSite(t)
	dir := filepath.Join(t.TempDir(), "idx")
	list := filepath.Join(t.TempDir(), "urls.txt")
	if err := os.WriteFile(list, []byte("# today's pages\n"+srv.URL+"/news/kyiv\n\n"+srv.URL+"/private/memo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "ingest", "--index", dir, "--delay", "1ms", "--urls", list, srv.URL+"/news/kremlin")
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "documents: 3 read, 2 indexed, 0 unchanged, 1 failed") {
		t.Errorf("summary:\n%s", out)
	}
	// robots.txt forbids /private/: never requested, reported as an error.
	if got := hits.Load(); got != 2 {
		t.Errorf("article requests = %d, want 2 (the private page must not be fetched)", got)
	}
	lines := readErrors(t, dir)
	if len(lines) != 1 || !strings.Contains(lines[0].Input, "/private/memo") || !strings.Contains(lines[0].Reason, "robots.txt") {
		t.Errorf("errors.jsonl = %+v, want the private page refused by robots.txt", lines)
	}
	res, _, err := runCLI(t, "search", "--index", dir, "--json", "--min-confidence", "0", "--party", "russia", "--kind", "demand", "*")
	if err != nil || !strings.Contains(res, srv.URL+"/news/kremlin") || !strings.Contains(res, `"published":"2025-05-16"`) {
		t.Errorf("russian demand from the fetched page not found (err %v):\n%s", err, res)
	}

	// A second run is served from the fetch cache: no new requests.
	out, _, err = runCLI(t, "ingest", "--index", dir, "--delay", "1ms", "--urls", list, srv.URL+"/news/kremlin")
	if err != nil || !strings.Contains(out, "2 unchanged") {
		t.Errorf("second run (err %v):\n%s", err, out)
	}
	if got := hits.Load(); got != 2 {
		t.Errorf("article requests after the cached run = %d, want still 2", got)
	}
}

// TestIngestCacheUnwritable: a fetch cache that cannot be written does not
// fail the run, and the run says the pages were not kept.
func TestIngestCacheUnwritable(t *testing.T) {
	srv, _ := newsSite(t)
	dir := filepath.Join(t.TempDir(), "idx")
	mustRun(t, "ingest", "--index", dir, "--delay", "1ms", srv.URL+"/news/kyiv")
	// A file where the cache folder should be.
	cache := filepath.Join(dir, "fetch-cache")
	if err := os.RemoveAll(cache); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cache, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "ingest", "--index", dir, "--delay", "1ms", srv.URL+"/news/kremlin")
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "documents: 1 read, 1 indexed") {
		t.Errorf("summary:\n%s", out)
	}
	if !strings.Contains(errOut, "fetched pages were not cached") || !strings.Contains(errOut, "fetch-cache") {
		t.Errorf("stderr does not say the cache was not written:\n%s", errOut)
	}
}

func TestIngestFeed(t *testing.T) {
	srv, _ := newsSite(t)
	dir := filepath.Join(t.TempDir(), "idx")
	out, errOut, err := runCLI(t, "ingest", "--index", dir, "--delay", "1ms", "--feed", srv.URL+"/feed.xml")
	if err != nil {
		t.Fatalf("ingest --feed: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "documents: 2 read, 2 indexed") {
		t.Errorf("summary:\n%s", out)
	}
	res, _, err := runCLI(t, "search", "--index", dir, "--json", "--min-confidence", "0", "--party", "ukraine", "*")
	if err != nil || !strings.Contains(res, `"kind":"red_line"`) || !strings.Contains(res, "crimea") {
		t.Errorf("Ukraine's red line on Crimea not found (err %v):\n%s", err, res)
	}
}

// TestIngestSavedFeed: --feed with a feed saved to a file fetches the
// articles it links to; a missing file fails the run before anything is
// read, naming the file.
func TestIngestSavedFeed(t *testing.T) {
	srv, _ := newsSite(t)
	feed := filepath.Join(t.TempDir(), "wire.xml")
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>` + srv.URL + `/</link>
<item><title>Kremlin sets terms</title><link>` + srv.URL + `/news/kremlin</link></item>
<item><title>Kyiv answers</title><link>/news/kyiv</link></item>
</channel></rss>`
	if err := os.WriteFile(feed, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "idx")
	out, errOut, err := runCLI(t, "ingest", "--index", dir, "--delay", "1ms", "--feed", feed)
	if err != nil {
		t.Fatalf("ingest --feed FILE: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "documents: 2 read, 2 indexed") {
		t.Errorf("summary:\n%s", out)
	}
	missing := filepath.Join(t.TempDir(), "missing.xml")
	if _, _, err := runCLI(t, "ingest", "--index", dir, "--feed", missing); err == nil || !strings.Contains(err.Error(), "feed "+missing+": no such file") {
		t.Errorf("a missing feed file: err %v", err)
	}
}

// TestIngestBadFeed: a feed that cannot be read, and a --urls line that
// is not a URL, are each one counted error; the rest of the run goes on.
func TestIngestBadFeed(t *testing.T) {
	srv, _ := newsSite(t)
	tests := []struct {
		name    string
		urls    string // --urls file contents, if any
		feeds   []string
		wantErr string // "" for a successful run
		summary string
		errors  []string // input of each errors.jsonl line (sorted by input), then a part of its reason
	}{
		{
			name:    "the only feed is an HTML page",
			feeds:   []string{"/news/kyiv"},
			wantErr: "none of the 1 documents could be read",
			summary: "documents: 1 read, 0 indexed, 0 unchanged, 1 failed",
			errors:  []string{"/news/kyiv", "not an RSS, Atom or JSON feed"},
		},
		{
			name:    "a bad feed and a missing one before a good one",
			feeds:   []string{"/news/kyiv", "/missing.xml", "/feed.xml"},
			summary: "documents: 4 read, 2 indexed, 0 unchanged, 2 failed",
			errors:  []string{"/missing.xml", "HTTP status 404", "/news/kyiv", "not an RSS, Atom or JSON feed"},
		},
		{
			name:    "a --urls line that is not a URL",
			urls:    "example.org/no-scheme\n" + srv.URL + "/news/kyiv\n",
			summary: "documents: 2 read, 1 indexed, 0 unchanged, 1 failed",
			errors:  []string{"urls.txt:1", "invalid URL"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			args := []string{"ingest", "--index", dir, "--delay", "1ms"}
			for _, f := range tc.feeds {
				args = append(args, "--feed", srv.URL+f)
			}
			if tc.urls != "" {
				list := filepath.Join(t.TempDir(), "urls.txt")
				if err := os.WriteFile(list, []byte(tc.urls), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--urls", list)
			}
			out, errOut, err := runCLI(t, args...)
			if tc.wantErr == "" && err != nil {
				t.Fatalf("ingest: %v\n%s", err, errOut)
			}
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
			if !strings.Contains(out, tc.summary) {
				t.Errorf("summary, want %q:\n%s", tc.summary, out)
			}
			lines := readErrors(t, dir)
			if len(lines) != len(tc.errors)/2 {
				t.Fatalf("errors.jsonl = %+v, want %d lines", lines, len(tc.errors)/2)
			}
			for i, l := range lines {
				if !strings.HasSuffix(l.Input, tc.errors[2*i]) || !strings.Contains(l.Reason, tc.errors[2*i+1]) {
					t.Errorf("errors.jsonl line %d = %+v, want input %q and reason with %q", i+1, l, tc.errors[2*i], tc.errors[2*i+1])
				}
			}
		})
	}
}

// writeWARC writes a .warc.gz with one gzip member per record: a warcinfo
// record, then a request and an HTML response for each page.
func writeWARC(t *testing.T, path string, pages map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	record := func(typ, uri, contentType, block string) {
		zw := gzip.NewWriter(&buf)
		fmt.Fprintf(zw, "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08d>\r\nWARC-Date: 2025-05-16T10:00:00Z\r\n", typ, buf.Len())
		if uri != "" {
			fmt.Fprintf(zw, "WARC-Target-URI: %s\r\n", uri)
		}
		fmt.Fprintf(zw, "Content-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", contentType, len(block), block)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	record("warcinfo", "", "application/warc-fields", "software: redline test\r\n")
	urls := make([]string, 0, len(pages))
	for u := range pages {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	for _, u := range urls {
		record("request", u, "application/http; msgtype=request", "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n")
		body := pages[u]
		resp := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		record("response", u, "application/http; msgtype=response", resp)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestIngestWARC(t *testing.T) {
	in := filepath.Join(t.TempDir(), "crawl.warc.gz")
	writeWARC(t, in, map[string]string{
		"https://example.org/news/talks": `<html><head><title>Talks resume</title></head><body><article><h1>Talks resume</h1>
<p>Moscow has demanded that Ukraine abandon its bid to join NATO.</p>
<p>Kyiv rejected any limits on the size of its armed forces.</p></article></body></html>`,
		"https://example.org/news/weather": `<html><body><article><p>Rain is expected across the region on Friday.</p></article></body></html>`,
	})
	dir := filepath.Join(t.TempDir(), "idx")
	out, errOut, err := runCLI(t, "ingest", "--index", dir, in)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	// warcinfo and the two requests are skipped records, not documents.
	if !strings.Contains(out, "documents: 2 read, 2 indexed") {
		t.Errorf("summary:\n%s", out)
	}
	res, _, err := runCLI(t, "search", "--index", dir, "--json", "--min-confidence", "0", "nato")
	if err != nil || !strings.Contains(res, `"party":"russia"`) || !strings.Contains(res, `"url":"https://example.org/news/talks"`) || !strings.Contains(res, `"published":"2025-05-16"`) {
		t.Errorf("Russia's NATO demand from the archive not found (err %v):\n%s", err, res)
	}
}

// TestIngestDelay: --delay spaces the requests to one host; --delay 0
// means none, and the default (no flag) stays 1s.
func TestIngestDelay(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		minGap  time.Duration // least gap between two request starts
		maxSpan time.Duration // most time from the first request start to the last
	}{
		{"zero means no delay", []string{"--delay", "0"}, 0, 500 * time.Millisecond},
		{"explicit delay", []string{"--delay", "300ms"}, 240 * time.Millisecond, 10 * time.Second},
		{"default is one second", nil, 800 * time.Millisecond, 10 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var starts []time.Time
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				starts = append(starts, time.Now())
				mu.Unlock()
				if r.URL.Path == "/robots.txt" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, "<html><body><article><p>Moscow has demanded that Kyiv withdraw from %s.</p></article></body></html>", r.URL.Path)
			}))
			defer srv.Close()
			dir := filepath.Join(t.TempDir(), "idx")
			args := append([]string{"ingest", "--index", dir, "--per-host", "1"}, tc.args...)
			args = append(args, srv.URL+"/a", srv.URL+"/b")
			out, errOut, err := runCLI(t, args...)
			if err != nil {
				t.Fatalf("ingest: %v\n%s", err, errOut)
			}
			if !strings.Contains(out, "documents: 2 read, 2 indexed") {
				t.Errorf("summary:\n%s", out)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(starts) != 3 {
				t.Fatalf("%d requests, want 3 (robots.txt and two pages)", len(starts))
			}
			for i := 1; i < len(starts); i++ {
				if gap := starts[i].Sub(starts[i-1]); gap < tc.minGap {
					t.Errorf("gap %d = %v, want at least %v", i, gap, tc.minGap)
				}
			}
			if span := starts[len(starts)-1].Sub(starts[0]); span > tc.maxSpan {
				t.Errorf("requests spread over %v, want at most %v", span, tc.maxSpan)
			}
		})
	}
	if _, _, err := runCLI(t, "ingest", "--index", filepath.Join(t.TempDir(), "idx"), "--delay", "-1s", "https://example.org/"); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("--delay -1s: err = %v, want a usage error", err)
	}
}

func TestHostDelay(t *testing.T) {
	for _, tc := range []struct{ in, want time.Duration }{
		{0, -1},
		{time.Millisecond, time.Millisecond},
		{time.Second, time.Second},
		{5 * time.Second, 5 * time.Second},
	} {
		if got := hostDelay(tc.in); got != tc.want {
			t.Errorf("hostDelay(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestIngestFetchTimeout: a server slower than --fetch-timeout is one
// counted error naming the URL and the time; the other URLs are read.
func TestIngestFetchTimeout(t *testing.T) {
	srv, _ := newsSite(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><p>Moscow has")
		w.(http.Flusher).Flush()
		select { // the rest of the body never comes
		case <-r.Context().Done():
		case <-time.After(time.Minute):
		}
	}))
	defer slow.Close()
	tests := []struct {
		name    string
		timeout string
		want    string
	}{
		{"short", "300ms", "timed out after 300ms"},
		{"fractional", "0.4s", "timed out after 400ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			start := time.Now()
			out, errOut, err := runCLI(t, "ingest", "--index", dir, "--delay", "0", "--fetch-timeout", tc.timeout,
				slow.URL+"/news/stuck", srv.URL+"/news/kyiv")
			if err != nil {
				t.Fatalf("ingest: %v\n%s", err, errOut)
			}
			// A bound on a hang, not a speed: the body stalls for a
			// minute, and a loaded machine under -race takes seconds to
			// ingest the other page.
			if d := time.Since(start); d > 30*time.Second {
				t.Errorf("ingest took %v", d)
			}
			if !strings.Contains(out, "documents: 2 read, 1 indexed, 0 unchanged, 1 failed") {
				t.Errorf("summary:\n%s", out)
			}
			lines := readErrors(t, dir)
			if len(lines) != 1 || lines[0].Input != slow.URL+"/news/stuck" || !strings.Contains(lines[0].Reason, slow.URL+"/news/stuck: "+tc.want) {
				t.Errorf("errors.jsonl = %+v, want the stuck URL %s", lines, tc.want)
			}
		})
	}
	if _, _, err := runCLI(t, "ingest", "--index", filepath.Join(t.TempDir(), "idx"), "--fetch-timeout", "-1s", srv.URL+"/news/kyiv"); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("--fetch-timeout -1s: err = %v, want a usage error", err)
	}
}

// TestIngestErrorsSayWhat: errors.jsonl says what happened to each URL: a
// host that is down is not "disallowed by robots.txt".
func TestIngestErrorsSayWhat(t *testing.T) {
	srv, _ := newsSite(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()
	tests := []struct {
		url, reason, not string
	}{
		{down + "/news/1", "host down or unreachable: dial tcp " + down[len("http://"):] + ": connect: connection refused", "disallowed"},
		{srv.URL + "/private/memo", "disallowed by robots.txt: /private/memo is forbidden", ""},
		{srv.URL + "/news/missing", "HTTP status 404 Not Found", "disallowed"},
	}
	dir := filepath.Join(t.TempDir(), "idx")
	args := []string{"ingest", "--index", dir, "--delay", "0", srv.URL + "/news/kyiv"}
	for _, tc := range tests {
		args = append(args, tc.url)
	}
	out, errOut, err := runCLI(t, args...)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "documents: 4 read, 1 indexed, 0 unchanged, 3 failed") {
		t.Errorf("summary:\n%s", out)
	}
	reasons := make(map[string]string)
	for _, l := range readErrors(t, dir) {
		reasons[l.Input] = l.Reason
	}
	for _, tc := range tests {
		got, ok := reasons[tc.url]
		if !ok {
			t.Errorf("%s: not in errors.jsonl %v", tc.url, reasons)
			continue
		}
		if !strings.Contains(got, tc.reason) || (tc.not != "" && strings.Contains(got, tc.not)) {
			t.Errorf("%s: reason %q, want %q (and not %q)", tc.url, got, tc.reason, tc.not)
		}
	}
}

// TestIngestSkipsIndexFolder: ingesting a folder that holds the index
// folder skips it (counted as skipped, not failed), so errors.jsonl is
// never read back as documents.
func TestIngestSkipsIndexFolder(t *testing.T) {
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "talks.txt"), []byte("Moscow has demanded that Kyiv withdraw its troops from the Donbas.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "empty.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "data")
	if err := os.Symlink(data, link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	tests := []struct {
		name    string
		index   string
		summary string
		runs    int // runs that met the one failure errors.jsonl names after the run
	}{
		// The index is created before the folder is walked: skipped at once.
		{"first run", filepath.Join(data, "idx"), "documents: 2 read, 1 indexed, 0 unchanged, 1 failed, 1 files skipped", 1},
		// errors.jsonl now exists in the index: still not read.
		{"second run", filepath.Join(data, "idx"), "documents: 2 read, 0 indexed, 1 unchanged, 1 failed, 1 files skipped", 2},
		// The same folder by another path (through a symbolic link).
		{"another path", filepath.Join(link, "idx"), "documents: 2 read, 0 indexed, 1 unchanged, 1 failed, 1 files skipped", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, err := runCLI(t, "ingest", "--index", tc.index, data)
			if err != nil {
				t.Fatalf("ingest: %v\n%s", err, errOut)
			}
			if !strings.Contains(out, tc.summary) {
				t.Errorf("summary, want %q:\n%s", tc.summary, out)
			}
			lines := readErrors(t, filepath.Join(data, "idx"))
			if len(lines) != 1 || lines[0].Count != tc.runs {
				t.Errorf("errors.jsonl = %+v, want one line, met by %d runs", lines, tc.runs)
			}
			for _, l := range lines {
				if !strings.HasSuffix(l.Input, "empty.txt") {
					t.Errorf("errors.jsonl line about %s, want only empty.txt", l.Input)
				}
			}
		})
	}
}

// TestIngestRepeatedIDs: a dump repeating an id keeps the first record,
// warns with the id and both lines, and the summary counts each document
// once.
func TestIngestRepeatedIDs(t *testing.T) {
	rec := func(id, text string) string {
		return `{"id":"` + id + `","outlet":"Wire","text":"` + text + `"}` + "\n"
	}
	tests := []struct {
		name     string
		dump     string
		summary  []string
		warnings []string // in stderr
		noRepeat bool     // no "repeated ids" line
	}{
		{
			name: "one id twice",
			dump: rec("a", "Moscow has demanded that Kyiv withdraw its troops from the Donbas.") +
				rec("b", "Ukraine will never recognise Russian sovereignty over Crimea.") +
				rec("a", "Moscow has demanded sanctions relief before any ceasefire."),
			summary:  []string{"documents: 2 read, 2 indexed, 0 unchanged, 0 failed", "repeated ids: 1 later records skipped"},
			warnings: []string{"repeated id skipped", "id=a", "line=3", "first_line=1"},
		},
		{
			name: "no repeats",
			dump: rec("a", "Moscow has demanded that Kyiv withdraw its troops from the Donbas.") +
				rec("b", "Ukraine will never recognise Russian sovereignty over Crimea."),
			summary:  []string{"documents: 2 read, 2 indexed, 0 unchanged, 0 failed"},
			noRepeat: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, out, errOut := ingestDump(t, tc.dump, tc.summary)
			for _, w := range tc.warnings {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if tc.noRepeat && strings.Contains(out+errOut, "repeated id") {
				t.Errorf("repeated ids reported:\n%s\n%s", out, errOut)
			}
			if tc.name == "one id twice" {
				// The first record is the one indexed.
				res, _, err := runCLI(t, "search", "--index", dir, "--json", "--min-confidence", "0", "sanctions")
				if err != nil || strings.Contains(res, "sanctions relief") {
					t.Errorf("the later record with id a was indexed (err %v):\n%s", err, res)
				}
				res, _, err = runCLI(t, "search", "--index", dir, "--json", "--min-confidence", "0", "donbas")
				if err != nil || !strings.Contains(res, "withdraw") {
					t.Errorf("the first record with id a is not indexed (err %v):\n%s", err, res)
				}
			}
		})
	}
}
