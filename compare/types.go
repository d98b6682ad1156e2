package compare

import (
	"time"

	"redline/claim"
)

// Evidence is one claim a finding rests on, with what is needed to cite it.
type Evidence struct {
	ID         string  `json:"id"`            // the claim's id in the index (index.ClaimID)
	Party      string  `json:"party"`         // the claim's party id
	Kind       string  `json:"kind"`          // demand, red_line or offer
	Sentence   string  `json:"sentence"`      // the sentence, as extracted
	Outlet     string  `json:"outlet"`        // "" when unknown
	Published  string  `json:"published"`     // "2006-01-02" or ""
	DocID      string  `json:"doc_id"`        // the article
	URL        string  `json:"url,omitempty"` // the article's address, when known
	Cluster    string  `json:"cluster"`       // the article's cluster (independent source)
	Confidence float64 `json:"confidence"`    // the claim's confidence
}

// Position is what one party holds on one topic as one kind of claim,
// counted honestly: Sources is the number of independent sources (distinct
// near-duplicate clusters), which a syndicated copy does not increase.
type Position struct {
	Party    string `json:"party"`    // party id
	Topic    string `json:"topic"`    // topic id
	Kind     string `json:"kind"`     // demand, red_line or offer
	Sources  int    `json:"sources"`  // distinct clusters
	Outlets  int    `json:"outlets"`  // distinct known outlets
	Articles int    `json:"articles"` // distinct articles
	Claims   int    `json:"claims"`   // claims
	First    string `json:"first"`    // earliest published date, "" if none is dated
	Last     string `json:"last"`     // latest published date, "" if none is dated
	// Evidence holds the highest-confidence claims, one per cluster (at
	// most Query.Evidence).
	Evidence []Evidence `json:"evidence"`
	// Targets are the other parties that claims of the position address
	// (claim.Claim.Target), by party id.
	Targets []Target `json:"targets,omitempty"`
}

// Target is a party that claims of a position address
// (claim.Claim.Target): two parties' positions meet only when one
// addresses the other.
type Target struct {
	Party   string `json:"party"`    // the party addressed
	Sources int    `json:"sources"`  // independent sources of the claims addressing it
	ClaimID string `json:"claim_id"` // the highest-confidence claim addressing it
}

// KindCount is one kind of a party's stance on a topic.
type KindCount struct {
	Kind    string `json:"kind"`    // demand, red_line or offer
	Sources int    `json:"sources"` // independent sources
	Claims  int    `json:"claims"`  // claims
}

// Stance is one party's positions on one topic, side by side.
type Stance struct {
	Party string      `json:"party"` // party id
	Kinds []KindCount `json:"kinds"` // in the order of Kinds, only those held
}

// Relation is one meeting of two parties' positions on a topic: A's AKind
// meets B's BKind, and a claim of one of them addresses the other party.
// Verdict says what the meeting is: VerdictStandoff (A demands, B holds a
// red line), VerdictMovement (A demands, B offers) or VerdictConvergence
// (both offer).
type Relation struct {
	Verdict  string `json:"verdict"`   // VerdictStandoff, VerdictMovement or VerdictConvergence
	A        string `json:"a"`         // one party
	AKind    string `json:"a_kind"`    // its kind of claim
	ASources int    `json:"a_sources"` // independent sources of A's position
	B        string `json:"b"`         // the other party
	BKind    string `json:"b_kind"`    // its kind of claim
	BSources int    `json:"b_sources"` // independent sources of B's position
	// Thin: a side rests on fewer than Query.MinSources independent
	// sources, so the meeting does not decide a verdict by itself.
	Thin bool `json:"thin,omitempty"`
	// ClaimIDs are the claims that ground the meeting: the claims that
	// address the other party (A's first), then the evidence of both
	// positions (one claim per cluster, A's first).
	ClaimIDs []string `json:"claim_ids"`
	// Evidence is A's best claim, then B's.
	Evidence []Evidence `json:"evidence"`
}

// Pair is the verdict between two parties on one topic, from what their
// positions say (see the Verdict* constants).
type Pair struct {
	// A and B are the parties: A < B when both hold positions on the
	// topic; for VerdictOneSided (and a thin one-sided pair) A is the party
	// that addresses B, which holds none.
	A       string `json:"a"`
	B       string `json:"b"`
	Verdict string `json:"verdict"` // a Verdict* value
	// Relations are the meetings the verdict rests on: those of the
	// verdict's kind, or the thin ones for VerdictThin; none for a
	// one-sided pair.
	Relations []Relation `json:"relations"`
	// ClaimIDs are the claims the verdict rests on, each once: those of
	// Relations, or A's claims addressing B and A's evidence.
	ClaimIDs []string `json:"claim_ids"`
}

