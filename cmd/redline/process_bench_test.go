package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"redline/internal/sharedtest"
)

// The start-up targets of redline search and redline stats on the demo
// index (issue 11).
const (
	startupTargetMS = 30
	startupTargetMB = 30
)

// procStat is what one run of a program as its own process cost.
type procStat struct {
	wall   time.Duration
	maxRSS int64 // bytes
	stdout string
}

// runProcess runs bin with args as a process of its own and returns its
// wall time, its peak resident memory (the child's rusage) and its stdout;
// a failed run fails tb.
func runProcess(tb testing.TB, bin string, args ...string) procStat {
	tb.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		tb.Fatalf("%s %v: %v\n%s", filepath.Base(bin), args, err, errb.String())
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss)
		if runtime.GOOS != "darwin" {
			rss *= 1024 // Linux and the BSDs count kilobytes, macOS bytes
		}
	}
	return procStat{wall: wall, maxRSS: rss, stdout: out.String()}
}

// startupSeries gathers the runs of one command: mean wall time and the
// worst peak memory.
type startupSeries struct {
	total  time.Duration
	maxRSS int64
	n      int
}

func (s *startupSeries) add(p procStat) {
	s.total += p.wall
	s.maxRSS = max(s.maxRSS, p.maxRSS)
	s.n++
}

func (s *startupSeries) report(b *testing.B, name string) {
	b.ReportMetric(float64(s.total.Microseconds())/1e3/float64(s.n), name+"-ms")
	b.ReportMetric(float64(s.maxRSS)/(1<<20), name+"-MB")
}

// BenchmarkStartup runs the real binary's stats and search, each as its
// own process, on an index freshly ingested from the demo articles, and
// reports each one's mean wall time and worst peak resident memory (the
// child's rusage Maxrss) beside the targets, 30 ms and 30 MB. One op is
// one stats and one search.
func BenchmarkStartup(b *testing.B) {
	bin := buildBinary(b)
	idx := filepath.Join(b.TempDir(), "idx")
	runProcess(b, bin, "ingest", "--index", idx, sampleArticles)
	// The first runs page the binary in from disk; they are not timed.
	runProcess(b, bin, "stats", "--index", idx)
	var stats, search startupSeries
	for b.Loop() {
		stats.add(runProcess(b, bin, "stats", "--index", idx))
		search.add(runProcess(b, bin, "search", "--index", idx, "--min-confidence", "0.5", "--party", "russia", "--kind", "demand", "--limit", "5", "nato"))
	}
	stats.report(b, "stats")
	search.report(b, "search")
	b.ReportMetric(startupTargetMS, "target-ms")
	b.ReportMetric(startupTargetMB, "target-MB")
}

// reF1 reads the F1 line of eval-html's report.
var reF1 = regexp.MustCompile(`(?m)^F1\s+([0-9.]+)$`)

// BenchmarkEvalHTMLProcess sets redline eval-html beside its floor,
// go-trafilatura alone (internal/trafilaturafloor), over the pages of the
// extraction benchmark, both as whole processes on every core: start-up,
// reading and unzipping the pages, and for redline its scoring, included.
// Each op runs both, one after the other, so that both meet the same load
// on the machine; it reports each one's seconds per pass, the ratio of
// redline's speed to the floor's (the target is 0.8 or more) and the F1
// redline printed.
func BenchmarkEvalHTMLProcess(b *testing.B) {
	const dir = "../../../shared/corpus/extraction-benchmark"
	if _, err := os.Stat(filepath.Join(dir, "ground-truth.json")); err != nil {
		sharedtest.Missing(b, "extraction benchmark not found: ", err)
	}
	bin := buildBinary(b)
	floor := filepath.Join(b.TempDir(), "trafilaturafloor")
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skipf("no go tool: %v", err)
	}
	if out, err := exec.Command(goTool, "build", "-o", floor, "redline/internal/trafilaturafloor").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	// Page both programs and the pages in from disk before timing.
	runProcess(b, floor, dir)
	runProcess(b, bin, "eval-html", dir)
	var tFloor, tOurs time.Duration
	f1 := -1.0
	for b.Loop() {
		tFloor += runProcess(b, floor, dir).wall
		p := runProcess(b, bin, "eval-html", dir)
		tOurs += p.wall
		m := reF1.FindStringSubmatch(p.stdout)
		if m == nil {
			b.Fatalf("no F1 in eval-html's report:\n%s", p.stdout)
		}
		f1, _ = strconv.ParseFloat(m[1], 64)
	}
	n := float64(b.N)
	b.ReportMetric(tFloor.Seconds()/n, "trafilatura-s")
	b.ReportMetric(tOurs.Seconds()/n, "redline-s")
	b.ReportMetric(tFloor.Seconds()/tOurs.Seconds(), "ratio")
	b.ReportMetric(f1, "F1")
}
