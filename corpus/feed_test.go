package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"redline/internal/fetchtest"
)

// urlInputs returns the inputs of urls, fetched with f by workers
// goroutines (0: the default).
func urlInputs(t *testing.T, urls []string, f *Fetcher, workers int) *Inputs {
	t.Helper()
	in, err := OpenInputs(context.Background(), urls, InputOptions{Fetcher: f, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

// drainSource reads src to the end and returns its documents; an error
// fails the test.
func drainSource(t *testing.T, src *Inputs) []Document {
	t.Helper()
	docs, errs := collectSource(t, src)
	for _, err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	return docs
}

// collectSource reads src to io.EOF with Each and returns the documents
// and the *InputErrors; any other error fails the test.
func collectSource(t *testing.T, src *Inputs) ([]Document, []error) {
	t.Helper()
	var docs []Document
	var errs []error
	err := src.Each(fetchtest.Ctx(t), func(doc Document, err error) error {
		if err != nil {
			errs = append(errs, err)
		} else {
			docs = append(docs, doc)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Each: %v", err)
	}
	return docs, errs
}

// TestInputsURLs: every URL gives one document or one *InputError, across
// hosts, in the order of the list, then io.EOF, also on later calls.
func TestInputsURLs(t *testing.T) {
	a := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/ok": fetchtest.ServePage("text/html", fetchtest.Page)})
	b := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/ok": fetchtest.ServePage("text/html", fetchtest.Page)})
	var urls []string
	for i := range 5 {
		urls = append(urls, fmt.Sprintf("%s/ok?%d", a.URL, i), fmt.Sprintf("%s/ok?%d", b.URL, i))
	}
	urls = append(urls, a.URL+"/missing", "http://bad host/")
	src := urlInputs(t, urls, testFetcher(FetchOptions{}), 0)
	docs, errs := collectSource(t, src)
	if len(docs) != 10 || len(errs) != 2 {
		t.Fatalf("got %d documents and %d errors, want 10 and 2: %v", len(docs), len(errs), errs)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.Source)
	}
	if want := urls[:10]; !slices.Equal(got, want) {
		t.Errorf("sources %v, want %v (the order of the list)", got, want)
	}
	if _, err := src.Next(fetchtest.Ctx(t)); !errors.Is(err, io.EOF) {
		t.Errorf("Next after the end: %v", err)
	}
	if err := src.Close(); err != nil {
		t.Error(err)
	}
	if _, err := src.Next(fetchtest.Ctx(t)); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("Next after Close: %v", err)
	}
	if _, err := OpenInputs(context.Background(), nil, InputOptions{}); err == nil {
		t.Error("OpenInputs of nothing: no error")
	}
}

// TestInputsOrder: with many workers and pages that answer in reverse
// order, the documents still come out in the order of the list.
func TestInputsOrder(t *testing.T) {
	const n = 12
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/p": func(w http.ResponseWriter, r *http.Request) {
			i, _ := strconv.Atoi(r.URL.Query().Get("i"))
			time.Sleep(time.Duration(n-i) * 5 * time.Millisecond)
			fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
		},
	})
	var urls []string
	for i := range n {
		urls = append(urls, fmt.Sprintf("%s/p?i=%d", site.URL, i))
	}
	f := testFetcher(FetchOptions{IgnoreRobots: true, PerHost: n, PerHostDelay: -1})
	docs := drainSource(t, urlInputs(t, urls, f, n))
	var got []string
	for _, d := range docs {
		got = append(got, d.Source)
	}
	if !slices.Equal(got, urls) {
		t.Errorf("sources %v, want %v", got, urls)
	}
}

// TestInputsCancel: cancelling the run returns at once; Run stops the
// fetches in flight and every goroutine has returned when Each does.
func TestInputsCancel(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		},
	})
	var urls []string
	for i := range 20 {
		urls = append(urls, fmt.Sprintf("%s/slow?%d", site.URL, i))
	}
	src := urlInputs(t, urls, testFetcher(FetchOptions{IgnoreRobots: true, PerHost: 4}), 0)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := src.Each(ctx, func(Document, error) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Each: %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Each took %v after its context ended", d)
	}
	if n := site.Hits("/slow"); n != 4 {
		t.Errorf("%d requests in flight before the end, want PerHost = 4", n)
	}
	if err := src.Run(context.Background()); err == nil {
		t.Error("second Run: no error")
	}
}

