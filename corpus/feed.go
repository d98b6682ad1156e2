package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
	"golang.org/x/sync/errgroup"
)

// ErrNotFeed: a feed URL's content is neither an RSS, Atom or JSON feed nor
// a sitemap or sitemap index.
var ErrNotFeed = errors.New("not an RSS, Atom or JSON feed or a sitemap")

// Sitemap protocol limits.
const (
	maxSitemapLocs = 50000 // URLs in one sitemap, or sitemaps in one index
	maxLocLen      = 2048  // characters in one <loc>
)

// URLSource fetches a list of URLs with a Fetcher and yields the pages as
// Documents. It implements the pipeline's Source.
//
// Fetches run concurrently, within the Fetcher's limits, and documents come
// out in the order they finish, not the order of the list. A URL that
// cannot be fetched is an *InputError from Next (see Fetcher.Fetch); the
// source goes on with the others.
//
// Next may be called from several goroutines. Close must be called when
// the source is no longer needed, for instance after cancelling the context
// given to Next: it stops the fetches in flight and waits for them, so no
// goroutine of the source survives it.
type URLSource struct {
	f       *Fetcher
	urls    []string
	workers int

	start   sync.Once
	ctx     context.Context
	cancel  context.CancelFunc
	results chan urlResult
	done    chan struct{} // closed when every worker has returned
	next    atomic.Int64  // index in urls of the next URL to fetch
	closed  atomic.Bool
}

// urlResult is the outcome of one fetch.
type urlResult struct {
	doc Document
	err error
}

// URLSourceOption configures NewURLSource.
type URLSourceOption func(*URLSource)

// URLWorkers sets how many goroutines fetch at once. The default is the
// Fetcher's MaxConcurrent (16 by default), and never more than the number
// of URLs; the Fetcher's limits per host and in total hold whatever the
// number of workers.
func URLWorkers(n int) URLSourceOption {
	return func(s *URLSource) {
		if n > 0 {
			s.workers = n
		}
	}
}

// errURLSourceClosed is returned by Next after Close.
var errURLSourceClosed = errors.New("corpus: URLSource is closed")

// NewURLSource returns a source that fetches urls with f (nil means
// NewFetcher(FetchOptions{})). Nothing is fetched until the first call to
// Next. The list is reordered so that
// consecutive fetches go to different hosts (round robin), which keeps the
// workers busy when the per-host limits hold back one host; urls itself is
// not modified.
func NewURLSource(urls []string, f *Fetcher, opts ...URLSourceOption) *URLSource {
	if f == nil {
		f = NewFetcher(FetchOptions{})
	}
	s := &URLSource{f: f, urls: interleaveHosts(urls), workers: cap(f.global)}
	for _, o := range opts {
		o(s)
	}
	s.workers = max(1, min(s.workers, len(s.urls)))
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.results = make(chan urlResult)
	s.done = make(chan struct{})
	return s
}

// interleaveHosts returns urls reordered round robin over their hosts,
// keeping the order of the URLs of each host.
func interleaveHosts(urls []string) []string {
	var order []string
	groups := make(map[string][]string)
	for _, s := range urls {
		key := ""
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil {
			key = strings.ToLower(u.Host)
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], s)
	}
	out := make([]string, 0, len(urls))
	for i := 0; len(out) < len(urls); i++ {
		for _, k := range order {
			if g := groups[k]; i < len(g) {
				out = append(out, g[i])
			}
		}
	}
	return out
}

// Next returns the next fetched page, an *InputError for a URL that could
// not be fetched, io.EOF when every URL has been dealt with, ctx.Err() when
// ctx ends first (the fetches go on until Close), or an error after Close.
func (s *URLSource) Next(ctx context.Context) (Document, error) {
	if s.closed.Load() {
		return Document{}, errURLSourceClosed
	}
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	s.start.Do(s.run)
	select {
	case r, ok := <-s.results:
		if !ok {
			if s.closed.Load() {
				return Document{}, errURLSourceClosed
			}
			return Document{}, io.EOF
		}
		return r.doc, r.err
	case <-ctx.Done():
		return Document{}, ctx.Err()
	case <-s.ctx.Done():
		return Document{}, errURLSourceClosed
	}
}

// run starts the workers, and a goroutine that closes results once they
// have all returned.
func (s *URLSource) run() {
	var wg sync.WaitGroup
	for range s.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(s.next.Add(1) - 1)
				if i >= len(s.urls) || s.ctx.Err() != nil {
					return
				}
				doc, err := s.f.Fetch(s.ctx, s.urls[i])
				if s.ctx.Err() != nil {
					return
				}
				select {
				case s.results <- urlResult{doc, err}:
				case <-s.ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(s.results)
		close(s.done)
	}()
}

