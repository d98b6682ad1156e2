package extract

import (
	"strings"
)

// markReferences marks as Boilerplate the blocks of an article that list
// references or links rather than say anything: claims must not be read
// from a citation, a link list or a related story's headline, and the
// splitter skips Boilerplate. The text stays where it is, so offsets stay
// honest. The rules, conservative because a lost paragraph is a lost
// claim:
//
//   - a link line: one Markdown link ("[Home](https://…)"), a bare
//     address with at most two other words ("[1] https://…",
//     "Source: https://…"), or a line that is mostly addresses with at most
//     six other words;
//   - a citation: "Retrieved 12 March 2022", "(accessed March 12, 2022)",
//     "Archived from the original on …", "Retrieved from https://…", after
//     a stop, comma or bracket or at the start (not "the files were
//     retrieved on …");
//   - a "Related: headline" or "Read also: headline" line;
//   - after a "Related", "Read more", "See also", "More on this story",
//     "You may also like" … line: the marker and the teaser lines that
//     follow it (short, no final stop), up to the first line of prose;
//   - after a "References", "Endnotes", "Sources" … line: the marker and
//     the citation-like lines that follow it;
//   - a short teaser line among link lines (a link list's captions);
//   - related-story lists without a marker (see teasers.go): runs of
//     teasers opening with a relative time stamp, and link lists
//     flattened into one block behind a repeated label.
func markReferences(blocks []Block) {
	links := make([]bool, len(blocks))
	norm := make([]string, len(blocks))
	for i := range blocks {
		b := &blocks[i]
		// Only a line whose first word may open a marker is lowered and
		// matched against them.
		if mayBeMarker(b.Text) {
			norm[i] = normLine(b.Text)
		}
		links[i] = isLinkLine(b.Text)
		if links[i] || isCitationLine(b.Text) || reRelatedHeadline.MatchString(norm[i]) || isLabelledLinkList(b.Text) {
			b.Kind = Boilerplate
		}
	}
	markStampedTeasers(blocks)
	markLinkCaptions(blocks, links)
	for i := range blocks {
		m := norm[i]
		switch {
		case reRelatedMarker.MatchString(m):
			markRun(blocks, links, i, isTeaserBlock)
		case reReferenceMarker.MatchString(m):
			markRun(blocks, links, i, isCitationLike)
		}
	}
}

var (
	// reURL matches a web address, with the angle brackets of Markdown's
	// autolinks.
	reURL = newLazyRegexp(`(?i)<?\b(?:https?://|ftp://|www\.)[^\s<>]+>?`)
	// reLinkTarget matches the target of a Markdown link, "](…)".
	reLinkTarget = newLazyRegexp(`\]\(\s*<?[^\s()]*(?:\([^\s()]*\)[^\s()]*)*>?\s*\)`)
	// reRefMarker matches a reference number: "[1]", "[[iv]]", "^".
	reRefMarker = newLazyRegexp(`(?i)\[\[?(?:\d{1,3}|[ivxlc]{1,8})\]?\]|\^`)
)

// isLinkLine reports a line that is a link rather than prose: one Markdown
// link, or addresses with at most two other words, or mostly addresses
// with at most six.
func isLinkLine(s string) bool {
	if isOneLink(s) {
		return true
	}
	// Most lines hold no address: no regular expression runs on them.
	if !strings.Contains(s, "://") && !strings.Contains(s, "www.") && !strings.Contains(s, "WWW.") && !strings.Contains(s, "Www.") {
		return false
	}
	urls := findURLs(s)
	if len(urls) == 0 {
		return false
	}
	linkLen := 0
	for _, m := range urls {
		linkLen += m[1] - m[0]
	}
	// None of the three patterns matches the empty string, so their
	// matches are those ReplaceAllString replaces: each is found once
	// and spliced (findURLs and findRefMarkers find reURL's and
	// reRefMarker's matches). A link target holds "](" and a reference
	// mark a "[" or "^"; a line without them is spared the search.
	rest := s
	if strings.Contains(s, "](") {
		targets := reLinkTarget.FindAllStringIndex(s, -1)
		for _, m := range targets {
			linkLen += m[1] - m[0]
		}
		rest = splice(s, targets, "]")
	}
	if rest != s {
		urls = findURLs(rest)
	}
	rest = splice(rest, urls, " ")
	if strings.ContainsAny(rest, "[^") {
		rest = splice(rest, findRefMarkers(rest), " ")
	}
	words := countWords(rest)
	if words <= 2 {
		return true
	}
	return words <= 6 && 2*linkLen >= len(strings.Join(strings.Fields(s), ""))
}

