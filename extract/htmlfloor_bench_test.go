package extract

import (
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/markusmobius/go-trafilatura"

	"redline/corpus"
	"redline/internal/sharedtest"
)

// BenchmarkHTMLVsTrafilatura sets redline's HTML text stage beside its
// floor, go-trafilatura alone with its default options, over the pages of
// the extraction benchmark on every core. Each op runs both passes, one
// after the other, so that both meet the same load; it reports the pages
// per second of each and their ratio (redline's speed over the floor's).
func BenchmarkHTMLVsTrafilatura(b *testing.B) {
	pages, err := LoadHTMLBenchmark(benchmarkDir)
	if err != nil {
		sharedtest.Missing(b, "extraction benchmark not found: ", err)
	}
	var n int64
	for _, pg := range pages {
		n += int64(len(pg.HTML))
	}
	// each runs fn on every page, on every core.
	each := func(fn func(BenchPage)) time.Duration {
		start := time.Now()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := next.Add(1) - 1; i < int64(len(pages)); i = next.Add(1) - 1 {
					fn(pages[i])
				}
			}()
		}
		wg.Wait()
		return time.Since(start)
	}
	floor := func(pg BenchPage) {
		u, _ := url.Parse(pg.URL)
		_, _ = trafilatura.Extract(strings.NewReader(pg.HTML), trafilatura.Options{OriginalURL: u})
	}
	ours := func(pg BenchPage) {
		_, _ = Text(corpus.Document{HTML: pg.HTML, URL: pg.URL})
	}
	var tFloor, tOurs time.Duration
	b.SetBytes(2 * n)
	for b.Loop() {
		tFloor += each(floor)
		tOurs += each(ours)
	}
	floorRate := float64(len(pages)*b.N) / tFloor.Seconds()
	ourRate := float64(len(pages)*b.N) / tOurs.Seconds()
	b.ReportMetric(floorRate, "trafilatura-pages/s")
	b.ReportMetric(ourRate, "redline-pages/s")
	b.ReportMetric(ourRate/floorRate, "ratio")
}
