package extract

// Table tests of the condition, hedge and clause rules (conditions.go).
// The helpers are in claims_test.go.

import (
	"testing"
)

// A passive cue without an agent names the addressee, not the holder.
func TestClaimsAgentlessPassive(t *testing.T) {
	runTable(t, []claimRow{
		{name: "was asked to", blocks: text("Ukraine was asked to withdraw from the Donetsk region."), want: nil},
		{name: "was asked for", blocks: text("Ukraine was asked for a list of prisoners."), want: nil},
		{name: "would be offered", blocks: text("Russia would be offered partial sanctions relief."), want: nil},
		{name: "was rejected", blocks: text("The ceasefire proposal was rejected."), want: nil},
		{name: "has been urged to", blocks: text("Kyiv has been urged to hold elections this year."), want: nil},
		{name: "has been offered", blocks: text("Russia has been offered sanctions relief in exchange for a truce."), want: nil},
	})
}

// A noun cue that needs a holder and has none states no position.
func TestClaimsNounWithoutHolder(t *testing.T) {
	runTable(t, []claimRow{
		{name: "a goal enshrined", blocks: text("A goal enshrined in the constitution is membership of NATO."), want: nil},
		{name: "create conditions", blocks: text("Mediators are trying to create conditions for talks on a ceasefire."), want: nil},
		{name: "some of the demands", blocks: text("Some of the demands concern the status of Crimea."), want: nil},
		{name: "conditions for", blocks: text("Conditions for a prisoner exchange were discussed in Istanbul."), want: nil},
		{name: "the priority is", blocks: text("The priority is to restore electricity to frontline cities."), want: nil},
	})
}

// A cue inside a conditional clause is no position of its subject; the
// condition of a position is reported with it.
func TestClaimsCondition(t *testing.T) {
	runTable(t, []claimRow{
		{name: "if-clause first", blocks: text("If Moscow keeps refusing a truce, Kyiv will ask for more air defence."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("arms_supply"), attr: BySubject, cond: "If Moscow keeps refusing a truce"}}},
		{name: "if-clause first, no claim of its subject", blocks: text("If Moscow keeps refusing a truce, Kyiv will ask for more air defence."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("arms_supply"), attr: BySubject, cond: "?"}}},
		{name: "if-clause last", blocks: text("Kyiv will ask for more air defence if the attacks on cities continue."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("arms_supply"), attr: BySubject, cond: "if the attacks on cities continue"}}},
		{name: "would forgo if", blocks: text("Kyiv would forgo membership of NATO if it received binding security guarantees."),
			want: []want{{party: "ukraine", kind: off, topics: tp("nato", "security_guarantees"), attr: BySubject, cond: "if it received binding security guarantees"}}},
		{name: "willing to give up if", blocks: text("Ukraine is willing to give up its NATO ambitions if it obtains security guarantees."),
			want: []want{{party: "ukraine", kind: off, topics: tp("nato", "security_guarantees"), attr: BySubject, cond: "if it obtains security guarantees"}}},
		{name: "provided that", blocks: text("Russia would halt strikes on power plants provided that Ukraine did the same."),
			want: []want{{party: "russia", kind: off, topics: tp("energy"), attr: BySubject, cond: "provided that Ukraine did the same"}}},
		{name: "once", blocks: text("Ukraine is prepared to hold a referendum on a peace deal once the shelling stops."),
			want: []want{{party: "ukraine", kind: off, topics: tp("negotiations"), attr: BySubject, cond: "once the shelling stops"}}},
		{name: "unless-clause first", blocks: text("Unless Kyiv withdraws from Donetsk, Russia will not agree to a ceasefire."),
			want: []want{{party: "russia", kind: red, topics: tp("ceasefire"), attr: BySubject, cond: "Unless Kyiv withdraws from Donetsk"}}},
	})
}

// Hedges mark positions that observers infer.
func TestClaimsHedge(t *testing.T) {
	runTable(t, []claimRow{
		{name: "is believed to", blocks: text("Putin is believed to want control of all of Donetsk."),
			want: []want{{party: "russia", kind: dem, topics: tp("donbas"), attr: BySpeaker, speaker: "Vladimir Putin", hedged: true}}},
		{name: "analysts say", blocks: text("Analysts say Moscow is seeking new elections in Ukraine."),
			want: []want{{party: "russia", kind: dem, topics: tp("government"), attr: BySubject, hedged: true, target: "ukraine"}}},
		{name: "observers say", blocks: text("Observers say the Kremlin wants a neutral Ukraine."),
			want: []want{{party: "russia", kind: dem, topics: tp("neutrality"), attr: BySubject, hedged: true}}},
		{name: "reportedly", blocks: text("Washington reportedly proposed freezing the conflict along the current line of contact."),
			want: []want{{party: "united_states", kind: dem, topics: tp("territory"), attr: BySubject, hedged: true}}},
		{name: "not hedged", blocks: text("Washington proposed freezing the conflict along the current line of contact."),
			want: []want{{party: "united_states", kind: dem, topics: tp("territory"), attr: BySubject}}},
		{name: "is seen as wanting", blocks: text("Russia is seen as wanting a land corridor to Crimea."),
			want: []want{{party: "russia", kind: dem, topics: tp("territory", "crimea"), attr: BySubject, hedged: true}}},
	})
}
