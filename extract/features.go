package extract

import (
	"bytes"
	"maps"
	"slices"
)

// Features of the claim model are strings ("w:nato", "src:subject|demand"),
// but the extractor never builds them at run time: it hashes their parts
// with FNV-1a as it goes, and the model's weights are keyed by the hash of
// the same string. FNV-1a is a streaming hash, so hashing "a" then "b" gives
// the hash of "ab": a feature conjoined with a kind ("…|demand") is the
// base feature's hash continued with the suffix. Training alone keeps the
// names, to write a model file people can read and diff.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnvAdd continues hash h with the bytes of s.
func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// featureHash is the hash of a feature's name, as the model file keys it.
func featureHash(name string) uint64 { return fnvAdd(fnvOffset, name) }

// featureSet collects features: their hashes and, when named (training),
// their names, index for index. Outside training it holds the hashes
// alone, 8 bytes a feature: scoring looks weights up by hash, and a name
// per feature, even an empty one, would triple what a candidate's
// features take.
type featureSet struct {
	hs    []uint64 // the features' hashes, in the order added
	names []string // names[i] is the name of hs[i]; nil unless named
	named bool
}

// newFeatureSet returns an empty set with room for n features, named for
// training.
func newFeatureSet(named bool, n int) featureSet {
	f := featureSet{named: named, hs: make([]uint64, 0, n)}
	if named {
		f.names = make([]string, 0, n)
	}
	return f
}

// carve returns an empty set with room for n features, taken from the
// room of the empty set f, which must have it: the sets carved from one
// set share its array, one allocation for them all. A carved set that
// outgrows its room moves to an array of its own; the full slice
// expression keeps its appends from writing over the room past it.
func (f *featureSet) carve(n int) featureSet {
	out := featureSet{named: f.named, hs: f.hs[:0:n]}
	f.hs = f.hs[n:n]
	if f.named {
		out.names = f.names[:0:n]
		f.names = f.names[n:n]
	}
	return out
}

// len returns how many features the set holds.
func (f *featureSet) len() int { return len(f.hs) }

// reset empties the set, keeping its room.
func (f *featureSet) reset() {
	f.hs = f.hs[:0]
	f.names = f.names[:0]
}

// add adds the feature prefix+value.
func (f *featureSet) add(prefix, value string) {
	f.hs = append(f.hs, fnvAdd(fnvAdd(fnvOffset, prefix), value))
	if f.named {
		f.names = append(f.names, prefix+value)
	}
}

// addJoin adds the feature prefix+a+sep+b, hashing the parts in turn
// instead of building the string (FNV-1a streams): the same hash as add's
// of the joined value, without an allocation per feature.
func (f *featureSet) addJoin(prefix, a, sep, b string) {
	f.hs = append(f.hs, fnvAdd(fnvAdd(fnvAdd(fnvAdd(fnvOffset, prefix), a), sep), b))
	if f.named {
		f.names = append(f.names, prefix+a+sep+b)
	}
}

// addFrom adds feature i of src; src must be named when f is.
func (f *featureSet) addFrom(src *featureSet, i int) {
	f.hs = append(f.hs, src.hs[i])
	if f.named {
		f.names = append(f.names, src.names[i])
	}
}

// addAll adds every feature of src, in its order; src must be named when
// f is.
func (f *featureSet) addAll(src *featureSet) {
	f.hs = append(f.hs, src.hs...)
	if f.named {
		f.names = append(f.names, src.names...)
	}
}

// addConjoined adds feature i of src conjoined with suffix; src must be
// named when f is, and may be f itself.
func (f *featureSet) addConjoined(src *featureSet, i int, suffix string) {
	f.hs = append(f.hs, conjoin(src.hs[i], suffix))
	if f.named {
		f.names = append(f.names, src.names[i]+"|"+suffix)
	}
}

// conjoin returns the hash of the feature whose hash is h conjoined with
// suffix: that of its name+"|"+suffix.
func conjoin(h uint64, suffix string) uint64 { return fnvAdd(fnvAdd(h, "|"), suffix) }

