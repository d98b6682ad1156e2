// Command trafilaturafloor is the floor that redline eval-html is measured
// against as a whole process (BenchmarkEvalHTMLProcess in cmd/redline): it
// reads an extraction benchmark folder as eval-html does (ground-truth.json
// and html/ID.html.gz or html/ID.html), and runs go-trafilatura alone, with
// its default options and the page's URL, over every page on every core.
// It imports nothing of redline but the page reader internal/benchpage
// (the standard library only), so that its start-up is go-trafilatura's
// and the standard library's only, and it scores nothing.
//
// Usage:
//
//	trafilaturafloor DIR
//
// It prints the pages, the pages go-trafilatura found no text in, and the
// seconds of the extraction pass. It is a package of its own because a
// benchmark builds and runs it as a separate program.
package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/sync/errgroup"

	"redline/internal/benchpage"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: trafilaturafloor DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "trafilaturafloor: %v\n", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return err
	}
	var gt map[string]struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "ground-truth.json"), err)
	}
	start := time.Now()
	var empty atomic.Int64
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for id, page := range gt {
		g.Go(func() error {
			html, err := benchpage.Read(filepath.Join(dir, "html", id))
			if err != nil {
				return err
			}
			u, _ := url.Parse(page.URL)
			res, err := trafilatura.Extract(strings.NewReader(html), trafilatura.Options{OriginalURL: u})
			if err != nil || res == nil || strings.TrimSpace(res.ContentText) == "" {
				empty.Add(1)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	fmt.Printf("pages %d\nempty %d\nseconds %.3f\n", len(gt), empty.Load(), time.Since(start).Seconds())
	return nil
}
