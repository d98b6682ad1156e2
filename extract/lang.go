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
	// Words are lowered into buf, on the stack for any word that can be
	// an English function word, and looked up without a string made.
	var buf [32]byte
	for i := 0; i < len(text) && words < englishSample; {
		i = skipNonWord(text, i)
		start := i
		// Most words are ASCII letters alone: they are lowered as they
		// are read.
		b := buf[:0]
		for ; i < len(text); i++ {
			c := text[i] | 0x20
			if c < 'a' || c > 'z' {
				break
			}
			b = append(b, c)
		}
		if len(b) > 0 && (i == len(text) || text[i] != '\'' && text[i] < utf8.RuneSelf) {
			words++
			if englishWords[string(b)] {
				hits++
			}
			continue
		}
		// An apostrophe or a rune beyond ASCII: the word is read rune by
		// rune, trimmed and lowered.
		i = skipWord(text, i)
		w := strings.Trim(text[start:i], "'’")
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
