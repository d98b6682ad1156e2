package extract

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"redline/corpus"
)

// TrainingDoc is one annotated article prepared for training and
// cross-validation: its candidates with their features and labels, and the
// claims of the rules alone, to compare with.
type TrainingDoc struct {
	// Set names the gold file the article's annotations come from; Name is
	// its gold document name.
	Set, Name string
	// Gold is the article's gold claims; Rules the claims the rules find.
	Gold  []Gold
	Rules []Claim
	cands []candSentence
	// labels holds, per candidate sentence, one label per (holder, kind):
	// 1 matches a required gold claim, 0 matches none, -1 matches only an
	// optional one (left out of training, as scoring leaves it out).
	labels [][]int8
	// Required counts the article's required gold claims, Covered those a
	// candidate matches: the ceiling of what the model can find.
	Required, Covered int
	tags              bool         // prepared with part-of-speech tags
	classes           *WordClasses // prepared with word classes; nil when none
	lex               *Lexicon     // prepared with, for the topic model
	// Weight scales the document's examples in training; 0 means 1.
	Weight float64
}

func (d *TrainingDoc) weight() float64 { return cmp.Or(d.Weight, 1) }

// Prepare reads an annotated article for training: its text, sentences,
// the rules' claims and the model's candidates, labelled with gold, the
// article's gold claims (none for an article annotated as having none).
func (e *Extractor) Prepare(doc corpus.Document, set, name string, gold []Gold) (TrainingDoc, error) {
	td := TrainingDoc{Set: set, Name: name, Gold: gold, lex: e.lex}
	if e.classes.Len() > 0 {
		td.classes = e.classes
	}
	for _, g := range gold {
		if !g.Optional {
			td.Required++
		}
	}
	art, err := Text(doc)
	if err != nil {
		return td, err
	}
	if !IsEnglish(art) {
		return td, nil // kept, as Extract keeps it, but not read for claims
	}
	sents := e.split.Split(art)
	td.Rules, td.cands = e.lex.candidates(art, sents, true, e.tagger, e.classes)
	td.tags = e.tagger != nil
	scored := scoredParties(gold, e.lex)
	goldText := make([]scoreText, len(gold))
	for i, g := range gold {
		goldText[i] = scorePrepare(g.Sentence)
	}
	covered := make([]bool, len(gold))
	td.labels = make([][]int8, len(td.cands))
	for k := range td.cands {
		cs := &td.cands[k]
		st := scorePrepare(cs.sent.Text)
		var overlapping []int
		for gi := range gold {
			if ok, _ := scoreOverlap(&goldText[gi], &st); ok {
				overlapping = append(overlapping, gi)
			}
		}
		labels := make([]int8, len(cs.holders)*len(claimKinds))
		for h, hd := range cs.holders {
			for ki, kind := range claimKinds {
				l := int8(0)
				for _, gi := range overlapping {
					g := gold[gi]
					if g.Kind != kind || g.Party != scored(hd.party) {
						continue
					}
					if !g.Optional {
						l = 1
						covered[gi] = true
					} else if l == 0 {
						l = -1
					}
				}
				labels[h*len(claimKinds)+ki] = l
			}
		}
		td.labels[k] = labels
	}
	for gi, g := range gold {
		if covered[gi] && !g.Optional {
			td.Covered++
		}

	}
	return td, nil
}

// TrainOptions are the learner's settings; the zero value means the
// defaults, which the shipped model is trained with.
type TrainOptions struct {
	Epochs int     // passes over the data; default 20
	Rate   float64 // initial learning rate; default 0.1
	L2     float64 // L2 penalty λ of the mean log loss; default 3e-4
	Folds  int     // inner folds that calibrate the scores; default 5
	Seed   uint64  // shuffling seed; default 1
	// MinDocs drops the features seen in fewer articles; default 3.
	MinDocs int
	// MinWeight leaves out of the model file the weights smaller than it
	// in magnitude; default 0.01, a negative value keeps every weight.
	// Half the weights of the built-in model are that small; without
	// them cross-validation scores the same (within 0.002 F1) and the
	// model is read in half the time.
	MinWeight float64
}

func (o TrainOptions) withDefaults() TrainOptions {
	o.Epochs = cmp.Or(o.Epochs, 20)
	o.Rate = cmp.Or(o.Rate, 0.1)
	o.L2 = cmp.Or(o.L2, 3e-4)
	o.MinDocs = cmp.Or(o.MinDocs, 3)
	o.MinWeight = cmp.Or(o.MinWeight, 0.01)
	o.Folds = cmp.Or(o.Folds, 5)
	o.Seed = cmp.Or(o.Seed, 1)
	return o
}

