package index

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"redline/claim"
)

// refFacts is ParseFacts by its contract: three ':'-separated decimal
// fields that factsTerm could have written, each a number of the type
// Facts holds it in (no wrap-around): the day ("-" when undated), the
// confidence in thousandths (0 to 1000), the start offset.
func refFacts(term string) (Facts, bool) {
	parts := strings.Split(term, ":")
	if len(parts) != 3 {
		return Facts{}, false
	}
	num := func(s string) (int32, bool) {
		if s == "" || s[0] == '+' {
			return 0, false
		}
		v, err := strconv.ParseInt(s, 10, 32)
		return int32(v), err == nil
	}
	var f Facts
	var ok bool
	if parts[0] == "-" {
		f.Day = Undated
	} else if f.Day, ok = num(parts[0]); !ok {
		return Facts{}, false
	}
	conf, ok := num(parts[1])
	if !ok || conf < 0 || conf > 1000 {
		return Facts{}, false
	}
	f.Confidence = float32(conf) / 1000
	if f.Start, ok = num(parts[2]); !ok {
		return Facts{}, false
	}
	return f, true
}

// FuzzParseFacts holds ParseFacts to its contract:
//   - the term factsTerm writes for a claim (a published date or none, a
//     confidence in [0, 1], a start offset) reads back as the claim's day,
//     confidence to a thousandth and offset;
//   - any other term is accepted exactly when it is one factsTerm could
//     write, and then read as refFacts reads it: never a confidence
//     outside [0, 1] and never a number that wrapped around.
func FuzzParseFacts(f *testing.F) {
	f.Add([]byte("20161:875:1043"), "2025-03-14", 0.875, int32(1043))
	f.Add([]byte("-:1000:0"), "", 1.0, int32(0))
	f.Add([]byte("-1:0:7"), "1969-12-31", 0.0, int32(7))
	f.Add([]byte("::"), "0000-01-01", 0.0005, int32(-1))
	f.Add([]byte("-:-:-"), "9999-12-31", 0.9995, int32(math.MaxInt32))
	f.Add([]byte("1:2000:3"), "2024-02-29", 1e-9, int32(0))
	f.Add([]byte("99999999999:1:2"), "2023-02-29", math.NaN(), int32(0))
	f.Add([]byte("1:2:3:4"), "x", math.Copysign(0, -1), int32(0))
	f.Add([]byte("-2147483648:500:2147483647"), "1970-01-01", 0.5, int32(12))
	f.Fuzz(func(t *testing.T, term []byte, published string, conf float64, start int32) {
		got, ok := ParseFacts(term)
		want, wantOK := refFacts(string(term))
		if ok != wantOK || (ok && got != want) {
			t.Fatalf("ParseFacts(%q) = %+v, %v; want %+v, %v", term, got, ok, want, wantOK)
		}
		if ok && !(got.Confidence >= 0 && got.Confidence <= 1) {
			t.Fatalf("ParseFacts(%q) confidence %v is not in [0, 1]", term, got.Confidence)
		}

		if !(conf >= 0 && conf <= 1) {
			return
		}
		c := claim.Claim{Published: published, Confidence: conf, Start: int(start)}
		pt, dated, err := parseDate(published)
		if err != nil {
			c.Published = ""
		}
		wt := factsTerm(&c)
		back, ok := ParseFacts([]byte(wt))
		if !ok {
			t.Fatalf("factsTerm(%+v) = %q, which ParseFacts rejects", c, wt)
		}
		wantDay := Undated
		if dated {
			wantDay = int32(floorDiv(pt.Unix(), 86400))
			if d := time.Unix(int64(back.Day)*86400, 0).UTC().Format(dateLayout); d != published {
				t.Fatalf("factsTerm(%+v) = %q reads back as day %s", c, wt, d)
			}
		}
		if back.Day != wantDay || back.Confidence != float32(math.Round(conf*1000))/1000 || back.Start != start {
			t.Fatalf("factsTerm(%+v) = %q reads back as %+v", c, wt, back)
		}
	})
}

// TestParseFactsRejectsWhatFactsTermNeverWrites: terms with empty fields,
// a confidence beyond 1000 thousandths or numbers beyond int32 were read as
// zeros, as confidence above 1, or wrapped around (found by
// FuzzParseFacts).
func TestParseFactsRejectsWhatFactsTermNeverWrites(t *testing.T) {
	for _, bad := range []string{
		"::", "1::2", "1:2:", ":2:3", "-:-:-", "1:-:2", "1:2:-",
		"1:1001:2", "1:-1:2", "1:99999999999999999999:2",
		"2147483648:0:0", "-2147483649:0:0", "0:0:2147483648", "99999999999999999999:1:2",
	} {
		if f, ok := ParseFacts([]byte(bad)); ok {
			t.Errorf("ParseFacts(%q) = %+v, accepted", bad, f)
		}
	}
	for term, want := range map[string]Facts{
		"-:1000:0":                  {Day: Undated, Confidence: 1},
		"-2147483648:0:-2147483648": {Day: math.MinInt32, Start: math.MinInt32},
		"2147483647:0:2147483647":   {Day: math.MaxInt32, Start: math.MaxInt32},
		"-0:000:007":                {Start: 7},
	} {
		if f, ok := ParseFacts([]byte(term)); !ok || f != want {
			t.Errorf("ParseFacts(%q) = %+v, %v; want %+v", term, f, ok, want)
		}
	}
}

