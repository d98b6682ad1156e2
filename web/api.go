package web

import (
	"bufio"
	"context"
	"net/http"

	"redline/claim"
	"redline/index"
)

// apiHit is one row of /api/search: its claim's id, the claim as exported,
// the score, the matched fragments and, as redline search --json gives
// them, how many claims of the same sentence, party and kind the row folds
// and where each of them appeared.
type apiHit struct {
	ID string `json:"id"`
	claim.Claim
	Score     float64        `json:"score"`
	Fragments []string       `json:"fragments,omitempty"`
	Claims    int            `json:"claims"`
	Sources   []index.Source `json:"sources"`
}

// searchResult is a page of search results with facets.
type searchResult struct {
	Total         uint64                        `json:"total"`
	Offset        int                           `json:"offset"`
	Limit         int                           `json:"limit"`
	MinConfidence float64                       `json:"min_confidence"`
	Hits          []apiHit                      `json:"hits"`
	Facets        map[string][]index.FacetCount `json:"facets"`
	TookMS        float64                       `json:"took_ms"`
	// Sort is the order of the hits; Next the cursor of the page after
	// this one (the after parameter), absent when this page is the last;
	// Prev the cursor of the page before it (the before parameter),
	// absent when this page is the first.
	Sort string `json:"sort"`
	Next string `json:"next,omitempty"`
	Prev string `json:"prev,omitempty"`
	// filters are the facet filters as the index holds their values
	// (party=Kremlin is russia), for the page to mark them.
	filters map[string][]string
}

