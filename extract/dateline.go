package extract

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The dateline rule. A plain-text article often prints its date in a
// header line above the body ("April 12, 2026 | Gulf Wire", "Published: 3
// March 2022", "By Jane Roe, Example Times, Mar. 3, 2022"). readDateline
// reads that date, and nothing that merely mentions a date:
//
//   - The header zone is the first datelineLines non-empty lines, and it
//     ends before the first line that reads as body prose: a line of
//     datelineProseWords words or more that ends with a full stop (or a
//     full stop and a closing quote), or any line of more than
//     maxHeaderWords words. A date in the body, however early, is never
//     read.
//   - A dateline is at most datelineMaxLen bytes and holds one or two dates
//     (the first is taken: "Published March 3, 2022, updated March 4,
//     2022"). The rest of the line, split at separators (| · • — – , ; / :
//     parentheses, brackets, Markdown's * and _, " - "), may only be:
//     times of day and time zones ("12:30 GMT", "9 a.m. ET", "+03:00");
//     weekdays; the words of datelineLabels ("Published", "Updated", "Last updated", "Posted",
//     "on", "at"...); and short names, "By Jane Roe", "Example Times",
//     "Kyiv": at most 5 words a piece and 8 in all, every word capitalised
//     (or a connector such as "of", "the", "&"), no digits. A name never
//     shares a piece with the date ("Talks Resume in Geneva on March 3,
//     2022" is a headline, not a dateline), and a line with ?, ! or a
//     quotation mark is no dateline.
//   - Dates are written "March 3, 2022", "Mar. 3 2022", "Sept. 3rd, 2022",
//     "3 March 2022", "3rd of March, 2022", "2022-03-03" (a time may follow:
//     "2022-03-03T12:30:00Z"), "2022/03/03", "03.03.2022" (dots: day first,
//     the European convention) and "3/14/2022" or "14-03-2022" (slashes or
//     dashes: read only when one of the first two numbers is over 12 or
//     both are equal; "03/04/2022" cannot be read either way).
//   - A dateline whose date does not exist ("February 30, 2022",
//     "2022-13-03"), lies outside 1990–2100, or cannot be read
//     ("03/04/2022") gives that text as bad, for the caller to report as
//     other bad dates are; the first dateline decides, no later line is
//     tried.
//   - The outlet is taken only from a line of exactly two parts split by
//     "|", one the date alone (a time may follow it) and the other a
//     name of 1–5 words with no label, byline, digit or time zone in it:
//     "April 12, 2026 | Gulf Wire" and "Gulf Wire | April 12, 2026". In
//     any other shape ("By Jane Roe, Example Times, Mar. 3, 2022") a name
//     may be a person, a place or an outlet, and none is taken.
//
// The text is only read: no line is removed or changed.
const (
	datelineLines      = 6
	datelineMaxLen     = 120
	datelineProseWords = 8
	maxHeaderWords     = 30
	maxNameWords       = 5
	maxNamesWords      = 8
)

// monthPattern: full names before the abbreviations, "sept" before "sep",
// as the leftmost alternative wins.
const monthPattern = `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)`

