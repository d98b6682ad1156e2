package index

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// readErrorsWhole is ReadErrors as it was before it streamed the file: every
// record read and kept, then sorted. The tests hold ReadErrors to it.
func readErrorsWhole(dir string, recent int) (inputs int, last []ErrorRecord, err error) {
	recs, err := readErrorFile(filepath.Join(dir, ErrorsFile))
	if err != nil {
		return 0, nil, err
	}
	seen := map[string]bool{}
	for _, r := range recs {
		seen[r.Input] = true
	}
	recent = max(recent, 0)
	slices.Reverse(recs)
	at := func(r ErrorRecord) time.Time {
		t, _ := time.Parse(time.RFC3339, r.Time)
		return t
	}
	slices.SortStableFunc(recs, func(a, b ErrorRecord) int { return at(b).Compare(at(a)) })
	last = append([]ErrorRecord{}, recs[:min(recent, len(recs))]...)
	return len(seen), last, nil
}

// fullErrorsFile is an ErrorsFile of DefaultMaxErrorRecords records as an
// ingest writes it, sorted by input: the failures of a dump's lines, met
// last by one of runs ingests (all by the same run for 1).
func fullErrorsFile(runs int) []byte {
	var recs []ErrorRecord
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i := range DefaultMaxErrorRecords {
		in := fmt.Sprintf("/data/dumps/cc-news-%03d.jsonl:%07d", i%50, i*7+1)
		recs = append(recs, ErrorRecord{Time: start.Add(time.Duration(i*7919%runs) * time.Hour).Format(time.RFC3339), Input: in,
			Reason:    in + ": no text: the record has neither text nor html (fields: id, url, outlet, published, title)",
			FirstSeen: start.Format(time.RFC3339), Count: 3})
	}
	slices.SortFunc(recs, func(a, b ErrorRecord) int { return strings.Compare(a.Input, b.Input) })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range recs {
		_ = enc.Encode(r)
	}
	return buf.Bytes()
}

// olderErrorsFile is an ErrorsFile of the older log format: one line per
// failure and run, in the order met, DefaultMaxErrorRecords lines naming
// a tenth as many inputs.
func olderErrorsFile() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for run := range 10 {
		for i := range DefaultMaxErrorRecords / 10 {
			in := fmt.Sprintf("/data/dumps/cc-news-%03d.jsonl:%07d", i%50, i*7+1)
			_ = enc.Encode(struct {
				Time   string `json:"time"`
				Input  string `json:"input"`
				Reason string `json:"reason"`
			}{start.Add(time.Duration(run) * time.Hour).Format(time.RFC3339), in, in + ": no text: the record has neither text nor html"})
		}
	}
	return buf.Bytes()
}

// BenchmarkReadErrors: what the status page and /api/stats read of a full
// ErrorsFile, the count of its inputs and its 10 newest records: "runs"
// has records of 20 ingest runs, "one-run" all of one run (each record
// as new as the newest so far), "older" is of the older log format;
// "count-only" is what redline stats reads, the count alone.
func BenchmarkReadErrors(b *testing.B) {
	runs := fullErrorsFile(20)
	for _, tt := range []struct {
		name           string
		file           []byte
		recent, inputs int
	}{
		{"runs", runs, 10, DefaultMaxErrorRecords},
		{"one-run", fullErrorsFile(1), 10, DefaultMaxErrorRecords},
		{"older", olderErrorsFile(), 10, DefaultMaxErrorRecords / 10},
		{"count-only", runs, 0, DefaultMaxErrorRecords},
	} {
		b.Run(tt.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ErrorsFile), tt.file, 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(tt.file)))
			b.ReportAllocs()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				n, last, err := ReadErrors(dir, tt.recent)
				if err != nil || n != tt.inputs || len(last) != tt.recent {
					b.Fatalf("ReadErrors = %d inputs, %d records, %v; want %d, %d", n, len(last), err, tt.inputs, tt.recent)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/1e6, "alloc-MB/op")
			b.ReportMetric(float64(len(tt.file))/1e6, "file-MB")
		})
	}
}

