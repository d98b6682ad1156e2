package crawl

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Reasons a fetch fails, for errors.Is. A host that is down or refuses
// connections wraps ErrUnreachable, a failed DNS lookup ErrDNS, other
// network failures (reset, dropped halfway) carry the underlying error,
// and a response status that is not a success is a *StatusError, which
// matches ErrHTTPStatus.
var (
	// ErrBadURL: the address is not an absolute http or https URL.
	ErrBadURL = errors.New("invalid URL")
	// ErrHTTPStatus: the server answered with a status other than success
	// (after the retries, for 408, 429 and 5xx). The error is a *StatusError.
	ErrHTTPStatus = errors.New("HTTP error status")
	// ErrTimeout: an attempt took longer than Options.Timeout (every
	// attempt, when retried), or the URL as a whole took longer than
	// Options.Deadline (the error is then a *DeadlineError).
	ErrTimeout = errors.New("timed out")
	// ErrContentType: the response is not HTML (for a Page) or not a feed
	// or sitemap (for a Feed), by its Content-Type and its first bytes.
	ErrContentType = errors.New("unwanted content type")
	// ErrRobots: the site's robots.txt forbids the URL to redline.
	ErrRobots = errors.New("disallowed by robots.txt")
	// ErrRobotsUnavailable: the site's robots.txt could not be fetched
	// (5xx, 429 or a network failure), so no page of the host is fetched
	// for the life of the Robots decorator. The error wraps the reason too
	// (a *StatusError, ErrUnreachable, ErrDNS, ErrTimeout, ...); it does
	// not match ErrRobots, since nothing was disallowed.
	ErrRobotsUnavailable = errors.New("robots.txt could not be fetched")
	// ErrUnreachable: the host is down or unreachable: the connection was
	// refused, or there is no route to it.
	ErrUnreachable = errors.New("host down or unreachable")
	// ErrDNS: the host name could not be resolved.
	ErrDNS = errors.New("DNS lookup failed")
	// ErrRedirects: more redirects than allowed, usually a redirect loop.
	ErrRedirects = errors.New("too many redirects")
	// ErrTooLarge: the body is larger than the limit of its Kind.
	ErrTooLarge = errors.New("too large")
	// ErrEncoding: the body's Content-Encoding was not asked for, or its
	// gzip stream is broken.
	ErrEncoding = errors.New("bad or unsupported content encoding")
)

// StatusError is an HTTP response status that is not a success. It matches
// ErrHTTPStatus with errors.Is.
type StatusError struct {
	// Code is the status code, for example 404.
	Code int
	// Status is the status line after the protocol, for example
	// "404 Not Found".
	Status string
}

// Error returns "HTTP status 404 Not Found".
func (e *StatusError) Error() string {
	s := e.Status
	if s == "" {
		s = strconv.Itoa(e.Code)
	}
	return "HTTP status " + s
}

// Is reports whether target is ErrHTTPStatus.
func (e *StatusError) Is(target error) bool { return target == ErrHTTPStatus }

// DeadlineError is a URL that took longer than its Deadline in all. It
// matches ErrTimeout with errors.Is.
type DeadlineError struct {
	// Deadline is the time allowed to the URL.
	Deadline time.Duration
	// Last is the failure of the last attempt that ended before the time
	// ran out (then waiting for another one would have passed the
	// deadline, or the time ran out during the next one), or nil.
	Last error
}

// Error returns "timed out after 30s", with the last attempt's failure
// when there is one: "timed out after 30s (last attempt: HTTP status 503
// Service Unavailable)".
func (e *DeadlineError) Error() string {
	s := "timed out after " + e.Deadline.String()
	if e.Last != nil {
		s += " (last attempt: " + e.Last.Error() + ")"
	}
	return s
}

// Is reports whether target is ErrTimeout.
func (e *DeadlineError) Is(target error) bool { return target == ErrTimeout }

// Unwrap returns Last.
func (e *DeadlineError) Unwrap() error { return e.Last }

// attemptError is the failure of one attempt as HTTP reports it, with what
// Retry needs to know: whether another attempt may succeed, and the pause
// the server asked for with Retry-After (-1 when none).
type attemptError struct {
	err   error
	retry bool
	after time.Duration
}

func (e *attemptError) Error() string { return e.err.Error() }
func (e *attemptError) Unwrap() error { return e.err }

// Retryable reports whether err is the failure of one attempt that another
// attempt may cure (a network failure, a timeout, a 408, 429 or 5xx
// status), and the pause the server asked for with Retry-After, or -1.
func Retryable(err error) (retry bool, after time.Duration) {
	var ae *attemptError
	if errors.As(err, &ae) {
		return ae.retry, ae.after
	}
	return false, -1
}

// final strips the retry marks from err.
func final(err error) error {
	if ae, ok := err.(*attemptError); ok {
		return ae.err
	}
	return err
}

// ParseURL checks that s is an absolute http or https URL and returns it
// without its fragment; otherwise the error wraps ErrBadURL.
func ParseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if err := CheckURL(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	// White space before the fragment would now end the URL, and its
	// String would not read back the same: trim it as at the input's end.
	if q := strings.TrimRightFunc(u.RawQuery, unicode.IsSpace); q != u.RawQuery {
		u.RawQuery, u.ForceQuery = q, u.ForceQuery || q == ""
	}
	return u, nil
}

// CheckURL reports ErrBadURL unless u is an absolute http or https URL
// with a host.
func CheckURL(u *url.URL) error {
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return fmt.Errorf("%w: not absolute (no http:// or https://)", ErrBadURL)
	default:
		return fmt.Errorf("%w: scheme %q is not http or https", ErrBadURL, u.Scheme)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("%w: no host", ErrBadURL)
	}
	return nil
}
