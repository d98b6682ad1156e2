package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// exportedDates ingests nothing: it exports the index at dir (every claim)
// and returns the published date of each article that has claims.
func exportedDates(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := mustRun(t, "export", "--index", dir, "--min-confidence", "0")
	dates := map[string]string{}
	for line := range strings.Lines(out) {
		var c struct {
			DocID     string `json:"doc_id"`
			Published string `json:"published"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		dates[c.DocID] = c.Published
	}
	return dates
}

// TestIngestDateWithOffset: a dump record's "published" time with a UTC
// offset is dated by the day the publisher printed, in its own zone, as
// redline text and the HTML meta dates read it: an article of Kyiv at
// 01:30 (+03:00) is of that day, not of the day before in UTC, and one of
// New York at 23:30 (-05:00) is not of the next day. A filter on that day
// finds both.
func TestIngestDateWithOffset(t *testing.T) {
	rec := func(id, published, text string) string {
		return `{"id":"` + id + `","outlet":"Wire","published":"` + published + `","text":"` + text + `"}` + "\n"
	}
	dump := rec("kyiv", "2025-03-12T01:30:00+03:00", "Moscow has demanded that Kyiv withdraw its troops from the Donbas.") +
		rec("newyork", "2025-03-12T23:30:00-05:00", "Ukraine will never recognise Russian sovereignty over Crimea.") +
		rec("utc", "2025-03-12T12:00:00Z", "Kyiv has demanded the return of all prisoners before any talks.")
	dir, _, _ := ingestDump(t, dump, []string{"documents: 3 read, 3 indexed"})
	got := exportedDates(t, dir)
	for _, id := range []string{"kyiv", "newyork", "utc"} {
		if got[id] != "2025-03-12" {
			t.Errorf("article %s published %q, want 2025-03-12 (all dates: %v)", id, got[id], got)
		}
	}
	hits := searchJSON(t, "--index", dir, "--min-confidence", "0", "--since", "2025-03-12", "--until", "2025-03-12", "*")
	if len(hits) != len(got) {
		t.Errorf("--since/--until 2025-03-12 finds %d rows, want %d", len(hits), len(got))
	}
}

// TestIngestWARCPageDate: an article read from a WARC archive is dated by
// the page's own publication date (its meta tags, else a date in its
// address), and by the record's WARC-Date, the time the crawler captured
// it, only when the page declares none: a crawl captures last week's
// articles as well as today's.
func TestIngestWARCPageDate(t *testing.T) {
	in := filepath.Join(t.TempDir(), "crawl.warc.gz")
	// writeWARC dates every record 2025-05-16T10:00:00Z.
	writeWARC(t, in, map[string]string{
		"https://example.org/news/meta": `<html><head><title>Talks resume</title>
<meta property="article:published_time" content="2025-05-10T08:00:00Z"></head><body><article>
<p>Moscow has demanded that Ukraine abandon its bid to join NATO.</p></article></body></html>`,
		"https://example.org/2025/05/12/address": `<html><head><title>Kyiv answers</title></head><body><article>
<p>Kyiv rejected any limits on the size of its armed forces.</p></article></body></html>`,
		"https://example.org/news/undated": `<html><head><title>Talks</title></head><body><article>
<p>Kyiv has demanded the return of all prisoners before any talks.</p></article></body></html>`,
	})
	dir := filepath.Join(t.TempDir(), "idx")
	if _, errOut, err := runCLI(t, "ingest", "--index", dir, in); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	out := mustRun(t, "export", "--index", dir, "--min-confidence", "0")
	byURL := map[string]string{}
	for line := range strings.Lines(out) {
		var c struct {
			URL       string `json:"url"`
			Published string `json:"published"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		byURL[c.URL] = c.Published
	}
	for url, want := range map[string]string{
		"https://example.org/news/meta":          "2025-05-10",
		"https://example.org/2025/05/12/address": "2025-05-12",
		"https://example.org/news/undated":       "2025-05-16",
	} {
		got, ok := byURL[url]
		if !ok {
			t.Errorf("%s has no claims:\n%s", url, out)
		} else if got != want {
			t.Errorf("%s published %q, want %q", url, got, want)
		}
	}
}

// TestIngestDateForms: the date forms news exporters write in a dump's
// "published" (RSS's RFC 1123, ISO times with a "+0000" offset or none but
// a zone name, "21 April 2022") are understood, as they are in a page's
// meta tags, rather than indexing the article undated; each is dated by
// the day as written.
func TestIngestDateForms(t *testing.T) {
	forms := []string{
		"2022-04-21T23:30:00.000+0000",
		"2022-04-21T01:30:00+0300",
		"2022-04-21T23:30Z",
		"2022-04-21 23:30:00 UTC",
		"2022-04-21 23:30:00+00",
		"Thu, 21 Apr 2022 23:30:00 GMT",
		"Thu, 21 Apr 2022 23:30:00 +0000",
		"Thursday, 21-Apr-22 23:30:00 UTC",
		"21 April 2022",
		"21 Apr 2022",
		"April 21 2022",
		"Apr. 21, 2022",
		"Thursday, April 21, 2022",
	}
	var dump strings.Builder
	for i, f := range forms {
		fmt.Fprintf(&dump, `{"id":"f%02d","outlet":"Wire","published":%q,"text":"Report %d. Moscow has demanded that Kyiv withdraw its troops from the Donbas."}`+"\n", i, f, i)
	}
	dir, out, errOut := ingestDump(t, dump.String(), []string{fmt.Sprintf("documents: %d read, %d indexed", len(forms), len(forms))})
	if strings.Contains(out, "dates not understood") {
		t.Errorf("dates not understood:\n%s\n%s", out, errOut)
	}
	got := exportedDates(t, dir)
	for i, f := range forms {
		id := fmt.Sprintf("f%02d", i)
		if d, ok := got[id]; !ok {
			t.Errorf("%s (%q) has no claim", id, f)
		} else if d != "2022-04-21" {
			t.Errorf("%q dated %q, want 2022-04-21", f, d)
		}
	}
}
