package extract

// The choice of a page's main content.
//
// Measured on the article extraction benchmark (181 pages,
// ../shared/corpus/extraction-benchmark) with the benchmark's own scoring
// (htmleval.go) of BodyText, on a 2-core machine shared with other jobs
// (pages/s include parsing and metadata, and vary by ±30% with the load):
//
//	option                                               P      R      F1     pages/s
//	(a) own scoring on goquery, as it was                0.927  0.965  0.945  217
//	(a) own scoring, table rows as lines (ownBlocks)     0.931  0.970  0.950  186
//	(b) go-trafilatura's ContentText                     0.945  0.979  0.962  119
//	(b)   same, with its fallback extractors             0.940  0.980  0.960   53
//	(b) go-trafilatura's ContentNode walked into blocks  0.953  0.978  0.966  105
//	(c) our blocks that trafilatura confirms             0.971  0.961  0.966
//	(c)   + the lead (title, standfirst, lead caption)   0.967  0.962  0.965
//	(c)   + theirs when ours miss >30% of their text     0.963  0.975  0.969
//	(c)   + ours when they confirm <50% of our text      0.962  0.982  0.972
//	(c)   + their link-text blocks dropped               0.970  0.980  0.975
//	(c)   + the lead runs past a confirmed title: chosen 0.967  0.981  0.974   64
//
// Published figures by the same method: trafilatura 0.945, go-readability
// 0.943, readability-lxml 0.922.
//
// (c) is chosen: it scores best, and it keeps what our own walk does
// better than trafilatura: headings, standfirsts, captions, paragraphs
// split at <br><br>, furniture classes pruned (and the tests' expectations
// on them). The two err in different ways. Ours finds the article's
// container and segments it well, but keeps the furniture inside it:
// bylines, datelines, photo galleries, author bios, "More on" lists.
// Trafilatura drops that furniture well, but misses leads, now and then
// takes a teaser, part of the article or the whole page for the article,
// and loses links and the spaces around inline elements. The cost of (c)
// is both extractors' time (about 16 ms a page, 4.7 MB allocated), and
// go-trafilatura's dependencies: a binary 12 MB bigger, and about 0.25 s and
// 78 MB of allocations at the start of every process that imports this
// package (go-dateparser builds its language tables in init).

import (
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	// minTrafilaturaText is the least text (in runes) trafilatura must find
	// for its opinion to count.
	minTrafilaturaText = 200
	// confirmShare is the share of a block's shingles that trafilatura's
	// text must hold for the block to be confirmed.
	confirmShare = 0.5
	// missedShare: when more than this share of trafilatura's text is not
	// in our blocks, our container was the wrong one.
	missedShare = 0.3
	// minConfirmed: when trafilatura confirms less than this share of our
	// text, it found only a part of the article.
	minConfirmed = 0.5
	// linkShare: a block of trafilatura's whose shingles are this much in
	// the page's link texts is a menu or a list of links.
	linkShare = 0.6
)

// mainBlocks returns the blocks of the page's main content, or nil for a
// page without a body: the page's own scoring (ownBlocks) combined with
// go-trafilatura's choice of content (trafilaturaBlocks) by combineBlocks.
// It prunes doc. Without useTrafilatura (on a page too big for it), the
// page's own blocks are returned.
//
// This is the one place to change the choice of content.
func mainBlocks(doc *goquery.Document, useTrafilatura bool) []htmlBlock {
	var theirs []htmlBlock
	if useTrafilatura {
		theirs = trafilaturaBlocks(doc.Nodes[0]) // before ownBlocks prunes doc
	}
	return combineBlocks(ownBlocks(doc), theirs)
}

// combineBlocks combines our blocks with trafilatura's:
//
//   - when trafilatura failed or found little text (theirs is nil), ours;
//   - when more than missedShare of trafilatura's text is missing from our
//     blocks, our container was the wrong one: theirs;
//   - when trafilatura confirms less than minConfirmed of our text, it
//     found only a part of the article: ours;
//   - else ours that trafilatura confirms (shingleIndex.confirms), and in
//     the lead (before the first confirmed block that is no heading) the
//     headings, captions and sentences of eight words or more: a title, a
//     standfirst, a lead photo's caption, but no bylines, datelines or
//     labels.
func combineBlocks(ours, theirs []htmlBlock) []htmlBlock {
	if theirs == nil {
		return ours
	}
	if ours == nil {
		return theirs
	}
	ourText, theirText := newShingleIndex(blocksText(ours)), newShingleIndex(blocksText(theirs))
	missed, total := 0, 0
	for _, b := range theirs {
		total += len(b.text)
		if !ourText.confirms(b.text) {
			missed += len(b.text)
		}
	}
	if float64(missed) > missedShare*float64(total) {
		return theirs
	}
	confirmed, own := 0, 0
	keep := make([]bool, len(ours))
	for i, b := range ours {
		keep[i] = theirText.confirms(b.text)
		if b.kind != Caption {
			own += len(b.text)
			if keep[i] {
				confirmed += len(b.text)
			}
		}
	}
	if float64(confirmed) < minConfirmed*float64(own) {
		return ours
	}
	out := make([]htmlBlock, 0, len(ours))
	lead := true
	for i, b := range ours {
		switch {
		case keep[i]:
			lead = lead && b.kind == Heading
			out = append(out, b)
		case lead && (b.kind == Heading || b.kind == Caption || countWords(b.text) >= 8 && endsSentence(b.text)):
			out = append(out, b)
		}
	}
	return out
}

