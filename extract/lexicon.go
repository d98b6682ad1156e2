package extract

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed lexicon.yaml
var defaultLexicon []byte

// Lexicon is the domain knowledge of one negotiation: its parties and the
// names that stand for them, the people who speak for them, the cue phrases
// of each claim kind, hedges, the topic taxonomy, and the closed-class words
// of its language the rules read (english.yaml unless the lexicon's own
// words section replaces them). A *Lexicon is immutable
// once built and safe for concurrent use.
type Lexicon struct {
	name        string
	fingerprint string
	sections    map[string]string // a fingerprint per section (lexiconSections)
	src         []byte            // the file it was parsed from (Source)
	parties     map[string]Party
	partyIDs    []string
	goldOther   map[string]bool // parties gold files name "other" (scored_as)
	topicIDs    []string
	partyNames  map[string]string   // folded id, name, alias or demonym → party id; "" when ambiguous
	people      map[string]struct{} // the people's names
	terms       map[string][]term   // an office's holders by office title, in order

	names       *matcher // party aliases, people, demonyms, roles
	cues        *matcher // cue phrases of every kind, and concessions
	hedges      *matcher
	topics      *matcher
	topicWords  map[string][]string // topic ids by word of their phrases (topicPhraseWords)
	roles       *matcher
	concessions *matcher

	words *words // the closed-class words the rules read
	// class is the class of every word the rules or a matcher look for:
	// words.class with the matchers' phrase starts (classify).
	class map[string]wordClass
}

// Party is one claimant of a lexicon.
type Party struct {
	ID   string // canonical id ("russia")
	Name string // display name ("Russia")
}

// lexiconFile is the YAML form of a lexicon; the README documents it.
type lexiconFile struct {
	Name    string `yaml:"name"`
	Version int    `yaml:"version"`
	Parties []struct {
		ID       string   `yaml:"id"`
		Name     string   `yaml:"name"`
		Aliases  []string `yaml:"aliases"`
		Demonyms []string `yaml:"demonyms"`
		// ScoredAs "other" says that gold files written to this lexicon's
		// conventions name the party "other" (see Lexicon.ScoredParty).
		ScoredAs string `yaml:"scored_as"`
	} `yaml:"parties"`
	People []struct {
		Name    string   `yaml:"name"`
		Party   string   `yaml:"party"`
		Aliases []string `yaml:"aliases"`
	} `yaml:"people"`
	Offices []officeEntry `yaml:"offices"`
	Roles   []string      `yaml:"roles"`
	Cues    struct {
		Demand      cueLists `yaml:"demand"`
		RedLine     cueLists `yaml:"red_line"`
		Offer       cueLists `yaml:"offer"`
		Concessions []string `yaml:"concessions"`
	} `yaml:"cues"`
	Hedges []string            `yaml:"hedges"`
	Topics yaml.Node           `yaml:"topics"`
	topics map[string][]string `yaml:"-"`
	Words  yaml.Node           `yaml:"words"`
}

// cueLists are a kind's cue phrases; a phrase marked ~ is a weak cue
// ("must", "plans"), which lowers the confidence of its claims.
type cueLists struct {
	Verbs []string `yaml:"verbs"`
	Nouns []string `yaml:"nouns"`
}

// DefaultLexicon returns the built-in lexicon of the Russia–Ukraine talks.
// Each call parses the embedded file anew; callers keep the result.
func DefaultLexicon() (*Lexicon, error) {
	return ParseLexicon(defaultLexicon, "built-in lexicon")
}

// LoadLexicon reads a lexicon file; errors name the file.
func LoadLexicon(path string) (*Lexicon, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	return ParseLexicon(b, path)
}

// idSep may not occur in a party or topic id: the index keeps a claim's
// position as one "party|topic|kind" term, split at the first two.
const idSep = "|"

