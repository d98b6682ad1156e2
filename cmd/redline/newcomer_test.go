package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"redline/claim"
)

// TestBinaryNewcomerMistakes runs the real binary on the mistakes a new
// user makes with the README in hand: flags before the command, a typo in
// a command or a flag, an index folder given as the articles, a folder
// given as --out. Each must do what was meant or say what to write
// instead, with the exit code the README documents.
func TestBinaryNewcomerMistakes(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	idx := filepath.Join(dir, "idx")
	if r := runBinary(t, bin, "ingest", "--index", idx, sampleArticles); r.code != exitOK {
		t.Fatalf("ingest: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	outDir := filepath.Join(dir, "out")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name string
		args []string
		code int
		out  string // in stdout
		err  string // in stderr
	}{
		// Flags before the command are the command's.
		{"flags before the command", []string{"--index", idx, "search", "--party", "russia", "nato"}, exitOK, "claims match", ""},
		{"a bool flag before the command", []string{"--json", "stats", "--index", idx}, exitOK, `"articles": 8`, ""},
		{"only flags", []string{"--index", idx}, exitUsage, "", `"--index" is a flag, and a command comes first`},
		// A typo names what was meant.
		{"typo in a command", []string{"serach", "--index", idx, "nato"}, exitUsage, "", `unknown command "serach" (did you mean search?)`},
		{"swapped letters in a command", []string{"exprot", "--index", idx}, exitUsage, "", "(did you mean export?)"},
		{"typo in help's command", []string{"help", "ingset"}, exitUsage, "", `help: unknown command "ingset" (did you mean ingest?)`},
		{"no command near", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"` + "\n"},
		{"typo in a flag", []string{"search", "--index", idx, "--partty", "russia", "nato"}, exitUsage, "", "not defined: -partty (did you mean --party?)"},
		{"a flag cut short", []string{"search", "--index", idx, "--min-conf", "0", "nato"}, exitUsage, "", "(did you mean --min-confidence?)"},
		{"an excluded word first keeps its advice", []string{"search", "--index", idx, "-energy", "nato"}, exitUsage, "", "write NOT energy"},
		// An index given where articles go.
		{"an index as the articles", []string{"ingest", "--index", filepath.Join(dir, "other"), idx}, exitUsage, "", "is a redline index, not articles; to add articles to it: redline ingest --index " + idx},
		// A folder as --out.
		{"a folder as --out", []string{"export", "--index", idx, "--out", outDir}, exitFailure, "", "--out " + outDir + " is a folder: give the path of a file"},
		// One row is a row.
		{"one row", []string{"search", "--index", idx, "--limit", "1", "nato"}, exitOK, "in 1 row,", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runBinary(t, bin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.out) || !strings.Contains(r.stderr, tt.err) {
				t.Errorf("redline %q: exit %d (want %d; stdout with %q, stderr with %q)\nstdout:\n%s\nstderr:\n%s", tt.args, r.code, tt.code, tt.out, tt.err, r.stdout, r.stderr)
			}
		})
	}
	// The index given as the articles is left alone, and nothing was
	// made of it elsewhere.
	if _, err := os.Stat(filepath.Join(dir, "other")); !os.IsNotExist(err) {
		t.Errorf("ingest of an index as articles made the index it was to write (%v)", err)
	}
}

// TestExportHelpColumns checks that export --help names every column of a
// CSV export, in order: it once left out "long".
func TestExportHelpColumns(t *testing.T) {
	out, _, err := runCLI(t, "export", "--help")
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(out), " ")
	if want := strings.Join(claim.ExportColumns, ", "); !strings.Contains(text, want) {
		t.Errorf("export --help does not list the columns %q:\n%s", want, out)
	}
}

