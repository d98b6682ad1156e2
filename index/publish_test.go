package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// waitView opens dir read-only until the view holds at least seq writes,
// failing after a few seconds.
func waitView(t *testing.T, dir string, seq uint64) *Index {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		ix, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("read-only Open while a writer runs: %v", err)
		}
		v, ok := ix.View()
		if !ok {
			ix.Close()
			t.Fatal("read-only Open while a writer runs did not open a published view")
		}
		if v.Commit.Seq >= seq {
			return ix
		}
		ix.Close()
		if time.Now().After(deadline) {
			t.Fatalf("after 5 s the view holds write #%d, want #%d", v.Commit.Seq, seq)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReadWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "redline.index")
	w, err := Open(dir, Options{PublishInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	// Before the first write, readers see the empty index.
	r0 := waitView(t, dir, 0)
	if st, err := r0.Stats(ctx); err != nil || st.Claims != 0 {
		t.Fatalf("empty view: %+v, %v", st, err)
	}

	batches := threeBatches()
	wantClaims := []uint64{60, 120, 175}
	var readers []*Index
	for i, b := range batches {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		r := waitView(t, dir, uint64(i+1))
		readers = append(readers, r)
		st, err := r.Stats(ctx)
		if err != nil {
			t.Fatalf("Stats of view after write %d: %v", i+1, err)
		}
		if st.Claims != wantClaims[i] {
			t.Errorf("view after write %d: %d claims, want %d", i+1, st.Claims, wantClaims[i])
		}
		res, err := r.Search(ctx, Query{Text: "negotiations", Limit: 5})
		if err != nil || res.Total == 0 {
			t.Errorf("Search of view after write %d: %d hits, %v", i+1, res.Total, err)
		}
		// The live commit file is ahead of older views: that is not a
		// rollback.
		rep, err := Check(ctx, dir, Options{})
		if err != nil {
			t.Fatalf("Check while writing: %v", err)
		}
		if !rep.OK() {
			t.Errorf("Check of the view after write %d: %v", i+1, rep.Problems)
		}
	}
	if _, err := readers[0].Search(ctx, Query{}); err != nil {
		t.Errorf("an older view stopped working: %v", err)
	}
	if err := readers[0].Write(batches[0]); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Write on a view: %v, want ErrReadOnly", err)
	}

	// The writer closes: read/ is gone, but readers holding a view still
	// read it (their files are unlinked, not gone), and new readers open
	// the live index.
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ReadDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s/ still there after Close: %v", ReadDir, err)
	}
	for i, r := range append(readers, r0) {
		st, err := r.Stats(ctx)
		if err != nil {
			t.Errorf("reader %d after the writer closed: %v", i, err)
		}
		if i < len(wantClaims) && st.Claims != wantClaims[i] {
			t.Errorf("reader %d after the writer closed: %d claims, want %d", i, st.Claims, wantClaims[i])
		}
		r.Close()
	}
	live, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if _, ok := live.View(); ok {
		t.Error("with no writer, a read-only Open reads a view, not the live index")
	}
}

