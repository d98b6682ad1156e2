package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func gzipped(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// pseudoRandom returns n bytes from a fixed generator, none of them NUL.
func pseudoRandom(n int) string {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x%255) + 1
	}
	return string(b)
}

// TestBadFiles puts each kind of bad file between two good ones: the bad one
// yields an *InputError for the whole file (Line 0) and the reader goes on.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		name, file, content string
		maxBytes            int64
		want                error
		sub                 string
	}{
		{"empty", "e.txt", "", 0, ErrEmpty, "empty file"},
		{"white space only", "ws.md", " \n\t\r\n \v\f", 0, ErrEmpty, "empty file"},
		{"BOM only", "bom.txt", "\xEF\xBB\xBF\n", 0, ErrEmpty, "empty file"},
		{"NUL byte", "nul.txt", "abc\x00def", 0, ErrBinary, "binary file: NUL byte at offset 3"},
		{"control bytes", "ctl.txt", strings.Repeat("ab\x01\x02\x03", 50), 0, ErrBinary, "mostly non-text"},
		{"random bytes", "rnd.text", pseudoRandom(4000), 0, ErrBinary, "binary file"},
		{"latin-1 text", "latin1.txt", "Caf\xe9 au lait", 0, ErrInvalidUTF8, "invalid UTF-8 at byte offset 3"},
		{"truncated rune", "cut.txt", "ok \xe2\x82", 0, ErrInvalidUTF8, "at byte offset 3"},
		{"invalid after BOM", "bom2.txt", "\xEF\xBB\xBFab\xff", 0, ErrInvalidUTF8, "at byte offset 5"},
		{"too large", "big.txt", strings.Repeat("word ", 40), 100, ErrTooLarge, "file is 200 bytes, limit is 100 bytes"},
		{"empty HTML", "e.html", "  \n", 0, ErrEmpty, "empty file"},
		{"binary HTML", "b.htm", "<html>\x00</html>", 0, ErrBinary, "NUL byte at offset 6"},
		{"too large HTML", "big.xhtml", "<p>" + strings.Repeat("x", 200), 100, ErrTooLarge, "file is 203 bytes"},
		{"gzip too large", "big.txt.gz", gzipped(t, strings.Repeat("word ", 40)), 100, ErrTooLarge, "decompressed file is more than 100 bytes"},
		{"gzip corrupt", "bad.txt.gz", "this is not gzip", 0, gzip.ErrHeader, "invalid header"},
		{"gzip of nothing", "e.jsonl.gz", "", 0, ErrEmpty, "empty file"},
		{"empty dump", "e.jsonl", "", 0, ErrEmpty, "empty file"},
		{"blank dump", "blank.ndjson", "\n  \n\r\n", 0, ErrEmpty, "empty file"},
		{"explicit unknown extension, binary", "x.bin", "\x7fELF\x02\x01\x01\x00", 0, ErrBinary, "NUL byte"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			good1 := writeFile(t, dir, "good1.txt", "First article.")
			bad := writeFile(t, dir, tc.file, tc.content)
			good2 := writeFile(t, dir, "good2.txt", "Second article.")
			rs, _ := openAll(t, []string{good1, bad, good2}, Options{MaxBytes: tc.maxBytes})
			if len(rs) != 3 {
				t.Fatalf("got %d results %q, want 3", len(rs), outline(rs))
			}
			if rs[0].err != nil || rs[0].doc.Text != "First article." {
				t.Errorf("first result %+v, want the first document", rs[0])
			}
			wantInputError(t, rs[1].err, bad, 0, tc.want, tc.sub)
			if rs[2].err != nil || rs[2].doc.Source != good2 {
				t.Errorf("third result %+v, want the second document", rs[2])
			}
		})
	}
}

