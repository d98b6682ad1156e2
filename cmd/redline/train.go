package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"redline/corpus"
	"redline/extract"
)

const trainUsage = `Usage: redline train --gold FILE --docs PATH [--gold FILE --docs PATH]... --out MODEL [--lexicon FILE]

Trains the claim model on hand-annotated articles and writes it to MODEL.
Each --gold file is in the spec's gold format; the articles it names are
read from the --docs paths (folders or JSONL dumps, matched by file name or
record id). A file docs.txt beside a gold file lists every article that was
annotated, also those with no claim (they teach what is not a claim); without
it, the articles the gold names are the annotated ones. The same inputs give
the same model, byte for byte.

--lexicon trains a model for another negotiation: the gold's parties and
topics must be the lexicon's ("other" stands for any other party), and the
model is then used with that lexicon only (--lexicon FILE --model MODEL on
extract, ingest and eval), whose name and topics it records.

Examples:
  redline train --gold ../shared/gold/train/gold.jsonl --docs ../shared/corpus/bulk.jsonl \
                --gold ../shared/gold/seeds.jsonl --docs ../shared/seeds --out model.json
  redline extract --model model.json article.txt
  redline train --lexicon testdata/nuclear/lexicon.yaml --gold testdata/nuclear/gold.jsonl \
                --docs testdata/nuclear/articles --out nuclear-model.json
  redline ingest --lexicon testdata/nuclear/lexicon.yaml --model nuclear-model.json testdata/nuclear/articles
`

func (e *env) train(ctx context.Context, args []string) error {
	fs := e.newFlags("train", trainUsage)
	var golds, docs stringList
	fs.Var(&golds, "gold", "gold claims (JSONL); repeatable")
	fs.Var(&docs, "docs", "the gold's articles: a folder or a JSONL dump; repeatable")
	out := fs.String("out", "", "the model file to write")
	lexPath := fs.String("lexicon", "", "lexicon file (default: the built-in one)")
	classesPath := fs.String("classes", "", "word class file, as redline clusters writes it (default: the built-in one); a model needs the classes it was trained with")
	tags := fs.Bool("tags", false, "give the model part-of-speech features: prose's tagger on candidate sentences (measured no gain; slower)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if len(golds) == 0 || len(docs) == 0 || *out == "" {
		fs.Usage()
		return usagef("train: --gold, --docs and --out are required")
	}
	if err := checkOutFolder("--out", *out); err != nil {
		return err
	}
	ex, err := newExtractorWith(*lexPath, "", *classesPath, true, *tags)
	if err != nil {
		return err
	}
	tds, err := e.loadTraining(ctx, ex, golds, docs)
	if err != nil {
		return err
	}
	m, err := extract.Train(ex.Lexicon().Name(), tds, extract.TrainOptions{})
	if err != nil {
		return err
	}
	// Training does not stop for Ctrl-C: an interrupted run must not
	// then replace the model file (make train writes extract/model.json).
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := m.Encode()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(*out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	t := m.Training()
	fmt.Fprintf(e.stdout, "trained on %d articles: %d required gold claims, %d covered by candidates (%.3f), %d candidates, %d positive\n",
		t.Docs, t.Gold, t.Covered, ratio(t.Covered, t.Gold), t.Candidates, t.Positives)
	fmt.Fprintf(e.stdout, "threshold %.2f, default --min-confidence %.2f; wrote %s\n", m.Threshold(), m.MinConfidence(), *out)
	return nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// goldSet is one gold file and the articles it annotates.
type goldSet struct {
	name      string
	gold      map[string][]extract.Gold
	annotated map[string]bool
	all       []extract.Gold
}

// readGoldSet reads a gold file, checked against the lexicon lx it is to
// score or train (extract.ReadGoldFor), and, when there is one beside it,
// the docs.txt that lists every annotated article.
func readGoldSet(path string, lx *extract.Lexicon) (*goldSet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, flagFile("--gold", err)
	}
	gold, err := extract.ReadGoldFor(f, path, lx)
	f.Close()
	if err != nil {
		return nil, err
	}
	gs := &goldSet{name: path, gold: map[string][]extract.Gold{}, annotated: map[string]bool{}, all: gold}
	for _, g := range gold {
		gs.gold[g.Doc] = append(gs.gold[g.Doc], g)
		gs.annotated[g.Doc] = true
	}
	list := filepath.Join(filepath.Dir(path), "docs.txt")
	if data, err := os.ReadFile(list); err == nil {
		for _, id := range idLines(data) {
			gs.annotated[id] = true
		}
	}
	return gs, nil
}

// idLines returns the ids of a list file (docs.txt, RESERVED): one a line,
// blank lines and # comments left out.
func idLines(data []byte) []string {
	var ids []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			ids = append(ids, line)
		}
	}
	return ids
}

// loadTraining reads the gold files and prepares every annotated article
// found in the docs paths, ordered by gold file and article name.
func (e *env) loadTraining(ctx context.Context, ex *extract.Extractor, goldPaths, docPaths []string) ([]extract.TrainingDoc, error) {
	var sets []*goldSet
	for _, p := range goldPaths {
		gs, err := readGoldSet(p, ex.Lexicon())
		if err != nil {
			return nil, err
		}
		sets = append(sets, gs)
	}
	var tds []extract.TrainingDoc
	seen := map[[2]string]bool{}
	err := eachDocument(ctx, docPaths, func(doc corpus.Document, derr error) error {
		if derr != nil {
			return nil
		}
		name := goldName(doc)
		for _, gs := range sets {
			key := [2]string{gs.name, name}
			if !gs.annotated[name] || seen[key] {
				continue
			}
			seen[key] = true
			td, err := ex.Prepare(doc, gs.name, name, gs.gold[name])
			if err != nil {
				e.log.Warn("skipped annotated document", "input", doc.Source, "reason", err)
				continue
			}
			tds = append(tds, td)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Gold that names an article missing from --docs would be scored (or
	// trained) on part of itself without a word: that is an error naming
	// them, not a warning.
	for _, gs := range sets {
		var missing []string
		for name := range gs.annotated {
			if !seen[[2]string{gs.name, name}] {
				missing = append(missing, name)
			}
		}
		slices.Sort(missing)
		n := len(missing)
		if n == len(gs.annotated) {
			return nil, fmt.Errorf("none of the %d articles of %s is in %s", n, gs.name, strings.Join(docPaths, ", "))
		}
		if n > 0 {
			const shown = 10
			names := strings.Join(missing[:min(n, shown)], ", ")
			if n > shown {
				names += fmt.Sprintf(" and %d more", n-shown)
			}
			return nil, fmt.Errorf("%d of the %d articles of %s are not in %s (or could not be read): %s; give the --docs that hold them, or a gold file of these articles only",
				n, len(gs.annotated), gs.name, strings.Join(docPaths, ", "), names)
		}
	}
	slices.SortFunc(tds, func(a, b extract.TrainingDoc) int {
		return strings.Compare(a.Set+"\x00"+a.Name, b.Set+"\x00"+b.Name)
	})
	return tds, nil
}
