// Package dedup detects duplicate articles: exact copies and
// near-duplicates of an article's extracted main text. It is the dedup
// stage of an ingest run (package pipeline), in a package of its own so
// that the sketch, the decision and their tests can be read, measured and
// changed without the run around them.
//
// Exact duplicates are found by a hash of the main text with its white space
// folded (TextHash). Near-duplicates (a syndicated copy with a lead-in
// phrase, a changed headline, a dropped paragraph, a truncated copy, light
// rewording) are found with MinHash over word shingles and banded
// locality-sensitive hashing (Broder 1997; Leskovec, Rajaraman and Ullman,
// "Mining of Massive Datasets", ch. 3):
//
//   - the text is lower-cased and cut into words (letters and digits); every
//     run of ShingleWords consecutive words is one shingle, hashed to 64 bits;
//   - the sketch keeps, for each of SketchSize hash functions (multiply-shift
//     on the shingle hash), the smallest hash of any shingle: two sketches agree at a position with probability
//     equal to the Jaccard similarity |A∩B|/|A∪B| of the shingle sets;
//   - the first Bands*BandRows values are cut into Bands bands; each band
//     hashes to one key, stored with the article, so that candidates are
//     found with term queries (two texts share a band key with probability
//     1-(1-J^r)^b) and then verified on the whole sketch.
//
// Why MinHash and not SimHash: SimHash estimates the cosine of weighted
// feature vectors, and a copy truncated to 60% keeps only cos ≈ √0.6 ≈ 0.77
// of the original, about as far (in Hamming distance) as a 20%-reworded text
// and not much nearer than an unrelated article on the same topic. MinHash
// with the shingle counts stored next to the sketch also estimates
// containment |A∩B|/min(|A|,|B|), which is 1 for a truncated copy whatever
// its length. dedup_test.go measures both on a labelled set of copies (see
// TestNearDuplicateQuality and TestSimHashBaseline). No maintained Go module
// for either is served to this project (only 2017-era MinHash packages), so
// this file implements a small one.
//
// Everything here is deterministic: the hash functions are fixed, so sketches
// and band keys stored in an index by one run are valid for the next.
package dedup

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"math"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"redline/extract"
)

// Parameters of the sketch and of the near-duplicate decision, chosen by
// measurement (dedup_test.go; the README's compare section gives the
// figures). Changing ShingleWords, SketchSize, Bands or BandRows changes the
// sketches: an index written with other values must be rebuilt.
const (
	// ShingleWords is the number of words in one shingle.
	ShingleWords = 3
	// SketchSize is the number of MinHash values in a sketch.
	SketchSize = 128
	// Bands and BandRows cut the sketch into LSH bands: Bands keys of
	// BandRows values each (the first Bands*BandRows values are used).
	Bands    = 32
	BandRows = 2

	// MinContainment is the estimated containment |A∩B|/min(|A|,|B|) at
	// or above which two texts are near-duplicates.
	MinContainment = 0.4
	// MinSizeRatio is the smallest ratio of the two shingle counts for
	// which containment alone decides: a 60-word brief is not a copy of a
	// 2,000-word article because the article quotes it. Below it the
	// Jaccard similarity must reach MinContainment too.
	MinSizeRatio = 0.3
	// MinShingles is the smallest text (in distinct shingles) that can be
	// a near-duplicate; shorter texts are only ever exact duplicates.
	MinShingles = 8
)

// Sketch is the fingerprint of one text for duplicate detection.
type Sketch struct {
	// TextHash is a hash of the text with white space folded: equal for
	// exact duplicates.
	TextHash string
	// Shingles is the number of distinct shingles of the text.
	Shingles int
	// Mins holds the MinHash values; nil for a text without words.
	Mins []uint32
}

// NewSketch fingerprints text (an article's extracted main text).
func NewSketch(text string) Sketch {
	s := minHash(text)
	s.TextHash = TextHash(text)
	return s
}

// minHash is the sketch of text without its TextHash.
func minHash(text string) Sketch {
	return sketchWords(appendWordHashes(make([]uint64, 0, wordsCap(len(text))), text))
}

