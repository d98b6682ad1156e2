package filter

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseConfidence holds ParseConfidence to its contract, "a number in
// [0, 1]":
//   - whatever the input, it is either that number (never NaN, never out
//     of range, the value the trimmed text spells) or the zero value with
//     the error saying what is wanted;
//   - any float64 written as the --min-confidence flag and the web page
//     write it ('g' and 'f', shortest) reads back exactly when it is in
//     [0, 1], and is an error otherwise.
func FuzzParseConfidence(f *testing.F) {
	for _, s := range []string{"0", "1", " 0.5", "0.5 ", "-0.1", "1.5", "NaN", "nan", "Inf", "-Inf", "x", "",
		"-0", "1e-400", "0x1p-2", "1.0000000000000001", "1.000000000000001", ".5", "5.", "0_5", "+0.25", "\t0.75\n"} {
		f.Add(s, 0.5)
	}
	f.Add("", math.SmallestNonzeroFloat64)
	f.Add("", math.Nextafter(1, 2))
	f.Add("", math.Nextafter(0, -1))
	f.Add("", math.NaN())
	f.Add("", math.Inf(1))
	f.Fuzz(func(t *testing.T, s string, x float64) {
		v, err := ParseConfidence(s)
		if err != nil {
			if v != 0 || !strings.Contains(err.Error(), "from 0 to 1") {
				t.Fatalf("ParseConfidence(%q) = %v, %v", s, v, err)
			}
		} else {
			if math.IsNaN(v) || v < 0 || v > 1 {
				t.Fatalf("ParseConfidence(%q) = %v, not in [0, 1]", s, v)
			}
			if want, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil || want != v {
				t.Fatalf("ParseConfidence(%q) = %v, but the text spells %v (%v)", s, v, want, err)
			}
		}

		in := !math.IsNaN(x) && x >= 0 && x <= 1
		for _, fmtc := range []byte{'g', 'f'} {
			w := strconv.FormatFloat(x, fmtc, -1, 64)
			v, err := ParseConfidence(w)
			if in && (err != nil || v != x) {
				t.Fatalf("ParseConfidence(%q) = %v, %v; want %v", w, v, err, x)
			}
			if !in && err == nil {
				t.Fatalf("ParseConfidence(%q) = %v, accepted", w, v)
			}
		}
	})
}
