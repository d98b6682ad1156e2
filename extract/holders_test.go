package extract

// Table tests of the holder rules (holders.go): subjects, objects,
// passive agents, possessives, pronouns, section headings, list lead-ins
// and quote speakers. The helpers are in claims_test.go.

import (
	"slices"
	"testing"
)

// Subject before the cue: a state, a capital, an office, a person with a
// title, a demonym with a role noun, a party's possessive with a role.
func TestClaimsSubject(t *testing.T) {
	runTable(t, []claimRow{
		{name: "state", blocks: text("Russia demands that Ukraine abandon its bid to join NATO."),
			want: []want{{party: "russia", kind: dem, topics: tp("nato"), attr: BySubject, target: "ukraine"}}},
		{name: "capital", blocks: text("Moscow wants sanctions relief before any ceasefire talks begin."),
			want: []want{{party: "russia", kind: dem, topics: tp("sanctions", "ceasefire"), attr: BySubject}}},
		{name: "capital red line", blocks: text("Kyiv rejects any plan that would freeze the front line."),
			want: []want{{party: "ukraine", kind: red, topics: tp("territory"), attr: BySubject}}},
		{name: "office", blocks: text("The Kremlin insists that Ukraine must stay out of any military alliance."),
			want: []want{{party: "russia", kind: dem, topics: tp("nato"), attr: BySubject, target: "ukraine"}}},
		{name: "office White House", blocks: text("The White House has proposed a thirty-day truce in the air and at sea."),
			want: []want{{party: "united_states", kind: dem, topics: tp("ceasefire"), attr: BySubject}}},
		{name: "office Downing Street", blocks: text("Downing Street is ready to send troops to a reassurance force."),
			want: []want{{party: "united_kingdom", kind: off, topics: tp("foreign_troops"), attr: BySubject}}},
		{name: "person with title", blocks: text("Foreign Minister Sergei Lavrov rejected the deployment of European peacekeepers."),
			want: []want{{party: "russia", kind: red, topics: tp("foreign_troops"), attr: BySpeaker, speaker: "Sergei Lavrov"}}},
		{name: "president", blocks: text("President Zelensky called for new sanctions on Russian oil exports."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("sanctions"), attr: BySpeaker, speaker: "Volodymyr Zelenskyy"}}},
		{name: "demonym and role", blocks: text("Russian negotiators demanded limits on the size of Ukraine's army."),
			want: []want{{party: "russia", kind: dem, topics: tp("demilitarization"), attr: BySubject, target: "ukraine"}}},
		{name: "demonym, adjective and role", blocks: text("A senior Ukrainian official said the government wants prisoners of war home by winter."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("humanitarian"), attr: BySubject}}},
		{name: "possessive role and name", blocks: text("Ukraine's foreign minister Andrii Sybiha urged allies to deliver more air defence systems."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("arms_supply"), attr: BySpeaker, speaker: "Andrii Sybiha"}}},
		{name: "full name of a mediator", blocks: text("Recep Tayyip Erdogan offered to host another round of talks in Istanbul."),
			want: []want{{party: "turkey", kind: off, topics: tp("negotiations"), attr: BySpeaker, speaker: "Recep Tayyip Erdogan"}}},
		{name: "state with perfect tense", blocks: text("China has called for an immediate cessation of hostilities."),
			want: []want{{party: "china", kind: dem, topics: tp("ceasefire"), attr: BySubject}}},
		{name: "coordinated subjects", blocks: text("Russia and Belarus oppose the stationing of NATO troops in Poland."),
			want: []want{
				{party: "russia", kind: red, topics: tp("foreign_troops"), attr: BySubject},
				{party: "belarus", kind: red, topics: tp("foreign_troops"), attr: BySubject},
			}},
		{name: "state subject, person source", blocks: text("Yermak said Kyiv is open to a meeting between the two presidents."),
			want: []want{{party: "ukraine", kind: off, topics: tp("negotiations"), attr: BySubject, speaker: "Andriy Yermak"}}},
		{name: "role noun of a plan", blocks: text("Beijing's peace plan calls for a ceasefire along current positions."),
			want: []want{{party: "china", kind: dem, topics: tp("ceasefire"), attr: BySubject}}},
		{name: "target after the cue", blocks: text("Moscow demanded that Kyiv pull its troops out of Donetsk."),
			want: []want{{party: "russia", kind: dem, topics: tp("withdrawal", "donbas"), attr: BySubject, target: "ukraine"}}},
		{name: "US initialism", blocks: text("The U.S. backs Ukraine's bid for NATO membership."),
			want: []want{{party: "united_states", kind: dem, topics: tp("nato"), attr: BySubject, target: "ukraine"}}},
		// Without the article's date an office is its title (the extractor names the holder by date).
		{name: "demonym role alias of a person", blocks: text("The Ukrainian leader has ruled out elections while martial law is in force."),
			want: []want{{party: "ukraine", kind: red, topics: tp("government"), attr: BySpeaker, speaker: "Ukrainian President"}}},
		{name: "person reports the state's offer", blocks: text("Medinsky said Russia was prepared to return some prisoners of war."),
			want: []want{{party: "russia", kind: off, topics: tp("humanitarian"), attr: BySubject, speaker: "Vladimir Medinsky"}}},
		{name: "coordinated subjects with an article", blocks: text("Turkey and the UN want the grain corridor reopened."),
			want: []want{
				{party: "turkey", kind: dem, topics: tp("black_sea"), attr: BySubject},
				{party: "united_nations", kind: dem, topics: tp("black_sea"), attr: BySubject},
			}},
	})
}