// ParseLexicon parses and validates a lexicon in the YAML format the README
// describes. name labels errors ("lexicon.yaml: party 3: no id"). A lexicon
// must define at least one party, one cue and one topic; every person's party
// must be defined; ids may not repeat nor contain "|". Its words section, if any, replaces
// lists of the built-in English words by name; every list it names must be
// one english.yaml has, and not empty.
func ParseLexicon(data []byte, name string) (*Lexicon, error) {
	var f lexiconFile
	if err := decodeStrict(data, &f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty lexicon", name)
		}
		return nil, fmt.Errorf("%s: %w", name, lexiconYAMLError(err))
	}
	fail := func(format string, args ...any) (*Lexicon, error) {
		return nil, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(f.Name) == "" {
		// A model records the name of the lexicon it was trained for, and
		// an index the name of its claims' lexicon: two lexicons without
		// one would pass for each other.
		return fail("no name: a lexicon needs one (name: ...), which the models trained for it and the indexes it fills record")
	}
	topics, order, err := decodeTopics(&f.Topics)
	if err != nil {
		return fail("topics: %v", err)
	}
	f.topics = topics
	w, err := lexiconWords(&f.Words)
	if err != nil {
		return fail("%v", err)
	}

	lx := &Lexicon{
		name:        f.Name,
		src:         slices.Clone(data),
		parties:     map[string]Party{},
		goldOther:   map[string]bool{},
		partyNames:  map[string]string{},
		people:      map[string]struct{}{},
		terms:       map[string][]term{},
		names:       newMatcher(wcNameStart),
		cues:        newMatcher(wcCueStart),
		hedges:      newMatcher(wcHedgeStart),
		topics:      newMatcher(wcTopicStart),
		roles:       newMatcher(wcRoleStart),
		concessions: newMatcher(wcConcessionStart),
		topicIDs:    order,
		words:       w,
	}
	if len(f.Parties) == 0 {
		return fail("no parties")
	}
	for i, p := range f.Parties {
		if p.ID == "" {
			return fail("party %d: no id", i+1)
		}
		if strings.Contains(p.ID, idSep) {
			return fail("party %q: an id may not contain %q", p.ID, idSep)
		}
		if p.ID == OtherParty {
			// Gold files and scoring read "other" as any party the
			// lexicon does not name: a party of that id would be both.
			return fail("party %q: the id is reserved for the parties a lexicon does not name", p.ID)
		}
		if _, dup := lx.parties[p.ID]; dup {
			return fail("party %q defined twice", p.ID)
		}
		if p.Name == "" {
			p.Name = p.ID
		}
		switch p.ScoredAs {
		case "", p.ID:
		case OtherParty:
			lx.goldOther[p.ID] = true
		default:
			return fail("party %q: scored_as %q: the only value is %q (gold files name the party \"other\")", p.ID, p.ScoredAs, OtherParty)
		}
		lx.parties[p.ID] = Party{ID: p.ID, Name: p.Name}
		lx.partyIDs = append(lx.partyIDs, p.ID)
		for _, a := range append([]string{p.Name}, p.Aliases...) {
			lx.names.add(a, nameRef{party: p.ID, kind: refAlias})
		}
		for _, a := range p.Demonyms {
			lx.names.add(a, nameRef{party: p.ID, kind: refDemonym})
		}
	}
	for _, p := range f.Parties {
		for _, a := range slices.Concat([]string{p.ID, p.Name}, p.Aliases, p.Demonyms) {
			k := foldName(a)
			if id, seen := lx.partyNames[k]; seen && id != p.ID {
				lx.partyNames[k] = "" // two parties go by it
			} else if k != "" {
				lx.partyNames[k] = p.ID
			}
		}
	}
	for _, p := range f.Parties { // an id is never ambiguous
		lx.partyNames[foldName(p.ID)] = p.ID
	}
	for i, p := range f.People {
		if p.Name == "" {
			return fail("person %d: no name", i+1)
		}
		if _, ok := lx.parties[p.Party]; !ok {
			return fail("person %q: unknown party %q", p.Name, p.Party)
		}
		lx.people[p.Name] = struct{}{}
		for _, a := range append([]string{p.Name}, p.Aliases...) {
			lx.names.add(a, nameRef{party: p.Party, kind: refPerson, person: p.Name})
		}
	}
	if err := lx.offices(&f); err != nil {
		return fail("%v", err)
	}
	for _, r := range f.Roles {
		lx.roles.add(r, nameRef{kind: refRole})
	}
	ncues := 0
	for _, c := range []struct {
		kind  string
		lists cueLists
	}{{KindDemand, f.Cues.Demand}, {KindRedLine, f.Cues.RedLine}, {KindOffer, f.Cues.Offer}} {
		for _, v := range c.lists.Verbs {
			v, weak := weakPhrase(v)
			lx.cues.add(v, cueRef{kind: c.kind, weak: weak})
			ncues++
		}
		for _, v := range c.lists.Nouns {
			v, weak := weakPhrase(v)
			lx.cues.add(v, cueRef{kind: c.kind, noun: true, weak: weak})
			ncues++
		}
	}
	if ncues == 0 {
		return fail("no cue phrases")
	}
	for _, v := range f.Cues.Concessions {
		v, weak := weakPhrase(v)
		lx.concessions.add(v, cueRef{kind: KindOffer, concession: true, weak: weak})
	}
	for _, h := range f.Hedges {
		lx.hedges.add(h, struct{}{})
	}
	if len(order) == 0 {
		return fail("no topics")
	}
	for _, id := range order {
		for _, p := range topics[id] {
			p, weak := weakPhrase(p)
			lx.topics.add(p, topicRef{id: id, weak: weak})
		}
	}
	lx.topicWords = topicPhraseWords(lx.topics)
	lx.class = maps.Clone(w.class)
	for _, m := range []*matcher{lx.names, lx.cues, lx.hedges, lx.topics, lx.roles, lx.concessions} {
		for first := range m.byFirst {
			lx.class[first] |= m.start
		}
	}
	var words any
	if f.Words.Kind != 0 {
		if err := f.Words.Decode(&words); err != nil {
			return fail("words: %v", err)
		}
	}
	if lx.sections, err = lexiconSections(&f, words); err != nil {
		return fail("%v", err)
	}
	// The words the rules read are part of what the lexicon decides.
	h := sha256.New()
	h.Write(data)
	h.Write([]byte{0})
	h.Write(englishYAML)
	lx.fingerprint = hex.EncodeToString(h.Sum(nil)[:8])
	return lx, nil
}