// TestGoodFiles checks the Document made from each kind of file.
func TestGoodFiles(t *testing.T) {
	tests := []struct {
		name, file, content string
		text, html          string
	}{
		{"text", "a.txt", "Hello.\n", "Hello.\n", ""},
		{"markdown", "a.md", "# Head\n\nBody", "# Head\n\nBody", ""},
		{"CRLF and CR", "crlf.text", "one\r\ntwo\rthree\r\n", "one\ntwo\nthree\n", ""},
		{"UTF-8 BOM", "bom.txt", "\xEF\xBB\xBFKyiv — talks", "Kyiv — talks", ""},
		{"UTF-16LE BOM", "u16.txt", "\xFF\xFEH\x00i\x00 \x00\x14\x04", "Hi Д", ""},
		{"UTF-16BE BOM", "u16be.txt", "\xFE\xFF\x00H\x00i", "Hi", ""},
		{"upper-case extension", "UPPER.TXT", "Shout.", "Shout.", ""},
		{"gzip text", "a.txt.gz", gzipped(t, "Zipped.\r\n"), "Zipped.\n", ""},
		{"explicit unknown extension", "notes.log", "Read as text.", "Read as text.", ""},
		{"explicit hidden file", ".hidden.txt", "Named explicitly.", "Named explicitly.", ""},
		{"HTML", "p.html", "<p>Hi</p>\r\n", "", "<p>Hi</p>\r\n"},
		{"HTML with BOM", "b.htm", "\xEF\xBB\xBF<p>Hi</p>", "", "<p>Hi</p>"},
		{"HTML in windows-1251", "ru.html", "<meta charset=windows-1251><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>", "", "<meta charset=windows-1251><p>Привет</p>"},
		{"gzip HTML", "p.html.gz", gzipped(t, "<p>Hi</p>"), "", "<p>Hi</p>"},
		{"control characters under the threshold", "esc.txt", "\x1b[1mbold\x1b[0m\f\v\b", "\x1b[1mbold\x1b[0m\f\v\b", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), tc.file, tc.content)
			rs, _ := openAll(t, []string{p}, Options{})
			if len(rs) != 1 || rs[0].err != nil {
				t.Fatalf("got %q %v, want one document", outline(rs), rs)
			}
			d := rs[0].doc
			if d.Text != tc.text || d.HTML != tc.html {
				t.Errorf("Text %q, HTML %q; want %q, %q", d.Text, d.HTML, tc.text, tc.html)
			}
			want := Document{Source: p, Text: tc.text, HTML: tc.html, ID: ContentID(tc.text + tc.html), IDFromContent: true}
			if d != want {
				t.Errorf("got %+v, want %+v", d, want)
			}
		})
	}
}

// TestLimitBoundary: a file of exactly MaxBytes is read, one byte more is not.
func TestLimitBoundary(t *testing.T) {
	dir := t.TempDir()
	exact := writeFile(t, dir, "exact.txt", strings.Repeat("a", 64))
	over := writeFile(t, dir, "over.txt", strings.Repeat("a", 65))
	rs, _ := openAll(t, []string{exact, over}, Options{MaxBytes: 64})
	if len(rs) != 2 || rs[0].err != nil {
		t.Fatalf("got %q, want a document then an error", outline(rs))
	}
	wantInputError(t, rs[1].err, over, 0, ErrTooLarge, "file is 65 bytes, limit is 64 bytes")
}

// TestDefaultLimit writes a 50 MB sparse file: with the default options it is
// rejected from its size alone, before any of it is read.
func TestDefaultLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rs, _ := openAll(t, []string{p}, Options{})
	if len(rs) != 1 {
		t.Fatalf("got %q, want one error", outline(rs))
	}
	wantInputError(t, rs[0].err, p, 0, ErrTooLarge, "file is 52428800 bytes, limit is 10485760 bytes")
}

// TestOpenValidatesFirst: a missing path fails Open before anything is read,
// with an error naming the path and wrapping the reason.
func TestOpenValidatesFirst(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.txt", "Fine.")
	missing := filepath.Join(dir, "nope", "missing.txt")
	stdin := &countingReader{r: strings.NewReader("text")}
	r, err := Open([]string{good, "-", missing}, Options{Stdin: stdin})
	if err == nil {
		r.Close()
		t.Fatal("Open succeeded with a missing path")
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("error %q does not name the path and reason", err)
	}
	if stdin.n != 0 {
		t.Errorf("Open read %d bytes of stdin", stdin.n)
	}

	// Success reads nothing either.
	r, err = Open([]string{good, "-"}, Options{Stdin: stdin})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if stdin.n != 0 {
		t.Errorf("Open read %d bytes of stdin", stdin.n)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.txt", "Fine.")
	tests := []struct {
		name  string
		paths []string
		sub   string
	}{
		{"no paths", nil, "no input paths"},
		{"empty path", []string{""}, "no such file"},
		{"stdin twice", []string{"-", good, "-"}, "more than once"},
		{"missing after good", []string{good, dir + "/gone"}, dir + "/gone"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(tc.paths, Options{Stdin: strings.NewReader("")})
			if err == nil {
				r.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tc.sub) {
				t.Errorf("error %q does not contain %q", err, tc.sub)
			}
		})
	}
}

func TestOpenUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can read files without permission")
	}
	dir := t.TempDir()
	p := writeFile(t, dir, "secret.txt", "x")
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	_, err := Open([]string{p}, Options{})
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), p) {
		t.Errorf("Open = %v, want a permission error naming %s", err, p)
	}
}

// TestFolderWalk checks the order of a recursive walk and which entries it
// skips and counts.
func TestFolderWalk(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "a.txt", "A.")
	writeFile(t, root, "b.md", "B.")
	writeFile(t, root, "c.HTML", "<p>C</p>")
	writeFile(t, root, "d.pdf", "%PDF")
	writeFile(t, root, ".hidden.txt", "hidden")
	writeFile(t, root, ".git/config.txt", "hidden folder")
	writeFile(t, root, "sub/e.jsonl", `{"id":"e1","text":"E1."}`+"\n"+`{"id":"e2","text":"E2."}`+"\n")
	writeFile(t, root, "sub/f.htm", "<p>F</p>")
	writeFile(t, root, "sub/notes", "no extension")
	writeFile(t, root, "sub/deeper/g.text", "G.")
	writeFile(t, root, "sub/deeper/.h.txt", "hidden")
	writeFile(t, root, "z.ndjson.gz", gzipped(t, `{"id":"z","html":"<p>Z</p>"}`))
	writeFile(t, root, "empty/.keep", "")
	symlinks := true
	if err := os.Symlink(filepath.Join(root, "sub"), filepath.Join(root, "link-dir")); err != nil {
		symlinks = false
	}
	if err := os.Symlink(filepath.Join(root, "a.txt"), filepath.Join(root, "link-file.txt")); err != nil {
		symlinks = false
	}
	if !symlinks {
		t.Skip("cannot make symbolic links here")
	}

	rs, r := openAll(t, []string{root}, Options{})
	j := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	want := []string{
		"doc " + j("a.txt"),
		"doc " + j("b.md"),
		"doc " + j("c.HTML"),
		"doc " + j("link-file.txt"),
		"doc " + j("sub/deeper/g.text"),
		"doc " + j("sub/e.jsonl") + "#e1",
		"doc " + j("sub/e.jsonl") + "#e2",
		"doc " + j("sub/f.htm"),
		"doc " + j("z.ndjson.gz") + "#z",
	}
	if got := outline(rs); !slices.Equal(got, want) {
		t.Errorf("walk gave\n%q\nwant\n%q", got, want)
	}
	if rs[2].doc.HTML != "<p>C</p>" || rs[8].doc.HTML != "<p>Z</p>" {
		t.Errorf("HTML documents not read as HTML: %+v %+v", rs[2].doc, rs[8].doc)
	}
	wantSkipped := []string{
		j(".git"), j(".hidden.txt"), j("d.pdf"), j("empty/.keep"), j("link-dir"),
		j("sub/deeper/.h.txt"), j("sub/notes"),
	}
	if r.Skipped() != len(wantSkipped) || !slices.Equal(r.SkippedFiles(), wantSkipped) {
		t.Errorf("skipped %d %q, want %d %q", r.Skipped(), r.SkippedFiles(), len(wantSkipped), wantSkipped)
	}
	// SkippedFiles returns a copy.
	r.SkippedFiles()[0] = "changed"
	if r.SkippedFiles()[0] != wantSkipped[0] {
		t.Error("SkippedFiles returned the Reader's own slice")
	}

	// The same file named explicitly with an unknown extension is read as text.
	rs, _ = openAll(t, []string{j("d.pdf"), j("sub/notes")}, Options{})
	if got := outline(rs); !slices.Equal(got, []string{"doc " + j("d.pdf"), "doc " + j("sub/notes")}) {
		t.Errorf("explicit files gave %q", got)
	}
}

// TestSkippedFilesLimit: SkippedFiles keeps the first 100 paths while
// Skipped counts them all.
func TestSkippedFilesLimit(t *testing.T) {
	root := t.TempDir()
	for i := range 120 {
		writeFile(t, root, fmt.Sprintf("f%03d.bin", i), "x")
	}
	writeFile(t, root, "zz.txt", "Z.")
	rs, r := openAll(t, []string{root}, Options{})
	if len(rs) != 1 || r.Skipped() != 120 || len(r.SkippedFiles()) != 100 {
		t.Errorf("got %d results, Skipped %d, %d SkippedFiles; want 1, 120, 100", len(rs), r.Skipped(), len(r.SkippedFiles()))
	}
	if got := r.SkippedFiles()[99]; got != filepath.Join(root, "f099.bin") {
		t.Errorf("100th skipped file %q", got)
	}
}

