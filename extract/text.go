package extract

import (
	"cmp"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"redline/corpus"
)

// ErrNoText is returned (wrapped, with the reason) by Text when a document
// has no text left to read: an empty or all-white-space text, a page with no
// article text, or a page the HTML parser gives up on.
var ErrNoText = errors.New("no text")

// Text turns a document into an Article: its text and blocks in reading
// order. When doc.HTML is set the main content of the page is extracted
// (see the HTML rules in html.go) and Article.Text is rebuilt from it;
// otherwise Article.Text is doc.Text itself, unchanged, and the blocks are
// byte ranges of it (see plainBlocks for the rules).
//
// Title is doc.Title, or when that is empty the page's title; Published is
// doc.Published as "2006-01-02" in the zone it was given in, or when that
// is zero or a capture time (doc.Captured) the page's publication date
// (from its metadata, else from a date in doc.URL or the canonical
// address), and the capture time only when the page has none; Outlet is
// doc.Outlet, or the page's site name, or the host of its address; Lang, Author and CanonicalURL are the page's (see pageMeta
// in htmlmeta.go; doc.URL resolves a relative canonical address). For
// plain text what the document carries comes first: its title, outlet
// (else doc.URL's host) and date (else a date in doc.URL); a date or an
// outlet still missing is read from a dateline in the text's header zone
// ("April 12, 2026 | Gulf Wire"; see readDateline in dateline.go), and a
// dateline whose date cannot be read sets BadPublished.
//
// The error wraps ErrNoText, with the reason, when nothing readable is
// left: an empty or blank text, a page without article text, a page the
// HTML parser gives up on. A page that yields no text falls back to
// doc.Text when that is set.
//
// Text keeps no state between calls and is safe for concurrent use.
func Text(doc corpus.Document) (Article, error) {
	var a Article
	plain := true // the text is the document's own: it may hold a dateline
	if strings.TrimSpace(doc.HTML) != "" {
		var err error
		a, err = htmlArticle(doc.HTML, doc.URL)
		plain = err != nil
		if err != nil {
			if strings.TrimSpace(doc.Text) == "" {
				return Article{}, err
			}
			meta := a
			a = plainArticle(doc.Text)
			if len(a.Blocks) == 0 {
				return Article{}, err
			}
			a.Title, a.Published, a.BadPublished, a.Lang = meta.Title, meta.Published, meta.BadPublished, meta.Lang
			a.Author, a.Outlet, a.CanonicalURL = meta.Author, meta.Outlet, meta.CanonicalURL
		}
	} else {
		a = plainArticle(doc.Text)
		if len(a.Blocks) == 0 {
			if doc.Text == "" {
				return Article{}, errorsNoText("the document's text is empty")
			}
			return Article{}, errorsNoText("the document's text is only white space")
		}
	}
	if doc.Title != "" {
		a.Title = doc.Title
	}
	switch {
	case doc.Outlet != "":
		a.Outlet = doc.Outlet
	case a.Outlet == "":
		a.Outlet = hostName(doc.URL)
	}
	switch {
	case !doc.Published.IsZero() && !doc.Captured:
		a.Published = doc.Published.Format("2006-01-02")
	case a.Published == "":
		a.Published = urlDate(doc.URL)
	}
	if plain && (a.Published == "" || a.Outlet == "") {
		// The document's metadata (and the page's, when its HTML failed)
		// wins: the dateline fills only what they leave empty.
		date, outlet, bad := readDateline(a.Text)
		if a.Published == "" {
			a.Published = date
			a.BadPublished = cmp.Or(a.BadPublished, bad)
		}
		if a.Outlet == "" {
			a.Outlet = outlet
		}
	}
	if a.Published == "" && !doc.Published.IsZero() {
		// A capture time (doc.Captured) dates only a page that declares
		// no date of its own.
		a.Published = doc.Published.Format("2006-01-02")
	}
	if a.Published != "" {
		a.BadPublished = ""
	}
	return a, nil
}