// A party after a verb or a preposition is an object, not the holder.
func TestClaimsObject(t *testing.T) {
	runTable(t, []claimRow{
		{name: "meet X until", blocks: text("The Kremlin would not meet Zelensky until Kyiv accepted the new borders."),
			want: []want{{party: "russia", kind: red, topics: tp("negotiations", "territory"), attr: BySubject}}},
		{name: "travel to X and Y to press for", blocks: text("Erdogan is travelling to Kyiv and Moscow to press for a Black Sea ceasefire."),
			want: []want{{party: "turkey", kind: dem, topics: tp("black_sea", "ceasefire"), attr: BySpeaker, speaker: "Recep Tayyip Erdogan"}}},
		{name: "envoys sent to X", blocks: text("Washington sent two envoys to Moscow to demand an end to strikes on power plants."),
			want: []want{{party: "united_states", kind: dem, topics: tp("energy"), attr: BySubject}}},
		{name: "unnamed subject pressing a party", blocks: text("Western capitals pressed Kyiv to accept a compromise over Donbas."),
			want: nil},
		{name: "he with an object person", blocks: text("Zelensky said he would not meet Putin before a full ceasefire."),
			want: []want{{party: "ukraine", kind: red, topics: tp("negotiations", "ceasefire"), attr: ByPronoun, speaker: "Volodymyr Zelenskyy"}}},
		{name: "party in a prepositional phrase", blocks: text("Negotiators from Ankara urged Moscow to extend the grain deal."),
			want: []want{{party: "turkey", kind: dem, topics: tp("black_sea"), attr: BySubject, target: "russia"}}, known: true},
	})
}

// An obligation one party states of another ("X told Y that Z must…") is
// the demand of the party that states it, addressed to the other; of its
// own party, that party's.
func TestClaimsReportedObligation(t *testing.T) {
	runTable(t, []claimRow{
		{name: "told X that Y must", blocks: text("Macron told Putin by phone that Russia must pull its troops out of Ukraine."),
			want: []want{{party: "france", kind: dem, topics: tp("withdrawal"), attr: BySpeaker, speaker: "Emmanuel Macron", target: "russia"}}},
		{name: "said Y should", blocks: text("Berlin said Moscow should agree to a thirty-day energy truce."),
			want: []want{{party: "germany", kind: dem, topics: tp("energy"), attr: BySubject, target: "russia"}}},
		{name: "said that Y must, own party", blocks: text("Zelensky said that Ukraine must receive security guarantees first."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("security_guarantees"), attr: BySubject, speaker: "Volodymyr Zelenskyy"}}},
		{name: "a commitment reported is the subject's", blocks: text("Washington said Kyiv would not cede Crimea."),
			want: []want{{party: "ukraine", kind: red, topics: tp("territory", "crimea"), attr: BySubject}}},
	})
}

