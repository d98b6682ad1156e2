package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cut is a sentence boundary proposed inside a text: the sentence before it
// ends at or before end, the next one starts at or after next. Punkt's cuts
// are a point in white space (end == next); a glued cut may step over a
// footnote number ("control.1 Western"), which then belongs to neither
// sentence.
type cut struct{ end, next int }

// maxGluedToken bounds the look-around of isLinkToken: a run this long
// without white space is a link, a file name or noise, not prose.
const maxGluedToken = 200

// gluedCuts finds sentence ends in text[st:en] that Punkt cannot see,
// because it splits tokens at white space and none follows them:
//
//   - a full stop, question or exclamation mark (and closing quotes) run
//     directly into a capitalised word: "of Ukraine.The talks",
//     "crimes.”He", "Ukraine?We";
//   - a footnote mark glued to a stop, then white space and a capital: a
//     number of one to three digits after a word, or a list of them
//     ("control.1 Western officials", "weaponry.”12 Two", "months.3,4
//     In"), or bracketed marks, with the link target a Markdown copy of
//     the page gives them ("talks.[4] The", "Pegov.[[1]](https://…) He");
//   - a stop closed by Markdown emphasis or an invisible format
//     character, which Punkt does not read as closing it, then white
//     space and a capital: "for Ukraine.** Medvedev gave", "grants.\u00ad
//     UK export".
//
// Scraped and machine-translated text often loses the space after a stop,
// so the rule does not depend on the words. It leaves alone what is not a
// sentence end: initials and initialisms ("J.Smith", "U.S.President",
// "e.g.The"), titles before a name ("Prof.Smith", "St.Petersburg"), an
// all-capital or single-capital word that is no word start ("Ph.D.",
// "ASP.NET"), decimals and numbers ("2.5", "No.5"), lower-case domains
// ("bbc.co.uk") and anything in a token that holds a link or address
// ("www.Example.com", "https://…", "a.b@Example.org").
func gluedCuts(text string, st, en int) []cut {
	var out []cut
	for i := st; i < en; i++ {
		if !isStopByte(text[i]) {
			continue
		}
		j := i
		for j < en && isStopByte(text[j]) {
			j++
		}
		end := skipClosers(text, j, en)
		if c, ok := gluedCut(text, st, i, j, end, en); ok {
			out = append(out, c)
		}
		i = end - 1
	}
	return out
}

// gluedCut decides one stop: text[i:j] is a run of stops and text[j:end]
// the closing quotes or brackets after it, inside text[st:en].
func gluedCut(text string, st, i, j, end, en int) (cut, bool) {
	word := stopWord(text, st, i)
	if word == "" || end >= en {
		return cut{}, false
	}
	// A bracketed mark may carry a link, so only the word before the stop
	// is checked for being part of an address.
	if k := bracketMarksEnd(text, end, en); k > end && k < en && isTrimSpace(firstRune(text[k:en])) {
		next, _ := trimRange(text, k, en)
		if next < en && opensCapital(text[next:en]) && !isLinkToken(text, st, i, end) && stopEndsAfter(word, text[next:en]) {
			return cut{end, next}, true
		}
		return cut{}, false
	}
	if isLinkToken(text, st, i, en) {
		return cut{}, false
	}
	if k := footnoteEnd(text, end, en); k > end {
		next, _ := trimRange(text, k, en)
		if next < en && opensCapital(text[next:en]) && footnoteMayFollow(word) {
			return cut{end, next}, true
		}
		return cut{}, false
	}
	if k := markupCloserEnd(text, end, en); k > end {
		next, _ := trimRange(text, k, en)
		if next > k && next < en && opensCapital(text[next:en]) && stopEndsAfter(word, text[next:en]) {
			return cut{k, k}, true
		}
		return cut{}, false
	}
	if !startsCapitalWord(text[end:en]) {
		return cut{}, false
	}
	if strings.Trim(text[i:j], ".") == "" && !stopEndsAfter(word, text[end:en]) {
		return cut{}, false
	}
	return cut{end, end}, true
}

// isStopByte reports a byte that can end a sentence.
func isStopByte(c byte) bool { return c == '.' || c == '!' || c == '?' }

