package extract

// Word-class features: the claim model learns from a few hundred annotated
// articles, so the words around a cue or a party are mostly words it saw
// with a label a few times or never. Their Brown classes (wordclasses.go)
// are shared with the words it did see: "pressed" before a cue reads like
// "urged", "Peskov" before a verb like "Lavrov". Measured with 5-fold
// cross-validation over three seeds, the classes of the cue's words and
// neighbours and of the holder's neighbours raise claim F1; those of every
// word of the sentence, of the mention's own words, or coarse classes alone
// (POS-like) do not.

// classPrefixes are the lengths of the class prefixes a word's features
// carry: short prefixes are broad classes, long ones narrow. A class
// shorter than a length gives its whole bit string once.
var classPrefixes = [...]int{4, 8, 12}

// addClass adds a feature prefix+bits for each class prefix of word, none
// when the word has no class.
func addClass(f *featureSet, wc *WordClasses, prefix, word string) {
	bits, ok := wc.bits[word]
	if !ok {
		return
	}
	for _, n := range classPrefixes {
		n = min(n, len(bits))
		f.add(prefix, bits[:n])
		if n == len(bits) {
			break
		}
	}
}

// classSentenceFeatures appends to f the word-class features of a
// sentence: the classes of each cue's words and of the words either side
// of it.
func classSentenceFeatures(wc *WordClasses, ss *sentenceState, cues []cue, f *featureSet) {
	if wc.Len() == 0 {
		return
	}
	toks := ss.toks
	for _, c := range cues {
		for k := c.i; k < c.j && k < len(toks); k++ {
			addClass(f, wc, "kc:", toks[k].norm)
		}
		if c.i > 0 {
			addClass(f, wc, "kcl:", toks[c.i-1].norm)
		}
		if c.j < len(toks) {
			addClass(f, wc, "kcr:", toks[c.j].norm)
		}
	}
}

// classHolderFeatures appends to each holder's features the word classes
// around its first mention in the sentence: the words before and after it
// and, when a cue follows within 8 words, those between it and the cue.
func classHolderFeatures(wc *WordClasses, ss *sentenceState, cues []cue, hs []holder) {
	if wc.Len() == 0 {
		return
	}
	toks := ss.toks
	for h := range hs {
		for _, m := range ss.mentions {
			if m.party != hs[h].party {
				continue
			}
			f := &hs[h].feats
			if m.i > 0 {
				addClass(f, wc, "kpl:", toks[m.i-1].norm)
			}
			if m.j < len(toks) {
				addClass(f, wc, "kpr:", toks[m.j].norm)
			}
			for _, c := range cues {
				if c.i >= m.j && c.i-m.j <= 8 {
					for k := m.j; k < c.i; k++ {
						addClass(f, wc, "kmid:", toks[k].norm)
					}
					break
				}
			}
			break
		}
	}
}
