package filter

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFoldAndKinds(t *testing.T) {
	for _, tt := range []struct{ field, in, want string }{
		{"party", "Russia", "russia"},
		{"party", " United  States ", "united_states"},
		{"kind", "Red-Line", "red_line"},
		{"kind", "RED LINE", "red_line"},
		{"topic", "Security guarantees", "security_guarantees"},
		{"outlet", "  BBC   News ", "bbc news"},
		{"outlet", "Al-Monitor", "al-monitor"},
	} {
		if got := fold(tt.field, tt.in); got != tt.want {
			t.Errorf("fold(%s, %q) = %q, want %q", tt.field, tt.in, got, tt.want)
		}
	}
	for in, want := range map[string]string{"demand": "demand", "Demand": "demand", "red line": "red_line", "OFFER": "offer"} {
		if got, err := KindOf(in); err != nil || got != want {
			t.Errorf("KindOf(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	var fe *Error
	if _, err := KindOf("redline"); !errors.As(err, &fe) || !strings.Contains(err.Error(), "demand, red_line, offer") {
		t.Errorf("KindOf(redline): %v", err)
	}
}

func TestNearest(t *testing.T) {
	parties := []string{"european_union", "nato", "russia", "turkey", "ukraine", "united_states"}
	topics := []string{"black_sea", "ceasefire", "crimea", "energy", "security_guarantees", "territory"}
	outlets := []string{"BBC News", "Reuters", "The Harbour Post"}
	tests := []struct {
		field, v string
		known    []string
		want     []string
	}{
		{"party", "Rusia", parties, []string{"russia"}},
		{"party", "russ", parties, []string{"russia"}},
		{"party", "united", parties, []string{"united_states"}},
		{"party", "ukrain", parties, []string{"ukraine"}},
		{"party", "zzzzzz", parties, nil},
		{"topic", "territry", topics, []string{"territory"}},
		{"topic", "sea", topics, []string{"black_sea"}},
		{"topic", "security", topics, []string{"security_guarantees"}},
		{"outlet", "bbc", outlets, []string{"BBC News"}},
		{"outlet", "reuter", outlets, []string{"Reuters"}},
		{"outlet", "the harbor post", outlets, []string{"The Harbour Post"}},
	}
	for _, tt := range tests {
		if got := nearest(tt.field, tt.v, tt.known, 5); !slices.Equal(got, tt.want) {
			t.Errorf("nearest(%s, %q) = %q, want %q", tt.field, tt.v, got, tt.want)
		}
	}
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "abc", 3}, {"abc", "", 3}, {"russia", "rusia", 1}, {"kitten", "sitting", 3}, {"été", "ete", 2}, {"rusisa", "russia", 1}, {"serach", "search", 1}, {"ab", "ba", 1}} {
		if got := EditDistance(tt.a, tt.b); got != tt.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

func TestSpecQuery(t *testing.T) {
	q, err := Spec{Text: "nato", Party: "russia, Kremlin,", Kind: "Red Line", Since: "2025-02", Until: "2025-01-15"}.Query()
	if err == nil {
		t.Fatalf("until 2025-01-15 before since 2025-02: no error, query %+v", q)
	}
	q, err = Spec{Party: "russia, Kremlin,", Kind: "Red Line,offer", Since: "2025-01", Until: "2025-12-31"}.Query()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(q.Party, []string{"russia", "Kremlin"}) || !slices.Equal(q.Kind, []string{"red_line", "offer"}) || q.Since.Format("2006-01-02") != "2025-01-01" {
		t.Errorf("query %+v", q)
	}
	for _, bad := range []Spec{{Kind: "redline"}, {Since: "yesterday"}, {Until: "2025-13-01"}} {
		if _, err := bad.Query(); !IsError(err) {
			t.Errorf("%+v: error %v, want an *Error", bad, err)
		}
	}
	for _, tt := range []struct {
		in string
		ok bool
	}{{"0", true}, {"1", true}, {" 0.5", true}, {"-0.1", false}, {"1.5", false}, {"NaN", false}, {"x", false}, {"", false}} {
		if _, err := ParseConfidence(tt.in); (err == nil) != tt.ok {
			t.Errorf("ParseConfidence(%q): %v", tt.in, err)
		}
	}
}

// TestDateRangeUntilMonthOrYear: an until written as a month or a year runs
// to its last day, as a since runs from its first. It was the first day, so
// --until 2025-03 left out every claim of 2 to 31 March.
func TestDateRangeUntilMonthOrYear(t *testing.T) {
	for _, tt := range []struct{ since, until, wantSince, wantUntil string }{
		{"2025-01", "2025-03", "2025-01-01", "2025-03-31"},
		{"", "2024-02", "", "2024-02-29"},
		{"2024", "2024", "2024-01-01", "2024-12-31"},
		{"2025-03-15", "2025-03", "2025-03-15", "2025-03-31"},
		{"2025-01-01", "2025-03-15", "2025-01-01", "2025-03-15"},
	} {
		s, u, err := DateRange(tt.since, tt.until)
		if err != nil {
			t.Errorf("DateRange(%q, %q): %v", tt.since, tt.until, err)
			continue
		}
		day := func(d time.Time) string {
			if d.IsZero() {
				return ""
			}
			return d.Format("2006-01-02")
		}
		if day(s) != tt.wantSince || day(u) != tt.wantUntil {
			t.Errorf("DateRange(%q, %q) = %s, %s; want %s, %s", tt.since, tt.until, day(s), day(u), tt.wantSince, tt.wantUntil)
		}
	}
	if _, _, err := DateRange("2025-04", "2025-03"); !IsError(err) {
		t.Errorf("until 2025-03 before since 2025-04: error %v, want an *Error", err)
	}
}

// TestDateErrors: a date that cannot be read says what the filters read
// (a day, a month or a year), and one with the form of a day that the
// calendar lacks says so; white space around a date is no mistake. The
// message asked for YYYY-MM-DD alone, also of 2025-02-30, which has that
// form, and of 2025-13, which a month's form would not fix either.
func TestDateErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2025-02-30", `--since "2025-02-30": no such day (day out of range)`},
		{"2025-13", `--since "2025-13": no such day (month out of range)`},
		{"March 2025", `--since "March 2025": want a day as YYYY-MM-DD, a month as YYYY-MM or a year as YYYY`},
		{"2025/03/01", "want a day as YYYY-MM-DD, a month as YYYY-MM or a year as YYYY"},
	} {
		_, _, err := DateRange(tt.in, "")
		if !IsError(err) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DateRange(%q): %v, want %q", tt.in, err, tt.want)
		}
	}
	if s, _, err := DateRange(" 2025-03-01 ", ""); err != nil || s.Format("2006-01-02") != "2025-03-01" {
		t.Errorf("DateRange(\" 2025-03-01 \") = %v, %v", s, err)
	}
}
