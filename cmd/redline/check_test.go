package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"redline/index"
)

// zapFiles lists the segment files of the index folder dir.
func zapFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, index.BleveDir, "store", "*.zap"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no segment files in %s (%v)", dir, err)
	}
	return files
}

// corruptSegments inverts 256 bytes in the middle of every segment file:
// deterministic damage, whichever segment the index reads.
func corruptSegments(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for _, f := range zapFiles(t, dir) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mid := len(b) / 2
		for i := mid; i < min(mid+256, len(b)); i++ {
			b[i] ^= 0xff
		}
		if err := os.WriteFile(f, b, 0o600); err != nil {
			t.Fatal(err)
		}
		names = append(names, filepath.Base(f))
	}
	return names
}

func mentionsAny(s string, names []string) bool {
	for _, n := range names {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}

func TestCheckSoundIndex(t *testing.T) {
	dir := ingestSample(t)
	out := mustRun(t, "check", "--index", dir)
	st := stats(t, dir)
	want := fmt.Sprintf("ok: %d articles, %d claims, ", st.Articles, st.Claims)
	if !strings.HasPrefix(out, want) || strings.Count(out, "\n") != 1 {
		t.Errorf("check of a sound index: %q, want one line starting %q", out, want)
	}
}

func TestCheckCorruptIndex(t *testing.T) {
	dir := ingestSample(t)
	names := corruptSegments(t, dir)

	out, _, err := runCLI(t, "check", "--index", dir)
	if !errors.Is(err, index.ErrDamaged) || exitCode(err, &strings.Builder{}) != exitFailure {
		t.Fatalf("check of a corrupt index: %v, want ErrDamaged (exit 1)\n%s", err, out)
	}
	if !strings.Contains(out, "damaged") || !mentionsAny(out, names) {
		t.Errorf("check does not name the damaged segment %v:\n%s", names, out)
	}
	for _, args := range [][]string{
		{"search", "--index", dir, "nato"},
		{"export", "--index", dir},
		{"stats", "--index", dir},
		{"compare", "--index", dir},
	} {
		_, _, err := runCLI(t, args...) // runCLI fails the test on a panic
		if !errors.Is(err, index.ErrDamaged) {
			t.Errorf("redline %s on a corrupt index: %v, want ErrDamaged", args[0], err)
			continue
		}
		for _, s := range []string{dir, "redline check", "redline repair"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("redline %s: %q does not mention %q", args[0], err, s)
			}
		}
	}
}

func TestCheckMissingSegments(t *testing.T) {
	dir := ingestSample(t)
	var names []string
	for _, f := range zapFiles(t, dir) {
		names = append(names, filepath.Base(f))
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	out, _, err := runCLI(t, "check", "--index", dir)
	if !errors.Is(err, index.ErrDamaged) || !mentionsAny(out, names) {
		t.Fatalf("check with the segment files gone: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, "stats", "--index", dir); !errors.Is(err, index.ErrDamaged) {
		t.Errorf("stats with the segment files gone: %v, want ErrDamaged", err)
	}
}

// TestBinaryCheckCorrupt runs the real binary on a corrupt index: every
// reading command exits 1 with a message, none panics.
func TestBinaryCheckCorrupt(t *testing.T) {
	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "idx")
	if r := runBinary(t, bin, "ingest", "--index", dir, sampleArticles); r.code != exitOK {
		t.Fatalf("ingest: exit %d\n%s", r.code, r.stderr)
	}
	if r := runBinary(t, bin, "check", "--index", dir); r.code != exitOK || !strings.HasPrefix(r.stdout, "ok: 8 articles, ") {
		t.Fatalf("check of a sound index: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	names := corruptSegments(t, dir)
	r := runBinary(t, bin, "check", "--index", dir)
	if r.code != exitFailure || !mentionsAny(r.stdout, names) {
		t.Errorf("check of a corrupt index: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	for _, args := range [][]string{
		{"export", "--index", dir, "--min-confidence", "0"},
		{"search", "--index", dir, "nato"},
		{"stats", "--index", dir},
	} {
		r := runBinary(t, bin, args...)
		if r.code != exitFailure || strings.Contains(r.stderr, "panic") || !strings.Contains(r.stderr, "is damaged") || !mentionsAny(r.stderr, names) {
			t.Errorf("redline %q on a corrupt index: exit %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
		}
	}
}
