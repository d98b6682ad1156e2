package extract

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlArticle extracts the main text of a page (already decoded to UTF-8)
// as an Article: metadata first from the whole page, then page furniture is
// pruned, the main container chosen (chooseMainContainer) and its blocks
// collected: h1–h6 → Heading, p → Paragraph, li → ListItem, blockquote →
// Quote, figcaption and the paragraphs of a figure → Caption; runs of
// inline content outside those elements are paragraphs too. Blocks that read
// as boilerplate (copyright, "Read more", a lone link) are dropped. The text
// is the blocks' texts, white space collapsed, joined by blank lines.
//
// On a page that yields no text the Article still carries the metadata and
// the error wraps ErrNoText.
func htmlArticle(src string) (Article, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(src))
	if err != nil {
		// x/net/html gives up on pages nested more than 512 deep.
		return Article{}, errorsNoText("the HTML page cannot be parsed: " + err.Error())
	}
	var a Article
	a.Title, a.Published, a.Lang = pageTitle(doc), pagePublished(doc), pageLang(doc)

	pruneBoilerplate(doc)
	root := chooseMainContainer(doc)
	if root == nil {
		return a, errorsNoText("the HTML page has no body text")
	}
	var c blockCollector
	c.walk(root)

	var sb strings.Builder
	for _, b := range c.blocks {
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
	if len(a.Blocks) == 0 {
		return a, errorsNoText("no article text found in the HTML page")
	}
	return a, nil
}

// collapseSpace joins the words of s with single spaces.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// ---- metadata ----

// metaContent returns the content of the first <meta> whose name, property
// or itemprop (case-insensitive) is one of keys, in the order of keys.
func metaContent(doc *goquery.Document, keys ...string) string {
	found := make(map[string]string)
	doc.Find("meta").Each(func(_ int, m *goquery.Selection) {
		content := strings.TrimSpace(m.AttrOr("content", ""))
		if content == "" {
			return
		}
		for _, attr := range [...]string{"property", "name", "itemprop"} {
			k := strings.ToLower(strings.TrimSpace(m.AttrOr(attr, "")))
			if _, ok := found[k]; k != "" && !ok {
				found[k] = content
			}
		}
	})
	for _, k := range keys {
		if v := found[k]; v != "" {
			return v
		}
	}
	return ""
}

// pageTitle: og:title, twitter:title, <title>, the first h1.
func pageTitle(doc *goquery.Document) string {
	if t := collapseSpace(metaContent(doc, "og:title", "twitter:title")); t != "" {
		return t
	}
	if t := collapseSpace(doc.Find("title").First().Text()); t != "" {
		return t
	}
	return collapseSpace(doc.Find("h1").First().Text())
}

