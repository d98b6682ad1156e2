package extract

import (
	"testing"
	"time"

	"redline/corpus"
)

// chiefLexicon has an office held by two people in turn.
const chiefLexicon = `name: chiefs
parties:
  - id: north
    aliases: [North]
  - id: south
    aliases: [South]
people:
  - {name: Ada Stone, party: north, aliases: [Ada Stone, Stone]}
  - {name: Bo Reed, party: north, aliases: [Bo Reed, Reed]}
offices:
  - title: North President
    party: north
    aliases: [the North president]
    holders:
      - {name: Ada Stone, from: 2019-05-01, to: 2023-05-01}
      - {name: Bo Reed, from: 2023-05-01}
roles: [president]
cues:
  demand:
    verbs: [demands, demanded]
topics:
  water: [water, river]
`

func TestSpeakerOn(t *testing.T) {
	lx, err := ParseLexicon([]byte(chiefLexicon), "chiefs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ speaker, date, want string }{
		{"North President", "2022-02-01", "Ada Stone"},
		{"North President", "2023-04-30", "Ada Stone"},
		{"North President", "2023-05-01", "Bo Reed"}, // the day the next holder took over
		{"North President", "2026-01-01", "Bo Reed"},
		{"North President", "2019-04-30", "North President"}, // before any listed term
		{"North President", "", "North President"},           // no date: the office itself
		{"Ada Stone", "2024-01-01", "Ada Stone"},             // a person stays who they are
		{"", "2024-01-01", ""},
	} {
		if got := lx.speakerOn(c.speaker, c.date); got != c.want {
			t.Errorf("speakerOn(%q, %q) = %q, want %q", c.speaker, c.date, got, c.want)
		}
	}
}

// TestExtractOfficeByDate checks that a title with no name after it is
// its holder on the article's date (its own, else its dateline's), and the
// title itself when the article has no date; a name after the title wins
// over the date.
func TestExtractOfficeByDate(t *testing.T) {
	lx, err := ParseLexicon([]byte(chiefLexicon), "chiefs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := New(Options{Lexicon: lx, Rules: true})
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		name, text string
		published  time.Time
		want       string
	}{
		{"first term", "The North president demanded that South share the river water.", day("2021-03-02"), "Ada Stone"},
		{"second term", "The North president demanded that South share the river water.", day("2024-03-02"), "Bo Reed"},
		{"no date", "The North president demanded that South share the river water.", time.Time{}, "North President"},
		{"name after the title", "North President Ada Stone demanded that South share the river water.", day("2024-03-02"), "Ada Stone"},
		// A plain text dated only by its dateline.
		{"dateline, first term", "River Talks\n\nMarch 2, 2021 | North Wire\n\nThe North president demanded that South share the river water.", time.Time{}, "Ada Stone"},
		{"dateline, second term", "River Talks\n\nPublished: 2 March 2024\n\nThe North president demanded that South share the river water.", time.Time{}, "Bo Reed"},
		{"own date over dateline", "River Talks\n\nMarch 2, 2021 | North Wire\n\nThe North president demanded that South share the river water.", day("2024-03-02"), "Bo Reed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := ex.Extract(corpus.Document{ID: "d", Source: "d.txt", Text: c.text, Published: c.published})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Claims) != 1 {
				t.Fatalf("%d claims, want 1: %+v", len(res.Claims), res.Claims)
			}
			if got := res.Claims[0]; got.Party != "north" || got.Speaker != c.want {
				t.Errorf("party %q speaker %q, want north and %q", got.Party, got.Speaker, c.want)
			}
		})
	}
}
