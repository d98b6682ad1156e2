package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"redline/internal/fetchtest"
)

func TestNewDefaults(t *testing.T) {
	f := New(Options{})
	if o := f.Options; o.PerHost != 2 || o.PerHostDelay != time.Second || f.Hosts.MaxConcurrent() != 16 ||
		o.Timeout != 30*time.Second || o.Retries != 3 || o.MaxBytes != DefaultMaxBytes ||
		o.MaxRedirects != 10 || o.MaxRetryAfter != time.Minute || o.IgnoreRobots || f.Cache != nil {
		t.Errorf("zero Options gave %+v", o)
	}
	if got, want := f.Options.UserAgent, "redline/dev (+https://github.com/redline-news/redline)"; got != want {
		t.Errorf("UserAgent = %q, want %q", got, want)
	}
	if got := New(Options{Version: "1.2.3"}).Options.UserAgent; !strings.HasPrefix(got, "redline/1.2.3 ") {
		t.Errorf("UserAgent with Version = %q", got)
	}
	f = New(Options{PerHostDelay: -1, Retries: -1, MaxRedirects: -1})
	if o := f.Options; o.PerHostDelay != 0 || o.Retries != 0 || o.MaxRedirects != 0 {
		t.Errorf("negative options gave delay %v, retries %d, redirects %d", o.PerHostDelay, o.Retries, o.MaxRedirects)
	}
}

// TestFetchRetryStatus: 5xx is retried and may succeed; a lasting 503 is a
// *StatusError after every retry; 404 is not retried.
func TestFetchRetryStatus(t *testing.T) {
	var flaky atomic.Int32
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/flaky": func(w http.ResponseWriter, r *http.Request) {
			if flaky.Add(1) == 1 {
				http.Error(w, "oops", http.StatusInternalServerError)
				return
			}
			fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
		},
		"/down": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		},
	})
	f := testFetcher(Options{})
	doc, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/flaky")
	if err != nil || doc.HTML != fetchtest.Page {
		t.Fatalf("500 then 200: got %v, %q", err, doc.HTML)
	}
	if n := site.Hits("/flaky"); n != 2 {
		t.Errorf("/flaky: %d requests, want 2", n)
	}

	_, err = f.Fetch(fetchtest.Ctx(t), site.URL+"/down")
	wantFetchError(t, err, site.URL+"/down", ErrHTTPStatus, "HTTP status 503 Service Unavailable (after 4 attempts)")
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 503 {
		t.Errorf("error %v is not a *StatusError with code 503", err)
	}
	if n := site.Hits("/down"); n != 4 {
		t.Errorf("/down: %d requests, want 4 (3 retries)", n)
	}

	_, err = f.Fetch(fetchtest.Ctx(t), site.URL+"/missing")
	wantFetchError(t, err, site.URL+"/missing", ErrHTTPStatus, "404 Not Found")
	if strings.Contains(err.Error(), "attempts") || site.Hits("/missing") != 1 {
		t.Errorf("404 was retried: %v, %d requests", err, site.Hits("/missing"))
	}
}

// TestFetchRetryAfter: a 429 with Retry-After: 1 is retried after about a
// second, even when the computed backoff would be much longer.
func TestFetchRetryAfter(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
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
			fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
		},
	})
	f := testFetcher(Options{RetryBackoff: time.Hour, MaxRetryAfter: 10 * time.Second})
	start := time.Now()
	doc, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/busy")
	if err != nil || doc.HTML != fetchtest.Page {
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
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
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
	o := Options{RetryBackoff: 10 * time.Millisecond, MaxRetryAfter: 40 * time.Millisecond, Retries: 4}
	clock := useFakeClock(&o)
	f := testFetcher(o)
	_, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/x")
	wantFetchError(t, err, site.URL+"/x", ErrHTTPStatus, "after 5 attempts")
	waits := clock.Sleeps()
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
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/a": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) },
		"/b": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) },
		"/ftp": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "ftp://example.invalid/x", http.StatusFound)
		},
	})
	f := testFetcher(Options{MaxRedirects: 5})
	_, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/a")
	wantFetchError(t, err, site.URL+"/a", ErrRedirects, "too many redirects: more than 5, the last to "+site.URL+"/a")
	if n := site.Hits("/a") + site.Hits("/b"); n != 6 {
		t.Errorf("%d requests in the loop, want 6", n)
	}
	_, err = f.Fetch(fetchtest.Ctx(t), site.URL+"/ftp")
	wantFetchError(t, err, site.URL+"/ftp", ErrBadURL, "ftp")
}

