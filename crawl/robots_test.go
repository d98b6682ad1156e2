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
)

// TestRobotsDisallow: a path robots.txt forbids is refused without a
// request, another is fetched, IgnoreRobots fetches both, and robots.txt
// is fetched once per host.
func TestRobotsDisallow(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/robots.txt": serveRobots("User-agent: *\nDisallow: /private\n"),
		"/private/a":  servePage("text/html", testPage),
		"/public/b":   servePage("text/html", testPage),
		"/to-private": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/private/a", http.StatusFound)
		},
	})
	f := testFetcher(Options{})
	ctx := fetchCtx(t)
	_, err := f.Fetch(ctx, site.URL+"/private/a")
	wantFetchError(t, err, site.URL+"/private/a", ErrRobots, "disallowed by robots.txt: /private/a is forbidden")
	if _, err := f.Fetch(ctx, site.URL+"/public/b"); err != nil {
		t.Errorf("allowed path: %v", err)
	}
	// A redirect into a forbidden path is refused too.
	_, err = f.Fetch(ctx, site.URL+"/to-private")
	wantFetchError(t, err, site.URL+"/to-private", ErrRobots, "redirected to "+site.URL+"/private/a")
	if n := site.hitCount("/private/a"); n != 0 {
		t.Errorf("forbidden path requested %d times", n)
	}
	if n := site.hitCount("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once", n)
	}

	ignoring := testFetcher(Options{IgnoreRobots: true})
	if _, err := ignoring.Fetch(ctx, site.URL+"/private/a"); err != nil {
		t.Errorf("IgnoreRobots: %v", err)
	}
	if n := site.hitCount("/robots.txt"); n != 1 {
		t.Errorf("IgnoreRobots still fetched robots.txt (%d fetches)", n)
	}
}

// TestRobotsAgentGroup: a group naming redline wins over the * group.
func TestRobotsAgentGroup(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/robots.txt": serveRobots("User-agent: *\nAllow: /\n\nUser-agent: Redline\nDisallow: /news/\n"),
		"/news/1":     servePage("text/html", testPage),
		"/about":      servePage("text/html", testPage),
	})
	f := testFetcher(Options{})
	_, err := f.Fetch(fetchCtx(t), site.URL+"/news/1")
	wantFetchError(t, err, site.URL+"/news/1", ErrRobots, "/news/1")
	if _, err := f.Fetch(fetchCtx(t), site.URL+"/about"); err != nil {
		t.Error(err)
	}
}

// TestRobotsUnavailable: a robots.txt answering 5xx or not answering
// keeps the host from being fetched for the run, with the reason (not as a
// disallow); 4xx allows everything.
func TestRobotsUnavailable(t *testing.T) {
	broken := newTestSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "oops", http.StatusInternalServerError)
		},
		"/p": servePage("text/html", testPage),
	})
	forbidden := newTestSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "no", http.StatusForbidden)
		},
		"/p": servePage("text/html", testPage),
	})
	f := testFetcher(Options{Retries: 1})
	for range 2 {
		_, err := f.Fetch(fetchCtx(t), broken.URL+"/p")
		wantFetchError(t, err, broken.URL+"/p", ErrRobotsUnavailable, "HTTP status 500 Internal Server Error (after 2 attempts) (fetching robots.txt")
		if errors.Is(err, ErrRobots) || strings.Contains(err.Error(), "disallowed") {
			t.Errorf("an unavailable robots.txt reported as a disallow: %v", err)
		}
	}
	if n := broken.hitCount("/p"); n != 0 {
		t.Errorf("page of a host with a broken robots.txt requested %d times", n)
	}
	if n := broken.hitCount("/robots.txt"); n != 2 {
		t.Errorf("broken robots.txt requested %d times, want 2 (one retry, then remembered)", n)
	}
	if _, err := f.Fetch(fetchCtx(t), forbidden.URL+"/p"); err != nil {
		t.Errorf("robots.txt 403 should allow all: %v", err)
	}
}

// TestRobotsCrawlDelay: a Crawl-delay longer than PerHostDelay spaces the
// requests to that host.
func TestRobotsCrawlDelay(t *testing.T) {
	site := newTestSite(t, map[string]http.HandlerFunc{
		"/robots.txt": serveRobots("User-agent: *\nCrawl-delay: 2\n"),
		"/p":          servePage("text/html", testPage),
	})
	var o Options
	clock := useFakeClock(&o)
	f := testFetcher(o)
	for range 2 {
		if _, err := f.Fetch(fetchCtx(t), site.URL+"/p"); err != nil {
			t.Fatal(err)
		}
	}
	// robots.txt and the first page start at once (no PerHostDelay); the
	// second page waits for the Crawl-delay.
	if waits := clock.sleeps(); !slices.Equal(waits, []time.Duration{2 * time.Second}) {
		t.Errorf("waits %v, want one of 2s", waits)
	}
}

// TestRobotsCancelledFetch: when the goroutine fetching a robots.txt is
// cancelled, the next caller fetches it again instead of inheriting the
// failure.
func TestRobotsCancelledFetch(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	site := newTestSite(t, map[string]http.HandlerFunc{
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
		"/p": servePage("text/html", testPage),
	})
	defer close(release)
	f := testFetcher(Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := f.Fetch(ctx, site.URL+"/p"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's error", err)
	}
	if _, err := f.Fetch(fetchCtx(t), site.URL+"/p"); err != nil {
		t.Errorf("after a cancelled robots.txt fetch: %v", err)
	}
}