// bucket maps a count to a coarse label, so that one feature stands for a
// range of values.
func bucket(n int) string {
	switch {
	case n <= 0:
		return "0"
	case n == 1:
		return "1"
	case n == 2:
		return "2"
	case n <= 4:
		return "3-4"
	case n <= 8:
		return "5-8"
	case n <= 16:
		return "9-16"
	default:
		return "17+"
	}
}

// table is an immutable hash table of values keyed by feature hash: open
// addressing with linear probing, several times faster than a Go map for
// the lookups that scoring a candidate makes. The key 0 marks an empty
// slot, so the value of the feature whose hash is 0 is kept apart.
type table[V any] struct {
	keys  []uint64
	vals  []V
	shift uint
	zero  V
}

// newTableOf builds the table of the values vals[i] of the keys keys[i];
// a key given again takes its last value. The table has room for
// len(keys) keys: give each key once, or the table grows with the
// repeats.
func newTableOf[V any](keys []uint64, vals []V) table[V] {
	bits := uint(4)
	for 1<<bits < 2*len(keys) {
		bits++
	}
	t := table[V]{keys: make([]uint64, 1<<bits), vals: make([]V, 1<<bits), shift: 64 - bits}
	mask := uint64(1)<<bits - 1
	for k, h := range keys {
		if h == 0 {
			t.zero = vals[k]
			continue
		}
		i := (h * 0x9E3779B97F4A7C15) >> t.shift
		for t.keys[i] != 0 && t.keys[i] != h {
			i = (i + 1) & mask
		}
		t.keys[i], t.vals[i] = h, vals[k]
	}
	return t
}

// distinct returns the keys without repeats, in the order they first
// appear, reusing the slice.
func distinct(keys []uint64) []uint64 {
	seen := newTableOf(keys, make([]bool, len(keys)))
	out := keys[:0]
	for _, h := range keys {
		if v := seen.find(h); !*v {
			*v = true
			out = append(out, h)
		}
	}
	return out
}

// find returns the value of the feature with hash h, nil when it has none
// (the zero value for hash 0).
func (t *table[V]) find(h uint64) *V {
	if h == 0 {
		return &t.zero
	}
	mask := uint64(len(t.keys) - 1)
	for i := (h * 0x9E3779B97F4A7C15) >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case h:
			return &t.vals[i]
		case 0:
			return nil
		}
	}
}

// weights is an immutable table of feature weights.
type weights struct{ table[float64] }

// newWeights builds the table of the weights vals[i] of the features
// whose hashes are keys[i], as newTableOf does.
func newWeights(keys []uint64, vals []float64) *weights { return &weights{newTableOf(keys, vals)} }

// get returns the weight of the feature with hash h, 0 when it has none.
func (w *weights) get(h uint64) float64 {
	if v := w.find(h); v != nil {
		return *v
	}
	return 0
}

// kindWeights holds, for each feature the claim model knows, its plain
// weight and the weights of the feature conjoined with each of claimKinds
// ("…|demand", "…|red_line", "…|offer"), so that scoring a candidate looks
// each feature up once instead of once plain and once per kind. The keys
// are probed in an array of their own (small enough to stay in cache);
// most features of a sentence are words the model has no weight for.
type kindWeights struct {
	table[[1 + len(claimKinds)]float64]
}

// addKindBases appends to bases what newKindWeights needs of the claim
// model's feature name, whose hash is h: the feature itself and, when the
// name ends in "|kind", the name less that suffix.
func addKindBases(bases []uint64, name []byte, h uint64) []uint64 {
	bases = append(bases, h)
	for _, kind := range claimKinds {
		n := len(name) - len(kind) - 1
		if n >= 0 && name[n] == '|' && string(name[n+1:]) == kind {
			bases = append(bases, fnvAddBytes(fnvOffset, name[:n]))
		}
	}
	return bases
}

