package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"redline/claim"
	"redline/index"
)

// attr returns n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return n.Type == html.ElementNode && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

// find returns the elements under n for which ok holds, in document order.
func find(n *html.Node, ok func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && ok(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// textOf is the text content of n.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// highlightAt is a highlight of the full text as the page shows it: where
// it starts in the article's text, its text, the claim it links to and
// its anchor id.
type highlightAt struct {
	start int
	text  string
	href  string
	id    string
	cues  []string
}

// fullTextOf parses an article page and returns the paragraphs of its full
// text and the highlights, placed by the paragraph starts of text (the
// pieces between "\n\n", as the extractor joins blocks).
func fullTextOf(t *testing.T, body, text string) (paras []string, hls []highlightAt, doc *html.Node) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	secs := find(doc, func(n *html.Node) bool { return hasClass(n, "fulltext") })
	if len(secs) != 1 {
		t.Fatalf("%d full-text sections on the page", len(secs))
	}
	var starts []int
	at := 0
	for _, piece := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(piece) != "" {
			starts = append(starts, at)
		}
		at += len(piece) + 2
	}
	ps := find(secs[0], func(n *html.Node) bool { return n.Data == "p" })
	if len(ps) != len(starts) {
		t.Fatalf("the page shows %d paragraphs, the text has %d", len(ps), len(starts))
	}
	for i, p := range ps {
		paras = append(paras, textOf(p))
		off := starts[i]
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			s := textOf(c)
			if hasClass(c, "hl") {
				h := highlightAt{start: off, text: s, href: attr(c, "href"), id: attr(c, "id")}
				for _, m := range find(c, func(n *html.Node) bool { return hasClass(n, "m-cue") }) {
					h.cues = append(h.cues, textOf(m))
				}
				hls = append(hls, h)
			}
			off += len(s)
		}
	}
	return paras, hls, doc
}

// TestArticleFullText: the article page shows the article's whole text,
// paragraph by paragraph, with every claim's sentence highlighted at its
// offsets, its cue marked, linked to its entry in the claims list, and
// the entry linked back.
func TestArticleFullText(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	for _, id := range []string{"hostile-001", docIDOf(t, "05_istanbul_direct_talks_2025.txt")} {
		t.Run(id, func(t *testing.T) {
			var art articleView
			getJSON(t, ts, "/api/articles/"+url.PathEscape(id), 200, &art)
			if art.Text == "" || len(art.ClaimList) == 0 {
				t.Fatalf("the API gives %d bytes of text and %d claims", len(art.Text), len(art.ClaimList))
			}
			_, _, body := get(t, ts, "/article/"+url.PathEscape(id))
			paras, hls, doc := fullTextOf(t, body, art.Text)
			if got, want := strings.Join(paras, "\n\n"), strings.TrimRight(art.Text, "\n"); got != want {
				t.Errorf("the page's text differs from the article's:\n got %q\nwant %q", got, want)
			}
			if strings.Contains(strings.ToLower(body), "re-ingest to see the full text") {
				t.Error("the fallback notice shows although the index holds the text")
			}
			byID := map[string]highlightAt{}
			for _, h := range hls {
				if h.id != "" {
					byID[h.id] = h
				}
			}
			for n, h := range art.ClaimList {
				c := h.Claim
				li := find(doc, func(e *html.Node) bool { return attr(e, "id") == "claim-"+strconv.Itoa(n+1) })
				if len(li) != 1 {
					t.Fatalf("claim %d (%s) is not listed", n+1, h.ID)
				}
				back := find(li[0], func(e *html.Node) bool { return hasClass(e, "back") })
				if len(back) != 1 {
					t.Fatalf("claim %d has no link to its place in the text", n+1)
				}
				hl, ok := byID[strings.TrimPrefix(attr(back[0], "href"), "#")]
				if !ok {
					t.Fatalf("claim %d links to %q, no highlight has that id", n+1, attr(back[0], "href"))
				}
				// Here a highlight is one sentence: the claims of this
				// testdata do not overlap.
				if hl.start != c.Start || hl.text != c.Sentence {
					t.Errorf("claim %d is highlighted at byte %d as %q, want %d %q", n+1, hl.start, hl.text, c.Start, c.Sentence)
				}
				if hl.href != "#claim-"+strconv.Itoa(n+1) && !sameSentence(art.ClaimList, hl.href, c) {
					t.Errorf("the highlight of claim %d links to %s", n+1, hl.href)
				}
				// A list item's cue is in its lead-in, not in the item.
				inSentence := strings.Contains(strings.ToLower(c.Sentence), strings.ToLower(c.Cue))
				if c.Cue != "" && inSentence && !containsFold(hl.cues, c.Cue) {
					t.Errorf("claim %d: cue %q not marked in its highlight (marked %q)", n+1, c.Cue, hl.cues)
				}
			}
		})
	}
}

