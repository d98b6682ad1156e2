package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"redline/claim"
	"redline/corpus"
	"redline/extract"
)

const extractUsage = `Usage: redline extract [--lexicon FILE] PATH...

Extracts the claims of the given articles without an index and prints them as
JSON lines on stdout, in the export format. PATH is as for ingest.

Examples:
  redline extract testdata/articles/01_*.txt
  redline extract --lexicon trade.yaml talks.jsonl | jq -c '{party, kind, topics}'
`

func (e *env) extract(ctx context.Context, args []string) error {
	fs := e.newFlags("extract", extractUsage)
	lexPath := fs.String("lexicon", "", "lexicon file (default: the built-in Russia–Ukraine lexicon)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usagef("extract: no PATH given")
	}
	ex, err := newExtractor(*lexPath)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	read, failed := 0, 0
	err = eachDocument(ctx, fs.Args(), func(doc corpus.Document, derr error) error {
		read++
		if derr != nil {
			failed++
			e.log.Warn("skipped document", "reason", derr)
			return nil
		}
		res, err := ex.Extract(doc)
		if err != nil {
			failed++
			e.log.Warn("skipped document", "input", doc.Source, "reason", err)
			return nil
		}
		for _, c := range res.Claims {
			if err := enc.Encode(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if read > 0 && failed == read {
		return fmt.Errorf("extract: none of the %d documents could be read", read)
	}
	return nil
}

// eachDocument reads every document of paths in order and calls fn with it,
// or with the error that made it unreadable; an error from fn stops it.
func eachDocument(ctx context.Context, paths []string, fn func(corpus.Document, error) error) error {
	src, err := corpus.Open(paths, corpus.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	for {
		doc, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		}
		var ie *corpus.InputError
		if err != nil && !errors.As(err, &ie) {
			return err
		}
		if err := fn(doc, err); err != nil {
			return err
		}
	}
}

const evalUsage = `Usage: redline eval --gold FILE --docs PATH [--json] [--verbose] [--lexicon FILE]

Scores extraction against hand-made gold claims, as the claim spec says: claim
precision, recall and F1 over (document, sentence, party, kind), party
accuracy on the sentences both hold a claim for, topic F1 over matched claims,
F1 per kind and precision by confidence band. Gold documents are matched to
the documents of PATH (a folder of articles or a JSONL dump) by file name, or
by record id for dumps. --verbose lists the missed and the false claims.

Examples:
  redline eval --gold testdata/gold.jsonl --docs testdata/articles
  redline eval --gold ../shared/gold/seeds.jsonl --docs ../shared/seeds --verbose
`

func (e *env) eval(ctx context.Context, args []string) error {
	fs := e.newFlags("eval", evalUsage)
	goldPath := fs.String("gold", "", "gold claims (JSONL, the spec's gold format)")
	docs := fs.String("docs", "", "the gold's articles: a folder or a JSONL dump")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	verbose := fs.Bool("verbose", false, "list missed and false claims")
	lexPath := fs.String("lexicon", "", "lexicon file (default: the built-in one)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *goldPath == "" || *docs == "" {
		fs.Usage()
		return usagef("eval: --gold and --docs are required")
	}
	f, err := os.Open(*goldPath)
	if err != nil {
		return err
	}
	gold, err := extract.ReadGold(f, *goldPath)
	f.Close()
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, g := range gold {
		want[g.Doc] = true
	}
	ex, err := newExtractor(*lexPath)
	if err != nil {
		return err
	}
	pred := map[string][]claim.Claim{}
	found := map[string]bool{}
	err = eachDocument(ctx, []string{*docs}, func(doc corpus.Document, derr error) error {
		if derr != nil {
			e.log.Warn("skipped document", "reason", derr)
			return nil
		}
		name := goldName(doc)
		if !want[name] {
			return nil
		}
		found[name] = true
		res, err := ex.Extract(doc)
		if err != nil {
			e.log.Warn("skipped document", "input", doc.Source, "reason", err)
			return nil
		}
		pred[name] = append(pred[name], res.Claims...)
		return nil
	})
	if err != nil {
		return err
	}
	var missing []string
	for name := range want {
		if !found[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		e.log.Warn("gold documents not found in --docs", "count", len(missing), "first", missing[0])
	}
	rep := extract.Score(gold, pred)
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.WriteText(e.stdout, *verbose)
}

// goldName is the name gold files use for a document: the file's base name,
// or the record id for a dump record ("dump.jsonl#id").
func goldName(doc corpus.Document) string {
	base := filepath.Base(doc.Source)
	if i := strings.LastIndex(base, "#"); i >= 0 {
		return base[i+1:]
	}
	return base
}
