package crawl_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"redline/crawl"
)

// A chain of decorators built by hand: each wraps the Fetcher below it, as
// crawl.New does with all of them.
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
		case "/old":
			http.Redirect(w, r, "/news", http.StatusMovedPermanently)
		default:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body><p>Hello.</p></body></html>")
		}
	}))
	defer srv.Close()

	hosts := crawl.NewHosts(crawl.HostOptions{PerHost: 1})
	var f crawl.Fetcher = &crawl.HTTP{
		Client:    crawl.NewClient(nil, time.Second, 5*time.Second, 1),
		UserAgent: "redline/example",
		Timeout:   5 * time.Second,
		MaxBytes:  crawl.DefaultMaxBytes,
	}
	f = &crawl.Paced{Next: f, Hosts: hosts}
	f = &crawl.Retry{Next: f, Retries: 2, Backoff: 10 * time.Millisecond, MaxWait: time.Second, Hosts: hosts}
	f = crawl.NewRobots(f, crawl.Agent, hosts)
	f = &crawl.Redirects{Next: f, Max: 5}
	f = &crawl.Deadline{Next: f, D: 10 * time.Second}

	for _, path := range []string{"/old", "/private/a"} {
		u, _ := crawl.ParseURL(srv.URL + path)
		res, err := f.Fetch(context.Background(), &crawl.Request{URL: u, Kind: crawl.Page})
		if err != nil {
			fmt.Println(path, "error:", err)
			continue
		}
		fmt.Println(path, "->", res.URL[len(srv.URL):], len(res.Body), "bytes")
	}
	// Output:
	// /old -> /news 39 bytes
	// /private/a error: disallowed by robots.txt: /private/a is forbidden
}
