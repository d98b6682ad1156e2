package index

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestReadErrors: the distinct inputs of ErrorsFile and its last records,
// newest first; lines that are not records are skipped, and a folder
// without the file has no errors.
func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	if n, last, err := ReadErrors(dir, 5); err != nil || n != 0 || last == nil || len(last) != 0 {
		t.Fatalf("no file: %d, %v, %v; want 0 inputs, an empty list", n, last, err)
	}
	var b strings.Builder
	for i := range 120 {
		// 40 inputs, each failing three times; a broken line now and then.
		fmt.Fprintf(&b, `{"time":"2026-12-07T00:%02d:%02dZ","input":"in-%d","reason":"r%d"}`+"\n", i/60, i%60, i%40, i)
		if i%50 == 0 {
			b.WriteString("{not json\n")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ErrorsFile), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	n, last, err := ReadErrors(dir, 3)
	if err != nil || n != 40 {
		t.Fatalf("ReadErrors = %d inputs, %v; want 40", n, err)
	}
	if len(last) != 3 || last[0].Reason != "r119" || last[2].Reason != "r117" || last[0].Input != "in-39" {
		t.Errorf("last 3 = %+v; want r119, r118, r117, newest first", last)
	}
	if n, last, err := ReadErrors(dir, 0); err != nil || n != 40 || len(last) != 0 {
		t.Errorf("recent 0: %d, %d records, %v; want 40 and none", n, len(last), err)
	}
}

// TestReadErrorsLongLines: a line longer than any record (over a MiB, or
// just over the reader's buffer) neither stops the read nor hides the
// records around it; a record just under the limit is read.
func TestReadErrorsLongLines(t *testing.T) {
	rec := func(i int, reason string) string {
		return fmt.Sprintf(`{"time":"2026-12-07T00:00:00Z","input":"in-%d","reason":"%s"}`+"\n", i, reason)
	}
	long := strings.Repeat("x", maxErrorLine-100) // a record just under the limit
	for _, tt := range []struct {
		name    string
		content string
		inputs  int
		newest  string
	}{
		{"a line of 2 MiB", rec(1, "a") + strings.Repeat("y", 2<<20) + "\n" + rec(2, "b"), 2, "b"},
		{"a line of 2 MiB at the end, unfinished", rec(1, "a") + rec(2, "b") + strings.Repeat("y", 2<<20), 2, "b"},
		{"a line just over the buffer", rec(1, "a") + strings.Repeat("z", 5000) + "\n" + rec(2, "b"), 2, "b"},
		{"a long record", rec(1, "a") + rec(2, long), 2, long},
		{"a record over the limit", rec(1, "a") + rec(2, long+strings.Repeat("x", 200)), 1, "a"},
		{"a last record without its line end", rec(1, "a") + strings.TrimSuffix(rec(2, "b"), "\n"), 2, "b"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ErrorsFile), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			n, last, err := ReadErrors(dir, 1)
			if err != nil || n != tt.inputs || len(last) != 1 || last[0].Reason != tt.newest {
				reason := ""
				if len(last) > 0 {
					reason = last[0].Reason[:min(20, len(last[0].Reason))]
				}
				t.Errorf("ReadErrors = %d inputs, newest %q…, %v; want %d inputs, newest %.20q", n, reason, err, tt.inputs, tt.newest)
			}
		})
	}
}

