package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"slices"
)

// Lexicon sections, as a model records them: each is what one part of the
// lexicon tells the features. A party's display name is left out, since
// no feature reads it.
const (
	sectionParties = "parties"
	sectionPeople  = "people"
	sectionOffices = "offices"
	sectionRoles   = "roles"
	sectionCues    = "cues"
	sectionHedges  = "hedges"
	sectionTopics  = "topics"
	sectionWords   = "words"
)

// lexiconSections returns a short fingerprint of each section of f, as
// parsed: comments, spacing and the order of a topic's keys do not count,
// the order of lists does. words is the words section as decoded (nil
// when absent); the built-in English words are part of it.
func lexiconSections(f *lexiconFile, words any) (map[string]string, error) {
	type party struct {
		ID       string
		Aliases  []string
		Demonyms []string
	}
	parties := make([]party, len(f.Parties))
	for i, p := range f.Parties {
		parties[i] = party{p.ID, p.Aliases, p.Demonyms}
	}
	parts := map[string]any{
		sectionParties: parties,
		sectionPeople:  f.People,
		sectionOffices: f.Offices,
		sectionRoles:   f.Roles,
		sectionCues:    f.Cues,
		sectionHedges:  f.Hedges,
		sectionTopics:  f.topics,
		sectionWords:   []any{words, string(englishYAML)},
	}
	out := make(map[string]string, len(parts))
	for name, v := range parts {
		// encoding/json writes map keys sorted: the same section gives
		// the same bytes.
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		out[name] = hex.EncodeToString(sum[:6])
	}
	return out, nil
}

// changedSections returns, sorted, the sections whose fingerprints differ
// between a and b, or that only one of them has.
func changedSections(a, b map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if bv, ok := b[k]; !ok || bv != a[k] {
			out = append(out, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
