package extract

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/neurosnap/sentences.v1"
	"gopkg.in/neurosnap/sentences.v1/data"
)

// Splitter splits an Article's blocks into sentences.
//
// It holds the English Punkt model of github.com/jdkato/prose/v2 (the model
// and word tokenizer that prose.NewDocument builds for its sentence
// segmentation), loaded once by NewSplitter, and corrects it for news text:
// no break after titles and abbreviations ("Mr.", "Gen.", "Feb. 24",
// "No. 5", "approx."), no break before a lower-case word, never a break
// across a block.
//
// A Splitter is safe for concurrent use by many goroutines: after NewSplitter
// nothing in it is written. (The Punkt tokenizer keeps its per-call state in
// the tokens it allocates for each call; its model maps are only read.)
type Splitter struct {
	tok *sentences.DefaultSentenceTokenizer
}

// extraAbbrevs are abbreviations added to the Punkt model. The first four are
// prose's own additions; the rest are frequent in news and missing from the
// model ("No. 10", "approx. 300", "Capt.", "Mar. 7").
var extraAbbrevs = [...]string{
	"sgt", "gov", "no", "mt",
	"approx", "e.g", "i.e", "capt", "rev", "cmdr", "brig", "gens", "messrs",
	"amb", "supt", "insp", "det", "pvt", "cpl", "nos", "fig", "vol", "pp",
	"cf", "viz", "dept", "mar", "apr", "jun", "jul", "sept", "etc", "ca",
	"reps", "sens", "hon", "pres", "atty", "lt.-gen", "lt.-col", "maj.-gen",
}

// titleAbbrevs precede a name: a period after them ends no sentence, unless
// an article or pronoun follows ("Baker St. He …"; see sentenceStarters).
var titleAbbrevs = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "messrs": true, "dr": true, "prof": true,
	"gen": true, "gens": true, "lt": true, "col": true, "maj": true, "capt": true,
	"cmdr": true, "adm": true, "brig": true, "sgt": true, "cpl": true, "pvt": true,
	"gov": true, "sen": true, "sens": true, "rep": true, "reps": true, "rev": true,
	"hon": true, "pres": true, "amb": true, "supt": true, "insp": true, "det": true,
	"st": true, "mt": true, "ft": true, "atty": true, "lt.-gen": true,
	"lt.-col": true, "maj.-gen": true, "vs": true, "v": true, "approx": true,
	"e.g": true, "i.e": true, "cf": true, "viz": true, "ca": true,
}

// numberAbbrevs precede a number: a period after them does not end a
// sentence when a digit follows ("Feb. 24", "No. 10", "p. 5").
var numberAbbrevs = map[string]bool{
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"no": true, "nos": true, "p": true, "pp": true, "fig": true, "vol": true,
	"art": true, "sec": true, "ch": true, "para": true, "op": true,
}

// NewSplitter loads the English Punkt model (about 20 ms) and returns a
// Splitter. Build one and share it: Split and SplitText are safe for
// concurrent use.
func NewSplitter() (*Splitter, error) {
	// The construction follows prose v2's segment.go (newSentenceTokenizer,
	// MIT licence, (c) 2015 Eric Bower / jdkato): the English training data
	// of neurosnap/sentences, prose's extra abbreviations, its word
	// tokenizer with more sentence-ending punctuation, and its
	// multi-punctuation annotation.
	b, err := data.Asset("data/english.json")
	if err != nil {
		return nil, fmt.Errorf("extract: loading the sentence model: %w", err)
	}
	training, err := sentences.LoadTraining(b)
	if err != nil {
		return nil, fmt.Errorf("extract: loading the sentence model: %w", err)
	}
	for _, a := range extraAbbrevs {
		training.AbbrevTypes.Add(a)
	}
	lang := sentences.NewPunctStrings()
	word := &proseWordTokenizer{}
	word.PunctStrings = lang
	annotations := sentences.NewAnnotations(training, lang, word)
	ortho := &sentences.OrthoContext{
		Storage:      training,
		PunctStrings: lang,
		TokenType:    word,
		TokenFirst:   word,
	}
	annotations = append(annotations, &multiPunctAnnotation{
		Storage:      training,
		TokenParser:  word,
		TokenGrouper: &sentences.DefaultTokenGrouper{},
		Ortho:        ortho,
	})
	return &Splitter{tok: &sentences.DefaultSentenceTokenizer{
		Storage:       training,
		PunctStrings:  lang,
		WordTokenizer: word,
		Annotations:   annotations,
	}}, nil
}

