package extract

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word or punctuation mark of a sentence. Start and End are
// byte offsets into the sentence text: int32, because tokens are most of
// what the claim stage allocates; appendTokens gives no tokens for a
// sentence of 2 GB or more, run-on text the claim rules skip anyway.
type token struct {
	norm  string // lower case, apostrophes folded to ', "n't" read as "not"
	start int32
	end   int32
	upper bool // the first letter is upper case
	word  bool // letters or digits, not punctuation
	// joined is true for a hyphen written without spaces around it: the
	// words it joins form one compound ("pro-Russian", "Russia-Ukraine").
	joined bool
	// class is what the lexicon knows of norm: the closed-class lists it
	// is in and the matchers with a phrase starting with it, set by
	// Lexicon.classify; tokenize leaves it 0.
	class wordClass
}

// textIn returns the token as written in s, the sentence text it was
// read from. Tokens hold offsets, not their text: a string header would
// make them half as large again.
func (t *token) textIn(s string) string { return s[t.start:t.end] }

// is reports whether the token is in any of the lists of c.
func (t *token) is(c wordClass) bool { return t.class&c != 0 }

// isApostrophe reports whether r is an apostrophe or a right single quote,
// which news text uses interchangeably.
func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

// isQuoteMark reports whether r opens or closes a quotation (an apostrophe
// not attached to a word is one too).
func isQuoteMark(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '‟', '«', '»', '‹', '›', '‘', '‚', '‛', '\'', '’', 'ʼ', '`':
		return true
	}
	return false
}

// isWordRune reports whether r belongs in a word. U+02BC, a letter to
// Unicode, is used as an apostrophe ("Kyivʼs").
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIWordByte(byte(r))
	}
	return (unicode.IsLetter(r) && r != 'ʼ') || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// isASCIIWordByte is isWordRune of an ASCII byte: a letter or a digit.
func isASCIIWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// tokenize splits s into tokens. Possessive 's and the negation n't become
// tokens of their own, so that "Russia's" matches the alias "Russia" and
// "won't" reads as "will not". A period that is part of an initialism
// ("U.S.") stays in its word.
func tokenize(s string) []token {
	var lower strings.Builder
	return appendTokens(make([]token, 0, tokensCap(len(s))), s, &lower)
}

// tokensCap is room for the tokens of n bytes of text: about one token in
// six bytes of news text, enough for most sentences without growing.
func tokensCap(n int) int { return n/5 + 4 }

// appendTokens is tokenize appending the tokens of s to toks. The norms
// of capitalised ASCII words are written to lower (newWord), which may be
// shared by many sentences: the strings taken from a Builder keep their
// bytes while it grows.
func appendTokens(toks []token, s string, lower *strings.Builder) []token {
	if len(s) > math.MaxInt32 {
		return toks
	}
	i := 0
	for i < len(s) {
		// ASCII spaces, nearly every other byte of news text, are
		// skipped without decoding.
		if c := s[i]; c == ' ' || c == '\n' {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isWordRune(r):
			j := i
			for j < len(s) {
				// The letters of an ASCII word are taken a byte at a time.
				if c := s[j]; c < utf8.RuneSelf && isASCIIWordByte(c) {
					j++
					continue
				}
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if isWordRune(r2) {
					j += n2
					continue
				}
				// Initialisms are short: looking only at words of up to 12
				// bytes keeps a run of periods from costing quadratic time.
				if r2 == '.' && j-i <= 12 {
					if n := initialismPeriod(s, i, j); n > 0 {
						j += n
						continue
					}
				}
				break
			}
			word := s[i:j]
			// Split an apostrophe suffix off the word that precedes it.
			if j < len(s) {
				if r2, n2 := utf8.DecodeRuneInString(s[j:]); isApostrophe(r2) {
					rest := s[j+n2:]
					switch {
					case hasWordPrefix(rest, "s"):
						toks = append(toks, newWord(s, lower, i, j))
						toks = append(toks, token{norm: "'s", start: int32(j), end: int32(j + n2 + 1), word: true})
						i = j + n2 + 1
						continue
					case hasWordPrefix(rest, "t") && j-1 == i && (word[0] == 'n' || word[0] == 'N'):
						// "n't" on its own (after a hyphen, say): one "not".
						toks = append(toks, token{norm: "not", start: int32(i), end: int32(j + n2 + 1), word: true})
						i = j + n2 + 1
						continue
					case hasWordPrefix(rest, "t") && j-1 > i && (word[len(word)-1] == 'n' || word[len(word)-1] == 'N'):
						base := newWord(s, lower, i, j-1)
						switch base.norm {
						case "wo":
							base.norm = "will"
						case "ca":
							base.norm = "can"
						case "sha":
							base.norm = "shall"
						}
						toks = append(toks, base)
						toks = append(toks, token{norm: "not", start: int32(j - 1), end: int32(j + n2 + 1), word: true})
						i = j + n2 + 1
						continue
					case len(rest) > 0 && isWordRune(firstRune(rest)):
						// O'Brien, d'Estaing: the apostrophe is part of the name.
						k := j + n2
						for k < len(s) {
							r3, n3 := utf8.DecodeRuneInString(s[k:])
							if !isWordRune(r3) {
								break
							}
							k += n3
						}
						toks = append(toks, newWord(s, lower, i, k))
						i = k
						continue
					}
				}
			}
			toks = append(toks, newWord(s, lower, i, j))
			i = j
		case isQuoteMark(r):
			// Quotation marks carry no words: "is ‘imperative’" must still
			// match the phrase "is imperative". quoteSpeaker reads the text.
			i += size
		default:
			t := token{norm: s[i : i+size], start: int32(i), end: int32(i + size)}
			if r == '-' || r == '‑' {
				t.norm = "-"
				t.joined = i > 0 && i+size < len(s) && !isSpaceBefore(s, i) && !unicode.IsSpace(firstRune(s[i+size:]))
			}
			toks = append(toks, t)
			i += size
		}
	}
	return toks
}

