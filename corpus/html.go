package corpus

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// prescanLen is how many leading bytes are searched for a <meta> charset
// declaration, as in the HTML standard's prescan.
const prescanLen = 1024

// decodeHTML checks raw, the whole content of an HTML file, and returns it
// decoded to UTF-8.
//
// The encoding is determined as golang.org/x/net/html/charset's
// DetermineEncoding does (that package is not used because its dependency,
// golang.org/x/text, is not in go.mod): a byte order mark is certain; a
// <meta charset> or <meta http-equiv="Content-Type"> declaration in the
// first 1024 bytes is a hint that is ignored when the whole content is valid
// UTF-8; with neither, content that is not valid UTF-8 is read as
// windows-1252. Declared single-byte encodings (windows-125x, ISO-8859-x,
// KOI8) are decoded; other declared encodings (GBK, Shift_JIS, ...) of
// content that is not valid UTF-8 fail with ErrCharset.
func decodeHTML(raw []byte) (string, error) {
	bom := hasBOM(raw)
	b, _ := stripBOM(raw)
	if err := checkBinary(b); err != nil {
		return "", err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "", ErrEmpty
	}
	if bom || utf8.Valid(b) {
		// A BOM (UTF-16 has been converted) or content that is valid UTF-8.
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	label := prescanCharset(b)
	name, table := "windows-1252", tableWindows1252
	if label != "" {
		var ok bool
		name, table, ok = lookupCharset(label)
		if !ok {
			return "", fmt.Errorf("%w %q", ErrCharset, label)
		}
	}
	if name == "utf-8" {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	return decodeSingleByte(b, table), nil
}

// decodeSingleByte decodes b with table, the 128 characters of bytes 0x80
// to 0xFF of a single-byte encoding whose lower half is ASCII.
func decodeSingleByte(b []byte, table string) string {
	high := []rune(table)
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for _, c := range b {
		if c < utf8.RuneSelf {
			sb.WriteByte(c)
		} else {
			sb.WriteRune(high[c-0x80])
		}
	}
	return sb.String()
}

// lookupCharset maps an encoding label (as the WHATWG Encoding standard
// defines labels; lower case, trimmed) to its canonical name and, for a
// single-byte encoding, its table. ok is false for labels this package
// cannot decode. UTF-16 labels map to "utf-8", as the HTML standard requires
// for a <meta> declaration.
func lookupCharset(label string) (name, table string, ok bool) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8",
		"utf-16", "utf-16le", "utf-16be", "unicode", "unicodefffe", "ucs-2", "csunicode", "iso-10646-ucs-2":
		return "utf-8", "", true
	case "windows-1252", "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819",
		"iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987",
		"l1", "latin1", "us-ascii", "x-cp1252":
		return "windows-1252", tableWindows1252, true
	case "windows-1250", "cp1250", "x-cp1250":
		return "windows-1250", tableWindows1250, true
	case "windows-1251", "cp1251", "x-cp1251":
		return "windows-1251", tableWindows1251, true
	case "windows-1253", "cp1253", "x-cp1253":
		return "windows-1253", tableWindows1253, true
	case "windows-1254", "cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9",
		"iso88599", "iso_8859-9", "iso_8859-9:1989", "l5", "latin5", "x-cp1254":
		return "windows-1254", tableWindows1254, true
	case "windows-1257", "cp1257", "x-cp1257":
		return "windows-1257", tableWindows1257, true
	case "iso-8859-2", "csisolatin2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
		"iso_8859-2:1987", "l2", "latin2":
		return "iso-8859-2", tableIso88592, true
	case "iso-8859-5", "csisolatincyrillic", "cyrillic", "iso-ir-144", "iso8859-5", "iso88595",
		"iso_8859-5", "iso_8859-5:1988":
		return "iso-8859-5", tableIso88595, true
	case "iso-8859-15", "csisolatin9", "iso8859-15", "iso885915", "iso_8859-15", "l9", "latin9":
		return "iso-8859-15", tableIso885915, true
	case "koi8-r", "cskoi8r", "koi", "koi8", "koi8_r":
		return "koi8-r", tableKoi8r, true
	case "koi8-u", "koi8-ru":
		return "koi8-u", tableKoi8u, true
	}
	return "", "", false
}

