package crawl

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"redline/internal/fetchtest"
)

// Every server in these tests is an httptest server on the loopback
// interface, closed by t.Cleanup; no test talks to any other address.

// stall is a handler that answers nothing until the client gives up (or
// 10s pass).
func stall(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

// stallBody is a handler that sends the start of an HTML page, then
// stalls as stall does.
func stallBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	io.WriteString(w, "<html><body>")
	w.(http.Flusher).Flush()
	stall(w, r)
}

// page is what the chain tests look at in a Page response.
type page struct {
	Source string // the URL as given
	URL    string // the final URL
	HTML   string // the body as fetched
}

// urlError is a failure of pageFetcher.Fetch naming its URL.
type urlError struct {
	Input string
	Err   error
}

func (e *urlError) Error() string { return e.Input + ": " + e.Err.Error() }
func (e *urlError) Unwrap() error { return e.Err }

// pageFetcher fetches Pages through a whole chain by their URL, as corpus
// does.
type pageFetcher struct{ *Chain }

// Fetch fetches rawURL as a Page; a failure other than ctx's is a
// *urlError naming rawURL.
func (f pageFetcher) Fetch(ctx context.Context, rawURL string) (page, error) {
	u, err := ParseURL(rawURL)
	if err != nil {
		return page{}, &urlError{rawURL, err}
	}
	res, err := f.Chain.Fetch(ctx, &Request{URL: u, Kind: Page})
	if err != nil {
		if ctx.Err() != nil {
			return page{}, ctx.Err()
		}
		return page{}, &urlError{rawURL, err}
	}
	return page{Source: rawURL, URL: res.URL, HTML: string(res.Body)}, nil
}

// testFetcher returns the chain of o for tests: no per-host delay, short
// backoff and timeout, unless o says otherwise.
func testFetcher(o Options) pageFetcher {
	if o.PerHostDelay == 0 {
		o.PerHostDelay = -1
	}
	if o.RetryBackoff == 0 {
		o.RetryBackoff = 5 * time.Millisecond
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Version == "" {
		o.Version = "test"
	}
	return pageFetcher{New(o)}
}

// useFakeClock installs a fake clock, starting at the real time, in o.
func useFakeClock(o *Options) *fetchtest.Clock {
	c := fetchtest.NewClock()
	o.Now, o.Sleep = c.Now, c.Sleep
	return c
}

// wantFetchError checks that err is a *urlError for input whose reason
// wraps want (when not nil) and whose message contains sub.
func wantFetchError(t *testing.T, err error, input string, want error, sub string) {
	t.Helper()
	var ie *urlError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want *urlError", err, err)
	}
	if ie.Input != input {
		t.Errorf("urlError.Input = %q, want %q", ie.Input, input)
	}
	if want != nil && !errors.Is(err, want) {
		t.Errorf("error %q does not wrap %q", err, want)
	}
	if !strings.Contains(err.Error(), sub) {
		t.Errorf("error %q does not contain %q", err, sub)
	}
}

// wantErr checks that err wraps want (no error when want is nil) and
// says sub.
func wantErr(t *testing.T, err error, want error, sub string) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Errorf("got %v, want no error", err)
	case want != nil && !errors.Is(err, want):
		t.Errorf("got %v, want one wrapping %q", err, want)
	case err != nil && !strings.Contains(err.Error(), sub):
		t.Errorf("error %q does not contain %q", err, sub)
	}
}

// mustURL parses an absolute URL or fails the test.
func mustURL(t *testing.T, s string) *Request {
	t.Helper()
	u, err := ParseURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return &Request{URL: u, Kind: Page}
}

// testHTTP returns the base fetcher for tests.
func testHTTP() *HTTP {
	return &HTTP{Client: NewClient(nil, time.Second, 5*time.Second, 4), UserAgent: "redline/test", Timeout: 5 * time.Second, MaxBytes: DefaultMaxBytes}
}
