package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"redline/extract"
	"redline/filter"
	"redline/index"
)

// minConfidenceHelp is the paragraph of search, export and compare --help
// on the confidence filter.
const minConfidenceHelp = `--min-confidence X leaves out the claims whose confidence is below X (a
number from 0 to 1). The default is the min confidence of the claim model
that made the index's claims, recorded at ingest: the lowest confidence from
which that model's claims were right at least 80% of the time in its
cross-validation, counting the uncertainty of the measure (when none
reached that, the one nearest it; redline eval --cv reports it).
--min-confidence 0 shows every
claim. An index made by the rules alone, or by a redline older than this
filter, records no model: its default is 0, everything is shown. redline
stats shows the recorded model and how many claims reach its min confidence.
`

// confidenceFlag is --min-confidence: a number in [0, 1], and whether it
// was given at all (when not, the index's recorded default applies).
type confidenceFlag struct {
	v   float64
	set bool
}

func addMinConfidence(fs *flag.FlagSet) *confidenceFlag {
	f := &confidenceFlag{}
	fs.Var(f, "min-confidence", "leave out claims with a confidence below `X`, in [0, 1]; 0 shows all (default: the min confidence of the index's model, or 0 when none is recorded)")
	return f
}

func (f *confidenceFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

// Set parses the value; the flag package reports an error as a bad command
// line (exit 2).
func (f *confidenceFlag) Set(s string) error {
	v, err := filter.ParseConfidence(s)
	if err != nil {
		return err
	}
	f.v, f.set = v, true
	return nil
}

// value is the bound given on the command line, nil when the flag was not
// given (then filter.MinConfidence takes the index's recorded default).
func (f *confidenceFlag) value() *float64 {
	if f == nil || !f.set {
		return nil
	}
	return &f.v
}

// recordModel records in the index the claim model of the extractor about
// to write claims, or removes the record when the rules alone decide (their
// confidences are not calibrated, so nothing is hidden by default). When
// the index holds articles made under another record, it warns: those
// claims stay until they are ingested again, and the new default applies
// to them too.
func (e *env) recordModel(ix *index.Index, ex *extract.Extractor) error {
	var rec *index.ModelInfo
	if m := ex.Model(); m != nil {
		rec = &index.ModelInfo{Model: m.Fingerprint(), Lexicon: m.Lexicon(), MinConfidence: m.MinConfidence(), Recorded: time.Now().UTC()}
	}
	prev, had, err := ix.Model()
	if err != nil {
		// A damaged record is replaced: it only sets a default.
		e.log.Warn("replacing the index's model record", "reason", err)
		had = false
	}
	changed := had != (rec != nil) || (had && (prev.Model != rec.Model || prev.MinConfidence != rec.MinConfidence))
	if changed {
		if n, err := ix.DocCount(); err == nil && n > 0 {
			was, now := "no model (the rules alone or an older redline)", "no model (the rules alone)"
			if had {
				was = describeModel(prev)
			}
			if rec != nil {
				now = describeModel(*rec)
			}
			e.log.Warn("the index holds claims of another extractor: search, export and compare now default to this run's min confidence, also for the claims this run does not extract again",
				"was", was, "now", now, "min_confidence", minConfOf(rec))
		}
	}
	return ix.SetModel(rec)
}

func minConfOf(m *index.ModelInfo) float64 {
	if m == nil {
		return 0
	}
	return m.MinConfidence
}

// describeModel names a recorded model for people.
func describeModel(m index.ModelInfo) string {
	s := "claim model " + m.Model
	if m.Lexicon != "" {
		s += " (lexicon " + m.Lexicon + ")"
	}
	return s + fmt.Sprintf(", min confidence %.2f", m.MinConfidence)
}
