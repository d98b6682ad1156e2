package web

import (
	"maps"
	"net/url"
	"strconv"
	"strings"

	"redline/compare"
	"redline/filter"
)

// An article is opened from a row of a search (or from the evidence of
// the compare page), and its page links back to exactly that search (or
// comparison): the same query, filters, order, min confidence,
// page size and page, read by the same cursor. The pages send
// Referrer-Policy: no-referrer, so the article cannot learn the search
// from the request; the links from the search's rows carry its
// parameters instead (searchState), and the article page passes them on
// to its own links (the story's other articles, the bound toggles) and
// back to the search.

// searchLists are the list parameters of a search: each may be given
// several times, and the search reads every value.
var searchLists = []string{"party", "kind", "topic", "outlet", "speaker", "target"}

// searchState returns the parameters of the search page URL v that choose
// its rows and its page, as the search reads them, and only those not at
// their default: a search read from it (readParams) is v's search. The
// query, dates, order and cursors are kept as written; of a list, its
// values that hold any; min-confidence is written min_confidence; page 1
// and the default page size are left out. Parameters no search reads
// (offset and format are the API's) are dropped.
func searchState(v url.Values) url.Values {
	out := url.Values{}
	if q := v.Get("q"); strings.TrimSpace(q) != "" {
		out.Set("q", q)
	}
	keep(out, v, searchLists, []string{"since", "until", "sort", "after", "before"})
	if x := v.Get("limit"); x != "" && x != strconv.Itoa(DefaultPageSize) {
		out.Set("limit", x)
	}
	if x := v.Get("page"); x != "" && x != "1" {
		out.Set("page", x)
	}
	return out
}

// keep copies to out the parameters of v that a page's state keeps as
// written: of each list, its values that hold any; each of plain when
// set; min-confidence, written min_confidence.
func keep(out, v url.Values, lists, plain []string) {
	for _, k := range lists {
		for _, x := range v[k] {
			if len(filter.List(x)) > 0 {
				out.Add(k, x)
			}
		}
	}
	for _, k := range plain {
		if x := v.Get(k); x != "" {
			out.Set(k, x)
		}
	}
	if mc := either(v, "min-confidence"); mc != "" {
		out.Set("min_confidence", mc)
	}
}

// compareState returns the parameters of the compare page URL v that
// choose its comparison and timeline, only those not at their default,
// as searchState does for a search, with from=compare: the article page
// links back to the compare page, not to a search.
func compareState(v url.Values) url.Values {
	out := url.Values{"from": {"compare"}}
	keep(out, v, []string{"party", "topic", "speaker", "target"}, []string{"since", "until", "series"})
	if x := v.Get("by"); x != "" && x != compare.ByMonth {
		out.Set("by", x)
	}
	if x := either(v, "min-sources"); x != "" && x != strconv.Itoa(compare.DefaultMinSources) {
		out.Set("min_sources", x)
	}
	return out
}

// origin returns the parameters of the page an article was opened from,
// as its URL v carries them (from=compare: the compare page; else a
// search), the link back to that page and its name.
func origin(v url.Values) (state url.Values, back, name string) {
	if v.Get("from") == "compare" {
		state = compareState(v)
		u := maps.Clone(state)
		u.Del("from")
		if len(u) == 0 {
			return state, "/compare", "Compare"
		}
		return state, "/compare?" + u.Encode(), "Compare"
	}
	state = searchState(v)
	return state, searchBack(state), "Search"
}

// searchBack is the link to the search of state (see searchState).
func searchBack(state url.Values) string {
	if len(state) == 0 {
		return "/"
	}
	return "/?" + state.Encode()
}

// stateArticleURL links to the article view of docID opened from the
// search whose state (searchState, encoded) is given.
func stateArticleURL(docID, state string) string {
	if state == "" {
		return articleURL(docID)
	}
	return articleURL(docID) + "?" + state
}

// stateSentenceURL is stateArticleURL landing on the sentence at byte
// start (see sentenceURL).
func stateSentenceURL(docID string, start int, state string) string {
	return stateArticleURL(docID, state) + "#at-" + strconv.Itoa(start)
}

// articleToggle links to the article view of docID from the search of
// state with show set (all, default), or without it when the search's own
// bound already shows the page so (redundant).
func articleToggle(docID string, state url.Values, show string, redundant bool) string {
	u := url.Values{}
	maps.Copy(u, state)
	if !redundant {
		u.Set("show", show)
	}
	return stateArticleURL(docID, u.Encode())
}

// stateClaimURL is claimURL from the page whose state (compareState or
// searchState, encoded) is given.
func stateClaimURL(docID, id, state string) string {
	path, frag, _ := strings.Cut(claimURL(docID, id), "#")
	if state != "" {
		path += "?" + state
	}
	if frag != "" {
		path += "#" + frag
	}
	return path
}
