package index

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Order is the order of search results and of an ordered export. The zero
// value is OrderDefault.
type Order string

// The orders. Every order ends with the same tie-breaks, so that it is a
// total order and a page is the same slice of it whenever it is asked
// for: the article (doc_id), the place in it (start), the claim id.
const (
	// OrderDefault is OrderRelevance when the query has text, else
	// OrderNewest.
	OrderDefault Order = ""
	// OrderRelevance: best match first (by the text query's score); with
	// no text every claim scores alike, which is OrderNewest.
	OrderRelevance Order = "relevance"
	// OrderNewest: latest published date first, undated claims last.
	OrderNewest Order = "newest"
	// OrderOldest: earliest published date first, undated claims last.
	OrderOldest Order = "oldest"
	// OrderConfidence: most confident first, then newest first.
	OrderConfidence Order = "confidence"
)

// Orders lists the orders by name, for usage texts and menus.
func Orders() []Order {
	return []Order{OrderRelevance, OrderNewest, OrderOldest, OrderConfidence}
}

// ParseOrder reads an order by name, in any case; "" is OrderDefault. An
// unknown name is an error naming the orders.
func ParseOrder(s string) (Order, error) {
	o := Order(strings.ToLower(strings.TrimSpace(s)))
	if o == OrderDefault {
		return o, nil
	}
	for _, known := range Orders() {
		if o == known {
			return o, nil
		}
	}
	names := make([]string, 0, 4)
	for _, known := range Orders() {
		names = append(names, string(known))
	}
	return "", fmt.Errorf("%w: sort %q: want %s", ErrQuery, s, strings.Join(names, ", "))
}

// For is the order a search with query text text runs in: o, unless it
// is OrderDefault (or OrderRelevance with no text, where every claim
// scores alike).
func (o Order) For(text string) Order {
	text = strings.TrimSpace(text)
	return o.resolve(text != "" && text != "*")
}

// resolve is the order a search runs in: OrderDefault and OrderRelevance
// without text are OrderNewest.
func (o Order) resolve(hasText bool) Order {
	if o == OrderDefault || o == OrderRelevance && !hasText {
		if hasText {
			return OrderRelevance
		}
		return OrderNewest
	}
	return o
}

// searchOrder is the Bleve sort of order o, with the fold key last: it
// never decides the order (the claim id before it is unique), and it gives
// each hit's fold key without reading its stored JSON.
func (ix *Index) searchOrder(o Order) search.SortOrder {
	tail := search.SortOrder{
		&search.SortField{Field: fieldDocID, Type: search.SortFieldAsString},
		ix.sortStart(),
		&search.SortDocID{},
		&search.SortField{Field: fieldFold, Type: search.SortFieldAsString},
	}
	var head search.SortOrder
	switch o {
	case OrderRelevance:
		// By score, then as the other orders: the claim id alone would
		// put equal scores in the order of their article's name.
		head = search.SortOrder{&search.SortScore{Desc: true}, &daySort{desc: true}}
	case OrderOldest:
		head = search.SortOrder{&daySort{}}
	case OrderConfidence:
		head = search.SortOrder{&search.SortField{Field: fieldConfidence, Type: search.SortFieldAsNumber, Desc: true}, &daySort{desc: true}}
	default:
		head = search.SortOrder{&daySort{desc: true}}
	}
	return append(head, tail...)
}

// daySort sorts claims by published day, read from their facts term (see
// factsTerm), with undated claims last in either direction. Bleve's own
// date sort would do as well but for the cursor: it writes a missing date
// as a value that does not read back as a date, so a page could not start
// after an undated claim.
type daySort struct {
	desc  bool
	value string
	// reversed: Reverse was called (a search-before), which keeps the
	// values and flips the comparison, undated claims first.
	reversed bool
}

// Undated claims sort as "" when descending (last) and as "~" when
// ascending (last): the dated ones are 8 hexadecimal digits. Reversed, the
// value stays that of the order reversed, so they come first.
func (s *daySort) undated() string {
	if s.desc != s.reversed {
		return ""
	}
	return "~"
}

func (s *daySort) UpdateVisitor(field string, term []byte) {
	if field != fieldFacts || s.value != "" {
		return
	}
	day, _, _, ok := parseFacts(term)
	if !ok || day == noDay {
		return
	}
	// The sign bit flipped: negative days (before 1970) sort first.
	s.value = fmt.Sprintf("%08x", uint32(day)^0x80000000)
}

