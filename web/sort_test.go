package web

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestSearchPageSort: the search page offers the four orders, each a link
// that keeps every filter, the bound and the page size and starts again at
// page 1; the results, the API and the export follow the order; the pager
// walks the ordered rows by cursor, each page the next slice of the whole
// list. Results came by relevance only.
func TestSearchPageSort(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	base := url.Values{"q": {"*"}, "min_confidence": {"0"}, "limit": {"4"}, "since": {"2020-01-01"}, "kind": {"demand,red_line,offer"}}
	_, _, body := get(t, ts, "/?"+base.Encode())
	links := regexp.MustCompile(`<a href="([^"]*)" rel="nofollow">([a-z ]+)</a>`).FindAllStringSubmatch(body, -1)
	// Without words to match, "best match" is no order: newest, oldest,
	// confidence, newest the current one.
	if len(links) != 2 || !strings.Contains(body, `<strong aria-current="true">newest</strong>`) || strings.Contains(body, "best match") {
		t.Fatalf("the page offers %d other orders (want 2, newest current):\n%v", len(links), links)
	}
	if _, _, body := get(t, ts, "/?q=ceasefire&min_confidence=0"); !strings.Contains(body, `<strong aria-current="true">best match</strong>`) {
		t.Error("a search with words is not best match first")
	}
	for _, o := range []string{"relevance", "newest", "oldest", "confidence"} {
		v := cloneValues(base)
		v.Set("sort", o)
		var whole searchResult
		all := cloneValues(v)
		all.Set("limit", "100")
		getJSON(t, ts, "/api/search?"+all.Encode(), http.StatusOK, &whole)
		if whole.Sort != o && !(o == "relevance" && whole.Sort == "newest") {
			t.Errorf("sort=%s: the API says %q", o, whole.Sort)
		}
		var want []string
		for _, h := range whole.Hits {
			want = append(want, h.ID)
		}
		if len(want) < 12 {
			t.Fatalf("sort=%s: %d rows", o, len(want))
		}
		// The API by cursor.
		var got []string
		for page, after := 1, ""; page < 100; page++ {
			pv := cloneValues(v)
			if after != "" {
				pv.Set("after", after)
			}
			var res searchResult
			getJSON(t, ts, "/api/search?"+pv.Encode(), http.StatusOK, &res)
			for _, h := range res.Hits {
				got = append(got, h.ID)
			}
			if res.Next == "" {
				break
			}
			after = res.Next
		}
		if !slices.Equal(got, want) {
			t.Errorf("sort=%s: the API's pages by cursor\n got %v\nwant %v", o, got, want)
		}
		// The page's pager: Next carries the cursor, the filters and the
		// order; Prev the cursor the page before ends at.
		path := "/?" + v.Encode()
		for page := 1; path != ""; page++ {
			_, _, body := get(t, ts, path)
			if !strings.Contains(body, `<input type="hidden" name="sort" value="`+o+`">`) {
				t.Errorf("sort=%s page %d: the form does not keep the order", o, page)
			}
			next := regexp.MustCompile(`<a href="([^"]*)" rel="next">`).FindStringSubmatch(body)
			prev := regexp.MustCompile(`<a href="([^"]*)" rel="prev">`).FindStringSubmatch(body)
			if page > 1 {
				if prev == nil {
					t.Fatalf("sort=%s page %d has no previous", o, page)
				}
				// The page before by the cursor of this page's first row;
				// the first page is the search itself.
				pu, _ := url.Parse(html.UnescapeString(prev[1]))
				pq := pu.Query()
				if page == 2 && (pq.Has("page") || pq.Has("before")) || page > 2 && (pq.Get("page") != strconv.Itoa(page-1) || pq.Get("before") == "") ||
					pq.Has("after") || pq.Get("sort") != o {
					t.Errorf("sort=%s page %d: previous is %s", o, page, pu)
				}
			}
			if next == nil {
				path = ""
				continue
			}
			nu, err := url.Parse(html.UnescapeString(next[1]))
			if err != nil {
				t.Fatal(err)
			}
			q := nu.Query()
			for k := range base {
				if q.Get(k) != base.Get(k) {
					t.Errorf("sort=%s page %d: next drops %s: %s", o, page, k, nu)
				}
			}
			if q.Get("sort") != o || q.Get("page") != strconv.Itoa(page+1) || q.Get("after") == "" {
				t.Errorf("sort=%s page %d: next is %s", o, page, nu)
			}
			path = nu.String()
		}
	}
	// Every sort link keeps the filters and starts at page 1.
	_, _, body = get(t, ts, "/?"+base.Encode()+"&page=2&sort=oldest")
	for _, m := range regexp.MustCompile(`<a href="([^"]*)" rel="nofollow">`).FindAllStringSubmatch(body, -1) {
		u, _ := url.Parse(html.UnescapeString(m[1]))
		q := u.Query()
		for k := range base {
			if q.Get(k) != base.Get(k) {
				t.Errorf("sort link %s drops %s", u, k)
			}
		}
		if q.Has("page") || q.Has("after") || q.Get("sort") == "" {
			t.Errorf("sort link %s", u)
		}
	}
	// The export follows the order.
	ex := cloneValues(base)
	ex.Set("sort", "oldest")
	ex.Set("format", "jsonl")
	code, _, body := get(t, ts, "/api/export?"+ex.Encode())
	var dates []string
	for _, m := range regexp.MustCompile(`"published":"([^"]*)"`).FindAllStringSubmatch(body, -1) {
		dates = append(dates, m[1])
	}
	if code != http.StatusOK || len(dates) < 12 || !slices.IsSorted(dates) {
		t.Errorf("export sort=oldest: status %d, dates %v", code, dates)
	}
	// A name that is no order, and a cursor of another search.
	for _, bad := range []string{"/?sort=latest", "/api/search?sort=latest", "/api/export?sort=latest", "/?after=xyz", "/api/search?after=xyz", "/?before=xyz", "/api/search?before=xyz", "/?before=xyz&after=xyz"} {
		code, _, body := get(t, ts, bad)
		name := "sort"
		if u, _ := url.Parse(bad); !u.Query().Has("sort") {
			name = strings.Trim(strings.SplitN(u.RawQuery, "=", 2)[0], "?")
		}
		if code != http.StatusBadRequest || !strings.Contains(body, name) {
			t.Errorf("GET %s: status %d\n%.300s", bad, code, body)
		}
	}
}

