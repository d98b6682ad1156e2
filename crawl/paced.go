package crawl

import "context"

// Paced passes each request on to Next within the limits of Hosts: a slot
// of the URL's host (HostKey) and one in all, and the host's next start
// time. Under a Deadline, the URL's clock starts when the first request
// gets its slot, and bounds the waits for later ones.
type Paced struct {
	Next  Fetcher
	Hosts *Hosts
}

// Fetch waits for a slot, fetches req through Next and frees the slot.
func (p *Paced) Fetch(ctx context.Context, req *Request) (*Response, error) {
	b := budgetOf(ctx)
	wctx := ctx // once the URL's clock runs, it bounds the wait for a slot
	if b != nil {
		if b.expired(0) {
			return nil, &DeadlineError{Deadline: b.d}
		}
		if end := b.ends(); !end.IsZero() {
			var cancel context.CancelFunc
			wctx, cancel = context.WithDeadline(ctx, end)
			defer cancel()
		}
	}
	release, err := p.Hosts.Acquire(wctx, HostKey(req.URL))
	if err != nil {
		if ctx.Err() == nil && b != nil {
			return nil, &DeadlineError{Deadline: b.d}
		}
		return nil, err
	}
	defer release()
	if b != nil {
		b.start()
	}
	return p.Next.Fetch(ctx, req)
}
