package corpus

import (
	"context"

	"redline/crawl"
)

// Reasons for the *InputError values returned by Fetcher.Fetch and
// Fetcher.FeedURLs, for errors.Is. They are crawl's, which fetches: see
// there for what each means. A host that is down or refuses connections
// wraps ErrUnreachable, a failed DNS lookup ErrDNS, other network failures
// (reset, dropped halfway) carry the underlying error, and a response
// status that is not a success is a *StatusError, which matches
// ErrHTTPStatus. Too large bodies wrap ErrTooLarge, undecodable ones
// ErrEmpty, ErrBinary or ErrCharset, as for files.
var (
	// ErrBadURL: the address is not an absolute http or https URL.
	ErrBadURL = crawl.ErrBadURL
	// ErrHTTPStatus: a status other than success (a *StatusError).
	ErrHTTPStatus = crawl.ErrHTTPStatus
	// ErrTimeout: an attempt or the whole URL took too long.
	ErrTimeout = crawl.ErrTimeout
	// ErrContentType: the response is not HTML, or not a feed or sitemap.
	ErrContentType = crawl.ErrContentType
	// ErrRobots: the site's robots.txt forbids the URL to redline.
	ErrRobots = crawl.ErrRobots
	// ErrRobotsUnavailable: the site's robots.txt could not be fetched, so
	// none of its pages is.
	ErrRobotsUnavailable = crawl.ErrRobotsUnavailable
	// ErrUnreachable: the host is down or unreachable.
	ErrUnreachable = crawl.ErrUnreachable
	// ErrDNS: the host name could not be resolved.
	ErrDNS = crawl.ErrDNS
	// ErrRedirects: too many redirects, usually a loop.
	ErrRedirects = crawl.ErrRedirects
)

// StatusError is an HTTP response status that is not a success; see
// crawl.StatusError.
type StatusError = crawl.StatusError

// DeadlineError is a URL that took longer than FetchOptions.Deadline in
// all; see crawl.DeadlineError.
type DeadlineError = crawl.DeadlineError

// FetchOptions configures a Fetcher: the options of its crawl chain. The
// zero value gives the defaults.
type FetchOptions = crawl.Options

// Fetcher downloads news pages and feeds through a crawl chain (per-host
// limits and delays, robots.txt, retries with backoff, size limits, an
// on-disk cache, a deadline per URL; see crawl.New) and turns what it gets
// into Documents and feed links.
//
// A Fetcher is safe for concurrent use by many goroutines; the limits hold
// across all of them. The robots.txt rules of each host are fetched once and
// kept for the life of the Fetcher.
type Fetcher struct {
	chain *crawl.Chain
}

// NewFetcher returns a Fetcher with opts; see crawl.Options for the
// defaults. It does no I/O.
func NewFetcher(opts FetchOptions) *Fetcher {
	return &Fetcher{chain: crawl.New(opts)}
}

// UserAgent returns the User-Agent header the Fetcher sends.
func (f *Fetcher) UserAgent() string { return f.chain.Options.UserAgent }

// CacheErr returns the first error met while writing to
// FetchOptions.CacheDir, or nil. Such errors never fail a fetch: the page
// is returned, just not cached. Safe for concurrent use.
func (f *Fetcher) CacheErr() error {
	if f.chain.Cache == nil {
		return nil
	}
	return f.chain.Cache.Err()
}

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
	u, err := crawl.ParseURL(rawURL)
	if err != nil {
		return Document{}, &InputError{Input: rawURL, Err: err}
	}
	res, err := f.chain.Fetch(ctx, &crawl.Request{URL: u, Kind: crawl.Page})
	if err != nil {
		if ctx.Err() != nil {
			return Document{}, ctx.Err()
		}
		return Document{}, &InputError{Input: rawURL, Err: err}
	}
	html, err := decodeHTMLType(res.Body, res.ContentType)
	if err != nil {
		// A copy that cannot be read is not kept: the next run asks again.
		if f.chain.Cache != nil {
			f.chain.Cache.Forget(crawl.Page, u.String())
		}
		return Document{}, &InputError{Input: rawURL, Err: err}
	}
	return Document{ID: ContentID(res.URL), IDFromContent: true, Source: rawURL, URL: res.URL, HTML: html}, nil
}
