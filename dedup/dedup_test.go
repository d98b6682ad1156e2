package dedup

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"redline/internal/textgen"
)

func TestTextHashFoldsWhiteSpace(t *testing.T) {
	a := TextHash("Moscow demands  neutrality.\n\nKyiv refuses.")
	if b := TextHash("  Moscow demands neutrality.\nKyiv\trefuses.  "); a != b {
		t.Errorf("white space changed the hash: %s vs %s", a, b)
	}
	if b := TextHash("Moscow demands neutrality. Kyiv refuses!"); a == b {
		t.Error("a changed character kept the hash")
	}
	if TextHash("") != TextHash(" \n ") {
		t.Error("empty and blank texts differ")
	}
}

func TestWordsAndShingles(t *testing.T) {
	w := func(s string) int { return len(appendWordHashes(nil, s)) }
	for s, want := range map[string]int{
		"":                         0,
		"Kyiv's red line.":         3,
		"Kyiv’s RED line":          3,
		"1,000 troops — withdrawn": 4,
		"'quoted' word":            2,
		"Zelenskyy":                1,
	} {
		if got := w(s); got != want {
			t.Errorf("words(%q) = %d, want %d", s, got, want)
		}
	}
	if !slices.Equal(appendWordHashes(nil, "Kyiv's"), appendWordHashes(nil, "KYIV’S")) {
		t.Error("case or apostrophe changed a word")
	}
	if n := len(shingleSet(appendWordHashes(nil, "one two"))); n != 1 {
		t.Errorf("a text shorter than a shingle has %d shingles, want 1", n)
	}
	if n := len(shingleSet(appendWordHashes(nil, "a b c a b c a b c"))); n != 3 {
		t.Errorf("repeated shingles counted %d times, want 3 distinct", n)
	}
}

// exactJaccard and exactContainment compute the true values from the
// shingle sets.
func exactJaccard(a, b string) (j, c float64) {
	sa, sb := refShingleHashes(a, ShingleWords), refShingleHashes(b, ShingleWords)
	inter := 0
	for _, h := range sa {
		if _, ok := slices.BinarySearch(sb, h); ok {
			inter++
		}
	}
	union := len(sa) + len(sb) - inter
	return float64(inter) / float64(union), float64(inter) / float64(min(len(sa), len(sb)))
}

// TestSketchEstimates checks that the MinHash estimates are unbiased and as
// precise as theory says: the standard error of a Jaccard estimate from k
// values is sqrt(J(1-J)/k), 0.044 at J=0.5 for k=128.
func TestSketchEstimates(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var sumErr, sumSq float64
	n := 0
	for i := range 200 {
		base := textgen.JoinParas(textgen.Article(r))
		var other string
		switch i % 4 {
		case 0:
			other = textgen.Substitute(r, base, 0.1)
		case 1:
			other = textgen.TruncateWords(base, 0.5)
		case 2:
			other = textgen.Substitute(r, base, 0.3)
		default:
			other = textgen.JoinParas(textgen.Article(r))
		}
		j, c := exactJaccard(base, other)
		sa, sb := NewSketch(base), NewSketch(other)
		ej, ec := sa.Jaccard(sb), sa.Containment(sb)
		if math.Abs(ej-j) > 0.2 || math.Abs(ec-c) > 0.25 {
			t.Errorf("case %d: estimate J=%.2f C=%.2f, exact J=%.2f C=%.2f", i, ej, ec, j, c)
		}
		sumErr += ej - j
		sumSq += (ej - j) * (ej - j)
		n++
	}
	bias, rmse := sumErr/float64(n), math.Sqrt(sumSq/float64(n))
	t.Logf("Jaccard estimate over %d pairs: bias %+.4f, RMSE %.4f", n, bias, rmse)
	if math.Abs(bias) > 0.015 || rmse > 0.05 {
		t.Errorf("bias %.4f, RMSE %.4f: want |bias| <= 0.015, RMSE <= 0.05", bias, rmse)
	}
}

