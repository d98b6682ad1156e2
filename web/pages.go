package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"redline/claim"
	"redline/filter"
	"redline/index"
)

// pageBase is what every page shows around its content.
type pageBase struct {
	Nav       string // the current section: search, compare, status
	Title     string
	Error     string // shown in a banner
	Busy      bool   // the index is held by an ingest
	BadInput  bool   // Error is about the input (shown by the form)
	ReadOnly  bool
	IndexDir  string
	Generated string
}

func (s *Server) base(r *http.Request, nav string) pageBase {
	// The folder's name: the status page shows the whole path.
	return pageBase{Nav: nav, ReadOnly: s.opts.ReadOnly, IndexDir: filepath.Base(s.opts.Dir)}
}

func (b *pageBase) setError(status int, msg string) {
	b.Error = msg
	b.Busy = status == http.StatusServiceUnavailable && msg == busyMessage
	b.BadInput = status == http.StatusBadRequest
}

func parseTemplates(partyName func(string) string, ingestNote func() string) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"party":      partyName,
		"ingestNote": ingestNote,
		"kindLabel":  func(k string) string { return strings.ReplaceAll(k, "_", " ") },
		"pct":        func(f float64) string { return strconv.FormatFloat(f*100, 'f', 0, 64) + "%" },
		"conf":       func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) },
		// bound writes a min confidence whole, for the slider: any step or
		// rounding would move the bound of the next search.
		"bound": func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) },
		// boundStep is the slider's step: hundredths, unless the bound has
		// finer digits, which a step would round away.
		"boundStep": func(f float64) string {
			if c := f * 100; math.Abs(c-math.Round(c)) < 1e-9 {
				return "0.01"
			}
			return "any"
		},
		"articleURL":      articleURL,
		"sentenceURL":     sentenceURL,
		"stateURL":        stateSentenceURL,
		"stateArticleURL": stateArticleURL,
		"claimURL":        claimURL,
		"stateClaimURL":   stateClaimURL,
		"safeURL":         safeURL,
		"add":             func(a, b int) int { return a + b },
		"runTime":         runTime,
		"list":            func(s ...string) []string { return s },
	}
	out := map[string]*template.Template{}
	for _, name := range []string{"search", "article", "compare", "status", "error"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/parts.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// runTime writes t, the RFC 3339 start of an ingest run in errors.jsonl,
// for people ("2026-12-07 18:25:17 UTC"); a value that is no such time is
// shown as written.
func runTime(t string) string {
	at, err := time.Parse(time.RFC3339, t)
	if err != nil {
		return t
	}
	return at.UTC().Format("2006-01-02 15:04:05 UTC")
}

// articleURL links to the article view of docID.
func articleURL(docID string) string {
	return "/article/" + url.PathEscape(docID)
}

// sentenceURL links to the sentence at byte start of an article: the
// article view anchors each claim's sentence as "at-START".
func sentenceURL(docID string, start int) string {
	return articleURL(docID) + "#at-" + strconv.Itoa(start)
}

// claimURL links to the sentence of the claim with index id
// ("c:DOC_ID:START:PARTY:KIND", see index.ClaimID) in article docID, or to
// the article when id does not say where.
func claimURL(docID, id string) string {
	rest, ok := strings.CutPrefix(id, "c:"+docID+":")
	if start, _, _ := strings.Cut(rest, ":"); ok {
		if n, err := strconv.Atoi(start); err == nil && n >= 0 {
			return sentenceURL(docID, n)
		}
	}
	return articleURL(docID)
}

// safeURL returns u when it is an http or https address, else "": an
// article's URL comes from the article, and a javascript: or data: URL
// must never become a link. (html/template would also defuse it; this
// shows no link at all rather than a dead one.)
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	return p.String()
}

// render executes a page template into a buffer first, so a template
// error is a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, data); err != nil {
		s.opts.Log.Error("template failed", "page", name, "err", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := classify(err)
	s.logFailure(r, status, err)
	b := s.base(r, "")
	b.Title = http.StatusText(status)
	b.setError(status, msg)
	s.render(w, status, "error", struct{ pageBase }{b})
}

// partyName is the display name of a party id ("russia" is Russia).
func (s *Server) partyName(id string) string {
	if name, ok := s.lexs.name(id); ok {
		return name
	}
	return id
}

