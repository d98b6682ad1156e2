package index

import (
	"context"
	"errors"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"redline/claim"
)

// buildIndex writes the batches (one Write each) to a new index on disk,
// closes it and returns its folder.
func buildIndex(t *testing.T, batches ...[]Article) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "redline.index")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		if err := ix.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// threeBatches is 60 articles of 3 claims in three writes, the last one
// rewriting 5 articles of the first with 2 claims each: 60 articles, 175
// claims.
func threeBatches() [][]Article {
	all := manyArticles(60, 3)
	rewrite := manyArticles(60, 2)[:5]
	return [][]Article{all[:20], all[20:40], append(all[40:], rewrite...)}
}

// corruptMiddle inverts 256 bytes a quarter into the file: deterministic
// damage that the zap reader does not notice by itself. A segment starts
// with its stored documents (the claims' JSON, most of its bytes), which
// the reader opens without reading; the middle of the file lands in the
// term dictionaries or doc values, wherever the fields put it, which the
// reader checks as it loads the segment.
func corruptMiddle(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mid := len(b) / 4
	for i := mid; i < min(mid+256, len(b)); i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// liveSegments lists the segment files of the index's current snapshot,
// oldest first (older files may linger on disk unused).
func liveSegments(t *testing.T, dir string) []string {
	t.Helper()
	ix, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	sc, err := ix.scorch()
	if err != nil || sc == nil {
		t.Fatalf("scorch: %v", err)
	}
	paths, err := segmentPaths(sc)
	if err != nil || len(paths) == 0 {
		t.Fatalf("segments: %v %v", paths, err)
	}
	slices.Sort(paths)
	return paths
}

// largestLiveSegment returns the largest segment file of the index.
func largestLiveSegment(t *testing.T, dir string) string {
	t.Helper()
	victim, size := "", int64(-1)
	for _, p := range liveSegments(t, dir) {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > size {
			victim, size = p, fi.Size()
		}
	}
	return victim
}

func mustCheck(t *testing.T, dir string) *CheckReport {
	t.Helper()
	rep, err := Check(context.Background(), dir, Options{})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	return rep
}

func hasProblem(rep *CheckReport, substrs ...string) bool {
	for _, p := range rep.Problems {
		for _, s := range substrs {
			if strings.Contains(p, s) {
				return true
			}
		}
	}
	return false
}

func TestCheckSound(t *testing.T) {
	dir := buildIndex(t, threeBatches()...)
	rep := mustCheck(t, dir)
	if !rep.OK() {
		t.Fatalf("a sound index has problems:\n%s", strings.Join(rep.Problems, "\n"))
	}
	if rep.Articles != 60 || rep.Claims != 175 || rep.Segments < 1 {
		t.Errorf("Check counted %d articles, %d claims, %d segments; want 60, 175, ≥1", rep.Articles, rep.Claims, rep.Segments)
	}
	c, ok, err := readCommitFile(dir)
	if err != nil || !ok || c.Seq != 3 || c.Articles != 60 || c.Claims != 175 {
		t.Errorf("commit file: %+v ok=%v err=%v; want write #3 of 60 articles, 175 claims", c, ok, err)
	}

	ix, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if st, err := ix.Stats(context.Background()); err != nil || st.Articles != 60 || st.Claims != 175 {
		t.Errorf("Stats: %+v, %v", st, err)
	}
	rec, ok, err := ix.LastCommit()
	if err != nil || !ok || rec != c {
		t.Errorf("internal commit record %+v (ok=%v, err=%v), file %+v", rec, ok, err, c)
	}
}

func TestCheckCorruptSegment(t *testing.T) {
	dir := buildIndex(t, threeBatches()...)
	victim := largestLiveSegment(t, dir)
	corruptMiddle(t, victim)
	name := filepath.Base(victim)

	rep := mustCheck(t, dir)
	if rep.OK() || !hasProblem(rep, name) {
		t.Fatalf("Check does not name the damaged segment %s:\n%s", name, strings.Join(rep.Problems, "\n"))
	}

	ix, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer ix.Close()
	ctx := context.Background()
	damaged := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("%s on a damaged index: %v, want ErrDamaged", what, err)
			return
		}
		for _, s := range []string{dir, name, "redline check", "redline repair"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %q does not mention %q", what, err, s)
			}
		}
	}
	_, err = ix.Search(ctx, Query{Text: "sanctions"})
	damaged("Search", err)
	damaged("Claims", ix.Claims(ctx, Query{}, func(claim.Claim) error { return nil }))
	_, err = ix.Stats(ctx)
	damaged("Stats", err)
	_, err = ix.Snapshot()
	damaged("Snapshot", err)
}

