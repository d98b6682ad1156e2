package corpus

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// TestDumpLines reads a dump mixing good and bad lines: each bad line is an
// *InputError with its line number and reason, and reading goes on.
func TestDumpLines(t *testing.T) {
	long := `{"id":"long","text":"` + strings.Repeat("x", 300) + `"}`
	lines := []string{
		`{"id":"a","text":"Alpha."}`,            // 1
		``,                                      // 2: blank, ignored
		`{"id": "b", "text": }`,                 // 3
		`[1, 2]`,                                // 4
		`{"id":"c","title":"No body"}`,          // 5
		`{"id":"d","text":"  \n ","html":""}`,   // 6
		`{"id":"e","text":"caf` + "\xe9" + `"}`, // 7
		long,                                    // 8
		`null`,                                  // 9
		`{"id":"f","text":"Windows line end."}` + "\r", // 10
		`{"id":"g","text":42}`,                         // 11
		`   `,                                          // 12: blank, ignored
		`{"text":"No id, no final newline."}`,          // 13
	}
	path := writeFile(t, t.TempDir(), "bulk.jsonl", strings.Join(lines, "\n"))
	rs, _ := openAll(t, []string{path}, Options{MaxBytes: 200})
	type want struct {
		line   int
		source string // for a document
		is     error
		sub    string
	}
	wants := []want{
		{line: 1, source: path + "#a"},
		{line: 3, is: ErrNotJSON, sub: "not valid JSON: invalid character '}'"},
		{line: 4, is: ErrNotJSON, sub: "JSON array, not an object"},
		{line: 5, is: ErrNoContent, sub: "record has no text or html"},
		{line: 6, is: ErrNoContent, sub: "record has no text or html"},
		{line: 7, is: ErrInvalidUTF8, sub: "invalid UTF-8 at byte offset 21 of the line"},
		{line: 8, is: ErrTooLarge, sub: "line is 323 bytes, limit is 200 bytes"},
		{line: 9, is: ErrNotJSON, sub: "JSON null, not an object"},
		{line: 10, source: path + "#f"},
		{line: 11, is: ErrNoContent, sub: "no text"},
		{line: 13, source: path + "#L13"},
	}
	if len(rs) != len(wants) {
		t.Fatalf("got %d results %q, want %d", len(rs), outline(rs), len(wants))
	}
	for i, w := range wants {
		r := rs[i]
		if w.is == nil {
			if r.err != nil || r.doc.Source != w.source {
				t.Errorf("line %d: got %q %v, want document %s", w.line, r.doc.Source, r.err, w.source)
			}
			continue
		}
		wantInputError(t, r.err, path, w.line, w.is, w.sub)
	}
	if d := rs[len(rs)-1].doc; d.ID != ContentID("No id, no final newline.") {
		t.Errorf("record without id has ID %q, want its ContentID", d.ID)
	}
}

// TestDumpLineLimit: a line of exactly MaxBytes is accepted (with either
// line end), one byte more is not, and the line after it is still read.
func TestDumpLineLimit(t *testing.T) {
	const max = 100
	rec := func(n int) string { // a record line of exactly n bytes
		s := `{"text":"` + strings.Repeat("y", n-len(`{"text":""}`)) + `"}`
		if len(s) != n {
			t.Fatalf("record of %d bytes, want %d", len(s), n)
		}
		return s
	}
	in := rec(max) + "\n" + rec(max) + "\r\n" + rec(max+1) + "\n" + rec(max+1) + "\r\n" + rec(max)
	path := writeFile(t, t.TempDir(), "d.jsonl", in)
	rs, _ := openAll(t, []string{path}, Options{MaxBytes: max})
	if got, want := outline(rs), []string{"doc " + path + "#L1", "doc " + path + "#L2", "err " + path + ":3", "err " + path + ":4", "doc " + path + "#L5"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	wantInputError(t, rs[2].err, path, 3, ErrTooLarge, "line is 101 bytes, limit is 100 bytes")
	wantInputError(t, rs[3].err, path, 4, ErrTooLarge, "line is 101 bytes, limit is 100 bytes")
}

// TestDumpLongLineNotBuffered: a 5 MB line over a 1 KB limit is skipped
// without being held in memory, and the next line is read.
func TestDumpLongLineNotBuffered(t *testing.T) {
	const max = 1000
	huge := `{"text":"` + strings.Repeat("z", 5<<20) + `"}`
	in := `{"id":"1","text":"Before."}` + "\n" + huge + "\n" + `{"id":"3","text":"After."}` + "\n"
	d := newDumpReader(strings.NewReader(in), "d.jsonl", max, 0)
	var got []string
	for {
		doc, err := d.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			wantInputError(t, err, "d.jsonl", 2, ErrTooLarge, "line is 5242891 bytes, limit is 1000 bytes")
			got = append(got, "err")
			continue
		}
		got = append(got, doc.ID)
	}
	if !slices.Equal(got, []string{"1", "err", "3"}) {
		t.Errorf("got %q, want [1 err 3]", got)
	}
	if c := cap(d.buf); c > 4*(max+dumpBufSize) {
		t.Errorf("line buffer grew to %d bytes for a %d-byte limit", c, max)
	}
}