// Citation dates: "12 March 2022", "March 12, 2022", "2022-03-12",
// "12/03/2022", "Mar. 2022".
const (
	monthRe = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
	dateRe  = `(?:\d{1,2}(?:st|nd|rd|th)?\s+` + monthRe + `,?\s+\d{4}|` + monthRe + `\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|` +
		monthRe + `\s+\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})`
)

// reCitation matches the access note of a citation. It must open the line
// or follow a stop, comma, colon or bracket, so that prose ("the files
// were retrieved on 12 March 2022") does not match.
var reCitation = newLazyRegexp(`(?i)(?:^|[.,;:(\[]\s*)(?:` +
	`(?:last\s+)?(?:retrieved|accessed|viewed|consulted)(?:\s+(?:on|at))?\s*:?\s*` + dateRe +
	`|archived\s+from\s+the\s+original(?:\s+on)?` +
	`|retrieved\s+from\s*:?\s*(?:https?://|www\.))`)

// isCitationLine reports a line of a reference list: a line of at most 80
// words with a citation's access note.
func isCitationLine(s string) bool {
	return citationWord(s) && countWordsUpTo(s, 81) <= 80 && reCitation.MatchString(s)
}

// markerWords are the first words of the marker lines (reRelatedMarker,
// reRelatedHeadline, reReferenceMarker).
var markerWords = map[string]bool{
	"related": true, "read": true, "also": true, "see": true, "more": true, "further": true,
	"recommended": true, "you": true, "most": true, "don't": true, "don’t": true, "top": true, "latest": true,
	"what": true, "references": true, "endnotes": true, "footnotes": true, "notes": true, "sources": true,
	"bibliography": true, "works": true, "citations": true, "reference": true,
}

// mayBeMarker reports whether a line's first word may open a marker line:
// a cheap test that spares prose the lowering and the matching.
func mayBeMarker(s string) bool {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	// The first word ends at the first of " \t:»›→>|." (or the end); a
	// word longer than 12 bytes is no marker word, so the search stops
	// past byte 12.
	end := len(s)
	for i, r := range s {
		if i > 12 || isMarkerEnd(r) {
			end = i
			break
		}
	}
	if end == 0 || end > 12 {
		return false
	}
	var buf [4 * 12]byte
	return markerWords[string(appendLower(buf[:0], s[:end]))]
}

// isMarkerEnd reports a rune that ends the first word of a marker line.
func isMarkerEnd(r rune) bool {
	switch r {
	case ' ', '\t', ':', '»', '›', '→', '>', '|', '.':
		return true
	}
	return false
}

// citationWord reports whether s may hold a citation's access note: a
// cheap test that spares prose the regular expression.
func citationWord(s string) bool {
	// All the words end in "ed" (or "ED"): only at a "d" (or "D") is
	// there anything to compare, instead of one search of the line a
	// word, each stopping at every "e".
	return endsAtAny(s, 'd', "etrieved", "ccessed", "viewed", "onsulted", "rchived") ||
		endsAtAny(s, 'D', "ETRIEVED", "CCESSED", "VIEWED", "ONSULTED", "RCHIVED")
}

// endsAtAny reports whether one of the words, which all end with "e" and
// the byte last ("ed", or "ED"), occurs in s.
func endsAtAny(s string, last byte, words ...string) bool {
	for i := 0; ; {
		j := strings.IndexByte(s[i:], last)
		if j < 0 {
			return false
		}
		i += j + 1
		// Every word ends in "ed" (or "ED"): most "d"s end no such word.
		if i < 2 || s[i-2] != last-'d'+'e' {
			continue
		}
		for _, w := range words {
			if strings.HasSuffix(s[:i], w) {
				return true
			}
		}
	}
}

