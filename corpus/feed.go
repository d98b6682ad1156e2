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
	"os"
	"strings"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
	"golang.org/x/sync/errgroup"

	"redline/crawl"
)

// ErrNotFeed: a feed URL's content is neither an RSS, Atom or JSON feed nor
// a sitemap or sitemap index.
var ErrNotFeed = errors.New("not an RSS, Atom or JSON feed or a sitemap")

// Sitemap protocol limits.
const (
	maxSitemapLocs = 50000 // URLs in one sitemap, or sitemaps in one index
	maxLocLen      = 2048  // characters in one <loc>
)

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
		if _, err := crawl.ParseURL(s); err != nil {
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
// sitemaps (.xml.gz) are accepted. A feedURL that IsURL does not call a
// URL is a feed or sitemap saved to a file: it is read, not fetched, and
// relative links are resolved against the site an RSS, Atom or JSON feed
// names (its channel link), and dropped when there is none, as in a
// sitemap; a sitemap index's sitemaps are still fetched.
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
	var res *crawl.Response
	if IsURL(feedURL) {
		u, err := crawl.ParseURL(feedURL)
		if err != nil {
			return nil, &InputError{Input: feedURL, Err: err}
		}
		if res, err = f.fetchFeed(ctx, u); err != nil {
			return nil, f.feedError(ctx, feedURL, err)
		}
	} else {
		// A feed saved to a file: its articles are still fetched.
		var err error
		if res, err = f.readFeedFile(feedURL); err != nil {
			return nil, &InputError{Input: feedURL, Err: err}
		}
	}
	kind, locs, perr := parseSitemap(res.Body)
	switch kind {
	case sitemapURLSet:
		links := resolveLinks(res.URL, locs)
		if perr != nil {
			return links, &InputError{Input: feedURL, Err: fmt.Errorf("%w: broken sitemap: %v", ErrNotFeed, perr)}
		}
		return links, nil
	case sitemapIndex:
		children := resolveLinks(res.URL, locs)
		links, err := f.sitemapChildren(ctx, children)
		if perr != nil {
			err = errors.Join(&InputError{Input: feedURL, Err: fmt.Errorf("%w: broken sitemap index: %v", ErrNotFeed, perr)}, err)
		}
		return links, err
	}
	links, err := parseFeed(res.URL, res.Body)
	if err != nil {
		return nil, &InputError{Input: feedURL, Err: err}
	}
	return links, nil
}

// parseFeed returns the article links of an RSS, Atom or JSON feed whose
// address is base: each item's link (or its first link, or its GUID when
// that is an http or https URL), resolved as resolveLinks does. A body
// that is no such feed is an error wrapping ErrNotFeed.
func parseFeed(base string, body []byte) ([]string, error) {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotFeed, err)
	}
	if base == "" && IsURL(feed.Link) {
		// A feed read from a file has no address of its own: relative
		// links are taken as the site it names says.
		base = feed.Link
	}
	var locs []string
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		link := strings.TrimSpace(it.Link)
		if link == "" && len(it.Links) > 0 {
			link = strings.TrimSpace(it.Links[0])
		}
		if link == "" && IsURL(it.GUID) {
			link = it.GUID
		}
		if link != "" {
			locs = append(locs, link)
		}
	}
	return resolveLinks(base, locs), nil
}

// feedError wraps a fetch failure of a feed.
func (f *Fetcher) feedError(ctx context.Context, input string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return &InputError{Input: input, Err: err}
}

// fetchFeed fetches a feed or sitemap through the chain (a cached copy is
// always revalidated) and gunzips a gzipped file.
func (f *Fetcher) fetchFeed(ctx context.Context, u *url.URL) (*crawl.Response, error) {
	res, err := f.chain.Fetch(ctx, &crawl.Request{URL: u, Kind: crawl.Feed})
	if err != nil {
		return nil, err
	}
	body, err := gunzipFeed(res.Body, crawl.Limit(crawl.Feed, f.chain.Options.MaxBytes))
	if err != nil {
		return nil, err
	}
	r := *res
	r.Body = body
	return &r, nil
}

// readFeedFile reads a feed or sitemap saved to a file, within the size
// limit of fetched feeds, and gunzips a gzipped one. Its address is
// unknown: the Response's URL is empty (see FeedURLs for its relative
// links).
func (f *Fetcher) readFeedFile(path string) (*crawl.Response, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	limit := crawl.Limit(crawl.Feed, f.chain.Options.MaxBytes)
	body, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("%w: file is over the limit of %d bytes", ErrTooLarge, limit)
	}
	if body, err = gunzipFeed(body, limit); err != nil {
		return nil, err
	}
	return &crawl.Response{Body: body}, nil
}

// gunzipFeed returns body gunzipped when it is gzipped (a .xml.gz
// sitemap), at most limit bytes, and body itself otherwise.
func gunzipFeed(body []byte, limit int64) ([]byte, error) {
	if !bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		return body, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: gzipped file: %v", ErrNotFeed, err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: gzipped file: %v", ErrNotFeed, err)
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("%w: gunzipped file is over the limit of %d bytes", ErrTooLarge, limit)
	}
	return out, nil
}

// sitemapChildren fetches the sitemaps of an index, a few at a time, and
// returns their links in the index's order.
func (f *Fetcher) sitemapChildren(ctx context.Context, children []string) ([]string, error) {
	links := make([][]string, len(children))
	errs := make([]error, len(children))
	var g errgroup.Group
	g.SetLimit(f.chain.Options.PerHost)
	for i, child := range children {
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil
			}
			u, err := crawl.ParseURL(child)
			if err != nil {
				errs[i] = &InputError{Input: child, Err: err}
				return nil
			}
			res, err := f.fetchFeed(ctx, u)
			if err != nil {
				errs[i] = f.feedError(ctx, child, err)
				return nil
			}
			kind, locs, perr := parseSitemap(res.Body)
			if kind != sitemapURLSet {
				errs[i] = &InputError{Input: child, Err: fmt.Errorf("%w: a sitemap index must list <urlset> sitemaps", ErrNotFeed)}
				return nil
			}
			if perr != nil {
				errs[i] = &InputError{Input: child, Err: fmt.Errorf("%w: broken sitemap: %v", ErrNotFeed, perr)}
			}
			links[i] = resolveLinks(res.URL, locs)
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
		if err != nil || crawl.CheckURL(u) != nil {
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
