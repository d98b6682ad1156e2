package main

import (
	"io"
	"unicode"
	"unicode/utf8"
)

// plainWriter passes text on to w with every control character a terminal
// would act on (escape, bell, backspace, carriage return, the C1 codes such
// as U+009B) made a space; newlines and tabs stay. The text reports of
// search, stats and compare go through it: their strings (sentences,
// titles, outlets, addresses) come from crawled pages and dumps, and a page
// holding "\x1b]0;…\a" or "\x1b[2J" would otherwise retitle or clear the
// analyst's terminal. JSON output escapes these characters itself.
type plainWriter struct {
	w   io.Writer
	buf []byte
}

func (p *plainWriter) Write(b []byte) (int, error) {
	out, copied := b, false
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		keep := r == '\n' || r == '\t' || !unicode.IsControl(r)
		switch {
		case !keep && !copied:
			// The first control character: copy what came before it.
			out, copied = append(p.buf[:0], b[:i]...), true
			out = append(out, ' ')
		case !keep:
			out = append(out, ' ')
		case copied:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	if copied {
		p.buf = out[:0]
	}
	if _, err := p.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}
