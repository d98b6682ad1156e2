package extract

import (
	"strings"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlArticle extracts the main text of a page (already decoded to UTF-8)
// as an Article: metadata first from the whole page (pageMeta; pageURL is
// the page's address, or ""), then the blocks of the main content
// (mainBlocks, which combines our container choice with trafilatura's):
// h1–h6 → Heading, p → Paragraph, li → ListItem, blockquote → Quote,
// figcaption and the paragraphs of a figure → Caption, a table row →
// Paragraph; runs of inline content outside those elements are paragraphs
// too. Blocks that read as boilerplate (copyright, "Read more", a lone
// link) are dropped; reference and link lists are marked Boilerplate
// (markReferences). The text is the blocks' texts, white space collapsed,
// joined by blank lines.
//
// The work is bounded: only the first maxHTMLNodes nodes and maxHTMLText
// bytes of text of the page are read (Article.Truncated tells when the rest
// was dropped), and go-trafilatura, whose cost grows with the number of
// paragraphs times the text, is skipped on pages where that product is
// over maxTrafilaturaWork.
//
// On a page that yields no text the Article still carries the metadata and
// the error wraps ErrNoText.
func htmlArticle(src, pageURL string) (Article, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(src))
	if err != nil {
		// x/net/html gives up on pages nested more than 512 deep.
		return Article{}, errorsNoText("the HTML page cannot be parsed: " + err.Error())
	}
	var a Article
	budget := treeBudget{nodes: maxHTMLNodes, text: maxHTMLText}
	budget.walk(doc.Nodes[0])
	a.Truncated = budget.cut
	newPageMeta(doc).fill(&a, pageURL)

	useTrafilatura := budget.paras*(maxHTMLText-budget.text) <= maxTrafilaturaWork
	blocks := mainBlocks(doc, useTrafilatura)
	if blocks == nil {
		return a, errorsNoText("the HTML page has no body text")
	}
	var sb strings.Builder
	for _, b := range blocks {
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
		}
		start := sb.Len()
		sb.WriteString(b.text)
		a.Blocks = append(a.Blocks, Block{Kind: b.kind, Start: start, End: sb.Len()})
	}
	a.Text = sb.String()
	for i := range a.Blocks {
		a.Blocks[i].Text = a.Text[a.Blocks[i].Start:a.Blocks[i].End]
	}
	a.Blocks = joinBroken(a.Text, a.Blocks)
	markReferences(a.Blocks)
	if len(a.Blocks) == 0 {
		return a, errorsNoText("no article text found in the HTML page")
	}
	return a, nil
}

// Bounds on the work of reading one page; see htmlArticle.
const (
	// maxHTMLNodes is the most nodes (elements, text, comments) of a page
	// that are read.
	maxHTMLNodes = 100_000
	// maxHTMLText is the most bytes of text of a page that are read, not
	// counting scripts and styles.
	maxHTMLText = 1 << 20
	// maxTrafilaturaWork bounds the paragraphs times bytes of text of a
	// page that go-trafilatura is run on: it concatenates the paragraphs'
	// texts one by one, a cost that grows with their square.
	maxTrafilaturaWork = 256 << 20
)

// treeBudget cuts a parsed page down to its first nodes and text.
type treeBudget struct {
	nodes, text int  // what may still be read
	paras       int  // <p> elements read
	cut         bool // the budget ran out: the rest was removed
}

// walk reads the children of n in document order, charging each node and
// its text (outside script, style and the like) to the budget; once the
// budget is spent it removes the node that overran it and every node after
// it.
func (b *treeBudget) walk(n *html.Node) {
	for ch := n.FirstChild; ch != nil; {
		if b.cut {
			next := ch.NextSibling
			n.RemoveChild(ch)
			ch = next
			continue
		}
		b.nodes--
		if ch.Type == html.TextNode && !isRawText(n) {
			b.text -= len(ch.Data)
		}
		if b.nodes < 0 || b.text < 0 {
			b.cut = true
			continue // removed by the next turn
		}
		if ch.Type == html.ElementNode && ch.DataAtom == atom.P {
			b.paras++
		}
		b.walk(ch)
		ch = ch.NextSibling
	}
}