// TestFetchPerHostDelay: request starts to one host are PerHostDelay apart
// even when PerHost allows them at once.
func TestFetchPerHostDelay(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/p": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
		},
	})
	f := testFetcher(Options{PerHost: 4, PerHostDelay: 80 * time.Millisecond, IgnoreRobots: true})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			if _, err := f.Fetch(fetchtest.Ctx(t), fmt.Sprintf("%s/p?%d", site.URL, i)); err != nil {
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
	f = testFetcher(Options{PerHost: 4, PerHostDelay: 80 * time.Millisecond,
		Now: func() time.Time { return now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			return nil
		}})
	for range 4 {
		release, err := f.Hosts.Acquire(fetchtest.Ctx(t), "http://example.test")
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
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": fetchtest.ServePage("text/html", fetchtest.Page)})
	f := testFetcher(Options{Version: "1.2.3"})
	if _, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/p"); err != nil {
		t.Fatal(err)
	}
	want := "redline/1.2.3 (+https://github.com/redline-news/redline)"
	if uas := site.UserAgents(); len(uas) != 2 || uas[0] != want || uas[1] != want {
		t.Errorf("User-Agent headers %q, want 2 × %q (robots.txt, page)", uas, want)
	}
	f = testFetcher(Options{UserAgent: "redline-test/0 (research)"})
	if _, err := f.Fetch(fetchtest.Ctx(t), site.URL+"/p"); err != nil {
		t.Fatal(err)
	}
	if uas := site.UserAgents(); uas[len(uas)-1] != "redline-test/0 (research)" {
		t.Errorf("custom User-Agent sent as %q", uas[len(uas)-1])
	}
}

// TestFetchCancel: cancelling the context stops a fetch at once, with the
// context's error rather than an *urlError.
func TestFetchCancel(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		},
	})
	f := testFetcher(Options{IgnoreRobots: true})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := f.Fetch(ctx, site.URL+"/slow")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	var ie *urlError
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
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/p": fetchtest.ServePage("text/html", fetchtest.Page),
		"/robots.txt": func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(20 * time.Millisecond)
			io.WriteString(w, "User-agent: *\nDisallow: /private\n")
		},
	})
	f := testFetcher(Options{PerHost: 8, CacheDir: t.TempDir()})
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			if _, err := f.Fetch(fetchtest.Ctx(t), fmt.Sprintf("%s/p?%d", site.URL, i%10)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := site.Hits("/robots.txt"); n != 1 {
		t.Errorf("robots.txt fetched %d times, want once", n)
	}
	if err := f.Cache.Err(); err != nil {
		t.Error(err)
	}
}

