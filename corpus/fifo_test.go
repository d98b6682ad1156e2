//go:build unix

package corpus

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// TestNamedPipe: a named pipe given explicitly (as a shell's <(...) is) is
// accepted by Open without being opened, then read as a stream with the size
// limit applied while reading.
func TestNamedPipe(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "in.jsonl")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skip("cannot make a named pipe:", err)
	}
	big := filepath.Join(dir, "big.txt")
	if err := syscall.Mkfifo(big, 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open([]string{pipe, big}, Options{MaxBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	write := func(path, s string) {
		go func() {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			f.WriteString(s)
			f.Close()
		}()
	}
	write(pipe, `{"id":"p","text":"Piped."}`+"\n")
	write(big, strings.Repeat("x", 1000))
	rs := collect(t, r)
	if got, want := outline(rs), []string{"doc " + pipe + "#p", "err " + big + ":0"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	wantInputError(t, rs[1].err, big, 0, ErrTooLarge, "file is more than 100 bytes")
}
