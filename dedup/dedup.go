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
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"redline/extract"
	"redline/index"
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
	var s Sketch
	hashes := shingleHashes(text, ShingleWords)
	if len(hashes) == 0 {
		return s
	}
	s.Shingles = len(hashes)
	s.Mins = make([]uint32, SketchSize)
	// Four hash functions at a time over all the shingles: the four
	// minima stay in registers instead of being loaded and stored once
	// per shingle and function, which makes this loop, the dedup stage's
	// largest cost, several times faster. The values are those of
	// min over shingles of h_i(shingle), whatever the loop order.
	for i := 0; i+3 < SketchSize; i += 4 {
		a0, a1, a2, a3 := hashA[i], hashA[i+1], hashA[i+2], hashA[i+3]
		b0, b1, b2, b3 := hashB[i], hashB[i+1], hashB[i+2], hashB[i+3]
		m0, m1, m2, m3 := ^uint32(0), ^uint32(0), ^uint32(0), ^uint32(0)
		for _, h := range hashes {
			m0 = min(m0, uint32((h*a0+b0)>>32))
			m1 = min(m1, uint32((h*a1+b1)>>32))
			m2 = min(m2, uint32((h*a2+b2)>>32))
			m3 = min(m3, uint32((h*a3+b3)>>32))
		}
		s.Mins[i], s.Mins[i+1], s.Mins[i+2], s.Mins[i+3] = m0, m1, m2, m3
	}
	return s
}

// TextHash returns a hash of text with runs of white space folded to one
// space and the ends trimmed: two texts that differ only in spacing and line
// breaks hash the same.
func TextHash(text string) string {
	// The folded text: each run of white space becomes one space, and
	// every word is followed by one.
	buf := make([]byte, 0, len(text)+1)
	space := true // at the start, white space is dropped
	for i := 0; i < len(text); {
		r, size := runeAt(text, i)
		i += size
		if isSpace(r) {
			space = true
			continue
		}
		if space && len(buf) > 0 {
			buf = append(buf, ' ')
		}
		space = false
		if r < utf8.RuneSelf {
			buf = append(buf, byte(r))
		} else {
			buf = utf8.AppendRune(buf, r)
		}
	}
	if len(buf) > 0 {
		buf = append(buf, ' ')
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:16])
}

