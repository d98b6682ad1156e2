package extract

import (
	"fmt"
	"strings"
	"testing"

	"redline/corpus"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// bigPage returns a generated page of about size bytes of one of these
// shapes: "paragraphs" (one <p> after another in an article), "divs" (text
// in sibling divs, no <p>), "nested" (divs nested 400 deep, over and over,
// each level holding a sentence), "lists" (list items).
func bigPage(shape string, size int) string {
	const sentence = "The minister said the budget would rise by 4 percent next year, officials confirmed on Tuesday."
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><title>Big page</title></head><body>")
	switch shape {
	case "paragraphs":
		b.WriteString("<article><h1>Big page</h1>")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "<p>%d. %s</p>\n", i, sentence)
		}
		b.WriteString("</article>")
	case "divs":
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "<div class=\"x%d\">%d. %s</div>\n", i%7, i, sentence)
		}
	case "nested":
		for b.Len() < size {
			for d := 0; d < 400; d++ {
				fmt.Fprintf(&b, "<div>%s", sentence)
			}
			b.WriteString(strings.Repeat("</div>", 400))
		}
	case "lists":
		b.WriteString("<main><ul>")
		for i := 0; b.Len() < size; i++ {
			fmt.Fprintf(&b, "<li><a href=\"/%d\">%d</a> %s</li>\n", i, i, sentence)
		}
		b.WriteString("</ul></main>")
	}
	b.WriteString("</body></html>")
	return b.String()
}

// BenchmarkHTMLBig measures Text on generated pages of growing size, to
// show whether the cost grows linearly:
//
//	go test -run X -bench HTMLBig -benchtime 1x ./extract/
func BenchmarkHTMLBig(b *testing.B) {
	for _, shape := range []string{"paragraphs", "divs", "nested", "lists"} {
		for _, size := range []int{1 << 20, 3 << 20, 9 << 20} {
			page := bigPage(shape, size)
			b.Run(fmt.Sprintf("%s/%dMB", shape, size>>20), func(b *testing.B) {
				b.SetBytes(int64(len(page)))
				for i := 0; i < b.N; i++ {
					a, err := Text(corpus.Document{ID: "big", HTML: page})
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(a.Blocks)), "blocks")
				}
			})
		}
	}
}

// TestHTMLTruncated: a page with more text than maxHTMLText is read up to
// that much, and marked Truncated; a normal page is not.
func TestHTMLTruncated(t *testing.T) {
	page := bigPage("paragraphs", maxHTMLText*5/4)
	a, err := Text(corpus.Document{ID: "big", HTML: page})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Truncated || len(a.Blocks) < 1000 || a.Blocks[0].Text != "Big page" {
		t.Fatalf("truncated %v, %d blocks", a.Truncated, len(a.Blocks))
	}
	if len(a.Text) > maxHTMLText*11/10 || len(a.Text) < maxHTMLText*3/4 { // blank lines between blocks added
		t.Errorf("%d bytes of text, want about %d", len(a.Text), maxHTMLText)
	}
	last := a.Blocks[len(a.Blocks)-1].Text
	if !strings.HasSuffix(last, "on Tuesday.") {
		t.Errorf("last block %q", last)
	}

	small, err := Text(corpus.Document{ID: "small", HTML: bigPage("paragraphs", 10<<10)})
	if err != nil || small.Truncated {
		t.Errorf("small page: truncated %v, %v", small.Truncated, err)
	}
}

// TestTreeBudget: the budget keeps the first nodes in document order and
// removes every node after the one that overran it.
func TestTreeBudget(t *testing.T) {
	page := "<html><head><script>" + strings.Repeat("x", 100) + "</script></head><body>" +
		"<div><p>one</p><p>two</p></div><p>three</p><p>four</p></body></html>"
	for _, tc := range []struct {
		nodes, text int
		want        string
		cut         bool
	}{
		{100, 100, "onetwothreefour", false},
		{100, 6, "onetwo", true},
		{100, 7, "onetwo", true},
		{10, 100, "onetwo", true}, // html head script text body div p text p text
		{1000, 15, "onetwothreefour", false},
	} {
		doc, _ := html.Parse(strings.NewReader(page))
		b := treeBudget{nodes: tc.nodes, text: tc.text}
		b.walk(doc)
		var sb strings.Builder
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.TextNode && n.Parent.DataAtom == atom.P {
				sb.WriteString(n.Data)
			}
			for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
				walk(ch)
			}
		}
		walk(doc)
		if sb.String() != tc.want || b.cut != tc.cut {
			t.Errorf("budget %d nodes, %d text: kept %q (cut %v), want %q (%v)", tc.nodes, tc.text, sb.String(), b.cut, tc.want, tc.cut)
		}
	}
}