// Split returns the sentences of a's blocks in reading order. Paragraph and
// Quote blocks are split with the Punkt model; a Heading or ListItem block
// is one sentence (a bullet is a unit, whatever punctuation it holds);
// Caption and Boilerplate blocks give none. Every sentence lies inside its
// block, has no surrounding white space, is non-empty, and satisfies
// a.Text[s.Start:s.End] == s.Text. Blocks whose offsets do not fit a.Text
// are skipped rather than trusted.
func (s *Splitter) Split(a Article) []Sentence {
	out := make([]Sentence, 0, len(a.Blocks)*2)
	for bi, b := range a.Blocks {
		if b.Start < 0 || b.End > len(a.Text) || b.Start > b.End {
			continue
		}
		switch b.Kind {
		case Caption, Boilerplate:
			continue
		case Heading, ListItem:
			st, en := trimRange(a.Text, b.Start, b.End)
			if st < en {
				out = append(out, Sentence{Start: st, End: en, Text: a.Text[st:en], Block: bi})
			}
		default:
			for _, r := range s.spans(a.Text[b.Start:b.End]) {
				st, en := b.Start+r[0], b.Start+r[1]
				out = append(out, Sentence{Start: st, End: en, Text: a.Text[st:en], Block: bi})
			}
		}
	}
	return out
}

// SplitText splits one run of prose (no block structure) into trimmed,
// non-empty sentences, with the same corrections as Split. Line breaks are
// not treated as boundaries: pass one paragraph at a time.
func (s *Splitter) SplitText(text string) []string {
	spans := s.spans(text)
	out := make([]string, len(spans))
	for i, r := range spans {
		out[i] = text[r[0]:r[1]]
	}
	return out
}

// spans returns the trimmed byte ranges of the sentences of text.
func (s *Splitter) spans(text string) [][2]int {
	st, en := trimRange(text, 0, len(text))
	if st >= en {
		return nil
	}
	var cuts []cut
	if hasSentencePunct(text[st:en]) {
		// Punkt's breaks are the offsets of the white space after a
		// sentence-final token; it splits tokens at white space only, so
		// run-together sentences ("Ukraine.The") come from gluedCuts.
		for _, tok := range s.tok.AnnotatedTokens(text) {
			if tok.SentBreak && tok.Position > st && tok.Position < en {
				cuts = append(cuts, cut{tok.Position, tok.Position})
			}
		}
		if glued := gluedCuts(text, st, en); len(glued) > 0 {
			cuts = append(cuts, glued...)
			slices.SortFunc(cuts, func(a, b cut) int { return a.end - b.end })
		}
	}
	var out [][2]int
	cur := st
	for _, c := range cuts {
		if c.end <= cur {
			continue
		}
		a, b := trimRange(text, cur, c.end)
		rest, _ := trimRange(text, c.next, en)
		if a >= b {
			continue
		}
		if !keepBreak(text[a:b], text[rest:en]) {
			continue
		}
		out = append(out, [2]int{a, b})
		cur = c.next
	}
	if a, b := trimRange(text, cur, en); a < b {
		out = append(out, [2]int{a, b - trailingFootnote(text[a:b])})
	}
	return out
}

// hasSentencePunct reports whether text holds a character that can end a
// sentence; without one Punkt has nothing to do.
func hasSentencePunct(text string) bool {
	return strings.ContainsAny(text, ".!?")
}

// lastWord returns the last white-space separated word of s, without
// leading brackets or quotes.
func lastWord(s string) string {
	w := s[strings.LastIndexFunc(s, unicode.IsSpace)+1:]
	return strings.TrimLeft(w, "([“\"‘'«")
}

// keepBreak decides whether a break Punkt proposed between prev (the
// trimmed text before it) and next (the trimmed rest) stands.
func keepBreak(prev, next string) bool {
	first, _ := utf8.DecodeRuneInString(next)
	// A fragment without letters or digits ("”", "…", ")") is no sentence.
	if !hasAlnum(next) || !hasAlnum(prev) {
		return false
	}
	// Sentences do not start with a lower-case letter or closing
	// punctuation: "U.S. officials", "Feb. 24., is what".
	if unicode.IsLower(first) || strings.ContainsRune(",;:)]}”’%", first) {
		return false
	}
	if !strings.HasSuffix(prev, ".") {
		return true
	}
	w := strings.ToLower(lastWord(prev))
	w = strings.TrimSuffix(w, ".")
	if titleAbbrevs[w] {
		// "Baker St. He …": a pronoun or article is no name.
		return sentenceStarters[strings.ToLower(firstWord(next))]
	}
	if numberAbbrevs[w] && unicode.IsDigit(first) {
		return false
	}
	return true
}

// sentenceStarters are words that begin sentences and never names, so a
// title abbreviation before them ends a sentence after all.
var sentenceStarters = map[string]bool{
	"the": true, "he": true, "she": true, "it": true, "they": true, "we": true,
	"i": true, "this": true, "that": true, "these": true, "those": true,
	"but": true, "and": true, "a": true, "an": true, "his": true, "her": true,
	"its": true, "their": true, "there": true, "in": true, "on": true,
}

// firstWord returns the first word of s, letters only.
func firstWord(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		return s
	}
	return s[:end]
}

