package extract

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"redline/internal/sharedtest"
	"strings"
	"testing"
	"time"

	"redline/corpus"
)

func readFixture(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "text", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func TestHTMLArticle(t *testing.T) {
	a, err := Text(corpus.Document{HTML: readFixture(t, "article.html")})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, a)
	var got []string
	for _, b := range a.Blocks {
		got = append(got, fmt.Sprintf("%v: %s", b.Kind, b.Text))
	}
	want := []string{
		"heading: Talks resume in Geneva as both sides restate red lines",
		"paragraph: Negotiators met for the first time in three months on Tuesday, and neither side moved on its core demands.",
		"caption: Delegates take their seats before the opening session in Geneva. Photo: Example Agency",
		"paragraph: The delegations of Russia and Ukraine met in Geneva on Tuesday, the first round of direct talks since Dec. 12. Both sides said afterwards that the atmosphere had been “businesslike”.",
		"paragraph: Moscow repeated that it wants Ukraine to give up its bid to join NATO. Kyiv said it would not accept any deal that cedes territory, according to Mr. Ivanenko, a member of the Ukrainian team.",
		"heading: What each side wants",
		"paragraph: The Russian delegation set out its conditions. They include:",
		"list_item: a neutral status for Ukraine, written into its constitution;",
		"list_item: recognition of the annexed regions;",
		"list_item: the lifting of Western sanctions.",
		"quote: “We will not trade our land for a pause in the fighting. That is our red line,” the head of the Ukrainian delegation said.",
		"heading: What happens next?",
		"paragraph: A third round is planned for April.",
		"paragraph: Officials on both sides cautioned that no date had been fixed.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if a.Title != "Talks resume in Geneva as both sides restate red lines" {
		t.Errorf("title %q", a.Title)
	}
	if a.Published != "2024-03-05" {
		t.Errorf("published %q", a.Published)
	}
	if a.Lang != "en" {
		t.Errorf("lang %q", a.Lang)
	}
	for _, junk := range []string{"cookies", "tracking", "Most read", "newsletter", "Related stories", "Share on", "Advertisement", "Tags:", "Copyright", "World"} {
		if strings.Contains(a.Text, junk) {
			t.Errorf("text holds boilerplate %q", junk)
		}
	}
	// Blocks are joined by blank lines.
	for i := 1; i < len(a.Blocks); i++ {
		if a.Text[a.Blocks[i-1].End:a.Blocks[i].Start] != "\n\n" {
			t.Errorf("blocks %d and %d not separated by a blank line", i-1, i)
		}
	}

	sp := newTestSplitter(t)
	sents := sp.Split(a)
	checkSentences(t, a, sents)
	var texts []string
	for _, s := range sents {
		texts = append(texts, s.Text)
	}
	for _, w := range []string{
		"The delegations of Russia and Ukraine met in Geneva on Tuesday, the first round of direct talks since Dec. 12.",
		"Kyiv said it would not accept any deal that cedes territory, according to Mr. Ivanenko, a member of the Ukrainian team.",
		"a neutral status for Ukraine, written into its constitution;",
	} {
		if !strings.Contains(strings.Join(texts, "\n"), w) {
			t.Errorf("no sentence %q in\n%s", w, strings.Join(texts, "\n"))
		}
	}
}

// TestHTMLDocumentMetadataWins: the document's own title and date are kept.
func TestHTMLDocumentMetadataWins(t *testing.T) {
	pub := time.Date(2022, 3, 29, 23, 0, 0, 0, time.UTC)
	a, err := Text(corpus.Document{Title: "Own title", Published: pub, HTML: readFixture(t, "article.html")})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "Own title" || a.Published != "2022-03-29" {
		t.Errorf("title %q published %q", a.Title, a.Published)
	}
}