// A passive cue takes its holder from "by X", before or after it.
func TestClaimsPassiveAgent(t *testing.T) {
	runTable(t, []claimRow{
		{name: "rejected by", blocks: text("The proposal for a neutral Ukraine was rejected by Moscow."),
			want: []want{{party: "russia", kind: red, topics: tp("neutrality"), attr: BySubject}}},
		{name: "rejected outright by", blocks: text("The ceasefire plan was rejected outright by Kyiv."),
			want: []want{{party: "ukraine", kind: red, topics: tp("ceasefire"), attr: BySubject}}},
		{name: "rejected firmly by", blocks: text("The ceasefire plan was rejected firmly by Kyiv."),
			want: []want{{party: "ukraine", kind: red, topics: tp("ceasefire"), attr: BySubject}}},
		{name: "viewed by X as", blocks: text("Any cap on Ukraine's armed forces is viewed by Kyiv as non-negotiable."),
			want: []want{{party: "ukraine", kind: red, topics: tp("demilitarization"), attr: BySubject}}},
		{name: "coordinated agents", blocks: text("A ceasefire without security guarantees was opposed by Kyiv and Brussels."),
			want: []want{
				{party: "ukraine", kind: red, topics: tp("ceasefire", "security_guarantees"), attr: BySubject},
				{party: "european_union", kind: red, topics: tp("ceasefire", "security_guarantees"), attr: BySubject},
			}},
		{name: "coordinated agents Moscow and Washington", blocks: text("A withdrawal to the 1991 borders was rejected by Moscow and Washington."),
			want: []want{
				{party: "russia", kind: red, topics: tp("withdrawal", "territory"), attr: BySubject},
				{party: "united_states", kind: red, topics: tp("withdrawal", "territory"), attr: BySubject},
			}},
		{name: "accepted by an office", blocks: text("The offer of a thirty-day energy truce was accepted by Moscow."),
			want: []want{{party: "russia", kind: off, topics: tp("energy"), attr: BySubject}}},
		{name: "agent with the article in its alias", blocks: text("The offer of a thirty-day energy truce was accepted by the Kremlin."),
			want: []want{{party: "russia", kind: off, topics: tp("energy"), attr: BySubject}}},
		{name: "possessive demand, state agent", blocks: text("Moscow's demand for Kherson was denounced by Kyiv as blackmail."),
			want: []want{
				{party: "russia", kind: dem, topics: tp("kherson_zaporizhzhia"), attr: BySubject},
				{party: "ukraine", kind: red, topics: tp("kherson_zaporizhzhia"), attr: BySubject},
			}},
		{name: "person agent is a speaker", blocks: text("Moscow's demand for Kherson was denounced by Zelensky as blackmail."),
			want: []want{
				{party: "russia", kind: dem, topics: tp("kherson_zaporizhzhia"), attr: BySubject},
				{party: "ukraine", kind: red, topics: tp("kherson_zaporizhzhia"), attr: BySpeaker, speaker: "Volodymyr Zelenskyy"},
			}},
	})
}

