package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Every Write records what the index holds after it, so that Check (and
// Stats) can tell when the index lost data or went back to an older state.
// The record is kept twice:
//
//   - as the Bleve internal value commitKey, written in the same atomic batch
//     as the articles: it says what the index's current snapshot must hold;
//   - in the file CommitFile of the index folder, written after the batch is
//     durable. Scorch keeps internal values inside its snapshots, so when it
//     falls back to an older snapshot (a segment file is missing) or an older
//     root.bolt is restored, the internal record goes back with it; the file
//     does not, and a file ahead of the index reveals the rollback.
const (
	commitKey = "redline:commit"
	// CommitFile is the name of the file in the index folder that records
	// the last write.
	CommitFile = "last-commit.json"
)

// Commit is what one Write left in the index.
type Commit struct {
	Seq      uint64    `json:"seq"` // 1 for the first write of the index, then +1
	Articles uint64    `json:"articles"`
	Claims   uint64    `json:"claims"`
	Time     time.Time `json:"time"`
}

func (c Commit) String() string {
	return fmt.Sprintf("write #%d of %s: %d articles, %d claims", c.Seq, c.Time.Format("2006-01-02 15:04:05 MST"), c.Articles, c.Claims)
}

// LastCommit returns the record of the last write in the state ix reads
// (for a view an ingest published, that of the view); ok is false when
// there is none (an empty index, or one written by an older redline).
func (ix *Index) LastCommit() (c Commit, ok bool, err error) {
	ok, err = ix.internalJSON(commitKey, "commit", &c)
	return c, ok, err
}

// internalJSON decodes the internal record under key into v; ok is false
// when there is none. what names the record in errors.
func (ix *Index) internalJSON(key, what string, v any) (ok bool, err error) {
	b, err := ix.bl.GetInternal([]byte(key))
	if err != nil {
		return false, ix.wrap(err)
	}
	if len(b) == 0 {
		return false, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("index %s: the %s record is corrupt: %w", ix.dir, what, err)
	}
	return true, nil
}

// readCommitFile reads CommitFile of the index folder dir; ok is false when
// there is none.
func readCommitFile(dir string) (c Commit, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(dir, CommitFile))
	if errors.Is(err, fs.ErrNotExist) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, false, fmt.Errorf("%s does not parse: %w", CommitFile, err)
	}
	return c, true, nil
}

// writeCommitFile replaces CommitFile of dir atomically, on disk before it
// returns.
func writeCommitFile(dir string, c Commit) error {
	return writeJSONAtomic(filepath.Join(dir, CommitFile), c, true)
}

// count returns the number of documents matching q.
func (ix *Index) count(ctx context.Context, q query.Query) (uint64, error) {
	res, err := ix.bl.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
	if err != nil {
		return 0, ix.searchErr(ctx, "", err)
	}
	return res.Total, nil
}

// typeCounts returns the numbers of article and claim documents in the
// index: the cardinality of each type term's postings in each segment less
// the segment's deleted documents. A search would visit every document
// (some microseconds each), and every Write counts them: on an index of
// millions of claims that made each Write slower than the last.
func (ix *Index) typeCounts(ctx context.Context) (articles, claims uint64, err error) {
	adv, err := ix.bl.Advanced()
	if err != nil {
		return 0, 0, ix.wrap(err)
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, 0, ix.wrap(err)
	}
	defer r.Close()
	count := func(typ string) (uint64, error) {
		tfr, err := r.TermFieldReader(ctx, []byte(typ), fieldType, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("index: count %s documents: %w", typ, ix.wrap(err))
		}
		defer tfr.Close()
		return tfr.Count(), nil
	}
	if articles, err = count(typeArticle); err != nil {
		return 0, 0, err
	}
	claims, err = count(typeClaim)
	return articles, claims, err
}

// nextCommit computes the record of a Write that deletes the stale claims,
// writes newClaims claims and the articles docIDs (distinct). It runs under
// wmu, before the batch, so nothing changes in between.
func (ix *Index) nextCommit(ctx context.Context, docIDs []string, stale, newClaims int) (Commit, error) {
	prev, _, err := ix.LastCommit()
	if err != nil {
		return Commit{}, err
	}
	articles, claims, err := ix.typeCounts(ctx)
	if err != nil {
		return Commit{}, err
	}
	var existing uint64
	for rest := docIDs; len(rest) > 0; {
		n := min(len(rest), lookupChunk)
		terms := make([]query.Query, n)
		for i, d := range rest[:n] {
			terms[i] = termQuery(fieldDocID, d)
		}
		rest = rest[n:]
		k, err := ix.count(ctx, query.NewConjunctionQuery([]query.Query{termQuery(fieldType, typeArticle), query.NewDisjunctionQuery(terms)}))
		if err != nil {
			return Commit{}, err
		}
		existing += k
	}
	return Commit{
		Seq:      prev.Seq + 1,
		Articles: sub(articles, existing) + uint64(len(docIDs)),
		Claims:   sub(claims, uint64(stale)) + uint64(newClaims),
		Time:     time.Now().UTC().Truncate(time.Second),
	}, nil
}

// sub is a - b, or 0 when b is larger (only on an index already damaged).
func sub(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}
