package index

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrorsFile, in an index folder, logs the documents ingests could not
// read: one ErrorRecord per line, appended by each run.
const ErrorsFile = "errors.jsonl"

// ErrorRecord is one line of ErrorsFile.
type ErrorRecord struct {
	Time   string `json:"time"` // RFC 3339, UTC
	Input  string `json:"input"`
	Reason string `json:"reason"`
}

// ReadErrors reads the ErrorsFile of the index folder dir: the number of
// distinct inputs it names (the documents that failed, however often) and
// its last recent records, newest first (none for recent 0 or less). A folder
// without the file has none; lines that are not records are skipped, also
// those longer than a record can be (a MiB). Errors name the file.
func ReadErrors(dir string, recent int) (inputs int, last []ErrorRecord, err error) {
	f, err := os.Open(filepath.Join(dir, ErrorsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, []ErrorRecord{}, nil
	}
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	// A negative recent is none, like 0, rather than out-of-range slicing.
	recent = max(recent, 0)
	seen := map[string]bool{}
	var ring []ErrorRecord
	err = eachLine(f, maxErrorLine, func(line []byte) {
		var e ErrorRecord
		if json.Unmarshal(line, &e) != nil {
			return
		}
		seen[e.Input] = true
		if recent == 0 {
			return
		}
		ring = append(ring, e)
		if len(ring) > 2*recent {
			ring = append(ring[:0], ring[len(ring)-recent:]...)
		}
	})
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", f.Name(), err)
	}
	if len(ring) > recent {
		ring = ring[len(ring)-recent:]
	}
	last = make([]ErrorRecord, 0, len(ring))
	for i := len(ring) - 1; i >= 0; i-- {
		last = append(last, ring[i])
	}
	return len(seen), last, nil
}

// maxErrorLine is the longest line of ErrorsFile that ReadErrors reads;
// a longer one is not a record ingest wrote, and is skipped.
const maxErrorLine = 1 << 20

// eachLine calls fn with each line of r, without its end, skipping the
// lines longer than max bytes (read through, not kept).
func eachLine(r io.Reader, max int, fn func([]byte)) error {
	br := bufio.NewReader(r)
	var long []byte // a line longer than br's buffer, so far
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(long)+len(chunk) > max {
				tooLong, long = true, long[:0]
			} else if !tooLong {
				long = append(long, chunk...)
			}
			continue
		}
		line := chunk
		if len(long) > 0 {
			line = append(long, chunk...)
		}
		if len(line) > max {
			tooLong = true
		}
		if len(line) > 0 && !tooLong {
			fn(bytes.TrimSuffix(line, []byte("\n")))
		}
		long, tooLong = long[:0], false
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
