package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestRepeatedIDsAcrossDumps: a record id repeated in a later dump
// of the run is skipped as within one dump: the first record in input
// order is indexed, the warning names both inputs and lines, the summary
// counts it, and re-runs write nothing (before, the later record replaced
// the first on every run, and each re-run rewrote it).
func TestIngestRepeatedIDsAcrossDumps(t *testing.T) {
	in := writeFiles(t, map[string]string{
		"a.jsonl": `{"id": "x1", "outlet": "Wire A", "text": "Russia demands that Ukraine withdraw its troops from the four regions."}` + "\n" +
			`{"id": "x2", "outlet": "Wire A", "text": "Ukraine says it will never recognise the annexation of Crimea."}` + "\n",
		"b.jsonl": `{"id": "x3", "outlet": "Wire B", "text": "The Kremlin rejected any deployment of foreign troops in Ukraine."}` + "\n" +
			`{"id": "x1", "outlet": "Wire B", "text": "Kyiv is ready to discuss a ceasefire if it received security guarantees."}` + "\n",
	})
	a, b := filepath.Join(in, "a.jsonl"), filepath.Join(in, "b.jsonl")
	dir := filepath.Join(t.TempDir(), "idx")
	want := []string{
		"documents: 3 read, 3 indexed, 0 unchanged, 0 failed",
		"documents: 3 read, 0 indexed, 3 unchanged, 0 failed",
		"documents: 3 read, 0 indexed, 3 unchanged, 0 failed",
	}
	var export1 string
	for run, summary := range want {
		out, errOut, err := runCLI(t, "ingest", "--index", dir, a, b)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run+1, err, errOut)
		}
		if !strings.Contains(out, summary) || !strings.Contains(out, "repeated ids: 1 later records skipped") {
			t.Errorf("run %d summary:\n%s\nwant %q and the repeated id counted", run+1, out, summary)
		}
		for _, w := range []string{"repeated id skipped", "id=x1", "input=" + b, "line=2", "first_input=" + a, "first_line=1"} {
			if !strings.Contains(errOut, w) {
				t.Errorf("run %d: stderr lacks %q:\n%s", run+1, w, errOut)
			}
		}
		export := mustRun(t, "export", "--index", dir, "--min-confidence", "0")
		if run == 0 {
			export1 = export
		} else if export != export1 {
			t.Errorf("run %d changed the export:\n%s\nwas\n%s", run+1, export, export1)
		}
	}
	for _, c := range exported(t, export1) {
		if c.DocID == "x1" && (c.Outlet != "Wire A" || c.Source != a+"#x1") {
			t.Errorf("x1 comes from %s (%s), want the first record, of %s", c.Source, c.Outlet, a)
		}
	}
	if st := stats(t, dir); st.Articles != 3 {
		t.Errorf("stats: %d articles, want 3", st.Articles)
	}
	if _, err := os.Stat(filepath.Join(dir, "errors.jsonl")); err == nil {
		t.Error("errors.jsonl written: a repeated id is no failure")
	}
}