// Close stops the fetches in flight and waits until every goroutine of the
// source has returned. It is safe to call more than once, and from any
// goroutine; it always returns nil.
func (s *URLSource) Close() error {
	s.closed.Store(true)
	s.cancel()
	s.start.Do(func() { close(s.done) }) // never started: nothing to wait for
	<-s.done
	return nil
}

// ReadURLList reads a list of URLs, one a line, as given to --urls: blank
// lines and lines starting with # (after white space) are skipped,
// surrounding white space is removed, and a URL listed twice is kept once,
// at its first place. Every other line must be an absolute http or https
// URL; when some are not, the error names each bad line (up to 20) by its
// 1-based number, and no URLs are returned. Lines may be up to 1 MiB long.
// ScanURLList is the lenient variant, which keeps the good lines.
func ReadURLList(r io.Reader) ([]string, error) {
	urls, bad, err := ScanURLList(r, "")
	if err != nil {
		return nil, err
	}
	var errs []error
	for i, b := range bad {
		if i == 20 {
			errs = append(errs, fmt.Errorf("and %d more bad lines", len(bad)-20))
			break
		}
		errs = append(errs, fmt.Errorf("line %d: %w", b.Line, b.Err))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return urls, nil
}

// ScanURLList reads a list of URLs like ReadURLList, but a line that is not
// an absolute http or https URL does not spoil the list: it is returned in
// bad as an *InputError whose Input is name, Line the line's 1-based number
// and Err wraps ErrBadURL (quoting the line), and the good URLs are
// returned all the same. err is only a read failure (or a line over 1 MiB),
// in which case no URLs are returned.
func ScanURLList(r io.Reader, name string) (urls []string, bad []*InputError, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	seen := make(map[string]bool)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if line == 1 {
			s = strings.TrimSpace(strings.TrimPrefix(s, bomUTF8))
		}
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if _, err := parseFetchURL(s); err != nil {
			bad = append(bad, &InputError{Input: name, Line: line, Err: fmt.Errorf("%q: %w", s, err)})
			continue
		}
		if !seen[s] {
			seen[s] = true
			urls = append(urls, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return urls, bad, nil
}

// FeedURLs fetches an RSS, Atom or JSON feed, a sitemap (<urlset>, news
// sitemaps included) or a sitemap index (<sitemapindex>), and returns the
// article links it lists: absolute http and https URLs, resolved against
// the feed's address, without fragments, each once, in the feed's order.
// For a sitemap index, each listed sitemap is fetched and its links
// returned in turn; indexes listed by an index are not followed. Gzipped
// sitemaps (.xml.gz) are accepted.
//
// The fetches obey the same rules as Fetch (robots.txt, User-Agent,
// per-host limits, retries, size limit, which for feeds is at least 50
// MiB). With a cache folder, feeds are always revalidated, never served
// from the cache unasked.
//
// A feed that cannot be had or parsed is an *InputError naming feedURL.
// When some sitemaps of an index fail, FeedURLs returns the links of the
// others together with an error joining one *InputError per failed
// sitemap. When ctx ends, it returns ctx.Err(). Safe for concurrent use.
func (f *Fetcher) FeedURLs(ctx context.Context, feedURL string) ([]string, error) {
	u, err := parseFetchURL(feedURL)
	if err != nil {
		return nil, &InputError{Input: feedURL, Err: err}
	}
	res, err := f.fetchFeed(f.withBudget(ctx), u)
	if err != nil {
		return nil, f.feedError(ctx, feedURL, err)
	}
	kind, locs, perr := parseSitemap(res.body)
	switch kind {
	case sitemapURLSet:
		links := resolveLinks(res.url, locs)
		if perr != nil {
			return links, &InputError{Input: feedURL, Err: fmt.Errorf("%w: broken sitemap: %v", ErrNotFeed, perr)}
		}
		return links, nil
	case sitemapIndex:
		children := resolveLinks(res.url, locs)
		links, err := f.sitemapChildren(ctx, children)
		if perr != nil {
			err = errors.Join(&InputError{Input: feedURL, Err: fmt.Errorf("%w: broken sitemap index: %v", ErrNotFeed, perr)}, err)
		}
		return links, err
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(res.body))
	if err != nil {
		return nil, &InputError{Input: feedURL, Err: fmt.Errorf("%w: %v", ErrNotFeed, err)}
	}
	locs = locs[:0]
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		if link == "" && (strings.HasPrefix(it.GUID, "http://") || strings.HasPrefix(it.GUID, "https://")) {
			link = it.GUID
		}
		if link != "" {
			locs = append(locs, link)
		}
	}
	return resolveLinks(res.url, locs), nil
}

// feedError wraps a fetch failure of a feed.
func (f *Fetcher) feedError(ctx context.Context, input string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &InputError{Input: input, Err: err}
}

// fetchFeed fetches a feed or sitemap through the cache (always
// revalidated) and gunzips a gzipped file.
func (f *Fetcher) fetchFeed(ctx context.Context, u *url.URL) (*fetchResult, error) {
	res, err := f.fetchCached(ctx, u, fetchFeed)
	if err != nil {
		return nil, err
	}
	if res.fresh {
		f.storeCache(fetchFeed, u.String(), res)
	}
	if bytes.HasPrefix(res.body, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(res.body))
		if err != nil {
			return nil, fmt.Errorf("%w: gzipped file: %v", ErrNotFeed, err)
		}
		limit := f.limit(fetchFeed)
		body, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil {
			return nil, fmt.Errorf("%w: gzipped file: %v", ErrNotFeed, err)
		}
		if int64(len(body)) > limit {
			return nil, fmt.Errorf("%w: gunzipped file is over the limit of %d bytes", ErrTooLarge, limit)
		}
		r := *res
		r.body = body
		return &r, nil
	}
	return res, nil
}

// sitemapChildren fetches the sitemaps of an index, a few at a time, and
// returns their links in the index's order.
func (f *Fetcher) sitemapChildren(ctx context.Context, children []string) ([]string, error) {
	links := make([][]string, len(children))
	errs := make([]error, len(children))
	var g errgroup.Group
	g.SetLimit(f.perHost)
	for i, child := range children {
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil
			}
			u, err := parseFetchURL(child)
			if err != nil {
				errs[i] = &InputError{Input: child, Err: err}
				return nil
			}
			res, err := f.fetchFeed(f.withBudget(ctx), u)
			if err != nil {
				errs[i] = f.feedError(ctx, child, err)
				return nil
			}
			kind, locs, perr := parseSitemap(res.body)
			if kind != sitemapURLSet {
				errs[i] = &InputError{Input: child, Err: fmt.Errorf("%w: a sitemap index must list <urlset> sitemaps", ErrNotFeed)}
				return nil
			}
			if perr != nil {
				errs[i] = &InputError{Input: child, Err: fmt.Errorf("%w: broken sitemap: %v", ErrNotFeed, perr)}
			}
			links[i] = resolveLinks(res.url, locs)
			return nil
		})
	}
	g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var all []string
	seen := make(map[string]bool)
	for _, l := range links {
		for _, s := range l {
			if !seen[s] {
				seen[s] = true
				all = append(all, s)
			}
		}
	}
	return all, errors.Join(errs...)
}

