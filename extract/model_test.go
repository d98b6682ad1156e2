package extract

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// builtinFields is the embedded model decoded as a generic JSON object,
// decoded once, with its weights cut to a few: the file is large.
var builtinFields = sync.OnceValues(func() (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal(defaultModel, &m); err != nil {
		return nil, err
	}
	m["claim"] = map[string]float64{"bias": -1.5, "w:nato|demand": 0.25}
	m["topics"] = map[string]any{"nato": map[string]float64{"w:nato": 1}}
	return m, nil
})

// modelJSON returns the embedded model's header with a few weights as
// JSON, the given top-level fields replaced (a nil value deletes the
// field).
func modelJSON(t testing.TB, set map[string]any) []byte {
	t.Helper()
	base, err := builtinFields()
	if err != nil {
		t.Fatal(err)
	}
	m := maps.Clone(base)
	for k, v := range set {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// tinyModel is a small valid model file.
const tinyModel = `{"format":"redline-claim-model/1","lexicon":"russia-ukraine","threshold":0.4,"tags":false,"second":0.6,` +
	`"min_confidence":0.8,"cal_a":1,"cal_b":0,"bands":null,"training":{"docs":1,"gold":1,"candidates":1,"positives":1,"covered":1,"sources":null,"options":""},` +
	`"claim":{"bias":-1,"w:<nato>&":2.5,"c:demand|demand":1},"topics":{"nato":{"w:nato":1}}}`

func TestParseModel(t *testing.T) {
	// tinyModel is of format 1, before confidence tables: it still loads,
	// its claims' confidence the calibrated probability itself.
	if _, err := ParseModel([]byte(tinyModel), "tiny.json"); err != nil {
		t.Fatalf("the tiny model does not parse: %v", err)
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string // in the error, besides the input's name
	}{
		{"empty.json", []byte(""), "EOF"},
		{"truncated.json", defaultModel[:len(defaultModel)/2], "unexpected EOF"},
		{"array.json", []byte("[]"), "cannot unmarshal"},
		{"text.json", []byte("threshold: 0.5"), "invalid character"},
		{"unknown-field.json", modelJSON(t, map[string]any{"weights": map[string]float64{"bias": 1}}), `unknown field "weights"`},
		{"wrong-type.json", modelJSON(t, map[string]any{"threshold": "0.5"}), "threshold"},
		{"no-format.json", modelJSON(t, map[string]any{"format": nil}), `format "", want "redline-claim-model/2"`},
		{"format-3.json", modelJSON(t, map[string]any{"format": "redline-claim-model/3"}), `format "redline-claim-model/3"`},
		{"no-table.json", modelJSON(t, map[string]any{"table": nil}), "no confidence table"},
		{"falling-table.json", modelJSON(t, map[string]any{"table": []CalPoint{{0.3, 0.6}, {0.6, 0.5}}}), "does not follow knot 1"},
		{"format-1-table.json", modelJSON(t, map[string]any{"format": "redline-claim-model/1"}), "make the model again"},
		{"lexicon-as-format.json", modelJSON(t, map[string]any{"format": "russia-ukraine"}), "format"},
		{"threshold-0.json", modelJSON(t, map[string]any{"threshold": 0}), "threshold 0 is not in (0, 1)"},
		{"threshold-1.json", modelJSON(t, map[string]any{"threshold": 1}), "threshold 1 is not in (0, 1)"},
		{"threshold-neg.json", modelJSON(t, map[string]any{"threshold": -0.2}), "threshold -0.2 is not in (0, 1)"},
		{"threshold-big.json", modelJSON(t, map[string]any{"threshold": 1.5}), "threshold 1.5 is not in (0, 1)"},
		{"no-threshold.json", modelJSON(t, map[string]any{"threshold": nil}), "threshold 0 is not in (0, 1)"},
		{"huge-weight.json", []byte(strings.Replace(tinyModel, `"bias":-1`, `"bias":1e999`, 1)), "claim"},
	} {
		m, err := ParseModel(tt.data, tt.name)
		if err == nil {
			t.Errorf("ParseModel(%s) = %v, want an error", tt.name, m)
			continue
		}
		if !strings.Contains(err.Error(), tt.name) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseModel(%s) error %q, want one naming %s and saying %q", tt.name, err, tt.name, tt.want)
		}
	}
}

func TestLoadModel(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := os.WriteFile(good, defaultModel, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(good)
	if err != nil {
		t.Fatalf("LoadModel(%s): %v", good, err)
	}
	if b, _ := m.Encode(); !bytes.Equal(b, defaultModel) {
		t.Error("the model loaded from a copy of the built-in file encodes to other bytes")
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(dir, "missing.json")} {
		if _, err := LoadModel(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("LoadModel(%s) = %v, want an error naming the file", path, err)
		}
	}
}

func TestDefaultModel(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatalf("DefaultModel: %v", err)
	}
	lx := mustDefaultLexicon(t)
	if m.Lexicon() != lx.Name() {
		t.Errorf("built-in model trained for lexicon %q, the built-in lexicon is %q", m.Lexicon(), lx.Name())
	}
	if th := m.Threshold(); th <= 0 || th >= 1 {
		t.Errorf("threshold %v not in (0, 1)", th)
	}
	if mc := m.MinConfidence(); mc < m.Threshold() || mc >= 1 {
		t.Errorf("min confidence %v not in [threshold %v, 1)", mc, m.Threshold())
	}
	if m.file.Second < m.Threshold() || m.file.Second > 1 {
		t.Errorf("second threshold %v not in [threshold %v, 1]", m.file.Second, m.Threshold())
	}
	if m.claim.len() == 0 || m.topicModel.len() == 0 {
		t.Errorf("built-in model: %d claim weights, %d topic model weights", m.claim.len(), m.topicModel.len())
	}
	for _, id := range topicModelTopics(t, m) {
		if !slices.Contains(lx.Topics(), id) {
			t.Errorf("built-in model has a topic prior for %q, not a topic of the built-in lexicon", id)
		}
	}
	if tr := m.Training(); tr.Docs == 0 || tr.Positives == 0 || tr.Covered > tr.Gold {
		t.Errorf("built-in model training summary %+v", tr)
	}
	// Bands is a copy.
	if b := m.Bands(); len(b) > 0 {
		b[0].Predicted = -1
		if m.Bands()[0].Predicted == -1 {
			t.Error("Bands returns the model's own slice")
		}
	}
	if len(m.Fingerprint()) != 12 {
		t.Errorf("fingerprint %q, want 12 hex digits", m.Fingerprint())
	}
}

// TestModelEncodeRoundTrip: a model file made by Encode, parsed and encoded
// again, is the same bytes.
func TestModelEncodeRoundTrip(t *testing.T) {
	tiny, err := ParseModel([]byte(tinyModel), "tiny.json")
	if err != nil {
		t.Fatal(err)
	}
	tinyBytes, err := tiny.Encode()
	if err != nil {
		t.Fatal(err)
	}
	// Encode does not escape HTML: feature names stay readable.
	if !bytes.Contains(tinyBytes, []byte(`"w:<nato>&"`)) {
		t.Errorf("the tiny model encodes its feature name w:<nato>& otherwise:\n%s", tinyBytes)
	}
	trained, _ := trainSamples(t)
	trainedBytes, err := trained.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		data []byte
	}{
		{"built-in model", defaultModel},
		{"tiny model", tinyBytes},
		{"model trained on testdata", trainedBytes},
	} {
		m, err := ParseModel(tt.data, tt.name)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, tt.data) {
			t.Errorf("%s: parsed and encoded again, %d bytes differ from the %d read", tt.name, len(got), len(tt.data))
		}
		if m2, err := ParseModel(got, tt.name); err != nil || m2.Fingerprint() != m.Fingerprint() {
			t.Errorf("%s: the re-encoded model does not parse to the same model (%v)", tt.name, err)
		}
	}
}

