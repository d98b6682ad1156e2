package extract

import (
	"reflect"
	"testing"

	"redline/corpus"
)

// metaBody is an article long enough to be read as one.
const metaBody = `<body><article><h1>Talks resume in Geneva</h1>
<p>The delegations of Russia and Ukraine met in Geneva on Tuesday, the first round of direct talks in three months.</p>
<p>Both sides said afterwards that the atmosphere had been businesslike, and that a third round would follow in April.</p>
</article></body>`

// TestHTMLPageMetadata: author, outlet, canonical address, language and
// date from JSON-LD, Open Graph and other meta tags, links, and the
// page's address, on pages written here.
func TestHTMLPageMetadata(t *testing.T) {
	tests := []struct {
		name, url, htmlAttr, head, body string
		outlet                          string // the document's own outlet
		want                            Article
	}{
		{
			name: "json-ld",
			head: `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Site"},
{"@type":"NewsArticle","headline":"Talks","datePublished":"2022-03-15T08:00:00Z",
 "author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":" John  Roe "}],
 "publisher":{"@type":"Organization","name":"Example Times","logo":{"url":"x.png"}}}]}</script>`,
			want: Article{Author: "Jane Doe, John Roe", Outlet: "Example Times", Published: "2022-03-15"},
		},
		{
			name: "json-ld author as a string, publisher as a string",
			head: `<script type="application/ld+json">[{"@type":"Article","author":"By Ann Lee","publisher":"Daily Example"}]</script>`,
			want: Article{Author: "Ann Lee", Outlet: "Daily Example"},
		},
		{
			name: "open graph",
			head: `<meta property="og:site_name" content="Kyiv Post"><meta property="og:url" content="https://www.kyivpost.com/post/123">
<meta name="author" content="By Olga Petrenko"><meta property="article:published_time" content="2022-02-24T05:00:00+02:00">`,
			want: Article{Author: "Olga Petrenko", Outlet: "Kyiv Post", CanonicalURL: "https://www.kyivpost.com/post/123", Published: "2022-02-24"},
		},
		{
			name: "canonical link wins over og:url and is made absolute",
			url:  "https://example.com/amp/news/talks?utm=x",
			head: `<link rel="canonical" href="/news/talks"><meta property="og:url" content="https://example.com/og">`,
			want: Article{CanonicalURL: "https://example.com/news/talks", Outlet: "example.com"},
		},
		{
			name: "relative og:url without a page address is ignored",
			head: `<meta property="og:url" content="/news/talks">`,
		},
		{
			name: "date from the page's address",
			url:  "https://www.example.com/world/2022/03/15/talks-resume/",
			want: Article{Published: "2022-03-15", Outlet: "example.com"},
		},
		{
			name: "date from the canonical address",
			head: `<link rel="canonical" href="https://news.example.org/2021-11-02/talks.html">`,
			want: Article{Published: "2021-11-02", CanonicalURL: "https://news.example.org/2021-11-02/talks.html", Outlet: "news.example.org"},
		},
		{
			name: "metadata date wins over the address",
			url:  "https://example.com/2022/03/15/talks/",
			head: `<meta property="article:published_time" content="2022-03-16T01:00:00Z">`,
			want: Article{Published: "2022-03-16", Outlet: "example.com"},
		},
		{
			name: "unreadable date is reported",
			head: `<meta property="article:published_time" content=" sometime in March ">`,
			want: Article{BadPublished: "sometime in March"},
		},
		{
			name: "unreadable date, a later one reads",
			head: `<meta property="article:published_time" content="soon"><meta name="date" content="2022-03-15">`,
			want: Article{Published: "2022-03-15"},
		},
		{
			name: "unreadable date, date from the address",
			url:  "https://example.com/2022/03/15/talks/",
			head: `<meta property="article:published_time" content="soon">`,
			want: Article{Published: "2022-03-15", Outlet: "example.com"},
		},
		{
			name: "unreadable time datetime is reported",
			body: `<body><article><time datetime="next week">Soon</time>` + metaBody[len("<body><article>"):],
			want: Article{BadPublished: "next week"},
		},
		{
			name: "itemprop author name, article:author address ignored",
			head: `<meta property="article:author" content="https://www.facebook.com/someone">`,
			body: `<body><article><span itemprop="author" itemscope><span itemprop="name">Mark Twain</span></span>` + metaBody[len("<body><article>"):],
			want: Article{Author: "Mark Twain"},
		},
		{
			name: "rel=author link",
			body: `<body><article><p class="by">By <a rel="author" href="/staff/kim">Kim Park</a></p>` + metaBody[len("<body><article>"):],
			want: Article{Author: "Kim Park"},
		},
		{
			name:     "language, document outlet wins",
			htmlAttr: ` lang="uk-UA"`,
			head:     `<meta property="og:site_name" content="Page Site">`,
			outlet:   "Own Outlet",
			want:     Article{Lang: "uk", Outlet: "Own Outlet"},
		},
		{
			name: "application-name as outlet",
			url:  "https://www.example.net/a",
			head: `<meta name="application-name" content="Example Net News">`,
			want: Article{Outlet: "Example Net News"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			if body == "" {
				body = metaBody
			}
			page := "<!DOCTYPE html><html" + tt.htmlAttr + "><head><title>Talks resume in Geneva</title>" + tt.head + "</head>" + body + "</html>"
			a, err := Text(corpus.Document{HTML: page, URL: tt.url, Outlet: tt.outlet})
			if err != nil {
				t.Fatal(err)
			}
			checkBlocks(t, a)
			got := Article{Author: a.Author, Outlet: a.Outlet, CanonicalURL: a.CanonicalURL, Published: a.Published, BadPublished: a.BadPublished, Lang: a.Lang}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestURLDate(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/2022/03/15/talks/":          "2022-03-15",
		"https://example.com/news/2022/3/15/talks":       "",
		"https://example.com/2022-03-15-talks-resume":    "2022-03-15",
		"https://example.com/news/20220315/talks.html":   "2022-03-15",
		"https://example.com/2022/03/15":                 "2022-03-15",
		"https://example.com/2022/03-15/talks":           "",
		"https://example.com/2022/13/45/talks":           "",
		"https://example.com/2014/09/make-arrowhead":     "",
		"https://example.com/story/12345678901/":         "",
		"https://example.com/a?date=2022/03/15":          "",
		"https://example.com/1980/01/01/old":             "",
		"https://example.com/2019/11/18/20970600/browns": "2019-11-18",
		"":       "",
		"::bad:": "",
	} {
		if got := urlDate(in); got != want {
			t.Errorf("urlDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanAuthors(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{[]string{"By Jane Doe", "jane doe", "John Roe"}, "Jane Doe, John Roe"},
		{[]string{"@handle"}, "handle"},
		{[]string{"https://example.com/me", "www.example.com", "", "—"}, ""},
		{[]string{"This byline is far too long to be a name, it reads like a sentence from the article instead."}, ""},
	} {
		if got := cleanAuthors(tt.in); got != tt.want {
			t.Errorf("cleanAuthors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPlainMetadataFromURL: a plain text's outlet and date come from its
// address when it carries none.
func TestPlainMetadataFromURL(t *testing.T) {
	doc := corpus.Document{Text: "Talks resumed in Geneva on Tuesday.", URL: "https://www.example.com/world/2022/03/15/talks"}
	a, err := Text(doc)
	if err != nil {
		t.Fatal(err)
	}
	if a.Outlet != "example.com" || a.Published != "2022-03-15" {
		t.Errorf("outlet %q published %q", a.Outlet, a.Published)
	}
	doc.Outlet = "Example"
	if a, _ := Text(doc); a.Outlet != "Example" {
		t.Errorf("outlet %q, want the document's", a.Outlet)
	}
}
