package crawl

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"redline/internal/fetchtest"
)

// TestPaced: Paced over HTTP on loopback servers; the servers count the
// requests in flight: never more than PerHost to one host, MaxConcurrent
// in all, and with a Delay the starts to one host are spread out.
func TestPaced(t *testing.T) {
	tests := []struct {
		name        string
		o           HostOptions
		hosts, each int
		wantHost    int32 // peak in flight to one host
		wantAll     int32 // peak in flight in all
		minSpan     time.Duration
	}{
		{"PerHost 1", HostOptions{PerHost: 1}, 1, 6, 1, 1, 0},
		{"PerHost 3", HostOptions{PerHost: 3}, 1, 9, 3, 3, 0},
		{"MaxConcurrent over hosts", HostOptions{PerHost: 4, MaxConcurrent: 3}, 2, 8, 3, 3, 0},
		{"Delay spaces the starts", HostOptions{PerHost: 4, Delay: 60 * time.Millisecond}, 1, 4, 1, 1, 150 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var all fetchtest.Gauge
			var mu sync.Mutex
			var first, last time.Time
			var urls []string
			gauges := make([]*fetchtest.Gauge, tc.hosts)
			for h := range tc.hosts {
				g := &fetchtest.Gauge{}
				gauges[h] = g
				site := fetchtest.NewSite(t, map[string]http.HandlerFunc{"/p": func(w http.ResponseWriter, r *http.Request) {
					g.Enter()
					all.Enter()
					defer g.Leave()
					defer all.Leave()
					mu.Lock()
					if first.IsZero() {
						first = time.Now()
					}
					last = time.Now()
					mu.Unlock()
					if tc.minSpan == 0 {
						time.Sleep(30 * time.Millisecond)
					}
					fetchtest.ServePage("text/html", fetchtest.Page)(w, r)
				}})
				for i := range tc.each {
					urls = append(urls, fmt.Sprintf("%s/p?%d", site.URL, i))
				}
			}
			p := &Paced{Next: testHTTP(), Hosts: NewHosts(tc.o)}
			var wg sync.WaitGroup
			for _, u := range urls {
				wg.Go(func() {
					if _, err := p.Fetch(fetchtest.Ctx(t), mustURL(t, u)); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			for h, g := range gauges {
				if m := g.Peak(); m > tc.wantHost || (tc.minSpan == 0 && tc.hosts == 1 && m != tc.wantHost) {
					t.Errorf("host %d: peak in flight %d, want %d", h, m, tc.wantHost)
				}
			}
			if m := all.Peak(); m > tc.wantAll || (tc.minSpan == 0 && m != tc.wantAll) {
				t.Errorf("peak in flight in all %d, want %d", m, tc.wantAll)
			}
			if span := last.Sub(first); span < tc.minSpan {
				t.Errorf("%d requests within %v, want at least %v", len(urls), span, tc.minSpan)
			}
		})
	}
}
