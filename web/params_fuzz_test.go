package web

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"redline/compare"
	"redline/filter"
)

// paramNamed reports whether msg, the message of a refused URL, starts by
// naming one of the parameters v holds (or an unknown one, quoted), as
// every message readParams and readCompare write does.
func paramNamed(msg string, v url.Values) bool {
	for k := range v {
		if strings.HasPrefix(msg, "unknown parameter "+strconv.Quote(k)) {
			return true
		}
		for _, name := range []string{k, strings.ReplaceAll(k, "_", "-"), "--" + k} {
			if strings.HasPrefix(msg, name+" ") {
				return true
			}
		}
	}
	return false
}

// sameSpec reports whether two searches ask for the same claims: the same
// text and dates, the same values in each list.
func sameSpec(a, b filter.Spec) bool {
	for _, l := range [][2]string{{a.Party, b.Party}, {a.Kind, b.Kind}, {a.Topic, b.Topic}, {a.Outlet, b.Outlet}, {a.Speaker, b.Speaker}, {a.Target, b.Target}} {
		if !slices.Equal(filter.List(l[0]), filter.List(l[1])) {
			return false
		}
	}
	return a.Text == b.Text && a.Since == b.Since && a.Until == b.Until
}

func sameConf(a, b *float64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

var querySeeds = []string{
	"", "q=nato", "q=+nato+&party=russia&party=ukraine&kind=red_line", "page=2&limit=50", "page=501&limit=20", "page=0",
	"limit=101", "offset=10000", "offset=-1", "page=x", "min-confidence=0.5", "min_confidence=1.5", "min-confidence=&min_confidence=0.25",
	"colour=red", "party=&party=russia", "q=&q=nato", "since=2025-01&until=2024", "by=week&min-sources=3&series=russia%7Cnato",
	"by=day", "min_sources=0", "min-sources=1001", "topic=%2C%2C+nato+%2C&speaker=%20", "series=&series=a%7Cb", "%zz=1&page=2",
	"page=1;limit=2", "page=+3", "page=0x10", "limit=1&page=10001", "since=2025-13-01",
}

// FuzzReadParams holds readParams, given any query string (parsed as the
// server parses it), to its contract:
//   - a refused URL is a 400 whose message starts by naming the parameter;
//   - an accepted one has a page and a page size in range, an offset from 0
//     to MaxOffset that is the page's first claim unless offset is given,
//     a confidence bound that is absent or in [0, 1], and the query text
//     trimmed;
//   - the links the search page builds from it to the next and previous
//     page (cloneValues, page set) read back as the same search, one page
//     on or back.
func FuzzReadParams(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw) // as r.URL.Query() does
		p, err := readParams(v)
		if err != nil {
			var he *httpError
			if !errors.As(err, &he) || he.status != http.StatusBadRequest {
				t.Fatalf("readParams(%q): %v is not a 400", raw, err)
			}
			if !paramNamed(he.msg, v) {
				t.Fatalf("readParams(%q): %q does not name the parameter", raw, he.msg)
			}
			return
		}
		if p.page < 1 || p.page > MaxOffset+1 || p.size < 1 || p.size > MaxPageSize || p.offset < 0 || p.offset > MaxOffset {
			t.Fatalf("readParams(%q) = page %d, size %d, offset %d", raw, p.page, p.size, p.offset)
		}
		if v.Get("offset") == "" && p.offset != (p.page-1)*p.size {
			t.Fatalf("readParams(%q): page %d of %d starts at %d", raw, p.page, p.size, p.offset)
		}
		if p.minConf != nil && !(*p.minConf >= 0 && *p.minConf <= 1) {
			t.Fatalf("readParams(%q): min confidence %v", raw, *p.minConf)
		}
		if (p.minConf == nil) != (v.Get("min-confidence") == "" && v.Get("min_confidence") == "") {
			t.Fatalf("readParams(%q): min confidence %v", raw, p.minConf)
		}
		if p.spec.Text != strings.TrimSpace(p.spec.Text) || p.spec.Text != strings.TrimSpace(v.Get("q")) {
			t.Fatalf("readParams(%q): text %q", raw, p.spec.Text)
		}

		if v.Has("offset") {
			return // an API request: the page has no offset
		}
		for _, page := range []int{p.page - 1, p.page + 1} {
			if page < 1 || (page-1)*p.size > MaxOffset {
				continue
			}
			u := cloneValues(v)
			u.Set("page", strconv.Itoa(page))
			link := u.Encode()
			lv, err := url.ParseQuery(link)
			if err != nil {
				t.Fatalf("readParams(%q): link %q does not parse: %v", raw, link, err)
			}
			lp, err := readParams(lv)
			if err != nil || lp.page != page || lp.size != p.size || !sameConf(lp.minConf, p.minConf) || !sameSpec(lp.spec, p.spec) {
				t.Fatalf("readParams(%q) = %+v; its link to page %d, %q, reads as %+v, %v", raw, p, page, link, lp, err)
			}
		}
	})
}