// isSpace is unicode.IsSpace with the ASCII test first.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// BandKeys returns the sketch's LSH band keys ("00a1b2c3d4e5f6", band number
// first), nil when the text is too short to be a near-duplicate.
func (s Sketch) BandKeys() []string {
	if len(s.Mins) != SketchSize || s.Shingles < MinShingles {
		return nil
	}
	keys := make([]string, Bands)
	var buf [4]byte
	for b := range Bands {
		h := uint64(fnvOffset)
		for _, v := range s.Mins[b*BandRows : (b+1)*BandRows] {
			binary.LittleEndian.PutUint32(buf[:], v)
			for _, c := range buf {
				h = (h ^ uint64(c)) * fnvPrime
			}
		}
		keys[b] = fmt.Sprintf("%02x%012x", b, mix64(h)>>16)
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
	buf := binary.AppendUvarint(nil, uint64(s.Shingles))
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
	buf, err := base64.RawStdEncoding.DecodeString(enc)
	if err != nil {
		return Sketch{}, errSketch
	}
	n, k := binary.Uvarint(buf)
	if k <= 0 || len(buf)-k != 4*SketchSize {
		return Sketch{}, errSketch
	}
	s := Sketch{Shingles: int(n), Mins: make([]uint32, SketchSize)}
	for i := range s.Mins {
		s.Mins[i] = binary.LittleEndian.Uint32(buf[k+4*i:])
	}
	return s, nil
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

// shingleHashes returns the distinct 64-bit hashes (FNV-1a) of the text's
// shingles of k words, sorted. A text of fewer than k words (but at least
// one) is one shingle.
func shingleHashes(text string, k int) []uint64 {
	words := wordHashes(text)
	if len(words) == 0 {
		return nil
	}
	n := max(len(words)-k+1, 1)
	out := make([]uint64, 0, n)
	for i := range n {
		h := uint64(fnvOffset)
		for _, w := range words[i:min(i+k, len(words))] {
			for sh := 0; sh < 64; sh += 8 {
				h = (h ^ (w >> sh & 0xff)) * fnvPrime
			}
		}
		out = append(out, mix64(h))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// wordHashes cuts text into words (maximal runs of letters and digits,
// lower-cased; apostrophes inside a word are dropped, so "Kyiv's" is one
// word) and returns a 64-bit hash of each.
func wordHashes(text string) []uint64 {
	var out []uint64
	h, in := uint64(fnvOffset), false
	for i := 0; i < len(text); {
		// ASCII letters and digits, nearly every byte of an English
		// text, are hashed without decoding or case tables.
		if c := text[i]; c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
				h = (h ^ uint64(c)) * fnvPrime
				in = true
				i++
				continue
			}
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
	join := func(strict bool) string {
		var b strings.Builder
		for _, bl := range a.Blocks {
			if bl.Kind == extract.Caption || bl.Kind == extract.Boilerplate {
				continue
			}
			if strict && (bl.Kind == extract.Heading || strings.Contains(bl.Text, "](http") ||
				strings.HasSuffix(bl.Text, "…") || !hasWords(bl.Text, MinBlockWords)) {
				continue
			}
			if b.Len() > 0 {
				b.WriteString("\n\n")
			}
			b.WriteString(bl.Text)
		}
		return b.String()
	}
	for _, strict := range []bool{true, false} {
		if t := join(strict); strings.TrimSpace(t) != "" {
			return t
		}
	}
	return a.Text
}

// runeAt returns the rune at text[i] and its size: ASCII one byte at a
// time, the rest decoded (an invalid byte is U+FFFD, as ranging over the
// string gives it).
func runeAt(text string, i int) (rune, int) {
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(text[i:])
}

// hasWords reports whether text has at least n words as strings.Fields
// cuts them, without making the slice of words.
func hasWords(text string, n int) bool {
	words, space := 0, true
	for i := 0; i < len(text); {
		r, size := runeAt(text, i)
		i += size
		if isSpace(r) {
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
	s := minHash(MainText(a))
	s.TextHash = TextHash(a.Text)
	return s
}

// Finder finds the articles stored earlier by fingerprint (*index.Index
// does): those with the text hash, and the best of those sharing band keys.
type Finder interface {
	Duplicates(textHash string, bands []string, limit int) ([]index.Candidate, error)
}

// Detector is the duplicate detection of one run. It remembers the articles
// of the run that the index cannot show yet: all of them when there is no
// Finder, else those not yet written. A Detector is used from one goroutine.
//
// Articles are checked in batches: Check each article of a batch, then
// Flush when the batch goes to the writer, and Written when the writer has
// stored the oldest batch not yet reported. Until then the Detector keeps
// the batch's articles in memory, so a writer may store a batch while the
// next one is checked, and the decisions do not depend on when it finishes.
type Detector struct {
	finder  Finder            // nil: memory only
	exact   map[string]string // text hash -> doc id
	bands   map[string][]int  // band key -> indexes in entries
	ids     map[string]bool   // doc ids in entries
	entries []entry
	gen     int // the batch being checked; earlier ones are flushed
	written int // batches before this one are written
}

// candidates is how many of the index's best candidates Check verifies: a
// copy shares most band keys with its original and ranks at the top, while
// unrelated articles on the same topic share one or two.
const candidates = 10

type entry struct {
	docID, cluster string
	sketch         Sketch
	bands          []string // sketch.BandKeys(), computed once in Check
	gen            int
}

// New returns a Detector that looks up earlier runs' articles with f; f
// may be nil, and then only the articles of the run count.
func New(f Finder) *Detector {
	d := &Detector{finder: f}
	d.rebuild(nil)
	return d
}

// rebuild sets the lookup tables to hold entries es, in order.
func (d *Detector) rebuild(es []entry) {
	d.exact = map[string]string{}
	d.bands = map[string][]int{}
	d.ids = map[string]bool{}
	d.entries = nil
	for _, e := range es {
		d.remember(e)
	}
}

func (d *Detector) remember(e entry) {
	if _, ok := d.exact[e.sketch.TextHash]; !ok {
		d.exact[e.sketch.TextHash] = e.docID
	}
	d.ids[e.docID] = true
	d.entries = append(d.entries, e)
	for _, k := range e.bands {
		d.bands[k] = append(d.bands[k], len(d.entries)-1)
	}
}

// Flush tells that the articles checked since the last Flush went to the
// writer as one batch.
func (d *Detector) Flush() { d.gen++ }

// Written tells that the oldest flushed batch not yet reported is in the
// index, where the Finder sees its articles: they are forgotten. Without a
// Finder nothing is forgotten.
func (d *Detector) Written() {
	if d.finder == nil || d.written >= d.gen {
		return
	}
	d.written++
	// rebuild drops d.entries before it appends to a new slice, so keep
	// may share its array.
	keep := slices.DeleteFunc(d.entries, func(e entry) bool { return e.gen < d.written })
	d.rebuild(keep)
}

// Reset forgets every article of the run.
func (d *Detector) Reset() { d.rebuild(nil) }

// Check decides about one article with sketch s: dup is true for an exact
// copy of another article (by doc id) that was indexed or checked earlier;
// otherwise it sets the article's fingerprint fields and its Cluster (the
// cluster of the most similar earlier near-duplicate, ties to the smaller
// cluster id, else its own DocID) and remembers it. An error is the
// Finder's.
func (d *Detector) Check(a *index.Article, s Sketch) (dup bool, err error) {
	a.TextHash, a.Bands, a.Sketch = s.TextHash, s.BandKeys(), s.Encode()
	a.Cluster = a.DocID
	if id, ok := d.exact[s.TextHash]; ok && id != a.DocID {
		return true, nil
	}
	best, bestCluster := 0.0, ""
	consider := func(sim float64, cluster string) {
		if sim >= MinContainment && (sim > best || sim == best && cluster < bestCluster) {
			best, bestCluster = sim, cluster
		}
	}
	seen := map[int]bool{}
	for _, k := range a.Bands {
		for _, i := range d.bands[k] {
			if e := &d.entries[i]; !seen[i] && e.docID != a.DocID {
				seen[i] = true
				consider(s.Similarity(e.sketch), e.cluster)
			}
		}
	}
	if d.finder != nil {
		cands, err := d.finder.Duplicates(s.TextHash, a.Bands, candidates)
		if err != nil {
			return false, err
		}
		for _, c := range cands {
			// The article itself (re-ingested), or one whose newer
			// version is in memory, is not a candidate.
			if c.DocID == a.DocID || d.ids[c.DocID] {
				continue
			}
			if c.TextHash == s.TextHash {
				return true, nil
			}
			cs, err := DecodeSketch(c.Sketch)
			if err != nil {
				continue // not ours: no opinion
			}
			consider(s.Similarity(cs), c.Cluster)
		}
	}
	if bestCluster != "" {
		a.Cluster = bestCluster
	}
	d.remember(entry{docID: a.DocID, cluster: a.Cluster, sketch: s, bands: a.Bands, gen: d.gen})
	return false, nil
}