// A noun cue takes its holder from a possessive or "of X".
func TestClaimsPossessiveNoun(t *testing.T) {
	runTable(t, []claimRow{
		{name: "city's demand for", blocks: text("Kyiv's demand for the return of deported children went unanswered."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("humanitarian"), attr: BySubject}}},
		{name: "person's conditions include", blocks: text("Putin's conditions include recognition of the annexed regions."),
			want: []want{{party: "russia", kind: dem, topics: tp("territory"), attr: BySpeaker, speaker: "Vladimir Putin"}}},
		{name: "state's insistence", blocks: text("Russia's insistence on a neutral Ukraine has stalled the talks."),
			want: []want{{party: "russia", kind: dem, topics: tp("neutrality"), attr: BySubject}}},
		{name: "refusal to cede", blocks: text("Ukraine's refusal to cede territory remains firm."),
			want: []want{{party: "ukraine", kind: red, topics: tp("territory"), attr: BySubject}}},
		{name: "readiness to lift", blocks: text("The EU's readiness to lift sanctions depends on a lasting ceasefire."),
			want: []want{{party: "european_union", kind: off, topics: tp("sanctions", "ceasefire"), attr: BySubject}}},
		{name: "demands of X", blocks: text("The demands of Moscow include a ban on Western weapons deliveries."),
			want: []want{{party: "russia", kind: dem, topics: tp("arms_supply"), attr: BySubject}}},
		{name: "possessive before a hyphenated modifier", blocks: text("Zelensky repeated that his long-standing priority of NATO membership has not changed."),
			want: []want{{party: "ukraine", kind: dem, topics: tp("nato"), attr: ByPronoun, speaker: "Volodymyr Zelenskyy"}}},
	})
}

// Pronouns resolve from context: "it" to a state or office, "he" to a
// person, "they" to the last party, "we" to a quote's speaker.
func TestClaimsPronoun(t *testing.T) {
	runTable(t, []claimRow{
		{name: "it after a state", blocks: []ct{
			para("Russia has demanded recognition of its annexation of Crimea."),
			para("It also wants Ukraine to cut its army by half."),
		}, want: []want{{party: "russia", kind: dem, topics: tp("demilitarization"), attr: ByPronoun, target: "ukraine"}}},
		{name: "he after a person", blocks: []ct{
			para("Zelensky met European leaders in Brussels on Monday."),
			para("He asked for faster deliveries of air defence systems."),
		}, want: []want{{party: "ukraine", kind: dem, topics: tp("arms_supply"), attr: ByPronoun, speaker: "Volodymyr Zelenskyy"}}},
		{name: "he is the last person", blocks: []ct{
			para("Putin spoke on Monday."),
			para("Zelensky replied on Tuesday."),
			para("He called for a complete ceasefire."),
		}, want: []want{{party: "ukraine", kind: dem, topics: tp("ceasefire"), attr: ByPronoun, speaker: "Volodymyr Zelenskyy"}}},
		{name: "it is never a person", blocks: []ct{
			para("Putin gave a long interview to state television."),
			para("It rejected any ceasefire along the current front."),
		}, want: nil},
		{name: "they after a demonym and role", blocks: []ct{
			para("Ukrainian negotiators arrived in Istanbul on Monday."),
			para("They are seeking a full exchange of prisoners."),
		}, want: []want{{party: "ukraine", kind: dem, topics: tp("humanitarian"), attr: ByPronoun}}},
		{name: "it in the same sentence", blocks: text("Russia says it is ready to resume grain exports through the Black Sea."),
			want: []want{{party: "russia", kind: off, topics: tp("black_sea"), attr: ByPronoun}}},
		{name: "it in the next sentence of the paragraph", blocks: text("Russia has demanded recognition of its annexation of Crimea. It also wants Ukraine to cut its army by half."),
			want: []want{
				{party: "russia", kind: dem, topics: tp("territory", "crimea"), attr: BySubject, in: "annexation"},
				{party: "russia", kind: dem, topics: tp("demilitarization"), attr: ByPronoun, target: "ukraine", in: "army"},
			}},
		{name: "we, speaker in the next sentence", blocks: text(`"We are open to a prisoner exchange. We have said so many times," Umerov said.`),
			want: []want{{party: "ukraine", kind: off, topics: tp("humanitarian"), attr: BySpeaker, speaker: "Rustem Umerov", in: "prisoner"}}},
		{name: "it after a heading and a subject", blocks: []ct{
			heading("Where does Turkey stand?"),
			para("Ankara wants the Black Sea reopened to grain ships."),
			para("It has also offered to host a summit."),
		}, want: []want{{party: "turkey", kind: off, topics: tp("negotiations"), attr: ByPronoun}}},
		{name: "its demands", blocks: []ct{
			para("Moscow issued a new memorandum on Monday."),
			para("Its demands include the withdrawal of Ukrainian forces from Donetsk."),
		}, want: []want{{party: "russia", kind: dem, topics: tp("withdrawal", "donbas"), attr: ByPronoun}}},
		{name: "it skips a person to the office", blocks: []ct{
			para("The Kremlin said Putin would speak to Trump on Tuesday."),
			para("It wants a summit before any ceasefire."),
		}, want: []want{{party: "russia", kind: dem, topics: tp("negotiations", "ceasefire"), attr: ByPronoun}}},
		{name: "it skips a person to the office, comma", blocks: []ct{
			para("The Kremlin, according to a statement, would welcome a call with Trump."),
			para("It wants a summit before any ceasefire."),
		}, want: []want{{party: "russia", kind: dem, topics: tp("negotiations", "ceasefire"), attr: ByPronoun}}},
		{name: "he after two people takes the subject", blocks: []ct{
			para("Putin received the Turkish president in Sochi."),
			para("He demanded guarantees that Ukraine would never join NATO."),
		}, want: []want{{party: "russia", kind: dem, topics: tp("nato"), attr: ByPronoun, speaker: "Vladimir Putin"}}},
	})
}