func TestReadURLList(t *testing.T) {
	in := "\ufeff# news to fetch\n" +
		"https://example.com/a\n" +
		"\n" +
		"   http://example.org/b?x=1#top   \r\n" +
		"  # indented comment\n" +
		"https://example.com/a\n" +
		"https://example.com/c"
	got, err := ReadURLList(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://example.com/a", "http://example.org/b?x=1#top", "https://example.com/c"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}

	got, err = ReadURLList(strings.NewReader("https://ok.example/\nexample.com/no-scheme\n\nftp://x/y\nhttps://ok.example/2\n"))
	if err == nil || got != nil {
		t.Fatalf("bad lines: got %v, %v", got, err)
	}
	for _, sub := range []string{`line 2: "example.com/no-scheme": invalid URL`, `line 4: "ftp://x/y": invalid URL: scheme "ftp"`} {
		if !strings.Contains(err.Error(), sub) {
			t.Errorf("error %q does not contain %q", err, sub)
		}
	}
	if !errors.Is(err, ErrBadURL) {
		t.Errorf("error %v does not wrap ErrBadURL", err)
	}

	var many strings.Builder
	for i := range 30 {
		fmt.Fprintf(&many, "bad%d\n", i)
	}
	_, err = ReadURLList(strings.NewReader(many.String()))
	if err == nil || !strings.Contains(err.Error(), "line 20:") || strings.Contains(err.Error(), "line 21:") ||
		!strings.Contains(err.Error(), "and 10 more bad lines") {
		t.Errorf("30 bad lines: %v", err)
	}

	_, err = ReadURLList(strings.NewReader("https://a.example/\n" + strings.Repeat("x", 2<<20)))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("overlong line: %v", err)
	}

	got, err = ReadURLList(strings.NewReader(""))
	if err != nil || len(got) != 0 {
		t.Errorf("empty list: %v, %v", got, err)
	}
}

const testRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>News</title><link>https://news.example/</link>
<item><title>One</title><link>https://news.example/2025/one#top</link></item>
<item><title>Two</title><link>/2025/two</link></item>
<item><title>One again</title><link>https://news.example/2025/one</link></item>
<item><title>No link</title><guid isPermaLink="true">https://news.example/2025/three</guid></item>
<item><title>Mail</title><link>mailto:editor@news.example</link></item>
</channel></rss>`

const testAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><id>urn:x</id><updated>2025-01-01T00:00:00Z</updated>
<entry><title>A</title><id>urn:a</id><updated>2025-01-01T00:00:00Z</updated><link rel="alternate" href="https://blog.example/a"/></entry>
<entry><title>B</title><id>urn:b</id><updated>2025-01-01T00:00:00Z</updated><link href="https://blog.example/b"/></entry>
</feed>`

const testURLSet = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example/2025/a</loc>
    <news:news><news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2025-03-01</news:publication_date><news:title>A &amp; B</news:title></news:news>
    <image:image><image:loc>https://news.example/a.jpg</image:loc></image:image>
  </url>
  <url><loc>
     https://news.example/2025/b?x=1&amp;y=2
  </loc></url>
