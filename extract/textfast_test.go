package extract

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"redline/corpus"
	"redline/internal/sharedtest"
)

// The reference definitions below are the line rules as they read before
// the work in textfast.go: plain, allocating, and each counting the words
// itself. The tests hold the fast forms to them.

func refIsBoilerplateLine(s string) bool {
	if len(s) > 600 {
		return false
	}
	w := countWords(s)
	if w > 25 {
		return false
	}
	low := strings.ToLower(collapseSpace(s))
	low = strings.TrimRight(low, ":»›→>|. ")
	low = quoteFolder.Replace(low)
	if w <= 12 && (boilerplatePhrases[low] || reBoilerplateStart.MatchString(low)) {
		return true
	}
	if w <= 15 && reCopyright.MatchString(low) {
		return true
	}
	if reUpdatedNote.MatchString(low) {
		return true
	}
	return w <= 8 && reByline.MatchString(strings.TrimSpace(s))
}

func refIsCreditLine(s string) bool {
	if len(s) > 400 {
		return false
	}
	w := countWords(s)
	if w == 0 || w > 14 {
		return false
	}
	r, _ := lastSignificant(strings.TrimRight(s, ")"))
	if strings.ContainsRune(".!?:;,", r) && !strings.HasSuffix(s, ")") {
		return false
	}
	if reCreditStart.MatchString(s) {
		return true
	}
	low := strings.ToLower(s)
	if strings.Contains(s, "|") {
		parts := strings.Split(s, "|")
		for _, p := range parts {
			if countWords(p) > 6 {
				return false
			}
		}
		return len(parts) >= 3 || rePhotoAgency.MatchString(s)
	}
	if strings.HasPrefix(low, "via ") || strings.Contains(low, " via ") {
		return reAgency.MatchString(low)
	}
	if strings.Contains(s, "/") && w <= 8 && reAgency.MatchString(s) {
		return true
	}
	return w <= 4 && bareCredits[strings.Trim(collapseSpace(low), "() ")]
}

func refIsQuoteLine(s string) bool {
	if countWords(s) < 4 {
		return false
	}
	switch {
	case strings.HasPrefix(s, "“"):
		i := strings.Index(s, "”")
		return i >= 0 && i+len("”") == len(s)
	case strings.HasPrefix(s, "«"):
		i := strings.Index(s, "»")
		return i >= 0 && i+len("»") == len(s)
	case strings.HasPrefix(s, `"`):
		return strings.Count(s, `"`) == 2 && strings.HasSuffix(s, `"`)
	}
	return false
}

func refIsTitleCase(s string) bool {
	long, upper := 0, 0
	for _, f := range strings.Fields(s) {
		f = strings.TrimLeft(f, "“‘\"'([")
		if len([]rune(f)) < 4 {
			continue
		}
		long++
		if r := []rune(f)[0]; unicode.IsUpper(r) || unicode.IsDigit(r) {
			upper++
		}
	}
	return long >= 3 && upper*5 >= long*4
}

// refClassifyLines is classifyLines as it read, on the reference rules.
func refClassifyLines(text string, lines []line) {
	for i := range lines {
		l := &lines[i]
		c := text[l.cstart:l.end]
		switch {
		case !hasLetter(c):
			l.kind, l.decided = Boilerplate, true
		case refIsBoilerplateLine(c):
			l.kind, l.decided = Boilerplate, true
		case !l.list && refIsCreditLine(c) && !isLinkLine(c):
			// "Source: https://…" cites the text above; it is no
			// photo credit, and its neighbour is no caption.
			l.kind, l.decided, l.credit = Caption, true, true
		case l.list:
			l.kind = ListItem
		case refIsQuoteLine(c):
			l.kind = Quote
		default:
			l.kind = Paragraph
			w := countWords(c)
			switch {
			case isShortQuestion(c, w):
				l.question = true
			case !endsSentence(c) && !endsFragment(c):
				limit := 15
				if i == 0 || refIsTitleCase(c) {
					limit = 25
				}
				l.heading = w <= limit
			}
		}
	}

	// A caption precedes its credit line directly.
	for i := 1; i < len(lines); i++ {
		if !lines[i].credit || lines[i].blankBefore {
			continue
		}
		p := &lines[i-1]
		if p.decided || p.list {
			continue
		}
		if c := strings.TrimRight(p.content(text), "”’\"' "); strings.HasSuffix(c, "?") || strings.HasSuffix(c, ":") {
			continue
		}
		p.kind, p.decided = Caption, true
	}

	// Verbatim repeats: near copies are a caption printed twice; a list item
	// repeated by a later line is a table of contents entry; a far copy of
	// a longer line is boilerplate.
	// Keyed by a hash of the folded line, not the folded line itself:
	// building that string for every line of every article cost more
	// than the rest of the line classification.
	seen := make(map[uint64]int, len(lines))
	for i := range lines {
		l := &lines[i]
		if l.kind == Boilerplate {
			continue
		}
		key := fnvAdd(fnvOffset, foldLine(l.content(text)))
		j, ok := seen[key]
		seen[key] = i
		if !ok {
			continue
		}
		p := &lines[j]
		switch {
		case p.list && !l.list:
			p.kind, p.decided = Boilerplate, true
		case i-j <= 3 && !p.list && !l.list:
			p.kind, p.decided = Caption, true
			l.kind, l.decided = Caption, true
		case countWords(foldLine(l.content(text))) >= 4:
			l.kind, l.decided = Boilerplate, true
		}
	}

	// A table of contents: its title and the list items right after it.
	for i := 0; i < len(lines); i++ {
		if !reTOCTitle.MatchString(lines[i].content(text)) || lines[i].list {
			continue
		}
		lines[i].kind, lines[i].decided = Boilerplate, true
		for j := i + 1; j < len(lines) && lines[j].list; j++ {
			lines[j].kind, lines[j].decided = Boilerplate, true
		}
	}

	// Headings, unless a short line leads in to a list.
	for i := range lines {
		l := &lines[i]
		if l.decided || l.kind != Paragraph {
			continue
		}
		if l.question {
			l.kind = Heading
			continue
		}
		if !l.heading {
			continue
		}
		if i+1 < len(lines) && lines[i+1].list && isLeadIn(l.content(text)) {
			continue
		}
		l.kind = Heading
	}
}