// newWord is the token of the word s[i:j]. lower collects the capitalised
// ASCII words of the sentence (or of all the article's sentences, in the
// claim stage) in lower case, so that their norms share one buffer
// instead of one string each (what strings.ToLower would
// make): a Builder only ever appends, so a string taken from it keeps
// its bytes while more is written.
func newWord(s string, lower *strings.Builder, i, j int) token {
	w := s[i:j]
	r, _ := utf8.DecodeRuneInString(w)
	norm := w // an ASCII word without capitals is its own norm
	switch ascii, upper := asciiCase(w); {
	case !ascii:
		norm = foldWord(w)
	case upper:
		if lower.Cap() == 0 {
			lower.Grow(64) // room for a few names in most sentences
		}
		n := lower.Len()
		for k := 0; k < len(w); k++ {
			c := w[k]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower.WriteByte(c)
		}
		norm = lower.String()[n:]
	}
	return token{norm: norm, start: int32(i), end: int32(j), upper: unicode.IsUpper(r), word: true}
}

// asciiCase reports whether w is all ASCII and whether it has a capital
// A-Z, in one pass.
func asciiCase(w string) (ascii, upper bool) {
	for k := 0; k < len(w); k++ {
		switch c := w[k]; {
		case c >= utf8.RuneSelf:
			return false, upper
		case 'A' <= c && c <= 'Z':
			upper = true
		}
	}
	return true, upper
}

// foldWord lower-cases w and folds typographic apostrophes.
func foldWord(w string) string {
	w = strings.ToLower(w)
	// Both apostrophes are multi-byte: an ASCII word (most of them) cannot
	// hold one, and the check is a byte scan instead of a rune search.
	if !isASCII(w) && strings.ContainsAny(w, "’ʼ") {
		w = strings.NewReplacer("’", "'", "ʼ", "'").Replace(w)
	}
	return w
}

// initialismPeriod reports how many bytes to take at s[j], a period after the
// word s[i:j], when the period belongs to an initialism such as "U.S." or
// "U.N.": 1 to take it, 0 when it ends the word. The word so far must be
// single capital letters separated by periods.
func initialismPeriod(s string, i, j int) int {
	for k, part := range strings.Split(s[i:j], ".") {
		if utf8.RuneCountInString(part) != 1 || !unicode.IsUpper(firstRune(part)) {
			if !(k > 0 && part == "") {
				return 0
			}
		}
	}
	rest := s[j+1:]
	if r := firstRune(rest); unicode.IsUpper(r) {
		_, n := utf8.DecodeRuneInString(rest)
		if strings.HasPrefix(rest[n:], ".") {
			return 1 // "U" + ".S."
		}
	}
	if strings.Contains(s[i:j], ".") {
		return 1 // the final period of "U.S."
	}
	return 0
}

// hasWordPrefix reports whether s starts with the word p (ASCII, any case).
// It looks at len(p)+1 bytes only: tokenizing stays linear in the text.
func hasWordPrefix(s, p string) bool {
	if len(s) < len(p) || !strings.EqualFold(s[:len(p)], p) {
		return false
	}
	rest := s[len(p):]
	return rest == "" || !isWordRune(firstRune(rest))
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isSpaceBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsSpace(r)
}

// isASCII reports whether s holds only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasDoubleQuote reports whether s holds a double quotation mark: '"', '“'
// or '”'. It is strings.ContainsAny(s, "\"“”") in one pass over the bytes,
// which the claim stage asks of every sentence several times.
func hasDoubleQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			return true
		case 0xE2: // “ is E2 80 9C, ” is E2 80 9D
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0x9C || s[i+2] == 0x9D) {
				return true
			}
		}
	}
	return false
}
