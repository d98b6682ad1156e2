package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// English function words (englishWords) make up 15–40% of the words of
// running English prose, 0–2% of other languages written in Latin letters
// and none of other scripts; lists, tables and sports scores score lower
// than prose.
const (
	clearlyEnglish    = 0.15 // at least this share: English, whatever is declared
	clearlyNotEnglish = 0.03 // below this share: not English, whatever is declared
	minEnglishShare   = 0.12 // the line when no language is declared
	minDecisiveWords  = 50   // fewer words decide nothing against a declaration
	englishSample     = 1000 // words read
)

// englishWords are frequent English function words that are rare as words
// of other languages written in Latin letters (so no "a", "in", "is",
// "was", "will", "to", "on", "die", "also").
var englishWords = setOf(
	"the", "of", "and", "that", "for", "with", "from", "this", "have", "has",
	"are", "were", "been", "said", "which", "would", "their", "they", "not",
	"but", "by", "it", "its", "his", "her", "she", "who", "be", "had",
	"there", "about", "after", "than", "more", "we", "you", "our", "can",
	"could", "should", "what", "when", "into", "over", "such", "only",
	"other", "some", "these", "those", "them", "then", "just", "any", "did",
	"does", "how", "where", "while", "because", "people", "year", "years",
)

// IsEnglish reports whether an article is in English, so that other
// languages can be kept and marked but not sent through the English claim
// rules. The text decides when it is clear (at least minDecisiveWords
// words, and an English function-word share of at least clearlyEnglish, or
// below clearlyNotEnglish): declarations are wrong often enough (an
// English edition marked lang="de", a German post marked "en"). Otherwise
// the declared language decides (Article.Lang), and without one the share
// must reach minEnglishShare.
func IsEnglish(a Article) bool {
	share, words := englishShare(a.Text)
	switch {
	case words >= minDecisiveWords && share >= clearlyEnglish:
		return true
	case words >= minDecisiveWords && share < clearlyNotEnglish:
		return false
	case a.Lang != "":
		return a.Lang == "en"
	case words >= minDecisiveWords:
		return share >= minEnglishShare
	}
	// A short text with no declaration is English unless it plainly is not:
	// another script, or enough words with almost no English among them.
	// Dropping a short English text would lose its claims silently.
	if !mostlyLatin(a.Text) {
		return false
	}
	return words > 0 && (words < minShortWords || share >= clearlyNotEnglish)
}

// minShortWords is the least number of words of a short, undeclared text
// whose lack of English function words is taken as evidence.
const minShortWords = 20

// mostlyLatin reports whether most letters of the first few kilobytes of
// text are Latin.
func mostlyLatin(text string) bool {
	latin, other := 0, 0
	for i, r := range text {
		if i > 4096 {
			break
		}
		switch {
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.IsLetter(r):
			other++
		}
	}
	return latin >= other
}

// englishShare returns the share of English function words among the
// first englishSample words of text (runs of letters and apostrophes,
// compared in lower case), and the number of words read.
func englishShare(text string) (share float64, words int) {
	hits := 0
	var buf [32]byte
	for i := 0; i < len(text) && words < englishSample; {
		i = skipNonWord(text, i)
		start := i
		// Most words are ASCII letters alone: they are lowered and packed
		// into key as they are read, and looked up by that.
		var key uint64
		n := 0
		for ; i < len(text); i++ {
			c := text[i] | 0x20
			if c < 'a' || c > 'z' {
				break
			}
			key = key<<8 | uint64(c)
			n++
		}
		if n > 0 && (i == len(text) || text[i] != '\'' && text[i] < utf8.RuneSelf) {
			words++
			if n <= maxPackedWord && englishKeys[key] {
				hits++
			}
			continue
		}
		// An apostrophe or a rune beyond ASCII: the word is read rune by
		// rune, trimmed and lowered into buf (on the stack for any word
		// that can be an English function word).
		i = skipWord(text, i)
		w := trimApostrophes(text[start:i])
		if w == "" {
			continue
		}
		words++
		if englishWords[string(appendLower(buf[:0], w))] {
			hits++
		}
	}
	if words == 0 {
		return 0, 0
	}
	return float64(hits) / float64(words), words
}

// maxPackedWord is the longest word packed into a key: eight bytes fill a
// uint64, and a byte fewer keeps a key from being read as its overflow.
const maxPackedWord = 7

// englishKeys holds englishWords packed, a byte a letter: one uint64 key
// per word of at most maxPackedWord ASCII letters (all of them are).
var englishKeys = func() map[uint64]bool {
	m := make(map[uint64]bool, len(englishWords))
	for w := range englishWords {
		if k, ok := packWord(w); ok {
			m[k] = true
		}
	}
	return m
}()

// packWord packs a word of at most maxPackedWord lower-case ASCII letters
// into a key, a byte a letter; ok is false for any other word.
func packWord(w string) (key uint64, ok bool) {
	if w == "" || len(w) > maxPackedWord {
		return 0, false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return 0, false
		}
		key = key<<8 | uint64(w[i])
	}
	return key, true
}

// isEnglishWordRune reports a rune of a word as englishShare reads words: a
// letter or an apostrophe (straight or curly).
func isEnglishWordRune(r rune) bool {
	return unicode.IsLetter(r) || r == '\'' || r == '’'
}

// skipNonWord returns the index of the first word rune of text at or after
// i, or len(text). ASCII is read a byte at a time: its letters are those
// unicode.IsLetter reports.
func skipNonWord(text string, i int) int {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if 'a' <= c|0x20 && c|0x20 <= 'z' || c == '\'' {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if isEnglishWordRune(r) {
			return i
		}
		i += size
	}
	return i
}

// skipWord returns the index of the first rune of text at or after i that
// is no word rune, or len(text).
func skipWord(text string, i int) int {
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf {
			if !('a' <= c|0x20 && c|0x20 <= 'z' || c == '\'') {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isEnglishWordRune(r) {
			return i
		}
		i += size
	}
	return i
}

// trimApostrophes is strings.Trim(w, "'’").
func trimApostrophes(w string) string {
	for {
		switch {
		case strings.HasPrefix(w, "'"):
			w = w[1:]
		case strings.HasPrefix(w, "’"):
			w = w[len("’"):]
		default:
			for {
				switch {
				case strings.HasSuffix(w, "'"):
					w = w[:len(w)-1]
				case strings.HasSuffix(w, "’"):
					w = w[:len(w)-len("’")]
				default:
					return w
				}
			}
		}
	}
}
