package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// bombMember returns a gzip member of n bytes of fill: a few KB that
// decompress to n bytes.
func bombMember(n int, fill byte) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	chunk := bytes.Repeat([]byte{fill}, 64<<10)
	for n > 0 {
		k := min(n, len(chunk))
		zw.Write(chunk[:k])
		n -= k
	}
	zw.Close()
	return b.Bytes()
}

// wantDecompressed checks that err reports input as decompressing past
// limit.
func wantDecompressed(t *testing.T, err error, input string, limit int64) {
	t.Helper()
	var ie *InputError
	var de *DecompressedError
	if !errors.As(err, &ie) || !errors.As(err, &de) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v (%T), want an *InputError holding a *DecompressedError", err, err)
	}
	want := "decompressed size exceeds " + strconv.FormatInt(limit, 10) + " bytes"
	if ie.Input != input || de.Limit != limit || !strings.HasPrefix(err.Error(), input+":") || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q: want one naming %s and saying %q", err, input, want)
	}
}

// TestDecompressionBomb: a gzipped dump, WARC archive or standard input
// that decompresses past Options.MaxDecompressedBytes stops with one error
// naming it; what came before is read.
func TestDecompressionBomb(t *testing.T) {
	const limit = 1 << 20
	const bomb = 8 << 20 // newlines, or zeros
	opts := Options{MaxDecompressedBytes: limit}
	line := func(s string) []byte { return []byte(`{"text":"` + s + `"}` + "\n") }

	t.Run("dump of newlines", func(t *testing.T) {
		data := bytes.Join([][]byte{gzMember(line("first")), bombMember(bomb, '\n'), gzMember(line("last"))}, nil)
		if len(data) > 64<<10 {
			t.Fatalf("the bomb is %d bytes", len(data))
		}
		path := writeFile(t, t.TempDir(), "bomb.jsonl.gz", string(data))
		rs, _ := openAll(t, []string{path}, opts)
		if len(rs) != 2 || rs[0].err != nil || rs[0].doc.Text != "first" {
			t.Fatalf("got %v, want the first document and one error", rs)
		}
		wantDecompressed(t, rs[1].err, path, limit)
	})

	t.Run("dump of one long line", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "bomb.jsonl.gz", string(bombMember(bomb, 'x')))
		rs, _ := openAll(t, []string{path}, opts)
		if len(rs) != 1 {
			t.Fatalf("got %v, want one error", rs)
		}
		wantDecompressed(t, rs[0].err, path, limit)
	})

	t.Run("standard input", func(t *testing.T) {
		data := append(gzMember(line("first")), bombMember(bomb, '\n')...)
		r, err := Open([]string{"-"}, Options{MaxDecompressedBytes: limit, Stdin: bytes.NewReader(data)})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		rs := collect(t, r)
		if len(rs) != 2 || rs[0].err != nil {
			t.Fatalf("got %v, want a document and one error", rs)
		}
		wantDecompressed(t, rs[1].err, "-", limit)
	})

	rec := func(n int) []byte {
		return gzMember(htmlResp(n, "u:"+strconv.Itoa(n), page("page "+strconv.Itoa(n))).bytes())
	}
	t.Run("WARC of newlines", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "bomb.warc.gz", string(bytes.Join([][]byte{rec(1), bombMember(bomb, '\n'), rec(3)}, nil)))
		rs, _ := openAll(t, []string{path}, opts)
		docs, errs := summarize(t, rs)
		if len(docs) != 1 || len(errs) != 1 {
			t.Fatalf("got %v, want one document and one error", rs)
		}
		wantDecompressed(t, errs[0], path, limit)
	})

	t.Run("WARC record of zeros", func(t *testing.T) {
		// A record whose block is a bomb: its Content-Length is right.
		head := htmlResp(2, "u:2", "").bytes()
		head = head[:bytes.Index(head, []byte("Content-Length:"))]
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zw.Write(head)
		zw.Write([]byte("Content-Length: " + strconv.Itoa(bomb) + "\r\n\r\n"))
		io.CopyN(zw, zeroReader{}, bomb)
		zw.Write([]byte("\r\n\r\n"))
		zw.Close()
		path := writeFile(t, t.TempDir(), "bomb.warc.gz", string(bytes.Join([][]byte{rec(1), b.Bytes(), rec(3)}, nil)))
		rs, _ := openAll(t, []string{path}, opts)
		docs, errs := summarize(t, rs)
		if len(docs) != 1 || len(errs) != 1 {
			t.Fatalf("got %v, want one document and one error", rs)
		}
		wantDecompressed(t, errs[0], path, limit)
		var re *RecordError
		if !errors.As(errs[0], &re) || re.Record != 2 {
			t.Errorf("error %v: want it on record 2", errs[0])
		}
	})

	t.Run("under the limit", func(t *testing.T) {
		data := bytes.Join([][]byte{gzMember(line("first")), bombMember(limit/2, '\n'), gzMember(line("last"))}, nil)
		path := writeFile(t, t.TempDir(), "ok.jsonl.gz", string(data))
		rs, _ := openAll(t, []string{path}, opts)
		if got := outline(rs); len(got) != 2 || rs[0].err != nil || rs[1].err != nil {
			t.Errorf("got %q, want two documents", got)
		}
	})
}

