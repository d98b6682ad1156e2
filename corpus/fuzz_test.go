package corpus

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDump feeds arbitrary bytes to the JSONL dump reader: it must not
// panic, must end, and everything it returns must keep the package's
// promises.
func FuzzDump(f *testing.F) {
	seeds := []string{
		`{"id":"a","text":"Alpha."}` + "\n",
		`{"id":1,"url":"u","outlet":"o","title":"t","published":"2025-03-12","text":"x"}`,
		`{"html":"<p>x</p>"}` + "\r\n" + `{"text":"y"}`,
		"\xEF\xBB\xBF{\"text\":\"bom\"}\n\n   \n",
		`{"id": "b", "text": }`,
		`[1,2]` + "\n" + `null` + "\n" + `"s"`,
		`{"text":"caf` + "\xe9" + `"}`,
		`{"text":"` + strings.Repeat("x", 300) + `"}` + "\n" + `{"text":"after"}`,
		`{"text":"\u0000\ud800"}`,
		`{"id":"  ","text":"  ","html":" "}`,
		"",
		"\n\n",
		`{"published":"2022-04-19T00:05:47.193","text":"t"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 256
		d := newDumpReader(bytes.NewReader(data), "fuzz.jsonl", max, 0)
		lines := bytes.Count(data, []byte("\n")) + 1
		lastLine := 0
		for i := 0; ; i++ {
			if i > lines+1 {
				t.Fatalf("more results than lines (%d)", lines)
			}
			doc, err := d.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("error %v is not an *InputError", err)
				}
				if ie.Input != "fuzz.jsonl" || ie.Line < 0 || ie.Line > lines || (ie.Line == 0) != errors.Is(err, ErrEmpty) {
					t.Fatalf("bad InputError %#v", ie)
				}
				if ie.Line > 0 && ie.Line <= lastLine {
					t.Fatalf("line %d after line %d", ie.Line, lastLine)
				}
				lastLine = ie.Line
				if !errors.Is(err, ErrNotJSON) && !errors.Is(err, ErrNoContent) &&
					!errors.Is(err, ErrInvalidUTF8) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrEmpty) {
					t.Fatalf("unexpected reason: %v", err)
				}
				continue
			}
			if doc.ID == "" || !strings.HasPrefix(doc.Source, "fuzz.jsonl#") {
				t.Fatalf("document without ID or with Source %q", doc.Source)
			}
			if doc.Text == "" && doc.HTML == "" {
				t.Fatal("document without content")
			}
			for _, s := range []string{doc.ID, doc.URL, doc.Title, doc.Outlet, doc.Text, doc.HTML} {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 in %+v", doc)
				}
			}
			if strings.Contains(doc.Text, "\r") {
				t.Fatal("Text holds a CR")
			}
			if len(doc.Text) > max || len(doc.HTML) > max {
				t.Fatal("document larger than the line limit")
			}
		}
		if _, err := d.next(); err != io.EOF {
			t.Fatalf("after io.EOF got %v", err)
		}

		// The same bytes on standard input, sniffed as a dump or a text.
		r, err := Open([]string{"-"}, Options{Stdin: bytes.NewReader(data), MaxBytes: max})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for i := 0; ; i++ {
			if i > 1<<20 { // gzip input may hold many more lines than data
				t.Fatal("reading stdin does not end")
			}
			_, err := r.Next(context.Background())
			if err == io.EOF {
				break
			}
			var ie *InputError
			if err != nil && !errors.As(err, &ie) {
				t.Fatalf("fatal error %v from stdin", err)
			}
		}
	})
}

// FuzzText feeds arbitrary bytes to the text file checks: a text is
// accepted as valid, non-blank UTF-8 without CR or BOM, or rejected with one
// of the documented reasons; decoding is deterministic.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"Hello.\r\n", "", " \n", "\xEF\xBB\xBFa", "\xFF\xFEa\x00", "\xFE\xFF\x00a", "caf\xe9",
		"a\x00b", strings.Repeat("\x01a", 10), "\x1b[1mbold", strings.Repeat("é", 5000) + "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeText(data)
		again, err2 := decodeText(data)
		if got != again || (err == nil) != (err2 == nil) {
			t.Fatal("decodeText is not deterministic")
		}
		if err != nil {
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrInvalidUTF8) {
				t.Fatalf("unexpected reason: %v", err)
			}
			return
		}
		if !utf8.ValidString(got) || strings.TrimSpace(got) == "" ||
			strings.Contains(got, "\r") || strings.Contains(got, "\x00") {
			t.Fatalf("accepted %q", got)
		}
		if ContentID(got) != ContentID(strings.Join(strings.Fields(got), " ")) {
			t.Fatal("ContentID depends on white space")
		}
		html, err := decodeHTML(data)
		if err == nil && !utf8.ValidString(html) {
			t.Fatalf("decodeHTML gave invalid UTF-8 %q", html)
		}
	})
}