// TestPagerBackByCursor: "Previous" leads to the page before by a cursor,
// so that walking back from the last page shows the pages walked forward,
// and a page deeper than MaxOffset rows links to one that answers. It
// linked by page number: beyond row 10,000 the page before was a 400.
func TestPagerBackByCursor(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	// The rows of a page: the articles and sentences its cards link to
	// (the links' search parameters are those of the page, whose cursor
	// differs read forward and back).
	cards := func(body string) string {
		return regexp.MustCompile(`\?[^"#]*`).ReplaceAllString(strings.Join(regexp.MustCompile(`class="article-link" href="([^"]*)"`).FindAllString(body, -1), "\n"), "")
	}
	link := func(body, rel string) string {
		m := regexp.MustCompile(`<a href="([^"]*)" rel="` + rel + `">`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	for _, o := range []string{"relevance", "newest", "oldest", "confidence"} {
		path := "/?q=ceasefire+OR+territory+OR+nato&min_confidence=0&limit=3&sort=" + o
		var fwd []string
		var body string
		for path != "" {
			var code int
			code, _, body = get(t, ts, path)
			if code != http.StatusOK {
				t.Fatalf("GET %s: %d", path, code)
			}
			fwd = append(fwd, cards(body))
			path = link(body, "next")
		}
		if len(fwd) < 4 {
			t.Fatalf("sort=%s: %d pages, too few to walk back", o, len(fwd))
		}
		for n := len(fwd) - 1; n > 0; n-- {
			prev := link(body, "prev")
			if prev == "" {
				t.Fatalf("sort=%s page %d has no previous", o, n+1)
			}
			var code int
			code, _, body = get(t, ts, prev)
			if code != http.StatusOK || cards(body) != fwd[n-1] {
				t.Fatalf("sort=%s: previous of page %d (%s) answers %d with other rows than page %d", o, n+1, prev, code, n)
			}
			if want := "showing rows " + strconv.Itoa((n-1)*3+1) + "–"; !strings.Contains(body, want) {
				t.Errorf("sort=%s: page %d read back does not say %q", o, n, want)
			}
		}
		if link(body, "prev") != "" {
			t.Errorf("sort=%s: the first page read back links to a previous", o)
		}
	}
	// A page numbered beyond MaxOffset rows (reached by Next, Next, ...):
	// its previous answers.
	_, _, body := get(t, ts, "/?q=ceasefire+OR+territory+OR+nato&min_confidence=0&limit=20")
	next, err := url.Parse(link(body, "next"))
	if err != nil || next.String() == "" {
		t.Fatalf("no next page: %v", err)
	}
	v := next.Query()
	v.Set("page", "600")
	_, _, body = get(t, ts, "/?"+v.Encode())
	prev := link(body, "prev")
	if code, _, pbody := get(t, ts, prev); code != http.StatusOK || !strings.Contains(pbody, "showing rows") {
		t.Errorf("previous of page 600 (%s): %d", prev, code)
	}
}

// TestPagesOwnTitle: each page of the results has its own title, so that
// the history, a bookmark and a screen reader arriving on it tell page 3
// from page 1, and the pager's links are named "Previous" and "Next"
// without the arrows, which a screen reader read out ("left arrow
// Previous"). Every page was titled as the first.
func TestPagesOwnTitle(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	title := regexp.MustCompile(`<title>([^<]*)</title>`)
	path := "/?q=ceasefire+OR+territory&min_confidence=0&limit=3&sort=oldest"
	for page := 1; page <= 3; page++ {
		_, _, body := get(t, ts, path)
		want := "ceasefire OR territory · Search · redline"
		if page > 1 {
			want = "ceasefire OR territory · page " + strconv.Itoa(page) + " · Search · redline"
		}
		if m := title.FindStringSubmatch(body); m == nil || html.UnescapeString(m[1]) != want {
			t.Errorf("page %d is titled %q, want %q", page, m, want)
		}
		doc, err := xhtml.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range find(doc, func(n *xhtml.Node) bool { return attr(n, "rel") == "next" || attr(n, "rel") == "prev" }) {
			if name := spokenText(a); name != "Next" && name != "Previous" {
				t.Errorf("page %d: a pager link is read as %q", page, name)
			}
		}
		next := regexp.MustCompile(`<a href="([^"]*)" rel="next">`).FindStringSubmatch(body)
		if next == nil {
			t.Fatalf("page %d has no next", page)
		}
		path = html.UnescapeString(next[1])
	}
}

// spokenText is the text of n a screen reader reads: without what is
// aria-hidden.
func spokenText(n *xhtml.Node) string {
	if n.Type == xhtml.TextNode {
		return n.Data
	}
	if attr(n, "aria-hidden") == "true" {
		return ""
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(spokenText(c))
	}
	return strings.TrimSpace(b.String())
}
