package web

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"redline/claim"
	"redline/index"
)

// screenshots is where TestBrowser writes its screenshots of the pages:
// ../docs/screenshots (the README's pictures) refreshes them. When it is ""
// they are still taken, so that a page that cannot be captured fails, but
// written to a temporary folder: a test run leaves the tree as it was.
var screenshots = flag.String("screenshots", "", "folder for the browser test's screenshots (../docs/screenshots refreshes the README's; \"\": a temporary folder)")

// chromiumPath finds Debian's chromium. Without it the browser test skips
// with the reason, except under CI=true, where .ci/run installs it and its
// absence is a failure.
func chromiumPath(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no chromium on PATH: install Debian's chromium (apt-get install -y chromium) to run the browser test"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: .ci/run installs it)")
	}
	t.Skip(msg)
	return ""
}

// serveBinary starts "redline serve" on a free loopback port and returns
// its base URL; the server is stopped with SIGINT when the test ends, and
// must exit cleanly.
func serveBinary(t *testing.T, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(redlineBinary(t), "serve", "--index", dir, "--addr", addr)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("redline serve after SIGINT: %v\n%s", err, stderr.String())
			}
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("redline serve did not stop on SIGINT\n%s", stderr.String())
		}
	})
	base := "http://" + addr
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/api/stats")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return base
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("redline serve did not answer: %v\n%s", err, stderr.String())
		}
	}
}

// startBrowser starts headless Chromium for the test and returns the
// context of its tab, cancelled when the test ends.
func startBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	// Chromium sometimes fails to start on a loaded machine (its
	// launcher exits before the DevTools endpoint is up): the browser is
	// started here, up to three times, so that a test fails for what the
	// page does and not for a start that a second try makes.
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		var ctx context.Context
		if ctx, err = newBrowser(t, chromium); err == nil {
			return ctx
		}
		t.Logf("chromium did not start (attempt %d): %v", attempt, err)
		time.Sleep(time.Duration(attempt) * time.Second)
	}
	t.Fatalf("chromium did not start: %v", err)
	return nil
}

// newBrowser starts a headless Chromium with a fresh profile; the browser
// is closed when t ends.
func newBrowser(t *testing.T, chromium string) (context.Context, error) {
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless, chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, err
	}
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	return ctx, nil
}