// prescanCharset looks for a character encoding declaration in the first
// prescanLen bytes of an HTML document, following the HTML standard's
// prescan closely enough for real pages: comments are skipped; in a <meta>
// tag a charset attribute counts, and a content attribute's "charset=" counts
// when the tag also has http-equiv="Content-Type". It returns the declared
// label in lower case, or "" when there is none.
func prescanCharset(b []byte) string {
	if len(b) > prescanLen {
		b = b[:prescanLen]
	}
	for i := 0; i < len(b); {
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[2:], []byte("-->"))
			if end < 0 {
				return ""
			}
			i += 2 + end + 3
		case len(rest) > 5 && rest[0] == '<' && asciiEqualFold(rest[1:5], "meta") &&
			(isHTMLSpace(rest[5]) || rest[5] == '/'):
			i += 5
			label, n := metaCharset(b[i:])
			i += n
			if label != "" {
				return label
			}
		case len(rest) > 1 && rest[0] == '<' && (isASCIILetter(rest[1]) ||
			rest[1] == '/' && len(rest) > 2 && isASCIILetter(rest[2])):
			// Another tag: skip its name and attributes, whose values may
			// hold '>'.
			i++
			for i < len(b) && !isHTMLSpace(b[i]) && b[i] != '>' {
				i++
			}
			for i < len(b) {
				_, _, n, end := nextAttr(b[i:])
				i += n
				if end {
					break
				}
			}
		case len(rest) > 1 && rest[0] == '<' && (rest[1] == '!' || rest[1] == '/' || rest[1] == '?'):
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				return ""
			}
			i += end + 1
		default:
			i++
		}
	}
	return ""
}

// metaCharset reads the attributes of a <meta> tag from b (which starts just
// after "<meta") and returns the declared charset label, if any, and the
// number of bytes consumed.
func metaCharset(b []byte) (label string, consumed int) {
	seen := map[string]bool{}
	gotPragma := false
	needPragma := 0 // 0: unknown, 1: needs http-equiv, 2: does not
	charset := ""
	for consumed < len(b) {
		name, value, n, end := nextAttr(b[consumed:])
		consumed += n
		if name != "" && !seen[name] {
			seen[name] = true
			switch name {
			case "http-equiv":
				if value == "content-type" {
					gotPragma = true
				}
			case "content":
				if charset == "" {
					if cs := charsetFromContent(value); cs != "" {
						charset = cs
						needPragma = 1
					}
				}
			case "charset":
				charset = value
				needPragma = 2
			}
		}
		if end {
			break
		}
	}
	if needPragma == 0 || needPragma == 1 && !gotPragma {
		return "", consumed
	}
	return strings.TrimSpace(charset), consumed
}

// nextAttr reads one attribute of a tag from b, as the standard's "get an
// attribute" step does: it returns the lower-cased name and value, the bytes
// consumed, and end=true when the tag ended ('>' or end of input) before an
// attribute was found.
func nextAttr(b []byte) (name, value string, consumed int, end bool) {
	i := 0
	for i < len(b) && (isHTMLSpace(b[i]) || b[i] == '/') {
		i++
	}
	if i >= len(b) {
		return "", "", i, true
	}
	if b[i] == '>' {
		return "", "", i + 1, true
	}
	start := i
	for i < len(b) && b[i] != '=' && b[i] != '>' && b[i] != '/' && !isHTMLSpace(b[i]) || i == start && i < len(b) && b[i] == '=' {
		i++
	}
	name = strings.ToLower(string(b[start:i]))
	for i < len(b) && isHTMLSpace(b[i]) {
		i++
	}
	if i >= len(b) || b[i] != '=' {
		return name, "", i, false
	}
	i++
	for i < len(b) && isHTMLSpace(b[i]) {
		i++
	}
	if i >= len(b) {
		return name, "", i, true
	}
	if q := b[i]; q == '"' || q == '\'' {
		i++
		vs := i
		for i < len(b) && b[i] != q {
			i++
		}
		value = strings.ToLower(string(b[vs:i]))
		if i < len(b) {
			i++
		}
		return name, value, i, false
	}
	vs := i
	for i < len(b) && !isHTMLSpace(b[i]) && b[i] != '>' {
		i++
	}
	return name, strings.ToLower(string(b[vs:i])), i, false
}

// charsetFromContent extracts the encoding label from the value of a <meta>
// content attribute, such as "text/html; charset=windows-1251".
func charsetFromContent(s string) string {
	for s != "" {
		i := strings.Index(s, "charset")
		if i < 0 {
			return ""
		}
		s = strings.TrimLeft(s[i+len("charset"):], " \t\n\f\r")
		if !strings.HasPrefix(s, "=") {
			continue
		}
		s = strings.TrimLeft(s[1:], " \t\n\f\r")
		if s == "" {
			return ""
		}
		if q := s[0]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[1:], q)
			if end < 0 {
				return ""
			}
			return s[1 : 1+end]
		}
		if end := strings.IndexAny(s, "; \t\n\f\r"); end >= 0 {
			return s[:end]
		}
		return s
	}
	return ""
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// asciiEqualFold reports whether b equals the lower-case ASCII word s,
// ignoring ASCII case.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}
