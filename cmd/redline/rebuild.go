package main

import (
	"fmt"

	"redline/extract"
	"redline/index"
)

// rebuildHelp is the paragraph of ingest --help on the extractor record.
const rebuildHelp = `The index records the lexicon and claim model its claims were extracted
with, and keeps the lexicon: search, export and compare read party names
with it ("Britain" is what that lexicon says, whichever lexicon is
built in). An ingest with another --lexicon, --model or --rules stops with an
error naming both, since the index would mix claims that cannot be compared.
--rebuild starts a fresh index instead: the claims the index holds are
discarded (the fetch cache stays, and errors.jsonl keeps the failures this
run meets again, with their history) and only the inputs of this run are read, with this run's lexicon and model; an index of an older
layout is rebuilt the same way (an older layout is read by search, export
and compare, but not written). The index keeps the text it read for the
article view, not the documents, so re-extracting what it held means
ingesting those inputs again.
`

// extractorInfo is what the index records of an extractor.
func extractorInfo(ex *extract.Extractor) index.ExtractorInfo {
	info := index.ExtractorInfo{Lexicon: ex.Lexicon().Name(), LexiconVersion: ex.Lexicon().Fingerprint()}
	if m := ex.Model(); m != nil {
		info.Model = m.Fingerprint()
	}
	return info
}

func describeExtractor(x index.ExtractorInfo) string {
	model := "the rules alone"
	if x.Model != "" {
		model = "claim model " + x.Model
	}
	return fmt.Sprintf("lexicon %q (version %s) and %s", x.Lexicon, x.LexiconVersion, model)
}

// openForIngest opens the index ingest writes to: with rebuild a fresh
// one, else the existing one, which must hold claims of the same extractor
// (or none).
func (e *env) openForIngest(dir string, ex *extract.Extractor, rebuild bool) (*index.Index, error) {
	if rebuild {
		if err := index.Reset(dir, index.Options{Logger: e.log}); err != nil {
			return nil, fmt.Errorf("--rebuild: %w", err)
		}
		e.log.Info("starting a fresh index", "index", dir)
	}
	ix, err := index.Open(dir, index.Options{Logger: e.log})
	if err != nil {
		return nil, err
	}
	now := extractorInfo(ex)
	was, ok, err := ix.Extractor()
	if err != nil {
		ix.Close()
		return nil, err
	}
	if ok && was != now {
		if n, err := ix.DocCount(); err != nil || n > 0 {
			ix.Close()
			return nil, fmt.Errorf("index %s holds claims extracted with %s; this run uses %s, and the index would mix claims of both: ingest with the same --lexicon and --model, or add --rebuild to start a fresh index from this run's inputs",
				ix.Dir(), describeExtractor(was), describeExtractor(now))
		}
	}
	if !ok || was != now {
		if err := ix.SetExtractor(now); err != nil {
			ix.Close()
			return nil, err
		}
	}
	// The lexicon itself is kept too (an index of an older redline gets it
	// now): search, export and compare read party names with it.
	_, kept, err := ix.Lexicon()
	if err == nil && (!kept || !ok || was != now) {
		err = ix.SetLexicon(ex.Lexicon().Source())
	}
	if err != nil {
		ix.Close()
		return nil, err
	}
	return ix, nil
}
