package index

import (
	"fmt"
	"regexp/syntax"
	"strings"

	"github.com/blevesearch/bleve/v2/search/query"
	vregexp "github.com/blevesearch/vellum/regexp"
)

// maxFuzziness is Bleve's limit on edit distance (searcher.MaxFuzziness).
const maxFuzziness = 2

// checkLeaves finds the errors Bleve only reports when it builds the
// searcher, not when it parses or validates: regular expressions (and
// wildcards, which become regular expressions) that the term-dictionary
// automaton rejects, and fuzziness above 2.
func checkLeaves(q query.Query) error {
	switch q := q.(type) {
	case nil:
		return nil
	case *query.BooleanQuery:
		for _, sub := range []query.Query{q.Must, q.Should, q.MustNot} {
			if err := checkLeaves(sub); err != nil {
				return err
			}
		}
	case *query.ConjunctionQuery:
		for _, sub := range q.Conjuncts {
			if err := checkLeaves(sub); err != nil {
				return err
			}
		}
	case *query.DisjunctionQuery:
		for _, sub := range q.Disjuncts {
			if err := checkLeaves(sub); err != nil {
				return err
			}
		}
	case *query.RegexpQuery:
		if err := compileTermRegexp(strings.TrimPrefix(q.Regexp, "^")); err != nil {
			return fmt.Errorf("regular expression /%s/: %v", q.Regexp, err)
		}
	case *query.WildcardQuery:
		if err := compileTermRegexp(wildcardToRegexp(q.Wildcard)); err != nil {
			return fmt.Errorf("wildcard %s: %v", q.Wildcard, err)
		}
	case *query.MatchQuery:
		if q.Fuzziness > maxFuzziness || q.Fuzziness < 0 {
			return fmt.Errorf("fuzziness %d of %q: must be 0 to %d", q.Fuzziness, q.Match, maxFuzziness)
		}
	case *query.FuzzyQuery:
		if q.Fuzziness > maxFuzziness || q.Fuzziness < 0 {
			return fmt.Errorf("fuzziness %d of %q: must be 0 to %d", q.Fuzziness, q.Term, maxFuzziness)
		}
	}
	return nil
}

// compileTermRegexp compiles a pattern the way Bleve's scorch index does
// for a term-dictionary search.
func compileTermRegexp(pattern string) error {
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return err
	}
	_, err = vregexp.NewParsedWithLimit(pattern, parsed, vregexp.DefaultLimit)
	return err
}

// wildcardToRegexp mirrors Bleve's conversion of a wildcard query.
func wildcardToRegexp(w string) string {
	return strings.NewReplacer(
		"+", `\+`, "(", `\(`, ")", `\)`, "^", `\^`, "$", `\$`, ".", `\.`,
		"{", `\{`, "}", `\}`, "[", `\[`, "]", `\]`, `|`, `\|`, `\`, `\\`,
		"*", ".*", "?", ".",
	).Replace(w)
}
