package extract

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"redline/corpus"
)

// body is a paragraph of prose that ends the header zone.
const body = "Negotiators met in Geneva on Tuesday for a second round of talks on a ceasefire, officials said.\n"

func TestReadDateline(t *testing.T) {
	for _, c := range []struct {
		name, text        string
		date, outlet, bad string
	}{
		// Datelines.
		{"date pipe outlet", "Talks Open in Muscat\n\nApril 12, 2026 | Gulf Wire\n\n" + body, "2026-04-12", "Gulf Wire", ""},
		{"outlet pipe date", "Talks Open\nGulf Wire | April 12, 2026\n" + body, "2026-04-12", "Gulf Wire", ""},
		{"published label european", "Title\nPublished: 3 March 2022\n" + body, "2022-03-03", "", ""},
		{"updated time zone", "Title\nUpdated 12:30 GMT, March 3, 2022\n" + body, "2022-03-03", "", ""},
		{"byline outlet abbreviation", "Title\nBy Jane Roe, Example Times, Mar. 3, 2022\n" + body, "2022-03-03", "", ""},
		{"iso", "Title\n2022-03-03\n" + body, "2022-03-03", "", ""},
		{"iso with time", "Title\nPosted 2022-03-03T12:30:00Z\n" + body, "2022-03-03", "", ""},
		{"iso slashes", "Title\n2022/03/03 | Kyiv Post\n" + body, "2022-03-03", "Kyiv Post", ""},
		{"weekday us time", "Title\nThursday, March 3, 2022 10:00 a.m. ET\n" + body, "2022-03-03", "", ""},
		{"weekday european", "Title\nThu 3 Mar 2022 09:15 BST\n" + body, "2022-03-03", "", ""},
		{"ordinal of", "Title\nPublished on the 3rd of March, 2022\n" + body, "", "", ""},
		{"ordinal", "Title\n3rd of March, 2022\n" + body, "2022-03-03", "", ""},
		{"sept dot", "Title\nSept. 14, 2022 — Reuters\n" + body, "2022-09-14", "", ""},
		{"place dateline", "Title\nKYIV, Ukraine, March 3, 2022\n" + body, "2022-03-03", "", ""},
		{"dotted european", "Title\n15.05.2025\n" + body, "2025-05-15", "", ""},
		{"slashed day over 12", "Title\n14/03/2022\n" + body, "2022-03-14", "", ""},
		{"slashed us month first", "Title\n3/14/2022\n" + body, "2022-03-14", "", ""},
		{"numeric zone offset", "Title\nMarch 3, 2022 14:05 +03:00\n" + body, "2022-03-03", "", ""},
		{"published and updated", "Title\nPublished March 3, 2022, updated March 4, 2022\n" + body, "2022-03-03", "", ""},
		{"date pipe time pipe", "Title\nApril 12, 2026 12:30 GMT | Gulf Wire\n" + body, "2026-04-12", "Gulf Wire", ""},
		{"sixth line", "A\nB\nC\nD\nE\nMarch 3, 2022\n" + body, "2022-03-03", "", ""},
		{"markdown emphasis", "# Title\n\n**Published:** _March 3, 2022_\n\n" + body, "2022-03-03", "", ""},
		{"markdown no outlet", "# Title\n\n*April 12, 2026 | Gulf Wire*\n\n" + body, "2026-04-12", "", ""},
		{"crlf", "Title\r\n\r\nApril 12, 2026 | Gulf Wire\r\n\r\n" + body, "2026-04-12", "Gulf Wire", ""},
		{"wire opening", "Title\n\nISTANBUL, July 24, 2022 (Harbourline News) — Turkey said the corridor would reopen next week.\n" + body, "2022-07-24", "", ""},
		{"wire opening en dash", "Title\nKyiv, Ukraine, March 3, 2022 – Ukraine said it was ready to talk as long as Russia withdrew.\n", "2022-03-03", "", ""},
		{"wire opening hyphen", "Title\nMOSCOW, Mar. 3, 2022 (Wire Service) - Russia said it was ready to talk about the grain corridor.\n", "2022-03-03", "", ""},
		{"wire opening bad date", "Title\nMOSCOW, February 30, 2022 — Russia said it was ready to talk about the grain corridor.\n", "", "", "February 30, 2022"},
		// Bad dates in dateline shape.
		{"no such day", "Title\nFebruary 30, 2022 | Gulf Wire\n" + body, "", "", "February 30, 2022"},
		{"no such month", "Title\nPublished 2022-13-03\n" + body, "", "", "2022-13-03"},
		{"ambiguous order", "Title\n03/04/2022\n" + body, "", "", "03/04/2022"},
		{"year out of range", "Title\nMarch 3, 1890\n" + body, "", "", "March 3, 1890"},
		// Near misses.
		{"prose sentence", "Title\ntalks began on March 29, 2022.\n" + body, "", "", ""},
		{"prose with a dash", "Title\nTalks resumed on March 3, 2022 — and Russia said it was ready to withdraw.\n" + body, "", "", ""},
		{"wire opening without a year", "Title\nMOSCOW, March 3 (Wire Service) — Russia said it was ready to talk about the grain corridor.\n", "", "", ""},
		{"wire opening in the second paragraph", "Title\n" + body + "MOSCOW, March 3, 2022 — Russia said it was ready to talk about the grain corridor.\n", "", "", ""},
		{"dash far into the sentence", "Title\nRussia said on March 3, 2022 that it was ready to talk, and Ukraine agreed — for now.\n", "", "", ""},
		{"prose starting capital", "Title\nOn March 3, 2022, Russia said it would withdraw.\n" + body, "", "", ""},
		{"headline with date", "Talks Resume in Geneva on March 3, 2022\n" + body, "", "", ""},
		{"fifth paragraph", "Title\n\n" + body + body + body + body + "March 3, 2022\n" + body, "", "", ""},
		{"seventh line", "A\nB\nC\nD\nE\nF\nMarch 3, 2022\n" + body, "", "", ""},
		{"after the body starts", "Title\n" + body + "April 12, 2026 | Gulf Wire\n", "", "", ""},
		{"quotation", "Title\n\"March 3, 2022\"\n" + body, "", "", ""},
		{"question", "Title\nMarch 3, 2022?\n" + body, "", "", ""},
		{"lower-case words", "Title\nas of March 3, 2022 | Gulf Wire\n" + body, "", "", ""},
		{"three dates", "Title\nMarch 3, 2022 | March 4, 2022 | March 5, 2022\n" + body, "", "", ""},
		{"year alone", "Title\n2022 | Gulf Wire\n" + body, "", "", ""},
		{"month and year", "Title\nMarch 2022 | Gulf Wire\n" + body, "", "", ""},
		{"long line", "Title\nMarch 3, 2022 | " + strings.Repeat("Gulf Wire ", 13) + "\n" + body, "", "", ""},
		{"too many names", "Title\nMarch 3, 2022 | Alpha Beta Gamma Delta Epsilon Zeta\n" + body, "", "", ""},
		{"digits in name", "Title\nMarch 3, 2022 | Page 12\n" + body, "", "", ""},
		{"no header", body + "March 3, 2022\n", "", "", ""},
		{"empty", "", "", "", ""},
		// No outlet from an ambiguous shape.
		{"byline pipe", "Title\nBy Jane Roe | March 3, 2022\n" + body, "2022-03-03", "", ""},
		{"label pipe", "Title\nMarch 3, 2022 | Updated\n" + body, "2022-03-03", "", ""},
		{"two pipes", "Title\nMarch 3, 2022 | Gulf Wire | Kyiv\n" + body, "2022-03-03", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			date, outlet, bad := readDateline(c.text)
			if date != c.date || outlet != c.outlet || bad != c.bad {
				t.Errorf("readDateline = (%q, %q, %q), want (%q, %q, %q)", date, outlet, bad, c.date, c.outlet, c.bad)
			}
		})
	}
}

