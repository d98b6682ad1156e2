package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"redline/index"
	"redline/internal/sharedtest"
)

var (
	bulkOnce sync.Once
	bulkDir  string
	bulkErr  error
)

// bulkIndex is an index of ../shared/corpus/bulk.jsonl and articles.jsonl,
// built once per test process by the real CLI.
func bulkIndex(b *testing.B) string {
	b.Helper()
	inputs := []string{"../../shared/corpus/bulk.jsonl", "../../shared/corpus/articles.jsonl"}
	for _, in := range inputs {
		if _, err := os.Stat(in); err != nil {
			sharedtest.Missing(b, "the benchmark corpus is missing: ", err)
		}
	}
	bin := redlineBinary(b)
	bulkOnce.Do(func() {
		dir := filepath.Join(tmpRoot, "bulk.index")
		out, err := exec.Command(bin, append([]string{"ingest", "--index", dir}, inputs...)...).CombinedOutput()
		if err != nil {
			bulkErr = &buildError{err, string(out)}
			return
		}
		bulkDir = dir
	})
	if bulkErr != nil {
		b.Fatalf("ingest: %v", bulkErr)
	}
	return bulkDir
}

// benchHandler serves the paths in turn through the handler (server time:
// no network) and reports the median and 95th percentile per request.
func benchHandler(b *testing.B, paths []string) {
	dir := bulkIndex(b)
	s, err := New(Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	// Warm up: the index opens on the first request.
	for _, p := range paths {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d\n%s", p, w.Code, w.Body.String())
		}
	}
	var took []time.Duration
	i := 0
	for b.Loop() {
		p := paths[i%len(paths)]
		i++
		took = append(took, serveTimed(b, h, p))
	}
	b.ReportMetric(quantileMS(took, 0.5), "ms/op-p50")
	b.ReportMetric(quantileMS(took, 0.95), "ms/op-p95")
}

// serveTimed serves GET path through h and returns the time it took; an
// answer other than 200 ends the benchmark.
func serveTimed(b *testing.B, h http.Handler, path string) time.Duration {
	w := httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	d := time.Since(start)
	if w.Code != http.StatusOK {
		b.Fatalf("%s: %d\n%s", path, w.Code, w.Body.String())
	}
	return d
}

// quantileMS is the q quantile of d (which it sorts), in milliseconds.
func quantileMS(d []time.Duration, q float64) float64 {
	slices.Sort(d)
	return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000
}

// BenchmarkSearchPage: the search page (hits, five facets, cards) for a
// mix of queries an analyst types; the goal is a p50 under 50 ms.
func BenchmarkSearchPage(b *testing.B) {
	benchHandler(b, []string{
		"/",
		"/?q=ceasefire",
		"/?q=nato&party=russia",
		"/?q=%22security+guarantees%22&min_confidence=0",
		"/?kind=red_line&topic=territory&min_confidence=0",
		"/?q=troops+OR+territory&page=2",
	})
}

// BenchmarkSearchAPI: /api/search, the same queries as JSON.
func BenchmarkSearchAPI(b *testing.B) {
	benchHandler(b, []string{
		"/api/search",
		"/api/search?q=ceasefire",
		"/api/search?q=nato&party=russia",
		"/api/search?kind=red_line&topic=territory&min_confidence=0",
	})
}

// BenchmarkComparePage: the compare page over the whole index (map,
// timeline chart, shifts, disagreements); the goal is under 1 s.
func BenchmarkComparePage(b *testing.B) {
	benchHandler(b, []string{"/compare", "/compare?min_confidence=0"})
}