// vocab maps feature hashes to dense indices and keeps their names.
type vocab struct {
	index map[uint64]int32
	names []string
}

// id returns the index of the feature whose hash is h and whose name is
// name, giving it the next one when it has none yet.
func (v *vocab) id(h uint64, name string) int32 {
	if i, ok := v.index[h]; ok {
		return i
	}
	i := int32(len(v.names))
	v.index[h] = i
	v.names = append(v.names, name)
	return i
}

// example is one labelled candidate: its features as vocabulary indices.
type example struct {
	x    []int32
	y    float64
	doc  int
	sent int     // the candidate sentence, numbered across all docs
	w    float64 // the weight of its document (TrainingDoc.Weight)
}

// examples turns the docs' candidates into examples of the claim
// classifier, leaving out the ignored ones.
func examples(docs []TrainingDoc, v *vocab) (claims []example) {
	buf := featureSet{named: true}
	nsent := 0
	for di := range docs {
		d := &docs[di]
		for k := range d.cands {
			cs := &d.cands[k]
			for h := range cs.holders {
				for ki, kind := range claimKinds {
					l := d.labels[k][h*len(claimKinds)+ki]
					if l < 0 {
						continue
					}
					y := float64(l)
					buf.reset()
					kindFeatures(cs, &cs.holders[h], kind, &buf)
					x := make([]int32, buf.len())
					for i, fh := range buf.hs {
						x[i] = v.id(fh, buf.names[i])
					}
					claims = append(claims, example{x: x, y: y, doc: di, sent: nsent, w: d.weight()})
				}
			}
			nsent++
		}
	}
	return claims
}

// prune drops the features seen in fewer than min articles: a feature of
// one article teaches that article, not the next.
func prune(set []example, v *vocab, min int) []example {
	docs := make([]map[int]bool, len(v.names))
	for _, e := range set {
		for _, f := range e.x {
			if docs[f] == nil {
				docs[f] = map[int]bool{}
			}
			docs[f][e.doc] = true
		}
	}
	remap := make([]int32, len(v.names))
	nv := &vocab{index: map[uint64]int32{}}
	for i, name := range v.names {
		remap[i] = -1
		if len(docs[i]) >= min {
			remap[i] = int32(len(nv.names))
			nv.names = append(nv.names, name)
		}
	}
	for k := range set {
		x := set[k].x[:0:0]
		for _, f := range set[k].x {
			if r := remap[f]; r >= 0 {
				x = append(x, r)
			}
		}
		set[k].x = x
	}
	*v = *nv
	return set
}

// fitLR fits an L2-regularised logistic regression by stochastic gradient
// descent (Bottou's schedule: rate 1/(λ(t+t0)), the L2 shrink applied to
// all weights at once through a scale factor), visiting the examples in an
// order shuffled with the seed, so that the same data gives the same
// weights. Every feature is penalised alike, however often it occurs.
func fitLR(ex []example, dim int, o TrainOptions) []float64 {
	v := make([]float64, dim)
	scale := 1.0
	lambda := o.L2
	t0 := 1 / (lambda * o.Rate)
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	t := 0.0
	for range o.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			e := &ex[i]
			eta := 1 / (lambda * (t + t0))
			t++
			z := 0.0
			for _, f := range e.x {
				z += v[f]
			}
			g := (sigmoid(z*scale) - e.y) * e.w
			scale *= 1 - eta*lambda
			step := eta * g / scale
			for _, f := range e.x {
				v[f] -= step
			}
			if scale < 1e-6 {
				for k := range v {
					v[k] *= scale
				}
				scale = 1
			}
		}
	}
	for k := range v {
		v[k] *= scale
	}
	return v
}

func score(w []float64, x []int32) float64 {
	z := 0.0
	for _, f := range x {
		if int(f) < len(w) {
			z += w[f]
		}
	}
	return z
}