// isRawText reports whether the text in n is not page text: a script, a
// style sheet and the like.
func isRawText(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Textarea, atom.Title:
		return true
	}
	return false
}

// collapseSpace joins the words of s with single spaces.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// ---- pruning ----

// dropElements never hold article text.
const dropElements = "script, style, noscript, template, nav, aside, iframe, svg, canvas, " +
	"object, embed, button, select, input, textarea, dialog, link, meta, " +
	"[hidden], [role=navigation], [role=complementary], [role=contentinfo], [role=search], " +
	"[role=dialog], [role=alertdialog], [aria-modal=true]"

// A <form> usually holds a search box or a sign-up; some sites wrap the
// whole page in one, so forms are pruned like furniture classes: only when
// they do not hold the article.

// boilerplateTokens are words of class and id attributes that mark page
// furniture; boilerplatePrefixes match the start of such a word.
var (
	boilerplateTokens = map[string]bool{
		"nav": true, "navbar": true, "navigation": true, "menu": true, "breadcrumb": true,
		"breadcrumbs": true, "share": true, "sharing": true, "social": true, "related": true,
		"comment": true, "comments": true, "disqus": true, "cookie": true, "cookies": true,
		"consent": true, "gdpr": true, "subscribe": true, "subscription": true, "newsletter": true,
		"promo": true, "advert": true, "advertisement": true, "ad": true, "ads": true,
		"adslot": true, "footer": true, "sidebar": true, "popup": true, "modal": true,
		"banner": true, "outbrain": true, "taboola": true, "sponsored": true, "recirc": true,
		"recommended": true, "trending": true, "masthead": true, "toolbar": true, "byline": true,
		"tweet": true, "instagram": true, "signup": true, "skip": true,
		"tags": true, "topics": true, "pagination": true, "hidden": true, "offscreen": true,
	}
	boilerplatePrefixes = [...]string{
		"share", "social", "cookie", "newsletter", "advert", "sidebar", "subscri",
		"promo", "related", "footer", "navbar", "navigation", "menu", "breadcrumb",
	}
	boilerplateClassParts = [...]string{"sr-only", "visually-hidden", "screen-reader", "visuallyhidden", "most-read", "read-more", "more-stories"}
	reClassSplit          = newLazyRegexp(`[^a-z0-9]+`)
)

// isBoilerplateClass reports whether a class or id attribute marks page
// furniture.
func isBoilerplateClass(attr string) bool {
	attr = strings.ToLower(attr)
	for _, p := range boilerplateClassParts {
		if strings.Contains(attr, p) {
			return true
		}
	}
	for _, tok := range reClassSplit.Split(attr, -1) {
		if tok == "" {
			continue
		}
		if boilerplateTokens[tok] {
			return true
		}
		for _, p := range boilerplatePrefixes {
			if strings.HasPrefix(tok, p) {
				return true
			}
		}
	}
	return false
}

// protectedSelector marks the containers that pruning must not remove, nor
// any element around them.
const protectedSelector = "html, body, main, article, [itemprop=articleBody], [role=main]"

