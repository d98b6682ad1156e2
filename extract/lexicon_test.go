package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"redline/corpus"
)

func TestDefaultLexicon(t *testing.T) {
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if lx.Name() == "" {
		t.Error("the built-in lexicon has no name")
	}
	parties := map[string]bool{}
	for _, p := range lx.Parties() {
		if p.ID == "" || p.Name == "" {
			t.Errorf("party %+v without id or name", p)
		}
		parties[p.ID] = true
	}
	// The parties and topics the claim spec names.
	for _, id := range []string{"russia", "ukraine", "united_states", "european_union", "nato", "turkey", "united_nations", "china", "united_kingdom", "belarus"} {
		if !parties[id] {
			t.Errorf("party %q missing", id)
		}
	}
	spec := []string{"nato", "neutrality", "security_guarantees", "territory", "crimea", "donbas", "kherson_zaporizhzhia", "ceasefire", "withdrawal", "demilitarization", "denazification", "language", "government", "sanctions", "compensation", "humanitarian", "arms_supply", "foreign_troops", "eu_membership", "energy", "black_sea", "negotiations", "justice"}
	if got := lx.Topics(); !slices.Equal(got, spec) {
		t.Errorf("topics %v, want the spec's %v", got, spec)
	}

	// Every person's party is a party of the file (ParseLexicon checks it
	// too; this reads the file independently of it).
	var f struct {
		Parties []struct {
			ID string `yaml:"id"`
		} `yaml:"parties"`
		People []struct {
			Name    string   `yaml:"name"`
			Party   string   `yaml:"party"`
			Aliases []string `yaml:"aliases"`
		} `yaml:"people"`
	}
	if err := yaml.Unmarshal(defaultLexicon, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.People) == 0 {
		t.Fatal("the built-in lexicon has no people")
	}
	for _, p := range f.People {
		if !parties[p.Party] {
			t.Errorf("person %q: party %q is not defined", p.Name, p.Party)
		}
		if len(p.Aliases) == 0 || p.Aliases[0] != p.Name {
			t.Errorf("person %q: the first alias should be the name, got %v", p.Name, p.Aliases)
		}
	}
	// The matcher holds the same: every person reference names a party.
	for _, list := range lx.names.byFirst {
		for _, ph := range list {
			ref := ph.value.(nameRef)
			if ref.kind != refRole && !parties[ref.party] {
				t.Errorf("name %v refers to unknown party %q", ph.words, ref.party)
			}
			if ref.kind == refPerson && ref.person == "" {
				t.Errorf("person name %v without a canonical name", ph.words)
			}
		}
	}
}

func TestLexiconFingerprint(t *testing.T) {
	a, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseLexicon(slices.Clone(defaultLexicon), "copy")
	if err != nil {
		t.Fatal(err)
	}
	if a.Fingerprint() == "" || a.Fingerprint() != b.Fingerprint() {
		t.Errorf("fingerprints of the same file differ or are empty: %q %q", a.Fingerprint(), b.Fingerprint())
	}
	edited := bytes.Replace(defaultLexicon, []byte("[Kherson, "), []byte("[Kherson, Kherson Oblast, "), 1)
	if bytes.Equal(edited, defaultLexicon) {
		t.Fatal("the edit did not apply")
	}
	c, err := ParseLexicon(edited, "edited")
	if err != nil {
		t.Fatal(err)
	}
	if c.Fingerprint() == a.Fingerprint() {
		t.Error("the fingerprint did not change with the file")
	}
	d, err := ParseLexicon(append(slices.Clone(defaultLexicon), "\n# a comment\n"...), "commented")
	if err != nil {
		t.Fatal(err)
	}
	if d.Fingerprint() == a.Fingerprint() {
		t.Error("the fingerprint did not change when a comment was added")
	}
}

// minimalLexicon is a valid lexicon that the error cases below break.
const minimalLexicon = `name: minimal
version: 1
parties:
  - id: north
    name: North
    aliases: [North]
  - id: south
    aliases: [South]
people:
  - {name: Ada North, party: north, aliases: [Ada North]}
cues:
  demand:
    verbs: [demands]
topics:
  water: [water, river]
  fish: [fish]
`

