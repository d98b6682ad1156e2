package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"redline/crawl"
)

// Reasons for the *InputError values returned by Fetcher.Fetch and
// Fetcher.FeedURLs, for errors.Is. A host that is down or refuses
// connections wraps ErrUnreachable, a failed DNS lookup ErrDNS, other
// network failures (reset, dropped halfway) carry the underlying error,
// and a response status that is not a success is a *StatusError, which
// matches ErrHTTPStatus. Too large bodies wrap ErrTooLarge, undecodable ones
// ErrEmpty, ErrBinary or ErrCharset, as for files.
var (
	// ErrBadURL: the address is not an absolute http or https URL.
	ErrBadURL = errors.New("invalid URL")
	// ErrHTTPStatus: the server answered with a status other than success
	// (after the retries, for 408, 429 and 5xx). The error is a *StatusError.
	ErrHTTPStatus = errors.New("HTTP error status")
	// ErrTimeout: an attempt took longer than FetchOptions.Timeout (every
	// attempt, when retried), or the URL as a whole took longer than
	// FetchOptions.Deadline (the error is then a *DeadlineError).
	ErrTimeout = errors.New("timed out")
	// ErrContentType: the response is not HTML (for a page) or not a feed
	// or sitemap (for FeedURLs), by its Content-Type and its first bytes.
	ErrContentType = errors.New("unwanted content type")
	// ErrRobots: the site's robots.txt forbids the URL to redline.
	ErrRobots = errors.New("disallowed by robots.txt")
	// ErrRobotsUnavailable: the site's robots.txt could not be fetched
	// (5xx, 429 or a network failure), so no page of the host is fetched
	// for the life of the Fetcher. The error wraps the reason too (a
	// *StatusError, ErrUnreachable, ErrDNS, ErrTimeout, ...); it does not
	// match ErrRobots, since nothing was disallowed.
	ErrRobotsUnavailable = errors.New("robots.txt could not be fetched")
	// ErrUnreachable: the host is down or unreachable: the connection was
	// refused, or there is no route to it.
	ErrUnreachable = errors.New("host down or unreachable")
	// ErrDNS: the host name could not be resolved.
	ErrDNS = errors.New("DNS lookup failed")
	// ErrRedirects: more than FetchOptions.MaxRedirects redirects, usually a
	// redirect loop.
	ErrRedirects = errors.New("too many redirects")
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

// DeadlineError is a URL that took longer than FetchOptions.Deadline in
// all. It matches ErrTimeout with errors.Is.
type DeadlineError struct {
	// Deadline is FetchOptions.Deadline.
	Deadline time.Duration
	// Last is the failure of the last attempt, when an attempt failed
	// before the time ran out (then waiting for another one would have
	// passed the deadline), or nil.
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

// urlBudget is the time left to one URL under FetchOptions.Deadline: the
// clock starts with its first request (waiting for a free slot before it
// does not count).
type urlBudget struct {
	d   time.Duration
	mu  sync.Mutex
	end time.Time // zero until the first request starts
}

type budgetKey struct{}

// withBudget returns ctx carrying a fresh budget for one URL, or ctx
// itself when there is no Deadline.
func (f *Fetcher) withBudget(ctx context.Context) context.Context {
	if f.deadline <= 0 {
		return ctx
	}
	return context.WithValue(ctx, budgetKey{}, &urlBudget{d: f.deadline})
}

// budgetOf returns the budget ctx carries, or nil.
func budgetOf(ctx context.Context) *urlBudget {
	b, _ := ctx.Value(budgetKey{}).(*urlBudget)
	return b
}

// start starts the clock if it is not running and returns the deadline.
func (b *urlBudget) start() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.end.IsZero() {
		b.end = time.Now().Add(b.d)
	}
	return b.end
}

// expired reports whether the clock runs and the deadline has passed, or
// will have passed after waiting wait.
func (b *urlBudget) expired(wait time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.end.IsZero() && !time.Now().Add(wait).Before(b.end)
}

// Defaults of FetchOptions.
const (
	defaultPerHost        = 2
	defaultPerHostDelay   = time.Second
	defaultMaxConcurrent  = 16
	defaultConnectTimeout = 10 * time.Second
	defaultFetchTimeout   = 30 * time.Second
	defaultRetries        = 3
	defaultRetryBackoff   = time.Second
	defaultMaxRetryAfter  = 60 * time.Second
	defaultMaxRedirects   = 10
	defaultVersion        = "dev"
	// projectURL is named in the default User-Agent.
	projectURL = "https://github.com/redline-news/redline"
	// robotsAgent is the product token matched against robots.txt
	// User-agent lines.
	robotsAgent = "redline"
	// sniffBytes is how much of a body is read before deciding on its
	// content type (what http.DetectContentType looks at).
	sniffBytes = 512
)

// FetchOptions configures a Fetcher. The zero value gives the defaults; every
// duration is wall-clock time.
type FetchOptions struct {
	// PerHost is the most requests in flight to one host (name and port) at
	// a time. Zero or negative means 2.
	PerHost int
	// PerHostDelay is the least time between the starts of two requests to
	// one host, retries and robots.txt included. Zero means 1s; negative
	// means no delay. A longer Crawl-delay in the host's robots.txt (up to
	// 30s) wins, unless IgnoreRobots is set.
	PerHostDelay time.Duration
	// MaxConcurrent is the most requests in flight in total. Zero or
	// negative means 16.
	MaxConcurrent int
	// ConnectTimeout limits establishing a connection (TCP and TLS). Zero or
	// negative means 10s. It is used only when Client is nil.
	ConnectTimeout time.Duration
	// Timeout limits one attempt, from sending the request to reading the
	// last byte of the body; waiting for a free slot (PerHost,
	// PerHostDelay, MaxConcurrent) does not count. A timed-out attempt is
	// retried like a network failure. Zero or negative means 30s.
	Timeout time.Duration
	// Deadline limits one URL (a page, a feed, each sitemap of an index)
	// in all: from its first request, robots.txt included, to the last
	// byte of its body, every attempt, wait between retries and redirect
	// included; waiting for a free slot before the first request does not
	// count. A URL that takes longer fails with a *DeadlineError ("timed
	// out after 30s"), and a retry that could not start in time is not
	// made. Zero or negative means no limit other than Timeout and Retries.
	Deadline time.Duration
	// Retries is how many times a request is repeated after a network
	// failure, a timeout, or a 408, 429 or 5xx status. Zero means 3;
	// negative means none.
	Retries int
	// RetryBackoff is the wait before the first retry; each further retry
	// waits twice as long, up to MaxRetryAfter, and every wait is randomly
	// shortened by up to half (jitter). A Retry-After response header (in
	// seconds or an HTTP date) replaces the computed wait. Zero or negative
	// means 1s.
	RetryBackoff time.Duration
	// MaxRetryAfter caps every wait between attempts, including one a
	// server asks for with Retry-After. Zero or negative means 60s.
	MaxRetryAfter time.Duration
	// MaxBytes is the largest page body accepted, in bytes after
	// Content-Encoding is undone; larger bodies fail with ErrTooLarge as
	// soon as the limit is passed, without reading the rest. Zero or
	// negative means DefaultMaxBytes (10 MiB). Feeds and sitemaps may be up
	// to 50 MiB (the sitemap protocol's limit) or MaxBytes if larger.
	MaxBytes int64
	// MaxRedirects is the most redirects followed for one URL. Zero means
	// 10; negative means none are followed.
	MaxRedirects int
	// IgnoreRobots skips robots.txt. By default each host's robots.txt is
	// fetched once per Fetcher and every URL (and every redirect target) is
	// checked against its rules for the agent "redline". A robots.txt
	// answering 4xx allows everything; 5xx, 429 or a network failure
	// keeps the whole host from being fetched for the life of the Fetcher,
	// each of its URLs failing with ErrRobotsUnavailable and the reason.
	IgnoreRobots bool
	// Version is redline's version, named in the default User-Agent. Empty
	// means "dev".
	Version string
	// UserAgent replaces the default User-Agent header,
	// "redline/<Version> (+https://github.com/redline-news/redline)".
	UserAgent string
	// CacheDir, when not empty, is a folder (created when needed) where each
	// fetched page is stored with its validators, keyed by a hash of its
	// URL. A later Fetch of the same URL, by this or another Fetcher, is
	// answered from the cache without a request unless Refresh is set.
	CacheDir string
	// Refresh revalidates cached pages: the request carries If-None-Match and
	// If-Modified-Since, and a 304 answer is served from the cache. Feeds
	// and sitemaps are always revalidated.
	Refresh bool
	// Client sends the requests. Nil means a client built with
	// ConnectTimeout. The Fetcher uses a copy whose CheckRedirect stops at
	// the first redirect (redirects are followed by the Fetcher itself, so
	// that every hop is checked against robots.txt and counted against the
	// per-host limits); its Timeout, if any, still applies.
	Client *http.Client

	// sleep waits for d or until ctx is done; nil means a timer. Tests
	// replace it to record waits.
	sleep func(ctx context.Context, d time.Duration) error
	// now is the clock; nil means time.Now.
	now func() time.Time
}

// Fetcher downloads news pages politely: it limits requests per host and in
// total, spaces requests to one host, respects robots.txt, retries
// transient failures with backoff, limits sizes and caches pages on disk.
//
// A Fetcher is safe for concurrent use by many goroutines; the limits hold
// across all of them. The robots.txt rules of each host are fetched once and
// kept for the life of the Fetcher.
type Fetcher struct {
	client        *http.Client
	userAgent     string
	perHost       int
	perHostDelay  time.Duration
	timeout       time.Duration
	deadline      time.Duration
	retries       int
	backoff       time.Duration
	maxRetryAfter time.Duration
	maxBytes      int64
	maxRedirects  int
	ignoreRobots  bool
	refresh       bool
	cache         *fetchCache
	sleep         func(ctx context.Context, d time.Duration) error
	now           func() time.Time

	hosts *crawl.Hosts // PerHost, PerHostDelay, MaxConcurrent

	mu     sync.Mutex
	robots map[string]*robotsEntry
}

// NewFetcher returns a Fetcher with opts; see FetchOptions for the defaults.
// It does no I/O.
func NewFetcher(opts FetchOptions) *Fetcher {
	f := &Fetcher{
		perHost:       positiveOr(opts.PerHost, defaultPerHost),
		perHostDelay:  opts.PerHostDelay,
		timeout:       opts.Timeout,
		deadline:      opts.Deadline,
		retries:       opts.Retries,
		backoff:       opts.RetryBackoff,
		maxRetryAfter: opts.MaxRetryAfter,
		maxBytes:      opts.MaxBytes,
		maxRedirects:  opts.MaxRedirects,
		ignoreRobots:  opts.IgnoreRobots,
		refresh:       opts.Refresh,
		sleep:         opts.sleep,
		now:           opts.now,
		robots:        make(map[string]*robotsEntry),
	}
	switch {
	case f.perHostDelay == 0:
		f.perHostDelay = defaultPerHostDelay
	case f.perHostDelay < 0:
		f.perHostDelay = 0
	}
	if f.timeout <= 0 {
		f.timeout = defaultFetchTimeout
	}
	switch {
	case f.retries == 0:
		f.retries = defaultRetries
	case f.retries < 0:
		f.retries = 0
	}
	if f.backoff <= 0 {
		f.backoff = defaultRetryBackoff
	}
	if f.maxRetryAfter <= 0 {
		f.maxRetryAfter = defaultMaxRetryAfter
	}
	if f.maxBytes <= 0 {
		f.maxBytes = DefaultMaxBytes
	}
	switch {
	case f.maxRedirects == 0:
		f.maxRedirects = defaultMaxRedirects
	case f.maxRedirects < 0:
		f.maxRedirects = 0
	}
	if f.sleep == nil {
		f.sleep = crawl.Sleep
	}
	if f.now == nil {
		f.now = time.Now
	}
	// Through f.now and f.sleep, which tests replace after NewFetcher.
	f.hosts = crawl.NewHosts(crawl.HostOptions{
		PerHost:       f.perHost,
		Delay:         f.perHostDelay,
		MaxConcurrent: positiveOr(opts.MaxConcurrent, defaultMaxConcurrent),
		Now:           func() time.Time { return f.now() },
		Sleep:         func(ctx context.Context, d time.Duration) error { return f.sleep(ctx, d) },
	})
	f.userAgent = opts.UserAgent
	if f.userAgent == "" {
		v := opts.Version
		if v == "" {
			v = defaultVersion
		}
		f.userAgent = "redline/" + v + " (+" + projectURL + ")"
	}
	if opts.CacheDir != "" {
		f.cache = &fetchCache{dir: opts.CacheDir}
	}

	var c http.Client
	if opts.Client != nil {
		c = *opts.Client
	} else {
		connect := opts.ConnectTimeout
		if connect <= 0 {
			connect = defaultConnectTimeout
		}
		c.Transport = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   connect,
			ResponseHeaderTimeout: f.timeout,
			ExpectContinueTimeout: time.Second,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   f.perHost,
			IdleConnTimeout:       90 * time.Second,
		}
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	f.client = &c
	return f
}

// positiveOr returns v when it is positive, def otherwise.
func positiveOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// UserAgent returns the User-Agent header the Fetcher sends.
func (f *Fetcher) UserAgent() string { return f.userAgent }

// Fetch downloads one HTML page and returns it as a Document:
//
//   - URL is the final address after redirects (without fragment);
//   - Source is rawURL as given;
//   - ID is ContentID of the final URL, not of the content, so fetching an
//     article again after it was edited gives the same ID and its index
//     entry is replaced rather than duplicated;
//   - HTML is the body decoded to UTF-8: a byte order mark is certain;
//     content that is valid UTF-8 stays UTF-8 (a header claiming
//     ISO-8859-1 for a UTF-8 page is a common server misconfiguration);
//     otherwise the charset of the Content-Type header, then a <meta>
//     declaration, and when nothing is declared anywhere the encoding
//     detected from the bytes (windows-1251, KOI8-R, Shift_JIS, ...),
//     windows-1252 as the last resort.
//
// A page that cannot be had is an *InputError whose Input is rawURL and
// whose reason wraps ErrBadURL, ErrRobots, ErrHTTPStatus (a *StatusError),
// ErrTimeout, ErrRedirects, ErrContentType, ErrEncoding,
// ErrTooLarge, ErrEmpty, ErrBinary, ErrCharset, or a network error. When
// ctx is done, Fetch returns ctx.Err() itself, not an *InputError.
//
// With FetchOptions.CacheDir set, a cached copy is returned without any
// request (Refresh: after revalidation). Fetch is safe for concurrent use.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string) (Document, error) {
	u, err := parseFetchURL(rawURL)
	if err != nil {
		return Document{}, &InputError{Input: rawURL, Err: err}
	}
	res, err := f.fetchCached(f.withBudget(ctx), u, fetchPage)
	if err != nil {
		if ctx.Err() != nil {
			return Document{}, ctx.Err()
		}
		return Document{}, &InputError{Input: rawURL, Err: err}
	}
	html, err := decodeHTMLType(res.body, res.contentType)
	if err != nil {
		return Document{}, &InputError{Input: rawURL, Err: err}
	}
	if res.fresh {
		f.storeCache(fetchPage, u.String(), res)
	}
	return Document{ID: ContentID(res.url), Source: rawURL, URL: res.url, HTML: html}, nil
}

