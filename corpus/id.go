package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode"
	"unicode/utf8"
)

// ContentID returns a stable identifier for a document's content: the
// lower-case hex form (16 characters) of the first 8 bytes of the SHA-256
// of s after every run of white space (as unicode.IsSpace defines it) has
// been folded to one space and leading and trailing white space removed.
//
// Re-reading the same article therefore gives the same ID, and so does a
// copy that differs only in line endings, indentation or line wrapping.
// Invalid UTF-8 bytes in s are hashed as they are.
func ContentID(s string) string {
	h := sha256.New()
	var buf [4096]byte
	n := 0
	flush := func() {
		h.Write(buf[:n])
		n = 0
	}
	pendingSpace := false
	started := false
	for i := 0; i < len(s); {
		// ASCII needs no rune decoding; most of a news page is ASCII.
		if c := s[i]; c < utf8.RuneSelf {
			if c == ' ' || (c >= '\t' && c <= '\r') {
				pendingSpace = started
				i++
				continue
			}
			if n+2 > len(buf) {
				flush()
			}
			if pendingSpace {
				buf[n] = ' '
				n++
				pendingSpace = false
			}
			buf[n] = c
			n++
			started = true
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			pendingSpace = started
			i += size
			continue
		}
		if n+size+1 > len(buf) {
			flush()
		}
		if pendingSpace {
			buf[n] = ' '
			n++
			pendingSpace = false
		}
		n += copy(buf[n:], s[i:i+size])
		started = true
		i += size
	}
	flush()
	sum := h.Sum(nil)
	return hex.EncodeToString(sum[:8])
}