// A heading that names one party gives it the positions below it that name
// no claimant.
func TestClaimsHeading(t *testing.T) {
	runTable(t, []claimRow{
		{name: "question heading", blocks: []ct{
			heading("What does Ukraine want?"),
			para("Security guarantees must come before any ceasefire."),
		}, want: []want{{party: "ukraine", kind: dem, topics: tp("security_guarantees", "ceasefire"), attr: ByHeading}}},
		{name: "position heading", blocks: []ct{
			heading("Ukraine's position"),
			para("The return of all deported children is non-negotiable."),
		}, want: []want{{party: "ukraine", kind: red, topics: tp("humanitarian"), attr: ByHeading}}},
		{name: "another party named as subject", blocks: []ct{
			heading("What does Ukraine want?"),
			para("Russia rejects the idea of foreign peacekeepers."),
		}, want: []want{{party: "russia", kind: red, topics: tp("foreign_troops"), attr: BySubject}}},
		{name: "another party named as object", blocks: []ct{
			heading("What does Ukraine want?"),
			para("A deal acceptable to Moscow would require recognition of Crimea as Russian."),
		}, want: nil},
		{name: "heading with two parties", blocks: []ct{
			heading("Russia and Ukraine: the gaps"),
			para("Security guarantees must come first."),
		}, want: nil},
		{name: "a later heading ends the section", blocks: []ct{
			heading("What does Russia want?"),
			heading("Background"),
			para("A ceasefire must be agreed first."),
		}, want: nil},
		{name: "second paragraph of the section", blocks: []ct{
			heading("What is Russia asking for?"),
			para("The talks resumed on Tuesday."),
			para("Foreign peacekeepers are unacceptable."),
		}, want: []want{{party: "russia", kind: red, topics: tp("foreign_troops"), attr: ByHeading}}},
		{name: "two kinds under a heading", blocks: []ct{
			heading("What is Russia asking for?"),
			para("Sanctions relief must come first, and foreign troops are unacceptable."),
		}, want: []want{
			{party: "russia", kind: dem, topics: tp("sanctions"), attr: ByHeading},
			{party: "russia", kind: red, topics: tp("foreign_troops"), attr: ByHeading},
		}},
		{name: "negated passive under a heading", blocks: []ct{
			heading("Kyiv's red lines"),
			para("No territory will be ceded."),
		}, want: []want{{party: "ukraine", kind: red, topics: tp("territory"), attr: ByHeading}}, known: true},
	})
}