// TestErrorLog: the records of an older log (one line per failure and run)
// are merged, one per input and reason; a run's failures count one run each
// however often met; Save drops nothing; Finish drops the records of
// earlier runs for the inputs the run read or covered and did not find
// failing so; the file is replaced whole, and removed when nothing fails.
func TestErrorLog(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ErrorsFile)
	old := `{"time":"2026-12-01T10:00:00Z","input":"a.txt","reason":"a.txt: empty file"}
{"time":"2026-12-01T10:00:00Z","input":"b.txt","reason":"b.txt: empty file"}
{"time":"2026-12-02T10:00:00Z","input":"a.txt","reason":"a.txt: empty file"}
{"time":"2026-12-02T10:00:00Z","input":"https://example.org/x","reason":"HTTP status 404 Not Found"}
{"time":"2026-12-02T10:00:00Z","input":"dump.jsonl:3","reason":"dump.jsonl:3: not valid JSON"}
{"time":"2026-12-02T10:0`
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	run := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	l, err := OpenErrorLog(dir, run, ErrorLogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Inputs() != 4 {
		t.Errorf("Inputs = %d, want 4", l.Inputs())
	}
	l.Fail("a.txt", "a.txt: empty file")
	l.Fail("a.txt", "a.txt: empty file") // met twice, one run
	l.Fail("c.txt", "c.txt: binary file")
	l.Fail("b.txt", "b.txt: not valid UTF-8")
	l.Read("https://example.org/y") // not an earlier record's: not kept
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	read := func() map[string]ErrorRecord {
		t.Helper()
		recs, err := readErrorFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]ErrorRecord{}
		for _, r := range recs {
			m[r.Input+" | "+r.Reason] = r
		}
		return m
	}
	got := read()
	if len(got) != 6 {
		t.Errorf("after Save: %d records, want 6 (nothing dropped)", len(got))
	}
	if a := got["a.txt | a.txt: empty file"]; a.Count != 3 || a.FirstSeen != "2026-12-01T10:00:00Z" || a.Time != "2026-12-07T09:30:00Z" {
		t.Errorf("a.txt = %+v, want 3 runs from 2026-12-01 to this run's start", a)
	}
	if c := got["c.txt | c.txt: binary file"]; c.Count != 1 || c.FirstSeen != c.Time || c.Time != "2026-12-07T09:30:00Z" {
		t.Errorf("c.txt = %+v, want one run, this one", c)
	}

	l.Read("https://example.org/x") // fetched this time, without the 404
	covered := func(in string) bool { return in == "b.txt" || strings.HasPrefix(in, "dump.jsonl:") }
	if err := l.Finish(covered); err != nil {
		t.Fatal(err)
	}
	got = read()
	keys := slices.Sorted(maps.Keys(got))
	want := []string{"a.txt | a.txt: empty file", "b.txt | b.txt: not valid UTF-8", "c.txt | c.txt: binary file"}
	if !slices.Equal(keys, want) {
		t.Errorf("after Finish: %q, want %q", keys, want)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"); len(lines) != 3 || !strings.Contains(lines[0], `"input":"a.txt"`) {
		t.Errorf("file:\n%s\nwant 3 lines sorted by input", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("folder holds %d files, want errors.jsonl alone (no temporary file left)", len(ents))
	}

	// A run that meets none of them over all of them leaves no file.
	l, err = OpenErrorLog(dir, run.Add(time.Hour), ErrorLogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Finish(func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("errors.jsonl after a run without failures: %v, want it removed", err)
	}
}

// TestErrorLogMaxRecords: past MaxRecords, a run's new failures are counted
// as unlisted, not recorded; a failure the file holds is still counted.
func TestErrorLogMaxRecords(t *testing.T) {
	dir := t.TempDir()
	run := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	l, err := OpenErrorLog(dir, run, ErrorLogOptions{MaxRecords: 3})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		l.Fail(fmt.Sprintf("dump.jsonl:%d", i+1), "not valid JSON")
	}
	if err := l.Finish(func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if n, _, err := ReadErrors(dir, 0); err != nil || n != 3 || l.Unlisted() != 2 {
		t.Errorf("ReadErrors = %d inputs, %v; Unlisted %d; want 3 and 2", n, err, l.Unlisted())
	}
	l, err = OpenErrorLog(dir, run.Add(time.Hour), ErrorLogOptions{MaxRecords: 3})
	if err != nil {
		t.Fatal(err)
	}
	l.Fail("dump.jsonl:1", "not valid JSON")
	l.Fail("dump.jsonl:9", "not valid JSON")
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	_, last, err := ReadErrors(dir, 1)
	if err != nil || l.Unlisted() != 1 || len(last) != 1 || last[0].Input != "dump.jsonl:1" || last[0].Count != 2 {
		t.Errorf("second run: newest %+v, %v, Unlisted %d; want dump.jsonl:1 met twice and 1 unlisted", last, err, l.Unlisted())
	}
}

// TestErrorLogMerge: the records of earlier runs stay in the file, and each
// write merges the run's changes into it: a failure met again is counted
// once however many writes follow, a new one takes its place in the order,
// the lines of the others are copied as they were (strings with escapes
// too), a run that meets nothing over other inputs leaves the file as it
// is, and a file out of order is put in order by the first write.
func TestErrorLogMerge(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ErrorsFile)
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for _, in := range []string{"a.txt", `b "quoted" <b>.txt`, "d.txt", "f.txt"} {
		_ = enc.Encode(ErrorRecord{Time: "2026-12-01T10:00:00Z", Input: in, Reason: in + ": empty file", FirstSeen: "2026-11-01T10:00:00Z", Count: 2})
	}
	orig := b.String()
	if err := os.WriteFile(path, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	run := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)

	// Nothing met, other inputs: nothing written.
	l, err := OpenErrorLog(dir, run, ErrorLogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	l.Read("z.txt")
	if err := l.Finish(func(in string) bool { return in == "z.txt" }); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) || l.Inputs() != 4 {
		t.Errorf("a run over other inputs rewrote the file (same file: %v) or counts %d inputs, want 4", os.SameFile(before, after), l.Inputs())
	}

	l, err = OpenErrorLog(dir, run, ErrorLogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	quoted := `b "quoted" <b>.txt`
	l.Fail(quoted, quoted+": empty file")
	l.Fail("c.txt", "c.txt: binary file")
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	l.Fail(quoted, quoted+": empty file") // met again: no second count
	l.Fail("e.txt", "e.txt: binary file")
	if err := l.Save(); err != nil {
		t.Fatal(err)
	}
	l.Read("d.txt") // read without its failure: dropped by Finish
	if err := l.Finish(func(string) bool { return false }); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(got), "\n")
	lines = lines[:len(lines)-1] // after the last line's end
	origLines := strings.SplitAfter(orig, "\n")
	want := []string{
		origLines[0],
		`{"time":"2026-12-07T09:30:00Z","input":"b \"quoted\" \u003cb\u003e.txt","reason":"b \"quoted\" \u003cb\u003e.txt: empty file","first_seen":"2026-11-01T10:00:00Z","count":3}` + "\n",
		`{"time":"2026-12-07T09:30:00Z","input":"c.txt","reason":"c.txt: binary file","first_seen":"2026-12-07T09:30:00Z","count":1}` + "\n",
		`{"time":"2026-12-07T09:30:00Z","input":"e.txt","reason":"e.txt: binary file","first_seen":"2026-12-07T09:30:00Z","count":1}` + "\n",
		origLines[3],
	}
	if !slices.Equal(lines, want) {
		t.Errorf("file:\n%s\nwant:\n%s", got, strings.Join(want, ""))
	}
	if l.Inputs() != 5 {
		t.Errorf("Inputs = %d, want 5", l.Inputs())
	}

	// Out of order: the first write sorts it, though the run met nothing.
	rev := slices.Clone(want)
	slices.Reverse(rev)
	if err := os.WriteFile(path, []byte(strings.Join(rev, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err = OpenErrorLog(dir, run.Add(time.Hour), ErrorLogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Finish(func(string) bool { return false }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != strings.Join(want, "") {
		t.Errorf("a file out of order after a run:\n%s\nwant it sorted:\n%s", got, strings.Join(want, ""))
	}
}
