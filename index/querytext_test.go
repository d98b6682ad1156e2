package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"redline/claim"
)

func TestRewriteText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nato", "+nato"},
		{"nato guarantees", "+nato +guarantees"},
		{"nato AND guarantees", "+nato +guarantees"},
		{"nato OR guarantees", "+(nato OR guarantees)"},
		{"ceasefire truce OR armistice energy", "+ceasefire +(truce OR armistice) +energy"},
		{"a OR b OR c", "+(a OR b OR c)"},
		{"ceasefire -energy", "+ceasefire -energy"},
		{"ceasefire NOT energy", "+ceasefire -energy"},
		{"ceasefire AND NOT energy", "+ceasefire -energy"},
		{"NOT energy", "-energy"},
		{"+nato +guarantees", "+nato +guarantees"},
		{"+nato OR +kyiv", "+(nato OR kyiv)"},
		{"and or not", "+and +or +not"}, // lower case: words, not operators
		{`"security guarantees"`, `+"security guarantees"`},
		{`"will not" -energy`, `+"will not" -energy`},
		{`"a OR b" c`, `+"a OR b" +c`},
		{`-"security guarantees"`, `-"security guarantees"`},
		{"party:russia kind:red_line", "+party:russia +kind:red_line"},
		{"topic:territory", "+topics:territory"},
		{"Topics:territory", "+topics:territory"},
		{"Party:Russia", "+party:Russia"},
		{`outlet:"BBC News"`, `+outlet:"BBC News"`},
		{`outlet:"BBC News" OR outlet:Reuters`, `+(outlet:"BBC News" OR outlet:Reuters)`},
		{"-topic:energy", "-topics:energy"},
		{"NOT topic:energy", "-topics:energy"},
		{"confidence:>0.8 start:<100", "+confidence:>0.8 +start:<100"},
		{`published:>="2024-01-01"`, `+published:>="2024-01-01"`},
		{`title:"peace plan"`, `+title:"peace plan"`},
		{`foo\ bar baz`, `+foo\ bar +baz`},
		{`"10:30"`, `+"10:30"`},
		{"withdr*", "+withdr*"},
		{"party:/u.*/", "+party:/u.*/"},
		{"nato~1", "+nato~1"},
		{"  nato \t guarantees  ", "+nato +guarantees"},
		{"", ""},
		{"+", "++"}, // left to Bleve, which rejects it
		{"-", "+-"},
	}
	for _, tt := range tests {
		got, err := rewriteText(tt.in)
		if err != nil {
			t.Errorf("rewriteText(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("rewriteText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRewriteTextErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"OR nato", "OR needs a word on each side"},
		{"nato OR", "OR needs a word on each side"},
		{"nato OR OR kyiv", "OR needs a word on each side"},
		{"nato OR AND kyiv", "OR needs a word on each side"},
		{"AND nato", "AND needs a word on each side"},
		{"nato AND", "AND needs a word on each side"},
		{"nato AND OR kyiv", "AND needs a word on each side"},
		{"nato NOT", "NOT needs a word after it"},
		{"NOT OR", "NOT needs a word after it"},
		{"NOT -nato", "exclude a word once"},
		{"nato OR -kyiv", "OR cannot join an excluded word"},
		{"-nato OR kyiv", "OR cannot join an excluded word"},
		{"NOT nato OR kyiv", "OR cannot join an excluded word"},
		{"colour:red", `unknown field "colour"`},
		{"a:b:c", `unknown field "a"`},
		{"nato http://example.org", `unknown field "http"`},
	}
	for _, tt := range tests {
		got, err := rewriteText(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("rewriteText(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.want)
		}
	}
}

// TestMalformedWordNamed: a word Bleve's parser cannot read is named in the
// error with what a word may be. Before, "nato party:" or
// "confidence:>abc" failed with Bleve's bare "syntax error", naming
// neither the word nor the problem.
func TestMalformedWordNamed(t *testing.T) {
	ix := openWebFixture(t)
	tests := []struct{ text, word, why string }{
		{"nato party:", `"party:"`, "field:value"},
		{"confidence:>abc", `"confidence:>abc"`, "a number after confidence:>"},
		{"kyiv start:<x", `"start:<x"`, "a number after"},
		{`published:>="2024-13-45"`, `"published:>=`, "invalid time"},
	}
	for _, tt := range tests {
		_, err := ix.Search(context.Background(), Query{Text: tt.text})
		if !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), "cannot read "+tt.word) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("%q: err = %v; want ErrQuery naming %s and %q", tt.text, err, tt.word, tt.why)
		}
	}
}

