package filter

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"redline/claim"
	"redline/extract"
	"redline/index"
)

// kinds are the claim kinds, valid whether or not the index has claims of
// them.
var kinds = []string{claim.Demand, claim.RedLine, claim.Offer}

// fold is the form in which a filter value and an indexed value are
// compared: lower case, single spaces; for the id fields (party, kind,
// topic, target) spaces and hyphens are underscores ("Red line" is red_line,
// "United States" united_states).
func fold(field, v string) string {
	v = strings.ToLower(strings.Join(strings.Fields(v), " "))
	if field != "outlet" && field != "speaker" {
		v = strings.NewReplacer(" ", "_", "-", "_").Replace(v)
	}
	return v
}

// KindOf checks a --kind value without the index: the claim kinds are
// fixed.
func KindOf(v string) (string, error) {
	k := fold("kind", v)
	if slices.Contains(kinds, k) {
		return k, nil
	}
	return "", Errorf("--kind %q: want %s", v, strings.Join(kinds, ", "))
}

// Resolver maps the party, kind, topic and outlet values an analyst
// writes to the values the index holds: in any case, and for parties also
// by the names the index's lexicon gives them (Kremlin is russia). A value
// the index has never seen is an *Error that lists the nearest ones. A
// Resolver reads each field's values from the index once; it is not safe
// for concurrent use (make one per request).
type Resolver struct {
	ix     *index.Index
	values map[string][]string // by field, read from the index once
	lex    *extract.Lexicon
	lexErr error
}

// NewResolver returns a Resolver over ix that looks party names up in lex;
// nil lex means the lexicon the index keeps, its claims' own (the
// built-in one for an index that keeps none and whose claims are of the
// built-in lexicon), parsed when first needed (a caller that makes many
// Resolvers, such as a server, passes the one it holds).
func NewResolver(ix *index.Index, lex *extract.Lexicon) *Resolver {
	return &Resolver{ix: ix, values: map[string][]string{}, lex: lex}
}

// flagValues is one filter flag's values, resolved in place by flags.
type flagValues struct {
	name   string
	values *[]string
}

// flags resolves the values of each filter flag in place (see Flag), in
// order; the first error stops it.
func (r *Resolver) flags(fields ...flagValues) error {
	for _, f := range fields {
		vs, err := r.Flag(f.name, *f.values)
		if err != nil {
			return err
		}
		*f.values = vs
	}
	return nil
}

func (r *Resolver) known(field string) ([]string, error) {
	if vs, ok := r.values[field]; ok {
		return vs, nil
	}
	vs, err := r.ix.Values(field)
	if err != nil {
		return nil, err
	}
	r.values[field] = vs
	return vs, nil
}

// lexicon is the lexicon NewResolver was given, else the one the index
// keeps (the one its claims were extracted with), else the built-in one,
// loaded when first needed; nil when it does not load or when the index
// records claims of another lexicon it does not keep (then names are not
// looked up: the built-in lexicon would name another negotiation's
// parties, "Britain" united_kingdom where the index's says e3).
func (r *Resolver) lexicon() *extract.Lexicon {
	if r.lex == nil && r.lexErr == nil {
		r.lex, r.lexErr = IndexLexicon(r.ix)
	}
	return r.lex
}

// IndexLexicon is the lexicon of the index's claims: the one the index
// keeps, else the built-in one when the index's claims are of it. It is an
// error when the index records claims of another lexicon it does not keep.
func IndexLexicon(ix *index.Index) (*extract.Lexicon, error) {
	src, ok, err := ix.Lexicon()
	if err != nil {
		return nil, err
	}
	if ok {
		return extract.ParseLexicon(src, "the lexicon kept in index "+ix.Dir())
	}
	builtin, err := extract.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	if x, ok, err := ix.Extractor(); err != nil || (ok && x.Lexicon != builtin.Name()) {
		return nil, cmp.Or(err, errors.New("the index's lexicon is not kept"))
	}
	return builtin, nil
}

