package crawl

import (
	"context"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// stillClock is a clock that moves only when slept on, recording the waits.
type stillClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (c *stillClock) opts(o HostOptions) HostOptions {
	o.Now = func() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
	o.Sleep = func(ctx context.Context, d time.Duration) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.waits = append(c.waits, d)
		return ctx.Err()
	}
	return o
}

func (c *stillClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// TestHostsPacing: starts to one host are Delay apart, reserved in turn
// (four acquired at once wait 0, 80, 160, 240ms); another host is not held
// back; PushBack and SlowDown move later starts, and Delay 0 waits never.
func TestHostsPacing(t *testing.T) {
	ctx := context.Background()
	c := &stillClock{now: time.Unix(1e9, 0)}
	h := NewHosts(c.opts(HostOptions{PerHost: 8, Delay: 80 * time.Millisecond}))
	take := func(key string) {
		t.Helper()
		release, err := h.Acquire(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		release()
	}
	for range 4 {
		take("http://a")
	}
	take("http://b")
	if want := []time.Duration{80 * time.Millisecond, 160 * time.Millisecond, 240 * time.Millisecond}; !slices.Equal(c.waits, want) {
		t.Errorf("waits %v, want %v", c.waits, want)
	}

	c.waits = nil
	c.advance(time.Second) // a's bucket is full again
	h.PushBack("http://a", c.now.Add(5*time.Second))
	take("http://a")
	take("http://a")
	if want := []time.Duration{5 * time.Second, 5*time.Second + 80*time.Millisecond}; !slices.Equal(c.waits, want) {
		t.Errorf("after PushBack: waits %v, want %v", c.waits, want)
	}

	c.waits = nil
	c.advance(time.Minute)
	h.SlowDown("http://b", 2*time.Second)
	h.SlowDown("http://b", time.Millisecond) // shorter: no change
	take("http://b")
	take("http://b")
	if want := []time.Duration{2 * time.Second}; !slices.Equal(c.waits, want) {
		t.Errorf("after SlowDown: waits %v, want %v", c.waits, want)
	}

	c.waits = nil
	none := NewHosts(c.opts(HostOptions{PerHost: 4}))
	for range 4 {
		release, err := none.Acquire(ctx, "http://a")
		if err != nil {
			t.Fatal(err)
		}
		defer release()
	}
	if len(c.waits) != 0 {
		t.Errorf("Delay 0 waited %v", c.waits)
	}
}

// TestHostsLimits: never more than PerHost in flight to one host, nor
// MaxConcurrent in all; a waiting Acquire returns when ctx ends.
func TestHostsLimits(t *testing.T) {
	h := NewHosts(HostOptions{PerHost: 2, MaxConcurrent: 3})
	if h.MaxConcurrent() != 3 {
		t.Fatalf("MaxConcurrent %d", h.MaxConcurrent())
	}
	var perHost [2]atomic.Int32
	var all, peakHost, peakAll atomic.Int32
	raise := func(p *atomic.Int32, v int32) {
		for {
			old := p.Load()
			if v <= old || p.CompareAndSwap(old, v) {
				return
			}
		}
	}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			key := []string{"http://a", "http://b"}[i%2]
			release, err := h.Acquire(context.Background(), key)
			if err != nil {
				t.Error(err)
				return
			}
			raise(&peakHost, perHost[i%2].Add(1))
			raise(&peakAll, all.Add(1))
			time.Sleep(5 * time.Millisecond)
			perHost[i%2].Add(-1)
			all.Add(-1)
			release()
		})
	}
	wg.Wait()
	if peakHost.Load() != 2 || peakAll.Load() != 3 {
		t.Errorf("peak in flight: %d per host (want 2), %d in all (want 3)", peakHost.Load(), peakAll.Load())
	}

	one := NewHosts(HostOptions{PerHost: 1})
	release, err := one.Acquire(context.Background(), "http://a")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := one.Acquire(ctx, "http://a"); err != context.DeadlineExceeded {
		t.Errorf("Acquire on a full host: %v, want DeadlineExceeded", err)
	}
}

func TestHostKey(t *testing.T) {
	for in, want := range map[string]string{
		"http://Example.org/a":       "http://example.org",
		"http://example.org:80/":     "http://example.org",
		"https://example.org:443/x":  "https://example.org",
		"https://example.org:8443/x": "https://example.org:8443",
		"http://[::1]:80/":           "http://[::1]",
		"http://[::1]:8080/":         "http://[::1]:8080",
		"HTTP://a.b":                 "http://a.b",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := HostKey(u); got != want {
			t.Errorf("HostKey(%s) = %q, want %q", in, got, want)
		}
	}
}
