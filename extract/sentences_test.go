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
