package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"redline/claim"
	"redline/index"
)

// backIndex writes an index of nine articles of an outlet whose name has
// an ampersand and quotes, each with a claim whose sentence has words in
// Cyrillic, on nine days; the first two carry the same sentence, which
// search folds into one row with a copy.
func backIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	w, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const outlet = `Smith & "Sons"`
	var arts []index.Article
	for i := range 9 {
		id := fmt.Sprintf("b/%d ü", i)
		sentence := fmt.Sprintf("Russia demands a ceasefire around Київ, point %d.", max(i, 1))
		text := "Talks went on.\n\n" + sentence + "\n"
		start := strings.Index(text, sentence)
		day := fmt.Sprintf("2025-01-%02d", i+1)
		arts = append(arts, index.Article{DocID: id, Title: "Ceasefire " + id, Outlet: outlet, Published: day, Text: text, Cluster: "story",
			Claims: []claim.Claim{{DocID: id, Sentence: sentence, Start: start, End: start + len(sentence), Outlet: outlet, Title: "Ceasefire " + id,
				Party: "russia", Kind: claim.Demand, Topics: []string{"ceasefire"}, Cue: "demands", Attribution: claim.BySubject,
				Confidence: 0.6 + float64(i)/100, Published: day}}})
	}
	if err := w.Write(arts); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// hrefs returns the (unescaped) targets of the links of body that match
// ok.
func hrefs(t *testing.T, body string, ok func(*html.Node) bool) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range find(doc, func(n *html.Node) bool { return n.Data == "a" && ok(n) }) {
		out = append(out, attr(a, "href"))
	}
	return out
}

// rowsOf is the rows of a search page: the articles and sentences its
// cards link to, without the links' search parameters.
func rowsOf(t *testing.T, body string) string {
	t.Helper()
	var out []string
	for _, h := range hrefs(t, body, func(n *html.Node) bool { return hasClass(n, "article-link") }) {
		path, _, _ := strings.Cut(h, "?")
		_, frag, _ := strings.Cut(h, "#")
		out = append(out, path+"#"+frag)
	}
	return strings.Join(out, "\n")
}

