package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"redline/internal/sharedtest"
)

// copyTree copies the folder src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func flipAt(t *testing.T, path string, off func(size int) int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := off(len(b))
	b[i] ^= 0xff
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// exportedClaims exports every claim of the index idx with the binary and
// returns one key per claim (doc, start, party, kind, sentence), sorted.
func exportedClaims(t *testing.T, bin, idx string) []string {
	t.Helper()
	r := runBinary(t, bin, "export", "--index", idx, "--min-confidence", "0")
	if r.code != exitOK {
		t.Fatalf("export of %s: exit %d\n%s", idx, r.code, r.stderr)
	}
	var out []string
	for line := range strings.Lines(r.stdout) {
		var c struct {
			DocID    string `json:"doc_id"`
			Start    int    `json:"start"`
			Party    string `json:"party"`
			Kind     string `json:"kind"`
			Sentence string `json:"sentence"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		out = append(out, fmt.Sprintf("%s|%d|%s|%s|%s", c.DocID, c.Start, c.Party, c.Kind, c.Sentence))
	}
	sort.Strings(out)
	return out
}

// noPanic fails when a run's output shows a Go panic.
func noPanic(t *testing.T, what string, r procResult) {
	t.Helper()
	for _, s := range []string{"panic:", "goroutine "} {
		if strings.Contains(r.stderr, s) || strings.Contains(r.stdout, s) {
			t.Errorf("%s: a panic reached the user (exit %d):\n%s", what, r.code, r.stderr)
			return
		}
	}
	if r.code != exitOK && r.code != exitFailure {
		t.Errorf("%s: exit %d, want 0 or 1:\n%s", what, r.code, r.stderr)
	}
}

// TestFaultSuite damages a real index (an ingest of the shared bulk dump)
// one fault at a time: a flipped byte in each region of a segment file
// (header, data, stored claims, footer, checksum), in root.bolt and in the
// commit record; a deleted segment; truncated files. For each, no command
// (check, stats, search, export, repair) lets a panic through, check exits
// 1 naming the damage, and repair keeps every claim that lies outside the
// damaged segment.
func TestFaultSuite(t *testing.T) {
	const bulk = "../../../shared/corpus/bulk.jsonl"
	if _, err := os.Stat(bulk); err != nil {
		sharedtest.Missing(t, fmt.Sprintf("shared bulk dump not available (%v)", err))
	}
	bin := buildBinary(t)
	pristine := filepath.Join(t.TempDir(), "pristine")
	if r := runBinary(t, bin, "ingest", "--quiet", "--index", pristine, bulk); r.code != exitOK {
		t.Fatalf("ingest: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	all := exportedClaims(t, bin, pristine)
	segs, _ := filepath.Glob(filepath.Join(pristine, "bleve", "store", "*.zap"))
	if len(segs) < 2 {
		t.Fatalf("the ingest left %d segment files; the suite needs a victim and a survivor", len(segs))
	}
	victim := segs[0]
	for _, s := range segs {
		if fi, _ := os.Stat(s); fi.Size() > mustSize(t, victim) {
			victim = s
		}
	}
	vname := filepath.Base(victim)
	// A claim's sentence stored in the victim, to damage a stored record.
	vbytes, _ := os.ReadFile(victim)
	storedAt := -1
	for _, k := range all {
		sentence := k[strings.LastIndex(k, "|")+1:]
		if len(sentence) < 40 {
			continue
		}
		if i := bytes.Index(vbytes, []byte(sentence[:40])); i >= 0 {
			storedAt = i + 20
			break
		}
	}
	if storedAt < 0 {
		t.Fatalf("no stored sentence found in %s", vname)
	}

	type fault struct {
		name   string
		names  string // what check must name
		damage func(t *testing.T, dir string)
		// inVictim: the fault lies in the victim segment, so repair may
		// lose its claims; otherwise repair must keep every claim.
		inVictim bool
	}
	seg := func(dir string) string { return filepath.Join(dir, "bleve", "store", vname) }
	root := func(dir string) string { return filepath.Join(dir, "bleve", "store", "root.bolt") }
	faults := []fault{
		{"deleted segment", vname, func(t *testing.T, d string) {
			if err := os.Remove(seg(d)); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"segment header byte", vname, func(t *testing.T, d string) { flipAt(t, seg(d), func(int) int { return 8 }) }, true},
		{"segment data byte", vname, func(t *testing.T, d string) { flipAt(t, seg(d), func(n int) int { return n / 2 }) }, true},
		{"stored claim byte", vname, func(t *testing.T, d string) { flipAt(t, seg(d), func(int) int { return storedAt }) }, true},
		{"segment footer byte", vname, func(t *testing.T, d string) { flipAt(t, seg(d), func(n int) int { return n - 20 }) }, true},
		{"segment checksum byte", vname, func(t *testing.T, d string) { flipAt(t, seg(d), func(n int) int { return n - 1 }) }, true},
		{"truncated segment", vname, func(t *testing.T, d string) {
			if err := os.Truncate(seg(d), mustSize(t, seg(d))/2); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"root.bolt meta pages", "root.bolt", func(t *testing.T, d string) {
			flipAt(t, root(d), func(int) int { return 32 })
			flipAt(t, root(d), func(int) int { return 4096 + 32 })
		}, false},
		{"truncated root.bolt", "root.bolt", func(t *testing.T, d string) {
			if err := os.Truncate(root(d), 4096); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"commit record byte", "last-commit.json", func(t *testing.T, d string) {
			p := filepath.Join(d, "last-commit.json")
			b, _ := os.ReadFile(p)
			i := bytes.Index(b, []byte(`"claims":`))
			if i < 0 {
				t.Fatalf("no claims count in %s", b)
			}
			flipAt(t, p, func(int) int { return i + len(`"claims":`) })
		}, false},
	}

	var outside []string // the claims of the segments the faults spare
	injected, detected, named, recovered := 0, 0, 0, 0
	for _, f := range faults {
		t.Run(strings.ReplaceAll(f.name, " ", "_"), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "idx")
			copyTree(t, pristine, dir)
			f.damage(t, dir)
			injected++

			r := runBinary(t, bin, "check", "--index", dir)
			noPanic(t, "check", r)
			if r.code == exitFailure {
				detected++
				if strings.Contains(r.stdout+r.stderr, f.names) {
					named++
				} else {
					t.Errorf("check does not name %q:\n%s%s", f.names, r.stdout, r.stderr)
				}
			} else {
				t.Errorf("check: exit %d, want 1\n%s", r.code, r.stdout)
			}
			for _, args := range [][]string{
				{"stats", "--index", dir},
				{"search", "--index", dir, "--min-confidence", "0", "nato"},
				{"export", "--index", dir, "--min-confidence", "0"},
			} {
				noPanic(t, args[0], runBinary(t, bin, args...))
			}

			out := filepath.Join(t.TempDir(), "repaired")
			r = runBinary(t, bin, "repair", "--index", dir, "--out", out)
			noPanic(t, "repair", r)
			if _, err := os.Stat(out); err != nil {
				t.Fatalf("repair made no index: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if c := runBinary(t, bin, "check", "--index", out); c.code != exitOK {
				t.Errorf("check of the repaired index: exit %d\n%s", c.code, c.stdout)
			}
			got := exportedClaims(t, bin, out)
			// A segment that fails its checksum but still decodes is kept
			// and reported "unverified"; only then may a claim differ.
			unverified := strings.Contains(r.stdout, "unverified:")
			altered := 0
			for _, k := range got {
				if _, ok := slices.BinarySearch(all, k); !ok {
					altered++
					if !unverified {
						t.Errorf("repair invented a claim: %s", k)
					}
				}
			}
			want := all
			if f.inVictim {
				if f.name == "deleted segment" {
					outside = got
				}
				want = outside
			}
			missing := 0
			for _, k := range want {
				if _, ok := slices.BinarySearch(got, k); !ok {
					missing++
				}
			}
			if missing > 0 {
				t.Errorf("repair lost %d readable claims (kept %d of %d)", missing, len(got), len(all))
			}
			lost := len(all) - len(got)
			if lost > 0 && r.code != exitFailure {
				t.Errorf("repair lost %d claims but exited %d", lost, r.code)
			}
			t.Logf("%-22s check exit 1; repair exit %d: %d of %d claims recovered (%d outside the damaged segment, %d altered)",
				f.name, r.code, len(got), len(all), len(want), altered)
			recovered += len(got)
		})
	}
	t.Logf("faults injected %d, detected by check %d (naming the damaged file %d); claims recovered %d of %d over all faults; %d claims in the pristine index, %d outside segment %s",
		injected, detected, named, recovered, injected*len(all), len(all), len(outside), vname)
}

func mustSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestRepairInPlace repairs a damaged index in its folder with the real
// CLI: the damaged one is kept aside, the repaired one checks sound, and
// ingesting the same articles again finds them all unchanged.
func TestRepairInPlace(t *testing.T) {
	bin := buildBinary(t)
	idx := filepath.Join(t.TempDir(), "idx")
	if r := runBinary(t, bin, "ingest", "--quiet", "--index", idx, sampleArticles); r.code != exitOK {
		t.Fatalf("ingest: exit %d\n%s", r.code, r.stderr)
	}
	before := exportedClaims(t, bin, idx)
	segs, _ := filepath.Glob(filepath.Join(idx, "bleve", "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("no segment files")
	}
	flipAt(t, segs[0], func(n int) int { return n - 1 }) // its checksum
	if r := runBinary(t, bin, "check", "--index", idx); r.code != exitFailure {
		t.Fatalf("check of the damaged index: exit %d\n%s", r.code, r.stdout)
	}

	r := runBinary(t, bin, "repair", "--index", idx)
	noPanic(t, "repair", r)
	if r.code != exitOK || !strings.Contains(r.stdout, "damaged index kept as: "+idx+".damaged-") || !strings.Contains(r.stdout, "nothing lost") {
		t.Fatalf("repair: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	kept, _ := filepath.Glob(idx + ".damaged-*")
	if len(kept) != 1 {
		t.Errorf("damaged index kept as %v, want one folder", kept)
	}
	if c := runBinary(t, bin, "check", "--index", idx); c.code != exitOK {
		t.Errorf("check after repair: exit %d\n%s", c.code, c.stdout)
	}
	if after := exportedClaims(t, bin, idx); !slices.Equal(after, before) {
		t.Errorf("repair changed the claims: %d before, %d after", len(before), len(after))
	}
	r = runBinary(t, bin, "ingest", "--index", idx, sampleArticles)
	if r.code != exitOK || !strings.Contains(r.stdout, "0 indexed, 8 unchanged") {
		t.Errorf("ingest after repair: exit %d\n%s", r.code, r.stdout)
	}
}
