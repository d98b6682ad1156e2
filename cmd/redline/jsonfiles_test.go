package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A folder of one-article .json files as news exporters write them
// (CC-News processing, news-please), beside a metadata file, ingests as
// it is: each file one document with its outlet and date, the metadata
// file skipped, and a second run changes nothing.
func TestIngestJSONFiles(t *testing.T) {
	in := t.TempDir()
	write := func(name string, v map[string]any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(in, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cc/a.json", map[string]any{"url": "https://example.org/a", "title": "Talks", "domain": "example.org",
		"published_date": "2022-09-15T23:04:05Z", "language": "en",
		"content": "The Kremlin said on Thursday that Russia demands that Ukraine withdraw its troops from the Donetsk region before any ceasefire."})
	write("np/b.json", map[string]any{"url": "https://example.com/b", "title": "Kyiv", "source_domain": "example.com",
		"date_publish": "2022-09-16 08:00:00",
		"maintext":     "President Volodymyr Zelenskyy said Ukraine will never cede any of its territory to Russia."})
	write("meta/expected-metadata.json", map[string]any{"title": "T", "lang": "en"})

	idx := filepath.Join(t.TempDir(), "idx")
	out := mustRun(t, "ingest", "--index", idx, in)
	if !strings.Contains(out, "documents: 2 read, 2 indexed") || !strings.Contains(out, "1 files skipped") {
		t.Errorf("summary:\n%s", out)
	}
	exp := mustRun(t, "export", "--index", idx, "--min-confidence", "0")
	byOutlet := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(exp), "\n") {
		var c struct{ Outlet, Published, Source, Party string }
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		byOutlet[c.Outlet] = c.Published + " " + c.Party + " " + filepath.Base(c.Source)
	}
	want := map[string]string{"example.org": "2022-09-15 russia a.json", "example.com": "2022-09-16 ukraine b.json"}
	for outlet, w := range want {
		if byOutlet[outlet] != w {
			t.Errorf("claims of %s: %q, want %q (all: %q)", outlet, byOutlet[outlet], w, byOutlet)
		}
	}
	if again := mustRun(t, "ingest", "--index", idx, in); !strings.Contains(again, "0 indexed, 2 unchanged") {
		t.Errorf("second run:\n%s", again)
	}
}
