package main

import (
	"context"
	"io"
	"sync"
)

// stdinBuffer is the size of the reads the pump of stdinUntil makes.
const stdinBuffer = 256 << 10

// stdinUntil returns r (standard input) as a reader whose Read gives up
// with ctx's error once ctx is done. A read of a terminal or of a pipe
// whose writer is idle blocks in the kernel, where no context reaches it:
// without this, Ctrl-C (or a SIGTERM) during "redline ingest -" did nothing
// until the next line or the end of the input came, and a second Ctrl-C
// then ended the process without its summary.
//
// The first Read starts one goroutine that copies r into a pipe; a command
// that never reads "-" starts none. When ctx is done the pipe is closed:
// Read returns at once, and the goroutine ends at its next write (it may
// stay blocked in r's Read until then, which the process's exit ends).
func stdinUntil(ctx context.Context, r io.Reader) io.Reader {
	return &untilReader{ctx: ctx, src: r}
}

type untilReader struct {
	ctx  context.Context
	src  io.Reader
	once sync.Once
	pr   *io.PipeReader
}

func (u *untilReader) Read(p []byte) (int, error) {
	u.once.Do(func() {
		pr, pw := io.Pipe()
		u.pr = pr
		context.AfterFunc(u.ctx, func() { pw.CloseWithError(u.ctx.Err()) })
		go func() {
			_, err := io.CopyBuffer(pw, u.src, make([]byte, stdinBuffer))
			pw.CloseWithError(err) // nil: io.EOF for the reader
		}()
	})
	if err := u.ctx.Err(); err != nil {
		return 0, err
	}
	return u.pr.Read(p)
}