// checkLineRules compares every fast line rule with its reference on s.
func checkLineRules(t *testing.T, s string) {
	t.Helper()
	var f lineFolder
	if got, want := isBoilerplateLine(s), refIsBoilerplateLine(s); got != want {
		t.Errorf("isBoilerplateLine(%q) = %v, reference %v", s, got, want)
	}
	if got, want := isCreditLine(s), refIsCreditLine(s); got != want {
		t.Errorf("isCreditLine(%q) = %v, reference %v", s, got, want)
	}
	if got, want := isQuoteLine(s), refIsQuoteLine(s); got != want {
		t.Errorf("isQuoteLine(%q) = %v, reference %v", s, got, want)
	}
	if got, want := isTitleCase(s), refIsTitleCase(s); got != want {
		t.Errorf("isTitleCase(%q) = %v, reference %v", s, got, want)
	}
	if got, want := foldLineHash(s), fnvAdd(fnvOffset, foldLine(s)); got != want {
		t.Errorf("foldLineHash(%q) = %x, want the hash of %q, %x", s, got, foldLine(s), want)
	}
	for _, limit := range []int{1, 4, maxLineWords, 81} {
		if got, want := countWordsUpTo(s, limit), min(countWords(s), limit); got != want {
			t.Errorf("countWordsUpTo(%q, %d) = %d, want %d", s, limit, got, want)
		}
	}
	if got, want := string(f.fold(s, true)), quoteFolder.Replace(strings.ToLower(collapseSpace(s))); got != want {
		t.Errorf("fold(%q, true) = %q, want %q", s, got, want)
	}
	if got, want := string(f.fold(s, false)), strings.ToLower(collapseSpace(s)); got != want {
		t.Errorf("fold(%q, false) = %q, want %q", s, got, want)
	}
	if got, want := string(f.lower(s)), strings.ToLower(s); got != want {
		t.Errorf("lower(%q) = %q, want %q", s, got, want)
	}
}

// lineRuleCases are lines written to reach the corners of the rules:
// every pattern's opening words in several cases, non-ASCII letters that
// fold to ASCII ones, curly quotes, invalid bytes, white space other than
// ASCII, and lines at the word limits.
var lineRuleCases = []string{
	"", " ", "—", "6:32", "...", "“”", "‘’«»", "| | |", "\xff", "a\xffb",
	"Share", "SHARE", "Share »", "Share this article:", "Contact Us", "What’s hot", "WHAT’S HOT",
	"Don’t miss", "Read more: Talks resume", "READ MORE", "Sign up for our newsletter",
	"Subscribe now", "subscribed", "All rights reserved.", "Copyright 2022 Reuters", "© 2022 AP",
	"(c) 2022 The Times", "(C) 2022", "copyrighted material is here", "ſign up", "ſhare",
	"This story has been updated", "Story was updated at 5pm", "Posted 12 March 2022, 10:42",
	"Published: 2 hours ago", "Last updated 5 min ago", "First published on Monday 1",
	"Updated", "Page is updated", "THIS ARTICLE HAS BEEN UPDATED",
	"By John Smith", "by Jane Doe and Max Mustermann, Reuters", "BY ANNA", "bY Émile Zola", "By", "Bystanders said",
	"By john smith", "  By Tom Jones", "\u00a0By Tom Jones",
	"Photo: Reuters", "PHOTO: Reuters", "(AP Photo/Evan Vucci)", "(Photo by Getty)", "Image credit: NASA",
	"File photo / Reuters", "Source: https://example.com/x", "Pictured: the summit", "ſource: AFP",
	"İmage: AFP", "Credits / Handout", "photographs by Jane", "((Photo: AFP))",
	"Anadolu Agency via Getty Images", "VIA ASSOCIATED PRESS", "vİa Reuters", "Smoke rises | Getty Images",
	"A | B | C", "A long caption with many words here | Getty Images", "Reuters", "Getty Images",
	"( Reuters )", "AFP/Getty Images", "Associated  Press", "Pool", "ap", "AP Photo/Jane Doe",
	"“We will never accept a capitulation,” he said.", "“We will never accept this”",
	"«Nous n’accepterons jamais cela»", "\"We will not give up any land\"", "\"a\" and \"b\" and more",
	"The Next Round Of Talks Begins In Geneva Today", "Talks in Geneva", "Why are the talks stalled?",
	"What next for Ukraine? The talks resume on Monday.",
	"ÉCOLE Straße İ", "Зеленський сказав, що переговори тривають", "KELVIN \u212a and \u017f",
	"Kyiv’s\u00a0position\u2003is\u2028clear", "tab\tand\vvertical\ftab\rreturn",
	"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen",
	"one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree twentyfour twentyfive twentysix",
	strings.Repeat("word ", 130), strings.Repeat("x", 601), "By " + strings.Repeat("Ab ", 9),
}