// newKindWeights builds the table from the claim model's weights w and the
// features addKindBases collected from their names (repeats allowed): every
// name is a feature, and so is every name less a "|kind" suffix. The values
// are w's own, looked up by the hashes of the plain and the conjoined
// feature, so that a sum over the table is the same sum, term by term, as
// over w. (Conjoining is a bijection of hashes, since each FNV-1a step is:
// a feature hash whose conjunction has a weight is the hash of the name
// less its suffix, unless two names collide in 64 bits.)
func newKindWeights(bases []uint64, w *weights) *kindWeights {
	bases = distinct(bases)
	vals := make([][1 + len(claimKinds)]float64, len(bases))
	for i, h := range bases {
		v := &vals[i]
		v[0] = w.get(h)
		for ki, kind := range claimKinds {
			v[1+ki] = w.get(fnvAdd(fnvAdd(h, "|"), kind))
		}
	}
	return &kindWeights{newTableOf(bases, vals)}
}

// topicWordWeights holds, for each word feature the topic model has
// weights for ("tw:nato", topicWords), the weights of that feature
// conjoined with each topic ("tw:nato|ceasefire"), so that scoring a
// claim's topics looks each word of its sentence up once, instead of
// hashing and looking up every word conjoined with every topic. The
// weights are the topic model's own, looked up by the conjoined hashes, so
// a sum over them is the same sum, term by term (the argument of
// newKindWeights: a conjoined hash with a weight is the conjoined hash of
// a word feature in the table, unless two names collide in 64 bits).
type topicWordWeights struct {
	rows table[[]float64] // word feature hash → its weight for each topic, by column
	cols map[string]int   // topic id → column
}

// topicWordBases collects, from the topic model's feature names, what
// newTopicWordWeights needs: the topic ids that word features are
// conjoined with (as keys of cols) and the hashes of the word features
// (repeats allowed).
type topicWordBases struct {
	cols  map[string]int
	bases []uint64
}

// add reads one feature name of the topic model.
func (b *topicWordBases) add(name []byte) {
	if !bytes.HasPrefix(name, []byte(topicWordPrefix)) {
		return
	}
	// A word has no "|". Lexicons refuse topic ids with one, but a model
	// file is not checked against a lexicon when it is read: every "|"
	// may be the one that joins the word to the topic.
	for i := len(topicWordPrefix); i < len(name); i++ {
		if name[i] == '|' {
			if _, ok := b.cols[string(name[i+1:])]; !ok {
				b.cols[string(name[i+1:])] = 0
			}
			b.bases = append(b.bases, fnvAddBytes(fnvOffset, name[:i]))
		}
	}
}

// newTopicWordWeights builds the table from the topic model's weights w
// and what topicWordBases collected from their names.
func newTopicWordWeights(b topicWordBases, w *weights) *topicWordWeights {
	cols := b.cols
	bases := distinct(b.bases)
	ids := slices.Sorted(maps.Keys(cols))
	for c, id := range ids {
		cols[id] = c
	}
	flat := make([]float64, len(bases)*len(ids))
	rows := make([][]float64, len(bases))
	for r, h := range bases {
		row := flat[r*len(ids) : (r+1)*len(ids) : (r+1)*len(ids)]
		for c, id := range ids {
			row[c] = w.get(fnvAdd(fnvAdd(h, "|"), id))
		}
		rows[r] = row
	}
	return &topicWordWeights{rows: newTableOf(bases, rows), cols: cols}
}

// row returns the weights of word feature hash h by topic column, nil
// when it has none.
func (tw *topicWordWeights) row(h uint64) []float64 {
	if v := tw.rows.find(h); v != nil {
		return *v
	}
	return nil
}

// sums returns the sums over the features whose hashes are hs of the
// plain weights (sums[0]) and of the weights conjoined with each kind
// (sums[1+ki]), in one pass: each sum is added up in the order of hs, as
// dot adds up its own.
func (kw *kindWeights) sums(hs []uint64) (sums [1 + len(claimKinds)]float64) {
	for _, h := range hs {
		// A feature without weights adds 0 to each sum, which changes none.
		if v := kw.find(h); v != nil {
			for k := range sums {
				sums[k] += v[k]
			}
		}
	}
	return sums
}
