package extract

import (
	"slices"
	"strings"
	"testing"
)

// reOneLink is the definition of a line that is one Markdown link, as
// isLinkLine tested it before isOneLink.
var reOneLink = newLazyRegexp(`^\[[^\]]*\]\(\s*<?[^\s()]*(?:\([^\s()]*\)[^\s()]*)*>?\s*\)[\s.,;|·•–—-]*$`)

// The reference definitions below are the reference-list rules as they
// read before the cheap pre-checks and the single searches; the tests hold
// the fast forms to them.

func refIsLinkLine(s string) bool {
	if strings.HasPrefix(s, "[") && reOneLink.MatchString(s) {
		return true
	}
	if !strings.Contains(s, "://") && !strings.Contains(s, "www.") && !strings.Contains(s, "WWW.") && !strings.Contains(s, "Www.") {
		return false
	}
	urls := reURL.FindAllStringIndex(s, -1)
	if len(urls) == 0 {
		return false
	}
	linkLen := 0
	for _, m := range urls {
		linkLen += m[1] - m[0]
	}
	for _, m := range reLinkTarget.FindAllStringIndex(s, -1) {
		linkLen += m[1] - m[0]
	}
	rest := reLinkTarget.ReplaceAllString(s, "]")
	rest = reURL.ReplaceAllString(rest, " ")
	rest = reRefMarker.ReplaceAllString(rest, " ")
	words := countWords(rest)
	if words <= 2 {
		return true
	}
	return words <= 6 && 2*linkLen >= len(strings.Join(strings.Fields(s), ""))
}

func refCitationWord(s string) bool {
	for _, w := range [...]string{"etrieved", "ETRIEVED", "ccessed", "CCESSED", "viewed", "VIEWED", "onsulted", "ONSULTED", "rchived", "RCHIVED"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func refIsCitationLine(s string) bool {
	return refCitationWord(s) && countWords(s) <= 80 && reCitation.MatchString(s)
}

func refMayBeMarker(s string) bool {
	s = strings.TrimLeft(s, " \t")
	end := strings.IndexAny(s, " \t:»›→>|.")
	if end < 0 {
		end = len(s)
	}
	if end == 0 || end > 12 {
		return false
	}
	return markerWords[strings.ToLower(s[:end])]
}

// refListMarker is the list marker of a line as splitLines found it: the
// end of reListMarker's match, or -1.
func refListMarker(s string) int {
	if m := reListMarker.FindStringIndex(s); m != nil && m[1] < len(s) {
		return m[1]
	}
	return -1
}

// checkReferenceRules compares every fast reference-list rule, and the
// pre-checks of the line patterns, with their references on s.
func checkReferenceRules(t *testing.T, s string) {
	t.Helper()
	if got, want := isLinkLine(s), refIsLinkLine(s); got != want {
		t.Errorf("isLinkLine(%q) = %v, reference %v", s, got, want)
	}
	if got, want := citationWord(s), refCitationWord(s); got != want {
		t.Errorf("citationWord(%q) = %v, reference %v", s, got, want)
	}
	if got, want := isCitationLine(s), refIsCitationLine(s); got != want {
		t.Errorf("isCitationLine(%q) = %v, reference %v", s, got, want)
	}
	if got, want := findURLs(s), reURL.FindAllStringIndex(s, -1); len(got) != len(want) || len(got) > 0 && !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("findURLs(%q) = %v, reURL finds %v", s, got, want)
	}
	if got, want := findRefMarkers(s), reRefMarker.FindAllStringIndex(s, -1); len(got) != len(want) || len(got) > 0 && !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("findRefMarkers(%q) = %v, reRefMarker finds %v", s, got, want)
	}
	if got, want := isOneLink(s), reOneLink.MatchString(s); got != want {
		t.Errorf("isOneLink(%q) = %v, pattern %v", s, got, want)
	}
	if got, want := mayBeMarker(s), refMayBeMarker(s); got != want {
		t.Errorf("mayBeMarker(%q) = %v, reference %v", s, got, want)
	}
	// A pre-check may let a line through that the pattern rejects, never
	// the other way round.
	for _, p := range []struct {
		name string
		may  func(string) bool
		re   *lazyRegexp
	}{
		{"mayOpenList", mayOpenList, reListMarker},
		{"mayBeTOCTitle", mayBeTOCTitle, reTOCTitle},
		{"mayNameAgency", mayNameAgency, reAgency},
		{"mayOpenCredit", mayOpenCredit, reCreditStart},
		{"mayBeByline", mayBeByline, reByline},
	} {
		if p.re.MatchString(s) && !p.may(s) {
			t.Errorf("%s(%q) = false, but the pattern matches", p.name, s)
		}
	}
	got := -1
	if mayOpenList(s) {
		got = refListMarker(s)
	}
	if want := refListMarker(s); got != want {
		t.Errorf("list marker of %q: %d, reference %d", s, got, want)
	}
}

