package web

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"

	"redline/index"
)

// TestStatusShowsErrorHistory: the status page shows each line of
// errors.jsonl with when its failure was last met, when first, and in how
// many runs, and counts the inputs failing. It showed "time" alone,
// without saying it is the start of the last run that met the failure,
// dropped first_seen and count, and called the inputs "documents failed".
func TestStatusShowsErrorHistory(t *testing.T) {
	ts := newServer(t, Options{Dir: failingIndex(t)})
	code, _, body := get(t, ts, "/status")
	if code != 200 {
		t.Fatalf("status page: %d", code)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	tables := find(doc, func(n *html.Node) bool { return n.Data == "table" && hasClass(n, "errors") })
	if len(tables) != 1 {
		t.Fatalf("%d tables of failures, want 1", len(tables))
	}
	var head []string
	for _, th := range find(tables[0], func(n *html.Node) bool { return n.Data == "th" }) {
		head = append(head, textOf(th))
	}
	if strings.Join(head, "|") != "input|reason|last met|first met|runs" {
		t.Errorf("the table's columns are %q", head)
	}
	var rows [][]string
	for _, tr := range find(tables[0], func(n *html.Node) bool { return n.Data == "tr" }) {
		var cells []string
		for _, td := range find(tr, func(n *html.Node) bool { return n.Data == "td" }) {
			cells = append(cells, strings.TrimSpace(textOf(td)))
		}
		if cells != nil {
			rows = append(rows, cells)
		}
	}
	want := [][]string{
		{"bad/dump.jsonl:2", "bad/dump.jsonl:2: not valid JSON", "2026-12-07 18:30:02 UTC", "2026-12-07 18:30:02 UTC", "1"},
		{"bad/bin.txt", "bad/bin.txt: binary file: NUL byte at offset 0", "2026-12-07 18:25:26 UTC", "2026-12-07 18:25:17 UTC", "4"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q, want %q", rows, want)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d is %q, want %q", i+1, rows[i], want[i])
		}
	}
	if !strings.Contains(body, "start of an ingest run") {
		t.Error("the page does not say what its times are")
	}
	stats := find(doc, func(n *html.Node) bool { return hasClass(n, "stat") })
	if len(stats) != 4 || strings.Join(strings.Fields(textOf(stats[3])), " ") != "2 inputs failing" {
		t.Errorf("the failures' count reads %q, want \"2 inputs failing\"", textOf(stats[len(stats)-1]))
	}
}

// failingIndex is a copy of the sample index whose errors.jsonl holds two
// failures: one met in four runs, the last later than the first, and one
// met once, in a later run.
func failingIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "errs.index")
	if err := os.CopyFS(dir, os.DirFS(sampleIndex(t))); err != nil {
		t.Fatal(err)
	}
	lines := `{"time":"2026-12-07T18:25:26Z","input":"bad/bin.txt","reason":"bad/bin.txt: binary file: NUL byte at offset 0","first_seen":"2026-12-07T18:25:17Z","count":4}
{"time":"2026-12-07T18:30:02Z","input":"bad/dump.jsonl:2","reason":"bad/dump.jsonl:2: not valid JSON","first_seen":"2026-12-07T18:30:02Z","count":1}
`
	if err := os.WriteFile(filepath.Join(dir, index.ErrorsFile), []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserStatusFailuresNarrow: on a phone the failures of the status
// page stay readable. Its five columns squeezed the input and the reason
// to a letter or two a line at 390 px; each failure is now a block of
// labelled lines.
func TestBrowserStatusFailuresNarrow(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: failingIndex(t)})
	ctx := startBrowser(t, chromium)
	for _, width := range []int64{390, 320} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800), chromedp.Navigate(srv.URL+"/status"), chromedp.WaitVisible("table.errors")); err != nil {
			t.Fatal(err)
		}
		narrowest, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.min(...[...document.querySelectorAll("table.errors td")].map(td => td.getBoundingClientRect().width))`))
		if err != nil {
			t.Fatal(err)
		}
		if narrowest < float64(width)/2 {
			t.Errorf("at %d px the narrowest cell of the failures is %.0f px wide", width, narrowest)
		}
		labels, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("table.errors td"), "::before").content`))
		if err != nil || !strings.Contains(labels, "input") {
			t.Errorf("at %d px a failure's cells are not labelled: %q %v", width, labels, err)
		}
	}
}

// TestBrowserFactLabelsWhole: on a phone a label of the facts lists (the
// status page's "model" and "last write", a claim's "condition") stays one
// line. The label shrank beside a long value and broke inside the word:
// "m / od / el", "condi / tion".
func TestBrowserFactLabelsWhole(t *testing.T) {
	chromium := chromiumPath(t)
	srv := newServer(t, Options{Dir: failingIndex(t)})
	ctx := startBrowser(t, chromium)
	for _, path := range []string{"/status", "/?min_confidence=0&limit=100"} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 800), chromedp.Navigate(srv.URL+path), chromedp.WaitVisible("dl.facts dt")); err != nil {
			t.Fatal(err)
		}
		broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("dl.facts dt")].filter(dt => { const r = document.createRange(); r.selectNodeContents(dt); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1 }).map(dt => dt.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		if len(broken) > 0 {
			t.Errorf("%s at 390 px: labels broken over lines: %q", path, broken)
		}
	}
}