func TestClosest(t *testing.T) {
	cmds := commandNames()
	for _, tt := range []struct {
		word  string
		names []string
		want  string
	}{
		{"serach", cmds, "search"},
		{"ingset", cmds, "ingest"},
		{"exprot", cmds, "export"},
		{"stat", cmds, "stats"},
		{"evl", cmds, "eval"},
		{"frobnicate", cmds, ""},
		{"search", cmds, ""}, // itself: nothing to suggest
		{"e", cmds, ""},
		{"min-conf", []string{"min-confidence", "limit", "json"}, "min-confidence"},
		{"partty", []string{"party", "target"}, "party"},
		{"ab", []string{"ax", "ay"}, ""}, // two as near: none
	} {
		if got := closest(tt.word, tt.names); got != tt.want {
			t.Errorf("closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestStatsNamesErrorsFile checks that stats points to errors.jsonl by its
// path in the index folder when it names failing inputs, and to no file
// when none fail: it said "(see errors.jsonl)" either way, a file that is
// not in the folder the user stands in, and that a clean index lacks.
func TestStatsNamesErrorsFile(t *testing.T) {
	docs := writeFiles(t, map[string]string{
		"good.txt":  "Moscow demanded that Kyiv withdraw its troops from the Donbas.",
		"empty.txt": "",
	})
	idx := filepath.Join(t.TempDir(), "idx")
	mustRun(t, "ingest", "--index", idx, docs)
	out := mustRun(t, "stats", "--index", idx)
	if want := "1 input failing as of the last ingest that read them (see " + filepath.Join(idx, "errors.jsonl") + ")"; !strings.Contains(out, want) {
		t.Errorf("stats with a failing input does not say %q:\n%s", want, out)
	}

	clean := filepath.Join(t.TempDir(), "clean")
	mustRun(t, "ingest", "--index", clean, filepath.Join(docs, "good.txt"))
	out = mustRun(t, "stats", "--index", clean)
	if !strings.Contains(out, "errors:   0 inputs failing") || strings.Contains(out, "errors.jsonl") {
		t.Errorf("stats of a clean index:\n%s", out)
	}
}

// TestDateFlagsHelp checks that --help of every command with --since and
// --until says they take a month or a year as well as a day, as they do
// (and as the README says): the help named YYYY-MM-DD alone.
func TestDateFlagsHelp(t *testing.T) {
	for _, cmd := range []string{"search", "export", "compare"} {
		out, _, err := runCLI(t, cmd, "--help")
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Fatal(err)
		}
		for _, name := range []string{"-since", "-until"} {
			i := strings.Index(out, "  "+name+" ")
			if i < 0 {
				t.Fatalf("%s --help has no %s:\n%s", cmd, name, out)
			}
			line, _, _ := strings.Cut(strings.SplitN(out[i:], "\n", 3)[1], "\n")
			if !strings.Contains(line, "month") || !strings.Contains(line, "year") {
				t.Errorf("%s --help: %s says %q, without the month and the year it takes", cmd, name, strings.TrimSpace(line))
			}
		}
	}
}

// TestBinaryOutDash gives "-" as the file to write, as "-" is stdin for the
// inputs: export writes to stdout, and train, which prints its report
// there, refuses it. Both wrote a file named "-" in the current folder.
func TestBinaryOutDash(t *testing.T) {
	bin := buildBinary(t)
	idx, err := filepath.Abs(ingestSample(t))
	if err != nil {
		t.Fatal(err)
	}
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	cwd := t.TempDir()
	run := func(args ...string) procResult {
		cmd := exec.Command(bin, args...)
		cmd.Dir = cwd
		cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		_ = cmd.Run()
		return procResult{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
	}
	r := run("export", "--index", idx, "--format", "csv", "--out", "-")
	if r.code != exitOK || !strings.HasPrefix(r.stdout, strings.Join(claim.ExportColumns, ",")+"\n") {
		t.Errorf("export --out -: exit %d\nstdout:\n%.300s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(cwd, "-")); !os.IsNotExist(err) {
		t.Errorf("export --out - wrote a file named \"-\" (%v)", err)
	}
	r = run("train", "--lexicon", abs("../../testdata/nuclear/lexicon.yaml"), "--gold", abs("../../testdata/nuclear/gold.jsonl"),
		"--docs", abs("../../testdata/nuclear/articles"), "--out", "-")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--out -: give the path of a file") {
		t.Errorf("train --out -: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, exitUsage, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(cwd, "-")); !os.IsNotExist(err) {
		t.Errorf("train --out - wrote a file named \"-\" (%v)", err)
	}
}

// TestBinaryIndexIsArticles gives a folder of articles as --index to the
// commands that read an index: each must say the folder holds no index and
// exit 1. search said the folder "does not exist", check printed a stat
// error, and serve served it, answering 500 to every request.
func TestBinaryIndexIsArticles(t *testing.T) {
	bin := buildBinary(t)
	for _, args := range [][]string{
		{"search", "nato"},
		{"stats"},
		{"export"},
		{"compare"},
		{"check"},
		{"serve", "--addr", "127.0.0.1:0"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		cmd := exec.CommandContext(ctx, bin, append(args, "--index", sampleArticles)...)
		cmd.Env = append(os.Environ(), "REDLINE_INDEX=")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		err := cmd.Run()
		timedOut := ctx.Err() != nil
		cancel()
		if timedOut {
			t.Errorf("redline %q --index %s still ran after 20s: %s", args, sampleArticles, errb.String())
			continue
		}
		want := "no index at " + sampleArticles + ": the folder holds no redline index"
		if code := cmd.ProcessState.ExitCode(); code != exitFailure || !strings.Contains(errb.String(), want) {
			t.Errorf("redline %q --index %s: exit %d (%v), want %d and %q\nstderr:\n%s", args, sampleArticles, code, err, exitFailure, want, errb.String())
		}
	}
}

// TestHelpExitCodes checks that "redline help" documents the exit codes
// main returns, as the README does: it did not name them.
func TestHelpExitCodes(t *testing.T) {
	out, _, err := runCLI(t, "help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		fmt.Sprintf("%d success", exitOK),
		fmt.Sprintf("%d failure", exitFailure),
		fmt.Sprintf("%d a wrong command line", exitUsage),
		fmt.Sprintf("%d interrupted", exitCanceled),
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("redline help does not say %q:\n%s", want, out)
		}
	}
}