// readErrorsCases are ErrorsFile contents on which ReadErrors must read
// what readErrorsWhole reads.
var readErrorsCases = []struct{ name, content string }{
	{"none", ""},
	{"sorted, as written", `{"time":"2026-12-07T10:00:00Z","input":"a","reason":"r1","first_seen":"2026-12-01T10:00:00Z","count":3}
{"time":"2026-12-07T11:00:00Z","input":"a","reason":"r2","first_seen":"2026-12-07T11:00:00Z","count":1}
{"time":"2026-12-06T10:00:00Z","input":"b","reason":"r1","first_seen":"2026-12-01T10:00:00Z","count":2}
{"time":"2026-12-07T11:00:00Z","input":"c","reason":"r1","first_seen":"2026-12-07T11:00:00Z","count":1}
`},
	{"ties: the later line first", `{"time":"2026-12-07T10:00:00Z","input":"a","reason":"r","first_seen":"2026-12-07T10:00:00Z","count":1}
{"time":"2026-12-07T10:00:00Z","input":"b","reason":"r","first_seen":"2026-12-07T10:00:00Z","count":1}
{"time":"2026-12-07T10:00:00Z","input":"c","reason":"r","first_seen":"2026-12-07T10:00:00Z","count":1}
{"time":"2026-12-07T10:00:00Z","input":"d","reason":"r","first_seen":"2026-12-07T10:00:00Z","count":1}
`},
	{"older format, repeats merged", `{"time":"2026-12-01T10:00:00Z","input":"a.txt","reason":"empty"}
{"time":"2026-12-01T10:00:00Z","input":"b.txt","reason":"empty"}
{"time":"2026-12-02T10:00:00Z","input":"a.txt","reason":"empty"}
{"time":"2026-12-02T10:00:00Z","input":"c.txt","reason":"binary"}
{"time":"2026-12-01T09:00:00Z","input":"b.txt","reason":"empty"}
{"time":"2026-12-03T10:00:00Z","input":"a.txt","reason":"other"}
`},
	{"older format, a repeat older than the first line", `{"time":"2026-12-05T10:00:00Z","input":"a","reason":"r"}
{"time":"2026-12-04T10:00:00Z","input":"b","reason":"r"}
{"time":"2026-12-01T10:00:00Z","input":"a","reason":"r"}
`},
	{"merged with counts and first times", `{"time":"2026-12-05T10:00:00Z","input":"a","reason":"r","first_seen":"2026-12-02T10:00:00Z","count":4}
{"time":"2026-12-06T10:00:00Z","input":"a","reason":"r","count":2}
{"time":"2026-12-04T10:00:00Z","input":"a","reason":"r","first_seen":"2026-11-02T10:00:00Z","count":-7}
{"time":"2026-12-04T10:00:00Z","input":"b","reason":"r","first_seen":"2026-11-02T10:00:00Z","count":0}
`},
	{"the same line twice", `{"time":"2026-12-05T10:00:00Z","input":"a","reason":"r","first_seen":"2026-12-02T10:00:00Z","count":4}
{"time":"2026-12-05T10:00:00Z","input":"a","reason":"r","first_seen":"2026-12-02T10:00:00Z","count":4}
`},
	{"bad times oldest", `{"time":"yesterday","input":"a","reason":"r","first_seen":"","count":1}
{"time":"","input":"b","reason":"r","first_seen":"x","count":1}
{"time":"0000-01-01T00:00:00Z","input":"c","reason":"r","first_seen":"x","count":1}
{"time":"2026-13-01T00:00:00Z","input":"d","reason":"r","first_seen":"x","count":1}
{"time":"2026-12-01T00:00:00Z","input":"e","reason":"r","first_seen":"x","count":1}
{"input":"f","reason":"r"}
`},
	{"times with offsets: the later string is not the later time", `{"time":"2026-12-07T10:00:00+05:00","input":"a","reason":"r"}
{"time":"2026-12-07T09:00:00Z","input":"a","reason":"r"}
{"time":"2026-12-07T06:00:00Z","input":"b","reason":"r"}
{"time":"2026-12-07T05:00:00.5Z","input":"c","reason":"r","first_seen":"2026-12-07T05:00:00Z","count":1}
`},
	{"lines that are not records", `{not json
null
{}
[]
"x"
{"time":"2026-12-07T10:00:00Z","input":"a","reason":"r","first_seen":"2026-12-07T10:00:00Z","count":1.5}
{"time":"2026-12-07T10:00:00Z","input":"b","reason":"r","first_seen":"2026-12-07T10:00:00Z","count":1}

{"time":"2026-12-07T10:00:00Z","input":"c","reason":"r","first_seen":"2026-12-07T10:00:00Z","count":99999999999999999999}
{"time":"2026-12-07T10:0`},
	{"lines only encoding/json reads as it should", "{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"a\\u0026b\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":1}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"tab\there\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":1}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"bad \xff utf-8\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":1}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"bad \xff utf-8\",\"reason\":\"r\",\"first_seen\":\"y\",\"count\":2}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"bad \xfe utf-8\",\"reason\":\"r\",\"first_seen\":\"y\",\"count\":2}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"bad \ufffd utf-8\",\"reason\":\"r\",\"first_seen\":\"z\",\"count\":2}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"plus\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":+1}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"zero\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":01}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"minus zero\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":-0}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\\\",\"input\":\"escaped quote\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":1}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"crlf\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":1}\r\n" +
		"{\"TIME\":\"2026-12-08T10:00:00Z\",\"Input\":\"case\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":1}\n" +
		"{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"dup\",\"input\":\"key\",\"reason\":\"r\",\"first_seen\":\"x\",\"count\":1}\n"},
	{"no two pairs of strings alike", "{\"time\":\"2026-12-07T10:00:00Z\",\"input\":\"a\\u0000\",\"reason\":\"b\"}\n" +
		"{\"time\":\"2026-12-07T11:00:00Z\",\"input\":\"a\",\"reason\":\"\\u0000b\"}\n"},
	{"sorted, then not", `{"time":"2026-12-07T10:00:00Z","input":"a","reason":"r","first_seen":"x","count":1}
{"time":"2026-12-07T10:00:00Z","input":"b","reason":"r","first_seen":"x","count":1}
{"time":"2026-12-08T10:00:00Z","input":"a","reason":"r","first_seen":"x","count":1}
`},
	{"unsorted, no repeats", `{"time":"2026-12-07T10:00:00Z","input":"c","reason":"r","first_seen":"x","count":1}
{"time":"2026-12-07T10:00:00Z","input":"a","reason":"r","first_seen":"x","count":1}
{"time":"2026-12-07T10:00:00Z","input":"b","reason":"r","first_seen":"x","count":1}
`},
	{"one input, reasons out of order", `{"time":"2026-12-07T10:00:00Z","input":"a","reason":"s","first_seen":"x","count":1}
{"time":"2026-12-07T10:00:00Z","input":"a","reason":"r","first_seen":"x","count":1}
`},
}