// skipClosers returns the offset after the closing quotes and brackets
// that start text[i:en].
func skipClosers(text string, i, en int) int {
	for i < en {
		r, n := utf8.DecodeRuneInString(text[i:en])
		if !strings.ContainsRune(closers, r) {
			break
		}
		i += n
	}
	return i
}

// stopWord returns the word before the stop at text[i], within text[st:i]:
// closing quotes and brackets are skipped, and the word begins after white
// space, an opening quote or bracket, or an earlier full stop, so that
// "U.S." gives "S" and "(Kyiv)." gives "Kyiv". A straight apostrophe is part
// of the word ("Russia's").
func stopWord(text string, st, i int) string {
	e := i
	for e > st {
		r, n := utf8.DecodeLastRuneInString(text[st:e])
		if !strings.ContainsRune(closers, r) {
			break
		}
		e -= n
	}
	b := e
	for b > st {
		r, n := utf8.DecodeLastRuneInString(text[st:b])
		if isTrimSpace(r) || r == '.' || strings.ContainsRune("([{“‘«\"", r) {
			break
		}
		b -= n
	}
	return text[b:e]
}

// isLinkToken reports whether the white-space separated token around
// text[i] is a link or e-mail address, or too long to be prose.
func isLinkToken(text string, st, i, en int) bool {
	a := i
	for a > st && !isASCIISpace(text[a-1]) {
		a--
		if i-a > maxGluedToken {
			return true
		}
	}
	b := i
	for b < en && !isASCIISpace(text[b]) {
		b++
		if b-i > maxGluedToken {
			return true
		}
	}
	tok := strings.ToLower(text[a:b])
	return strings.Contains(tok, "://") || strings.Contains(tok, "www.") || strings.Contains(tok, "@")
}

// isASCIISpace reports the white-space bytes that separate tokens.
func isASCIISpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// footnoteEnd returns the offset after a footnote number at text[k:en]
// that white space follows, or k when there is none: one to three digits,
// or a list of such numbers joined by commas or hyphens ("3,4", "5-7").
// "2.5", "Kyiv.2022", "Kyiv.2,000" (a comma before three digits groups
// thousands) and a number at the very end are no footnote here.
func footnoteEnd(text string, k, en int) int {
	d := k
	for {
		n := digitRun(text[d:en])
		if n == 0 || n > 3 || d+n >= en {
			return k
		}
		d += n
		if text[d] != ',' && text[d] != '-' || d+1 >= en || text[d+1] < '0' || text[d+1] > '9' {
			break
		}
		if text[d] == ',' && digitRun(text[d+1:en]) == 3 {
			return k
		}
		d++
	}
	if r, _ := utf8.DecodeRuneInString(text[d:en]); !isTrimSpace(r) {
		return k
	}
	return d
}

// digitRun returns the number of ASCII digits s starts with.
func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// bracketMarksEnd returns the offset after a run of bracketed footnote
// marks at text[k:en] ("[4]", "[[12]]", "[iv]", "[1][2]"), each perhaps
// followed by a link target in parentheses without white space, as
// Markdown copies of footnoted pages write them ("[[1]](https://…#_edn1)");
// k when text[k:en] starts with none.
func bracketMarksEnd(text string, k, en int) int {
	d := k
	for d < en && text[d] == '[' {
		m := findRefMarkers(text[d:min(en, d+16)])
		if len(m) == 0 || m[0][0] != 0 || text[d+m[0][1]-1] != ']' {
			break
		}
		d += m[0][1]
		if d < en && text[d] == '(' {
			e := d + 1
			for e < en && e-d <= 2*maxGluedToken && text[e] != ')' && !isASCIISpace(text[e]) {
				e++
			}
			if e >= en || text[e] != ')' {
				return k
			}
			d = e + 1
		}
	}
	return d
}

// markupCloserEnd returns the offset after Markdown emphasis ("**", "_")
// glued to a stop at text[k:en], and any invisible format characters (a
// soft hyphen, a zero-width space), when white space follows them; k
// otherwise. A dialogue dash glued to a stop ("Russia.- We") is left
// alone: splitting there lowered the cross-validated claim F1 by 0.017.
func markupCloserEnd(text string, k, en int) int {
	d := k
	for d < en && d-k < 3 && (text[d] == '*' || text[d] == '_') {
		d++
	}
	for d < en {
		r, n := utf8.DecodeRuneInString(text[d:en])
		if !unicode.Is(unicode.Cf, r) {
			break
		}
		d += n
	}
	if d == k || d >= en || !isTrimSpace(firstRune(text[d:en])) {
		return k
	}
	return d
}

