package extract

import "testing"

// TestJoinBroken: a sentence cut in two by a blank line is one block
// again; blocks that end a sentence, a heading or a list stay apart.
func TestJoinBroken(t *testing.T) {
	const (
		p1 = "The envoys met in Geneva on Monday and agreed to meet again."
		p2 = "Kyiv rejected the proposal, the foreign ministry said on Tuesday."
	)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "cut after a preposition",
			in:   p1 + "\n\nThe assembly said no court can try the crime of aggression committed against\n\nUkraine, and it repeated its call for a tribunal.\n",
			want: "paragraph: " + p1 + "\nparagraph: The assembly said no court can try the crime of aggression committed against\n\nUkraine, and it repeated its call for a tribunal.\n",
		},
		{
			name: "cut before a lower-case word",
			in:   p1 + "\n\nNoting that no court can try the crime of aggression\n\ncommitted against Ukraine, the assembly called for a tribunal.\n",
			want: "paragraph: " + p1 + "\nparagraph: Noting that no court can try the crime of aggression\n\ncommitted against Ukraine, the assembly called for a tribunal.\n",
		},
		{
			name: "cut twice",
			in:   "The minister said that the\n\nsanctions would stay until the\n\ntroops left, aides said.\n",
			want: "paragraph: The minister said that the\n\nsanctions would stay until the\n\ntroops left, aides said.\n",
		},
		{
			name: "heading before prose stays",
			in:   "Talks in Geneva\n\n" + p1 + "\n",
			want: "heading: Talks in Geneva\nparagraph: " + p1 + "\n",
		},
		{
			name: "headline ending in a particle stays",
			in:   "His trade war is not over\n\n" + p2 + "\n",
			want: "heading: His trade war is not over\nparagraph: " + p2 + "\n",
		},
		{
			name: "short line before lower case stays",
			in:   "Key trends\n\nsanctions widened in March and talks stalled in April.\n",
			want: "heading: Key trends\nparagraph: sanctions widened in March and talks stalled in April.\n",
		},
		{
			name: "list item stays",
			in:   p1 + "\n\n- neutrality and\n- no foreign troops\n",
			want: "paragraph: " + p1 + "\nlist_item: neutrality and\nlist_item: no foreign troops\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKinds(t, tt.in, tt.want)
		})
	}
}

// TestJoinBrokenSentences: the rejoined sentence is one sentence, and its
// offsets slice the text.
func TestJoinBrokenSentences(t *testing.T) {
	sp := newTestSplitter(t)
	a := plainArticle("Moscow demanded that Kyiv cede the\n\nregions it does not hold. Kyiv refused.\n")
	sents := sp.Split(a)
	checkSentences(t, a, sents)
	if len(sents) != 2 || sents[0].Text != "Moscow demanded that Kyiv cede the\n\nregions it does not hold." {
		t.Errorf("got %+v", sents)
	}
}
