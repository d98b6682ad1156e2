package index

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"redline/claim"
)

// A query text is read the way web search reads one (see Query.Text):
// several words must all match, OR joins alternatives, NOT word and -word
// exclude, +word requires (as a plain word does), AND may be written and
// changes nothing, quotes make a phrase, and field:value searches a field.
// The operators are upper case; "and", "or" and "not" are words. Each word
// is one atom of Bleve's query-string syntax; the atoms are combined here,
// because Bleve's syntax cannot require one of several words next to
// another required word.

// textClause is one required or excluded part of a query text: a single
// atom, or atoms joined by OR (at least one must match).
type textClause struct {
	alts []string // Bleve query-string atoms, without a leading + or -
	not  bool
}

// queryFields maps the field names a query text may use to the indexed
// fields; singular and plural forms both work, and names are not
// case-sensitive.
var queryFields = map[string]string{
	"sentence": fieldSentence, "title": fieldTitle,
	"party": fieldParty, "parties": fieldParty,
	"kind": fieldKind, "kinds": fieldKind,
	"topic": fieldTopics, "topics": fieldTopics,
	"outlet": fieldOutlet, "outlets": fieldOutlet,
	"doc_id": fieldDocID, "speaker": fieldSpeaker, "target": fieldTarget,
	"attribution": fieldAttribution, "hedged": fieldHedged,
	"published": fieldPublished, "start": fieldStart, "confidence": fieldConfidence,
}

// queryFieldNames lists the fields for error messages.
func queryFieldNames() string {
	names := []string{"party", "kind", "topic", "outlet", "speaker", "target", "attribution", "doc_id",
		"title", "sentence", "hedged", "confidence", "start", "published"}
	return strings.Join(names, ", ")
}

// parseText splits a query text into clauses. Errors describe the text's
// mistake (an operator without a word, an unknown field); the caller
// wraps them in ErrQuery.
func parseText(text string) ([]textClause, error) {
	toks := splitText(text)
	var out []textClause
	isOp := func(t string) bool { return t == "AND" || t == "OR" || t == "NOT" }
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t {
		case "OR": // an OR after a word is read with the word, below
			return nil, errors.New("OR needs a word on each side")
		case "AND":
			if len(out) == 0 || i+1 >= len(toks) || isOp(toks[i+1]) && toks[i+1] != "NOT" {
				return nil, errors.New("AND needs a word on each side")
			}
			continue
		}
		not := false
		if t == "NOT" {
			if i+1 >= len(toks) || isOp(toks[i+1]) {
				return nil, errors.New("NOT needs a word after it")
			}
			i++
			t = toks[i]
			if strings.HasPrefix(t, "-") && len(t) > 1 {
				return nil, fmt.Errorf("NOT %s: exclude a word once", t)
			}
			not = true
		}
		atom, neg, err := atomOf(t)
		if err != nil {
			return nil, err
		}
		c := textClause{alts: []string{atom}, not: not || neg}
		for i+2 < len(toks) && toks[i+1] == "OR" {
			next := toks[i+2]
			if isOp(next) {
				return nil, errors.New("OR needs a word on each side")
			}
			alt, altNeg, err := atomOf(next)
			if err != nil {
				return nil, err
			}
			if c.not || altNeg {
				return nil, errors.New("OR cannot join an excluded word")
			}
			c.alts = append(c.alts, alt)
			i += 2
		}
		if i+1 < len(toks) && toks[i+1] == "OR" {
			return nil, errors.New("OR needs a word on each side")
		}
		out = append(out, c)
	}
	return out, nil
}

