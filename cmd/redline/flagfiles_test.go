package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingFlagFileNamesFlag: a file given to a flag that does not exist
// is an error naming the flag and the file ("--model x.json: no such file or
// directory"), not a bare "open x.json: …" that leaves the user to guess
// which of --gold, --model and --classes it was.
func TestMissingFlagFileNamesFlag(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	out := filepath.Join(t.TempDir(), "out")
	idx := filepath.Join(t.TempDir(), "idx")
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"extract", "--model", missing, sampleArticles}, "--model"},
		{[]string{"ingest", "--index", idx, "--classes", missing, sampleArticles}, "--classes"},
		{[]string{"eval", "--gold", missing, "--docs", sampleArticles}, "--gold"},
		{[]string{"train", "--gold", missing, "--docs", sampleArticles, "--out", out}, "--gold"},
		{[]string{"clusters", "--docs", sampleArticles, "--exclude", missing, "--out", out}, "--exclude"},
	} {
		_, _, err := runCLI(t, tc.args...)
		if err == nil {
			t.Errorf("%q: no error", tc.args)
			continue
		}
		if want := tc.flag + " " + missing + ": "; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("%q: error %q, want it to hold %q and the reason", tc.args, err, want)
		}
	}
}
