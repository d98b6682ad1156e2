package extract

import "testing"

// TestTeaserLists: related-story lists without a marker become
// Boilerplate, by their structure; prose and headings that share one
// feature with them stay.
func TestTeaserLists(t *testing.T) {
	const prose = "The envoys met in Geneva on Monday and agreed to meet again."
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "stamped teasers",
			in: prose + "\n* 16 minutes ago 16 mins ago Envoys leave Geneva without a deal\n* 1 hour ago 1 hr ago Minister resigns, aides say\n" +
				"* Yesterday Yesterday Kyiv would support a truce, officials say\n",
			want: "paragraph: " + prose + "\nboilerplate: 16 minutes ago 16 mins ago Envoys leave Geneva without a deal\n" +
				"boilerplate: 1 hour ago 1 hr ago Minister resigns, aides say\nboilerplate: Yesterday Yesterday Kyiv would support a truce, officials say\n",
		},
		{
			name: "one stamped headline stays",
			in:   "2 hours ago Envoys leave Geneva\n" + prose + "\n",
			want: "heading: 2 hours ago Envoys leave Geneva\nparagraph: " + prose + "\n",
		},
		{
			name: "stamped sentences stay",
			in:   "Yesterday the minister said Moscow must withdraw.\n\nYesterday Kyiv refused the terms.\n",
			want: "paragraph: Yesterday the minister said Moscow must withdraw.\nparagraph: Yesterday Kyiv refused the terms.\n",
		},
		{
			name: "flattened link list",
			in: prose + "\n\n_Learn more:_Allies announce a package for Kyiv, 5 August 2025 _Learn more:_Berlin to fund a package, 13 August 2025 " +
				"_Learn more:_ Partners fund more packages, 10 December 2025\n",
			want: "paragraph: " + prose + "\nboilerplate: _Learn more:_Allies announce a package for Kyiv, 5 August 2025 _Learn more:_Berlin to fund a package, 13 August 2025 " +
				"_Learn more:_ Partners fund more packages, 10 December 2025\n",
		},
		{
			name: "labelled sentences stay",
			in:   "Q: Will the talks resume? Q: When? Q: Where will they meet?\n",
			want: "paragraph: Q: Will the talks resume? Q: When? Q: Where will they meet?\n",
		},
		{
			name: "label used twice stays",
			in:   "Update: Envoys left Geneva on Monday Update: talks may resume in May\n",
			want: "heading: Update: Envoys left Geneva on Monday Update: talks may resume in May\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKinds(t, tt.in, tt.want)
		})
	}
}