// TestModelClaims checks what Model.Claims returns on the sample articles,
// with the built-in model and with one trained on the samples: claims of
// the lexicon's parties and kinds, each with at least one of the lexicon's
// topics in the lexicon's order, a confidence in [threshold, 1], offsets
// that slice the article's text to the claim's sentence, which is one of
// the article's sentences, and at most one claim of a sentence below the
// second threshold.
func TestModelClaims(t *testing.T) {
	lx := mustDefaultLexicon(t)
	builtin, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	trained, _ := trainSamples(t)
	parties := map[string]bool{}
	for _, p := range lx.Parties() {
		parties[p.ID] = true
	}
	topics := lx.Topics()
	ex, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Model() == nil {
		t.Fatal("the default extractor has no model")
	}
	for _, tm := range []struct {
		name string
		m    *Model
	}{{"built-in", builtin}, {"trained", trained}} {
		total := 0
		for _, doc := range sampleDocs(t) {
			art, err := Text(doc)
			if err != nil {
				t.Fatal(err)
			}
			sents := ex.Splitter().Split(art)
			claims := tm.m.Claims(lx, nil, art, sents)
			total += len(claims)
			name := tm.name + " " + filepath.Base(doc.Source)
			bySentence := map[int][]float64{}
			for _, c := range claims {
				if !parties[c.Party] {
					t.Errorf("%s: party %q is not in the lexicon", name, c.Party)
				}
				if c.Kind != KindDemand && c.Kind != KindRedLine && c.Kind != KindOffer {
					t.Errorf("%s: kind %q", name, c.Kind)
				}
				if len(c.Topics) == 0 {
					t.Errorf("%s: claim without a topic: %q", name, c.Sentence)
				}
				last := -1
				for _, tp := range c.Topics {
					i := slices.Index(topics, tp)
					if i < 0 {
						t.Errorf("%s: topic %q is not in the lexicon", name, tp)
					}
					if i <= last {
						t.Errorf("%s: topics %q are not in the lexicon's order (or repeat)", name, c.Topics)
					}
					last = i
				}
				if c.Confidence < tm.m.Threshold() || c.Confidence > 1 {
					t.Errorf("%s: confidence %v not in [threshold %v, 1]", name, c.Confidence, tm.m.Threshold())
				}
				if c.Start < 0 || c.End > len(art.Text) || c.Start >= c.End || art.Text[c.Start:c.End] != c.Sentence {
					t.Errorf("%s: [%d, %d) does not slice the text to the sentence %q", name, c.Start, c.End, c.Sentence)
				}
				if !slices.ContainsFunc(sents, func(s Sentence) bool { return s.Start == c.Start && s.End == c.End && s.Text == c.Sentence }) {
					t.Errorf("%s: %q is not one of the article's sentences", name, c.Sentence)
				}
				bySentence[c.Start] = append(bySentence[c.Start], c.Confidence)
			}
			for start, cs := range bySentence {
				slices.Sort(cs)
				slices.Reverse(cs)
				for _, c := range cs[1:] {
					if second := tableConfidence(tm.m.file.Table, tm.m.file.Second); c < second {
						t.Errorf("%s: the sentence at %d has a further claim at %v, below the second threshold's confidence %v", name, start, c, second)
					}
				}
			}
			if tm.name == "built-in" {
				// Extract returns the same claims, with the document's metadata.
				res, err := ex.Extract(doc)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Claims) != len(claims) {
					t.Fatalf("%s: Extract finds %d claims, Model.Claims %d", name, len(res.Claims), len(claims))
				}
				for i, c := range res.Claims {
					c.DocID, c.Source, c.URL, c.Title, c.Outlet, c.Published = "", "", "", "", "", ""
					if !jsonEqual(c, claims[i]) {
						t.Errorf("%s: claim %d of Extract differs from Model.Claims' beyond metadata:\n%+v\n%+v", name, i, c, claims[i])
					}
				}
			}
		}
		if total == 0 {
			t.Errorf("the %s model finds no claim in the sample articles", tm.name)
		}
	}
}

