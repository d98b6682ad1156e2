package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"redline/index"
)

// killedSwaps are the states a kill leaves in the two steps that move an
// index aside, made on disk as the step leaves them, with what the next
// command must say on stderr.
var killedSwaps = []struct {
	name string
	// kill turns the whole index idx into what the step killed leaves.
	kill func(t *testing.T, bin, idx string)
	said string
}{
	{"repair killed between its renames", func(t *testing.T, bin, idx string) {
		// The repair's complete copy, marked, and the damaged index aside.
		out := idx + ".repair-1765000000000000000"
		if r := runBinary(t, bin, "repair", "--index", idx, "--out", out); r.code != exitOK {
			t.Fatalf("repair --out: exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		damaged := idx + ".damaged-20261207T200000Z"
		b, _ := json.Marshal(index.RepairSwap{Index: idx, Damaged: damaged})
		if err := os.WriteFile(filepath.Join(out, index.RepairedFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(idx, damaged); err != nil {
			t.Fatal(err)
		}
	}, "finished it: the repaired index"},
	{"ingest --rebuild killed between setting the index aside and making the new one", func(t *testing.T, bin, idx string) {
		if err := os.Remove(filepath.Join(idx, index.CommitFile)); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(idx, index.BleveDir), filepath.Join(idx, index.TrashDir)); err != nil {
			t.Fatal(err)
		}
	}, "restored the index as it was"},
}

// TestHealAfterKilledSwap: after a repair or an ingest --rebuild killed
// while the index was set aside, every command that opens the index finds
// it, says on stderr what it finished or undid, and works; every claim is
// still there, and an ingest of the same articles finds them unchanged.
func TestHealAfterKilledSwap(t *testing.T) {
	bin := buildBinary(t)
	base := filepath.Join(t.TempDir(), "base")
	if r := runBinary(t, bin, "ingest", "--index", base, sampleArticles); r.code != exitOK {
		t.Fatalf("ingest: exit %d\n%s", r.code, r.stderr)
	}
	want := exportedClaims(t, bin, base)
	commands := []struct {
		name string
		run  func(t *testing.T, idx string) procResult
		out  string // in stdout
	}{
		{"search", func(t *testing.T, idx string) procResult { return runBinary(t, bin, "search", "--index", idx, "nato") }, "claims match"},
		{"stats", func(t *testing.T, idx string) procResult { return runBinary(t, bin, "stats", "--index", idx) }, "articles: 8"},
		{"export", func(t *testing.T, idx string) procResult {
			return runBinary(t, bin, "export", "--index", idx, "--min-confidence", "0")
		}, `"doc_id"`},
		{"compare", func(t *testing.T, idx string) procResult { return runBinary(t, bin, "compare", "--index", idx) }, "russia"},
		{"check", func(t *testing.T, idx string) procResult { return runBinary(t, bin, "check", "--index", idx) }, "ok: 8 articles"},
		{"repair", func(t *testing.T, idx string) procResult { return runBinary(t, bin, "repair", "--index", idx) }, "nothing lost"},
		{"ingest", func(t *testing.T, idx string) procResult {
			return runBinary(t, bin, "ingest", "--index", idx, sampleArticles)
		}, "8 read, 0 indexed, 8 unchanged"},
		{"serve", func(t *testing.T, idx string) procResult { return serveStats(t, bin, idx) }, `"articles":8`},
	}
	for _, k := range killedSwaps {
		for _, c := range commands {
			t.Run(k.name+"/"+c.name, func(t *testing.T) {
				idx := filepath.Join(t.TempDir(), "idx")
				copyTree(t, base, idx)
				k.kill(t, bin, idx)
				r := c.run(t, idx)
				if r.code != exitOK || !strings.Contains(r.stdout, c.out) {
					t.Fatalf("%s after the kill: exit %d, want 0 and %q\nstdout:\n%.1500s\nstderr:\n%s", c.name, r.code, c.out, r.stdout, r.stderr)
				}
				if !strings.Contains(r.stderr, k.said) {
					t.Errorf("%s after the kill does not say what it did (%q):\n%s", c.name, k.said, r.stderr)
				}
				if got := exportedClaims(t, bin, idx); !slices.Equal(got, want) {
					t.Errorf("after %s %d claims, before the kill %d", c.name, len(got), len(want))
				}
				if c.name == "ingest" {
					return
				}
				if r := runBinary(t, bin, "ingest", "--index", idx, sampleArticles); r.code != exitOK || !strings.Contains(r.stdout, "8 read, 0 indexed, 8 unchanged") {
					t.Errorf("ingest after the healed kill: exit %d\n%s%s", r.code, r.stdout, r.stderr)
				}
			})
		}
	}
}

// serveStats runs redline serve over idx, reads /api/stats and stops it:
// its stdout is the response's body, its stderr the server's.
func serveStats(t *testing.T, bin, idx string) procResult {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--index", idx, "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	urlRE := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)
	var logged strings.Builder
	sc := bufio.NewScanner(stderr)
	base := ""
	for base == "" && sc.Scan() {
		logged.WriteString(sc.Text() + "\n")
		if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		_ = cmd.Wait()
		return procResult{code: cmd.ProcessState.ExitCode(), stderr: logged.String()}
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	c := http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get(base + "api/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	code := exitOK
	if resp.StatusCode != http.StatusOK {
		code = exitFailure
	}
	// Compact, so that the test reads one form of the counts.
	var v map[string]any
	if json.Unmarshal(body, &v) == nil {
		body, _ = json.Marshal(v)
	} else {
		code = exitFailure
	}
	return procResult{code: code, stdout: string(body), stderr: logged.String()}
}

// TestKillLoopRepairRebuild kills an in-place repair and an ingest
// --rebuild with SIGKILL at moments spread over their run, round after
// round on the same index. After every kill the index opens (stats exits
// 0): after a repair with every claim, after a --rebuild with the old
// claims or those the new index had committed, and a plain ingest of the
// same articles then finishes it, without duplicates, to what an
// uninterrupted ingest gives.
func TestKillLoopRepairRebuild(t *testing.T) {
	bin := buildBinary(t)
	idx := filepath.Join(t.TempDir(), "idx")
	if r := runBinary(t, bin, "ingest", "--index", idx, sampleArticles); r.code != exitOK {
		t.Fatalf("ingest: exit %d\n%s", r.code, r.stderr)
	}
	want := exportedClaims(t, bin, idx)
	statsOf := func(round int, step string) index.StatsReport {
		t.Helper()
		r := runBinary(t, bin, "stats", "--index", idx, "--json")
		var st index.StatsReport
		if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &st) != nil {
			t.Fatalf("round %d: stats after a killed %s: exit %d\n%s%s", round, step, r.code, r.stdout, r.stderr)
		}
		if strings.Contains(r.stderr, "level=WARN") {
			t.Logf("round %d: after the killed %s: %s", round, step, strings.TrimSpace(r.stderr))
		}
		return st
	}
	kill := func(args []string, after time.Duration) bool {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return cmd.ProcessState.Success()
	}
	finished := 0
	const rounds = 6
	for round := range rounds {
		// 35 ms apart from 20 ms on: a run takes some 100 to 300 ms.
		after := time.Duration(20+round*35) * time.Millisecond
		if kill([]string{"repair", "--index", idx}, after) {
			finished++
		}
		if st := statsOf(round, "repair"); st.Articles != 8 || st.Claims != uint64(len(want)) {
			t.Fatalf("round %d: after a killed repair %d articles and %d claims, want 8 and %d", round, st.Articles, st.Claims, len(want))
		}
		if kill([]string{"ingest", "--index", idx, "--rebuild", sampleArticles}, after) {
			finished++
		}
		statsOf(round, "ingest --rebuild")
		if r := runBinary(t, bin, "ingest", "--index", idx, sampleArticles); r.code != exitOK || !strings.Contains(r.stdout, "8 read") {
			t.Fatalf("round %d: ingest after a killed --rebuild: exit %d\n%s%s", round, r.code, r.stdout, r.stderr)
		}
		if got := exportedClaims(t, bin, idx); !slices.Equal(got, want) {
			t.Fatalf("round %d: %d claims after the killed --rebuild and an ingest, want %d", round, len(got), len(want))
		}
	}
	t.Logf("%d of %d runs finished before their kill", finished, 2*rounds)
	if r := runBinary(t, bin, "check", "--index", idx); r.code != exitOK {
		t.Errorf("check after the kill loop: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