// pagePublished: the first date that parses from the article meta tags,
// itemprop datePublished, the date meta names, JSON-LD datePublished, and
// the first <time datetime>, as "2006-01-02".
func pagePublished(doc *goquery.Document) string {
	if d := parseDate(metaContent(doc,
		"article:published_time", "og:article:published_time", "og:published_time",
		"og:pubdate", "datepublished")); d != "" {
		return d
	}
	var d string
	doc.Find("[itemprop=datePublished]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		for _, v := range [...]string{s.AttrOr("content", ""), s.AttrOr("datetime", ""), s.Text()} {
			if d = parseDate(v); d != "" {
				return false
			}
		}
		return true
	})
	if d != "" {
		return d
	}
	if d := parseDate(metaContent(doc,
		"date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date",
		"dc.date.issued", "dcterms.created", "dcterms.date", "sailthru.date",
		"parsely-pub-date", "article.published", "published_time", "publication_date")); d != "" {
		return d
	}
	doc.Find(`script[type="application/ld+json"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		var v any
		if json.Unmarshal([]byte(s.Text()), &v) != nil {
			return true
		}
		d = parseDate(jsonLDString(v, "datePublished", 0))
		return d == ""
	})
	if d != "" {
		return d
	}
	scope := doc.Find("article time[datetime], main time[datetime]")
	if scope.Length() == 0 {
		scope = doc.Find("time[datetime]")
	}
	scope.EachWithBreak(func(_ int, s *goquery.Selection) bool {
		d = parseDate(s.AttrOr("datetime", ""))
		return d == ""
	})
	return d
}

// jsonLDString finds the first string value of key in a decoded JSON-LD
// value (objects, arrays, @graph), depth-first, to a bounded depth.
func jsonLDString(v any, key string, depth int) string {
	if depth > 8 {
		return ""
	}
	switch t := v.(type) {
	case map[string]any:
		if s, ok := t[key].(string); ok && s != "" {
			return s
		}
		for _, k := range [...]string{"@graph", "mainEntity", "mainEntityOfPage"} {
			if s := jsonLDString(t[k], key, depth+1); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range t {
			if s := jsonLDString(e, key, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

var (
	reISODate  = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_])`)
	reCompDate = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})(?:$|T)`)
)

// dateLayouts are the textual date forms tried after ISO dates.
var dateLayouts = [...]string{
	time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"January 2, 2006", "Jan 2, 2006", "Jan. 2, 2006", "2 January 2006", "2 Jan 2006",
	"Monday, January 2, 2006", "Monday, 2 January 2006", "January 2 2006",
}

// parseDate reads a date from meta content and returns it as "2006-01-02",
// or "" when it is not a plausible date (years 1990–2100). An ISO date is
// taken as written, in its own time zone.
func parseDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return ""
	}
	var t time.Time
	if m := reISODate.FindStringSubmatch(s); m != nil {
		tt, err := time.Parse("2006-1-2", m[1]+"-"+m[2]+"-"+m[3])
		if err != nil {
			return ""
		}
		t = tt
	} else if m := reCompDate.FindStringSubmatch(s); m != nil {
		tt, err := time.Parse("20060102", m[1]+m[2]+m[3])
		if err != nil {
			return ""
		}
		t = tt
	} else {
		s = collapseSpace(s)
		for _, l := range dateLayouts {
			if tt, err := time.Parse(l, s); err == nil {
				t = tt
				break
			}
		}
		if t.IsZero() {
			// A date followed by a time of day: try the leading words.
			f := strings.Fields(s)
			for n := min(len(f), 4); n >= 3 && t.IsZero(); n-- {
				p := strings.Join(f[:n], " ")
				for _, l := range dateLayouts {
					if tt, err := time.Parse(l, p); err == nil {
						t = tt
						break
					}
				}
			}
		}
	}
	if t.IsZero() || t.Year() < 1990 || t.Year() > 2100 {
		return ""
	}
	return t.Format("2006-01-02")
}

// pageLang: <html lang>, else the content-language meta, else og:locale;
// the primary subtag in lower case ("en-US" → "en").
func pageLang(doc *goquery.Document) string {
	l := doc.Find("html").First().AttrOr("lang", "")
	if strings.TrimSpace(l) == "" {
		doc.Find("meta").EachWithBreak(func(_ int, m *goquery.Selection) bool {
			if strings.EqualFold(m.AttrOr("http-equiv", ""), "content-language") {
				l = m.AttrOr("content", "")
				return false
			}
			return true
		})
	}
	if strings.TrimSpace(l) == "" {
		l = metaContent(doc, "og:locale")
	}
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_,; "); i >= 0 {
		l = l[:i]
	}
	if len(l) < 2 || len(l) > 3 {
		return ""
	}
	for _, r := range l {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return l
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
	reClassSplit          = regexp.MustCompile(`[^a-z0-9]+`)
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
}

// measureText measures the text units under root.
func measureText(root *html.Node) textMeasure {
	m := textMeasure{subtree: make(map[*html.Node]int), direct: make(map[*html.Node]int)}
	var c blockCollector
	unit := func(holder *html.Node, nodes ...*html.Node) {
		var sb strings.Builder
		links := 0
		for _, n := range nodes {
			writeText(&sb, n, false)
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

// chooseMainContainer picks the element that holds the article in a pruned
// page: the itemprop=articleBody element, else the <article>, else <main>
// (the one with the most running text when there are several), unless the
// text scoring below finds an element with four times as much text; else
// the element that holds the most running text itself (paragraphs and
// inline text; see bestScored); else <body>. It returns nil for
// a page without a body.
//
// This is the one place to change the choice of content; everything after
// it only walks the returned node.
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
	var best *html.Node
	bestScore := 0
	for n, s := range score {
		if s > bestScore || s == bestScore && best != nil && isBefore(n, best) {
			best, bestScore = n, s
		}
	}
	return best
}

// isBefore reports whether a comes before b in document order (to break
// score ties deterministically).
func isBefore(a, b *html.Node) bool {
	pos := func(n *html.Node) []int {
		var p []int
		for ; n.Parent != nil; n = n.Parent {
			i := 0
			for c := n.Parent.FirstChild; c != n; c = c.NextSibling {
				i++
			}
			p = append(p, i)
		}
		return p
	}
	pa, pb := pos(a), pos(b)
	for i, j := len(pa)-1, len(pb)-1; i >= 0 && j >= 0; i, j = i-1, j-1 {
		if pa[i] != pb[j] {
			return pa[i] < pb[j]
		}
	}
	return len(pa) < len(pb)
}

// ---- blocks ----

type htmlBlock struct {
	kind BlockKind
	text string
}

// blockCollector walks the main container and collects its blocks.
type blockCollector struct {
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
				c.add(Caption, nodeText(ch, false))
			} else {
				c.add(Heading, nodeText(ch, false))
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
			c.add(Caption, nodeText(ch, false))
		case atom.Table:
			c.walk(ch)
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
	own := nodeText(li, true)
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

// reDoubleBreak splits text at two or more line breaks (from <br><br>).
var reDoubleBreak = regexp.MustCompile(`[ \t\r\f\v\x{00a0}]*\n[ \t\r\f\v\x{00a0}]*\n\s*`)

// inlineRun adds the paragraphs of a run of inline nodes (or one <p>),
// split at double line breaks, each classified like a plain-text line.
func (c *blockCollector) inlineRun(nodes []*html.Node, kind BlockKind) {
	var sb strings.Builder
	links, strong := 0, true
	for _, n := range nodes {
		writeText(&sb, n, false)
		links += linkTextLen(n)
		if n.Type == html.TextNode && strings.TrimSpace(n.Data) != "" || n.Type == html.ElementNode && !isStrongOnly(n) {
			strong = false
		}
	}
	raw := sb.String()
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
func nodeText(n *html.Node, skipLists bool) string {
	var sb strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		writeText(&sb, ch, skipLists)
	}
	return collapseSpace(sb.String())
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
// separated by spaces.
func writeText(sb *strings.Builder, n *html.Node, skipLists bool) {
	switch n.Type {
	case html.TextNode:
		sb.WriteString(n.Data)
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
	if blk {
		sb.WriteByte(' ')
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		writeText(sb, ch, skipLists)
	}
	if blk {
		sb.WriteByte(' ')
	}
}

// linkTextLen is the length of the text inside links under n.
func linkTextLen(n *html.Node) int {
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		var sb strings.Builder
		writeText(&sb, n, false)
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