// BenchmarkArticlePage: the article page (the stored text laid out with
// its claims highlighted, the claims list, the cluster) for the articles
// of the first hits of a search.
func BenchmarkArticlePage(b *testing.B) {
	s, err := New(Options{Dir: bulkIndex(b), ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/search?q=ceasefire&min_confidence=0&limit=50", nil))
	s.Close()
	var res struct {
		Hits []struct {
			DocID string `json:"doc_id"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || len(res.Hits) == 0 {
		b.Fatalf("no articles to open (%v): %.200s", err, w.Body.String())
	}
	var paths []string
	for _, h := range res.Hits {
		if p := "/article/" + url.PathEscape(h.DocID); !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	benchHandler(b, paths)
}

// BenchmarkPagesWhileIngesting: the search page, /api/search, /api/stats
// and the status page, served while an ingest (the CLI, another process)
// commits copies of ../shared/corpus/bulk.jsonl, under new ids, into the
// index of it the pages read; a new ingest starts whenever one ends. It
// reports the median and 95th percentile per request, and per path (in
// the log). "full-errors" has an errors.jsonl of 100,000 records, as a
// folder of dumps with many bad lines leaves, which the ingests keep.
func BenchmarkPagesWhileIngesting(b *testing.B) {
	b.Run("no-errors", func(b *testing.B) { benchPagesWhileIngesting(b, false) })
	b.Run("full-errors", func(b *testing.B) { benchPagesWhileIngesting(b, true) })
}

func benchPagesWhileIngesting(b *testing.B, fullErrors bool) {
	in := "../../shared/corpus/bulk.jsonl"
	src, err := os.ReadFile(in)
	if err != nil {
		sharedtest.Missing(b, "the benchmark corpus is missing: ", err)
	}
	bin := redlineBinary(b)
	dir := filepath.Join(b.TempDir(), "idx")
	if out, err := exec.Command(bin, "ingest", "--index", dir, in).CombinedOutput(); err != nil {
		b.Fatalf("ingest: %v\n%s", err, out)
	}
	if fullErrors {
		var buf bytes.Buffer
		for i := range index.DefaultMaxErrorRecords {
			in := fmt.Sprintf("/data/dumps/cc-news-%03d.jsonl:%07d", i/2000, i%2000*7+1)
			fmt.Fprintf(&buf, `{"time":"2026-12-0%dT17:24:04Z","input":%q,"reason":"%s: no text: the record has neither text nor html","first_seen":"2026-12-01T09:12:40Z","count":3}`+"\n", 1+i%7, in, in)
		}
		if err := os.WriteFile(filepath.Join(dir, index.ErrorsFile), buf.Bytes(), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	// Copies of the articles under new ids: new documents, the same
	// sentences, as a news feed's reprints are.
	var docs []map[string]any
	for line := range bytes.SplitSeq(bytes.TrimSpace(src), []byte("\n")) {
		var doc map[string]any
		if err := json.Unmarshal(line, &doc); err != nil {
			b.Fatalf("%s: %v", in, err)
		}
		docs = append(docs, doc)
	}
	tmp := b.TempDir()
	copies := func(round int) (string, error) {
		var out bytes.Buffer
		for c := range 10 {
			for _, doc := range docs {
				doc := maps.Clone(doc)
				doc["id"] = fmt.Sprintf("%v-copy-%d-%d", doc["id"], round, c)
				l, err := json.Marshal(doc)
				if err != nil {
					return "", err
				}
				out.Write(append(l, '\n'))
			}
		}
		p := filepath.Join(tmp, fmt.Sprintf("copies-%d.jsonl", round))
		return p, os.WriteFile(p, out.Bytes(), 0o644)
	}
	// Ingests one after the other until the measure ends, which stops
	// the last as Ctrl-C does.
	ctx, stop := context.WithCancel(context.Background())
	var ingests atomic.Int64
	done := make(chan error, 1)
	go func() {
		for round := 0; ctx.Err() == nil; round++ {
			p, err := copies(round)
			if err != nil {
				done <- err
				return
			}
			cmd := exec.CommandContext(ctx, bin, "ingest", "--index", dir, p)
			cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
			if out, err := cmd.CombinedOutput(); err != nil && ctx.Err() == nil {
				done <- fmt.Errorf("ingest: %v\n%s", err, out)
				return
			}
			ingests.Add(1)
		}
		done <- nil
	}()
	ended := false // whether done was received
	defer func() {
		stop()
		if !ended {
			<-done
		}
	}()
	// Measure from the first view the ingest publishes.
	for stamp := commitStamp(dir); commitStamp(dir) == stamp; {
		select {
		case err := <-done:
			ended = true
			b.Fatalf("the ingest ended before it committed: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	s, err := New(Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	h := s.Handler()
	paths := []string{"/", "/?q=ceasefire", "/api/search?q=ceasefire", "/api/stats", "/status"}
	took := map[string][]time.Duration{}
	var all []time.Duration
	i := 0
	for b.Loop() {
		p := paths[i%len(paths)]
		i++
		d := serveTimed(b, h, p)
		took[p] = append(took[p], d)
		all = append(all, d)
	}
	b.StopTimer()
	stop()
	ended = true
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(quantileMS(all, 0.5), "ms/op-p50")
	b.ReportMetric(quantileMS(all, 0.95), "ms/op-p95")
	for _, p := range paths {
		if d := took[p]; len(d) > 0 {
			b.Logf("%-26s n=%d p50 %.0f ms, p95 %.0f ms, max %.0f ms", p, len(d), quantileMS(d, 0.5), quantileMS(d, 0.95), quantileMS(d, 1))
		}
	}
	b.Logf("%d ingests ran meanwhile", ingests.Load())
}