// TestArticleLinksBackToSearch: the article page's "← Search" leads back
// to exactly the search the article was opened from: its query, filters,
// order, page size, min confidence and page, read by the same cursor,
// forward or back, with the same rows; and so do the article's links to
// the story's other articles and its toggles of the dimming. The links
// carry only what is not at its default, and read back whole a query and
// an outlet with quotes, ampersands and Cyrillic, and a doc_id with a
// slash, a space and an umlaut. "← Search" led to the empty search page,
// so the analyst had to build the search again after each article.
func TestArticleLinksBackToSearch(t *testing.T) {
	ts := newServer(t, Options{Dir: backIndex(t)})
	start := "/?" + url.Values{"q": {`"a ceasefire" Київ`}, "outlet": {`Smith & "Sons"`}, "sort": {"oldest"}, "limit": {"2"}, "min_confidence": {"0.5"}}.Encode()
	// The pages walked: 1, 2 and 3 by Next, then 2 by Previous.
	var pages []string
	path := start
	for range 3 {
		code, _, body := get(t, ts, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", path, code, body)
		}
		pages = append(pages, path)
		next := hrefs(t, body, func(n *html.Node) bool { return attr(n, "rel") == "next" })
		if len(next) != 1 {
			t.Fatalf("GET %s: no next page", path)
		}
		path = next[0]
	}
	_, _, body := get(t, ts, pages[2])
	prev := hrefs(t, body, func(n *html.Node) bool { return attr(n, "rel") == "prev" })
	if len(prev) != 1 || !strings.Contains(prev[0], "before=") {
		t.Fatalf("page 3 links back by %q, want a cursor", prev)
	}
	pages = append(pages, prev[0])

	for _, page := range append(pages, "/?q=ceasefire&page=1&limit=20&party=&min-confidence=0", "/") {
		pu, err := url.Parse(page)
		if err != nil {
			t.Fatal(err)
		}
		want := pu.Query()
		// What a link need not say: the page is the first, the page
		// size the default, a parameter empty; min-confidence is also
		// written min_confidence.
		want.Del("party")
		if want.Get("page") == "1" {
			want.Del("page")
		}
		if want.Get("limit") == "20" {
			want.Del("limit")
		}
		if mc := want.Get("min-confidence"); mc != "" {
			want.Del("min-confidence")
			want.Set("min_confidence", mc)
		}
		_, _, body := get(t, ts, page)
		rows := rowsOf(t, body)
		links := hrefs(t, body, func(n *html.Node) bool { return strings.HasPrefix(attr(n, "href"), "/article/") })
		if len(links) == 0 {
			t.Fatalf("GET %s: no link to an article", page)
		}
		for _, link := range links {
			if len(want) == 0 && strings.Contains(link, "?") {
				t.Errorf("GET %s: the default search links to %s, with parameters", page, link)
			}
			_, _, art := get(t, ts, strings.Split(link, "#")[0])
			// The way back, from the article and from the pages its
			// links open.
			arts := []string{art}
			for _, l := range hrefs(t, art, func(n *html.Node) bool {
				return hasClass(n, "bound") || n.Parent != nil && n.Parent.Data == "li" && n.Parent.Parent != nil && hasClass(n.Parent.Parent, "copies")
			}) {
				_, _, b := get(t, ts, l)
				arts = append(arts, b)
			}
			for i, a := range arts {
				back := hrefs(t, a, func(n *html.Node) bool { return hasClass(n, "back-search") })
				if len(back) != 1 {
					t.Fatalf("article %s (%d): %d links back to the search", link, i, len(back))
				}
				bu, err := url.Parse(back[0])
				if err != nil || bu.Path != "/" || bu.Query().Encode() != want.Encode() {
					t.Errorf("article %s (%d): back to %s, want the search of %s (%v)", link, i, back[0], page, err)
					continue
				}
				if _, _, b := get(t, ts, back[0]); rowsOf(t, b) != rows {
					t.Errorf("article %s (%d): back to %s shows other rows than %s:\n%s\nwant\n%s", link, i, back[0], page, rowsOf(t, b), rows)
				}
			}
		}
	}
}

// FuzzSearchState holds searchState, given any search page URL the page
// accepts, to its contract: the search it keeps reads as the same search
// (query, filters, bound, page, size, order, cursors); keeping it again
// changes nothing; and the links made of it, written into a page by
// html/template and read back as a browser reads them, carry it whole.
func FuzzSearchState(f *testing.F) {
	for _, s := range append(querySeeds, "q=%22a+ceasefire%22+%D0%9A%D0%B8%D1%97%D0%B2&outlet=Smith+%26+%22Sons%22",
		"q=a%26b%3Dc%23d&after=xyz&page=3", "q=%E2%80%9Cpeace%E2%80%9D+%3Cb%3E&before=x%2By&page=2&limit=5", "q=%ff%fe&party=+&kind=,") {
		f.Add(s)
	}
	tmpl := template.Must(template.New("a").Parse(`<a href="{{.Article}}">a</a><a href="{{.Back}}">b</a>`))
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw)
		p, err := readParams(v)
		if err != nil || v.Has("offset") || v.Has("format") {
			return // the page refuses it: it has no links to articles
		}
		st := searchState(v)
		sp, err := readParams(st)
		if err != nil || !sameSpec(sp.spec, p.spec) || !sameConf(sp.minConf, p.minConf) || sp.page != p.page || sp.size != p.size ||
			sp.offset != p.offset || sp.order != p.order || sp.after != p.after || sp.before != p.before {
			t.Fatalf("searchState(%q) = %q reads as %+v (%v), want %+v", raw, st.Encode(), sp, err, p)
		}
		if again := searchState(st); again.Encode() != st.Encode() {
			t.Fatalf("searchState(%q) = %q, kept again %q", raw, st.Encode(), again.Encode())
		}
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, map[string]string{"Article": stateSentenceURL("d/1 ü", 7, st.Encode()), "Back": searchBack(st)}); err != nil {
			t.Fatal(err)
		}
		links := hrefs(t, buf.String(), func(*html.Node) bool { return true })
		for i, want := range []string{"/article/d%2F1%20%C3%BC", "/"} {
			u, err := url.Parse(links[i])
			if err != nil || u.Path != "/"+strings.TrimPrefix(mustUnescape(t, want), "/") || u.Query().Encode() != st.Encode() {
				t.Fatalf("searchState(%q) = %q: link %q reads as %v (%v)", raw, st.Encode(), links[i], u, err)
			}
		}
	})
}

