package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sampleDump returns the sample articles as JSONL lines, one a document.
func sampleDump(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, name := range []string{"01_istanbul_round_what_each_side_wants.txt", "02_peace_formula_vs_new_realities.txt", "03_grain_corridor_deal_istanbul.txt"} {
		text, err := os.ReadFile(filepath.Join(sampleArticles, name))
		if err != nil {
			t.Fatal(err)
		}
		line, err := json.Marshal(map[string]string{"id": strings.TrimSuffix(name, ".txt"), "outlet": "Sample", "text": string(text)})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// TestBinaryInterruptIdleStdin stops "redline ingest -" with SIGINT while
// its standard input is open but sends nothing more, as a terminal or a
// slow producer does. It must stop at once, keep what it indexed, print its
// summary and say how to go on; a run of the same input then skips what
// the first one indexed. The read of stdin used to block the stop until
// the next line or the end of the input: the process ran on after Ctrl-C.
func TestBinaryInterruptIdleStdin(t *testing.T) {
	bin := buildBinary(t)
	idx := filepath.Join(t.TempDir(), "idx")
	dump := sampleDump(t)

	cmd := exec.Command(bin, "ingest", "--index", idx, "-")
	cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	if _, err := stdin.Write(dump); err != nil {
		t.Fatal(err)
	}
	// The ingest reads the documents sent, then waits on stdin: signal
	// once it runs (its index exists) and has had time to read them.
	if !indexAppears(idx, 60*time.Second) {
		cmd.Process.Kill()
		<-done
		t.Fatalf("no index within 60s\nstdout:\n%s\nstderr:\n%s", out.String(), errb.String())
	}
	time.Sleep(2 * time.Second)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("ingest - still ran 10s after SIGINT with stdin open\nstdout:\n%s\nstderr:\n%s", out.String(), errb.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != exitCanceled {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitCanceled, out.String(), errb.String())
	}
	m := regexp.MustCompile(`documents: (\d+) read, (\d+) indexed`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no summary after the interrupt:\n%s", out.String())
	}
	if !strings.Contains(errb.String(), "run the same command again") {
		t.Errorf("the interrupt does not say how to go on:\n%s", errb.String())
	}

	r := runBinaryStdin(t, bin, dump, "ingest", "--index", idx, "-")
	// What the first run indexed is skipped; the rest is indexed now.
	want := fmt.Sprintf("%d indexed, %s unchanged", 3-atoi(t, m[2]), m[2])
	if r.code != exitOK || !strings.Contains(r.stdout, want) {
		t.Errorf("second run: exit %d, want %q\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
}

// runBinaryStdin is runBinary with stdin.
func runBinaryStdin(t *testing.T, bin string, stdin []byte, args ...string) procResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	_ = cmd.Run()
	return procResult{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
