package extract

import (
	"strings"
	"testing"

	"redline/corpus"
)

// TestMarkReferences: reference lists, link lists and related-story
// headlines become Boilerplate; prose that only looks like them does not.
func TestMarkReferences(t *testing.T) {
	const (
		prose = "The envoys met in Geneva on Monday and agreed to meet again."
		after = "Kyiv rejected the proposal, the foreign ministry said on Tuesday."
	)
	tests := []struct {
		name string
		in   string
		want string
	}{
		// Link lines.
		{
			name: "numbered bare links",
			in:   prose + "\n[1] https://example.org/a/b\n[2] https://example.org/c ; https://example.net/d\n",
			want: "paragraph: " + prose + "\nboilerplate: [1] https://example.org/a/b\nboilerplate: [2] https://example.org/c ; https://example.net/d\n",
		},
		{
			name: "markdown link list",
			in:   prose + "\n- [Home](https://example.org/)\n- [Envoys agree to meet again next week](https://example.org/news/1)\n",
			want: "paragraph: " + prose + "\nboilerplate: [Home](https://example.org/)\nboilerplate: [Envoys agree to meet again next week](https://example.org/news/1)\n",
		},
		{
			name: "source line and footnote link",
			in:   prose + "\nSource: https://example.org/report.pdf\n[[iv]](https://example.org/x<#ref4>) <https://example.net/post/7>\n",
			want: "paragraph: " + prose + "\nboilerplate: Source: https://example.org/report.pdf\nboilerplate: [[iv]](https://example.org/x<#ref4>) <https://example.net/post/7>\n",
		},
		{
			name: "mostly links",
			in:   prose + "\nMore on the talks: https://example.org/hub/talks and https://example.net/envoys\n",
			want: "paragraph: " + prose + "\nboilerplate: More on the talks: https://example.org/hub/talks and https://example.net/envoys\n",
		},
		{
			name: "captions of a link list",
			in: prose + "\n[](https://example.org/people/a)\nDirector, Europe Program\n[](https://example.org/analysis/b)\n" +
				"Report by Ann Roe — June 5, 2025\n[](https://example.org/analysis/c)\nPodcast by Ann Roe\n",
			want: "paragraph: " + prose + "\nboilerplate: [](https://example.org/people/a)\nboilerplate: Director, Europe Program\n" +
				"boilerplate: [](https://example.org/analysis/b)\nboilerplate: Report by Ann Roe — June 5, 2025\n" +
				"boilerplate: [](https://example.org/analysis/c)\nboilerplate: Podcast by Ann Roe\n",
		},
		{
			name: "prose with links stays",
			in: "Moscow demanded a ceasefire line along the river, the ministry said in a statement on its site.[[ii]](https://example.org/x<#ref2>) Kyiv refused.\n" +
				"Read the full statement of the delegation, published on Monday evening, at https://example.org/statement.\n" +
				"- [Kyiv](https://example.org/kyiv) rejected the [proposal](https://example.org/p) outright and asked for guarantees.\n",
			want: "paragraph: Moscow demanded a ceasefire line along the river, the ministry said in a statement on its site.[[ii]](https://example.org/x<#ref2>) Kyiv refused.\n" +
				"paragraph: Read the full statement of the delegation, published on Monday evening, at https://example.org/statement.\n" +
				"list_item: [Kyiv](https://example.org/kyiv) rejected the [proposal](https://example.org/p) outright and asked for guarantees.\n",
		},

		// Citations.
		{
			name: "citations",
			in: prose + "\nRoe, Ann. \"Talks in Geneva\". Example Times. 3 March 2022. Retrieved 12 March 2022.\n" +
				"Ann Roe, Talks in Geneva, Example Times (accessed March 12, 2022).\n" +
				"\"Envoys meet\". Example News. Archived from the original on 4 March 2022.\n" +
				"Roe, A. (2022). Talks in Geneva. Retrieved from https://example.org/talks\n",
			want: "paragraph: " + prose + "\nboilerplate: Roe, Ann. \"Talks in Geneva\". Example Times. 3 March 2022. Retrieved 12 March 2022.\n" +
				"boilerplate: Ann Roe, Talks in Geneva, Example Times (accessed March 12, 2022).\n" +
				"boilerplate: \"Envoys meet\". Example News. Archived from the original on 4 March 2022.\n" +
				"boilerplate: Roe, A. (2022). Talks in Geneva. Retrieved from https://example.org/talks\n",
		},
		{
			name: "retrieved and accessed in prose stay",
			in: "The files were retrieved on 12 March 2022 by investigators, who found the draft.\n" +
				"Officials accessed the archive on March 12, 2022, and found the draft treaty.\n",
			want: "paragraph: The files were retrieved on 12 March 2022 by investigators, who found the draft.\n" +
				"paragraph: Officials accessed the archive on March 12, 2022, and found the draft treaty.\n",
		},

		// Related stories.
		{
			name: "related headline on one line",
			in:   prose + "\nRead also: Envoys agree to meet again next week\nRelated: Kyiv rejects the ceasefire line\n" + after,
			want: "paragraph: " + prose + "\nboilerplate: Read also: Envoys agree to meet again next week\nboilerplate: Related: Kyiv rejects the ceasefire line\nparagraph: " + after + "\n",
		},
		{
			name: "related list up to the next prose",
			in: prose + "\n\nRelated:\n\nEnvoys agree to meet again next week\nWhy the ceasefire line matters?\nMoscow and Kyiv trade blame over shelling..\n\n" +
				"Kyiv rejected the proposal, the foreign ministry said on Tuesday.\n",
			want: "paragraph: " + prose + "\nboilerplate: Related:\nboilerplate: Envoys agree to meet again next week\n" +
				"boilerplate: Why the ceasefire line matters?\nboilerplate: Moscow and Kyiv trade blame over shelling..\n" +
				"paragraph: Kyiv rejected the proposal, the foreign ministry said on Tuesday.\n",
		},
		{
			name: "other related markers",
			in: prose + "\nREAD MORE\nEnvoys agree to meet again\nMore on this story\nKyiv rejects the line\nYou may also like:\nMoscow sets terms\n" +
				"See also\nTalks stall\nMore from Example News\nSanctions widen\n" + after,
			want: "paragraph: " + prose + "\nboilerplate: READ MORE\nboilerplate: Envoys agree to meet again\nboilerplate: More on this story\n" +
				"boilerplate: Kyiv rejects the line\nboilerplate: You may also like:\nboilerplate: Moscow sets terms\n" +
				"boilerplate: See also\nboilerplate: Talks stall\nboilerplate: More from Example News\nboilerplate: Sanctions widen\nparagraph: " + after + "\n",
		},
		{
			name: "lead-in after a marker ends the list",
			in:   "Related stories\nTalks stall\nThe demands are:\n- neutrality\n- no foreign troops\n",
			want: "boilerplate: Related stories\nboilerplate: Talks stall\nparagraph: The demands are:\nlist_item: neutrality\nlist_item: no foreign troops\n",
		},
		{
			name: "related in prose and headings stays",
			in: "Recommended Steps for a Ceasefire\n- Withdraw heavy weapons\n- Exchange prisoners\n" +
				"Related to the talks, Moscow demanded guarantees.\nRelated talks in Ankara failed in March.\n",
			want: "heading: Recommended Steps for a Ceasefire\nlist_item: Withdraw heavy weapons\nlist_item: Exchange prisoners\n" +
				"paragraph: Related to the talks, Moscow demanded guarantees.\nparagraph: Related talks in Ankara failed in March.\n",
		},

		// Reference sections.
		{
			name: "endnotes",
			in: prose + "\nEndnotes\n1. Ann Roe, Talks in Geneva, Example Times, March 2022.\n2 Ben Poe, The Line, Example Press, 2021.\n[3] Interview with an envoy, 2022.\n" +
				"Kyiv rejected the proposal, the foreign ministry said on Tuesday.\n",
			want: "paragraph: " + prose + "\nboilerplate: Endnotes\nboilerplate: Ann Roe, Talks in Geneva, Example Times, March 2022.\n" +
				"boilerplate: 2 Ben Poe, The Line, Example Press, 2021.\nboilerplate: [3] Interview with an envoy, 2022.\n" +
				"paragraph: Kyiv rejected the proposal, the foreign ministry said on Tuesday.\n",
		},
		{
			name: "sources heading before prose stays prose",
			in:   "Sources\nTwo officials said Moscow demanded a neutral Ukraine in 2022.\n",
			want: "boilerplate: Sources\nparagraph: Two officials said Moscow demanded a neutral Ukraine in 2022.\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantKinds(t, tt.in, tt.want)
		})
	}
}

// TestMarkReferencesNoSentences: nothing is read from a reference list,
// and the prose around it keeps its sentences and offsets.
func TestMarkReferencesNoSentences(t *testing.T) {
	sp := newTestSplitter(t)
	text := "Moscow demanded neutrality.\n\nRead more:\n\nKyiv wants guarantees from allies\n\n[1] https://example.org/a\n\nKyiv refused the demand."
	a, err := Text(corpus.Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	sents := sp.Split(a)
	checkSentences(t, a, sents)
	var got []string
	for _, s := range sents {
		got = append(got, s.Text)
	}
	if want := "Moscow demanded neutrality.|Kyiv refused the demand."; strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
