package crawl

import (
	"net/http"
	"testing"

	"redline/internal/fetchtest"
)

// TestRedirects: Redirects over HTTP on a loopback server follows each hop
// through the chain below it, up to Max.
func TestRedirects(t *testing.T) {
	to := func(loc string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, loc, http.StatusMovedPermanently) }
	}
	site := fetchtest.NewSite(t, map[string]http.HandlerFunc{
		"/a":     to("/b"),
		"/b":     to("c?x=1"),
		"/c":     fetchtest.ServePage("text/html", fetchtest.Page),
		"/loop":  to("/loop"),
		"/gone":  to("/missing"),
		"/ftp":   to("ftp://example.invalid/"),
		"/page":  fetchtest.ServePage("text/html", fetchtest.Page),
		"/other": to("/page#frag"),
	})
	tests := []struct {
		name    string
		max     int
		path    string
		wantURL string
		want    error
		sub     string
	}{
		{"no redirect", 10, "/page", "/page", nil, ""},
		{"two hops, relative", 10, "/a", "/c?x=1", nil, ""},
		{"exactly Max", 2, "/a", "/c?x=1", nil, ""},
		{"one more than Max", 1, "/a", "", ErrRedirects, "too many redirects: more than 1, the last to " + site.URL + "/c?x=1"},
		{"none followed", 0, "/other", "", ErrRedirects, "more than 0"},
		{"loop", 5, "/loop", "", ErrRedirects, "more than 5"},
		{"the failing hop is named", 10, "/gone", "", ErrHTTPStatus, "redirected to " + site.URL + "/missing: HTTP status 404"},
		{"not http", 10, "/ftp", "", ErrBadURL, `scheme "ftp"`},
		{"fragment dropped", 10, "/other", "/page", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &Redirects{Next: testHTTP(), Max: tc.max}
			res, err := r.Fetch(fetchtest.Ctx(t), mustURL(t, site.URL+tc.path))
			wantErr(t, err, tc.want, tc.sub)
			if err == nil && (res.URL != site.URL+tc.wantURL || res.Location != nil || string(res.Body) != fetchtest.Page) {
				t.Errorf("got URL %q, Location %v; want %q", res.URL, res.Location, site.URL+tc.wantURL)
			}
		})
	}
	if n := site.Hits("/loop"); n != 6 {
		t.Errorf("loop: %d requests, want 6 (Max 5)", n)
	}
}
