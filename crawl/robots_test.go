package crawl

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"redline/internal/fetchtest"
)

// TestRobotsDisallow: a path robots.txt forbids is refused without a
// request, another is fetched, IgnoreRobots fetches both, and robots.txt
// is fetched once per host.
func TestRobotsDisallow(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": fetchtest.ServeRobots("User-agent: *\nDisallow: /private\n"),
		"/private/a":  fetchtest.ServePage("text/html", fetchtest.Page),
		"/public/b":   fetchtest.ServePage("text/html", fetchtest.Page),
		"/to-private": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/private/a", http.StatusFound)
		},
	})
	f := testFetcher(Options{})
	ctx := fetchtest.Ctx(t)
	_, err := f.Fetch(ctx, site.URL+"/private/a")
	wantFetchError(t, err, site.URL+"/private/a", ErrRobots, "disallowed by robots.txt: /private/a is forbidden")
	if _, err := f.Fetch(ctx, site.URL+"/public/b"); err != nil {
		t.Errorf("allowed path: %v", err)
	}
	// A redirect into a forbidden path is refused too.
	_, err = f.Fetch(ctx, site.URL+"/to-private")
	wantFetchError(t, err, site.URL+"/to-private", ErrRobots, "redirected to "+site.URL+"/private/a")
	if n := site.Hits("/private/a"); n != 0 {
		t.Errorf("forbidden path requested %d times", n)
	}
	if n := site.Hits("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once", n)
	}

	ignoring := testFetcher(Options{IgnoreRobots: true})
	if _, err := ignoring.Fetch(ctx, site.URL+"/private/a"); err != nil {
		t.Errorf("IgnoreRobots: %v", err)
	}
	if n := site.Hits("/robots.txt"); n != 1 {
		t.Errorf("IgnoreRobots still fetched robots.txt (%d fetches)", n)
	}
}

// TestRobotsAgentGroup: a group naming redline wins over the * group.
func TestRobotsAgentGroup(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": fetchtest.ServeRobots("User-agent: *\nAllow: /\n\nUser-agent: Redline\nDisallow: /news/\n"),
		"/news/1":     fetchtest.ServePage("text/html", fetchtest.Page),
		"/about":      fetchtest.ServePage("text/html", fetchtest.Page),
	})
	f := testFetcher(Options{})
	_, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/news/1")
	wantFetchError(t, err, site.URL+"/news/1", ErrRobots, "/news/1")
	if _, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/about"); err != nil {
		t.Error(err)
	}
}

// TestRobotsUnavailable: a robots.txt answering 5xx or not answering
// keeps the host from being fetched for the run, with the reason (not as a
// disallow); 4xx allows everything.
func TestRobotsUnavailable(t *testing.T) {
	broken := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "oops", http.StatusInternalServerError)
		},
		"/p": fetchtest.ServePage("text/html", fetchtest.Page),
	})
	forbidden := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", http.StatusForbidden)
		},
		"/p": fetchtest.ServePage("text/html", fetchtest.Page),
	})
	f := testFetcher(Options{Retries: 1})
	for range 2 {
		_, err := f.Fetch(fetchtest.Ctx(t), broken.URL+"/p")
		wantFetchError(t, err, broken.URL+"/p", ErrRobotsUnavailable, "HTTP status 500 Internal Server Error (after 2 attempts) (fetching robots.txt")
		if errors.Is(err, ErrRobots) || strings.Contains(err.Error(), "disallowed") {
			t.Errorf("an unavailable robots.txt reported as a disallow: %v", err)
		}
	}
	if n := broken.Hits("/p"); n != 0 {
		t.Errorf("page of a host with a broken robots.txt requested %d times", n)
	}
	if n := broken.Hits("/robots.txt"); n != 2 {
		t.Errorf("broken robots.txt requested %d times, want 2 (one retry, then remembered)", n)
	}
	if _, err := f.Fetch(fetchtest.Ctx(t), forbidden.URL+"/p"); err != nil {
		t.Errorf("robots.txt 403 should allow all: %v", err)
	}
}

// TestRobotsCrawlDelay: a Crawl-delay longer than PerHostDelay spaces the
// requests to that host.
func TestRobotsCrawlDelay(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": fetchtest.ServeRobots("User-agent: *\nCrawl-delay: 2\n"),
		"/p":          fetchtest.ServePage("text/html", fetchtest.Page),
	})
	var o Options
	clock := useFakeClock(&o)
	f := testFetcher(o)
	for range 2 {
		if _, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/p"); err != nil {
			t.Fatal(err)
		}
	}
	// robots.txt and the first page start at once (no PerHostDelay); the
	// second page waits for the Crawl-delay.
	if waits := clock.Sleeps(); !slices.Equal(waits, []time.Duration{2 * time.Second}) {
		t.Errorf("waits %v, want one of 2s", waits)
	}
}

// TestRobotsCancelledFetch: when the goroutine fetching a robots.txt is
// cancelled, the next caller fetches it again instead of inheriting the
// failure.
func TestRobotsCancelledFetch(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			first := false
			once.Do(func() { first = true })
			if first {
				select {
				case <-r.Context().Done():
				case <-release:
				}
				return
			}
			io.WriteString(w, "User-agent: *\nDisallow:\n")
		},
		"/p": fetchtest.ServePage("text/html", fetchtest.Page),
	})
	defer close(release)
	f := testFetcher(Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := f.Fetch(ctx, site.URL+"/p"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's error", err)
	}
	if _, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/p"); err != nil {
		t.Errorf("after a cancelled robots.txt fetch: %v", err)
	}
}

