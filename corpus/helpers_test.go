package corpus

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"redline/internal/sharedtest"
	"strconv"
	"strings"
	"testing"
)

// result is one outcome of Reader.Next other than io.EOF.
type result struct {
	doc Document
	err error
}

// collect reads r to io.EOF. It fails the test on any error that is not an
// *InputError, and checks that io.EOF is sticky.
func collect(t *testing.T, r *Reader) []result {
	t.Helper()
	ctx := context.Background()
	var out []result
	for i := 0; ; i++ {
		if i > 1_000_000 {
			t.Fatal("Next did not reach io.EOF")
		}
		doc, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Next: fatal error %v", err)
			}
		}
		out = append(out, result{doc, err})
	}
	if _, err := r.Next(ctx); err != io.EOF {
		t.Fatalf("Next after io.EOF = %v, want io.EOF again", err)
	}
	return out
}

// openAll opens paths with opts and collects every result.
func openAll(t *testing.T, paths []string, opts Options) ([]result, *Reader) {
	t.Helper()
	r, err := Open(paths, opts)
	if err != nil {
		t.Fatalf("Open(%q): %v", paths, err)
	}
	t.Cleanup(func() { r.Close() })
	return collect(t, r), r
}

// writeFile creates dir/name (and its parent folders) holding content and
// returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// outline describes results compactly: "doc SOURCE" or "err INPUT:LINE".
func outline(rs []result) []string {
	var out []string
	for _, r := range rs {
		if r.err != nil {
			var ie *InputError
			errors.As(r.err, &ie)
			out = append(out, "err "+ie.Input+":"+strconv.Itoa(ie.Line))
		} else {
			out = append(out, "doc "+r.doc.Source)
		}
	}
	return out
}

// wantInputError checks that err is an *InputError for input and line whose
// reason wraps want and whose message contains sub.
func wantInputError(t *testing.T, err error, input string, line int, want error, sub string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v (%T), want *InputError", err, err)
	}
	if ie.Input != input || ie.Line != line {
		t.Errorf("InputError at %s:%d, want %s:%d (%v)", ie.Input, ie.Line, input, line, err)
	}
	if want != nil && !errors.Is(err, want) {
		t.Errorf("error %q does not wrap %q", err, want)
	}
	if !strings.Contains(err.Error(), sub) {
		t.Errorf("error %q does not contain %q", err, sub)
	}
	prefix := input + ": "
	if line > 0 {
		prefix = input + ":" + strconv.Itoa(line) + ": "
	}
	if !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error %q does not start with %q", err, prefix)
	}
}

// sharedCorpus returns the shared evaluation corpus folder, found as
// ../../shared/corpus from the package folder, or skips the test.
func sharedCorpus(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "corpus"))
	if err == nil {
		_, err = os.Stat(dir)
	}
	if err != nil {
		sharedtest.Missing(t, "../shared not found: ", err)
	}
	return dir
}
