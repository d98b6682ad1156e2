package main

import (
	"context"
	"fmt"

	"redline/index"
)

const checkUsage = `Usage: redline check [--index DIR]

Reads the whole index and verifies it: every segment file against its
checksum, every term and stored claim, that the newest state recorded on disk
is the one that opens, that searches and exports see every claim, and that
the index holds what its last ingest recorded (fewer articles or claims
means it went back to an older state). Prints one "ok" line and exits 0 when
the index is sound; otherwise lists each problem and exits 1.

A damaged index is rebuilt from what is still readable by redline repair.

Example:
  redline check --index ./redline.index
`

func (e *env) check(ctx context.Context, args []string) error {
	fs := e.newFlags("check", checkUsage)
	dir := fs.String("index", "", "index folder (default $REDLINE_INDEX or ./redline.index)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("check takes no arguments (got %q); use --index DIR", fs.Args())
	}
	d := indexDir(*dir)
	if err := e.needIndex(d, "pass --index"); err != nil {
		return err
	}
	rep, err := index.Check(ctx, d, index.Options{})
	if err != nil {
		return err
	}
	if rep.View != nil {
		e.log.Info("an ingest is writing this index: checked the state it committed "+committedAt(*rep.View)+", run check again when it has finished to check the live files", "index", d)
	}
	if rep.OK() {
		fmt.Fprintf(e.stdout, "ok: %d articles, %d claims, %d segments\n", rep.Articles, rep.Claims, rep.Segments)
		return nil
	}
	fmt.Fprintf(e.stdout, "index %s is damaged: %s\n", rep.Dir, plural(len(rep.Problems), "problem", "problems"))
	for _, p := range rep.Problems {
		fmt.Fprintf(e.stdout, "  - %s\n", p)
	}
	return fmt.Errorf("index %s failed the check: %w (redline repair --index %s rebuilds it from what is readable)", rep.Dir, index.ErrDamaged, rep.Dir)
}