// TestDumpReadError: an I/O error ends the dump with an InputError at the
// line being read.
func TestDumpReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	src := io.MultiReader(strings.NewReader(`{"id":"1","text":"One."}`+"\n"+`{"id":"2",`), iotest.ErrReader(boom))
	d := newDumpReader(src, "d.jsonl", 1000, 0)
	if doc, err := d.next(); err != nil || doc.ID != "1" {
		t.Fatalf("got %+v %v", doc, err)
	}
	_, err := d.next()
	wantInputError(t, err, "d.jsonl", 2, boom, "disk on fire")
	if _, err := d.next(); err != io.EOF {
		t.Errorf("after a read error got %v, want io.EOF", err)
	}
}

// TestRecordFields checks how record fields map to the Document.
func TestRecordFields(t *testing.T) {
	date := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name, line string
		want       Document
	}{
		{"all fields",
			`{"id":"rupeace-001","url":" https://x.test/a ","outlet":"BBC News","published":"2025-03-12","title":" Talks ","text":"Body.","origin":"ignored"}`,
			Document{ID: "rupeace-001", Source: "d.jsonl#rupeace-001", URL: "https://x.test/a", Outlet: "BBC News",
				Title: "Talks", Published: date("2025-03-12T00:00:00Z"), Text: "Body."}},
		{"numeric id", `{"id":42,"text":"Body."}`, Document{ID: "42", Source: "d.jsonl#42", Text: "Body."}},
		{"id trimmed", `{"id":"  x  ","text":"Body."}`, Document{ID: "x", Source: "d.jsonl#x", Text: "Body."}},
		{"blank id", `{"id":"  ","text":"Body."}`, Document{ID: ContentID("Body."), IDFromContent: true, Source: "d.jsonl#L7", Text: "Body."}},
		{"null id", `{"id":null,"text":"Body."}`, Document{ID: ContentID("Body."), IDFromContent: true, Source: "d.jsonl#L7", Text: "Body."}},
		{"boolean id", `{"id":true,"text":"Body."}`, Document{ID: ContentID("Body."), IDFromContent: true, Source: "d.jsonl#L7", Text: "Body."}},
		{"nulls", `{"id":"n","url":null,"outlet":null,"published":null,"title":null,"text":"Body."}`,
			Document{ID: "n", Source: "d.jsonl#n", Text: "Body."}},
		// A published value that is present but not understood is kept
		// for the warning, and the document is read all the same.
		{"wrong types ignored", `{"id":"w","url":1,"title":["x"],"published":20250312,"text":"Body."}`,
			Document{ID: "w", Source: "d.jsonl#w", Text: "Body.", BadPublished: "20250312"}},
		{"unparseable date", `{"id":"u","published":" sometime in March ","text":"Body."}`,
			Document{ID: "u", Source: "d.jsonl#u", Text: "Body.", BadPublished: "sometime in March"}},
		{"blank date", `{"id":"bd","published":"  ","text":"Body."}`,
			Document{ID: "bd", Source: "d.jsonl#bd", Text: "Body."}},
		{"html only", `{"html":"<p>Hi</p>"}`, Document{ID: ContentID("<p>Hi</p>"), IDFromContent: true, Source: "d.jsonl#L7", HTML: "<p>Hi</p>"}},
		{"text and html", `{"id":"th","text":"Hi","html":"<p>Hi</p>"}`,
			Document{ID: "th", Source: "d.jsonl#th", Text: "Hi", HTML: "<p>Hi</p>"}},
		{"blank html ignored", `{"id":"bh","text":"Hi","html":"  "}`, Document{ID: "bh", Source: "d.jsonl#bh", Text: "Hi"}},
		{"text line ends", `{"id":"le","text":"\ufeffa\r\nb\rc"}`, Document{ID: "le", Source: "d.jsonl#le", Text: "a\nb\nc"}},
		{"escaped unicode", `{"id":"esc","text":"\u041a\u0438\u0457\u0432 \ud83c\uddfa\ud83c\udde6"}`,
			Document{ID: "esc", Source: "d.jsonl#esc", Text: "Київ 🇺🇦"}},
		{"duplicate key: last wins", `{"id":"dk","text":"first","text":"second"}`,
			Document{ID: "dk", Source: "d.jsonl#dk", Text: "second"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseRecord([]byte(tc.line), "d.jsonl", 7)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Published.Equal(tc.want.Published) {
				t.Errorf("Published %v, want %v", got.Published, tc.want.Published)
			}
			got.Published, tc.want.Published = time.Time{}, time.Time{}
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// TestParsePublished: each accepted form, and a value that is present but
// not understood comes back as bad (trimmed) with the zero Time; an empty
// one is neither.
func TestParsePublished(t *testing.T) {
	tests := []struct {
		in, want string // want in RFC3339Nano; "" for the zero Time
		bad      string // the value reported as not understood
	}{
		{"2025-03-12", "2025-03-12T00:00:00Z", ""},
		{" 2025-03-12 ", "2025-03-12T00:00:00Z", ""},
		{"2022-01-25T09:00:00Z", "2022-01-25T09:00:00Z", ""},
		{"2022-04-25T12:33:00+00:00", "2022-04-25T12:33:00Z", ""},
		{"2022-04-25T01:33:00+03:00", "2022-04-25T01:33:00+03:00", ""},
		{"2022-04-25T01:33:00.5-04:00", "2022-04-25T01:33:00.5-04:00", ""},
		{"2025-03-30T08:02:36", "2025-03-30T08:02:36Z", ""},
		{"2022-04-19T00:05:47.193", "2022-04-19T00:05:47.193Z", ""},
		{"2022-04-19T01:38:09.41", "2022-04-19T01:38:09.41Z", ""},
		{"2025-03-30 08:02:36", "2025-03-30T08:02:36Z", ""},
		{"2025-03-30 08:02:36+02:00", "2025-03-30T08:02:36+02:00", ""},
		{"February 25, 2025", "2025-02-25T00:00:00Z", ""},
		{"Mar 31, 2025", "2025-03-31T00:00:00Z", ""},
		{"2022-04-21T01:30:00.000+0300", "2022-04-21T01:30:00+03:00", ""},
		{"2022-04-21 23:30:00+00", "2022-04-21T23:30:00Z", ""},
		{"2022-04-21 23:30:00 UTC", "2022-04-21T23:30:00Z", ""},
		{"Thu, 21 Apr 2022 23:30:00 GMT", "2022-04-21T23:30:00Z", ""},
		{"Thu, 21 Apr 2022 01:30:00 +0300", "2022-04-21T01:30:00+03:00", ""},
		{"21 April 2022", "2022-04-21T00:00:00Z", ""},
		{"", "", ""},
		{"  ", "", ""},
		{"null", "", "null"},
		{"yesterday", "", "yesterday"},
		{" 2025-13-01 ", "", "2025-13-01"},
		{"25/03/2025", "", "25/03/2025"},
	}
	for _, tc := range tests {
		got, bad := parsePublished(tc.in)
		if bad != tc.bad {
			t.Errorf("parsePublished(%q) reports %q as not understood, want %q", tc.in, bad, tc.bad)
		}
		if tc.want == "" {
			if !got.IsZero() {
				t.Errorf("parsePublished(%q) = %v, want the zero Time", tc.in, got)
			}
			continue
		}
		if s := got.Format(time.RFC3339Nano); s != tc.want {
			t.Errorf("parsePublished(%q) = %s, want %s", tc.in, s, tc.want)
		}
		if got.Location() == time.Local {
			t.Errorf("parsePublished(%q) is in the Local zone", tc.in)
		}
	}
}

// TestReadLine checks line splitting at the bufio buffer's edges.
func TestReadLine(t *testing.T) {
	for _, n := range []int{0, 1, dumpBufSize - 1, dumpBufSize, dumpBufSize + 1, 3 * dumpBufSize} {
		line := strings.Repeat("q", n)
		in := line + "\n" + line + "\r\n" + line
		d := newDumpReader(bufio.NewReaderSize(strings.NewReader(in), 16), "x", int64(3*dumpBufSize), 0)
		lines := 3
		if n == 0 {
			lines = 2 // "\n\r\n": an empty last line without a line end is no line
		}
		for i := 1; i <= lines; i++ {
			got, size, tooLong, err := d.readLine()
			if err != nil || tooLong || string(got) != line || size != int64(n) || d.line != i {
				t.Fatalf("n=%d line %d: got %d bytes, size %d, tooLong %v, err %v, d.line %d",
					n, i, len(got), size, tooLong, err, d.line)
			}
		}
		if _, _, _, err := d.readLine(); err != io.EOF || d.line != lines {
			t.Fatalf("n=%d: got %v at line %d, want io.EOF at %d", n, err, d.line, lines)
		}
	}
}

// TestDumpDuplicateIDs: within one dump and across the dumps and .json
// files of a Reader, the first record with an id is read and later ones
// are skipped, reported with both inputs and lines and counted.
func TestDumpDuplicateIDs(t *testing.T) {
	dir := t.TempDir()
	rec := func(id, text string) string {
		if id == "" {
			return `{"text":"` + text + `"}` + "\n"
		}
		return `{"id":` + id + `,"text":"` + text + `"}` + "\n"
	}
	tests := []struct {
		name  string
		files map[string]string // name -> contents; read in name order
		want  []string          // texts read
		dups  []string          // DuplicateID.String() of each skipped record
	}{
		{"no repeats", map[string]string{"a.jsonl": rec(`"a"`, "one") + rec(`"b"`, "two")}, []string{"one", "two"}, nil},
		{"the first wins", map[string]string{"a.jsonl": rec(`"a"`, "first") + rec(`"b"`, "other") + "\n" + rec(`"a"`, "edited")},
			[]string{"first", "other"}, []string{`a.jsonl:4: id "a" repeats line 1; the first record is kept`}},
		{"three times", map[string]string{"a.jsonl": rec(`"x"`, "1") + rec(`"x"`, "2") + rec(`"x"`, "3")},
			[]string{"1"}, []string{`a.jsonl:2: id "x" repeats line 1; the first record is kept`, `a.jsonl:3: id "x" repeats line 1; the first record is kept`}},
		{"number and string ids are the same id", map[string]string{"a.jsonl": rec(`7`, "n") + rec(`" 7 "`, "s")},
			[]string{"n"}, []string{`a.jsonl:2: id "7" repeats line 1; the first record is kept`}},
		{"a bad record does not claim its id", map[string]string{"a.jsonl": `{"id":"a"}` + "\n" + rec(`"a"`, "good")},
			[]string{"good"}, nil},
		{"records without id are not compared", map[string]string{"a.jsonl": rec("", "same") + rec("", "same")}, []string{"same", "same"}, nil},
		{"ids are compared across dumps", map[string]string{"a.jsonl": rec(`"a"`, "in a") + rec(`"b"`, "b in a"), "b.jsonl": rec(`"c"`, "c in b") + rec(`"a"`, "in b")},
			[]string{"in a", "b in a", "c in b"}, []string{`b.jsonl:2: id "a" repeats a.jsonl:1; the first record is kept`}},
		{"a .json file of one record", map[string]string{"a.jsonl": rec(`"a"`, "in a"), "b.json": `{"id":"a","text":"in b"}`, "c.json": `{"id":"c","text":"in c"}`, "d.jsonl": rec(`"c"`, "in d")},
			[]string{"in a", "in c"}, []string{`b.json: id "a" repeats a.jsonl:1; the first record is kept`, `d.jsonl:1: id "c" repeats c.json; the first record is kept`}},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sub := filepath.Join(dir, fmt.Sprint(i))
			var paths []string
			for _, name := range slices.Sorted(maps.Keys(tc.files)) {
				paths = append(paths, writeFile(t, sub, name, tc.files[name]))
			}
			var dups []string
			r, err := Open(paths, Options{OnDuplicateID: func(d DuplicateID) {
				d.Input, d.FirstInput = filepath.Base(d.Input), filepath.Base(d.FirstInput)
				dups = append(dups, d.String())
			}})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var got []string
			for {
				doc, err := r.Next(context.Background())
				if err == io.EOF {
					break
				}
				if err != nil {
					continue // bad records are tested elsewhere
				}
				got = append(got, doc.Text)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("read %q, want %q", got, tc.want)
			}
			if !slices.Equal(dups, tc.dups) {
				t.Errorf("duplicates %q, want %q", dups, tc.dups)
			}
			if r.DuplicateIDs() != len(tc.dups) {
				t.Errorf("DuplicateIDs() = %d, want %d", r.DuplicateIDs(), len(tc.dups))
			}
		})
	}
}

// TestDumpIDsMemory: the ids a dump reader keeps to find repeated ids cost
// a fixed size a record, however long the ids are (URLs often are): a
// dump of millions of records must not hold every id's text.
func TestDumpIDsMemory(t *testing.T) {
	const n, idLen = 20000, 500
	var in bytes.Buffer
	for i := range n {
		id := fmt.Sprintf("https://example.org/%0*d", idLen-20, i)
		fmt.Fprintf(&in, `{"id":%q,"text":"Text %d."}`+"\n", id, i)
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	d := newDumpReader(bytes.NewReader(in.Bytes()), "d.jsonl", 1<<20, 0)
	before := heap()
	read := 0
	for {
		_, err := d.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		read++
	}
	after := heap()
	runtime.KeepAlive(d)
	if read != n {
		t.Fatalf("read %d records, want %d", read, n)
	}
	perRecord := (int64(after) - int64(before)) / n
	if perRecord > 100 {
		t.Errorf("the reader keeps %d bytes a record after reading %d records with %d-byte ids, want at most 100", perRecord, n, idLen)
	}
}