// fitPlatt fits a, b so that σ(a·z + b) is the measured probability of
// y = 1 given the score z (Platt scaling): Newton's method on the log
// loss, each step halved until the loss goes down.
func fitPlatt(z, y []float64) (a, b float64) {
	loss := func(a, b float64) float64 {
		l := 0.0
		for i := range z {
			t := a*z[i] + b
			// log(1+e^t) - y·t, computed without overflow.
			l += math.Max(t, 0) + math.Log1p(math.Exp(-math.Abs(t))) - y[i]*t
		}
		return l
	}
	a, b = 1, 0
	cur := loss(a, b)
	for range 100 {
		var ga, gb, haa, hab, hbb float64
		for i := range z {
			p := sigmoid(a*z[i] + b)
			d := p - y[i]
			ga += d * z[i]
			gb += d
			s := p * (1 - p)
			haa += s * z[i] * z[i]
			hab += s * z[i]
			hbb += s
		}
		haa += 1e-3
		hbb += 1e-3
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		step := 1.0
		for ; step > 1e-6; step /= 2 {
			if l := loss(a-step*da, b-step*db); l < cur {
				a, b, cur = a-step*da, b-step*db, l
				break
			}
		}
		if step <= 1e-6 || math.Abs(step*da)+math.Abs(step*db) < 1e-9 {
			break
		}
	}
	return a, b
}

// bandEdges are the lower edges of the calibration bands.
var bandEdges = []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// Calibration measures the precision of claims by confidence band: conf
// are the confidences of predicted claims and right says which were right.
func Calibration(conf []float64, right []bool) []CalibrationBand {
	var out []CalibrationBand
	for i := len(bandEdges) - 1; i >= 0; i-- {
		b := CalibrationBand{Min: bandEdges[i], Max: 1}
		if i+1 < len(bandEdges) {
			b.Max = bandEdges[i+1]
		}
		for k, c := range conf {
			if c >= b.Min && (c < b.Max || (b.Max == 1 && c <= 1)) {
				b.Predicted++
				if right[k] {
					b.Right++
				}
			}
		}
		if b.Predicted > 0 {
			b.Precision = float64(b.Right) / float64(b.Predicted)
		}
		out = append(out, b)
	}
	return out
}