// FuzzParseDate holds parseDate to its contract: "" is no date and no
// error; a date it accepts is a real calendar day, at midnight UTC, that
// formats back to the very input; anything else is an error that quotes
// the input and says what was expected.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"", "2025-03-14", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31",
		"2025-13-01", "2025-1-5", "2025-03-14T00:00:00Z", " 2025-03-14", "+2025-03-14", "20250314", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok, err := parseDate(s)
		switch {
		case s == "":
			if ok || err != nil || !d.IsZero() {
				t.Fatalf(`parseDate("") = %v, %v, %v; want no date, no error`, d, ok, err)
			}
		case err != nil:
			if ok || !d.IsZero() {
				t.Fatalf("parseDate(%q) = %v, %v with error %v", s, d, ok, err)
			}
			if msg := err.Error(); !strings.Contains(msg, strconv.Quote(s)) || !strings.Contains(msg, "YYYY-MM-DD") {
				t.Fatalf("parseDate(%q): error %q does not name the input and the form", s, msg)
			}
		default:
			if !ok {
				t.Fatalf("parseDate(%q) = not ok without an error", s)
			}
			if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
				t.Fatalf("parseDate(%q) = %v, not midnight UTC", s, d)
			}
			if back := d.Format(dateLayout); back != s {
				t.Fatalf("parseDate(%q) = %v, which is %q", s, d, back)
			}
		}
	})
}

// FuzzReadCommitFile holds readCommitFile to its contract, the fuzz input
// being the file's content:
//   - what writeCommitFile writes reads back as the same Commit;
//   - a file it cannot parse is an error that names CommitFile and is not
//     ok; one it reads is a Commit that survives another write and read.
func FuzzReadCommitFile(f *testing.F) {
	good, _ := json.Marshal(Commit{Seq: 3, Articles: 120, Claims: 431, Time: time.Date(2026, 12, 7, 13, 5, 0, 123456789, time.UTC)})
	f.Add(good, uint64(3), uint64(120), uint64(431), int64(1765112700123456789))
	f.Add([]byte(""), uint64(0), uint64(0), uint64(0), int64(0))
	f.Add([]byte("null"), uint64(1), uint64(0), uint64(0), int64(-1))
	f.Add([]byte(`{"seq":-1}`), uint64(math.MaxUint64), uint64(math.MaxUint64), uint64(math.MaxUint64), int64(math.MaxInt64))
	f.Add([]byte(`{"seq":1,"time":"2026-02-30T00:00:00Z"}`), uint64(1), uint64(1), uint64(1), int64(math.MinInt64))
	f.Add([]byte(`{"seq":1,"time":"2026-12-07T13:05:00+01:00"}`+"\n"), uint64(1), uint64(1), uint64(1), int64(1))
	f.Add(good[:len(good)/2], uint64(9), uint64(8), uint64(7), int64(6))
	f.Fuzz(func(t *testing.T, content []byte, seq, articles, claims uint64, nanos int64) {
		dir := t.TempDir()
		want := Commit{Seq: seq, Articles: articles, Claims: claims, Time: time.Unix(0, nanos).UTC()}
		if err := writeCommitFile(dir, want); err != nil {
			t.Fatalf("writeCommitFile(%+v): %v", want, err)
		}
		got, ok, err := readCommitFile(dir)
		if err != nil || !ok || !sameCommit(got, want) {
			t.Fatalf("wrote %+v, read %+v, %v, %v", want, got, ok, err)
		}

		if err := os.WriteFile(filepath.Join(dir, CommitFile), content, 0o644); err != nil {
			t.Fatal(err)
		}
		c, ok, err := readCommitFile(dir)
		if err != nil {
			if ok {
				t.Fatalf("readCommitFile(%q): ok with error %v", content, err)
			}
			if !strings.Contains(err.Error(), CommitFile) {
				t.Fatalf("readCommitFile(%q): error %q does not name %s", content, err, CommitFile)
			}
			return
		}
		if !ok {
			t.Fatalf("readCommitFile(%q): a file that is there is not ok", content)
		}
		if err := writeCommitFile(dir, c); err != nil {
			t.Fatalf("readCommitFile(%q) = %+v, which writeCommitFile cannot write: %v", content, c, err)
		}
		if again, ok, err := readCommitFile(dir); err != nil || !ok || !sameCommit(again, c) {
			t.Fatalf("readCommitFile(%q) = %+v, which reads back as %+v, %v, %v", content, c, again, ok, err)
		}
	})
}

