package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestReportsDropControlCharacters: a dump whose outlet, title and text hold
// terminal escape sequences (a window-title OSC, a clear-screen CSI, a bell,
// the one-byte C1 CSI U+009B) is searched, counted and compared: the text
// reports print none of those characters, so a crawled page cannot drive
// the analyst's terminal, while search --json keeps the values as they are.
func TestReportsDropControlCharacters(t *testing.T) {
	rec := func(id, text string) string {
		b, err := json.Marshal(map[string]string{
			"id": id, "outlet": "Evil\x1b]0;pwned\x07 News", "title": "Talks\x1b[2J resume",
			"published": "2025-03-12", "text": text,
		})
		if err != nil {
			t.Fatal(err)
		}
		return string(b) + "\n"
	}
	dump := rec("a", "Moscow has demanded that Ukraine \x1b[31mabandon\x1b[0m its bid to join NATO.") +
		rec("b", "Kyiv rejected any limits on the size of its armed forces\u009b2J, officials said.")
	dir, _, _ := ingestDump(t, dump, []string{"documents: 2 read, 2 indexed"})
	bad := "\x1b\x07\u009b"
	for _, args := range [][]string{
		{"search", "--index", dir, "--min-confidence", "0", "*"},
		{"search", "--index", dir, "--min-confidence", "0", "title:talks"},
		{"stats", "--index", dir},
		{"compare", "--index", dir, "--min-confidence", "0", "--min-sources", "1"},
		{"compare", "--index", dir, "--min-confidence", "0", "--format", "markdown"},
	} {
		out := mustRun(t, args...)
		if !strings.Contains(out, "Evil") {
			t.Errorf("%q does not show the outlet:\n%s", args, out)
		}
		if i := strings.IndexAny(out, bad); i >= 0 {
			t.Errorf("%q prints a control character at byte %d:\n%q", args, i, out)
		}
	}
	hits := searchJSON(t, "--index", dir, "--min-confidence", "0", "*")
	if len(hits) == 0 || hits[0].Outlet != "Evil\x1b]0;pwned\x07 News" {
		t.Errorf("search --json changed the outlet: %+v", hits)
	}
}