</urlset>`

// TestFeedURLs: RSS and Atom feeds, a sitemap, and a sitemap index whose
// children (one gzipped) are fetched, all from loopback servers.
func TestFeedURLs(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, `<urlset><url><loc>https://news.example/2025/c</loc></url></urlset>`)
	zw.Close()
	var site *fetchtest.Site
	site = fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/rss.xml":      fetchtest.ServePage("application/rss+xml", testRSS),
		"/atom.xml":     fetchtest.ServePage("application/atom+xml; charset=utf-8", testAtom),
		"/sitemap.xml":  fetchtest.ServePage("application/xml", testURLSet),
		"/sitemap2.xml": fetchtest.ServePage("text/xml", testURLSet),
		"/news.xml.gz":  fetchtest.ServePage("application/x-gzip", gz.String()),
		"/index.xml": func(w http.ResponseWriter, r *http.Request) {
			fetchtest.ServePage("application/xml", `<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>`+site.URL+`/sitemap.xml</loc><lastmod>2025-03-01</lastmod></sitemap>
  <sitemap><loc>/news.xml.gz</loc></sitemap>
  <sitemap><loc>/sitemap2.xml</loc></sitemap>
</sitemapindex>`)(w, r)
		},
		"/broken-index.xml": fetchtest.ServePage("application/xml", `<sitemapindex>
  <sitemap><loc>/sitemap.xml</loc></sitemap>
  <sitemap><loc>/missing.xml</loc></sitemap>
  <sitemap><loc>/index.xml</loc></sitemap>
</sitemapindex>`),
		"/feed.json": fetchtest.ServePage("application/feed+json", `{"version": "https://jsonfeed.org/version/1.1", "title": "J",
			"items": [{"id": "1", "url": "https://json.example/1"}, {"id": "2", "url": "/2"}]}`),
		"/page.html":  fetchtest.ServePage("text/html", fetchtest.Page),
		"/image.png":  fetchtest.ServePage("image/png", "\x89PNG\r\n\x1a\n"),
		"/robots.txt": fetchtest.ServeRobots("User-agent: *\nDisallow: /private\n"),
	})
	f := testFetcher(FetchOptions{})
	ctx := fetchtest.Ctx(t)
	for _, c := range []struct {
		path string
		want []string
	}{
		{"/rss.xml", []string{"https://news.example/2025/one", site.URL + "/2025/two", "https://news.example/2025/three"}},
		{"/atom.xml", []string{"https://blog.example/a", "https://blog.example/b"}},
		{"/feed.json", []string{"https://json.example/1", site.URL + "/2"}},
		{"/sitemap.xml", []string{"https://news.example/2025/a", "https://news.example/2025/b?x=1&y=2"}},
		{"/index.xml", []string{"https://news.example/2025/a", "https://news.example/2025/b?x=1&y=2", "https://news.example/2025/c"}},
	} {
		got, err := f.FeedURLs(ctx, site.URL+c.path)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, %v; want %q", c.path, got, err, c.want)
		}
	}

	// One child missing, one an index (not followed): the good child's
	// links, and an error naming each bad child.
	got, err := f.FeedURLs(ctx, site.URL+"/broken-index.xml")
	if want := []string{"https://news.example/2025/a", "https://news.example/2025/b?x=1&y=2"}; !slices.Equal(got, want) {
		t.Errorf("broken index: got %q, want %q", got, want)
	}
	if err == nil || !strings.Contains(err.Error(), site.URL+"/missing.xml: HTTP status 404") ||
		!strings.Contains(err.Error(), site.URL+"/index.xml: not an RSS") {
		t.Errorf("broken index error: %v", err)
	}

	_, err = f.FeedURLs(ctx, site.URL+"/page.html")
	wantFetchError(t, err, site.URL+"/page.html", ErrNotFeed, "not an RSS")
	_, err = f.FeedURLs(ctx, site.URL+"/image.png")
	wantFetchError(t, err, site.URL+"/image.png", ErrContentType, "image/png")
	_, err = f.FeedURLs(ctx, site.URL+"/private/feed.xml")
	wantFetchError(t, err, site.URL+"/private/feed.xml", ErrRobots, "forbidden")
	_, err = f.FeedURLs(ctx, "http://")
	wantFetchError(t, err, "http://", ErrBadURL, "")
}

// TestFeedFile: a feed or sitemap saved to a file (gzipped or not) is read,
// not fetched; its relative links are read against the site a feed names,
// and dropped from a sitemap, which names none; a sitemap index's
// sitemaps are still fetched; a missing or broken file is an error naming
// it.
func TestFeedFile(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/sitemap.xml": fetchtest.ServePage("application/xml", testURLSet),
	})
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	io.WriteString(zw, `<urlset><url><loc>https://news.example/2025/c</loc></url><url><loc>/relative</loc></url></urlset>`)
	zw.Close()
	f := testFetcher(FetchOptions{})
	ctx := fetchtest.Ctx(t)
	for _, c := range []struct {
		path string
		want []string
	}{
		// The RSS feed's relative link is read against the site its
		// channel names; the sitemap's is dropped.
		{write("rss.xml", testRSS), []string{"https://news.example/2025/one", "https://news.example/2025/two", "https://news.example/2025/three"}},
		{write("news.xml.gz", gz.String()), []string{"https://news.example/2025/c"}},
		{write("index.xml", `<sitemapindex><sitemap><loc>`+site.URL+`/sitemap.xml</loc></sitemap></sitemapindex>`),
			[]string{"https://news.example/2025/a", "https://news.example/2025/b?x=1&y=2"}},
	} {
		got, err := f.FeedURLs(ctx, c.path)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, %v; want %q", filepath.Base(c.path), got, err, c.want)
		}
	}
	missing := filepath.Join(dir, "missing.xml")
	_, err := f.FeedURLs(ctx, missing)
	wantFetchError(t, err, missing, fs.ErrNotExist, "no such file")
	page := write("page.html", fetchtest.Page)
	_, err = f.FeedURLs(ctx, page)
	wantFetchError(t, err, page, ErrNotFeed, "not an RSS")
}

