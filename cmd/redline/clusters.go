package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"strings"

	"redline/corpus"
	"redline/internal/brown"
)

const clustersUsage = `Usage: redline clusters --docs PATH [--docs PATH]... [--exclude FILE] [--clusters C] [--min-count N] --out FILE

Learns word classes from unlabeled articles (Brown clustering) and writes the
class file the claim model reads (one word a line: BITS, WORD, COUNT). The
articles are read as ingest reads them (folders, JSONL dumps, WARC archives);
those not in English and exact repeats are left out. --exclude names a file
of record ids (one a line, # comments) to leave out as well: held-out
articles must not shape the classes. The same inputs give the same file,
byte for byte. The built-in classes are made by "make clusters"; a model
trained with other classes needs them (--classes) wherever it is used.

Examples:
  redline clusters --docs ../shared/corpus/bulk.jsonl --exclude ../shared/gold/train/RESERVED --out classes.tsv
  redline train --classes classes.tsv --gold gold.jsonl --docs articles/ --out model.json
`

func (e *env) clusters(ctx context.Context, args []string) error {
	fs := e.newFlags("clusters", clustersUsage)
	var docs stringList
	fs.Var(&docs, "docs", "unlabeled articles: a file, folder or JSONL dump; repeatable")
	exclude := fs.String("exclude", "", "file of record ids to leave out, one a line")
	out := fs.String("out", "", "the class file to write")
	c := fs.Int("clusters", 128, "number of clusters (the built-in classes have 128)")
	minCount := fs.Int("min-count", 3, "leave out words seen fewer times")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	docs = append(docs, fs.Args()...)
	if len(docs) == 0 || *out == "" {
		fs.Usage()
		return usagef("clusters: --docs and --out are required")
	}
	if *c < 2 || *minCount < 1 {
		return usagef("clusters: --clusters must be at least 2 and --min-count at least 1")
	}
	if err := checkOutFolder("--out", *out); err != nil {
		return err
	}
	skip := map[string]bool{}
	if *exclude != "" {
		data, err := os.ReadFile(*exclude)
		if err != nil {
			return flagFile("--exclude", err)
		}
		for _, id := range idLines(data) {
			skip[id] = true
		}
	}
	ex, err := newExtractorWith("", "", "", true, false)
	if err != nil {
		return err
	}
	var sents [][]string
	seen := map[[32]byte]bool{}
	ndocs, nskipped, nfailed := 0, 0, 0
	err = eachDocument(ctx, docs, func(doc corpus.Document, derr error) error {
		if derr != nil {
			nfailed++
			e.log.Warn("skipped document", "input", doc.Source, "reason", derr)
			return nil
		}
		if skip[doc.ID] || skip[goldName(doc)] {
			nskipped++
			return nil
		}
		ws, err := ex.Words(doc)
		if err != nil {
			// One unreadable article does not stop the run; it is
			// named and counted, as ingest does.
			nfailed++
			e.log.Warn("skipped document", "input", doc.Source, "id", doc.ID, "reason", err)
			return nil
		}
		if len(ws) == 0 {
			return nil
		}
		h := sha256.New()
		for _, s := range ws {
			fmt.Fprintln(h, strings.Join(s, " "))
		}
		var key [32]byte
		copy(key[:], h.Sum(nil))
		if seen[key] {
			return nil
		}
		seen[key] = true
		ndocs++
		sents = append(sents, ws...)
		return nil
	})
	if err != nil {
		return err
	}
	classes := brown.Cluster(sents, brown.Options{Clusters: *c, MinCount: *minCount})
	// Clustering does not stop for Ctrl-C: an interrupted run must not
	// then write the class file.
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(classes) == 0 {
		return fmt.Errorf("clusters: no word is seen %d times in the articles given", *minCount)
	}
	err = writeFileAtomic(*out, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		for _, cl := range classes {
			fmt.Fprintf(bw, "%s\t%s\t%d\n", cl.Bits, cl.Word, cl.Count)
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	tokens := 0
	for _, s := range sents {
		tokens += len(s)
	}
	fmt.Fprintf(e.stdout, "%d articles (%d excluded, %d unreadable), %d sentences, %d tokens: %d words in %d clusters; wrote %s\n",
		ndocs, nskipped, nfailed, len(sents), tokens, len(classes), *c, *out)
	return nil
}