func TestParseLexiconErrors(t *testing.T) {
	lx, err := ParseLexicon([]byte(minimalLexicon), "minimal.yaml")
	if err != nil {
		t.Fatalf("the minimal lexicon does not parse: %v", err)
	}
	if got := lx.Parties(); len(got) != 2 || got[1] != (Party{ID: "south", Name: "south"}) {
		t.Errorf("parties %+v: a party without a name is named by its id", got)
	}
	for _, c := range []struct {
		name string
		data string
		want []string // all must occur in the error
	}{
		{"empty", "", []string{"empty"}},
		{"only a comment", "# nothing here\n", []string{"empty"}},
		{"invalid YAML", "parties: [\n  - id: x\n", []string{"yaml"}},
		{"not a mapping", "- just\n- a list\n", []string{"yaml"}},
		// Unknown fields are named with their line and the fields that
		// place has, not with the decoder's Go types ("field alias not
		// found in type struct { ID string "yaml:\"id\""; ... }").
		{"unknown field", strings.Replace(minimalLexicon, "version: 1", "version: 1\ncolour: blue", 1),
			[]string{`line 3: unknown field "colour" in the lexicon (its fields: name, version, parties, people, offices, roles, cues, hedges, topics, words)`}},
		{"unknown party field", strings.Replace(minimalLexicon, "    name: North\n", "    name: North\n    flag: red\n", 1),
			[]string{`line 6: unknown field "flag" in a party (its fields: id, name, aliases, demonyms, scored_as)`}},
		{"misspelt aliases", strings.Replace(minimalLexicon, "    aliases: [North]", "    alias: [North]", 1), []string{`line 6: unknown field "alias" in a party`}},
		{"unknown person field", strings.Replace(minimalLexicon, "aliases: [Ada North]}", "aliases: [Ada North], role: chief}", 1),
			[]string{`unknown field "role" in a person (its fields: name, party, aliases)`}},
		{"misspelt kind", strings.Replace(minimalLexicon, "  demand:\n", "  demands:\n", 1), []string{`unknown field "demands" in cues (its fields: demand, red_line, offer, concessions)`}},
		{"misspelt verbs", strings.Replace(minimalLexicon, "    verbs: [demands]", "    verb: [demands]", 1), []string{`unknown field "verb" in a kind's cues (its fields: verbs, nouns)`}},
		// A model and an index record the lexicon's name: two lexicons
		// without one would pass for each other.
		{"no name", strings.Replace(minimalLexicon, "name: minimal\n", "", 1), []string{"no name"}},
		{"blank name", strings.Replace(minimalLexicon, "name: minimal\n", "name: \" \"\n", 1), []string{"no name"}},
		{"party without id", strings.Replace(minimalLexicon, "  - id: south\n", "  - name: South\n", 1), []string{"party 2", "no id"}},
		{"no parties", "name: x\nparties: []\ncues:\n  demand:\n    verbs: [demands]\ntopics:\n  water: [water]\n", []string{"no parties"}},
		{"scored as another party", strings.Replace(minimalLexicon, "    name: North\n", "    name: North\n    scored_as: south\n", 1), []string{`party "north": scored_as "south"`, `the only value is "other"`}},
		{"party other", strings.Replace(minimalLexicon, "  - id: south\n", "  - id: other\n", 1), []string{`party "other"`, "reserved"}},
		{"duplicate party", strings.Replace(minimalLexicon, "  - id: south\n", "  - id: north\n", 1), []string{`"north"`, "twice"}},
		{"person with unknown party", strings.Replace(minimalLexicon, "party: north", "party: east", 1), []string{"Ada North", `"east"`, "unknown party"}},
		{"person without name", strings.Replace(minimalLexicon, "name: Ada North, ", "", 1), []string{"person 1", "no name"}},
		{"no cues", strings.Replace(minimalLexicon, "  demand:\n    verbs: [demands]\n", "  demand: {}\n", 1), []string{"no cue"}},
		{"no topics", minimalLexicon[:strings.Index(minimalLexicon, "topics:")], []string{"no topics"}},
		{"empty topics", minimalLexicon[:strings.Index(minimalLexicon, "topics:")] + "topics: {}\n", []string{"no topics"}},
		{"topics not a mapping", minimalLexicon[:strings.Index(minimalLexicon, "topics:")] + "topics: [water, fish]\n", []string{"topics", "mapping"}},
		{"duplicate topic", minimalLexicon + "  water: [lake]\n", []string{`"water"`, "twice"}},
		{"topic without phrases", minimalLexicon + "  air:\n", []string{"line 17", `"air"`, "no phrases"}},
		{"topic with an empty list", minimalLexicon + "  air: []\n", []string{`"air"`, "no phrases"}},
		{"topic with a blank phrase", minimalLexicon + "  air: [\"~ \"]\n", []string{`"air"`, "no phrases"}},
		{"topic phrases not a list", minimalLexicon + "  air: {a: b}\n", []string{"topic", `"air"`}},
		// The index keeps a position as one "party|topic|kind" term: an id
		// with a "|" was split as another party and topic in Compare
		// (found by FuzzParseLexicon's check of FuzzParsePTK's premise).
		{"party id with the term separator", strings.Replace(minimalLexicon, "  - id: south\n", "  - id: so|uth\n", 1), []string{`"so|uth"`, `"|"`}},
		{"topic id with the term separator", minimalLexicon + "  air|sea: [air]\n", []string{"topic", `"air|sea"`, `"|"`}},
		{"office with unknown party", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {title: North Chief, party: east}\ncues:", 1), []string{`"North Chief"`, `"east"`, "unknown party"}},
		{"office without title", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {party: north}\ncues:", 1), []string{"office 1", "no title"}},
		{"office named as a person", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {title: Ada North, party: north}\ncues:", 1), []string{`"Ada North"`, "person"}},
		{"office twice", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {title: Chief, party: north}\n  - {title: Chief, party: south}\ncues:", 1), []string{`"Chief"`, "twice"}},
		{"holder without name", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {title: Chief, party: north, holders: [{from: 2020-01-01}]}\ncues:", 1), []string{`"Chief"`, "holder 1", "no name"}},
		{"holder without a start", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {title: Chief, party: north, holders: [{name: Ada North}]}\ncues:", 1), []string{`"Ada North"`, "from", "not a date"}},
		{"holder with a bad date", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {title: Chief, party: north, holders: [{name: Ada North, from: 2020-01-01, to: 1/2/2021}]}\ncues:", 1), []string{`"1/2/2021"`, "not a date"}},
		{"term ends before it starts", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {title: Chief, party: north, holders: [{name: Ada North, from: 2020-01-01, to: 2019-01-01}]}\ncues:", 1), []string{"2019-01-01", "not after"}},
		{"terms overlap", strings.Replace(minimalLexicon, "cues:", "offices:\n  - {title: Chief, party: north, holders: [{name: Ada North, from: 2020-01-01}, {name: Bo North, from: 2021-01-01}]}\ncues:", 1), []string{`"Bo North"`, "overlaps"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lx, err := ParseLexicon([]byte(c.data), "test.yaml")
			if err == nil {
				t.Fatalf("no error; lexicon %q", lx.Name())
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "test.yaml: ") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
}

func TestLoadLexiconErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent.yaml")
	if _, err := LoadLexicon(missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: error %v does not name %s", err, missing)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("parties: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLexicon(bad); err == nil || !strings.HasPrefix(err.Error(), bad+": ") {
		t.Errorf("bad file: error %v does not start with %s", err, bad)
	}
}

// The trade lexicon serves a negotiation that has nothing to do with the
// built-in one: the rules read everything from the file.
func TestTradeLexicon(t *testing.T) {
	lx, err := LoadLexicon("testdata/trade-lexicon.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if lx.Name() != "atlantis-borduria-trade" {
		t.Errorf("name %q", lx.Name())
	}
	if got := lx.Topics(); !slices.Equal(got, []string{"tariffs", "steel", "fisheries", "dispute_settlement", "agreement"}) {
		t.Errorf("topics %v", got)
	}
	sp := newTestSplitter(t)
	rows := []claimRow{
		{name: "state demands", blocks: text("Atlantis demands lower tariffs on steel."),
			want: []want{{party: "atlantis", kind: dem, topics: tp("tariffs", "steel"), attr: BySubject}}},
		{name: "minister with a role rejects", blocks: text("Borduria's trade minister Vera Holm rejected any cut to fishing quotas."),
			want: []want{{party: "borduria", kind: red, topics: tp("fisheries"), attr: BySpeaker, speaker: "Vera Holm"}}},
		{name: "capital offers with a condition", blocks: text("Szohod is ready to accept independent arbitration if Atlantis lifts its steel quotas."),
			want: []want{{party: "borduria", kind: off, topics: tp("dispute_settlement", "steel"), attr: BySubject, cond: "if Atlantis lifts its steel quotas"}}},
		{name: "negated concession", blocks: text("Atlantis will never lower its import duties on fish."),
			want: []want{{party: "atlantis", kind: red, topics: tp("tariffs"), attr: BySubject}}},
		{name: "demonym and role, hedged", blocks: text("Bordurian negotiators reportedly want a dispute panel."),
			want: []want{{party: "borduria", kind: dem, topics: tp("dispute_settlement"), attr: BySubject, hedged: true}}},
		{name: "possessive noun", blocks: text("Atlantis's demand for fishing rights angered the delegation."),
			want: []want{{party: "atlantis", kind: dem, topics: tp("fisheries"), attr: BySubject}}},
		{name: "passive agent", blocks: text("The steel quotas were rejected by the WTO."),
			want: []want{{party: "wto", kind: red, topics: tp("steel"), attr: BySubject}}},
		{name: "pronoun", blocks: []ct{para("Borduria sent its delegation home."), para("It wants a trade deal by spring.")},
			want: []want{{party: "borduria", kind: dem, topics: tp("agreement"), attr: ByPronoun}}},
		{name: "list lead-in", blocks: []ct{
			para("Atlantis has sent its demands:"),
			bullet("an end to customs duties on wine"),
			bullet("a bigger share of the fisheries"),
		}, check: 2, want: []want{
			{party: "atlantis", kind: dem, topics: tp("tariffs"), attr: ByList, in: "customs"},
			{party: "atlantis", kind: dem, topics: tp("fisheries"), attr: ByList, in: "fisheries"},
		}},
		{name: "the built-in parties mean nothing here", blocks: text("Russia demands lower tariffs on steel."), want: nil},
		{name: "the built-in cues mean nothing here", blocks: text("Atlantis urges lower tariffs on steel."), want: nil},
		{name: "event", blocks: text("The talks resumed in Poseidonia on Monday."), want: nil},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			got := runRow(t, lx, sp, r)
			if probs := diffClaims(got, r.want); len(probs) > 0 {
				t.Errorf("%q\n\twant: %s\n\tgot:  %s\n\t%s", r.blocks[len(r.blocks)-1].text, fmtWants(r.want), fmtClaims(got), strings.Join(probs, "\n\t"))
			}
		})
	}

	// The same through the Extractor, from a plain-text document.
	ex, err := NewExtractor(lx)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Lexicon() != lx {
		t.Error("the extractor does not use the lexicon it was given")
	}
	doc := corpus.Document{ID: "trade-1", Source: "trade.txt", Text: "Atlantis demands lower tariffs on steel.\n\nBorduria rejects any cut to fishing quotas.\n"}
	res, err := ex.Extract(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.Claims {
		got = append(got, c.DocID+" "+c.Party+" "+c.Kind+" "+strings.Join(c.Topics, ","))
	}
	wantLines := []string{"trade-1 atlantis demand tariffs,steel", "trade-1 borduria red_line fisheries"}
	if !slices.Equal(got, wantLines) {
		t.Errorf("extracted %q, want %q", got, wantLines)
	}
}

// A cue phrase marked ~ is weak; the ~ is not part of the phrase.
func TestWeakCues(t *testing.T) {
	data := strings.Replace(minimalLexicon, "    verbs: [demands]\n",
		"    verbs: [demands, ~must]\n    nouns: [demand, ~plan]\n  offer:\n    verbs: [~offered, willing to]\n  concessions: [~share, cede]\n", 1)
	lx, err := ParseLexicon([]byte(data), "weak.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		phrase string
		kind   string
		noun   bool
		weak   bool
	}{
		{"demands", KindDemand, false, false},
		{"must", KindDemand, false, true},
		{"demand", KindDemand, true, false},
		{"plan", KindDemand, true, true},
		{"offered", KindOffer, false, true},
		{"willing to", KindOffer, false, false},
	} {
		ms := lx.cues.at(tokenize(c.phrase), 0)
		if len(ms) != 1 {
			t.Errorf("%q: %d cue matches, want 1", c.phrase, len(ms))
			continue
		}
		if got, want := ms[0].value.(cueRef), (cueRef{kind: c.kind, noun: c.noun, weak: c.weak}); got != want {
			t.Errorf("%q: %+v, want %+v", c.phrase, got, want)
		}
	}
	for _, p := range []string{"share", "cede"} {
		ms := lx.concessions.at(tokenize(p), 0)
		if len(ms) != 1 || ms[0].value.(cueRef).weak != (p == "share") {
			t.Errorf("concession %q: %+v, want weak=%v", p, ms, p == "share")
		}
	}
	if ms := lx.cues.at(tokenize("~ must"), 0); len(ms) != 0 {
		t.Errorf("the ~ is matched as a word: %+v", ms)
	}
	// The rules see it: a weak cue, and a chain of cues that are all weak,
	// is weak; a chain with a firm cue is not.
	for _, c := range []struct {
		sentence string
		weak     bool
	}{
		{"North must have water.", true},
		{"North demands water.", false},
		{"North's plan is water.", true},
		{"North's demand is water.", false},
	} {
		cues := lx.findCues(c.sentence, lx.classify(tokenize(c.sentence)))
		if len(cues) != 1 || cues[0].weak != c.weak {
			t.Errorf("%q: cues %+v, want one with weak=%v", c.sentence, cues, c.weak)
		}
	}

	// The built-in lexicon marks the cues that were weak by a Go list.
	def := mustDefaultLexicon(t)
	for phrase, weak := range map[string]bool{"must": true, "have to": true, "plans": true, "offered": true, "demands": false, "rejected": false, "willing to": false} {
		cues := def.findCues(phrase, def.classify(tokenize(phrase)))
		if len(cues) != 1 || cues[0].weak != weak {
			t.Errorf("built-in lexicon, %q: cues %+v, want one with weak=%v", phrase, cues, weak)
		}
	}
}

// Every lexicon reads the English words of english.yaml; its own words
// section replaces lists of them by name, and only those.
func TestLexiconWords(t *testing.T) {
	eng, err := builtinWords()
	if err != nil {
		t.Fatalf("english.yaml: %v", err)
	}
	lists, err := englishLists()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range wordLists {
		if len(lists[l.name]) == 0 {
			t.Errorf("english.yaml: list %q missing or empty", l.name)
		}
	}
	if !eng.negators["not"] || eng.pronouns["their"] != "they" || len(eng.conditionMarkers) == 0 {
		t.Errorf("english words not read: %+v", eng)
	}
	lx, err := ParseLexicon([]byte(minimalLexicon), "minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if lx.words != eng {
		t.Error("a lexicon without a words section does not share the built-in words")
	}

	data := strings.Replace(minimalLexicon, "    verbs: [demands]\n", "    verbs: [demands]\n  offer:\n    verbs: [ready to]\n", 1) +
		"words:\n  negators: [scarcely, Hardly]\n  we_pronouns: [we, our, us]\n"
	own, err := ParseLexicon([]byte(data), "own.yaml")
	if err != nil {
		t.Fatal(err)
	}
	w := own.words
	if !w.negators["scarcely"] || !w.negators["hardly"] || w.negators["not"] || len(w.negators) != 2 {
		t.Errorf("negators %v, want the lexicon's, folded to lower case", w.negators)
	}
	if _, ok := w.pronouns["i"]; ok || w.pronouns["us"] != "we" || w.pronouns["their"] != "they" {
		t.Errorf("pronouns %v: we_pronouns replaced, the other classes kept", w.pronouns)
	}
	if !w.auxiliaries["is"] || !w.prepositions["of"] {
		t.Error("the lists the lexicon does not name are not the English ones")
	}
	if !eng.negators["not"] || eng.negators["scarcely"] {
		t.Error("a lexicon's words changed the built-in ones")
	}
	if own.Fingerprint() == lx.Fingerprint() {
		t.Error("same fingerprint for different lexicons")
	}
	// The rules read the lexicon's negators: "scarcely ready to" is a red
	// line, "not ready to" an offer.
	sp := newTestSplitter(t)
	for _, c := range []struct{ sentence, kind string }{
		{"North is scarcely ready to share the river.", KindRedLine},
		{"North is not ready to share the river.", KindOffer},
	} {
		got := runRow(t, own, sp, claimRow{blocks: text(c.sentence)})
		if len(got) != 1 || got[0].Kind != c.kind || got[0].Party != "north" {
			t.Errorf("%q: %s, want one north %s", c.sentence, fmtClaims(got), c.kind)
		}
	}
}

func TestLexiconWordsErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		words string
		want  []string // all must occur in the error
	}{
		{"a list, not a mapping", "words: [not, never]\n", []string{"words", "mapping"}},
		{"a word, not a mapping", "words: negators\n", []string{"words", "mapping"}},
		{"unknown list", "words:\n  negators: [not]\n  colours: [red]\n", []string{"words", `"colours"`, "unknown list"}},
		{"empty list", "words:\n  prepositions: []\n", []string{"words", `"prepositions"`, "empty"}},
		{"null list", "words:\n  prepositions:\n", []string{"words", `"prepositions"`, "empty"}},
		{"not a list", "words:\n  negators: not\n", []string{"words", `"negators"`, "list of words"}},
		{"a mapping, not a list", "words:\n  negators: {not: true}\n", []string{"words", `"negators"`, "list of words"}},
		{"nested list", "words:\n  negators: [not, [never]]\n", []string{"words", `"negators"`, "want a word"}},
		{"empty word", "words:\n  negators: [not, \"\"]\n", []string{"words", `"negators"`, "empty word"}},
		{"phrase in a word list", "words:\n  negators: [not, no longer]\n", []string{"words", `"negators"`, `"no longer"`, "more than one word"}},
		{"list twice", "words:\n  negators: [not]\n  negators: [never]\n", []string{"words", `"negators"`}},
		{"pronoun in two classes", "words:\n  he_pronouns: [he, it]\n", []string{"words", `"it"`, "it_pronouns", "he_pronouns"}},
		{"word in two stance classes", "words:\n  deontic: [must, will]\n", []string{"words", `"will"`, "deontic", "commissive"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			lx, err := ParseLexicon([]byte(minimalLexicon+c.words), "test.yaml")
			if err == nil {
				t.Fatalf("no error; lexicon %q", lx.Name())
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "test.yaml: ") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
		})
	}
	// Phrase lists take phrases.
	if _, err := ParseLexicon([]byte(minimalLexicon+"words:\n  condition_markers: [if, as long as]\n  reporting_insist: [insists that]\n"), "test.yaml"); err != nil {
		t.Errorf("phrases in phrase lists: %v", err)
	}
	// english.yaml itself must have every list.
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("negators: [not]\n"), &n); err != nil {
		t.Fatal(err)
	}
	if _, err := decodeWords(n.Content[0], true); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a words section without all lists: error %v, want one naming a missing list", err)
	}
}

func TestPartyID(t *testing.T) {
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"russia": "russia", "Russia": "russia", "RUSSIA": "russia", "Kremlin": "russia", "the  kremlin": "russia",
		"Russian": "russia", " Moscow ": "russia", "Kyiv": "ukraine", "united_states": "united_states",
		"United States": "united_states", "U.S.": "united_states", "White House": "united_states",
	} {
		if got, ok := lx.PartyID(name); !ok || got != want {
			t.Errorf("PartyID(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"", "Rusia", "Putin", "demand"} {
		if got, ok := lx.PartyID(name); ok {
			t.Errorf("PartyID(%q) = %q, want none", name, got)
		}
	}

	// A name two parties go by stands for neither; an id is never ambiguous.
	lx, err = ParseLexicon([]byte(`name: capitals
parties:
  - {id: north, name: North, aliases: [the capital, Alpha]}
  - {id: south, name: South, aliases: [the capital, north]}
cues:
  demand: {verbs: [demands]}
topics:
  land: [land]
`), "test")
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := lx.PartyID("The Capital"); ok {
		t.Errorf("ambiguous alias: PartyID = %q", got)
	}
	if got, ok := lx.PartyID("North"); !ok || got != "north" {
		t.Errorf("PartyID(North) = %q, %v; want the id north", got, ok)
	}
	if got, ok := lx.PartyID("alpha"); !ok || got != "north" {
		t.Errorf("PartyID(alpha) = %q, %v", got, ok)
	}
}

// TestWordClassify checks the class bits classify gives tokens against the
// word lists they stand for: the rules test the bits instead of the lists.
func TestWordClassify(t *testing.T) {
	eng, err := builtinWords()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		word string
		want wordClass
	}{
		{"not", wcNegator | wcSubjectLeft},
		{"said", wcClauseVerb | wcReportingVerb},
		{"is", wcAuxiliary | wcBeForm},
		{"their", wcDeterminer | wcAdjectiveBefore | wcPronoun},
		{"of", wcDeterminer | wcPreposition},
		{"troops", wcModified},
		{"minister", wcTitleWord},
		{"prepared", wcParticipleAdjective},
		{"goals", wcNeedsHolder},
		{"if", wcSubjectLeft | wcConditionStart},
		{"provided", wcConditionStart | stProvision<<wcStanceShift},
		{"must", stDeontic << wcStanceShift},
		{"will", wcAuxiliary | stCommissive<<wcStanceShift},
		{"met", stNarration << wcStanceShift},
		{"sanctions", wcModified | stPunitive<<wcStanceShift},
		{"ceasefire", 0},
		{"Not", 0}, // classes are of folded words: tokens carry norm
	} {
		if got := eng.class[c.word]; got != c.want {
			t.Errorf("%q: class %b, want %b", c.word, got, c.want)
		}
	}
	// Every word of every list, against the lists themselves.
	lists := []struct {
		name string
		set  map[string]bool
		c    wordClass
	}{
		{"negators", eng.negators, wcNegator}, {"chainers", eng.chainers, wcChainer},
		{"auxiliaries", eng.auxiliaries, wcAuxiliary}, {"determiners", eng.determiners, wcDeterminer},
		{"adjective_before", eng.adjectiveBefore, wcAdjectiveBefore}, {"prepositions", eng.prepositions, wcPreposition},
		{"modified", eng.modified, wcModified}, {"subject_left", eng.subjectLeft, wcSubjectLeft},
		{"clause_verbs", eng.clauseVerbs, wcClauseVerb}, {"title_words", eng.titleWords, wcTitleWord},
		{"reporting_verbs", eng.reportingVerbs, wcReportingVerb}, {"be_forms", eng.beForms, wcBeForm},
		{"participle_adjectives", eng.participleAdjectives, wcParticipleAdjective},
		{"needs_holder", eng.needsHolder, wcNeedsHolder},
	}
	for word, c := range eng.class {
		for _, l := range lists {
			if l.set[word] != (c&l.c != 0) {
				t.Errorf("%q: in %s %v, class bit %v", word, l.name, l.set[word], c&l.c != 0)
			}
		}
		if _, ok := eng.pronouns[word]; ok != (c&wcPronoun != 0) {
			t.Errorf("%q: pronoun %v, class bit %v", word, ok, c&wcPronoun != 0)
		}
		if c.stance() != eng.stance[word] {
			t.Errorf("%q: stance %d, class %d", word, eng.stance[word], c.stance())
		}
	}
	for _, l := range lists {
		for word := range l.set {
			if eng.class[word]&l.c == 0 {
				t.Errorf("%q of %s has no class", word, l.name)
			}
		}
	}

	// A lexicon's own list replaces the English one in the classes too.
	data := minimalLexicon + "words:\n  negators: [scarcely]\n"
	own, err := ParseLexicon([]byte(data), "own.yaml")
	if err != nil {
		t.Fatal(err)
	}
	toks := own.classify(tokenize("Not scarcely must"))
	if toks[0].is(wcNegator) || !toks[1].is(wcNegator) {
		t.Errorf("own negators: classes %b %b, want only scarcely a negator", toks[0].class, toks[1].class)
	}
	// A classified token's other bits leave its stance as it is.
	if got := toks[2].class.stance(); got != stDeontic {
		t.Errorf("must, classified: stance %b, want %b", got, stDeontic)
	}
}

// TestMatcherClassified: a matcher finds the same phrases in tokens the
// lexicon has classified, which it looks up only where their class says a
// phrase of it starts, as in tokens it has not, which it looks up all.
func TestMatcherClassified(t *testing.T) {
	lx := mustDefaultLexicon(t)
	matchers := []struct {
		name string
		m    *matcher
	}{
		{"names", lx.names}, {"cues", lx.cues}, {"hedges", lx.hedges},
		{"topics", lx.topics}, {"roles", lx.roles}, {"concessions", lx.concessions},
	}
	for _, mt := range matchers {
		for first, ps := range mt.m.byFirst {
			if lx.class[first]&mt.m.start == 0 {
				t.Errorf("%s: %q starts a phrase, its class %b has no bit %b", mt.name, first, lx.class[first], mt.m.start)
			}
			for _, p := range ps {
				toks := make([]token, len(p.words))
				for k, w := range p.words {
					toks[k] = token{norm: w, word: true, upper: k == 0 && p.upper}
				}
				if got := mt.m.at(lx.classify(toks), 0); len(got) == 0 || got[0].j != len(p.words) {
					t.Errorf("%s: %q classified: matches %+v, want the phrase", mt.name, p.words, got)
				}
			}
		}
	}
	for _, s := range []string{
		"The Kremlin said Russia demands a ceasefire, reportedly.",
		"Ukrainian negotiators refused to cede territory; Zelensky would share power.",
		"Nothing here starts a phrase at all",
	} {
		plain, classified := tokenize(s), lx.classify(tokenize(s))
		for _, mt := range matchers {
			for i := range plain {
				got, want := mt.m.at(classified, i), mt.m.at(plain, i)
				if len(got) != len(want) || (len(got) > 0 && got[0] != want[0]) {
					t.Errorf("%s at %d of %q: classified %+v, plain %+v", mt.name, i, s, got, want)
				}
			}
		}
	}
	// A word that starts no phrase of a matcher is turned away by its
	// class, whatever the map says.
	toks := lx.classify(tokenize("demands"))
	if toks[0].class&wcCueStart == 0 || toks[0].class&wcRoleStart != 0 {
		t.Errorf("demands: class %b, want a cue's start and no role's", toks[0].class)
	}
}

// TestMatcherAppendAt: appendAt adds the matches at returns after what out
// holds, leaving it as it was.
func TestMatcherAppendAt(t *testing.T) {
	lx := mustDefaultLexicon(t)
	toks := lx.classify(tokenize("The Kremlin said it would never accept it."))
	held := match{i: 7, j: 8}
	for i := range toks {
		var buf [1]match
		got := lx.names.appendAt(append(buf[:0], held), toks, i)
		want := lx.names.at(toks, i)
		if got[0] != held || len(got) != 1+len(want) {
			t.Fatalf("at %d: appendAt %+v, want %+v after %+v", i, got, want, held)
		}
		for k := range want {
			if got[1+k] != want[k] {
				t.Errorf("at %d: match %d %+v, want %+v", i, k, got[1+k], want[k])
			}
		}
	}
	if len(lx.names.at(toks, 1)) == 0 {
		t.Error("no name found at Kremlin")
	}
}

// TestLexiconChanges: the built-in model names the sections of an edited
// built-in lexicon that differ from the one it was trained with, and none
// for edits no feature reads.
func TestLexiconChanges(t *testing.T) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	const minimal = "name: n\nparties:\n  - {id: a, name: A, aliases: [Aland]}\n  - {id: b, name: B}\ncues:\n  demand: {verbs: [demand]}\ntopics:\n  x: [ex]\n  y: [why]\n"
	base, err := ParseLexicon([]byte(minimal), "minimal")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, old, new string
		want           []string
	}{
		{"unchanged", "", "", nil},
		{"a comment", "cues:", "# cues follow\ncues:", nil},
		{"a display name", "name: A,", "name: Aland Islands,", nil},
		{"topics in another order", "  x: [ex]\n  y: [why]\n", "  y: [why]\n  x: [ex]\n", nil},
		{"an alias", "aliases: [Aland]", "aliases: [Aland, Alanders]", []string{"parties"}},
		{"a cue", "verbs: [demand]", "verbs: [demand, insist]", []string{"cues"}},
		{"a phrase and a hedge", "  y: [why]\n", "  y: [why, wherefore]\nhedges: [maybe]\n", []string{"hedges", "topics"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lx, err := ParseLexicon([]byte(strings.Replace(minimal, tt.old, tt.new, 1)), tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if got := changedSections(base.sections, lx.sections); !slices.Equal(got, tt.want) {
				t.Errorf("changed sections %q, want %q", got, tt.want)
			}
		})
	}
	builtin, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if got := m.LexiconChanges(builtin); got != nil {
		t.Errorf("the built-in model and lexicon differ in %q: run make train", got)
	}
	// Neither lexicon has a words section: both read the built-in words.
	want := []string{"cues", "hedges", "offices", "parties", "people", "roles", "topics"}
	if got := m.LexiconChanges(base); !slices.Equal(got, want) {
		t.Errorf("another lexicon differs from the built-in one in %q, want %q", got, want)
	}
}
