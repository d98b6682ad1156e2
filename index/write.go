package index

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"redline/claim"
)

// Article is one source document with all the claims extracted from it: the
// unit Write stores and replaces.
type Article struct {
	DocID     string // stable id of the document; required
	Source    string // where it came from (file, WARC record, feed, ...)
	URL       string
	Title     string
	Outlet    string
	Published string // "2006-01-02", or "" when unknown
	// Hash fingerprints what the claims were made from (e.g. content plus
	// lexicon version); Unchanged compares it so re-runs skip the article.
	Hash   string
	Claims []claim.Claim // every claim's DocID must equal DocID
	// Lang is the document's declared language, or "". NotEnglish marks a
	// document kept in the index but not read with the English claim rules.
	Lang       string
	NotEnglish bool

	// Cluster names the group of near-duplicate articles (syndicated
	// copies, reposts) this one belongs to; "" means its own DocID. It is
	// stored with the article and each of its claims, so that independent
	// sources are distinct clusters (see package compare).
	Cluster string
	// TextHash, Bands and Sketch fingerprint the article's main text for
	// duplicate detection (see Duplicates); all optional and opaque to the
	// index: TextHash equal for exact copies, Bands the locality-sensitive
	// keys looked up by term, Sketch stored for the caller to verify.
	TextHash string   // equal for exact copies
	Bands    []string // keys that Duplicates looks up
	Sketch   string   // stored, returned by Duplicates

	// Text is the article's main text, the text the claims' Start and End
	// are byte offsets into; optional. It is stored with the article record
	// (not indexed) and read back by Index.Article. An index of layout 3
	// (made before texts were kept) accepts the article but drops its text.
	Text string
}

// cluster is the article's cluster id: Cluster, or DocID when unset.
func (a *Article) cluster() string {
	if a.Cluster != "" {
		return a.Cluster
	}
	return a.DocID
}

// Validate reports why Write would refuse the article: an empty DocID, a
// Published (of the article or a claim) that is neither "" nor a
// "2006-01-02" date, or a claim whose DocID differs from the article's. The
// error wraps ErrInvalidArticle and names the article.
func (a *Article) Validate() error {
	if a.DocID == "" {
		return fmt.Errorf("%w: empty doc_id (title %q)", ErrInvalidArticle, a.Title)
	}
	if _, _, err := parseDate(a.Published); err != nil {
		return fmt.Errorf("%w %q: %v", ErrInvalidArticle, a.DocID, err)
	}
	for i := range a.Claims {
		c := &a.Claims[i]
		if c.DocID != a.DocID {
			return fmt.Errorf("%w %q: claim %d has doc_id %q", ErrInvalidArticle, a.DocID, i, c.DocID)
		}
		if _, _, err := parseDate(c.Published); err != nil {
			return fmt.Errorf("%w %q: claim %d: %v", ErrInvalidArticle, a.DocID, i, err)
		}
	}
	return nil
}

// Unchanged reports whether the article docID is stored with exactly this
// hash, so a re-run may skip it. An empty hash is never unchanged.
func (ix *Index) Unchanged(docID, hash string) (bool, error) {
	if hash == "" {
		return false, nil
	}
	stored, found, err := ix.articleHash(docID)
	if err != nil || !found {
		return false, err
	}
	return stored == hash, nil
}

// Has reports whether the article docID is stored (with its claims, possibly
// none).
func (ix *Index) Has(docID string) (bool, error) {
	_, found, err := ix.articleHash(docID)
	return found, err
}

func (ix *Index) articleHash(docID string) (hash string, found bool, err error) {
	defer recoverDamage(ix.dir, "look up article "+docID, &err)
	doc, err := ix.bl.Document(articleID(docID))
	if err != nil {
		return "", false, ix.wrap(err)
	}
	if doc == nil {
		return "", false, nil
	}
	doc.VisitFields(func(f bleveindex.Field) {
		switch f.Name() {
		case fieldHash:
			hash = string(f.Value())
		case fieldType:
			// only stored fields come back; type is not stored
		}
	})
	return hash, true, nil
}

