package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"redline/pipeline"
)

// progressLine shows ingest's progress on a terminal: documents done of the
// total with a bar and the time left when the total is known, else the
// count alone. It does nothing when stderr is not a terminal (or with
// --quiet): the progress library writes carriage returns to any writer, so
// it is never created then, and pipes and log files stay clean.
type progressLine struct {
	bar *progressbar.ProgressBar // nil: off
}

// progress returns the progress line of a run; totalOf, called only when a
// bar is drawn, gives the number of documents (-1 when not known in
// advance).
func (e *env) progress(quiet bool, totalOf func() int) *progressLine {
	f, ok := e.stderr.(*os.File)
	if !ok || quiet || !term.IsTerminal(int(f.Fd())) {
		return &progressLine{}
	}
	total := totalOf()
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("ingest"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("docs"),
		progressbar.OptionShowIts(),
		progressbar.OptionThrottle(200 * time.Millisecond),
		progressbar.OptionSetWidth(24),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionOnCompletion(func() { fmt.Fprint(f, "\r\033[K") }),
	}
	if total >= 0 {
		opts = append(opts, progressbar.OptionSetPredictTime(true), progressbar.OptionShowElapsedTimeOnFinish())
	} else {
		opts = append(opts, progressbar.OptionSpinnerType(14))
	}
	return &progressLine{bar: progressbar.NewOptions(total, opts...)}
}

func (p *progressLine) update(s pipeline.Summary) {
	if p.bar == nil {
		return
	}
	p.bar.Describe(fmt.Sprintf("%d claims, %d failed", s.Claims, s.Failed))
	_ = p.bar.Set(s.Read)
}

// clear takes the line off the screen, before a warning or the summary.
func (p *progressLine) clear() {
	if p.bar != nil {
		_ = p.bar.Clear()
	}
}

// maxCountBytes bounds the dumps inputTotal reads to count their lines:
// counting is a full pass over each file before the run starts, which a
// bar is not worth on dumps of many gigabytes.
const maxCountBytes = 256 << 20

// inputTotal counts the documents of a run when that is cheap and exact:
// each URL, each single article file, and each line of an uncompressed
// JSONL dump, while the dumps come to at most budget bytes. A folder,
// stdin, a WARC, a compressed file or dumps over the budget make the total
// unknown (-1), and so do repeated or skipped ids, which a dump's line
// count does not see; the bar then counts without a total.
func inputTotal(paths []string, urls int, budget int64) int {
	n := urls
	for _, p := range paths {
		if p == "-" {
			return -1
		}
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			return -1
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".txt", ".md", ".html", ".htm":
			n++
		case ".jsonl":
			if budget -= fi.Size(); budget < 0 {
				return -1
			}
			lines, err := countLines(p)
			if err != nil {
				return -1
			}
			n += lines
		default:
			return -1
		}
	}
	return n
}

// countLines counts the non-blank lines of a file.
func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	n := 0
	blank := true
	for {
		b, err := r.ReadSlice('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			blank = false
		}
		if err == nil || err == io.EOF {
			if len(b) > 0 && b[len(b)-1] == '\n' || err == io.EOF {
				if !blank {
					n++
				}
				blank = true
			}
			if err == io.EOF {
				return n, nil
			}
			continue
		}
		if err == bufio.ErrBufferFull {
			continue // a line longer than the buffer: read on
		}
		return n, err
	}
}