func sameCommit(a, b Commit) bool {
	return a.Seq == b.Seq && a.Articles == b.Articles && a.Claims == b.Claims && a.Time.Equal(b.Time)
}

// FuzzReadCurrent holds readCurrent to its contract, the fuzz input being
// the content of ReadDir/CURRENT:
//   - a View as the publisher writes it reads back the same;
//   - a torn or foreign pointer is no view and no error; a view it accepts
//     names a folder directly inside ReadDir, so that opening it never
//     reads anything else.
func FuzzReadCurrent(f *testing.F) {
	good, _ := json.Marshal(View{Commit: Commit{Seq: 4}, Published: time.Unix(0, 1765112700123456789).UTC(), Name: "00000004-1765112700123456789"})
	f.Add(good, uint64(4), int64(1765112700123456789))
	f.Add([]byte(""), uint64(0), int64(0))
	f.Add([]byte(`{"name":".."}`), uint64(1), int64(-1))
	f.Add([]byte(`{"name":"."}`), uint64(1), int64(1))
	f.Add([]byte(`{"name":"a/b"}`), uint64(2), int64(2))
	f.Add([]byte(`{"name":"..\\x"}`), uint64(2), int64(2))
	f.Add([]byte(`{"name":""}`), uint64(math.MaxUint64), int64(math.MaxInt64))
	f.Add([]byte("null"), uint64(1), int64(math.MinInt64))
	f.Add(good[:len(good)-3], uint64(1), int64(1))
	f.Fuzz(func(t *testing.T, content []byte, seq uint64, nanos int64) {
		dir := t.TempDir()
		rdir := filepath.Join(dir, ReadDir)
		if err := os.MkdirAll(rdir, 0o755); err != nil {
			t.Fatal(err)
		}
		at := time.Unix(0, nanos).UTC()
		want := View{Commit: Commit{Seq: seq}, Published: at, Name: fmt.Sprintf("%08d-%d", seq, at.UnixNano())}
		if err := writeJSONAtomic(filepath.Join(rdir, currentFile), want, false); err != nil {
			t.Fatal(err)
		}
		got, ok, err := readCurrent(dir)
		if err != nil || !ok || got.Name != want.Name || got.Commit.Seq != seq || !got.Published.Equal(at) {
			t.Fatalf("published %+v, read %+v, %v, %v", want, got, ok, err)
		}

		if err := os.WriteFile(filepath.Join(rdir, currentFile), content, 0o644); err != nil {
			t.Fatal(err)
		}
		v, ok, err := readCurrent(dir)
		if err != nil {
			t.Fatalf("readCurrent(%q): %v, want a foreign pointer to be no view", content, err)
		}
		if !ok {
			if v != (View{}) {
				t.Fatalf("readCurrent(%q) = %+v, not ok", content, v)
			}
			return
		}
		if p := filepath.Join(rdir, v.Name); filepath.Dir(p) != rdir || filepath.Base(p) != v.Name {
			t.Fatalf("readCurrent(%q) accepts view %q, which is %s, not a folder in %s", content, v.Name, p, rdir)
		}
	})
}