// pruneBoilerplate removes elements that never hold article text, page
// headers and footers, hidden elements, and elements whose class or id
// marks them as furniture (see boilerplateTokens) — unless they contain
// the article (an article, main or articleBody element, or more than half
// of the page's paragraph text).
func pruneBoilerplate(doc *goquery.Document) {
	doc.Find(dropElements).Remove()
	doc.Find("footer").Remove()
	doc.Find("header").Each(func(_ int, h *goquery.Selection) {
		if h.ParentsFiltered("article, main, [itemprop=articleBody]").Length() == 0 {
			h.Remove()
		}
	})
	doc.Find("[style]").Each(func(_ int, s *goquery.Selection) {
		st := strings.ReplaceAll(strings.ToLower(s.AttrOr("style", "")), " ", "")
		if strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") {
			s.Remove()
		}
	})

	body := doc.Find("body").First()
	if body.Length() == 0 {
		return
	}
	m := measureText(body.Nodes[0])
	total := m.subtree[body.Nodes[0]]
	var victims []*html.Node
	body.Find("*").Each(func(_ int, s *goquery.Selection) {
		if !s.Is("form") && !isBoilerplateClass(s.AttrOr("class", "")+" "+s.AttrOr("id", "")) {
			return
		}
		if s.Is(protectedSelector) || s.Find(protectedSelector).Length() > 0 {
			return
		}
		if total > 0 && m.subtree[s.Nodes[0]]*2 > total {
			return
		}
		victims = append(victims, s.Nodes...)
	})
	for _, n := range victims {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// textMeasure tells where a page's running text is. A text unit is a <p>
// or a run of inline content (text with <br>s in a <div>, say) of at least
// 25 bytes of text outside links; its holder is the element that contains
// the run or the <p>.
type textMeasure struct {
	subtree map[*html.Node]int // text of all units below an element
	direct  map[*html.Node]int // text of the units an element holds itself
	root    *html.Node         // the element measured
}

// measureText measures the text units under root.
func measureText(root *html.Node) textMeasure {
	m := textMeasure{subtree: make(map[*html.Node]int), direct: make(map[*html.Node]int), root: root}
	var c blockCollector
	unit := func(holder *html.Node, nodes ...*html.Node) {
		var sb strings.Builder
		links := 0
		for _, n := range nodes {
			writeText(&sb, n, false, false)
			links += linkTextLen(n)
		}
		n := len(collapseSpace(sb.String())) - links
		if n < 25 {
			return
		}
		m.direct[holder] += n
		for a := holder; a != nil; a = a.Parent {
			m.subtree[a] += n
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		var run []*html.Node
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if c.isInline(ch) {
				run = append(run, ch)
				continue
			}
			if len(run) > 0 {
				unit(n, run...)
				run = run[:0]
			}
			if ch.Type != html.ElementNode {
				continue
			}
			if ch.DataAtom == atom.P && !c.hasBlock(ch) {
				unit(n, ch)
				continue
			}
			walk(ch)
		}
		if len(run) > 0 {
			unit(n, run...)
		}
	}
	walk(root)
	return m
}

// ---- main container ----

// ownBlocks returns the blocks of the page's main content by the page's
// own scoring: furniture pruned (pruneBoilerplate), the main container
// chosen (chooseMainContainer) and walked; nil for a page without a body.
// It prunes doc.
func ownBlocks(doc *goquery.Document) []htmlBlock {
	pruneBoilerplate(doc)
	root := chooseMainContainer(doc)
	if root == nil {
		return nil
	}
	var c blockCollector
	c.walk(root)
	return c.blocks
}

// chooseMainContainer picks the element that holds the article in a pruned
// page: the itemprop=articleBody element, else the <article>, else <main>
// (the one with the most running text when there are several), unless the
// text scoring below finds an element with four times as much text; else
// the element that holds the most running text itself (paragraphs and
// inline text; see bestScored); else <body>. It returns nil for
// a page without a body.
//
// Everything after it only walks the returned node; mainBlocks combines
// the result with trafilatura's.
func chooseMainContainer(doc *goquery.Document) *html.Node {
	body := doc.Find("body").First()
	if body.Length() == 0 {
		return nil
	}
	m := measureText(body.Nodes[0])
	scored := bestScored(m)
	scoredText := 0
	if scored != nil {
		scoredText = m.subtree[scored]
	}
	for _, sel := range [...]string{"[itemprop=articleBody]", "article", "main, [role=main]"} {
		best, bestText := (*html.Node)(nil), 0
		body.Find(sel).Each(func(_ int, s *goquery.Selection) {
			if t := m.subtree[s.Nodes[0]]; t > bestText {
				best, bestText = s.Nodes[0], t
			}
		})
		if best != nil && bestText*4 >= scoredText {
			return best
		}
	}
	if scored != nil {
		return scored
	}
	return body.Nodes[0]
}

// bestScored returns the element whose own text units (twice), its
// children's (once) and its grandchildren's (half) hold the most text, or
// nil when there are none.
func bestScored(m textMeasure) *html.Node {
	score := make(map[*html.Node]int, len(m.direct))
	for h, n := range m.direct {
		score[h] += 2 * n
		if p := h.Parent; p != nil && p.Type == html.ElementNode {
			score[p] += n
			if g := p.Parent; g != nil && g.Type == html.ElementNode {
				score[g] += n / 2
			}
		}
	}
	if len(score) == 0 {
		return nil
	}
	// The first in document order wins a tie: walk the page in order (a
	// sort by position would cost the width of the tree per comparison).
	// Scores reach up to the grandparent of the root's units.
	top := m.root
	for top.Parent != nil && top.Parent.Type == html.ElementNode {
		top = top.Parent
	}
	var best *html.Node
	bestScore := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if s := score[n]; s > bestScore {
			best, bestScore = n, s
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode {
				walk(ch)
			}
		}
	}
	walk(top)
	return best
}

