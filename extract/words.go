package extract

// The closed-class words the claim rules read: negators, auxiliaries,
// prepositions, reporting verbs and the like. They are data, not code: the
// English ones are in english.yaml, which every lexicon shares, and a
// lexicon's own `words:` section replaces any of its lists.

import (
	"bytes"
	_ "embed"
	"fmt"
	"maps"
	"math/bits"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed english.yaml
var englishYAML []byte

// words are the word lists of one lexicon, built once and never modified.
type words struct {
	negators             map[string]bool // "not", "never": negate the cue after them
	chainers             map[string]bool // may join two cues of one predicate
	auxiliaries          map[string]bool // not counted between a negator and its cue
	determiners          map[string]bool // a cue after one reads as a noun
	adjectiveBefore      map[string]bool // a participle after one is an adjective
	prepositions         map[string]bool // a name after one is an object
	modified             map[string]bool // nouns a name may qualify ("NATO membership")
	subjectLeft          map[string]bool // a clause, and a subject, may begin after one
	clauseVerbs          map[string]bool // take a clause without "that"
	titleWords           map[string]bool // lower-case words of titles before a name
	reportingVerbs       map[string]bool // name the speaker of a quotation
	adjectivalRedLine    map[string]bool // cue phrases whose holder follows "to"
	beForms              map[string]bool // forms of "be"
	participleAdjectives map[string]bool // "prepared", "opposed": not passives
	needsHolder          map[string]bool // noun cues that need a named holder
	reportingInsist      map[string]bool // cue phrases of insisting that report
	notGivenNames        map[string]bool // capitalised before a surname, not a given name
	addressing           map[string]bool // verbs whose object is a position's addressee
	irregularParticiples map[string]bool // "told": a participle without -ed or -en
	notParticiples       map[string]bool // "even", "citizen": -ed or -en but no participle
	pronouns             map[string]string
	conditionMarkers     [][]string
	stance               map[string]int // word → the bit of its stance class (kindcues.go)
	// class is every word of the single-word lists above with the set of
	// lists it is in, from which each lexicon makes its own (Lexicon.class).
	class map[string]wordClass
}

// wordClass is the set of the closed-class lists a word is in, with its
// stance bit (words.stance) in the bits from wcStanceShift up, and the
// lexicon's matchers that have a phrase starting with the word. A
// sentence's tokens are looked up once (Lexicon.classify), and the rules
// then test a token's class bits instead of hashing the same word again
// for every list and matcher they ask about.
type wordClass uint32

// The lists of a wordClass, one bit each.
const (
	wcNegator wordClass = 1 << iota
	wcChainer
	wcAuxiliary
	wcDeterminer
	wcAdjectiveBefore
	wcPreposition
	wcModified
	wcSubjectLeft
	wcClauseVerb
	wcTitleWord
	wcReportingVerb
	wcBeForm
	wcParticipleAdjective
	wcNeedsHolder
	wcPronoun        // in one of the pronoun lists; words.pronouns says which
	wcConditionStart // the first word of a condition marker
)

// The lexicon's matchers a word starts a phrase of (matcher.start).
const (
	wcNameStart wordClass = 1 << (16 + iota)
	wcCueStart
	wcHedgeStart
	wcTopicStart
	wcRoleStart
	wcConcessionStart
)

// wcClassified marks a token Lexicon.classify has set the class of: the
// class of any other token says nothing.
const wcClassified wordClass = 1 << 31

// wcStanceShift is where a wordClass keeps the word's stance bit: the
// stance bits (kindcues.go) take five bits, above the lists' and the
// matchers' and below wcClassified.
const wcStanceShift = 24

// stance returns the word's stance bit (kindcues.go), 0 for none.
func (c wordClass) stance() int { return int(c>>wcStanceShift) & (1<<len(stanceClasses) - 1) }

// wordLists are the lists of a words section, in english.yaml's order.
// Phrase lists hold cue phrases, matched against a cue's text folded to
// lower case, or condition markers, matched word by word; the others hold
// single words, matched against a token's folded form.
var wordLists = [...]struct {
	name   string
	phrase bool
}{
	{"negators", false}, {"chainers", false}, {"auxiliaries", false},
	{"determiners", false}, {"adjective_before", false},
	{"prepositions", false}, {"modified", false}, {"subject_left", false},
	{"clause_verbs", false}, {"title_words", false}, {"reporting_verbs", false},
	{"adjectival_red_line", true}, {"be_forms", false},
	{"participle_adjectives", false}, {"needs_holder", false},
	{"reporting_insist", true},
	{"it_pronouns", false}, {"they_pronouns", false}, {"he_pronouns", false}, {"we_pronouns", false},
	{"condition_markers", true},
	{"deontic", false}, {"commissive", false}, {"punitive", false},
	{"provision", false}, {"narration", false},
	{"not_given_names", false}, {"addressing", false},
	{"irregular_participles", false}, {"not_participles", false},
}

// stanceClasses are the word lists whose words the kind features read as
// a class of their own (kindcues.go), each list named as its class.
var stanceClasses = [...]string{"deontic", "commissive", "punitive", "provision", "narration"}

// pronounClasses are what a pronoun may stand for, each with its list:
// "it" a state or an office, "they" a party, "he" a person, "we" the
// speaker of the quote it stands in.
var pronounClasses = [...]string{"it", "they", "he", "we"}

// englishLists are the lists of english.yaml, decoded once. The map is
// shared: callers copy it before changing it.
var englishLists = sync.OnceValues(func() (map[string][]string, error) {
	var f struct {
		Words yaml.Node `yaml:"words"`
	}
	if err := decodeStrict(englishYAML, &f); err != nil {
		return nil, fmt.Errorf("english.yaml: %w", err)
	}
	lists, err := decodeWords(&f.Words, true)
	if err != nil {
		return nil, fmt.Errorf("english.yaml: %w", err)
	}
	return lists, nil
})

// builtinWords are the built-in English words (english.yaml), built once.
var builtinWords = sync.OnceValues(func() (*words, error) {
	lists, err := englishLists()
	if err != nil {
		return nil, err
	}
	w, err := buildWords(lists)
	if err != nil {
		return nil, fmt.Errorf("english.yaml: %w", err)
	}
	return w, nil
})

// lexiconWords builds a lexicon's words: the English lists, each replaced
// by the lexicon's own list of the same name. n is the lexicon's words
// section, absent (zero) when it has none.
func lexiconWords(n *yaml.Node) (*words, error) {
	own, err := decodeWords(n, false)
	if err != nil {
		return nil, err
	}
	if len(own) == 0 {
		return builtinWords()
	}
	base, err := englishLists()
	if err != nil {
		return nil, err
	}
	lists := maps.Clone(base)
	maps.Copy(lists, own)
	w, err := buildWords(lists)
	if err != nil {
		return nil, fmt.Errorf("words: %w", err)
	}
	return w, nil
}

// decodeWords reads a words section: a mapping of list name to a non-empty
// list of words. Words are folded to lower case, with runs of white space
// read as one space. With all, every list must be present.
func decodeWords(n *yaml.Node, all bool) (map[string][]string, error) {
	if n.Kind == 0 {
		if all {
			return nil, fmt.Errorf("no words section")
		}
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("words: line %d: want a mapping of list name to a list of words", n.Line)
	}
	lists := map[string][]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		name := key.Value
		phrase, known := false, false
		for _, l := range wordLists {
			if l.name == name {
				phrase, known = l.phrase, true
			}
		}
		if !known {
			return nil, fmt.Errorf("words: line %d: unknown list %q", key.Line, name)
		}
		if _, dup := lists[name]; dup {
			return nil, fmt.Errorf("words: list %q defined twice", name)
		}
		if val.Kind == yaml.ScalarNode && val.Tag == "!!null" {
			return nil, fmt.Errorf("words: list %q is empty", name)
		}
		if val.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("words: list %q: line %d: want a list of words", name, val.Line)
		}
		if len(val.Content) == 0 {
			return nil, fmt.Errorf("words: list %q is empty", name)
		}
		list := make([]string, 0, len(val.Content))
		for _, e := range val.Content {
			w := strings.Join(strings.Fields(strings.ToLower(e.Value)), " ")
			switch {
			case e.Kind != yaml.ScalarNode || e.Tag == "!!null":
				return nil, fmt.Errorf("words: list %q: line %d: want a word", name, e.Line)
			case w == "":
				return nil, fmt.Errorf("words: list %q: line %d: empty word", name, e.Line)
			case !phrase && strings.Contains(w, " "):
				return nil, fmt.Errorf("words: list %q: %q is more than one word", name, w)
			}
			list = append(list, w)
		}
		lists[name] = list
	}
	if all {
		for _, l := range wordLists {
			if _, ok := lists[l.name]; !ok {
				return nil, fmt.Errorf("words: list %q missing", l.name)
			}
		}
	}
	return lists, nil
}

