// Package filter reads the claim filters an analyst writes (party, kind,
// topic and outlet values in any case, parties also by name, dates, a
// confidence bound) and binds them to the index they will run on: an
// index.Query for search and export (Bind), a compare.Query for compare
// (BindCompare). A value the index has never seen is an *Error that names
// the nearest ones.
//
// It is its own package because two front ends take the same filters and
// must read them the same way: the command line (cmd/redline, from flags)
// and the web workbench (package web, from URL parameters). Package index
// stays free of the lexicon (package extract) this needs for party names.
package filter

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"redline/compare"
	"redline/extract"
	"redline/index"
)

// Error is a filter value that cannot be read or that the index does not
// know: bad input, which the command line reports as a usage error (exit
// 2) and the web API as 400. Its message names the value and, for an
// unknown value, the nearest ones the index holds.
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

// Errorf returns an *Error.
func Errorf(format string, args ...any) error {
	return &Error{msg: fmt.Sprintf(format, args...)}
}

// IsError reports whether err is or wraps an *Error.
func IsError(err error) bool {
	var fe *Error
	return errors.As(err, &fe)
}

// Spec is the filters as written: comma-separated lists, dates as text.
// Names are the flag names of the command line ("--party"), which the web
// API takes as parameter names ("party=").
type Spec struct {
	Text                       string // the query text (see index.Query.Text)
	Party, Kind, Topic, Outlet string // comma-separated values, any case
	Speaker, Target            string // comma-separated values, any case
	Since, Until               string // YYYY-MM-DD, YYYY-MM or YYYY; "" = open
}

// Query reads s without the index: it splits the lists, checks the kinds
// (they are fixed) and parses the dates. Bind completes the query against
// the index.
func (s Spec) Query() (index.Query, error) {
	q := index.Query{Text: s.Text, Party: List(s.Party), Kind: List(s.Kind), Topic: List(s.Topic), Outlet: List(s.Outlet),
		Speaker: List(s.Speaker), Target: List(s.Target)}
	var err error
	for i, k := range q.Kind {
		if q.Kind[i], err = KindOf(k); err != nil {
			return q, err
		}
	}
	q.Since, q.Until, err = DateRange(s.Since, s.Until)
	return q, err
}

// DateRange parses --since and --until; until before since is an error.
// Both are inclusive: an until written as a month (2025-03) or a year
// (2025) is its last day, so --since 2025-01 --until 2025-03 is the whole
// first quarter, not January, February and 1 March.
func DateRange(since, until string) (s, u time.Time, err error) {
	if s, _, err = dateSpan("--since", since); err != nil {
		return s, u, err
	}
	if _, u, err = dateSpan("--until", until); err != nil {
		return s, u, err
	}
	if !s.IsZero() && !u.IsZero() && u.Before(s) {
		return s, u, Errorf("--until %s is before --since %s", until, since)
	}
	return s, u, nil
}

// List splits a comma-separated list, dropping empty items and spaces
// around each.
func List(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Date parses a date written as YYYY-MM-DD, YYYY-MM or YYYY (the first
// day); "" is the zero time. name names the input in the error.
func Date(name, s string) (time.Time, error) {
	first, _, err := dateSpan(name, s)
	return first, err
}

// dateLayouts are the forms Date reads, each with the length of the span
// it names (a day, a month, a year).
var dateLayouts = []struct {
	layout              string
	years, months, days int
}{
	{"2006-01-02", 0, 0, 1},
	{"2006-01", 0, 1, 0},
	{"2006", 1, 0, 0},
}

// dateSpan reads s as Date does and returns the first and the last day of
// the span it names; both zero for "".
func dateSpan(name, s string) (first, last time.Time, err error) {
	v := strings.TrimSpace(s)
	if v == "" {
		return first, last, nil
	}
	for _, l := range dateLayouts {
		t, err := time.Parse(l.layout, v)
		if err == nil {
			return t, t.AddDate(l.years, l.months, l.days-1), nil
		}
		var pe *time.ParseError
		if errors.As(err, &pe) && strings.Contains(pe.Message, "out of range") {
			// 2025-02-30 has the form of a date but is none: say so
			// rather than ask for the form it has.
			return first, last, Errorf("%s %q: no such day (%s)", name, s, strings.TrimPrefix(pe.Message, ": "))
		}
	}
	return first, last, Errorf("%s %q: want a day as YYYY-MM-DD, a month as YYYY-MM or a year as YYYY", name, s)
}

// ParseConfidence reads a confidence bound: a number in [0, 1].
func ParseConfidence(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
		return 0, errors.New("want a number from 0 to 1")
	}
	return v, nil
}

// MinConfidence is the confidence bound of a reading command: *given when
// not nil, else the min confidence recorded with the index's model, else 0.
// byDefault tells that the bound came from the index and hides claims.
func MinConfidence(ix *index.Index, given *float64) (v float64, byDefault bool, err error) {
	if given != nil {
		return *given, false, nil
	}
	m, ok, err := ix.Model()
	if err != nil || !ok {
		return 0, false, err
	}
	return m.MinConfidence, m.MinConfidence > 0, nil
}

// Bind completes q against the index it will run on: the confidence bound
// (see MinConfidence; byDefault tells the index's default hides claims),
// the filter values mapped to the values the index holds (a value it has
// never seen is an *Error), and the same mapping for party:, kind:, topic:
// and outlet: values in the query text (q.Resolve). lex names the parties
// (see NewResolver).
func Bind(ix *index.Index, q *index.Query, minConf *float64, lex *extract.Lexicon) (byDefault bool, err error) {
	if q.MinConfidence, byDefault, err = MinConfidence(ix, minConf); err != nil {
		return false, err
	}
	r := NewResolver(ix, lex)
	if err := r.flags(flagValues{"party", &q.Party}, flagValues{"kind", &q.Kind}, flagValues{"topic", &q.Topic},
		flagValues{"outlet", &q.Outlet}, flagValues{"speaker", &q.Speaker}, flagValues{"target", &q.Target}); err != nil {
		return false, err
	}
	q.Resolve = r.Resolve
	return byDefault, nil
}

// BindCompare completes a comparison's query as Bind does a search's: the
// confidence bound and the filter values mapped to those the index holds.
func BindCompare(ix *index.Index, q *compare.Query, minConf *float64, lex *extract.Lexicon) (err error) {
	if q.MinConfidence, _, err = MinConfidence(ix, minConf); err != nil {
		return err
	}
	return NewResolver(ix, lex).flags(flagValues{"party", &q.Party}, flagValues{"topic", &q.Topic},
		flagValues{"speaker", &q.Speaker}, flagValues{"target", &q.Target})
}
