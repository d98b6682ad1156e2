package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"redline/internal/sharedtest"
)

// The start-up targets of redline search and redline stats on the demo
// index.
const (
	startupTargetMS = 30
	startupTargetMB = 30
)

// procStat is what one run of a program as its own process cost.
type procStat struct {
	wall   time.Duration
	stdout string
	stderr string
}

// runProcess runs bin with args as a process of its own and returns its
// wall time and output; a failed run fails tb.
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
	return procStat{wall: wall, stdout: out.String(), stderr: errb.String()}
}

// rePeakRSS reads the report peakrss writes last on stderr.
var rePeakRSS = regexp.MustCompile(`(?m)^peakrss: wall=([0-9.]+) maxrss=([0-9]+)$`)

// peakRun is one run measured by peakrss.
type peakRun struct {
	wall   time.Duration
	maxRSS int64 // bytes
}

// runPeak runs bin with args under peakrss (internal/peakrss), which
// measures its wall time and peak resident memory free of the benchmark
// process's own (see that command's doc).
func runPeak(tb testing.TB, peakrss, bin string, args ...string) peakRun {
	tb.Helper()
	p := runProcess(tb, peakrss, append([]string{bin}, args...)...)
	m := rePeakRSS.FindStringSubmatch(p.stderr)
	if m == nil {
		tb.Fatalf("no peakrss report in:\n%s", p.stderr)
	}
	secs, _ := strconv.ParseFloat(m[1], 64)
	rss, _ := strconv.ParseInt(m[2], 10, 64)
	return peakRun{wall: time.Duration(secs * float64(time.Second)), maxRSS: rss}
}

// buildHelper builds the main package pkg (an import path) into a
// temporary folder for a benchmark.
func buildHelper(b *testing.B, pkg string) string {
	b.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skipf("no go tool: %v", err)
	}
	out := filepath.Join(b.TempDir(), filepath.Base(pkg))
	if msg, err := exec.Command(goTool, "build", "-o", out, pkg).CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out
}

// startupSeries gathers the runs of one command: mean wall time and the
// worst peak memory.
type startupSeries struct {
	total  time.Duration
	maxRSS int64
	n      int
}

func (s *startupSeries) add(p peakRun) {
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
// reports each one's mean wall time and worst peak resident memory beside
// the targets, 30 ms and 30 MB. One op is one stats and one search. Each
// run is measured by internal/peakrss, since a child the benchmark starts
// itself would report the benchmark's own peak memory when larger. The
// peak counts the pages of the binary the process maps, so the binary is
// first dropped from the page cache (evictPageCache) and paged in again by
// an untimed run, as an installed program is: left as the linker wrote it,
// the same binary measures up to 5 MB more or less from one build to the
// next.
func BenchmarkStartup(b *testing.B) {
	bin := buildBinary(b)
	peakrss := buildHelper(b, "redline/internal/peakrss")
	idx := filepath.Join(b.TempDir(), "idx")
	runProcess(b, bin, "ingest", "--index", idx, sampleArticles)
	if err := evictPageCache(bin); err != nil {
		b.Fatal(err)
	}
	// The first run pages the binary in from disk; it is not timed.
	runProcess(b, bin, "stats", "--index", idx)
	var stats, search startupSeries
	for b.Loop() {
		stats.add(runPeak(b, peakrss, bin, "stats", "--index", idx))
		search.add(runPeak(b, peakrss, bin, "search", "--index", idx, "--min-confidence", "0.5", "--party", "russia", "--kind", "demand", "--limit", "5", "nato"))
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
	floor := buildHelper(b, "redline/internal/trafilaturafloor")
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
