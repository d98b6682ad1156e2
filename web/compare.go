package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"redline/claim"
	"redline/compare"
	"redline/filter"
	"redline/index"
)

// This file holds every use of package compare, the analysis behind the
// compare page and /api/compare.

// compareParams are the parameters of /compare and /api/compare, the flags
// of redline compare.
var compareParams = map[string]bool{"party": true, "topic": true, "speaker": true, "target": true, "since": true, "until": true, "min-confidence": true,
	"min_confidence": true, "by": true, "min-sources": true, "min_sources": true, "series": true}

// compareRequest is a comparison as asked for.
type compareRequest struct {
	q       compare.Query
	minConf *float64
	series  string // the timeline drawn on the page: "party|topic"
}

func readCompare(v url.Values) (compareRequest, error) {
	var cr compareRequest
	if err := checkParams(v, compareParams); err != nil {
		return cr, err
	}
	cr.q = compare.Query{Party: listParam(v, "party"), Topic: listParam(v, "topic"),
		Speaker: listParam(v, "speaker"), Target: listParam(v, "target"), By: compare.ByMonth}
	if by := v.Get("by"); by != "" {
		switch by {
		case compare.ByMonth, compare.ByWeek, compare.ByQuarter:
			cr.q.By = by
		default:
			return cr, badParam("by %q: want month, week or quarter", by)
		}
	}
	var err error
	if cr.q.Since, cr.q.Until, err = filter.DateRange(v.Get("since"), v.Get("until")); err != nil {
		return cr, err
	}
	mv := url.Values{"min-sources": {either(v, "min-sources")}}
	if cr.q.MinSources, err = intParam(mv, "min-sources", compare.DefaultMinSources, 1, 1000); err != nil {
		return cr, err
	}
	if cr.minConf, err = minConfParam(v); err != nil {
		return cr, err
	}
	cr.series = v.Get("series")
	return cr, nil
}

// compare runs the comparison of cr: the numbers of redline compare with
// the same flags.
func (s *Server) compare(ctx context.Context, cr compareRequest) (*compare.Comparison, error) {
	var c *compare.Comparison
	err := s.withIndex(ctx, func(ix *index.Index) error {
		q := cr.q
		if err := filter.BindCompare(ix, &q, cr.minConf, s.lexs.get()); err != nil {
			return err
		}
		var err error
		c, err = compare.Run(ctx, ix, q)
		return err
	})
	return c, err
}

