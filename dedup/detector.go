package dedup

import (
	"slices"

	"redline/index"
)

// Finder finds the articles stored earlier by fingerprint (*index.Index
// does): those with the text hash, and the best of those sharing band keys.
type Finder interface {
	Duplicates(textHash string, bands []string, limit int) ([]index.Candidate, error)
}

// Detector is the duplicate detection of one run. It remembers the articles
// of the run that the index cannot show yet: all of them when there is no
// Finder, else those not yet written. A Detector is used from one goroutine.
//
// Articles are checked in batches: Check each article of a batch, then
// Flush when the batch goes to the writer, and Written when the writer has
// stored the oldest batch not yet reported. Until then the Detector keeps
// the batch's articles in memory, so a writer may store a batch while the
// next one is checked, and the decisions do not depend on when it finishes.
type Detector struct {
	finder Finder            // nil: memory only
	exact  map[string]string // text hash -> doc id
	ids    map[string]bool   // doc ids in entries
	// bands and posts list the entries with each band key (as a number,
	// see bandHashes): bands[key] is 1 + the index in posts of the key's
	// latest posting, whose next leads to the one before. One map entry a
	// key and one slice for all postings, not a slice a key.
	bands   map[uint64]int32
	posts   []posting
	entries []entry
	gen     int // the batch being checked; earlier ones are flushed
	written int // batches before this one are written

	// seen[i] == check: entries[i] was verified in the current Check.
	seen  []uint32
	check uint32
	// The decoded bytes and values of an index candidate's sketch, reused
	// from one candidate to the next.
	decBuf  []byte
	decMins []uint32
}

// posting is one entry's place in the list of a band key. Its int32s
// hold up to 2^31 postings, 67 million articles in memory at once: a run
// with a Finder keeps a batch or two.
type posting struct {
	entry int32 // index in entries
	next  int32 // 1 + the index in posts of the key's posting before, or 0
}

// candidates is how many of the index's best candidates Check verifies: a
// copy shares most band keys with its original and ranks at the top, while
// unrelated articles on the same topic share one or two.
const candidates = 10

type entry struct {
	docID, cluster string
	sketch         Sketch
	gen            int
}

// New returns a Detector that looks up earlier runs' articles with f; f
// may be nil, and then only the articles of the run count.
func New(f Finder) *Detector {
	d := &Detector{finder: f}
	d.rebuild(nil)
	return d
}

// rebuild sets the lookup tables to hold entries es, in order.
func (d *Detector) rebuild(es []entry) {
	// The tables are emptied, not made anew: a run's batches are of one
	// size, and the next batch fills them as far again without growing
	// them.
	if d.exact == nil {
		d.exact, d.bands, d.ids = map[string]string{}, map[uint64]int32{}, map[string]bool{}
	}
	clear(d.exact)
	clear(d.bands)
	clear(d.ids)
	d.posts = d.posts[:0]
	d.entries = nil
	var keys [Bands]uint64
	for _, e := range es {
		if e.sketch.bandHashes(&keys) {
			d.remember(e, keys[:])
		} else {
			d.remember(e, nil)
		}
	}
}

// remember adds e, whose band keys are keys, to the lookup tables.
func (d *Detector) remember(e entry, keys []uint64) {
	if _, ok := d.exact[e.sketch.TextHash]; !ok {
		d.exact[e.sketch.TextHash] = e.docID
	}
	d.ids[e.docID] = true
	i := int32(len(d.entries))
	d.entries = append(d.entries, e)
	for _, k := range keys {
		d.posts = append(d.posts, posting{entry: i, next: d.bands[k]})
		d.bands[k] = int32(len(d.posts))
	}
}

// Flush tells that the articles checked since the last Flush went to the
// writer as one batch.
func (d *Detector) Flush() { d.gen++ }

// Written tells that the oldest flushed batch not yet reported is in the
// index, where the Finder sees its articles: they are forgotten. Without a
// Finder nothing is forgotten.
func (d *Detector) Written() {
	if d.finder == nil || d.written >= d.gen {
		return
	}
	d.written++
	// rebuild drops d.entries before it appends to a new slice, so keep
	// may share its array.
	keep := slices.DeleteFunc(d.entries, func(e entry) bool { return e.gen < d.written })
	d.rebuild(keep)
}

// Reset forgets every article of the run.
func (d *Detector) Reset() { d.rebuild(nil) }

// Check decides about one article with sketch s: dup is true for an exact
// copy of another article (by doc id) that was indexed or checked earlier;
// otherwise it sets the article's fingerprint fields and its Cluster (the
// cluster of the most similar earlier near-duplicate, ties to the smaller
// cluster id, else its own DocID) and remembers it. An error is the
// Finder's.
func (d *Detector) Check(a *index.Article, s Sketch) (dup bool, err error) {
	var hs [Bands]uint64
	var keys []uint64
	a.Bands = nil
	if s.bandHashes(&hs) {
		keys = hs[:]
		a.Bands = bandStrings(&hs)
	}
	a.TextHash, a.Sketch = s.TextHash, s.Encode()
	a.Cluster = a.DocID
	if id, ok := d.exact[s.TextHash]; ok && id != a.DocID {
		return true, nil
	}
	// The best candidate is the one of highest similarity, ties to the
	// smaller cluster id: the order candidates are met in does not matter.
	best, bestCluster := 0.0, ""
	consider := func(sim float64, cluster string) {
		if sim >= MinContainment && (sim > best || sim == best && cluster < bestCluster) {
			best, bestCluster = sim, cluster
		}
	}
	if d.check++; d.check == 0 { // wrapped: the old marks could match
		clear(d.seen)
		d.check = 1
	}
	if n := len(d.entries); len(d.seen) < n {
		d.seen = append(d.seen, make([]uint32, n-len(d.seen))...)
	}
	for _, k := range keys {
		for p := d.bands[k]; p != 0; p = d.posts[p-1].next {
			i := d.posts[p-1].entry
			if e := &d.entries[i]; d.seen[i] != d.check && e.docID != a.DocID {
				d.seen[i] = d.check
				consider(s.Similarity(e.sketch), e.cluster)
			}
		}
	}
	if d.finder != nil {
		cands, err := d.finder.Duplicates(s.TextHash, a.Bands, candidates)
		if err != nil {
			return false, err
		}
		if d.decMins == nil {
			d.decMins = make([]uint32, SketchSize)
		}
		for _, c := range cands {
			// The article itself (re-ingested), or one whose newer
			// version is in memory, is not a candidate.
			if c.DocID == a.DocID || d.ids[c.DocID] {
				continue
			}
			if c.TextHash == s.TextHash {
				return true, nil
			}
			if c.Sketch == "" {
				continue // a text without words: similarity 0
			}
			var cs Sketch
			cs, d.decBuf, err = decodeSketch(c.Sketch, d.decBuf, d.decMins)
			if err != nil {
				continue // not ours: no opinion
			}
			consider(s.Similarity(cs), c.Cluster)
		}
	}
	if bestCluster != "" {
		a.Cluster = bestCluster
	}
	d.remember(entry{docID: a.DocID, cluster: a.Cluster, sketch: s, gen: d.gen}, keys)
	return false, nil
}
