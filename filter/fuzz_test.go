package filter

import (
	"slices"
	"strings"
	"testing"
)

// FuzzNearest: the nearest values of any written value are values the
// index holds, each once, and folding is idempotent.
func FuzzNearest(f *testing.F) {
	f.Add("party", "Rusia", "russia,ukraine,united_states")
	f.Add("outlet", "BBC  news", "BBC News,Reuters,bbc")
	f.Add("speaker", "peskov", "Dmitry Peskov,Sergei Lavrov")
	f.Add("topic", "", "")
	f.Fuzz(func(t *testing.T, field, v, knownList string) {
		known := strings.Split(knownList, ",")
		near := nearest(field, v, known, 5)
		if len(near) > 5 {
			t.Fatalf("%d values, want at most 5", len(near))
		}
		for _, n := range near {
			if !slices.Contains(known, n) {
				t.Fatalf("nearest gave %q, not a known value", n)
			}
		}
		if once := fold(field, v); fold(field, once) != once {
			t.Fatalf("foldValue not idempotent on %q", v)
		}
		if d := EditDistance(v, v); d != 0 {
			t.Fatalf("EditDistance(%q, itself) = %d", v, d)
		}
	})
}
