package crawl

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"redline/internal/fetchtest"
)

// TestDeadline: Deadline over Retry, Paced and HTTP on a loopback server
// bounds each URL in all, attempts and the waits between them included;
// zero leaves the request unbounded.
func TestDeadline(t *testing.T) {
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/page":      fetchtest.ServePage("text/html", fetchtest.Page),
		"/slow":      stall,
		"/slow-body": stallBody,
		"/down":      func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusServiceUnavailable) },
	})
	tests := []struct {
		name    string
		d       time.Duration
		backoff time.Duration
		path    string
		want    error
		sub     string
		last    bool // the error names the last attempt's failure
	}{
		{"fast page", 300 * time.Millisecond, time.Millisecond, "/page", nil, "", false},
		{"headers never come", 300 * time.Millisecond, time.Millisecond, "/slow", ErrTimeout, "timed out after 300ms", false},
		{"body stalls", 300 * time.Millisecond, time.Millisecond, "/slow-body", ErrTimeout, "timed out after 300ms", false},
		{"retry would pass the deadline", 300 * time.Millisecond, time.Second, "/down", ErrTimeout, "timed out after 300ms (last attempt: HTTP status 503", true},
		{"no deadline: the retries run out", 0, time.Millisecond, "/down", ErrHTTPStatus, "(after 3 attempts)", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := testHTTP()
			h.Timeout = 3 * time.Second
			chain := &Deadline{D: tc.d, Next: &Retry{Retries: 2, Backoff: tc.backoff, MaxWait: time.Minute,
				Next: &Paced{Hosts: NewHosts(HostOptions{}), Next: h}}}
			start := time.Now()
			_, err := chain.Fetch(fetchtest.Ctx(t), mustURL(t, site.URL+tc.path))
			wantErr(t, err, tc.want, tc.sub)
			var de *DeadlineError
			if tc.d > 0 && tc.want != nil {
				if !errors.As(err, &de) || de.Deadline != tc.d || (de.Last != nil) != tc.last {
					t.Errorf("error %v is not a *DeadlineError of %v (last attempt named: %v)", err, tc.d, tc.last)
				}
				if spent := time.Since(start); spent > 2*time.Second {
					t.Errorf("took %v", spent)
				}
			}
		})
	}
}