// parseFetchURL checks that s is an absolute http or https URL and returns
// it without its fragment.
func parseFetchURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	if err := checkFetchURL(u); err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// checkFetchURL reports ErrBadURL unless u is an absolute http or https URL
// with a host.
func checkFetchURL(u *url.URL) error {
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

// fetchKind is what a request is for: it decides the Accept header, the
// accepted content types, the size limit and the robots check.
type fetchKind int

const (
	fetchPage   fetchKind = iota // an HTML article
	fetchFeed                    // an RSS, Atom or JSON feed or a sitemap
	fetchRobots                  // a robots.txt
)

// Size limits of feeds and robots.txt files.
const (
	feedMaxBytes       = 50 << 20 // the sitemap protocol's limit
	robotsMaxBytes     = 500 << 10
	robotsMaxRedirects = 5
)

// limit returns the body size limit for kind.
func (f *Fetcher) limit(kind fetchKind) int64 {
	switch kind {
	case fetchFeed:
		return max(f.maxBytes, feedMaxBytes)
	case fetchRobots:
		return robotsMaxBytes
	}
	return f.maxBytes
}

// fetchResult is a successful response.
type fetchResult struct {
	url          string // final URL after redirects
	contentType  string
	etag         string
	lastModified string
	body         []byte
	notModified  bool // a 304 answer to a conditional request
	fresh        bool // the body came from the network, not the cache
}

// cacheValidators are the conditional request headers for one URL.
type cacheValidators struct {
	url          string // the URL they belong to (the cached final URL)
	etag         string
	lastModified string
}

// fetchCached gets u through the cache: a cached copy when one exists and
// no revalidation is needed, otherwise the network, conditionally when a
// copy exists. The result is marked fresh when it should be stored.
func (f *Fetcher) fetchCached(ctx context.Context, u *url.URL, kind fetchKind) (*fetchResult, error) {
	var cached *cacheEntry
	if f.cache != nil {
		cached = f.cache.load(cacheKey(kind, u.String()), f.limit(kind))
		if cached != nil && kind == fetchPage && !f.refresh {
			return cached.result(), nil
		}
	}
	var cond *cacheValidators
	if cached != nil && (cached.ETag != "" || cached.LastModified != "") {
		cond = &cacheValidators{url: cached.FinalURL, etag: cached.ETag, lastModified: cached.LastModified}
	}
	res, err := f.get(ctx, u, kind, cond)
	if err != nil {
		return nil, err
	}
	if res.notModified {
		return cached.result(), nil
	}
	res.fresh = f.cache != nil
	return res, nil
}

// get fetches u, following redirects itself so that each hop is checked
// against robots.txt and passes through the per-host limits.
func (f *Fetcher) get(ctx context.Context, u *url.URL, kind fetchKind, cond *cacheValidators) (*fetchResult, error) {
	maxHops := f.maxRedirects
	if kind == fetchRobots {
		maxHops = robotsMaxRedirects
	}
	cur := u
	for hops := 0; ; hops++ {
		if kind != fetchRobots && !f.ignoreRobots {
			if err := f.checkRobots(ctx, cur); err != nil {
				if hops > 0 && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
					err = fmt.Errorf("redirected to %s: %w", cur, err)
				}
				return nil, err
			}
		}
		var c *cacheValidators
		if cond != nil && cond.url == cur.String() {
			c = cond
		}
		res, next, err := f.attempts(ctx, cur, kind, c)
		if err != nil {
			if hops > 0 && ctx.Err() == nil {
				err = fmt.Errorf("redirected to %s: %w", cur, err)
			}
			return nil, err
		}
		if next == nil {
			res.url = cur.String()
			return res, nil
		}
		if hops >= maxHops {
			return nil, fmt.Errorf("%w: more than %d, the last to %s", ErrRedirects, maxHops, next)
		}
		cur = next
	}
}

