package index

import (
	"bufio"
	"encoding/json"
	"errors"
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
// without the file has none; lines that are not records are skipped.
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
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var e ErrorRecord
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		seen[e.Input] = true
		if recent == 0 {
			continue
		}
		ring = append(ring, e)
		if len(ring) > 2*recent {
			ring = append(ring[:0], ring[len(ring)-recent:]...)
		}
	}
	if len(ring) > recent {
		ring = ring[len(ring)-recent:]
	}
	last = make([]ErrorRecord, 0, len(ring))
	for i := len(ring) - 1; i >= 0; i-- {
		last = append(last, ring[i])
	}
	return len(seen), last, sc.Err()
}
