package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestIngestSameInputSameExport: two runs over the same mixed input (text
// files, a WARC archive and a loopback feed) give byte-identical exports.
// The feed lists copies of one article; the first in the feed answers last,
// so a run that handed pages on as they arrive would keep another copy
// (exact copies after the first are skipped) and export another source.
func TestIngestSameInputSameExport(t *testing.T) {
	article := func(title, body string) string {
		return `<!doctype html><html lang="en"><head><title>` + title + `</title>
<meta property="article:published_time" content="2025-05-16T09:00:00Z"></head>
<body><article><h1>` + title + `</h1>` + body + `</article></body></html>`
	}
	copied := `<p>The Kremlin has demanded that Kyiv withdraw its troops from the Donbas before any ceasefire.</p>
<p>Moscow also rejected the deployment of European peacekeepers in Ukraine.</p>`
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {})
	for i, delay := range []time.Duration{120 * time.Millisecond, 0, 40 * time.Millisecond, 0} {
		mux.HandleFunc(fmt.Sprintf("/news/%d", i), func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(delay)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if i == 3 {
				fmt.Fprint(w, article("Kyiv answers", `<p>Ukraine has said it will never recognise Russian sovereignty over Crimea.</p>`))
				return
			}
			fmt.Fprint(w, article("Kremlin sets terms", copied))
		})
	}
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>`)
		for i := range 4 {
			fmt.Fprintf(w, "<item><title>%d</title><link>/news/%d</link></item>", i, i)
		}
		fmt.Fprint(w, `</channel></rss>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	in := t.TempDir()
	warc := filepath.Join(in, "crawl.warc.gz")
	writeWARC(t, warc, map[string]string{
		"https://example.org/news/talks": article("Talks resume", `<p>Moscow has demanded that Ukraine abandon its bid to join NATO.</p>
<p>Kyiv rejected any limits on the size of its armed forces.</p>`),
		"https://example.org/news/copy": article("Kremlin sets terms", copied),
	})
	files := filepath.Join(in, "files")
	if err := os.MkdirAll(files, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"01_istanbul_round_what_each_side_wants.txt", "07_annexation_and_talks_with_putin.html"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "articles", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(files, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	var exports [2]string
	for run := range exports {
		dir := filepath.Join(t.TempDir(), "idx")
		// In input order: /news/2, the files, the archive, then the feed,
		// whose copies race each other.
		out, errOut, err := runCLI(t, "ingest", "--index", dir, "--delay", "0", "--per-host", "4",
			"--feed", srv.URL+"/feed.xml", srv.URL+"/news/2", files, warc)
		if err != nil {
			t.Fatalf("run %d: ingest: %v\n%s", run, err, errOut)
		}
		if !strings.Contains(out, "exact copies skipped") {
			t.Fatalf("run %d: summary:\n%s", run, out)
		}
		exports[run] = mustRun(t, "export", "--index", dir, "--min-confidence", "0")
	}
	if exports[0] == "" {
		t.Fatal("empty export")
	}
	// The first copy in input order is kept: /news/2, given as an argument.
	if !strings.Contains(exports[0], srv.URL+"/news/2") || strings.Contains(exports[0], srv.URL+"/news/0") || strings.Contains(exports[0], srv.URL+"/news/1") || strings.Contains(exports[0], "example.org/news/copy") {
		t.Errorf("the copy kept is not the first in input order:\n%s", exports[0])
	}
	if exports[0] != exports[1] {
		t.Errorf("two runs over the same input exported differently:\n--- run 1\n%s\n--- run 2\n%s", exports[0], exports[1])
	}
}

// TestIngestWARCRecordsNotFiles ingests a folder holding a WARC archive
// (two pages, a request, a warcinfo and a 404 record) and a hidden file:
// the summary counts the one skipped file as a file and the three records
// on a line of their own, by reason. The records used to be added to
// "files skipped", so one archive of a crawl reported tens of thousands of
// skipped files.
func TestIngestWARCRecordsNotFiles(t *testing.T) {
	data := t.TempDir()
	warc, err := os.ReadFile("../../corpus/testdata/warc/sample.warc")
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{"crawl.warc": warc, ".notes.txt": []byte("Russia demands a truce.")} {
		if err := os.WriteFile(filepath.Join(data, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := mustRun(t, "ingest", "--index", filepath.Join(t.TempDir(), "idx"), data)
	for _, want := range []string{
		"documents: 2 read, 2 indexed, 0 unchanged, 0 failed, 1 files skipped\n",
		"WARC records skipped: 3, not HTML pages (request 1, status 404 1, warcinfo 1)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