// TestGzipLongLine: a gzipped dump line longer than MaxBytes is one error;
// reading goes on at the next line.
func TestGzipLongLine(t *testing.T) {
	long := `{"text":"` + strings.Repeat("x", 1<<20) + `"}` + "\n"
	data := gzMember([]byte(`{"text":"one"}` + "\n" + long + `{"text":"three"}` + "\n"))
	path := writeFile(t, t.TempDir(), "long.jsonl.gz", string(data))
	rs, _ := openAll(t, []string{path}, Options{MaxBytes: 1000})
	if got := outline(rs); len(got) != 3 || rs[0].err != nil || rs[2].err != nil || rs[2].doc.Text != "three" {
		t.Fatalf("got %q, want a document, an error, a document", got)
	}
	wantInputError(t, rs[1].err, path, 2, ErrTooLarge, "line is 1048587 bytes, limit is 1000 bytes")
}

// TestDecompressedDefault: zero Options give the 1 GiB limit.
func TestDecompressedDefault(t *testing.T) {
	path := writeFile(t, t.TempDir(), "a.txt", "a")
	for _, n := range []int64{0, -1} {
		r, err := Open([]string{path}, Options{MaxDecompressedBytes: n})
		if err != nil {
			t.Fatal(err)
		}
		if r.maxUnzip != DefaultMaxDecompressedBytes || DefaultMaxDecompressedBytes != 1<<30 {
			t.Errorf("MaxDecompressedBytes %d: limit %d", n, r.maxUnzip)
		}
		r.Close()
	}
}

// TestSkipBlankLines: runs of empty lines are skipped from the buffer, and
// counted, without reading.
func TestSkipBlankLines(t *testing.T) {
	data := strings.Repeat("\n\r\n", 50_000) + "x\n\n"
	path := writeFile(t, t.TempDir(), "blank.jsonl", data)
	rs, _ := openAll(t, []string{path}, Options{})
	if len(rs) != 1 {
		t.Fatalf("got %v, want one error", rs)
	}
	wantInputError(t, rs[0].err, path, 100_001, ErrNotJSON, "")

	br := bufio.NewReaderSize(strings.NewReader("\n\r\n\r\rx"), 16)
	if n := skipBlankLines(br); n != 0 {
		t.Errorf("skipped %d lines before reading", n)
	}
	br.Peek(1)
	if n := skipBlankLines(br); n != 2 {
		t.Errorf("skipped %d lines, want 2", n)
	}
	if rest, _ := io.ReadAll(br); string(rest) != "\r\rx" {
		t.Errorf("left %q", rest)
	}
}
