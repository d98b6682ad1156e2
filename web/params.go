package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"redline/extract"
	"redline/filter"
	"redline/index"
)

// httpError is an error with the HTTP status it is answered with.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

// errNoIndex: the index folder does not exist (yet).
var errNoIndex = errors.New("no index")

// busyMessage is what a request is told while an ingest holds the index.
const busyMessage = "index busy: an ingest is writing it; try again shortly"

func badParam(format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &httpError{status: http.StatusNotFound, msg: fmt.Sprintf(format, args...)}
}

// classify maps an error to its status and the message shown: bad input
// 400, missing things 404, an index held by an ingest (or not there yet)
// 503, a request out of time 503, anything else 500.
func classify(err error) (int, string) {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case filter.IsError(err):
		return http.StatusBadRequest, webWords(err.Error())
	case errors.Is(err, index.ErrQuery):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, index.ErrLocked):
		return http.StatusServiceUnavailable, busyMessage
	case errors.Is(err, errNoIndex):
		return http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, errShutdown):
		return http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the request took too long and was stopped; narrow the query"
	case errors.Is(err, context.Canceled):
		return 499, "request cancelled"
	}
	return http.StatusInternalServerError, err.Error()
}

// listParam is every value of the list parameter name in v, which may be
// given several times and each time as a comma-separated list.
func listParam(v url.Values, name string) []string {
	return filter.List(strings.Join(v[name], ","))
}

// flagWords rewrites the command line's words in the filters' messages
// into the web's: a flag is a parameter here ("--party" is "party"), and
// the values an index holds are listed on the status page.
var flagWords = strings.NewReplacer("--party", "party", "--kind", "kind", "--topic", "topic", "--outlet", "outlet", "--speaker", "speaker",
	"--target", "target", "--since", "since", "--until", "until", "--min-confidence", "min_confidence", "redline stats lists them", "the status page lists them")

// webWords is msg, a filter's message, in the web's words (see flagWords).
func webWords(msg string) string { return flagWords.Replace(msg) }

// apiError writes err as {"error": message, "status": code}.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := classify(err)
	s.logFailure(r, status, err)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "2")
	}
	writeJSON(w, status, struct {
		Error  string `json:"error"`
		Status int    `json:"status"`
	}{msg, status})
}

func (s *Server) logFailure(r *http.Request, status int, err error) {
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.opts.Log.Error("request failed", "path", r.URL.Path, "status", status, "err", err)
	} else {
		s.opts.Log.Debug("request refused", "path", r.URL.Path, "status", status, "err", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// params is what a search, export or page URL asks for; the same names as
// the command-line flags (q is the query text; min-confidence may be
// written min_confidence).
type params struct {
	spec    filter.Spec
	minConf *float64 // nil: the index's default
	page    int      // 1-based
	size    int      // claims a page
	offset  int      // API only: overrides page; after a cursor, rows after it
	order   index.Order
	// after is the cursor of the page before (the search's next): the
	// page starts there, at row (page-1)*size, without reading the rows
	// before it.
	after string
	// before is the cursor of the page after (the search's prev): the
	// page is the size rows before it, at row (page-1)*size.
	before string
}

// known parameters of search and export; anything else is a 400, so that a
// misspelt filter is not silently ignored.
var searchParams = map[string]bool{"q": true, "party": true, "kind": true, "topic": true, "outlet": true, "speaker": true, "target": true, "since": true,
	"until": true, "min-confidence": true, "min_confidence": true, "page": true, "limit": true, "offset": true, "format": true,
	"sort": true, "after": true, "before": true}

func checkParams(v url.Values, known map[string]bool) error {
	for k := range v {
		if !known[k] {
			return badParam("unknown parameter %q", k)
		}
	}
	return nil
}

// either returns parameter name, or the same name written with "_" for
// "-" (min_confidence for min-confidence), which the URLs also accept.
func either(v url.Values, name string) string {
	if s := v.Get(name); s != "" {
		return s
	}
	return v.Get(strings.ReplaceAll(name, "-", "_"))
}

// minConfParam reads min-confidence (or min_confidence): nil when the URL
// has none, so that the index's default applies.
func minConfParam(v url.Values) (*float64, error) {
	mc := either(v, "min-confidence")
	if mc == "" {
		return nil, nil
	}
	c, err := filter.ParseConfidence(mc)
	if err != nil {
		return nil, badParam("min-confidence %q: %v", mc, err)
	}
	return &c, nil
}

// readParams reads the search parameters of a URL.
func readParams(v url.Values) (params, error) {
	p := params{page: 1, size: DefaultPageSize}
	if err := checkParams(v, searchParams); err != nil {
		return p, err
	}
	p.spec = filter.Spec{Text: strings.TrimSpace(v.Get("q")), Party: strings.Join(v["party"], ","), Kind: strings.Join(v["kind"], ","),
		Topic: strings.Join(v["topic"], ","), Outlet: strings.Join(v["outlet"], ","),
		Speaker: strings.Join(v["speaker"], ","), Target: strings.Join(v["target"], ","), Since: v.Get("since"), Until: v.Get("until")}
	var err error
	if p.minConf, err = minConfParam(v); err != nil {
		return p, err
	}
	if p.page, err = intParam(v, "page", 1, 1, MaxOffset+1); err != nil {
		return p, err
	}
	if p.size, err = intParam(v, "limit", DefaultPageSize, 1, MaxPageSize); err != nil {
		return p, err
	}
	if p.order, err = index.ParseOrder(v.Get("sort")); err != nil {
		return p, badParam("sort %q: want relevance, newest, oldest or confidence", v.Get("sort"))
	}
	p.after, p.before = v.Get("after"), v.Get("before")
	if p.after != "" && p.before != "" {
		return p, badParam("after and before: a page is read after a cursor or before one, not both")
	}
	p.offset = (p.page - 1) * p.size
	if p.after != "" || p.before != "" {
		// The cursor says where the page starts: a deep page is as cheap
		// as the first, so MaxOffset does not bound it.
		p.offset = 0
	}
	if v.Has("offset") {
		if p.offset, err = intParam(v, "offset", 0, 0, MaxOffset); err != nil {
			return p, err
		}
	}
	if p.offset > MaxOffset {
		return p, badParam("page %d starts beyond claim %d: narrow the query, or export it", p.page, MaxOffset)
	}
	return p, nil
}

// intParam reads an integer parameter in [lo, hi]; absent is def.
func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badParam("%s %q: want a whole number from %d to %d", name, s, lo, hi)
	}
	return n, nil
}

// query is the index query of p, bound to ix; lex names the parties.
func (p params) query(ix *index.Index, lex *extract.Lexicon) (index.Query, bool, error) {
	q, err := p.spec.Query()
	if err != nil {
		return q, false, err
	}
	byDefault, err := filter.Bind(ix, &q, p.minConf, lex)
	return q, byDefault, err
}