func jsonEqual(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// FuzzParseModel: any input either fails with an error naming it or parses
// into a model that encodes to bytes that parse again to the same bytes;
// it never panics.
func FuzzParseModel(f *testing.F) {
	// The embedded model's first bytes (cut inside its bands), and its
	// header without the weights: small, so the fuzzer mutates them fast.
	f.Add(defaultModel[:min(len(defaultModel), 600)])
	f.Add(modelJSON(f, nil))
	f.Add(modelJSON(f, map[string]any{"claim": nil, "topics": nil, "bands": nil, "training": nil}))
	f.Add([]byte(tinyModel))
	f.Add([]byte(strings.Replace(tinyModel, `"threshold":0.4`, `"threshold":0.99999`, 1)))
	f.Add([]byte(strings.Replace(tinyModel, `"topics":{"nato":{"w:nato":1}}`, `"topics":{"nato":null,"":{"":0}}`, 1)))
	f.Add([]byte(strings.Replace(tinyModel, `"claim":{`, `"claim":{"bias":3,`, 1)))
	f.Add([]byte(`{"format":"redline-claim-model/1","threshold":0.5}`))
	f.Add([]byte(`{"format":"redline-claim-model/1","threshold":0.5} trailing`))
	f.Add([]byte("{}"))
	f.Add([]byte("null"))
	f.Add([]byte(""))
	f.Add([]byte(strings.Replace(tinyModel, `"claim":{`, "\"claim\":{\"w:\\u00e9\xff|offer\" : 1e-3,\n", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseModel(data, "fuzz.json")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.json") {
				t.Fatalf("error does not name the input: %v", err)
			}
			return
		}
		checkMatchesReference(t, m, data)
		if th := m.Threshold(); !(th > 0 && th < 1) {
			t.Fatalf("parsed a model with threshold %v", th)
		}
		enc, err := m.Encode()
		if err != nil {
			t.Fatalf("a parsed model does not encode: %v", err)
		}
		m2, err := ParseModel(enc, "fuzz.json")
		if err != nil {
			t.Fatalf("an encoded model does not parse: %v\n%s", err, enc)
		}
		enc2, err := m2.Encode()
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding is not stable (%v):\n%s\n%s", err, enc, enc2)
		}
		_ = m.Fingerprint()
	})
}

// TestModelTopicIDs: the built-in model scores exactly the built-in
// lexicon's topics, the set New checks a lexicon of its name against.
func TestModelTopicIDs(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(lx.Topics()))
	if got := m.TopicIDs(); !slices.Equal(got, want) {
		t.Errorf("the built-in model scores topics %q, the built-in lexicon has %q", got, want)
	}
	if err := m.fits(lx); err != nil {
		t.Errorf("the built-in model does not fit the built-in lexicon: %v", err)
	}
}
