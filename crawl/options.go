package crawl

import (
	"context"
	"net/http"
	"time"
)

// Defaults of Options.
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
	// DefaultMaxBytes is the default size limit of a Page body: 10 MiB.
	DefaultMaxBytes = 10 << 20
	// projectURL is named in the default User-Agent.
	projectURL = "https://github.com/redline-news/redline"
)

// Options configures the chain New builds. The zero value gives the
// defaults; every duration is wall-clock time.
type Options struct {
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
	// in all; see the Deadline decorator. Zero or negative means no limit
	// other than Timeout and Retries.
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
	// IgnoreRobots leaves out the Robots decorator. By default each host's
	// robots.txt is fetched once per chain and every URL (and every
	// redirect target) is checked against its rules for the agent
	// "redline".
	IgnoreRobots bool
	// Version is redline's version, named in the default User-Agent. Empty
	// means "dev".
	Version string
	// UserAgent replaces the default User-Agent header,
	// "redline/<Version> (+https://github.com/redline-news/redline)".
	UserAgent string
	// CacheDir, when not empty, adds the Cache decorator on this folder.
	CacheDir string
	// Refresh revalidates cached pages too (see Cache).
	Refresh bool
	// Client sends the requests. Nil means a client built with
	// ConnectTimeout. The chain uses a copy that does not follow redirects
	// (Redirects follows them, so that every hop is checked against
	// robots.txt and paced); its Timeout, if any, still applies.
	Client *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits for d or until ctx is done, returning ctx.Err() then;
	// nil means Sleep. Tests replace Now and Sleep.
	Sleep func(ctx context.Context, d time.Duration) error
}

// withDefaults returns o with every zero or negative field replaced by
// what it means.
func (o Options) withDefaults() Options {
	o.PerHost = positiveOr(o.PerHost, defaultPerHost)
	switch {
	case o.PerHostDelay == 0:
		o.PerHostDelay = defaultPerHostDelay
	case o.PerHostDelay < 0:
		o.PerHostDelay = 0
	}
	o.MaxConcurrent = positiveOr(o.MaxConcurrent, defaultMaxConcurrent)
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = defaultConnectTimeout
	}
	if o.Timeout <= 0 {
		o.Timeout = defaultFetchTimeout
	}
	o.Deadline = max(o.Deadline, 0)
	switch {
	case o.Retries == 0:
		o.Retries = defaultRetries
	case o.Retries < 0:
		o.Retries = 0
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = defaultRetryBackoff
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = defaultMaxRetryAfter
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = defaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	if o.UserAgent == "" {
		v := o.Version
		if v == "" {
			v = defaultVersion
		}
		o.UserAgent = "redline/" + v + " (+" + projectURL + ")"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = Sleep
	}
	return o
}

// positiveOr returns v when it is positive, def otherwise.
func positiveOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// Chain is the Fetcher New builds, with the parts its users look at.
type Chain struct {
	// Fetcher is the outermost decorator.
	Fetcher
	// Options are the options with the defaults filled in.
	Options Options
	// Hosts paces the requests.
	Hosts *Hosts
	// Cache is nil without Options.CacheDir.
	Cache *Cache
}

// New builds the chain of o, outermost first: Deadline, Cache, Redirects,
// Robots, Retry, Paced and HTTP, leaving out Cache without a CacheDir and
// Robots with IgnoreRobots. It does no I/O.
func New(o Options) *Chain {
	o = o.withDefaults()
	c := &Chain{Options: o}
	c.Hosts = NewHosts(HostOptions{PerHost: o.PerHost, Delay: o.PerHostDelay, MaxConcurrent: o.MaxConcurrent, Now: o.Now, Sleep: o.Sleep})
	var f Fetcher = &HTTP{
		Client:    NewClient(o.Client, o.ConnectTimeout, o.Timeout, o.PerHost),
		UserAgent: o.UserAgent,
		Timeout:   o.Timeout,
		MaxBytes:  o.MaxBytes,
		Now:       o.Now,
	}
	f = &Paced{Next: f, Hosts: c.Hosts}
	f = &Retry{Next: f, Retries: o.Retries, Backoff: o.RetryBackoff, MaxWait: o.MaxRetryAfter, Hosts: c.Hosts, Now: o.Now, Sleep: o.Sleep}
	if !o.IgnoreRobots {
		f = NewRobots(f, Agent, c.Hosts)
	}
	f = &Redirects{Next: f, Max: o.MaxRedirects}
	if o.CacheDir != "" {
		c.Cache = NewCache(f, o.CacheDir, o.Refresh, o.MaxBytes, o.Now)
		f = c.Cache
	}
	c.Fetcher = &Deadline{Next: f, D: o.Deadline}
	return c
}
