package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/vellum"

	"redline/claim"
)

// CheckReport is what Check found.
type CheckReport struct {
	Dir string
	// Articles and Claims are the live documents found by reading every
	// segment; Segments is the number of segments of the index's current
	// snapshot.
	Articles, Claims uint64
	Segments         int
	// Problems lists each thing found wrong, one sentence each; empty when
	// the index is sound.
	Problems []string
	// View is set when a writer held the index and Check verified the
	// state it published (see Index.View) rather than the live files.
	View *View
}

// OK reports whether Check found nothing wrong.
func (r *CheckReport) OK() bool { return len(r.Problems) == 0 }

func (r *CheckReport) addf(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

// maxSegmentProblems bounds how many problems Check reports per segment.
const maxSegmentProblems = 5

// Check opens the index in folder dir read-only and verifies all of it:
//
//   - every segment file of the current snapshot against its checksum;
//   - every term dictionary and posting list, and every stored record
//     (each claim's stored JSON must decode), segment by segment, so that a
//     failure names the segment file;
//   - that the newest snapshot recorded in root.bolt loads (when a segment
//     file is missing, Bleve silently opens an older snapshot);
//   - that searching counts what the segments hold, and that an export
//     reads every claim;
//   - that the index holds what its last write recorded (see CommitFile):
//     fewer articles or claims, or a write record ahead of the index, is a
//     rollback.
//
// The error is for a failure to check at all (no index at dir, a lock held
// by a writer, ctx cancelled); damage is reported in CheckReport.Problems.
func Check(ctx context.Context, dir string, opts Options) (rep *CheckReport, err error) {
	rep = &CheckReport{Dir: dir}
	bdir := filepath.Join(dir, BleveDir)
	if _, err := os.Stat(bdir); err != nil {
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	opts.ReadOnly = true
	ix, err := Open(dir, opts)
	if errors.Is(err, ErrLocked) || errors.Is(err, ErrNotIndex) {
		return nil, err
	}
	if err != nil {
		rep.addf("the index does not open: %v", err)
		bad, gerr := damagedSegments(bdir, nil)
		if gerr != nil {
			rep.addf("listing segment files: %v", gerr)
		}
		for _, s := range bad {
			rep.addf("segment %s: %s", s.name, s.why)
		}
		return rep, nil
	}
	defer ix.Close()
	if v, ok := ix.View(); ok {
		rep.View = &v
	}
	if err := ix.check(ctx, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

func (ix *Index) check(ctx context.Context, rep *CheckReport) (err error) {
	adv, err := ix.bl.Advanced()
	if err != nil {
		return ix.wrap(err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return fmt.Errorf("index %s: %w: not a scorch index (%T)", ix.dir, ErrNotIndex, adv)
	}

	snap, release, err := currentSnapshot(sc)
	if err != nil {
		return ix.wrap(err)
	}
	if snap == nil {
		return fmt.Errorf("index %s: its reader is not a scorch snapshot", ix.dir)
	}
	defer release()
	segs := snap.Segments()
	rep.Segments = len(segs)
	complete := true
	damaged := 0
	inSnapshot := map[string]bool{}
	for i, ss := range segs {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := fmt.Sprintf("segment %d (in memory)", i)
		if p, ok := ss.Segment().(interface{ Path() string }); ok {
			name = "segment " + filepath.Base(p.Path())
			inSnapshot[filepath.Base(p.Path())] = true
			if err := verifySegmentFile(p.Path()); err != nil {
				rep.addf("%s: %v", name, err)
				complete = false
				damaged++
				continue // reading it may well crash; its contents are not to be trusted anyway
			}
		}
		a, c, problems := checkSegment(ctx, ss)
		if len(problems) > 0 {
			complete = false
		}
		rep.Articles += a
		rep.Claims += c
		for j, p := range problems {
			if j == maxSegmentProblems {
				rep.addf("%s: %d more problems", name, len(problems)-j)
				break
			}
			rep.addf("%s: %s", name, p)
		}
	}

	if damaged > 0 {
		// Searches and exports read every segment, the damaged ones too,
		// and Bleve reads some of them in goroutines of its own, where a
		// panic on damaged bytes ends the process: they are not tried.
		rep.addf("searches and exports were not tried: %d segment files fail their checksum", damaged)
	} else if err := ix.checkReads(ctx, rep); err != nil {
		return err
	}
	commit := ix.commitProblems(rep.Articles, rep.Claims, complete)
	for _, p := range commit {
		rep.addf("%s", p)
	}
	if len(commit) > 0 {
		// A segment file Bleve could not load makes it open an older
		// snapshot, which does not name the file: the rollback is
		// reported, and the damaged file says why. Files outside the
		// snapshot are only read then: after a kill they may be an
		// unfinished write that no snapshot ever used.
		bad, err := damagedSegments(ix.bdir, inSnapshot)
		if err != nil {
			rep.addf("listing segment files: %v", err)
		}
		for _, b := range bad {
			rep.addf("segment %s (not in the snapshot the index opened): %s", b.name, b.why)
		}
	}
	return nil
}

// checkReads reports what searches and exports see of the index when it
// differs from what Check counted in its segments.
func (ix *Index) checkReads(ctx context.Context, rep *CheckReport) error {
	st, err := ix.statsUnverified(ctx)
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		rep.addf("stats fails: %v", err)
	case rep.OK() && (st.Articles != rep.Articles || st.Claims != rep.Claims):
		rep.addf("searching counts %d articles and %d claims, the segments hold %d and %d", st.Articles, st.Claims, rep.Articles, rep.Claims)
	}
	var exported uint64
	err = ix.claims(ctx, Query{}, func(claim.Claim) error { exported++; return nil })
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		rep.addf("export fails: %v", err)
	case rep.OK() && exported != rep.Claims:
		rep.addf("an export reads %d claims, the segments hold %d", exported, rep.Claims)
	}
	return nil
}

// checkSegment reads every term dictionary, posting list and live stored
// record of one segment, counting the live articles and claims.
func checkSegment(ctx context.Context, ss *scorch.SegmentSnapshot) (articles, claims uint64, problems []string) {
	seg := ss.Segment()
	add := func(format string, args ...any) bool {
		problems = append(problems, fmt.Sprintf(format, args...))
		return len(problems) <= maxSegmentProblems
	}
	// Each step recovers on its own, so one bad spot does not hide the
	// rest of the segment.
	try := func(what string, fn func() error) bool {
		err := func() (err error) {
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("the index library failed (%v)", p)
				}
			}()
			return fn()
		}()
		if err != nil {
			return add("%s: %v", what, err)
		}
		return true
	}

	for _, field := range seg.Fields() {
		if ctx.Err() != nil {
			return
		}
		ok := try("field "+field+" terms", func() error {
			dict, err := seg.Dictionary(field)
			if err != nil {
				return err
			}
			it := dict.AutomatonIterator(&vellum.AlwaysMatch{}, nil, nil)
			for {
				e, err := it.Next()
				if err != nil {
					return err
				}
				if e == nil {
					return nil
				}
				pl, err := dict.PostingsList([]byte(e.Term), nil, nil)
				if err != nil {
					return fmt.Errorf("term %q: %w", e.Term, err)
				}
				pit := pl.Iterator(true, true, true, nil)
				for {
					p, err := pit.Next()
					if err != nil {
						return fmt.Errorf("term %q: %w", e.Term, err)
					}
					if p == nil {
						break
					}
					if p.Number() >= seg.Count() {
						return fmt.Errorf("term %q: posting for document %d of %d", e.Term, p.Number(), seg.Count())
					}
				}
			}
		})
		if !ok {
			return
		}
	}

	it := ss.DocNumbersLive().Iterator()
	for it.HasNext() {
		if ctx.Err() != nil {
			return
		}
		num := uint64(it.Next())
		// The same reading as repair's, so that what check calls sound,
		// repair keeps.
		ok := try(fmt.Sprintf("stored record %d", num), func() error {
			_, d, err := readDoc(seg, num)
			if err != nil {
				return err
			}
			if d.claim != nil {
				claims++
			} else {
				articles++
			}
			return nil
		})
		if !ok {
			return
		}
	}
	return
}

// commitProblems compares the index (holding articles and claims) with the
// last write recorded inside it and in CommitFile.
//
// complete is false when some segment could not be read: the counts are
// then too low and only a rollback is reported.
func (ix *Index) commitProblems(articles, claims uint64, complete bool) []string {
	var out []string
	rec, hasRec, err := ix.LastCommit()
	if err != nil {
		out = append(out, err.Error())
	}
	file, hasFile, err := readCommitFile(ix.commitDir)
	if err != nil {
		out = append(out, fmt.Sprintf("%s: %v", filepath.Join(ix.commitDir, CommitFile), err))
	}
	switch {
	case hasFile && (!hasRec || file.Seq > rec.Seq):
		now := "records no write"
		if hasRec {
			now = "is at " + rec.String()
		}
		out = append(out, fmt.Sprintf("rolled back: the last write was %s, but the index %s and holds %d articles and %d claims", file, now, articles, claims))
	case !complete:
	case hasRec && (articles < rec.Articles || claims < rec.Claims):
		out = append(out, fmt.Sprintf("lost data: the index holds %d articles and %d claims, fewer than its last write recorded (%s)", articles, claims, rec))
	case hasRec && (articles != rec.Articles || claims != rec.Claims):
		out = append(out, fmt.Sprintf("the index holds %d articles and %d claims, but its last write recorded %s", articles, claims, rec))
	}
	return out
}

// verifySegments verifies the checksum of each segment file of the
// current snapshot that this Index has not verified yet (segment files never
// change once written), and returns an error wrapping ErrDamaged naming the
// files that fail. Search, Claims, Snapshot, Stats and the reads of one
// article, claim, cluster or month count (browse.go) call it first, so an
// answer is never read from a damaged segment: the first call reads the
// whole index once, later ones only new segments. On the live index it
// records what it verified in VerifiedFile, so that the next process does
// not read the whole index again either.
func (ix *Index) verifySegments(op string) error {
	ix.cmu.Lock()
	closed := ix.closed
	ix.cmu.Unlock()
	if closed {
		return fmt.Errorf("index %s: %w", ix.dir, ErrClosed)
	}
	sc, err := ix.scorch()
	if err != nil || sc == nil {
		return err
	}
	paths, err := segmentPaths(sc)
	if err != nil {
		return ix.wrap(err)
	}
	// A view's files are those its writer verified (see openView); the
	// live index's, those an earlier command recorded.
	live := ix.view == nil
	if live {
		ix.loadVerified.Do(func() { ix.verified.load(ix.bdir) })
	}
	start := time.Now()
	read := 0
	var bad, why []string
	for _, path := range paths {
		if ix.known(path) {
			continue
		}
		ix.checked.Add(1)
		read++
		if err := verifySegmentFile(path); err != nil {
			bad = append(bad, filepath.Base(path))
			why = append(why, err.Error())
			continue
		}
		ix.verified.add(path)
		ix.markKnown(path)
	}
	if live && read > 0 {
		// Best effort: an index on read-only media, or a full disk, is
		// read again by the next command, as it was before.
		_ = ix.verified.save(ix.bdir, paths, start)
	}
	if len(bad) == 0 {
		return nil
	}
	return &damagedError{dir: ix.dir, op: op, segments: bad, cause: strings.Join(why, "; ")}
}

// known reports whether the segment file at path was verified, by this
// Index or by another sharing its Verified.
func (ix *Index) known(path string) bool {
	ix.vmu.Lock()
	done := ix.seen[path]
	ix.vmu.Unlock()
	if !done && ix.verified.has(path) {
		ix.markKnown(path)
		done = true
	}
	return done
}

// markKnown records that the segment file at path was verified.
func (ix *Index) markKnown(path string) {
	ix.vmu.Lock()
	defer ix.vmu.Unlock()
	if ix.seen == nil {
		ix.seen = make(map[string]bool)
	}
	ix.seen[path] = true
}

// verifyCommit returns an error wrapping ErrDamaged when the index holding
// articles and claims is not what its last write recorded.
func (ix *Index) verifyCommit(op string, articles, claims uint64) error {
	if p := ix.commitProblems(articles, claims, true); len(p) > 0 {
		return &damagedError{dir: ix.dir, op: op, cause: strings.Join(p, "; ")}
	}
	return nil
}

// statsUnverified is Stats without its verification, for Check.
func (ix *Index) statsUnverified(ctx context.Context) (_ Stats, err error) {
	defer recoverDamage(ix.dir, "stats", &err)
	return ix.stats(ctx)
}

// scorch returns the scorch index under ix, or nil for another kind.
func (ix *Index) scorch() (*scorch.Scorch, error) {
	adv, err := ix.bl.Advanced()
	if err != nil {
		return nil, ix.wrap(err)
	}
	sc, _ := adv.(*scorch.Scorch)
	return sc, nil
}

// readDictionaries reads field's term dictionary in every segment of the
// current snapshot, as Bleve's FieldDict does, but in the calling goroutine:
// FieldDict reads each segment's dictionary in a goroutine of its own, where
// a panic on damaged bytes (a spot the checksums missed, or a segment Check
// is reading unverified) ends the process instead of reaching
// recoverDamage. A dictionary read once is cached by its segment, so
// FieldDict's goroutines then find it read.
func (ix *Index) readDictionaries(field string) error {
	sc, err := ix.scorch()
	if err != nil || sc == nil {
		return err
	}
	snap, release, err := currentSnapshot(sc)
	if err != nil || snap == nil {
		return ix.wrap(err)
	}
	defer release()
	for _, ss := range snap.Segments() {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return ix.wrap(err)
		}
		_ = dict.Cardinality()
		_ = dict.AutomatonIterator(nil, nil, nil)
	}
	return nil
}

// currentSnapshot returns sc's current snapshot (nil when its reader is of
// another kind) and the function that releases it.
func currentSnapshot(sc *scorch.Scorch) (*scorch.IndexSnapshot, func(), error) {
	reader, err := sc.Reader()
	if err != nil {
		return nil, nil, err
	}
	snap, _ := reader.(*scorch.IndexSnapshot)
	if snap == nil {
		reader.Close()
		return nil, nil, nil
	}
	return snap, func() { reader.Close() }, nil
}

// segmentPaths lists the segment files of sc's current snapshot.
func segmentPaths(sc *scorch.Scorch) ([]string, error) {
	snap, release, err := currentSnapshot(sc)
	if err != nil || snap == nil {
		return nil, err
	}
	defer release()
	var out []string
	for _, ss := range snap.Segments() {
		if p, ok := ss.Segment().(interface{ Path() string }); ok {
			out = append(out, p.Path())
		}
	}
	return out, nil
}
