package extract

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
)

//go:embed model.json
var defaultModel []byte

// ModelFormat names the model file format this build writes. It also
// reads modelFormat1, the format before confidence tables, whose claims
// carry the Platt probability as their confidence.
const ModelFormat = "redline-claim-model/2"

const modelFormat1 = "redline-claim-model/1"

// Model is a trained claim model: a logistic regression over (sentence,
// holder, kind) candidates, a topic model over (claim, topic) pairs, the
// calibration that turns a candidate's score into the precision measured
// for such scores, and the decision threshold. It is read from a file made
// by Train (`redline train`), is immutable, and is safe for concurrent use.
type Model struct {
	file        modelFile
	claim       *weights
	kinds       *kindWeights // claim's weights, plain and per kind, for scoring
	topics      []topicWeights
	topicModel  *weights          // nil for a model file without one
	topicWords  *topicWordWeights // topicModel's weights of the sentence's words, by topic
	fingerprint string
	classes     *WordClasses // those it was trained with; nil when none
	// raw is the file the model was parsed from. file lacks the weights
	// by name (Claim, Topics, TopicModel), which only Encode needs: it
	// decodes them from raw (weightsByName).
	raw []byte
}

type topicWeights struct {
	id string
	w  *weights
}

// modelFile is the JSON form of a Model. encoding/json writes map keys in
// sorted order, so the same training writes the same bytes.
type modelFile struct {
	Format string `json:"format"`
	// Lexicon is the name of the lexicon the model was trained with: its
	// features are that lexicon's party ids, cues and topics.
	Lexicon string `json:"lexicon"`
	// Threshold is the calibrated probability at or above which a candidate
	// is a claim.
	Threshold float64 `json:"threshold"`
	// Tags says the model was trained with part-of-speech features.
	Tags bool `json:"tags"`
	// Classes is the fingerprint of the word classes the model was
	// trained with (WordClasses.Fingerprint), "" for none: the model's
	// class features mean nothing with other classes.
	Classes string `json:"classes,omitempty"`
	// LexiconSections is a fingerprint of each section of the lexicon the
	// model was trained with (lexiconSections); absent in older files. A
	// lexicon of the same name whose sections differ is not refused, since
	// an alias added is a fair edit, but it is said: the model's measured
	// precision was measured with the other lexicon.
	LexiconSections map[string]string `json:"lexicon_sections,omitempty"`
	// Second is the threshold for a sentence's second and further claims.
	Second float64 `json:"second"`
	// MinConfidence is the lowest confidence at which, in the training's
	// cross-validation, claims were right at least 80% of the time, the
	// uncertainty of the measure counted (minConfidence): the default
	// filter of search and export.
	MinConfidence float64 `json:"min_confidence"`
	// CalA and CalB calibrate a raw score z: probability σ(CalA·z + CalB),
	// which the thresholds compare and Table turns into the confidence.
	CalA float64 `json:"cal_a"`
	CalB float64 `json:"cal_b"`
	// Table turns the calibrated probability of a claim into its
	// confidence (tableConfidence): the precision measured for claims of
	// that probability. Without one (format 1) the confidence is the
	// probability itself.
	Table []CalPoint `json:"table,omitempty"`
	// Bands is the calibration measured when the model was trained.
	Bands []CalibrationBand `json:"bands"`
	// Training says what the model was trained on.
	Training TrainingSummary `json:"training"`
	// Claim holds the weights of the claim classifier by feature name.
	Claim map[string]float64 `json:"claim"`
	// Topics holds the weights of each topic's classifier, used by a
	// model file without TopicModel.
	Topics map[string]map[string]float64 `json:"topics"`
	// TopicModel holds the weights of the topic model (topicmodel.go).
	TopicModel map[string]float64 `json:"topic_model,omitempty"`
}

// CalibrationBand is the measured precision of the claims whose confidence
// lies in [Min, Max) (the top band includes 1).
type CalibrationBand struct {
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	Predicted int     `json:"predicted"`
	Right     int     `json:"right"`
	Precision float64 `json:"precision"`
}

// TrainingSummary describes a model's training data and options.
type TrainingSummary struct {
	Docs       int      `json:"docs"`
	Gold       int      `json:"gold"`       // required gold claims
	Candidates int      `json:"candidates"` // (sentence, holder, kind) triples
	Positives  int      `json:"positives"`
	Covered    int      `json:"covered"` // required gold claims some candidate matches
	Sources    []string `json:"sources"` // the gold files
	Options    string   `json:"options"`
}

// DefaultModel returns the built-in model, trained on the built-in
// lexicon with `make train`.
func DefaultModel() (*Model, error) { return ParseModel(defaultModel, "built-in model") }

