package corpus

import (
	"bufio"
	"io"
	"strconv"
)

// DefaultMaxDecompressedBytes is the limit used when
// Options.MaxDecompressedBytes is zero: 1 GiB.
const DefaultMaxDecompressedBytes = 1 << 30

// DecompressedError stops a gzip-compressed input (a .jsonl.gz dump, a
// .warc.gz archive, gzipped standard input) whose data decompresses to more
// than Options.MaxDecompressedBytes, such as a "gzip bomb" of newlines. It
// wraps ErrTooLarge; the *InputError holding it names the input.
type DecompressedError struct {
	// Limit is the limit that was exceeded, in bytes.
	Limit int64
}

// Error returns "too large: decompressed size exceeds N bytes, the limit".
func (e *DecompressedError) Error() string {
	return ErrTooLarge.Error() + ": decompressed size exceeds " + strconv.FormatInt(e.Limit, 10) + " bytes, the limit"
}

// Unwrap returns ErrTooLarge.
func (e *DecompressedError) Unwrap() error { return ErrTooLarge }

// maxDecompressed returns the decompression limit that opts asks for.
func maxDecompressed(opts Options) int64 {
	if opts.MaxDecompressedBytes <= 0 {
		return DefaultMaxDecompressedBytes
	}
	return opts.MaxDecompressedBytes
}

// decompressCap passes on the bytes of a decompressing reader and fails
// with a *DecompressedError, for good, once more than limit bytes have come
// through.
type decompressCap struct {
	r     io.Reader
	n     int64 // bytes passed on
	limit int64
	err   error
}

func newDecompressCap(r io.Reader, limit int64) *decompressCap {
	return &decompressCap{r: r, limit: limit}
}

func (c *decompressCap) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if left := c.limit + 1 - c.n; int64(len(p)) > left {
		p = p[:left]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.limit {
		c.err = &DecompressedError{Limit: c.limit}
		return n - 1, c.err // the byte over the limit is not passed on
	}
	return n, err
}

// skipBlankLines discards the empty lines ("\n" or "\r\n") buffered at the
// start of br and returns how many it discarded. It reads nothing (so that
// a read error is left to the next read): called before reading each line,
// it skips a run of millions of empty lines (a bomb of newlines) a buffer
// at a time.
func skipBlankLines(br *bufio.Reader) (n int) {
	b, _ := br.Peek(br.Buffered())
	i := 0
	for i < len(b) {
		if b[i] == '\n' {
			i++
		} else if b[i] == '\r' && i+1 < len(b) && b[i+1] == '\n' {
			i += 2
		} else {
			break
		}
		n++
	}
	br.Discard(i)
	return n
}