// sameSentence: href "#claim-N" names a claim of the same sentence as c.
func sameSentence(list []apiHit, href string, c claim.Claim) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(href, "#claim-"))
	return err == nil && n >= 1 && n <= len(list) && list[n-1].Claim.Start == c.Start && list[n-1].Claim.End == c.End
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// docIDOf finds the doc_id of a testdata article by its file name.
func docIDOf(t *testing.T, file string) string {
	t.Helper()
	out := runRedline(t, "export", "--index", sampleIndex(t), "--format", "jsonl", "--min-confidence", "0")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, file) {
			i := strings.Index(line, `"doc_id":"`)
			if i >= 0 {
				rest := line[i+len(`"doc_id":"`):]
				return rest[:strings.IndexByte(rest, '"')]
			}
		}
	}
	t.Fatalf("no claim of %s in the sample index", file)
	return ""
}

// TestArticleFullTextHostile: an article whose text holds a script and
// attribute-breaking quotes shows them as text, inside and outside the
// highlights, and no element or attribute comes out of them.
func TestArticleFullTextHostile(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	_, _, body := get(t, ts, "/article/hostile-001")
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	secs := find(doc, func(n *html.Node) bool { return hasClass(n, "fulltext") })
	if len(secs) != 1 {
		t.Fatalf("%d full-text sections", len(secs))
	}
	text := textOf(secs[0])
	for _, want := range []string{"<script>window.__pwned=1;document.title='pwned-sentence'</script>", `" onmouseover="document.title='pwned-attr'" x=".`} {
		if !strings.Contains(text, want) {
			t.Errorf("the full text does not show %q as text:\n%s", want, text)
		}
	}
	if n := find(secs[0], func(n *html.Node) bool {
		return n.Data == "script" || n.Data == "img" || attr(n, "onmouseover") != "" || attr(n, "onerror") != "" || attr(n, "x") != ""
	}); len(n) != 0 {
		t.Errorf("%d elements or attributes came out of the article's text", len(n))
	}
	hl := find(secs[0], func(n *html.Node) bool { return hasClass(n, "hl") })
	if len(hl) != 2 || !strings.Contains(textOf(hl[0]), "<script>") {
		t.Errorf("the hostile sentences are not highlighted as text: %d highlights", len(hl))
	}
	if n := strings.Count(body, "<script"); n != 1 {
		t.Errorf("%d script elements on the page, want the server's own only", n)
	}
}

// TestArticleOldIndex: an index made before article texts were stored
// (testdata/layout3 of package index, made by the previous build) still
// serves the article page: the sentences that hold claims, with a one-line
// notice, escaped as ever; the API has no text.
func TestArticleOldIndex(t *testing.T) {
	dir := copyTree(t, filepath.Join("..", "index", "testdata", "layout3"))
	ts := newServer(t, Options{Dir: dir, ReadOnly: true})
	code, _, body := get(t, ts, "/article/hostile-001")
	if code != 200 {
		t.Fatalf("status %d\n%s", code, body)
	}
	if strings.Count(strings.ToLower(body), "re-ingest to see the full text") != 1 {
		t.Error("the page lacks the notice that re-ingesting shows the full text")
	}
	if strings.Contains(body, `class="fulltext"`) {
		t.Error("a full-text section without a text")
	}
	if n := strings.Count(body, `class="passage"`); n != 2 {
		t.Errorf("%d passages, want the 2 claim sentences", n)
	}
	if !strings.Contains(body, "&lt;script&gt;window.__pwned=1") || strings.Contains(body, "<script>window") {
		t.Error("the hostile sentence is not shown as text")
	}
	var art articleView
	getJSON(t, ts, "/api/articles/hostile-001", 200, &art)
	if art.Text != "" || len(art.ClaimList) != 2 {
		t.Errorf("API: %d bytes of text, %d claims; want none and 2", len(art.Text), len(art.ClaimList))
	}
}

