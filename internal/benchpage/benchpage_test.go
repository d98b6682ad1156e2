package benchpage

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("<p>zipped</p>"))
	zw.Close()
	files := map[string][]byte{
		"a.html.gz": gz.Bytes(),
		"a.html":    []byte("<p>plain, shadowed</p>"),
		"b.html":    []byte("<p>plain</p>"),
		"c.html.gz": []byte("not gzip at all, more than ten bytes"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct{ base, want, err string }{
		{"a", "<p>zipped</p>", ""},
		{"b", "<p>plain</p>", ""},
		{"c", "", "c.html.gz: gzip: invalid header"},
		{"d", "", "d.html.gz: no such file"},
	} {
		got, err := Read(filepath.Join(dir, tt.base))
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("Read(%s) = %q, %v; want %q, error with %q", tt.base, got, err, tt.want, tt.err)
		}
	}
}
