package extract

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

// The reference of the model's weights: how ParseModel built them before
// scanWeights, from the weights by name that encoding/json decodes into
// maps. TestReadWeightsMatchesReference and FuzzParseModel hold the fast
// path to it.

// newTable builds the table of the values in m.
func newTable[V any](m map[uint64]V) table[V] {
	keys := make([]uint64, 0, len(m))
	vals := make([]V, 0, len(m))
	for h, v := range m {
		keys = append(keys, h)
		vals = append(vals, v)
	}
	return newTableOf(keys, vals)
}

// weightsOf builds the table of the weights in m.
func weightsOf(m map[uint64]float64) *weights { return &weights{newTable(m)} }

// hashWeights is the weights of byName by hash (the reference).
func hashWeights(byName map[string]float64) *weights {
	out := make(map[uint64]float64, len(byName))
	for name, w := range byName {
		out[featureHash(name)] += w
	}
	return weightsOf(out)
}

// kindWeightsByName is newKindWeights over the features of byName.
func kindWeightsByName(byName map[string]float64, w *weights) *kindWeights {
	var bases []uint64
	for name := range byName {
		bases = addKindBases(bases, []byte(name), featureHash(name))
	}
	return newKindWeights(bases, w)
}

// refKindWeights is the reference of kindWeightsByName.
func refKindWeights(byName map[string]float64, w *weights) *kindWeights {
	bases := make(map[uint64]bool, len(byName))
	for name := range byName {
		bases[featureHash(name)] = true
		for _, kind := range claimKinds {
			if base, ok := strings.CutSuffix(name, "|"+kind); ok {
				bases[featureHash(base)] = true
			}
		}
	}
	vals := make(map[uint64][1 + len(claimKinds)]float64, len(bases))
	for h := range bases {
		var v [1 + len(claimKinds)]float64
		v[0] = w.get(h)
		for ki, kind := range claimKinds {
			v[1+ki] = w.get(fnvAdd(fnvAdd(h, "|"), kind))
		}
		vals[h] = v
	}
	return &kindWeights{newTable(vals)}
}

// topicWordWeightsByName is newTopicWordWeights over the features of
// byName.
func topicWordWeightsByName(byName map[string]float64, w *weights) *topicWordWeights {
	b := topicWordBases{cols: map[string]int{}}
	for name := range byName {
		b.add([]byte(name))
	}
	return newTopicWordWeights(b, w)
}

// refTopicWordWeights is the reference of topicWordWeightsByName.
func refTopicWordWeights(byName map[string]float64, w *weights) *topicWordWeights {
	cols := map[string]int{}
	bases := map[uint64]bool{}
	for name := range byName {
		if !strings.HasPrefix(name, topicWordPrefix) {
			continue
		}
		for i := len(topicWordPrefix); i < len(name); i++ {
			if name[i] == '|' {
				cols[name[i+1:]] = 0
				bases[featureHash(name[:i])] = true
			}
		}
	}
	ids := slices.Sorted(maps.Keys(cols))
	for c, id := range ids {
		cols[id] = c
	}
	rows := make(map[uint64][]float64, len(bases))
	for h := range bases {
		row := make([]float64, len(ids))
		for c, id := range ids {
			row[c] = w.get(fnvAdd(fnvAdd(h, "|"), id))
		}
		rows[h] = row
	}
	return &topicWordWeights{rows: newTable(rows), cols: cols}
}

// refModel is what ParseModel made of a valid model file before
// scanWeights: the file decoded into maps, then hashed.
type refModel struct {
	claim      *weights
	kinds      *kindWeights
	topicModel *weights
	topicWords *topicWordWeights
	topics     []topicWeights
}

func parseRefModel(t testing.TB, data []byte) refModel {
	t.Helper()
	var f modelFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("the reference does not decode a model ParseModel took: %v", err)
	}
	r := refModel{claim: hashWeights(f.Claim)}
	r.kinds = refKindWeights(f.Claim, r.claim)
	if f.TopicModel != nil {
		r.topicModel = hashWeights(f.TopicModel)
		r.topicWords = refTopicWordWeights(f.TopicModel, r.topicModel)
	}
	ids := make([]string, 0, len(f.Topics))
	for id := range f.Topics {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		r.topics = append(r.topics, topicWeights{id: id, w: hashWeights(f.Topics[id])})
	}
	return r
}

// sameTable reports whether two tables hold the same values by key,
// whatever slots they sit in.
func sameTable[V any](a, b *table[V], eq func(x, y V) bool) bool {
	count := func(t *table[V]) int {
		n := 0
		for _, k := range t.keys {
			if k != 0 {
				n++
			}
		}
		return n
	}
	if count(a) != count(b) || !eq(a.zero, b.zero) {
		return false
	}
	for i, k := range a.keys {
		if k == 0 {
			continue
		}
		v := b.find(k)
		if v == nil || !eq(a.vals[i], *v) {
			return false
		}
	}
	return true
}

func sameFloat(x, y float64) bool { return x == y || x != x && y != y }