// TestFeedRevalidated: with a cache, feeds are always asked for again, with
// validators, and a 304 serves the cached copy.
func TestFeedRevalidated(t *testing.T) {
	var notModified int
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/rss.xml": func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("If-None-Match") == `"f1"` {
				notModified++
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"f1"`)
			fetchtest.ServePage("application/rss+xml", testRSS)(w, r)
		},
	})
	f := testFetcher(FetchOptions{CacheDir: t.TempDir()})
	first, err := f.FeedURLs(fetchtest.Ctx(t), site.URL+"/rss.xml")
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.FeedURLs(fetchtest.Ctx(t), site.URL+"/rss.xml")
	if err != nil || !slices.Equal(first, second) {
		t.Errorf("second read: %q, %v", second, err)
	}
	if site.Hits("/rss.xml") != 2 || notModified != 1 {
		t.Errorf("%d requests, %d 304s; want 2 and 1", site.Hits("/rss.xml"), notModified)
	}
}

func TestSitemapParse(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		kind sitemapKind
		locs []string
		err  bool
	}{
		{"urlset", testURLSet, sitemapURLSet, []string{"https://news.example/2025/a", "https://news.example/2025/b?x=1&y=2"}, false},
		{"index", `<sitemapindex><sitemap><loc>a</loc></sitemap><sitemap><loc> b </loc></sitemap><url><loc>c</loc></url></sitemapindex>`, sitemapIndex, []string{"a", "b"}, false},
		{"prefixed", `<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>x</sm:loc></sm:url></sm:urlset>`, sitemapURLSet, []string{"x"}, false},
		{"latin1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>https://x/caf\xe9</loc></url></urlset>", sitemapURLSet, []string{"https://x/café"}, false},
		{"cdata and entity", `<urlset><url><loc><![CDATA[https://x/?a=1&b=2]]></loc></url><url><loc>https://x/&eacute;</loc></url></urlset>`, sitemapURLSet, []string{"https://x/?a=1&b=2", "https://x/é"}, false},
		{"empty loc", `<urlset><url><loc>  </loc></url><url><loc>y</loc></url></urlset>`, sitemapURLSet, []string{"y"}, false},
		{"too long", `<urlset><url><loc>` + strings.Repeat("a", 3000) + `</loc></url></urlset>`, sitemapURLSet, nil, false},
		{"truncated", `<urlset><url><loc>a</loc></url><url><loc>b`, sitemapURLSet, []string{"a"}, true},
		{"rss", testRSS, sitemapNone, nil, false},
		{"html", fetchtest.Page, sitemapNone, nil, false},
		{"json", `{"version": "https://jsonfeed.org/version/1"}`, sitemapNone, nil, false},
		{"empty", ``, sitemapNone, nil, false},
	} {
		kind, locs, err := parseSitemap([]byte(c.in))
		if kind != c.kind || !slices.Equal(locs, c.locs) || (err != nil) != c.err {
			t.Errorf("%s: got %v, %q, %v; want %v, %q, error %v", c.name, kind, locs, err, c.kind, c.locs, c.err)
		}
	}

	var many strings.Builder
	many.WriteString("<urlset>")
	for i := range maxSitemapLocs + 10 {
		fmt.Fprintf(&many, "<url><loc>u%d</loc></url>", i)
	}
	many.WriteString("</urlset>")
	if _, locs, err := parseSitemap([]byte(many.String())); len(locs) != maxSitemapLocs || err != nil {
		t.Errorf("oversized sitemap: %d locs, %v", len(locs), err)
	}
}

// FuzzSitemap checks that parseSitemap never panics, returns only trimmed,
// bounded, non-empty locs, and that the locs it returns survive being
// written out as a sitemap and parsed again.
func FuzzSitemap(f *testing.F) {
	for _, s := range []string{
		testURLSet, testRSS, testAtom, fetchtest.Page, "",
		`<sitemapindex><sitemap><loc>https://x/s1.xml</loc></sitemap></sitemapindex>`,
		`<urlset><url><loc>a</loc><loc>b</loc></url><url><x><loc>c</loc></x></url></urlset>`,
		"<?xml version=\"1.0\" encoding=\"windows-1251\"?><urlset><url><loc>\xcf</loc></url></urlset>",
		`<urlset><url><loc>a<b>c</b>d</loc></url></urlset>`,
		`<urlset><url><loc>&#xD;x&#9;</loc></url>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		kind, locs, err := parseSitemap(data)
		if kind == sitemapNone && (len(locs) > 0 || err != nil) {
			t.Fatalf("not a sitemap, yet locs %q, error %v", locs, err)
		}
		if len(locs) > maxSitemapLocs {
			t.Fatalf("%d locs", len(locs))
		}
		for _, l := range locs {
			if l == "" || l != strings.TrimSpace(l) || len(l) > maxLocLen {
				t.Fatalf("bad loc %q", l)
			}
		}
		if len(locs) == 0 {
			return
		}
		var b bytes.Buffer
		parent := "url"
		root := "urlset"
		if kind == sitemapIndex {
			parent, root = "sitemap", "sitemapindex"
		}
		b.WriteString("<" + root + ">")
		for _, l := range locs {
			b.WriteString("<" + parent + "><loc>")
			xml.EscapeText(&b, []byte(l))
			b.WriteString("</loc></" + parent + ">")
		}
		b.WriteString("</" + root + ">")
		kind2, locs2, err := parseSitemap(b.Bytes())
		if kind2 != kind || err != nil || !slices.Equal(locs, locs2) {
			t.Fatalf("round trip of %q: got %v, %q, %v", locs, kind2, locs2, err)
		}
	})
}

func TestScanURLList(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     []string
		badLines []int
		badText  []string
	}{
		{"all good", "https://a.example/\n# c\nhttp://b.example/x\n", []string{"https://a.example/", "http://b.example/x"}, nil, nil},
		{"bad lines kept apart", "https://a.example/\nexample.com/no-scheme\n\nftp://x/y\nhttps://a.example/2\n",
			[]string{"https://a.example/", "https://a.example/2"}, []int{2, 4}, []string{`"example.com/no-scheme": invalid URL`, `"ftp://x/y": invalid URL: scheme "ftp"`}},
		{"only bad", "not a url\n", nil, []int{1}, []string{`"not a url": invalid URL`}},
		{"empty", "", nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, bad, err := ScanURLList(strings.NewReader(tc.in), "list.txt")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("urls = %q, want %q", got, tc.want)
			}
			if len(bad) != len(tc.badLines) {
				t.Fatalf("bad = %v, want lines %v", bad, tc.badLines)
			}
			for i, b := range bad {
				if b.Input != "list.txt" || b.Line != tc.badLines[i] || !errors.Is(b, ErrBadURL) ||
					!strings.Contains(b.Error(), "list.txt:"+fmt.Sprint(tc.badLines[i])+": "+tc.badText[i]) {
					t.Errorf("bad[%d] = %v (line %d), want line %d with %q", i, b, b.Line, tc.badLines[i], tc.badText[i])
				}
			}
		})
	}
	if _, _, err := ScanURLList(strings.NewReader("https://a.example/\n"+strings.Repeat("x", 2<<20)), "l"); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("overlong line: %v", err)
	}
}

// FuzzFeed: parseFeed never panics, and what it returns are absolute http
// or https URLs without fragments, each once; a body it cannot read is
// ErrNotFeed.
func FuzzFeed(f *testing.F) {
	for _, s := range []string{
		testRSS, testAtom, testURLSet, fetchtest.Page, "",
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"/a"},{"id":"https://x/b"}]}`,
		`<rss><channel><item><guid>https://x/g#frag</guid></item><item><link> </link></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="javascript:x"/><link rel="alternate" href="//other/p"/></entry></feed>`,
		"<?xml version=\"1.0\" encoding=\"windows-1251\"?><rss><channel><item><link>/\xcf</link></item></channel></rss>",
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><link>a</link></item></rdf:RDF>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		// A fetched feed's address, and none: a feed saved to a file.
		for _, base := range []string{"https://news.example/feeds/rss.xml", ""} {
			links, err := parseFeed(base, data)
			if err != nil {
				if !errors.Is(err, ErrNotFeed) || links != nil {
					t.Fatalf("base %q: error %v (links %q), want ErrNotFeed and no links", base, err, links)
				}
				return
			}
			seen := map[string]bool{}
			for _, l := range links {
				u, err := url.Parse(l)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" || seen[l] {
					t.Fatalf("base %q: bad or repeated link %q in %q", base, l, links)
				}
				seen[l] = true
			}
		}
	})
}

