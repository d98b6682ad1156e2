package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"redline/filter"
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
		switch d := filter.EditDistance(word, n); {
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
