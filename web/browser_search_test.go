package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browse is a tab of the workbench at base for one test: its steps fail
// the test.
type browse struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (b browse) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b browse) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// location is the tab's URL less the server's address.
func (b browse) location() string {
	b.t.Helper()
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimPrefix(u, b.base)
}

// rows is what the cards of a search page show: sentence and source.
func (b browse) rows() string {
	return b.eval(`[...document.querySelectorAll(".card")].map(c => c.querySelector(".sentence").innerText + " | " + c.querySelector(".article-link").textContent).join("\n")`)
}

// TestBrowserBackToSearch: an analyst pages through a search with a query,
// filters and an order (Next, Next, Previous), opens an article from a
// card, and "← Search" brings back the page she left: the same URL, the
// same rows; so does it after she toggled the article's dimming and moved
// to another article of the story. It led to the empty search page. The
// chips name the party the typed value stands for (moscow is Russia).
func TestBrowserBackToSearch(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: backIndex(t)})
	b := browse{t: t, ctx: startBrowser(t, chromium), base: srv.URL}
	start := "/?" + url.Values{"q": {`"a ceasefire" Київ`}, "outlet": {`Smith & "Sons"`}, "party": {"moscow"}, "sort": {"oldest"}, "limit": {"2"}, "min_confidence": {"0.5"}}.Encode()
	b.do("search", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+start), chromedp.WaitVisible(".card"))
	if chips := b.eval(`[...document.querySelectorAll(".chip:not(.clear)")].map(c => c.innerText).join("|")`); !strings.Contains(chips, "party: Russia") {
		t.Errorf("the chips read %q, want party: Russia", chips)
	}
	b.do("next", chromedp.Click(`.pager a[rel="next"]`), chromedp.WaitVisible(".card"))
	b.do("next", chromedp.Click(`.pager a[rel="next"]`), chromedp.WaitVisible(".card"))
	b.do("previous", chromedp.Click(`.pager a[rel="prev"]`), chromedp.WaitVisible(".card"))
	page, rows := b.location(), b.rows()
	if !strings.Contains(page, "before=") || !strings.Contains(b.eval(`document.querySelector(".summary").innerText`), "rows 3–4") {
		t.Fatalf("after Next, Next, Previous the page is %s:\n%s", page, rows)
	}
	b.do("open the second card's article", chromedp.Click(`.card:nth-of-type(2) .article-link`), chromedp.WaitVisible(".fulltext"))
	for _, step := range []string{"", "a.bound", `.copies a`} {
		if step != "" {
			b.do("follow "+step, chromedp.Click(step), chromedp.WaitVisible(".fulltext"))
		}
		article := b.location()
		// The link as the analyst sees it, by its words.
		b.eval(`[...document.querySelectorAll(".doc-head a")].find(a => a.textContent.includes("Search")).click(); ""`)
		b.do("back to the search", chromedp.Sleep(200*time.Millisecond), chromedp.WaitVisible(".card"))
		if got := b.location(); got != page {
			t.Errorf("from %s, ← Search led to %s, want %s", article, got, page)
		}
		if got := b.rows(); got != rows {
			t.Errorf("from %s, ← Search shows\n%s\nwant\n%s", article, got, rows)
		}
		b.do("the article again", chromedp.Navigate(srv.URL+article), chromedp.WaitVisible(".fulltext"))
	}
}

// TestBrowserFormCleanURL: a search typed into the form of a page at the
// index's default bound has a URL of the query alone: no empty dates, and
// no bound the analyst never set, which showed as a filter chip
// ("min_confidence: 0.7") whose removal changed nothing and hid the note
// that the default applies. A bound the slider was moved to, or that the
// URL set, is kept.
func TestBrowserFormCleanURL(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: sampleIndex(t)})
	b := browse{t: t, ctx: startBrowser(t, chromium), base: srv.URL}
	b.do("open", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible("#q"))
	// As an analyst does: the Search button (form.submit() would skip
	// the page's submit handler).
	b.do("query", chromedp.SetValue("#q", "ceasefire"), chromedp.Click("form.search button"), chromedp.WaitVisible(".card"))
	if got := b.location(); got != "/?q=ceasefire" {
		t.Errorf("a query typed at the default bound searches %s, want /?q=ceasefire", got)
	}
	if n := b.eval(`String(document.querySelectorAll(".chip").length)`); n != "0" {
		t.Errorf("%s chips after a search without filters", n)
	}
	// Moved, the slider is a bound.
	b.eval(`(s => { s.value = "0.3"; s.dispatchEvent(new Event("input")); return "" })(document.querySelector("input[type=range]"))`)
	b.do("submit", chromedp.Click("form.search button"), chromedp.WaitVisible(".card"))
	if got := b.location(); got != "/?q=ceasefire&min_confidence=0.3" {
		t.Errorf("with the slider at 0.3 the search is %s", got)
	}
	// Set by the URL, the bound stays even at the default's value.
	var def searchResult
	getJSON(t, srv, "/api/search", 200, &def)
	mc := strconv.FormatFloat(def.MinConfidence, 'f', -1, 64)
	b.do("explicit", chromedp.Navigate(srv.URL+"/?min_confidence="+mc), chromedp.WaitVisible("#q"),
		chromedp.SetValue("#q", "ceasefire"), chromedp.Click("form.search button"), chromedp.WaitVisible(".card"))
	if got := b.location(); got != "/?q=ceasefire&min_confidence="+mc {
		t.Errorf("from a page at min_confidence=%s the search is %s", mc, got)
	}
}
