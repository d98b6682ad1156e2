package index

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en" // registers the "en" analyzer
	"github.com/blevesearch/bleve/v2/mapping"

	"redline/extract"
)

// Document types and field names of the Bleve documents.
const (
	typeClaim   = "claim"
	typeArticle = "article"

	fieldType        = "type"
	fieldSentence    = "sentence"
	fieldTitle       = "title"
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
)

// dateLayout is the form of extract.Claim.Published and Article.Published.
const dateLayout = "2006-01-02"

// Field-mapping constructors for the lean mapping: nothing goes into _all,
// nothing is stored or doc-valued unless something reads it back.

// textField: English full text with term vectors (phrase queries, hit
// locations for highlighting), not stored: the sentence and title come back
// from the raw JSON.
func textField() *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "text", Analyzer: en.AnalyzerName, Index: true, IncludeTermVectors: true}
}

// keywordField: exact, case-sensitive terms; docValues for facets and sort.
func keywordField(docValues bool) *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Index: true, DocValues: docValues}
}

func numberField(docValues bool) *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "number", Index: true, DocValues: docValues}
}

func dateField() *mapping.FieldMapping {
	return &mapping.FieldMapping{Type: "datetime", Index: true, DocValues: true}
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

	im.AddDocumentMapping(typeClaim, newDocMapping(map[string]*mapping.FieldMapping{
		fieldType:        keywordField(false),
		fieldSentence:    textField(),
		fieldTitle:       textField(),
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
		fieldStart:       numberField(true),
		fieldConfidence:  numberField(true),
		fieldRaw:         storedField("text"),
	}))

	docID := keywordField(false)
	docID.Store = true
	im.AddDocumentMapping(typeArticle, newDocMapping(map[string]*mapping.FieldMapping{
		fieldType:      keywordField(false),
		fieldDocID:     docID,
		fieldSource:    storedField("text"),
		fieldURL:       storedField("text"),
		fieldTitle:     storedField("text"),
		fieldOutlet:    storedField("text"),
		fieldPublished: storedField("text"),
		fieldHash:      storedField("text"),
		fieldClaims:    storedField("number"),
	}))
	return im
}

// claimID is the deterministic document id of a claim.
func claimID(c *extract.Claim) string {
	return "c:" + c.DocID + ":" + strconv.Itoa(c.Start) + ":" + c.Party + ":" + c.Kind
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

// claimDoc is the Bleve document of one claim. Empty keyword values are
// left out (they would only index an empty term).
func claimDoc(c *extract.Claim) (map[string]interface{}, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	d := map[string]interface{}{
		fieldType:       typeClaim,
		fieldSentence:   c.Sentence,
		fieldHedged:     strconv.FormatBool(c.Hedged),
		fieldStart:      c.Start,
		fieldConfidence: c.Confidence,
		fieldDocID:      c.DocID,
		fieldRaw:        string(raw),
	}
	put := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	put(fieldTitle, c.Title)
	put(fieldParty, c.Party)
	put(fieldKind, c.Kind)
	put(fieldOutlet, c.Outlet)
	put(fieldSpeaker, c.Speaker)
	put(fieldTarget, c.Target)
	put(fieldAttribution, c.Attribution)
	if len(c.Topics) > 0 {
		d[fieldTopics] = c.Topics
	}
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
	return d
}
