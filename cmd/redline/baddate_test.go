package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestBadDates: a dump record whose "published" is not understood is
// still indexed (undated), the warning names the input, the id and the
// value, and the summary counts it; good dates give no such line. Past 20
// warnings one line says the summary counts the rest.
func TestIngestBadDates(t *testing.T) {
	rec := func(id, published, text string) string {
		return `{"id":"` + id + `","outlet":"Wire","published":"` + published + `","text":"` + text + `"}` + "\n"
	}
	good := rec("good", "2025-03-12", "Moscow has demanded that Kyiv withdraw its troops from the Donbas.")
	bad := rec("bad", "sometime in March", "Ukraine will never recognise Russian sovereignty over Crimea.")
	var many strings.Builder
	for i := range 22 {
		many.WriteString(rec(fmt.Sprintf("m%02d", i), fmt.Sprintf("day %d", i), fmt.Sprintf("Kyiv has demanded the return of %d prisoners before any talks.", i)))
	}
	tests := []struct {
		name      string
		dump      string
		summary   []string
		warnings  []string // in stderr
		nWarnings int      // "published date not understood" lines
		more      bool     // the "more dates not understood" line
		published map[string]string
	}{
		{
			name:      "one good one bad",
			dump:      good + bad,
			summary:   []string{"documents: 2 read, 2 indexed, 0 unchanged, 0 failed", "dates not understood: 1"},
			warnings:  []string{"published date not understood", "dump.jsonl#bad", "id=bad", `value="sometime in March"`},
			nWarnings: 1,
			published: map[string]string{"good": "2025-03-12", "bad": ""},
		},
		{
			name:      "good dates",
			dump:      good,
			summary:   []string{"documents: 1 read, 1 indexed"},
			published: map[string]string{"good": "2025-03-12"},
		},
		{
			name:      "more than 20",
			dump:      many.String(),
			summary:   []string{"documents: 22 read, 22 indexed", "dates not understood: 22"},
			warnings:  []string{"id=m00", `value="day 0"`, "id=m19", "count=2"},
			nWarnings: 20,
			more:      true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, out, errOut := ingestDump(t, tc.dump, tc.summary)
			if tc.nWarnings == 0 && strings.Contains(out, "dates not understood") {
				t.Errorf("summary counts bad dates:\n%s", out)
			}
			for _, w := range tc.warnings {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if n := strings.Count(errOut, "published date not understood"); n != tc.nWarnings {
				t.Errorf("%d date warnings, want %d:\n%s", n, tc.nWarnings, errOut)
			}
			if got := strings.Contains(errOut, "more dates not understood"); got != tc.more {
				t.Errorf("more line shown %v, want %v:\n%s", got, tc.more, errOut)
			}
			// A bad date is no error: errors.jsonl is for documents not indexed.
			if _, err := os.Stat(filepath.Join(dir, "errors.jsonl")); err == nil {
				t.Errorf("errors.jsonl written for a bad date")
			}
			if tc.published == nil {
				return
			}
			res, _, err := runCLI(t, "export", "--index", dir, "--format", "jsonl", "--min-confidence", "0")
			if err != nil {
				t.Fatalf("export: %v", err)
			}
			seen := map[string]string{}
			for line := range strings.Lines(res) {
				var c struct {
					DocID     string `json:"doc_id"`
					Published string `json:"published"`
				}
				if err := json.Unmarshal([]byte(line), &c); err != nil {
					t.Fatalf("export line %q: %v", line, err)
				}
				seen[c.DocID] = c.Published
			}
			for id, want := range tc.published {
				got, ok := seen[id]
				if !ok {
					t.Errorf("article %s has no claims in the index:\n%s", id, res)
				} else if got != want {
					t.Errorf("article %s published %q, want %q", id, got, want)
				}
			}
		})
	}
}