// Resolve returns the indexed values v stands for in field: those equal to
// it in fold form (an outlet may be indexed in several spellings),
// else for a party the id the lexicon gives the name. Its errors are *Error
// values that do not name the flag or query (the caller does). It is the
// index.Query.Resolve of a bound query.
func (r *Resolver) Resolve(field, v string) ([]string, error) {
	known, err := r.known(field)
	if err != nil {
		return nil, err
	}
	key := fold(field, v)
	var out []string
	for _, k := range known {
		if fold(field, k) == key {
			out = append(out, k)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	if field == "kind" && slices.Contains(kinds, key) {
		return []string{key}, nil // a kind no claim has: no hits, truthfully
	}
	if field == "party" || field == "target" { // a target is a party id
		if lx := r.lexicon(); lx != nil {
			if id, ok := lx.PartyID(v); ok {
				if slices.Contains(known, id) {
					return []string{id}, nil
				}
				if fold(field, v) == id {
					return nil, Errorf("no claim in the index has %s %s%s", field, id, suggest(field, id, known))
				}
				return nil, Errorf("%s %q is %s, and no claim in the index has it%s", field, v, id, suggest(field, id, known))
			}
		}
	}
	if field == "topic" {
		if lx := r.lexicon(); lx != nil && slices.Contains(lx.Topics(), key) {
			return nil, Errorf("no claim in the index has %s %q%s", field, v, suggest(field, key, known))
		}
	}
	return nil, Errorf("the index has never seen %s %q%s", field, v, suggest(field, v, known))
}

// holds reports whether the index holds v in field, in fold form.
func (r *Resolver) holds(field, v string) bool {
	known, err := r.known(field)
	if err != nil {
		return false
	}
	key := fold(field, v)
	return slices.ContainsFunc(known, func(k string) bool { return fold(field, k) == key })
}

// suggest is the tail of an unknown-value error: the nearest values the
// index holds, or that it holds none.
func suggest(field, v string, known []string) string {
	if len(known) == 0 {
		return fmt.Sprintf(" (the index has no claims with a %s)", field)
	}
	s := "; nearest: "
	near := nearest(field, v, known, 5)
	if len(near) == 0 {
		s = "; it has: "
		near = known[:min(5, len(known))]
	}
	s += strings.Join(near, ", ")
	if len(known) > len(near) {
		switch field {
		case "party", "kind", "topic", "outlet":
			s += fmt.Sprintf(" (%d in all: redline stats lists them)", len(known))
		default:
			// stats counts claims by party, kind, topic and outlet
			// only: sending the user there for a speaker or a target
			// would send them to a list without it.
			s += fmt.Sprintf(" (%d in all)", len(known))
		}
	}
	return s
}

// nearest returns up to n of known close to v, closest first: those that
// contain v (or that v begins with), then those at an edit distance of
// at most 2, or a third of v's length, by distance; compared in fold
// form.
func nearest(field, v string, known []string, n int) []string {
	key := fold(field, v)
	type cand struct {
		value     string
		notPrefix bool
		dist      int
	}
	cs := make([]cand, len(known))
	for i, k := range known {
		f := fold(field, k)
		prefix := key != "" && (strings.Contains(f, key) || strings.HasPrefix(key, f))
		cs[i] = cand{k, !prefix, EditDistance(key, f)}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		switch {
		case a.notPrefix != b.notPrefix:
			if a.notPrefix {
				return 1
			}
			return -1
		case a.dist != b.dist:
			return a.dist - b.dist
		}
		return strings.Compare(a.value, b.value)
	})
	limit := max(2, utf8.RuneCountInString(key)/3)
	var out []string
	for _, c := range cs {
		if len(out) == n || c.notPrefix && c.dist > limit {
			break
		}
		out = append(out, c.value)
	}
	return out
}

// EditDistance is the Levenshtein distance between a and b in runes, with
// two swapped neighbours counting as one edit ("rusisa" is one from
// "russia", "serach" from "search"): how far a mistyped name is from a
// known one, for filter values as for the command line's commands and
// flags.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rows of the table d[i][j], the distance between ra[:i] and
	// rb[:j]: a swap looks two rows back.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// Flag resolves the values of the filter flag --field (a URL parameter
// of the same name in the web API): the indexed values
// they stand for, each once. A value with a comma in it (an outlet
// "Smith, Jones & Co") comes split at its commas, as the lists are:
// consecutive values that, joined again with ", ", are a value the index
// holds stand for that value.
func (r *Resolver) Flag(field string, values []string) ([]string, error) {
	var out []string
	for i := 0; i < len(values); i++ {
		v := values[i]
		for j := len(values); j > i+1; j-- {
			if joined := strings.Join(values[i:j], ", "); r.holds(field, joined) {
				v, i = joined, j-1
				break
			}
		}
		vs, err := r.Resolve(field, v)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", field, err)
		}
		for _, x := range vs {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out, nil
}
