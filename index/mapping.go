package index

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en" // registers the "en" analyzer
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"redline/claim"
)

// Document types and field names of the Bleve documents.
const (
	typeClaim   = "claim"
	typeArticle = "article"

	fieldType        = "type"
	fieldSentence    = "sentence"
	fieldExact       = "sentence_exact" // the sentence unstemmed, every word kept: phrases
	fieldTitle       = "title"
	fieldTitleExact  = "title_exact" // claim: the title unstemmed, every word kept: phrases
	fieldParty       = "party"
	fieldKind        = "kind"
	fieldTopics      = "topics"
	fieldOutlet      = "outlet"
	fieldDocID       = "doc_id"
	fieldSpeaker     = "speaker"
	fieldTarget      = "target"
	fieldAttribution = "attribution"
	fieldHedged      = "hedged"
	fieldPublished   = "published"
	fieldStart       = "start"
	fieldConfidence  = "confidence"
	fieldRaw         = "raw"

	fieldSource = "source"
	fieldURL    = "url"
	fieldHash   = "hash"
	fieldClaims = "claims"

	// Independent sources and comparison (see Article and compare.go).
	fieldCluster  = "cluster"   // claim and article: the near-duplicate cluster
	fieldFold     = "fold"      // claim: foldKey, claims of one row of search results
	fieldPTK      = "ptk"       // claim: "party|topic|kind", one per topic
	fieldFacts    = "facts"     // claim: "day:confidence:start" for Compare (see factsTerm)
	fieldWrite    = "write"     // claim: writeKey of the Write that stored it (see boundQuery)
	fieldTextHash = "text_hash" // article: hash of the main text (exact duplicates)
	fieldBands    = "lsh"       // article: locality-sensitive band keys
	fieldSketch   = "sketch"    // article: similarity sketch, stored only
	fieldLang     = "lang"      // article: declared language ("en"), or ""
	fieldEnglish  = "english"   // article: "true", or "false" when not read for claims

	// fieldText: article: the main text, stored only (schema 3; see
	// checkSchema). Not indexed and without term vectors: searches never
	// read it, and it costs the index little more than its bytes.
	fieldText = "text"
)

// ptkSep separates party, topic and kind in a ptk term.
const ptkSep = "|"

// dateLayout is the form of claim.Claim.Published and Article.Published.
const dateLayout = "2006-01-02"

// Field-mapping constructors for the lean mapping: nothing goes into _all,
// nothing is stored or doc-valued unless something reads it back.

// textField: English full text with term vectors (phrase queries, hit
// locations for highlighting), not stored: the sentence and title come back
// from the raw JSON.
func textField() *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "text", Analyzer: en.AnalyzerName, Index: true, IncludeTermVectors: true}
}

// exactAnalyzer names the analyzer of the exact sentence field: Unicode
// words, lower-cased, nothing stemmed and nothing left out, so that a
// phrase keeps the words red lines are made of ("will not", "never").
const exactAnalyzer = "redline_exact"

// exactField: the sentence (or title) as exactAnalyzer reads it, with term vectors
// (phrase queries need positions; hit locations mark the phrase).
func exactField() *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "text", Analyzer: exactAnalyzer, Index: true, IncludeTermVectors: true}
}

// keywordField: exact, case-sensitive terms; docValues for facets and sort.
func keywordField(docValues bool) *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Index: true, DocValues: docValues}
}

// storedKeywordField: exact terms, also stored for reading back.
func storedKeywordField() *mapping.FieldMapping {
	fm := keywordField(false)
	fm.Store = true
	return fm
}

func numberField(docValues bool) *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "number", Index: true, DocValues: docValues}
}

func dateField() *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "datetime", Index: true, DocValues: true}
}

// bandField: the dedup band keys, looked up by term only (see
// Duplicates): no doc values, no term vectors, nothing stored. The terms
// are bandTerm's compact forms, which keep the term dictionaries that
// every segment and merge builds half as long.
func bandField() *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Index: true}
}

// storedField: kept for reading back, not searchable.
func storedField(typ string) *mapping.FieldMapping {
	fm := &mapping.FieldMapping{Type: typ, Store: true}
	if typ == "text" {
		fm.Analyzer = keyword.Name
	}
	return fm
}

// newDocMapping returns a strict (non-dynamic) document mapping without the
// _all composite field.
func newDocMapping(fields map[string]*mapping.FieldMapping) *mapping.DocumentMapping {
	dm := mapping.NewDocumentStaticMapping()
	noAll := mapping.NewDocumentDisabledMapping()
	dm.AddSubDocumentMapping("_all", noAll)
	for name, fm := range fields {
		dm.AddFieldMappingsAt(name, fm)
	}
	return dm
}

