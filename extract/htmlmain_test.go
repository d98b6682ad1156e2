package extract

import (
	"fmt"
	"strings"
	"testing"

	"redline/corpus"
)

func hb(kind BlockKind, text string) htmlBlock { return htmlBlock{kind: kind, text: text} }

func renderBlocks(bs []htmlBlock) string {
	var sb strings.Builder
	for _, b := range bs {
		fmt.Fprintf(&sb, "%v: %s\n", b.kind, b.text)
	}
	return sb.String()
}

// testSentences share no four words in a row.
var testSentences = []string{
	"Negotiators from both delegations met again on Tuesday and restated the positions their governments hold.",
	"Moscow repeated that it wants Ukraine to give up its bid to join NATO before any ceasefire.",
	"Kyiv said it would not accept any deal that cedes territory, according to a member of its team.",
	"The mediators proposed a prisoner exchange as a first step, officials familiar with the draft said.",
	"Western diplomats in Geneva expect little progress before the spring, when fighting usually intensifies.",
	"A third round is planned for April, although no date has been fixed by either side yet.",
	"Turkish officials offered Istanbul as a venue and promised security guarantees for every delegation.",
	"Grain shipments through the Black Sea were also discussed, one participant told reporters afterwards.",
	"Observers noted that the tone was calmer than at the previous meeting in the Swiss city.",
	"Both teams will report to their capitals this week and consult allies before returning.",
}

// sentence returns the i-th of testSentences.
func sentence(i int) string { return testSentences[i] }

// TestCombineBlocks: the rules that combine our blocks with trafilatura's.
func TestCombineBlocks(t *testing.T) {
	title := hb(Heading, "Talks resume in Geneva")
	byline := hb(Paragraph, "By Jane Doe")
	dateline := hb(Paragraph, "Nov. 19, 2019, 8:41 AM UTC")
	standfirst := hb(Paragraph, "Negotiators met for the first time in three months, and neither side moved.")
	caption := hb(Caption, "Delegates take their seats. Photo: Agency")
	body := []htmlBlock{hb(Paragraph, sentence(0)), hb(Paragraph, sentence(1)), hb(Heading, "What each side wants"), hb(ListItem, "a neutral status"), hb(Paragraph, sentence(2)), hb(Paragraph, sentence(3))}
	related := []htmlBlock{hb(Heading, "More On:"), hb(ListItem, "Earlier talks collapsed in January after a week")}
	bio := hb(Paragraph, "Jane Doe covers diplomacy for Example News from Geneva and has reported from Kyiv since 2014.")
	cat := func(parts ...[]htmlBlock) []htmlBlock {
		var out []htmlBlock
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	one := func(bs ...htmlBlock) []htmlBlock { return bs }

	for _, tt := range []struct {
		name         string
		ours, theirs []htmlBlock
		want         []htmlBlock
	}{
		{
			name: "trafilatura found nothing: ours",
			ours: cat(one(title, byline), body), theirs: nil,
			want: cat(one(title, byline), body),
		},
		{
			name: "we found nothing: theirs",
			ours: nil, theirs: body,
			want: body,
		},
		{
			name:   "furniture inside our container is dropped, the lead is kept",
			ours:   cat(one(title, byline, dateline, standfirst, caption), body, related, one(bio)),
			theirs: body,
			want:   cat(one(title, standfirst, caption), body),
		},
		{
			name:   "a block trafilatura confirms only in part (joined, split, retouched) is kept",
			ours:   cat(one(hb(Paragraph, sentence(0)+" "+sentence(4))), body[1:]),
			theirs: cat(body, one(hb(Quote, "“We will not trade our land,” he said."))),
			want:   cat(one(hb(Paragraph, sentence(0)+" "+sentence(4))), body[1:]),
		},
		{
			name:   "trafilatura found much text we lack: our container was wrong",
			ours:   one(hb(Paragraph, sentence(1))),
			theirs: one(hb(Paragraph, sentence(1)), hb(Paragraph, sentence(5)), hb(Paragraph, sentence(6))),
			want:   one(hb(Paragraph, sentence(1)), hb(Paragraph, sentence(5)), hb(Paragraph, sentence(6))),
		},
		{
			name:   "trafilatura found only a part of our article: ours",
			ours:   cat(body, one(hb(Paragraph, sentence(7)), hb(Paragraph, sentence(8)), hb(Paragraph, sentence(9)))),
			theirs: one(hb(Paragraph, sentence(8)), hb(Paragraph, sentence(9))),
			want:   cat(body, one(hb(Paragraph, sentence(7)), hb(Paragraph, sentence(8)), hb(Paragraph, sentence(9)))),
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := combineBlocks(tt.ours, tt.theirs)
			if renderBlocks(got) != renderBlocks(tt.want) {
				t.Errorf("got:\n%swant:\n%s", renderBlocks(got), renderBlocks(tt.want))
			}
		})
	}
}