// copyTree copies the folder src into a temporary folder: fixtures are
// opened only through a copy.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestArticleMarksClaimsBelowDefault: the article view shows every claim
// of the article but marks those below the min confidence search applies
// by default, and says how many reach it. It showed them all alike: from
// a search card at 0.70, an article of the bulk corpus showed 26 claims
// highlighted the same, most of them ones search hides as too unsure.
func TestArticleMarksClaimsBelowDefault(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	var def searchResult
	getJSON(t, ts, "/api/search", http.StatusOK, &def)
	art := mixedArticle(t, ts, def.MinConfidence)
	_, _, body := get(t, ts, "/article/"+url.PathEscape(art.DocID))
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	atMin := 0
	for i, c := range art.ClaimList {
		low := c.Confidence < def.MinConfidence
		if !low {
			atMin++
		}
		li := find(doc, func(e *html.Node) bool { return attr(e, "id") == "claim-"+strconv.Itoa(i+1) })
		if len(li) != 1 {
			t.Fatalf("claim %d is not listed", i+1)
		}
		if hasClass(li[0], "low") != low || strings.Contains(textOf(li[0]), "below the default") != low {
			t.Errorf("claim %d (confidence %.2f, bound %.2f): marked low %v", i+1, c.Confidence, def.MinConfidence, hasClass(li[0], "low"))
		}
	}
	want := strconv.Itoa(atMin) + " at confidence " + conf(def.MinConfidence) + " or more"
	if !strings.Contains(body, want) {
		t.Errorf("the article page does not say %q", want)
	}
	// A highlight is dimmed only when every claim in it is low.
	for _, a := range find(doc, func(e *html.Node) bool { return hasClass(e, "hl") }) {
		n, _ := strconv.Atoi(strings.TrimPrefix(attr(a, "href"), "#claim-"))
		if n < 1 || n > len(art.ClaimList) {
			t.Fatalf("a highlight links to %q", attr(a, "href"))
		}
		if hasClass(a, "low") && art.ClaimList[n-1].Confidence >= def.MinConfidence {
			t.Errorf("highlight of claim %d (confidence %.2f) is dimmed", n, art.ClaimList[n-1].Confidence)
		}
	}
}

// mixedArticle is an article of the sample index with its text and with
// claims on both sides of bound.
func mixedArticle(t *testing.T, ts *httptest.Server, bound float64) articleView {
	t.Helper()
	var all searchResult
	getJSON(t, ts, "/api/search?min_confidence=0&limit=100", http.StatusOK, &all)
	for _, h := range all.Hits {
		var a articleView
		getJSON(t, ts, "/api/articles/"+url.PathEscape(h.DocID), http.StatusOK, &a)
		lo, hi := 0, 0
		for _, c := range a.ClaimList {
			if c.Confidence < bound {
				lo++
			} else {
				hi++
			}
		}
		if lo > 0 && hi > 0 && a.Text != "" {
			return a
		}
	}
	t.Fatalf("no article of the sample index has claims on both sides of %v", bound)
	return articleView{}
}