// TestExportDamagedDictionary damages the length of the doc_id term
// dictionary of a segment, which an export reads through Bleve's FieldDict:
// FieldDict reads each segment's dictionary in a goroutine of its own,
// where the library's panic on the damaged length would end the process.
// An export read unverified (as Check reads) must instead fail with
// ErrDamaged naming the segment.
func TestExportDamagedDictionary(t *testing.T) {
	good := buildIndex(t, manyArticles(20, 2)) // one write: one segment
	seg := largestLiveSegment(t, good)
	ix, err := Open(good, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var addr uint64
	func() {
		defer ix.Close()
		sc, err := ix.scorch()
		if err != nil {
			t.Fatal(err)
		}
		r, err := sc.Reader()
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		segs := r.(*scorch.IndexSnapshot).Segments()
		if len(segs) != 1 {
			t.Fatalf("%d segments, want 1", len(segs))
		}
		d, ok := segs[0].Segment().(interface{ DictAddr(string) (uint64, error) })
		if !ok {
			t.Fatalf("segment %T has no DictAddr", segs[0].Segment())
		}
		if addr, err = d.DictAddr(fieldDocID); err != nil {
			t.Fatal(err)
		}
	}()

	dir := filepath.Join(t.TempDir(), "redline.index")
	if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(good, seg)
	if err != nil {
		t.Fatal(err)
	}
	seg = filepath.Join(dir, rel)
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	// A dictionary length of about 2^35 bytes: slicing the segment to it
	// panics.
	copy(b[addr:], []byte{0xff, 0xff, 0xff, 0xff, 0x7f})
	if err := os.WriteFile(seg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	err = ix.claims(context.Background(), Query{}, func(claim.Claim) error { return nil })
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), filepath.Base(seg)) {
		t.Errorf("export of a damaged dictionary: %v, want ErrDamaged naming %s", err, filepath.Base(seg))
	}
	rep := mustCheck(t, dir)
	if rep.OK() || !hasProblem(rep, "searches and exports were not tried") {
		t.Errorf("Check reads a segment that fails its checksum:\n%s", strings.Join(rep.Problems, "\n"))
	}
}

// TestReadPanicsBecomeErrors reads a damaged index without the checksum
// verification, the way a damaged spot that the checksum misses would be
// read: at each of these spots the libraries panic or fail (a slice out of
// range in the stored-field or dictionary reader), and no panic escapes.
func TestReadPanicsBecomeErrors(t *testing.T) {
	good := buildIndex(t, manyArticles(60, 3)) // one write: one segment
	recovered := 0
	for _, pct := range []int{5, 10, 20, 30, 40} {
		dir := filepath.Join(t.TempDir(), "redline.index")
		if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
			t.Fatal(err)
		}
		seg := largestLiveSegment(t, dir)
		b, err := os.ReadFile(seg)
		if err != nil {
			t.Fatal(err)
		}
		at := len(b) * pct / 100
		for i := at; i < at+256; i++ {
			b[i] ^= 0xff
		}
		if err := os.WriteFile(seg, b, 0o600); err != nil {
			t.Fatal(err)
		}
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			t.Logf("%d%%: Open: %v", pct, err)
			continue
		}
		ctx := context.Background()
		n := 0
		err = ix.claims(ctx, Query{}, func(claim.Claim) error { n++; return nil })
		if errors.Is(err, ErrDamaged) {
			recovered++
		}
		if errors.Is(err, ErrDamaged) && strings.Contains(err.Error(), "index library failed") {
			if !strings.Contains(err.Error(), filepath.Base(seg)) {
				t.Errorf("%d%%: the error does not name the segment: %v", pct, err)
			}
		}
		_, serr := ix.statsUnverified(ctx)
		t.Logf("%d%%: export read %d claims, error %v; stats error %v", pct, n, err, serr)
		_ = ix.Close()
	}
	if recovered == 0 {
		t.Error("no read of a damaged spot failed: the test no longer exercises the recovery")
	}
}

func TestRecoverDamage(t *testing.T) {
	dir := t.TempDir()
	f := func() (err error) {
		defer recoverDamage(dir, "export", &err)
		s := []int{1, 2}
		n := len(dir) // not a constant: the compiler must not see it
		_ = s[n:]     // a slice-bounds panic, as a corrupt segment gives
		return nil
	}
	err := f()
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "export") {
		t.Errorf("recovered panic: %v", err)
	}

	// A panic of the caller's callback is not damage: it goes on up.
	ix := openFixture(t)
	defer func() {
		if p := recover(); p != "boom" {
			t.Errorf("Claims' callback panic came back as %v, want boom", p)
		}
	}()
	_ = ix.Claims(context.Background(), Query{}, func(claim.Claim) error { panic("boom") })
	t.Error("Claims returned after its callback panicked")
}

