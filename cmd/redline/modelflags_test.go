package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestModelWithRules: --model and --rules say opposite things, so giving
// both is a usage error (exit 2) naming both, before any work: the rules
// used to win silently, and a --model file that did not even exist went
// unnoticed. eval --cv trains its own models, so a --model there is refused
// too rather than ignored.
func TestModelWithRules(t *testing.T) {
	model := filepath.Join(t.TempDir(), "my-model.json") // never read: the error comes first
	idx := filepath.Join(t.TempDir(), "idx")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"ingest", "--index", idx, "--rules", "--model", model, sampleArticles}, []string{"--model", "--rules"}},
		{[]string{"extract", "--model", model, "--rules", sampleArticles}, []string{"--model", "--rules"}},
		{[]string{"eval", "--rules", "--model", model, "--gold", sampleGold, "--docs", sampleArticles}, []string{"--model", "--rules"}},
		{[]string{"eval", "--cv", "2", "--model", model, "--gold", sampleGold, "--docs", sampleArticles}, []string{"--model", "--cv"}},
	}
	for _, tc := range tests {
		out, _, err := runCLI(t, tc.args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%q: error %v, want a usage error", tc.args, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q does not name %s", tc.args, err, w)
			}
		}
		if out != "" {
			t.Errorf("%q printed on stdout:\n%s", tc.args, out)
		}
	}
	if _, err := os.Stat(idx); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the refused ingest created the index folder")
	}
}
