package extract

// Kind values of a claim, as the spec names them.
const (
	KindDemand  = "demand"
	KindRedLine = "red_line"
	KindOffer   = "offer"
)

// Attribution values: how the claimant was found.
const (
	BySubject = "subject" // named in the sentence as the holder of the position
	ByPronoun = "pronoun" // a pronoun or short reference resolved from context
	ByHeading = "heading" // the section heading names the party
	ByList    = "list"    // a list lead-in names the party
	BySpeaker = "speaker" // a person or office the lexicon maps to the party
)

// Claim is one position a party holds, as one sentence of one document states
// it: the unit that is indexed, searched and exported. Its JSON form is the
// export row (see the README). Start and End are byte offsets of Sentence in
// the document's Article.Text, so every claim can be traced to its evidence.
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
	Kind      string   `json:"kind"`    // KindDemand, KindRedLine or KindOffer
	Topics    []string `json:"topics"`  // taxonomy ids, at least one, sorted
	Target    string   `json:"target"`  // party addressed, or ""
	Hedged    bool     `json:"hedged"`
	Condition string   `json:"condition"`

	Cue         string  `json:"cue"`         // the cue phrase as it appears in the sentence
	Attribution string  `json:"attribution"` // BySubject, ByPronoun, ByHeading, ByList or BySpeaker
	Confidence  float64 `json:"confidence"`  // in [0, 1]
}