// TestTitleWordsFoundEveryTime: title:word finds the claims whose article
// title has the word, stemmed, in every search. The query took the title's
// analyzer from one of the index's two document mappings at random (claims
// analyse it in English, articles keep it as one keyword), so on the bulk
// corpus title:ceasefire found 57 claims in some runs and 0 in others.
func TestTitleWordsFoundEveryTime(t *testing.T) {
	ix := openTemp(t, Options{})
	a := Article{DocID: "t1", Title: "Ceasefire negotiations resume in Geneva", Published: "2025-03-01", Hash: "h-t1"}
	a.Claims = []claim.Claim{mkClaim("t1", 0, "ukraine", claim.Demand, []string{"ceasefire"}, "Kyiv demands a truce.")}
	a.Claims[0].Title = a.Title
	if err := ix.Write([]Article{a}); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"title:ceasefire", "title:Negotiations", "title:negotiation", `title:"ceasefire negotiations"`, "title:geneva truce"} {
		for i := range 20 { // Go's map order differs from one search to the next
			if got := keys(mustSearch(t, ix, Query{Text: text}).Hits); !slices.Equal(got, []string{"t1:0"}) {
				t.Errorf("%q, search %d: %v, want [t1:0]", text, i+1, got)
				break
			}
		}
	}
}

// openWebFixture is the fixture plus an article of an outlet whose name
// has a space and capitals.
func openWebFixture(t *testing.T) *Index {
	t.Helper()
	ix := openFixture(t)
	d := Article{DocID: "d1", Source: "seed/d1.html", Title: "Truce", Outlet: "BBC News", Published: "2024-04-01", Hash: "h-d1"}
	d.Claims = []claim.Claim{mkClaim("d1", 0, "ukraine", claim.Demand, []string{"ceasefire"}, "Kyiv demands a truce before any talks.")}
	d.Claims[0].Source, d.Claims[0].Title, d.Claims[0].Outlet, d.Claims[0].Published = d.Source, d.Title, d.Outlet, d.Published
	if err := ix.Write([]Article{d}); err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestWebSearchText(t *testing.T) {
	ix := openWebFixture(t)
	tests := []struct {
		text string
		want []string
	}{
		{"security nato", []string{"a1:0"}},                     // both words, not either
		{"security AND nato", []string{"a1:0"}},                 // the same
		{"withdrawal OR truce", []string{"c1:5", "d1:0"}},       // either
		{"kyiv truce OR ceasefire", []string{"a1:120", "d1:0"}}, // kyiv and (truce or ceasefire)
		{"security -washington", []string{"a1:0", "a1:120"}},
		{"security NOT washington", []string{"a1:0", "a1:120"}},
		{"NOT security", []string{"a1:60", "b1:10", "c1:5", "d1:0"}},
		{`"security guarantees" ukraine`, []string{"a1:0"}},
		{"the security", []string{"a1:0", "a1:120", "b1:90"}}, // "the" is not indexed: left out
		{"topic:security", []string{"a1:0", "a1:60", "b1:90"}},
		{"Topic:Security", []string{"a1:0", "a1:60", "b1:90"}},
		{"party:Russia", []string{"a1:60", "b1:10"}},
		{"party:russia kind:red_line topic:nato", []string{"a1:60"}},
		{"KIND:DEMAND party:ukraine", []string{"a1:0", "d1:0"}},
		{"party:russia OR party:us", []string{"a1:60", "b1:10", "b1:90"}},
		{"-party:ukraine -party:russia", []string{"b1:90", "c1:5"}},
		{`outlet:"BBC News"`, []string{"d1:0"}},
		{`outlet:reuters kind:offer`, []string{"a1:120"}},
		{`speaker:Zelenskyy`, []string{"a1:120"}},
		{`hedged:TRUE`, []string{"a1:120"}},
		{`party:u*`, []string{"a1:0", "a1:120", "b1:90", "d1:0"}},
	}
	for _, tt := range tests {
		res := mustSearch(t, ix, Query{Text: tt.text})
		if got := keys(res.Hits); !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.text, got, tt.want)
		}
		var n int
		err := ix.Claims(context.Background(), Query{Text: tt.text}, func(claim.Claim) error { n++; return nil })
		if err != nil || n != len(tt.want) {
			t.Errorf("Claims %q: %d claims, %v; want %d", tt.text, n, err, len(tt.want))
		}
	}
	for _, text := range []string{"the", "and not the", "nato OR", "topic:", "colour:red"} {
		if _, err := ix.Search(context.Background(), Query{Text: text}); !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), text) {
			t.Errorf("%q: err = %v, want ErrQuery quoting the text", text, err)
		}
	}
}

