package extract

import (
	"testing"
	"time"
)

// dateForms are forms pages write a publication date in, each with a time
// of day or a zone where the form has one.
var dateForms = [...]string{
	"2006-01-02", "2006-1-2", "2006/01/02", "2006.01.02", "2006-01-02T15:04:05-07:00",
	"2006-01-02 15:04", "20060102", "20060102T150405Z",
	time.RFC1123Z, time.RFC1123, time.ANSIC, "Mon, 2 Jan 2006 15:04:05 -0700",
	"January 2, 2006", "Jan 2, 2006", "2 January 2006", "2 Jan 2006",
	"Monday, January 2, 2006", "January 2, 2006 3:04 PM", "January 2 2006",
}

// FuzzParseDate holds parseDate (dates in HTML metadata) to its contract:
//   - whatever the input, the result is "" or a real calendar day, written
//     YYYY-MM-DD, of a year from 1990 to 2100;
//   - surrounding white space changes nothing;
//   - any day of those years, written in any of dateForms at any time of
//     day and in any zone, comes back as that day as written (an ISO date
//     in its own time zone), and a day outside them as "".
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2022-03-29T23:00:00-04:00", "2022-3-9", "2022-02-30", "20220101",
		"Tue, 29 Mar 2022 10:00:00 +0000", "March 29, 2022 10:00 AM", "29 March 2022", "1899-01-01",
		"", "soon", "2100-12-31", "2101-01-01", "1990-01-01T00:00:00+14:00", "9999/99/99", "Jan. 2, 2006"} {
		f.Add(s, int32(0), uint8(0), int32(0))
	}
	f.Add("", int32(11778), uint8(4), int32(-14*3600))
	f.Add("", int32(7304), uint8(9), int32(14*3600))
	f.Add("", int32(47846), uint8(13), int32(1))
	f.Add("", int32(-1), uint8(6), int32(86399))
	f.Fuzz(func(t *testing.T, s string, day int32, form uint8, secs int32) {
		got := parseDate(s)
		if got != "" {
			d, err := time.Parse("2006-01-02", got)
			if err != nil || d.Year() < 1990 || d.Year() > 2100 {
				t.Fatalf("parseDate(%q) = %q, not a day of 1990 to 2100", s, got)
			}
		}
		if padded := parseDate(" \t\n" + s + "\r\n "); padded != got {
			t.Fatalf("parseDate(%q) = %q, but %q with white space around it", s, got, padded)
		}

		// A day from 1970 on, a time of day and a zone of at most ±14 hours.
		want := time.Unix(int64(day)*86400, 0).UTC()
		zone := time.FixedZone("", int(secs%(14*3600+1))/60*60)
		at := time.Date(want.Year(), want.Month(), want.Day(), int(uint32(secs)/3600%24), int(uint32(secs)/60%60), int(uint32(secs)%60), 0, zone)
		layout := dateForms[int(form)%len(dateForms)]
		in := at.Format(layout)
		wantDay := at.Format("2006-01-02")
		if at.Year() < 1990 || at.Year() > 2100 {
			wantDay = ""
		}
		if got := parseDate(in); got != wantDay {
			t.Fatalf("parseDate(%q) (%s in form %q) = %q, want %q", in, at, layout, got, wantDay)
		}
	})
}
