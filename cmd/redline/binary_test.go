package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"redline/internal/sharedtest"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary builds the redline command into a temporary folder.
func buildBinary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: not building the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "redline")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type procResult struct {
	code           int
	stdout, stderr string
}

func runBinary(t *testing.T, bin string, args ...string) procResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "REDLINE_INDEX=") // no surprise index
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running %s: %v", bin, err)
	}
	return procResult{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
}

// hasProgress reports whether s holds the terminal progress line.
func hasProgress(s string) bool {
	return strings.ContainsAny(s, "\r\x1b") || strings.Contains(s, "docs/s ·")
}

func TestBinary(t *testing.T) {
	bin := buildBinary(t)
	idx := filepath.Join(t.TempDir(), "idx")

	r := runBinary(t, bin, "ingest", "--index", idx, sampleArticles)
	if r.code != exitOK || !strings.Contains(r.stdout, "8 read, 8 indexed") {
		t.Fatalf("ingest: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if hasProgress(r.stderr) || hasProgress(r.stdout) {
		t.Errorf("progress output on a non-terminal:\nstdout %q\nstderr %q", r.stdout, r.stderr)
	}

	for _, tt := range []struct {
		args []string
		code int
		out  string // in stdout
		err  string // in stderr
	}{
		{[]string{"stats", "--index", idx}, exitOK, "articles: 8", ""},
		{[]string{"search", "--index", idx, "--party", "russia", "nato"}, exitOK, "claims match", ""},
		{[]string{"ingest", "--help"}, exitOK, "Usage: redline ingest", ""},
		{[]string{"version"}, exitOK, version, ""},
		{nil, exitUsage, "", "no command given"},
		{[]string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{[]string{"search", "--index", idx, "--limit", "x", "nato"}, exitUsage, "", "invalid value"},
		{[]string{"export", "--index", idx, "--format", "xml"}, exitUsage, "", "--format"},
		{[]string{"search", "--index", idx, "--min-confidence", "2", "nato"}, exitUsage, "", "invalid value \"2\" for flag -min-confidence"},
		{[]string{"export", "--index", idx, "--min-confidence", "high"}, exitUsage, "", "-min-confidence"},
		{[]string{"compare", "--index", idx, "--min-confidence", "-1"}, exitUsage, "", "-min-confidence"},
		{[]string{"search", "--index", idx, `"unclosed`}, exitUsage, "", `invalid query "\"unclosed"`},
		{[]string{"stats", "--index", filepath.Join(t.TempDir(), "none")}, exitFailure, "", "no index at"},
	} {
		r := runBinary(t, bin, tt.args...)
		if r.code != tt.code || !strings.Contains(r.stdout, tt.out) || !strings.Contains(r.stderr, tt.err) {
			t.Errorf("redline %q: exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", tt.args, r.code, tt.code, r.stdout, r.stderr)
		}
	}
}

// TestBinaryInterrupt sends SIGINT to an ingest of the shared bulk dump:
// the process exits 130, keeps what it extracted, and a second run finishes
// the job, skipping what the first one indexed.
func TestBinaryInterrupt(t *testing.T) {
	const bulk = "../../../shared/corpus/bulk.jsonl"
	if _, err := os.Stat(bulk); err != nil {
		sharedtest.Missing(t, fmt.Sprintf("shared bulk dump not available (%v)", err))
	}
	bin := buildBinary(t)
	// On a loaded machine the first document may not be read yet when the
	// signal comes; then the run proves nothing, and it is tried again
	// with a longer wait.
	var idx string
	var out bytes.Buffer
	var m []string
	for _, wait := range []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second} {
		idx = filepath.Join(t.TempDir(), "idx")
		out.Reset()
		m = interruptIngest(t, bin, idx, bulk, wait, &out)
		if m[1] != "0" {
			break
		}
		t.Logf("interrupted after %v before any document was read; trying a longer wait", wait)
	}
	indexed, _ := strconv.Atoi(m[2])

	r := runBinary(t, bin, "ingest", "--index", idx, bulk)
	if r.code != exitOK {
		t.Fatalf("second ingest: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	m2 := regexp.MustCompile(`documents: (\d+) read, (\d+) indexed, (\d+) unchanged`).FindStringSubmatch(r.stdout)
	if m2 == nil {
		t.Fatalf("second ingest summary:\n%s", r.stdout)
	}
	// What the first run indexed (flushed on the interrupt) is skipped now.
	unchanged, _ := strconv.Atoi(m2[3])
	if indexed == 0 {
		t.Errorf("the interrupted run indexed nothing: extracted documents were not flushed\n%s", out.String())
	}
	if unchanged < indexed {
		t.Errorf("the first run indexed %d documents but the second found only %d unchanged", indexed, unchanged)
	}
	t.Logf("interrupted run: %s; second run: %s", m[0], m2[0])
}

// indexAppears waits, up to within, until an ingest has made its index at
// idx (its Bleve folder exists), and reports whether it did.
func indexAppears(idx string, within time.Duration) bool {
	for deadline := time.Now().Add(within); ; time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(idx, "bleve")); err == nil {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

// interruptIngest starts an ingest of bulk into idx, sends SIGINT wait after
// the index appears, checks the exit, and returns the summary's
// "documents: N read, M indexed" match.
func interruptIngest(t *testing.T, bin, idx, bulk string, wait time.Duration, out *bytes.Buffer) []string {
	t.Helper()
	cmd := exec.Command(bin, "ingest", "--index", idx, bulk)
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal only once the ingest is running (its index exists): before
	// main installs its handler, package initialisation may take a while on
	// a loaded machine, and SIGINT would kill the process outright.
	if !indexAppears(idx, 30*time.Second) {
		t.Fatal("the ingest did not create its index within 30s")
	}
	time.Sleep(wait)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	if code == exitOK {
		t.Skipf("the ingest finished before the interrupt:\n%s", out.String())
	}
	if code != exitCanceled || !strings.Contains(errb.String(), "interrupted") {
		t.Fatalf("interrupted ingest: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitCanceled, out.String(), errb.String())
	}
	if hasProgress(errb.String()) {
		t.Errorf("progress output on a non-terminal stderr: %q", errb.String())
	}
	m := regexp.MustCompile(`documents: (\d+) read, (\d+) indexed`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no summary after the interrupt:\n%s", out.String())
	}
	return m
}

// TestBinaryInterruptClusters presses Ctrl-C twice during a clustering of
// the shared bulk dump, which does not stop for the first one until its
// work is done: the second ends the process at once, and no class file is
// written. Both used to be ignored: clusters ran its 20-odd seconds to the
// end, wrote --out and exited 0.
func TestBinaryInterruptClusters(t *testing.T) {
	const bulk = "../../../shared/corpus/bulk.jsonl"
	if _, err := os.Stat(bulk); err != nil {
		sharedtest.Missing(t, fmt.Sprintf("shared bulk dump not available (%v)", err))
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "classes.tsv")
	cmd := exec.Command(bin, "clusters", "--docs", bulk, "--out", out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	// The first Ctrl-C comes once the articles are read (a few seconds)
	// and the clustering runs; one that comes earlier stops the reading,
	// which proves less but must end the process too.
	time.Sleep(5 * time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Fatalf("clusters still ran 10s after a second Ctrl-C\nstdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
		}
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if code := cmd.ProcessState.ExitCode(); code != exitCanceled && !(ws.Signaled() && ws.Signal() == syscall.SIGINT) {
		t.Errorf("interrupted clusters: exit %d (%v), want %d or death by SIGINT\nstdout:\n%s\nstderr:\n%s", code, cmd.ProcessState, exitCanceled, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("interrupted clusters wrote %s (%v)", out, err)
	}
}
