// The tokenizer below reproduces prose v2.0.0's iterTokenizer
// (github.com/jdkato/prose, tokenize.go), under the MIT licence quoted at
// the top of postag.go.

package extract

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// proseSanitize is the replacer prose runs over text before splitting it:
// curly quotes and "&rsquo;" become straight quotes. (strings.Replacer does
// the same, slower.)
func proseSanitize(text string) string {
	var b []byte
	last := 0
	for i := 0; i < len(text); i++ {
		var with byte
		n := 0
		switch text[i] {
		case 0xe2: // U+2018, U+2019, U+201C, U+201D are e2 80 98/99/9c/9d.
			if i+2 < len(text) && text[i+1] == 0x80 {
				switch text[i+2] {
				case 0x98, 0x99:
					with, n = '\'', 3
				case 0x9c, 0x9d:
					with, n = '"', 3
				}
			}
		case '&':
			if strings.HasPrefix(text[i:], "&rsquo;") {
				with, n = '\'', len("&rsquo;")
			}
		}
		if n == 0 {
			continue
		}
		b = append(append(b, text[last:i]...), with)
		i += n - 1
		last = i + 1
	}
	if b == nil {
		return text
	}
	return string(append(b, text[last:]...))
}

// proseInternalRE matches the abbreviations prose keeps whole ("U.S.",
// "Mr.").
var proseInternalRE = regexp.MustCompile(`^(?:[A-Za-z]\.){2,}$|^[A-Z][a-z]{1,2}\.$`)

// proseWords is a sentence split into words as prose splits it; its
// buffers are reused from one split to the next.
type proseWords struct {
	words []string
	// reported[k] is the word whose tag prose reports for word k, when
	// aliased (otherwise its own, for every word). prose splits each
	// whitespace-separated chunk once per text and, for a chunk seen
	// again, appends the same token values again; tagging then writes
	// every occurrence's tag into the one shared token, so all occurrences
	// report the tag of the last. The final chunk of a text is split apart
	// from that cache and keeps its own.
	reported []int
	aliased  bool
	chunks   []proseChunk
}

// proseChunk is a chunk split through prose's cache, and its words.
type proseChunk struct {
	text       string
	start, end int
}

// split splits text into words as prose's tokenizer does: runs of white
// space separate chunks, and each chunk is cut into words by proseSplit.
func (pw *proseWords) split(text string) {
	pw.words, pw.chunks, pw.aliased = pw.words[:0], pw.chunks[:0], false
	clean := proseSanitize(text)
	white := false
	start, index := 0, 0
	for index < len(clean) {
		uc, size := rune(clean[index]), 1
		if uc >= utf8.RuneSelf {
			uc, size = utf8.DecodeRuneInString(clean[index:])
		}
		space := isSpaceRune(uc)
		if index == 0 {
			white = space
		}
		if space != white {
			if start < index {
				n := len(pw.words)
				pw.words = proseSplit(clean[start:index], pw.words)
				if len(pw.words) > n {
					pw.chunks = append(pw.chunks, proseChunk{clean[start:index], n, len(pw.words)})
				}
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
		pw.words = proseSplit(clean[start:index], pw.words)
	}
	chunks := pw.chunks
	for i, c := range chunks {
		for j := len(chunks) - 1; j > i; j-- {
			if d := chunks[j]; d.end-d.start == c.end-c.start && d.text == c.text {
				if !pw.aliased {
					pw.aliased = true
					pw.reported = slices.Grow(pw.reported[:0], len(pw.words))[:len(pw.words)]
					for k := range pw.reported {
						pw.reported[k] = k
					}
				}
				for k := c.start; k < c.end; k++ {
					pw.reported[k] = d.start + k - c.start
				}
				break
			}
		}
	}
}

// isSpaceRune is unicode.IsSpace, quicker for ASCII.
func isSpaceRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || '\t' <= r && r <= '\r'
	}
	return unicode.IsSpace(r)
}

// proseCuts are the bytes at which prose's doSplit may cut a chunk or keep
// it whole as an abbreviation: a chunk without any is one word.
var proseCuts = func() (t [256]bool) {
	for _, c := range []byte(`$("[,)]!;.?:'`) {
		t[c] = true
	}
	return t
}()

// proseSplit appends the words of one chunk (no white space in it, or
// only white space) to words, as prose's doSplit cuts it: prefixes and
// suffixes of punctuation come off one at a time, contractions are cut
// before "'ll", "'s", "'re", "'m" or "n't", and the loop stops at the first
// step that leaves the chunk as long as it was (which drops the rest of
// the chunk: "'s," gives no word at all).
func proseSplit(token string, words []string) []string {
	plain := true
	for i := 0; i < len(token) && plain; i++ {
		plain = !proseCuts[token[i]]
	}
	if plain {
		// prose would keep it whole as an emoticon ("8D") or as a word.
		return proseAdd(token, words)
	}
	var suffs []string
	last := 0
	for token != "" && utf8.RuneCountInString(token) != last {
		if proseSpecial(token) {
			words = proseAdd(token, words)
			break
		}
		last = utf8.RuneCountInString(token)
		// Every contraction has an apostrophe, and lower-casing makes
		// none: without one, prose's lower-cased copy finds nothing.
		lower := ""
		if strings.IndexByte(token, '\'') >= 0 {
			lower = strings.ToLower(token)
		}
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