// reDate finds the dates of a dateline in lower case (see dateForm);
// its groups, by form: 1–3 ISO year, month, day; 4–6 dotted day, month,
// year; 7–9 slashed or dashed first, second, year; 10–12 month, day, year;
// 13–15 day, month, year.
var reDate = newLazyRegexp(`\b(?:` +
	`(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:t\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?` +
	`|(\d{1,2})\.(\d{1,2})\.(\d{4})` +
	`|(\d{1,2})[/-](\d{1,2})[/-](\d{4})` +
	`|` + monthPattern + `(?:\.\s*|\s+)(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})` +
	`|(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthPattern + `\.?,?\s+(\d{4})` +
	`)\b`)

// reClock finds times of day and numeric time zones, which a dateline may
// carry beside its date.
var reClock = newLazyRegexp(`(?i)\b\d{1,2}(?::\d{2}){1,2}(?:\s*[ap]\.?m\b\.?)?|\b\d{1,2}\s*[ap]\.?m\b\.?|\b(?:utc|gmt)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}\b`)

// datelineLabels are the words a dateline may carry besides names, dates
// and times, in lower case.
var datelineLabels = setOf(
	"published", "updated", "update", "last", "first", "posted", "modified",
	"date", "dated", "on", "at", "created", "issued", "edited", "time",
	"local", "reviewed", "filed", "and",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
	"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
)

// timeZones are the zone abbreviations a dateline may carry after a time.
var timeZones = setOf(
	"UTC", "GMT", "Z", "ET", "EST", "EDT", "CT", "CST", "CDT", "MT", "MST", "MDT",
	"PT", "PST", "PDT", "BST", "CET", "CEST", "EET", "EEST", "WET", "WEST",
	"MSK", "IST", "JST", "KST", "AEST", "AEDT", "HKT", "SGT", "GST", "TRT",
)

// nameConnectors are the lower-case words a name may hold ("Bank of
// England", "Mail & Guardian", "Ursula von der Leyen").
var nameConnectors = setOf(
	"of", "the", "and", "&", "de", "da", "del", "der", "van", "von", "al", "la",
	"le", "for", "in", "du", "des", "bin", "y",
)

// dateMark stands in for a date in the rest of a dateline.
const dateMark = "\x00"

// readDateline returns the publication date ("2006-01-02") that a plain
// text prints in its header zone, or bad when a dateline's date cannot be
// read, and the outlet when the dateline's shape names one
// unambiguously. All are "" when the header has no dateline. See the rule
// above.
func readDateline(text string) (date, outlet, bad string) {
	seen := 0
	for rest := text; rest != "" && seen < datelineLines; {
		var ln string
		ln, rest, _ = strings.Cut(rest, "\n")
		ln = strings.TrimSpace(ln)
		if ln == "" {
			continue
		}
		seen++
		if isBodyProse(ln) {
			d, b, _ := wireDateline(ln)
			return d, "", b
		}
		if len(ln) > datelineMaxLen || !hasYear(ln) {
			continue
		}
		if d, o, b, ok := parseDateline(ln); ok {
			return d, o, b
		}
	}
	return "", "", ""
}

// wireDateline reads the date of a wire-style opening of the body's first
// paragraph: a place, the date and perhaps the agency, then a dash
// ("ISTANBUL, July 24, 2022 (Harbourline News) — Turkey said…"). The part
// before the first dash must itself be a dateline (parseDateline): names,
// the date, labels and times only, so "Talks resumed on March 3, 2022 —
// and" is not one. The agency in parentheses is not the outlet (a paper
// prints the wire's story under its own name), so none is taken.
func wireDateline(ln string) (date, bad string, ok bool) {
	i := -1
	for _, dash := range []string{"—", "–", " - ", " -- "} {
		if k := strings.Index(ln, dash); k > 0 && (i < 0 || k < i) {
			i = k
		}
	}
	if i < 0 || i > datelineMaxLen {
		return "", "", false
	}
	head := strings.TrimSpace(ln[:i])
	if !hasYear(head) {
		return "", "", false
	}
	d, _, b, ok := parseDateline(head)
	if !ok {
		return "", "", false
	}
	return d, b, true
}

// isBodyProse reports a line that reads as the body's first paragraph.
func isBodyProse(s string) bool {
	w := countWordsUpTo(s, maxHeaderWords+1)
	if w > maxHeaderWords {
		return true
	}
	if w < datelineProseWords {
		return false
	}
	s = strings.TrimRight(s, "”’\"' ")
	return strings.HasSuffix(s, ".")
}

// hasYear reports four digits in a row: no dateline lacks them, and most
// header lines do, so the expressions run on few lines.
func hasYear(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if n++; n == 4 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

// parseDateline reads one line as a dateline; ok is false when the line
// is not one.
func parseDateline(ln string) (date, outlet, bad string, ok bool) {
	if strings.ContainsAny(ln, "?!\"“”«»") {
		return "", "", "", false
	}
	// The expression matches lower case only: folding case inside it cost
	// three times as much.
	ms := reDate.compile().FindAllStringSubmatchIndex(dateForm(ln), 3)
	if len(ms) == 0 || len(ms) > 2 {
		return "", "", "", false
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(ln[last:m[0]])
		b.WriteString(" " + dateMark + " ")
		last = m[1]
	}
	b.WriteString(ln[last:])
	if !datelineRest(b.String()) {
		return "", "", "", false
	}
	date = matchedDate(ln, ms[0])
	if date == "" {
		return "", "", ln[ms[0][0]:ms[0][1]], true
	}
	if len(ms) == 1 {
		outlet = datelineOutlet(ln, ms[0])
	}
	return date, outlet, "", true
}

// dateForm is s as reDate reads it: ASCII letters in lower case and "_"
// (Markdown's emphasis, a word character to \b) as a space, every byte at
// its place (strings.ToLower may change the length of other letters).
func dateForm(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case 'A' <= c && c <= 'Z':
			b[i] = c + 'a' - 'A'
		case c == '_':
			b[i] = ' '
		}
	}
	return string(b)
}

// datelineRest reports whether what a line holds besides its dates (each
// replaced by dateMark) is what a dateline may hold.
func datelineRest(rest string) bool {
	if strings.ContainsAny(rest, "0123456789") {
		rest = reClock.ReplaceAllString(rest, " ")
	}
	rest = strings.ReplaceAll(rest, " - ", "|")
	names := 0
	for _, piece := range strings.FieldsFunc(rest, isDatelineSeparator) {
		words := strings.Fields(piece)
		hasDate := false
		var nameWords []string
		for _, w := range words {
			if w == dateMark {
				hasDate = true
				continue
			}
			t := strings.Trim(w, ".")
			if datelineLabels[strings.ToLower(t)] || timeZones[t] {
				continue
			}
			if strings.EqualFold(t, "by") {
				continue
			}
			nameWords = append(nameWords, w)
		}
		if len(nameWords) == 0 {
			continue
		}
		if hasDate || len(nameWords) > maxNameWords {
			return false
		}
		for _, w := range nameWords {
			if !isNameWord(w) {
				return false
			}
		}
		if names += len(nameWords); names > maxNamesWords {
			return false
		}
	}
	return true
}

// isDatelineSeparator reports the runes that split a dateline's pieces.
func isDatelineSeparator(r rune) bool {
	// Markdown's emphasis marks too: "**Published:** March 3, 2022".
	return strings.ContainsRune("|·•—–,;/:()[]*_", r)
}

// isNameWord reports a word of a name: capitalised, or a connector, with
// no digit in it.
func isNameWord(w string) bool {
	if nameConnectors[w] {
		return true
	}
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	return strings.IndexFunc(w, unicode.IsDigit) < 0
}

// matchedDate is the date of match m of reDate in s, as "2006-01-02", or
// "" when it names no day (February 30), lies outside 1990–2100, or is
// ambiguous (03/04/2022).
func matchedDate(s string, m []int) string {
	g := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return s[m[2*i]:m[2*i+1]]
	}
	var y, mo, d int
	switch {
	case g(1) != "":
		y, mo, d = atoi(g(1)), atoi(g(2)), atoi(g(3))
	case g(4) != "":
		d, mo, y = atoi(g(4)), atoi(g(5)), atoi(g(6))
	case g(7) != "":
		a, b := atoi(g(7)), atoi(g(8))
		switch {
		case a > 12 && b <= 12:
			d, mo = a, b
		case b > 12 && a <= 12:
			mo, d = a, b
		case a == b:
			d, mo = a, b
		default:
			return ""
		}
		y = atoi(g(9))
	case g(10) != "":
		mo, d, y = monthNumber(g(10)), atoi(g(11)), atoi(g(12))
	default:
		d, mo, y = atoi(g(13)), monthNumber(g(14)), atoi(g(15))
	}
	if y < 1990 || y > 2100 || mo < 1 || mo > 12 || d < 1 {
		return ""
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return ""
	}
	return t.Format("2006-01-02")
}

// atoi reads the few digits reDate matched; any other rune gives -1.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || n > 99999 {
			return -1
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// monthNumber is the number of a month name or its abbreviation matched by
// monthPattern.
func monthNumber(name string) int {
	switch strings.ToLower(name)[:3] {
	case "jan":
		return 1
	case "feb":
		return 2
	case "mar":
		return 3
	case "apr":
		return 4
	case "may":
		return 5
	case "jun":
		return 6
	case "jul":
		return 7
	case "aug":
		return 8
	case "sep":
		return 9
	case "oct":
		return 10
	case "nov":
		return 11
	case "dec":
		return 12
	}
	return 0
}

// datelineOutlet is the outlet of a dateline "date | Outlet" or "Outlet |
// date" whose date is match m, or "" in any other shape.
func datelineOutlet(ln string, m []int) string {
	parts := strings.Split(ln, "|")
	if len(parts) != 2 {
		return ""
	}
	before, after := strings.TrimSpace(ln[:m[0]]), strings.TrimSpace(ln[m[1]:])
	var name string
	switch {
	case after == "" && strings.HasSuffix(before, "|"):
		name = strings.TrimSpace(before[:len(before)-1])
	case before == "":
		// A time may follow the date: "April 12, 2026 12:30 GMT | Gulf Wire".
		var clock string
		clock, name, _ = strings.Cut(after, "|")
		name = strings.TrimSpace(name)
		for _, w := range strings.Fields(reClock.ReplaceAllString(clock, " ")) {
			if !timeZones[w] {
				return ""
			}
		}
	default:
		return ""
	}
	words := strings.Fields(name)
	if len(words) == 0 || len(words) > maxNameWords || strings.ContainsAny(name, ",;:()[]·•—–/*_") {
		return ""
	}
	for _, w := range words {
		t := strings.Trim(w, ".")
		if !isNameWord(w) || datelineLabels[strings.ToLower(t)] || timeZones[t] || strings.EqualFold(t, "by") {
			return ""
		}
	}
	if r, _ := utf8.DecodeRuneInString(name); !unicode.IsUpper(r) {
		return ""
	}
	return name
}