// lexiconYAMLError rewrites the decoder's errors on a lexicon's fields for
// its writer: "line 17: field alias not found in type struct { ID string
// ... }" becomes "line 17: unknown field "alias" in a party (its fields:
// id, name, aliases, demonyms)". Other errors are left as they are.
func lexiconYAMLError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	places := lexiconPlaces()
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = m
		line, rest, ok := strings.Cut(m, ": field ")
		if !ok {
			continue
		}
		field, typ, ok := strings.Cut(rest, " not found in type ")
		if p, known := places[typ]; ok && known {
			msgs[i] = fmt.Sprintf("%s: unknown field %q in %s (its fields: %s)", line, field, p.what, strings.Join(p.fields, ", "))
		}
	}
	return errors.New(strings.Join(msgs, "; "))
}

// lexiconPlace is a mapping of the lexicon file: what it is, for an error,
// and the fields it may have.
type lexiconPlace struct {
	what   string
	fields []string
}

// lexiconPlaces returns the mappings of lexiconFile by the name the YAML
// decoder gives their Go type.
func lexiconPlaces() map[string]lexiconPlace {
	what := map[string]string{"": "the lexicon", "parties": "a party", "people": "a person", "cues": "cues",
		"cues.demand": "a kind's cues", "cues.red_line": "a kind's cues", "cues.offer": "a kind's cues"}
	out := map[string]lexiconPlace{}
	var walk func(t reflect.Type, path string)
	walk = func(t reflect.Type, path string) {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == reflect.TypeFor[yaml.Node]() {
			return
		}
		p := lexiconPlace{what: cmp.Or(what[path], path)}
		for i := range t.NumField() {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			p.fields = append(p.fields, tag)
			walk(t.Field(i).Type, strings.TrimPrefix(path+"."+tag, "."))
		}
		out[t.String()] = p
	}
	walk(reflect.TypeFor[lexiconFile](), "")
	return out
}

// classify sets the class of each of toks and returns toks. The rules and
// the matchers read a token's class, so every token slice they see is
// classified first (claimState.analyse); a matcher still finds its phrases
// in tokens that are not, by looking each one up.
func (lx *Lexicon) classify(toks []token) []token {
	for k := range toks {
		toks[k].class = lx.class[toks[k].norm] | wcClassified
	}
	return toks
}

// weakPhrase reads the ~ that marks a weak cue or topic phrase.
func weakPhrase(p string) (string, bool) {
	if rest, ok := strings.CutPrefix(p, "~"); ok {
		return rest, true
	}
	return p, false
}

// decodeTopics reads the topics mapping keeping the file's order, which is
// the order topics are reported in.
func decodeTopics(n *yaml.Node) (map[string][]string, []string, error) {
	if n.Kind == 0 {
		return nil, nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, nil, fmt.Errorf("line %d: want a mapping of topic id to phrases", n.Line)
	}
	m := map[string][]string{}
	var order []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		id := n.Content[i].Value
		var phrases []string
		if err := n.Content[i+1].Decode(&phrases); err != nil {
			return nil, nil, fmt.Errorf("topic %q: %w", id, err)
		}
		if strings.Contains(id, idSep) {
			return nil, nil, fmt.Errorf("topic %q: an id may not contain %q", id, idSep)
		}
		if _, dup := m[id]; dup {
			return nil, nil, fmt.Errorf("topic %q defined twice", id)
		}
		// A topic without a phrase is one no rule can give: a slip
		// ("water:" with its list forgotten) more often than a choice.
		if !slices.ContainsFunc(phrases, func(p string) bool { return strings.Trim(p, "~ ") != "" }) {
			return nil, nil, fmt.Errorf("line %d: topic %q has no phrases", n.Content[i].Line, id)
		}
		m[id] = phrases
		order = append(order, id)
	}
	return m, order, nil
}