// checkMatchesReference fails when m's weights differ from the
// reference's for the file data.
func checkMatchesReference(t testing.TB, m *Model, data []byte) {
	t.Helper()
	r := parseRefModel(t, data)
	if !sameTable(&m.claim.table, &r.claim.table, sameFloat) {
		t.Error("claim weights differ from the reference")
	}
	if !sameTable(&m.kinds.table, &r.kinds.table, func(x, y [1 + len(claimKinds)]float64) bool {
		for i := range x {
			if !sameFloat(x[i], y[i]) {
				return false
			}
		}
		return true
	}) {
		t.Error("kind weights differ from the reference")
	}
	if (m.topicModel == nil) != (r.topicModel == nil) {
		t.Fatalf("topic model %v, reference %v", m.topicModel != nil, r.topicModel != nil)
	}
	if m.topicModel != nil {
		if !sameTable(&m.topicModel.table, &r.topicModel.table, sameFloat) {
			t.Error("topic model weights differ from the reference")
		}
		if !sameTable(&m.topicWords.rows, &r.topicWords.rows, func(x, y []float64) bool { return slices.EqualFunc(x, y, sameFloat) }) {
			t.Error("topic word rows differ from the reference")
		}
		if !sameColumns(m.topicWords.cols, r.topicWords.cols) {
			t.Errorf("topic word columns %v, reference %v", m.topicWords.cols, r.topicWords.cols)
		}
	}
	if len(m.topics) != len(r.topics) {
		t.Fatalf("%d topic classifiers, reference %d", len(m.topics), len(r.topics))
	}
	for i := range m.topics {
		if m.topics[i].id != r.topics[i].id || !sameTable(&m.topics[i].w.table, &r.topics[i].w.table, sameFloat) {
			t.Errorf("topic classifier %s differs from the reference's %s", m.topics[i].id, r.topics[i].id)
		}
	}
}

func sameColumns(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestReadWeightsMatchesReference holds the weights ParseModel reads to
// those of the reference, on the built-in model and on written files
// with what the scanner must get right: escapes, names that are not
// UTF-8, a name given twice, conjunctions with a kind, word features of
// topics with a bar in their id, white space, null objects and per-topic
// classifiers.
func TestReadWeightsMatchesReference(t *testing.T) {
	head := `"format":"redline-claim-model/1","lexicon":"x","threshold":0.5,"second":0.6,"min_confidence":0.7,"cal_a":1,"cal_b":0,"bands":null,"training":{"docs":0,"gold":0,"candidates":0,"positives":0,"covered":0,"sources":null,"options":""}`
	for _, tt := range []struct{ name, data string }{
		{"built-in model", string(defaultModel)},
		{"escapes and kinds", `{` + head + `,"claim":{"w:talks":0.5,"w:talks|offer":-0.25,"cw:demand|red_line":2,"q:\"x\\u00e9\"|demand":1e-3,"a\u2028b":-0,"b:^_russia":1E-3},"topics":{}}`},
		{"not UTF-8", "{" + head + ",\"claim\":{\"w:\xff\xfe|demand\":1.5,\"w:ok\":2},\"topics\":null}"},
		{"a name twice", `{` + head + `,"claim":{"w:a":1,"w:a":2,"w:a|offer":3},"topics":{}}`},
		{"null weights", `{` + head + `,"claim":{"w:a":null,"w:a|offer":null , "w:b":1},"topics":{"nato":{"w:x":null}},"topic_model":{"tw:war|nato":null}}`},
		{"topic words", `{` + head + `,"claim":{},"topics":{},"topic_model":{"tw:war|territory":2.5,"tw:war|a|b":1.5,"tw:deal|a|b":0.25,"ts|territory":7,"tb":3,"tw:":1,"tw:|x":2}}`},
		{"white space and nulls", "{\n " + head + ",\n \"claim\" : {\n  \"w:a\" : 1 ,\n  \"w:b\"\t:\t-2.5e+2\r\n },\n \"topics\" : null,\n \"topic_model\" : null\n}\n"},
		{"per-topic classifiers", `{` + head + `,"claim":{"w:a":1},"topics":{"nato":{"w:nato":2,"w:x|demand":1},"ceasefire":null,"a":{}}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseModel([]byte(tt.data), tt.name)
			if err != nil {
				t.Fatal(err)
			}
			checkMatchesReference(t, m, []byte(tt.data))
		})
	}
}

// TestReadWeightsErrors: a weight object the maps of the reference would
// refuse is refused, naming the model and the weight.
func TestReadWeightsErrors(t *testing.T) {
	head := `"format":"redline-claim-model/1","lexicon":"x","threshold":0.5,"second":0.6,"min_confidence":0.7,"cal_a":1,"cal_b":0,"topics":{}`
	for _, tt := range []struct{ name, data, want string }{
		{"a string weight", `{` + head + `,"claim":{"w:a":"1"}}`, `"w:a" is not a number`},
		{"an object weight", `{` + head + `,"claim":{"w:a":{}}}`, `"w:a" is not a number`},
		{"a boolean weight", `{` + head + `,"topic_model":{"w:a":true}}`, `topic_model: the weight of "w:a" is not a number`},
		{"out of range", `{` + head + `,"claim":{"w:a":1e400}}`, `value out of range`},
		{"claim not an object", `{` + head + `,"claim":[1]}`, `claim: not an object`},
		{"topics not an object", `{"format":"redline-claim-model/1","lexicon":"x","threshold":0.5,"second":0.6,"min_confidence":0.7,"cal_a":1,"cal_b":0,"topics":[]}`, `topics:`},
		{"a topic's weights not numbers", `{` + strings.Replace(head, `"topics":{}`, `"topics":{"nato":{"w:a":"x"}}`, 1) + `}`, `topics: nato: the weight of "w:a" is not a number`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseModel([]byte(tt.data), "bad.json")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bad.json") {
				t.Errorf("error %v, want one naming bad.json and saying %q", err, tt.want)
			}
			var f modelFile
			if json.Unmarshal([]byte(tt.data), &f) == nil {
				t.Error("the reference takes this file: the fast path refuses more than it did")
			}
		})
	}
}

// BenchmarkDefaultModel measures parsing the built-in model, which every
// command that extracts claims does once at start.
func BenchmarkDefaultModel(b *testing.B) {
	b.SetBytes(int64(len(defaultModel)))
	for b.Loop() {
		if _, err := DefaultModel(); err != nil {
			b.Fatal(err)
		}
	}
}
