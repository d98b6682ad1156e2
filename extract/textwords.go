package extract

import "redline/corpus"

// Words returns the sentences of a document as the claim model reads
// them, each as its normalised tokens: the text `redline clusters` learns
// word classes from. A document not in English gives none.
func (e *Extractor) Words(doc corpus.Document) ([][]string, error) {
	art, err := Text(doc)
	if err != nil {
		return nil, err
	}
	if !IsEnglish(art) {
		return nil, nil
	}
	var out [][]string
	for _, s := range e.split.Split(art) {
		toks := tokenize(s.Text)
		if len(toks) == 0 || len(toks) > maxSentenceTokens {
			continue
		}
		ws := make([]string, len(toks))
		for k, t := range toks {
			ws[k] = t.norm
		}
		out = append(out, ws)
	}
	return out, nil
}
