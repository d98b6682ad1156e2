package index

import (
	"encoding/hex"
	"math"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/numeric"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// A claim's start offset is sorted on (the order of an article's claims,
// of an export), and searched by range only when a query text asks
// (start:<100). Up to layout 5 it was a Bleve number field, which Bleve
// indexes as 16 prefix-coded terms, kept again as doc values: with nearly
// every offset distinct, start alone made a quarter of the index's distinct
// terms. From layout 6 it is one keyword term, sortKey of the 64-bit integer
// Bleve's numeric range searcher compares (Float64ToInt64 of the offset),
// which sorts as the offsets do; a range on start that a query text makes
// is rewritten into the term range of the same integers (keyRanges), so it
// matches the same claims.
//
// Confidence and published stay Bleve numbers and dates: the default
// minimum confidence and the date filters are ranges in nearly every
// search, and their terms take part in a hit's score, which keeps the
// ranking of text searches as it was.

// sortKey is the keyword term of the integer v: its bits with the sign bit
// flipped, in 16 hex digits, so that the terms sort as the integers do.
func sortKey(v int64) string {
	var b [8]byte
	u := uint64(v) ^ 1<<63
	for i := range b {
		b[i] = byte(u >> (56 - 8*i))
	}
	return hex.EncodeToString(b[:])
}

// numberKey is the sortKey term of a number.
func numberKey(f float64) string { return sortKey(numeric.Float64ToInt64(f)) }

// sortKeyField: one sortKey term, with doc values for sorting.
func sortKeyField() *mapping.FieldMapping { return keywordField(true) }

// numericLayout tells whether the index mapping m indexes the claims' start
// as a Bleve number (layouts up to 5) rather than as a sortKey term.
func numericLayout(m mapping.IndexMapping) bool {
	im, ok := m.(*mapping.IndexMappingImpl)
	if !ok {
		return false
	}
	dm := im.TypeMapping[typeClaim]
	if dm == nil || dm.Properties[fieldStart] == nil {
		return false
	}
	fs := dm.Properties[fieldStart].Fields
	return len(fs) > 0 && fs[0].Type == "number"
}

// keyRanges rewrites q, as Bleve's query parser makes it for a number
// field, for an index whose start offsets are sortKey terms: a numeric or
// date range on start becomes the term range of the same integers, its
// bounds adjusted exactly as Bleve's numeric range searcher adjusts them;
// any other search of start (a word, a prefix, a pattern), which matched
// nothing or only the prefix-coded terms' bytes, matches nothing. The rest
// of q is left as it is; q is changed in place.
func keyRanges(q query.Query) query.Query {
	switch t := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []*query.Query{&t.Must, &t.Should, &t.MustNot, &t.Filter} {
			if *sub != nil {
				*sub = keyRanges(*sub)
			}
		}
		return t
	case *query.ConjunctionQuery:
		for i, c := range t.Conjuncts {
			t.Conjuncts[i] = keyRanges(c)
		}
		return t
	case *query.DisjunctionQuery:
		for i, d := range t.Disjuncts {
			t.Disjuncts[i] = keyRanges(d)
		}
		return t
	case *query.NumericRangeQuery:
		if t.FieldVal != fieldStart {
			return t
		}
		return keyRange(t.FieldVal, t.Min, t.Max, t.InclusiveMin, t.InclusiveMax, t.BoostVal)
	case *query.DateRangeQuery:
		if t.FieldVal != fieldStart {
			return t
		}
		// DateRangeQuery's own conversion: Unix nanoseconds carried as
		// the float64 whose Float64ToInt64 they are.
		var lo, hi *float64
		if !t.Start.IsZero() {
			f := numeric.Int64ToFloat64(t.Start.UnixNano())
			lo = &f
		}
		if !t.End.IsZero() {
			f := numeric.Int64ToFloat64(t.End.UnixNano())
			hi = &f
		}
		return keyRange(t.FieldVal, lo, hi, t.InclusiveStart, t.InclusiveEnd, t.BoostVal)
	case query.FieldableQuery:
		if t.Field() == fieldStart {
			return query.NewMatchNoneQuery()
		}
	}
	return q
}

// keyRange is the term range of sortKey terms that Bleve's numeric range
// searcher would match for these bounds (nil: open; inclusive nil: the
// searcher's defaults, min inclusive and max exclusive).
func keyRange(field string, lo, hi *float64, loIncl, hiIncl *bool, boost *query.Boost) query.Query {
	minV, maxV := math.Inf(-1), math.Inf(1)
	if lo != nil {
		minV = *lo
	}
	if hi != nil {
		maxV = *hi
	}
	minI, maxI := numeric.Float64ToInt64(minV), numeric.Float64ToInt64(maxV)
	if loIncl != nil && !*loIncl && minI != math.MaxInt64 {
		minI++
	}
	if (hiIncl == nil || !*hiIncl) && maxI != math.MinInt64 {
		maxI--
	}
	if minI > maxI {
		return query.NewMatchNoneQuery()
	}
	yes := true
	tr := query.NewTermRangeInclusiveQuery(sortKey(minI), sortKey(maxI), &yes, &yes)
	tr.SetField(field)
	if boost != nil {
		tr.SetBoost(boost.Value())
	}
	return tr
}

// sortStart sorts by start offset.
func (ix *Index) sortStart() search.SearchSort {
	typ := search.SortFieldAsString
	if ix.numeric {
		typ = search.SortFieldAsNumber
	}
	return &search.SortField{Field: fieldStart, Type: typ}
}

// newestFirst is the order of claims without a text query: newest
// article first (undated last), then by article and by place in it.
func (ix *Index) newestFirst() search.SortOrder {
	return search.SortOrder{
		&search.SortField{Field: fieldPublished, Type: search.SortFieldAsDate, Desc: true, Missing: search.SortFieldMissingLast},
		&search.SortField{Field: fieldDocID, Type: search.SortFieldAsString},
		ix.sortStart(),
		&search.SortDocID{},
	}
}

// claimQuery is buildQuery for this index's layout.
func (ix *Index) claimQuery(q Query) (query.Query, bool, error) {
	bq, hasText, err := buildQuery(q)
	if err != nil {
		return bq, hasText, err
	}
	if !ix.titleExact {
		if err := titlePhrases(bq); err != nil {
			return nil, false, queryError(strings.TrimSpace(q.Text), err)
		}
	}
	if ix.numeric {
		return bq, hasText, nil
	}
	return keyRanges(bq), hasText, nil
}