// attempts makes one request for u, retrying transient failures. It returns
// either a result, or the URL a redirect points to, or an error.
func (f *Fetcher) attempts(ctx context.Context, u *url.URL, kind fetchKind, cond *cacheValidators) (*fetchResult, *url.URL, error) {
	host := crawl.HostKey(u)
	for attempt := 1; ; attempt++ {
		res, next, wait, retry, err := f.attempt(ctx, u, host, kind, cond)
		if err == nil {
			return res, next, nil
		}
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		if !retry || attempt > f.retries {
			if attempt > 1 {
				err = fmt.Errorf("%w (after %d attempts)", err, attempt)
			}
			return nil, nil, err
		}
		pause := wait
		if pause < 0 {
			pause = f.backoffFor(attempt)
		}
		if b := budgetOf(ctx); b != nil && b.expired(min(pause, f.maxRetryAfter)) {
			return nil, nil, &DeadlineError{Deadline: b.d, Last: err}
		}
		if wait >= 0 {
			// The server asked for a pause: every request to the host,
			// this retry included, waits for it in acquire.
			f.hosts.PushBack(host, f.now().Add(min(wait, f.maxRetryAfter)))
			continue
		}
		if err := f.sleep(ctx, pause); err != nil {
			return nil, nil, err
		}
	}
}