// segment is a piece of a sentence, marked or not.
type segment struct {
	Text string
	Mark string // "", "cue", "party", "match"
}

// highlight splits sentence into segments with the cue, the mentions of
// the party (its names in the lexicon, and the speaker) and the query's
// matched spans (brackets of a search fragment) marked.
func (s *Server) highlight(c claim.Claim, fragment string) []segment {
	text := c.Sentence
	marks := make([]string, len(text)) // per byte
	set := func(start, end int, kind string) {
		for i := max(start, 0); i < min(end, len(text)); i++ {
			if marks[i] == "" || kind == "cue" {
				marks[i] = kind
			}
		}
	}
	if fragment != "" {
		// Brackets in the fragment mark matched spans; map them back.
		pos := 0
		in := false
		start := 0
		for i := 0; i < len(fragment); i++ {
			switch {
			case fragment[i] == '[' && !in && pos < len(text) && text[pos] != '[':
				in, start = true, pos
			case fragment[i] == ']' && in && (pos >= len(text) || text[pos] != ']'):
				in = false
				set(start, pos, "match")
			default:
				pos++
			}
		}
	}
	for _, w := range s.mentions(text, c) {
		set(w[0], w[1], "party")
	}
	if c.Cue != "" {
		if i := indexFold(text, c.Cue); i >= 0 {
			set(i, i+len(c.Cue), "cue")
		}
	}
	var out []segment
	for i := 0; i < len(text); {
		j := i
		for j < len(text) && marks[j] == marks[i] {
			j++
		}
		// Never cut inside a UTF-8 sequence.
		for j < len(text) && !utf8.RuneStart(text[j]) {
			j++
		}
		out = append(out, segment{Text: text[i:j], Mark: marks[i]})
		i = j
	}
	return out
}

// indexFold is strings.Index ignoring ASCII case; -1 when absent.
func indexFold(s, sub string) int {
	ls, lsub := strings.ToLower(s), strings.ToLower(sub)
	if len(ls) != len(s) {
		return strings.Index(s, sub)
	}
	return strings.Index(ls, lsub)
}

// mentions finds the spans of text that name the claim's party: runs of
// one to four words the lexicon maps to it, and the speaker.
func (s *Server) mentions(text string, c claim.Claim) [][2]int {
	var out [][2]int
	if c.Speaker != "" {
		// The full name, else the surname ("Zelenskyy" for Volodymyr
		// Zelenskyy), as a sentence names a person the second time.
		name := c.Speaker
		i := indexFold(text, name)
		if f := strings.Fields(name); i < 0 && len(f) > 1 && len(f[len(f)-1]) > 3 {
			name = f[len(f)-1]
			i = indexFold(text, name)
		}
		if i >= 0 {
			out = append(out, [2]int{i, i + len(name)})
		}
	}
	lex := s.lexs.get()
	if lex == nil || c.Party == "" {
		return out
	}
	var words [][2]int
	start := -1
	for i, r := range text {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' || r == '’'
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			words = append(words, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, [2]int{start, len(text)})
	}
	for i := 0; i < len(words); i++ {
		for n := min(4, len(words)-i); n >= 1; n-- {
			span := text[words[i][0]:words[i+n-1][1]]
			if id, ok := lex.PartyID(strings.TrimSuffix(strings.TrimSuffix(span, "'s"), "’s")); ok && id == c.Party {
				out = append(out, [2]int{words[i][0], words[i+n-1][1]})
				i += n - 1
				break
			}
		}
	}
	return out
}

// card is one claim on the search page: a sentence of an article with
// every claim that the index found in it.
type card struct {
	DocID, URL, Title, Outlet, Published, Source string
	Start                                        int // of the sentence in the article
	Segments                                     []segment
	Claims                                       []cardClaim
	// Copies are the other articles where the row's claims appeared
	// word for word (the sources of the folded rows).
	Copies []copyLink
}

// copyLink is another article that carries a card's sentence.
type copyLink struct {
	DocID, Label, Published string
	Start                   int // of the sentence in that article
}

