package extract

// BlockKind classifies a block of an article's text.
type BlockKind uint8

// The block kinds, from the text stage. Only Paragraph, ListItem and Quote
// blocks are searched for claims; Heading blocks set the context for what
// follows them; Caption and Boilerplate blocks are kept only so that offsets
// stay honest.
const (
	Paragraph   BlockKind = iota // running prose
	Heading                      // a headline or section heading
	ListItem                     // one bullet or numbered item, marker excluded
	Quote                        // a blockquote or a paragraph that is one quotation
	Caption                      // a photo caption or credit line
	Boilerplate                  // navigation, copyright, "Contact Us", share links
)

var blockKindNames = [...]string{"paragraph", "heading", "list_item", "quote", "caption", "boilerplate"}

// String returns the kind's lower-case name ("list_item").
func (k BlockKind) String() string {
	if int(k) < len(blockKindNames) {
		return blockKindNames[k]
	}
	return "unknown"
}

// Block is a run of an article's text with one role. Start and End are byte
// offsets into Article.Text, with Text == Article.Text[Start:End]; a list
// item's marker ("•", "-", "1.") lies outside [Start, End).
type Block struct {
	Kind  BlockKind
	Start int
	End   int
	Text  string
}

// Article is a document's text as the extractor reads it: the plain text and
// its blocks in reading order. For plain-text documents Text is the document's
// own text; for HTML it is the main text rebuilt from the page, blocks joined
// by blank lines. Offsets in Block, Sentence and Claim all refer to Text.
type Article struct {
	Text   string
	Blocks []Block
	// Title and Published (RFC 3339 date "2006-01-02", or "") are filled from
	// HTML metadata when the document did not carry them; Published falls
	// back to a date in the page's address (/2022/03/15/).
	Title     string
	Published string
	// BadPublished is a publication date the page declared (a date meta
	// tag, JSON-LD datePublished, <time datetime>) that could not be
	// understood, the first such value, when no date was found at all:
	// Published is then "". It is "" otherwise.
	BadPublished string
	// Lang is the page's declared language ("en"), or "" when unknown; see
	// IsEnglish for a check that also reads the text.
	Lang string
	// Author is the byline's names ("Jane Doe, John Roe"), or "".
	Author string
	// Outlet is the publisher's name: the document's own, else the page's
	// og:site_name or JSON-LD publisher, else the host of its address
	// ("example.com"); "" when none is known.
	Outlet string
	// CanonicalURL is the page's canonical address (link rel=canonical, else
	// og:url), absolute, or "".
	CanonicalURL string
	// Truncated is set when only the beginning of an HTML page was read:
	// its work is bounded (about the first 100,000 nodes and 1 MiB of
	// text), so on a larger page Text and Blocks may miss the end of the
	// article.
	Truncated bool
}

// Sentence is one sentence of an article, or one whole list item. Start and
// End are byte offsets into Article.Text, Text == Article.Text[Start:End]
// with surrounding white space trimmed; Block is the index of its block in
// Article.Blocks. A sentence never spans two blocks.
type Sentence struct {
	Start int
	End   int
	Text  string
	Block int
}
