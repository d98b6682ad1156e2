package extract

import (
	"testing"
)

// refCountWords is countWords as defined: every rune decoded and counted
// by wordStep.
func refCountWords(s string) int {
	n, alnum := 0, false
	for _, r := range s {
		n, alnum = wordStep(r, n, alnum)
	}
	if alnum {
		n++
	}
	return n
}

func TestCountWords(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"   \t\n", 0},
		{"one", 1},
		{"Russia demands guarantees.", 3},
		{"  -- | -- ", 0},
		{"a-b c", 2},
		{"word\vword\fword\rword", 4},
		{"Kyiv’s\u00a0position", 2}, // NBSP is white space
		{"Зеленський сказав", 2},
		{"2022 — 2024", 2},
		{"\x85x", 1}, // an invalid byte is U+FFFD, neither space nor letter
	} {
		if got := countWords(tt.s); got != tt.want || got != refCountWords(tt.s) {
			t.Errorf("countWords(%q) = %d, want %d (definition: %d)", tt.s, got, tt.want, refCountWords(tt.s))
		}
	}
}

// FuzzCountWords holds the ASCII fast path of countWords to its definition.
func FuzzCountWords(f *testing.F) {
	for _, s := range []string{"", "a b", "Kyiv’s\u00a0position", "\x85\u2028x y\x00", "tab\tand\vvt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := countWords(s), refCountWords(s); got != want {
			t.Errorf("countWords(%q) = %d, definition %d", s, got, want)
		}
	})
}