func (s *daySort) Value(*search.DocumentMatch) string {
	v := s.value
	s.value = ""
	if v == "" {
		return s.undated()
	}
	return v
}

func (s *daySort) DecodeValue(v string) string { return v }
func (s *daySort) Descending() bool            { return s.desc }
func (s *daySort) RequiresDocID() bool         { return false }
func (s *daySort) RequiresScoring() bool       { return false }
func (s *daySort) RequiresFields() []string    { return []string{fieldFacts} }
func (s *daySort) Reverse()                    { s.desc, s.reversed = !s.desc, !s.reversed }
func (s *daySort) Copy() search.SearchSort     { c := *s; return &c }

// cursor is where a page of results starts: just after the claim whose
// sort values these are, in order o.
type cursor struct {
	Order Order    `json:"o"`
	After []string `json:"a"`
	// Write is the Commit.Seq of the state the first page was read from;
	// the pages after and before this one are of that state (see
	// boundQuery). 0: no bound.
	Write uint64 `json:"w,omitempty"`
	// Rows is the number of rows up to and including the claim at the
	// cursor, when known (0: not known), so that a relevance page can be
	// read by its place when the scores moved (see Search).
	Rows int `json:"n,omitempty"`
}

// afterOf is the SearchAfter of the hits just after h in a search sorted
// by so.
func afterOf(so search.SortOrder, h *search.DocumentMatch) []string {
	after := append([]string(nil), h.DecodedSort...)
	for i, s := range so {
		if _, ok := s.(*search.SortScore); ok && i < len(after) {
			// Bleve writes "_score" as the value; search-after reads the
			// number, which 'g' with -1 digits writes exactly.
			after[i] = strconv.FormatFloat(h.Score, 'g', -1, 64)
		}
	}
	return after
}

// cursorOf is the cursor just after hit h of a search in order o sorted
// by so, of the state after write seq (0: no bound), with rows rows up to
// and including h (0 or less: not known).
func cursorOf(o Order, so search.SortOrder, h *search.DocumentMatch, seq uint64, rows int) string {
	b, _ := json.Marshal(cursor{Order: o, After: afterOf(so, h), Write: seq, Rows: max(rows, 0)})
	return base64.RawURLEncoding.EncodeToString(b)
}

// readCursor reads a cursor for a search in order o sorted by so, given as
// name (after or before); one of another order or search is an error
// wrapping ErrQuery that names it.
func readCursor(name, s string, o Order, so search.SortOrder) (cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err == nil && len(c.After) != len(so) {
		err = fmt.Errorf("%d sort values, want %d", len(c.After), len(so))
	}
	if err == nil && c.Order != o {
		err = fmt.Errorf("it is a cursor of the %s order, not of %s", c.Order, o)
	}
	if err == nil && c.Rows < 0 {
		err = fmt.Errorf("%d rows before it", c.Rows)
	}
	if err != nil {
		return cursor{}, fmt.Errorf("%w: %s %q is not a cursor of this search (%v): start from the first page", ErrQuery, name, s, err)
	}
	for i, ss := range so {
		if _, ok := ss.(*search.SortScore); ok {
			if _, err := strconv.ParseFloat(c.After[i], 64); err != nil {
				return cursor{}, fmt.Errorf("%w: %s %q is not a cursor of this search: start from the first page", ErrQuery, name, s)
			}
		}
	}
	return c, nil
}

// writeKey is the term of fieldWrite for the Write numbered seq: fixed
// width, so that the terms sort as the numbers do.
func writeKey(seq uint64) string { return fmt.Sprintf("%016x", seq) }

// hasWriteField tells whether the index mapping m indexes the write that
// stored each claim (indexes made before it do not; their cursors have no
// bound).
func hasWriteField(m mapping.IndexMapping) bool {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok {
		return false
	}
	dm := im.TypeMapping[typeClaim]
	return dm != nil && dm.Properties[fieldWrite] != nil
}

// boundQuery restricts bq to the claims stored by the writes up to seq:
// the state of the index when the first page of a paging was read. Pages
// read by a cursor while an ingest commits thus stay slices of that one
// state: a copy of a sentence written since cannot move the sentence's row
// before the cursor (a row stands where the first of its claims comes),
// where it would be taken for one shown already and never shown. Claims
// written before the index recorded writes have no term and are kept.
func boundQuery(bq query.Query, seq uint64) query.Query {
	newer := query.NewTermRangeQuery(writeKey(seq+1), "")
	newer.SetField(fieldWrite)
	return query.NewBooleanQuery([]query.Query{bq}, nil, []query.Query{newer})
}
