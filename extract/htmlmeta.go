package extract

import (
	"encoding/json"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"redline/corpus"
)

// pageMeta reads a page's metadata: its <meta> tags (by name, property and
// itemprop, case-insensitive; the first of each wins) and its JSON-LD
// blocks, decoded once.
type pageMeta struct {
	doc   *goquery.Document
	metas map[string]string
	ld    []any
}

func newPageMeta(doc *goquery.Document) *pageMeta {
	m := &pageMeta{doc: doc, metas: make(map[string]string)}
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content := strings.TrimSpace(s.AttrOr("content", ""))
		if content == "" {
			return
		}
		for _, attr := range [...]string{"property", "name", "itemprop"} {
			k := strings.ToLower(strings.TrimSpace(s.AttrOr(attr, "")))
			if _, ok := m.metas[k]; k != "" && !ok {
				m.metas[k] = content
			}
		}
	})
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, s *goquery.Selection) {
		var v any
		if json.Unmarshal([]byte(s.Text()), &v) == nil {
			m.ld = append(m.ld, v)
		}
	})
	return m
}

// meta returns the content of the first of keys that the page has.
func (m *pageMeta) meta(keys ...string) string {
	for _, k := range keys {
		if v := m.metas[k]; v != "" {
			return v
		}
	}
	return ""
}

// fill sets the Article's metadata from the page; pageURL is the address
// the page was read from, or "".
func (m *pageMeta) fill(a *Article, pageURL string) {
	a.Title = m.title()
	a.Lang = pageLang(m)
	a.CanonicalURL = m.canonical(pageURL)
	a.Author = m.author()
	a.Outlet = m.outlet(a.CanonicalURL, pageURL)
	var bad string
	a.Published, bad = m.published()
	if a.Published == "" {
		a.Published = urlDate(pageURL)
	}
	if a.Published == "" {
		a.Published = urlDate(a.CanonicalURL)
	}
	if a.Published == "" {
		a.BadPublished = bad
	}
}

// title: og:title, twitter:title, <title>, the first h1.
func (m *pageMeta) title() string {
	if t := collapseSpace(m.meta("og:title", "twitter:title")); t != "" {
		return t
	}
	if t := collapseSpace(m.doc.Find("title").First().Text()); t != "" {
		return t
	}
	return collapseSpace(m.doc.Find("h1").First().Text())
}

// published: the first date that parses from the article meta tags,
// itemprop datePublished, the date meta names, JSON-LD datePublished, and
// the first <time datetime> (in the article or main element when there is
// one), as "2006-01-02". (fill falls back to a date in the page's address.)
// bad is the first of those values that was present but did not parse,
// for the caller to report when no date is found.
func (m *pageMeta) published() (date, bad string) {
	try := func(v string) string {
		d := parseDate(v)
		if v = strings.TrimSpace(v); d == "" && v != "" && bad == "" {
			bad = v
		}
		return d
	}
	if d := try(m.meta(
		"article:published_time", "og:article:published_time", "og:published_time",
		"og:pubdate", "datepublished")); d != "" {
		return d, bad
	}
	var d string
	m.doc.Find("[itemprop=datePublished]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, v := range [...]string{s.AttrOr("content", ""), s.AttrOr("datetime", "")} {
			if d = try(v); d != "" {
				return false
			}
		}
		// The element's text is often a label around the date ("Posted
		// 3 days ago"): it is a last resort, not a declared value.
		d = parseDate(s.Text())
		return d == ""
	})
	if d != "" {
		return d, bad
	}
	if d := try(m.meta(
		"date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date",
		"dc.date.issued", "dcterms.created", "dcterms.date", "sailthru.date",
		"parsely-pub-date", "article.published", "published_time", "publication_date")); d != "" {
		return d, bad
	}
	for _, v := range m.ld {
		if d := try(jsonLDString(v, "datePublished", 0)); d != "" {
			return d, bad
		}
	}
	scope := m.doc.Find("article time[datetime], main time[datetime]")
	if scope.Length() == 0 {
		scope = m.doc.Find("time[datetime]")
	}
	scope.EachWithBreak(func(_ int, s *goquery.Selection) bool {
		d = try(s.AttrOr("datetime", ""))
		return d == ""
	})
	return d, bad
}