// backoffFor returns the wait after the attempt-th failed attempt:
// RetryBackoff doubled attempt-1 times, capped at MaxRetryAfter, minus a
// random part of up to half.
func (f *Fetcher) backoffFor(attempt int) time.Duration {
	d := f.backoff
	for i := 1; i < attempt && d < f.maxRetryAfter; i++ {
		d *= 2
	}
	d = min(d, f.maxRetryAfter)
	half := d / 2
	if half <= 0 {
		return d
	}
	return d - rand.N(half+1)
}

// attempt makes one request. wait is the pause the server asked for with
// Retry-After, or -1; retry tells whether err is worth another attempt.
func (f *Fetcher) attempt(ctx context.Context, u *url.URL, host string, kind fetchKind, cond *cacheValidators) (res *fetchResult, next *url.URL, wait time.Duration, retry bool, err error) {
	wait = -1
	b := budgetOf(ctx)
	wctx := ctx // once the URL's clock runs, it bounds the wait for a slot
	if b != nil {
		if b.expired(0) {
			return nil, nil, wait, false, &DeadlineError{Deadline: b.d}
		}
		b.mu.Lock()
		end := b.end
		b.mu.Unlock()
		if !end.IsZero() {
			var cancel context.CancelFunc
			wctx, cancel = context.WithDeadline(ctx, end)
			defer cancel()
		}
	}
	release, err := f.hosts.Acquire(wctx, host)
	if err != nil {
		if ctx.Err() == nil && b != nil {
			return nil, nil, wait, false, &DeadlineError{Deadline: b.d}
		}
		return nil, nil, wait, false, err
	}
	defer release()

	actx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	if b != nil {
		if end := b.start(); end.Before(time.Now().Add(f.timeout)) {
			actx, cancel = context.WithDeadline(ctx, end)
			defer cancel()
		}
	}
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, nil, wait, false, fmt.Errorf("%w: %v", ErrBadURL, err)
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", acceptHeader(kind))
	// Asked for explicitly (rather than left to the transport) so that a
	// body that lies about being gzip is reported, and so that MaxBytes
	// counts decompressed bytes whatever the client.
	req.Header.Set("Accept-Encoding", "gzip")
	if cond != nil {
		if cond.etag != "" {
			req.Header.Set("If-None-Match", cond.etag)
		}
		if cond.lastModified != "" {
			req.Header.Set("If-Modified-Since", cond.lastModified)
		}
	}
	resp, err := f.client.Do(req)
	if err != nil {
		retry, err = f.networkError(ctx, actx, "request", err)
		return nil, nil, wait, retry, err
	}
	defer resp.Body.Close()

	switch code := resp.StatusCode; {
	case isFollowedRedirect(code) && resp.Header.Get("Location") != "":
		drainBody(resp.Body)
		loc, err := u.Parse(resp.Header.Get("Location"))
		if err != nil {
			return nil, nil, wait, false, fmt.Errorf("redirect to a bad Location %q: %v", resp.Header.Get("Location"), err)
		}
		if err := checkFetchURL(loc); err != nil {
			return nil, nil, wait, false, fmt.Errorf("redirect to %q: %w", loc, err)
		}
		loc.Fragment, loc.RawFragment = "", ""
		return nil, loc, wait, false, nil
	case code == http.StatusNotModified && cond != nil:
		drainBody(resp.Body)
		return &fetchResult{notModified: true}, nil, wait, false, nil
	case code >= 200 && code < 300 && code != http.StatusNoContent && code != http.StatusResetContent && code != http.StatusPartialContent:
	default:
		drainBody(resp.Body)
		err := &StatusError{Code: code, Status: resp.Status}
		retry = code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500
		if retry {
			wait = parseRetryAfter(resp.Header.Get("Retry-After"), f.now())
		}
		return nil, nil, wait, retry, err
	}

	body, err := f.readBody(ctx, actx, resp, kind)
	if err != nil {
		var re retryableFetchError
		if errors.As(err, &re) {
			return nil, nil, wait, true, re.err
		}
		return nil, nil, wait, false, err
	}
	return &fetchResult{
		contentType:  resp.Header.Get("Content-Type"),
		etag:         resp.Header.Get("ETag"),
		lastModified: resp.Header.Get("Last-Modified"),
		body:         body,
	}, nil, wait, false, nil
}