// LoadModel reads a model file; errors name the file.
func LoadModel(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseModel(data, path)
}

// ParseModel parses a model file's content; name is used in errors.
func ParseModel(data []byte, name string) (*Model, error) {
	var head modelHead
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&head); err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("model %s: data after the model's JSON object", name)
	}
	f := head.modelFile
	if f.Format != ModelFormat && f.Format != modelFormat1 {
		return nil, fmt.Errorf("model %s: format %q, want %q", name, f.Format, ModelFormat)
	}
	if err := checkTable(f.Format, f.Table); err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	switch {
	case !(f.Threshold > 0 && f.Threshold < 1):
		return nil, fmt.Errorf("model %s: threshold %v is not in (0, 1)", name, f.Threshold)
	case !(f.Second >= f.Threshold && f.Second <= 1):
		return nil, fmt.Errorf("model %s: second threshold %v is not in [threshold, 1]", name, f.Second)
	case !(f.MinConfidence >= 0 && f.MinConfidence <= 1):
		return nil, fmt.Errorf("model %s: min_confidence %v is not in [0, 1]", name, f.MinConfidence)
	case math.IsNaN(f.CalA) || math.IsInf(f.CalA, 0) || math.IsNaN(f.CalB) || math.IsInf(f.CalB, 0):
		return nil, fmt.Errorf("model %s: calibration (%v, %v) is not finite", name, f.CalA, f.CalB)
	}
	sum := sha256.Sum256(data)
	m := &Model{file: f, raw: bytes.Clone(data), fingerprint: hex.EncodeToString(sum[:6])}
	// The claim weights, the topic model and the word classes are read
	// side by side: a command that extracts claims waits for all three
	// before its first document. Their errors are reported in that order,
	// whichever comes first, so that a bad file always gets one message.
	var wg sync.WaitGroup
	var claimErr, topicErr, classErr error
	wg.Go(func() { m.claim, m.kinds, claimErr = readClaimWeights(head.Claim) })
	wg.Go(func() {
		if !isNull(head.TopicModel) {
			if m.topicModel, m.topicWords, topicErr = readTopicModel(head.TopicModel); topicErr != nil {
				return
			}
		}
		m.topics, topicErr = readTopics(head.Topics)
	})
	var classes *WordClasses
	if f.Classes != "" {
		// The built-in classes are bound at once; others by WithClasses.
		wg.Go(func() { classes, classErr = DefaultWordClasses() })
	}
	wg.Wait()
	if err := cmp.Or(claimErr, topicErr, classErr); err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	if classes != nil && classes.Fingerprint() == f.Classes {
		m.classes = classes
	}
	return m, nil
}

// weightsByName returns the model's file with its weights by name, as
// Encode writes it: decoded again from the file the model was parsed from.
func (m *Model) weightsByName() (modelFile, error) {
	var f modelFile
	dec := json.NewDecoder(bytes.NewReader(m.raw))
	if err := dec.Decode(&f); err != nil {
		return modelFile{}, err
	}
	return f, nil
}

// Lexicon is the name of the lexicon the model was trained with.
func (m *Model) Lexicon() string { return m.file.Lexicon }