func TestSketchEncodeAndBands(t *testing.T) {
	text := textgen.JoinParas(textgen.Article(rand.New(rand.NewPCG(3, 4))))
	s := NewSketch(text)
	d, err := DecodeSketch(s.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if d.Shingles != s.Shingles || !slices.Equal(d.Mins, s.Mins) {
		t.Error("Encode/DecodeSketch lost something")
	}
	for _, bad := range []string{"!!", "AAAA", s.Encode()[:100]} {
		if _, err := DecodeSketch(bad); err == nil {
			t.Errorf("DecodeSketch(%q) did not fail", bad)
		}
	}
	if e, err := DecodeSketch(""); err != nil || e.Mins != nil {
		t.Errorf("DecodeSketch(\"\") = %v, %v", e, err)
	}
	keys := s.BandKeys()
	if len(keys) != Bands {
		t.Fatalf("%d band keys, want %d", len(keys), Bands)
	}
	for i, k := range keys {
		if !strings.HasPrefix(k, fmt.Sprintf("%02x", i)) || len(k) != 14 {
			t.Errorf("band key %d = %q", i, k)
		}
	}
	if !slices.Equal(keys, NewSketch(text).BandKeys()) {
		t.Error("band keys are not deterministic")
	}
	// Sketches are stored in indexes: a change of hashing must be noticed.
	if got, want := NewSketch("Moscow demands that Kyiv give up its bid to join NATO.").BandKeys()[0], "004c8da7faca66"; got != want {
		t.Errorf("band key 0 = %q, want %q: the hashing changed, and indexes written before must be rebuilt", got, want)
	}
	if NewSketch("Too short.").BandKeys() != nil {
		t.Error("a text below MinShingles has band keys")
	}
	if NewSketch("").Mins != nil || NewSketch("").Encode() != "" {
		t.Error("an empty text has a sketch")
	}
}

// pairScores scores every labelled pair of the set with score: the pairs
// (original, copy) are positive, pairs of documents of different families
// negative; two copies of one original are not labelled.
type pairScore struct {
	score float64
	pos   bool
	edit  string
}

func pairScores(docs []textgen.Doc, score func(i, j int) float64) []pairScore {
	var out []pairScore
	for i := range docs {
		for j := i + 1; j < len(docs); j++ {
			a, b := docs[i], docs[j]
			switch {
			case a.Family != b.Family:
				out = append(out, pairScore{score(i, j), false, ""})
			case a.Edit == "" || b.Edit == "":
				out = append(out, pairScore{score(i, j), true, a.Edit + b.Edit})
			}
		}
	}
	return out
}

// prAt returns precision, recall and per-edit recall of the decision
// score >= threshold (or <= threshold when below).
func prAt(ps []pairScore, threshold float64, below bool) (p, r float64, perEdit map[string]float64) {
	tp, fp, fn := 0, 0, 0
	hit, all := map[string]int{}, map[string]int{}
	for _, s := range ps {
		yes := s.score >= threshold
		if below {
			yes = s.score <= threshold
		}
		switch {
		case s.pos && yes:
			tp++
			hit[s.edit]++
		case s.pos:
			fn++
		case yes:
			fp++
		}
		if s.pos {
			all[s.edit]++
		}
	}
	perEdit = map[string]float64{}
	for e, n := range all {
		perEdit[e] = float64(hit[e]) / float64(n)
	}
	p = 1
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	return p, float64(tp) / float64(tp+fn), perEdit
}

func logPerEdit(t *testing.T, perEdit map[string]float64) {
	t.Helper()
	for _, e := range textgen.Edits {
		t.Logf("    %-22s recall %.3f", e.Name, perEdit[e.Name])
	}
}

// TestNearDuplicateQuality measures the near-duplicate decision
// (Sketch.NearDuplicate) on a labelled set of 100 generated originals with
// one copy per edit each (800 positive pairs) and 20 pairs of unrelated
// articles that share a quoted paragraph, against every pair of documents
// of different families (over 190,000 negative pairs).
func TestNearDuplicateQuality(t *testing.T) {
	docs := textgen.LabelledSet(42, 100, 20)
	sk := make([]Sketch, len(docs))
	for i, d := range docs {
		sk[i] = NewSketch(d.Text)
	}
	ps := pairScores(docs, func(i, j int) float64 { return sk[i].Similarity(sk[j]) })
	npos := 0
	maxNeg := 0.0
	for _, s := range ps {
		if s.pos {
			npos++
		} else {
			maxNeg = max(maxNeg, s.score)
		}
	}
	t.Logf("labelled pairs: %d positive, %d negative; highest negative similarity %.3f", npos, len(ps)-npos, maxNeg)
	for _, th := range []float64{0.2, 0.3, 0.4, 0.5, 0.6, 0.7} {
		p, r, pe := prAt(ps, th, false)
		t.Logf("threshold %.1f: precision %.4f recall %.4f (without 40%% substitution: %.4f)", th, p, r, recallWithout(pe, "words substituted 40%"))
	}
	p, r, pe := prAt(ps, MinContainment, false)
	t.Logf("chosen threshold %.2f: precision %.4f, recall %.4f", MinContainment, p, r)
	logPerEdit(t, pe)
	if p < 0.99 || r < 0.85 {
		t.Errorf("precision %.4f, recall %.4f: want >= 0.99 and >= 0.85", p, r)
	}
	for _, e := range textgen.Edits {
		if e.Name != "words substituted 40%" && pe[e.Name] < 0.97 {
			t.Errorf("recall on %q = %.3f, want >= 0.97", e.Name, pe[e.Name])
		}
	}
}

func recallWithout(pe map[string]float64, skip string) float64 {
	sum, n := 0.0, 0
	for e, r := range pe {
		if e != skip {
			sum += r
			n++
		}
	}
	return sum / float64(n)
}

// simHash is the baseline TestSimHashBaseline measures: Charikar's SimHash,
// 64 bits, over the same shingles (unweighted).
func simHash(text string) uint64 {
	var v [64]int
	for _, h := range refShingleHashes(text, ShingleWords) {
		for b := range 64 {
			if h>>b&1 == 1 {
				v[b]++
			} else {
				v[b]--
			}
		}
	}
	var out uint64
	for b := range 64 {
		if v[b] > 0 {
			out |= 1 << b
		}
	}
	return out
}

// TestSimHashBaseline measures SimHash on the same labelled set, at its best
// Hamming threshold, to justify MinHash: SimHash cannot tell a truncated or
// reworded copy from an unrelated article on the same topic. It fails when
// that stops being true, i.e. when SimHash does as well as the MinHash
// decision (precision >= 0.99 with its recall), which would make the
// README's reason for MinHash wrong.
func TestSimHashBaseline(t *testing.T) {
	docs := textgen.LabelledSet(42, 100, 20)
	sh := make([]uint64, len(docs))
	sk := make([]Sketch, len(docs))
	for i, d := range docs {
		sh[i] = simHash(d.Text)
		sk[i] = NewSketch(d.Text)
	}
	ps := pairScores(docs, func(i, j int) float64 { return float64(bits.OnesCount64(sh[i] ^ sh[j])) })
	bestF, bestK := 0.0, 0
	for k := 0; k <= 32; k++ {
		p, r, _ := prAt(ps, float64(k), true)
		if f := 2 * p * r / (p + r); f > bestF {
			bestF, bestK = f, k
		}
	}
	p, r, pe := prAt(ps, float64(bestK), true)
	t.Logf("SimHash-64, best Hamming threshold %d: precision %.4f, recall %.4f (F1 %.3f)", bestK, p, r, bestF)
	logPerEdit(t, pe)
	mp, mr, mpe := prAt(pairScores(docs, func(i, j int) float64 { return sk[i].Similarity(sk[j]) }), MinContainment, false)
	mf := 2 * mp * mr / (mp + mr)
	t.Logf("MinHash at %.2f: precision %.4f, recall %.4f (F1 %.3f)", MinContainment, mp, mr, mf)
	if bestF >= mf {
		t.Errorf("SimHash's best F1 %.3f reaches MinHash's %.3f: the choice of MinHash is no longer justified", bestF, mf)
	}
	// The point of the baseline: at a threshold with MinHash's precision,
	// SimHash misses many truncated copies (about 0.57 recall), which
	// MinHash finds (1.0).
	const truncated = "truncated 60%"
	found := false
	for k := 32; k >= 0; k-- {
		if p, _, pe := prAt(ps, float64(k), true); p >= 0.99 {
			found = true
			t.Logf("SimHash-64 at precision >= 0.99 (threshold %d): recall on truncated copies %.3f (MinHash %.3f)", k, pe[truncated], mpe[truncated])
			if pe[truncated] > mpe[truncated]-0.2 {
				t.Errorf("recall on %s copies at precision >= 0.99: SimHash %.3f, MinHash %.3f; want SimHash at least 0.2 below", truncated, pe[truncated], mpe[truncated])
			}
			break
		}
	}
	if !found {
		t.Error("no SimHash threshold reaches precision 0.99")
	}
}
