package extract

// Claim rules: topics. What a position is about: the lexicon's topic
// phrases in the stretch of the sentence that belongs to the cue.

import (
	"slices"
)

// topicsIn returns the topic ids named in tokens [from, to), in first-seen
// order. A phrase that stands for a party acting in the sentence ("supported
// by NATO", "NATO has said") is that party, not the topic. Weak phrases
// count only when nothing else names a topic.
func (lx *Lexicon) topicsIn(ss *sentenceState, from, to int) []string {
	var strong, weak []string
	eachTopicPhrase(lx, ss, from, to, func(_, _ int, ref topicRef) {
		list := &strong
		if ref.weak {
			list = &weak
		}
		if !slices.Contains(*list, ref.id) {
			*list = append(*list, ref.id)
		}
	})
	if len(strong) > 0 {
		return strong
	}
	return weak
}

// eachTopicPhrase calls fn with the tokens [i, j) and the topic of each
// longest topic phrase of the lexicon in tokens [from, to) of the sentence,
// in order. A phrase that stands for a party acting in the sentence
// ("supported by NATO", "NATO has said") is that party, not the topic, and
// is passed over.
func eachTopicPhrase(lx *Lexicon, ss *sentenceState, from, to int, fn func(i, j int, ref topicRef)) {
	toks := ss.toks
	var buf [4]match
	for i := max(from, 0); i < to && i < len(toks); {
		ms := lx.topics.appendAt(buf[:0], toks, i)
		if len(ms) == 0 {
			i++
			continue
		}
		j := ms[0].j
		if m, ok := mentionStartingAt(ss.mentions, i); ok && m.j == j && (m.subject || (i > 0 && toks[i-1].norm == "by")) {
			i = j
			continue
		}
		for _, m := range ms {
			if m.j != j {
				break
			}
			fn(i, j, m.value.(topicRef))
		}
		i = j
	}
}