// addCopies adds the sources of a row to c's copies, each article once
// and never c's own.
func (c *card) addCopies(sources []index.Source) {
	for _, src := range sources {
		if src.DocID == c.DocID || slices.ContainsFunc(c.Copies, func(x copyLink) bool { return x.DocID == src.DocID }) {
			continue
		}
		label := src.Outlet
		if label == "" {
			label = articleLabel("", src.Source, src.DocID)
		}
		c.Copies = append(c.Copies, copyLink{DocID: src.DocID, Label: label, Published: src.Published, Start: src.Start})
	}
}

type cardClaim struct {
	ID, Party, PartyName, Kind, Speaker, Target, Condition, Cue, Attribution string
	// TargetName is the display name of the target party, as PartyName.
	TargetName string
	Topics     []string
	Hedged     bool
	Confidence float64
	Low        bool // below the bound of the article view
	// Below names that bound where a claim is marked Low: "the default"
	// (the index's, which search applies) or the bound the URL gave.
	Below string
}

func (s *Server) cardClaim(id string, c claim.Claim) cardClaim {
	return cardClaim{ID: id, Party: c.Party, PartyName: s.partyName(c.Party), Kind: c.Kind, Speaker: c.Speaker, Target: c.Target, TargetName: s.partyName(c.Target),
		Condition: c.Condition, Cue: c.Cue, Attribution: c.Attribution, Topics: c.Topics, Hedged: c.Hedged, Confidence: c.Confidence}
}

// facet is one facet box: its values with the link that narrows to each.
type facet struct {
	Name   string
	Label  string
	Values []facetValue
	Rest   []facetValue // the values folded under "N more"
}

type facetValue struct {
	Value, Label, URL string
	Count             int
	Active            bool
}

// chip is an active filter with the link that removes it. Label is the
// whole chip in words ("party: Russia, Narnia (unknown)"), for its
// accessible name; Name and Values are what the chip shows.
type chip struct {
	Label, URL, Name string
	Values           []chipValue
}

// chipValue is one value of a filter chip as shown: a party by the name of
// the party it stands for. Unknown marks a value that neither the served
// index nor its lexicon knows.
type chipValue struct {
	Text    string
	Unknown bool
}

type searchView struct {
	pageBase
	Plural        bool
	Form          url.Values
	Query         string
	Since, Until  string // the date inputs' values (see dayInputs)
	Total         uint64
	From, To      int
	Cards         []card
	Facets        []facet
	Chips         []chip
	MinConfidence float64
	ByDefault     bool
	Prev, Next    string
	Page          int
	PastEnd       string // the first page, when this page is past the last row
	ExportCSV     string
	ExportJSONL   string
	CompareURL    string
	TookMS        float64
	// State is the search's parameters (searchState, encoded): the links
	// to articles carry it, so that an article links back to this page.
	State string
	// Sorts are the orders the results can be put in, each a link to
	// them with every other parameter kept.
	Sorts []sortLink
	// ClearAll removes every filter and the bound, and keeps the query,
	// the order and the page size.
	ClearAll string
	// QueryInvalid tells that Error is about the query's words, not a
	// filter or another parameter: the query box is marked invalid.
	QueryInvalid bool
	// Unset tells that the URL sets no min confidence: the slider stands
	// at the index's default, and the form leaves it out unless moved.
	Unset bool
}

// sortLink is one order of the search page's sort control.
type sortLink struct {
	Label, URL string
	Active     bool
}