// wordsCap is a capacity for the word hashes of n bytes of text that is
// rarely exceeded: English averages over five bytes a word with its space.
func wordsCap(n int) int { return n/4 + 4 }

// sketchWords is the sketch (without TextHash) of a text with word hashes
// words, which it overwrites with the text's shingle hashes.
func sketchWords(words []uint64) Sketch {
	hashes := shingleSet(words)
	if len(hashes) == 0 {
		return Sketch{}
	}
	s := Sketch{Shingles: len(hashes), Mins: make([]uint32, SketchSize)}
	fillMins(s.Mins, hashes)
	return s
}

// fillMins sets mins[i] to the smallest h_i(x) over the hashes x, for the
// SketchSize hash functions h_i(x) = (a_i·x + b_i) >> 32.
func fillMins(mins []uint32, hashes []uint64) {
	mins = mins[:SketchSize]
	// Four hash functions at a time, over four shingles at a time: the
	// four minima stay in registers, and the sixteen products of a step
	// are independent, so the multiplier is kept busy (a third faster
	// than one shingle a step). The minimum is taken of the whole 64-bit
	// a_i·x + b_i and shifted once at the end: x ↦ x>>32 keeps order, so
	// the minimum's top half is the minimum of the top halves.
	for i := 0; i+3 < SketchSize; i += 4 {
		a0, a1, a2, a3 := hashA[i], hashA[i+1], hashA[i+2], hashA[i+3]
		b0, b1, b2, b3 := hashB[i], hashB[i+1], hashB[i+2], hashB[i+3]
		m0, m1, m2, m3 := ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)
		j := 0
		for ; j+3 < len(hashes); j += 4 {
			h, g, k, l := hashes[j], hashes[j+1], hashes[j+2], hashes[j+3]
			m0 = min(m0, h*a0+b0, g*a0+b0, k*a0+b0, l*a0+b0)
			m1 = min(m1, h*a1+b1, g*a1+b1, k*a1+b1, l*a1+b1)
			m2 = min(m2, h*a2+b2, g*a2+b2, k*a2+b2, l*a2+b2)
			m3 = min(m3, h*a3+b3, g*a3+b3, k*a3+b3, l*a3+b3)
		}
		for _, h := range hashes[j:] {
			m0 = min(m0, h*a0+b0)
			m1 = min(m1, h*a1+b1)
			m2 = min(m2, h*a2+b2)
			m3 = min(m3, h*a3+b3)
		}
		mins[i], mins[i+1], mins[i+2], mins[i+3] = uint32(m0>>32), uint32(m1>>32), uint32(m2>>32), uint32(m3>>32)
	}
}

// TextHash returns a hash of text with runs of white space folded to one
// space and the ends trimmed: two texts that differ only in spacing and line
// breaks hash the same.
func TextHash(text string) string {
	// The folded text, each run of white space one space and every word
	// followed by one, is hashed as it is made, a chunk at a time, not
	// built whole. An invalid UTF-8 byte is folded to U+FFFD, as ranging
	// over the string gives it.
	f := folder{d: sha256.New(), space: true} // at the start, white space is dropped
	for i := 0; i < len(text); {
		// The run of characters kept as they are and of single spaces,
		// a paragraph or so: a byte-by-byte test that hardly ever fails
		// (a branch taken at every space would often be mispredicted).
		j := i
		for j < len(text) {
			c := text[j]
			if c < utf8.RuneSelf {
				if c-'\t' <= '\r'-'\t' || j+1 < len(text) && uint16(c)|uint16(text[j+1])<<8 == ' '|' '<<8 {
					break
				}
				j++
			} else if n := kept(text, j); n > 0 {
				j += n
			} else {
				break
			}
		}
		f.addSpaced(text[i:j])
		if j == len(text) {
			break
		}
		if text[j] == ' ' {
			f.space = true
			i = j + 1
			continue
		}
		// Other white space, or an invalid byte.
		r, size := utf8.DecodeRuneInString(text[j:])
		if r == utf8.RuneError && size == 1 {
			f.addSpaced(string(utf8.RuneError))
		} else {
			f.space = true
		}
		i = j + size
	}
	if f.any {
		f.add(" ")
	}
	f.d.Write(f.buf[:f.n])
	var sum [sha256.Size]byte
	return hex.EncodeToString(f.d.Sum(sum[:0])[:16])
}