// FuzzReadCompare holds readCompare, given any query string, to its
// contract:
//   - a refused URL is a 400 whose message starts by naming the parameter;
//   - an accepted one has lists without empty or padded values, a known
//     period, a until not before since, min sources from 1 to 1000, a
//     confidence bound absent or in [0, 1], and the series as given;
//   - the links the compare page builds from it to each series (cloneValues,
//     series set) read back as the same comparison of that series.
func FuzzReadCompare(f *testing.F) {
	for _, s := range querySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw)
		cr, err := readCompare(v)
		if err != nil {
			if status, msg := classify(err); status != http.StatusBadRequest || !paramNamed(msg, v) {
				t.Fatalf("readCompare(%q): %d %q, want a 400 naming the parameter", raw, status, msg)
			}
			return
		}
		q := cr.q
		for _, l := range [][]string{q.Party, q.Topic, q.Speaker, q.Target} {
			for _, s := range l {
				if s == "" || s != strings.TrimSpace(s) || strings.Contains(s, ",") {
					t.Fatalf("readCompare(%q): list value %q", raw, s)
				}
			}
		}
		if q.By != compare.ByMonth && q.By != compare.ByWeek && q.By != compare.ByQuarter {
			t.Fatalf("readCompare(%q): by %q", raw, q.By)
		}
		if !q.Since.IsZero() && !q.Until.IsZero() && q.Until.Before(q.Since) {
			t.Fatalf("readCompare(%q): until %v before since %v", raw, q.Until, q.Since)
		}
		if q.MinSources < 1 || q.MinSources > 1000 {
			t.Fatalf("readCompare(%q): min sources %d", raw, q.MinSources)
		}
		if cr.minConf != nil && !(*cr.minConf >= 0 && *cr.minConf <= 1) {
			t.Fatalf("readCompare(%q): min confidence %v", raw, *cr.minConf)
		}
		if cr.series != v.Get("series") {
			t.Fatalf("readCompare(%q): series %q", raw, cr.series)
		}

		for _, series := range []string{"russia|nato", cr.series + "|x"} {
			u := cloneValues(v)
			u.Set("series", series)
			link := u.Encode()
			lv, err := url.ParseQuery(link)
			if err != nil {
				t.Fatalf("readCompare(%q): link %q does not parse: %v", raw, link, err)
			}
			lc, err := readCompare(lv)
			if err != nil || lc.series != series || !sameConf(lc.minConf, cr.minConf) || !reflect.DeepEqual(lc.q, cr.q) {
				t.Fatalf("readCompare(%q) = %+v; its link to series %q, %q, reads as %+v, %v", raw, cr, series, link, lc, err)
			}
		}
	})
}

// TestPageLinksKeepEveryValue: a parameter whose first value was empty
// ("party=&party=russia", a search of russia) was left out of the links a
// page builds from its URL, so the next page, a facet or a series link
// searched without it (found by FuzzReadParams and FuzzReadCompare).
func TestPageLinksKeepEveryValue(t *testing.T) {
	v, err := url.ParseQuery("party=&party=russia&topic=&kind=&q=")
	if err != nil {
		t.Fatal(err)
	}
	got := cloneValues(v)
	if want := (url.Values{"party": {"", "russia"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("cloneValues(%v) = %v, want %v", v, got, want)
	}
	got.Set("page", "2")
	p, err := readParams(got)
	if err != nil || !slices.Equal(filter.List(p.spec.Party), []string{"russia"}) || p.page != 2 {
		t.Errorf("the next page link %q reads as %+v, %v", got.Encode(), p, err)
	}
}