func TestPublishLinksSegments(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "redline.index")
	w, err := Open(dir, Options{PublishInterval: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Write(manyArticles(50, 3)); err != nil {
		t.Fatal(err)
	}
	r := waitView(t, dir, 1)
	defer r.Close()
	v, _ := r.View()
	segs, _ := filepath.Glob(filepath.Join(dir, ReadDir, v.Name, "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("the view has no segment files")
	}
	// The writer verified them when publishing; a reader need not.
	sc, err := r.scorch()
	if err != nil || sc == nil {
		t.Fatal(err)
	}
	paths, err := segmentPaths(sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if !r.known(p) {
			t.Errorf("segment %s of the view is not marked verified by the writer", p)
		}
	}
	for _, s := range segs {
		vi, err := os.Stat(s)
		if err != nil {
			t.Fatal(err)
		}
		li, err := os.Stat(filepath.Join(dir, BleveDir, "store", filepath.Base(s)))
		if err != nil {
			// The writer merged it away since: the link keeps it.
			continue
		}
		if !os.SameFile(vi, li) {
			t.Errorf("segment %s of the view is a copy, not a link", filepath.Base(s))
		}
	}
}

func TestRemoveOldViews(t *testing.T) {
	rdir := t.TempDir()
	now := time.Now()
	for _, name := range []string{"00000001-1", "00000002-2", ".tmp-00000003-3", "00000004-4"} {
		if err := os.MkdirAll(filepath.Join(rdir, name, "store"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	old := now.Add(-2 * viewGrace)
	for _, name := range []string{"00000001-1", ".tmp-00000003-3", "00000004-4"} {
		if err := os.Chtimes(filepath.Join(rdir, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	removeOldViews(rdir, "00000004-4", now)
	for name, want := range map[string]bool{"00000001-1": false, "00000002-2": true, ".tmp-00000003-3": false, "00000004-4": true} {
		_, err := os.Stat(filepath.Join(rdir, name))
		if got := err == nil; got != want {
			t.Errorf("%s kept = %v, want %v", name, got, want)
		}
	}
}

func TestReadOnlyLockedWithoutViews(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "redline.index")
	w, err := Open(dir, Options{PublishInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	start := time.Now()
	r, err := Open(dir, Options{ReadOnly: true, LockTimeout: 200 * time.Millisecond})
	if err == nil {
		r.Close()
		t.Fatal("read-only Open succeeded while a writer that publishes nothing holds the index")
	}
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want ErrLocked", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %v to fail", el)
	}
}

// TestHelperWriteForever is not a test: TestKillDuringPublish runs the
// test binary with it to write batches into an index, publishing views as
// often as it can, until it is killed.
func TestHelperWriteForever(t *testing.T) {
	dir := os.Getenv("REDLINE_INDEX_WRITE")
	if dir == "" {
		t.Skip("helper process only")
	}
	ix, err := Open(dir, Options{PublishInterval: time.Nanosecond})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("ready")
	all := manyArticles(4000, 2)
	for i := 0; ; i = (i + 20) % len(all) {
		if err := ix.Write(all[i : i+20]); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
	}
}

func TestKillDuringPublish(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a subprocess")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "redline.index")
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriteForever$")
		cmd.Env = append(os.Environ(), "REDLINE_INDEX_WRITE="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || strings.TrimSpace(line) != "ready" {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("round %d: helper: %q, %v", round, line, err)
		}
		// Read while it writes; keep one view open across the kill.
		var held *Index
		var last uint64
		for i := range 10 {
			r, err := Open(dir, Options{ReadOnly: true})
			if err != nil {
				t.Fatalf("round %d: read-only Open %d while writing: %v", round, i, err)
			}
			st, err := r.Stats(ctx)
			if err != nil {
				t.Fatalf("round %d: Stats %d while writing: %v", round, i, err)
			}
			if st.Articles < last {
				t.Errorf("round %d: articles went from %d to %d", round, last, st.Articles)
			}
			last = st.Articles
			if held == nil {
				held = r
			} else {
				r.Close()
			}
			time.Sleep(time.Duration(10+7*i) * time.Millisecond)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()

		if _, err := held.Search(ctx, Query{Text: "troops"}); err != nil {
			t.Errorf("round %d: a view opened before the kill: %v", round, err)
		}
		held.Close()
		// The writer is gone: readers open the live index, whatever the
		// kill left in read/.
		r, err := Open(dir, Options{ReadOnly: true})
		if err != nil {
			t.Fatalf("round %d: read-only Open after the kill: %v", round, err)
		}
		if _, ok := r.View(); ok {
			t.Errorf("round %d: a reader opened a view of a dead writer", round)
		}
		st, err := r.Stats(ctx)
		if err != nil {
			t.Errorf("round %d: Stats after the kill: %v", round, err)
		}
		if st.Articles < last {
			t.Errorf("round %d: after the kill %d articles, a view showed %d", round, st.Articles, last)
		}
		r.Close()
		t.Logf("round %d: %d articles after the kill (%s)", round, st.Articles, strconv.Quote(readDirList(dir)))
	}
	// The next writer clears what was left.
	w, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	waitView(t, dir, 0).Close()
	entries, _ := os.ReadDir(filepath.Join(dir, ReadDir))
	if len(entries) != 2 { // CURRENT and the view of the state opened
		t.Errorf("a new writer's %s/ holds %d entries: %s", ReadDir, len(entries), readDirList(dir))
	}
	w.Close()
}

func readDirList(dir string) string {
	entries, _ := os.ReadDir(filepath.Join(dir, ReadDir))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

// TestCursorPagesAcrossCommits: an analyst reads page 1 of an order from
// the view an ingest published, the ingest commits more articles (newer,
// and copies of the sentences already shown), and page 2 on comes, by the
// cursor of page 1, from the newer view: no row (sentence, party and kind)
// is shown twice.
func TestCursorPagesAcrossCommits(t *testing.T) {
	ctx := context.Background()
	for _, o := range []Order{OrderNewest, OrderConfidence, OrderOldest} {
		t.Run(string(o), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "redline.index")
			w, err := Open(dir, Options{PublishInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			all := manyArticles(80, 3)
			if err := w.Write(all[:40]); err != nil {
				t.Fatal(err)
			}
			r1 := waitView(t, dir, 1)
			defer r1.Close()
			q := Query{Order: o, Limit: 10}
			first, err := r1.Search(ctx, q)
			if err != nil || first.Next == "" {
				t.Fatalf("page 1: %v, next %q", err, first.Next)
			}
			if err := w.Write(all[40:]); err != nil {
				t.Fatal(err)
			}
			r2 := waitView(t, dir, 2)
			defer r2.Close()
			seen := map[string]string{}
			for _, h := range first.Hits {
				seen[foldKey(&h.Claim)] = h.ID
			}
			q.After = first.Next
			for page := 2; ; page++ {
				res, err := r2.Search(ctx, q)
				if err != nil {
					t.Fatalf("page %d: %v", page, err)
				}
				for _, h := range res.Hits {
					if id, dup := seen[foldKey(&h.Claim)]; dup {
						t.Errorf("page %d shows %s again, a row %s stood for already", page, h.ID, id)
					}
					seen[foldKey(&h.Claim)] = h.ID
				}
				if res.Next == "" {
					break
				}
				q.After = res.Next
			}
		})
	}
}

// TestCursorPagesOfOneState: an analyst pages through an order by its
// cursors while an ingest commits copies of every sentence shown, dated
// and scored to come first of their row: each copy moves its row before
// the cursor, where a page read from the newer state took it for a row
// shown already, so that many rows of the state the paging began with
// were never shown. The pages read by a cursor are of the state the first
// page read: every row of it once, none twice, and none of the copies.
func TestCursorPagesOfOneState(t *testing.T) {
	ctx := context.Background()
	for _, o := range []Order{OrderNewest, OrderOldest, OrderConfidence, OrderRelevance} {
		t.Run(string(o), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "redline.index")
			w, err := Open(dir, Options{PublishInterval: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			all := manyArticles(60, 3)
			if err := w.Write(all); err != nil {
				t.Fatal(err)
			}
			r1 := waitView(t, dir, 1)
			defer r1.Close()
			q := Query{Order: o, Limit: 10, Text: ""}
			if o == OrderRelevance {
				q.Text = "talks"
			}
			// pages reads the pages from q on, then back by their Prev
			// cursors, which must give the same pages.
			pages := func(r *Index, q Query) []Hit {
				var hits []Hit
				var fwd [][]Hit
				var prevs []string
				for {
					res, err := r.Search(ctx, q)
					if err != nil {
						t.Fatalf("page after %q: %v", q.After, err)
					}
					hits = append(hits, res.Hits...)
					fwd, prevs = append(fwd, res.Hits), append(prevs, res.Prev)
					if res.Next == "" {
						break
					}
					q.After = res.Next
				}
				for n := len(fwd) - 1; n > 0; n-- {
					back := q
					back.After, back.Before = "", prevs[n]
					res, err := r.Search(ctx, back)
					if err != nil {
						t.Fatalf("page before %q: %v", back.Before, err)
					}
					if !slices.EqualFunc(res.Hits, fwd[n-1], func(a, b Hit) bool { return a.ID == b.ID }) {
						t.Errorf("the page before page %d of this paging is another than read forward", n+1)
					}
				}
				return hits
			}
			want := map[string]bool{}
			for _, h := range pages(r1, q) {
				want[foldKey(&h.Claim)] = true
			}
			first, err := r1.Search(ctx, q)
			if err != nil || first.Next == "" {
				t.Fatalf("page 1: %v, next %q", err, first.Next)
			}
			// Copies of every article, half dated before all, half
			// after, each claim as confident as can be.
			copies := make([]Article, len(all))
			for i, a := range all {
				a.DocID, a.Hash = fmt.Sprintf("copy-%03d", i), fmt.Sprintf("hcopy-%03d", i)
				a.Published = "2030-01-01"
				if i%2 == 1 {
					a.Published = "2000-01-01"
				}
				a.Claims = slices.Clone(a.Claims)
				for j := range a.Claims {
					c := &a.Claims[j]
					c.DocID, c.Published, c.Confidence = a.DocID, a.Published, 1
				}
				copies[i] = a
			}
			if err := w.Write(copies); err != nil {
				t.Fatal(err)
			}
			r2 := waitView(t, dir, 2)
			defer r2.Close()
			seen := map[string]bool{}
			for _, h := range first.Hits {
				seen[foldKey(&h.Claim)] = true
			}
			q.After = first.Next
			for _, h := range pages(r2, q) {
				k := foldKey(&h.Claim)
				if seen[k] {
					t.Errorf("%s shown twice", h.ID)
				}
				seen[k] = true
				if strings.HasPrefix(h.Claim.DocID, "copy-") {
					t.Errorf("%s, written after the first page, shown", h.ID)
				}
			}
			missing := 0
			for k := range want {
				if !seen[k] {
					missing++
				}
			}
			if missing > 0 || len(seen) != len(want) {
				t.Errorf("the pages show %d rows, %d of the %d rows of the state the paging began with missing", len(seen), missing, len(want))
			}
			// A paging begun now reads the newer state.
			if res, err := r2.Search(ctx, Query{Order: o, Text: q.Text, Limit: MaxLimit}); err != nil || !slices.ContainsFunc(res.Hits, func(h Hit) bool { return strings.HasPrefix(h.Claim.DocID, "copy-") }) {
				t.Errorf("a new first page: %v, no copy among %d rows", err, len(res.Hits))
			}
		})
	}
}
