// Package fetchtest holds what the tests of fetching share: loopback HTTP
// sites that count their requests, page and robots.txt handlers, a fake
// clock, a gauge of requests in flight and a port nothing listens on. It is
// a package of its own because the tests of crawl and of corpus (which
// fetches through crawl) need the same helpers, and test files cannot share
// code across packages; it imports neither, so that crawl's own tests can
// use it.
package fetchtest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Page is a small valid HTML page.
const Page = "<!DOCTYPE html>\n<html><head><title>Test</title></head><body><p>Hello, reader.</p></body></html>\n"

// Site is a loopback HTTP server with fixed routes that counts the
// requests to each path and records their User-Agent headers; unknown
// paths, robots.txt included, are 404.
type Site struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
	uas  []string
}

// NewSite starts a server for routes (path -> handler), closed when the
// test ends.
func NewSite(t testing.TB, routes map[string]http.HandlerFunc) *Site {
	t.Helper()
	s := &Site{hits: make(map[string]int)}
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

// Hits returns how many requests path received.
func (s *Site) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// UserAgents returns the User-Agent header of every request so far, in
// order.
func (s *Site) UserAgents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.uas)
}

// ServePage returns a handler answering body with content type ct (none
// when ct is empty).
func ServePage(ct, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ct == "" {
			w.Header()["Content-Type"] = nil // no sniffing by net/http
		} else {
			w.Header().Set("Content-Type", ct)
		}
		io.WriteString(w, body)
	}
}

// ServeRobots returns a handler answering a robots.txt.
func ServeRobots(body string) http.HandlerFunc {
	return ServePage("text/plain", body)
}

// Clock is a fake clock: Sleep advances it at once and records the wait.
type Clock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

// NewClock returns a fake clock starting at the real time.
func NewClock() *Clock { return &Clock{now: time.Now()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep advances the clock by d and records it; it returns ctx.Err().
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.waits = append(c.waits, d)
	return ctx.Err()
}

// Sleeps returns the waits so far.
func (c *Clock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// Ctx returns a context that ends with the test or after 20s.
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// Gauge counts requests in flight and remembers the peak.
type Gauge struct{ cur, peak atomic.Int32 }

// Enter counts one more request in flight.
func (g *Gauge) Enter() {
	n := g.cur.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

// Leave counts one request fewer.
func (g *Gauge) Leave() { g.cur.Add(-1) }

// Peak returns the most requests in flight at once so far.
func (g *Gauge) Peak() int32 { return g.peak.Load() }

// ResetPeak forgets the peak.
func (g *Gauge) ResetPeak() { g.peak.Store(0) }

// ClosedPort returns the address of a loopback port nothing listens on.
func ClosedPort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}
