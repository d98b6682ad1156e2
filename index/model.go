package index

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// modelKey is the Bleve internal key under which the claim model that made
// the index's claims is recorded (see SetModel).
const modelKey = "redline:model"

// ModelInfo records which claim model extracted an index's claims and the
// confidence from which its claims are to be believed. The index does not
// interpret the names; the caller says what they mean.
type ModelInfo struct {
	// Model identifies the model (e.g. a fingerprint of its content).
	Model string `json:"model"`
	// Lexicon names the lexicon the model was trained for.
	Lexicon string `json:"lexicon,omitempty"`
	// MinConfidence is the default confidence filter of reading the
	// claims: the lowest confidence at which the model's claims were
	// measured right often enough. In [0, 1].
	MinConfidence float64 `json:"min_confidence"`
	// Recorded is when an ingest last recorded the model.
	Recorded time.Time `json:"recorded"`
}

// validConfidence reports whether v is a confidence bound: a number in
// [0, 1].
func validConfidence(v float64) bool { return !math.IsNaN(v) && v >= 0 && v <= 1 }

// SetModel records the claim model that makes the claims written from now
// on; nil removes the record (the claims are made by the rules alone, whose
// confidences are not calibrated). The record is a Bleve internal value,
// stored durably and atomically in the index itself, so it travels with the
// index and a reader never sees half of it. Ingest calls it before writing.
func (ix *Index) SetModel(m *ModelInfo) error {
	if ix.opts.ReadOnly {
		return fmt.Errorf("index %s: %w", ix.dir, ErrReadOnly)
	}
	if m == nil {
		if err := ix.bl.DeleteInternal([]byte(modelKey)); err != nil {
			return fmt.Errorf("index: clear model record: %w", ix.wrap(err))
		}
		return nil
	}
	if !validConfidence(m.MinConfidence) {
		return fmt.Errorf("index: model %q: min confidence %v is not in [0, 1]", m.Model, m.MinConfidence)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("index: record model: %w", err)
	}
	if err := ix.bl.SetInternal([]byte(modelKey), b); err != nil {
		return fmt.Errorf("index: record model: %w", ix.wrap(err))
	}
	return nil
}

// Model returns the recorded claim model; ok is false when there is none
// (an index made by the rules alone, or by a build before models were
// recorded). A record that does not parse is an error.
func (ix *Index) Model() (m ModelInfo, ok bool, err error) {
	defer recoverDamage(ix.dir, "read the model record", &err)
	if ok, err = ix.internalJSON(modelKey, "model", &m); !ok || err != nil {
		return m, false, err
	}
	if !validConfidence(m.MinConfidence) {
		return m, false, fmt.Errorf("index %s: the model record has min confidence %v, not in [0, 1]", ix.dir, m.MinConfidence)
	}
	return m, true, nil
}
