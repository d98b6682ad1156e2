// Package claim defines Claim, the record of one position a party holds, and
// the values of its Kind and Attribution fields.
//
// It is its own package because Claim is the contract shared by extraction
// (which produces claims), the index (which stores and searches them), export
// (whose JSON rows are claims) and evaluation (which scores them against gold
// claims). It is a leaf: it imports nothing from redline and nothing outside
// the standard library, so a program that only reads an index never loads the
// HTML extractor and its dependencies.
package claim

// Kind values: what sort of position a claim states. Claim.Kind holds exactly
// one of them.
const (
	// Demand is something the party asks of another party or requires for a
	// settlement ("Russia demands ...").
	Demand = "demand"
	// RedLine is something the party says it will never accept or give up
	// ("... is a red line for Kyiv").
	RedLine = "red_line"
	// Offer is something the party proposes or is willing to concede
	// ("Kyiv could offer a ceasefire ...").
	Offer = "offer"
)

// Attribution values: how the claimant was found. Claim.Attribution holds
// exactly one of them.
const (
	// BySubject: the party is named in the sentence as the holder of the
	// position.
	BySubject = "subject"
	// ByPronoun: a pronoun or short reference in the sentence was resolved to
	// the party from the preceding context.
	ByPronoun = "pronoun"
	// ByHeading: the heading of the section the sentence is in names the
	// party.
	ByHeading = "heading"
	// ByList: the sentence is a list item and the list's lead-in names the
	// party.
	ByList = "list"
	// BySpeaker: the sentence names a person or office that the lexicon maps
	// to the party.
	BySpeaker = "speaker"
)

// Claim is one position a party holds, as one sentence of one document states
// it: the unit that is indexed, searched and exported. Its JSON form is the
// export row (see the README); the field names and JSON tags are a stable
// format that existing indexes and export files depend on. Start and End are
// byte offsets of Sentence in the document's extracted text, so every claim
// can be traced to its evidence.
type Claim struct {
	DocID     string `json:"doc_id"`
	Source    string `json:"source"`
	URL       string `json:"url"`
	Title     string `json:"title"`
	Outlet    string `json:"outlet"`
	Published string `json:"published"` // "2006-01-02", or "" when unknown
	Sentence  string `json:"sentence"`
	Start     int    `json:"start"`
	End       int    `json:"end"`

	Party     string   `json:"party"`   // canonical party id ("russia")
	Speaker   string   `json:"speaker"` // person or office named as the source, or ""
	Kind      string   `json:"kind"`    // Demand, RedLine or Offer
	Topics    []string `json:"topics"`  // taxonomy ids, at least one, sorted
	Target    string   `json:"target"`  // party addressed, or ""
	Hedged    bool     `json:"hedged"`
	Condition string   `json:"condition"`

	// Cue is the cue phrase as it appears in the sentence; for a claim
	// attributed by list (ByList) it is the cue of the list's lead-in,
	// which stands before the sentence in the document; "" when the claim
	// model found the position without a cue of the lexicon.
	Cue         string  `json:"cue"`
	Attribution string  `json:"attribution"` // BySubject, ByPronoun, ByHeading, ByList or BySpeaker
	Confidence  float64 `json:"confidence"`  // in [0, 1]

	// Cluster is the near-duplicate cluster of the claim's article: the
	// DocID of the first article the index holds of a set of copies of one
	// story, so that claims of one cluster count as one independent
	// source. The index sets it; extraction leaves it "".
	Cluster string `json:"cluster"`

	// Long says why Sentence is longer than LongSentence bytes, and is ""
	// for every shorter one: LongListItem or LongNoBoundary.
	Long string `json:"long,omitempty"`
}

// LongSentence is the length in bytes above which a claim's sentence is
// out of the ordinary: a claim whose sentence is longer says why in
// Claim.Long.
const LongSentence = 600

// Claim.Long values.
const (
	// LongListItem: the sentence is a whole list item, which is never
	// split (a bullet states one position).
	LongListItem = "list item"
	// LongNoBoundary: the sentence splitter found no sentence boundary in
	// it.
	LongNoBoundary = "no boundary"
)
