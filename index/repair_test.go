package index

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"redline/claim"
)

// claimKeys exports every claim of the index at dir as "id-ish" keys.
func claimKeys(t *testing.T, dir string) []string {
	t.Helper()
	ix, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var out []string
	err = ix.Claims(context.Background(), Query{}, func(c claim.Claim) error {
		out = append(out, claimID(&c)+"|"+c.Sentence)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func TestRepairSound(t *testing.T) {
	ctx := context.Background()
	arts := manyArticles(60, 3)
	arts[0].Bands = []string{"band-x", "band-y"}
	arts[0].TextHash = "th0"
	arts[7].Text = "Moscow demands guarantees.\n\nKyiv refuses."
	dir := buildIndex(t, arts[:30], arts[30:])
	out := filepath.Join(t.TempDir(), "repaired")
	rep, err := Repair(ctx, dir, RepairOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if rep.LostAnything() || rep.Articles != 60 || rep.Claims != 180 || !rep.Snapshot {
		t.Fatalf("repair of a sound index: %+v", rep)
	}
	if got, want := claimKeys(t, out), claimKeys(t, dir); !slices.Equal(got, want) {
		t.Errorf("repaired claims differ: %d vs %d", len(got), len(want))
	}
	if r := mustCheck(t, out); !r.OK() {
		t.Errorf("check of the repaired index: %v", r.Problems)
	}
	ix, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ok, err := ix.Unchanged(arts[5].DocID, arts[5].Hash); !ok || err != nil {
		t.Errorf("Unchanged after repair = %v, %v: a re-ingest would redo everything", ok, err)
	}
	cands, err := ix.Duplicates("", []string{"band-y"}, 0)
	if err != nil || len(cands) != 1 || cands[0].DocID != arts[0].DocID || cands[0].TextHash != "th0" {
		t.Errorf("band keys not kept: %+v, %v", cands, err)
	}
	if a, ok, err := ix.Article(ctx, arts[7].DocID); err != nil || !ok || a.Text != arts[7].Text {
		t.Errorf("article text after repair = %q, %v, %v; want %q", a.Text, ok, err, arts[7].Text)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("--out touched the damaged index: %v", err)
	}
}

func TestRepairInPlaceCorruptSegment(t *testing.T) {
	ctx := context.Background()
	dir := buildIndex(t, threeBatches()...)
	before := claimKeys(t, dir)
	victim := largestLiveSegment(t, dir)
	corruptMiddle(t, victim)

	rep, err := Repair(ctx, dir, RepairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Out != dir || rep.Kept == "" {
		t.Fatalf("in place: out %q, kept %q", rep.Out, rep.Kept)
	}
	if _, err := os.Stat(filepath.Join(rep.Kept, BleveDir, "store", filepath.Base(victim))); err != nil {
		t.Errorf("the damaged index was not kept: %v", err)
	}
	if r := mustCheck(t, dir); !r.OK() {
		t.Errorf("check of the repaired index: %v", r.Problems)
	}
	after := claimKeys(t, dir)
	for _, k := range after {
		if _, found := slices.BinarySearch(before, k); !found && len(rep.Unverified) == 0 {
			t.Errorf("the repaired index holds a claim the damaged one never had: %s", k)
		}
	}
	lostDocs := 0
	for _, l := range rep.Lost {
		lostDocs += max(l.Docs, 0)
	}
	if !rep.LostAnything() && len(after) != len(before) {
		t.Errorf("no loss reported, but %d claims of %d kept", len(after), len(before))
	}
	t.Logf("kept %d of %d claims; lost %d documents in %d segments; %d incomplete articles; unverified %v",
		len(after), len(before), lostDocs, len(rep.Lost), len(rep.Incomplete), rep.Unverified)
}

func TestRepairMissingSegmentAndRoot(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, dir string)
	}{
		{"missing segment", func(t *testing.T, dir string) {
			if err := os.Remove(largestLiveSegment(t, dir)); err != nil {
				t.Fatal(err)
			}
		}},
		{"unreadable root.bolt", func(t *testing.T, dir string) {
			if err := os.WriteFile(filepath.Join(dir, BleveDir, "store", "root.bolt"), []byte("not a database"), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := buildIndex(t, threeBatches()...)
			before := claimKeys(t, dir)
			tc.damage(t, dir)
			out := filepath.Join(t.TempDir(), "repaired")
			rep, err := Repair(ctx, dir, RepairOptions{Out: out})
			if err != nil {
				t.Fatal(err)
			}
			if r := mustCheck(t, out); !r.OK() {
				t.Errorf("check of the repaired index: %v", r.Problems)
			}
			after := claimKeys(t, out)
			for _, k := range after {
				if _, found := slices.BinarySearch(before, k); !found {
					t.Errorf("a claim the index did not hold came back: %s", k)
				}
			}
			if len(after) < len(before) && !rep.LostAnything() {
				t.Errorf("%d of %d claims kept, but no loss reported", len(after), len(before))
			}
			if tc.name == "unreadable root.bolt" && (rep.Snapshot || len(rep.Notes) == 0 || !strings.Contains(rep.Notes[0], "root.bolt")) {
				t.Errorf("report does not say root.bolt was unreadable: %+v", rep)
			}
			t.Logf("%s: kept %d of %d claims, lost %+v", tc.name, len(after), len(before), rep.Lost)
		})
	}
}

// TestRepairRemovesKilledRepairs: a repair a kill ended leaves its
// "<dir>.repair-<n>" folder, a whole copy of the index; the next in-place
// repair removes it, and leaves the folder of a repair still writing (its
// root.bolt locked) and a young one without an index yet.
func TestRepairRemovesKilledRepairs(t *testing.T) {
	arts := manyArticles(20, 2)
	dir := buildIndex(t, arts)
	killed := dir + ".repair-1"
	ix, err := Open(killed, Options{PublishInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Write(arts[:10]); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	writing := dir + ".repair-2"
	live, err := Open(writing, Options{PublishInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	young := dir + ".repair-3"
	if err := os.Mkdir(young, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, p := range []string{killed, writing, young} {
			os.RemoveAll(p)
		}
		kept, _ := filepath.Glob(dir + ".damaged-*")
		for _, p := range kept {
			os.RemoveAll(p)
		}
	})

	if _, err := Repair(context.Background(), dir, RepairOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(killed); !os.IsNotExist(err) {
		t.Errorf("the folder of the killed repair is still there: %v", err)
	}
	for _, p := range []string{writing, young} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
}