// TestArticleHonoursMinConfidence: the article view dims the claims below
// the min_confidence its URL gives, says so, and links to the article with
// every claim shown alike; min_confidence=0 dims none and links back to
// the default. It dimmed by the index's default whatever the URL said, so
// a search at 0.9 led to an article that marked its 0.75 claims as shown.
// A search page links to its articles with its own bound. The links that
// toggle the dimming (show=all, show=default) keep the bound of the
// search the reader came from, for the way back to it.
func TestArticleHonoursMinConfidence(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	var def searchResult
	getJSON(t, ts, "/api/search", http.StatusOK, &def)
	if def.MinConfidence == 0 {
		t.Fatal("the sample index records no default bound")
	}
	// A bound above the default, between the article's confidences.
	art := mixedArticle(t, ts, def.MinConfidence)
	// A bound above the default: the article's highest confidence.
	bound := 0.0
	for _, c := range art.ClaimList {
		bound = max(bound, c.Confidence)
	}
	if bound <= def.MinConfidence {
		t.Fatalf("article %s has no claim above the default bound %v", art.DocID, def.MinConfidence)
	}
	base := "/article/" + url.PathEscape(art.DocID)
	tests := []struct {
		bound   string
		want    float64
		says    string
		linksTo string
	}{
		{"", def.MinConfidence, "what search shows by default", base + "?show=all"},
		{"min_confidence=" + strconv.FormatFloat(bound, 'f', -1, 64), bound, "the bound of the link", base + "?min_confidence=" + strconv.FormatFloat(bound, 'f', -1, 64) + "&show=all"},
		{"min_confidence=0", 0, "all shown alike", base + "?min_confidence=0&show=default"},
		// The toggles change this page alone: the search's bound stays
		// for the way back.
		{"show=all", 0, "all shown alike", base},
		{"min_confidence=0&show=default", def.MinConfidence, "what search shows by default", base + "?min_confidence=0"},
		{"min_confidence=0.9&show=all", 0, "all shown alike", base + "?min_confidence=0.9&show=default"},
	}
	for _, tt := range tests {
		path := base
		if tt.bound != "" {
			path += "?" + tt.bound
		}
		code, _, body := get(t, ts, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, code)
		}
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		atMin := 0
		for i, c := range art.ClaimList {
			low := c.Confidence < tt.want
			if !low {
				atMin++
			}
			li := find(doc, func(e *html.Node) bool { return attr(e, "id") == "claim-"+strconv.Itoa(i+1) })
			if len(li) != 1 {
				t.Fatalf("GET %s: claim %d is not listed", path, i+1)
			}
			if hasClass(li[0], "low") != low {
				t.Errorf("GET %s: claim %d (confidence %.2f): marked low %v, want %v", path, i+1, c.Confidence, hasClass(li[0], "low"), low)
			}
		}
		if !strings.Contains(body, tt.says) {
			t.Errorf("GET %s does not say %q", path, tt.says)
		}
		if tt.want > 0 {
			if want := strconv.Itoa(atMin) + " at confidence " + conf(tt.want) + " or more"; !strings.Contains(body, want) {
				t.Errorf("GET %s does not say %q", path, want)
			}
		}
		if links := find(doc, func(e *html.Node) bool { return hasClass(e, "bound") && attr(e, "href") == tt.linksTo }); len(links) != 1 {
			t.Errorf("GET %s: no link to %s", path, tt.linksTo)
		}
	}
	if code, _, body := get(t, ts, base+"?min_confidence=2"); code != http.StatusBadRequest || !strings.Contains(body, "min-confidence") {
		t.Errorf("GET %s?min_confidence=2: status %d\n%.400s", base, code, body)
	}
	if code, _, body := get(t, ts, base+"?show=none"); code != http.StatusBadRequest || !strings.Contains(body, "show &#34;none&#34;") {
		t.Errorf("GET %s?show=none: status %d\n%.400s", base, code, body)
	}
	// The search page's links carry its bound; without one, none.
	_, _, body := get(t, ts, "/?min_confidence=0.5&limit=100")
	if !strings.Contains(body, "&amp;min_confidence=0.5#at-") {
		t.Error("the search page at min_confidence=0.5 links to its articles without its bound")
	}
	if _, _, body := get(t, ts, "/"); !strings.Contains(body, `href="/article/`) || strings.Contains(body, "?min_confidence=") {
		t.Error("the search page at the default bound links to no article, or with a bound")
	}
}

