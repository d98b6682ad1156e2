package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The plain-text stage reads every line of every article several times
// (word counts, folds, furniture and credit patterns). The helpers here
// give the same answers as the plain definitions in text.go with less
// work: ASCII is read a byte at a time, folds go into a buffer that is
// reused, and a regular expression runs only when the text holds what any
// match of it must start with. Their tests hold each one to the plain
// definition it replaces.

// maxLineWords caps the word count that classifyLines takes of a line: no
// rule of the line classification compares a count with more than 25.
const maxLineWords = 26

// ASCII classes, as unicode.IsSpace, IsLetter and IsDigit give them.
const (
	asciiOther = iota
	asciiSpace
	asciiAlnum
)

// asciiClasses holds the class of every ASCII byte.
var asciiClasses = func() (t [utf8.RuneSelf]uint8) {
	for c := range utf8.RuneSelf {
		switch {
		case c == ' ' || '\t' <= c && c <= '\r':
			t[c] = asciiSpace
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
			t[c] = asciiAlnum
		}
	}
	return t
}()

// countWordsUpTo is min(countWords(s), limit): it stops reading at the
// limit, which for a paragraph comes long before its end.
func countWordsUpTo(s string, limit int) int {
	n := 0
	alnum := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch asciiClasses[c] {
			case asciiSpace:
				if alnum {
					if n++; n >= limit {
						return limit
					}
				}
				alnum = false
			case asciiAlnum:
				alnum = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if n, alnum = wordStep(r, n, alnum); n >= limit {
			return limit
		}
	}
	if alnum {
		n++
	}
	return min(n, limit)
}

// foldRune is a rune of a line as repeats and furniture are compared: in
// lower case, a curly quote straight when quotes is set.
func foldRune(r rune, quotes bool) rune {
	if quotes {
		switch r {
		case '’', '‘':
			return '\''
		case '“', '”':
			return '"'
		}
	}
	return unicode.ToLower(r)
}

// lineFolder folds lines into a buffer it reuses, so that classifying the
// lines of an article does not allocate a string per line and rule. Its
// zero value is ready for use; it is not safe for concurrent use.
type lineFolder struct{ buf []byte }

// fold returns strings.ToLower(collapseSpace(s)), with curly quotes
// straight when quotes is set (as quoteFolder.Replace makes them). The
// bytes are the folder's: valid until its next call.
func (f *lineFolder) fold(s string, quotes bool) []byte {
	b := f.buf[:0]
	space := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if asciiClasses[c] == asciiSpace {
				space = true
				continue
			}
			// Every word puts at least one byte in b: a space goes
			// between words, none before the first.
			if space && len(b) > 0 {
				b = append(b, ' ')
			}
			space = false
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			continue
		}
		// An invalid byte is utf8.RuneError here and is written as
		// U+FFFD, as strings.ToLower writes it.
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(b) > 0 {
			b = append(b, ' ')
		}
		space = false
		b = utf8.AppendRune(b, foldRune(r, quotes))
	}
	f.buf = b
	return b
}

// markTrail are the marks that furniture and marker lines end with ("READ
// MORE »", "Related:"), left out when they are compared.
const markTrail = ":»›→>|. "

// norm returns s as furniture and marker lines are compared (normLine's
// form, of a line of any length): folded with straight quotes, without
// markTrail at the end. The bytes are the folder's: valid until its next
// call.
func (f *lineFolder) norm(s string) []byte {
	// The trailing marks and the quotes are independent: neither kind
	// of quote is a trailing mark.
	return bytes.TrimRight(f.fold(s, true), markTrail)
}

// lower returns strings.ToLower(s) in the folder's bytes: valid until its
// next call.
func (f *lineFolder) lower(s string) []byte {
	f.buf = appendLower(f.buf[:0], s)
	return f.buf
}

// appendLower appends strings.ToLower(s) to b.
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			continue
		}
		// An invalid byte is utf8.RuneError here and is written as
		// U+FFFD, as strings.ToLower writes it.
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