// isFollowedRedirect reports whether code is a redirect the Fetcher follows.
func isFollowedRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// acceptHeader returns the Accept request header for kind.
func acceptHeader(kind fetchKind) string {
	switch kind {
	case fetchFeed:
		return "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
	case fetchRobots:
		return "text/plain, */*;q=0.1"
	}
	return "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
}

// drainBody reads a little of an unwanted body so that the connection can be
// reused; a longer body is left, and closing it closes the connection.
func drainBody(r io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r, 4<<10))
}

// retryableFetchError marks a body read failure worth another attempt.
type retryableFetchError struct{ err error }

func (e retryableFetchError) Error() string { return e.err.Error() }
func (e retryableFetchError) Unwrap() error { return e.err }

// networkError classifies a request or body read failure: a timeout of the
// attempt (ErrTimeout) and most network errors are retried; certificate
// errors and unknown hosts are not. When ctx itself is done, it returns
// ctx.Err().
func (f *Fetcher) networkError(ctx, actx context.Context, op string, err error) (retry bool, _ error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	if b := budgetOf(ctx); b != nil && b.expired(0) {
		return false, &DeadlineError{Deadline: b.d}
	}
	if errors.Is(actx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return true, fmt.Errorf("%w: no complete answer within %v (%s)", ErrTimeout, f.timeout, op)
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		// A name that does not exist stays so; a failing resolver may
		// recover.
		return !dns.IsNotFound, fmt.Errorf("%w: %w", ErrDNS, err)
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTDOWN) {
		return true, fmt.Errorf("%w: %w", ErrUnreachable, err)
	}
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	if errors.As(err, &unknownAuthority) ||
		errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify) {
		return false, err
	}
	if op == "request" {
		return true, err
	}
	return true, fmt.Errorf("%s: %w", op, err)
}

