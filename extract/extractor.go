// Package extract turns a document into claims: its main text as blocks
// (Text), the blocks into sentences (Splitter), and the sentences into
// claims attributed to parties (Lexicon.Claims), with Extractor running the
// three in order. Score measures claims against gold annotations.
//
// Size: this is the largest package on purpose. The text stage, sentence
// splitting, the lexicon's compiled matchers, the claim rules, the claim
// model and its training share one set of internal types (blocks,
// sentences, tokens, candidates, features); split into packages, those
// would be exported only to each other. Each stage or rule family has its
// own file, listed in the README's layout table.
package extract

import (
	"cmp"
	"fmt"
	"sync"

	"redline/claim"
	"redline/corpus"
)

// Extractor runs the text, sentence and claim stages on one document at a
// time. It holds the sentence model, the lexicon and the claim model, all
// loaded once; an *Extractor is safe for concurrent use by many goroutines.
type Extractor struct {
	lex   *Lexicon
	split *Splitter
	model *Model // nil: the rules alone decide
	// tagger is set when the model reads part-of-speech tags, or when
	// training documents are prepared with them (Options.Tags).
	tagger *Tagger
	// classes are the word classes training documents are prepared with
	// (Options.Classes, else the built-in ones); a model brings its own.
	classes *WordClasses
}

// Options configure an Extractor. The zero value means the built-in
// lexicon and the built-in claim model.
type Options struct {
	// Lexicon replaces the built-in lexicon.
	Lexicon *Lexicon
	// Model replaces the built-in claim model. With neither a model nor
	// the built-in lexicon, the rules alone decide: a model is trained for
	// one lexicon (Model.Lexicon), and the built-in one for the built-in
	// lexicon.
	Model *Model
	// Rules makes the rules alone decide, without a model.
	Rules bool
	// Tags prepares training documents with part-of-speech tags (see
	// Prepare); a model that reads tags loads the tagger itself.
	Tags bool
	// Classes replaces the built-in word classes (DefaultWordClasses): the
	// classes training documents are prepared with, and those a model
	// trained with them reads. A model trained with other classes is an
	// error.
	Classes *WordClasses
}

