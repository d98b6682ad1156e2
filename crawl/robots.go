package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// Robots passes on only the requests the robots.txt of their host allows
// to Agent; a RobotsTxt request passes unchecked. Each host's robots.txt is
// fetched once through Next (following up to 5 redirects) and kept for
// the life of the Robots, following Google's rules: 2xx is parsed (an
// unparsable file allows everything), 4xx other than 429 and too many
// redirects allow everything, and 429, 5xx and network failures keep the
// whole host from being fetched: each of its URLs fails with an error
// matching ErrRobotsUnavailable and wrapping the reason. A disallowed URL
// fails with ErrRobots. A Crawl-delay for Agent (up to 30s) slows the host
// down in Hosts, when set.
//
// Use NewRobots; a Robots is safe for concurrent use, and concurrent
// requests to one host wait for a single fetch of its robots.txt.
type Robots struct {
	next  Fetcher
	agent string
	hosts *Hosts

	mu      sync.Mutex
	entries map[string]*robotsEntry
}

// NewRobots returns Robots checking requests against the rules for agent
// (a product token such as "redline") before passing them to next. hosts
// may be nil.
func NewRobots(next Fetcher, agent string, hosts *Hosts) *Robots {
	return &Robots{next: next, agent: agent, hosts: hosts, entries: map[string]*robotsEntry{}}
}

// Agent is the product token matched against robots.txt User-agent lines
// by redline's Fetchers.
const Agent = "redline"

// maxCrawlDelay caps the Crawl-delay of a robots.txt.
const maxCrawlDelay = 30 * time.Second

// robotsMaxRedirects is the most redirects followed for a robots.txt.
const robotsMaxRedirects = 5

// robotsEntry is the robots.txt of one host, fetched once. done is closed
// when data is set, or when the fetch was abandoned because the context of
// the goroutine fetching it ended (retry), in which case another goroutine
// fetches it again.
type robotsEntry struct {
	done  chan struct{}
	data  *robotstxt.RobotsData
	fail  error // why the robots.txt could not be fetched, if it could not
	retry bool
}

// robotsFetchError is a robots.txt that could not be fetched: it matches
// ErrRobotsUnavailable and wraps the reason.
type robotsFetchError struct{ err error }

func (e *robotsFetchError) Error() string {
	return e.err.Error() + " (fetching robots.txt, so no page of the host is fetched)"
}
func (e *robotsFetchError) Unwrap() error        { return e.err }
func (e *robotsFetchError) Is(target error) bool { return target == ErrRobotsUnavailable }

// robotsAllowAll is the rule set used when a robots.txt is missing (4xx).
var robotsAllowAll, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)

// Fetch checks req against its host's robots.txt and passes it on.
func (r *Robots) Fetch(ctx context.Context, req *Request) (*Response, error) {
	if req.Kind != RobotsTxt {
		if err := r.check(ctx, req.URL); err != nil {
			return nil, err
		}
	}
	return r.next.Fetch(ctx, req)
}

// check returns an error wrapping ErrRobots when the robots.txt of u's
// host forbids u, one matching ErrRobotsUnavailable (and wrapping the
// reason) when it could not be fetched, or ctx.Err() when ctx ends while
// waiting.
func (r *Robots) check(ctx context.Context, u *url.URL) error {
	data, fail, err := r.rulesFor(ctx, u)
	if err != nil {
		return err
	}
	if fail != nil {
		return fail
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if data.TestAgent(path, r.agent) {
		return nil
	}
	return fmt.Errorf("%w: %s is forbidden", ErrRobots, path)
}

// rulesFor returns the robots.txt rules of u's host, fetching them the
// first time; concurrent callers wait for the one fetching.
func (r *Robots) rulesFor(ctx context.Context, u *url.URL) (*robotstxt.RobotsData, error, error) {
	key := HostKey(u)
	for {
		r.mu.Lock()
		e := r.entries[key]
		if e == nil {
			e = &robotsEntry{done: make(chan struct{})}
			r.entries[key] = e
			r.mu.Unlock()
			data, fail, err := r.fetch(ctx, key)
			if err != nil {
				// Cancelled: let the next caller try again.
				r.mu.Lock()
				delete(r.entries, key)
				r.mu.Unlock()
				e.retry = true
				close(e.done)
				return nil, nil, err
			}
			e.data, e.fail = data, fail
			close(e.done)
			return data, fail, nil
		}
		r.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
		if !e.retry {
			return e.data, e.fail, nil
		}
	}
}

// fetch fetches and parses the robots.txt of the host key
// ("scheme://host"); fail (a *robotsFetchError) says why the host is not
// to be fetched. The only errors are ctx.Err() and the *DeadlineError of
// the URL that asked.
func (r *Robots) fetch(ctx context.Context, key string) (data *robotstxt.RobotsData, fail, err error) {
	u, err := url.Parse(key + "/robots.txt")
	if err != nil {
		return robotsAllowAll, nil, nil // not reached: key comes from a parsed URL
	}
	follow := &Redirects{Next: r.next, Max: robotsMaxRedirects}
	res, err := follow.Fetch(ctx, &Request{URL: u, Kind: RobotsTxt})
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		// The deadline of the URL that asked ran out: like a cancel, it
		// says nothing about the host; the next URL tries again.
		var de *DeadlineError
		if errors.As(err, &de) {
			return nil, nil, err
		}
		var se *StatusError
		if (errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != http.StatusTooManyRequests) ||
			errors.Is(err, ErrRedirects) {
			return robotsAllowAll, nil, nil
		}
		return nil, &robotsFetchError{err}, nil
	}
	data, perr := robotstxt.FromBytes(res.Body)
	if perr != nil {
		return robotsAllowAll, nil, nil
	}
	if g := data.FindGroup(r.agent); g != nil && g.CrawlDelay > 0 && r.hosts != nil {
		r.hosts.SlowDown(key, min(g.CrawlDelay, maxCrawlDelay))
	}
	return data, nil, nil
}
