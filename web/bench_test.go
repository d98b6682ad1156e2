package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

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
		w := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, p, nil))
		took = append(took, time.Since(start))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d", p, w.Code)
		}
	}
	slices.Sort(took)
	ms := func(q float64) float64 { return float64(took[int(q*float64(len(took)-1))].Microseconds()) / 1000 }
	b.ReportMetric(ms(0.5), "ms/op-p50")
	b.ReportMetric(ms(0.95), "ms/op-p95")
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