// New returns an Extractor. It loads the sentence model, which takes some
// milliseconds: build one Extractor per run and share it. A model trained
// for a lexicon of another name is an error, and so is one trained for a
// lexicon of the same name with other topics (a lexicon edited under its
// name, the built-in one's included).
func New(o Options) (*Extractor, error) {
	// The built-in model takes the longest to load: it is parsed while the
	// lexicon and the sentence model are.
	var wg sync.WaitGroup
	var builtin *Model
	var builtinErr error
	if !o.Rules && o.Model == nil {
		wg.Go(func() { builtin, builtinErr = DefaultModel() })
	}
	lex := o.Lexicon
	var lexErr error
	if lex == nil {
		lex, lexErr = DefaultLexicon()
	}
	split, splitErr := NewSplitter()
	wg.Wait()
	if err := cmp.Or(lexErr, splitErr, builtinErr); err != nil {
		return nil, err
	}
	e := &Extractor{lex: lex, split: split}
	switch {
	case o.Rules:
	case o.Model != nil:
		if o.Model.Lexicon() != lex.Name() {
			return nil, fmt.Errorf("the claim model was trained for lexicon %q, not %q: train one for this lexicon (redline train) or use the rules alone", o.Model.Lexicon(), lex.Name())
		}
		if err := o.Model.fits(lex); err != nil {
			return nil, err
		}
		e.model = o.Model
	case builtin.Lexicon() == lex.Name():
		if err := builtin.fits(lex); err != nil {
			return nil, err
		}
		e.model = builtin
	}
	var err error
	// A model trained with the built-in classes has them parsed already:
	// they are not parsed a second time.
	e.classes = o.Classes
	if e.classes == nil && e.model != nil {
		e.classes = e.model.classes
	}
	if e.classes == nil {
		if e.classes, err = DefaultWordClasses(); err != nil {
			return nil, err
		}
	}
	if e.model != nil {
		if e.model, err = e.model.WithClasses(e.classes); err != nil {
			return nil, err
		}
	}
	if o.Tags || (e.model != nil && e.model.Tags()) {
		if e.tagger, err = NewTagger(); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// NewExtractor returns an Extractor with the given lexicon (nil means the
// built-in one) and the built-in model where it fits; see New.
func NewExtractor(lex *Lexicon) (*Extractor, error) { return New(Options{Lexicon: lex}) }

// Lexicon returns the extractor's lexicon.
func (e *Extractor) Lexicon() *Lexicon { return e.lex }

// Model returns the extractor's claim model, or nil when the rules alone
// decide.
func (e *Extractor) Model() *Model { return e.model }

// textRevision names the rules by which the text stage reads a document's
// metadata; it changes when the same document would get another date or
// outlet (2: datelines of plain text; 3: a published time dated by the
// day of its own zone, dump dates in the forms feeds write, and a WARC
// page's own date before its capture time), so that its claims are made
// again.
const textRevision = "text3"

// Fingerprint identifies what decides the claims: the lexicon, the model
// and the text stage's revision. A document extracted under another
// fingerprint is extracted again.
func (e *Extractor) Fingerprint() string {
	if e.model == nil {
		return e.lex.Fingerprint() + "/rules/" + textRevision
	}
	return e.lex.Fingerprint() + "/" + e.model.Fingerprint() + "/" + textRevision
}

// Claims finds the claims of an article's sentences (as Splitter.Split
// returns them) with the model, or with the rules alone when there is none.
// They carry offsets and classification but no document metadata.
func (e *Extractor) Claims(a Article, sents []Sentence) []Claim {
	if e.model != nil {
		return e.model.Claims(e.lex, e.tagger, a, sents)
	}
	return e.lex.Claims(a, sents)
}

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
	// BadPublished is a publication date that was given but not understood:
	// the document's own (corpus.Document.BadPublished), else, when the
	// document ends up with no date, the page's (Article.BadPublished).
	// The document is extracted all the same; "" when there is none.
	BadPublished string
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
		Article: art,
		Title:   cmp.Or(doc.Title, art.Title),
		Outlet:  cmp.Or(doc.Outlet, art.Outlet),
		URL:     cmp.Or(doc.URL, art.CanonicalURL),
		// Text dates the article by the document's own date, in the zone
		// the source gave, before the page's; by a capture time last.
		Published: art.Published,
	}
	res.BadPublished = doc.BadPublished
	if doc.Captured && res.Published != "" {
		// A capture time not understood matters only to a page that
		// declares no date of its own.
		res.BadPublished = ""
	}
	if res.BadPublished == "" && res.Published == "" {
		res.BadPublished = art.BadPublished
	}
	if !IsEnglish(art) {
		res.NotEnglish = true
		return res, nil
	}
	res.Sentences = e.split.Split(art)
	res.Claims = e.Claims(art, res.Sentences)
	for k := range res.Claims {
		c := &res.Claims[k]
		c.DocID, c.Source, c.URL, c.Title, c.Outlet, c.Published = doc.ID, doc.Source, res.URL, res.Title, res.Outlet, res.Published
		c.Speaker = e.lex.speakerOn(c.Speaker, res.Published)
		c.Long = longReason(art, res.Sentences, c)
	}
	return res, nil
}

// longReason says why a claim's sentence is longer than
// claim.LongSentence: a whole list item, or text the splitter found no
// boundary in. It is "" for a shorter sentence.
func longReason(a Article, sents []Sentence, c *Claim) string {
	if len(c.Sentence) <= claim.LongSentence {
		return ""
	}
	for _, s := range sents {
		if s.Start == c.Start && s.Block >= 0 && s.Block < len(a.Blocks) && a.Blocks[s.Block].Kind == ListItem {
			return claim.LongListItem
		}
	}
	return claim.LongNoBoundary
}