func TestHTMLMetadata(t *testing.T) {
	const body = "<body><article><h1>First heading</h1><p>Some article text that is long enough to count as a paragraph.</p></article></body>"
	tests := []struct {
		name, head, body string
		title, published string
		lang             string
		htmlAttr         string
	}{
		{name: "og", head: `<meta property="og:title" content="OG title"><meta property="article:published_time" content="2022-03-01T10:00:00+02:00"><title>T</title>`, title: "OG title", published: "2022-03-01"},
		{name: "twitter", head: `<meta name="twitter:title" content="Tw title"><meta property="og:published_time" content="2022-03-02">`, title: "Tw title", published: "2022-03-02"},
		{name: "title tag", head: `<title> Page   title </title><meta itemprop="datePublished" content="2022-03-03">`, title: "Page title", published: "2022-03-03"},
		{name: "h1 fallback", head: `<meta name="pubdate" content="20220304">`, title: "First heading", published: "2022-03-04"},
		{name: "dc.date", head: `<meta name="DC.date" content="2022/03/05">`, title: "First heading", published: "2022-03-05"},
		{name: "json-ld graph", head: `<script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2022-03-06T08:00:00Z"}]}</script>`, title: "First heading", published: "2022-03-06"},
		{name: "json-ld array", head: `<script type="application/ld+json">[{"@type":"NewsArticle","datePublished":"March 7, 2022"}]</script>`, title: "First heading", published: "2022-03-07"},
		{name: "time element", body: `<body><article><p>Text of the article, long enough to be read as a paragraph.</p><time datetime="2022-03-08T09:00">8 March</time></article></body>`, published: "2022-03-08"},
		{name: "itemprop on time", body: `<body><article><time itemprop="datePublished" datetime="2022-03-09">9 March</time><p>Text of the article, long enough to be read as a paragraph.</p></article></body>`, published: "2022-03-09"},
		{name: "rfc1123", head: `<meta name="date" content="Thu, 10 Mar 2022 12:00:00 GMT">`, title: "First heading", published: "2022-03-10"},
		{name: "bad date ignored", head: `<meta name="date" content="yesterday"><meta name="pubdate" content="0001-01-01">`, title: "First heading", published: ""},
		{name: "lang", htmlAttr: ` lang="EN-us"`, title: "First heading", lang: "en"},
		{name: "lang meta", head: `<meta http-equiv="Content-Language" content="uk">`, title: "First heading", lang: "uk"},
		{name: "og locale", head: `<meta property="og:locale" content="de_DE">`, title: "First heading", lang: "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.body
			if b == "" {
				b = body
			}
			page := "<!DOCTYPE html><html" + tt.htmlAttr + "><head>" + tt.head + "</head>" + b + "</html>"
			a, err := Text(corpus.Document{HTML: page})
			if err != nil {
				t.Fatal(err)
			}
			checkBlocks(t, a)
			if tt.title != "" && a.Title != tt.title {
				t.Errorf("title %q, want %q", a.Title, tt.title)
			}
			if a.Published != tt.published {
				t.Errorf("published %q, want %q", a.Published, tt.published)
			}
			if a.Lang != tt.lang {
				t.Errorf("lang %q, want %q", a.Lang, tt.lang)
			}
		})
	}
}

// TestHTMLMainContainer: without article or main, the element with the most
// paragraph text wins over navigation and teaser lists; a tiny <article>
// teaser does not win over the real text.
func TestHTMLMainContainer(t *testing.T) {
	para := "Russia and Ukraine exchanged proposals on Friday, officials said, in round %d of talks that lasted late into the night."
	var paras string
	for i := range 6 {
		paras += "<p>" + fmt.Sprintf(para, i) + "</p>"
	}
	page := `<html><body>
<div class="top"><p>Short teaser.</p><p>Another teaser line.</p></div>
<article class="teaser"><p>A teaser article of modest length here.</p></article>
<div id="story"><div class="text">` + paras + `</div></div>
<div class="bottom"><p>Unrelated text in the bottom of the page, not part of the story.</p></div>
</body></html>`
	a, err := Text(corpus.Document{HTML: page})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, a)
	if len(a.Blocks) != 6 {
		t.Fatalf("got %d blocks: %q", len(a.Blocks), a.Text)
	}
	for i, b := range a.Blocks {
		if b.Text != fmt.Sprintf(para, i) || b.Kind != Paragraph {
			t.Errorf("block %v %q", b.Kind, b.Text)
		}
	}
}

