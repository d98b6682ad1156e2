package extract

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"redline/corpus"
)

// The training tests learn from the eight sample articles and their gold,
// which are in the repository: small enough to train on in a second.
const sampleGoldPath = "../testdata/gold.jsonl"

// rulesExtractor returns an extractor with the built-in lexicon and no
// model, as training prepares documents with.
func rulesExtractor(t testing.TB) *Extractor {
	t.Helper()
	ex, err := New(Options{Rules: true})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// sampleDocs reads the sample articles, in file name order.
func sampleDocs(t testing.TB) []corpus.Document {
	t.Helper()
	src, err := corpus.Open([]string{goldenArticles}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var docs []corpus.Document
	for {
		doc, err := src.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("reading %s: %v", goldenArticles, err)
		}
		docs = append(docs, doc)
	}
	slices.SortFunc(docs, func(a, b corpus.Document) int { return strings.Compare(a.Source, b.Source) })
	if len(docs) != 8 {
		t.Fatalf("%s holds %d articles, want 8", goldenArticles, len(docs))
	}
	return docs
}

// sampleGold reads testdata/gold.jsonl grouped by article.
func sampleGold(t testing.TB) map[string][]Gold {
	t.Helper()
	f, err := os.Open(sampleGoldPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gold, err := ReadGold(f, sampleGoldPath)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]Gold{}
	for _, g := range gold {
		out[g.Doc] = append(out[g.Doc], g)
	}
	return out
}

// prepareSamples prepares the sample articles for training with their gold,
// in article name order (as redline train orders them).
func prepareSamples(t testing.TB) []TrainingDoc {
	t.Helper()
	ex := rulesExtractor(t)
	gold := sampleGold(t)
	var tds []TrainingDoc
	for _, doc := range sampleDocs(t) {
		name := filepath.Base(doc.Source)
		g, ok := gold[name]
		if !ok {
			t.Fatalf("no gold for sample article %s", name)
		}
		td, err := ex.Prepare(doc, sampleGoldPath, name, g)
		if err != nil {
			t.Fatalf("Prepare(%s): %v", name, err)
		}
		tds = append(tds, td)
	}
	return tds
}

// trainSamples trains a model on the sample articles with the defaults.
func trainSamples(t testing.TB) (*Model, []TrainingDoc) {
	t.Helper()
	docs := prepareSamples(t)
	m, err := Train(mustDefaultLexicon(t).Name(), docs, TrainOptions{})
	if err != nil {
		t.Fatalf("Train: %v", err)
	}
	return m, docs
}

func mustDefaultLexicon(t testing.TB) *Lexicon {
	t.Helper()
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	return lx
}

func TestPrepareSamples(t *testing.T) {
	docs := prepareSamples(t)
	gold := sampleGold(t)
	for _, d := range docs {
		req := 0
		for _, g := range gold[d.Name] {
			if !g.Optional {
				req++
			}
		}
		if d.Required != req || d.Covered > d.Required {
			t.Errorf("%s: required %d, covered %d; the gold has %d required claims", d.Name, d.Required, d.Covered, req)
		}
		if len(d.labels) != len(d.cands) {
			t.Fatalf("%s: %d candidate sentences, %d label rows", d.Name, len(d.cands), len(d.labels))
		}
		for k, cs := range d.cands {
			if len(d.labels[k]) != len(cs.holders)*len(claimKinds) {
				t.Errorf("%s: sentence %d has %d holders and %d labels", d.Name, cs.index, len(cs.holders), len(d.labels[k]))
			}
		}
	}
}

// plattData returns n samples at each score of a grid with exactly the
// share of positives σ(a·z + b) says (rounded).
func plattData(a, b float64, n int) (z, y []float64) {
	for s := -3.0; s <= 3.0; s += 0.25 {
		pos := int(math.Round(float64(n) * sigmoid(a*s+b)))
		for i := range n {
			z = append(z, s)
			y = append(y, map[bool]float64{true: 1, false: 0}[i < pos])
		}
	}
	return z, y
}

func TestFitPlatt(t *testing.T) {
	for _, tt := range []struct{ a, b float64 }{
		{1, 0},
		{2, -1},
		{0.5, 0.3},
		{0.66, -0.28},
		{-1, 0.5},
		{3, 2},
	} {
		z, y := plattData(tt.a, tt.b, 400)
		a, b := fitPlatt(z, y)
		if math.Abs(a-tt.a) > 0.05 || math.Abs(b-tt.b) > 0.05 {
			t.Errorf("fitPlatt on data from a=%v b=%v: a=%.4f b=%.4f", tt.a, tt.b, a, b)
		}
	}
	// Separable scores have no finite optimum: the fit must stay finite
	// and order the two classes.
	a, b := fitPlatt([]float64{-1, -1, 1, 1}, []float64{0, 0, 1, 1})
	if math.IsNaN(a) || math.IsInf(a, 0) || math.IsNaN(b) || math.IsInf(b, 0) || a <= 0 {
		t.Errorf("fitPlatt on separable data: a=%v b=%v, want finite with a > 0", a, b)
	}
	// No data: the identity calibration.
	if a, b := fitPlatt(nil, nil); a != 1 || b != 0 {
		t.Errorf("fitPlatt(nil) = %v, %v, want 1, 0", a, b)
	}
}

// TestRecalibrate checks that the calibration refitted on the claims a
// decoding takes keeps taking the same claims and makes their mean
// confidence their measured precision, where the first calibration, fitted
// on every candidate, was off.
func TestRecalibrate(t *testing.T) {
	// 200 sentences of three candidates: the best is right three times in
	// four whatever its score, the others never, so a calibration of all
	// candidates underrates the best ones.
	var z, y []float64
	var sent []int
	for s := range 200 {
		for k := range 3 {
			z = append(z, float64(s%7)/3-float64(k))
			y = append(y, map[bool]float64{true: 1, false: 0}[k == 0 && s%4 != 0])
			sent = append(sent, s)
		}
	}
	a, b := fitPlatt(z, y)
	thr, second := 0.1, 1.0
	taken := func(a, b, t, second float64) ([]int, float64, float64) {
		conf := make([]float64, len(z))
		for i := range z {
			conf[i] = sigmoid(a*z[i] + b)
		}
		idx := decode(conf, sent, t, second)
		var sc, sy float64
		for _, i := range idx {
			sc += conf[i]
			sy += y[i]
		}
		return idx, sc / float64(len(idx)), sy / float64(len(idx))
	}
	before, meanBefore, precision := taken(a, b, thr, second)
	if math.Abs(meanBefore-precision) < 0.1 {
		t.Fatalf("test data too easy: mean confidence %.3f, precision %.3f before", meanBefore, precision)
	}
	a2, b2, thr2, second2 := recalibrate(z, y, sent, a, b, thr, second)
	if second2 != 1 {
		t.Errorf("second threshold 1 became %v", second2)
	}
	after, meanAfter, precisionAfter := taken(a2, b2, thr2, second2)
	if !slices.Equal(before, after) {
		t.Errorf("recalibration changed the claims taken: %d before, %d after", len(before), len(after))
	}
	if math.Abs(meanAfter-precisionAfter) > 0.02 {
		t.Errorf("after recalibration mean confidence %.3f, precision %.3f; want them equal", meanAfter, precisionAfter)
	}
	// Too few claims taken: nothing changes.
	if a3, b3, t3, s3 := recalibrate(z[:30], y[:30], sent[:30], a, b, thr, 0.5); a3 != a || b3 != b || t3 != thr || s3 != 0.5 {
		t.Errorf("recalibrate on 10 sentences changed the calibration")
	}
}

func TestDecode(t *testing.T) {
	for _, tt := range []struct {
		name      string
		conf      []float64
		sent      []int
		t, second float64
		want      []int
	}{
		{"nothing", nil, nil, 0.5, 0.5, nil},
		{"below threshold", []float64{0.2, 0.4}, []int{0, 1}, 0.5, 0.5, nil},
		{"one per sentence", []float64{0.6, 0.4, 0.9}, []int{0, 1, 2}, 0.5, 0.5, []int{0, 2}},
		{"at the threshold", []float64{0.5}, []int{0}, 0.5, 0.7, []int{0}},
		{"best of a sentence at t, others at second", []float64{0.55, 0.8, 0.6, 0.75}, []int{0, 0, 0, 0}, 0.5, 0.7, []int{1, 3}},
		{"others below second dropped", []float64{0.55, 0.6}, []int{0, 0}, 0.5, 0.7, []int{1}},
		{"second at t takes all above t", []float64{0.55, 0.6, 0.3}, []int{0, 0, 0}, 0.5, 0.5, []int{0, 1}},
		{"second 1 takes the best only", []float64{0.95, 0.99}, []int{0, 0}, 0.5, 1, []int{1}},
		{"a sentence without a best takes none", []float64{0.45, 0.45}, []int{0, 0}, 0.5, 0.4, nil},
		{"tie: the first is the best", []float64{0.6, 0.6}, []int{3, 3}, 0.5, 0.7, []int{0}},
		{"sentences apart", []float64{0.9, 0.3, 0.72, 0.8, 0.6}, []int{0, 1, 0, 1, 1}, 0.5, 0.7, []int{0, 2, 3}},
	} {
		got := decode(tt.conf, tt.sent, tt.t, tt.second)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: decode(%v, %v, %v, %v) = %v, want %v", tt.name, tt.conf, tt.sent, tt.t, tt.second, got, tt.want)
		}
	}
}

