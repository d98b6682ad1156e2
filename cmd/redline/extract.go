package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"redline/corpus"
	"redline/extract"
	"redline/pipeline"
)

const extractUsage = `Usage: redline extract [--lexicon FILE] [--model FILE | --rules] PATH...

Extracts the claims of the given articles without an index and prints them as
JSON lines on stdout, in the export format. PATH is as for ingest.

Examples:
  redline extract testdata/articles/01_*.txt
  redline extract --lexicon trade.yaml talks.jsonl | jq -c '{party, kind, topics}'
  redline extract --model my-model.json articles/

A model is trained for one lexicon (redline train); with a --lexicon that no
model was trained for, the rules alone find the claims.
`

func (e *env) extract(ctx context.Context, args []string) error {
	fs := e.newFlags("extract", extractUsage)
	lexPath := fs.String("lexicon", "", "lexicon file (default: the built-in Russia–Ukraine lexicon)")
	classesPath := fs.String("classes", "", "word class file, as redline clusters writes it (default: the built-in one); a model needs the classes it was trained with")
	modelPath := fs.String("model", "", "claim model file, made by redline train (default: the built-in one)")
	rules := fs.Bool("rules", false, "find claims with the rules alone, without a model")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usagef("extract: no PATH given")
	}
	if err := modelOrRules("extract", *modelPath, *rules); err != nil {
		return err
	}
	ex, err := newExtractorWith(*lexPath, *modelPath, *classesPath, *rules, false)
	if err != nil {
		return err
	}
	e.noteModel(ex, *lexPath, *rules)
	src, err := openInputs(ctx, fs.Args())
	if err != nil {
		return err
	}
	defer src.Close()
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	read, failed := 0, 0
	// The documents are extracted on every core and printed in input order.
	err = pipeline.ExtractEach(ctx, src, ex, 0, func(x pipeline.Extracted) error {
		read++
		if x.Err != nil {
			failed++
			var ie *corpus.InputError
			if errors.As(x.Err, &ie) {
				e.log.Warn("skipped document", "reason", x.Err)
			} else {
				e.log.Warn("skipped document", "input", x.Doc.Source, "reason", x.Err)
			}
			return nil
		}
		for _, c := range x.Result.Claims {
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

// openInputs opens the inputs of a command that reads documents without an
// index (extract, text, eval's --docs): the arguments alone, with default
// fetching.
func openInputs(ctx context.Context, args []string) (*corpus.Inputs, error) {
	return corpus.OpenInputs(ctx, args, corpus.InputOptions{
		Files: corpus.Options{Stdin: stdinUntil(ctx, os.Stdin)},
		Fetch: corpus.FetchOptions{Version: version},
	})
}

// eachDocument reads every document of the inputs args (paths, URLs, as
// corpus.OpenInputs takes them) in input order and calls fn with it, or
// with the error that made it unreadable; an error from fn stops it.
func eachDocument(ctx context.Context, args []string, fn func(corpus.Document, error) error) error {
	src, err := openInputs(ctx, args)
	if err != nil {
		return err
	}
	defer src.Close()
	return src.Each(ctx, fn)
}

const evalUsage = `Usage: redline eval --gold FILE --docs PATH [--gold FILE --docs PATH]... [--cv K] [--json] [--verbose] [--lexicon FILE] [--model FILE | --rules]

Scores extraction against hand-made gold claims, as the claim spec says: claim
precision, recall and F1 over (document, sentence, party, kind), party
accuracy on the sentences both hold a claim for, topic F1 over matched claims,
F1 per kind and the measured precision by confidence band. Gold documents are
matched to the documents of the --docs paths (folders or JSONL dumps) by file
name, or by record id for dumps. A docs.txt beside a gold file lists every
annotated article, also those with no claim: claims found there are false.
Each gold file is scored on its own.

--cv K trains the claim model K times by article (K folds) on all the gold
given, each time scoring the fold it did not see, and prints those figures
beside those of the rules alone on the same articles, with the candidate
ceiling (the share of required gold claims some candidate matches) and the
calibration table. Without --cv the built-in model (or --model, or the rules
with --rules) is scored as it is: never score a model on its training gold.

--verbose lists the missed and the false claims.

--lexicon reads the articles with another negotiation's lexicon; the gold's
parties and topics must be its own. A model is scored with the lexicon it
was trained for (--lexicon FILE --model MODEL); with a --lexicon alone, the
rules are.

Examples:
  redline eval --gold testdata/gold.jsonl --docs testdata/articles
  redline eval --lexicon testdata/nuclear/lexicon.yaml --model nuclear-model.json \
               --gold testdata/nuclear/gold.jsonl --docs testdata/nuclear/articles
  redline eval --cv 3 --lexicon testdata/nuclear/lexicon.yaml \
               --gold testdata/nuclear/gold.jsonl --docs testdata/nuclear/articles
  redline eval --cv 5 --gold ../shared/gold/train/gold.jsonl --docs ../shared/corpus/bulk.jsonl \
               --gold ../shared/gold/seeds.jsonl --docs ../shared/seeds
`

func (e *env) eval(ctx context.Context, args []string) error {
	fs := e.newFlags("eval", evalUsage)
	var golds, docs stringList
	fs.Var(&golds, "gold", "gold claims (JSONL, the spec's gold format); repeatable")
	fs.Var(&docs, "docs", "the gold's articles: a folder or a JSONL dump; repeatable")
	cv := fs.Int("cv", 0, "cross-validate the model over K folds by article")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	verbose := fs.Bool("verbose", false, "list missed and false claims")
	lexPath := fs.String("lexicon", "", "lexicon file (default: the built-in one)")
	classesPath := fs.String("classes", "", "word class file, as redline clusters writes it (default: the built-in one); a model needs the classes it was trained with")
	modelPath := fs.String("model", "", "claim model file (default: the built-in one)")
	rules := fs.Bool("rules", false, "score the rules alone, without the model")
	tags := fs.Bool("tags", false, "with --cv: give the models part-of-speech features")
	seed := fs.Uint64("seed", 1, "with --cv: the seed that deals the folds and shuffles training")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if len(golds) == 0 || len(docs) == 0 {
		fs.Usage()
		return usagef("eval: --gold and --docs are required")
	}
	if *cv == 1 || *cv < 0 {
		return usagef("eval: --cv needs at least 2 folds")
	}
	if err := modelOrRules("eval", *modelPath, *rules); err != nil {
		return err
	}
	if *cv > 0 && *modelPath != "" {
		return usagef("eval: --model %s is not used with --cv, which trains its own models on the folds", *modelPath)
	}
	ex, err := newExtractorWith(*lexPath, *modelPath, *classesPath, *rules || *cv > 0, *cv > 0 && *tags)
	if err != nil {
		return err
	}
	if *cv == 0 {
		e.noteModel(ex, *lexPath, *rules)
	}
	tds, err := e.loadTraining(ctx, ex, golds, docs)
	if err != nil {
		return err
	}
	if *cv > 0 {
		return e.crossValidate(ctx, ex, golds, tds, *cv, *seed, *asJSON, *verbose)
	}
	var reps []extract.Report
	for _, g := range golds {
		pred := map[string][]extract.Claim{}
		gold := goldOf(tds, g)
		for i := range tds {
			if tds[i].Set != g {
				continue
			}
			if m := ex.Model(); m != nil {
				pred[tds[i].Name] = m.Predict(ex.Lexicon(), &tds[i])
			} else {
				pred[tds[i].Name] = tds[i].Rules
			}
		}
		reps = append(reps, extract.Score(gold, pred, ex.Lexicon()))
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if len(reps) == 1 {
			return enc.Encode(reps[0])
		}
		return enc.Encode(reps)
	}
	for i, rep := range reps {
		if len(reps) > 1 {
			fmt.Fprintf(e.stdout, "== %s\n", golds[i])
		}
		if err := rep.WriteText(e.stdout, *verbose); err != nil {
			return err
		}
	}
	return nil
}

// goldOf returns the gold claims of one gold file, as the prepared
// documents carry them.
func goldOf(tds []extract.TrainingDoc, set string) []extract.Gold {
	var out []extract.Gold
	for _, td := range tds {
		if td.Set == set {
			out = append(out, td.Gold...)
		}
	}
	return out
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