// noTextError explains why a document has no text; it wraps ErrNoText.
type noTextError struct{ why string }

func (e *noTextError) Error() string { return "extract: no text: " + e.why }
func (e *noTextError) Unwrap() error { return ErrNoText }

func errorsNoText(why string) error { return &noTextError{why: why} }

// plainArticle builds the Article of a plain text.
func plainArticle(text string) Article {
	return Article{Text: text, Blocks: plainBlocks(text)}
}

// line is one non-empty line of a plain text, as a block candidate.
type line struct {
	start, end  int // trimmed line, marker included
	cstart      int // content start: after a list marker, else start
	list        bool
	blankBefore bool // a blank line or the start of the text precedes it
	kind        BlockKind
	decided     bool // kind is final (boilerplate, credit, caption)
	credit      bool
	heading     bool // heading candidate (short, no final punctuation)
	question    bool // short single question
}

func (l *line) content(text string) string { return text[l.cstart:l.end] }

// plainBlocks splits a plain text into blocks. Each non-empty line is a
// block candidate (texts that put single newlines between paragraphs are
// common); a line that wraps (it does not end a sentence and the next line
// starts with a lower-case letter) is joined with the next one. Then:
//
//   - a line starting with a bullet ("•", "-", "*", "–", "·", ...) or a number
//     ("1.", "2)") followed by space is a ListItem, marker excluded;
//   - copyright notices, "Contact Us", "Close", "Share", "Advertisement",
//     "Read more", "Related", "Story has been updated…", bylines, lines
//     without letters ("—", "6:32"), table-of-contents titles and their
//     items, and a later verbatim copy of an earlier line are Boilerplate;
//   - photo credits ("A | B | Getty Images", "… via Getty Images",
//     "Photo: Reuters"), the line right before a credit, and a line repeated
//     verbatim within a few lines (a caption printed twice) are Caption;
//   - a line that is one quotation is a Quote;
//   - a short line (≤ 15 words; ≤ 25 for the first line or a Title Case
//     line) without final sentence punctuation, or a single short question
//     (≤ 12 words), is a Heading, unless it is a lead-in to a list
//     ("They include", "The demands are") or ends with ":";
//   - everything else is a Paragraph.
//
// Last, reference and link lists (citations, link lines, related-story
// headlines) are marked Boilerplate; see markReferences.
func plainBlocks(text string) []Block {
	lines := splitLines(text)
	if len(lines) == 0 {
		return nil
	}
	lines = joinWrapped(text, lines)
	classifyLines(text, lines)
	blocks := make([]Block, 0, len(lines))
	for i := range lines {
		l := &lines[i]
		st, en := trimRange(text, l.cstart, l.end)
		if st >= en {
			continue
		}
		blocks = append(blocks, Block{Kind: l.kind, Start: st, End: en, Text: text[st:en]})
	}
	blocks = joinBroken(text, blocks)
	markReferences(blocks)
	return blocks
}

// reListMarker matches a bullet or number marker and the space after it.
var reListMarker = newLazyRegexp(`^(?:[•\-*–·▪◦‣●○■□➢►>]|\d{1,2}[.)]|\(\d{1,2}\)|[a-z][.)])[ \t\x{00a0}]+`)

// splitLines returns the non-empty lines of text with their list markers.
func splitLines(text string) []line {
	var out []line
	blank := true
	for pos := 0; pos <= len(text); {
		nl := strings.IndexByte(text[pos:], '\n')
		end := len(text)
		if nl >= 0 {
			end = pos + nl
		}
		st, en := trimRange(text, pos, end)
		if st < en {
			l := line{start: st, end: en, cstart: st, blankBefore: blank}
			if t := text[st:en]; mayOpenList(t) {
				if m := reListMarker.FindStringIndex(t); m != nil && m[1] < len(t) {
					l.list = true
					l.cstart = st + m[1]
				}
			}
			out = append(out, l)
			blank = false
		} else {
			blank = true
		}
		if nl < 0 {
			break
		}
		pos = end + 1
	}
	return out
}