// newMapping builds the index mapping: documents of type "claim" and
// "article" told apart by the "type" field; anything else is not indexed.
func newMapping() *mapping.IndexMappingImpl {
	im := mapping.NewIndexMapping()
	im.TypeField = fieldType
	im.DefaultField = fieldSentence // plain words in a query string search the sentence
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	im.DefaultMapping = mapping.NewDocumentDisabledMapping()
	if err := im.AddCustomAnalyzer(exactAnalyzer, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []interface{}{lowercase.Name},
	}); err != nil {
		// The definition is a constant of this file: failing is a bug.
		panic(fmt.Sprintf("index: analyzer %s: %v", exactAnalyzer, err))
	}

	im.AddDocumentMapping(typeClaim, newDocMapping(map[string]*mapping.FieldMapping{
		fieldType:        keywordField(false),
		fieldSentence:    textField(),
		fieldExact:       exactField(),
		fieldTitle:       textField(),
		fieldTitleExact:  exactField(),
		fieldParty:       keywordField(true),
		fieldKind:        keywordField(true),
		fieldTopics:      keywordField(true),
		fieldOutlet:      keywordField(true),
		fieldDocID:       keywordField(true),
		fieldSpeaker:     keywordField(false),
		fieldTarget:      keywordField(false),
		fieldAttribution: keywordField(false),
		fieldHedged:      keywordField(false), // "true"/"false": query strings cannot search Bleve booleans
		fieldPublished:   dateField(),
		fieldStart:       sortKeyField(),
		fieldConfidence:  numberField(false), // searched by range, never sorted
		fieldRaw:         storedField("text"),
		fieldCluster:     keywordField(true),
		fieldFold:        keywordField(false),
		fieldPTK:         keywordField(true),
		fieldFacts:       keywordField(true),
		fieldWrite:       keywordField(false),
	}))

	im.AddDocumentMapping(typeArticle, newDocMapping(map[string]*mapping.FieldMapping{
		fieldType:      keywordField(false),
		fieldDocID:     storedKeywordField(),
		fieldSource:    storedField("text"),
		fieldURL:       storedField("text"),
		fieldTitle:     storedField("text"),
		fieldOutlet:    storedField("text"),
		fieldPublished: storedField("text"),
		fieldHash:      storedField("text"),
		fieldClaims:    storedField("number"),
		fieldCluster:   storedKeywordField(),
		fieldTextHash:  storedKeywordField(),
		fieldBands:     bandField(),
		fieldSketch:    storedField("text"),
		fieldLang:      storedField("text"), // read back by browse, never searched
		fieldEnglish:   storedKeywordField(),
		fieldText:      storedField("text"),
	}))
	return im
}

// bandTerm is the indexed term of a band key. A key of lower-case hex
// digits of even length (what the dedup package makes: "00a1b2c3d4e5f6")
// is indexed as the bytes it spells behind a 0x00 byte, half as long; any
// other key is indexed as it is behind a 0xff byte. The first byte keeps
// the two forms apart, so the mapping is one to one and Duplicates finds
// exactly the articles written with the same key.
func bandTerm(key string) string {
	if len(key)%2 == 0 && isLowerHex(key) {
		b := make([]byte, 1+len(key)/2)
		if _, err := hex.Decode(b[1:], []byte(key)); err == nil {
			return string(b)
		}
	}
	return "\xff" + key
}

// bandKey is the band key whose indexed term is term: bandTerm's inverse,
// for repair, which reads the keys back from a segment's dictionary. A term
// of neither form is returned unchanged (an index written before the
// compact form).
func bandKey(term string) string {
	switch {
	case strings.HasPrefix(term, "\x00"):
		return hex.EncodeToString([]byte(term[1:]))
	case strings.HasPrefix(term, "\xff"):
		return term[1:]
	}
	return term
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// claimID is the deterministic document id of a claim.
func claimID(c *claim.Claim) string {
	return ClaimID(c.DocID, c.Start, c.Party, c.Kind)
}

// articleID is the document id of an article.
func articleID(docID string) string { return "a:" + docID }

// parseDate parses a "2006-01-02" date; ok is false for "".
func parseDate(s string) (t time.Time, ok bool, err error) {
	if s == "" {
		return time.Time{}, false, nil
	}
	t, err = time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("published %q is not a YYYY-MM-DD date", s)
	}
	return t, true, nil
}

// ptkTerms returns the claim's "party|topic|kind" terms, one per topic.
func ptkTerms(c *claim.Claim) []string {
	if c.Party == "" || c.Kind == "" {
		return nil
	}
	out := make([]string, 0, len(c.Topics))
	for _, t := range c.Topics {
		if t != "" {
			out = append(out, c.Party+ptkSep+t+ptkSep+c.Kind)
		}
	}
	return out
}