// sortLabels name the orders on the page.
var sortLabels = map[index.Order]string{index.OrderRelevance: "best match", index.OrderNewest: "newest",
	index.OrderOldest: "oldest", index.OrderConfidence: "confidence"}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		// Any value set keeps them all: the lists join every value, so
		// "party=&party=russia" is a search of russia.
		if slices.ContainsFunc(vs, func(s string) bool { return s != "" }) {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

// with returns v with name set to value and the page reset (a cursor is
// one of the search it came from, in either direction).
func with(v url.Values, name, value string) string {
	u := cloneValues(v)
	u.Del("page")
	u.Del("after")
	u.Del("before")
	if value == "" {
		u.Del(name)
	} else {
		u.Set(name, value)
	}
	return "/?" + u.Encode()
}

// maxFacetValues is how many values a facet box shows unfolded: the
// largest counts, the latest months.
const maxFacetValues = 12

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	view := searchView{pageBase: s.base(r, "search"), Form: v, Query: v.Get("q")}
	view.Since, view.Until = dayInputs(v.Get("since"), v.Get("until"))
	view.Unset = either(v, "min-confidence") == ""
	// The query names the tab, the bookmark and the history entry.
	view.Title = "Search"
	if q := strings.TrimSpace(v.Get("q")); q != "" {
		view.Title = q + " · Search"
	}
	p, err := readParams(v)
	if err == nil && (v.Has("offset") || v.Has("format")) {
		err = badParam("offset and format are API parameters; the page uses page")
	}
	var res searchResult
	if err == nil {
		res, err = s.search(r.Context(), p)
	}
	view.Chips = s.chips(r.Context(), v)
	view.ClearAll = clearAll(v)
	if err != nil {
		status, msg := classify(err)
		s.logFailure(r, status, err)
		view.setError(status, msg)
		view.QueryInvalid = queryInvalid(err)
		// The form stays usable: the slider at the bound the URL gives or
		// the index's default (a slider at 0 would submit 0), and the
		// chips remove the filter that was refused.
		view.MinConfidence = s.boundShown(r.Context(), v)
		s.render(w, status, "search", view)
		return
	}
	view.Total, view.MinConfidence, view.TookMS = res.Total, res.MinConfidence, res.TookMS
	view.State = searchState(v).Encode()
	view.Plural = res.Total != 1
	view.ByDefault = p.minConf == nil && res.MinConfidence > 0
	// After a cursor the page starts at row (page-1)*size all the same;
	// before one too, unless fewer rows than a page came before it (a
	// page number that was wrong): then it is the first page.
	first := p.offset
	if p.after != "" {
		first = (p.page-1)*p.size + p.offset
	}
	if p.before != "" {
		if res.Prev == "" {
			p.page = 1
		}
		first = (p.page - 1) * p.size
	}
	view.From, view.To = first+1, first+len(res.Hits)
	view.Page = p.page
	if p.page > 1 && len(res.Hits) > 0 {
		// Each page of the results its own history entry and bookmark.
		view.Title = strings.TrimSuffix(view.Title, "Search") + "page " + strconv.Itoa(p.page) + " · Search"
	}
	// A page past the last row (an old link, a page number typed in) has
	// nothing to show but the way back to the results.
	if len(res.Hits) == 0 && (p.offset > 0 || p.after != "") && res.Total > 0 {
		u := cloneValues(v)
		u.Del("page")
		u.Del("after")
		u.Del("before")
		view.PastEnd = "/?" + u.Encode()
	}
	if p.page > 1 && view.PastEnd == "" {
		// The page before ends just before this page's first row: read
		// by that cursor, it costs what the first page does however deep
		// it is. A page without one (page=N typed in) was read by offset,
		// and so is the one before it.
		u := cloneValues(v)
		u.Set("page", strconv.Itoa(p.page-1))
		u.Del("after")
		u.Del("before")
		if res.Prev != "" {
			u.Set("before", res.Prev)
		}
		if p.page-1 == 1 {
			u.Del("page")
			u.Del("before")
		}
		view.Prev = "/?" + u.Encode()
	}
	// Total counts claims and a page counts rows, which fold copies of a
	// sentence: only a full page can have one after it. It starts at the
	// cursor of this page's last row, so that it costs what the first
	// page does however deep it is.
	if res.Next != "" && uint64(first+len(res.Hits)) < res.Total {
		u := cloneValues(v)
		u.Set("page", strconv.Itoa(p.page+1))
		u.Del("before")
		u.Set("after", res.Next)
		view.Next = "/?" + u.Encode()
	}
	current := p.order.For(v.Get("q"))
	for _, o := range index.Orders() {
		if o == index.OrderRelevance && index.OrderDefault.For(v.Get("q")) != index.OrderRelevance {
			continue // without words to match, every claim is as good a match
		}
		view.Sorts = append(view.Sorts, sortLink{Label: sortLabels[o], URL: with(v, "sort", string(o)), Active: o == current})
	}
	// One card per sentence of an article: claims of several parties or
	// kinds in one sentence show together.
	byKey := map[string]int{}
	for _, h := range res.Hits {
		c := h.Claim
		key := c.DocID + "\x00" + strconv.Itoa(c.Start)
		i, ok := byKey[key]
		if !ok {
			frag := ""
			if len(h.Fragments) > 0 && !strings.HasPrefix(h.Fragments[0], "title: ") {
				frag = h.Fragments[0]
			}
			view.Cards = append(view.Cards, card{DocID: c.DocID, Start: c.Start, URL: safeURL(c.URL), Title: articleLabel(c.Title, c.Source, c.DocID), Outlet: c.Outlet, Published: c.Published,
				Source: c.Source, Segments: s.highlight(c, frag)})
			i = len(view.Cards) - 1
			byKey[key] = i
		}
		view.Cards[i].Claims = append(view.Cards[i].Claims, s.cardClaim(h.ID, c))
		view.Cards[i].addCopies(h.Sources)
	}
	for _, name := range []string{"party", "kind", "topic", "outlet", "month"} {
		f := facet{Name: name, Label: name}
		for _, fc := range res.Facets[name] {
			fv := facetValue{Value: fc.Value, Label: fc.Value, Count: fc.Count}
			switch name {
			case "party":
				fv.Label = s.partyName(fc.Value)
			case "kind":
				fv.Label = strings.ReplaceAll(fc.Value, "_", " ")
			}
			if name == "month" {
				since, until := monthRange(fc.Value)
				fv.Active = v.Get("since") == since && v.Get("until") == until
				u := cloneValues(v)
				u.Del("page")
				u.Del("after")
				u.Del("before")
				u.Set("since", since)
				u.Set("until", until)
				fv.URL = "/?" + u.Encode()
			} else {
				fv.Active = slices.Contains(res.filters[name], fc.Value)
				fv.URL = with(v, name, fc.Value)
			}
			f.Values = append(f.Values, fv)
		}
		if name == "month" {
			sort.SliceStable(f.Values, func(a, b int) bool { return f.Values[a].Value > f.Values[b].Value })
		}
		// The first values show, the others fold under "N more": every
		// value the index counted stays a click away.
		if len(f.Values) > maxFacetValues {
			f.Values, f.Rest = f.Values[:maxFacetValues], f.Values[maxFacetValues:]
		}
		view.Facets = append(view.Facets, f)
	}
	ex := cloneValues(v)
	ex.Del("page")
	ex.Del("limit")
	ex.Del("after")
	ex.Del("before")
	ex.Set("format", "csv")
	view.ExportCSV = "/export?" + ex.Encode()
	ex.Set("format", "jsonl")
	view.ExportJSONL = "/export?" + ex.Encode()
	// The comparison of the same claims, as far as compare has the
	// filters (it has no query, kind or outlet): every value of each.
	cmp := url.Values{}
	for k, vals := range cloneValues(v) {
		if compareParams[k] && k != "series" {
			cmp[k] = vals
		}
	}
	view.CompareURL = "/compare?" + cmp.Encode()
	s.render(w, http.StatusOK, "search", view)
}