// TestFetchDeadline: Options.Deadline bounds a URL in all, retries,
// waits and robots.txt included, but not the wait for a free slot before
// its first request.
func TestFetchDeadline(t *testing.T) {
	var robotsCalls atomic.Int32
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/slow":      stall,
		"/slow-body": stallBody,
		"/down": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down", http.StatusServiceUnavailable)
		},
		"/page":  fetchtest.ServePage("text/html", fetchtest.Page),
		"/page2": fetchtest.ServePage("text/html", fetchtest.Page),
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
		opts     Options
		path     string
		sub      string // in the error
		maxHits  int
		maxSpent time.Duration
	}{
		{"headers never come", Options{IgnoreRobots: true}, "/slow", "timed out after 300ms", 1, 2 * time.Second},
		{"body stalls", Options{IgnoreRobots: true}, "/slow-body", "timed out after 300ms", 1, 2 * time.Second},
		{"retries stop at the deadline", Options{IgnoreRobots: true, RetryBackoff: 200 * time.Millisecond, Retries: 10},
			"/down", "timed out after 300ms (last attempt: HTTP status 503 Service Unavailable", 3, 2 * time.Second},
		{"a slow robots.txt counts", Options{}, "/page", "timed out after 300ms", 0, 2 * time.Second},
		{"the robots.txt that timed out is asked again", Options{}, "/page", "", 1, 2 * time.Second},
	}
	var f pageFetcher
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(tc.name, "asked again") {
				tc.opts.Deadline = deadline
				f = testFetcher(tc.opts)
			}
			before := site.Hits(tc.path)
			start := time.Now()
			_, err := f.Fetch(fetchtest.Ctx(t), site.URL+tc.path)
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
			if hits := site.Hits(tc.path) - before; hits > tc.maxHits || (tc.maxHits > 0 && hits == 0) {
				t.Errorf("%d requests, want 1 to %d", hits, tc.maxHits)
			}
		})
	}

	// Queueing behind other URLs of the host is not part of the deadline.
	f = testFetcher(Options{IgnoreRobots: true, PerHost: 1, PerHostDelay: 200 * time.Millisecond, Deadline: deadline})
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i, p := range []string{"/page", "/page2", "/page"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.Fetch(fetchtest.Ctx(t), site.URL+p)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("queued fetch %d: %v", i, err)
		}
	}
}

// TestFetchErrorsSayWhat: each failure names what happened; a host that
// is down, a DNS failure or a broken robots.txt is never a robots.txt
// disallow.
func TestFetchErrorsSayWhat(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/robots.txt": fetchtest.ServeRobots("User-agent: *\nDisallow: /private/\n"),
		"/private/a":  fetchtest.ServePage("text/html", fetchtest.Page),
		"/gone": func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "gone", http.StatusGone)
		},
	})
	badRobots := fetchtest.NewSite(t, map[string]http.HandlerFunc{
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
	down := "http://" + fetchtest.ClosedPort(t)
	tests := []struct {
		name   string
		opts   Options
		url    string
		want   error
		sub    string
		robots bool // whether the error may match ErrRobots
	}{
		{"host down, robots.txt first", Options{Retries: 1}, down + "/news/1", ErrUnreachable, "connection refused", false},
		{"host down, no robots.txt", Options{Retries: 1, IgnoreRobots: true}, down + "/news/1", ErrUnreachable, "host down or unreachable: ", false},
		{"DNS failure", Options{Client: noDNS}, "http://news.invalid/a", ErrDNS, "DNS lookup failed: dial tcp: lookup news.invalid: no such host", false},
		{"robots.txt disallows", Options{}, site.URL + "/private/a", ErrRobots, "disallowed by robots.txt: /private/a is forbidden", true},
		{"robots.txt answers 429", Options{Retries: -1}, badRobots.URL + "/a", ErrRobotsUnavailable, "HTTP status 429 Too Many Requests (fetching robots.txt", false},
		{"HTTP status", Options{}, site.URL + "/gone", ErrHTTPStatus, "HTTP status 410 Gone", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := testFetcher(tc.opts)
			_, err := f.Fetch(fetchtest.Ctx(t), tc.url)
			t.Log(err)
			wantFetchError(t, err, tc.url, tc.want, tc.sub)
			if !tc.robots && (errors.Is(err, ErrRobots) || strings.Contains(err.Error(), "disallowed")) {
				t.Errorf("%v reported as a robots.txt disallow", err)
			}
		})
	}
	// The unreachable robots.txt is remembered: a second URL of the host
	// fails at once with the same reason.
	f := testFetcher(Options{Retries: 1})
	for i := range 2 {
		_, err := f.Fetch(fetchtest.Ctx(t), down+"/news/"+fmt.Sprint(i))
		wantFetchError(t, err, down+"/news/"+fmt.Sprint(i), ErrRobotsUnavailable, "connection refused")
	}
}
