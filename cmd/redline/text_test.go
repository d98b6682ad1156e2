package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"redline/corpus"
	"redline/extract"
)

// textPage is an article page with furniture around it.
const textPage = `<!DOCTYPE html><html lang="en"><head>
<title>Talks resume in Geneva | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://example.com/2024/03/05/talks">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks resume in Geneva</h1>
<p>The delegations of Russia and Ukraine met in Geneva on Tuesday, the first round of direct talks since December.</p>
<h2>What each side wants</h2>
<ul><li>a neutral status for Ukraine, written into its constitution;</li><li>the lifting of Western sanctions.</li></ul>
<blockquote><p>“We will not trade our land for a pause in the fighting,” the head of the Ukrainian delegation said.</p></blockquote>
<p>A third round is planned for April, although officials cautioned that no date had been fixed.</p>
</article>
<footer><p>© 2024 Example News</p></footer>
</body></html>`

// runText runs the program in-process.
func runText(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func writeTextFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTextCommand(t *testing.T) {
	dir := t.TempDir()
	page := writeTextFile(t, dir, "talks.html", textPage)
	out, errOut, err := runText(t, "text", page)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	a, err := extract.Text(corpus.Document{HTML: textPage})
	if err != nil {
		t.Fatal(err)
	}
	if out != a.Text+"\n" {
		t.Errorf("printed %q, want the article's text %q", out, a.Text+"\n")
	}
	if !strings.Contains(out, "What each side wants\n\na neutral status") || strings.Contains(out, "Home") || strings.Contains(out, "©") {
		t.Errorf("printed:\n%s", out)
	}

	// Two articles: each headed by its source.
	plain := writeTextFile(t, dir, "note.txt", "Ceasefire talks\n\nBoth sides agreed to meet again in April.")
	out, _, err = runText(t, "text", page, plain)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "==> "+page+" <==\n") || !strings.Contains(out, "\n\n==> "+plain+" <==\nCeasefire talks\n\nBoth sides") {
		t.Errorf("two articles printed:\n%s", out)
	}
}

func TestTextJSON(t *testing.T) {
	page := writeTextFile(t, t.TempDir(), "talks.html", textPage)
	out, errOut, err := runText(t, "text", "--json", page)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var got textJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got.Source != page || got.Title != "Talks resume in Geneva | Example News" || got.Author != "Jane Doe" ||
		got.Outlet != "Example News" || got.CanonicalURL != "https://example.com/2024/03/05/talks" ||
		got.Published != "2024-03-05" || got.Lang != "en" || !got.English {
		t.Errorf("metadata %+v", got)
	}
	var kinds []string
	var sb strings.Builder
	for i, b := range got.Blocks {
		kinds = append(kinds, b.Kind)
		if i > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(b.Text)
	}
	if want := "heading paragraph heading list_item list_item quote paragraph"; strings.Join(kinds, " ") != want {
		t.Errorf("block kinds %q, want %q", strings.Join(kinds, " "), want)
	}
	if sb.String() != got.Text {
		t.Errorf("blocks joined %q != text %q", sb.String(), got.Text)
	}
	// Every key of the documented format is there.
	var raw map[string]any
	json.Unmarshal([]byte(out), &raw)
	for _, k := range []string{"title", "published", "author", "outlet", "canonical_url", "lang", "truncated", "text", "blocks"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in %s", k, out)
		}
	}
}

// TestTextURL fetches a page from a local server.
func TestTextURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/news/talks.html" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(textPage))
	}))
	defer srv.Close()
	out, errOut, err := runText(t, "text", srv.URL+"/news/talks.html")
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if !strings.HasPrefix(out, "Talks resume in Geneva\n\nThe delegations of Russia and Ukraine") {
		t.Errorf("printed:\n%s", out)
	}
	if _, _, err := runText(t, "text", srv.URL+"/missing.html"); err == nil {
		t.Error("a missing page gave no error")
	}
}

func TestTextErrors(t *testing.T) {
	if _, _, err := runText(t, "text"); err == nil || !strings.Contains(err.Error(), "no PATH") {
		t.Errorf("no args: %v", err)
	}
	out, _, err := runText(t, "text", "--help")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: redline text") {
		t.Errorf("--help: %v\n%s", err, out)
	}
	empty := writeTextFile(t, t.TempDir(), "empty.html", "<html><body><nav>Menu</nav></body></html>")
	if _, _, err := runText(t, "text", empty); err == nil {
		t.Error("a page without text gave no error")
	}
}

// writeBenchmark writes a benchmark folder: ground-truth.json and
// html/ID.html.gz.
func writeBenchmark(t *testing.T, pages map[string][2]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "html"), 0o755); err != nil {
		t.Fatal(err)
	}
	gt := map[string]map[string]string{}
	for id, p := range pages {
		gt[id] = map[string]string{"articleBody": p[1], "url": "https://example.com/" + id}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(p[0]))
		zw.Close()
		if err := os.WriteFile(filepath.Join(dir, "html", id+".html.gz"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, _ := json.Marshal(gt)
	if err := os.WriteFile(filepath.Join(dir, "ground-truth.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEvalHTMLCommand(t *testing.T) {
	body := "The delegations of Russia and Ukraine met in Geneva on Tuesday, the first round of direct talks since December.\n\n" +
		"What each side wants\n\na neutral status for Ukraine, written into its constitution;\n\nthe lifting of Western sanctions.\n\n" +
		"“We will not trade our land for a pause in the fighting,” the head of the Ukrainian delegation said.\n\n" +
		"A third round is planned for April, although officials cautioned that no date had been fixed."
	dir := writeBenchmark(t, map[string][2]string{
		"good":  {textPage, body},
		"other": {textPage, "A completely different article about the weather in Lisbon this week and next."},
	})
	out, errOut, err := runText(t, "eval-html", "--json", "--verbose", dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	var rep evalHTMLJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	// "good" is found exactly, "other" not at all: precision and recall
	// are the means of 1 and 0.
	if rep.Pages != 2 || rep.Precision != 0.5 || rep.Recall != 0.5 || rep.F1 != 0.5 || rep.PagesPerSecond <= 0 {
		t.Errorf("report %+v", rep)
	}
	if len(rep.Detail) != 2 || rep.Detail[0].ID != "other" || rep.Detail[1].F1 != 1 {
		t.Errorf("detail %+v", rep.Detail)
	}

	out, _, err = runText(t, "eval-html", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"pages      2\n", "precision  0.500\n", "recall     0.500\n", "F1         0.500\n", "pages/s"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in:\n%s", w, out)
		}
	}

	if _, _, err := runText(t, "eval-html"); err == nil {
		t.Error("no folder: no error")
	}
	if _, _, err := runText(t, "eval-html", t.TempDir()); err == nil || !strings.Contains(err.Error(), "ground-truth.json") {
		t.Errorf("empty folder: %v", err)
	}
}
