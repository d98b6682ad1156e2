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
	"testing"
	"time"

	"redline/compare"
	"redline/internal/sharedtest"
)

// TestReadDuringIngest runs stats, export, compare (JSON) and search in a
// loop while an ingest of the shared bulk dump writes the same index: every
// call succeeds, the counts never go down, the calls made while the ingest
// ran say that they read the state it committed, and after it export and
// compare hold every claim.
func TestReadDuringIngest(t *testing.T) {
	const bulk = "../../../shared/corpus/bulk.jsonl"
	if _, err := os.Stat(bulk); err != nil {
		sharedtest.Missing(t, fmt.Sprintf("shared bulk dump not available (%v)", err))
	}
	bin := buildBinary(t)
	idx := filepath.Join(t.TempDir(), "idx")
	// One worker: the ingest lasts long enough for many reads.
	ingest := exec.Command(bin, "ingest", "--quiet", "--workers", "1", "--index", idx, bulk)
	ingest.Env = append(os.Environ(), "REDLINE_INDEX=")
	var iout, ierr bytes.Buffer
	ingest.Stdout, ingest.Stderr = &iout, &ierr
	if err := ingest.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- ingest.Wait() }()
	defer func() {
		if ingest.ProcessState == nil {
			_ = ingest.Process.Kill()
			<-done
		}
	}()
	// Reads start once the index exists.
	if !indexAppears(idx, 60*time.Second) {
		t.Fatal("the ingest did not create its index within 60s")
	}

	statsRe := regexp.MustCompile(`(?m)^articles: (\d+).*\nclaims: +(\d+)`)
	searchRe := regexp.MustCompile(`(?m)^(\d+) claims? match`)
	var lastArticles, lastClaims, lastHits, lastExported, lastCompared int
	calls, views, partial := 0, 0, 0
	finished := false
	for !finished {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("ingest: %v\n%s\n%s", err, iout.String(), ierr.String())
			}
			finished = true // one more round reads the final state
		default:
		}
		r := runBinary(t, bin, "stats", "--index", idx)
		calls++
		m := statsRe.FindStringSubmatch(r.stdout)
		if r.code != exitOK || m == nil {
			t.Fatalf("stats during the ingest (call %d): exit %d\nstdout:\n%s\nstderr:\n%s", calls, r.code, r.stdout, r.stderr)
		}
		if bytes.Contains([]byte(r.stderr), []byte("an ingest is writing this index")) {
			views++
		}
		articles, _ := strconv.Atoi(m[1])
		claims, _ := strconv.Atoi(m[2])
		if articles < lastArticles || claims < lastClaims {
			t.Errorf("stats call %d: %d articles, %d claims after %d and %d", calls, articles, claims, lastArticles, lastClaims)
		}
		lastArticles, lastClaims = articles, claims

		r = runBinary(t, bin, "export", "--index", idx, "--min-confidence", "0")
		calls++
		if r.code != exitOK {
			t.Fatalf("export during the ingest (call %d): exit %d\nstderr:\n%s", calls, r.code, r.stderr)
		}
		exported := strings.Count(r.stdout, "\n")
		if exported < lastExported {
			t.Errorf("export call %d: %d claims after %d", calls, exported, lastExported)
		}
		if exported > 0 && !finished {
			partial++
		}
		lastExported = exported

		r = runBinary(t, bin, "compare", "--index", idx, "--format", "json", "--min-confidence", "0")
		calls++
		var c compare.Comparison
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		dec.DisallowUnknownFields()
		if r.code != exitOK {
			t.Fatalf("compare during the ingest (call %d): exit %d\nstdout:\n%s\nstderr:\n%s", calls, r.code, r.stdout, r.stderr)
		}
		if err := dec.Decode(&c); err != nil || dec.More() {
			t.Fatalf("compare during the ingest (call %d) is not one JSON comparison: %v\n%s", calls, err, r.stdout)
		}
		if c.Claims < lastCompared {
			t.Errorf("compare call %d: %d claims after %d", calls, c.Claims, lastCompared)
		}
		lastCompared = c.Claims

		r = runBinary(t, bin, "search", "--index", idx, "--min-confidence", "0", "--limit", "1", "*")
		calls++
		m = searchRe.FindStringSubmatch(r.stdout)
		if r.code != exitOK || m == nil {
			if r.code == exitOK && lastClaims == 0 {
				continue // nothing committed yet: "no claims match"
			}
			t.Fatalf("search during the ingest (call %d): exit %d\nstdout:\n%s\nstderr:\n%s", calls, r.code, r.stdout, r.stderr)
		}
		hits, _ := strconv.Atoi(m[1])
		if hits < lastHits {
			t.Errorf("search call %d: %d claims after %d", calls, hits, lastHits)
		}
		lastHits = hits
	}
	if views == 0 {
		t.Errorf("none of %d calls read while the ingest ran", calls)
	}
	want := regexp.MustCompile(`documents: \d+ read, (\d+) indexed`).FindStringSubmatch(iout.String())
	if want == nil || strconv.Itoa(lastArticles) != want[1] {
		t.Errorf("after the ingest stats shows %d articles; the ingest said %q", lastArticles, want)
	}
	// The last round read the final state: every claim is exported and compared.
	if lastExported != lastClaims || lastCompared != lastClaims {
		t.Errorf("after the ingest export gives %d claims and compare %d; stats says %d", lastExported, lastCompared, lastClaims)
	}
	if _, err := os.Stat(filepath.Join(idx, "read")); !os.IsNotExist(err) {
		t.Errorf("read/ left behind after the ingest: %v", err)
	}
	t.Logf("%d calls, %d stats calls while the ingest ran, %d exports of claims before it finished; final %d articles, %d claims",
		calls, views, partial, lastArticles, lastClaims)
}
