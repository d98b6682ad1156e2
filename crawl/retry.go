package crawl

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Retry repeats a request whose failure Retryable marks (network failures,
// timeouts, 408, 429, 5xx) up to Retries more times. It waits Backoff
// before the first retry and twice as long before each further one, up to
// MaxWait, every wait randomly shortened by up to half (jitter). A
// Retry-After answer replaces the computed wait (capped at MaxWait); with
// Hosts set it holds back every request to the host until then, not just
// this one. Under a Deadline, a retry that could not start in time is not
// made: the failure is a *DeadlineError naming the last attempt's.
//
// The error after the last attempt is that attempt's, with "(after N
// attempts)" when there were several.
type Retry struct {
	Next Fetcher
	// Retries is how many times a failed request is repeated; zero or
	// negative means none.
	Retries int
	// Backoff is the wait before the first retry; it must be positive.
	Backoff time.Duration
	// MaxWait caps every wait between attempts; it must be positive.
	MaxWait time.Duration
	// Hosts, when not nil, is pushed back by Retry-After answers.
	Hosts *Hosts
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits between attempts; nil means crawl.Sleep.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Fetch fetches req through Next, retrying transient failures.
func (r *Retry) Fetch(ctx context.Context, req *Request) (*Response, error) {
	var failed error // the failure of the last attempt that ended before the deadline
	for attempt := 1; ; attempt++ {
		res, err := r.Next.Fetch(ctx, req)
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// An attempt the deadline cut short says nothing of the server:
		// the one before it does, so the user learns why it was retried.
		var de *DeadlineError
		if errors.As(err, &de) && de.Last == nil && failed != nil {
			err = &DeadlineError{Deadline: de.Deadline, Last: failed}
		}
		retry, wait := Retryable(err)
		err = final(err)
		failed = err
		if !retry || attempt > r.Retries {
			if attempt > 1 {
				err = fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return nil, err
		}
		pause := wait
		if pause < 0 {
			pause = r.backoffFor(attempt)
		}
		if b := budgetOf(ctx); b != nil && b.expired(min(pause, r.MaxWait)) {
			return nil, &DeadlineError{Deadline: b.d, Last: err}
		}
		if wait >= 0 && r.Hosts != nil {
			// The server asked for a pause: every request to the host,
			// this retry included, waits for it in Paced.
			r.Hosts.PushBack(HostKey(req.URL), r.now().Add(min(wait, r.MaxWait)))
			continue
		}
		sleep := r.Sleep
		if sleep == nil {
			sleep = Sleep
		}
		if err := sleep(ctx, min(pause, r.MaxWait)); err != nil {
			return nil, err
		}
	}
}

func (r *Retry) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// backoffFor returns the wait after the attempt-th failed attempt: Backoff
// doubled attempt-1 times, capped at MaxWait, minus a random part of up to
// half.
func (r *Retry) backoffFor(attempt int) time.Duration {
	d := r.Backoff
	for i := 1; i < attempt && d < r.MaxWait; i++ {
		d *= 2
	}
	d = min(d, r.MaxWait)
	half := d / 2
	if half <= 0 {
		return d
	}
	return d - rand.N(half+1)
}