// search runs the search of p: one page with facets, including months.
func (s *Server) search(ctx context.Context, p params) (searchResult, error) {
	var out searchResult
	err := s.withIndex(ctx, func(ix *index.Index) error {
		q, _, err := p.query(ix, s.lexs.get())
		if err != nil {
			return err
		}
		q.Limit, q.Offset, q.Facets, q.Order, q.After, q.Before = p.size, p.offset, true, p.order, p.after, p.before
		res, err := ix.Search(ctx, q)
		if err != nil {
			return err
		}
		months, err := ix.Months(ctx, q)
		if err != nil {
			return err
		}
		out = searchResult{Total: res.Total, Offset: p.offset, Limit: p.size, MinConfidence: q.MinConfidence,
			Hits: make([]apiHit, 0, len(res.Hits)), Facets: res.Facets, TookMS: float64(res.Took.Microseconds()) / 1000,
			Sort: string(p.order.For(q.Text)), Next: res.Next, Prev: res.Prev}
		if out.Facets == nil {
			out.Facets = map[string][]index.FacetCount{}
		}
		out.Facets["month"] = months
		out.filters = map[string][]string{"party": q.Party, "kind": q.Kind, "topic": q.Topic, "outlet": q.Outlet}
		for _, h := range res.Hits {
			out.Hits = append(out.Hits, apiHit{ID: h.ID, Claim: h.Claim, Score: h.Score, Fragments: h.Fragments, Claims: h.Claims, Sources: h.Sources})
		}
		return nil
	})
	return out, err
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(r.URL.Query())
	if err == nil && r.URL.Query().Has("format") {
		err = badParam("format is a parameter of /api/export, not of /api/search")
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := s.search(r.Context(), p)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiClaim(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var hit index.Hit
	err := s.withIndex(r.Context(), func(ix *index.Index) error {
		h, ok, err := ix.Claim(r.Context(), id)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no claim with id %q", id)
		}
		hit = h
		return nil
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, apiHit{ID: hit.ID, Claim: hit.Claim})
}

// articleView is an article with its claims and its near-duplicate
// cluster: /api/articles/{id} and the article page.
type articleView struct {
	index.ArticleInfo
	ClaimList []apiHit            `json:"claim_list"`
	Copies    []index.ArticleInfo `json:"cluster_articles"` // the other articles of its cluster
}

func (s *Server) article(ctx context.Context, id string) (articleView, error) {
	var v articleView
	err := s.withIndex(ctx, func(ix *index.Index) error {
		a, ok, err := ix.Article(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no article with doc_id %q", id)
		}
		v.ArticleInfo = a
		hits, err := ix.ArticleClaims(ctx, id)
		if err != nil {
			return err
		}
		v.ClaimList = make([]apiHit, 0, len(hits))
		for _, h := range hits {
			v.ClaimList = append(v.ClaimList, apiHit{ID: h.ID, Claim: h.Claim})
		}
		cluster, err := ix.ClusterArticles(ctx, a.Cluster)
		if err != nil {
			return err
		}
		v.Copies = []index.ArticleInfo{}
		for _, c := range cluster {
			if c.DocID != a.DocID {
				v.Copies = append(v.Copies, c)
			}
		}
		return nil
	})
	return v, err
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	v, err := s.article(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// statsView is /api/stats: the JSON of redline stats --json, the last
// write and the most recent failures of ingests.
type statsView struct {
	index.StatsReport
	LastCommit   *index.Commit       `json:"last_commit"`
	RecentErrors []index.ErrorRecord `json:"recent_errors"` // newest first
}

// maxRecentErrors is how many failures the status shows.
const maxRecentErrors = 50

func (s *Server) stats(ctx context.Context) (statsView, error) {
	var v statsView
	err := s.withIndex(ctx, func(ix *index.Index) error {
		st, err := ix.Stats(ctx)
		if err != nil {
			return err
		}
		v.StatsReport = st.Report(ix.Dir(), 0)
		// The record of the state read, not the live folder's file,
		// which an ingest moves ahead of the view the server reads.
		if c, ok, err := ix.LastCommit(); err == nil && ok {
			v.LastCommit = &c
		}
		return nil
	})
	if err != nil {
		return v, err
	}
	v.Errors, v.RecentErrors, err = s.errors.read(s.opts.Dir, maxRecentErrors)
	return v, err
}

func (s *Server) apiStats(w http.ResponseWriter, r *http.Request) {
	v, err := s.stats(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// apiExport streams every claim of the current filters as JSONL (default)
// or CSV, the rows of redline export: no page limit, no size limit.
// Errors found before the first row are JSON errors; a failure in the
// middle of the stream cuts it short (the client sees a truncated body).
func (s *Server) apiExport(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	p, err := readParams(v)
	format := v.Get("format")
	if format == "" {
		format = "jsonl"
	}
	if err == nil && format != "jsonl" && format != "csv" {
		err = badParam("format %q: want jsonl or csv", format)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ctx := r.Context()
	started := false
	err = s.withIndex(ctx, func(ix *index.Index) error {
		q, _, err := p.query(ix, s.lexs.get())
		if err != nil {
			return err
		}
		// A bad query text only shows when it runs: run it on no rows first,
		// so that it is a 400 rather than a cut stream.
		probe := q
		probe.Limit = 1
		if _, err := ix.Search(ctx, probe); err != nil {
			return err
		}
		name, ctype := "claims.jsonl", "application/jsonl; charset=utf-8"
		if format == "csv" {
			name, ctype = "claims.csv", "text/csv; charset=utf-8"
		}
		h := w.Header()
		h.Set("Content-Type", ctype)
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		started = true
		bw := bufio.NewWriterSize(w, 64<<10)
		xw, err := claim.NewExportWriter(bw, format)
		if err != nil {
			return err
		}
		q.Order = p.order
		err = ix.Claims(ctx, q, xw.Write)
		if ferr := xw.Flush(); err == nil {
			err = ferr
		}
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
		return err
	})
	if err != nil {
		if !started {
			s.apiError(w, r, err)
			return
		}
		s.opts.Log.Warn("export cut short", "err", err)
		// Abort the response so the client cannot take a cut export for a
		// whole one.
		panic(http.ErrAbortHandler)
	}
}
