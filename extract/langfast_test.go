package extract

import (
	"strings"
	"testing"
	"unicode"
)

// refEnglishShare is englishShare as it read before reading ASCII a byte
// at a time and lowering words into a buffer.
func refEnglishShare(text string) (share float64, words int) {
	hits := 0
	for w := range strings.FieldsFuncSeq(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }) {
		w = strings.Trim(w, "'’")
		if w == "" {
			continue
		}
		words++
		if englishWords[strings.ToLower(w)] {
			hits++
		}
		if words == englishSample {
			break
		}
	}
	if words == 0 {
		return 0, 0
	}
	return float64(hits) / float64(words), words
}

func checkEnglishShare(t *testing.T, text string) {
	t.Helper()
	share, words := englishShare(text)
	wantShare, wantWords := refEnglishShare(text)
	if share != wantShare || words != wantWords {
		t.Errorf("englishShare(%q) = %v of %d words, reference %v of %d", text, share, words, wantShare, wantWords)
	}
}

// englishShareCases reach the corners of the word reading: apostrophes of
// both kinds at the ends and inside, letters beyond ASCII (upper-case ones
// whose lower case is ASCII, like "İ" and the Kelvin sign), invalid bytes,
// digits and punctuation only.
var englishShareCases = []string{
	"", " ", "'", "’", "''’’", "...!?", "1234 5678", "\xff\xfe", "the\xffthe", "THE The tHe",
	"'the' ’the’ ‘the’ don't don’t they’re ’’and’’", "İTS İts", "\u212aelvin WHİCH", "ǅ ǈ ǋ", "ΣΟΦΙΑ the",
	"Они ушли. The cat and the dog", "Straße ÉCOLE and", "a_b the-of with/from", "the\u00a0of\u2028and",
	"µ the ª of º and", "abcdefgthe thereabouts THEIR—the,of’s the’ ’the x'the the'", "the", "of", strings.Repeat("the ", englishSample+3), strings.Repeat("x ", englishSample) + "the",
}

func TestEnglishShareMatchesReference(t *testing.T) {
	for _, s := range englishShareCases {
		checkEnglishShare(t, s)
	}
}

// TestEnglishShareMatchesReferenceOnBulk holds englishShare to its
// reference on every text of the bulk dump, and on each text's first and
// last few hundred bytes (cuts that may split a rune).
func TestEnglishShareMatchesReferenceOnBulk(t *testing.T) {
	for _, text := range bulkTexts(t) {
		checkEnglishShare(t, text)
		checkEnglishShare(t, text[:min(len(text), 301)])
		checkEnglishShare(t, text[max(0, len(text)-301):])
		if t.Failed() {
			return
		}
	}
}

// FuzzEnglishShareMatchesReference holds englishShare to its reference on
// any text.
func FuzzEnglishShareMatchesReference(f *testing.F) {
	for _, s := range englishShareCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkEnglishShare(t, s)
	})
}

// BenchmarkEnglishShare is IsEnglish on every text of the bulk dump, most
// of its time the English share of the first thousand words.
func BenchmarkEnglishShare(b *testing.B) {
	texts := bulkTexts(b)
	b.SetBytes(textBytes(texts))
	b.ReportAllocs()
	english := 0
	for b.Loop() {
		english = 0
		for _, s := range texts {
			if IsEnglish(Article{Text: s}) {
				english++
			}
		}
	}
	b.ReportMetric(float64(english), "english")
}