// TestHTMLFurnitureInArticle: bylines, datelines, a gallery, "More on"
// lists and an author bio inside the <article> are left out; the title,
// the standfirst and the body are kept.
func TestHTMLFurnitureInArticle(t *testing.T) {
	var paras strings.Builder
	for i := range 8 {
		fmt.Fprintf(&paras, "<p>%s</p>\n", sentence(i))
	}
	page := `<html><head><title>Talks resume in Geneva</title></head><body>
<article>
<h1>Talks resume in Geneva</h1>
<p class="dek">Negotiators met for the first time in three months, and neither side moved.</p>
<div class="article-infos"><span>Jane Doe, Geneva</span> <span>Nov. 19, 2019, 8:41 AM UTC</span></div>
<div class="slideshow"><ul><li>Delegates arrive at the venue on Tuesday morning before the session</li><li>The Russian delegation</li></ul></div>
<div class="story">` + paras.String() + `</div>
<div class="next-stories"><h3>More On:</h3><h4><a href="/a">Earlier talks collapsed in January after a week</a></h4><h4><a href="/b">Who sits on the negotiating teams</a></h4></div>
<div class="author-bio"><p><a href="/staff/jane">Jane Doe</a> covers diplomacy for Example News from Geneva and has reported from Kyiv since 2014.</p></div>
</article>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
</body></html>`
	a, err := Text(corpus.Document{HTML: page})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, a)
	got := kinds(a)
	if !strings.HasPrefix(got, "heading: Talks resume in Geneva\nparagraph: Negotiators met for the first time") {
		t.Errorf("lead lost:\n%s", got)
	}
	for i := range 8 {
		if !strings.Contains(got, sentence(i)) {
			t.Errorf("paragraph %d lost:\n%s", i, got)
		}
	}
	for _, junk := range []string{"Jane Doe, Geneva", "8:41", "Delegates arrive", "More On", "Earlier talks", "covers diplomacy", "Home"} {
		if strings.Contains(got, junk) {
			t.Errorf("kept %q:\n%s", junk, got)
		}
	}
}

func TestHTMLTables(t *testing.T) {
	page := `<html><body><article>
<p>The final standings of the season, after all thirty-six races, are in the table below.</p>
<table><caption>Final standings</caption>
<thead><tr><th>Pos.</th><th>Driver</th><th>Points</th></tr></thead>
<tbody><tr><td>1</td><td>Kyle Busch</td><td>5040</td></tr><tr><td>2</td><td>Martin <b>Truex</b> Jr.</td><td>5035</td></tr>
<tr><td>3</td><td>4</td><td>5</td></tr></tbody></table>
<table class="layout"><tr><td><p>A layout cell holding a whole paragraph of the story text.</p><p>And a second one.</p></td></tr></table>
</article></body></html>`
	a, err := Text(corpus.Document{HTML: page})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, a)
	want := `paragraph: The final standings of the season, after all thirty-six races, are in the table below.
caption: Final standings
paragraph: Pos. Driver Points
paragraph: 1 Kyle Busch 5040
paragraph: 2 Martin Truex Jr. 5035
paragraph: A layout cell holding a whole paragraph of the story text.
paragraph: And a second one.
`
	if got := kinds(a); got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
}

// TestJoinEdges: trafilatura trims the text around inline elements; an
// element boundary between two words is a space again.
func TestJoinEdges(t *testing.T) {
	e := string(elementEdge)
	for in, want := range map[string]string{
		"hits on" + e + "Mason Rudolph" + e + "(well":  "hits on Mason Rudolph(well",
		"2 for" + e + "Larry Ogunjobi" + e + ", 3 for": "2 for Larry Ogunjobi, 3 for",
		"a " + e + "bold" + e + " word":                "a bold word",
		e + e + "start" + e:                            "start",
		"no edges":                                     "no edges",
	} {
		if got := joinEdges(in); got != want {
			t.Errorf("joinEdges(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHTMLConcurrent: Text (with trafilatura inside) from several
// goroutines gives each page the same article as a lone call (run with
// -race to check for shared state).
func TestHTMLConcurrent(t *testing.T) {
	pages := []string{readFixture(t, "article.html")}
	if bench, err := LoadHTMLBenchmark(benchmarkDir); err == nil {
		for i := 0; i < len(bench) && len(pages) < 4; i += 60 {
			pages = append(pages, bench[i].HTML)
		}
	}
	want := make([]string, len(pages))
	for i, p := range pages {
		a, _ := Text(corpus.Document{HTML: p})
		want[i] = a.Text
	}
	errs := make(chan string, 4*len(pages))
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for k := range pages {
				i := (k + g) % len(pages)
				a, _ := Text(corpus.Document{HTML: pages[i]})
				if a.Text != want[i] {
					errs <- fmt.Sprintf("page %d differs when run concurrently", i)
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
