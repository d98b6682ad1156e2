package extract

import (
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// The cheap tests that spare lines a regular expression (textfast.go,
// references.go) restate what a match of the expression must start with
// or contain. TestPrechecksAdmitEveryMatchStart reads those beginnings off
// each expression's syntax tree, so a pattern changed without its test
// fails here, not in a corpus that happens to hold the line.

// maxStarts bounds the strings matchStarts expands an expression into.
const maxStarts = 4096

// matchStarts returns strings one of which begins every match of re: the
// expansions of its beginning up to the first part that is no finite set
// of strings (a repetition, a large class). complete reports that they
// are whole matches, so that what follows may be appended. A literal read
// without case is given in lower case.
func matchStarts(re *syntax.Regexp) (starts []string, complete bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpLiteral:
		s := string(re.Rune)
		if re.Flags&syntax.FoldCase != 0 {
			s = strings.ToLower(s)
		}
		return []string{s}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) == 64 {
					return []string{""}, false
				}
				out = append(out, string(r))
			}
		}
		return out, true
	case syntax.OpCapture:
		return matchStarts(re.Sub[0])
	case syntax.OpQuest:
		s, complete := matchStarts(re.Sub[0])
		return append(s, ""), complete
	case syntax.OpAlternate:
		var out []string
		complete = true
		for _, sub := range re.Sub {
			s, c := matchStarts(sub)
			out = append(out, s...)
			complete = complete && c
		}
		return out, complete
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			s, c := matchStarts(sub)
			var next []string
			for _, a := range out {
				for _, b := range s {
					next = append(next, a+b)
				}
			}
			if len(next) > maxStarts {
				return out, false
			}
			out = next
			if !c {
				return out, false
			}
		}
		return out, true
	}
	return []string{""}, false
}

// foldVariants returns s and, for each of its runes, s with that rune
// swapped for each other member of its case-folding orbit ("s" for "ſ",
// "K" for "k"), as a case-insensitive expression reads them.
func foldVariants(s string) []string {
	out := []string{s, strings.ToUpper(s)}
	rs := []rune(s)
	for i, r := range rs {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			v := slices.Clone(rs)
			v[i] = f
			out = append(out, string(v))
		}
	}
	return out
}

func TestPrechecksAdmitEveryMatchStart(t *testing.T) {
	prefixOf := func(list []string) func(string) bool {
		return func(s string) bool { return hasAnyPrefix([]byte(s), list) }
	}
	tests := []struct {
		name     string
		re       *lazyRegexp
		precheck func(string) bool
		fold     bool // the expression reads case: the precheck sees every fold
	}{
		{"reBoilerplateStart/boilerplateStarts", reBoilerplateStart, prefixOf(boilerplateStarts), false},
		{"reCopyright/copyrightStarts", reCopyright, prefixOf(copyrightStarts), false},
		{"reUpdatedNote/updatedNoteStarts", reUpdatedNote, prefixOf(updatedNoteStarts), false},
		{"reByline/mayBeByline", reByline, mayBeByline, true},
		{"reCreditStart/mayOpenCredit", reCreditStart, mayOpenCredit, true},
		{"reAgency/mayNameAgency", reAgency, mayNameAgency, true},
		{"reTOCTitle/mayBeTOCTitle", reTOCTitle, mayBeTOCTitle, true},
		{"reListMarker/mayOpenList", reListMarker, mayOpenList, false},
		{"reLinkTarget/contains ](", reLinkTarget, func(s string) bool { return strings.Contains(s, "](") }, false},
		{"reRefMarker/contains [ or ^", reRefMarker, func(s string) bool { return strings.ContainsAny(s, "[^") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re, err := syntax.Parse(tt.re.compile().String(), syntax.Perl)
			if err != nil {
				t.Fatal(err)
			}
			starts, _ := matchStarts(re.Simplify())
			if slices.Contains(starts, "") {
				t.Fatalf("a match may begin with anything: %q", starts)
			}
			for _, s := range starts {
				variants := []string{s}
				if tt.fold {
					variants = foldVariants(s)
				}
				for _, v := range variants {
					if !tt.precheck(v) {
						t.Errorf("a match may begin %q, which the precheck turns away", v)
					}
				}
			}
		})
	}
}

func TestMatchStarts(t *testing.T) {
	tests := []struct {
		pattern  string
		want     []string
		complete bool
	}{
		{`^(?:sign up|see also)\b`, []string{"sign up", "see also"}, true},
		{`(?i)^(?:this )?page`, []string{"this page", "page"}, true},
		{`^\(c\)\s`, []string{"(c)\t", "(c)\n", "(c)\f", "(c)\r", "(c) "}, true},
		{`^by\s+\p{Lu}`, []string{"by"}, false},
		{`^a.*b`, []string{"a"}, false},
	}
	for _, tt := range tests {
		re, err := syntax.Parse(tt.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got, complete := matchStarts(re.Simplify())
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(got, want) || complete != tt.complete {
			t.Errorf("matchStarts(%q) = %q, %v; want %q, %v", tt.pattern, got, complete, want, tt.complete)
		}
	}
}
