package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"redline/index"
)

const repairUsage = `Usage: redline repair [--index DIR] [--out DIR]

Rebuilds a damaged index from everything still readable in it. The segment
files are read one by one and each stored claim and article on its own, so
a corrupt or missing segment, or one unreadable record, loses only itself;
when root.bolt (the record of which documents are current) is unreadable,
every segment file is read and the newest copy of each document kept.

The damaged index is left as it is until the new one is complete. Then,
without --out, the damaged index is renamed to DIR.damaged-<UTC time> (kept
for you to inspect or delete) and the repaired one takes its place (a kill
between the two renames is finished by the next command that opens DIR,
which says so); with
--out, the repaired index is written to that new folder and DIR is not
touched. errors.jsonl is copied; the fetch cache is not.

The report lists what was lost: the segments, how many documents each lost
and their ids when readable, and the articles whose claims are incomplete.
Those articles are kept without their content hash, so ingesting their
sources again extracts them anew rather than skipping them as unchanged.

Exit status: 0 when the repaired index holds everything the damaged one
should have held, 1 when anything was lost (the repaired index is in place
all the same; the report says what to re-ingest), 1 as well when the repair
could not run (a running ingest holds the index, the disk is full).

Examples:
  redline repair --index ./redline.index
  redline repair --index ./redline.index --out ./redline.repaired
`

func (e *env) repair(ctx context.Context, args []string) error {
	fs := e.newFlags("repair", repairUsage)
	dir := fs.String("index", "", "index folder (default $REDLINE_INDEX or ./redline.index)")
	out := fs.String("out", "", "write the repaired index to this new folder and leave the damaged one as it is")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("repair takes no arguments (got %q); use --index DIR", fs.Args())
	}
	d := indexDir(*dir)
	if err := index.Heal(d, e.log); err != nil {
		return err
	}
	if _, err := os.Stat(d); err != nil {
		return fmt.Errorf("no index at %s (pass --index): %w", d, err)
	}
	rep, err := index.Repair(ctx, d, index.RepairOptions{Out: *out, Logger: e.log})
	if err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "repaired index: %s (%d articles, %d claims from %d segments)\n", rep.Out, rep.Articles, rep.Claims, rep.Segments)
	if rep.Kept != "" {
		fmt.Fprintf(w, "damaged index kept as: %s\n", rep.Kept)
	}
	if rep.Expected != nil {
		fmt.Fprintf(w, "last write recorded: %s\n", rep.Expected)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, s := range rep.Unverified {
		fmt.Fprintf(w, "unverified: segment %s fails its checksum, but its documents decoded and were kept; they may differ from what was written\n", s)
	}
	for _, l := range rep.Lost {
		n := "an unknown number of documents"
		if l.Docs >= 0 {
			n = plural(l.Docs, "document", "documents")
		}
		fmt.Fprintf(w, "lost: segment %s: %s (%s)\n", l.Name, n, l.Why)
		if len(l.DocIDs) > 0 {
			fmt.Fprintf(w, "  ids: %s\n", strings.Join(l.DocIDs, " "))
		}
	}
	if len(rep.Incomplete) > 0 {
		fmt.Fprintf(w, "incomplete: %s whose claims were not all recovered (kept without their hash; ingest their sources again): %s\n",
			plural(len(rep.Incomplete), "article", "articles"), strings.Join(rep.Incomplete[:min(len(rep.Incomplete), 50)], " "))
	}
	if !rep.LostAnything() {
		fmt.Fprintln(w, "nothing lost")
		return nil
	}
	if rep.Expected != nil && rep.Claims < rep.Expected.Claims {
		fmt.Fprintf(w, "missing: %d of %d claims and %d of %d articles of the last write\n",
			rep.Expected.Claims-rep.Claims, rep.Expected.Claims, rep.Expected.Articles-min(rep.Articles, rep.Expected.Articles), rep.Expected.Articles)
	}
	return fmt.Errorf("index %s repaired with losses: %w (see the report above; ingest the sources again to restore what was lost)", d, index.ErrDamaged)
}