// errTrackReader remembers the first error of the reader it wraps other than
// io.EOF, to tell network failures from gzip format errors.
type errTrackReader struct {
	r   io.Reader
	err error
}

func (t *errTrackReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// readBody reads the body of a successful response, undoing gzip, checking
// the content type on its first bytes and the size limit while reading.
// Errors worth a retry are wrapped in retryableFetchError.
func (f *Fetcher) readBody(ctx, actx context.Context, resp *http.Response, kind fetchKind) ([]byte, error) {
	limit := f.limit(kind)
	ct := resp.Header.Get("Content-Type")
	mt := fetchMediaType(ct)
	if kind == fetchPage && !maybeHTMLMediaType(mt) {
		return nil, fmt.Errorf("%w: %s is not HTML", ErrContentType, mt)
	}
	if kind == fetchFeed && isBinaryMediaType(mt) {
		return nil, fmt.Errorf("%w: %s is not a feed or sitemap", ErrContentType, mt)
	}
	ce := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if resp.ContentLength > limit && kind != fetchRobots && (ce == "" || ce == "identity") {
		return nil, fmt.Errorf("%w: Content-Length %d is over the limit of %d bytes", ErrTooLarge, resp.ContentLength, limit)
	}

	tr := &errTrackReader{r: resp.Body}
	var r io.Reader = tr
	gz := false
	switch ce {
	case "", "identity":
	case "gzip", "x-gzip":
		gz = true
	default:
		return nil, fmt.Errorf("%w: %q was not asked for", ErrEncoding, ce)
	}
	// readErr classifies a read failure: when the connection is fine (the
	// body reader saw no error) the gzip stream itself is bad, truncated
	// streams included; otherwise it is a network failure or a timeout.
	readErr := func(err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if gz && tr.err == nil && actx.Err() == nil {
			return fmt.Errorf("%w: not valid gzip: %v", ErrEncoding, err)
		}
		retry, err := f.networkError(ctx, actx, "reading body", err)
		if retry {
			return retryableFetchError{err}
		}
		return err
	}
	if gz {
		zr, err := gzip.NewReader(tr)
		if err == io.EOF && tr.err == nil {
			return nil, fmt.Errorf("%w: empty gzip body", ErrEncoding)
		}
		if err != nil {
			return nil, readErr(err)
		}
		defer zr.Close()
		r = zr
	}

	lr := io.LimitReader(r, limit+1)
	buf := bytes.NewBuffer(make([]byte, 0, min(max(resp.ContentLength, sniffBytes), limit+1, 1<<20)))
	if _, err := io.CopyN(buf, lr, sniffBytes); err != nil && err != io.EOF {
		return nil, readErr(err)
	}
	head := buf.Bytes()
	switch kind {
	case fetchPage:
		if err := checkHTMLContent(mt, head); err != nil {
			return nil, err
		}
	case fetchFeed:
		if err := checkFeedContent(mt, head); err != nil {
			return nil, err
		}
	}
	if _, err := io.Copy(buf, lr); err != nil {
		return nil, readErr(err)
	}
	if int64(buf.Len()) > limit {
		if kind == fetchRobots {
			// Google reads the first 500 KiB of a robots.txt and ignores the rest.
			return buf.Bytes()[:limit], nil
		}
		return nil, fmt.Errorf("%w: body is over the limit of %d bytes", ErrTooLarge, limit)
	}
	return buf.Bytes(), nil
}

// fetchMediaType returns the lower-case media type of a Content-Type header
// value, or "" when it is missing or unparsable.
func fetchMediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		if i := strings.IndexByte(ct, ';'); i >= 0 {
			ct = ct[:i]
		}
		mt = strings.TrimSpace(ct)
		if strings.Count(mt, "/") != 1 {
			return ""
		}
	}
	return strings.ToLower(mt)
}

