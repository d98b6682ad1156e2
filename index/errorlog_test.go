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