// TestUnreadableSubfolder: a folder that cannot be listed is an InputError
// and the walk goes on.
func TestUnreadableSubfolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can list folders without permission")
	}
	root := t.TempDir()
	writeFile(t, root, "a/x.txt", "X.")
	writeFile(t, root, "b.txt", "B.")
	if err := os.Chmod(filepath.Join(root, "a"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "a"), 0o755) })
	rs, _ := openAll(t, []string{root}, Options{})
	if len(rs) != 2 {
		t.Fatalf("got %q", outline(rs))
	}
	wantInputError(t, rs[0].err, filepath.Join(root, "a"), 0, fs.ErrPermission, "permission denied")
	if rs[1].err != nil {
		t.Errorf("walk did not go on: %v", rs[1].err)
	}
}

// TestIDsStable: re-reading gives the same IDs, and copies differing only
// in white space or line ends (or read from a dump without ids) share them.
func TestIDsStable(t *testing.T) {
	dir := t.TempDir()
	text := "Talks resumed in Istanbul.\n\nBoth sides agreed to a prisoner exchange."
	a := writeFile(t, dir, "a.txt", text)
	b := writeFile(t, dir, "b.txt", "\xEF\xBB\xBF  Talks resumed in   Istanbul.\r\n\r\n\tBoth sides agreed\r\nto a prisoner exchange.  \r\n")
	c := writeFile(t, dir, "c.jsonl", `{"text":"Talks resumed in Istanbul. Both sides agreed to a prisoner exchange."}`+"\n")
	d := writeFile(t, dir, "d.txt", "Talks resumed in Ankara.")
	read := func() []string {
		rs, _ := openAll(t, []string{dir}, Options{})
		var ids []string
		for _, r := range rs {
			if r.err != nil {
				t.Fatal(r.err)
			}
			ids = append(ids, r.doc.ID)
		}
		return ids
	}
	first, second := read(), read()
	if !slices.Equal(first, second) {
		t.Errorf("IDs changed between reads: %q then %q", first, second)
	}
	if len(first) != 4 {
		t.Fatalf("read %d documents from %s %s %s %s, want 4", len(first), a, b, c, d)
	}
	if first[0] != first[1] || first[0] != first[2] {
		t.Errorf("white-space variants got IDs %q, want one ID", first[:3])
	}
	if first[3] == first[0] {
		t.Errorf("different texts share ID %s", first[0])
	}
	if first[0] != ContentID(text) {
		t.Errorf("ID %s, want ContentID(text) %s", first[0], ContentID(text))
	}
}

// TestStdin reads "-" as a dump or as one text, depending on its first
// non-space byte.
func TestStdin(t *testing.T) {
	tests := []struct {
		name, in string
		maxBytes int64
		want     []string // outline
		text     string   // Text of a single document, if any
		errIs    error    // reason of the last result, if an error
	}{
		{"dump", `{"id":"x","text":"T."}` + "\n" + `{"text":"U."}` + "\n",
			0, []string{"doc -#x", "doc -#L2"}, "", nil},
		{"dump after blank lines keeps line numbers", "\n \n  {\"id\":\"x\",\"text\":\"T.\"}\nnot json\n",
			0, []string{"doc -#x", "err -:4"}, "", ErrNotJSON},
		{"dump with BOM", "\xEF\xBB\xBF{\"id\":\"b\",\"text\":\"T.\"}", 0, []string{"doc -#b"}, "", nil},
		{"gzip dump", gzipped(t, "{\"id\":\"g\",\"text\":\"T.\"}\n"), 0, []string{"doc -#g"}, "", nil},
		{"text", "Hello world.\r\n", 0, []string{"doc -"}, "Hello world.\n", nil},
		{"text keeps leading white space", "  \n Hi {not a dump}", 0, []string{"doc -"}, "  \n Hi {not a dump}", nil},
		{"gzip text", gzipped(t, "Zipped."), 0, []string{"doc -"}, "Zipped.", nil},
		{"HTML is read as text", "<p>Hi</p>", 0, []string{"doc -"}, "<p>Hi</p>", nil},
		{"empty", "", 0, []string{"err -:0"}, "", ErrEmpty},
		{"white space", " \n\t\n", 0, []string{"err -:0"}, "", ErrEmpty},
		{"binary", "\x01\x00\x02", 0, []string{"err -:0"}, "", ErrBinary},
		{"invalid UTF-8", "caf\xe9", 0, []string{"err -:0"}, "", ErrInvalidUTF8},
		{"too large", strings.Repeat("x", 11), 10, []string{"err -:0"}, "", ErrTooLarge},
		{"too much white space", strings.Repeat(" ", 11) + "x", 10, []string{"err -:0"}, "", ErrTooLarge},
		{"dump line too long", "{\"text\":\"" + strings.Repeat("x", 20) + "\"}\n{\"text\":\"ok\"}", 20,
			[]string{"err -:1", "doc -#L2"}, "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, _ := openAll(t, []string{"-"}, Options{Stdin: strings.NewReader(tc.in), MaxBytes: tc.maxBytes})
			if got := outline(rs); !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			last := rs[len(rs)-1]
			if tc.errIs != nil && !errors.Is(last.err, tc.errIs) {
				t.Errorf("last error %v, want %v", last.err, tc.errIs)
			}
			if tc.text != "" && (last.doc.Text != tc.text || last.doc.ID != ContentID(tc.text)) {
				t.Errorf("got %+v, want Text %q", last.doc, tc.text)
			}
		})
	}
}

