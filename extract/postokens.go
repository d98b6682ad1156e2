// The tokenizer below reproduces prose v2.0.0's iterTokenizer
// (github.com/jdkato/prose, tokenize.go), under the MIT licence quoted at
// the top of postag.go.

package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// proseSanitizer is the replacer prose runs over text before splitting it.
var proseSanitizer = strings.NewReplacer(
	"\u201c", `"`,
	"\u201d", `"`,
	"\u2018", "'",
	"\u2019", "'",
	"&rsquo;", "'")

// proseInternalRE matches the abbreviations prose keeps whole ("U.S.",
// "Mr.").
var proseInternalRE = regexp.MustCompile(`^(?:[A-Za-z]\.){2,}$|^[A-Z][a-z]{1,2}\.$`)

// proseWords is a sentence split into words as prose splits it.
type proseWords struct {
	words []string
	// reported[k] is the word whose tag prose reports for word k. prose
	// splits each whitespace-separated chunk once per text and, for a
	// chunk seen again, appends the same token values again; tagging then
	// writes every occurrence's tag into the one shared token, so all
	// occurrences report the tag of the last. The final chunk of a text is
	// split apart from that cache and keeps its own.
	reported []int
}

// splitProse splits text into words as prose's tokenizer does: runs of
// white space separate chunks, and each chunk is cut into words by
// proseSplit.
func splitProse(text string) proseWords {
	var pw proseWords
	clean := text
	if strings.ContainsAny(text, "\u201c\u201d\u2018\u2019&") {
		clean = proseSanitizer.Replace(text)
	}
	// start of each cached chunk's words in pw.words, by chunk.
	type chunk struct {
		text       string
		start, end int
	}
	var chunks []chunk
	repeated := false
	emit := func(span string, cached bool) {
		start := len(pw.words)
		pw.words = proseSplit(span, pw.words)
		if cached && len(pw.words) > start {
			for _, c := range chunks {
				if c.text == span {
					repeated = true
					break
				}
			}
			chunks = append(chunks, chunk{span, start, len(pw.words)})
		}
	}
	white := false
	start, index := 0, 0
	for index < len(clean) {
		uc, size := utf8.DecodeRuneInString(clean[index:])
		if index == 0 {
			white = unicode.IsSpace(uc)
		}
		if unicode.IsSpace(uc) != white {
			if start < index {
				emit(clean[start:index], true)
			}
			if uc == ' ' {
				start = index + 1
			} else {
				start = index
			}
			white = !white
		}
		index += size
	}
	if start < index {
		emit(clean[start:index], false)
	}
	pw.reported = make([]int, len(pw.words))
	for k := range pw.reported {
		pw.reported[k] = k
	}
	if repeated {
		// Walk back so that the last occurrence of a chunk is met first.
		last := map[string]int{}
		for i := len(chunks) - 1; i >= 0; i-- {
			c := chunks[i]
			if j, ok := last[c.text]; ok {
				for k := c.start; k < c.end; k++ {
					pw.reported[k] = j + k - c.start
				}
				continue
			}
			last[c.text] = c.start
		}
	}
	return pw
}

// proseSplit appends the words of one chunk (no white space in it, or
// only white space) to words, as prose's doSplit cuts it: prefixes and
// suffixes of punctuation come off one at a time, contractions are cut
// before "'ll", "'s", "'re", "'m" or "n't", and the loop stops at the first
// step that leaves the chunk as long as it was (which drops the rest of
// the chunk: "'s," gives no word at all).
func proseSplit(token string, words []string) []string {
	var suffs []string
	last := 0
	for token != "" && utf8.RuneCountInString(token) != last {
		if proseSpecial(token) {
			words = proseAdd(token, words)
			break
		}
		last = utf8.RuneCountInString(token)
		lower := strings.ToLower(token)
		if len(token) > 1 && strings.IndexByte(`$("[`, token[0]) >= 0 {
			words = proseAdd(token[:1], words)
			token = token[1:]
		} else if idx := proseIndex(lower, contractions); idx > -1 {
			words = proseAdd(token[:min(idx, len(token))], words)
			token = token[min(idx, len(token)):]
		} else if idx := proseIndex(lower, negations); idx > -1 {
			words = proseAdd(token[:min(idx, len(token))], words)
			token = token[min(idx, len(token)):]
		} else if len(token) > 1 && strings.IndexByte(`,)"]!;.?:'`, token[len(token)-1]) >= 0 {
			suffs = append(suffs, token[len(token)-1:])
			token = token[:len(token)-1]
		} else {
			words = proseAdd(token, words)
		}
	}
	// The suffixes came off last first.
	for i := len(suffs) - 1; i >= 0; i-- {
		words = append(words, suffs[i])
	}
	return words
}

var (
	contractions = []string{"'ll", "'s", "'re", "'m"}
	negations    = []string{"n't"}
)

// proseIndex is where the first of subs (in their order) that occurs in s
// starts, if s is longer than it; -1 if none does.
func proseIndex(s string, subs []string) int {
	for _, sub := range subs {
		if i := strings.Index(s, sub); i >= 0 && len(s) > len(sub) {
			return i
		}
	}
	return -1
}

// proseSpecial is a chunk prose keeps whole: an emoticon or an
// abbreviation.
func proseSpecial(token string) bool {
	if isEmoticon(token) {
		return true
	}
	// Both abbreviation patterns end in a dot.
	return strings.HasSuffix(token, ".") && proseInternalRE.MatchString(token)
}

func proseAdd(s string, words []string) []string {
	if strings.TrimSpace(s) != "" {
		words = append(words, s)
	}
	return words
}