// TopicMap is one row of the convergence map: every party's stance on the
// topic, the verdict of each pair of parties whose positions meet, and the
// topic's verdict (see Verdict) with the claims that ground it.
type TopicMap struct {
	Topic   string   `json:"topic"`   // topic id
	Stances []Stance `json:"stances"` // by party id
	Verdict string   `json:"verdict"` // a Verdict* value
	// ClaimIDs are the claims that ground Verdict: those of the pairs
	// with the topic's verdict, or of the one party's positions for
	// VerdictOneSided; none for VerdictOpen.
	ClaimIDs []string `json:"claim_ids"`
	// Relations are all the meetings of two parties' positions on the
	// topic, the established ones first (standoffs, movements,
	// convergences), then the thin ones.
	Relations []Relation `json:"relations"`
	// Pairs are the pairs of parties whose positions meet, strongest
	// verdict first, then by party.
	Pairs []Pair `json:"pairs"`
}

// Tally counts one kind in one period.
type Tally struct {
	Sources int `json:"sources"` // independent sources
	Claims  int `json:"claims"`  // claims
}

// Point is one period of a Series: the kinds reported then.
type Point struct {
	Period  string `json:"period"`   // "2025-03", "2025-W11" or "2025-Q1"
	Demand  Tally  `json:"demand"`   // demands reported in the period
	RedLine Tally  `json:"red_line"` // red lines reported in the period
	Offer   Tally  `json:"offer"`    // offers reported in the period
	// Dominant is the kind with the most independent sources (ties broken
	// by claims), or "" when two kinds tie on both.
	Dominant string `json:"dominant"`
}

// Tally returns the point's tally of kind.
func (p Point) Tally(kind string) Tally {
	switch kind {
	case claim.Demand:
		return p.Demand
	case claim.RedLine:
		return p.RedLine
	case claim.Offer:
		return p.Offer
	}
	return Tally{}
}

// Series is the timeline of one party on one topic.
type Series struct {
	Party  string  `json:"party"`  // party id
	Topic  string  `json:"topic"`  // topic id
	Claims int     `json:"claims"` // dated claims in all
	Points []Point `json:"points"` // the periods with dated claims, in order
}

// Shift is a change of a party's dominant kind on a topic between two
// periods with a dominant kind (periods between them had none, or no
// claims).
type Shift struct {
	Party      string   `json:"party"`       // party id
	Topic      string   `json:"topic"`       // topic id
	From       string   `json:"from"`        // the dominant kind before
	To         string   `json:"to"`          // the dominant kind after
	FromPeriod string   `json:"from_period"` // the last period of From
	Period     string   `json:"period"`      // the first period of To
	Evidence   Evidence `json:"evidence"`    // the first claim of To in Period
}

// Side is one kind reported in a Disagreement and the outlets that report
// it.
type Side struct {
	Kind     string     `json:"kind"`     // demand, red_line or offer
	Outlets  []string   `json:"outlets"`  // sorted
	Evidence []Evidence `json:"evidence"` // the highest-confidence claim of them
}

// Disagreement is a party's position on a topic in one period that outlets
// report as different kinds: some outlet reports a kind another does not,
// and the other reports a kind the first does not ("demand" at one,
// "red_line" or "offer" at another). Claims without an outlet take no part.
type Disagreement struct {
	Party  string `json:"party"`  // party id
	Topic  string `json:"topic"`  // topic id
	Period string `json:"period"` // the period
	Sides  []Side `json:"sides"`  // in the order of Kinds
}

// Comparison is what Run finds. Its lists are empty, never nil, when
// nothing was found: JSON carries them as [].
type Comparison struct {
	By      string `json:"by"`      // the timeline period: month, week or quarter
	Claims  int    `json:"claims"`  // claims aggregated
	Undated int    `json:"undated"` // of them without a date: in positions, not in the timeline
	// MinConfidence is the confidence bound the claims were selected with
	// (Query.MinConfidence; 0 = none).
	MinConfidence float64 `json:"min_confidence"`
	// MinSources is the fewest independent sources each side of a verdict
	// needed (Query.MinSources).
	MinSources int `json:"min_sources"`
	// Periods is every period from the first dated claim to the last, in
	// order, so timelines can be drawn on one axis.
	Periods       []string       `json:"periods"`
	Positions     []Position     `json:"positions"`     // by topic, party, kind
	Map           []TopicMap     `json:"map"`           // by topic
	Timeline      []Series       `json:"timeline"`      // by party, topic
	Shifts        []Shift        `json:"shifts"`        // by party, topic, period
	Disagreements []Disagreement `json:"disagreements"` // by party, topic, period
	Took          time.Duration  `json:"-"`             // time Run took
}