// TestLinksLandOnTheSentence: a search card's link to its article, the
// links to its copies and the compare page's links to the evidence land
// on the claim's sentence in the article's text (#at-START, an anchor in
// the highlight of the claim), not at the top of a long article, where the
// sentence was to be found by hand (ua-crawl-031 of the bulk corpus is
// 20 kB of text).
func TestLinksLandOnTheSentence(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	var hrefs []string
	for _, page := range []string{"/?min_confidence=0&limit=100", "/compare?min_confidence=0&min_sources=1"} {
		_, _, body := get(t, ts, page)
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range find(doc, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/article/") }) {
			hrefs = append(hrefs, attr(a, "href"))
		}
	}
	if len(hrefs) < 20 {
		t.Fatalf("%d links to articles", len(hrefs))
	}
	pages := map[string]*html.Node{}
	for _, href := range hrefs {
		path, frag, ok := strings.Cut(href, "#")
		start, err := strconv.Atoi(strings.TrimPrefix(frag, "at-"))
		if !ok || !strings.HasPrefix(frag, "at-") || err != nil {
			t.Errorf("%s links to the top of the article, not to its sentence", href)
			continue
		}
		doc := pages[path]
		if doc == nil {
			_, _, body := get(t, ts, path)
			if doc, err = html.Parse(strings.NewReader(body)); err != nil {
				t.Fatal(err)
			}
			pages[path] = doc
		}
		anchors := find(doc, func(n *html.Node) bool { return attr(n, "id") == frag })
		if len(anchors) != 1 || anchors[0].Parent == nil || !hasClass(anchors[0].Parent, "hl") {
			t.Errorf("%s: %d anchors %q, want one in a highlight", href, len(anchors), frag)
			continue
		}
		// The claim at that offset is listed with a link back to this
		// highlight.
		hl := "#" + attr(anchors[0].Parent, "id")
		var art articleView
		path, _, _ = strings.Cut(path, "?") // the search's bound
		id, _ := url.PathUnescape(strings.TrimPrefix(path, "/article/"))
		getJSON(t, ts, "/api/articles/"+url.PathEscape(id), http.StatusOK, &art)
		found := false
		for i, c := range art.ClaimList {
			if c.Start != start {
				continue
			}
			for _, back := range find(doc, func(n *html.Node) bool { return attr(n, "id") == "claim-"+strconv.Itoa(i+1) }) {
				found = found || len(find(back, func(n *html.Node) bool { return attr(n, "href") == hl })) > 0
			}
		}
		if !found {
			t.Errorf("%s: no claim at byte %d links back to highlight %s", href, start, hl)
		}
	}
}

// TestArticleCopiesKeepBound: the links of the article view to the other
// articles of its story carry the bound its URL gives, so that the reader
// who came from a search at min_confidence=0.3 sees the copies dimmed by
// the same bound; without one, none. They linked to the bare article,
// dimmed by the index's default instead.
func TestArticleCopiesKeepBound(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	w, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var arts []index.Article
	for _, id := range []string{"s1", "s2"} {
		arts = append(arts, index.Article{DocID: id, Title: "t " + id, Outlet: "Outlet " + id, Published: "2025-01-02", Cluster: "story",
			Claims: []claim.Claim{{DocID: id, Sentence: "Russia demands a ceasefire.", Outlet: "Outlet " + id, End: 27, Party: "russia", Kind: claim.Demand,
				Cue: "demands", Attribution: claim.BySubject, Confidence: 0.9, Published: "2025-01-02"}}})
	}
	if err := w.Write(arts); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, Options{Dir: dir})
	for path, want := range map[string]string{
		"/article/s1?min_confidence=0.3": "/article/s2?min_confidence=0.3",
		"/article/s1?min-confidence=0.3": "/article/s2?min_confidence=0.3",
		"/article/s1":                    "/article/s2",
	} {
		code, _, body := get(t, ts, path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		lists := find(doc, func(n *html.Node) bool { return n.Data == "ul" && hasClass(n, "copies") })
		if len(lists) != 1 {
			t.Fatalf("GET %s: %d lists of the story's other articles", path, len(lists))
		}
		links := find(lists[0], func(n *html.Node) bool { return n.Data == "a" })
		if len(links) != 1 || attr(links[0], "href") != want {
			var got []string
			for _, a := range links {
				got = append(got, attr(a, "href"))
			}
			t.Errorf("GET %s: the story's other articles link to %q, want %q", path, got, want)
		}
	}
}