// hasAlnum reports whether s holds a letter or digit.
func hasAlnum(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// isTrimSpace reports white space to trim around blocks and sentences:
// Unicode white space plus the invisible BOM and zero-width space.
func isTrimSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\ufeff' || r == '\u200b'
}

// trimRange narrows [start, end) of text to exclude surrounding white space.
// Invalid UTF-8 bytes are kept (they are not space).
func trimRange(text string, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:end])
		if r == utf8.RuneError && n <= 1 || !isTrimSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[start:end])
		if r == utf8.RuneError && n <= 1 || !isTrimSpace(r) {
			break
		}
		end -= n
	}
	return start, end
}

// proseWordTokenizer is prose v2's word tokenizer: the default one with
// more sentence-ending punctuation (curly quotes after a period).
type proseWordTokenizer struct {
	sentences.DefaultWordTokenizer
}

var (
	sentEnders = [...]string{
		`."`, `.)`, `.’`, `.”`,
		`?`, `?"`, `?'`, `?)`, `?’`, `?”`,
		`!`, `!"`, `!'`, `!)`, `!’`, `!”`,
	}
	sentEnderParens = [...]string{
		`.[`, `.(`, `."`,
		`?[`, `?(`,
		`![`, `!(`,
	}
)

// HasSentEndChars reports whether a token ends a sentence by its own
// punctuation (prose's list, which drops the default's `.'`).
func (e *proseWordTokenizer) HasSentEndChars(t *sentences.Token) bool {
	for _, ender := range sentEnders {
		if strings.HasSuffix(t.Tok, ender) && !strings.Contains(t.Tok, "Yahoo!") {
			return true
		}
	}
	for _, paren := range sentEnderParens {
		if strings.Contains(t.Tok, paren) {
			return true
		}
	}
	return false
}

// multiPunctAnnotation is prose v2's multiPunctWordAnnotation: it teases out
// abbreviations such as "F.B.I." and reconsiders breaks after quotes,
// parentheses and ellipses.
type multiPunctAnnotation struct {
	*sentences.Storage
	sentences.TokenParser
	sentences.TokenGrouper
	sentences.Ortho
}

var (
	reAbbrTok       = newLazyRegexp(`((?:[\w]\.)+[\w]*\.)`)
	reLooksEllipsis = newLazyRegexp(`(?:\.\s?){2,}\.`)
)

// Annotate implements sentences.AnnotateTokens.
func (a *multiPunctAnnotation) Annotate(tokens []*sentences.Token) []*sentences.Token {
	for _, pair := range a.TokenGrouper.Group(tokens) {
		if len(pair) < 2 || pair[1] == nil {
			tok := pair[0].Tok
			if strings.Contains(tok, "\n") && strings.Contains(tok, " ") {
				pair[0].SentBreak = false
			}
			continue
		}
		a.tokenAnnotation(pair[0], pair[1])
	}
	return tokens
}

// looksInternal reports whether tok's final punctuation could occur inside
// a sentence (a closing parenthesis or quote).
func looksInternal(tok string) bool {
	for _, p := range [...]string{")", `’`, `”`, `"`, `'`} {
		if strings.HasSuffix(tok, p) {
			return true
		}
	}
	return false
}

func (a *multiPunctAnnotation) tokenAnnotation(one, two *sentences.Token) {
	var nextTyp string
	if strings.HasSuffix(one.Tok, ".") && two.Tok == "." {
		one.SentBreak = false
		two.SentBreak = false
		return
	}
	isNonBreak := strings.HasSuffix(one.Tok, ".") && !one.SentBreak
	isEllipsis := reLooksEllipsis.MatchString(one.Tok)
	isInternal := one.SentBreak && looksInternal(one.Tok)

	if isNonBreak || isEllipsis || isInternal {
		nextTyp = a.TokenParser.TypeNoSentPeriod(two)
		isStarter := a.SentStarters[nextTyp]
		if isEllipsis {
			if a.TokenParser.FirstUpper(two) || isStarter != 0 {
				one.SentBreak = true
				return
			}
		}
		if isInternal {
			if a.TokenParser.FirstLower(two) && isStarter == 0 {
				one.SentBreak = false
				return
			}
		}
		if isNonBreak && a.TokenParser.FirstUpper(two) {
			if a.Storage.OrthoContext[nextTyp]&112 != 0 {
				one.SentBreak = true
			}
		}
	}
	if !reAbbrTok.MatchString(one.Tok) {
		return
	}
	if a.IsInitial(one) {
		return
	}
	one.Abbr = true
	one.SentBreak = false
	if a.Ortho.Heuristic(two) == 1 {
		one.SentBreak = true
		return
	}
	if nextTyp == "" {
		nextTyp = a.TokenParser.TypeNoSentPeriod(two)
	}
	if a.TokenParser.FirstUpper(two) && a.SentStarters[nextTyp] != 0 {
		one.SentBreak = true
	}
}