// buildWords makes the sets the rules read of a complete set of lists.
func buildWords(lists map[string][]string) (*words, error) {
	set := func(name string) map[string]bool {
		m := make(map[string]bool, len(lists[name]))
		for _, w := range lists[name] {
			m[w] = true
		}
		return m
	}
	w := &words{
		negators:             set("negators"),
		chainers:             set("chainers"),
		auxiliaries:          set("auxiliaries"),
		determiners:          set("determiners"),
		adjectiveBefore:      set("adjective_before"),
		prepositions:         set("prepositions"),
		modified:             set("modified"),
		subjectLeft:          set("subject_left"),
		clauseVerbs:          set("clause_verbs"),
		titleWords:           set("title_words"),
		reportingVerbs:       set("reporting_verbs"),
		adjectivalRedLine:    set("adjectival_red_line"),
		beForms:              set("be_forms"),
		participleAdjectives: set("participle_adjectives"),
		needsHolder:          set("needs_holder"),
		reportingInsist:      set("reporting_insist"),
		notGivenNames:        set("not_given_names"),
		addressing:           set("addressing"),
		irregularParticiples: set("irregular_participles"),
		notParticiples:       set("not_participles"),
		pronouns:             map[string]string{},
		stance:               map[string]int{},
	}
	for b, class := range stanceClasses {
		for _, v := range lists[class] {
			if other, dup := w.stance[v]; dup && other != 1<<b {
				return nil, fmt.Errorf("%q is in both %s and %s", v, stanceClasses[bits.TrailingZeros(uint(other))], class)
			}
			w.stance[v] = 1 << b
		}
	}
	for _, class := range pronounClasses {
		for _, p := range lists[class+"_pronouns"] {
			if other, dup := w.pronouns[p]; dup && other != class {
				return nil, fmt.Errorf("%q is in both %s_pronouns and %s_pronouns", p, other, class)
			}
			w.pronouns[p] = class
		}
	}
	for _, m := range lists["condition_markers"] {
		w.conditionMarkers = append(w.conditionMarkers, strings.Fields(m))
	}
	w.class = wordClasses(w)
	return w, nil
}