// TopicIDs returns, sorted, the topics the model scores: those its topic
// model's weights are conjoined with (or, in a file without one, those of
// its per-topic classifiers). They are the topics of the lexicon it was
// trained with; nil for a model that scores none.
func (m *Model) TopicIDs() []string {
	var ids []string
	if m.topicWords != nil {
		ids = slices.Collect(maps.Keys(m.topicWords.cols))
	}
	for _, t := range m.topics {
		ids = append(ids, t.id)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// fits checks that the model can score claims of lx: a model records the
// name of its lexicon, not its content, and a lexicon edited under the
// same name (a topic renamed, added or dropped) would have its claims
// given topics the model never learned, or none of the new ones. The
// topics are what the file tells: the error names those the lexicon lacks
// and those the model never saw.
func (m *Model) fits(lx *Lexicon) error {
	have := m.TopicIDs()
	if len(have) == 0 {
		return nil
	}
	var unknown, lacking []string
	for _, t := range lx.topicIDs {
		if _, ok := slices.BinarySearch(have, t); !ok {
			unknown = append(unknown, t)
		}
	}
	for _, t := range have {
		if !slices.Contains(lx.topicIDs, t) {
			lacking = append(lacking, t)
		}
	}
	if len(unknown) == 0 && len(lacking) == 0 {
		return nil
	}
	var why []string
	if len(unknown) > 0 {
		why = append(why, "the lexicon has topics the model was not trained on ("+strings.Join(unknown, ", ")+")")
	}
	if len(lacking) > 0 {
		why = append(why, "the model scores topics the lexicon lacks ("+strings.Join(lacking, ", ")+")")
	}
	return fmt.Errorf("the claim model was trained for lexicon %q, and this lexicon goes by that name, but %s: train a model for this lexicon (redline train), give it another name, or use the rules alone (--rules)",
		m.Lexicon(), strings.Join(why, "; and "))
}

// Classes is the fingerprint of the word classes the model was trained
// with, "" when it reads none.
func (m *Model) Classes() string { return m.file.Classes }

// LexiconChanges returns, sorted, the sections of lx ("cues", "parties",
// ...) that differ from those of the lexicon the model was trained with;
// nil when none does, or when the model file does not record them.
func (m *Model) LexiconChanges(lx *Lexicon) []string {
	if len(m.file.LexiconSections) == 0 {
		return nil
	}
	return changedSections(m.file.LexiconSections, lx.sections)
}

// WithClasses returns the model reading wc, which must be the word classes
// it was trained with (the same fingerprint). A model trained with the
// built-in classes has them already; one trained with other classes finds
// no claims as trained until it is given them.
func (m *Model) WithClasses(wc *WordClasses) (*Model, error) {
	if m.file.Classes == "" {
		return m, nil
	}
	if wc == nil || wc.Fingerprint() != m.file.Classes {
		got := "none"
		if wc != nil {
			got = wc.Fingerprint()
		}
		return nil, fmt.Errorf("the claim model was trained with word classes %s, not %s: give it the class file it was trained with (--classes)", m.file.Classes, got)
	}
	out := *m
	out.classes = wc
	return &out, nil
}

// Tags reports whether the model reads part-of-speech tags.
func (m *Model) Tags() bool { return m.file.Tags }

// Threshold is the lowest confidence the model gives a claim: that of
// the calibrated probability at or above which a candidate is a claim,
// rounded down to three decimals, since a claim's confidence is rounded to
// three (one at the threshold would otherwise fall below it).
func (m *Model) Threshold() float64 {
	return math.Floor(tableConfidence(m.file.Table, m.file.Threshold)*1000) / 1000
}

// MinConfidence is the default confidence filter for reading claims: the
// lowest confidence at which the training's cross-validation measured a
// precision of at least 0.8.
func (m *Model) MinConfidence() float64 { return m.file.MinConfidence }

// Bands is the calibration measured when the model was trained.
func (m *Model) Bands() []CalibrationBand { return slices.Clone(m.file.Bands) }

// Training describes the model's training data.
func (m *Model) Training() TrainingSummary { return m.file.Training }

// Fingerprint identifies the model's content: a hash of its file, so that
// any change of a weight changes it.
func (m *Model) Fingerprint() string { return m.fingerprint }

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// dot returns the sum of the weights of the features whose hashes are
// hs, added up in their order.
func dot(w *weights, hs []uint64) float64 {
	z := 0.0
	for _, h := range hs {
		z += w.get(h)
	}
	return z
}

// Claims finds the claims of an article with the model: the rules propose
// holders and features, the model decides. sents are the article's
// sentences as Splitter.Split returns them; tagger must be non-nil when
// the model was trained with part-of-speech tags (Tags). A model trained
// with word classes other than the built-in ones reads them only once
// given them (WithClasses; New does it, or refuses other classes).
func (m *Model) Claims(lx *Lexicon, tagger *Tagger, a Article, sents []Sentence) []Claim {
	_, cands := lx.candidates(a, sents, false, tagger, m.classes)
	return m.claimsOf(lx, cands)
}

// claimsOf scores the candidates and returns those the model takes.
func (m *Model) claimsOf(lx *Lexicon, cands []candSentence) []Claim {
	var out []Claim
	var buf featureSet
	type scored struct {
		h    int
		kind string
		p    float64
	}
	var ps []scored
	var ta *topicArticle       // made for the article's first claim
	ts := topicSentence{k: -1} // read for each sentence's first claim
	for k := range cands {
		cs := &cands[k]
		ps = ps[:0]
		// kindFeatures lists every sentence and holder feature plain and
		// conjoined with the kind: the sentence's sums are the same for
		// every holder, so they are added once here, and one lookup per
		// feature (kindWeights) gives the plain and every kind's sum.
		var base [len(claimKinds)]float64
		bs := m.kinds.sums(cs.base.hs)
		for ki := range claimKinds {
			base[ki] = bs[0] + bs[1+ki]
		}
		for h := range cs.holders {
			hd := &cs.holders[h]
			hs := m.kinds.sums(hd.feats.hs)
			for ki, kind := range claimKinds {
				buf.reset()
				kindOnly(cs, hd, kind, &buf)
				z := base[ki] + hs[0] + hs[1+ki] + dot(m.claim, buf.hs)
				p := sigmoid(m.file.CalA*z + m.file.CalB)
				if p >= m.file.Threshold {
					ps = append(ps, scored{h, kind, p})
				}
			}
		}
		if len(ps) == 0 {
			continue
		}
		// A sentence states one position far more often than two: the
		// best candidate is taken at the threshold, any other only at the
		// higher one.
		slices.SortStableFunc(ps, func(a, b scored) int { return cmp.Compare(b.p, a.p) })
		var predicted []string
		for n, s := range ps {
			if n > 0 && s.p < m.file.Second {
				break
			}
			if ta == nil {
				ta = newTopicArticle(lx, cands)
			}
			if ts.k != k && m.topicModel != nil {
				m.readSentence(lx, ta, k, &ts)
			}
			topics := m.claimTopics(lx, ta, &ts, cs.holders[s.h].party, s.kind)
			// Without a topic model: the rules read a claim's topics per
			// clause, which a sentence-wide classifier cannot: where they
			// found the same claim, their topics stand; else the
			// lexicon's phrases in the sentence; else the classifier, so
			// that a claim is never dropped for want of a topic phrase.
			if topics == nil {
				topics = ruleTopics(cs, cs.holders[s.h].party, s.kind)
			}
			if topics == nil {
				topics = cs.lex
			}
			if topics == nil {
				if predicted == nil {
					fs := lx.topicFeatures(cs, false)
					predicted = m.predictTopics(fs.hs, lx)
				}
				topics = predicted
			}
			c := buildClaim(cs, &cs.holders[s.h], s.kind, tableConfidence(m.file.Table, s.p), topics)
			slices.SortFunc(c.Topics, func(a, b string) int {
				return slices.Index(lx.topicIDs, a) - slices.Index(lx.topicIDs, b)
			})
			out = append(out, c)
		}
	}
	return out
}

// ruleTopics returns the topics of the rules' claim of party and kind in
// the sentence, or nil.
func ruleTopics(cs *candSentence, party, kind string) []string {
	for _, r := range cs.rules {
		if r.Party == party && r.Kind == kind && len(r.Topics) > 0 {
			return r.Topics
		}
	}
	return nil
}

var claimKinds = [...]string{KindDemand, KindRedLine, KindOffer}

// predictTopics returns the topics whose classifier says yes of the
// features whose hashes are hs, or the most likely one: a claim is never
// dropped for want of a topic phrase.
func (m *Model) predictTopics(hs []uint64, lx *Lexicon) []string {
	var out []string
	best, bestZ := "", math.Inf(-1)
	for _, t := range m.topics {
		z := dot(t.w, hs)
		if z >= 0 {
			out = append(out, t.id)
		}
		if z > bestZ {
			best, bestZ = t.id, z
		}
	}
	if len(out) == 0 && best != "" {
		out = []string{best}
	}
	slices.SortFunc(out, func(a, b string) int {
		return slices.Index(lx.topicIDs, a) - slices.Index(lx.topicIDs, b)
	})
	return out
}

// buildClaim makes the claim of a candidate: what the rules found for the
// same holder and kind when they found it, else what the sentence says.
func buildClaim(cs *candSentence, h *holder, kind string, p float64, topics []string) Claim {
	c := Claim{
		Sentence: cs.sent.Text, Start: cs.sent.Start, End: cs.sent.End,
		Party: h.party, Kind: kind, Topics: slices.Clone(topics),
		Confidence: math.Round(p*1000) / 1000,
	}
	for _, r := range cs.rules {
		if r.Party == h.party && r.Kind == kind {
			c.Speaker, c.Target, c.Hedged, c.Condition, c.Cue, c.Attribution = r.Speaker, r.Target, r.Hedged, r.Condition, r.Cue, r.Attribution
			return c
		}
	}
	c.Speaker, c.Attribution, c.Hedged = h.speaker, h.attribution, cs.hedged
	at := -1
	for _, cu := range cs.cues {
		if cu.kind == kind {
			at = cu.i
			c.Cue = cu.written(cs.ss)
			break
		}
	}
	if at < 0 && len(cs.cues) > 0 {
		at, c.Cue = cs.cues[0].i, cs.cues[0].written(cs.ss)
	}
	if at >= 0 {
		c.Condition = condition(cs.ss, at)
		c.Target = target(cs.ss, cue{i: at}, h.party)
	}
	return c
}