func TestCheckMissingSegment(t *testing.T) {
	dir := buildIndex(t, threeBatches()...)
	live := liveSegments(t, dir)
	newest := filepath.Base(live[len(live)-1])
	if err := os.Remove(live[len(live)-1]); err != nil {
		t.Fatal(err)
	}
	rep := mustCheck(t, dir)
	if rep.OK() || !hasProblem(rep, newest) {
		t.Fatalf("Check after deleting %s:\n%s", newest, strings.Join(rep.Problems, "\n"))
	}
	// Bleve would open an older snapshot, or none: Open refuses.
	_, err := Open(dir, Options{ReadOnly: true})
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), newest) {
		t.Errorf("Open after deleting %s: %v, want ErrDamaged naming it", newest, err)
	}
}

// TestCheckRolledBack restores a copy of the Bleve folder taken after the
// first write, as an old backup would: every file is sound, but the index
// holds less than the last write recorded.
func TestCheckRolledBack(t *testing.T) {
	dir, _ := rolledBack(t)
	rep := mustCheck(t, dir)
	if rep.OK() || !hasProblem(rep, "rolled back") || !hasProblem(rep, "write #3") {
		t.Fatalf("Check of a rolled-back index:\n%s", strings.Join(rep.Problems, "\n"))
	}
	ix, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Stats(context.Background()); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "rolled back") {
		t.Errorf("Stats of a rolled-back index: %v, want ErrDamaged", err)
	}
}

// TestCheckRolledBackNamesDamagedSegment: when Bleve opens an older
// snapshot because a newer segment file does not load, Check names that
// file beside the rollback, although the snapshot it opened does not.
func TestCheckRolledBackNamesDamagedSegment(t *testing.T) {
	dir, newest := rolledBack(t)
	b, err := os.ReadFile(newest)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(newest)
	if err := os.WriteFile(filepath.Join(dir, BleveDir, "store", name), b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	rep := mustCheck(t, dir)
	if rep.OK() || !hasProblem(rep, "rolled back") || !hasProblem(rep, name) {
		t.Fatalf("Check of an index rolled back past a damaged %s:\n%s", name, strings.Join(rep.Problems, "\n"))
	}
}

// rolledBack builds an index of three writes whose Bleve folder is then
// put back as a copy taken after the first, as an old backup would be. It
// returns the index folder and a copy of the newest segment file of the
// third write, which the folder no longer holds.
func rolledBack(t *testing.T) (dir, newest string) {
	t.Helper()
	batches := threeBatches()
	dir = buildIndex(t, batches[0])
	bdir := filepath.Join(dir, BleveDir)
	backup := filepath.Join(t.TempDir(), "backup")
	if err := os.CopyFS(backup, os.DirFS(bdir)); err != nil {
		t.Fatal(err)
	}
	writeAll(t, dir, batches[1:])
	live := liveSegments(t, dir)
	newest = filepath.Join(t.TempDir(), filepath.Base(live[len(live)-1]))
	b, err := os.ReadFile(live[len(live)-1])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(newest, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(bdir); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(bdir, os.DirFS(backup)); err != nil {
		t.Fatal(err)
	}
	return dir, newest
}

// writeAll opens the index in dir, writes each batch in turn and closes it.
func writeAll(t *testing.T, dir string, batches [][]Article) {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		if err := ix.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCheckOlderRootBolt puts back only root.bolt of after the first write:
// Check reports the rollback or the segment files it names that are gone.
func TestCheckOlderRootBolt(t *testing.T) {
	batches := threeBatches()
	dir := buildIndex(t, batches[0])
	bolt := filepath.Join(dir, BleveDir, "store", "root.bolt")
	old, err := os.ReadFile(bolt)
	if err != nil {
		t.Fatal(err)
	}
	writeAll(t, dir, batches[1:])
	if err := os.WriteFile(bolt, old, 0o600); err != nil {
		t.Fatal(err)
	}
	rep := mustCheck(t, dir)
	if rep.OK() || !hasProblem(rep, "rolled back", "missing", "does not load") {
		t.Fatalf("Check with an older root.bolt:\n%s", strings.Join(rep.Problems, "\n"))
	}
}

func TestCommitFileRemovedOnCreate(t *testing.T) {
	dir := buildIndex(t, threeBatches()[0])
	if err := os.RemoveAll(filepath.Join(dir, BleveDir)); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open a folder holding only %s: %v", CommitFile, err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := readCommitFile(dir); ok {
		t.Errorf("the old %s survived a new index", CommitFile)
	}
	if rep := mustCheck(t, dir); !rep.OK() {
		t.Errorf("a new empty index: %v", rep.Problems)
	}
}
