package corpus

import (
	"bytes"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/saintfish/chardet"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
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
// value of an HTTP Content-Type header ("" when there is none). In order:
// a byte order mark; a UTF-16 charset named by the header (decoded before
// the binary check, which would see its NUL bytes); valid UTF-8, whatever
// is declared; the header's charset; when nothing at all is declared, the
// charset github.com/saintfish/chardet detects (windows-1251 and KOI8-R
// pages saved without a declaration); the page's <meta> declaration, else
// windows-1252. A charset the packages do not know is ignored. Files, WARC
// records and fetched pages all decode here.
func decodeHTMLType(raw []byte, contentType string) (string, error) {
	declared, declaredName := headerCharset(contentType)
	if !hasBOM(raw) && (declaredName == "utf-16le" || declaredName == "utf-16be") {
		out, err := declared.NewDecoder().Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrCharset, err)
		}
		return decodeHTMLType(out, "")
	}
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
	enc, name := declared, declaredName
	if enc == nil && !declaresCharset(b) {
		enc = detectCharset(b)
	}
	if enc == nil {
		enc, name, _ = charset.DetermineEncoding(b, "text/html")
	}
	if enc == nil {
		return "", fmt.Errorf("%w %q", ErrCharset, name)
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("%w %q: %v", ErrCharset, name, err)
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), nil
}

// headerCharset returns the encoding an HTTP Content-Type names, and its
// canonical name, or nil and "".
func headerCharset(contentType string) (encoding.Encoding, string) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["charset"] == "" {
		return nil, ""
	}
	enc, err := htmlindex.Get(params["charset"])
	if err != nil {
		return nil, ""
	}
	name, _ := htmlindex.Name(enc)
	return enc, name
}

// declaresCharset reports whether the first 1024 bytes of an HTML page
// (where a <meta> declaration must be) mention a charset.
func declaresCharset(raw []byte) bool {
	head := raw[:min(len(raw), 1024)]
	return bytes.Contains(bytes.ToLower(head), []byte("charset"))
}

// detectCharset guesses the encoding of HTML that declares none and is not
// UTF-8, from its byte statistics, or returns nil.
func detectCharset(raw []byte) encoding.Encoding {
	r, err := chardet.NewHtmlDetector().DetectBest(raw[:min(len(raw), 64<<10)])
	if err != nil || r == nil || r.Confidence < 10 {
		return nil
	}
	name := strings.ToLower(r.Charset)
	switch name {
	case "gb-18030":
		name = "gb18030"
	case "utf-8", "utf-16be", "utf-16le", "utf-32be", "utf-32le":
		return nil // not valid UTF-8, and UTF-16 would have a BOM
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil
	}
	return enc
}
