package extract

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"redline/corpus"
)

func newTestSplitter(tb testing.TB) *Splitter {
	tb.Helper()
	sp, err := NewSplitter()
	if err != nil {
		tb.Fatal(err)
	}
	return sp
}

// checkBlocks asserts the block invariants: offsets in range, ordered, not
// overlapping, Text equal to the slice, trimmed and non-empty.
func checkBlocks(tb testing.TB, a Article) {
	tb.Helper()
	prev := 0
	for i, b := range a.Blocks {
		if b.Start < prev || b.End < b.Start || b.End > len(a.Text) {
			tb.Fatalf("block %d [%d,%d) out of order or range (prev end %d, len %d)", i, b.Start, b.End, prev, len(a.Text))
		}
		if a.Text[b.Start:b.End] != b.Text {
			tb.Fatalf("block %d: Text %q != slice %q", i, b.Text, a.Text[b.Start:b.End])
		}
		if b.Start == b.End {
			tb.Fatalf("block %d is empty", i)
		}
		if b.Kind > Boilerplate {
			tb.Fatalf("block %d has kind %d", i, b.Kind)
		}
		prev = b.End
	}
}

// checkSentences asserts the sentence invariants: in range, ordered, not
// overlapping, inside their block, trimmed, non-empty, Text equal to the
// slice.
func checkSentences(tb testing.TB, a Article, sents []Sentence) {
	tb.Helper()
	prev := 0
	for i, s := range sents {
		if s.Start < prev || s.End <= s.Start || s.End > len(a.Text) {
			tb.Fatalf("sentence %d [%d,%d) out of order or range (prev end %d, len %d)", i, s.Start, s.End, prev, len(a.Text))
		}
		if a.Text[s.Start:s.End] != s.Text {
			tb.Fatalf("sentence %d: Text %q != slice %q", i, s.Text, a.Text[s.Start:s.End])
		}
		if s.Block < 0 || s.Block >= len(a.Blocks) {
			tb.Fatalf("sentence %d: block %d out of range", i, s.Block)
		}
		b := a.Blocks[s.Block]
		if s.Start < b.Start || s.End > b.End {
			tb.Fatalf("sentence %d [%d,%d) outside its block [%d,%d)", i, s.Start, s.End, b.Start, b.End)
		}
		if b.Kind == Caption || b.Kind == Boilerplate {
			tb.Fatalf("sentence %d from a %v block", i, b.Kind)
		}
		r, _ := utf8.DecodeRuneInString(s.Text)
		l, _ := utf8.DecodeLastRuneInString(s.Text)
		if isTrimSpace(r) || isTrimSpace(l) {
			tb.Fatalf("sentence %d not trimmed: %q", i, s.Text)
		}
		prev = s.End
	}
}

