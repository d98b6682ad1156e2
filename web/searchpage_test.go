package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// chipTexts returns the text of each filter chip of a search page but
// "clear all", and of the values in it marked unknown.
func chipTexts(t *testing.T, body string) (chips, unknown []string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range find(doc, func(n *html.Node) bool { return hasClass(n, "chip") && !hasClass(n, "clear") }) {
		chips = append(chips, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(textOf(c)), "×")))
		for _, u := range find(c, func(n *html.Node) bool { return hasClass(n, "unknown") }) {
			unknown = append(unknown, textOf(u))
		}
	}
	return chips, unknown
}

// TestChipsNameResolvedParty: a filter chip shows a party by the display
// name, in the served index's lexicon, of the party the value resolved to
// (Tehran is Iran in the nuclear lexicon, moscow is Russia in the
// built-in one, a target Kyiv is Ukraine), and a value neither the index
// nor its lexicon knows stays as typed, visibly marked unknown. The chips
// showed the values as typed ("party: Tehran", "party: moscow"), so the
// reader could not tell which party the search was of.
func TestChipsNameResolvedParty(t *testing.T) {
	nuclear := newServer(t, Options{Dir: nuclearIndex(t)})
	sample := newServer(t, Options{Dir: sampleIndex(t)})
	for _, tt := range []struct {
		name    string
		nuclear bool
		path    string
		chips   []string
		unknown []string
	}{
		{"alias of another lexicon", true, "/?min_confidence=0&party=Tehran", []string{"party: Iran", "min_confidence: 0"}, nil},
		{"id in any case", true, "/?party=E3&min_confidence=0", []string{"party: E3", "min_confidence: 0"}, nil},
		{"alias in lower case", false, "/?party=moscow", []string{"party: Russia"}, nil},
		{"two values, one unknown", false, "/?party=moscow,narnia", []string{"party: Russia, narnia (unknown)"}, []string{"narnia (unknown)"}},
		{"target by a capital", false, "/?target=Kyiv&kind=demand", []string{"kind: demand", "target: Ukraine"}, nil},
		{"unknown target", false, "/?target=Atlantis", []string{"target: Atlantis (unknown)"}, []string{"Atlantis (unknown)"}},
		{"other filters as typed", false, "/?topic=territory&party=russia", []string{"party: Russia", "topic: territory"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ts := sample
			if tt.nuclear {
				ts = nuclear
			}
			_, _, body := get(t, ts, tt.path)
			chips, unknown := chipTexts(t, body)
			if strings.Join(chips, "|") != strings.Join(tt.chips, "|") {
				t.Errorf("GET %s: chips %q, want %q", tt.path, chips, tt.chips)
			}
			if strings.Join(unknown, "|") != strings.Join(tt.unknown, "|") {
				t.Errorf("GET %s: values marked unknown %q, want %q", tt.path, unknown, tt.unknown)
			}
		})
	}
}

// TestTargetNamedAsParty: a claim's target shows, on the search cards and
// in the article view, by the lexicon's name of the party, as the claim's
// own party does ("Ukraine", "Russia"). It showed the party's id
// ("ukraine", "united_states") beside the party badge's name.
func TestTargetNamedAsParty(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	var res searchResult
	getJSON(t, ts, "/api/search?min_confidence=0&target=ukraine&limit=1", http.StatusOK, &res)
	if len(res.Hits) == 0 {
		t.Fatal("no claim targets Ukraine in the sample index")
	}
	for _, path := range []string{"/?min_confidence=0&target=ukraine", "/article/" + url.PathEscape(res.Hits[0].DocID) + "?min_confidence=0"} {
		_, _, body := get(t, ts, path)
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var targets []string
		for _, div := range find(doc, func(n *html.Node) bool {
			return n.Data == "div" && n.FirstChild != nil && n.FirstChild.Data == "dt" && textOf(n.FirstChild) == "target"
		}) {
			targets = append(targets, textOf(div.LastChild))
		}
		if !slices.Contains(targets, "Ukraine") {
			t.Errorf("GET %s: targets %q, want Ukraine among them", path, targets)
		}
		for _, x := range targets {
			if x == strings.ToLower(x) {
				t.Errorf("GET %s: a target shows as the id %q", path, x)
			}
		}
	}
}

// TestQueryBoxInvalidOnlyForQuery: the query box is marked invalid (red,
// and read out as such with the message) when the query's words are at
// fault, not when a filter parameter or a cursor is: a party the index
// has never seen outlined the query box as if "nato" were wrong. The
// message shows under the box either way.
func TestQueryBoxInvalidOnlyForQuery(t *testing.T) {
	ts := newServer(t, Options{Dir: sampleIndex(t)})
	for _, tt := range []struct {
		path    string
		invalid bool
		says    string
	}{
		{"/?q=" + url.QueryEscape(`"unclosed`), true, "invalid query"},
		{"/?q=nato+party:narnia", true, "narnia"},
		{"/?q=colour:red", true, "colour"},
		{"/?q=nato&party=narnia", false, "narnia"},
		{"/?q=nato&kind=wish", false, "wish"},
		{"/?q=nato&after=xyz", false, "after"},
		{"/?q=nato&sort=latest", false, "sort"},
		{"/?q=nato&since=2025-13", false, "since"},
	} {
		code, _, body := get(t, ts, tt.path)
		if code != http.StatusBadRequest {
			t.Fatalf("GET %s: %d", tt.path, code)
		}
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		q := find(doc, func(n *html.Node) bool { return attr(n, "id") == "q" })
		msg := find(doc, func(n *html.Node) bool { return attr(n, "id") == "qerr" })
		if len(q) != 1 || len(msg) != 1 {
			t.Fatalf("GET %s: %d query boxes, %d messages", tt.path, len(q), len(msg))
		}
		if got := attr(q[0], "aria-invalid") == "true"; got != tt.invalid {
			t.Errorf("GET %s: query box marked invalid %v, want %v (%s)", tt.path, got, tt.invalid, textOf(msg[0]))
		}
		if !strings.Contains(textOf(msg[0]), tt.says) {
			t.Errorf("GET %s: the message %q does not name %q", tt.path, textOf(msg[0]), tt.says)
		}
	}
}