// errNoSuch stands for a ResolveFunc's own error type.
type errNoSuch struct{ field, value string }

func (e *errNoSuch) Error() string { return e.field + " " + e.value + ": no such value" }

func TestResolveText(t *testing.T) {
	ix := openWebFixture(t)
	var asked []string
	resolve := func(field, value string) ([]string, error) {
		asked = append(asked, field+"="+value)
		switch strings.ToLower(value) {
		case "kremlin":
			return []string{"russia"}, nil
		case "bbc":
			return []string{"BBC News", "ap"}, nil
		case "nowhere":
			return nil, nil
		}
		return nil, &errNoSuch{field, value}
	}
	tests := []struct {
		text string
		want []string
	}{
		{"party:Kremlin", []string{"a1:60", "b1:10"}},
		{"-party:kremlin", []string{"a1:0", "a1:120", "b1:90", "c1:5", "d1:0"}},
		{"outlet:bbc", []string{"b1:10", "b1:90", "d1:0"}},
		{"outlet:nowhere", []string{}},
	}
	for _, tt := range tests {
		res := mustSearch(t, ix, Query{Text: tt.text, Resolve: resolve})
		if got := keys(res.Hits); !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.text, got, tt.want)
		}
	}
	asked = nil
	_, err := ix.Search(context.Background(), Query{Text: "nato topic:Terr kind:x", Resolve: resolve})
	var ns *errNoSuch
	if !errors.Is(err, ErrQuery) || !errors.As(err, &ns) || ns.field != "topic" || ns.value != "Terr" {
		t.Errorf("err = %v, want ErrQuery wrapping the resolver's error for topic Terr", err)
	}
	if !slices.Equal(asked, []string{"topic=Terr"}) {
		t.Errorf("resolver asked %q, want only the first bad value", asked)
	}
	// Text words, wildcards and ranges are not the resolver's.
	asked = nil
	mustSearch(t, ix, Query{Text: "nato party:r* start:>1 doc_id:a1", Resolve: resolve})
	if len(asked) != 0 {
		t.Errorf("resolver asked %q", asked)
	}
}

func TestValues(t *testing.T) {
	ix := openWebFixture(t)
	for field, want := range map[string][]string{
		"party":  {"eu", "russia", "ukraine", "us"},
		"kind":   {"demand", "offer", "red_line"},
		"topic":  {"aid", "ceasefire", "nato", "sanctions", "security", "territory"},
		"outlet": {"BBC News", "ap", "reuters"},
	} {
		got, err := ix.Values(field)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("Values(%q) = %q, %v; want %q", field, got, err, want)
		}
	}
	if _, err := ix.Values("sentence"); err == nil {
		t.Error("Values(sentence): no error")
	}
	empty := openTemp(t, Options{})
	if got, err := empty.Values("party"); err != nil || len(got) != 0 {
		t.Errorf("empty index: Values = %q, %v", got, err)
	}
}

