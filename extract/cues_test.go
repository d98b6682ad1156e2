package extract

// Table tests of the cue rules (cues.go): negation and chains. The helpers
// are in claims_test.go.

import (
	"testing"
)

// Negation turns offers into red lines and red lines into offers; a negated
// demand states nothing; cues in a chain combine.
func TestClaimsNegation(t *testing.T) {
	runTable(t, []claimRow{
		{name: "not willing to give up", blocks: text("Ukraine is not willing to give up any of its territory."),
			want: []want{{party: "ukraine", kind: red, topics: tp("territory"), attr: BySubject}}},
		{name: "will never accept", blocks: text("Moscow will never accept NATO membership for its neighbour."),
			want: []want{{party: "russia", kind: red, topics: tp("nato"), attr: BySubject}}},
		{name: "has not demanded", blocks: text("Kyiv has not demanded the return of Crimea as a precondition."), want: nil},
		{name: "did not demand", blocks: text("Ukraine did not demand sanctions relief for Belarus."), want: nil},
		{name: "refused to rule out", blocks: text("The Kremlin refused to rule out a meeting with Zelensky."),
			want: []want{{party: "russia", kind: off, topics: tp("negotiations"), attr: BySubject}}},
		{name: "insists on no", blocks: text("Kyiv insists on no territorial concessions."),
			want: []want{{party: "ukraine", kind: red, topics: tp("territory"), attr: BySubject}}},
		{name: "did not rule out", blocks: text("Lavrov did not rule out a prisoner swap before the summer."),
			want: []want{{party: "russia", kind: off, topics: tp("humanitarian"), attr: BySpeaker, speaker: "Sergei Lavrov"}}},
		{name: "would not recognize", blocks: text("Zelensky said Ukraine would not recognize Russian sovereignty over Crimea."),
			want: []want{{party: "ukraine", kind: red, topics: tp("territory", "crimea"), attr: BySubject, speaker: "Volodymyr Zelenskyy"}}},
		{name: "refuses to accept", blocks: text("Russia refuses to accept Western troops on Ukrainian soil."),
			want: []want{{party: "russia", kind: red, topics: tp("foreign_troops"), attr: BySubject}}},
		{name: "ready to discuss", blocks: text("Ukraine is ready to discuss neutral status."),
			want: []want{{party: "ukraine", kind: off, topics: tp("neutrality"), attr: BySubject}}},
		{name: "cannot accept", blocks: text("Ukraine cannot accept a ceasefire that freezes the front line."),
			want: []want{{party: "ukraine", kind: red, topics: tp("ceasefire"), attr: BySubject}}},
		{name: "won't give up", blocks: text("Putin won't give up the Donbas."),
			want: []want{{party: "russia", kind: red, topics: tp("donbas"), attr: BySpeaker, speaker: "Vladimir Putin"}}},
		{name: "unwilling to halt", blocks: text("Moscow is unwilling to halt its strikes on energy infrastructure."),
			want: []want{{party: "russia", kind: red, topics: tp("energy"), attr: BySubject}}},
	})
}
