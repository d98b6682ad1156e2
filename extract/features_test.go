package extract

import (
	"fmt"
	"hash/fnv"
	"slices"
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
			f := featureSet{named: names}
			f.add(tt.prefix, tt.value)
			if f.len() != 1 {
				t.Fatalf("add(%q, %q): %d features, want 1", tt.prefix, tt.value, f.len())
			}
			if want := featureHash(tt.prefix + tt.value); f.hs[0] != want {
				t.Errorf("add(%q, %q) names=%v: hash %#x, want featureHash(%q) = %#x", tt.prefix, tt.value, names, f.hs[0], tt.prefix+tt.value, want)
			}
			switch {
			case !names && f.names != nil:
				t.Errorf("add(%q, %q) without names: names %q, want none", tt.prefix, tt.value, f.names)
			case names && !slices.Equal(f.names, []string{tt.prefix + tt.value}):
				t.Errorf("add(%q, %q) with names: names %q, want [%q]", tt.prefix, tt.value, f.names, tt.prefix+tt.value)
			}
		}
	}
	// add appends: features keep their order.
	f := featureSet{named: true}
	f.add("a:", "1")
	f.add("b:", "2")
	if !slices.Equal(f.names, []string{"a:1", "b:2"}) || !slices.Equal(f.hs, []uint64{featureHash("a:1"), featureHash("b:2")}) {
		t.Errorf("two adds: %+v", f)
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
		want := tt.name + "|" + tt.suffix
		if got := conjoin(featureHash(tt.name), tt.suffix); got != featureHash(want) {
			t.Errorf("conjoin(%q, %q): hash %#x, want featureHash(%q) = %#x", tt.name, tt.suffix, got, want, featureHash(want))
		}
		for _, names := range []bool{false, true} {
			base := featureSet{named: true}
			base.add(tt.name, "")
			f := featureSet{named: names}
			f.addConjoined(&base, 0, tt.suffix)
			if f.len() != 1 || f.hs[0] != featureHash(want) {
				t.Errorf("addConjoined(%q, %q) names=%v: hashes %#x, want [%#x]", tt.name, tt.suffix, names, f.hs, featureHash(want))
			}
			switch {
			case !names && f.names != nil:
				t.Errorf("addConjoined(%q, %q) without names: names %q, want none", tt.name, tt.suffix, f.names)
			case names && !slices.Equal(f.names, []string{want}):
				t.Errorf("addConjoined(%q, %q) with names: names %q, want [%q]", tt.name, tt.suffix, f.names, want)
			}
		}
	}
	// Conjoining twice is conjoining the joined suffix; a set conjoins
	// its own features.
	f := featureSet{named: true}
	f.add("w:", "nato")
	f.addConjoined(&f, 0, "demand")
	f.addConjoined(&f, 1, "x")
	if f.len() != 3 || f.names[2] != "w:nato|demand|x" || f.hs[2] != featureHash("w:nato|demand|x") {
		t.Errorf("conjoin twice = %+v, want the feature w:nato|demand|x last", f)
	}
}

// TestFeatureSetCarve: sets carved from one set's room share its array,
// and one that outgrows its room leaves the next one's features alone.
func TestFeatureSetCarve(t *testing.T) {
	for _, names := range []bool{false, true} {
		room := newFeatureSet(names, 5)
		a, b, c := room.carve(2), room.carve(2), room.carve(1)
		b.add("b:", "1")
		c.add("c:", "1")
		for _, v := range []string{"1", "2", "3"} {
			a.add("a:", v)
		}
		b.add("b:", "2")
		b.add("b:", "3")
		for _, tt := range []struct {
			name string
			set  featureSet
			want []string
		}{
			{"a", a, []string{"a:1", "a:2", "a:3"}},
			{"b", b, []string{"b:1", "b:2", "b:3"}},
			{"c", c, []string{"c:1"}},
		} {
			var want []uint64
			for _, w := range tt.want {
				want = append(want, featureHash(w))
			}
			if !slices.Equal(tt.set.hs, want) {
				t.Errorf("names=%v: set %s has hashes %#x, want those of %q", names, tt.name, tt.set.hs, tt.want)
			}
			if names && !slices.Equal(tt.set.names, tt.want) || !names && tt.set.names != nil {
				t.Errorf("names=%v: set %s has names %q, want %q", names, tt.name, tt.set.names, tt.want)
			}
		}
	}
	// The sets within their room are in the one array.
	room := newFeatureSet(false, 4)
	all := room.hs[:4]
	a, b := room.carve(2), room.carve(2)
	a.add("a:", "1")
	b.add("b:", "1")
	if all[0] != featureHash("a:1") || all[2] != featureHash("b:1") {
		t.Errorf("the room holds %#x, want the features of the sets carved from it", all)
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
// the same order, and keeps no names. A model trained on names is read by
// hashes: a feature whose hash strayed from its name would be silently
// ignored.
func TestCandidateFeatureHashes(t *testing.T) {
	ex := rulesExtractor(t)
	n, bigrams := 0, 0
	named, hashed := featureSet{named: true}, featureSet{}
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
			if len(a.holders) != len(b.holders) || at.len() != bt.len() {
				t.Fatalf("%s: sentence %d has %d holders and %d topic features with names, %d and %d without",
					doc.Source, a.index, len(a.holders), at.len(), len(b.holders), bt.len())
			}
			checkFeats(t, doc.Source+" topic", &at, &bt)
			checkFeats(t, doc.Source+" sentence", &a.base, &b.base)
			for h := range a.holders {
				checkFeats(t, doc.Source+" holder "+a.holders[h].party, &a.holders[h].feats, &b.holders[h].feats)
				for _, kind := range claimKinds {
					named.reset()
					hashed.reset()
					kindFeatures(a, &a.holders[h], kind, &named)
					kindFeatures(b, &b.holders[h], kind, &hashed)
					checkFeats(t, doc.Source+" "+kind, &named, &hashed)
					n += named.len()
					for _, name := range named.names {
						if strings.HasPrefix(name, "b:") {
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
// names and that those built without have the same hashes and no names:
// extraction makes no room for them.
func checkFeats(t *testing.T, what string, named, hashed *featureSet) {
	t.Helper()
	if named.len() != hashed.len() || len(named.names) != named.len() {
		t.Fatalf("%s: %d features and %d names with names, %d features without", what, named.len(), len(named.names), hashed.len())
	}
	if hashed.names != nil {
		t.Fatalf("%s: features made without names keep %d names", what, len(hashed.names))
	}
	for i, name := range named.names {
		h := named.hs[i]
		if name == "" {
			t.Fatalf("%s: a training feature without a name (hash %#x)", what, h)
		}
		if h != featureHash(name) {
			t.Fatalf("%s: feature %q has hash %#x, want featureHash = %#x", what, name, h, featureHash(name))
		}
		if hashed.hs[i] != h {
			t.Fatalf("%s: feature %d is %q/%#x with names, %#x without", what, i, name, h, hashed.hs[i])
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