// atomOf strips a word's + or - and names its field the way the index
// does (topic:x is topics:x). A lone + or - is left to Bleve, which
// rejects it.
func atomOf(t string) (atom string, not bool, err error) {
	if len(t) > 1 && (t[0] == '+' || t[0] == '-') {
		not = t[0] == '-'
		t = t[1:]
	}
	i := fieldColon(t)
	if i <= 0 {
		return unanchored(t), not, nil
	}
	name := strings.ToLower(t[:i])
	field, ok := queryFields[name]
	if !ok {
		return "", false, fmt.Errorf("unknown field %q in %s (fields: %s; quote a word with a colon)", t[:i], t, queryFieldNames())
	}
	return field + ":" + unanchored(t[i+1:]), not, nil
}

// unanchored drops the "^" that opens a /regexp/ value. A regular
// expression matches whole words anyway, and Bleve's query-string parser
// fails on it with an index out of range.
func unanchored(v string) string {
	if rest, ok := strings.CutPrefix(v, "/^"); ok {
		return "/" + rest
	}
	return v
}

// fieldColon is the index of the colon that ends a field name at the start
// of an atom, or -1: a quoted or /regexp/ atom has none, and the name is
// letters, digits and _ only.
func fieldColon(t string) int {
	for i, r := range t {
		switch {
		case r == ':':
			return i
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
		default:
			return -1
		}
	}
	return -1
}

// splitText splits a query text at white space outside quotes; a
// backslash escapes the next character (kept, for Bleve to read).
func splitText(text string) []string {
	var toks []string
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\\' && i+n < len(text):
			_, n2 := utf8.DecodeRuneInString(text[i+n:])
			b.WriteString(text[i : i+n+n2])
			i += n + n2
			continue
		case r == '"':
			inQuote = !inQuote
		case unicode.IsSpace(r) && !inQuote:
			if b.Len() > 0 {
				toks = append(toks, b.String())
				b.Reset()
			}
			i += n
			continue
		}
		b.WriteString(text[i : i+n])
		i += n
	}
	if b.Len() > 0 {
		toks = append(toks, b.String())
	}
	return toks
}

// rewriteText returns a query text as its clauses read in Bleve's
// query-string syntax: +atom for a required atom, -atom for an excluded
// one, and +(a OR b) for alternatives (the one form Bleve's syntax lacks).
func rewriteText(text string) (string, error) {
	cs, err := parseText(text)
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		sign := "+"
		if c.not {
			sign = "-"
		}
		if len(c.alts) == 1 {
			parts = append(parts, sign+c.alts[0])
		} else {
			parts = append(parts, sign+"("+strings.Join(c.alts, " OR ")+")")
		}
	}
	return strings.Join(parts, " "), nil
}

// ResolveFunc maps a value written for a field in a query text
// (party:Kremlin) to the indexed values it stands for. field is "party",
// "kind", "topic", "outlet", "speaker" or "target".
type ResolveFunc func(field, value string) ([]string, error)

// keywordFacet names the keyword fields whose values a ResolveFunc maps.
var keywordFacet = map[string]string{fieldParty: "party", fieldKind: "kind", fieldTopics: "topic", fieldOutlet: "outlet",
	fieldSpeaker: "speaker", fieldTarget: "target"}

// textQuery builds the Bleve query of a query text. ok is false when the
// text has no word the index could match: every word is one the English
// analyzer leaves out ("the", "and"). Errors are the caller's to wrap.
func textQuery(text string, resolve ResolveFunc) (q query.Query, err error) {
	cs, err := parseText(text)
	if err != nil {
		return nil, err
	}
	var must, mustNot []query.Query
	for _, c := range cs {
		var alts []query.Query
		for _, a := range c.alts {
			aq, err := atomQuery(a, resolve)
			if err != nil {
				return nil, err
			}
			if aq != nil {
				alts = append(alts, aq)
			}
		}
		var cq query.Query
		switch len(alts) {
		case 0:
			continue // only words the index leaves out
		case 1:
			cq = alts[0]
		default:
			cq = query.NewDisjunctionQuery(alts)
		}
		if c.not {
			mustNot = append(mustNot, cq)
		} else {
			must = append(must, cq)
		}
	}
	if len(must) == 0 && len(mustNot) == 0 {
		if !strings.ContainsFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }) {
			// "(" or "--": no word at all, common or not.
			return nil, errNoWords
		}
		return nil, errStopWords
	}
	if len(must) == 0 {
		must = nil
	}
	if len(mustNot) == 0 {
		mustNot = nil
	}
	return query.NewBooleanQuery(must, nil, mustNot), nil
}