// hasAnyPrefix reports whether b starts with one of prefixes.
func hasAnyPrefix(b []byte, prefixes []string) bool {
	for _, p := range prefixes {
		if len(b) >= len(p) && string(b[:len(p)]) == p {
			return true
		}
	}
	return false
}

// foldsToOneOf reports whether r is, in some case, one of the ASCII
// letters: whether a case-insensitive regular expression may read r as
// one of them. Go's regexp folds case along unicode.SimpleFold's orbits,
// which join more than ASCII ("ſ" is an "s", "K" a "k").
func foldsToOneOf(r rune, letters string) bool {
	for f := r; ; {
		if f < utf8.RuneSelf && strings.IndexByte(letters, byte(f)) >= 0 {
			return true
		}
		if f = unicode.SimpleFold(f); f == r {
			return false
		}
	}
}

// What a match of each line pattern must start with. Each pattern is
// anchored at the start of the line and opens with an alternation of
// literal words; a line that starts with none of them cannot match, and
// most lines are spared running the pattern. They are read off the
// patterns: TestPrechecksAdmitEveryMatchStart fails when a pattern can
// start a match that its list turns away.
var (
	// boilerplateStarts open every match of reBoilerplateStart.
	boilerplateStarts = []string{"sign up", "subscribe", "read more", "more from", "see also", "follow us", "share on", "all rights reserved"}
	// copyrightStarts open every match of reCopyright.
	copyrightStarts = []string{"copyright", "©", "(c)"}
	// updatedNoteStarts open every match of reUpdatedNote: the optional
	// "this " or one of the nouns, else one of the verbs.
	updatedNoteStarts = []string{"this ", "story ", "article ", "post ", "report ", "page ",
		"published", "posted", "updated", "last updated", "first published"}
)

// mayBeByline reports whether s may match reByline: its trimmed text must
// open with "by" in some case, and b and y fold with no other letters.
func mayBeByline(s string) bool {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	return len(s) >= 2 && s[0]|0x20 == 'b' && s[1]|0x20 == 'y'
}

// mayOpenCredit reports whether s may match reCreditStart: after an
// optional "(", the line opens with one of its words, which start with c,
// f, i, p or s in some case.
func mayOpenCredit(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimPrefix(s, "("))
	return foldsToOneOf(r, "cfips")
}

// isBoilerplateWords is isBoilerplateLine(s) for a line of w words (as
// countWordsUpTo(s, maxLineWords) counts them), folding into f.
func isBoilerplateWords(s string, w int, f *lineFolder) bool {
	if len(s) > 600 || w > 25 {
		return false
	}
	low := f.norm(s)
	if w <= 12 && (boilerplatePhrases[string(low)] || hasAnyPrefix(low, boilerplateStarts) && reBoilerplateStart.Match(low)) {
		return true
	}
	if w <= 15 && hasAnyPrefix(low, copyrightStarts) && reCopyright.Match(low) {
		return true
	}
	if hasAnyPrefix(low, updatedNoteStarts) && reUpdatedNote.Match(low) {
		return true
	}
	return w <= 8 && mayBeByline(s) && reByline.MatchString(strings.TrimSpace(s))
}

// isCreditWords is isCreditLine(s) for a line of w words (as
// countWordsUpTo(s, maxLineWords) counts them), folding into f.
func isCreditWords(s string, w int, f *lineFolder) bool {
	if len(s) > 400 || w == 0 || w > 14 {
		return false
	}
	r, _ := lastSignificant(strings.TrimRight(s, ")"))
	if strings.ContainsRune(".!?:;,", r) && !strings.HasSuffix(s, ")") {
		return false
	}
	if mayOpenCredit(s) && reCreditStart.MatchString(s) {
		return true
	}
	if strings.Contains(s, "|") {
		parts := strings.Split(s, "|")
		for _, p := range parts {
			if countWordsUpTo(p, 7) > 6 {
				return false
			}
		}
		return len(parts) >= 3 || rePhotoAgency.MatchString(s)
	}
	low := f.lower(s)
	if bytes.HasPrefix(low, []byte("via ")) || bytes.Contains(low, []byte(" via ")) {
		return reAgency.Match(low)
	}
	if strings.Contains(s, "/") && w <= 8 && mayNameAgency(s) && reAgency.MatchString(s) {
		return true
	}
	// A bare agency name ("Getty Images", "Reuters") on its own line.
	return w <= 4 && bareCredits[string(bytes.Trim(f.fold(s, false), "() "))]
}

