package corpus

import (
	"errors"
	"strconv"

	"redline/crawl"
)

// Reasons for an *InputError. Reader.Next wraps one of these in the Err of
// every InputError it returns for bad content, so callers can classify
// failures with errors.Is; I/O failures (a file removed or unreadable after
// Open, a corrupt gzip stream) carry the underlying os or gzip error instead.
var (
	// ErrEmpty: the file (or standard input) is empty or holds only white space.
	ErrEmpty = errors.New("empty file")
	// ErrBinary: the file holds NUL bytes, or its first few KB are mostly not text.
	ErrBinary = errors.New("binary file")
	// ErrInvalidUTF8: a text file or dump line is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrTooLarge: a file, or a line of a dump, is larger than
	// Options.MaxBytes (or a fetched body than its limit: it is
	// crawl.ErrTooLarge, so one test covers both).
	ErrTooLarge = crawl.ErrTooLarge
	// ErrNotJSON: a dump line is not a JSON object.
	ErrNotJSON = errors.New("not valid JSON")
	// ErrNoContent: a dump record has neither a non-blank "text" nor "html" string.
	ErrNoContent = errors.New("record has no text or html")
	// ErrCharset: an HTML file declares a character set this package cannot
	// decode, and its bytes are not valid UTF-8.
	ErrCharset = errors.New("unsupported charset")
)

// InputError reports one bad input: a file that cannot be read as a
// document, or one bad line of a JSONL dump. It is not fatal: the Reader
// that returned it has already moved past the bad input, and the next call
// to Next continues with the following document.
type InputError struct {
	// Input is the path of the file or dump as the user gave it (or as the
	// folder walk produced it); "-" for standard input.
	Input string
	// Line is the 1-based line number of the bad record in a dump, or 0
	// when the error concerns the whole file.
	Line int
	// Err is the reason; it wraps one of the Err* values of this package or
	// an I/O error.
	Err error
}

// Error returns "input: reason" or, for a dump line, "input:line: reason",
// for example "a.txt: empty file" or
// "bulk.jsonl:17: not valid JSON: invalid character 'x' ...".
func (e *InputError) Error() string {
	s := e.Input
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Err == nil {
		return s + ": bad input"
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns Err, so errors.Is(err, ErrEmpty) and the like work.
func (e *InputError) Unwrap() error { return e.Err }