// reURLDate finds a date in an address's path: /2022/03/15/, /2022-03-15/,
// /20220315/ (the date must end its path segment, or the path).
var reURLDate = newLazyRegexp(`/((?:19|20)\d{2})([/-]?)(\d{2})([/-]?)(\d{2})(?:[/_.-]|$)`)

// urlDate is the date in the path of the address u, as "2006-01-02", or "".
// The two separators must agree: /2022/03-15 is no date.
func urlDate(u string) string {
	if u == "" {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	for _, sm := range reURLDate.FindAllStringSubmatch(p.Path, -1) {
		if sm[2] != sm[4] {
			continue
		}
		if d := parseDate(sm[1] + "-" + sm[3] + "-" + sm[5]); d != "" {
			return d
		}
	}
	return ""
}

// canonical: <link rel=canonical>, else og:url, made absolute against
// pageURL; only http and https addresses count.
func (m *pageMeta) canonical(pageURL string) string {
	var cands []string
	m.doc.Find("link[rel][href]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, r := range strings.Fields(strings.ToLower(s.AttrOr("rel", ""))) {
			if r == "canonical" {
				cands = append(cands, s.AttrOr("href", ""))
				return false
			}
		}
		return true
	})
	cands = append(cands, m.meta("og:url"))
	var base *url.URL
	if pageURL != "" {
		base, _ = url.Parse(pageURL)
	}
	for _, c := range cands {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		u, err := url.Parse(c)
		if err != nil {
			continue
		}
		if base != nil {
			u = base.ResolveReference(u)
		}
		if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return u.String()
		}
	}
	return ""
}

// author: the JSON-LD author's names, the author meta tags, itemprop
// author, <a rel=author>; names joined by ", ", a leading "By" dropped,
// addresses (article:author often holds a profile URL) ignored.
func (m *pageMeta) author() string {
	for _, v := range m.ld {
		if a := cleanAuthors(jsonLDNames(jsonLDValue(v, "author", 0), 0)); a != "" {
			return a
		}
	}
	for _, k := range [...]string{"author", "article:author", "dc.creator", "byl", "sailthru.author", "parsely-author", "twitter:creator"} {
		if a := cleanAuthors([]string{m.metas[k]}); a != "" {
			return a
		}
	}
	var names []string
	m.doc.Find("[itemprop~=author]").Each(func(_ int, s *goquery.Selection) {
		if n := s.Find("[itemprop=name]").First(); n.Length() > 0 {
			s = n
		}
		names = append(names, s.AttrOr("content", s.Text()))
	})
	if a := cleanAuthors(names); a != "" {
		return a
	}
	names = names[:0]
	m.doc.Find("a[rel~=author]").Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.Text())
	})
	return cleanAuthors(names)
}

// reBy is a byline's leading "By".
var reBy = newLazyRegexp(`(?i)^by\s+`)

// cleanAuthors joins distinct plausible names: white space collapsed, a
// leading "By" and "@" dropped; addresses, empty and overlong (over 80
// bytes, a sentence rather than a name) values ignored.
func cleanAuthors(names []string) string {
	var out []string
	seen := make(map[string]bool)
	for _, n := range names {
		n = strings.TrimPrefix(reBy.ReplaceAllString(collapseSpace(n), ""), "@")
		low := strings.ToLower(n)
		if n == "" || len(n) > 80 || !hasLetter(n) || strings.Contains(low, "://") || strings.HasPrefix(low, "www.") || seen[low] {
			continue
		}
		seen[low] = true
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// outlet: og:site_name, the JSON-LD publisher's name, application-name,
// else the host of the canonical or the page's address without "www.".
func (m *pageMeta) outlet(canonical, pageURL string) string {
	if o := collapseSpace(m.meta("og:site_name")); o != "" {
		return o
	}
	for _, v := range m.ld {
		if names := jsonLDNames(jsonLDValue(v, "publisher", 0), 0); len(names) > 0 {
			if o := collapseSpace(names[0]); o != "" {
				return o
			}
		}
	}
	if o := collapseSpace(m.meta("application-name")); o != "" {
		return o
	}
	if h := hostName(canonical); h != "" {
		return h
	}
	return hostName(pageURL)
}

// hostName is the host of the address u in lower case, without "www.";
// "" when u has none.
func hostName(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(p.Hostname()), "www.")
}

// jsonLDValue finds the first value of key in a decoded JSON-LD value
// (objects, arrays, @graph, mainEntity), depth-first, to a bounded depth.
func jsonLDValue(v any, key string, depth int) any {
	if depth > 8 {
		return nil
	}
	switch t := v.(type) {
	case map[string]any:
		if x, ok := t[key]; ok && x != nil {
			return x
		}
		for _, k := range [...]string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if x := jsonLDValue(t[k], key, depth+1); x != nil {
				return x
			}
		}
	case []any:
		for _, e := range t {
			if x := jsonLDValue(e, key, depth+1); x != nil {
				return x
			}
		}
	}
	return nil
}