func TestBestThreshold(t *testing.T) {
	for _, tt := range []struct {
		name              string
		conf, y           []float64
		sent              []int
		required          int
		wantT, wantSecond float64
	}{
		{
			// One candidate a sentence. F1 by threshold: above 0.71 one
			// right (0.5), (0.51, 0.71] two right (0.8), (0.31, 0.51] two
			// right, one false (0.667), (0.11, 0.31] three right, one
			// false (0.857), at or below 0.11 three right, two false.
			// The lowest threshold of the best range is 0.12.
			name:     "one a sentence",
			conf:     []float64{0.91, 0.71, 0.51, 0.31, 0.11},
			y:        []float64{1, 1, 0, 1, 0},
			sent:     []int{0, 1, 2, 3, 4},
			required: 3,
			wantT:    0.12, wantSecond: 0.12,
		},
		{
			// Two sentences with a second candidate each, one right
			// (0.65), one false (0.45), and a false sentence at 0.33:
			// every claim right and none false takes t above 0.33 and a
			// second threshold in (0.45, 0.65], the first tried being 0.5.
			name:     "second claims",
			conf:     []float64{0.9, 0.65, 0.8, 0.45, 0.33},
			y:        []float64{1, 1, 1, 0, 0},
			sent:     []int{0, 0, 1, 1, 2},
			required: 3,
			wantT:    0.34, wantSecond: 0.5,
		},
		{
			// Nothing right: the defaults.
			name:     "no positive",
			conf:     []float64{0.9, 0.5},
			y:        []float64{0, 0},
			sent:     []int{0, 1},
			required: 2,
			wantT:    0.5, wantSecond: 0.5,
		},
	} {
		gotT, gotSecond := bestThreshold(tt.conf, tt.y, tt.sent, tt.required)
		if gotT != tt.wantT || gotSecond != tt.wantSecond {
			t.Errorf("%s: bestThreshold = %v, %v, want %v, %v", tt.name, gotT, gotSecond, tt.wantT, tt.wantSecond)
		}
	}
}