// FuzzReadErrors holds ReadErrors to its contract, the fuzz input being
// the content of ErrorsFile and the number of recent records asked for:
//   - records written one a line (json.Encoder), as an older ingest
//     appended them, read back merged by input and reason: their distinct
//     inputs counted, the last recent newest first by time, each with the
//     number of lines merged and the time of the first;
//   - whatever the file holds, at most recent records come back (none for
//     recent 0 or less), never a nil slice without an error, and one more
//     record appended on its own line, newer than any, is the newest,
//     counts one more input when its input is new, and pushes the others
//     down by one.
func FuzzReadErrors(f *testing.F) {
	f.Add([]byte(`{"time":"2026-12-07T13:05:00Z","input":"a.html","reason":"not HTML"}`+"\n"), 3)
	f.Add([]byte(""), 0)
	f.Add([]byte("null\n{}\n[]\n\"x\"\n"), 2)
	f.Add([]byte(`{"input":"a"}`+"\n"+`{"input":"a"}`+"\n"+`{"input":"b"}`), 1)
	f.Add([]byte(`{"input":"torn`), 5)
	f.Add([]byte("\r\n\r\n{\"input\":\"c\"}\r\n"), 2)
	f.Add([]byte(`{"input":"a"}`+"\n"), -1)
	f.Add([]byte(`{"time":"2026-12-07T13:05:00Z","input":"a","reason":"r","first_seen":"2026-12-01T00:00:00Z","count":4}`+"\n"), 1)
	f.Fuzz(func(t *testing.T, content []byte, recent int) {
		dir := t.TempDir()
		path := filepath.Join(dir, ErrorsFile)

		// Records taken from content's lines, one a line; the same line
		// twice is one failure met by two runs.
		var merged []ErrorRecord // in the order of their last line
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		for i, line := range strings.Split(string(content), "\n") {
			r := ErrorRecord{Time: time.Unix(int64(i), 0).UTC().Format(time.RFC3339), Input: line, Reason: "reason " + line}
			if err := enc.Encode(map[string]string{"time": r.Time, "input": r.Input, "reason": r.Reason}); err != nil {
				t.Fatal(err)
			}
			// What JSON keeps of it (invalid UTF-8 becomes U+FFFD).
			b, _ := json.Marshal(r)
			r = ErrorRecord{}
			_ = json.Unmarshal(b, &r)
			r.FirstSeen, r.Count = r.Time, 1
			if j := slices.IndexFunc(merged, func(m ErrorRecord) bool { return m.Input == r.Input && m.Reason == r.Reason }); j >= 0 {
				r.FirstSeen, r.Count = merged[j].FirstSeen, merged[j].Count+1
				merged = slices.Delete(merged, j, j+1)
			}
			merged = append(merged, r)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs, last, err := ReadErrors(dir, recent)
		distinct := map[string]bool{}
		for _, r := range merged {
			distinct[r.Input] = true
		}
		want := []ErrorRecord{}
		for i := len(merged) - 1; i >= 0 && len(want) < recent; i-- {
			want = append(want, merged[i])
		}
		if err != nil || inputs != len(distinct) || !slices.Equal(last, want) {
			t.Fatalf("wrote %d records (%d inputs), ReadErrors(%d) = %d, %v, %v; want last %v", len(merged), len(distinct), recent, inputs, last, err, want)
		}

		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		inputs, last, err = ReadErrors(dir, recent)
		if err != nil {
			return // a line beyond the scanner's limit
		}
		if last == nil || len(last) > max(recent, 0) {
			t.Fatalf("ReadErrors(%q, %d) = %d records: %v", content, recent, len(last), last)
		}
		rec := ErrorRecord{Time: "9999-12-31T23:59:59Z", Input: fmt.Sprintf("new-%d.html", len(content)), Reason: "not HTML", FirstSeen: "9999-12-31T23:59:59Z", Count: 1}
		if bytes.Contains(content, []byte(rec.Input)) {
			return
		}
		line, _ := json.Marshal(rec)
		if err := os.WriteFile(path, slices.Concat(content, []byte("\n"), line, []byte("\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		inputs2, last2, err := ReadErrors(dir, recent)
		if err != nil || inputs2 != inputs+1 {
			t.Fatalf("ReadErrors(%q, %d) = %d inputs, then %d, %v with a new input appended", content, recent, inputs, inputs2, err)
		}
		if recent <= 0 {
			if len(last2) != 0 {
				t.Fatalf("ReadErrors(%q, %d) = %v after an append", content, recent, last2)
			}
			return
		}
		wantLast := append([]ErrorRecord{rec}, last...)
		if len(wantLast) > recent {
			wantLast = wantLast[:recent]
		}
		if !slices.Equal(last2, wantLast) {
			t.Fatalf("ReadErrors(%q, %d) with a record appended = %v, want %v", content, recent, last2, wantLast)
		}
	})
}

// TestReadCurrentRejectsDot: a CURRENT naming "." pointed a reader at
// ReadDir itself, not at a view in it (found by FuzzReadCurrent).
func TestReadCurrentRejectsDot(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ReadDir), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{".", "..", "a/b", `a\b`, ""} {
		b, _ := json.Marshal(View{Name: name})
		if err := os.WriteFile(filepath.Join(dir, ReadDir, currentFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if v, ok, err := readCurrent(dir); ok || err != nil {
			t.Errorf("CURRENT naming %q: readCurrent = %+v, %v, %v; want no view", name, v, ok, err)
		}
	}
}

// TestReadErrorsNegativeRecent: a negative recent panicked slicing the
// ring of last records; it asks for none, like 0 (found by FuzzReadErrors).
func TestReadErrorsNegativeRecent(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ErrorsFile), []byte(`{"input":"a"}`+"\n"+`{"input":"b"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, recent := range []int{-1, -2, math.MinInt} {
		if n, last, err := ReadErrors(dir, recent); err != nil || n != 2 || last == nil || len(last) != 0 {
			t.Errorf("ReadErrors(%d) = %d, %v, %v; want 2 inputs, no records", recent, n, last, err)
		}
	}
}
