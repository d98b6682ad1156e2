package index

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// ArticleInfo is what the index keeps of one article: its metadata as
// written (Article), the near-duplicate cluster it belongs to, how many
// claims it has and, from Index.Article only, its main text.
type ArticleInfo struct {
	DocID      string `json:"doc_id"`
	Source     string `json:"source"`
	URL        string `json:"url"`
	Title      string `json:"title"`
	Outlet     string `json:"outlet"`
	Published  string `json:"published"` // "2006-01-02" or ""
	Cluster    string `json:"cluster"`   // never "": the DocID when alone
	Lang       string `json:"lang"`
	NotEnglish bool   `json:"not_english"`
	Claims     int    `json:"claims"` // claims written with it
	// Text is the main text the claims' offsets point into, as written
	// (Article.Text). Only Index.Article reads it; it is "" for an article
	// written without one and for every article of an index made before
	// texts were stored (layout 3: re-ingest into a new index to get them).
	Text string `json:"text,omitempty"`
}

// articleFields are the stored fields ArticleInfo is read from.
var articleFields = []string{fieldDocID, fieldSource, fieldURL, fieldTitle, fieldOutlet, fieldPublished, fieldCluster, fieldLang, fieldEnglish, fieldClaims}

func articleInfo(h *search.DocumentMatch) ArticleInfo {
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	a := ArticleInfo{DocID: str(fieldDocID), Source: str(fieldSource), URL: str(fieldURL), Title: str(fieldTitle),
		Outlet: str(fieldOutlet), Published: str(fieldPublished), Cluster: str(fieldCluster), Lang: str(fieldLang),
		NotEnglish: str(fieldEnglish) == "false"}
	if t, ok := h.Fields[fieldText].(string); ok {
		a.Text = t
	}
	if n, ok := h.Fields[fieldClaims].(float64); ok {
		a.Claims = int(n)
	}
	if a.Cluster == "" {
		a.Cluster = a.DocID
	}
	return a
}

// Article returns the stored article docID with its main text (see
// ArticleInfo.Text); ok is false when the index has no such article. It may
// run concurrently with Write. On a damaged index it fails with an error
// wrapping ErrDamaged, as Search does, whether or not the damage is in the
// segment that holds the article; so do ClusterArticles, ArticleClaims,
// Claim and Months.
func (ix *Index) Article(ctx context.Context, docID string) (_ ArticleInfo, ok bool, err error) {
	defer recoverDamage(ix.dir, "read article", &err)
	if err := ix.verifySegments("read article"); err != nil {
		return ArticleInfo{}, false, err
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{articleID(docID)}), 1, 0, false)
	req.Fields = append(slices.Clip(articleFields), fieldText)
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return ArticleInfo{}, false, ix.searchErr(ctx, "", err)
	}
	if len(res.Hits) == 0 {
		return ArticleInfo{}, false, nil
	}
	return articleInfo(res.Hits[0]), true, nil
}

// MaxClusterArticles caps the articles ClusterArticles returns.
const MaxClusterArticles = 200

// ClusterArticles returns the articles of the near-duplicate cluster (the
// syndicated copies and reposts of one story), oldest first (undated last,
// ties by doc_id), at most MaxClusterArticles.
func (ix *Index) ClusterArticles(ctx context.Context, cluster string) (_ []ArticleInfo, err error) {
	defer recoverDamage(ix.dir, "read cluster", &err)
	if err := ix.verifySegments("read cluster"); err != nil {
		return nil, err
	}
	if cluster == "" {
		return nil, nil
	}
	q := query.NewConjunctionQuery([]query.Query{termQuery(fieldType, typeArticle), termQuery(fieldCluster, cluster)})
	req := bleve.NewSearchRequestOptions(q, MaxClusterArticles, 0, false)
	req.Fields = articleFields
	req.Score = bleve.ScoreNone
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, ix.searchErr(ctx, "", err)
	}
	out := make([]ArticleInfo, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, articleInfo(h))
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Published == "") != (b.Published == "") {
			return b.Published == ""
		}
		if a.Published != b.Published {
			return a.Published < b.Published
		}
		return a.DocID < b.DocID
	})
	return out, nil
}

// MaxArticleClaims caps the claims ArticleClaims returns.
const MaxArticleClaims = 5000