func TestHTMLInlineText(t *testing.T) {
	page := `<html><body><div>First line of text in a div.<br><br>Second paragraph, <b>bold</b> and <a href="#">linked</a> words.<div>Nested block.</div>Tail text.</div></body></html>`
	a, err := Text(corpus.Document{HTML: page})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, a)
	want := "First line of text in a div.\n\nSecond paragraph, bold and linked words.\n\nNested block.\n\nTail text."
	if a.Text != want {
		t.Errorf("text %q, want %q", a.Text, want)
	}
}

func TestHTMLNoText(t *testing.T) {
	for _, page := range []string{
		"<html><head><title>Only a title</title></head><body><nav><a href='/'>Home</a></nav><script>var x;</script></body></html>",
		"<html></html>",
		"<!-- just a comment -->",
		strings.Repeat("<div>", 600) + "<p>Too deep for the HTML parser.</p>",
	} {
		a, err := Text(corpus.Document{HTML: page})
		if !errors.Is(err, ErrNoText) {
			t.Errorf("%q: err %v, blocks %v", page, err, a.Blocks)
		}
	}
	// With a plain text alongside, that text is used.
	a, err := Text(corpus.Document{HTML: "<html><body><nav>Menu</nav></body></html>", Text: "Fallback text. It has two sentences."})
	if err != nil || a.Text != "Fallback text. It has two sentences." || len(a.Blocks) != 1 {
		t.Errorf("fallback: %v %+v", err, a)
	}
}

func TestPlainNoText(t *testing.T) {
	for _, s := range []string{"", "  \n\t\n  ", "\u00a0\u200b"} {
		if _, err := Text(corpus.Document{Text: s}); !errors.Is(err, ErrNoText) {
			t.Errorf("%q: err %v", s, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2022-03-29T23:00:00-04:00":       "2022-03-29",
		"2022-3-9":                        "2022-03-09",
		"2022-02-30":                      "",
		"20220101":                        "2022-01-01",
		"Tue, 29 Mar 2022 10:00:00 +0000": "2022-03-29",
		"March 29, 2022 10:00 AM":         "2022-03-29",
		"29 March 2022":                   "2022-03-29",
		"1899-01-01":                      "",
		"":                                "",
		"soon":                            "",
	} {
		if got := parseDate(in); got != want {
			t.Errorf("parseDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHTMLSharedPages runs the extractor over the shared HTML pages (when
// present): no errors, invariants hold, and some text comes out.
func TestHTMLSharedPages(t *testing.T) {
	dir := filepath.Join(sharedDir, "corpus", "html")
	entries, err := os.ReadDir(dir)
	if err != nil {
		sharedtest.Missing(t, "../shared not found: ", err)
	}
	sp := newTestSplitter(t)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".html") || strings.HasSuffix(e.Name(), ".expected.html") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		a, err := Text(corpus.Document{HTML: string(b)})
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		checkBlocks(t, a)
		checkSentences(t, a, sp.Split(a))
		t.Logf("%s: %d blocks, %d bytes, title %q, published %q, lang %q", e.Name(), len(a.Blocks), len(a.Text), a.Title, a.Published, a.Lang)
	}
}

// FuzzHTML: extraction never panics and offsets hold.
func FuzzHTML(f *testing.F) {
	f.Add(readFixture(f, "article.html"))
	for _, s := range []string{
		"", "<p>Hi.</p>", "<html><body><article><p>One. Two.</p><ul><li>a<ul><li>b</li></ul></li></ul></article></body></html>",
		"<div>text<br><br><br>more<span><p>inner</p></span></div>", "<figure><p>cap</p><figcaption>x</figcaption></figure>",
		`<script type="application/ld+json">{"datePublished": [1, {"datePublished": "2020-01-01"}]}</script><p>x</p>`,
		"<table><tr><td>cell text.</td></tr></table>", "<blockquote>“Quote.”</blockquote>", "\xff<p>\x00</p>",
	} {
		f.Add(s)
	}
	sp := newTestSplitter(f)
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Text(corpus.Document{HTML: s})
		if err != nil {
			if !errors.Is(err, ErrNoText) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		checkBlocks(t, a)
		checkSentences(t, a, sp.Split(a))
	})
}