// resolveLinks resolves links against base and keeps the http and https
// ones, without fragments, each once.
func resolveLinks(base string, links []string) []string {
	b, err := url.Parse(base)
	if err != nil {
		return nil
	}
	var out []string
	seen := make(map[string]bool)
	for _, l := range links {
		u, err := b.Parse(strings.TrimSpace(l))
		if err != nil || checkFetchURL(u) != nil {
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		s := u.String()
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// sitemapKind is the root element of an XML document.
type sitemapKind int

const (
	sitemapNone   sitemapKind = iota // not a sitemap
	sitemapURLSet                    // <urlset>: page URLs
	sitemapIndex                     // <sitemapindex>: sitemap URLs
)

// parseSitemap reads a sitemap (<urlset>) or a sitemap index
// (<sitemapindex>), whatever their namespaces, and returns the text of the
// <loc> children of its <url> or <sitemap> elements, trimmed; other <loc>
// elements (image:loc, video:loc, ...) are ignored, and so are empty ones
// and ones longer than 2048 bytes. It stops after 50,000 locs.
//
// kind is sitemapNone, with no error, when data is XML of another kind (a
// feed) or not XML at all. A syntax error after the root element returns
// the locs read so far with the error.
func parseSitemap(data []byte) (kind sitemapKind, locs []string, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	depth := 0
	parent := "" // local name of the current depth-2 element
	inLoc := false
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return kind, locs, nil
		}
		if err != nil {
			if kind == sitemapNone {
				return sitemapNone, nil, nil
			}
			return kind, locs, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch depth {
			case 1:
				switch t.Name.Local {
				case "urlset":
					kind = sitemapURLSet
				case "sitemapindex":
					kind = sitemapIndex
				default:
					return sitemapNone, nil, nil
				}
			case 2:
				parent = t.Name.Local
			case 3:
				if t.Name.Local == "loc" && (kind == sitemapURLSet && parent == "url" || kind == sitemapIndex && parent == "sitemap") {
					inLoc = true
					text.Reset()
				}
			}
		case xml.EndElement:
			if depth == 3 && inLoc {
				inLoc = false
				if s := strings.TrimSpace(text.String()); s != "" && len(s) <= maxLocLen {
					locs = append(locs, s)
					if len(locs) >= maxSitemapLocs {
						return kind, locs, nil
					}
				}
			}
			depth--
			if depth <= 0 {
				return kind, locs, nil
			}
		case xml.CharData:
			if inLoc && depth == 3 {
				text.Write(t)
			}
		}
	}
}
