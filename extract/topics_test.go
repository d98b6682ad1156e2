package extract

// Table tests of the topic rules (topics.go). The helpers are in
// claims_test.go.

import (
	"testing"
)

// Topics: the longest phrase wins; each claim of a sentence takes the
// topics of its own stretch; weak topics count only alone.
func TestClaimsTopics(t *testing.T) {
	runTable(t, []claimRow{
		{name: "nuclear plant is energy", blocks: text("Ukraine demands the return of the Zaporizhzhia nuclear plant."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("energy"), attr: BySubject}}},
		{name: "region is kherson_zaporizhzhia", blocks: text("Russia insists on keeping the Zaporizhzhia region."),
			want: []want{{party: "russia", kind: red, topics: tp("kherson_zaporizhzhia"), attr: BySubject}}},
		{name: "each claim its own stretch", blocks: text("Russia demands recognition of Crimea, while Ukraine wants compensation for the damage."),
			want: []want{
				{party: "russia", kind: dem, topics: tp("crimea"), attr: BySubject},
				{party: "ukraine", kind: dem, topics: tp("compensation"), attr: BySubject},
			}},
		{name: "four regions", blocks: text("Moscow wants the four regions recognised as Russian."),
			want: []want{{party: "russia", kind: dem, topics: tp("territory", "donbas", "kherson_zaporizhzhia"), attr: BySubject}}},
		{name: "weak topic alone", blocks: text("Kyiv wants a peace deal this year."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("negotiations"), attr: BySubject}}},
		{name: "strong topic over weak", blocks: text("Kyiv wants a peace deal with security guarantees."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("security_guarantees"), attr: BySubject}}},
		{name: "party as topic", blocks: text("Washington backs Ukraine's bid for NATO membership."),
			want: []want{{party: "united_states", kind: dem, topics: tp("nato"), attr: BySubject, target: "ukraine"}}},
		{name: "no topic, no claim", blocks: text("Russia demands an apology."), want: nil},
		{name: "EU membership", blocks: text("Kyiv is pushing for EU membership by 2030."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("eu_membership"), attr: BySubject}}},
	})
}