// isQuoteWords is isQuoteLine(s) for a line of w words (as
// countWordsUpTo(s, maxLineWords) counts them).
func isQuoteWords(s string, w int) bool {
	if w < 4 {
		return false
	}
	switch {
	case strings.HasPrefix(s, "“"):
		i := strings.Index(s, "”")
		return i >= 0 && i+len("”") == len(s)
	case strings.HasPrefix(s, "«"):
		i := strings.Index(s, "»")
		return i >= 0 && i+len("»") == len(s)
	case strings.HasPrefix(s, `"`):
		return strings.Count(s, `"`) == 2 && strings.HasSuffix(s, `"`)
	}
	return false
}

// agencyWords are the alternatives of reAgency, optional endings dropped:
// every match of it starts with one of them, in some case, at the start
// of a word. They are read off the pattern (TestPrechecksAdmitEveryMatchStart
// holds them to it).
var agencyWords = []string{"getty images", "afp", "ap photo", "epa", "shutterstock", "anadolu",
	"press association", "pa images", "pa wire", "pa graphics", "nurphoto", "sopa images", "alamy",
	"images", "photo", "photos", "pool", "handout", "reuters", "associated press", "ap", "efe", "tass",
	"ria novosti", "sputnik", "xinhua", "bloomberg", "dpa", "ukrinform", "agency"}

// mayNameAgency reports whether s may match reAgency: whether one of
// agencyWords starts, in some case, at a word boundary of s. The pattern
// runs at every byte of the line and tries all its words there; this
// looks only where a word starts.
func mayNameAgency(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// \b is an ASCII word boundary; an ASCII letter opens a
			// word only after a byte that is no ASCII word character.
			if i == 0 || !isWordByte(s[i-1]) {
				for _, w := range agencyWords {
					if hasFoldPrefix(s[i:], w) {
						return true
					}
				}
			}
			i++
			continue
		}
		// A rune beyond ASCII that folds to a letter ("ſ", "K") is no
		// word character: \b may stand before it in more ways, so it
		// is tried wherever it is.
		for _, w := range agencyWords {
			if hasFoldPrefix(s[i:], w) {
				return true
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return false
}

// isWordByte reports an ASCII word character, as \b reads them.
func isWordByte(c byte) bool {
	return c < utf8.RuneSelf && (c == '_' || asciiClasses[c] == asciiAlnum)
}

// hasFoldPrefix reports whether s starts with word (lower-case ASCII) as a
// case-insensitive pattern reads it: rune by rune, along
// unicode.SimpleFold's orbits.
func hasFoldPrefix(s, word string) bool { return foldPrefixLen(s, word) >= 0 }

// foldPrefixLen returns the length in bytes of the prefix of s that a
// case-insensitive pattern reads as word (lower-case ASCII), or -1.
func foldPrefixLen(s, word string) int {
	i := 0
	for k := 0; k < len(word); k++ {
		if i >= len(s) {
			return -1
		}
		want := word[k]
		if c := s[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != want {
				return -1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !foldsToOneOf(r, word[k:k+1]) {
			return -1
		}
		i += size
	}
	return i
}

// mayOpenList reports whether s may match reListMarker: the line must
// open with one of its bullets, a digit, "(" or a lower-case letter.
func mayOpenList(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || r == '(' || strings.ContainsRune("•-*–·▪◦‣●○■□➢►>", r)
}

// mayBeTOCTitle reports whether s may match reTOCTitle: its words open
// with c, i or t, in some case.
func mayBeTOCTitle(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return foldsToOneOf(r, "cit")
}
