package corpus

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"redline/crawl"
)

// FuzzReadURLList holds ReadURLList to its contract on any list: lines are
// read as bufio reads them ("\n", a "\r" before it dropped), trimmed, the
// first line without its BOM; blank and # lines are skipped. When every
// other line is an absolute http or https URL, the URLs come back once
// each at their first place, and writing them out one a line reads back
// the same. Otherwise no URLs come back and the error wraps ErrBadURL and
// names each bad line (up to 20) by number and quoted, then how many more.
func FuzzReadURLList(f *testing.F) {
	f.Add("\ufeff# news to fetch\nhttps://example.com/a\n\n   http://example.org/b?x=1#top   \r\n  # indented\nhttps://example.com/a\nhttps://example.com/c")
	f.Add("https://ok.example/\nexample.com/no-scheme\n\nftp://x/y\nhttps://ok.example/2\n")
	f.Add("")
	f.Add("\n\r\n \t\n")
	f.Add("\ufeff\ufeffhttps://a.example/")
	f.Add("  \ufeffhttps://a.example/")
	f.Add("https://a.example/\rhttps://b.example/")
	f.Add("HTTP://A.EXAMPLE/\nhttp://a.example/\nhttps://a.example/#x\nhttps://a.example/")
	f.Add(strings.Repeat("bad\n", 25))
	f.Add("http://[::1]:80/\nhttp://%zz/\nhttp:///x\nhttps://user@host/\nmailto:a@b")
	f.Fuzz(func(t *testing.T, in string) {
		// The list as the contract reads it.
		lines := strings.Split(in, "\n")
		if strings.HasSuffix(in, "\n") {
			lines = lines[:len(lines)-1]
		}
		var want []string
		var bad []int
		var badText []string
		seen := map[string]bool{}
		for i, l := range lines {
			l = strings.TrimSpace(strings.TrimSuffix(l, "\r"))
			if i == 0 {
				l = strings.TrimSpace(strings.TrimPrefix(l, bomUTF8))
			}
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			if _, err := crawl.ParseURL(l); err != nil {
				bad, badText = append(bad, i+1), append(badText, l)
				continue
			}
			if !seen[l] {
				seen[l] = true
				want = append(want, l)
			}
		}

		got, err := ReadURLList(strings.NewReader(in))
		if len(bad) == 0 {
			if err != nil || len(got) != len(want) {
				t.Fatalf("ReadURLList(%q) = %q, %v; want %q", in, got, err, want)
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("ReadURLList(%q) = %q; want %q", in, got, want)
				}
			}
			again, err := ReadURLList(strings.NewReader(strings.Join(got, "\n")))
			if err != nil || strings.Join(again, "\n") != strings.Join(got, "\n") {
				t.Fatalf("ReadURLList(%q) = %q, written out one a line reads as %q, %v", in, got, again, err)
			}
			return
		}
		if err == nil || got != nil {
			t.Fatalf("ReadURLList(%q) = %q, %v; want an error for lines %v", in, got, err, bad)
		}
		if !errors.Is(err, ErrBadURL) {
			t.Fatalf("ReadURLList(%q): error %v does not wrap ErrBadURL", in, err)
		}
		msg := err.Error()
		for i, n := range bad[:min(len(bad), 20)] {
			if !strings.Contains(msg, fmt.Sprintf("line %d: %q", n, badText[i])) {
				t.Fatalf("ReadURLList(%q): error %q does not name line %d (%q)", in, msg, n, badText[i])
			}
		}
		more := fmt.Sprintf("and %d more bad lines", len(bad)-20)
		if len(bad) > 20 != strings.Contains(msg, more) || (len(bad) > 20 && strings.Contains(msg, fmt.Sprintf("line %d:", bad[20]))) {
			t.Fatalf("ReadURLList(%q): %d bad lines, error %q", in, len(bad), msg)
		}
	})
}