// ---- blocks ----

type htmlBlock struct {
	kind BlockKind
	text string
}

// blockCollector walks the main container and collects its blocks.
type blockCollector struct {
	// loose is set for a tree that trafilatura rebuilt: it trims the text
	// around inline elements, so an element boundary between two words
	// stands for a space (see joinEdges).
	loose     bool
	blocks    []htmlBlock
	inFigure  int
	inQuote   int
	blockMemo map[*html.Node]bool
}

// inlineAtoms are the elements that flow within a paragraph.
var inlineAtoms = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Br: true, atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true,
	atom.Em: true, atom.I: true, atom.Kbd: true, atom.Mark: true, atom.Q: true,
	atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strong: true,
	atom.Sub: true, atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true,
	atom.Wbr: true, atom.Font: true, atom.Del: true, atom.Ins: true, atom.Label: true,
	atom.Img: true, atom.Picture: true, atom.Source: true,
}

// isInline reports text, and inline elements without block content.
func (c *blockCollector) isInline(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		return true
	case html.ElementNode:
		return inlineAtoms[n.DataAtom] && !c.hasBlock(n)
	}
	return false
}

// hasBlock reports whether n contains a block element (memoised).
func (c *blockCollector) hasBlock(n *html.Node) bool {
	if c.blockMemo == nil {
		c.blockMemo = make(map[*html.Node]bool)
	}
	if v, ok := c.blockMemo[n]; ok {
		return v
	}
	v := false
	for ch := n.FirstChild; ch != nil && !v; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (!inlineAtoms[ch.DataAtom] || c.hasBlock(ch)) {
			v = true
		}
	}
	c.blockMemo[n] = v
	return v
}

// walk collects the blocks under n in document order.
func (c *blockCollector) walk(n *html.Node) {
	var run []*html.Node
	flush := func() {
		if len(run) > 0 {
			c.inlineRun(run, Paragraph)
			run = run[:0]
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if c.isInline(ch) {
			run = append(run, ch)
			continue
		}
		flush()
		if ch.Type != html.ElementNode {
			continue
		}
		switch ch.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			if c.inFigure > 0 {
				c.add(Caption, c.nodeText(ch, false))
			} else {
				c.add(Heading, c.nodeText(ch, false))
			}
		case atom.P, atom.Pre, atom.Address:
			if c.hasBlock(ch) && ch.DataAtom != atom.Pre {
				c.walk(ch)
				continue
			}
			c.inlineRun([]*html.Node{ch}, Paragraph)
		case atom.Li, atom.Dt, atom.Dd:
			c.listItem(ch)
		case atom.Blockquote:
			c.inQuote++
			c.walk(ch)
			c.inQuote--
		case atom.Figure:
			c.inFigure++
			c.walk(ch)
			c.inFigure--
		case atom.Figcaption:
			c.add(Caption, c.nodeText(ch, false))
		case atom.Table:
			c.table(ch)
		case atom.Img, atom.Picture, atom.Video, atom.Audio, atom.Hr:
		default:
			c.walk(ch)
		}
	}
	flush()
}

