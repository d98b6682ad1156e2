package extract

// Reading a model file's weights. A model holds tens of thousands of
// weights by feature name; decoded into maps of strings by encoding/json
// and hashed afterwards, they took about a tenth of a second, which every
// command that extracts claims paid before reading its first document.
// ParseModel lets encoding/json check the whole file and decode the small
// fields, and keeps each weight object as raw JSON; scanWeights then reads
// the names and numbers of that object straight into hashes, without a
// map of strings. The weights by name are decoded only when the model is
// written out again (Model.Encode), which training and tests do.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"
)

// modelHead is a model file with its weight objects kept as raw JSON: the
// outer fields hide modelFile's fields of the same JSON names, so that a
// decoder with DisallowUnknownFields accepts exactly modelFile's fields.
type modelHead struct {
	modelFile
	Claim      json.RawMessage `json:"claim"`
	Topics     json.RawMessage `json:"topics"`
	TopicModel json.RawMessage `json:"topic_model,omitempty"`
}

// isNull reports whether raw is absent or the JSON null, which decodes to
// a nil map.
func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// scanWeights calls fn with each name and weight of raw, a JSON object of
// numbers or null, in the order of the file (a weight of null is 0). raw must be a JSON value that
// a decoder has checked: scanWeights trusts its grammar (string and number
// boundaries) and reports only what a map of float64 would refuse, a value
// that is not an object or a weight that is not a number in range. A name
// that appears twice is given twice: the caller keeps the last, as
// decoding into a map does.
func scanWeights(raw json.RawMessage, what string, fn func(name []byte, w float64)) error {
	if isNull(raw) {
		return nil
	}
	s := &weightScanner{b: raw}
	s.space()
	if !s.eat('{') {
		return fmt.Errorf("%s: not an object of weights", what)
	}
	var unq []byte
	for {
		s.space()
		if s.eat('}') {
			return nil
		}
		s.eat(',')
		s.space()
		name, escaped := s.str()
		if escaped || !utf8.Valid(name) {
			// Escapes are rare in feature names: let the JSON package
			// undo them, and replace bytes that are not UTF-8 as it does
			// in a map's keys.
			var v string
			if err := json.Unmarshal(name, &v); err != nil {
				return fmt.Errorf("%s: name %s: %w", what, name, err)
			}
			unq = append(unq[:0], v...)
			name = unq
		} else {
			name = name[1 : len(name)-1]
		}
		s.space()
		s.eat(':')
		s.space()
		if bytes.HasPrefix(s.b[s.i:], []byte("null")) {
			// JSON's null leaves a number as it is: a weight of 0, as
			// decoding into a map of float64 takes it.
			s.i += len("null")
			fn(name, 0)
			continue
		}
		num := s.number()
		if len(num) == 0 {
			return fmt.Errorf("%s: the weight of %q is not a number", what, name)
		}
		w, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			return fmt.Errorf("%s: the weight of %q: %w", what, name, err)
		}
		fn(name, w)
	}
}

// weightScanner walks a checked JSON object of numbers.
type weightScanner struct {
	b []byte
	i int
}

func (s *weightScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *weightScanner) eat(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// str returns the JSON string at the cursor with its quotes, and whether
// it holds an escape.
func (s *weightScanner) str() ([]byte, bool) {
	start := s.i
	s.i++ // the opening quote
	escaped := false
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			escaped = true
			s.i += 2
			continue
		case '"':
			s.i++
			return s.b[start:s.i], escaped
		}
		s.i++
	}
	return s.b[start:], escaped
}

// number returns the JSON number at the cursor, empty when the value is
// something else (a string, an object, true, …).
func (s *weightScanner) number() []byte {
	start := s.i
	if s.i < len(s.b) && (s.b[s.i] == '-' || s.b[s.i] >= '0' && s.b[s.i] <= '9') {
		for s.i < len(s.b) && bytes.IndexByte([]byte("+-.0123456789eE"), s.b[s.i]) >= 0 {
			s.i++
		}
	}
	return s.b[start:s.i]
}

// fnvAddBytes continues hash h with b, as fnvAdd does with a string.
func fnvAddBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}

// readClaimWeights reads the claim classifier's weights: by hash, and by
// feature with their conjunctions with each kind (kindWeights).
func readClaimWeights(raw json.RawMessage) (*weights, *kindWeights, error) {
	var keys, bases []uint64
	var vals []float64
	err := scanWeights(raw, "claim", func(name []byte, w float64) {
		h := fnvAddBytes(fnvOffset, name)
		keys, vals = append(keys, h), append(vals, w)
		bases = addKindBases(bases, name, h)
	})
	if err != nil {
		return nil, nil, err
	}
	ws := newWeights(keys, vals)
	return ws, newKindWeights(bases, ws), nil
}

// readTopicModel reads the topic model's weights: by hash, and the word
// features by topic (topicWordWeights).
func readTopicModel(raw json.RawMessage) (*weights, *topicWordWeights, error) {
	var keys []uint64
	var vals []float64
	words := topicWordBases{cols: map[string]int{}}
	err := scanWeights(raw, "topic_model", func(name []byte, w float64) {
		keys, vals = append(keys, fnvAddBytes(fnvOffset, name)), append(vals, w)
		words.add(name)
	})
	if err != nil {
		return nil, nil, err
	}
	ws := newWeights(keys, vals)
	return ws, newTopicWordWeights(words, ws), nil
}

// readTopics reads the per-topic classifiers of a model file without a
// topic model (format 1), in the order of the topic ids.
func readTopics(raw json.RawMessage) ([]topicWeights, error) {
	if isNull(raw) {
		return nil, nil
	}
	var byTopic map[string]json.RawMessage
	if err := json.Unmarshal(raw, &byTopic); err != nil {
		return nil, fmt.Errorf("topics: %w", err)
	}
	var out []topicWeights
	for _, id := range slices.Sorted(maps.Keys(byTopic)) {
		var keys []uint64
		var vals []float64
		err := scanWeights(byTopic[id], "topics: "+id, func(name []byte, w float64) {
			keys, vals = append(keys, fnvAddBytes(fnvOffset, name)), append(vals, w)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, topicWeights{id: id, w: newWeights(keys, vals)})
	}
	return out, nil
}