// joinWrapped joins hard-wrapped lines: a line of some length that does not
// end a sentence, followed directly (no blank line) by a line that starts
// with a lower-case letter and is no list item.
func joinWrapped(text string, lines []line) []line {
	out := lines[:0]
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for i+1 < len(lines) {
			n := lines[i+1]
			if n.blankBefore || n.list || l.end-l.start < 40 || endsSentence(text[l.cstart:l.end]) {
				break
			}
			first, _ := utf8.DecodeRuneInString(text[n.start:n.end])
			if !unicode.IsLower(first) {
				break
			}
			l.end = n.end
			i++
		}
		out = append(out, l)
	}
	return out
}

// classifyLines sets the kind of every line, first on its own, then in
// context (credits, repeats, tables of contents, lead-ins).
func classifyLines(text string, lines []line) {
	var f lineFolder
	for i := range lines {
		l := &lines[i]
		c := text[l.cstart:l.end]
		if !hasLetter(c) {
			l.kind, l.decided = Boilerplate, true
			continue
		}
		// The rules below each counted the words of the line; one count,
		// stopped where no rule looks any further, serves them all.
		w := countWordsUpTo(c, maxLineWords)
		switch {
		case isBoilerplateWords(c, w, &f):
			l.kind, l.decided = Boilerplate, true
		case !l.list && isCreditWords(c, w, &f) && !isLinkLine(c):
			// "Source: https://…" cites the text above; it is no
			// photo credit, and its neighbour is no caption.
			l.kind, l.decided, l.credit = Caption, true, true
		case l.list:
			l.kind = ListItem
		case isQuoteWords(c, w):
			l.kind = Quote
		default:
			l.kind = Paragraph
			switch {
			case isShortQuestion(c, w):
				l.question = true
			case !endsSentence(c) && !endsFragment(c):
				// Title Case only moves the limit from 15 words to 25.
				l.heading = w <= 15 || w <= 25 && (i == 0 || isTitleCase(c))
			}
		}
	}

	// A caption precedes its credit line directly.
	for i := 1; i < len(lines); i++ {
		if !lines[i].credit || lines[i].blankBefore {
			continue
		}
		p := &lines[i-1]
		if p.decided || p.list {
			continue
		}
		if c := strings.TrimRight(p.content(text), "”’\"' "); strings.HasSuffix(c, "?") || strings.HasSuffix(c, ":") {
			continue
		}
		p.kind, p.decided = Caption, true
	}

	// Verbatim repeats: near copies are a caption printed twice; a list item
	// repeated by a later line is a table of contents entry; a far copy of
	// a longer line is boilerplate.
	// Keyed by a hash of the folded line, not the folded line itself:
	// building that string for every line of every article cost more
	// than the rest of the line classification.
	seen := make(map[uint64]int, len(lines))
	for i := range lines {
		l := &lines[i]
		if l.kind == Boilerplate {
			continue
		}
		key := foldLineHash(l.content(text))
		j, ok := seen[key]
		seen[key] = i
		if !ok {
			continue
		}
		p := &lines[j]
		switch {
		case p.list && !l.list:
			p.kind, p.decided = Boilerplate, true
		case i-j <= 3 && !p.list && !l.list:
			p.kind, p.decided = Caption, true
			l.kind, l.decided = Caption, true
		case countWords(foldLine(l.content(text))) >= 4:
			l.kind, l.decided = Boilerplate, true
		}
	}

	// A table of contents: its title and the list items right after it.
	for i := 0; i < len(lines); i++ {
		if c := lines[i].content(text); !mayBeTOCTitle(c) || !reTOCTitle.MatchString(c) || lines[i].list {
			continue
		}
		lines[i].kind, lines[i].decided = Boilerplate, true
		for j := i + 1; j < len(lines) && lines[j].list; j++ {
			lines[j].kind, lines[j].decided = Boilerplate, true
		}
	}

	// Headings, unless a short line leads in to a list.
	for i := range lines {
		l := &lines[i]
		if l.decided || l.kind != Paragraph {
			continue
		}
		if l.question {
			l.kind = Heading
			continue
		}
		if !l.heading {
			continue
		}
		if i+1 < len(lines) && lines[i+1].list && isLeadIn(l.content(text)) {
			continue
		}
		l.kind = Heading
	}
}

