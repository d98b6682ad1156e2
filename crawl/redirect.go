package crawl

import (
	"context"
	"errors"
	"fmt"
)

// Redirects follows the redirects Next returns (Response.Location), one
// hop at a time through Next, so that every hop passes the decorators
// below it (robots.txt, pacing, retries). More than Max hops fail with
// ErrRedirects; Max zero or negative follows none. A failure after a
// redirect names the URL it happened at ("redirected to ...: ...").
type Redirects struct {
	Next Fetcher
	Max  int
}

// Fetch fetches req and the redirects it leads to; the Response's URL is
// the last one.
func (r *Redirects) Fetch(ctx context.Context, req *Request) (*Response, error) {
	hop := *req
	for hops := 0; ; hops++ {
		res, err := r.Next.Fetch(ctx, &hop)
		if err != nil {
			if hops > 0 && ctx.Err() == nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				err = fmt.Errorf("redirected to %s: %w", hop.URL, err)
			}
			return nil, err
		}
		if res.Location == nil {
			return res, nil
		}
		if hops >= max(r.Max, 0) {
			return nil, fmt.Errorf("%w: more than %d, the last to %s", ErrRedirects, max(r.Max, 0), res.Location)
		}
		hop.URL = res.Location
	}
}