func mustUnescape(t *testing.T, s string) string {
	t.Helper()
	u, err := url.PathUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestArticleLinksBackToCompare: an article opened from the evidence of
// the compare page links back to that comparison ("← Compare", with its
// parties, period, bound and minimum of sources), not to an empty search,
// and dims its claims by the comparison's bound: the links carried
// neither, so a comparison at min_confidence=0 led to an article dimmed
// by the default, and "← Search" to the empty search page.
func TestArticleLinksBackToCompare(t *testing.T) {
	ts := newServer(t, Options{Dir: longWordsIndex(t)})
	for _, page := range []string{"/compare?party=Kremlin&min_confidence=0&min-sources=1&by=quarter&since=2025-01", "/compare?min_sources=1&by=month"} {
		code, _, body := get(t, ts, page)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", page, code)
		}
		pu, _ := url.Parse(page)
		want := pu.Query()
		if want.Get("by") == "month" {
			want.Del("by")
		}
		if x := want.Get("min-sources"); x != "" {
			want.Del("min-sources")
			want.Set("min_sources", x)
		}
		links := hrefs(t, body, func(n *html.Node) bool { return strings.HasPrefix(attr(n, "href"), "/article/") })
		if len(links) < 2 {
			t.Fatalf("GET %s: %d links to articles", page, len(links))
		}
		for _, link := range links {
			if !strings.Contains(link, "#at-") {
				t.Errorf("GET %s: %s does not land on the sentence", page, link)
			}
			_, _, art := get(t, ts, strings.Split(link, "#")[0])
			doc, err := html.Parse(strings.NewReader(art))
			if err != nil {
				t.Fatal(err)
			}
			back := find(doc, func(n *html.Node) bool { return hasClass(n, "back-search") })
			if len(back) != 1 || textOf(back[0]) != "← Compare" {
				t.Fatalf("article %s: no link back to the comparison", link)
			}
			if cur := find(doc, func(n *html.Node) bool { return attr(n, "aria-current") == "page" }); len(cur) != 1 || textOf(cur[0]) != "Compare" {
				t.Errorf("article %s, opened from the compare page, is not in its section of the navigation", link)
			}
			bu, err := url.Parse(attr(back[0], "href"))
			if err != nil || bu.Path != "/compare" || bu.Query().Encode() != want.Encode() {
				t.Errorf("article %s links back to %s, want the comparison of %s", link, attr(back[0], "href"), page)
			}
			// The article dims by the bound its URL gives (see
			// TestArticleHonoursMinConfidence): the comparison's.
			if mc := want.Get("min_confidence"); mc != "" && !strings.Contains(link, "min_confidence="+mc) {
				t.Errorf("article %s, opened from a comparison at min_confidence=%s, has another bound", link, mc)
			}
		}
	}
}

// FuzzCompareState holds compareState to searchState's contract for the
// compare page: the comparison it keeps (less from) reads as the same
// comparison, and keeping it again changes nothing.
func FuzzCompareState(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw)
		cr, err := readCompare(v)
		if err != nil {
			return
		}
		st := compareState(v)
		if st.Get("from") != "compare" {
			t.Fatalf("compareState(%q) = %q: not from compare", raw, st.Encode())
		}
		st.Del("from")
		sr, err := readCompare(st)
		if err != nil || !reflect.DeepEqual(sr.q, cr.q) || !sameConf(sr.minConf, cr.minConf) || sr.series != cr.series {
			t.Fatalf("compareState(%q) = %q reads as %+v (%v), want %+v", raw, st.Encode(), sr, err, cr)
		}
		again := compareState(st)
		again.Del("from")
		if again.Encode() != st.Encode() {
			t.Fatalf("compareState(%q) = %q, kept again %q", raw, st.Encode(), again.Encode())
		}
	})
}
