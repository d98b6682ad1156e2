package index

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		fmt.Fprintf(&b, `{"time":"2026-12-07T00:00:%02dZ","input":"in-%d","reason":"r%d"}`+"\n", i%60, i%40, i)
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