// ArticleClaims returns every claim of the article docID with its id, in
// the order of the text (start, then party and kind), whatever their
// confidence; at most MaxArticleClaims.
func (ix *Index) ArticleClaims(ctx context.Context, docID string) (_ []Hit, err error) {
	defer recoverDamage(ix.dir, "read article claims", &err)
	if err := ix.verifySegments("read article claims"); err != nil {
		return nil, err
	}
	q := query.NewConjunctionQuery([]query.Query{termQuery(fieldType, typeClaim), termQuery(fieldDocID, docID)})
	req := bleve.NewSearchRequestOptions(q, MaxArticleClaims, 0, false)
	req.Fields = []string{fieldRaw}
	req.Score = bleve.ScoreNone
	req.SortByCustom(search.SortOrder{ix.sortStart(), &search.SortDocID{}})
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, ix.searchErr(ctx, "", err)
	}
	out := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		c, err := decodeHit(h)
		if err != nil {
			return nil, err
		}
		out = append(out, Hit{ID: h.ID, Claim: c})
	}
	return out, nil
}

// Claim returns the claim whose id is id (Hit.ID); ok is false when there
// is none.
func (ix *Index) Claim(ctx context.Context, id string) (_ Hit, ok bool, err error) {
	defer recoverDamage(ix.dir, "read claim", &err)
	if err := ix.verifySegments("read claim"); err != nil {
		return Hit{}, false, err
	}
	if len(id) < 2 || id[:2] != "c:" {
		return Hit{}, false, nil // not a claim id: article records are not claims
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery([]string{id}), 1, 0, false)
	req.Fields = []string{fieldRaw}
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return Hit{}, false, ix.searchErr(ctx, "", err)
	}
	if len(res.Hits) == 0 {
		return Hit{}, false, nil
	}
	c, err := decodeHit(res.Hits[0])
	if err != nil {
		return Hit{}, false, fmt.Errorf("index: claim %s: %w", id, err)
	}
	return Hit{ID: id, Claim: c}, true, nil
}

// MaxMonths caps the months Months counts: the most recent ones.
const MaxMonths = 120

// Months counts the claims matching q per calendar month of their
// published date ("2025-03"), newest first, over the months from the
// earliest to the latest matching dated claim (at most the MaxMonths most
// recent); months without claims are left out. Undated claims are not
// counted. q.Limit, q.Offset and q.Facets are ignored.
func (ix *Index) Months(ctx context.Context, q Query) (_ []FacetCount, err error) {
	defer recoverDamage(ix.dir, "count months", &err)
	if err := ix.verifySegments("count months"); err != nil {
		return nil, err
	}
	bq, _, err := ix.claimQuery(q)
	if err != nil {
		return nil, err
	}
	// The earliest and the latest dated claim bound the month ranges.
	edge := func(desc bool) (time.Time, bool, error) {
		req := bleve.NewSearchRequestOptions(bq, 1, 0, false)
		req.Score = bleve.ScoreNone
		req.SortByCustom(search.SortOrder{&search.SortField{Field: fieldPublished, Type: search.SortFieldAsDate, Desc: desc, Missing: search.SortFieldMissingLast}})
		req.Fields = []string{fieldRaw}
		res, err := ix.bl.SearchInContext(ctx, req)
		if err != nil {
			return time.Time{}, false, ix.searchErr(ctx, q.Text, err)
		}
		if len(res.Hits) == 0 {
			return time.Time{}, false, nil
		}
		c, err := decodeHit(res.Hits[0])
		if err != nil || c.Published == "" {
			return time.Time{}, false, err
		}
		t, err := time.Parse(dateLayout, c.Published)
		return t, err == nil, nil
	}
	first, ok, err := edge(false)
	if err != nil || !ok {
		return nil, err
	}
	last, _, err := edge(true)
	if err != nil {
		return nil, err
	}
	end := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	start := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	if lo := end.AddDate(0, -MaxMonths, 0); start.Before(lo) {
		start = lo
	}
	fr := bleve.NewFacetRequest(fieldPublished, MaxMonths)
	for m := start; m.Before(end); m = m.AddDate(0, 1, 0) {
		next := m.AddDate(0, 1, 0)
		fr.AddDateTimeRange(m.Format("2006-01"), m, next)
	}
	req := bleve.NewSearchRequestOptions(bq, 0, 0, false)
	req.Score = bleve.ScoreNone
	req.AddFacet("month", fr)
	res, err := ix.bl.SearchInContext(ctx, req)
	if err != nil {
		return nil, ix.searchErr(ctx, q.Text, err)
	}
	var out []FacetCount
	if f := res.Facets["month"]; f != nil {
		for _, r := range f.DateRanges {
			if r.Count > 0 {
				out = append(out, FacetCount{Value: r.Name, Count: r.Count})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value > out[j].Value })
	return out, nil
}