var errNoWords = errors.New("it has no word to search, only punctuation: write words, a \"phrase\" or field:value")

var errStopWords = errors.New("no word of it is searchable: words as common as \"the\", \"and\" or \"not\" are not indexed as single words; quote a phrase to search them (\"will not\")")

// atomQuery parses one atom with Bleve's query-string parser, checks it,
// and maps keyword-field values to terms. It returns nil for an atom that
// matches nothing because the analyzer drops its words.
func atomQuery(atom string, resolve ResolveFunc) (query.Query, error) {
	parsed, err := query.NewQueryStringQuery(atom).Parse()
	if err == nil {
		if v, ok := parsed.(query.ValidatableQuery); ok {
			err = v.Validate()
		}
	}
	if err == nil {
		err = checkLeaves(parsed)
	} else {
		// Bleve's parser says only "syntax error": name the word it could
		// not read and what a word may be.
		hint := ""
		if err.Error() == "syntax error" {
			hint = ` (want a word, a "phrase", field:value, a number after confidence:> or start:<, a quoted date after published:>=)`
		}
		err = fmt.Errorf("cannot read %q: %w%s", atom, err, hint)
	}
	if err != nil {
		return nil, err
	}
	q := unwrapAtom(parsed)
	if droppedWords(q) {
		return nil, nil
	}
	return mapLeaves(q, resolve)
}

// unwrapAtom returns the one clause Bleve's parser wrapped in a boolean
// query.
func unwrapAtom(q query.Query) query.Query {
	b, ok := q.(*query.BooleanQuery)
	if !ok || b.Must != nil || b.MustNot != nil || b.Filter != nil {
		return q
	}
	if d, ok := b.Should.(*query.DisjunctionQuery); ok && len(d.Disjuncts) == 1 {
		return d.Disjuncts[0]
	}
	return q
}

// droppedWords tells whether q searches text the English analyzer reduces
// to nothing (stop words), which would match no claim.
func droppedWords(q query.Query) bool {
	var field, text string
	switch q := q.(type) {
	case *query.MatchQuery:
		field, text = q.FieldVal, q.Match
	case *query.MatchPhraseQuery:
		field, text = q.FieldVal, q.MatchPhrase
	default:
		return false
	}
	if field != "" && field != fieldSentence && field != fieldTitle {
		return false
	}
	an := englishAnalyzer()
	if _, phrase := q.(*query.MatchPhraseQuery); phrase {
		an = exactTextAnalyzer() // phrases search the exact fields
	}
	return len(an.Analyze([]byte(text))) == 0
}

var englishAnalyzer = sync.OnceValue(func() analysis.Analyzer {
	return newMapping().AnalyzerNamed(en.AnalyzerName)
})

var exactTextAnalyzer = sync.OnceValue(func() analysis.Analyzer {
	return newMapping().AnalyzerNamed(exactAnalyzer)
})

// titleAnalyzer reads the words of a title: search. Claims index their
// title with it, articles store theirs as one keyword term, and Bleve
// picks a field's analyzer from whichever document mapping its map yields
// first, so without it title:ceasefire found the claims in some runs and
// none in others.
const titleAnalyzer = en.AnalyzerName

// attributions are the values of a claim's attribution, the only ones
// attribution: may take.
var attributions = []string{claim.BySubject, claim.BySpeaker, claim.ByPronoun, claim.ByHeading, claim.ByList}

// mapEach maps the leaves of each query of qs in place.
func mapEach(qs []query.Query, resolve ResolveFunc) error {
	for i, q := range qs {
		m, err := mapLeaves(q, resolve)
		if err != nil {
			return err
		}
		qs[i] = m
	}
	return nil
}