// TestPhraseKeepsNegations: a quoted phrase searches the sentence's exact
// words, so the negations and stop words red lines are made of count.
func TestPhraseKeepsNegations(t *testing.T) {
	ix := openTemp(t, Options{})
	a := Article{DocID: "n1", Source: "n1.txt", Hash: "h-n1"}
	a.Claims = []claim.Claim{
		mkClaim("n1", 0, "ukraine", claim.RedLine, []string{"territory"}, "Ukraine will not cede any of its territory."),
		mkClaim("n1", 50, "russia", claim.Demand, []string{"territory"}, "Russia says Ukraine will cede its territory."),
		mkClaim("n1", 100, "ukraine", claim.RedLine, []string{"nato"}, "Kyiv will never accept neutrality, and it will not."),
		mkClaim("n1", 150, "russia", claim.RedLine, []string{"nato"}, "Moscow won't accept NATO bases."),
	}
	if err := ix.Write([]Article{a}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		{`"will not cede"`, []string{"n1:0"}}, // not "will cede"
		{`"will not"`, []string{"n1:0", "n1:100"}},
		{`"will cede"`, []string{"n1:50"}},
		{`"Will NOT Cede"`, []string{"n1:0"}}, // lower-cased, as the words are
		{`"won't accept"`, []string{"n1:150"}},
		{`sentence:"will not"`, []string{"n1:0", "n1:100"}},
		{`"will not" -neutrality`, []string{"n1:0"}},
		{`"will not" OR "won't"`, []string{"n1:0", "n1:100", "n1:150"}},
		{`cede`, []string{"n1:0", "n1:50"}}, // plain words still stem and match either
	}
	for _, tt := range tests {
		res := mustSearch(t, ix, Query{Text: tt.text})
		got := keys(res.Hits)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.text, got, tt.want)
		}
	}
	res := mustSearch(t, ix, Query{Text: `"will not cede"`})
	if len(res.Hits) != 1 || len(res.Hits[0].Fragments) != 1 || res.Hits[0].Fragments[0] != "Ukraine [will not cede] any of its territory." {
		t.Errorf("fragments: %+v", res.Hits)
	}
}

// TestOldLayoutNamesRebuild: an index of an older layout (before the exact
// sentence field) is refused with the command that makes a new one.
func TestOldLayoutNamesRebuild(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.bl.SetInternal([]byte(schemaKey), []byte("2")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	for _, ro := range []bool{false, true} {
		_, err = Open(dir, Options{ReadOnly: ro})
		if !errors.Is(err, ErrNotIndex) || !strings.Contains(err.Error(), "--rebuild") || !strings.Contains(err.Error(), `"2"`) {
			t.Errorf("read-only %v: err = %v, want ErrNotIndex naming version 2 and --rebuild", ro, err)
		}
	}
	// Reset (what --rebuild does) makes room for a new index.
	if err := Reset(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("after Reset: %v", err)
	}
	ix.Close()
}

// TestTitlePhraseKeepsEveryWord: a quoted phrase in the title matches the
// title's words as written, every word kept, as a phrase on the sentence
// does. title:"will not" dropped "not" (the English analyzer leaves it
// out) and found every title with "will".
func TestTitlePhraseKeepsEveryWord(t *testing.T) {
	ix := openTemp(t, Options{})
	var arts []Article
	for i, title := range []string{"Kyiv will not cede Crimea", "US will send more arms", "Talks will resume, and will not stop"} {
		id := fmt.Sprintf("t%d", i+1)
		a := Article{DocID: id, Title: title, Published: "2025-03-01", Hash: "h-" + id}
		a.Claims = []claim.Claim{mkClaim(id, 0, "ukraine", claim.Demand, []string{"ceasefire"}, fmt.Sprintf("Kyiv demands truce number %d.", i+1))}
		a.Claims[0].Title = title
		arts = append(arts, a)
	}
	if err := ix.Write(arts); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
		frag string
	}{
		{`title:"will not"`, []string{"t1:0", "t3:0"}, "title: Kyiv [will not] cede Crimea"},
		{`title:"Will Send"`, []string{"t2:0"}, "title: US [will send] more arms"},
		{`title:"not cede"`, []string{"t1:0"}, ""},
		{`title:"will cede"`, nil, ""}, // "not" is between them
		{`title:"and will not"`, []string{"t3:0"}, ""},
		{`title:will`, []string{"t1:0", "t2:0", "t3:0"}, ""},
	}
	for _, tt := range tests {
		res := mustSearch(t, ix, Query{Text: tt.text})
		got := keys(res.Hits)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.text, got, tt.want)
		}
		if tt.frag == "" {
			continue
		}
		found := false
		for _, h := range res.Hits {
			found = found || slices.Contains(h.Fragments, tt.frag)
		}
		if !found {
			t.Errorf("%s: no hit has the fragment %q", tt.text, tt.frag)
		}
	}
}

