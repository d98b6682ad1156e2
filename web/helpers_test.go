package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// tmpRoot is a folder for what the tests of this process share: the built
// redline binary and the indexes built from testdata/ and ../shared.
var tmpRoot string

func TestMain(m *testing.M) {
	var err error
	if tmpRoot, err = os.MkdirTemp("", "redline-web-test-"); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// redlineBinary builds the redline command once per test process.
func redlineBinary(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("-short: not building the redline binary")
	}
	binOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(tmpRoot, "redline")
		out, err := exec.Command(goTool, "build", "-o", binPath, "../cmd/redline").CombinedOutput()
		if err != nil {
			binErr = &buildError{err, string(out)}
		}
	})
	if binErr != nil {
		tb.Fatalf("building redline: %v", binErr)
	}
	return binPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// runRedline runs the binary and returns its stdout; a failure fails tb.
func runRedline(tb testing.TB, args ...string) string {
	tb.Helper()
	cmd := exec.Command(redlineBinary(tb), args...)
	cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("redline %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// hostileDoc is an article whose every field tries to run script or break
// out of an attribute: it must show as text. Its title starts with "=" so
// the CSV export must neutralise it.
const hostileDoc = `{"id": "hostile-001", "url": "javascript:document.title='pwned-url'", "outlet": "Evil \"Outlet\" <img src=x onerror=\"document.title='pwned-img'\">", "published": "2025-04-02", "title": "=HYPERLINK(\"http://evil.example\") \"><script>document.title='pwned-title'</script>", "text": "Moscow talks resumed on Tuesday.\n\nRussia demands that Ukraine withdraw its troops from Donetsk <script>window.__pwned=1;document.title='pwned-sentence'</script> before any ceasefire.\n\nKyiv said it will never accept the loss of Crimea \" onmouseover=\"document.title='pwned-attr'\" x=\".\n"}
`

var (
	sampleOnce sync.Once
	sampleDir  string
)

// sampleIndex is an index of testdata/articles plus the hostile article,
// built once per test process by the real CLI. Tests only read it.
func sampleIndex(tb testing.TB) string {
	tb.Helper()
	bin := redlineBinary(tb)
	sampleOnce.Do(func() {
		hostile := filepath.Join(tmpRoot, "hostile.jsonl")
		if err := os.WriteFile(hostile, []byte(hostileDoc), 0o644); err != nil {
			tb.Fatal(err)
		}
		dir := filepath.Join(tmpRoot, "sample.index")
		out, err := exec.Command(bin, "ingest", "--index", dir, "../testdata/articles", hostile).CombinedOutput()
		if err != nil {
			tb.Fatalf("ingest: %v\n%s", err, out)
		}
		sampleDir = dir
	})
	if sampleDir == "" {
		tb.Fatal("the sample index could not be built (see the first failure)")
	}
	return sampleDir
}

// newServer serves the index dir on an httptest server on loopback.
func newServer(tb testing.TB, opts Options) *httptest.Server {
	tb.Helper()
	s, err := New(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return newServerFor(tb, s)
}

// newServerFor serves s on an httptest server on loopback.
func newServerFor(tb testing.TB, s *Server) *httptest.Server {
	ts := httptest.NewServer(s.Handler())
	tb.Cleanup(ts.Close)
	return ts
}

// get fetches path and returns the status, the headers and the body.
func get(tb testing.TB, ts *httptest.Server, path string) (int, http.Header, string) {
	tb.Helper()
	c := &http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get(ts.URL + path)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// getJSON fetches path, wants status want and decodes the body into v.
func getJSON(tb testing.TB, ts *httptest.Server, path string, want int, v any) {
	tb.Helper()
	code, h, body := get(tb, ts, path)
	if code != want {
		tb.Fatalf("GET %s: status %d, want %d\n%s", path, code, want, body)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		tb.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		tb.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}
