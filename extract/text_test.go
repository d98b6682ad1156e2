package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"redline/corpus"
)

// kinds renders blocks as "kind: text" lines.
func kinds(a Article) string {
	var sb strings.Builder
	for _, b := range a.Blocks {
		fmt.Fprintf(&sb, "%v: %s\n", b.Kind, b.Text)
	}
	return sb.String()
}

// wantKinds checks the blocks the text stage makes of the plain text in
// against want, as kinds renders them.
func wantKinds(t *testing.T, in, want string) {
	t.Helper()
	a := plainArticle(in)
	checkBlocks(t, a)
	if got := kinds(a); got != want {
		t.Errorf("blocks of %q\n got:\n%s\nwant:\n%s", in, got, want)
	}
}

func TestPlainBlocks(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "headings and paragraphs",
			in:   "Peace Talks Resume in Geneva\n\nThe talks resumed on Monday. Both sides attended.\n\nWhat comes next\n\nNobody knows yet.",
			want: "heading: Peace Talks Resume in Geneva\nparagraph: The talks resumed on Monday. Both sides attended.\nheading: What comes next\nparagraph: Nobody knows yet.\n",
		},
		{
			name: "question heading and long question",
			in:   "What does Kyiv want?\n\nIs there any chance that the two delegations, after months of fighting and failed rounds, will agree on anything at all this week?\n",
			want: "heading: What does Kyiv want?\nparagraph: Is there any chance that the two delegations, after months of fighting and failed rounds, will agree on anything at all this week?\n",
		},
		{
			name: "bullets of every kind, marker excluded",
			in:   "• first bullet\n- second bullet\n* third bullet\n– fourth bullet\n· fifth bullet\n1. sixth item\n2) seventh item\n  • indented bullet.",
			want: "list_item: first bullet\nlist_item: second bullet\nlist_item: third bullet\nlist_item: fourth bullet\nlist_item: fifth bullet\nlist_item: sixth item\nlist_item: seventh item\nlist_item: indented bullet.\n",
		},
		{
			name: "not bullets",
			in:   "-5 degrees were recorded overnight in the capital, officials said.\n2022 was a hard year for everyone involved in the talks, he said.",
			want: "paragraph: -5 degrees were recorded overnight in the capital, officials said.\nparagraph: 2022 was a hard year for everyone involved in the talks, he said.\n",
		},
		{
			name: "lead-in without colon before bullets",
			in:   "The demands are\n\n  • neutrality,\n  • disarmament.\n",
			want: "paragraph: The demands are\nlist_item: neutrality,\nlist_item: disarmament.\n",
		},
		{
			name: "heading before bullets stays a heading",
			in:   "Russia’s Position\n- Territory: Russia demands land.\n- Sanctions: Russia wants relief.",
			want: "heading: Russia’s Position\nlist_item: Territory: Russia demands land.\nlist_item: Sanctions: Russia wants relief.\n",
		},
		{
			name: "colon lead-in",
			in:   "Here is what each side wants:\n\nRussia wants neutrality.",
			want: "paragraph: Here is what each side wants:\nparagraph: Russia wants neutrality.\n",
		},
		{
			name: "credit lines and repeated caption",
			in: "Soldiers walk past a damaged building in Kharkiv on Monday.\nJohn Doe | AFP | Getty Images\nSoldiers walk past a damaged building in Kharkiv on Monday.\n\n" +
				"The city was shelled overnight.\nA man walks home.\nAnadolu Agency via Getty Images\n\nvia Associated Press\n\nPhoto: Reuters\n\n(AP Photo/Jane Roe)\n\nReuters\n\nReuters reported the attack.",
			want: "caption: Soldiers walk past a damaged building in Kharkiv on Monday.\ncaption: John Doe | AFP | Getty Images\ncaption: Soldiers walk past a damaged building in Kharkiv on Monday.\n" +
				"paragraph: The city was shelled overnight.\ncaption: A man walks home.\ncaption: Anadolu Agency via Getty Images\ncaption: via Associated Press\ncaption: Photo: Reuters\ncaption: (AP Photo/Jane Roe)\ncaption: Reuters\nparagraph: Reuters reported the attack.\n",
		},
		{
			name: "a question before a credit is no caption",
			in:   "Will the talks succeed?\nJane Roe | Getty Images\n",
			want: "heading: Will the talks succeed?\ncaption: Jane Roe | Getty Images\n",
		},
		{
			name: "headline with a site name is no credit",
			in:   "Talks stall | Example News\n\nThe talks stalled.",
			want: "heading: Talks stall | Example News\nparagraph: The talks stalled.\n",
		},
		{
			name: "boilerplate",
			in: "Copyright CNBC\nContact Us\nClose\nWhat's Hot\nWhat’s Hot\nShare\nShare this article\nAdvertisement\nSign up for our newsletter\nSubscribe now\n" +
				"Read more: Talks explained\nRelated\nBanner image\nStory has been updated throughout based on the latest round of peace talks\nBack\nBy Jane Roe\n© 2024 Example Ltd\n—\n6:32\n" +
				"Close the border, he said.",
			want: "boilerplate: Copyright CNBC\nboilerplate: Contact Us\nboilerplate: Close\nboilerplate: What's Hot\nboilerplate: What’s Hot\nboilerplate: Share\nboilerplate: Share this article\nboilerplate: Advertisement\nboilerplate: Sign up for our newsletter\nboilerplate: Subscribe now\n" +
				"boilerplate: Read more: Talks explained\nboilerplate: Related\nboilerplate: Banner image\nboilerplate: Story has been updated throughout based on the latest round of peace talks\nboilerplate: Back\nboilerplate: By Jane Roe\nboilerplate: © 2024 Example Ltd\nboilerplate: —\nboilerplate: 6:32\n" +
				"paragraph: Close the border, he said.\n",
		},
		{
			name: "table of contents",
			in:   "Table of Contents\n- Background\n- The Demands\nBackground\nThe war began in 2022.\nThe Demands\nRussia wants land.",
			want: "boilerplate: Table of Contents\nboilerplate: Background\nboilerplate: The Demands\nheading: Background\nparagraph: The war began in 2022.\nheading: The Demands\nparagraph: Russia wants land.\n",
		},
		{
			name: "single newlines between paragraphs",
			in:   "Talks resumed on Monday in Istanbul after a break.\nRussia repeated its demands.\nKey Issues\nUkraine refused to cede land.",
			want: "paragraph: Talks resumed on Monday in Istanbul after a break.\nparagraph: Russia repeated its demands.\nheading: Key Issues\nparagraph: Ukraine refused to cede land.\n",
		},
		{
			name: "hard-wrapped paragraph is joined",
			in:   "The delegations met for six hours on Monday and agreed\non a further round, officials said.\nA new line starts here.",
			want: "paragraph: The delegations met for six hours on Monday and agreed\non a further round, officials said.\nparagraph: A new line starts here.\n",
		},
		{
			name: "one-quotation paragraph",
			in:   "“We will never accept the loss of our land. Never.”\n\n“We are ready,” he said.",
			want: "quote: “We will never accept the loss of our land. Never.”\nparagraph: “We are ready,” he said.\n",
		},
		{
			name: "far repeat is boilerplate",
			in:   "Russia demands that Ukraine drop its NATO bid.\nOne.\nTwo.\nThree.\nFour.\nRussia demands that Ukraine drop its NATO bid.",
			want: "paragraph: Russia demands that Ukraine drop its NATO bid.\nparagraph: One.\nparagraph: Two.\nparagraph: Three.\nparagraph: Four.\nboilerplate: Russia demands that Ukraine drop its NATO bid.\n",
		},
		{
			name: "CRLF and surrounding space",
			in:   "\ufeff  Title Line Here  \r\n\r\n  Body text. More text.  \r\n",
			want: "heading: Title Line Here\nparagraph: Body text. More text.\n",
		},
		{
			name: "first line may be a long headline",
			in:   "A Guide to What Russia and Ukraine Want From Talks — and Where the Red Lines Are Drawn Now by Both\n\nBody.",
			want: "heading: A Guide to What Russia and Ukraine Want From Talks — and Where the Red Lines Are Drawn Now by Both\nparagraph: Body.\n",
		},
		{
			name: "fragment line is a paragraph",
			in:   "Ukrainian neutrality, a commitment to not join NATO,\n\nDone.",
			want: "paragraph: Ukrainian neutrality, a commitment to not join NATO,\nparagraph: Done.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Text(corpus.Document{Text: tt.in})
			if err != nil {
				t.Fatal(err)
			}
			if a.Text != tt.in {
				t.Fatal("Text rewrote the text")
			}
			checkBlocks(t, a)
			if got := kinds(a); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestPlainFixture reads the hand-written article in testdata/text and
// checks its blocks and sentences.
func TestPlainFixture(t *testing.T) {
	pub := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	a, err := Text(corpus.Document{Title: "T", Published: pub, Text: readFixture(t, "plain.txt")})
	if err != nil {
		t.Fatal(err)
	}
	checkBlocks(t, a)
	if a.Title != "T" || a.Published != "2024-05-06" || a.Lang != "" {
		t.Errorf("metadata %q %q %q", a.Title, a.Published, a.Lang)
	}
	sp := newTestSplitter(t)
	sents := sp.Split(a)
	checkSentences(t, a, sents)
	var got []string
	for _, s := range sents {
		got = append(got, fmt.Sprintf("%v: %s", a.Blocks[s.Block].Kind, s.Text))
	}
	want := []string{
		"heading: Ceasefire Talks Stall Over Security Guarantees",
		"list_item: Negotiators met for a second day in Vienna on Wednesday.",
		"list_item: Both sides say the other must move first.",
		"paragraph: Negotiators from Russia and Ukraine ended a second day of talks in Vienna on Wednesday without agreement, officials from both delegations said, as fighting continued along the front line.",
		"paragraph: The talks, the first since Nov. 3, were brokered by the U.N. and held behind closed doors.",
		`paragraph: Mr. Kovalenko, a Ukrainian delegate, told reporters that the atmosphere was "tense but serious."`,
		"paragraph: Gen. Petrov, who led the Russian side, did not comment.",
		"heading: What does Russia want?",
		"paragraph: Moscow has demanded that Kyiv withdraw its forces from four regions and drop its bid to join NATO.",
		"paragraph: It also wants Western sanctions lifted as part of any settlement.",
		`paragraph: The Kremlin said on Tuesday that there could be "no talk of a ceasefire" until those conditions were met.`,
		"heading: What does Ukraine want?",
		"paragraph: Kyiv insists that all Russian troops leave its territory.",
		"paragraph: It has said it will not give up any land, and it wants binding security guarantees from its allies.",
		"paragraph: Its demands include:",
		"list_item: a full ceasefire, monitored by international observers;",
		"list_item: the return of prisoners of war and deported children;",
		"list_item: compensation for war damage.",
		"paragraph: “We are ready for a fair peace.",
		"paragraph: We will never accept a capitulation,” the head of the Ukrainian delegation said after the session.",
		"paragraph: He added that a deal would be put to a referendum.",
		"heading: The next round",
		"paragraph: A third round is planned for early next month, according to the mediators.",
		"paragraph: No. 10 Downing Street and the White House welcomed the talks but warned against approx. 30 days of delay, a spokesman said.",
		"paragraph: Officials in St. Petersburg and Washington declined to comment on the schedule, which was described by one diplomat as \"ambitious, but\nnot impossible, if both sides keep talking.\"",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\n\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFoldLineHash: the hash is that of foldLine's string, whatever the
// spacing, case, quotes and invalid bytes.
func TestFoldLineHash(t *testing.T) {
	for _, s := range []string{"", "  ", "Plain line", "  Two   spaces\tand tab ", "“Quoted” ‘single’ it’s", "ÉCOLE Straße İ", "bad \xff byte", "\u00a0nbsp\u2003em"} {
		if got, want := foldLineHash(s), fnvAdd(fnvOffset, foldLine(s)); got != want {
			t.Errorf("foldLineHash(%q) = %x, want the hash of %q, %x", s, got, foldLine(s), want)
		}
	}
}