// TestStdinAmongFiles: "-" takes its place in the order of inputs.
func TestStdinAmongFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.txt", "A.")
	b := writeFile(t, dir, "b.txt", "B.")
	rs, _ := openAll(t, []string{a, "-", b}, Options{Stdin: strings.NewReader("From stdin.")})
	if got, want := outline(rs), []string{"doc " + a, "doc -", "doc " + b}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestContextCancel: a done context stops Next with ctx.Err() without
// losing the document that was next.
func TestContextCancel(t *testing.T) {
	dir := t.TempDir()
	dump := writeFile(t, dir, "d.jsonl", `{"id":"1","text":"One."}`+"\n"+`{"id":"2","text":"Two."}`+"\n")
	walked := writeFile(t, dir, "w/x.txt", "X.")
	r, err := Open([]string{dump, filepath.Dir(walked)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next(cancelled) = %v, want context.Canceled", err)
	}
	live := context.Background()
	doc, err := r.Next(live)
	if err != nil || doc.ID != "1" {
		t.Fatalf("Next after cancel = %+v, %v; want record 1", doc, err)
	}
	// Mid-dump.
	if _, err := r.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next(cancelled) mid-dump = %v", err)
	}
	if doc, err := r.Next(live); err != nil || doc.ID != "2" {
		t.Fatalf("got %+v, %v; want record 2", doc, err)
	}
	// Deadline, before the folder walk.
	expired, cancel2 := context.WithTimeout(live, -1)
	defer cancel2()
	if _, err := r.Next(expired); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next(expired) = %v, want context.DeadlineExceeded", err)
	}
	if doc, err := r.Next(live); err != nil || doc.Source != walked {
		t.Fatalf("got %+v, %v; want %s", doc, err, walked)
	}
	if _, err := r.Next(live); err != io.EOF {
		t.Fatalf("got %v, want io.EOF", err)
	}
}

