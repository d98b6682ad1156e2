package corpus

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"redline/internal/fetchtest"
)

// Every server in these tests is an httptest server on the loopback
// interface, closed by t.Cleanup; no test talks to any other address.

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

func TestFetchPage(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/article": fetchtest.ServePage("text/html; charset=utf-8", fetchtest.Page),
		"/old": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/moved?x=1", http.StatusMovedPermanently)
		},
		"/moved": fetchtest.ServePage("text/html", fetchtest.Page),
	})
	f := testFetcher(FetchOptions{})
	ctx := fetchtest.Ctx(t)

	doc, err := f.Fetch(ctx, site.URL+"/article#comments")
	if err != nil {
		t.Fatal(err)
	}
	if doc.URL != site.URL+"/article" || doc.Source != site.URL+"/article#comments" ||
		doc.HTML != fetchtest.Page || doc.ID != ContentID(doc.URL) || doc.Text != "" {
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
		_, err := f.Fetch(fetchtest.Ctx(t), u)
		wantFetchError(t, err, u, ErrBadURL, "invalid URL")
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
		routes[c.path] = fetchtest.ServePage(c.ct, c.body)
	}
	site := fetchtest.NewSite(t, routes)
	f := testFetcher(FetchOptions{})
	for _, c := range cases {
		doc, err := f.Fetch(fetchtest.Ctx(t), site.URL+c.path)
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

// TestFetchPerHostConcurrency: the server counts requests in flight; with
// PerHost 2 there are never more than 2 at once, and MaxConcurrent bounds
// the total across hosts.
func TestFetchPerHostConcurrency(t *testing.T) {
	var host1, host2, all fetchtest.Gauge
	counting := func(host *fetchtest.Gauge) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			host.Enter()
			all.Enter()
			defer host.Leave()
			defer all.Leave()
			time.Sleep(30 * time.Millisecond)
			fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
		}
	}
	site1 := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": counting(&host1)})
	site2 := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": counting(&host2)})

	var urls []string
	for i := range 12 {
		urls = append(urls, fmt.Sprintf("%s/p?i=%d", site1.URL, i))
	}
	f := testFetcher(FetchOptions{PerHost: 2, PerHostDelay: time.Millisecond})
	src := urlInputs(t, urls, f, 12)
	if n := len(drainSource(t, src)); n != 12 {
		t.Fatalf("got %d documents, want 12", n)
	}
	if m := host1.Peak(); m != 2 {
		t.Errorf("peak concurrency to one host %d, want exactly PerHost = 2", m)
	}

	// Two hosts, PerHost 4, MaxConcurrent 3: at most 3 in flight in all.
	all.ResetPeak()
	urls = urls[:0]
	for i := range 8 {
		urls = append(urls, fmt.Sprintf("%s/p?i=%d", site1.URL, i), fmt.Sprintf("%s/p?i=%d", site2.URL, i))
	}
	f = testFetcher(FetchOptions{PerHost: 4, MaxConcurrent: 3, IgnoreRobots: true})
	src2 := urlInputs(t, urls, f, 0)
	if n := len(drainSource(t, src2)); n != 16 {
		t.Fatalf("got %d documents, want 16", n)
	}
	if m := all.Peak(); m != 3 {
		t.Errorf("peak total concurrency %d, want 3 (MaxConcurrent)", m)
	}
}

// TestFetchErrorsSayWhat: a failure of the crawl chain comes back as an
// *InputError naming the URL, with the chain's reason kept (crawl's
// TestFetchErrorsSayWhat checks each reason): a host that is down is not
// reported as a robots.txt disallow, and a disallow is.
func TestFetchErrorsSayWhat(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": fetchtest.ServeRobots("User-agent: *\nDisallow: /private/\n"),
		"/private/a":  fetchtest.ServePage("text/html", fetchtest.Page),
	})
	down := "http://" + fetchtest.ClosedPort(t)
	tests := []struct {
		name   string
		opts   FetchOptions
		url    string
		want   error
		sub    string
		robots bool // whether the error may match ErrRobots
	}{
		{"host down", FetchOptions{Retries: 1, IgnoreRobots: true}, down + "/news/1", ErrUnreachable, "host down or unreachable: ", false},
		{"robots.txt disallows", FetchOptions{}, site.URL + "/private/a", ErrRobots, "disallowed by robots.txt: /private/a is forbidden", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := testFetcher(tc.opts).Fetch(fetchtest.Ctx(t), tc.url)
			wantFetchError(t, err, tc.url, tc.want, tc.sub)
			if !tc.robots && (errors.Is(err, ErrRobots) || strings.Contains(err.Error(), "disallowed")) {
				t.Errorf("%v reported as a robots.txt disallow", err)
			}
		})
	}
}

// TestFetchCacheKeepsOnlyDocuments: with CacheDir, a page that decodes is
// served from the cache the second time; one that does not (empty,
// binary) is asked for again, so a server that recovers is read.
func TestFetchCacheKeepsOnlyDocuments(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": fetchtest.ServeRobots("User-agent: *\n"),
		"/good":       fetchtest.ServePage("text/html", fetchtest.Page),
		"/empty":      fetchtest.ServePage("text/html", "   \n "),
		"/binary":     fetchtest.ServePage("text/html", "<p>x\x00y</p>"),
	})
	dir := t.TempDir()
	for _, tc := range []struct {
		path string
		want error
		hits int
	}{
		{"/good", nil, 1},
		{"/empty", ErrEmpty, 2},
		{"/binary", ErrBinary, 2},
	} {
		for range 2 {
			_, err := testFetcher(FetchOptions{CacheDir: dir}).Fetch(fetchtest.Ctx(t), site.URL+tc.path)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.path, err, tc.want)
			}
		}
		if n := site.Hits(tc.path); n != tc.hits {
			t.Errorf("%s: %d requests for two fetches, want %d", tc.path, n, tc.hits)
		}
	}
}
