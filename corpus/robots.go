package corpus

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
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
	why   string // why everything is disallowed, when the fetch failed
	retry bool
}

// robotsAllowAll and robotsDisallowAll are the rule sets used when a
// robots.txt is missing (4xx) or unavailable (5xx, network failure).
var (
	robotsAllowAll, _    = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	robotsDisallowAll, _ = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
)

// checkRobots returns an error wrapping ErrRobots when the robots.txt of u's
// host forbids u to redline, or ctx.Err() when ctx ends while waiting.
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) error {
	data, why, err := f.robotsFor(ctx, u)
	if err != nil {
		return err
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
	if why != "" {
		return fmt.Errorf("%w: %s", ErrRobots, why)
	}
	return fmt.Errorf("%w: %s is forbidden", ErrRobots, path)
}

// robotsFor returns the robots.txt rules of u's host, fetching them the
// first time; concurrent callers wait for the one fetching.
func (f *Fetcher) robotsFor(ctx context.Context, u *url.URL) (*robotstxt.RobotsData, string, error) {
	key := hostKey(u)
	for {
		f.mu.Lock()
		e := f.robots[key]
		if e == nil {
			e = &robotsEntry{done: make(chan struct{})}
			f.robots[key] = e
			f.mu.Unlock()
			data, why, err := f.fetchRobots(ctx, key)
			if err != nil {
				// Cancelled: let the next caller try again.
				f.mu.Lock()
				delete(f.robots, key)
				f.mu.Unlock()
				e.retry = true
				close(e.done)
				return nil, "", err
			}
			e.data, e.why = data, why
			close(e.done)
			return data, why, nil
		}
		f.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, "", ctx.Err()
		}
		if !e.retry {
			return e.data, e.why, nil
		}
	}
}

// fetchRobots fetches and parses the robots.txt of the host key
// ("scheme://host"), following Google's rules: 2xx is parsed (an
// unparsable file allows everything), 4xx other than 429 and too many
// redirects allow everything, and 429, 5xx and network failures disallow
// everything, with why saying so. The only errors are ctx.Err() and the
// *DeadlineError of the URL that asked.
func (f *Fetcher) fetchRobots(ctx context.Context, key string) (data *robotstxt.RobotsData, why string, err error) {
	u, err := url.Parse(key + "/robots.txt")
	if err != nil {
		return robotsAllowAll, "", nil // not reached: key comes from a parsed URL
	}
	res, err := f.get(ctx, u, fetchRobots, nil)
	if err != nil {
		if ctx.Err() != nil {
			return nil, "", ctx.Err()
		}
		// The deadline of the URL that asked ran out: like a cancel, it
		// says nothing about the host; the next URL tries again.
		var de *DeadlineError
		if errors.As(err, &de) {
			return nil, "", err
		}
		var se *StatusError
		if (errors.As(err, &se) && se.Code >= 400 && se.Code < 500 && se.Code != http.StatusTooManyRequests) ||
			errors.Is(err, ErrRedirects) {
			return robotsAllowAll, "", nil
		}
		return robotsDisallowAll, "robots.txt could not be fetched, so the whole host is off limits: " + err.Error(), nil
	}
	data, perr := robotstxt.FromBytes(res.body)
	if perr != nil {
		return robotsAllowAll, "", nil
	}
	if g := data.FindGroup(robotsAgent); g != nil && g.CrawlDelay > 0 {
		f.host(key).setDelay(min(g.CrawlDelay, maxCrawlDelay))
	}
	return data, "", nil
}