// kept returns the length of the character at text[i] when TextHash keeps
// it as it is, 0 when it is white space or an invalid UTF-8 byte.
func kept(text string, i int) int {
	if c := text[i]; c < utf8.RuneSelf {
		if c == ' ' || '\t' <= c && c <= '\r' {
			return 0
		}
		return 1
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if r == utf8.RuneError && size == 1 || unicode.IsSpace(r) {
		return 0
	}
	return size
}

// folder feeds TextHash's folded text to the digest a chunk at a time.
type folder struct {
	d     hash.Hash
	buf   [1024]byte
	n     int  // bytes in buf
	any   bool // anything added yet
	space bool // white space since the last character added
}

// addSpaced adds s, which holds no white space but single spaces: a
// space at either end folds with the white space around it.
func (f *folder) addSpaced(s string) {
	if s == "" {
		return
	}
	if s[0] == ' ' {
		f.space = true
		s = s[1:]
	}
	trailing := s != "" && s[len(s)-1] == ' '
	if trailing {
		s = s[:len(s)-1]
	}
	if s != "" {
		if f.space && f.any {
			f.add(" ")
		}
		f.add(s)
		f.space = false
	}
	f.space = f.space || trailing
}

// add adds s as it is.
func (f *folder) add(s string) {
	f.any = true
	for {
		k := copy(f.buf[f.n:], s)
		f.n += k
		if k == len(s) {
			return
		}
		f.d.Write(f.buf[:])
		f.n = 0
		s = s[k:]
	}
}

// BandKeys returns the sketch's LSH band keys ("00a1b2c3d4e5f6", band number
// first), nil when the text is too short to be a near-duplicate.
func (s Sketch) BandKeys() []string {
	var hs [Bands]uint64
	if !s.bandHashes(&hs) {
		return nil
	}
	return bandStrings(&hs)
}

// bandKeyLen is the length of a band key: the band number in two hex
// digits, then 48 bits of the band's hash in twelve.
const bandKeyLen = 14

// bandHashes sets hs to the band keys as numbers, the band number in the
// top byte of 56 bits and the band's hash below (the key is the number in
// bandKeyLen hex digits), and reports whether the sketch has band keys.
func (s Sketch) bandHashes(hs *[Bands]uint64) bool {
	if len(s.Mins) != SketchSize || s.Shingles < MinShingles {
		return false
	}
	for b := range Bands {
		// FNV-1a over the band's values, little-endian.
		h := uint64(fnvOffset)
		for _, v := range s.Mins[b*BandRows : (b+1)*BandRows] {
			for range 4 {
				h = (h ^ uint64(v&0xff)) * fnvPrime
				v >>= 8
			}
		}
		hs[b] = uint64(b)<<48 | mix64(h)>>16
	}
	return true
}

// bandStrings formats band keys made by bandHashes, all in one string.
func bandStrings(hs *[Bands]uint64) []string {
	const digits = "0123456789abcdef"
	var buf [Bands * bandKeyLen]byte
	for b, h := range hs {
		k := buf[b*bandKeyLen : (b+1)*bandKeyLen]
		for i := bandKeyLen - 1; i >= 0; i-- {
			k[i] = digits[h&0xf]
			h >>= 4
		}
	}
	all := string(buf[:])
	keys := make([]string, Bands)
	for b := range keys {
		keys[b] = all[b*bandKeyLen : (b+1)*bandKeyLen]
	}
	return keys
}

// Jaccard estimates the Jaccard similarity of the two texts' shingle sets:
// the share of sketch positions where they agree. It is 0 when either text
// has no words.
func (s Sketch) Jaccard(o Sketch) float64 {
	if len(s.Mins) != SketchSize || len(o.Mins) != SketchSize {
		return 0
	}
	eq := 0
	for i, v := range s.Mins {
		if o.Mins[i] == v {
			eq++
		}
	}
	return float64(eq) / SketchSize
}

// Containment estimates |A∩B|/min(|A|,|B|), the share of the smaller text's
// shingles found in the other, from the Jaccard estimate and the shingle
// counts: |A∩B| = J(|A|+|B|)/(1+J).
func (s Sketch) Containment(o Sketch) float64 {
	j := s.Jaccard(o)
	small := min(s.Shingles, o.Shingles)
	if j == 0 || small == 0 {
		return 0
	}
	c := j * float64(s.Shingles+o.Shingles) / ((1 + j) * float64(small))
	return min(c, 1)
}

// Similarity is the score the near-duplicate decision compares with
// MinContainment: the estimated containment when the two texts are of
// comparable size (ratio at least MinSizeRatio), else the Jaccard estimate.
// Texts shorter than MinShingles score 0.
func (s Sketch) Similarity(o Sketch) float64 {
	small, large := min(s.Shingles, o.Shingles), max(s.Shingles, o.Shingles)
	if small < MinShingles {
		return 0
	}
	if float64(small) >= MinSizeRatio*float64(large) {
		return s.Containment(o)
	}
	return s.Jaccard(o)
}

// NearDuplicate reports whether o is a near-duplicate of s (Similarity at
// least MinContainment). Exact duplicates are near-duplicates too.
func (s Sketch) NearDuplicate(o Sketch) bool {
	return s.Similarity(o) >= MinContainment
}

// Encode returns the sketch's shingle count and MinHash values as a compact
// string (base64), for storing with the article.
func (s Sketch) Encode() string {
	if len(s.Mins) == 0 {
		return ""
	}
	buf := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+4*SketchSize), uint64(s.Shingles))
	for _, v := range s.Mins {
		buf = binary.LittleEndian.AppendUint32(buf, v)
	}
	return base64.RawStdEncoding.EncodeToString(buf)
}

