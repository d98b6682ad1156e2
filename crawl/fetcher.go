// Package crawl fetches web pages, feeds and robots.txt files politely and
// knows nothing of documents: corpus imports crawl and turns its responses
// into documents; crawl imports nothing of redline, so it can be used and
// tested without readers, documents or extraction.
//
// A Fetcher is a small interface. The one that talks to the network is HTTP
// (one attempt, size limits, content types, gzip); the others are
// decorators that wrap a Fetcher and add one concern each, in the shape of
// restic's backend wrappers:
//
//	Deadline   a total time per URL (robots.txt, redirects and retries included)
//	Cache      the on-disk cache of pages and feeds, with revalidation
//	Redirects  follows redirects one hop at a time through the rest of the chain
//	Robots     robots.txt rules, Crawl-delay
//	Retry      backoff and Retry-After for transient failures
//	Paced      per-host and total limits and delays (Hosts)
//	HTTP       one request
//
// New builds that chain from Options, in that order (outermost first), so
// that every redirect hop is checked against robots.txt and every attempt
// is paced.
//
// Retries are not delegated to github.com/hashicorp/go-retryablehttp
// (v0.7.8 was read for it): its Client.Do owns the loop and sleeps on its
// own timer, retries only until the response header (a body that breaks
// off halfway is not retried), honours Retry-After for that one request
// only (here it holds back every request to the host, through PushBack),
// and knows no total deadline per URL spanning robots.txt, redirects and
// retries. Retry keeps its own loop, on the same pacing as everything else.
//
// Size: one file per decorator, each with its own table test.
package crawl

import (
	"context"
	"net/url"
)

// Kind is what a request is for: it decides the Accept header, the accepted
// content types, the size limit, the robots.txt check and the cache key.
type Kind int

// Kinds of request.
const (
	// Page is an HTML article.
	Page Kind = iota
	// Feed is an RSS, Atom or JSON feed or a sitemap.
	Feed
	// RobotsTxt is a robots.txt file; it is neither checked against
	// robots.txt nor cached.
	RobotsTxt
)

// Request is one URL to fetch.
type Request struct {
	// URL is an absolute http or https URL without fragment (see ParseURL).
	URL *url.URL
	// Kind is what the URL is expected to hold.
	Kind Kind
	// Cond, when not nil, makes the request conditional (If-None-Match,
	// If-Modified-Since) when URL is Cond.URL; a 304 answer is then a
	// Response with NotModified set.
	Cond *Validators
}

// Validators are what a conditional request for one URL carries.
type Validators struct {
	// URL is the address they belong to (a cached final URL).
	URL          string
	ETag         string
	LastModified string
}

// Response is a successful answer.
type Response struct {
	// URL is the final address, after redirects, without fragment.
	URL string
	// ContentType, ETag and LastModified are the response headers.
	ContentType  string
	ETag         string
	LastModified string
	// Body is the body, gzip undone, within the size limit of the Kind.
	Body []byte
	// NotModified reports a 304 answer to a conditional request; Body is
	// then empty.
	NotModified bool
	// Location is the target of a redirect that is still to be followed;
	// only Fetchers below Redirects return it, and then nothing else.
	Location *url.URL
	// Cached reports a response served from the Cache.
	Cached bool
}

// Fetcher fetches one request. A Fetcher is safe for concurrent use. An
// error is ctx.Err() when ctx ended, otherwise it says why the URL could
// not be had and matches one of the Err* values of this package with
// errors.Is, or is a network error.
type Fetcher interface {
	Fetch(ctx context.Context, req *Request) (*Response, error)
}

// Func adapts a function to a Fetcher.
type Func func(ctx context.Context, req *Request) (*Response, error)

// Fetch calls f.
func (f Func) Fetch(ctx context.Context, req *Request) (*Response, error) { return f(ctx, req) }
