package main

import (
	"strings"
	"testing"
)

// TestUnknownValueSaysWhereToLook: a filter value the index has never seen
// names the nearest ones and, when there are more, where the rest are
// listed. redline stats lists parties, kinds, topics and outlets, so those
// errors send the analyst there; it lists no speakers, so an unknown
// speaker must not claim it does.
func TestUnknownValueSaysWhereToLook(t *testing.T) {
	dir := ingestSample(t)
	statsOut := mustRun(t, "stats", "--index", dir)
	tests := []struct {
		args   []string
		listed bool // stats lists the field's values
	}{
		{[]string{"--outlet", "Harbour"}, true},
		{[]string{"--party", "nosuch"}, true},
		{[]string{"--speaker", "zelensky"}, false},
		{[]string{"--speaker", "nosuch person"}, false},
	}
	for _, tc := range tests {
		args := append([]string{"search", "--index", dir, "--min-confidence", "0"}, tc.args...)
		_, _, err := runCLI(t, append(args, "*")...)
		if err == nil {
			t.Errorf("%q: no error", tc.args)
			continue
		}
		says := strings.Contains(err.Error(), "redline stats lists them")
		if says != tc.listed {
			t.Errorf("%q: error %q; says stats lists the values: %v, want %v", tc.args, err, says, tc.listed)
		}
		if !strings.Contains(err.Error(), "in all") {
			t.Errorf("%q: error %q does not say how many values there are", tc.args, err)
		}
	}
	if strings.Contains(statsOut, "speaker") {
		t.Fatalf("stats lists speakers now: update this test\n%s", statsOut)
	}
}