// referenceRuleCases reach the corners of the reference-list rules and
// the pattern pre-checks.
var referenceRuleCases = []string{
	"", "[", "[]()", "[Home](https://example.com)", "[Home](https://example.com) ·", "[Home](https://example.com).",
	"[Home](https://example.com)\v", "[a]( <x> )", "[a](x y)", "[a](x(y)z(w))", "[a](x((y)))", "[a](x(y z))",
	"[a](x(y)", "[a](x)y", "[a](x) ) ", "[a]]()", "[a] (x)", "[[a]](x)", "[a](\xff(\xfe))—", "[a](x)\xff", "[a](x)·•–—-",
	"[a](\tx\f)\r\n", "HTTPS://X", "httpſ://x", "HTTPſ://x", "xhttp://a", "_www.a", "<http://a>", "<<www.a>>", "http://",
	"http:// x", "www.", "ftp://a<b>c", "a.www.b", "éhttp://x", "1www.x", "https//x", "httpsx://y", "http://a>b http://c",
	"[1]", "[[1]]", "[[1]", "[1]]]", "[1234]", "[123]", "[[]", "[]", "[iv]", "[[XIV]]", "[ivxlcivx]", "[ivxlcivxl]", "[ab]",
	"^^", "[^1]", "[1[2]]", "[ⅰ]", "[\u0130]", "x[12]y[c]z^", "[[[1]]]", "[0]]", "[1a]",
	"<www.x", "< www.x", "see http://a.b/c(d) and www.e.f, then FTP://g\xffh", "http://\xff", "Ftp://x www.y/z<", "[a](x\v)", "[a](<x)", "[a](x>)", "[Home](<https://example.com/a(b)c>) | ", "[1] https://example.com/x",
	"[1] Smith, J. (2020). Title. Retrieved 12 March 2022", "[[iv]] see www.example.org and more words here",
	"Source: https://example.com/report", "https://a.example https://b.example one two three four",
	"Read [the report](https://example.com/r) and [the annex](https://example.com/a) on the site of the ministry today",
	"Visit WWW.EXAMPLE.COM now", "Www.example.com", "HTTPS://EXAMPLE.COM ^ note", "<https://example.com>",
	"Retrieved 12 March 2022.", "RETRIEVED FROM HTTPS://EXAMPLE.COM", "(accessed March 12, 2022)",
	"Archived from the original on 3 May 2021", "the files were retrieved on 12 March 2022", "viewed", "VIEWED",
	"ed", "d", "D", "consulted: 2022-03-12", "reviewed", "Retrieve", "retrievéd",
	"Related", "READ MORE »", "Related: talks resume", "Don’t miss", "Recommended›", "References", "  More on this story",
	"Bibliography:", "Works cited", "Sourcesandnotes", "Twelvecharss: x", "Thirteenchars: x", "ÀÉÎÕÜ related",
	"• item", "- item", "* item", "– item", "1. item", "12) item", "(3) item", "a. item", "b) item", "A. item",
	"► item", "> quote", "123. no", "ñ. item", "\u00a0• item", "•\u00a0item", "•",
	"Table of contents", "CONTENTS:", "In this story", "ın this story", "Contents of the report",
	"PAP/ Reuters/ Maciej Zieliński", "Author/author: TAS/KG", "Sources: CNN/PAP/Twitter", "AFP/Getty",
	"xAFP/y", "ſputnik/x", "SHUTTERSTOC\u212a/x", "a/ap", "cap/trap", "_ap/x", "épa/x", "1ap/x",
}

func TestReferenceRuleMatchesReference(t *testing.T) {
	for _, s := range append(referenceRuleCases, lineRuleCases...) {
		checkReferenceRules(t, s)
	}
}

// TestReferenceRuleMatchesReferenceOnBulk holds the fast rules to their
// references on every line and every block of the bulk dump.
func TestReferenceRuleMatchesReferenceOnBulk(t *testing.T) {
	links, citations := 0, 0
	for _, text := range bulkTexts(t) {
		for _, l := range joinWrapped(text, splitLines(text)) {
			checkReferenceRules(t, text[l.start:l.end])
		}
		for _, b := range plainBlocks(text) {
			checkReferenceRules(t, b.Text)
			if isLinkLine(b.Text) {
				links++
			}
			if isCitationLine(b.Text) {
				citations++
			}
		}
		if t.Failed() {
			return
		}
	}
	if links == 0 || citations == 0 {
		t.Errorf("%d link lines and %d citations in the bulk dump: the comparison does not reach the rules", links, citations)
	}
}

// FuzzReferenceRuleMatchesReference holds the fast reference-list rules to
// their references on any line.
func FuzzReferenceRuleMatchesReference(f *testing.F) {
	for _, s := range referenceRuleCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkReferenceRules(t, s)
	})
}
