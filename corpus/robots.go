package corpus

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"

	"redline/crawl"
)

// maxCrawlDelay caps the Crawl-delay of a robots.txt.
const maxCrawlDelay = 30 * time.Second

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

// checkRobots returns an error wrapping ErrRobots when the robots.txt of u's
// host forbids u to redline, one matching ErrRobotsUnavailable (and
// wrapping the reason) when it could not be fetched, or ctx.Err() when ctx
// ends while waiting.
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) error {
	data, fail, err := f.robotsFor(ctx, u)
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
	if data.TestAgent(path, robotsAgent) {
		return nil
	}
	return fmt.Errorf("%w: %s is forbidden", ErrRobots, path)
}

// robotsFor returns the robots.txt rules of u's host, fetching them the
// first time; concurrent callers wait for the one fetching.
func (f *Fetcher) robotsFor(ctx context.Context, u *url.URL) (*robotstxt.RobotsData, error, error) {
	key := crawl.HostKey(u)
	for {
		f.mu.Lock()
		e := f.robots[key]
		if e == nil {
			e = &robotsEntry{done: make(chan struct{})}
			f.robots[key] = e
			f.mu.Unlock()
			data, fail, err := f.fetchRobots(ctx, key)
			if err != nil {
				// Cancelled: let the next caller try again.
				f.mu.Lock()
				delete(f.robots, key)
				f.mu.Unlock()
				e.retry = true
				close(e.done)
				return nil, nil, err
			}
			e.data, e.fail = data, fail
			close(e.done)
			return data, fail, nil
		}
		f.mu.Unlock()
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

// fetchRobots fetches and parses the robots.txt of the host key
// ("scheme://host"), following Google's rules: 2xx is parsed (an
// unparsable file allows everything), 4xx other than 429 and too many
// redirects allow everything, and 429, 5xx and network failures keep the
// whole host from being fetched: fail (a *robotsFetchError) says why. The
// only errors are ctx.Err() and the *DeadlineError of the URL that asked.
func (f *Fetcher) fetchRobots(ctx context.Context, key string) (data *robotstxt.RobotsData, fail, err error) {
	u, err := url.Parse(key + "/robots.txt")
	if err != nil {
		return robotsAllowAll, nil, nil // not reached: key comes from a parsed URL
	}
	res, err := f.get(ctx, u, fetchRobots, nil)
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
	data, perr := robotstxt.FromBytes(res.body)
	if perr != nil {
		return robotsAllowAll, nil, nil
	}
	if g := data.FindGroup(robotsAgent); g != nil && g.CrawlDelay > 0 {
		f.hosts.SlowDown(key, min(g.CrawlDelay, maxCrawlDelay))
	}
	return data, nil, nil
}