// factsTerm packs what Compare needs of a claim besides its keywords into
// one keyword term, read back from doc values in one visit: the published
// date as days since 1970 ("-" when unknown), the confidence in
// thousandths and the start offset, separated by ':'. (Bleve indexes a
// number or date as 16 prefix-coded terms, which makes reading three of
// them per claim ten times slower than one keyword.)
func factsTerm(c *claim.Claim) string {
	day := "-"
	if t, ok, _ := parseDate(c.Published); ok {
		day = strconv.FormatInt(floorDiv(t.Unix(), 86400), 10)
	}
	return day + ":" + strconv.Itoa(int(math.Round(c.Confidence*1000))) + ":" + strconv.Itoa(c.Start)
}

// parseFacts reads a factsTerm; ok is false for a malformed one: an empty
// field (but the day's "-"), a number beyond int32 or a confidence
// outside 0 to 1000 thousandths.
func parseFacts(b []byte) (day int32, conf float32, start int32, ok bool) {
	var f [3]int64
	var undated bool
	i := 0
	for n := range 3 {
		neg, digits := false, 0
		if i < len(b) && b[i] == '-' {
			neg = true
			i++
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			// Past any int32 (rejected below) it stops growing, before
			// int64 wraps around.
			if f[n] <= math.MaxInt32+1 {
				f[n] = f[n]*10 + int64(b[i]-'0')
			}
			i++
			digits++
		}
		if neg {
			f[n] = -f[n]
			if n == 0 && digits == 0 {
				undated = true
			}
		}
		if digits == 0 && !(n == 0 && undated) {
			return 0, 0, 0, false
		}
		if n < 2 {
			if i >= len(b) || b[i] != ':' {
				return 0, 0, 0, false
			}
			i++
		}
	}
	if i != len(b) || f[1] < 0 || f[1] > 1000 {
		return 0, 0, 0, false
	}
	for _, v := range [2]int64{f[0], f[2]} {
		if v < math.MinInt32 || v > math.MaxInt32 {
			return 0, 0, 0, false
		}
	}
	day = int32(f[0])
	if undated {
		day = noDay
	}
	return day, float32(f[1]) / 1000, int32(f[2]), true
}

// claimDoc is the Bleve document of one claim of an article in the given
// cluster, stored by the Write whose Commit.Seq is seq. Empty keyword
// values are left out (they would only index an empty term).
func claimDoc(c *claim.Claim, cluster string, seq uint64) (map[string]interface{}, error) {
	withCluster := *c
	withCluster.Cluster = cluster
	raw, err := json.Marshal(&withCluster)
	if err != nil {
		return nil, err
	}
	d := map[string]interface{}{
		fieldType:       typeClaim,
		fieldSentence:   c.Sentence,
		fieldExact:      c.Sentence,
		fieldHedged:     strconv.FormatBool(c.Hedged),
		fieldStart:      numberKey(float64(c.Start)),
		fieldConfidence: c.Confidence,
		fieldDocID:      c.DocID,
		fieldFold:       foldKey(c),
		fieldRaw:        string(raw),
		fieldWrite:      writeKey(seq),
	}
	put := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	put(fieldTitle, c.Title)
	put(fieldTitleExact, c.Title)
	put(fieldParty, c.Party)
	put(fieldKind, c.Kind)
	put(fieldOutlet, c.Outlet)
	put(fieldSpeaker, c.Speaker)
	put(fieldTarget, c.Target)
	put(fieldAttribution, c.Attribution)
	put(fieldCluster, cluster)
	if len(c.Topics) > 0 {
		d[fieldTopics] = c.Topics
	}
	if ptk := ptkTerms(c); len(ptk) > 0 {
		d[fieldPTK] = ptk
	}
	d[fieldFacts] = factsTerm(c)
	if t, ok, _ := parseDate(c.Published); ok {
		d[fieldPublished] = t
	}
	return d, nil
}

// articleDoc is the Bleve document of one article (its claims are separate
// documents).
func articleDoc(a *Article) map[string]interface{} {
	d := map[string]interface{}{
		fieldType:   typeArticle,
		fieldDocID:  a.DocID,
		fieldHash:   a.Hash,
		fieldClaims: len(a.Claims),
	}
	put := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	put(fieldSource, a.Source)
	put(fieldURL, a.URL)
	put(fieldTitle, a.Title)
	put(fieldOutlet, a.Outlet)
	put(fieldPublished, a.Published)
	put(fieldCluster, a.cluster())
	put(fieldTextHash, a.TextHash)
	put(fieldSketch, a.Sketch)
	put(fieldLang, a.Lang)
	put(fieldText, a.Text)
	d[fieldEnglish] = strconv.FormatBool(!a.NotEnglish)
	if len(a.Bands) > 0 {
		terms := make([]string, 0, len(a.Bands))
		for _, b := range a.Bands {
			if b != "" {
				terms = append(terms, bandTerm(b))
			}
		}
		d[fieldBands] = terms
	}
	return d
}