// queryInvalid tells whether err, a refused search, is about the text of
// the query: index.ErrQuery quoting the text (a syntax error, an unknown
// field, a party: value the index has never seen), not a filter parameter,
// a cursor or an order.
func queryInvalid(err error) bool {
	return errors.Is(err, index.ErrQuery) && strings.HasPrefix(err.Error(), index.ErrQuery.Error()+" \"")
}

// dayInputs returns since and until as the page's date inputs hold them.
// A date input keeps a day (YYYY-MM-DD) only: a browser empties any other
// value, so a month or a year of the URL (since=2025-01, until=2025-03,
// which the filters read as the first quarter) would be dropped by the next
// submit of the form. It becomes the day it stands for: the first day of
// since, the last day of until. A value that is no date stays as it is (the
// page shows why).
func dayInputs(since, until string) (string, string) {
	if s, _, err := filter.DateRange(since, ""); err == nil && !s.IsZero() {
		since = s.Format(time.DateOnly)
	}
	if _, u, err := filter.DateRange("", until); err == nil && !u.IsZero() {
		until = u.Format(time.DateOnly)
	}
	return since, until
}

// chips are the active filters of v, one per parameter with every value
// it has, each with the link that removes it. A party or a target shows
// as the party it stands for (see partyValues), as the search read it.
func (s *Server) chips(ctx context.Context, v url.Values) []chip {
	var out []chip
	for _, name := range []string{"party", "kind", "topic", "outlet", "speaker", "target", "since", "until", "min_confidence", "min-confidence"} {
		vals := listParam(v, name)
		if len(vals) == 0 {
			continue
		}
		var cv []chipValue
		if name == "party" || name == "target" {
			cv = s.partyValues(ctx, name, vals)
		} else {
			for _, x := range vals {
				cv = append(cv, chipValue{Text: x})
			}
		}
		words := make([]string, len(cv))
		for i, x := range cv {
			words[i] = x.Text
			if x.Unknown {
				words[i] += " (unknown)"
			}
		}
		out = append(out, chip{Name: name, Values: cv, Label: name + ": " + strings.Join(words, ", "), URL: with(v, name, "")})
	}
	return out
}