func TestLineRuleMatchesReference(t *testing.T) {
	for _, s := range append(lineRuleCases, referenceRuleCases...) {
		checkLineRules(t, s)
	}
}

// TestLineRuleFolds checks what mayBeByline and mayOpenCredit assume of
// case folding: which runes a case-insensitive pattern reads as the
// letters their patterns open with.
func TestLineRuleFolds(t *testing.T) {
	for _, tt := range []struct {
		letters string
		want    string
	}{
		{"b", "Bb"}, {"y", "Yy"}, {"cfips", "CFIPScfips\u017f"}, {"cit", "CITcit"}, {"fhptw", "FHPTWfhptw"}, {"ivxlc", "CILVXcilvx"},
	} {
		var got []rune
		for r := rune(0); r <= unicode.MaxRune; r++ {
			if foldsToOneOf(r, tt.letters) {
				got = append(got, r)
			}
		}
		if string(got) != tt.want {
			t.Errorf("runes folding to one of %q: %q, want %q", tt.letters, string(got), tt.want)
		}
	}
}

// bulkTexts returns the texts of the shared bulk dump.
func bulkTexts(tb testing.TB) []string {
	tb.Helper()
	const path = "../../shared/corpus/bulk.jsonl"
	if _, err := os.Stat(path); err != nil {
		sharedtest.Missing(tb, "shared corpus not found: ", err)
		return nil
	}
	r, err := corpus.Open([]string{path}, corpus.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	var out []string
	for {
		doc, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, doc.Text)
	}
	if len(out) < 800 {
		tb.Fatalf("read %d texts of %s, want its 814", len(out), path)
	}
	return out
}

// TestLineRuleMatchesReferenceOnBulk holds the fast line rules to their
// references on every line (as plainBlocks cuts them) of the bulk dump,
// and classifyLines to the reference classification.
func TestLineRuleMatchesReferenceOnBulk(t *testing.T) {
	kinds := map[BlockKind]int{}
	for _, text := range bulkTexts(t) {
		lines := splitLines(text)
		if len(lines) == 0 {
			continue
		}
		lines = joinWrapped(text, lines)
		for i := range lines {
			checkLineRules(t, lines[i].content(text))
		}
		got := slices.Clone(lines)
		classifyLines(text, got)
		want := slices.Clone(lines)
		refClassifyLines(text, want)
		for i := range want {
			kinds[want[i].kind]++
			if got[i] != want[i] {
				t.Errorf("line %q: %+v, reference %+v", lines[i].content(text), got[i], want[i])
			}
		}
		if t.Failed() {
			return
		}
	}
	// The corpus must reach the rules: furniture, captions and quotes.
	for _, k := range []BlockKind{Boilerplate, Caption, Quote, ListItem, Paragraph} {
		if kinds[k] == 0 {
			t.Errorf("no line of kind %v in the bulk dump: the comparison does not reach that rule", k)
		}
	}
}

// FuzzLineRuleMatchesReference holds the fast line rules to their
// references on any line.
func FuzzLineRuleMatchesReference(f *testing.F) {
	for _, s := range lineRuleCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkLineRules(t, s)
	})
}

// BenchmarkPlainBlocks is plainBlocks on every text of the bulk dump: the
// plain-text stage without the reading of the dump.
func BenchmarkPlainBlocks(b *testing.B) {
	texts := bulkTexts(b)
	b.SetBytes(textBytes(texts))
	b.ReportAllocs()
	blocks := 0
	for b.Loop() {
		blocks = 0
		for _, s := range texts {
			blocks += len(plainBlocks(s))
		}
	}
	b.ReportMetric(float64(blocks), "blocks")
}

// textBytes is the size of texts together, for b.SetBytes.
func textBytes(texts []string) int64 {
	var n int64
	for _, s := range texts {
		n += int64(len(s))
	}
	return n
}