// claimsAt returns n confidences c, the first right of them right.
func claimsAt(c float64, n, right int) ([]float64, []bool) {
	conf, r := make([]float64, n), make([]bool, n)
	for i := range n {
		conf[i], r[i] = c, i < right
	}
	return conf, r
}

func TestMinConfidence(t *testing.T) {
	join := func(sets ...func() ([]float64, []bool)) ([]float64, []bool) {
		var conf []float64
		var right []bool
		for _, s := range sets {
			c, r := s()
			conf, right = append(conf, c...), append(right, r...)
		}
		return conf, right
	}
	at := func(c float64, n, right int) func() ([]float64, []bool) {
		return func() ([]float64, []bool) { return claimsAt(c, n, right) }
	}
	for _, tt := range []struct {
		name      string
		sets      []func() ([]float64, []bool)
		threshold float64
		want      float64
	}{
		// At 0.3 to 0.55: 45 of 60 right (0.75); from 0.6: 30 of 30.
		{"0.8 reached", []func() ([]float64, []bool){at(0.85, 30, 30), at(0.55, 30, 15)}, 0.3, 0.6},
		// The threshold itself is the first edge tried.
		{"at the threshold", []func() ([]float64, []bool){at(0.5, 30, 30)}, 0.47, 0.47},
		// Edges below the threshold are not offered.
		{"edges below the threshold", []func() ([]float64, []bool){at(0.35, 30, 30), at(0.65, 30, 30)}, 0.62, 0.62},
		// Edges are multiples of 0.05: from 0.75, 30 of 30.
		{"between band edges", []func() ([]float64, []bool){at(0.77, 30, 30), at(0.72, 30, 10)}, 0.3, 0.75},
		// From 0.3 to 0.7, 58 of 70 right (0.83), but the lower end of
		// the interval (0.78) is not 0.8: the default waits for the 40 of
		// 40 from 0.75.
		{"0.8 measured on too few", []func() ([]float64, []bool){at(0.9, 40, 40), at(0.7, 30, 18)}, 0.3, 0.75},
		// Never 0.8: 20 of 50 (0.4) from 0.3 to 0.45, 15 of 25 (0.6)
		// from 0.5 to 0.85; the lowest edge with the best lower end.
		{"not reached: best", []func() ([]float64, []bool){at(0.85, 25, 15), at(0.45, 25, 5)}, 0.3, 0.5},
		// 10 claims at 0.95 all right are too few to believe: from 0.3
		// to 0.55, 22 of 40 right (0.55) is the best supported.
		{"support below 20 ignored", []func() ([]float64, []bool){at(0.95, 10, 10), at(0.55, 30, 12)}, 0.3, 0.3},
		// 19 claims: no edge has the support.
		{"too few claims", []func() ([]float64, []bool){at(0.95, 19, 19)}, 0.3, 0.9},
		{"no claims", nil, 0.3, 0.9},
	} {
		conf, right := join(tt.sets...)
		if got := minConfidence(conf, right, tt.threshold); got != tt.want {
			t.Errorf("%s: minConfidence = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCalibration(t *testing.T) {
	conf := []float64{1, 0.95, 0.9, 0.89, 0.85, 0.6, 0.65, 0.5, 0.2, 0.19, 0}
	right := []bool{true, true, false, true, false, true, true, false, true, true, true}
	bands := Calibration(conf, right)
	type band struct {
		min, max        float64
		predicted, good int
	}
	want := []band{
		{0.9, 1, 3, 2}, // 1 (the top band includes 1), 0.95, 0.9
		{0.8, 0.9, 2, 1},
		{0.7, 0.8, 0, 0},
		{0.6, 0.7, 2, 2},
		{0.5, 0.6, 1, 0},
		{0.4, 0.5, 0, 0},
		{0.3, 0.4, 0, 0},
		{0.2, 0.3, 1, 1},
		{0.1, 0.2, 1, 1}, // 0.19
		{0, 0.1, 1, 1},   // 0: every confidence is in a band
	}
	if len(bands) != len(want) {
		t.Fatalf("Calibration: %d bands, want %d: %+v", len(bands), len(want), bands)
	}
	for i, w := range want {
		b := bands[i]
		if b.Min != w.min || b.Max != w.max || b.Predicted != w.predicted || b.Right != w.good {
			t.Errorf("band %d = [%v,%v) %d predicted %d right, want [%v,%v) %d predicted %d right",
				i, b.Min, b.Max, b.Predicted, b.Right, w.min, w.max, w.predicted, w.good)
		}
		wantP := 0.0
		if w.predicted > 0 {
			wantP = float64(w.good) / float64(w.predicted)
		}
		if b.Precision != wantP {
			t.Errorf("band [%v,%v): precision %v, want %v", b.Min, b.Max, b.Precision, wantP)
		}
	}
	// A band's counts never exceed its claims.
	if empty := Calibration(nil, nil); len(empty) != len(want) || empty[0].Predicted != 0 {
		t.Errorf("Calibration(nil) = %+v", empty)
	}
}

func TestTrainDeterministic(t *testing.T) {
	lx := mustDefaultLexicon(t)
	m1, docs := trainSamples(t)
	b1, err := m1.Encode()
	if err != nil {
		t.Fatal(err)
	}
	// The same docs again, and docs prepared afresh: the same bytes.
	m2, err := Train(lx.Name(), docs, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m3, err := Train(lx.Name(), prepareSamples(t), TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range []*Model{m2, m3} {
		b, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, b1) {
			t.Errorf("training %d encodes to %d bytes differing from the first training's %d", i+2, len(b), len(b1))
		}
	}
	// Another seed is another model (so the seed is really used).
	m4, err := Train(lx.Name(), docs, TrainOptions{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if b4, _ := m4.Encode(); bytes.Equal(b4, b1) {
		t.Error("training with seed 7 gives the bytes of seed 1")
	}

	tr := m1.Training()
	required := 0
	for _, d := range docs {
		required += d.Required
	}
	if tr.Docs != 8 || tr.Gold != required || tr.Covered > tr.Gold || tr.Covered == 0 || tr.Positives == 0 || tr.Candidates < tr.Positives {
		t.Errorf("training summary %+v: want 8 docs, %d gold, 0 < covered <= gold, 0 < positives <= candidates", tr, required)
	}
	if !slices.Equal(tr.Sources, []string{sampleGoldPath}) {
		t.Errorf("training sources %q, want [%s]", tr.Sources, sampleGoldPath)
	}
	if m1.Lexicon() != lx.Name() || m1.Tags() {
		t.Errorf("model lexicon %q tags %v, want %q without tags", m1.Lexicon(), m1.Tags(), lx.Name())
	}
	if th := m1.Threshold(); th <= 0 || th >= 1 || m1.MinConfidence() < th {
		t.Errorf("threshold %v, min confidence %v: want 0 < threshold <= min confidence", th, m1.MinConfidence())
	}
	if m1.claim.len() == 0 || m1.topicModel.len() == 0 {
		t.Errorf("the model has %d claim weights and %d topic model weights", m1.claim.len(), m1.topicModel.len())
	}
	// Every topic the topic model has a prior for is a topic of the lexicon.
	ids := topicModelTopics(t, m1)
	if len(ids) == 0 {
		t.Error("the topic model has no topic priors")
	}
	for _, id := range ids {
		if !slices.Contains(lx.Topics(), id) {
			t.Errorf("topic model prior for %q, not a topic of the lexicon", id)
		}
	}
}

func TestTrainErrors(t *testing.T) {
	lx := mustDefaultLexicon(t)
	if _, err := Train(lx.Name(), nil, TrainOptions{}); err == nil || !strings.Contains(err.Error(), "no annotated documents") {
		t.Errorf("Train(no docs) = %v, want an error saying there are no annotated documents", err)
	}
	// Articles annotated as having no claim: nothing to learn a claim from.
	ex := rulesExtractor(t)
	var docs []TrainingDoc
	for _, doc := range sampleDocs(t) {
		td, err := ex.Prepare(doc, "none.jsonl", filepath.Base(doc.Source), nil)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, td)
	}
	if _, err := Train(lx.Name(), docs, TrainOptions{}); err == nil || !strings.Contains(err.Error(), "no candidate matches a required gold claim") {
		t.Errorf("Train(no positives) = %v, want an error saying no candidate matches a gold claim", err)
	}
	// Only optional gold: no positive either.
	gold := sampleGold(t)
	docs = docs[:0]
	for _, doc := range sampleDocs(t) {
		name := filepath.Base(doc.Source)
		var opt []Gold
		for _, g := range gold[name] {
			if g.Optional {
				opt = append(opt, g)
			}
		}
		td, err := ex.Prepare(doc, "optional.jsonl", name, opt)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, td)
	}
	if _, err := Train(lx.Name(), docs, TrainOptions{}); err == nil {
		t.Error("Train on optional gold only succeeded, want the no-positive error")
	}
}

// TestCrossValidateFolds: each doc's cross-validated claims are those of
// the model trained on the other fold alone.
func TestCrossValidateFolds(t *testing.T) {
	lx := mustDefaultLexicon(t)
	docs := prepareSamples(t)
	const k = 2
	o := TrainOptions{}
	oof, err := CrossValidate(lx, docs, k, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(oof) != len(docs) {
		t.Fatalf("CrossValidate: %d results for %d docs", len(oof), len(docs))
	}
	fold := foldsOf(docs, k, o.withDefaults().Seed+100)
	for f := range k {
		var train []TrainingDoc
		var held []int
		for i := range docs {
			if fold[i] == f {
				held = append(held, i)
			} else {
				train = append(train, docs[i])
			}
		}
		if len(held) == 0 || len(train) == 0 {
			t.Fatalf("fold %d holds %d of %d docs", f, len(held), len(docs))
		}
		m, err := Train(lx.Name(), train, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range held {
			if want := m.Predict(lx, &docs[i]); !reflect.DeepEqual(oof[i], want) {
				t.Errorf("%s: %d cross-validated claims differ from the %d of the model trained without its fold", docs[i].Name, len(oof[i]), len(want))
			}
		}
	}
}

// TestCrossValidateNoLeak checks, without knowing how the folds are dealt,
// that a doc is never predicted by a model that saw it: poisoning one
// doc's labels (every label flipped, weighted 20 times) leaves its own
// cross-validated claims unchanged, while it changes those of the docs
// whose model trained on it.
func TestCrossValidateNoLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: nine cross-validations")
	}
	lx := mustDefaultLexicon(t)
	docs := prepareSamples(t)
	ref, err := CrossValidate(lx, docs, 2, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for i := range docs {
		poisoned := slices.Clone(docs)
		d := &poisoned[i]
		d.Weight = 20
		d.labels = make([][]int8, len(docs[i].labels))
		for k, row := range docs[i].labels {
			d.labels[k] = make([]int8, len(row))
			for j, l := range row {
				d.labels[k][j] = l
				if l >= 0 {
					d.labels[k][j] = 1 - l
				}
			}
		}
		got, err := CrossValidate(lx, poisoned, 2, TrainOptions{})
		if err != nil {
			t.Fatalf("poisoning %s: %v", docs[i].Name, err)
		}
		if !reflect.DeepEqual(got[i], ref[i]) {
			t.Errorf("poisoning the labels of %s changed its own cross-validated claims (%d, were %d): a model that saw it predicted it",
				docs[i].Name, len(got[i]), len(ref[i]))
		}
		for j := range docs {
			if j != i && !reflect.DeepEqual(got[j], ref[j]) {
				changed++
				break
			}
		}
	}
	if changed == 0 {
		t.Error("poisoning a doc never changed another doc's claims: the test cannot tell a leak")
	}
}

func TestCrossValidateErrors(t *testing.T) {
	lx := mustDefaultLexicon(t)
	ex := rulesExtractor(t)
	var docs []TrainingDoc
	for _, doc := range sampleDocs(t) {
		td, err := ex.Prepare(doc, "none.jsonl", filepath.Base(doc.Source), nil)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, td)
	}
	if _, err := CrossValidate(lx, docs, 2, TrainOptions{}); err == nil || !strings.Contains(err.Error(), "fold 1") {
		t.Errorf("CrossValidate without positives = %v, want an error naming fold 1", err)
	}
}