// jsonLDString finds the first non-empty string value of key in a decoded
// JSON-LD value, like jsonLDValue.
func jsonLDString(v any, key string, depth int) string {
	if depth > 8 {
		return ""
	}
	switch t := v.(type) {
	case map[string]any:
		if s, ok := t[key].(string); ok && s != "" {
			return s
		}
		for _, k := range [...]string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if s := jsonLDString(t[k], key, depth+1); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range t {
			if s := jsonLDString(e, key, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// jsonLDNames reads the names of a JSON-LD person or organisation value: a
// string, an object with a name, or an array of those.
func jsonLDNames(v any, depth int) []string {
	if depth > 4 {
		return nil
	}
	switch t := v.(type) {
	case string:
		return []string{t}
	case map[string]any:
		return jsonLDNames(t["name"], depth+1)
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, jsonLDNames(e, depth+1)...)
		}
		return out
	}
	return nil
}

var (
	reISODate  = newLazyRegexp(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_])`)
	reCompDate = newLazyRegexp(`^(\d{4})(\d{2})(\d{2})(?:$|T)`)
)

// parseDate reads a date from meta content and returns it as "2006-01-02",
// or "" when it is not a plausible date (years 1990–2100). An ISO date is
// taken as written, in its own time zone.
func parseDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return ""
	}
	var t time.Time
	if m := reISODate.FindStringSubmatch(s); m != nil {
		tt, err := time.Parse("2006-1-2", m[1]+"-"+m[2]+"-"+m[3])
		if err != nil {
			return ""
		}
		t = tt
	} else if m := reCompDate.FindStringSubmatch(s); m != nil {
		tt, err := time.Parse("20060102", m[1]+m[2]+m[3])
		if err != nil {
			return ""
		}
		t = tt
	} else {
		// Textual dates are read as dumps' are (corpus.ParseWrittenDate).
		s = collapseSpace(s)
		t, _ = corpus.ParseWrittenDate(s)
		if t.IsZero() {
			// A date followed by a time of day: try the leading words.
			f := strings.Fields(s)
			for n := min(len(f), 4); n >= 3 && t.IsZero(); n-- {
				t, _ = corpus.ParseWrittenDate(strings.Join(f[:n], " "))
			}
		}
	}
	if t.IsZero() || t.Year() < 1990 || t.Year() > 2100 {
		return ""
	}
	return t.Format("2006-01-02")
}

// pageLang: <html lang>, else the content-language meta, else og:locale;
// the primary subtag in lower case ("en-US" → "en").
func pageLang(m *pageMeta) string {
	l := m.doc.Find("html").First().AttrOr("lang", "")
	if strings.TrimSpace(l) == "" {
		m.doc.Find("meta").EachWithBreak(func(_ int, m *goquery.Selection) bool {
			if strings.EqualFold(m.AttrOr("http-equiv", ""), "content-language") {
				l = m.AttrOr("content", "")
				return false
			}
			return true
		})
	}
	if strings.TrimSpace(l) == "" {
		l = m.meta("og:locale")
	}
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_,; "); i >= 0 {
		l = l[:i]
	}
	if len(l) < 2 || len(l) > 3 {
		return ""
	}
	for _, r := range l {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return l
}