// TestReadErrorsAsBefore: ReadErrors, which streams the file, reads what
// reading it whole read: the same count of inputs and the same recent
// records in the same order, for files as ingest writes them, of the
// older format (merged), with ties, bad times and lines that are not
// records, and for every number of records asked for.
func TestReadErrorsAsBefore(t *testing.T) {
	for _, tt := range readErrorsCases {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ErrorsFile), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			for recent := -1; recent <= 12; recent++ {
				checkAsBefore(t, dir, recent)
			}
		})
	}
}

// checkAsBefore fails t unless ReadErrors(dir, recent) reads what
// readErrorsWhole does (the count alone for recent 0 or less).
func checkAsBefore(t *testing.T, dir string, recent int) {
	t.Helper()
	n, last, err := ReadErrors(dir, recent)
	wn, wlast, werr := readErrorsWhole(dir, recent)
	if (err != nil) != (werr != nil) || n != wn || last == nil && err == nil || !slices.Equal(last, wlast) {
		t.Fatalf("ReadErrors(%d) = %d inputs, %d records, %v\n%+v\nwant %d, %d, %v\n%+v", recent, n, len(last), err, last, wn, len(wlast), werr, wlast)
	}
}

// TestReadErrorsAsBeforeRandom: ReadErrors reads what readErrorsWhole
// does on files of lines drawn from few inputs, reasons and times (so
// that ties and repeats are the rule), sorted as ingest writes them or
// not, with lines of the older format and lines that are not records.
func TestReadErrorsAsBeforeRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(s ...string) string { return s[rng.IntN(len(s))] }
	dir := t.TempDir()
	for range 500 {
		type rec struct{ in, reason, line string }
		var recs []rec
		for range rng.IntN(40) {
			in, reason := pick("a", "b", "c", "d\\u0026", "e"), pick("r", "s", "t")
			tm := pick("2026-12-07T10:00:00Z", "2026-12-07T11:00:00Z", "2026-12-07T12:00:00+02:00", "2026-12-06T10:00:00Z", "bad", "")
			r := rec{in: in, reason: reason}
			switch rng.IntN(10) {
			case 0:
				r.line = fmt.Sprintf(`{"time":"%s","input":"%s","reason":"%s"}`, tm, in, reason)
			case 1:
				r.line = pick("{not json", "null", "{}", "")
			default:
				r.line = fmt.Sprintf(`{"time":"%s","input":"%s","reason":"%s","first_seen":"%s","count":%d}`,
					tm, in, reason, pick("2026-12-01T10:00:00Z", "", "2026-12-02T10:00:00Z"), rng.IntN(4))
			}
			recs = append(recs, r)
		}
		if rng.IntN(2) == 0 {
			// Sorted by input and reason, one line each, as ingest
			// writes the file.
			key := func(a, b rec) int { return cmp.Or(strings.Compare(a.in, b.in), strings.Compare(a.reason, b.reason)) }
			slices.SortFunc(recs, key)
			recs = slices.CompactFunc(recs, func(a, b rec) bool { return key(a, b) == 0 })
		}
		var b strings.Builder
		for _, r := range recs {
			b.WriteString(r.line + "\n")
		}
		if err := os.WriteFile(filepath.Join(dir, ErrorsFile), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		checkAsBefore(t, dir, rng.IntN(8))
		checkAsBefore(t, dir, 0)
	}
}

