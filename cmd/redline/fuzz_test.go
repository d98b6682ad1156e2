package main

import (
	"flag"
	"io"
	"slices"
	"strings"
	"testing"

	"redline/claim"
)

// FuzzQueryArgs feeds arbitrary command lines of search through the flag
// reordering, the flag parser and the query of the filter flags: none may
// panic, and the words of the query keep their order.
func FuzzQueryArgs(f *testing.F) {
	for _, s := range []string{
		"nato --party russia", "--kind red_line party:ukraine topic:territory",
		`"will not cede" --since 2025-01 --until 2024`, "-energy ceasefire --json",
		"--speaker=Peskov --target Kyiv -- --party", "--limit", "--party", "- -- ---",
		"--min-confidence 2 x", "--kind redline", "a\x00b --topic=,,,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		fs := flag.NewFlagSet("search", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		ff := addFilters(fs)
		fs.Int("limit", 20, "")
		fs.Bool("json", false, "")
		reordered := interspersed(fs, args)
		if err := fs.Parse(reordered); err != nil {
			return
		}
		// A command line that parses has the same arguments back, but
		// for the "--" it adds or moves.
		drop := func(a string) bool { return a == "--" }
		got := slices.DeleteFunc(slices.Clone(reordered), drop)
		want := slices.DeleteFunc(slices.Clone(args), drop)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) && !slices.Contains(args, "--") {
			t.Fatalf("interspersed(%q) = %q: arguments lost or made up", args, reordered)
		}
		q, err := ff.query(strings.Join(fs.Args(), " "))
		if err != nil {
			return
		}
		for _, k := range q.Kind {
			if !slices.Contains([]string{claim.Demand, claim.RedLine, claim.Offer}, k) {
				t.Fatalf("kind %q accepted", k)
			}
		}
		if !q.Since.IsZero() && !q.Until.IsZero() && q.Until.Before(q.Since) {
			t.Fatalf("until %v before since %v accepted", q.Until, q.Since)
		}
	})
}