// Marker lines, matched against normLine's form of a line.
var (
	// reRelatedMarker matches a line that introduces related stories.
	reRelatedMarker = newLazyRegexp(`^(?:related(?: (?:articles?|stories|story|content|coverage|news|topics|links|` +
		`reading|posts|research|videos|reels|information|items)(?: and (?:stories|videos|features))?)?|` +
		`read more|read also|also read|read next|see also|more on this (?:story|topic)|more from(?: [^ ]+){1,4}|` +
		`more stories|more news|further reading|recommended(?: for you| stories| articles| videos?| reading)?|` +
		`you (?:may|might) also like|most read|most popular|don't miss|top stories|latest news|what to read next)$`)
	// reRelatedHeadline matches a marker with its headline on one line:
	// "Related: …", "Read also: …".
	reRelatedHeadline = newLazyRegexp(`^(?:related|read also|also read|read next|read more|see also|more on this story)\s*:\s*\S`)
	// reReferenceMarker matches the title of a reference list.
	reReferenceMarker = newLazyRegexp(`^(?:references|endnotes|footnotes|notes|sources|bibliography|works cited|citations|reference list|sources and notes)$`)
)

// normLine is a line as markers are matched: lower case, single spaces,
// straight quotes, without trailing ":", "»", "|", stops and arrows
// ("READ MORE »" is "read more"); "" for a line too long to be a marker.
func normLine(s string) string {
	if len(s) > 300 {
		return ""
	}
	var f lineFolder
	return string(f.norm(s))
}

// isTeaserLine reports a line that reads as a headline or teaser: at most
// 20 words and no final stop or colon; a question or a teaser cut short
// ("..", "…") counts.
func isTeaserLine(s string) bool {
	w := countWords(s)
	if w == 0 || w > 20 {
		return false
	}
	if strings.HasSuffix(s, "..") || strings.HasSuffix(s, "…") {
		return true
	}
	r, _ := lastSignificant(s)
	return !strings.ContainsRune(".!:;", r)
}

// reYear finds a year, as a citation holds one.
var reYear = newLazyRegexp(`\b(?:1[89]|20)\d{2}\b`)

// isCitationLike reports a line of a reference list: a link line, a
// citation, or a numbered or bulleted entry with an address or a year.
func isCitationLike(b Block, link bool) bool {
	if link || isCitationLine(b.Text) {
		return true
	}
	numbered := b.Kind == ListItem || reRefMarker.MatchString(b.Text) && strings.IndexAny(b.Text, "[^") < 3 ||
		startsWithNumber(b.Text)
	return numbered && countWords(b.Text) <= 80 && (reURL.MatchString(b.Text) || reYear.MatchString(b.Text))
}

// startsWithNumber reports a line opening with a note number and a space
// ("12 Smith, J. …").
func startsWithNumber(s string) bool {
	i := 0
	for i < len(s) && i < 4 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i < 4 && i < len(s) && (s[i] == ' ' || s[i] == '.')
}

// markRun marks the marker block at i and the blocks after it that keep
// accepts as part of its list (keep is told whether the block is a link
// line), stopping at the first it does not. Blocks already Boilerplate or
// Caption do not end the run.
func markRun(blocks []Block, links []bool, i int, keep func(Block, bool) bool) {
	blocks[i].Kind = Boilerplate
	for j := i + 1; j < len(blocks); j++ {
		b := &blocks[j]
		if b.Kind == Boilerplate || b.Kind == Caption {
			continue
		}
		if !keep(*b, links[j]) {
			return
		}
		b.Kind = Boilerplate
	}
}

// isTeaserBlock reports a block of a related-stories list: a link line or
// a teaser line.
func isTeaserBlock(b Block, link bool) bool { return link || isTeaserLine(b.Text) }

// markLinkCaptions marks a short teaser line next to a link line when at
// least two link lines lie within three lines of it: the titles and
// bylines of a link list ("Report by Jane Roe — June 5, 2025").
func markLinkCaptions(blocks []Block, links []bool) {
	for i := range blocks {
		b := &blocks[i]
		if links[i] || b.Kind == Boilerplate || !(i > 0 && links[i-1] || i+1 < len(blocks) && links[i+1]) {
			continue
		}
		if countWords(b.Text) > 15 || !isTeaserLine(b.Text) {
			continue
		}
		n := 0
		for j := max(0, i-3); j < min(len(blocks), i+4); j++ {
			if links[j] {
				n++
			}
		}
		if n >= 2 {
			b.Kind = Boilerplate
		}
	}
}