// listItem adds a list item: its own text (nested lists apart), then the
// nested lists' items.
func (c *blockCollector) listItem(li *html.Node) {
	own := c.nodeText(li, true)
	if c.inFigure > 0 {
		c.add(Caption, own)
	} else if linkDensity(li) < 0.8 || countWords(own) > 12 {
		c.add(ListItem, own)
	}
	for ch := li.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (ch.DataAtom == atom.Ul || ch.DataAtom == atom.Ol || ch.DataAtom == atom.Dl) {
			c.walk(ch)
		}
	}
}

// table adds a data table one row at a time, its cells joined by spaces
// (a row reads as one line: "3 Kevin Harvick 5033 4 6"), after its
// caption; a layout table, one with a cell that holds blocks, is walked
// like any other container.
func (c *blockCollector) table(t *html.Node) {
	var rows []*html.Node
	var caption *html.Node
	layout := false
	var find func(n *html.Node)
	find = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type != html.ElementNode {
				continue
			}
			switch ch.DataAtom {
			case atom.Tr:
				rows = append(rows, ch)
				for cell := ch.FirstChild; cell != nil; cell = cell.NextSibling {
					layout = layout || cell.Type == html.ElementNode && c.hasBlock(cell)
				}
			case atom.Thead, atom.Tbody, atom.Tfoot:
				find(ch)
			case atom.Caption:
				caption = ch
			}
		}
	}
	find(t)
	if layout || len(rows) == 0 {
		c.walk(t)
		return
	}
	if caption != nil {
		c.add(Caption, c.nodeText(caption, false))
	}
	for _, r := range rows {
		var cells []string
		for cell := r.FirstChild; cell != nil; cell = cell.NextSibling {
			if cell.Type == html.ElementNode {
				if t := c.nodeText(cell, false); t != "" {
					cells = append(cells, t)
				}
			}
		}
		c.add(Paragraph, strings.Join(cells, " "))
	}
}

// reDoubleBreak splits text at two or more line breaks (from <br><br>).
var reDoubleBreak = newLazyRegexp(`[ \t\r\f\v\x{00a0}]*\n[ \t\r\f\v\x{00a0}]*\n\s*`)

// inlineRun adds the paragraphs of a run of inline nodes (or one <p>),
// split at double line breaks, each classified like a plain-text line.
func (c *blockCollector) inlineRun(nodes []*html.Node, kind BlockKind) {
	var sb strings.Builder
	links, strong := 0, true
	for _, n := range nodes {
		writeText(&sb, n, false, c.loose)
		links += linkTextLen(n)
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" || n.Type == html.ElementNode && !isStrongOnly(n) {
			strong = false
		}
	}
	raw := sb.String()
	if c.loose {
		raw = joinEdges(raw)
	}
	parts := reDoubleBreak.Split(raw, -1)
	total := len(collapseSpace(raw))
	for _, p := range parts {
		t := collapseSpace(p)
		if t == "" {
			continue
		}
		if len(parts) == 1 && total > 0 && float64(links)/float64(total) >= 0.8 && countWords(t) <= 12 {
			continue // a lone link: "Read more: …", a related story
		}
		k := kind
		switch {
		case c.inFigure > 0:
			k = Caption
		case isBoilerplateLine(t):
			continue
		case isCreditLine(t):
			k = Caption
		case c.inQuote > 0 || isQuoteLine(t):
			k = Quote
		case len(parts) == 1 && isHeadingLike(t, strong):
			k = Heading
		}
		c.add(k, t)
	}
}

// isHeadingLike reports a paragraph used as a subheading: at most 15 words,
// all bold or in Title Case, without final punctuation (or one short
// question when bold).
func isHeadingLike(t string, bold bool) bool {
	w := countWords(t)
	if w > 15 || endsFragment(t) {
		return false
	}
	if bold {
		return !endsSentence(t) || isShortQuestion(t, w)
	}
	return !endsSentence(t) && isTitleCase(t)
}

