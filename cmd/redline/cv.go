package main

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"

	"redline/extract"
)

// cvSet is the cross-validated score of one gold file, beside the rules'.
type cvSet struct {
	Gold     string         `json:"gold"`
	Docs     int            `json:"docs"`
	Required int            `json:"required"`
	Covered  int            `json:"covered"` // required gold claims some candidate matches
	Ceiling  float64        `json:"ceiling"`
	Model    extract.Report `json:"model"`
	Rules    extract.Report `json:"rules"`
}

// cvReport is what `eval --cv` prints.
type cvReport struct {
	Folds       int                       `json:"folds"`
	Sets        []cvSet                   `json:"sets"`
	All         cvSet                     `json:"all"`
	Calibration []extract.CalibrationBand `json:"calibration"`
	// AtMin is the measured precision of the claims at or above
	// MinConfidence: that of the built-in model, the default filter of
	// search and export, when the lexicon is the built-in model's
	// (MinConfidenceOf "built-in model"); else, as no model of that
	// lexicon is at hand, the one these out-of-fold claims measure, as
	// training would set it ("cross-validation").
	MinConfidence   float64 `json:"min_confidence"`
	MinConfidenceOf string  `json:"min_confidence_of"`
	AtMin           float64 `json:"precision_at_min_confidence"`
	AtMinClaims     int     `json:"claims_at_min_confidence"`
}

// crossValidate scores the model by K-fold cross-validation over the
// prepared articles, per gold file and pooled, beside the rules alone.
func (e *env) crossValidate(ctx context.Context, ex *extract.Extractor, golds []string, tds []extract.TrainingDoc, k int, seed uint64, asJSON, verbose bool) error {
	oof, err := extract.CrossValidate(ex.Lexicon(), tds, k, extract.TrainOptions{Seed: seed})
	if err != nil {
		return err
	}
	// Training the folds does not stop for Ctrl-C: an interrupted run
	// reports no scores.
	if err := ctx.Err(); err != nil {
		return err
	}
	score := func(set string) cvSet {
		s := cvSet{Gold: set}
		var gold []extract.Gold
		model, rules := map[string][]extract.Claim{}, map[string][]extract.Claim{}
		for i, td := range tds {
			if set != "" && td.Set != set {
				continue
			}
			key := td.Name
			if set == "" {
				key = td.Set + "#" + td.Name
			}
			for _, g := range td.Gold {
				g.Doc = key
				gold = append(gold, g)
			}
			s.Docs++
			s.Required += td.Required
			s.Covered += td.Covered
			model[key], rules[key] = oof[i], td.Rules
		}
		s.Ceiling = ratio(s.Covered, s.Required)
		s.Model, s.Rules = extract.Score(gold, model, ex.Lexicon()), extract.Score(gold, rules, ex.Lexicon())
		return s
	}
	rep := cvReport{Folds: k}
	for _, g := range golds {
		rep.Sets = append(rep.Sets, score(g))
	}
	rep.All = score("")
	rep.All.Gold = "all"
	var conf []float64
	var right []bool
	for _, o := range rep.All.Model.Outcomes {
		conf = append(conf, o.Confidence)
		right = append(right, o.Right)
	}
	rep.Calibration = extract.Calibration(conf, right)
	// The built-in model's min confidence means something only for
	// claims of its lexicon.
	if m, err := extract.DefaultModel(); err == nil && m.Lexicon() == ex.Lexicon().Name() {
		rep.MinConfidence, rep.MinConfidenceOf = m.MinConfidence(), "built-in model"
	} else {
		// From the lowest confidence a claim got, as training starts
		// from its threshold's.
		low := 0.0
		if len(conf) > 0 {
			low = slices.Min(conf)
		}
		rep.MinConfidence, rep.MinConfidenceOf = extract.MinConfidence(conf, right, low), "cross-validation"
	}
	n, r := 0, 0
	for i, c := range conf {
		if c >= rep.MinConfidence {
			n++
			if right[i] {
				r++
			}
		}
	}
	rep.AtMinClaims, rep.AtMin = n, ratio(r, n)
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.write(e.stdout, verbose)
}

func (r cvReport) write(w io.Writer, verbose bool) error {
	ew := &errWriter{w: w}
	ew.printf("cross-validation: %d folds by article; each fold scored by a model trained on the others\n\n", r.Folds)
	ew.printf("%-28s %5s %5s %7s | %-22s %5s %5s | %-22s %5s %5s\n", "gold", "docs", "req", "ceiling", "model P / R / F1", "party", "topic", "rules P / R / F1", "party", "topic")
	row := func(s cvSet) {
		name := s.Gold
		if name != "all" {
			name = filepath.Base(filepath.Dir(name)) + "/" + filepath.Base(name)
		}
		ew.printf("%-28s %5d %5d %7.3f | %.3f / %.3f / %.3f %5.3f %5.3f | %.3f / %.3f / %.3f %5.3f %5.3f\n",
			name, s.Docs, s.Required, s.Ceiling,
			s.Model.Precision, s.Model.Recall, s.Model.F1, s.Model.PartyAccuracy, s.Model.TopicF1,
			s.Rules.Precision, s.Rules.Recall, s.Rules.F1, s.Rules.PartyAccuracy, s.Rules.TopicF1)
	}
	for _, s := range r.Sets {
		row(s)
	}
	if len(r.Sets) > 1 {
		row(r.All)
	}
	ew.printf("\nper kind, all sets    model P / R / F1        rules P / R / F1\n")
	for _, k := range []string{extract.KindDemand, extract.KindRedLine, extract.KindOffer} {
		m, ru := r.All.Model.PerKind[k], r.All.Rules.PerKind[k]
		ew.printf("%-20s  %.3f / %.3f / %.3f   %.3f / %.3f / %.3f\n", k, m.Precision, m.Recall, m.F1, ru.Precision, ru.Recall, ru.F1)
	}
	ew.printf("\ncalibration of the model's confidence, out of fold\nconfidence    claims  right  precision\n")
	for _, b := range r.Calibration {
		if b.Predicted == 0 {
			continue
		}
		ew.printf("[%.2f,%.2f%s  %6d %6d  %9.3f\n", b.Min, b.Max, map[bool]string{true: "]", false: ")"}[b.Max == 1], b.Predicted, b.Right, b.Precision)
	}
	if r.MinConfidenceOf == "built-in model" {
		ew.printf("claims at the default --min-confidence %.2f: %d, right %.3f\n", r.MinConfidence, r.AtMinClaims, r.AtMin)
	} else {
		ew.printf("claims at the min confidence they measure, %.2f (the built-in model is for another lexicon): %d, right %.3f\n", r.MinConfidence, r.AtMinClaims, r.AtMin)
	}
	if verbose {
		for _, s := range r.Sets {
			ew.printf("\n== %s (model, out of fold)\n", s.Gold)
			if err := s.Model.WriteText(w, true); err != nil {
				return err
			}
		}
	}
	return ew.err
}
