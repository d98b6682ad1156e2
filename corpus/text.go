package corpus

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// sniffLen is how many leading bytes the binary check examines.
const sniffLen = 8 << 10

// Byte order marks.
const (
	bomUTF8    = "\xEF\xBB\xBF"
	bomUTF16LE = "\xFF\xFE"
	bomUTF16BE = "\xFE\xFF"
)

// decodeText checks raw, the whole content of a plain-text file, and returns
// it as a string: a UTF-8 BOM is removed, a UTF-16 file with a BOM is
// converted to UTF-8, and CRLF and lone CR line ends become LF. It fails with
// ErrBinary, ErrInvalidUTF8 (naming the byte offset in raw) or ErrEmpty.
func decodeText(raw []byte) (string, error) {
	b, off := stripBOM(raw)
	if err := checkBinary(b); err != nil {
		return "", err
	}
	if i := invalidUTF8At(b); i >= 0 {
		return "", fmt.Errorf("%w at byte offset %d", ErrInvalidUTF8, off+i)
	}
	s := normalizeNewlines(string(b))
	if strings.TrimSpace(s) == "" {
		return "", ErrEmpty
	}
	// A UTF-16 byte order mark before bytes that decode to nothing but
	// U+FFFD ("\xFF\xFE\xFA") is no text at all, not an article of one
	// replacement character.
	if (bytes.HasPrefix(raw, []byte(bomUTF16LE)) || bytes.HasPrefix(raw, []byte(bomUTF16BE))) && strings.TrimSpace(strings.ReplaceAll(s, "\uFFFD", "")) == "" {
		return "", fmt.Errorf("%w: a UTF-16 byte order mark, and no character after it could be decoded", ErrBinary)
	}
	return s, nil
}

// stripBOM removes a UTF-8 byte order mark, or converts UTF-16 content with
// a byte order mark to UTF-8. off is the number of bytes removed from the
// front of raw when the result is a suffix of raw (0 otherwise), so that
// offsets in the result can be reported as offsets in the file.
func stripBOM(raw []byte) (b []byte, off int) {
	switch {
	case bytes.HasPrefix(raw, []byte(bomUTF8)):
		return raw[len(bomUTF8):], len(bomUTF8)
	case bytes.HasPrefix(raw, []byte(bomUTF16LE)):
		return decodeUTF16(raw[2:], false), 0
	case bytes.HasPrefix(raw, []byte(bomUTF16BE)):
		return decodeUTF16(raw[2:], true), 0
	}
	return raw, 0
}

// hasBOM reports whether raw starts with a UTF-8 or UTF-16 byte order mark.
func hasBOM(raw []byte) bool {
	return bytes.HasPrefix(raw, []byte(bomUTF8)) ||
		bytes.HasPrefix(raw, []byte(bomUTF16LE)) ||
		bytes.HasPrefix(raw, []byte(bomUTF16BE))
}

// decodeUTF16 converts UTF-16 to UTF-8; unpaired surrogates and a trailing
// odd byte become U+FFFD.
func decodeUTF16(b []byte, bigEndian bool) []byte {
	units := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if bigEndian {
			units = append(units, uint16(b[i])<<8|uint16(b[i+1]))
		} else {
			units = append(units, uint16(b[i+1])<<8|uint16(b[i]))
		}
	}
	out := make([]byte, 0, len(b)+len(b)/2)
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	if len(b)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out
}

// checkBinary reports ErrBinary when b holds a NUL byte, or when its first
// sniffLen bytes are mostly not text: more than 10% control characters
// (other than tab, newline, vertical tab, form feed, carriage return and
// escape), or more than 30% control characters and bytes of invalid UTF-8
// sequences together with at least 2% control characters. The last rule
// keeps text in a legacy 8-bit encoding (no control characters, many
// invalid sequences) out of the binary class: it is reported as invalid
// UTF-8 instead, with the offset of the first bad byte.
func checkBinary(b []byte) error {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return fmt.Errorf("%w: NUL byte at offset %d", ErrBinary, i)
	}
	sample := b
	if len(sample) > sniffLen {
		sample = sample[:sniffLen]
		// Do not count a rune cut by the end of the sample as invalid.
		for k := 0; k < utf8.UTFMax-1 && len(sample) > 0; k++ {
			if utf8.RuneStart(sample[len(sample)-1]) {
				sample = sample[:len(sample)-1]
				break
			}
			sample = sample[:len(sample)-1]
		}
	}
	if len(sample) == 0 {
		return nil
	}
	controls, invalid := 0, 0
	for i := 0; i < len(sample); {
		c := sample[i]
		if c < utf8.RuneSelf {
			if isControl(c) {
				controls++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(sample[i:])
		if r == utf8.RuneError && size == 1 {
			invalid++
		}
		i += size
	}
	n := len(sample)
	if controls*10 > n || ((controls+invalid)*10 > n*3 && controls*50 > n) {
		return fmt.Errorf("%w: mostly non-text bytes in the first %d bytes", ErrBinary, n)
	}
	return nil
}

// isControl reports whether the ASCII byte c is a control character that
// does not occur in ordinary text files.
func isControl(c byte) bool {
	switch c {
	case '\t', '\n', '\v', '\f', '\r', 0x1B:
		return false
	}
	return c < 0x20 || c == 0x7F
}

// invalidUTF8At returns the offset of the first byte of b that is not part
// of a valid UTF-8 sequence, or -1 when b is valid UTF-8.
func invalidUTF8At(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1 // not reached: utf8.Valid said otherwise
}

// normalizeNewlines turns CRLF and lone CR line ends into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// normalizeText prepares a text that arrived already decoded (a dump
// record's "text"): it drops a leading U+FEFF and normalizes line ends.
func normalizeText(s string) string {
	return normalizeNewlines(strings.TrimPrefix(s, "\uFEFF"))
}