// Source returns the file the lexicon was parsed from, which ParseLexicon
// parses to the same lexicon: an index keeps it, so that the commands that
// read the index know the parties of its claims.
func (lx *Lexicon) Source() []byte { return slices.Clone(lx.src) }

// Name is the lexicon's name ("russia-ukraine").
func (lx *Lexicon) Name() string { return lx.name }

// Fingerprint identifies the lexicon's content: it changes whenever the file
// or the built-in English words (english.yaml) do, so indexed claims can be
// re-extracted when the lexicon changes.
func (lx *Lexicon) Fingerprint() string { return lx.fingerprint }

// Parties returns the lexicon's parties in file order.
func (lx *Lexicon) Parties() []Party {
	out := make([]Party, 0, len(lx.partyIDs))
	for _, id := range lx.partyIDs {
		out = append(out, lx.parties[id])
	}
	return out
}

// PartyID returns the id of the party a name stands for: its id, display
// name, an alias or a demonym ("Kremlin", "the Kremlin", "Russian" →
// "russia"), in any case and spacing. ok is false for a name no party or
// more than one party goes by.
func (lx *Lexicon) PartyID(name string) (id string, ok bool) {
	id = lx.partyNames[foldName(name)]
	return id, id != ""
}

func foldName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// Topics returns the topic ids in file order.
func (lx *Lexicon) Topics() []string { return slices.Clone(lx.topicIDs) }

// refKind says what a matched name stands for.
type refKind uint8

const (
	refAlias   refKind = iota // a party's name, place or office
	refPerson                 // a person who speaks for a party
	refDemonym                // an adjective, a claimant only before a role noun
	refRole                   // a role noun ("negotiator")
)

type nameRef struct {
	party  string
	kind   refKind
	person string
}

// topicRef is what a topic phrase stands for.
type topicRef struct {
	id   string
	weak bool // background wording: counts only for a claim with no other topic
}

type cueRef struct {
	kind       string
	noun       bool
	concession bool
	weak       bool // marked ~: a cue that states a position only weakly ("must")
}

// matcher finds lexicon phrases in token sequences, longest phrase first.
type matcher struct {
	byFirst map[string][]phrase
	// start is the class bit of the words a phrase of the matcher starts
	// with (Lexicon.class): most tokens of a sentence start none, and
	// their class turns them away without a lookup in byFirst.
	start wordClass
}

type phrase struct {
	words []string // folded
	upper bool     // the phrase starts with a capital: the text must too
	value any
}

func newMatcher(start wordClass) *matcher {
	return &matcher{byFirst: map[string][]phrase{}, start: start}
}

func (m *matcher) add(text string, value any) {
	toks := tokenize(strings.TrimSpace(text))
	if len(toks) == 0 {
		return
	}
	p := phrase{upper: toks[0].upper, value: value}
	for _, t := range toks {
		p.words = append(p.words, t.norm)
	}
	list := m.byFirst[p.words[0]]
	for _, q := range list {
		if slices.Equal(q.words, p.words) && q.upper == p.upper && q.value == p.value {
			return
		}
	}
	list = append(list, p)
	// Longest first, so the first match at a position is the longest.
	slices.SortStableFunc(list, func(a, b phrase) int { return len(b.words) - len(a.words) })
	m.byFirst[p.words[0]] = list
}

// match is one phrase found in a token sequence: tokens [i, j).
type match struct {
	i, j  int
	value any
}

// at returns every phrase that matches at token i, longest first; none
// when i is out of range. A token the lexicon has classified is looked up
// only when its class says a phrase of m starts with it.
func (m *matcher) at(toks []token, i int) []match { return m.appendAt(nil, toks, i) }

// appendAt appends the matches at returns to out and returns the result:
// with out an array on the caller's stack, as in the rules' loops over a
// sentence, finding a phrase allocates nothing.
func (m *matcher) appendAt(out []match, toks []token, i int) []match {
	if i < 0 || i >= len(toks) {
		return out
	}
	norm := toks[i].norm
	if norm == "" {
		return out
	}
	if c := toks[i].class; c&wcClassified != 0 && c&m.start == 0 {
		return out
	}
	for _, p := range m.byFirst[norm] {
		if p.upper && !toks[i].upper {
			continue
		}
		if i+len(p.words) > len(toks) {
			continue
		}
		ok := true
		for k := 1; k < len(p.words); k++ {
			if toks[i+k].norm != p.words[k] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, match{i: i, j: i + len(p.words), value: p.value})
		}
	}
	return out
}
