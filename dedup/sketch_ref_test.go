package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"redline/internal/textgen"
)

// The fast paths of TextHash, wordHashes, hasWords and the MinHash loop
// must give exactly what the plain definitions give: sketches and hashes
// are stored in indexes and compared with those of later runs.

// refTextHash is TextHash as defined: ranging over runes, unicode.IsSpace.
func refTextHash(text string) string {
	buf := make([]byte, 0, len(text)+1)
	space := true
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(buf) > 0 {
			buf = append(buf, ' ')
		}
		space = false
		buf = utf8.AppendRune(buf, r)
	}
	if len(buf) > 0 {
		buf = append(buf, ' ')
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:16])
}

// refWordHashes is wordHashes as defined: every rune decoded, lower-cased
// through the case tables.
func refWordHashes(text string) []uint64 {
	var out []uint64
	h, in := uint64(fnvOffset), false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
			var b [utf8.UTFMax]byte
			n := utf8.EncodeRune(b[:], r)
			for _, c := range b[:n] {
				h = (h ^ uint64(c)) * fnvPrime
			}
			in = true
		case in && (r == '\'' || r == '’') && i < len(text):
			next, _ := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(next) {
				out = append(out, h)
				h, in = fnvOffset, false
			}
		default:
			if in {
				out = append(out, h)
				h, in = fnvOffset, false
			}
		}
	}
	if in {
		out = append(out, h)
	}
	return out
}

// refMins is the MinHash loop as defined: every shingle against every
// hash function in turn.
func refMins(text string) (int, []uint32) {
	hashes := shingleHashes(text, ShingleWords)
	if len(hashes) == 0 {
		return 0, nil
	}
	mins := make([]uint32, SketchSize)
	for i := range mins {
		mins[i] = ^uint32(0)
	}
	for _, h := range hashes {
		for i := range mins {
			if v := uint32((h*hashA[i] + hashB[i]) >> 32); v < mins[i] {
				mins[i] = v
			}
		}
	}
	return len(hashes), mins
}

func checkAgainstReference(t *testing.T, text string) {
	t.Helper()
	if got, want := TextHash(text), refTextHash(text); got != want {
		t.Fatalf("TextHash(%q) = %s, want %s", text, got, want)
	}
	if got, want := wordHashes(text), refWordHashes(text); !slices.Equal(got, want) {
		t.Fatalf("wordHashes(%q) = %v, want %v", text, got, want)
	}
	for _, n := range []int{1, 2, MinBlockWords} {
		if got, want := hasWords(text, n), len(strings.Fields(text)) >= n; got != want {
			t.Fatalf("hasWords(%q, %d) = %v, want %v", text, n, got, want)
		}
	}
	s := NewSketch(text)
	n, mins := refMins(text)
	if s.Shingles != n || !slices.Equal(s.Mins, mins) || s.TextHash != refTextHash(text) {
		t.Fatalf("NewSketch(%q) = %+v, want %d shingles, mins %v", text, s, n, mins)
	}
}

func TestFastPathsMatchDefinitions(t *testing.T) {
	texts := []string{
		"", " ", "a", "Kyiv's forces", "Kyiv’s FORCES won't", "it'", "x'y",
		"\t\n\v\f\r tabs\u00a0and\u0085nbsp\u2003em", "ÀÉÎ çà Ωμέγα İstanbul ǅ",
		"bad \xff byte\xc3 and \xe2\x80 cut", "2024-02-24 at 05:00, 1,000 troops.",
	}
	r := rand.New(rand.NewPCG(5, 5))
	for range 20 {
		texts = append(texts, textgen.JoinParas(textgen.Article(r)))
	}
	for _, text := range texts {
		checkAgainstReference(t, text)
	}
}

func FuzzFastPathsMatchDefinitions(f *testing.F) {
	f.Add("Kyiv’s FORCES won't \xff cede\u00a0land")
	f.Add("ǅ İ ß ﬁ 123")
	f.Fuzz(func(t *testing.T, text string) {
		checkAgainstReference(t, text)
	})
}