// FuzzReadErrorsAsBefore holds ReadErrors to readErrorsWhole on any file:
// the fuzz input itself, and lines made of its lines in the form ingest
// writes, each split at '|' into time, input, reason, first_seen and
// count, put in place without escaping (as they come and sorted), so that
// the lines read in place meet any bytes.
func FuzzReadErrorsAsBefore(f *testing.F) {
	for _, tt := range readErrorsCases {
		f.Add([]byte(tt.content), 3)
	}
	f.Add([]byte("2026-12-07T10:00:00Z|a|r|x|1\n2026-12-07T10:00:00Z|a|r|x|2\n2026-12-06T10:00:00Z|b|r||0"), 2)
	f.Add([]byte("2026-12-07T10:00:00Z|a\tb|r|x|1\n2026-12-07T10:00:00Z|a\\\\b|r|x|01\nbad|\xff|r|x|-0"), 5)
	f.Fuzz(func(t *testing.T, content []byte, recent int) {
		dir := t.TempDir()
		path := filepath.Join(dir, ErrorsFile)
		recent = recent % 64 // beyond, as many records as there are
		write := func(b []byte) {
			t.Helper()
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write(content)
		checkAsBefore(t, dir, recent)
		checkAsBefore(t, dir, 0)

		var recs [][][]byte // time, input, reason, first_seen, count
		for line := range bytes.SplitSeq(content, []byte("\n")) {
			fields := bytes.SplitN(line, []byte("|"), 5)
			for len(fields) < 5 {
				fields = append(fields, nil)
			}
			if len(fields[4]) == 0 {
				fields[4] = []byte("1")
			}
			recs = append(recs, fields)
		}
		file := func() []byte {
			var b []byte
			for _, r := range recs {
				b = fmt.Appendf(b, `{"time":"%s","input":"%s","reason":"%s","first_seen":"%s","count":%s}`+"\n", r[0], r[1], r[2], r[3], r[4])
			}
			return b
		}
		write(file())
		checkAsBefore(t, dir, recent)
		// Sorted by input and reason, as ingest writes the file.
		slices.SortStableFunc(recs, func(a, b [][]byte) int {
			return cmp.Or(bytes.Compare(a[1], b[1]), bytes.Compare(a[2], b[2]))
		})
		write(file())
		checkAsBefore(t, dir, recent)
		checkAsBefore(t, dir, 0)
	})
}

// TestPlainJSON: plainJSON, which reads eight bytes at a time, holds a
// string inside quotes to decode to itself exactly when encoding/json
// decodes it so, whatever byte sits wherever in strings of 0 to 24 bytes.
func TestPlainJSON(t *testing.T) {
	for _, c := range []string{"\x00", "\x1f", " ", "\\", "\x7f", "\x80", "\xff", "é", "\u2028", "\U0001F600", "\xed\xa0\x80"} {
		for n := range 25 {
			for at := 0; at+len(c) <= n; at++ {
				v := strings.Repeat("a", at) + c + strings.Repeat("b", n-at-len(c))
				var s string
				want := json.Unmarshal([]byte(`"`+v+`"`), &s) == nil && s == v
				if got := plainJSON([]byte(v)); got != want {
					t.Errorf("plainJSON(%q) = %v, want %v", v, got, want)
				}
			}
		}
	}
}