// Write stores a group of articles in one atomic, durable Bleve batch: for
// each article it deletes every claim of that doc_id already in the index
// (re-ingesting replaces an article's claims), then indexes the new claims
// and the article record. When Write returns nil the batch is on disk; a
// crash before that leaves none of it. If an article appears twice in arts,
// the last one wins. Every article is validated first (see
// Article.Validate); one invalid article makes Write store nothing. Write
// may run concurrently with searches; concurrent Writes are serialised.
// Batches of a few hundred articles (some thousand claims) are the sweet
// spot; a Write holds the whole batch in memory.
func (ix *Index) Write(arts []Article) (err error) {
	defer recoverDamage(ix.dir, "write", &err)
	if ix.opts.ReadOnly {
		return fmt.Errorf("index %s: %w", ix.dir, ErrReadOnly)
	}
	if len(arts) == 0 {
		return nil
	}
	for i := range arts {
		if err := arts[i].Validate(); err != nil {
			return err
		}
	}
	// Last occurrence of each doc_id wins.
	last := make(map[string]int, len(arts))
	for i := range arts {
		last[arts[i].DocID] = i
	}
	docIDs := make([]string, 0, len(last))
	for i := range arts {
		if last[arts[i].DocID] == i {
			docIDs = append(docIDs, arts[i].DocID)
		}
	}

	ix.wmu.Lock()
	defer ix.wmu.Unlock()

	stale, err := ix.claimIDsOf(context.Background(), docIDs)
	if err != nil {
		return err
	}
	// The claims record the write that stores them (nextCommit numbers it
	// the same way, under the same lock), so that pages read after a
	// cursor leave out what was written since the first page.
	prev, _, err := ix.LastCommit()
	if err != nil {
		return err
	}
	b := ix.bl.NewBatch()
	newClaims := 0
	for _, id := range stale {
		b.Delete(id)
	}
	for i := range arts {
		a := &arts[i]
		if last[a.DocID] != i {
			continue
		}
		seen := make(map[string]int, len(a.Claims))
		for j := range a.Claims {
			c := &a.Claims[j]
			id := claimID(c)
			// Two claims with the same (start, party, kind) would share an
			// id; keep both, numbering the later ones.
			if n := seen[id]; n > 0 {
				seen[id] = n + 1
				id += ":" + strconv.Itoa(n+1)
			} else {
				seen[id] = 1
			}
			d, err := claimDoc(c, a.cluster(), prev.Seq+1)
			if err != nil {
				return fmt.Errorf("index: article %q claim %d: %w", a.DocID, j, err)
			}
			if err := b.Index(id, d); err != nil {
				return fmt.Errorf("index: article %q claim %d: %w", a.DocID, j, err)
			}
			newClaims++
		}
		if err := b.Index(articleID(a.DocID), articleDoc(a)); err != nil {
			return fmt.Errorf("index: article %q: %w", a.DocID, err)
		}
	}
	commit, err := ix.nextCommit(context.Background(), docIDs, len(stale), newClaims)
	if err != nil {
		return err
	}
	rec, err := json.Marshal(commit)
	if err != nil {
		return fmt.Errorf("index: record write: %w", err)
	}
	b.SetInternal([]byte(commitKey), rec)
	if err := ix.bl.Batch(b); err != nil {
		return fmt.Errorf("index: write %d articles: %w", len(docIDs), ix.wrap(err))
	}
	if err := writeCommitFile(ix.dir, commit); err != nil {
		return fmt.Errorf("index: %d articles written, but recording the write in %s failed: %w", len(docIDs), filepath.Join(ix.dir, CommitFile), err)
	}
	ix.pub.notify()
	return nil
}

// lookupChunk bounds the number of doc_id terms in one disjunction.
const lookupChunk = 512

