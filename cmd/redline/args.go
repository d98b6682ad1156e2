package main

import (
	"flag"
	"strings"
)

// interspersed reorders a command line so that the flag package, which
// stops at the first argument that is not a flag, also reads the flags
// that follow paths or query words ("search nato --party russia"): the
// flags, each with its value, come first, then "--" and the rest in their
// order. After "--" everything is a positional argument. After the first
// positional argument, a "-word" that names no flag is a positional
// argument too (an excluded query word: search ceasefire -energy); an
// unknown "--word", or a "-word" before any positional argument, stays a
// flag for the flag package to reject.
func interspersed(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		double := strings.HasPrefix(a, "--")
		name, _, hasValue := strings.Cut(a[1:], "=")
		if double {
			name, _, hasValue = strings.Cut(a[2:], "=")
		}
		fl := fs.Lookup(name)
		if fl == nil {
			if len(pos) > 0 && !double && name != "h" && name != "help" {
				pos = append(pos, a)
			} else {
				flags = append(flags, a)
			}
			continue
		}
		flags = append(flags, a)
		if !hasValue && !isBoolFlag(fl) {
			if i+1 == len(args) {
				// The last argument is a flag without its value: leave
				// it last, with nothing after it, so that the flag
				// package says the value is missing instead of taking
				// the "--" below for it (ingest x.jsonl --index made an
				// index folder named "--").
				return flags
			}
			i++
			flags = append(flags, args[i])
		}
	}
	if len(pos) == 0 {
		return flags
	}
	return append(append(flags, "--"), pos...)
}

func isBoolFlag(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
