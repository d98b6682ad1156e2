package extract

// Claim rules: confidence. The score a claim carries, in bands by how its
// holder was found, lowered for a weak cue or a hedge.

// confidence scores how far a claim can be trusted, from how its claimant
// was found and how firm its cue is. The bands are calibrated on the seed
// gold: claims at or above 0.8 are the ones `eval` expects to be right nine
// times in ten.
func confidence(attribution string, weak, hedged, near bool) float64 {
	c := 0.0
	switch attribution {
	case BySubject, BySpeaker:
		c = 0.9
	case ByList:
		c = 0.8
	case ByPronoun:
		c = 0.75
		if near {
			c = 0.85
		}
	case ByHeading:
		c = 0.6
	}
	if weak {
		c -= 0.15
	}
	if hedged {
		c -= 0.2
	}
	return max(0, min(1, c))
}
