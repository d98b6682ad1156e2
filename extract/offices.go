package extract

import (
	"fmt"
	"time"
)

// officeEntry is the YAML form of an office: a title that names whoever
// holds it on the day ("the US president"), and its holders by date.
type officeEntry struct {
	Title   string   `yaml:"title"`
	Party   string   `yaml:"party"`
	Aliases []string `yaml:"aliases"`
	Holders []struct {
		Name string `yaml:"name"`
		From string `yaml:"from"`
		To   string `yaml:"to"`
	} `yaml:"holders"`
}

// term is one holder's time in an office: from is the first day, to the day
// the next holder took over ("" while in office). Both are "2006-01-02",
// so that they compare as strings.
type term struct {
	name, from, to string
}

// offices adds f's offices to lx. An office's title and aliases are
// mentions of a person of its party, as a person's aliases are; the
// person is named by the office's title until the article's date says who
// held it (speakerOn).
func (lx *Lexicon) offices(f *lexiconFile) error {
	for i, o := range f.Offices {
		if o.Title == "" {
			return fmt.Errorf("office %d: no title", i+1)
		}
		if _, ok := lx.parties[o.Party]; !ok {
			return fmt.Errorf("office %q: unknown party %q", o.Title, o.Party)
		}
		if _, dup := lx.terms[o.Title]; dup {
			return fmt.Errorf("office %q defined twice", o.Title)
		}
		if _, person := lx.people[o.Title]; person {
			return fmt.Errorf("office %q: a person has that name", o.Title)
		}
		var terms []term
		for k, h := range o.Holders {
			t := term{name: h.Name, from: h.From, to: h.To}
			if t.name == "" {
				return fmt.Errorf("office %q: holder %d: no name", o.Title, k+1)
			}
			if _, err := time.Parse(time.DateOnly, t.from); err != nil {
				return fmt.Errorf("office %q: holder %q: from %q is not a date (YYYY-MM-DD)", o.Title, t.name, t.from)
			}
			if _, err := time.Parse(time.DateOnly, t.to); t.to != "" && err != nil {
				return fmt.Errorf("office %q: holder %q: to %q is not a date (YYYY-MM-DD)", o.Title, t.name, t.to)
			}
			if t.to != "" && t.to <= t.from {
				return fmt.Errorf("office %q: holder %q: to %s is not after from %s", o.Title, t.name, t.to, t.from)
			}
			if n := len(terms); n > 0 && (terms[n-1].to == "" || t.from < terms[n-1].to) {
				return fmt.Errorf("office %q: holder %q: from %s overlaps the term before it (list holders in order)", o.Title, t.name, t.from)
			}
			terms = append(terms, t)
		}
		lx.terms[o.Title] = terms
		for _, a := range append([]string{o.Title}, o.Aliases...) {
			lx.names.add(a, nameRef{party: o.Party, kind: refPerson, person: o.Title})
		}
	}
	return nil
}

// speakerOn returns who a claim's speaker was on date ("2006-01-02"): for
// an office's title, the holder whose term covers the date; otherwise, or
// when the date is unknown or no listed term covers it, speaker itself.
func (lx *Lexicon) speakerOn(speaker, date string) string {
	terms, ok := lx.terms[speaker]
	if !ok || date == "" {
		return speaker
	}
	for _, t := range terms {
		if t.from <= date && (t.to == "" || date < t.to) {
			return t.name
		}
	}
	return speaker
}