// claimIDsOf returns the ids of all claim documents of the given doc_ids.
func (ix *Index) claimIDsOf(ctx context.Context, docIDs []string) ([]string, error) {
	var ids []string
	for len(docIDs) > 0 {
		n := min(len(docIDs), lookupChunk)
		chunk := docIDs[:n]
		docIDs = docIDs[n:]

		terms := make([]query.Query, len(chunk))
		for i, d := range chunk {
			terms[i] = termQuery(fieldDocID, d)
		}
		q := query.NewConjunctionQuery([]query.Query{
			termQuery(fieldType, typeClaim),
			query.NewDisjunctionQuery(terms),
		})
		var after []string
		for {
			req := bleve.NewSearchRequestOptions(q, ix.opts.PageSize, 0, false)
			req.SortByCustom(search.SortOrder{&search.SortDocID{}})
			req.Score = "none"
			if after != nil {
				req.SearchAfter = after
			}
			res, err := ix.bl.SearchInContext(ctx, req)
			if err != nil {
				return nil, fmt.Errorf("index: find stale claims: %w", ix.wrap(err))
			}
			for _, h := range res.Hits {
				ids = append(ids, h.ID)
			}
			if len(res.Hits) < ix.opts.PageSize {
				break
			}
			after = []string{res.Hits[len(res.Hits)-1].ID}
		}
	}
	return ids, nil
}

func termQuery(field, term string) *query.TermQuery {
	q := query.NewTermQuery(term)
	q.SetField(field)
	return q
}

// Candidate is an article Duplicates found: its id, cluster (never "") and
// the fingerprint it was written with.
type Candidate struct {
	DocID    string // the article
	Cluster  string // its cluster
	TextHash string // Article.TextHash as written
	Sketch   string // Article.Sketch as written
}

// MaxCandidates caps the candidates Duplicates returns.
const MaxCandidates = 50