// TestTextDateline checks where the dateline stands among the document's
// own metadata: it fills only what the document leaves empty, and leaves
// the text and its blocks as they were.
func TestTextDateline(t *testing.T) {
	const text = "Talks Open in Muscat\n\nApril 12, 2026 | Gulf Wire\n\n" + body
	own := time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name                       string
		doc                        corpus.Document
		published, outlet, badDate string
	}{
		{"text alone", corpus.Document{Text: text}, "2026-04-12", "Gulf Wire", ""},
		{"own date wins", corpus.Document{Text: text, Published: own}, "2026-04-10", "Gulf Wire", ""},
		{"own outlet wins", corpus.Document{Text: text, Outlet: "Harbor Daily"}, "2026-04-12", "Harbor Daily", ""},
		{"url date wins", corpus.Document{Text: text, URL: "https://example.com/2026/04/11/talks"}, "2026-04-11", "example.com", ""},
		{"bad dateline", corpus.Document{Text: "Title\nFebruary 30, 2026\n" + body}, "", "", "February 30, 2026"},
		{"bad dateline, own date", corpus.Document{Text: "Title\nFebruary 30, 2026\n" + body, Published: own}, "2026-04-10", "", ""},
		{"html page ignores text datelines", corpus.Document{HTML: "<html><body><article><p>April 12, 2026 | Gulf Wire</p><p>" + body + "</p></article></body></html>"}, "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, err := Text(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			if a.Published != c.published || a.Outlet != c.outlet || a.BadPublished != c.badDate {
				t.Errorf("Text: published %q, outlet %q, bad %q; want %q, %q, %q", a.Published, a.Outlet, a.BadPublished, c.published, c.outlet, c.badDate)
			}
		})
	}
	// The dateline is read, never cut: the blocks are those of the text
	// without any date.
	with, err := Text(corpus.Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := with.Blocks, plainBlocks(text); len(got) != len(want) || got[1] != want[1] || with.Text != text {
		t.Errorf("blocks changed by the dateline: %+v, want %+v", got, want)
	}
}

var reDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// FuzzReadDateline checks the dateline reader on any text: it never
// panics; a date is a real day of 1990–2100 and comes with no bad value;
// the outlet and the bad value are text of the header as written; and
// nothing past the header zone is read.
func FuzzReadDateline(f *testing.F) {
	for _, s := range []string{
		"Title\n\nApril 12, 2026 | Gulf Wire\n\n" + body,
		"Published: 3 March 2022\n",
		"Updated 12:30 GMT, March 3, 2022",
		"By Jane Roe, Example Times, Mar. 3, 2022",
		"2022-03-03T12:30:00+03:00 | X",
		"03/04/2022\n14.13.2022\n",
		"February 30, 2022",
		"talks began on March 29, 2022.",
		"\x00 March 3, 2022 \x00",
		"Sept. 31st, 2022 | A | B",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		date, outlet, bad := readDateline(text)
		if date != "" {
			if bad != "" {
				t.Fatalf("date %q and bad %q both set", date, bad)
			}
			d, err := time.Parse("2006-01-02", date)
			if err != nil || !reDay.MatchString(date) || d.Year() < 1990 || d.Year() > 2100 {
				t.Fatalf("date %q is no day of 1990–2100", date)
			}
		}
		if outlet != "" && (date == "" || !strings.Contains(text, outlet)) {
			t.Fatalf("outlet %q without a date or not in the text", outlet)
		}
		if bad != "" && !strings.Contains(text, bad) {
			t.Fatalf("bad %q not in the text", bad)
		}
		// A body paragraph first ends the header zone before it starts.
		if d, o, b := readDateline(body + text); d != "" || o != "" || b != "" {
			t.Fatalf("read past the body: (%q, %q, %q)", d, o, b)
		}
	})
}

// BenchmarkReadDateline measures the dateline reader on a header with a
// dateline and on one without (the common case: no line of the header
// holds a year, and no expression runs).
func BenchmarkReadDateline(b *testing.B) {
	plain := readFixture(b, "plain.txt")
	for _, c := range []struct{ name, text string }{
		{"dateline", "Ceasefire Talks Stall\n\nApril 12, 2026 | Gulf Wire\n\n" + plain},
		{"none", plain},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				readDateline(c.text)
			}
		})
	}
}