// A list lead-in with a cue gives its party and kind to the bullets below.
func TestClaimsListLeadIn(t *testing.T) {
	runTable(t, []claimRow{
		{name: "lead-in, bridge, bullets", blocks: []ct{
			para("Moscow has set out its conditions for a truce."),
			para("They include:"),
			bullet("a halt to Western arms deliveries"),
			bullet("an end to mobilisation in Ukraine"),
			bullet("a new round of consultations"),
		}, check: 3, want: []want{
			{party: "russia", kind: dem, topics: tp("arms_supply"), attr: ByList, in: "arms"},
			{party: "russia", kind: dem, topics: tp("demilitarization"), attr: ByList, in: "mobilisation"},
		}},
		{name: "They include bridge", blocks: []ct{
			para("Kyiv has published its key demands."),
			para("They include"),
			bullet("reparations for ruined cities"),
			bullet("the return of every prisoner held by Russia"),
		}, check: 2, want: []want{
			{party: "ukraine", kind: dem, topics: tp("compensation"), attr: ByList, in: "reparations"},
			{party: "ukraine", kind: dem, topics: tp("humanitarian"), attr: ByList, in: "prisoner"},
		}},
		{name: "red line lead-in", blocks: []ct{
			para("Ukraine's red lines are clear:"),
			bullet("no recognition of occupied territories"),
			bullet("no limits on the size of its army"),
		}, check: 2, want: []want{
			{party: "ukraine", kind: red, topics: tp("territory"), attr: ByList, in: "occupied"},
			{party: "ukraine", kind: red, topics: tp("demilitarization"), attr: ByList, in: "army"},
		}},
		{name: "lead-in with a speaker", blocks: []ct{
			para("Putin set out several conditions:"),
			bullet("Crimea to be recognised as part of Russia"),
		}, want: []want{{party: "russia", kind: dem, topics: tp("crimea"), attr: ByList, speaker: "Vladimir Putin"}}},
		{name: "boilerplate ends the lead-in", blocks: []ct{
			para("Kyiv has published its key demands."),
			boiler("Related coverage"),
			bullet("reparations for ruined cities"),
		}, want: nil},
		{name: "heading ends the lead-in", blocks: []ct{
			para("Kyiv has published its key demands."),
			heading("Related coverage"),
			bullet("reparations for ruined cities"),
		}, want: nil},
		{name: "sentence without a cue ends the lead-in", blocks: []ct{
			para("Kyiv has published its key demands."),
			para("The talks will continue next week in Geneva."),
			bullet("reparations for ruined cities"),
		}, want: nil},
		{name: "no lead-in", blocks: []ct{
			para("The talks continued into the night."),
			bullet("sanctions relief"),
		}, want: nil},
	})
}

// A quotation takes its claimant from the speaker named after it.
func TestClaimsQuote(t *testing.T) {
	runTable(t, []claimRow{
		{name: "we, speaker told", blocks: text(`"We are ready to exchange all prisoners," Zelenskyy told reporters.`),
			want: []want{{party: "ukraine", kind: off, topics: tp("humanitarian"), attr: BySpeaker, speaker: "Volodymyr Zelenskyy"}}},
		{name: "we, said speaker", blocks: text(`"We will never give up Crimea," said Zelensky.`),
			want: []want{{party: "ukraine", kind: red, topics: tp("crimea"), attr: BySpeaker, speaker: "Volodymyr Zelenskyy"}}},
		{name: "curly quotes", blocks: text("“There will be no ceasefire while weapons keep arriving,” Peskov said."),
			want: []want{{party: "russia", kind: red, topics: tp("ceasefire", "arms_supply"), attr: BySpeaker, speaker: "Dmitry Peskov"}}},
		{name: "speaker before, colon", blocks: text(`Peskov said: "We reject any pause in fighting."`),
			want: []want{{party: "russia", kind: red, topics: tp("ceasefire"), attr: BySpeaker, speaker: "Dmitry Peskov"}}},
		{name: "no speaker", blocks: text(`"We want a ceasefire," the statement said.`), want: nil},
	})
}