// mapLeaves replaces the word and phrase searches of keyword fields, which
// Bleve would run as text searches (a phrase never matches a keyword
// field, which keeps no positions), with term searches: party, kind, topic
// and outlet values through resolve (nil: lower-cased, outlets as written),
// hedged and attribution lower-cased and checked against the values they
// may take, the other fields as written.
func mapLeaves(q query.Query, resolve ResolveFunc) (query.Query, error) {
	var field, value string
	switch t := q.(type) {
	case *query.MatchQuery:
		if t.FieldVal == fieldTitle {
			t.Analyzer = titleAnalyzer
		}
		if t.Fuzziness != 0 {
			return q, nil
		}
		field, value = t.FieldVal, t.Match
	case *query.MatchPhraseQuery:
		if t.FieldVal == fieldTitle {
			// As on the sentence: title:"will not" is those two words
			// in a row, not every title with "will" (the English field
			// drops "not"). An index without the field reads it on the
			// title (see titlePhrases).
			t.FieldVal, t.Analyzer = fieldTitleExact, exactAnalyzer
			return t, nil
		}
		if t.FieldVal == "" || t.FieldVal == fieldSentence {
			// A quoted phrase on the sentence searches its exact words:
			// the English field drops "will", "not" and stems the rest,
			// so "will not cede" would find "will cede" too, and "will
			// not" nothing at all.
			t.FieldVal = fieldExact
			return t, nil
		}
		field, value = t.FieldVal, t.MatchPhrase
	case *query.WildcardQuery:
		if t.FieldVal == "" || t.FieldVal == fieldSentence {
			// Patterns match the words as written, in any case: on the
			// stemmed field "negotiat*" missed every "negotiation",
			// whose term there is "negoti".
			t.FieldVal = fieldExact
			t.Wildcard = strings.ToLower(t.Wildcard)
		}
		return t, nil
	case *query.RegexpQuery:
		if t.FieldVal == "" || t.FieldVal == fieldSentence {
			// As for wildcards; the terms are lower case, so the
			// pattern folds case. Bleve drops a leading "^" (terms are
			// matched whole), which must go before the flag.
			t.FieldVal = fieldExact
			t.Regexp = "(?i)" + strings.TrimPrefix(t.Regexp, "^")
		}
		return t, nil
	case *query.DisjunctionQuery:
		return q, mapEach(t.Disjuncts, resolve)
	case *query.ConjunctionQuery:
		return q, mapEach(t.Conjuncts, resolve)
	case *query.BooleanQuery:
		for _, sub := range []*query.Query{&t.Must, &t.Should, &t.MustNot} {
			if *sub == nil {
				continue
			}
			m, err := mapLeaves(*sub, resolve)
			if err != nil {
				return nil, err
			}
			*sub = m
		}
		return q, nil
	default:
		return q, nil
	}
	var values []string
	switch field {
	case fieldParty, fieldKind, fieldTopics, fieldOutlet, fieldSpeaker, fieldTarget:
		if resolve != nil {
			vs, err := resolve(keywordFacet[field], value)
			if err != nil {
				return nil, err
			}
			values = vs
		} else if field == fieldOutlet || field == fieldSpeaker {
			values = []string{value}
		} else {
			values = []string{strings.ToLower(value)}
		}
	case fieldHedged:
		v := strings.ToLower(value)
		if v != "true" && v != "false" {
			// Any other value matches nothing: say so rather than
			// answer "0 claims match".
			return nil, fmt.Errorf("hedged:%s: want true or false", value)
		}
		values = []string{v}
	case fieldAttribution:
		v := strings.ToLower(value)
		if !slices.Contains(attributions, v) {
			return nil, fmt.Errorf("attribution:%s: want subject, speaker, pronoun, heading or list", value)
		}
		values = []string{v}
	case fieldDocID:
		values = []string{value}
	case fieldPublished:
		return publishedOn(value)
	default:
		return q, nil
	}
	switch len(values) {
	case 0:
		return query.NewMatchNoneQuery(), nil
	case 1:
		return termQuery(field, values[0]), nil
	}
	terms := make([]query.Query, len(values))
	for i, v := range values {
		terms[i] = termQuery(field, v)
	}
	return query.NewDisjunctionQuery(terms), nil
}

