// Package extract turns a document into claims: its main text as blocks
// (Text), the blocks into sentences (Splitter), and the sentences into
// claims attributed to parties (Lexicon.Claims), with Extractor running the
// three in order. Score measures claims against gold annotations.
package extract

import (
	"cmp"

	"redline/corpus"
)

// Extractor runs the text, sentence and claim stages on one document at a
// time. It holds the sentence model and the lexicon, both loaded once; an
// *Extractor is safe for concurrent use by many goroutines.
type Extractor struct {
	lex   *Lexicon
	split *Splitter
}

// NewExtractor returns an Extractor with the given lexicon (nil means the
// built-in one). It loads the sentence model, which takes some milliseconds:
// build one Extractor per run and share it.
func NewExtractor(lex *Lexicon) (*Extractor, error) {
	if lex == nil {
		var err error
		if lex, err = DefaultLexicon(); err != nil {
			return nil, err
		}
	}
	split, err := NewSplitter()
	if err != nil {
		return nil, err
	}
	return &Extractor{lex: lex, split: split}, nil
}

// Lexicon returns the extractor's lexicon.
func (e *Extractor) Lexicon() *Lexicon { return e.lex }

// Splitter returns the extractor's sentence splitter.
func (e *Extractor) Splitter() *Splitter { return e.split }

// Result is what extraction makes of one document.
type Result struct {
	Article   Article
	Sentences []Sentence
	Claims    []Claim
	// NotEnglish is set when the document is not in English: it is kept,
	// but the English claim rules are not run on it, and Claims is empty.
	NotEnglish bool
	// Title, Outlet, URL and Published ("2006-01-02" or "") are the
	// document's metadata as every claim carries it: the document's own
	// values, else what the page declares.
	Title, Outlet, URL, Published string
}

// Extract reads the document's main text, splits it into sentences and finds
// its claims. Each claim carries the document's metadata (falling back to
// what the HTML declares for title and date). The error is non-nil only when
// the document has no usable text; it wraps ErrNoText then.
func (e *Extractor) Extract(doc corpus.Document) (Result, error) {
	art, err := Text(doc)
	if err != nil {
		return Result{}, err
	}
	res := Result{
		Article:   art,
		Title:     cmp.Or(doc.Title, art.Title),
		Outlet:    cmp.Or(doc.Outlet, art.Outlet),
		URL:       cmp.Or(doc.URL, art.CanonicalURL),
		Published: art.Published,
	}
	if !doc.Published.IsZero() {
		res.Published = doc.Published.UTC().Format("2006-01-02")
	}
	if !IsEnglish(art) {
		res.NotEnglish = true
		return res, nil
	}
	res.Sentences = e.split.Split(art)
	res.Claims = e.lex.Claims(art, res.Sentences)
	for k := range res.Claims {
		c := &res.Claims[k]
		c.DocID, c.Source, c.URL, c.Title, c.Outlet, c.Published = doc.ID, doc.Source, res.URL, res.Title, res.Outlet, res.Published
	}
	return res, nil
}
