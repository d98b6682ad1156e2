package extract

import (
	"strings"
	"unicode"
)

// Related-story lists that reach the text without a "Related" marker
// before them, found by their structure:
//
//   - a run of two or more blocks that each open with a relative time
//     stamp and are otherwise a teaser line, short and without a final
//     stop ("16 minutes ago 16 mins ago Talks resume in Geneva",
//     "Yesterday Envoy resigns, aides say");
//   - a block that is a list of links flattened into one line: the same
//     short label opens it and at least two more of its parts, and no
//     part ends in a stop ("_Learn more:_ Allies fund a package, 5 August
//     2025 _Learn more:_ …").
//
// A single stamped headline and a paragraph whose labelled parts are
// sentences ("Q: Will the talks resume? A: …") are left alone.

// reRelativeStamp matches a relative time stamp at the start of a line,
// repeated as some sites print it ("1 hour ago 1 hr ago").
var reRelativeStamp = newLazyRegexp(`(?i)^(?:(?:\d{1,2}\s+(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?)\s+ago|yesterday|just\s+now)\s*)+`)

// markStampedTeasers marks as Boilerplate every run of at least two
// adjacent stamped teaser blocks (see reRelativeStamp); Boilerplate and
// Caption blocks between them do not break a run.
func markStampedTeasers(blocks []Block) {
	run := []int(nil)
	flush := func() {
		if len(run) >= 2 {
			for _, i := range run {
				blocks[i].Kind = Boilerplate
			}
		}
		run = run[:0]
	}
	for i := range blocks {
		switch {
		case blocks[i].Kind == Boilerplate || blocks[i].Kind == Caption:
		case isStampedTeaser(blocks[i].Text):
			run = append(run, i)
		default:
			flush()
		}
	}
	flush()
}

// isStampedTeaser reports a line that opens with a relative time stamp
// and is otherwise a teaser line: "2 hours ago Envoy resigns".
func isStampedTeaser(s string) bool {
	if s == "" || !(s[0] >= '0' && s[0] <= '9' || s[0] == 'Y' || s[0] == 'y' || s[0] == 'J' || s[0] == 'j') {
		return false
	}
	m := reRelativeStamp.FindStringIndex(s)
	if m == nil || m[1] >= len(s) {
		return false
	}
	return isTeaserLine(strings.TrimSpace(s[m[1]:]))
}

// maxLabelWords bounds the label of a flattened link list.
const maxLabelWords = 4

// isLabelledLinkList reports a block that is a list of links flattened
// into one line: its opening label (up to the first colon, at most four
// words, Markdown emphasis included) opens it and at least two more of its
// parts, and no part ends in a stop, question or exclamation mark.
func isLabelledLinkList(s string) bool {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || colon > 60 {
		return false
	}
	end := colon + 1
	// Emphasis closing the label belongs to it ("_Learn more:_").
	for end < len(s) && (s[end] == '_' || s[end] == '*') {
		end++
	}
	label := s[:end]
	if countWords(label) > maxLabelWords || !strings.ContainsFunc(label, unicode.IsLetter) {
		return false
	}
	parts := strings.Split(s[end:], label)
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			return false
		}
		if r, _ := lastSignificant(p); strings.ContainsRune(".!?", r) {
			return false
		}
	}
	return true
}
