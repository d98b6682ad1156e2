package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"redline/claim"
	"redline/corpus"
	"redline/dedup"
	"redline/extract"
	"redline/index"
	"redline/internal/sharedtest"
	"redline/internal/textgen"
)

// textExtractor returns each document's text as its article, with one claim
// per document so that clusters reach the claims; it fails nothing.
type textExtractor struct{}

func (textExtractor) Extract(d corpus.Document) (extract.Result, error) {
	var res extract.Result
	res.Article.Text = d.Text
	res.Claims = []claim.Claim{{DocID: d.ID, Party: "russia", Kind: claim.Demand, Topics: []string{"nato"}, Sentence: "x"}}
	return res, nil
}

// clusters maps doc id to cluster over everything w was given.
func (w *fakeWriter) clusters() map[string]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	m := map[string]string{}
	for _, b := range w.batches {
		for _, a := range b {
			m[a.DocID] = a.Cluster
		}
	}
	return m
}

func TestRunDedup(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	orig := textgen.JoinParas(textgen.Article(r))
	other := textgen.JoinParas(textgen.Article(r))
	items := []item{
		{doc: doc("orig", orig)},
		{doc: doc("same-text", "  "+orig+"\n")}, // white space only: exact
		{doc: doc("syndicated", "This story was first published by Harbour Wire. "+orig)},
		{doc: doc("truncated", textgen.TruncateWords(orig, 0.6))},
		{doc: doc("other", other)},
		{doc: doc("other-copy", textgen.Substitute(r, other, 0.05))},
		{doc: doc("short", "Kyiv refuses.")},
		{doc: doc("short-again", "Kyiv refuses.")}, // exact, even when short
	}
	want := map[string]string{"orig": "orig", "syndicated": "orig", "truncated": "orig", "other": "other", "other-copy": "other", "short": "short"}
	for _, workers := range []int{1, 4} {
		for _, dedup := range []bool{true, false} {
			t.Run(fmt.Sprintf("workers=%d/dedup=%v", workers, dedup), func(t *testing.T) {
				w := &fakeWriter{}
				sum, err := Run(context.Background(), &fakeSource{items: items}, textExtractor{}, w, Options{Workers: workers, BatchSize: 3, Dedup: dedup})
				if err != nil {
					t.Fatal(err)
				}
				if !dedup {
					if sum.Indexed != len(items) || sum.Duplicates != 0 || sum.NearDuplicates != 0 {
						t.Errorf("without Dedup: %+v", sum)
					}
					for id, c := range w.clusters() {
						if c != "" {
							t.Errorf("without Dedup, %s has cluster %q", id, c)
						}
					}
					return
				}
				if sum.Read != 8 || sum.Indexed != 6 || sum.Duplicates != 2 || sum.NearDuplicates != 3 || sum.Claims != 6 {
					t.Errorf("Summary = %+v, want 8 read, 6 indexed, 2 duplicates, 3 near-duplicates, 6 claims", sum)
				}
				got := w.clusters()
				for id, c := range want {
					if got[id] != c {
						t.Errorf("cluster of %s = %q, want %q", id, got[id], c)
					}
				}
				if len(got) != len(want) {
					t.Errorf("written %v, want %v", got, want)
				}
			})
		}
	}
}