// TestTitlePhraseOlderLayout: an index made before the exact title field
// reads title phrases on the English title field as before, and refuses a
// phrase that would lose a word there, saying why, rather than finding
// every title with the other words.
func TestTitlePhraseOlderLayout(t *testing.T) {
	ix, err := Open(copyDir(t, noTextFixture), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	_, err = ix.Search(context.Background(), Query{Text: `title:"will not"`})
	if !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), "--rebuild") {
		t.Errorf(`title:"will not" on layout 3: %v, want ErrQuery advising --rebuild`, err)
	}
	if _, err := ix.Search(context.Background(), Query{Text: `title:"peace talks"`}); err != nil {
		t.Errorf(`title:"peace talks" on layout 3: %v`, err)
	}
}

// TestQueryWithoutWords: a query of punctuation alone is an invalid query
// that says it has no word; a query of common words alone says they are
// not indexed. "(" was told that words as common as "the" are not indexed.
func TestQueryWithoutWords(t *testing.T) {
	ix := openFixture(t)
	for _, tt := range []struct{ text, want, not string }{
		{"(", "no word to search, only punctuation", "as common as"},
		{"( ) , ...", "no word to search, only punctuation", "as common as"},
		{"the (", "as common as", "punctuation"},
		{"and not the", "as common as", "punctuation"},
	} {
		_, err := ix.Search(context.Background(), Query{Text: tt.text})
		if !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), tt.not) {
			t.Errorf("%q: %v, want ErrQuery saying %q", tt.text, err, tt.want)
		}
	}
}

// TestPublishedOn: published:DAY, published:MONTH and published:YEAR find
// the claims published in it, as --since and --until do; a value that is
// none of them is an invalid query that says what is read. They matched
// nothing: Bleve searched the text of a date field.
func TestPublishedOn(t *testing.T) {
	ix := openTemp(t, Options{})
	if err := ix.Write(orderedArticles()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ text, since, until string }{
		{"published:2022-01-05", "2022-01-05", "2022-01-05"},
		{`published:"2022-01-05"`, "2022-01-05", "2022-01-05"},
		{"published:2022-02", "2022-02-01", "2022-02-28"},
		{"published:2022", "2022-01-01", "2022-12-31"},
		{"sanctions published:2022-01", "2022-01-01", "2022-01-31"},
	} {
		got := mustSearch(t, ix, Query{Text: tt.text, Limit: 1000})
		q := Query{Since: day(tt.since), Until: day(tt.until), Limit: 1000}
		if strings.HasPrefix(tt.text, "sanctions") {
			q.Text = "sanctions"
		}
		want := mustSearch(t, ix, q)
		if got.Total == 0 || got.Total != want.Total {
			t.Errorf("%s: %d claims, want %d (those of %s to %s)", tt.text, got.Total, want.Total, tt.since, tt.until)
		}
	}
	for _, text := range []string{"published:march", "published:2022-02-30", "published:22-01-05"} {
		if _, err := ix.Search(context.Background(), Query{Text: text}); !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), "want a day (published:2025-03-14), a month") {
			t.Errorf("%s: %v", text, err)
		}
	}
}
