package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

func TestDecodeHTML(t *testing.T) {
	const privet1251 = "\xcf\xf0\xe8\xe2\xe5\xf2"    // "Привет" in windows-1251
	const privetKOI8 = "\xf0\xd2\xc9\xd7\xc5\xd4"    // "Привет" in KOI8-R
	filler := strings.Repeat("<!-- padding -->", 70) // over 1024 bytes
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"UTF-8 declared", `<meta charset="utf-8"><p>Київ</p>`, `<meta charset="utf-8"><p>Київ</p>`, nil},
		{"UTF-8 undeclared", `<p>Київ</p>`, `<p>Київ</p>`, nil},
		{"windows-1251 declared", `<meta charset="windows-1251"><p>` + privet1251, `<meta charset="windows-1251"><p>Привет`, nil},
		{"upper case and cp1251 label", `<META CHARSET='CP1251'>` + privet1251, `<META CHARSET='CP1251'>Привет`, nil},
		{"http-equiv", `<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>caf` + "\xe9",
			`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>café`, nil},
		{"http-equiv after content", `<meta content='text/html;charset=koi8-r' http-equiv=content-type>` + privetKOI8,
			`<meta content='text/html;charset=koi8-r' http-equiv=content-type>Привет`, nil},
		{"content without http-equiv is no declaration", `<meta content="text/html; charset=koi8-r">` + "\xe9",
			`<meta content="text/html; charset=koi8-r">é`, nil},
		{"declaration in a comment is ignored", `<!-- <meta charset="koi8-r"> --><meta charset=windows-1251>` + privet1251,
			`<!-- <meta charset="koi8-r"> --><meta charset=windows-1251>Привет`, nil},
		{"attribute value holding >", `<a title="x>y" data-x='<meta charset=koi8-r>'><meta charset=windows-1251>` + privet1251,
			`<a title="x>y" data-x='<meta charset=koi8-r>'><meta charset=windows-1251>Привет`, nil},
		{"declaration after 1024 bytes is ignored", filler + `<meta charset=windows-1251>` + "\xe9",
			filler + `<meta charset=windows-1251>é`, nil},
		{"declared latin-1, actually UTF-8", `<meta charset="iso-8859-1"><p>café`, `<meta charset="iso-8859-1"><p>café`, nil},
		{"undeclared, not UTF-8: windows-1252", "<p>\x93quoted\x94 caf\xe9 \x80", "<p>“quoted” café €", nil},
		{"declared UTF-8, not UTF-8", "<meta charset=utf-8><p>caf\xe9", "<meta charset=utf-8><p>caf\uFFFD", nil},
		{"declared UTF-16 means UTF-8", "<meta charset=utf-16><p>caf\xe9", "<meta charset=utf-16><p>caf\uFFFD", nil},
		{"UTF-8 BOM", "\xEF\xBB\xBF<p>Hi</p>", "<p>Hi</p>", nil},
		{"UTF-8 BOM beats declaration", "\xEF\xBB\xBF<meta charset=windows-1251><p>Київ", "<meta charset=windows-1251><p>Київ", nil},
		{"UTF-16LE BOM", "\xFF\xFE<\x00p\x00>\x00\x1a\x04", "<p>К", nil},
		{"GBK declared but UTF-8", `<meta charset="gbk"><p>你好`, `<meta charset="gbk"><p>你好`, nil},
		{"GBK declared", "<meta charset=\"gbk\"><p>\xc4\xe3\xba\xc3", "<meta charset=\"gbk\"><p>你好", nil},
		{"unknown label: windows-1252", "<meta charset=\"klingon\"><p>\xe9", "<meta charset=\"klingon\"><p>é", nil},
		{"empty", " \r\n\t", "", ErrEmpty},
		{"NUL", "<p>\x00</p>", "", ErrBinary},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeHTML([]byte(tc.in))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %q, %v; want error %v", got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
		sub            string
	}{
		{"plain", "Hello", "Hello", nil, ""},
		{"CRLF", "a\r\nb\r\n", "a\nb\n", nil, ""},
		{"lone CR", "a\rb", "a\nb", nil, ""},
		{"BOM", "\xEF\xBB\xBFa", "a", nil, ""},
		{"UTF-16LE odd length", "\xFF\xFEa\x00b", "a\uFFFD", nil, ""},
		{"UTF-16LE unpaired surrogate", "\xFF\xFE\x00\xd8a\x00", "\uFFFDa", nil, ""},
		{"UTF-16LE nothing decodable", "\xFF\xFE\xFA", "", ErrBinary, "no character"},
		{"UTF-16BE lone surrogates", "\xFE\xFF\xd8\x00\xd8\x01", "", ErrBinary, "no character"},
		{"tabs and escapes are text", "a\tb\x1b[0m", "a\tb\x1b[0m", nil, ""},
		{"empty", "", "", ErrEmpty, "empty file"},
		{"NBSP only", "\u00a0\u2003\n", "", ErrEmpty, "empty file"},
		{"NUL late", strings.Repeat("a", 20000) + "\x00", "", ErrBinary, "NUL byte at offset 20000"},
		{"invalid late", strings.Repeat("é", 10000) + "\xff", "", ErrInvalidUTF8, "offset 20000"},
		{"latin-1 is invalid, not binary", strings.Repeat("caf\xe9 ", 100), "", ErrInvalidUTF8, "offset 3"},
		{"cyrillic 1251 is invalid, not binary", strings.Repeat("\xcf\xf0\xe8\xe2\xe5\xf2 ", 100), "", ErrInvalidUTF8, "offset 0"},
		{"controls", strings.Repeat("\x01a", 10), "", ErrBinary, "mostly non-text"},
		{"rune cut by the sample edge is fine", strings.Repeat("a", sniffLen-1) + "é", strings.Repeat("a", sniffLen-1) + "é", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeText([]byte(tc.in))
			if tc.err != nil {
				if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.sub) {
					t.Fatalf("got %q, %v; want error %v containing %q", got, err, tc.err, tc.sub)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestContentID(t *testing.T) {
	sum := sha256.Sum256([]byte("a b c"))
	abc := hex.EncodeToString(sum[:8])
	same := []string{"a b c", "  a b c  ", "a\tb\nc", "a\r\n\r\nb   c\n", "\u00a0a\u2003b\u3000c", "a \n\t b \v\f c"}
	for _, s := range same {
		if got := ContentID(s); got != abc {
			t.Errorf("ContentID(%q) = %s, want %s", s, got, abc)
		}
	}
	for _, s := range []string{"ab c", "a b c d", "A b c", "a-b c"} {
		if ContentID(s) == abc {
			t.Errorf("ContentID(%q) equals ContentID(\"a b c\")", s)
		}
	}
	if got := ContentID(""); got != ContentID(" \n ") || len(got) != 16 {
		t.Errorf("ContentID of empty and blank differ or wrong length: %q", got)
	}
	// Longer than the internal buffer, with invalid bytes hashed as is.
	long := strings.Repeat("word  ", 5000) + "\xff"
	want := sha256.Sum256([]byte(strings.TrimSpace(strings.Repeat("word ", 5000)) + " \xff"))
	if got := ContentID(long); got != hex.EncodeToString(want[:8]) {
		t.Errorf("ContentID(long) = %s, want %s", got, hex.EncodeToString(want[:8]))
	}
}