func TestSplitText(t *testing.T) {
	sp := newTestSplitter(t)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"plain", "The talks began. They ended at noon.", []string{"The talks began.", "They ended at noon."}},
		{"month abbreviation", "The war began on Feb. 24 and has not stopped. Talks resumed.",
			[]string{"The war began on Feb. 24 and has not stopped.", "Talks resumed."}},
		{"month abbreviation then comma", "It began on Feb. 24., as planned. Nobody expected it.",
			[]string{"It began on Feb. 24., as planned.", "Nobody expected it."}},
		{"sentence ending in abbreviation", "Guarantees would come from the U.S. and NATO. Moscow refused.",
			[]string{"Guarantees would come from the U.S. and NATO.", "Moscow refused."}},
		{"U.S. mid-sentence", "The U.S. State Department said it was ready. Others were not.",
			[]string{"The U.S. State Department said it was ready.", "Others were not."}},
		{"titles", "Mr. Peskov spoke to Dr. Smith and Gen. Gerasimov in St. Petersburg. Then he left.",
			[]string{"Mr. Peskov spoke to Dr. Smith and Gen. Gerasimov in St. Petersburg.", "Then he left."}},
		{"No. and approx.", "Resolution No. 2623 passed with approx. 141 votes. It is not binding.",
			[]string{"Resolution No. 2623 passed with approx. 141 votes.", "It is not binding."}},
		{"initials", "Vladimir V. Putin met J. Smith. The meeting was short.",
			[]string{"Vladimir V. Putin met J. Smith.", "The meeting was short."}},
		{"quote split", "“Security guarantees and neutrality, non-nuclear status of our state. We are ready to go for it,” Zelenskyy told Russian journalists.",
			[]string{"“Security guarantees and neutrality, non-nuclear status of our state.", "We are ready to go for it,” Zelenskyy told Russian journalists."}},
		{"quoted question then attribution", "“Is this peace?” he asked. Nobody answered.",
			[]string{"“Is this peace?” he asked.", "Nobody answered."}},
		{"closing quote after period", "He called it “pretty good.” Meanwhile, Russia said more.",
			[]string{"He called it “pretty good.”", "Meanwhile, Russia said more."}},
		{"street before a pronoun", "He lives on Baker St. He likes it.", []string{"He lives on Baker St.", "He likes it."}},
		{"abbreviations ending sentences", "It happened in the U.S. The next day it was over. They want tanks, jets, etc. The list is long.",
			[]string{"It happened in the U.S.", "The next day it was over.", "They want tanks, jets, etc.", "The list is long."}},
		{"initialisms before names", "U.S. President Joe Biden spoke. The U.N. Security Council met. Lt. Gen. Ivanov left.",
			[]string{"U.S. President Joe Biden spoke.", "The U.N. Security Council met.", "Lt. Gen. Ivanov left."}},
		{"ellipsis", "Officials said ... the talks failed. Others disagreed.", []string{"Officials said ... the talks failed.", "Others disagreed."}},
		{"single quotes", "It cited ‘denazification.’ Moscow demands that arms deliveries stop.",
			[]string{"It cited ‘denazification.’", "Moscow demands that arms deliveries stop."}},
		{"straight quotes", `Talks had been "pretty good." Meanwhile, Russia said discussions had made "substantial progress."`,
			[]string{`Talks had been "pretty good."`, `Meanwhile, Russia said discussions had made "substantial progress."`}},
		{"date in parentheses", "Talks in Istanbul (15.05.2025) went ahead. Putin stayed away.",
			[]string{"Talks in Istanbul (15.05.2025) went ahead.", "Putin stayed away."}},
		{"exclamation and question", "Stop the war! Will they listen? Nobody knows.",
			[]string{"Stop the war!", "Will they listen?", "Nobody knows."}},
		{"white space", "  \n  One.   \t Two.  \n", []string{"One.", "Two."}},
		{"empty", "", []string{}},
		{"no punctuation", "just words without an end", []string{"just words without an end"}},
		{"lower-case continuation", "Talks start at 10 a.m. local time. Both sides came.",
			[]string{"Talks start at 10 a.m. local time.", "Both sides came."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sp.SplitText(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("SplitText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSplitGlued covers sentences run together without white space and
// footnote numbers glued to a stop (see gluedCuts), and what must stay
// whole: initials, initialisms, titles, decimals, numbers and links.
func TestSplitGlued(t *testing.T) {
	sp := newTestSplitter(t)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		// Run-together sentences.
		{"stop then capital", "Envoys met outside Vienna.The talks lasted an hour.",
			[]string{"Envoys met outside Vienna.", "The talks lasted an hour."}},
		{"no spaces after any stop", "The envoys arrived.They talked.Nothing changed.",
			[]string{"The envoys arrived.", "They talked.", "Nothing changed."}},
		{"question and exclamation", "Will the truce hold?Nobody knows.Stop the shelling!The mayor pleaded.",
			[]string{"Will the truce hold?", "Nobody knows.", "Stop the shelling!", "The mayor pleaded."}},
		{"closing quote before capital", "She called it “a pause.”Officials disagreed.",
			[]string{"She called it “a pause.”", "Officials disagreed."}},
		{"straight quote before capital", `He said the plan was "dead."Aides nodded.`,
			[]string{`He said the plan was "dead."`, "Aides nodded."}},
		{"opening quote after stop", "The minister spoke.“We will not yield,” he said.",
			[]string{"The minister spoke.", "“We will not yield,” he said."}},
		{"acronym and year before stop", "Members of NATO met in 2015.It was cold.",
			[]string{"Members of NATO met in 2015.", "It was cold."}},
		{"one-letter words", "The vote was close.A recount follows.I doubt it.",
			[]string{"The vote was close.", "A recount follows.", "I doubt it."}},
		{"title before a pronoun", "The office is on Elm St.The door was shut.",
			[]string{"The office is on Elm St.", "The door was shut."}},
		{"apostrophe word", "It was the envoy's.The rest was silence.",
			[]string{"It was the envoy's.", "The rest was silence."}},

		// Footnote numbers glued to a stop.
		{"footnote", "The corridor stayed under their control.1 Western officials doubted it.",
			[]string{"The corridor stayed under their control.", "Western officials doubted it."}},
		{"footnote after quote", "He called it “a dead end.”12 Two aides left.",
			[]string{"He called it “a dead end.”", "Two aides left."}},
		{"footnote at the end", "The bridge was rebuilt.3",
			[]string{"The bridge was rebuilt."}},
		{"footnote after bracket", "Output fell (by a tenth).7 Prices rose.",
			[]string{"Output fell (by a tenth).", "Prices rose."}},
		{"footnote list", "The envoy repeated it in recent weeks.3,4 In addition, talks stalled.8-10 Aides left.",
			[]string{"The envoy repeated it in recent weeks.", "In addition, talks stalled.", "Aides left."}},
		{"bracketed footnote", "The plan was shelved in 2024.[12] Nobody objected.[iv] Then it returned.",
			[]string{"The plan was shelved in 2024.", "Nobody objected.", "Then it returned."}},
		{"markdown footnote link", "The envoy met the press.[[1]](https://example.org/report<#_edn1>) He gave no date.[[2]](https://example.org/report<#_edn2>)",
			[]string{"The envoy met the press.", "He gave no date."}},
		{"two bracketed footnotes", "The ministers disagreed.[3][4] Talks ended.",
			[]string{"The ministers disagreed.", "Talks ended."}},

		// Stops closed by marks Punkt does not read as closers.
		{"markdown bold", "**The envoys agreed on a second round.** They gave no date.",
			[]string{"**The envoys agreed on a second round.**", "They gave no date."}},
		{"markdown italics", "_The talks will resume._ Both sides said so.",
			[]string{"_The talks will resume._", "Both sides said so."}},
		{"soft hyphen", "The fund paid for the grants.\u00ad UK lenders added more.",
			[]string{"The fund paid for the grants.\u00ad", "UK lenders added more."}},

		// Not sentence ends.
		{"initialism", "The U.S.President spoke and the U.K.Minister listened.",
			[]string{"The U.S.President spoke and the U.K.Minister listened."}},
		{"e.g.", "Some states, e.g.The Netherlands, abstained.",
			[]string{"Some states, e.g.The Netherlands, abstained."}},
		{"initial", "A note by J.Smith was read out.", []string{"A note by J.Smith was read out."}},
		{"title before a name", "Prof.Novak and Mr.Lee met in St.Petersburg.",
			[]string{"Prof.Novak and Mr.Lee met in St.Petersburg."}},
		{"number abbreviation", "Resolution No.5 passed.", []string{"Resolution No.5 passed."}},
		{"number abbreviation then capital", "See No.5 Annex for details.", []string{"See No.5 Annex for details."}},
		{"page then number", "It is on p.12 Section two.", []string{"It is on p.12 Section two."}},
		{"decimal", "Growth was 2.5 percent.", []string{"Growth was 2.5 percent."}},
		{"decimal then capital", "Inflation hit 7.5 Monday.", []string{"Inflation hit 7.5 Monday."}},
		{"year after stop", "It ended in Kyiv.2022 Was different.", []string{"It ended in Kyiv.2022 Was different."}},
		{"lower-case domain", "Read it on bbc.co.uk today.", []string{"Read it on bbc.co.uk today."}},
		{"lower-case after stop", "Troops left Kherson.soldiers stayed.", []string{"Troops left Kherson.soldiers stayed."}},
		{"degree", "She has a Ph.D.In law, she says.", []string{"She has a Ph.D.In law, she says."}},
		{"all capitals after stop", "It runs on ASP.NET servers.", []string{"It runs on ASP.NET servers."}},
		{"link", "See https://Example.org/News.Today for more.", []string{"See https://Example.org/News.Today for more."}},
		{"www", "See www.Example.Org for more.", []string{"See www.Example.Org for more."}},
		{"state after party", "A letter from Sen. Ann Roe (D-W.Va.) followed.", []string{"A letter from Sen. Ann Roe (D-W.Va.) followed."}},
		{"e-mail", "Write to Jane.Doe@Example.org today.", []string{"Write to Jane.Doe@Example.org today."}},
		{"number at the end", "The score was 2.5", []string{"The score was 2.5"}},
		{"thousands after stop", "The town had 4,000 men.2,500 More came later.",
			[]string{"The town had 4,000 men.2,500 More came later."}},
		{"bracket without stop", "The talks [2] Resumed later.", []string{"The talks [2] Resumed later."}},
		{"bracket then lower case", "It was agreed.[3] and then undone.", []string{"It was agreed.[3] and then undone."}},
		{"link label after stop", "Read the report.[Full text](https://example.org) It is long.",
			[]string{"Read the report.[Full text](https://example.org) It is long."}},
		{"bold inside a sentence", "He called it **final.**and left.", []string{"He called it **final.**and left."}},
		{"italics then lower case", "It ended._ but not for long.", []string{"It ended._ but not for long."}},
		{"number abbreviation at the end", "It passed as Resolution No.5", []string{"It passed as Resolution No.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sp.SplitText(tt.in)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("SplitText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSplitFootnoteOffsets: a footnote number between two sentences
// belongs to neither, and the offsets still slice the text.
func TestSplitFootnoteOffsets(t *testing.T) {
	sp := newTestSplitter(t)
	text := "Talks stalled over the corridor.14 Western officials blamed Moscow.2"
	a := Article{Text: text, Blocks: []Block{{Kind: Paragraph, Start: 0, End: len(text), Text: text}}}
	sents := sp.Split(a)
	checkSentences(t, a, sents)
	if len(sents) != 2 || sents[0].Text != "Talks stalled over the corridor." || sents[1].Text != "Western officials blamed Moscow." {
		t.Fatalf("got %+v", sents)
	}
	if gap := text[sents[0].End:sents[1].Start]; gap != "14 " {
		t.Errorf("gap between the sentences %q, want the footnote %q", gap, "14 ")
	}
}

// TestSplitMarkdownFootnoteOffsets: Markdown footnote links between and
// after sentences belong to no sentence, and the offsets still slice the
// text.
func TestSplitMarkdownFootnoteOffsets(t *testing.T) {
	sp := newTestSplitter(t)
	mark := "[[3]](https://example.org/a<#_edn3>)"
	text := "Talks stalled over the corridor." + mark + " Officials blamed Moscow." + mark
	a := Article{Text: text, Blocks: []Block{{Kind: Paragraph, Start: 0, End: len(text), Text: text}}}
	sents := sp.Split(a)
	checkSentences(t, a, sents)
	if len(sents) != 2 || sents[0].Text != "Talks stalled over the corridor." || sents[1].Text != "Officials blamed Moscow." {
		t.Fatalf("got %+v", sents)
	}
	if gap := text[sents[0].End:sents[1].Start]; gap != mark+" " {
		t.Errorf("gap between the sentences %q, want the mark %q", gap, mark+" ")
	}
}

func TestSplitBlocks(t *testing.T) {
	sp := newTestSplitter(t)
	text := "Talks Resume in Istanbul\n\n" +
		"Moscow made demands. Kyiv refused them.\n" +
		"They include\n" +
		"• neutrality. No NATO. Ever,\n" +
		"• disarmament,\n" +
		"Reuters | Getty Images\n" +
		"Copyright Example News\n"
	a, err := Text(corpus.Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	sents := sp.Split(a)
	checkSentences(t, a, sents)
	var got []string
	for _, s := range sents {
		got = append(got, fmt.Sprintf("%v:%s", a.Blocks[s.Block].Kind, s.Text))
	}
	want := []string{
		"heading:Talks Resume in Istanbul",
		"paragraph:Moscow made demands.",
		"paragraph:Kyiv refused them.",
		"paragraph:They include",
		"list_item:neutrality. No NATO. Ever,",
		"list_item:disarmament,",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSplitNeverCrossesBlocks: a paragraph without final punctuation does
// not run into the next block.
func TestSplitNeverCrossesBlocks(t *testing.T) {
	sp := newTestSplitter(t)
	text := "This paragraph has no final stop and is long enough to be prose, not a heading at all\n\nNext paragraph starts here. It ends."
	a, err := Text(corpus.Document{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	sents := sp.Split(a)
	checkSentences(t, a, sents)
	if len(sents) != 3 || sents[0].Block == sents[1].Block {
		t.Errorf("got %+v", sents)
	}
}

// TestSplitBadBlocks: blocks that do not fit the text are skipped.
func TestSplitBadBlocks(t *testing.T) {
	sp := newTestSplitter(t)
	a := Article{Text: "Short. Text.", Blocks: []Block{
		{Kind: Paragraph, Start: 0, End: 100},
		{Kind: Paragraph, Start: 5, End: 2},
		{Kind: Paragraph, Start: -1, End: 3},
		{Kind: Paragraph, Start: 0, End: 12},
	}}
	sents := sp.Split(a)
	if len(sents) != 2 || sents[0].Block != 3 {
		t.Errorf("got %+v", sents)
	}
}

// TestSplitConcurrent calls Split from several goroutines on one Splitter;
// run with -race.
func TestSplitConcurrent(t *testing.T) {
	sp := newTestSplitter(t)
	texts := []string{
		"Mr. Lavrov said on Feb. 24 that talks would go on. Kyiv disagreed!\n\n• One item. Two.\nWhat next?\n",
		"“We are ready,” he said. The U.S. and the U.K. agreed. Approx. 300 people came.",
		strings.Repeat("Russia demands neutrality. Ukraine refuses. ", 50),
	}
	want := make([][]Sentence, len(texts))
	arts := make([]Article, len(texts))
	for i, tx := range texts {
		a, err := Text(corpus.Document{Text: tx})
		if err != nil {
			t.Fatal(err)
		}
		arts[i] = a
		want[i] = sp.Split(a)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				i := (g + k) % len(texts)
				got := sp.Split(arts[i])
				if fmt.Sprint(got) != fmt.Sprint(want[i]) {
					errs <- fmt.Sprintf("goroutine %d: text %d split differently", g, i)
					return
				}
				_ = sp.SplitText(texts[i])
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// FuzzText checks plain-text blocks and sentences: offsets in range,
// ordered, non-overlapping, Text equal to the slice, sentences inside
// their blocks.
func FuzzText(f *testing.F) {
	for _, s := range []string{
		"", " ", "\n\n", "Title\n\nOne. Two.\n• item.\n- item two\n1. first\n",
		"A | B | Getty Images\nCaption.\nCaption.\n", "“Quote.” He said. Mr. X. Feb. 24.",
		"Wrapped line that goes on for quite a while and\ncontinues here on the next line.",
		"\xff\xfe bad utf8. Next.\r\nLine\r\n", "\u00a0\u200b\ufeffText.\u2028More.",
		"Table of Contents\n- A\n- B\nA\nB\n", "?!. . . ... …", "•\n-\n1.\n",
		"Vienna.The talks.“We stay,” he said.It ended?No!Yes.", "control.1 Western officials.”12 Two.3",
		"U.S.President e.g.The J.Smith Prof.Novak No.5 2.5 bbc.co.uk Ph.D.In www.A.Org x@Y.Z.",
		"a.1 B\n.9 Z\nword.123\nword.1234 X",
		"Text.\n[1] https://a.b/c\n- [Home](https://a.b/)\n[](x)\nBy A — 2025\n[[iv]](https://a<#r4>) <https://b>\n",
		"Related:\nHeadline one\nHeadline two..\nProse again.\nEndnotes\n1. A, B, 2022.\nRetrieved 12 March 2022.\n(accessed Mar. 3, 2021)",
	} {
		f.Add(s)
	}
	sp := newTestSplitter(f)
	f.Fuzz(func(t *testing.T, s string) {
		a := plainArticle(s)
		if a.Text != s {
			t.Fatal("text rewritten")
		}
		checkBlocks(t, a)
		checkSentences(t, a, sp.Split(a))
		for _, x := range sp.SplitText(s) {
			if x == "" || !strings.Contains(s, x) || strings.TrimFunc(x, isTrimSpace) != x {
				t.Fatalf("SplitText gave %q", x)
			}
		}
		if strings.TrimFunc(s, unicode.IsSpace) != "" && len(a.Blocks) == 0 && strings.TrimFunc(s, isTrimSpace) != "" {
			t.Fatalf("no blocks for %q", s)
		}
	})
}
