package crawl

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"redline/internal/fetchtest"
)

// TestCacheHit: with CacheDir, the second fetch of a URL, by the same or a
// new chain, makes no request and gives the same response, Content-Type
// (and so its charset) included.
func TestCacheHit(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/p": fetchtest.ServePage("text/html; charset=windows-1251", "<p>\xcf\xf0\xe8\xe2\xe5\xf2</p>"),
		"/old": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/p", http.StatusMovedPermanently)
		},
	})
	dir := t.TempDir()
	f := testFetcher(Options{CacheDir: dir})
	first, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/p")
	if err != nil {
		t.Fatal(err)
	}
	if first.HTML != "<p>\xcf\xf0\xe8\xe2\xe5\xf2</p>" {
		t.Errorf("body %q", first.HTML)
	}
	second, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/p")
	if err != nil || second != first {
		t.Errorf("cached fetch: %+v, %v; want %+v", second, err, first)
	}
	third, err := testFetcher(Options{CacheDir: dir}).Fetch(fetchtest.Ctx(t), site.URL+"/p")
	if err != nil || third != first {
		t.Errorf("new Fetcher, same cache: %+v, %v", third, err)
	}
	res, err := testFetcher(Options{CacheDir: dir}).Chain.Fetch(fetchtest.Ctx(t), mustURL(t, site.URL+"/p"))
	if err != nil || !res.Cached || res.ContentType != "text/html; charset=windows-1251" {
		t.Errorf("cached response: %+v, %v", res, err)
	}
	if n := site.Hits("/p"); n != 1 {
		t.Errorf("%d requests for /p, want 1", n)
	}
	if n := site.Hits("/robots.txt"); n != 1 {
		t.Errorf("%d requests for robots.txt, want 1 (cache hits need none)", n)
	}

	// A redirected URL keeps its final URL in the cache.
	d1, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/old")
	if err != nil {
		t.Fatal(err)
	}
	d2, err := testFetcher(Options{CacheDir: dir}).Fetch(fetchtest.Ctx(t), site.URL+"/old")
	if err != nil || d2 != d1 || d2.URL != site.URL+"/p" || d2.Source != site.URL+"/old" {
		t.Errorf("cached redirect: %+v, %v", d2, err)
	}
	if n := site.Hits("/old"); n != 1 {
		t.Errorf("%d requests for /old, want 1", n)
	}
	if err := f.Cache.Err(); err != nil {
		t.Error(err)
	}
}

// TestCacheRefresh: with Refresh, a cached page is revalidated with
// If-None-Match or If-Modified-Since; 304 serves the cache, 200 replaces
// it.
func TestCacheRefresh(t *testing.T) {
	var version atomic.Int32
	version.Store(1)
	var conditional, notModified atomic.Int32
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/etag": func(w http.ResponseWriter, r *http.Request) {
			etag := `"v` + string(rune('0'+version.Load())) + `"`
			if r.Header.Get("If-None-Match") != "" {
				conditional.Add(1)
			}
			if r.Header.Get("If-None-Match") == etag {
				notModified.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			fetchtest.ServePage("text/html", "<p>version "+etag+"</p>")(w, r)
		},
		"/lastmod": func(w http.ResponseWriter, r *http.Request) {
			const lm = "Mon, 03 Mar 2025 10:00:00 GMT"
			if r.Header.Get("If-Modified-Since") == lm {
				notModified.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("Last-Modified", lm)
			fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
		},
	})
	dir := t.TempDir()
	first, err := testFetcher(Options{CacheDir: dir}).Fetch(fetchtest.Ctx(t), site.URL+"/etag")
	if err != nil {
		t.Fatal(err)
	}
	refresh := testFetcher(Options{CacheDir: dir, Refresh: true})
	again, err := refresh.Fetch(fetchtest.Ctx(t), site.URL+"/etag")
	if err != nil || again != first {
		t.Errorf("after 304: %+v, %v; want %+v", again, err, first)
	}
	if site.Hits("/etag") != 2 || conditional.Load() != 1 || notModified.Load() != 1 {
		t.Errorf("requests %d, conditional %d, 304s %d; want 2, 1, 1",
			site.Hits("/etag"), conditional.Load(), notModified.Load())
	}

	// The page changes: 200 with the new version, which replaces the cache.
	version.Store(2)
	changed, err := refresh.Fetch(fetchtest.Ctx(t), site.URL+"/etag")
	if err != nil || !strings.Contains(changed.HTML, `"v2"`) || changed.URL != first.URL {
		t.Errorf("changed page: %+v, %v", changed, err)
	}
	cached, err := testFetcher(Options{CacheDir: dir}).Fetch(fetchtest.Ctx(t), site.URL+"/etag")
	if err != nil || cached != changed {
		t.Errorf("cache not replaced: %+v, %v", cached, err)
	}

	notModified.Store(0)
	if _, err := testFetcher(Options{CacheDir: dir}).Fetch(fetchtest.Ctx(t), site.URL+"/lastmod"); err != nil {
		t.Fatal(err)
	}
	doc, err := refresh.Fetch(fetchtest.Ctx(t), site.URL+"/lastmod")
	if err != nil || doc.HTML != fetchtest.Page || notModified.Load() != 1 {
		t.Errorf("If-Modified-Since: %v, %d 304s", err, notModified.Load())
	}
}

