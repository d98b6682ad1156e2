package sharedtest

import (
	"testing"
)

// recorder is a testing.TB that records whether Fatal or Skip was called.
type recorder struct {
	testing.TB
	fatal, skipped bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Fatalf(string, ...any) { r.fatal = true }
func (r *recorder) Skip(...any)           { r.skipped = true }

func TestMissing(t *testing.T) {
	for _, tc := range []struct {
		ci          string
		fatal, skip bool
	}{
		{"true", true, false},
		{"", false, true},
		{"false", false, true},
	} {
		t.Setenv("CI", tc.ci)
		r := &recorder{TB: t}
		Missing(r, "../shared not found")
		if r.fatal != tc.fatal || r.skipped != tc.skip {
			t.Errorf("CI=%q: fatal %v, skipped %v; want %v, %v", tc.ci, r.fatal, r.skipped, tc.fatal, tc.skip)
		}
	}
}
