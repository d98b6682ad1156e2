package crawl

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"redline/internal/fetchtest"
)

// TestRetry: Retry over HTTP on a loopback server repeats only what
// Retryable marks, waits with backoff or as Retry-After asks (capped), and
// says how many attempts were made.
func TestRetry(t *testing.T) {
	tests := []struct {
		name       string
		fails      int    // answers before a success
		status     int    // of the failing answers
		retryAfter string // their Retry-After
		retries    int
		hosts      bool // Retry-After pushes back Hosts instead of sleeping
		hits       int
		want       error
		sub        string
		waits      []time.Duration // exact waits; nil checks only the count
		nwaits     int
	}{
		{name: "success at once", retries: 3, hits: 1},
		{name: "500 then success", fails: 1, status: 500, retries: 3, hits: 2, nwaits: 1},
		{name: "lasting 503", fails: 99, status: 503, retries: 2, hits: 3, want: ErrHTTPStatus, sub: "HTTP status 503 Service Unavailable (after 3 attempts)", nwaits: 2},
		{name: "404 is not retried", fails: 99, status: 404, retries: 3, hits: 1, want: ErrHTTPStatus, sub: "404 Not Found"},
		{name: "no retries", fails: 99, status: 500, retries: 0, hits: 1, want: ErrHTTPStatus, sub: "500 Internal Server Error"},
		{name: "Retry-After is slept", fails: 1, status: 429, retryAfter: "2", retries: 1, hits: 2, waits: []time.Duration{2 * time.Second}},
		{name: "Retry-After is capped", fails: 1, status: 429, retryAfter: "3600", retries: 1, hits: 2, waits: []time.Duration{time.Minute}},
		{name: "Retry-After holds back the host", fails: 1, status: 503, retryAfter: "2", retries: 1, hosts: true, hits: 2, waits: []time.Duration{2 * time.Second}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": func(w http.ResponseWriter, r *http.Request) {
				if int(n.Add(1)) <= tc.fails {
					if tc.retryAfter != "" {
						w.Header().Set("Retry-After", tc.retryAfter)
					}
					http.Error(w, strconv.Itoa(tc.status), tc.status)
					return
				}
				fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
			}})
			var o Options
			clock := useFakeClock(&o)
			var next Fetcher = testHTTP()
			var hosts *Hosts
			if tc.hosts {
				hosts = NewHosts(HostOptions{Now: o.Now, Sleep: o.Sleep})
				next = &Paced{Next: next, Hosts: hosts}
			}
			r := &Retry{Next: next, Retries: tc.retries, Backoff: time.Second, MaxWait: time.Minute, Hosts: hosts, Now: o.Now, Sleep: o.Sleep}
			res, err := r.Fetch(fetchtest.Ctx(t), mustURL(t, site.URL+"/p"))
			wantErr(t, err, tc.want, tc.sub)
			if err == nil && string(res.Body) != fetchtest.Page {
				t.Errorf("body %q", res.Body)
			}
			if h := site.Hits("/p"); h != tc.hits {
				t.Errorf("%d requests, want %d", h, tc.hits)
			}
			waits := clock.Sleeps()
			if tc.waits != nil && !slices.Equal(waits, tc.waits) {
				t.Errorf("waits %v, want %v", waits, tc.waits)
			}
			if tc.waits == nil && len(waits) != tc.nwaits {
				t.Errorf("waits %v, want %d", waits, tc.nwaits)
			}
			for _, w := range waits {
				if tc.retryAfter == "" && (w < 500*time.Millisecond || w > 2*time.Second) {
					t.Errorf("backoff %v outside 0.5s..2s", w)
				}
			}
		})
	}
}

// TestRetryCancel: a cancelled context ends the retries with its error.
func TestRetryCancel(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}})
	ctx, cancel := context.WithCancel(context.Background())
	r := &Retry{Next: testHTTP(), Retries: 5, Backoff: time.Hour, MaxWait: time.Hour,
		Sleep: func(ctx context.Context, d time.Duration) error { cancel(); return Sleep(ctx, d) }}
	if _, err := r.Fetch(ctx, mustURL(t, site.URL+"/p")); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if n := site.Hits("/p"); n != 1 {
		t.Errorf("%d requests after the cancel, want 1", n)
	}
}

// fetchFunc is a Fetcher written as a function.
type fetchFunc func(ctx context.Context, req *Request) (*Response, error)

func (f fetchFunc) Fetch(ctx context.Context, req *Request) (*Response, error) { return f(ctx, req) }

// TestRetryDeadlineDuringAttempt: when the URL's time runs out during a
// retry, the error still says why it was retried (the failure of the
// attempt before), whatever the machine's speed.
func TestRetryDeadlineDuringAttempt(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}})
	h := testHTTP()
	var calls int
	next := fetchFunc(func(ctx context.Context, req *Request) (*Response, error) {
		calls++
		if calls == 1 {
			return h.Fetch(ctx, req)
		}
		return nil, &DeadlineError{Deadline: 300 * time.Millisecond} // cut short by the deadline
	})
	var o Options
	useFakeClock(&o)
	r := &Retry{Next: next, Retries: 5, Backoff: time.Millisecond, MaxWait: time.Second, Now: o.Now, Sleep: o.Sleep}
	_, err := r.Fetch(fetchtest.Ctx(t), mustURL(t, site.URL+"/p"))
	wantErr(t, err, ErrTimeout, "timed out after 300ms (last attempt: HTTP status 503 Service Unavailable)")
	wantErr(t, err, ErrHTTPStatus, "(after 2 attempts)")
	if calls != 2 {
		t.Errorf("%d attempts, want 2: a timed-out URL is not tried again", calls)
	}
}
