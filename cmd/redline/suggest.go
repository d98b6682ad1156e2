package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// closest returns the name of names that a mistyped word most likely
// meant, or "" when none is close: the one name word begins (at least
// three letters of it: "lim" for "limit"), else the nearest by edit
// distance within 2 (a letter missing, added, changed, or two swapped:
// "serach", "partty"), and never a name when two are equally near.
func closest(word string, names []string) string {
	word = strings.ToLower(word)
	if slices.Contains(names, word) {
		return "" // a name as it is: nothing to suggest
	}
	if utf8.RuneCountInString(word) >= 3 {
		var prefixed []string
		for _, n := range names {
			if strings.HasPrefix(n, word) {
				prefixed = append(prefixed, n)
			}
		}
		if len(prefixed) == 1 {
			return prefixed[0]
		}
	}
	best, bestDist, tie := "", 3, false
	for _, n := range names {
		switch d := editDistance(word, n); {
		case d < bestDist:
			best, bestDist, tie = n, d, false
		case d == bestDist:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// commandNames returns the names of the commands of the command table.
func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// flagHint is what follows the flag package's "flag provided but not
// defined: -NAME" for a command's flag set: the flag NAME likely meant.
func flagHint(fs *flag.FlagSet, msg string) string {
	const undefined = "flag provided but not defined: "
	i := strings.Index(msg, undefined)
	if i < 0 {
		return ""
	}
	name := strings.TrimLeft(msg[i+len(undefined):], "-")
	name, _, _ = strings.Cut(name, "=")
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if c := closest(name, names); c != "" {
		return fmt.Sprintf(" (did you mean --%s?)", c)
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b in runes, with
// two swapped neighbours counting as one edit ("serach" is one from
// "search").
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j]: the distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
