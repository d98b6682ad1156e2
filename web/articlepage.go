package web

// The article page: an article's sentences with their claims, dimmed
// below the bound the analyst came with.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"redline/index"
)

// passage is one sentence of an article with its claims.
type passage struct {
	Start, End int
	Gap        bool // text between this and the previous passage is not kept
	Segments   []segment
	Claims     []cardClaim
}

type articlePageView struct {
	pageBase
	A      articleView
	URL    string
	Copies []index.ArticleInfo
	// The full text with the claims in place and the list beside it,
	// when the index holds the article's text (Full).
	Full  bool
	Paras []textPara
	List  []listedClaim
	// Else the sentences that hold claims, with a notice.
	Passages []passage
	NoText   bool
	// MinConfidence is the bound the URL gives (min_confidence), else the
	// one search applies by default (the index's model's, ByDefault); the
	// claims below it are marked, and AtMin counts the others.
	MinConfidence float64
	ByDefault     bool
	AtMin         int
	// DefaultBound is the index's default bound; ShowAll links to this
	// article with every claim shown alike, ShowDefault with the default
	// bound.
	DefaultBound         float64
	ShowAll, ShowDefault string
	// Back links to the search the article was opened from (see
	// searchState), "/" when none, or to the comparison (BackName
	// "Compare"); State is its parameters, encoded, which the links to
	// the story's other articles carry.
	Back, BackName, State string
}

// markLow marks the claims of the page below bound, and a highlight whose
// claims all are, and counts the claims at bound or above.
func (v *articlePageView) markLow(bound float64) {
	v.MinConfidence = bound
	below := "the default"
	if !v.ByDefault {
		below = "the bound " + strconv.FormatFloat(bound, 'f', -1, 64)
	}
	low := func(c *cardClaim) {
		c.Low = c.Confidence < bound
		c.Below = below
		if !c.Low {
			v.AtMin++
		}
	}
	for i := range v.List {
		low(&v.List[i].Claim)
	}
	for i := range v.Passages {
		for j := range v.Passages[i].Claims {
			low(&v.Passages[i].Claims[j])
		}
	}
	for _, para := range v.Paras {
		for i := range para {
			if para[i].Span == 0 {
				continue
			}
			para[i].Low = !slices.ContainsFunc(v.List, func(l listedClaim) bool { return l.Span == para[i].Span && !l.Claim.Low })
		}
	}
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	view := articlePageView{pageBase: s.base(r, "search")}
	v := r.URL.Query()
	// The bound of the search the reader came from, else the default;
	// show overrides it for this page alone, so that the search to go
	// back to stays the one the reader came from.
	mc, err := minConfParam(v)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	show := v.Get("show")
	if show != "" && show != "all" && show != "default" {
		s.pageError(w, r, badParam("show %q: want all (every claim alike) or default (those below the index's default dimmed)", show))
		return
	}
	a, err := s.article(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	state, back, from := origin(v)
	view.Back, view.BackName, view.State = back, from, state.Encode()
	if from == "Compare" {
		view.Nav = "compare" // the section the reader is in
	}
	view.DefaultBound = s.boundShown(r.Context(), url.Values{})
	bound := view.DefaultBound
	view.ByDefault = mc == nil
	if mc != nil {
		bound = *mc
	}
	switch show {
	case "all":
		bound, view.ByDefault = 0, false
	case "default":
		bound, view.ByDefault = view.DefaultBound, true
	}
	// Each toggle leaves out show where the search's bound already
	// shows the page so.
	view.ShowAll = articleToggle(id, state, "all", mc != nil && *mc == 0)
	view.ShowDefault = articleToggle(id, state, "default", mc == nil)
	view.A, view.URL, view.Copies = a, safeURL(a.URL), a.Copies
	view.Title = articleLabel(a.Title, a.Source, a.DocID)
	if a.Text != "" {
		view.Full = true
		view.Paras, view.List = s.fullText(a.Text, a.ClaimList)
		view.markLow(bound)
		s.render(w, http.StatusOK, "article", view)
		return
	}
	// An index made before texts were stored: the sentences alone.
	view.NoText = true
	prevEnd := 0
	for _, h := range a.ClaimList {
		c := h.Claim
		n := len(view.Passages)
		if n > 0 && view.Passages[n-1].Start == c.Start {
			view.Passages[n-1].Claims = append(view.Passages[n-1].Claims, s.cardClaim(h.ID, c))
			continue
		}
		view.Passages = append(view.Passages, passage{Start: c.Start, End: c.End, Gap: c.Start > prevEnd+2,
			Segments: s.highlight(c, ""), Claims: []cardClaim{s.cardClaim(h.ID, c)}})
		prevEnd = c.End
	}
	view.markLow(bound)
	s.render(w, http.StatusOK, "article", view)
}

// articleLabel names an article for people: its title, else the file or
// record its source names, else its doc_id.
func articleLabel(title, source, docID string) string {
	if t := strings.TrimSpace(title); t != "" {
		return t
	}
	if source != "" {
		if i := strings.LastIndexAny(source, "/#"); i >= 0 && i+1 < len(source) {
			source = source[i+1:]
		}
		return source
	}
	return docID
}
