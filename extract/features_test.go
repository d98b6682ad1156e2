package extract

import (
	"fmt"
	"hash/fnv"
	"strings"
	"testing"
)

// fnv1a is the standard library's 64-bit FNV-1a, the reference the
// package's own hashing must agree with.
func fnv1a(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// TestFeatureHashIncremental: hashing a name's parts one after the other
// gives the hash of the joined name, which is FNV-1a of it. The model file
// keys weights by name and extraction hashes parts as it goes: this is what
// makes the two meet.
func TestFeatureHashIncremental(t *testing.T) {
	for _, parts := range [][]string{
		{},
		{""},
		{"", "", ""},
		{"a"},
		{"bias", ""},
		{"w:", "nato"},
		{"src:", "subject", "|", "demand"},
		{"kcues:red_line:", "3-4"},
		{"w:", "україна"}, // multi-byte UTF-8
		{"rep:", "said", "|", "offer", "|", "x"},
		{strings.Repeat("long", 100), "\x00\xff"},
	} {
		h := uint64(fnvOffset)
		for _, p := range parts {
			h = fnvAdd(h, p)
		}
		joined := strings.Join(parts, "")
		if want := featureHash(joined); h != want {
			t.Errorf("parts %q hash to %#x, featureHash(%q) = %#x", parts, h, joined, want)
		}
		if want := fnv1a(joined); h != want {
			t.Errorf("parts %q hash to %#x, hash/fnv FNV-1a of %q is %#x", parts, h, joined, want)
		}
	}
	// Known FNV-1a 64 values: the offset basis, and "a".
	if got := featureHash(""); got != 0xcbf29ce484222325 {
		t.Errorf(`featureHash("") = %#x, want the offset basis 0xcbf29ce484222325`, got)
	}
	if got := featureHash("a"); got != 0xaf63dc4c8601ec8c {
		t.Errorf(`featureHash("a") = %#x, want 0xaf63dc4c8601ec8c`, got)
	}
	if featureHash("ab") == featureHash("ba") {
		t.Error(`featureHash("ab") == featureHash("ba")`)
	}
}

func TestFeatureSetAdd(t *testing.T) {
	for _, tt := range []struct{ prefix, value string }{
		{"bias", ""},
		{"w:", "nato"},
		{"", "w:nato"},
		{"len:", bucket(7)},
	} {
		for _, names := range []bool{false, true} {
			f := featureSet{names: names}
			f.add(tt.prefix, tt.value)
			if len(f.fs) != 1 {
				t.Fatalf("add(%q, %q): %d features, want 1", tt.prefix, tt.value, len(f.fs))
			}
			ft := f.fs[0]
			if want := featureHash(tt.prefix + tt.value); ft.h != want {
				t.Errorf("add(%q, %q) names=%v: hash %#x, want featureHash(%q) = %#x", tt.prefix, tt.value, names, ft.h, tt.prefix+tt.value, want)
			}
			wantName := ""
			if names {
				wantName = tt.prefix + tt.value
			}
			if ft.name != wantName {
				t.Errorf("add(%q, %q) names=%v: name %q, want %q", tt.prefix, tt.value, names, ft.name, wantName)
			}
		}
	}
	// add appends: features keep their order.
	f := featureSet{names: true}
	f.add("a:", "1")
	f.add("b:", "2")
	if len(f.fs) != 2 || f.fs[0].name != "a:1" || f.fs[1].name != "b:2" {
		t.Errorf("two adds: %+v", f.fs)
	}
}

func TestConjoin(t *testing.T) {
	for _, tt := range []struct{ name, suffix string }{
		{"bias", KindDemand},
		{"w:nato", KindRedLine},
		{"src:subject", KindOffer},
		{"", ""},
		{"x", "a|b"},
	} {
		base := feat{h: featureHash(tt.name), name: tt.name}
		want := tt.name + "|" + tt.suffix
		for _, names := range []bool{false, true} {
			got := conjoin(base, tt.suffix, names)
			if got.h != featureHash(want) {
				t.Errorf("conjoin(%q, %q) names=%v: hash %#x, want featureHash(%q) = %#x", tt.name, tt.suffix, names, got.h, want, featureHash(want))
			}
			wantName := ""
			if names {
				wantName = want
			}
			if got.name != wantName {
				t.Errorf("conjoin(%q, %q) names=%v: name %q, want %q", tt.name, tt.suffix, names, got.name, wantName)
			}
		}
	}
	// Conjoining twice is conjoining the joined suffix.
	base := feat{h: featureHash("w:nato"), name: "w:nato"}
	twice := conjoin(conjoin(base, "demand", true), "x", true)
	if twice.name != "w:nato|demand|x" || twice.h != featureHash("w:nato|demand|x") {
		t.Errorf("conjoin twice = %+v, want the feature w:nato|demand|x", twice)
	}
}

func TestBucket(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{
		{-5, "0"}, {-1, "0"}, {0, "0"},
		{1, "1"},
		{2, "2"},
		{3, "3-4"}, {4, "3-4"},
		{5, "5-8"}, {8, "5-8"},
		{9, "9-16"}, {16, "9-16"},
		{17, "17+"}, {1000, "17+"},
	} {
		if got := bucket(tt.n); got != tt.want {
			t.Errorf("bucket(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestCandidateFeatureHashes: every feature the candidates of the sample
// articles carry, as training builds them (with names), hashes to the hash
// of its name, and extraction (without names) computes the same hashes in
// the same order. A model trained on names is read by hashes: a feature
// whose hash strayed from its name would be silently ignored.
func TestCandidateFeatureHashes(t *testing.T) {
	ex := rulesExtractor(t)
	n, bigrams := 0, 0
	var named, hashed []feat
	for _, doc := range sampleDocs(t) {
		art, err := Text(doc)
		if err != nil {
			t.Fatal(err)
		}
		sents := ex.split.Split(art)
		_, withNames := ex.lex.candidates(art, sents, true, nil, ex.classes)
		_, without := ex.lex.candidates(art, sents, false, nil, ex.classes)
		if len(withNames) != len(without) {
			t.Fatalf("%s: %d candidate sentences with names, %d without", doc.Source, len(withNames), len(without))
		}
		for k := range withNames {
			a, b := &withNames[k], &without[k]
			at, bt := ex.lex.topicFeatures(a, true), ex.lex.topicFeatures(b, false)
			if len(a.holders) != len(b.holders) || len(at) != len(bt) {
				t.Fatalf("%s: sentence %d has %d holders and %d topic features with names, %d and %d without",
					doc.Source, a.index, len(a.holders), len(at), len(b.holders), len(bt))
			}
			checkFeats(t, doc.Source+" topic", at, bt)
			for h := range a.holders {
				for _, kind := range claimKinds {
					named = kindFeatures(a, &a.holders[h], kind, true, named[:0])
					hashed = kindFeatures(b, &b.holders[h], kind, false, hashed[:0])
					checkFeats(t, doc.Source+" "+kind, named, hashed)
					n += len(named)
					for _, ft := range named {
						if strings.HasPrefix(ft.name, "b:") {
							bigrams++
						}
					}
				}
			}
		}
	}
	if n == 0 || bigrams == 0 {
		t.Fatalf("the sample articles gave %d candidate features, %d of them word pairs", n, bigrams)
	}
}

// checkFeats checks that the features built with names hash to their
// names and that those built without have the same hashes and no names.
func checkFeats(t *testing.T, what string, named, hashed []feat) {
	t.Helper()
	if len(named) != len(hashed) {
		t.Fatalf("%s: %d features with names, %d without", what, len(named), len(hashed))
	}
	for i, ft := range named {
		if ft.name == "" {
			t.Fatalf("%s: a training feature without a name (hash %#x)", what, ft.h)
		}
		if ft.h != featureHash(ft.name) {
			t.Fatalf("%s: feature %q has hash %#x, want featureHash = %#x", what, ft.name, ft.h, featureHash(ft.name))
		}
		if hashed[i].h != ft.h || hashed[i].name != "" {
			t.Fatalf("%s: feature %d is %q/%#x with names, %q/%#x without", what, i, ft.name, ft.h, hashed[i].name, hashed[i].h)
		}
	}
}

// TestWeights checks the open-addressing weight table against a Go map:
// every key present gives its weight, absent keys give 0, and the key 0
// (the table's empty marker) is kept apart.
func TestWeights(t *testing.T) {
	m := map[uint64]float64{0: 0.5}
	for i := uint64(1); i <= 1000; i++ {
		// Keys that share their low bits probe past each other.
		m[i<<32] = float64(i)
		m[featureHash(fmt.Sprint("w:", i))] = -float64(i)
	}
	w := weightsOf(m)
	if got := w.len(); got != len(m) {
		t.Errorf("len = %d, want %d", got, len(m))
	}
	for k, v := range m {
		if got := w.get(k); got != v {
			t.Fatalf("get(%#x) = %v, want %v", k, got, v)
		}
	}
	for _, k := range []uint64{1, 2, 1<<32 + 1, featureHash("absent")} {
		if _, ok := m[k]; ok {
			continue
		}
		if got := w.get(k); got != 0 {
			t.Errorf("get(%#x) of an absent key = %v, want 0", k, got)
		}
	}
	if got := weightsOf(nil).get(42); got != 0 {
		t.Errorf("empty table: get = %v, want 0", got)
	}
}

// len returns the number of weights the table holds.
func (w *weights) len() int {
	n := 0
	for _, k := range w.keys {
		if k != 0 {
			n++
		}
	}
	if w.zero != 0 {
		n++
	}
	return n
}

func TestDistinctParties(t *testing.T) {
	ms := func(parties ...string) []mention {
		var out []mention
		for _, p := range parties {
			out = append(out, mention{party: p})
		}
		return out
	}
	for _, c := range []struct {
		ms   []mention
		want int
	}{
		{nil, 0},
		{ms("russia"), 1},
		{ms("russia", "russia"), 1},
		{ms("russia", "ukraine", "russia"), 2},
		{ms("russia", "ukraine", "nato", "ukraine", "nato"), 3},
	} {
		if got := distinctParties(c.ms); got != c.want {
			t.Errorf("distinctParties(%+v) = %d, want %d", c.ms, got, c.want)
		}
	}
}
