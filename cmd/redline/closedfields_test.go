package main

import (
	"strings"
	"testing"
)

// TestQueryClosedFieldValues: hedged and attribution take a closed set of
// values (true or false; subject, speaker, pronoun, heading or list). A
// value outside it is a query error (exit 2) that lists the values, as an
// unknown party or kind is, never a silent "0 claims match"; the values
// match in any case.
func TestQueryClosedFieldValues(t *testing.T) {
	dir := ingestSample(t)
	for _, tc := range []struct {
		query string
		want  string // in the error
	}{
		{"hedged:yes", "true or false"},
		{"hedged:1", "true or false"},
		{"attribution:subj", "subject, speaker, pronoun, heading or list"},
		{"nato attribution:quote", "subject, speaker, pronoun, heading or list"},
	} {
		_, _, err := runCLI(t, "search", "--index", dir, "--min-confidence", "0", tc.query)
		var stderr strings.Builder
		if err == nil || !strings.Contains(err.Error(), tc.want) || exitCode(err, &stderr) != exitUsage {
			t.Errorf("search %q: error %v, want a usage error (exit 2) naming %q", tc.query, err, tc.want)
		}
	}
	count := func(q string) int {
		t.Helper()
		n := 0
		for _, h := range searchJSON(t, "--index", dir, "--min-confidence", "0", "--limit", "1000", q) {
			n += h.Claims
		}
		return n
	}
	for _, pair := range [][2]string{{"attribution:subject", "attribution:Subject"}, {"hedged:false", "hedged:FALSE"}} {
		if a, b := count(pair[0]), count(pair[1]); a == 0 || a != b {
			t.Errorf("%s finds %d claims, %s %d: want the same, more than 0", pair[0], a, pair[1], b)
		}
	}
}