// TestClose: Close mid-dump releases the file, and Next then reports io.EOF.
func TestClose(t *testing.T) {
	dump := writeFile(t, t.TempDir(), "d.jsonl", `{"id":"1","text":"One."}`+"\n"+`{"id":"2","text":"Two."}`+"\n")
	r, err := Open([]string{dump}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r.dump == nil {
		t.Fatal("dump not open after its first record")
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := r.Next(context.Background()); err != io.EOF {
		t.Fatalf("Next after Close = %v, want io.EOF", err)
	}
}

func TestInputErrorFormat(t *testing.T) {
	tests := []struct {
		err  *InputError
		want string
	}{
		{&InputError{Input: "a.txt", Err: ErrEmpty}, "a.txt: empty file"},
		{&InputError{Input: "bulk.jsonl", Line: 17, Err: ErrNoContent}, "bulk.jsonl:17: record has no text or html"},
		{&InputError{Input: "x"}, "x: bad input"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
		if !errors.Is(tc.err, tc.err.Err) && tc.err.Err != nil {
			t.Errorf("%v does not unwrap to its Err", tc.err)
		}
	}
}

// TestReaderExclude: Options.Exclude folders and files are never read,
// whether met in a walk or given, and each is counted once as skipped.
func TestReaderExclude(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "a.txt", "Moscow demands a ceasefire.")
	writeFile(t, root, "idx/errors.jsonl", `{"id":"x","text":"not an article"}`+"\n")
	writeFile(t, root, "idx/sub/b.txt", "inside the index")
	writeFile(t, root, "other/c.txt", "Kyiv answers.")
	writeFile(t, root, "more/e.log", "A log the walk would skip.")
	writeFile(t, root, "more/f.txt", "Ankara offers to host talks.")
	idx := filepath.Join(root, "idx")
	more := filepath.Join(root, "more")
	rel, err := filepath.Rel(mustGetwd(t), idx)
	if err != nil {
		rel = idx
	}
	tests := []struct {
		name     string
		paths    []string
		exclude  []string
		wantDocs []string // Source of each document
		skipped  []string
	}{
		{"walk skips the index folder", []string{root}, []string{idx},
			[]string{filepath.Join(root, "a.txt"), filepath.Join(more, "f.txt"), filepath.Join(root, "other/c.txt")},
			[]string{idx, filepath.Join(more, "e.log")}},
		{"relative exclude matches an absolute walk", []string{root}, []string{rel},
			[]string{filepath.Join(root, "a.txt"), filepath.Join(more, "f.txt"), filepath.Join(root, "other/c.txt")},
			[]string{idx, filepath.Join(more, "e.log")}},
		{"the index folder given", []string{idx, filepath.Join(root, "a.txt")}, []string{idx},
			[]string{filepath.Join(root, "a.txt")}, []string{idx}},
		{"a file inside it given", []string{filepath.Join(idx, "errors.jsonl")}, []string{idx},
			nil, []string{filepath.Join(idx, "errors.jsonl")}},
		{"an exclude that does not exist", []string{filepath.Join(root, "other")}, []string{filepath.Join(root, "nothing")},
			[]string{filepath.Join(root, "other/c.txt")}, nil},
		{"no exclude", []string{idx}, nil,
			[]string{filepath.Join(idx, "errors.jsonl"), filepath.Join(idx, "sub/b.txt")}, nil},
		// A path given twice is read once; the second is skipped.
		{"a file given twice", []string{filepath.Join(root, "a.txt"), filepath.Join(root, "other", "..", "a.txt")}, nil,
			[]string{filepath.Join(root, "a.txt")}, []string{filepath.Join(root, "other", "..", "a.txt")}},
		{"a folder given twice", []string{filepath.Join(root, "other"), filepath.Join(root, "other") + "/"}, nil,
			[]string{filepath.Join(root, "other/c.txt")}, []string{filepath.Join(root, "other") + "/"}},
		{"a relative and an absolute path", []string{filepath.Join(root, "other"), filepath.Join(rel, "..", "other")}, nil,
			[]string{filepath.Join(root, "other/c.txt")}, []string{filepath.Join(rel, "..", "other")}},
		// A path given inside a folder given is read once, as given, and
		// not counted as skipped, in either order.
		{"a file inside a folder given, after it", []string{more, filepath.Join(more, "f.txt")}, nil,
			[]string{filepath.Join(more, "f.txt")}, []string{filepath.Join(more, "e.log")}},
		{"a file inside a folder given, before it", []string{filepath.Join(more, "f.txt"), more}, nil,
			[]string{filepath.Join(more, "f.txt")}, []string{filepath.Join(more, "e.log")}},
		{"a file the walk would skip, given", []string{more, filepath.Join(more, "e.log")}, nil,
			[]string{filepath.Join(more, "f.txt"), filepath.Join(more, "e.log")}, nil},
		{"a folder inside a folder given", []string{root, more}, []string{idx},
			[]string{filepath.Join(root, "a.txt"), filepath.Join(root, "other/c.txt"), filepath.Join(more, "f.txt")},
			[]string{idx, filepath.Join(more, "e.log")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, r := openAll(t, tc.paths, Options{Exclude: tc.exclude})
			var got []string
			for _, res := range rs {
				if res.err != nil {
					t.Errorf("error: %v", res.err)
					continue
				}
				src, _, _ := strings.Cut(res.doc.Source, "#")
				got = append(got, src)
			}
			if !slices.Equal(got, tc.wantDocs) {
				t.Errorf("documents from %q, want %q", got, tc.wantDocs)
			}
			if r.Skipped() != len(tc.skipped) || !slices.Equal(r.SkippedFiles(), tc.skipped) {
				t.Errorf("skipped %d %q, want %q", r.Skipped(), r.SkippedFiles(), tc.skipped)
			}
		})
	}
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}
