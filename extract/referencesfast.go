package extract

import "strings"

// The reference-list rules (references.go) ask of a link line where its
// addresses, link targets and reference marks are. The patterns that
// define them leave no choice to make in how a line matches, so the
// helpers here find the same matches in one pass each; the patterns
// stay as their definitions and the tests hold the helpers to them.

// findURLs returns what reURL.FindAllStringIndex(s, -1) returns, the web
// addresses of s:
//
//	(?i)<?\b(?:https?://|ftp://|www\.)[^\s<>]+>?
//
// The pattern leaves no choice to make, so one pass finds them: an
// address starts at a word boundary (or at a "<" before one) with one of
// the three schemes, which open with different letters, and runs to the
// first white space, "<" or ">" (a ">" there is taken along). The pattern
// tried all of that at every byte of the line, twice a line with an
// address; the tests hold findURLs to it.
func findURLs(s string) [][]int {
	var out [][]int
	for p := 0; p < len(s); p++ {
		q := p
		if s[p] == '<' {
			// Without the "<" no match starts here: "<" is no letter.
			q++
		} else if p > 0 && isWordByte(s[p-1]) {
			continue // no word boundary
		}
		e := urlSchemeEnd(s, q)
		if e < 0 {
			continue
		}
		// The address proper: at least one rune that is no white space
		// (as \s reads it), "<" or ">". Bytes beyond ASCII, invalid ones
		// too, belong to it.
		f := e
		for f < len(s) && !isRegexpSpace(s[f]) && s[f] != '<' && s[f] != '>' {
			f++
		}
		if f == e {
			continue
		}
		if f < len(s) && s[f] == '>' {
			f++
		}
		out = append(out, []int{p, f})
		p = f - 1
	}
	return out
}

// urlSchemeEnd returns the end of the scheme of an address at i
// ("http://", "https://", "ftp://", "www.", in any case, as a
// case-insensitive pattern reads case), or -1.
func urlSchemeEnd(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	// The schemes open with an ASCII letter: the rune at i is a word
	// character, so the boundary holds when the rune before is none
	// (the caller's test, or the "<" before it).
	switch s[i] | 0x20 {
	case 'h':
		n := foldPrefixLen(s[i:], "http")
		if n < 0 {
			return -1
		}
		i += n
		if m := foldPrefixLen(s[i:], "s://"); m >= 0 {
			return i + m
		}
		if strings.HasPrefix(s[i:], "://") {
			return i + 3
		}
	case 'f':
		if n := foldPrefixLen(s[i:], "ftp://"); n >= 0 {
			return i + n
		}
	case 'w':
		if n := foldPrefixLen(s[i:], "www."); n >= 0 {
			return i + n
		}
	}
	return -1
}

// oneLinkTail is what may follow the closing bracket of a line that is
// one Markdown link: [\s.,;|·•–—-], with \s as Go's regexp reads it (no
// vertical tab).
const oneLinkTail = "\t\n\f\r .,;|·•–—-"

// isRegexpSpace reports the bytes of \s as Go's regexp reads it.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// isOneLink reports a line that is one Markdown link: the lines
//
//	^\[[^\]]*\]\(\s*<?[^\s()]*(?:\([^\s()]*\)[^\s()]*)*>?\s*\)[\s.,;|·•–—-]*$
//
// matches (the tests hold it to that pattern). The pattern leaves no
// choice to make, so one pass decides it: the label runs to the first
// "]"; the target has no white space and parentheses only in pairs one
// deep ("<" and ">" are characters of the target too, so the optional
// angle brackets add nothing); a "(" not closed so ends the match. The
// pattern tried every way to split a line, most of them Markdown links,
// and cost a tenth of the plain-text stage.
func isOneLink(s string) bool {
	if !strings.HasPrefix(s, "[") {
		return false
	}
	i := strings.IndexByte(s, ']')
	if i < 0 || i+1 >= len(s) || s[i+1] != '(' {
		return false
	}
	i += 2
	for i < len(s) && isRegexpSpace(s[i]) {
		i++
	}
target:
	for i < len(s) {
		switch c := s[i]; {
		case c == '(':
			j := i + 1
			for j < len(s) && !isRegexpSpace(s[j]) && s[j] != '(' && s[j] != ')' {
				j++
			}
			if j >= len(s) || s[j] != ')' {
				return false
			}
			i = j + 1
		case c == ')' || isRegexpSpace(c):
			break target
		default:
			// Bytes beyond ASCII, invalid ones too, are characters of
			// the target: none is white space or a parenthesis.
			i++
		}
	}
	for i < len(s) && isRegexpSpace(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != ')' {
		return false
	}
	return strings.TrimLeft(s[i+1:], oneLinkTail) == ""
}

// splice returns s with each of the non-overlapping byte ranges matches,
// in order, replaced by repl: for a pattern that matches no empty string,
// re.ReplaceAllString(s, repl) when matches are
// re.FindAllStringIndex(s, -1) and repl holds no "$".
func splice(s string, matches [][]int, repl string) string {
	if len(matches) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, m := range matches {
		b.WriteString(s[last:m[0]])
		b.WriteString(repl)
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// findRefMarkers returns what reRefMarker.FindAllStringIndex(s, -1)
// returns, the reference marks of s:
//
//	(?i)\[\[?(?:\d{1,3}|[ivxlc]{1,8})\]?\]|\^
//
// The pattern leaves no choice that matters, so one pass finds them: a
// "^"; or a "[" (a second one taken along), one to three digits or one to
// eight Roman numeral letters in any case, and "]" (a second one taken
// along). A longer run of digits or letters is no mark, since the "]"
// must follow the run. The pattern ran on every line holding a "[" (the
// labels of Markdown links), a tenth of the stage.
func findRefMarkers(s string) [][]int {
	var out [][]int
	for p := 0; p < len(s); p++ {
		switch s[p] {
		case '^':
			out = append(out, []int{p, p + 1})
		case '[':
			q := p + 1
			if q < len(s) && s[q] == '[' {
				q++
			}
			r := q
			for r < len(s) && r-q <= 3 && '0' <= s[r] && s[r] <= '9' {
				r++
			}
			if r == q {
				for r < len(s) && r-q <= 8 && strings.IndexByte("ivxlcIVXLC", s[r]) >= 0 {
					r++
				}
				if r-q > 8 {
					continue
				}
			} else if r-q > 3 {
				continue
			}
			if r == q || r >= len(s) || s[r] != ']' {
				continue
			}
			r++
			if r < len(s) && s[r] == ']' {
				r++
			}
			out = append(out, []int{p, r})
			p = r - 1
		}
	}
	return out
}
