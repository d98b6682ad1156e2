package compare

import (
	"slices"
	"strings"
	"testing"

	"redline/claim"
)

// FuzzParsePTK holds parsePTK to the "party|topic|kind" term the index
// writes for each topic of a claim (index's ptkTerms):
//   - a term built from a party, topic and kind without '|' (the party not
//     empty) splits back into them, and its kind's index in Kinds (-1 for
//     another kind);
//   - any string is either malformed (no party) or splits into a party
//     and a topic without '|' and a kind that join back into the very
//     string, the kind's index agreeing with Kinds; the table index pt is
//     left unset.
func FuzzParsePTK(f *testing.F) {
	f.Add("russia", "territory", claim.Demand)
	f.Add("ukraine", "nato", claim.RedLine)
	f.Add("united_states", "sanctions", claim.Offer)
	f.Add("russia", "", claim.Demand)
	f.Add("", "territory", claim.Demand)
	f.Add("russia", "territory", "")
	f.Add("russia", "territory", "threat")
	f.Add("a|b", "c", claim.Offer)
	f.Add("a", "b|c", "d|e")
	f.Add("||", "|", "\xff")
	f.Fuzz(func(t *testing.T, party, topic, kind string) {
		term := party + "|" + topic + "|" + kind
		info := parsePTK(term)
		if party != "" && !strings.Contains(party, "|") && !strings.Contains(topic, "|") && !strings.Contains(kind, "|") {
			if info.party != party || info.topic != topic || info.kind != kind || int(info.k) != slices.Index(Kinds, kind) {
				t.Fatalf("parsePTK(%q) = %+v, want %q, %q, %q", term, info, party, topic, kind)
			}
		}
		for _, s := range []string{term, party, topic, kind} {
			info := parsePTK(s)
			if info.pt != -1 {
				t.Fatalf("parsePTK(%q) sets pt %d", s, info.pt)
			}
			if info.party == "" {
				if info.topic != "" || info.kind != "" || info.k != -1 {
					t.Fatalf("parsePTK(%q) = %+v: malformed, yet with a topic or kind", s, info)
				}
				if strings.Count(s, "|") >= 2 && !strings.HasPrefix(s, "|") {
					t.Fatalf("parsePTK(%q) = %+v: a well-formed term read as malformed", s, info)
				}
				continue
			}
			if strings.Contains(info.party, "|") || strings.Contains(info.topic, "|") ||
				info.party+"|"+info.topic+"|"+info.kind != s {
				t.Fatalf("parsePTK(%q) = %+v, which does not join back into it", s, info)
			}
			if int(info.k) != slices.Index(Kinds, info.kind) {
				t.Fatalf("parsePTK(%q): kind %q with index %d", s, info.kind, info.k)
			}
		}
	})
}