// partyValues shows the values of the party (or target) filter as the
// search reads them: each by the display name, in the served index's
// lexicon, of the party it resolves to ("Tehran" and "iran" are Iran),
// else as typed and marked unknown. While the index cannot be read (an
// ingest holds it) the lexicon alone names them, and none is marked: the
// index might know it.
func (s *Server) partyValues(ctx context.Context, field string, vals []string) []chipValue {
	out := make([]chipValue, len(vals))
	err := s.withIndex(ctx, func(ix *index.Index) error {
		r := filter.NewResolver(ix, s.lexs.get())
		for i, x := range vals {
			out[i] = s.partyValue(r, field, x)
		}
		return nil
	})
	if err != nil {
		for i, x := range vals {
			out[i] = s.partyValue(nil, field, x)
		}
	}
	return out
}

// partyValue is one value of partyValues; r nil when the index cannot be
// read.
func (s *Server) partyValue(r *filter.Resolver, field, x string) chipValue {
	if r != nil {
		if ids, err := r.Resolve(field, x); err == nil {
			names := make([]string, len(ids))
			for i, id := range ids {
				names[i] = s.partyName(id)
			}
			return chipValue{Text: strings.Join(names, ", ")}
		}
	}
	// A party the lexicon names but the index has no claim of (the page
	// says so) is still that party.
	if lex := s.lexs.get(); lex != nil {
		if id, ok := lex.PartyID(x); ok {
			return chipValue{Text: s.partyName(id)}
		}
	}
	if name, ok := s.lexs.name(x); ok {
		return chipValue{Text: name}
	}
	return chipValue{Text: x, Unknown: r != nil}
}

// clearAll is the link that removes every filter chip of v: what is no
// filter (the query, the order, the page size) stays, the page starts again.
func clearAll(v url.Values) string {
	u := url.Values{}
	for _, k := range []string{"q", "sort", "limit"} {
		if x := v.Get(k); x != "" {
			u.Set(k, x)
		}
	}
	if len(u) == 0 {
		return "/"
	}
	return "/?" + u.Encode()
}

// boundShown is the min confidence the slider of a refused search shows:
// the URL's when it is valid, else the index's default (0 when the index
// cannot say).
func (s *Server) boundShown(ctx context.Context, v url.Values) float64 {
	if mc, err := minConfParam(v); err == nil && mc != nil {
		return *mc
	}
	var bound float64
	_ = s.withIndex(ctx, func(ix *index.Index) error {
		bound, _, _ = filter.MinConfidence(ix, nil)
		return nil
	})
	return bound
}

// monthRange is the since and until of a month "2025-03".
func monthRange(m string) (since, until string) {
	y, err1 := strconv.Atoi(m[:min(4, len(m))])
	mo, err2 := strconv.Atoi(m[min(5, len(m)):])
	if err1 != nil || err2 != nil || mo < 1 || mo > 12 {
		return m, m
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[mo-1]
	if mo == 2 && (y%4 == 0 && y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return fmt.Sprintf("%04d-%02d-01", y, mo), fmt.Sprintf("%04d-%02d-%02d", y, mo, days)
}

type statusView struct {
	pageBase
	S      statsView
	IsOpen bool
	// MaxErrors is the most failures the page lists.
	MaxErrors int
}

func (s *Server) statusPage(w http.ResponseWriter, r *http.Request) {
	view := statusView{pageBase: s.base(r, "status"), MaxErrors: maxRecentErrors}
	view.Title = "Status"
	st, err := s.stats(r.Context())
	if err != nil {
		status, msg := classify(err)
		s.logFailure(r, status, err)
		view.setError(status, msg)
		s.render(w, status, "status", view)
		return
	}
	view.S = st
	s.render(w, http.StatusOK, "status", view)
}