// maybeHTMLMediaType reports whether a page with declared media type mt may be
// HTML: it is an HTML type, or one servers commonly get wrong (any text/*
// type, XML, octet-stream, or none), to be settled by sniffing.
func maybeHTMLMediaType(mt string) bool {
	switch mt {
	case "", "text/html", "application/xhtml+xml", "application/xml", "application/octet-stream", "binary/octet-stream":
		return true
	}
	return strings.HasPrefix(mt, "text/")
}

// isBinaryMediaType reports whether mt is a media type that is never text.
func isBinaryMediaType(mt string) bool {
	for _, p := range []string{"image/", "audio/", "video/", "font/", "model/"} {
		if strings.HasPrefix(mt, p) {
			return true
		}
	}
	switch mt {
	case "application/pdf", "application/zip", "application/wasm", "application/msword", "application/vnd.ms-excel":
		return true
	}
	return false
}

// sniffMediaType returns the media type http.DetectContentType finds in
// head, after a UTF-8 byte order mark.
func sniffMediaType(head []byte) string {
	head = bytes.TrimPrefix(head, []byte(bomUTF8))
	return fetchMediaType(http.DetectContentType(head))
}

// checkHTMLContent decides whether a page body starting with head, declared
// as mt, is HTML. An HTML declaration is believed unless the bytes are
// clearly not text (an image, an archive, binary data); any other
// declaration is believed only when the bytes look like HTML.
func checkHTMLContent(mt string, head []byte) error {
	sniffed := sniffMediaType(head)
	switch mt {
	case "text/html", "application/xhtml+xml":
		if strings.HasPrefix(sniffed, "text/") {
			return nil
		}
		return fmt.Errorf("%w: served as %s but the content is %s", ErrContentType, mt, sniffed)
	}
	if sniffed == "text/html" || (sniffed == "text/xml" && looksXHTML(head)) {
		return nil
	}
	if mt == "" {
		return fmt.Errorf("%w: no Content-Type and the content is %s, not HTML", ErrContentType, sniffed)
	}
	return fmt.Errorf("%w: %s is not HTML", ErrContentType, mt)
}

// looksXHTML reports whether an XML document starting with head has an
// <html> root.
func looksXHTML(head []byte) bool {
	return bytes.Contains(bytes.ToLower(head), []byte("<html"))
}

// checkFeedContent decides whether a body starting with head, declared as
// mt, may be a feed or a sitemap: text of any declared type, or gzip.
func checkFeedContent(mt string, head []byte) error {
	sniffed := sniffMediaType(head)
	if strings.HasPrefix(sniffed, "text/") || sniffed == "application/x-gzip" {
		return nil
	}
	if mt == "" {
		mt = "no Content-Type"
	}
	return fmt.Errorf("%w: %s, content is %s, not a feed or sitemap", ErrContentType, mt, sniffed)
}

// parseRetryAfter returns the wait a Retry-After header value asks for,
// in seconds or as an HTTP date, or -1 when v is empty or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return -1
		}
		if secs > 1<<31 {
			secs = 1 << 31
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0)
	}
	return -1
}