// TestStatusSaysFailuresCut: when errors.jsonl holds more failures than the
// status page lists, the page says that it shows the most recent and where
// the rest are. It listed 50 of 60 without a word.
func TestStatusSaysFailuresCut(t *testing.T) {
	dir := failingIndex(t)
	var b strings.Builder
	for i := range 60 {
		fmt.Fprintf(&b, `{"time":"2026-12-07T18:%02d:00Z","input":"bad/%02d.txt","reason":"bad/%02d.txt: binary file","first_seen":"2026-12-07T18:00:00Z","count":2}`+"\n", i, i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, index.ErrorsFile), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, Options{Dir: dir})
	_, _, body := get(t, ts, "/status")
	if n := strings.Count(body, "<tr><td"); n != maxRecentErrors {
		t.Fatalf("%d failures listed, want %d", n, maxRecentErrors)
	}
	if !strings.Contains(body, "The 50 most recently met are shown") || !strings.Contains(body, "bad/59.txt") || strings.Contains(body, "bad/09.txt") {
		t.Error("the page does not say it lists the 50 most recent failures of 60, or lists others")
	}
	// Two failures: nothing is cut, nothing said.
	_, _, body = get(t, newServer(t, Options{Dir: failingIndex(t)}), "/status")
	if strings.Contains(body, "most recently met are shown") {
		t.Error("the page says it cuts a list of two failures")
	}
}

// TestBrowserStatusHeadersWhole: on a wide screen each heading of the
// failures' table is one line. "runs", beside the times that do not
// wrap, broke into "RU / NS".
func TestBrowserStatusHeadersWhole(t *testing.T) {
	chromium := chromiumPath(t)
	dir := failingIndex(t)
	long := `{"time":"2026-12-07T18:25:26Z","input":"/tmp/wr/bad/dump.jsonl:2","reason":"/tmp/wr/bad/dump.jsonl:2: not valid JSON: invalid character 'n' looking for beginning of object key string","first_seen":"2026-12-07T18:25:17Z","count":4}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, index.ErrorsFile), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, Options{Dir: dir})
	ctx := startBrowser(t, chromium)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/status"), chromedp.WaitVisible("table.errors")); err != nil {
		t.Fatal(err)
	}
	broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.errors th")].filter(th => { const r = document.createRange(); r.selectNodeContents(th); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1 }).map(th => th.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(broken) > 0 {
		t.Errorf("headings broken over lines at 1280 px: %q", broken)
	}
}

// TestStatusErrorsAsTheFileIsNow: /api/stats and the status page, which
// read errors.jsonl again only when it changed, show it as it is now:
// after an ingest replaced it (a rename), also by a file of the same size
// and time; after a rewrite in place of the same size at a later time;
// after it was removed.
func TestStatusErrorsAsTheFileIsNow(t *testing.T) {
	dir := failingIndex(t)
	path := filepath.Join(dir, index.ErrorsFile)
	ts := newServer(t, Options{Dir: dir})
	check := func(step string, inputs int, newest string) {
		t.Helper()
		var v struct {
			Errors       int                 `json:"errors"`
			RecentErrors []index.ErrorRecord `json:"recent_errors"`
		}
		getJSON(t, ts, "/api/stats", 200, &v)
		got := ""
		if len(v.RecentErrors) > 0 {
			got = v.RecentErrors[0].Input
		}
		if v.Errors != inputs || got != newest || v.RecentErrors == nil {
			t.Errorf("%s: /api/stats says %d inputs failing, the newest %q; want %d, %q", step, v.Errors, got, inputs, newest)
		}
		_, _, body := get(t, ts, "/status")
		if newest != "" && !strings.Contains(body, newest) {
			t.Errorf("%s: the status page does not list %q", step, newest)
		}
	}
	record := func(input, at string) string {
		return fmt.Sprintf(`{"time":"%s","input":"%s","reason":"r","first_seen":"%s","count":1}`+"\n", at, input, at)
	}
	replace := func(content string, like os.FileInfo) {
		t.Helper()
		tmp := path + ".new"
		if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if like != nil {
			if err := os.Chtimes(tmp, like.ModTime(), like.ModTime()); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	check("as made", 2, "bad/dump.jsonl:2")

	replace(record("in/a.txt", "2026-12-08T10:00:00Z")+record("in/b.txt", "2026-12-08T11:00:00Z"), nil)
	check("replaced", 2, "in/b.txt")

	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	replace(record("in/a.txt", "2026-12-08T12:00:00Z")+record("in/c.txt", "2026-12-08T11:00:00Z"), fi)
	check("replaced by a file of the same size and time", 2, "in/a.txt")

	same := record("in/d.txt", "2026-12-08T12:00:00Z") + record("in/e.txt", "2026-12-08T13:00:00Z")
	if err := os.WriteFile(path, []byte(same), 0o644); err != nil {
		t.Fatal(err)
	}
	later := fi.ModTime().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	check("rewritten in place", 2, "in/e.txt")

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	check("removed", 0, "")
}