// TestInputsMixedOrder: paths and URLs in the order given, then the URL
// list (its bad line first), then each feed's articles.
func TestInputsMixedOrder(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/p1": fetchtest.ServePage("text/html", fetchtest.Page),
		"/p2": fetchtest.ServePage("text/html", fetchtest.Page),
		"/p3": fetchtest.ServePage("text/html", fetchtest.Page),
		"/feed": func(w http.ResponseWriter, r *http.Request) {
			fetchtest.ServePage("application/rss+xml", `<rss version="2.0"><channel><item><link>/p3</link></item></channel></rss>`)(w, r)
		},
	})
	dir := t.TempDir()
	a := writeFile(t, dir, "a.txt", "Alpha.")
	b := writeFile(t, dir, "b.txt", "Beta.")
	list := writeFile(t, dir, "urls.txt", "# list\nnot a url\n"+site.URL+"/p2\n")
	in, err := OpenInputs(context.Background(), []string{a, site.URL + "/p1", b}, InputOptions{
		URLList: list, Feeds: []string{site.URL + "/feed"},
		Fetcher: testFetcher(FetchOptions{PerHostDelay: -1}),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var got []string
	err = in.Each(fetchtest.Ctx(t), func(doc Document, err error) error {
		if err != nil {
			var ie *InputError
			errors.As(err, &ie)
			got = append(got, fmt.Sprintf("error %s:%d", ie.Input, ie.Line))
			return nil
		}
		got = append(got, doc.Source)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{a, site.URL + "/p1", b, "error " + list + ":2", site.URL + "/p2", site.URL + "/p3"}
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}

// TestInputsRepeatedIDsAcrossParts: a URL between two dumps splits the
// inputs into parts, each with a Reader of its own; an id of the first
// dump repeated in the second is still skipped, and counted.
func TestInputsRepeatedIDsAcrossParts(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p1": fetchtest.ServePage("text/html", fetchtest.Page)})
	dir := t.TempDir()
	a := writeFile(t, dir, "a.jsonl", `{"id":"x","text":"First."}`+"\n")
	b := writeFile(t, dir, "b.jsonl", `{"id":"y","text":"Other."}`+"\n"+`{"id":"x","text":"Repeat."}`+"\n")
	var dups []string
	in, err := OpenInputs(context.Background(), []string{a, site.URL + "/p1", b}, InputOptions{
		Files:   Options{OnDuplicateID: func(d DuplicateID) { dups = append(dups, d.String()) }},
		Fetcher: testFetcher(FetchOptions{PerHostDelay: -1}),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var got []string
	err = in.Each(fetchtest.Ctx(t), func(doc Document, err error) error {
		if err == nil {
			got = append(got, doc.Source)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{a + "#x", site.URL + "/p1", b + "#y"}
	if !slices.Equal(got, want) || in.DuplicateIDs() != 1 {
		t.Errorf("read %q, %d repeated ids; want %q and 1", got, in.DuplicateIDs(), want)
	}
	if w := b + `:2: id "x" repeats ` + a + ":1; the first record is kept"; len(dups) != 1 || dups[0] != w {
		t.Errorf("repeats reported %q, want %q", dups, w)
	}
}