// Train fits a model on the docs: the claim classifier on every labelled
// candidate, the calibration and decision threshold on scores the docs
// get from models trained without them (inner folds by article), and one
// classifier per topic. lexicon is the lexicon's name, recorded in the
// model.
func Train(lexicon string, docs []TrainingDoc, o TrainOptions) (*Model, error) {
	o = o.withDefaults()
	if len(docs) == 0 {
		return nil, fmt.Errorf("train: no annotated documents")
	}
	for _, d := range docs[1:] {
		if d.classes != docs[0].classes {
			return nil, fmt.Errorf("train: documents %s and %s were prepared with different word classes", docs[0].Name, d.Name)
		}
	}
	v := &vocab{index: map[uint64]int32{}}
	claims := prune(examples(docs, v), v, o.MinDocs)
	pos, required, covered := 0, 0, 0
	for _, e := range claims {
		if e.y > 0 {
			pos++
		}
	}
	for _, d := range docs {
		required += d.Required
		covered += d.Covered
	}
	if pos == 0 {
		return nil, fmt.Errorf("train: no candidate matches a required gold claim")
	}

	// Out-of-fold scores, for calibration.
	fold := foldsOf(docs, o.Folds, o.Seed)
	z := make([]float64, len(claims))
	y := make([]float64, len(claims))
	avg := make([]float64, len(v.names))
	for f := range o.Folds {
		var train []example
		for _, e := range claims {
			if fold[e.doc] != f {
				train = append(train, e)
			}
		}
		w := fitLR(train, len(v.names), o)
		for i, e := range claims {
			if fold[e.doc] == f {
				z[i] = score(w, e.x)
			}
		}
		for k := range w {
			avg[k] += w[k] / float64(o.Folds)
		}
	}
	sc := make([]int, len(claims))
	for i, e := range claims {
		y[i], sc[i] = e.y, e.sent
	}
	// A confidence is the precision measured for such claims: calibrate
	// on the candidates a permissive decoding would emit, not on the mass
	// of hopeless ones, which would make the top bands overconfident.
	a, b := fitPlatt(z, y)
	conf := make([]float64, len(z))
	for i := range z {
		conf[i] = sigmoid(a*z[i] + b)
	}
	var dz, dy []float64
	for _, i := range decode(conf, sc, 0.05, 0.2) {
		dz, dy = append(dz, z[i]), append(dy, y[i])
	}
	if len(dz) > 50 {
		a, b = fitPlatt(dz, dy)
		for i := range z {
			conf[i] = sigmoid(a*z[i] + b)
		}
	}
	threshold, second := bestThreshold(conf, y, sc, required)
	// The claims taken at the chosen thresholds (each sentence's best
	// candidate, and few others) are a population of their own: the
	// calibration is refitted on exactly them, so that a confidence is the
	// precision measured where claims are made. The refit is monotone, so
	// the thresholds move with it and the same candidates are taken.
	a, b, threshold, second = recalibrate(z, y, sc, a, b, threshold, second)
	threshold, second = round4(threshold), max(round4(second), round4(threshold))
	for i := range z {
		conf[i] = sigmoid(a*z[i] + b)
	}
	// The shipped weights are the fold models' mean, which scores unseen
	// articles more surely than any one fold model: the confidence table
	// is fitted on scores of such means (ensembleScores), where the
	// scores above would make the middle bands underconfident.
	table, pc, pr := confidenceTable(ensembleScores(claims, fold, o.Folds, len(v.names), o), y, sc, a, b, threshold, second)
	mf := modelFile{
		Format: ModelFormat, Lexicon: lexicon, Tags: docs[0].tags, Threshold: threshold, Second: second,
		CalA: round4(a), CalB: round4(b), Table: table, Bands: Calibration(pc, pr),
		MinConfidence: minConfidence(pc, pr, round4(tableConfidence(table, threshold))),
		Training: TrainingSummary{
			Docs: len(docs), Gold: required, Candidates: len(claims), Positives: pos, Covered: covered,
			Options: fmt.Sprintf("epochs=%d rate=%g l2=%g folds=%d seed=%d mindocs=%d minweight=%g", o.Epochs, o.Rate, o.L2, o.Folds, o.Seed, o.MinDocs, o.MinWeight),
		},
		Claim:  map[string]float64{},
		Topics: map[string]map[string]float64{},
	}
	if docs[0].lex != nil {
		mf.LexiconSections = docs[0].lex.sections
	}
	for _, d := range docs {
		if !slices.Contains(mf.Training.Sources, d.Set) {
			mf.Training.Sources = append(mf.Training.Sources, d.Set)
		}
	}
	slices.Sort(mf.Training.Sources)
	// The shipped weights are the mean of the fold models: their scores
	// are the ones the calibration was fitted on, where a model refitted
	// on all the data would score more boldly than its calibration knows.
	keep(mf.Claim, avg, v.names, o.MinWeight)

	mf.TopicModel = trainTopicModel(docs, o)
	if docs[0].classes != nil {
		mf.Classes = docs[0].classes.Fingerprint()
	}
	data, err := json.Marshal(mf)
	if err != nil {
		return nil, err
	}
	m, err := ParseModel(data, "trained model")
	if err != nil {
		return nil, err
	}
	m.classes = docs[0].classes
	return m, nil
}

// keep stores the weights that matter by feature name: those of at least
// min in magnitude, rounded so that the file is small and the same on every
// machine.
func keep(dst map[string]float64, w []float64, names []string, min float64) {
	for i, x := range w {
		if r := round4(x); r != 0 && math.Abs(r) >= min {
			dst[names[i]] += r
		}
	}
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// foldsOf assigns each doc to one of k folds: docs in their given order,
// shuffled with the seed, dealt round-robin.
func foldsOf(docs []TrainingDoc, k int, seed uint64) []int {
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0xf01d))
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	fold := make([]int, len(docs))
	for n, i := range order {
		fold[i] = n % k
	}
	return fold
}

// decode returns the candidates taken at thresholds t (a sentence's best
// candidate) and second (any other), as Model.Claims takes them; sent
// gives each candidate's sentence.
func decode(conf []float64, sent []int, t, second float64) []int {
	best := map[int]int{}
	for i, c := range conf {
		if b, ok := best[sent[i]]; c >= t && (!ok || c > conf[b]) {
			best[sent[i]] = i
		}
	}
	var out []int
	for i, c := range conf {
		if b, ok := best[sent[i]]; ok && (b == i || c >= second) {
			out = append(out, i)
		}
	}
	return out
}

// bestThreshold returns the thresholds that maximise claim F1 over the
// out-of-fold scores; required counts all required gold claims, including
// those no candidate covers.
func bestThreshold(conf, y []float64, sent []int, required int) (float64, float64) {
	best, bestSecond, bestF := 0.5, 0.5, -1.0
	for t := 0.02; t < 0.9; t += 0.02 {
		for _, second := range []float64{t, 0.3, 0.4, 0.5, 0.6, 0.7, 1} {
			if second < t {
				continue
			}
			tp, fp := 0, 0
			for _, i := range decode(conf, sent, t, second) {
				if y[i] > 0 {
					tp++
				} else {
					fp++
				}
			}
			if tp == 0 {
				continue
			}
			p := float64(tp) / float64(tp+fp)
			r := float64(tp) / float64(required)
			if f := 2 * p * r / (p + r); f > bestF+1e-9 {
				best, bestSecond, bestF = t, second, f
			}
		}
	}
	return math.Round(best*100) / 100, math.Round(bestSecond*100) / 100
}

