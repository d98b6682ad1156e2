package corpus

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// decodeHTML checks raw, the whole content of an HTML file, and returns it
// decoded to UTF-8.
//
// A byte order mark is certain. Content that is valid UTF-8 stays UTF-8
// whatever it declares: a page saved as UTF-8 often keeps the declaration
// of the page it was copied from. Otherwise the encoding is what
// golang.org/x/net/html/charset finds in a <meta charset> or http-equiv
// declaration in the first 1024 bytes, windows-1252 when there is none.
// A declared encoding the charset package does not know fails with
// ErrCharset.
func decodeHTML(raw []byte) (string, error) {
	return decodeHTMLType(raw, "")
}

// decodeHTMLType is decodeHTML for a page served with contentType, the
// value of an HTTP Content-Type header ("" when there is none). The charset
// it names ranks after a byte order mark and valid UTF-8, and before the
// page's own <meta> declaration; a charset the charset package does not
// know is ignored.
func decodeHTMLType(raw []byte, contentType string) (string, error) {
	bom := hasBOM(raw)
	b, _ := stripBOM(raw)
	if err := checkBinary(b); err != nil {
		return "", err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return "", ErrEmpty
	}
	if bom || utf8.Valid(b) {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	enc, name, _ := charset.DetermineEncoding(b, contentType)
	if enc == nil {
		return "", fmt.Errorf("%w %q", ErrCharset, name)
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrCharset, name, err)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), nil
}
