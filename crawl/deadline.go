package crawl

import (
	"context"
	"sync"
	"time"
)

// Deadline limits each request it passes on to D in all: from its first
// request (robots.txt included) to the last byte of its body, every
// attempt, wait between retries and redirect included; waiting for a free
// slot before the first request does not count. A URL that takes longer
// fails with a *DeadlineError ("timed out after 30s"), and a retry that
// could not start in time is not made. Paced, Retry and HTTP below it keep
// the time (the clock starts when Paced lets the first request go). D zero
// or negative passes requests on unchanged.
type Deadline struct {
	Next Fetcher
	D    time.Duration
}

// Fetch fetches req through Next under a fresh budget of D.
func (d *Deadline) Fetch(ctx context.Context, req *Request) (*Response, error) {
	if d.D <= 0 {
		return d.Next.Fetch(ctx, req)
	}
	return d.Next.Fetch(context.WithValue(ctx, budgetKey{}, &budget{d: d.D}), req)
}

// budget is the time left to one URL under a Deadline: the clock starts
// with its first request.
type budget struct {
	d   time.Duration
	mu  sync.Mutex
	end time.Time // zero until the first request starts
}

type budgetKey struct{}

// budgetOf returns the budget ctx carries, or nil.
func budgetOf(ctx context.Context) *budget {
	b, _ := ctx.Value(budgetKey{}).(*budget)
	return b
}

// start starts the clock if it is not running and returns the deadline.
func (b *budget) start() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.end.IsZero() {
		b.end = time.Now().Add(b.d)
	}
	return b.end
}

// ends returns the deadline, zero while the clock does not run.
func (b *budget) ends() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.end
}

// expired reports whether the clock runs and the deadline has passed, or
// will have passed after waiting wait.
func (b *budget) expired(wait time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.end.IsZero() && !time.Now().Add(wait).Before(b.end)
}