// TestQuoteSpeaker: a quote's speaker before or after the reporting verb,
// none without a quotation mark; asked again, the sentence gives the same.
func TestQuoteSpeaker(t *testing.T) {
	lx := mustDefaultLexicon(t)
	st := &claimState{lx: lx}
	for _, c := range []struct {
		sentence, party string
	}{
		{`"We will not give up our land," Zelensky told reporters.`, "ukraine"},
		{`"The talks are over," said Peskov.`, "russia"},
		{`Zelensky told reporters that Ukraine would not give up its land.`, ""}, // no quotation mark
		{`"Nobody will accept this," the statement said.`, ""},
	} {
		ss := st.analyse(Sentence{Text: c.sentence})
		for range 2 {
			sp, ok := quoteSpeaker(ss)
			if ok != (c.party != "") || sp.party != c.party {
				t.Errorf("%q: speaker %q (%v), want %q", c.sentence, sp.party, ok, c.party)
			}
		}
	}
}

// A title the lexicon gives to one office holder names the person who
// follows it, whoever holds the office at the time of the article.
func TestClaimsTitleNamesFollower(t *testing.T) {
	runTable(t, []claimRow{
		{name: "another holder after the title", blocks: text("US President Joe Biden said Washington will never accept a Russian veto on NATO membership."),
			want: []want{{party: "united_states", kind: red, topics: tp("nato"), attr: BySubject, speaker: "Joe Biden"}}},
		{name: "the usual holder after the title", blocks: text("U.S. President Donald Trump said Washington will never accept a Russian veto on NATO membership."),
			want: []want{{party: "united_states", kind: red, topics: tp("nato"), attr: BySubject, speaker: "Donald Trump"}}},
		{name: "a name that is no title", blocks: text("President Trump said Washington will never accept a Russian veto on NATO membership."),
			want: []want{{party: "united_states", kind: red, topics: tp("nato"), attr: BySubject, speaker: "Donald Trump"}}},
	})
}

// TestMentionsOtherBearer checks that a surname written as part of another
// person's name is not a mention of the lexicon's person, and that titles,
// honorifics, dates, spelling variants and headings do not make it one.
func TestMentionsOtherBearer(t *testing.T) {
	lx, _ := ctSetup(t)
	for _, c := range []struct {
		text string
		want []string // the people mentioned, in order
	}{
		{"Speaking to the broadcaster's Chris Wallace on Monday, officials said talks would resume.", nil},
		{"In a letter, Melania Trump asked for the children's return.", nil},
		{"The advisers known as the Collective Putin shape the talks.", nil},
		{"Defence Secretary Wallace said Britain would send more aid.", []string{"Ben Wallace"}},
		{"Asked about it, Mr Wallace said Britain would send more aid.", []string{"Ben Wallace"}},
		{"Late on Monday Wallace said Britain would send more aid.", []string{"Ben Wallace"}},
		{"The deal, as Dmitry Kuleba put it, is dead.", []string{"Dmytro Kuleba"}},
		{"After a meeting with Generals Zaluzhnyi and Syrskyi, the plan changed.", []string{"Valerii Zaluzhnyi", "Oleksandr Syrskyi"}},
		{"More on this topic of Interest Wallace Urges More Aid", []string{"Ben Wallace"}},
		{"Wallace said Britain would send more aid.", []string{"Ben Wallace"}},
		{"Britain's Ben Wallace said so, and Wallace repeated it.", []string{"Ben Wallace", "Ben Wallace"}},
	} {
		toks := lx.classify(tokenize(c.text))
		var got []string
		for _, m := range lx.mentions(c.text, toks) {
			if m.kind == refPerson {
				got = append(got, m.person)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: people %q, want %q", c.text, got, c.want)
		}
	}
}
