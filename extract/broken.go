package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// danglingWords are words after which no sentence or heading ends: an
// article, a possessive determiner, or a preposition or conjunction that
// needs what follows it. A block that ends in one, without a stop, was cut
// in two by a line break in the source.
var danglingWords = setOf("the", "a", "an", "of", "from", "against", "into", "between",
	"and", "or", "nor", "than", "whose", "its", "their", "our", "your", "my", "his")

// minBrokenWords is the fewest words a block ending without a stop must
// have before a block opening in lower case is read as its continuation.
const minBrokenWords = 4

// joinBroken rejoins the sentences that a blank line or a page's markup cut
// in two: a Paragraph or Heading block that ends without a stop, in a word
// that cannot end a sentence ("… the crime of aggression committed
// against" + "Ukraine, the Assembly reiterates …"), or after at least four
// words when the next block opens in lower case ("… jurisdiction over the
// crime of aggression" + "committed against …"), is merged with the next
// Paragraph or Heading block into one Paragraph. Offsets stay those of
// text; the white space between the parts stays inside the block.
func joinBroken(text string, blocks []Block) []Block {
	out := blocks[:0]
	for _, b := range blocks {
		if n := len(out); n > 0 && continues(out[n-1], b) {
			prev := &out[n-1]
			prev.Kind = Paragraph
			prev.End = b.End
			prev.Text = text[prev.Start:prev.End]
			continue
		}
		out = append(out, b)
	}
	return out
}

// continues reports whether block b carries on the sentence that block a
// leaves unfinished (see joinBroken).
func continues(a, b Block) bool {
	if a.Kind != Paragraph && a.Kind != Heading || b.Kind != Paragraph && b.Kind != Heading {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(a.Text)
	first, _ := utf8.DecodeRuneInString(b.Text)
	if !unicode.IsLetter(last) || !unicode.IsLetter(first) && !unicode.IsDigit(first) {
		return false
	}
	word := a.Text[strings.LastIndexFunc(a.Text, unicode.IsSpace)+1:]
	if danglingWords[strings.ToLower(word)] && countWordsUpTo(a.Text, 2) >= 2 {
		return true
	}
	return unicode.IsLower(first) && countWordsUpTo(a.Text, minBrokenWords) >= minBrokenWords
}