// hasLetter reports whether s holds a letter.
func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// countWords counts the white-space separated words holding a letter or
// digit.
func countWords(s string) int {
	n := 0
	alnum := false // the current word holds a letter or digit
	for i := 0; i < len(s); {
		// ASCII, most of news text, is read a byte at a time: the same
		// classes as unicode.IsSpace, IsLetter and IsDigit give it.
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch {
			case c == ' ' || '\t' <= c && c <= '\r':
				if alnum {
					n++
				}
				alnum = false
			case !alnum && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'):
				alnum = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n, alnum = wordStep(r, n, alnum)
	}
	if alnum {
		n++
	}
	return n
}

// wordStep counts rune r into n words so far, alnum saying whether the
// current word holds a letter or digit: a word ends at white space.
func wordStep(r rune, n int, alnum bool) (int, bool) {
	switch {
	case unicode.IsSpace(r):
		if alnum {
			n++
		}
		return n, false
	case !alnum && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		return n, true
	}
	return n, alnum
}

// closers are closing quotes and brackets that may follow final punctuation.
const closers = "”’\"')]»"

// lastSignificant returns the last rune of s before closing quotes and
// brackets, and whether any were skipped.
func lastSignificant(s string) (rune, bool) {
	t := strings.TrimRight(s, closers+" ")
	r, _ := utf8.DecodeLastRuneInString(t)
	return r, len(t) < len(s)
}

// endsSentence reports whether s ends with sentence punctuation: . ! ? : …
// possibly followed by closing quotes, or with a closing quote at all (a
// quoted line is no heading).
func endsSentence(s string) bool {
	r, closed := lastSignificant(s)
	if strings.ContainsRune(".!?:…", r) {
		return true
	}
	if closed {
		last, _ := utf8.DecodeLastRuneInString(s)
		return strings.ContainsRune("”\"", last)
	}
	return false
}

// endsFragment reports a line that breaks off mid-sentence (",", ";", "–").
func endsFragment(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(",;–—-", r)
}

// reSentenceInside finds a sentence end inside a line.
var reSentenceInside = newLazyRegexp(`[.!?][”’"']?\s+\p{Lu}`)

// isShortQuestion reports a line that is one question of at most 12 words.
func isShortQuestion(s string, words int) bool {
	r, _ := lastSignificant(s)
	return r == '?' && words <= 12 && !reSentenceInside.MatchString(s)
}

// isTitleCase reports a line whose longer words are mostly capitalised.
func isTitleCase(s string) bool {
	long, upper := 0, 0
	for f := range strings.FieldsSeq(s) {
		f = strings.TrimLeft(f, "“‘\"'([")
		if utf8.RuneCountInString(f) < 4 {
			continue
		}
		long++
		if r, _ := utf8.DecodeRuneInString(f); unicode.IsUpper(r) || unicode.IsDigit(r) {
			upper++
		}
	}
	return long >= 3 && upper*5 >= long*4
}

// isQuoteLine reports a line that is one quotation: it opens with a quote
// mark and its first closing quote ends it.
func isQuoteLine(s string) bool {
	return isQuoteWords(s, countWordsUpTo(s, maxLineWords))
}

// leadInLast are last words of a short line that introduces a list.
var leadInLast = map[string]bool{
	"include": true, "includes": true, "included": true, "including": true,
	"contain": true, "contains": true, "comprise": true, "comprises": true,
	"are": true, "were": true, "is": true, "was": true, "be": true,
	"follows": true, "following": true, "below": true, "namely": true,
	"as": true, "like": true, "such": true, "of": true, "to": true, "for": true,
	"with": true, "and": true, "or": true, "that": true, "the": true,
	"these": true, "those": true, "them": true, "its": true, "their": true,
	"his": true, "her": true, "by": true, "on": true, "from": true,
}

// leadInFirst are first words of a lead-in clause.
var leadInFirst = map[string]bool{
	"they": true, "these": true, "those": true, "it": true, "he": true,
	"she": true, "we": true, "here": true, "there": true, "this": true,
	"among": true, "the following": true,
}

// isLeadIn reports whether a short line without final punctuation reads as
// the start of a sentence continued by the list below it, not a heading.
func isLeadIn(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	last := strings.ToLower(strings.Trim(f[len(f)-1], `"“”'‘’()`))
	if leadInLast[last] {
		return true
	}
	first := strings.ToLower(strings.Trim(f[0], `"“”'‘’()`))
	return leadInFirst[first] && !isTitleCase(s) && len(f) > 1
}

// foldLine normalises a line for repeat detection: lower case, single
// spaces, straight quotes.
func foldLine(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return quoteFolder.Replace(s)
}

// foldLineHash is a 64-bit FNV-1a hash of foldLine(s), computed without
// building it: runs of white space are one space, the ends are trimmed,
// letters are lower case and curly quotes straight.
func foldLineHash(s string) uint64 {
	h := uint64(fnvOffset)
	space, any := false, false
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(s); {
		// ASCII, most of news text, is read a byte at a time: white space
		// and lower case as unicode.IsSpace and ToLower give them.
		if c := s[i]; c < utf8.RuneSelf {
			if asciiClasses[c] == asciiSpace {
				space = true
				i++
				continue
			}
			if space && any {
				h = (h ^ ' ') * fnvPrime
			}
			space, any = false, true
			// The rest of an ASCII word in a tight loop.
			for {
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				h = (h ^ uint64(c)) * fnvPrime
				if i++; i == len(s) {
					break
				}
				if c = s[i]; c >= utf8.RuneSelf || asciiClasses[c] == asciiSpace {
					break
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && any {
			h = (h ^ ' ') * fnvPrime
		}
		space, any = false, true
		if r = foldRune(r, true); r < utf8.RuneSelf {
			h = (h ^ uint64(r)) * fnvPrime
			continue
		}
		for _, c := range buf[:utf8.EncodeRune(buf[:], r)] {
			h = (h ^ uint64(c)) * fnvPrime
		}
	}
	return h
}

var quoteFolder = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`)

// Boilerplate and credit lines.
var (
	// boilerplatePhrases are whole lines of page furniture (lower case,
	// straight quotes, trailing ":", "»", "›", "|", "." and arrows removed).
	boilerplatePhrases = setOf(
		"contact", "contact us", "close", "what's hot", "share", "share this article",
		"share this story", "share this page", "share this post", "share the article", "share the story",
		"tweet", "email", "e-mail", "print", "advertisement", "advertising", "ad", "sponsored",
		"sponsored content", "sign in", "log in", "login", "register", "read next", "continue reading",
		"related", "related articles", "related stories", "related content", "related coverage",
		"related news", "related topics", "related links", "related reading", "more on this story",
		"more", "recommended", "recommended for you", "recommended stories", "recommended articles",
		"banner image", "back", "back to top", "go back", "home", "menu", "search",
		"skip to content", "skip to main content", "next", "previous", "next article",
		"previous article", "next story", "newsletter", "cookie settings", "accept", "accept all",
		"accept cookies", "accept all cookies", "show more", "load more", "see more", "watch",
		"watch live", "listen", "comment", "comments", "leave a comment", "view comments",
		"most read", "most popular", "trending", "top stories", "you may also like", "don't miss",
		"image", "photo", "video", "loading", "open in app", "download the app", "contents",
		"table of contents", "in this article", "in this story", "jump to", "toggle navigation",
		"scroll to top", "terms of use", "terms of service", "privacy policy", "cookie policy",
	)
	// reBoilerplateStart matches furniture lines that go on with a name or
	// a link title ("Read more: …", "Sign up for …", "Share on X").
	reBoilerplateStart = newLazyRegexp(`^(?:sign up|subscribe|read more|more from|see also|follow us|share on|all rights reserved)\b`)
	reCopyright        = newLazyRegexp(`^(?:copyright\b|©|\(c\)\s)`)
	reUpdatedNote      = newLazyRegexp(`^(?:(?:this )?(?:story|article|post|report|page) (?:has been|was|is|will be) updated|` +
		`(?:published|posted|updated|last updated|first published)\b.{0,40}\d)`)
	reByline   = newLazyRegexp(`^(?i:by)\s+\p{Lu}[\p{L}.'’-]*(?:\s+(?:and\s+)?\p{Lu}[\p{L}.'’-]*){0,5}(?:\s*,\s*[\p{L} ]{1,40})?$`)
	reTOCTitle = newLazyRegexp(`(?i)^(?:table of contents|contents|in this (?:article|story))\s*:?$`)

	// rePhotoAgency names photo agencies and words of photo credits;
	// reAgency adds the wire services, which also appear in running text.
	rePhotoAgency = newLazyRegexp(`(?i)\b(?:getty images|afp|ap photo|epa(?:-efe)?|shutterstock|anadolu(?: agency)?|` +
		`press association|pa images|pa wire|pa graphics|nurphoto|sopa images|alamy|images|photo|photos|pool|handout)\b`)
	reAgency = newLazyRegexp(`(?i)\b(?:getty images|afp|ap photo|epa(?:-efe)?|shutterstock|anadolu(?: agency)?|` +
		`press association|pa images|pa wire|pa graphics|nurphoto|sopa images|alamy|images|photo|photos|pool|handout|` +
		`reuters|associated press|ap|efe|tass|ria novosti|sputnik|xinhua|bloomberg|dpa|ukrinform|agency)\b`)
	// bareCredits are credit lines made of an agency name alone.
	bareCredits = setOf("getty images", "afp", "afp/getty images", "reuters", "associated press", "ap", "ap photo",
		"epa", "epa-efe", "efe", "shutterstock", "anadolu agency", "anadolu", "tass", "ria novosti", "sputnik",
		"xinhua", "bloomberg", "dpa", "ukrinform", "pool", "handout", "press association", "pa images",
		"pa wire", "alamy", "nurphoto", "sopa images", "getty", "afp via getty images")
	reCreditStart = newLazyRegexp(`(?i)^\(?(?:photo|photograph|image|picture|credit|photo credit|illustration|file photo|source|pictured)s?\s*(?::|by\b|credit\b|/)`)
)

// setOf builds a set of strings.
func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[it] = true
	}
	return m
}

// isBoilerplateLine reports page furniture: navigation words, copyright
// notices, update notes and bylines.
func isBoilerplateLine(s string) bool {
	if len(s) > 600 {
		return false
	}
	var f lineFolder
	return isBoilerplateWords(s, countWordsUpTo(s, maxLineWords), &f)
}

// isCreditLine reports a photo credit: "A | B | Getty Images",
// "Anadolu Agency via Getty Images", "via Associated Press",
// "Photo: Reuters", "(AP Photo/Evan Vucci)".
func isCreditLine(s string) bool {
	if len(s) > 400 {
		return false
	}
	var f lineFolder
	return isCreditWords(s, countWordsUpTo(s, maxLineWords), &f)
}