// errSketch is returned by DecodeSketch for a malformed string.
var errSketch = errors.New("malformed sketch")

// DecodeSketch parses what Encode returned; TextHash is left empty.
func DecodeSketch(enc string) (Sketch, error) {
	if enc == "" {
		return Sketch{}, nil
	}
	s, _, err := decodeSketch(enc, nil, make([]uint32, SketchSize))
	return s, err
}

// decodeSketch is DecodeSketch of a non-empty enc into mins (SketchSize
// values), with buf's array for the decoded bytes when it is large enough;
// it returns the buffer it used, for the next call.
func decodeSketch(enc string, buf []byte, mins []uint32) (Sketch, []byte, error) {
	n := base64.RawStdEncoding.DecodedLen(len(enc))
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := base64.RawStdEncoding.Decode(buf, []byte(enc)); err != nil {
		return Sketch{}, buf, errSketch
	}
	v, k := binary.Uvarint(buf)
	// A count beyond int would turn negative: not a count Encode wrote.
	if k <= 0 || v > math.MaxInt || len(buf)-k != 4*SketchSize {
		return Sketch{}, buf, errSketch
	}
	s := Sketch{Shingles: int(v), Mins: mins[:SketchSize]}
	for i := range s.Mins {
		s.Mins[i] = binary.LittleEndian.Uint32(buf[k+4*i:])
	}
	return s, buf, nil
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashA and hashB define the SketchSize hash functions, multiply-shift
// (Dietzfelbinger): h_i(x) = (a_i·x + b_i) >> 32 with a_i odd, a universal
// family; applied to shingle hashes that are already well mixed, and one
// multiplication each, four times cheaper than re-mixing every value.
var hashA, hashB = func() (a, b [SketchSize]uint64) {
	for i := range a {
		a[i] = mix64(uint64(2*i+1)*0x9e3779b97f4a7c15) | 1
		b[i] = mix64(uint64(2*i+2) * 0x9e3779b97f4a7c15)
	}
	return a, b
}()

// mix64 is the SplitMix64 finaliser: a fast bijective mixer whose output
// bits all depend on all input bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// shingleSet turns words, the word hashes of a text, into the distinct
// 64-bit hashes of its shingles of ShingleWords words (FNV-1a over the
// words' hashes, little-endian, then mix64), in no particular order, in
// words' own array. A text of fewer than ShingleWords words (but at least
// one) is one shingle.
func shingleSet(words []uint64) []uint64 {
	if len(words) == 0 {
		return nil
	}
	if len(words) < ShingleWords {
		h := uint64(fnvOffset)
		for _, w := range words {
			h = fnvWord(h, w)
		}
		words[0] = mix64(h)
		return words[:1]
	}
	// Shingle i reads words i to i+ShingleWords-1 and is written over
	// word i, which no later shingle reads; four at a time, shingles i to
	// i+3 are written once all four are hashed.
	n := len(words) - ShingleWords + 1
	i := 0
	for ; i+3 < n; i += 4 {
		h0, h1, h2, h3 := fnv4((*[ShingleWords + 3]uint64)(words[i:]))
		words[i], words[i+1], words[i+2], words[i+3] = mix64(h0), mix64(h1), mix64(h2), mix64(h3)
	}
	for ; i < n; i++ {
		h := uint64(fnvOffset)
		for _, w := range words[i : i+ShingleWords] {
			h = fnvWord(h, w)
		}
		words[i] = mix64(h)
	}
	return distinct(words[:n])
}

// fnv4 returns the FNV-1a hashes of the four shingles that start at w[0],
// w[1], w[2] and w[3], as fnvWord over their words gives them. Each is a
// chain of 8·ShingleWords dependent multiplications: four chains side by
// side take hardly longer than one.
func fnv4(w *[ShingleWords + 3]uint64) (h0, h1, h2, h3 uint64) {
	h0, h1, h2, h3 = fnvOffset, fnvOffset, fnvOffset, fnvOffset
	for k := range ShingleWords {
		x0, x1, x2, x3 := w[k], w[k+1], w[k+2], w[k+3]
		for range 8 {
			h0 = (h0 ^ x0&0xff) * fnvPrime
			h1 = (h1 ^ x1&0xff) * fnvPrime
			h2 = (h2 ^ x2&0xff) * fnvPrime
			h3 = (h3 ^ x3&0xff) * fnvPrime
			x0, x1, x2, x3 = x0>>8, x1>>8, x2>>8, x3>>8
		}
	}
	return h0, h1, h2, h3
}

// fnvWord is FNV-1a state h after the eight bytes of w, low byte first.
func fnvWord(h, w uint64) uint64 {
	for range 8 {
		h = (h ^ w&0xff) * fnvPrime
		w >>= 8
	}
	return h
}

// distinct moves the distinct values of hs, in the order of their first
// occurrence, to the front of hs and returns them. The values are hashes
// (mix64 output): their top bits index an open-addressing table at most
// half full, in less than half the time of sorting them. The table holds
// the position of a value in hs, not the value: half the memory to clear
// and probe.
func distinct(hs []uint64) []uint64 {
	if len(hs) < 2 {
		return hs
	}
	shift := 64 - bits.Len(uint(2*len(hs)-1))
	table := make([]uint32, 1<<(64-shift)) // 0: empty, else 1 + the position in hs
	mask := len(table) - 1
	n := 0
	for _, h := range hs {
		for j := int(h >> shift); ; j = (j + 1) & mask {
			t := table[j]
			if t == 0 {
				table[j] = uint32(n + 1)
				// n is never past the value being read: only values
				// already read are overwritten.
				hs[n] = h
				n++
				break
			}
			if hs[t-1] == h {
				break
			}
		}
	}
	return hs[:n]
}

// appendWordHashes cuts text into words (maximal runs of letters and
// digits, lower-cased; apostrophes inside a word are dropped, so "Kyiv's"
// is one word), appends a 64-bit hash (FNV-1a of its UTF-8 bytes) of each to
// out and returns it.
func appendWordHashes(out []uint64, text string) []uint64 {
	h, in := uint64(fnvOffset), false
	for i := 0; i < len(text); {
		// ASCII letters, digits, spaces and punctuation, nearly every
		// byte of an English text, are handled without decoding or case
		// tables.
		c := text[i]
		if l := asciiWord[c]; l != 0 {
			h = (h ^ uint64(l)) * fnvPrime
			in = true
			i++
			continue
		}
		if c < utf8.RuneSelf && c != '\'' {
			if in {
				out = append(out, h)
				h, in = fnvOffset, false
			}
			i++
			continue
		}
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
			// inside a word: "Kyiv's" and "Kyiv’s" are the same word
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

// asciiWord maps an ASCII letter or digit to itself lower-cased, every
// other byte to 0.
var asciiWord = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = byte(c), byte(c)
	}
	return t
}()

// MinBlockWords is the fewest words a block needs to count in MainText.
// Navigation, "related" links, bylines and datelines are short lines; the
// text stage does not catch all of them on crawled pages, and two different
// pages of one site share most of them.
const MinBlockWords = 12

// MainText is the text an article's near-duplicate sketch is made of: its
// paragraphs, quotes and list items of at least MinBlockWords words, leaving
// out headings (a copy's changed headline, and the headlines of "related"
// articles on crawled pages), captions, boilerplate, blocks that hold a
// Markdown link ("[title](https://…)": link lists of crawled pages) and
// blocks that end in "…" (teasers of other articles). When no block is left
// it is all blocks but captions and boilerplate, and when none of those
// either, the whole text.
func MainText(a extract.Article) string {
	return strings.Join(mainBlocks(a), "\n\n")
}

// mainBlocks returns the texts MainText joins with blank lines: the
// blocks it keeps, or the whole text alone.
func mainBlocks(a extract.Article) []string {
	var out []string
	for _, bl := range a.Blocks {
		// The tests are those of MainText's definition, the cheapest
		// first: hasWords stops at the twelfth word.
		if bl.Kind == extract.Caption || bl.Kind == extract.Boilerplate || bl.Kind == extract.Heading ||
			strings.HasSuffix(bl.Text, "…") || !hasWords(bl.Text, MinBlockWords) || strings.Contains(bl.Text, "](http") {
			continue
		}
		out = append(out, bl.Text)
	}
	if len(out) > 0 {
		return out // blocks of words are never blank
	}
	blank := true
	for _, bl := range a.Blocks {
		// MainText's joining puts a blank line between two blocks, not
		// before the first: empty blocks before it do not count.
		if bl.Kind == extract.Caption || bl.Kind == extract.Boilerplate || len(out) == 0 && bl.Text == "" {
			continue
		}
		out = append(out, bl.Text)
		blank = blank && strings.TrimSpace(bl.Text) == ""
	}
	if blank {
		return []string{a.Text}
	}
	return out
}

// hasWords reports whether text has at least n words as strings.Fields
// cuts them, without making the slice of words.
func hasWords(text string, n int) bool {
	words, space := 0, true
	for i := 0; i < len(text); {
		c := text[i]
		var white bool
		if c < utf8.RuneSelf {
			white = c == ' ' || '\t' <= c && c <= '\r'
			i++
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			white = unicode.IsSpace(r)
			i += size
		}
		if white {
			space = true
		} else if space {
			space = false
			if words++; words >= n {
				return true
			}
		}
	}
	return false
}

// SketchArticle fingerprints an extracted article: TextHash of its whole
// text (exact copies), MinHash of its MainText (near-duplicates). A copy
// with another headline is thus a near-duplicate, not an exact one.
func SketchArticle(a extract.Article) Sketch {
	// The words of MainText are those of its blocks one after the other:
	// the blank line that joins two blocks ends a word, as a block's end
	// does. So they are hashed block by block, without joining them.
	texts := mainBlocks(a)
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	words := make([]uint64, 0, wordsCap(n))
	for _, t := range texts {
		words = appendWordHashes(words, t)
	}
	s := sketchWords(words)
	s.TextHash = TextHash(a.Text)
	return s
}