// wordClasses builds words.class from w's lists.
func wordClasses(w *words) map[string]wordClass {
	out := map[string]wordClass{}
	for _, l := range []struct {
		set map[string]bool
		c   wordClass
	}{
		{w.negators, wcNegator}, {w.chainers, wcChainer}, {w.auxiliaries, wcAuxiliary},
		{w.determiners, wcDeterminer}, {w.adjectiveBefore, wcAdjectiveBefore},
		{w.prepositions, wcPreposition}, {w.modified, wcModified}, {w.subjectLeft, wcSubjectLeft},
		{w.clauseVerbs, wcClauseVerb}, {w.titleWords, wcTitleWord}, {w.reportingVerbs, wcReportingVerb},
		{w.beForms, wcBeForm}, {w.participleAdjectives, wcParticipleAdjective}, {w.needsHolder, wcNeedsHolder},
	} {
		for word := range l.set {
			out[word] |= l.c
		}
	}
	for word := range w.pronouns {
		out[word] |= wcPronoun
	}
	for _, mk := range w.conditionMarkers {
		out[mk[0]] |= wcConditionStart
	}
	for word, b := range w.stance {
		out[word] |= wordClass(b) << wcStanceShift
	}
	return out
}

// decodeStrict decodes YAML into v, refusing fields v does not have.
func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}
