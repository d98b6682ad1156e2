// Package benchpage reads the pages of the article extraction benchmark
// (../shared/corpus/extraction-benchmark). It is its own package because
// two programs read them and must read them alike: redline's HTML
// evaluation and the go-trafilatura floor it is timed against, which may
// link nothing of redline's extraction.
package benchpage

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
)

// Read returns the page stored as base+".html.gz", else as base+".html".
// The benchmark's pages are UTF-8. When neither file can be read, the error
// is the one of the gzipped name.
func Read(base string) (string, error) {
	f, err := os.Open(base + ".html.gz")
	if err != nil {
		b, err2 := os.ReadFile(base + ".html")
		if err2 != nil {
			return "", err
		}
		return string(b), nil
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("%s.html.gz: %w", base, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return "", fmt.Errorf("%s.html.gz: %w", base, err)
	}
	return string(b), nil
}