// Duplicates returns the stored articles whose TextHash equals textHash or
// that share at least one of the band keys: exact matches first, then the
// others best first (sharing more, and rarer, keys ranks higher; ties by
// doc_id), at most limit in all (0 or more than MaxCandidates means
// MaxCandidates).
// Articles written without a fingerprint are never returned. It may run
// concurrently with Write, and sees what earlier Writes stored.
func (ix *Index) Duplicates(textHash string, bands []string, limit int) (_ []Candidate, err error) {
	defer recoverDamage(ix.dir, "find duplicates", &err)
	if limit <= 0 || limit > MaxCandidates {
		limit = MaxCandidates
	}
	// One reader for the counts of the band keys and their samples.
	var r bleveindex.IndexReader
	if len(bands) > 0 {
		if r, err = ix.reader(); err != nil {
			return nil, err
		}
		defer r.Close()
	}
	common, err := ix.commonBands(r, bands)
	if err != nil {
		return nil, err
	}
	var terms []query.Query
	if textHash != "" {
		q := termQuery(fieldTextHash, textHash)
		q.SetBoost(float64(len(bands) + 1)) // an exact copy outranks any band match
		terms = append(terms, q)
	}
	for _, b := range bands {
		if b != "" && !common[b] {
			terms = append(terms, termQuery(fieldBands, bandTerm(b)))
		}
	}
	if len(terms) == 0 {
		return ix.sampleBands(r, common, limit)
	}
	// Only article documents have these fields: no type filter needed.
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(terms), limit, 0, false)
	req.Fields = []string{fieldDocID, fieldCluster, fieldTextHash, fieldSketch}
	req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}})
	res, err := ix.bl.SearchInContext(context.Background(), req)
	if err != nil {
		return nil, fmt.Errorf("index: find duplicates: %w", ix.wrap(err))
	}
	out := make([]Candidate, 0, len(res.Hits))
	for _, h := range res.Hits {
		str := func(f string) string { s, _ := h.Fields[f].(string); return s }
		c := Candidate{DocID: str(fieldDocID), Cluster: str(fieldCluster), TextHash: str(fieldTextHash), Sketch: str(fieldSketch)}
		if c.Cluster == "" {
			c.Cluster = c.DocID
		}
		out = append(out, c)
	}
	if len(out) < limit && len(common) > 0 {
		more, err := ix.sampleBands(r, common, limit)
		if err != nil {
			return nil, err
		}
		for _, c := range more {
			if len(out) < limit && !slices.ContainsFunc(out, func(o Candidate) bool { return o.DocID == c.DocID }) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// MaxBandPostings is the number of articles sharing a band key above which
// Duplicates no longer scores every one of them. A story copied thousands
// of times (wire copies, a crawl's paywall or error pages, which differ by
// a date or an id) gives every key of its sketch thousands of articles, and
// scoring them all made each lookup cost as much as the copies so far: an
// ingest of 16,000 such pages took 15 times as long as one of 4,000. Above
// the cap a key brings a sample of its articles instead (see sampleBands),
// which are copies of one story and so in one cluster already.
const MaxBandPostings = 500

// reader opens a reader of the index's current segments, to be closed by
// the caller.
func (ix *Index) reader() (bleveindex.IndexReader, error) {
	adv, err := ix.bl.Advanced()
	if err != nil {
		return nil, ix.wrap(err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, ix.wrap(err)
	}
	return r, nil
}

// commonBands returns the band keys of bands that more than
// MaxBandPostings articles share, as r counts them (r may be nil when
// bands is empty).
func (ix *Index) commonBands(r bleveindex.IndexReader, bands []string) (map[string]bool, error) {
	var common map[string]bool
	for _, b := range bands {
		if b == "" {
			continue
		}
		tfr, err := r.TermFieldReader(context.Background(), []byte(bandTerm(b)), fieldBands, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("index: find duplicates: %w", ix.wrap(err))
		}
		n := tfr.Count()
		_ = tfr.Close()
		if n > MaxBandPostings {
			if common == nil {
				common = make(map[string]bool)
			}
			common[b] = true
		}
	}
	return common, nil
}

// sampleBands returns up to limit articles with the band keys common: the
// first articles of each key's postings (the oldest, in a merged index),
// those with more of the keys first, ties by doc_id; r is the reader
// commonBands counted them in.
func (ix *Index) sampleBands(r bleveindex.IndexReader, common map[string]bool, limit int) ([]Candidate, error) {
	if len(common) == 0 {
		return nil, nil
	}
	shared := map[string]int{} // Bleve document id -> keys shared
	for _, b := range slices.Sorted(maps.Keys(common)) {
		tfr, err := r.TermFieldReader(context.Background(), []byte(bandTerm(b)), fieldBands, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("index: find duplicates: %w", ix.wrap(err))
		}
		for range limit {
			d, err := tfr.Next(nil)
			if err != nil || d == nil {
				break
			}
			if id, err := r.ExternalID(d.ID); err == nil {
				shared[id]++
			}
		}
		_ = tfr.Close()
	}
	ids := slices.SortedFunc(maps.Keys(shared), func(a, b string) int {
		return cmp.Or(shared[b]-shared[a], strings.Compare(a, b))
	})
	out := make([]Candidate, 0, min(limit, len(ids)))
	for _, id := range ids[:min(limit, len(ids))] {
		doc, err := ix.bl.Document(id)
		if err != nil {
			return nil, fmt.Errorf("index: find duplicates: %w", ix.wrap(err))
		}
		if doc == nil {
			continue
		}
		var c Candidate
		doc.VisitFields(func(f bleveindex.Field) {
			switch f.Name() {
			case fieldDocID:
				c.DocID = string(f.Value())
			case fieldCluster:
				c.Cluster = string(f.Value())
			case fieldTextHash:
				c.TextHash = string(f.Value())
			case fieldSketch:
				c.Sketch = string(f.Value())
			}
		})
		if c.Cluster == "" {
			c.Cluster = c.DocID
		}
		out = append(out, c)
	}
	return out, nil
}