// apiCompare answers with the JSON of redline compare --format json.
func (s *Server) apiCompare(w http.ResponseWriter, r *http.Request) {
	cr, err := readCompare(r.URL.Query())
	if err == nil && cr.series != "" {
		err = badParam("series is a parameter of the compare page, not of /api/compare")
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	c, err := s.compare(r.Context(), cr)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// compareView is what the compare page shows.
type compareView struct {
	pageBase
	Form         url.Values
	Since, Until string // the date inputs' values (see dayInputs)
	// Party and Topic are every value of the URL's lists, for the form's
	// text inputs; MinConfidence is the URL's bound as written, "" for the
	// index's default.
	Party, Topic, MinConfidence string
	C                           *compare.Comparison
	Parties                     []string // the parties of the map's columns
	PartyNames                  []string // their display names
	Map                         []mapRow
	Chart                       *chart
	SeriesList                  []seriesLink
	SeriesNote                  string // why the timeline drawn is not the one asked for
	JSONURL                     string // this comparison from /api/compare
	// State is the comparison's parameters (compareState, encoded): the
	// links to the evidence carry it, so that an article links back here.
	State     string
	ChartRows []chartRow
	Kinds     []string
}

// chartRow is a period of the timeline drawn: the independent sources of
// each kind (in the order of compare.Kinds).
type chartRow struct {
	Period  string
	Sources [3]int
}

type mapRow struct {
	Topic   string
	Verdict string
	// VerdictClass is Verdict as a CSS class name ("too-little-evidence").
	VerdictClass string
	Cells        []mapCell // one per Parties
	Notes        []string  // the relations, in words
}

type mapCell struct {
	Party string // display name
	Kinds []compare.KindCount
}

type seriesLink struct {
	Label, URL string
	Claims     int
	Current    bool
}

func (s *Server) comparePage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	view := compareView{pageBase: s.base(r, "compare"), Form: v, Kinds: compare.Kinds}
	view.Title = "Compare"
	// series chooses the chart only: /api/compare refuses it.
	api := cloneValues(v)
	api.Del("series")
	view.JSONURL = "/api/compare?" + api.Encode()
	view.State = compareState(v).Encode()
	view.Since, view.Until = dayInputs(v.Get("since"), v.Get("until"))
	view.Party = strings.Join(listParam(v, "party"), ",")
	view.Topic = strings.Join(listParam(v, "topic"), ",")
	view.MinConfidence = either(v, "min-confidence")
	cr, err := readCompare(v)
	if err == nil {
		view.C, err = s.compare(r.Context(), cr)
	}
	if err != nil {
		status, msg := classify(err)
		s.logFailure(r, status, err)
		view.setError(status, msg)
		s.render(w, status, "compare", view)
		return
	}
	c := view.C
	seen := map[string]bool{}
	for _, tm := range c.Map {
		for _, st := range tm.Stances {
			if !seen[st.Party] {
				seen[st.Party] = true
				view.Parties = append(view.Parties, st.Party)
				view.PartyNames = append(view.PartyNames, s.partyName(st.Party))
			}
		}
	}
	for _, tm := range c.Map {
		row := mapRow{Topic: tm.Topic, Verdict: tm.Verdict, VerdictClass: strings.ReplaceAll(tm.Verdict, " ", "-"), Cells: make([]mapCell, len(view.Parties))}
		for i := range row.Cells {
			row.Cells[i].Party = view.PartyNames[i]
		}
		for _, st := range tm.Stances {
			for i, p := range view.Parties {
				if p == st.Party {
					row.Cells[i].Kinds = st.Kinds
				}
			}
		}
		for _, rel := range tm.Relations {
			note := s.partyName(rel.A) + " " + kindPhrase(rel.AKind) + " what " + s.partyName(rel.B) + " " + kindPhrase(rel.BKind)
			if rel.Thin {
				note += " (too little evidence yet)"
			}
			row.Notes = append(row.Notes, note)
		}
		view.Map = append(view.Map, row)
	}
	// The timeline drawn: the one asked for, else the one with most claims.
	// A series the comparison does not hold (a link from before a filter
	// changed, or from an index since re-ingested) falls back to the
	// largest, with a note, rather than to no chart at all.
	var pick, largest *compare.Series
	for i := range c.Timeline {
		sr := &c.Timeline[i]
		if cr.series == sr.Party+"|"+sr.Topic {
			pick = sr
		}
		if largest == nil || sr.Claims > largest.Claims {
			largest = sr
		}
	}
	if pick == nil {
		pick = largest
		if cr.series != "" && pick != nil {
			party, topic, _ := strings.Cut(cr.series, "|")
			view.SeriesNote = "This comparison has no timeline of " + s.partyName(party) + " on " + topic + "; showing the one with most claims."
		}
	}
	for i := range c.Timeline {
		sr := &c.Timeline[i]
		u := cloneValues(v)
		u.Set("series", sr.Party+"|"+sr.Topic)
		view.SeriesList = append(view.SeriesList, seriesLink{Label: s.partyName(sr.Party) + " · " + sr.Topic, URL: "/compare?" + u.Encode() + "#timeline", Claims: sr.Claims, Current: sr == pick})
	}
	if pick != nil {
		lines := make([]chartLine, len(compare.Kinds))
		for i, k := range compare.Kinds {
			lines[i] = chartLine{Kind: k, Values: map[string]int{}}
			for _, pt := range pick.Points {
				lines[i].Values[pt.Period] = pt.Tally(k).Sources
			}
		}
		view.Chart = timelineChart(s.partyName(pick.Party)+" · "+pick.Topic, c.Periods, lines)
		// The numbers drawn, as a table: a screen reader cannot read the
		// chart, and a reader may want the figures.
		for _, pt := range pick.Points {
			row := chartRow{Period: pt.Period}
			for i, k := range compare.Kinds {
				row.Sources[i] = pt.Tally(k).Sources
			}
			if row.Sources != [3]int{} {
				view.ChartRows = append(view.ChartRows, row)
			}
		}
	}
	s.render(w, http.StatusOK, "compare", view)
}

// kindPhrase says what a party does with a position of kind k.
func kindPhrase(k string) string {
	switch k {
	case claim.Demand:
		return "demands"
	case claim.RedLine:
		return "holds as a red line"
	case claim.Offer:
		return "offers"
	}
	return k
}
