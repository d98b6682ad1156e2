package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// jsonSniffLen is how far openJSON looks for the first byte of a .json
// file's value.
const jsonSniffLen = 4096

// openJSON starts reading a .json file whose content (decompressed) is src
// and whose files are closers. Exporters write three shapes under that
// name, told apart by their content:
//
//   - one record, on one line or spread over many (news-please and
//     CC-News processing write one article a file): one document, Source
//     the file's path;
//   - an array of records (scrapy's JSON feed): read as a dump whose
//     elements are numbered like lines;
//   - JSON Lines under a .json name: read as a dump.
//
// A single object without text or HTML under any of the names a record's
// are read under (see textKeys) is not an article: met in a folder walk
// (walked), it is skipped and counted like a file of unknown type, since
// folders of pages hold metadata and configuration as .json too; named
// explicitly, it is an error.
//
// It returns, as readFile does, the document or an *InputError naming the
// path with ok=true (the closers then closed), or ok=false when it set
// r.dump or skipped the file.
func (r *Reader) openJSON(src io.Reader, path string, closers []io.Closer, walked bool) (doc Document, ok bool, err error) {
	closeAll := func() {
		for _, c := range closers {
			c.Close()
		}
	}
	br := bufio.NewReaderSize(src, dumpBufSize)
	if firstJSONByte(br) == '[' {
		r.dump = newArrayReader(br, path, r.max, closers...)
		r.dump.onDup, r.dump.ids = r.duplicateID, r.ids
		return Document{}, false, nil
	}
	data, err := io.ReadAll(io.LimitReader(br, r.max+1))
	if err != nil {
		closeAll()
		return Document{}, true, &InputError{Input: path, Err: err}
	}
	if value := bytes.TrimSpace(bytes.TrimPrefix(data, []byte(bomUTF8))); int64(len(data)) <= r.max &&
		len(value) > 0 && value[0] == '{' && json.Valid(value) {
		closeAll()
		doc, err := parseRecord(value, path, 0)
		if walked && errors.Is(err, ErrNoContent) {
			r.skip(path)
			return Document{}, false, nil
		}
		if err != nil {
			return Document{}, true, &InputError{Input: path, Err: err}
		}
		// A record with its own id: a later one repeating it is skipped,
		// as in a dump, and so is this one after an earlier record.
		if doc.Source == path+"#"+doc.ID {
			if input, line, added := r.ids.add(doc.ID, path, 0); !added {
				r.duplicateID(DuplicateID{Input: path, FirstInput: input, ID: doc.ID, FirstLine: line})
				return Document{}, false, nil
			}
		}
		doc.Source = path // the file is the record
		return doc, true, nil
	}
	r.dump = newDumpReader(io.MultiReader(bytes.NewReader(data), br), path, r.max, 0, closers...)
	r.dump.onDup, r.dump.ids = r.duplicateID, r.ids
	return Document{}, false, nil
}

// firstJSONByte returns the first byte of br after a byte order mark and
// white space, without consuming anything, or 0 when there is none within
// jsonSniffLen bytes.
func firstJSONByte(br *bufio.Reader) byte {
	head, _ := br.Peek(jsonSniffLen)
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte(bomUTF8)), " \t\r\n")
	if len(head) == 0 {
		return 0
	}
	return head[0]
}

// newArrayReader returns a dumpReader over a JSON array of records: the
// n-th element is read as the n-th line of a dump would be.
func newArrayReader(br *bufio.Reader, input string, max int64, closers ...io.Closer) *dumpReader {
	d := newDumpReader(br, input, max, 0, closers...)
	d.arr = json.NewDecoder(br)
	return d
}

// nextElement returns the next element of the array d reads, as the bytes
// of one record, and advances d.line to its number. It returns io.EOF after
// the last one. A syntax error ends the array: nothing after it can be
// found again.
func (d *dumpReader) nextElement() ([]byte, error) {
	if !d.arrOpen {
		if _, err := d.arr.Token(); err != nil { // the '[' seen by openJSON
			return nil, err
		}
		d.arrOpen = true
	}
	if !d.arr.More() {
		if _, err := d.arr.Token(); err != nil { // the closing ']'
			return nil, err
		}
		if d.arr.More() {
			return nil, fmt.Errorf("%w: more after the array's end", ErrNotJSON)
		}
		return nil, io.EOF
	}
	d.line++
	var raw json.RawMessage
	if err := d.arr.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	return raw, nil
}