// footnoteMayFollow reports whether a footnote number can follow word and
// its stop: the word ends in a letter ("control.1", not "2.5") and is no
// single letter or abbreviation that takes a number ("p.5", "No.5",
// "Art.5").
func footnoteMayFollow(word string) bool {
	last, _ := utf8.DecodeLastRuneInString(word)
	if !unicode.IsLetter(last) || utf8.RuneCountInString(word) < 2 {
		return false
	}
	return !numberAbbrevs[strings.ToLower(word)]
}

// opensCapital reports whether s starts with a capital letter, after an
// optional opening quote or bracket.
func opensCapital(s string) bool {
	s = strings.TrimLeft(s, "“‘\"'(«")
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// startsCapitalWord reports whether s starts a capitalised word: after an
// optional opening quote, a capital and a lower-case letter ("The",
// "“We"), or the one-letter words "A" and "I". An all-capital run or a
// capital and a stop ("NATO", "D.") is more often part of an abbreviation
// or a name than a new sentence glued on.
func startsCapitalWord(s string) bool {
	s = strings.TrimLeft(s, "“‘\"(«")
	r, n := utf8.DecodeRuneInString(s)
	if !unicode.IsUpper(r) {
		return false
	}
	r2, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsLower(r2) {
		return true
	}
	return (r == 'A' || r == 'I') && (r2 == ' ' || r2 == '’' || r2 == '\'')
}

// stopEndsAfter reports whether a full stop after word, glued to next,
// ends a sentence: not after an initial or the last letter of an
// initialism ("J.Smith", "U.S.President", "e.g.The", "(D-W.Va.)"), nor
// after a title before a name ("Prof.Smith"), unless an article or pronoun
// follows ("Baker St.The").
func stopEndsAfter(word, next string) bool {
	if isInitial(word) {
		return false
	}
	if titleAbbrevs[strings.ToLower(word)] {
		return sentenceStarters[strings.ToLower(firstWord(strings.TrimLeft(next, "“‘\"(«")))]
	}
	return true
}

// trailingFootnote returns the length of a footnote number or bracketed
// marks glued to the final stop of a sentence ("…the talks.”3",
// "…regions.[[2]](https://…)"), 0 when there is none, so that the mark is
// left out of the sentence.
func trailingFootnote(s string) int {
	if n := trailingMarks(s); n > 0 {
		return n
	}
	k := len(s)
	for k > 0 && len(s)-k <= 3 && s[k-1] >= '0' && s[k-1] <= '9' {
		k--
	}
	n := len(s) - k
	if n == 0 || n > 3 {
		return 0
	}
	t := strings.TrimRight(s[:k], closers)
	if t == "" || !isStopByte(t[len(t)-1]) {
		return 0
	}
	u := strings.TrimRight(t, ".!?")
	if !footnoteMayFollow(stopWord(u, 0, len(u))) {
		return 0
	}
	return n
}

// isInitial reports a word that ends in a single letter after nothing, a
// hyphen or other non-letter: an initial or the end of an initialism
// ("J", "S" of "U.S", "W" of "D-W"). A possessive ("envoy's") is none.
func isInitial(word string) bool {
	r, n := utf8.DecodeLastRuneInString(word)
	if !unicode.IsLetter(r) {
		return false
	}
	p, _ := utf8.DecodeLastRuneInString(word[:len(word)-n])
	return !unicode.IsLetter(p) && p != '\'' && p != '’'
}

// trailingMarks returns the length of the bracketed footnote marks that
// end s after a stop (see bracketMarksEnd), 0 when there are none.
func trailingMarks(s string) int {
	if !strings.HasSuffix(s, "]") && !strings.HasSuffix(s, ")") {
		return 0
	}
	for q := strings.IndexByte(s, '['); q > 0; {
		t := strings.TrimRight(s[:q], closers)
		if t != "" && isStopByte(t[len(t)-1]) && bracketMarksEnd(s, q, len(s)) == len(s) {
			return len(s) - q
		}
		r := strings.IndexByte(s[q+1:], '[')
		if r < 0 {
			break
		}
		q += 1 + r
	}
	return 0
}