// Values returns every value that field ("party", "kind", "topic",
// "outlet", "speaker" or "target") has in the index's claims, sorted. A
// value whose claims were all replaced may linger until the index merges
// its segments.
func (ix *Index) Values(field string) ([]string, error) {
	var name string
	for f, facet := range keywordFacet {
		if facet == field {
			name = f
		}
	}
	if name == "" {
		return nil, fmt.Errorf("index: no field %q to list values of", field)
	}
	dict, err := ix.bl.FieldDict(name)
	if err != nil {
		return nil, ix.wrap(err)
	}
	defer dict.Close()
	var out []string
	for {
		e, err := dict.Next()
		if err != nil {
			return nil, ix.wrap(err)
		}
		if e == nil {
			break
		}
		if e.Count > 0 {
			out = append(out, e.Term)
		}
	}
	sort.Strings(out)
	return slices.Compact(out), nil
}

// hasTitleExact tells whether the index mapping m has the claims' exact
// title field (indexes made since title phrases keep every word).
func hasTitleExact(m mapping.IndexMapping) bool {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok {
		return false
	}
	dm := im.TypeMapping[typeClaim]
	return dm != nil && dm.Properties[fieldTitleExact] != nil
}

// titlePhrases rewrites the title phrases of q, in place, for an index
// made before the exact title field: they search the English title field
// as before, which drops common words and stems the others. A phrase that
// would lose a word there ("will not") is an error saying why, rather than
// the titles with "will" alone.
func titlePhrases(q query.Query) error {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{t.Must, t.Should, t.MustNot, t.Filter} {
			if sub != nil {
				if err := titlePhrases(sub); err != nil {
					return err
				}
			}
		}
	case *query.ConjunctionQuery:
		for _, c := range t.Conjuncts {
			if err := titlePhrases(c); err != nil {
				return err
			}
		}
	case *query.DisjunctionQuery:
		for _, d := range t.Disjuncts {
			if err := titlePhrases(d); err != nil {
				return err
			}
		}
	case *query.MatchPhraseQuery:
		if t.FieldVal != fieldTitleExact {
			return nil
		}
		if n, m := len(englishAnalyzer().Analyze([]byte(t.MatchPhrase))), len(exactTextAnalyzer().Analyze([]byte(t.MatchPhrase))); n != m {
			return fmt.Errorf("title:%q: this index was made before title phrases kept words as common as \"not\"; ingest again into a fresh index (redline ingest --rebuild) to search them", t.MatchPhrase)
		}
		t.FieldVal, t.Analyzer = fieldTitle, titleAnalyzer
	}
	return nil
}

// publishedOn is the query of published:VALUE, a day (2025-03-14), a month
// (2025-03) or a year (2025): the claims published in it. As a word or a
// phrase, Bleve would search the date field's text, which matches nothing.
func publishedOn(value string) (query.Query, error) {
	v := strings.TrimSpace(value)
	for _, l := range []struct {
		layout              string
		years, months, days int
	}{{dateLayout, 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}} {
		first, err := time.Parse(l.layout, v)
		if err != nil {
			continue
		}
		last := first.AddDate(l.years, l.months, l.days-1)
		yes := true
		dr := query.NewDateRangeInclusiveQuery(first, last, &yes, &yes)
		dr.SetField(fieldPublished)
		return dr, nil
	}
	return nil, fmt.Errorf("published:%s: want a day (published:2025-03-14), a month (2025-03) or a year (2025), or a range (published:>=\"2025-03-01\")", value)
}