// TestCacheCorrupt: a damaged cache file is a miss, replaced by a fetch.
func TestCacheCorrupt(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": fetchtest.ServePage("text/html", fetchtest.Page)})
	dir := t.TempDir()
	f := testFetcher(Options{CacheDir: dir})
	if _, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/p"); err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".cache") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 1 {
		t.Fatalf("cache files %v, want 1", files)
	}
	for i, damage := range []func([]byte) []byte{
		func(b []byte) []byte { return b[:len(b)-3] },                       // truncated body
		func(b []byte) []byte { return append(b, "extra"...) },              // trailing bytes
		func(b []byte) []byte { return []byte("garbage") },                  // not a cache file
		func(b []byte) []byte { return b[len("redline-fetch-cache 1\n"):] }, // no magic
	} {
		b, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(files[0], damage(b), 0o644); err != nil {
			t.Fatal(err)
		}
		doc, err := testFetcher(Options{CacheDir: dir}).Fetch(fetchtest.Ctx(t), site.URL+"/p")
		if err != nil || doc.HTML != fetchtest.Page {
			t.Errorf("damage %d: %v, %q", i, err, doc.HTML)
		}
		if n := site.Hits("/p"); n != i+2 {
			t.Errorf("damage %d: %d requests, want %d", i, n, i+2)
		}
	}
}

// TestCacheUnwritable: a cache folder that cannot be written does not fail
// fetches; CacheErr reports it.
func TestCacheUnwritable(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": fetchtest.ServePage("text/html", fetchtest.Page)})
	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f := testFetcher(Options{CacheDir: file})
	if _, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/p"); err != nil {
		t.Fatal(err)
	}
	if err := f.Cache.Err(); err == nil || !strings.Contains(err.Error(), "not-a-folder") {
		t.Errorf("CacheErr = %v", err)
	}
}

// TestCache: Cache over HTTP on a loopback server, two fetches of one URL
// per case: when the second is answered from the folder, revalidated, or
// passed through.
func TestCache(t *testing.T) {
	var version atomic.Int32
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/page": fetchtest.ServePage("text/html", fetchtest.Page),
		"/etag": func(w http.ResponseWriter, r *http.Request) {
			etag := `"` + strconv.Itoa(int(version.Load())) + `"`
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", etag)
			fetchtest.ServePage("text/html", "<rss>"+etag+"</rss>")(w, r)
		},
		"/robots.txt": fetchtest.ServeRobots("User-agent: *\n"),
		"/flaky": func(w http.ResponseWriter, r *http.Request) {
			if version.Add(1) == 1 {
				http.Error(w, "x", http.StatusInternalServerError)
				return
			}
			fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
		},
	})
	tests := []struct {
		name       string
		path       string
		kind       Kind
		refresh    bool
		bump       bool // the resource changes between the fetches
		hits       int  // requests for the two fetches
		cached     bool // the second answer is from the cache
		secondBody string
	}{
		{"page from the cache", "/page", Page, false, false, 1, true, fetchtest.Page},
		{"page revalidated with Refresh, 304", "/etag", Page, true, false, 2, true, `<rss>"0"</rss>`},
		{"page revalidated with Refresh, changed", "/etag", Page, true, true, 2, false, `<rss>"1"</rss>`},
		{"feed always revalidated", "/etag", Feed, false, false, 2, true, `<rss>"0"</rss>`},
		{"robots.txt not cached", "/robots.txt", RobotsTxt, false, false, 2, false, "User-agent: *\n"},
		{"a failure is not stored", "/flaky", Page, false, false, 2, false, fetchtest.Page},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			version.Store(0)
			before := site.Hits(tc.path)
			c := NewCache(testHTTP(), t.TempDir(), tc.refresh, DefaultMaxBytes, nil)
			req := mustURL(t, site.URL+tc.path)
			req.Kind = tc.kind
			c.Fetch(fetchtest.Ctx(t), req)
			if tc.bump {
				version.Add(1)
			}
			res, err := c.Fetch(fetchtest.Ctx(t), req)
			if err != nil {
				t.Fatal(err)
			}
			if hits := site.Hits(tc.path) - before; hits != tc.hits {
				t.Errorf("%d requests, want %d", hits, tc.hits)
			}
			if res.Cached != tc.cached || string(res.Body) != tc.secondBody {
				t.Errorf("second answer cached %v, body %q; want %v, %q", res.Cached, res.Body, tc.cached, tc.secondBody)
			}
			if err := c.Err(); err != nil {
				t.Error(err)
			}
		})
	}
}
