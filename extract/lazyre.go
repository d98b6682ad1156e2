package extract

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled on first use. The HTML text
// stage holds some thirty of them; compiled at package init they cost every
// redline command, search and stats included, close to 1 MB and a
// millisecond before main. Its methods are those of
// regexp.Regexp that the package calls.
type lazyRegexp struct {
	compile func() *regexp.Regexp
}

// newLazyRegexp returns the expression of pattern, compiled (and checked,
// panicking as regexp.MustCompile does) on first use.
func newLazyRegexp(pattern string) *lazyRegexp {
	return &lazyRegexp{compile: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })}
}

func (l *lazyRegexp) MatchString(s string) bool { return l.compile().MatchString(s) }

func (l *lazyRegexp) FindStringIndex(s string) []int { return l.compile().FindStringIndex(s) }

func (l *lazyRegexp) FindStringSubmatch(s string) []string { return l.compile().FindStringSubmatch(s) }

func (l *lazyRegexp) FindAllStringIndex(s string, n int) [][]int {
	return l.compile().FindAllStringIndex(s, n)
}

func (l *lazyRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.compile().FindAllStringSubmatch(s, n)
}

func (l *lazyRegexp) ReplaceAllString(src, repl string) string {
	return l.compile().ReplaceAllString(src, repl)
}

func (l *lazyRegexp) Split(s string, n int) []string { return l.compile().Split(s, n) }

func (l *lazyRegexp) Match(b []byte) bool { return l.compile().Match(b) }