// recalibrate refits the calibration σ(a·z + b) on the candidates taken at
// thresholds t and second, and returns it with the thresholds in its terms
// (a second threshold of 1, which takes no second claim, stays 1). With
// too few candidates taken, or a refit that would reverse the order of
// the scores, it returns its arguments.
func recalibrate(z, y []float64, sent []int, a, b, t, second float64) (float64, float64, float64, float64) {
	conf := make([]float64, len(z))
	for i := range z {
		conf[i] = sigmoid(a*z[i] + b)
	}
	var lz, ly []float64
	for _, i := range decode(conf, sent, t, second) {
		lz, ly = append(lz, a*z[i]+b), append(ly, y[i])
	}
	if len(lz) <= 50 {
		return a, b, t, second
	}
	al, be := fitPlatt(lz, ly)
	if !(al > 0) {
		return a, b, t, second
	}
	move := func(p float64) float64 { return sigmoid(al*math.Log(p/(1-p)) + be) }
	t = move(t)
	if second < 1 {
		second = move(second)
	}
	return al * a, al*b + be, t, second
}

// minSupport is how many claims a confidence edge needs above it before
// their measured precision is believed.
const minSupport = 20

// minConfidence is the lowest edge (the threshold, or a multiple of 0.05
// above it) from which the claims at or above it were right at least 80%
// of the time, with minSupport claims or more, and with the lower end of
// the precision's Wilson interval (one standard error) at 0.8 or more too,
// so that the default holds on articles the training never saw; when no
// edge qualifies, the one with the highest lower end.
func minConfidence(conf []float64, right []bool, threshold float64) float64 {
	return MinConfidence(conf, right, threshold)
}

// MinConfidence is the min confidence that claims of confidences conf,
// right or not, measure, as training sets it for a model (min_confidence):
// the lowest edge at or above threshold, on a grid of 0.05, from which
// they were right at least 80% of the time, at 20 claims or more and with
// the lower end of the precision's Wilson interval (one standard error)
// at 0.8 too; when no edge qualifies, the one with the highest lower end.
func MinConfidence(conf []float64, right []bool, threshold float64) float64 {
	edges := []float64{threshold}
	for e := 0.05; e < 1; e += 0.05 {
		edges = append(edges, math.Round(e*100)/100)
	}
	best, bestL := 0.9, -1.0
	for _, e := range edges {
		if e < threshold {
			continue
		}
		n, r := 0, 0
		for i, c := range conf {
			if c >= e {
				n++
				if right[i] {
					r++
				}
			}
		}
		if n < minSupport {
			continue
		}
		l := wilsonLower(r, n, 1)
		if l >= 0.8 {
			return e
		}
		if l > bestL {
			best, bestL = e, l
		}
	}
	return best
}

// Encode returns the model file's bytes: the same model, the same bytes.
func (m *Model) Encode() ([]byte, error) {
	f, err := m.weightsByName()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Predict returns the model's claims for a prepared document, as Claims
// would find them.
func (m *Model) Predict(lx *Lexicon, d *TrainingDoc) []Claim {
	return m.claimsOf(lx, d.cands)
}

// CrossValidate splits the docs into k folds by article (shuffled with the
// options' seed), trains a model on all folds but one and predicts the
// claims of that one; it returns each doc's out-of-fold claims, keyed by
// the doc's index.
func CrossValidate(lx *Lexicon, docs []TrainingDoc, k int, o TrainOptions) ([][]Claim, error) {
	o = o.withDefaults()
	fold := foldsOf(docs, k, o.Seed+100)
	out := make([][]Claim, len(docs))
	for f := range k {
		var train []TrainingDoc
		for i := range docs {
			if fold[i] != f {
				train = append(train, docs[i])
			}
		}
		m, err := Train(lx.Name(), train, o)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f+1, err)
		}
		for i := range docs {
			if fold[i] == f {
				out[i] = m.Predict(lx, &docs[i])
			}
		}
	}
	return out, nil
}
