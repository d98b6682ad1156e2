package extract

import "redline/claim"

// Claim is the claim record this package produces. It is an alias: the type
// lives in package claim so that packages which only store or read claims
// (such as index) need not import the extractor.
type Claim = claim.Claim

// Kind values of a claim, as aliases of the claim package's constants.
const (
	KindDemand  = claim.Demand  // see claim.Demand
	KindRedLine = claim.RedLine // see claim.RedLine
	KindOffer   = claim.Offer   // see claim.Offer
)

// Attribution values: how the claimant was found. Aliases of the claim
// package's constants.
const (
	BySubject = claim.BySubject // named in the sentence as the holder of the position
	ByPronoun = claim.ByPronoun // a pronoun or short reference resolved from context
	ByHeading = claim.ByHeading // the section heading names the party
	ByList    = claim.ByList    // a list lead-in names the party
	BySpeaker = claim.BySpeaker // a person or office the lexicon maps to the party
)