// TestBrowser drives headless Chromium through the workbench served by the
// real binary: search, a facet, an article with its highlights, compare, a
// CSV download, and a hostile article that must stay inert.
func TestBrowser(t *testing.T) {
	chromium := chromiumPath(t)
	base := serveBinary(t, sampleIndex(t))

	downloads := t.TempDir()
	shots := *screenshots
	if shots == "" {
		shots = t.TempDir()
	}
	ctx := startBrowser(t, chromium)

	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	count := func(sel string) int {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	location := func() string {
		t.Helper()
		u, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	// shoot captures the page at both widths; js, when given, runs after
	// each change of width (to scroll to what the picture is to show).
	shoot := func(name string, js ...string) {
		t.Helper()
		for _, w := range []struct {
			width, height int64
			suffix        string
		}{{1280, 900, "1280"}, {390, 844, "390"}} {
			do("viewport", chromedp.EmulateViewport(w.width, w.height))
			for _, j := range js {
				eval(j + `; ""`)
			}
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(shots, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(shots, name+"-"+w.suffix+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		do("viewport", chromedp.EmulateViewport(1280, 900))
	}

	// Search: type a query, submit, see cards.
	do("open search", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/?min_confidence=0"), chromedp.WaitVisible(".card"))
	do("query", chromedp.SetValue("#q", "ceasefire"), chromedp.Submit("#q"), chromedp.WaitVisible(".card"))
	if u := location(); !strings.Contains(u, "q=ceasefire") || !strings.Contains(u, "min_confidence=0") {
		t.Errorf("after the search the URL is %s: it must hold the query and the slider", u)
	}
	all := count(".card")

	// A facet narrows: every card is of that party.
	do("facet", chromedp.Click(`[data-facet="party"] li:first-child a`), chromedp.WaitVisible(".chip"))
	if u := location(); !strings.Contains(u, "party=") || !strings.Contains(u, "q=ceasefire") {
		t.Errorf("after the facet the URL is %s", u)
	}
	parties := eval(`[...new Set([...document.querySelectorAll(".card .badge.party")].map(e => e.textContent))].join("|")`)
	if parties == "" || strings.Contains(parties, "|") && count(".card") >= all {
		t.Errorf("after clicking a party facet the cards show parties %q (%d cards of %d)", parties, count(".card"), all)
	}
	if count("mark.m-cue") == 0 || count("mark.m-match") == 0 {
		t.Errorf("no cue or query match highlighted on the search page")
	}
	do("reset search", chromedp.Navigate(base+"/?q=ceasefire+OR+territory&min_confidence=0.3"), chromedp.WaitVisible(".card"))
	shoot("search")

	// The article view: its full text with the claims highlighted in
	// place, each highlight linked to its entry in the list and back.
	do("open article", chromedp.Click(".card .article-link"), chromedp.WaitVisible(".fulltext"))
	if !strings.Contains(location(), "/article/") {
		t.Errorf("the article link led to %s", location())
	}
	if count(".fulltext p") < 3 || count(".fulltext a.hl mark.m-cue") == 0 || count(".claimlist li") == 0 {
		t.Errorf("the article shows %d paragraphs, %d highlighted cues and %d listed claims", count(".fulltext p"), count(".fulltext a.hl mark.m-cue"), count(".claimlist li"))
	}
	if n, m := count(".claimlist li a.back"), count(".claimlist li"); n != m {
		t.Errorf("%d of %d listed claims link to their place in the text", n, m)
	}
	do("click a highlight", chromedp.Click(".fulltext a.hl[id]"))
	if u := location(); !strings.Contains(u, "#claim-") {
		t.Errorf("clicking a highlight led to %s, want its claim in the list", u)
	}
	target := eval(`location.hash.slice(1)`)
	do("back to the text", chromedp.Click("#"+target+" a.back"))
	if u := location(); !strings.Contains(u, "#hl-") || eval(`document.querySelector(":target").className`) == "" {
		t.Errorf("the list entry's link led to %s", u)
	}
	do("top", chromedp.Navigate(strings.Split(location(), "#")[0]), chromedp.WaitVisible(".fulltext"))
	shoot("article", `document.getElementById("hl-1").scrollIntoView({block: "center"})`)

	// Compare: the map and the timeline chart.
	do("compare", chromedp.Click(`nav a[href="/compare"]`), chromedp.WaitVisible("table.map"))
	if count("table.map tbody tr") == 0 || count("svg polyline") == 0 {
		t.Errorf("compare shows %d map rows and %d lines", count("table.map tbody tr"), count("svg polyline"))
	}
	shoot("compare")
	do("timeline", chromedp.Navigate(base+"/compare?min_confidence=0#timeline"), chromedp.WaitVisible("svg polyline"))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shots, "compare-timeline-1280.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}

	// Download the CSV of a search.
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	do("export", chromedp.Navigate(base+"/?party=russia"), chromedp.WaitVisible("#export-csv"), chromedp.Click("#export-csv"))
	var csv []byte
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		b, err := os.ReadFile(filepath.Join(downloads, "claims.csv"))
		if err == nil && len(b) > 0 {
			csv = b
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(downloads)
			t.Fatalf("no claims.csv downloaded (folder holds %v)", entries)
		}
	}
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if !strings.HasPrefix(lines[0], "doc_id,source,url,") || len(lines) < 2 {
		t.Errorf("downloaded CSV: %d lines, header %q", len(lines), lines[0])
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, ",russia,") {
			t.Errorf("a row of the russia export is not russia's: %.100s", l)
		}
	}

	// The hostile article renders inert: its script, attribute-breaking
	// quotes and javascript: URL show as text and run nothing.
	for _, path := range []string{"/article/hostile-001", "/?min_confidence=0&q=withdraw", "/?min_confidence=0&q=crimea"} {
		do("hostile "+path, chromedp.Navigate(base+path), chromedp.WaitVisible("main"))
		// A script that ran would have set window.__pwned or made the
		// title exactly one of pwned-*; the title may quote the article's
		// hostile title as text.
		if got := eval(`String(window.__pwned) + "|" + document.title`); !strings.HasPrefix(got, "undefined|") || strings.HasPrefix(got, "undefined|pwned") {
			t.Errorf("%s: a script of the article ran: window.__pwned|title = %q", path, got)
		}
		if path == "/article/hostile-001" {
			if text := eval(`document.querySelector(".fulltext").innerText`); !strings.Contains(text, "<script>window.__pwned=1") {
				t.Errorf("the hostile sentence does not show its script as text:\n%s", text)
			}
		}
		if n := count(`a[href^="javascript:"], [onmouseover], [onerror], main script, main img`); n != 0 {
			t.Errorf("%s: %d elements or attributes came out of the article", path, n)
		}
	}
}

// longWordsIndex writes an index whose articles carry long unbroken
// words, as real ones do: an outlet named by a list of domains, a
// sentence quoting a URL. Three articles of Russia on territory make a
// disagreement (a demand and a red line in one month from two outlets) and
// a shift (an offer two months later), so the compare page quotes them.
func longWordsIndex(t *testing.T) string {
	t.Helper()
	const url = "(https://criticalthreats.org/analysis/russian-offensive-campaign-assessment-february-2-2026#_edn08b21160fc98957686a28c56ef6bf0661)"
	const outlet = "unknown US outlet (collector targeted washingtonpost.com/cnn.com/foxnews.com/nbcnews.com/cbsnews.com)"
	dir := filepath.Join(t.TempDir(), "idx")
	w, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var arts []index.Article
	for i, a := range []struct{ kind, cue, date, outlet string }{
		{claim.Demand, "demands", "2025-01-10", outlet},
		{claim.RedLine, "rejects", "2025-01-20", "Outlet Two"},
		{claim.Offer, "offers", "2025-03-05", outlet},
	} {
		id := fmt.Sprintf("long-%d", i)
		sentence := "Russia " + a.cue + " the return of the occupied territory " + url + "."
		text := "Talks went on.\n\n" + sentence + "\n"
		start := strings.Index(text, sentence)
		arts = append(arts, index.Article{DocID: id, URL: "https://example.org/" + strings.Repeat("very-long-path-segment-", 8) + id, Title: "Territory " + id,
			Outlet: a.outlet, Published: a.date, Text: text, Claims: []claim.Claim{{DocID: id, Sentence: sentence, Start: start, End: start + len(sentence),
				Outlet: a.outlet, Title: "Territory " + id, Party: "russia", Kind: a.kind, Topics: []string{"territory"}, Cue: a.cue,
				Attribution: claim.BySubject, Confidence: 0.9, Published: a.date}}})
	}
	if err := w.Write(arts); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserNarrow: at the width of a phone every page fits the screen,
// also with the long unbroken words of real articles (a URL in a sentence,
// an outlet named by a list of domains). The compare page's quoted
// evidence, the status page's outlet list and the search cards' source
// line widened the page beyond the screen (on the bulk corpus at 390 px:
// compare 682 px, status 540 px, search 402 px), so that it scrolled
// sideways.
func TestBrowserNarrow(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: longWordsIndex(t)})
	ctx := startBrowser(t, chromium)
	for _, path := range []string{"/?min_confidence=0", "/compare?min_confidence=0&min_sources=1", "/status", "/article/long-0"} {
		for _, width := range []int64{390, 320} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(srv.URL+path), chromedp.WaitVisible("main")); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if got > int(width) {
				t.Errorf("%s at %d px: the page is %d px wide", path, width, got)
			}
		}
	}
	// The test would pass on a page that lost its content.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/compare?min_confidence=0&min_sources=1"), chromedp.WaitVisible("main")); err != nil {
		t.Fatal(err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".findings blockquote").length`)); err != nil || n < 2 {
		t.Errorf("the compare page quotes %d sentences (%v), want the shift's and the disagreement's", n, err)
	}
}

// TestBrowserChartLabels: every label of the timeline chart lies inside
// the chart. The last period's label was centred on the right edge of
// the plot, 16 px from the edge of the drawing, and its second half was
// cut off ("2026-0" for 2026-02).
func TestBrowserChartLabels(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: longWordsIndex(t)})
	ctx := startBrowser(t, chromium)
	for _, by := range []string{"month", "week", "quarter"} {
		chartLabelsInside(ctx, t, srv.URL+"/compare?min_confidence=0&min_sources=1&by="+by)
	}
}

// chartLabelsInside fails t for each label of the chart on the page at u
// that lies outside the chart's drawing.
func chartLabelsInside(ctx context.Context, t *testing.T, u string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(u), chromedp.WaitVisible(".chart svg")); err != nil {
		t.Fatal(err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const svg = document.querySelector(".chart svg"), vb = svg.viewBox.baseVal, out = [];
		for (const t of svg.querySelectorAll("text")) {
			const b = t.getBBox();
			if (b.x < 0 || b.y < 0 || b.x + b.width > vb.width || b.y + b.height > vb.height)
				out.push(t.textContent + " at " + [b.x, b.y, b.width, b.height].map(Math.round).join(","));
		}
		return out.concat(["" + svg.querySelectorAll("text.xlab").length]);
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if n := out[len(out)-1]; n == "0" {
		t.Fatal("the chart has no period labels")
	}
	for _, o := range out[:len(out)-1] {
		t.Errorf("%s: a chart label lies outside the chart: %s", u, o)
	}
}

// TestBrowserFormKeepsBound: submitting the search form untouched keeps
// the URL's min confidence. The slider stepped by 0.05 and held two
// decimals, and a browser moves a range input's value onto its step:
// min_confidence=0.33 became 0.35 at the next search, 0.333 too.
func TestBrowserFormKeepsBound(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: sampleIndex(t)})
	ctx := startBrowser(t, chromium)
	for _, mc := range []string{"0.33", "0.333", "0.7", "0"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/?q=ceasefire&min_confidence="+mc), chromedp.WaitVisible("#q"),
			chromedp.Submit("#q"), chromedp.WaitVisible("#q")); err != nil {
			t.Fatal(err)
		}
		u, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		got, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		if v := got.Query().Get("min_confidence"); v != mc {
			t.Errorf("min_confidence=%s: after a submit of the form the URL is %s", mc, u)
		}
	}
}

// TestBrowserSkipFacets: from the search form, the keyboard reaches a link
// that skips the facets to the results before any facet link. The facets
// (up to five boxes of links) stood between the form and the first card,
// and nothing let a keyboard user pass them.
func TestBrowserSkipFacets(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: sampleIndex(t)})
	ctx := startBrowser(t, chromium)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/?min_confidence=0&q=ceasefire"), chromedp.WaitVisible(".card"), chromedp.Focus("#q")); err != nil {
		t.Fatal(err)
	}
	active := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(e => (e.closest(".facets") ? "facet " : "") + (e.className || e.id || e.tagName))(document.activeElement)`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for i := 0; ; i++ {
		if i == 40 {
			t.Fatal("40 tabs from the query box reached no skip link")
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		a := active()
		if strings.HasPrefix(a, "facet ") {
			t.Fatalf("the keyboard reached a facet (%s) before any skip link", a)
		}
		if a == "skip" {
			break
		}
	}
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.getBoundingClientRect().left >= 0`))
	if err != nil || !visible {
		t.Errorf("the focused skip link is not on the screen (%v)", err)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if a := active(); a != "results" {
		t.Errorf("the skip link moved the focus to %q, want the results", a)
	}
}

// TestBrowserFacetsReachable: halfway down a long page of results, every
// facet link can be scrolled into the window. The facet column stuck to
// the top of the window and ran past its bottom, so its last boxes (the
// months) could be reached only at the end of the results.
func TestBrowserFacetsReachable(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: sampleIndex(t)})
	ctx := startBrowser(t, chromium)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 700), chromedp.Navigate(srv.URL+"/?min_confidence=0&limit=100"), chromedp.WaitVisible(".card")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const f = document.querySelector(".facets"), links = [...f.querySelectorAll("a")].filter(a => a.getClientRects().length > 0);
		if (f.scrollHeight <= innerHeight) return "the facets fit the window: the test needs more";
		window.scrollTo(0, document.documentElement.scrollHeight / 2);
		f.scrollTop = f.scrollHeight;
		const last = links[links.length - 1].getBoundingClientRect();
		return last.bottom <= innerHeight && last.top >= 0 ? "" : "the last facet link is at " + Math.round(last.top) + "–" + Math.round(last.bottom) + " in a window of " + innerHeight;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got != "" {
		t.Error(got)
	}
}