// TestRunDedupAcrossRuns: a later run finds the copies of what an earlier
// run indexed, through the index.
func TestRunDedupAcrossRuns(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	orig := textgen.JoinParas(textgen.Article(r))
	ix, err := index.Open(filepath.Join(t.TempDir(), "idx"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	run := func(opts Options, items ...item) Summary {
		t.Helper()
		opts.Dedup = true
		sum, err := Run(context.Background(), &fakeSource{items: items}, textExtractor{}, ix, opts)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	cluster := func(id string) string {
		t.Helper()
		var c []string
		for _, cand := range mustDup(t, ix, "", dedup.NewSketch(orig).BandKeys()) {
			if cand.DocID == id {
				c = append(c, cand.Cluster)
			}
		}
		if len(c) != 1 {
			t.Fatalf("article %s found %d times", id, len(c))
		}
		return c[0]
	}
	if s := run(Options{}, item{doc: doc("orig", orig)}); s.Indexed != 1 {
		t.Fatalf("first run: %+v", s)
	}
	s := run(Options{},
		item{doc: doc("copy", orig)},
		item{doc: doc("headline", "Breaking: new headline\n\n"+orig)},
		item{doc: doc("orig", orig)}, // unchanged: skipped before extraction
	)
	if s.Indexed != 1 || s.Duplicates != 1 || s.NearDuplicates != 1 || s.Unchanged != 1 {
		t.Errorf("second run: %+v, want 1 indexed, 1 duplicate, 1 near-duplicate, 1 unchanged", s)
	}
	if c := cluster("headline"); c != "orig" {
		t.Errorf("headline copy is in cluster %q, want orig", c)
	}
	// Re-extracting an article is no duplicate of its own stored version,
	// and keeps its cluster.
	s = run(Options{Force: true}, item{doc: doc("orig", orig)}, item{doc: doc("headline", "Breaking: new headline\n\n"+orig)})
	if s.Indexed != 2 || s.Duplicates != 0 || s.NearDuplicates != 1 {
		t.Errorf("forced run: %+v, want 2 indexed, 0 duplicates, 1 near-duplicate", s)
	}
	if c := cluster("orig"); c != "orig" {
		t.Errorf("orig moved to cluster %q", c)
	}
	if c := cluster("headline"); c != "orig" {
		t.Errorf("headline copy moved to cluster %q", c)
	}
}

func mustDup(t *testing.T, ix *index.Index, hash string, bands []string) []index.Candidate {
	t.Helper()
	c, err := ix.Duplicates(hash, bands, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDedupEndToEnd runs the labelled set through Run into a real index, in
// a shuffled order and in small batches, so that LSH retrieval from the
// index and from memory both take part, and measures the clusters: the
// recall of each edit (the copy ends in its original's cluster) and the
// pairwise precision (two documents in one cluster are of one family).
func TestDedupEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 1,000 articles to an index")
	}
	docs := textgen.LabelledSet(42, 100, 20)
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	items := make([]item, len(docs))
	byID := map[string]textgen.Doc{}
	for i, d := range docs {
		items[i] = item{doc: doc(d.ID, d.Text)}
		byID[d.ID] = d
	}
	ix, err := index.Open(filepath.Join(t.TempDir(), "idx"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rec := &recordingWriter{Index: ix}
	sum, err := Run(context.Background(), &fakeSource{items: items}, textExtractor{}, rec, Options{Workers: 2, BatchSize: 16, Dedup: true})
	if err != nil {
		t.Fatal(err)
	}
	cluster := rec.clusters
	members := map[string][]textgen.Doc{}
	for id, c := range cluster {
		members[c] = append(members[c], byID[id])
	}
	same, mixed := 0, 0
	for _, m := range members {
		for i := range m {
			for j := i + 1; j < len(m); j++ {
				if m[i].Family == m[j].Family {
					same++
				} else {
					mixed++
				}
			}
		}
	}
	precision := float64(same) / float64(max(same+mixed, 1))
	hit, all := map[string]int{}, map[string]int{}
	origOf := map[int]string{}
	for _, d := range docs {
		if d.Edit == "" {
			origOf[d.Family] = d.ID
		}
	}
	for _, d := range docs {
		if d.Edit == "" {
			continue
		}
		all[d.Edit]++
		if cluster[d.ID] == cluster[origOf[d.Family]] {
			hit[d.Edit]++
		}
	}
	tot, totHit, tot40, hit40 := 0, 0, 0, 0
	t.Logf("%d documents, %d clusters, %d near-duplicates; pairwise cluster precision %.4f (%d same-family pairs, %d mixed)",
		sum.Indexed, len(members), sum.NearDuplicates, precision, same, mixed)
	for _, e := range textgen.Edits {
		t.Logf("    %-22s recall %.3f", e.Name, float64(hit[e.Name])/float64(all[e.Name]))
		tot += all[e.Name]
		totHit += hit[e.Name]
		if e.Name != "words substituted 40%" {
			tot40 += all[e.Name]
			hit40 += hit[e.Name]
		}
	}
	recall, recall40 := float64(totHit)/float64(tot), float64(hit40)/float64(tot40)
	t.Logf("end to end at dedup.MinContainment %.2f: precision %.4f, recall %.4f (%.4f without the 40%%-substituted copies)", dedup.MinContainment, precision, recall, recall40)
	if precision < 0.99 || recall < 0.85 || recall40 < 0.97 {
		t.Errorf("precision %.4f, recall %.4f (%.4f without 40%%): want >= 0.99, >= 0.85, >= 0.97", precision, recall, recall40)
	}
}

// recordingWriter writes to the index and remembers each article's cluster.
type recordingWriter struct {
	*index.Index
	clusters map[string]string
}

func (w *recordingWriter) Write(arts []index.Article) error {
	if w.clusters == nil {
		w.clusters = map[string]string{}
	}
	for _, a := range arts {
		w.clusters[a.DocID] = a.Cluster
	}
	return w.Index.Write(arts)
}

const sharedBulk = "../../shared/corpus/bulk.jsonl"

// TestBulkDuplicates ingests the shared bulk dump with the real extractor:
// its 36 exact duplicates (17 texts stored more than once) must all be
// found. The near-duplicate clusters it finds are logged for inspection.
func TestBulkDuplicates(t *testing.T) {
	if _, err := os.Stat(sharedBulk); err != nil {
		sharedtest.Missing(t, fmt.Sprintf("%s not found: skipping the bulk duplicate count", sharedBulk))
	}
	src, err := corpus.Open([]string{sharedBulk}, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ex, err := extract.NewExtractor(nil)
	if err != nil {
		t.Fatal(err)
	}
	w := &fakeWriter{}
	sum, err := Run(context.Background(), src, ex, w, Options{Dedup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bulk: %d read, %d indexed, %d failed, %d exact duplicates skipped, %d near-duplicates clustered", sum.Read, sum.Indexed, sum.Failed, sum.Duplicates, sum.NearDuplicates)
	if sum.Duplicates != 36 {
		t.Errorf("found %d exact duplicates in the bulk dump, want 36", sum.Duplicates)
	}
	groups := map[string][]string{}
	for id, c := range w.clusters() {
		if id != c {
			groups[c] = append(groups[c], id)
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		slices.Sort(groups[k])
		t.Logf("  near-duplicate cluster %s: %v", k, groups[k])
	}
}