// blocksText joins the blocks' texts by blank lines.
func blocksText(bs []htmlBlock) string {
	var sb strings.Builder
	for _, b := range bs {
		sb.WriteString(b.text)
		sb.WriteString("\n\n")
	}
	return sb.String()
}

// shingleIndex answers whether a text holds a block's text, by the
// benchmark's shingles (so that white space, punctuation and element
// boundaries do not matter).
type shingleIndex struct {
	shingles map[string]int
	tokens   string // " tok tok tok " for the short blocks
}

func newShingleIndex(text string) shingleIndex {
	return shingleIndex{shingles: shingles(text), tokens: " " + strings.Join(shingleTokens(text), " ") + " "}
}

// confirms reports whether the indexed text holds block: at least
// confirmShare of its shingles, or for a block of fewer than six tokens
// (a heading, a short list item) all its tokens in a row.
func (x shingleIndex) confirms(block string) bool { return x.holds(block, confirmShare) }

// holds reports whether the indexed text holds at least share of block's
// shingles, or for a block of fewer than six tokens all its tokens in a
// row.
func (x shingleIndex) holds(block string, share float64) bool {
	toks := shingleTokens(block)
	if len(toks) == 0 {
		return false
	}
	if len(toks) < 6 {
		return strings.Contains(x.tokens, " "+strings.Join(toks, " ")+" ")
	}
	n, in := 0, 0
	for k, c := range shingles(block) {
		n += c
		in += min(c, x.shingles[k])
	}
	return float64(in) >= share*float64(n)
}

// trafilaturaOptions: no comments, no date search in the page's text (the
// date comes from our metadata rules), no fallback extractors (they cost
// 40% more time and scored lower), the balanced focus (FavorPrecision
// scored 0.964 in (c), FavorRecall 0.973).
var trafilaturaOptions = trafilatura.Options{
	ExcludeComments: true,
	HtmlDateMode:    trafilatura.Disabled,
}

// trafilaturaBlocks runs go-trafilatura on a parsed page (it works on
// copies and leaves root as it is) and walks the content it finds into
// blocks, less the blocks that are mostly the page's link texts; nil when
// it fails, panics, or finds less than minTrafilaturaText of text outside
// captions or a single block.
func trafilaturaBlocks(root *html.Node) (blocks []htmlBlock) {
	defer func() {
		if recover() != nil {
			blocks = nil
		}
	}()
	res, err := trafilatura.ExtractDocument(root, trafilaturaOptions)
	if err != nil || res == nil || res.ContentNode == nil {
		return nil
	}
	setAtoms(res.ContentNode)
	c := blockCollector{loose: true}
	c.walk(res.ContentNode)
	// Trafilatura drops the links, and with them what tells a menu from a
	// paragraph: judge the blocks by the page's link texts.
	links := newShingleIndex(linkTexts(root))
	n := 0
	for _, b := range c.blocks {
		if countWords(b.text) > 12 && links.holds(b.text, linkShare) {
			continue
		}
		blocks = append(blocks, b)
		if b.kind != Caption && b.kind != Boilerplate {
			n += utf8.RuneCountInString(b.text)
		}
	}
	// One block is no opinion: trafilatura's last resort (when it finds
	// little) puts the whole article or page into one paragraph, its words
	// glued across elements.
	if n < minTrafilaturaText || len(blocks) < 2 {
		return nil
	}
	return blocks
}

// linkTexts returns the texts of the page's links, one a line.
func linkTexts(root *html.Node) string {
	var sb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			writeText(&sb, n, false, false)
			sb.WriteByte('\n')
			return
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(root)
	return sb.String()
}

// setAtoms sets the atom of the elements under n that trafilatura created
// by name only, so that the block walk recognises them.
func setAtoms(n *html.Node) {
	if n.Type == html.ElementNode && n.DataAtom == 0 {
		n.DataAtom = atom.Lookup([]byte(n.Data))
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		setAtoms(ch)
	}
}
