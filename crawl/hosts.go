package crawl

import (
	"context"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// HostOptions configures Hosts. The zero value gives the defaults.
type HostOptions struct {
	// PerHost is the most requests in flight to one host at a time. Zero
	// or negative means 2.
	PerHost int
	// Delay is the least time between the starts of two requests to one
	// host. Zero or negative means none.
	Delay time.Duration
	// MaxConcurrent is the most requests in flight over all hosts. Zero or
	// negative means 16.
	MaxConcurrent int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits for d or until ctx is done, returning ctx.Err() then;
	// nil means a timer. Tests replace Now and Sleep.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Hosts paces and limits the requests to each host (see HostKey): at most
// PerHost at once per host and MaxConcurrent in all, their starts at least
// Delay apart per host (a token bucket of one token, refilled every Delay),
// and none before a time a host asked for (PushBack). It is safe for
// concurrent use; the limits hold across all goroutines.
type Hosts struct {
	perHost int
	delay   time.Duration
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	global  chan struct{}

	mu    sync.Mutex
	hosts map[string]*host
}

// host is the pacing state of one host.
type host struct {
	sem chan struct{} // PerHost slots

	mu        sync.Mutex
	lim       *rate.Limiter
	delay     time.Duration
	notBefore time.Time // set by PushBack
}

// NewHosts returns Hosts with o; see HostOptions for the defaults.
func NewHosts(o HostOptions) *Hosts {
	h := &Hosts{perHost: o.PerHost, delay: max(o.Delay, 0), now: o.Now, sleep: o.Sleep, hosts: map[string]*host{}}
	if h.perHost <= 0 {
		h.perHost = 2
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = 16
	}
	h.global = make(chan struct{}, o.MaxConcurrent)
	if h.now == nil {
		h.now = time.Now
	}
	if h.sleep == nil {
		h.sleep = Sleep
	}
	return h
}

// MaxConcurrent is the most requests in flight over all hosts.
func (h *Hosts) MaxConcurrent() int { return cap(h.global) }

// everyOr is the limit of one request every d; none for d <= 0.
func everyOr(d time.Duration) rate.Limit {
	if d <= 0 {
		return rate.Inf
	}
	return rate.Every(d)
}

// host returns the state of key, creating it.
func (h *Hosts) host(key string) *host {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.hosts[key]
	if s == nil {
		s = &host{sem: make(chan struct{}, h.perHost), lim: rate.NewLimiter(everyOr(h.delay), 1), delay: h.delay}
		h.hosts[key] = s
	}
	return s
}

// Acquire waits for a slot on the host key and a slot in all, and for the
// host's next start time, and returns the function that frees the slots.
// Each call reserves a start time, so calls made at once start Delay
// apart. When ctx ends first it returns ctx.Err() holding nothing.
func (h *Hosts) Acquire(ctx context.Context, key string) (release func(), err error) {
	s := h.host(key)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	now := h.now()
	s.mu.Lock()
	at := now
	if s.notBefore.After(at) {
		at = s.notBefore
	}
	// Reserving at the pushed-back time, not now, spaces the requests
	// after it by Delay too.
	wait := at.Sub(now) + s.lim.ReserveN(at, 1).DelayFrom(at)
	s.mu.Unlock()
	if wait > 0 {
		if err := h.sleep(ctx, wait); err != nil {
			<-s.sem
			return nil, err
		}
	}
	select {
	case h.global <- struct{}{}:
	case <-ctx.Done():
		<-s.sem
		return nil, ctx.Err()
	}
	return func() {
		<-h.global
		<-s.sem
	}, nil
}

// PushBack delays every later request to the host key until t at the
// earliest, as a Retry-After answer asks.
func (h *Hosts) PushBack(key string, t time.Time) {
	s := h.host(key)
	s.mu.Lock()
	if t.After(s.notBefore) {
		s.notBefore = t
	}
	s.mu.Unlock()
}

// SlowDown raises the least time between requests to the host key to d,
// as a robots.txt Crawl-delay asks; a shorter d changes nothing.
func (h *Hosts) SlowDown(key string, d time.Duration) {
	s := h.host(key)
	s.mu.Lock()
	if d > s.delay {
		s.delay = d
		s.lim.SetLimitAt(h.now(), everyOr(d))
	}
	s.mu.Unlock()
}

// HostKey returns the politeness key of u: lower-case scheme, host and
// port, the default port omitted.
func HostKey(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	hostport := strings.ToLower(u.Host)
	if name, port, err := net.SplitHostPort(hostport); err == nil {
		if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
			hostport = name
			if strings.Contains(name, ":") {
				hostport = "[" + name + "]"
			}
		}
	}
	return scheme + "://" + hostport
}

// Sleep waits for d or until ctx is done, returning ctx.Err() then.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