// TestRobots: Robots over HTTP on loopback servers, one robots.txt per
// case: what is allowed, what is disallowed, and when the host is off
// limits because its robots.txt could not be had.
func TestRobots(t *testing.T) {
	status := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Error(w, "x", code) }
	}
	tests := []struct {
		name   string
		robots http.HandlerFunc // nil: 404
		path   string
		want   error
		sub    string
	}{
		{"no robots.txt allows all", nil, "/news/1", nil, ""},
		{"allowed path", fetchtest.ServeRobots("User-agent: *\nDisallow: /private\n"), "/news/1", nil, ""},
		{"disallowed path", fetchtest.ServeRobots("User-agent: *\nDisallow: /news\n"), "/news/1", ErrRobots, "disallowed by robots.txt: /news/1 is forbidden"},
		{"query counts", fetchtest.ServeRobots("User-agent: *\nDisallow: /*?print\n"), "/news/1?print=1", ErrRobots, "/news/1?print=1"},
		{"the redline group wins", fetchtest.ServeRobots("User-agent: *\nDisallow: /\n\nUser-agent: redline\nAllow: /\n"), "/news/1", nil, ""},
		{"disallow all", fetchtest.ServeRobots("User-agent: *\nDisallow: /\n"), "/", ErrRobots, "/ is forbidden"},
		{"403 allows all", status(http.StatusForbidden), "/news/1", nil, ""},
		{"500 closes the host", status(http.StatusInternalServerError), "/news/1", ErrRobotsUnavailable, "HTTP status 500 Internal Server Error (fetching robots.txt, so no page of the host is fetched)"},
		{"429 closes the host", status(http.StatusTooManyRequests), "/news/1", ErrRobotsUnavailable, "429"},
		{"redirected robots.txt is followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/real-robots.txt", http.StatusMovedPermanently)
		}, "/news/1", ErrRobots, "/news/1 is forbidden"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			routes := map[string]http.HandlerFunc{
				"/news/1":          fetchtest.ServePage("text/html", fetchtest.Page),
				"/":                fetchtest.ServePage("text/html", fetchtest.Page),
				"/real-robots.txt": fetchtest.ServeRobots("User-agent: *\nDisallow: /news/\n"),
			}
			if tc.robots != nil {
				routes["/robots.txt"] = tc.robots
			}
			site := fetchtest.NewSite(t, routes)
			r := NewRobots(testHTTP(), Agent, nil)
			for range 2 { // the second answer comes from the kept rules
				res, err := r.Fetch(fetchtest.Ctx(t), mustURL(t, site.URL+tc.path))
				wantErr(t, err, tc.want, tc.sub)
				if errors.Is(err, ErrRobotsUnavailable) && errors.Is(err, ErrRobots) {
					t.Errorf("an unavailable robots.txt reported as a disallow: %v", err)
				}
				if err == nil && string(res.Body) != fetchtest.Page {
					t.Errorf("body %q", res.Body)
				}
			}
			if n := site.Hits("/robots.txt"); n != 1 {
				t.Errorf("robots.txt fetched %d times, want once", n)
			}
			if tc.want != nil && site.Hits(tc.path) != 0 {
				t.Errorf("%s requested though refused", tc.path)
			}
		})
	}
}

// TestRobotsCrawlDelayTable: the Crawl-delay of the redline group, capped
// at 30s, slows the host down in Hosts; a shorter one than Delay changes
// nothing.
func TestRobotsCrawlDelayTable(t *testing.T) {
	for _, tc := range []struct {
		robots string
		delay  time.Duration
		want   time.Duration
	}{
		{"User-agent: *\nCrawl-delay: 2\n", 0, 2 * time.Second},
		{"User-agent: *\nCrawl-delay: 600\n", 0, 30 * time.Second},
		{"User-agent: *\nCrawl-delay: 1\n", 3 * time.Second, 3 * time.Second},
		{"User-agent: other\nCrawl-delay: 5\n", time.Second, time.Second},
		{"User-agent: *\n", 0, 0},
	} {
		site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/robots.txt": fetchtest.ServeRobots(tc.robots), "/p": fetchtest.ServePage("text/html", fetchtest.Page)})
		var o Options
		clock := useFakeClock(&o)
		hosts := NewHosts(HostOptions{Delay: tc.delay, Now: o.Now, Sleep: o.Sleep})
		r := NewRobots(&Paced{Next: testHTTP(), Hosts: hosts}, Agent, hosts)
		for range 2 {
			if _, err := r.Fetch(fetchtest.Ctx(t), mustURL(t, site.URL+"/p")); err != nil {
				t.Fatal(err)
			}
		}
		// Three requests (robots.txt and two pages), the first at once.
		var want []time.Duration
		if tc.want > 0 {
			want = []time.Duration{tc.want, tc.want}
			if tc.delay != tc.want {
				// The robots.txt and the first page start Delay apart, before
				// the Crawl-delay is known.
				want = []time.Duration{tc.delay, tc.want}
				if tc.delay == 0 {
					want = want[1:]
				}
			}
		}
		if got := clock.Sleeps(); !slices.Equal(got, want) {
			t.Errorf("%q with Delay %v: waits %v, want %v", tc.robots, tc.delay, got, want)
		}
	}
}