// add appends a block unless it is empty or repeats the previous block.
func (c *blockCollector) add(k BlockKind, text string) {
	text = collapseSpace(text)
	if !hasLetter(text) {
		return
	}
	if n := len(c.blocks); n > 0 && c.blocks[n-1].text == text {
		return
	}
	c.blocks = append(c.blocks, htmlBlock{kind: k, text: text})
}

// nodeText is the text of n, white space collapsed, <br> as a space; with
// skipLists nested lists are left out.
func (c *blockCollector) nodeText(n *html.Node, skipLists bool) string {
	var sb strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		writeText(&sb, ch, skipLists, c.loose)
	}
	if c.loose {
		return collapseSpace(joinEdges(sb.String()))
	}
	return collapseSpace(sb.String())
}

// nodeText is the text of n in a page's own tree.
func nodeText(n *html.Node, skipLists bool) string {
	var c blockCollector
	return c.nodeText(n, skipLists)
}

// blockAtoms separate words when their text is concatenated.
func isBlockAtom(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Td, atom.Th,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote,
		atom.Section, atom.Article, atom.Figure, atom.Figcaption, atom.Dd, atom.Dt:
		return true
	}
	return false
}

// writeText appends the text of n: <br> as a newline, block elements
// separated by spaces. With loose, every element boundary is marked with
// elementEdge (see joinEdges).
func writeText(sb *strings.Builder, n *html.Node, skipLists, loose bool) {
	switch n.Type {
	case html.TextNode:
		if loose {
			sb.WriteString(strings.ReplaceAll(n.Data, string(elementEdge), ""))
		} else {
			sb.WriteString(n.Data)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.Br:
		sb.WriteByte('\n')
		return
	case atom.Ul, atom.Ol, atom.Dl:
		if skipLists {
			return
		}
	case atom.Script, atom.Style, atom.Noscript, atom.Template:
		return
	}
	blk := isBlockAtom(n.DataAtom)
	switch {
	case blk:
		sb.WriteByte(' ')
	case loose:
		sb.WriteRune(elementEdge)
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		writeText(sb, ch, skipLists, loose)
	}
	switch {
	case blk:
		sb.WriteByte(' ')
	case loose:
		sb.WriteRune(elementEdge)
	}
}

// elementEdge marks an inline element's start or end in text written
// loosely (a private-use character; in loose mode the tree's own ones are
// dropped).
const elementEdge = '\uE000'

// joinEdges resolves the element edges of loosely written text: an edge
// between two letters or digits becomes a space (the space the page had
// there, lost when trafilatura trimmed its text nodes), any other edge
// disappears ("word</b>," stays "word,").
func joinEdges(s string) string {
	if !strings.ContainsRune(s, elementEdge) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	var prev rune // the last rune written
	pending := false
	for _, r := range s {
		if r == elementEdge {
			pending = true
			continue
		}
		if pending && isAlnum(prev) && isAlnum(r) {
			sb.WriteByte(' ')
		}
		pending = false
		sb.WriteRune(r)
		prev = r
	}
	return sb.String()
}

// isAlnum reports a letter or digit.
func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// linkTextLen is the length of the text inside links under n.
func linkTextLen(n *html.Node) int {
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		var sb strings.Builder
		writeText(&sb, n, false, false)
		return len(collapseSpace(sb.String()))
	}
	l := 0
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		l += linkTextLen(ch)
	}
	return l
}

// linkDensity is the share of n's text that lies inside links.
func linkDensity(n *html.Node) float64 {
	t := len(nodeText(n, true))
	if t == 0 {
		return 0
	}
	return float64(linkTextLen(n)) / float64(t)
}

// isStrongOnly reports whether an element's text is all bold (a paragraph
// used as a subheading).
func isStrongOnly(n *html.Node) bool {
	if n.DataAtom == atom.Strong || n.DataAtom == atom.B {
		return true
	}
	if n.DataAtom == atom.Br {
		return true
	}
	has := false
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			if strings.TrimSpace(ch.Data) != "" {
				return false
			}
		case html.ElementNode:
			if !isStrongOnly(ch) {
				return false
			}
			has = true
		}
	}
	return has
}
