package extract

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestKindWeightsSums checks that scoring with kindWeights adds up the same
// sums, bit for bit, as looking every feature up in the model's weights
// plain and conjoined with each kind: over the candidates of the sample
// articles (features the model has and has not), and for features made
// up (a conjunction without its plain feature).
func TestKindWeightsSums(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	lx := mustDefaultLexicon(t)
	check := func(name string, w *weights, kw *kindWeights, hs []uint64) {
		t.Helper()
		got := kw.sums(hs)
		var want [1 + len(claimKinds)]float64
		for _, h := range hs {
			want[0] += w.get(h)
		}
		for ki, kind := range claimKinds {
			for _, h := range hs {
				want[1+ki] += w.get(fnvAdd(fnvAdd(h, "|"), kind))
			}
		}
		if got != want {
			t.Errorf("%s: sums %v, want %v", name, got, want)
		}
	}
	n, hits := 0, 0
	for _, doc := range sampleDocs(t) {
		art, err := Text(doc)
		if err != nil {
			t.Fatal(err)
		}
		_, cands := lx.candidates(art, ex.Splitter().Split(art), false, nil, m.classes)
		for _, cs := range cands {
			check(doc.Source+" sentence", m.claim, m.kinds, cs.base.hs)
			for _, hd := range cs.holders {
				check(doc.Source+" holder "+hd.party, m.claim, m.kinds, hd.feats.hs)
			}
			for _, h := range cs.base.hs {
				n++
				if m.claim.get(h) != 0 {
					hits++
				}
			}
		}
	}
	if n == 0 || hits == 0 || hits == n {
		t.Fatalf("%d of %d sentence features have a weight: the samples test neither hits or misses", hits, n)
	}

	// A model with a conjunction whose plain feature has no weight, and
	// features it has no weight for at all.
	byName := map[string]float64{"w:talks": 0.5, "w:talks|offer": -0.25, "cw:demand|red_line": 2, "b:^_russia": 1e-3}
	w := hashWeights(byName)
	hs := []uint64{featureHash("w:talks"), featureHash("cw:demand"), featureHash("w:none"), featureHash("b:^_russia")}
	check("made-up", w, kindWeightsByName(byName, w), hs)
}

// TestAddJoin checks that a feature added in parts has the hash and the
// name of the joined feature.
func TestAddJoin(t *testing.T) {
	for _, names := range []bool{false, true} {
		f := featureSet{named: names}
		f.addJoin("b:", "not", "_", "accept")
		f.add("b:", "not_accept")
		f.addJoin("kcues:", "red_line", ":", "")
		if f.hs[0] != f.hs[1] || names && f.names[0] != f.names[1] {
			t.Errorf("names=%v: addJoin and add made %+v", names, f)
		}
		if want := featureHash("kcues:red_line:"); f.hs[2] != want {
			t.Errorf("names=%v: hash %x, want %x", names, f.hs[2], want)
		}
		if names && f.names[2] != "kcues:red_line:" {
			t.Errorf("name %q, want %q", f.names[2], "kcues:red_line:")
		}
	}
}

// TestIsWordRuneASCII checks the ASCII fast path of isWordRune (and of
// tokenize's word scan) against the Unicode tables it stands for.
func TestIsWordRuneASCII(t *testing.T) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		want := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		if got := isWordRune(r); got != want {
			t.Errorf("isWordRune(%q) = %v, want %v", r, got, want)
		}
	}
}
