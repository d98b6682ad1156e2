package web

import (
	"reflect"
	"strings"
	"testing"

	"redline/claim"
)

func TestParagraphs(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"\n\n \n", nil},
		{"One.", []string{"One."}},
		{"One.\n\nTwo.", []string{"One.", "Two."}},
		{"One.\nstill one.\n\n\n\nTwo.\n", []string{"One.\nstill one.", "Two."}},
		{"\n\nOne.\n \t\nTwo.\r\n\r\nThree", []string{"One.", "Two.\r", "Three"}},
		{"  indented\n\n", []string{"  indented"}},
	} {
		var got []string
		for _, p := range paragraphs(tt.text) {
			got = append(got, tt.text[p[0]:p[1]])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("paragraphs(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// laidOut renders paragraphs as text with [N ... ] around highlight N.
func laidOut(paras []textPara) string {
	var b strings.Builder
	for i, p := range paras {
		if i > 0 {
			b.WriteString(" | ")
		}
		for _, r := range p {
			if r.Span == 0 {
				b.WriteString(r.Text)
				continue
			}
			b.WriteString("[")
			if r.First {
				b.WriteString("#")
			}
			for _, s := range r.Segments {
				if s.Mark != "" {
					b.WriteString("<" + s.Mark + ":" + s.Text + ">")
				} else {
					b.WriteString(s.Text)
				}
			}
			b.WriteString("]")
		}
	}
	return b.String()
}

func hitAt(text string, start, end int, cue string) apiHit {
	c := claim.Claim{DocID: "d", Start: start, End: end, Party: "russia", Kind: claim.Demand, Cue: cue}
	if start >= 0 && end <= len(text) && start <= end {
		c.Sentence = text[start:end]
	}
	return apiHit{ID: "c", Claim: c}
}

// TestFullTextOffsets: claims are highlighted where their offsets say;
// offsets outside the text, cutting a character, or not pointing at the
// sentence leave the claim listed with the reason and unhighlighted;
// overlapping sentences make one highlight; nothing panics.
func TestFullTextOffsets(t *testing.T) {
	const text = "Kyiv waits.\n\nRussia demands Київ now. Ukraine offers talks.\n\nEnd."
	s := &Server{}
	ru := strings.Index(text, "Russia")
	uk := strings.Index(text, "Ukraine")
	kyiv := strings.Index(text, "Київ")
	bad := hitAt(text, ru, uk-1, "demands")
	bad.Claim.Sentence = "Something else."
	hits := []apiHit{
		hitAt(text, ru, uk-1, "demands"),                           // 1: placed
		hitAt(text, uk, uk+len("Ukraine offers talks."), "offers"), // 2: placed
		hitAt(text, -5, 3, ""),                                     // 3: before the text
		hitAt(text, 60, 200, ""),                                   // 4: past its end
		hitAt(text, kyiv+1, kyiv+4, ""),                            // 5: cuts a character
		bad,                                                        // 6: not its sentence
		hitAt(text, 4, 4, ""),                                      // 7: empty
	}
	hits[3].Claim.Sentence = "x"
	paras, list := s.fullText(text, hits)
	want := "Kyiv waits. | [#Russia <cue:demands> Київ now.] [#Ukraine <cue:offers> talks.] | End."
	if got := laidOut(paras); got != want {
		t.Errorf("laid out:\n got %s\nwant %s", got, want)
	}
	wantWhy := []string{"", "", "outside", "outside", "cut a character", "do not point at its sentence", "outside"}
	for i, l := range list {
		if l.N != i+1 {
			t.Errorf("entry %d numbered %d", i, l.N)
		}
		if (wantWhy[i] == "") != (l.Span > 0) || !strings.Contains(l.Why, wantWhy[i]) {
			t.Errorf("claim %d: span %d, why %q; want why containing %q", i+1, l.Span, l.Why, wantWhy[i])
		}
	}
	if list[0].Span != 1 || list[1].Span != 2 {
		t.Errorf("spans %d, %d; want 1, 2", list[0].Span, list[1].Span)
	}

	// Overlapping claims share one highlight, linked to the first; a
	// sentence across a paragraph break is shown in both, anchored once.
	whole := strings.Index(text, "Russia")
	over := []apiHit{
		hitAt(text, whole, strings.Index(text, " Ukraine"), "demands"),
		hitAt(text, strings.Index(text, "Київ"), strings.Index(text, "talks.")+6, "offers"),
		hitAt(text, strings.Index(text, "talks."), len(text), ""),
	}
	paras, list = s.fullText(text, over)
	want = "Kyiv waits. | [#Russia <cue:demands> Київ now. Ukraine <cue:offers> talks.] | [End.]"
	if got := laidOut(paras); got != want {
		t.Errorf("overlapping, laid out:\n got %s\nwant %s", got, want)
	}
	for i, l := range list {
		if l.Span != 1 || l.Why != "" {
			t.Errorf("overlapping claim %d: span %d, why %q", i+1, l.Span, l.Why)
		}
	}
	if c := paras[1][0].Claim; c != 1 {
		t.Errorf("the merged highlight links to claim %d, want 1", c)
	}
}

// FuzzFullText: any offsets on any text lay out without a panic, the
// paragraphs keep the text, and a placed claim is highlighted exactly.
func FuzzFullText(f *testing.F) {
	f.Add("Russia demands peace.\n\nKyiv offers talks.", 0, 21, 23, 41)
	f.Add("Київ.\n\nх", 1, 3, -1, 100)
	f.Add("\n\n\n", 0, 3, 1, 2)
	f.Fuzz(func(t *testing.T, text string, s1, e1, s2, e2 int) {
		s := &Server{}
		hits := []apiHit{hitAt(text, s1, e1, "demands"), hitAt(text, s2, e2, "")}
		paras, list := s.fullText(text, hits)
		var got, want []string
		for _, p := range paras {
			var b strings.Builder
			for _, r := range p {
				if r.Span == 0 {
					b.WriteString(r.Text)
				}
				for _, seg := range r.Segments {
					b.WriteString(seg.Text)
				}
			}
			got = append(got, b.String())
		}
		for _, p := range paragraphs(text) {
			want = append(want, text[p[0]:p[1]])
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("laid out %q, paragraphs %q", got, want)
		}
		if len(list) != 2 {
			t.Fatalf("%d listed", len(list))
		}
		for _, l := range list {
			if (l.Span > 0) == (l.Why != "") {
				t.Fatalf("claim %d: span %d and why %q", l.N, l.Span, l.Why)
			}
		}
	})
}