// publishedForms are the forms parsePublished accepts, each with the
// precision it keeps.
var publishedForms = [...]struct {
	layout string
	keep   time.Duration // what the form keeps of the time of day
	zone   bool          // it keeps the offset (else the time is UTC)
}{
	{time.DateOnly, 24 * time.Hour, false},
	{time.RFC3339, time.Second, true},
	{time.RFC3339Nano, time.Nanosecond, true},
	{"2006-01-02T15:04:05", time.Second, false},
	{"2006-01-02T15:04:05.000", time.Millisecond, false},
	{"2006-01-02 15:04:05", time.Second, false},
	{"2006-01-02 15:04:05.999999999", time.Nanosecond, false},
	{"2006-01-02 15:04:05Z07:00", time.Second, true},
	{"2006-01-02T15:04:05Z0700", time.Second, true},
	{time.RFC1123Z, time.Second, true},
	{"January 2, 2006", 24 * time.Hour, false},
	{"Jan 2, 2006", 24 * time.Hour, false},
}

// FuzzParsePublished holds parsePublished to its contract:
//   - any instant of years 1 to 9999, at any offset, written in any
//     accepted form (publishedForms) and with white space around it, reads
//     back as the same instant to the form's precision, at the same
//     offset when the form has one, else in UTC;
//   - whatever the input, it is blank (the zero Time, bad ""), not
//     understood (the zero Time, bad = the input trimmed) or a time that
//     is never in the machine's Local zone, and UTC when its offset is 0.
func FuzzParsePublished(f *testing.F) {
	for _, s := range []string{"2025-03-12", "2022-04-19T00:05:47.193", "2022-04-19T00:05:47.193+02:00",
		"2022-04-19 00:05:47-05:30", "March 12, 2025", "Mar 12, 2025", "  2025-03-12\t", "", " ", "soon",
		"2025-02-30", "2025-03-12T25:00:00Z", "0001-01-01", "12/03/2025", "2025-03-12T00:00:00+00:00"} {
		f.Add(s, int64(0), uint8(0), int32(0))
	}
	f.Add("", int64(1741780800123456789), uint8(2), int32(3600))
	f.Add("", int64(-62135596800), uint8(1), int32(-12*3600))
	f.Add("", int64(253402300799), uint8(6), int32(14*3600-60))
	f.Fuzz(func(t *testing.T, s string, nanos int64, form uint8, offset int32) {
		got, bad := parsePublished(s)
		trimmed := strings.TrimSpace(s)
		switch {
		case trimmed == "":
			if !got.IsZero() || bad != "" {
				t.Fatalf("parsePublished(%q) = %v, %q; want nothing", s, got, bad)
			}
		case bad != "":
			if !got.IsZero() || bad != trimmed {
				t.Fatalf("parsePublished(%q) = %v, bad %q; want the zero Time and bad %q", s, got, bad, trimmed)
			}
		default:
			if got.Location() == time.Local && time.Local != time.UTC {
				t.Fatalf("parsePublished(%q) = %v, in the Local zone", s, got)
			}
			if _, off := got.Zone(); off == 0 && got.Location() != time.UTC {
				t.Fatalf("parsePublished(%q) = %v, offset 0 but not UTC", s, got)
			}
		}

		// An instant of years 1 to 9999 at an offset of whole minutes
		// under 24 hours (what the forms can write).
		form0 := publishedForms[int(form)%len(publishedForms)]
		const first, last = -62135596800, 253402300799 // 0001-01-01, 9999-12-31T23:59:59 UTC
		sec := first + (nanos/1e9%(last-first+1)+(last-first+1))%(last-first+1)
		off := int(offset) % (24 * 3600) / 60 * 60
		zone := time.FixedZone("", off)
		at := time.Unix(sec, (nanos%1e9+1e9)%1e9).In(zone)
		if at.Year() < 1 || at.Year() > 9999 {
			return
		}
		in := " " + at.Format(form0.layout) + "\n"
		back, bad := parsePublished(in)
		if bad != "" {
			t.Fatalf("parsePublished(%q) does not understand its own form %q", in, form0.layout)
		}
		// What the form writes: the wall clock truncated to its precision.
		wall := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), at.Second(), at.Nanosecond(), time.UTC)
		wall = wall.Truncate(form0.keep)
		want := wall
		if form0.zone {
			want = time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), zone)
		}
		if !back.Equal(want) {
			t.Fatalf("parsePublished(%q) = %v, want %v", in, back, want)
		}
		if _, o := back.Zone(); form0.zone && o != off || !form0.zone && back.Location() != time.UTC {
			t.Fatalf("parsePublished(%q) = %v, want offset %d", in, back, off)
		}
	})
}
