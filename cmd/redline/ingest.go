package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"redline/corpus"
	"redline/extract"
	"redline/index"
	"redline/pipeline"
)

const ingestUsage = `Usage: redline ingest [flags] [PATH|URL...]

Reads articles, extracts their claims and writes them to the index. A PATH is
a file (.txt, .md, .html, .htm, .warc, .warc.gz), a folder (read recursively;
hidden files, unknown types and the index folder are skipped and counted), a
JSONL dump (.jsonl, one article a line: id, url, outlet, published, title,
text or html), a .json file (one such article, an array of them or JSON
Lines; news-please and CC-News field names are read too), or - for stdin. An http:// or https:// URL is fetched, as are
the URLs of --urls FILE (one a line, # comments) and the articles an RSS or
Atom feed or a news sitemap links to (--feed URL or a saved FILE,
repeatable). Documents are handed on in input order (the PATHs and URLs as
given, then the --urls list, then each feed's articles), however many pages
are fetched at once, so two runs over the same inputs keep the same copy of a
duplicate and give the same index.

Fetching is polite: robots.txt is obeyed (--no-robots turns it off), each
host gets at most --per-host requests at once with a delay between them,
failures are retried with backoff within --fetch-timeout per URL (a URL
still unanswered then is one error, "timed out after 30s"), and pages are
cached in the index folder (fetch-cache/), so a second run does not fetch
them again; --refresh revalidates them with the server.

A JSONL dump that repeats an id keeps the first record with that id: later
ones are skipped with a warning naming the id and both line numbers, and
counted apart ("repeated ids" in the summary), so each document counts
once. The first wins because a dump is read as a stream: the first record
is on its way to the index before a later one is met, and letting the last
win would need a second pass or the whole dump in memory. To replace an
article, ingest the new version in a later run: re-ingesting an id
replaces its claims. Ids are compared across the dumps and .json files of
a run as within one dump: the first in input order wins, and the warning
names both inputs, so re-running the same inputs writes nothing again.
A document without an id is known by a hash of its content: two of them
with the same content in one run (two files with the same text) are one
document, the first is indexed and the others counted as exact copies.

A published date that is given but not understood (a dump record's
"published", a WARC-Date, or the only date a page declares) does not drop
the article: it is indexed undated, with a warning naming the input, the id
and the value, and counted ("dates not understood" in the summary).

Bad documents, failed URLs, feeds that cannot be fetched or parsed and
--urls lines that are not URLs are reported, counted and written to
errors.jsonl in the index folder; the run goes on. errors.jsonl says which
inputs are failing now: one line per input and reason, with the runs that
met it (first_seen, time of the last, count); a re-run that meets a failure
again counts it, and one that completes over an input without it drops it. Re-ingesting a document
replaces its claims, and a document the index holds unchanged is skipped, so
an interrupted run is finished by running it again.

` + rebuildHelp + `
Examples:
  redline ingest testdata/articles
  redline ingest --index /data/talks.index --workers 8 dump.jsonl more/ crawl.warc.gz
  redline ingest --urls links.txt --feed https://example.org/world/rss.xml
  cat dump.jsonl | redline ingest -
  redline ingest --rebuild --lexicon trade.yaml talks.jsonl
`

func (e *env) ingest(ctx context.Context, args []string) error {
	fs := e.newFlags("ingest", ingestUsage)
	dir := fs.String("index", "", "index folder (default $REDLINE_INDEX or ./redline.index)")
	workers := fs.Int("workers", 0, "extraction workers (default: number of CPUs)")
	lexPath := fs.String("lexicon", "", "lexicon file (default: the built-in Russia–Ukraine lexicon)")
	classesPath := fs.String("classes", "", "word class file, as redline clusters writes it (default: the built-in one); a model needs the classes it was trained with")
	modelPath := fs.String("model", "", "claim model file, made by redline train (default: the built-in one)")
	rules := fs.Bool("rules", false, "find claims with the rules alone, without a model")
	force := fs.Bool("force", false, "re-extract documents the index already holds unchanged")
	rebuild := fs.Bool("rebuild", false, "discard the index's claims and start a fresh index from these inputs (see below)")
	quiet := fs.Bool("quiet", false, "no progress bar (it is shown only when stderr is a terminal)")
	urlsFile := fs.String("urls", "", "fetch the URLs listed in FILE (one a line, # comments)")
	var feeds stringList
	fs.Var(&feeds, "feed", "fetch the articles of an RSS/Atom feed or news sitemap at URL, or saved to FILE (repeatable)")
	noRobots := fs.Bool("no-robots", false, "do not obey robots.txt")
	refresh := fs.Bool("refresh", false, "revalidate cached pages with the server")
	perHost := fs.Int("per-host", 2, "concurrent requests per host")
	delay := fs.Duration("delay", time.Second, "pause between requests to one host (0: none)")
	fetchTimeout := fs.Duration("fetch-timeout", 30*time.Second, "most time for one URL, retries and body included (0: no limit)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *delay < 0 {
		return usagef("ingest: --delay %v is negative", *delay)
	}
	if *fetchTimeout < 0 {
		return usagef("ingest: --fetch-timeout %v is negative", *fetchTimeout)
	}
	// Zero is the default for both (one worker per CPU, 2 requests a
	// host); a negative number is a typo that would otherwise run with
	// the default unannounced.
	if *workers < 0 {
		return usagef("ingest: --workers %d is negative (0: one per CPU)", *workers)
	}
	if *perHost < 0 {
		return usagef("ingest: --per-host %d is negative", *perHost)
	}
	if fs.NArg() == 0 && *urlsFile == "" && len(feeds) == 0 {
		fs.Usage()
		return usagef("ingest: no PATH, URL, --urls or --feed given")
	}
	if err := modelOrRules("ingest", *modelPath, *rules); err != nil {
		return err
	}
	if err := notAnIndex(fs.Args(), indexDir(*dir)); err != nil {
		return err
	}
	// Before anything looks into the index folder (the fetch cache is
	// in it): a killed repair or --rebuild may have left the index aside.
	if err := index.Heal(indexDir(*dir), e.log); err != nil {
		return err
	}
	// A repeated id in a dump: the first record wins (see the usage).
	const maxDupShown = 20
	dupShown := 0
	src, err := corpus.OpenInputs(ctx, fs.Args(), corpus.InputOptions{
		Files: corpus.Options{
			// Ctrl-C stops a run that waits on an idle stdin too.
			Stdin: stdinUntil(ctx, os.Stdin),
			// The index folder is never read as input (its errors.jsonl
			// would come back as documents), even when it lies inside a
			// folder given to ingest.
			Exclude: []string{indexDir(*dir)},
			OnDuplicateID: func(d corpus.DuplicateID) {
				if dupShown < maxDupShown {
					e.log.Warn("repeated id skipped, the first record is kept", "input", d.Input, "id", d.ID, "line", d.Line, "first_input", d.FirstInput, "first_line", d.FirstLine)
				} else if dupShown == maxDupShown {
					e.log.Warn("more repeated ids skipped; the run summary counts them")
				}
				dupShown++
			},
		},
		URLList: *urlsFile,
		Feeds:   feeds,
		Fetch: corpus.FetchOptions{
			PerHost:      *perHost,
			PerHostDelay: hostDelay(*delay),
			Deadline:     *fetchTimeout,
			IgnoreRobots: *noRobots,
			Version:      version,
			CacheDir:     filepath.Join(indexDir(*dir), index.CacheDir),
			Refresh:      *refresh,
		},
		// One bad feed (or sitemap of an index) is one counted error;
		// the other feeds are read.
		OnFeed: func(feed string, links int, err error) {
			switch {
			case err != nil && links == 0:
				e.log.Warn("feed not read", "feed", feed, "reason", err)
			case err != nil:
				e.log.Warn("feed partly read", "feed", feed, "reason", err)
			}
			if links > 0 || err == nil {
				e.log.Info("feed read", "feed", feed, "articles", links)
			}
		},
	})
	if err != nil {
		return err
	}
	defer src.Close()
	ex, err := newExtractorWith(*lexPath, *modelPath, *classesPath, *rules, false)
	if err != nil {
		return err
	}
	e.noteModel(ex, *lexPath, *rules)
	ix, err := e.openForIngest(indexDir(*dir), ex, *rebuild)
	if err != nil {
		return err
	}
	defer ix.Close()
	// Which model makes the claims sets the default --min-confidence of
	// search, export and compare.
	if err := e.recordModel(ix, ex); err != nil {
		return err
	}

	// errors.jsonl says which inputs are failing now: this run's failures
	// are merged into it as they come (see index.ErrorLog), and those an
	// earlier run recorded leave it when this run completes without them.
	errs, err := index.OpenErrorLog(ix.Dir(), time.Now(), index.ErrorLogOptions{})
	if err != nil {
		return err
	}
	var errsErr error

	// The total is known only when every input can be counted cheaply:
	// files and URLs given as arguments; a URL list or a feed is not. It
	// is counted only for a bar that is drawn (counting reads each dump).
	progress := e.progress(*quiet, func() int {
		if *urlsFile != "" || len(feeds) > 0 {
			return -1
		}
		var paths []string
		urls := 0
		for _, a := range fs.Args() {
			if corpus.IsURL(a) {
				urls++
			} else {
				paths = append(paths, a)
			}
		}
		return inputTotal(paths, urls, maxCountBytes)
	})
	const maxShown = 20
	shown, badShown := 0, 0
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(pipeline.GCPercent)
	}
	sum, runErr := pipeline.Run(ctx, readMarker{src, errs}, ex, ix, pipeline.Options{
		Workers: *workers,
		Version: version + "/" + ex.Fingerprint(),
		Force:   *force,
		Dedup:   true,
		OnError: func(de pipeline.DocError) {
			errs.Fail(de.Input, de.Err.Error())
			if err := errs.SaveEvery(time.Second); err != nil && errsErr == nil {
				errsErr = err
			}
			if shown < maxShown {
				progress.clear()
				e.log.Warn("skipped document", "input", de.Input, "reason", de.Err)
			}
			shown++
		},
		// A date that is not understood leaves the article undated but
		// indexed; the warning lets the user fix the source.
		OnBadDate: func(bd pipeline.BadDate) {
			if badShown < maxShown {
				progress.clear()
				e.log.Warn("published date not understood, the article is indexed undated", "input", bd.Input, "id", bd.DocID, "value", bd.Value)
			}
			badShown++
		},
		Progress: progress.update,
	})
	progress.clear()
	if shown > maxShown {
		e.log.Warn("more documents skipped", "count", shown-maxShown, "see", errs.Path())
	}
	if badShown > maxShown {
		e.log.Warn("more dates not understood; see the run summary", "count", badShown-maxShown)
	}
	// A cache that cannot be written never fails a fetch, but the next run
	// will fetch those pages again: say so once.
	if f := src.Fetcher(); f != nil {
		if err := f.CacheErr(); err != nil {
			e.log.Warn("fetched pages were not cached; the next run fetches them again", "reason", err)
		}
	}
	// A run stopped early did not read all it was given: it adds its
	// failures and drops none.
	if runErr != nil {
		errsErr = cmp.Or(errsErr, errs.Save())
	} else {
		covered := coveredBy(append(append(fs.Args(), *urlsFile), feeds...))
		if *rebuild {
			// A fresh index is of this run's inputs alone: the failures
			// of the others are no longer the index's.
			covered = func(string) bool { return true }
		}
		errsErr = cmp.Or(errsErr, errs.Finish(covered))
	}
	skipped, records, dupIDs := src.Skipped(), src.SkippedRecords(), src.DuplicateIDs()
	e.printSummary(sum, skipped, records, dupIDs, errs)
	if errors.Is(runErr, context.Canceled) {
		// Say how to go on: the run is finished by running it again,
		// which skips what this one indexed.
		return &interruptedError{msg: fmt.Sprintf("what was indexed before the stop is kept (%s); run the same command again to index the rest: what is indexed is skipped", plural(sum.Indexed, "document", "documents"))}
	}
	if runErr != nil {
		return runErr
	}
	if errsErr != nil {
		return fmt.Errorf("writing %s: %w", errs.Path(), errsErr)
	}
	if sum.Read > 0 && sum.Failed == sum.Read {
		return fmt.Errorf("ingest: none of the %d documents could be read (see %s)", sum.Read, errs.Path())
	}
	if sum.Read == 0 {
		if skipped > 0 {
			// The files were there: say why none was read.
			return fmt.Errorf("ingest: no documents found in the given paths: %s skipped (hidden, of an unknown type, or the index itself); redline reads %s files, also gzipped", plural(skipped, "file", "files"), strings.Join(corpus.Extensions(), ", "))
		}
		return errors.New("ingest: no documents found in the given paths")
	}
	return nil
}

// notAnIndex refuses a PATH that is a redline index other than the one
// ingest writes: "redline ingest old.index" meant "--index old.index", and
// reading an index's files as articles only fills errors.jsonl of another
// index (./redline.index) with failures.
func notAnIndex(paths []string, target string) error {
	tfi, terr := os.Stat(target)
	for _, p := range paths {
		if p == "-" || corpus.IsURL(p) {
			continue
		}
		fi, err := os.Stat(filepath.Join(p, index.BleveDir))
		if err != nil || !fi.IsDir() {
			continue
		}
		if pfi, err := os.Stat(p); err == nil && terr == nil && os.SameFile(pfi, tfi) {
			continue // the index itself, which the reading skips
		}
		return usagef("ingest: %s is a redline index, not articles; to add articles to it: redline ingest --index %s PATH...", p, p)
	}
	return nil
}

// printSummary prints the run's summary. skipped counts the files and
// folders skipped and the WARC records skipped (records, by reason): the
// records get a line of their own, since an archive has two or three
// records that are no page (request, metadata) for each one that is.
func (e *env) printSummary(s pipeline.Summary, skipped int, records map[string]int, dupIDs int, errs *index.ErrorLog) {
	nrec := 0
	for _, n := range records {
		nrec += n
	}
	fmt.Fprintf(e.stdout, "documents: %d read, %d indexed, %d unchanged, %d failed, %d files skipped\n",
		s.Read, s.Indexed, s.Unchanged, s.Failed, skipped-nrec)
	if nrec > 0 {
		var by []string
		for _, reason := range slices.Sorted(maps.Keys(records)) {
			by = append(by, fmt.Sprintf("%s %d", reason, records[reason]))
		}
		fmt.Fprintf(e.stdout, "WARC records skipped: %d, not HTML pages (%s)\n", nrec, strings.Join(by, ", "))
	}
	if dupIDs > 0 {
		fmt.Fprintf(e.stdout, "repeated ids: %d later records skipped (the first record with an id is kept)\n", dupIDs)
	}
	if s.BadDates > 0 {
		fmt.Fprintf(e.stdout, "dates not understood: %d (the articles are indexed undated)\n", s.BadDates)
	}
	fmt.Fprintf(e.stdout, "claims:    %d\n", s.Claims)
	fmt.Fprintf(e.stdout, "duplicates: %d exact copies skipped, %d near-duplicates indexed in an earlier article's cluster\n", s.Duplicates, s.NearDuplicates)
	fmt.Fprintf(e.stdout, "time:      %s (%.1f docs/s, %.2f MB/s)\n", s.Elapsed.Round(time.Millisecond), s.DocsPerSec(), s.MBPerSec())
	// The same count as redline stats: the inputs errors.jsonl names, this
	// run's and those of earlier runs over other inputs.
	if n := errs.Inputs(); n > 0 {
		fmt.Fprintf(e.stdout, "errors:    %s failing, see %s\n", plural(n, "input", "inputs"), errs.Path())
	}
	if u := errs.Unlisted(); u > 0 {
		fmt.Fprintf(e.stdout, "           and %d more failures of this run, not listed: the file holds at most %d\n", u, index.DefaultMaxErrorRecords)
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// hostDelay turns --delay into FetchOptions.PerHostDelay, whose zero value
// means the default of 1s: --delay 0 means no delay at all.
func hostDelay(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// modelOrRules refuses --model with --rules, which say opposite things:
// taking either one silently would give claims of an extractor the user did
// not ask for (with the rules winning, a --model file that did not exist
// went unnoticed).
func modelOrRules(cmd, modelPath string, rules bool) error {
	if modelPath != "" && rules {
		return usagef("%s: --model %s and --rules exclude each other (--rules finds the claims without a model)", cmd, modelPath)
	}
	return nil
}

// flagFile names the flag a file was given to when the file could not be
// opened: "--model x.json: no such file or directory" rather than "open
// x.json: …", which leaves the user to guess among --gold, --model and
// --classes. Other errors (a malformed file) name the file already.
func flagFile(flag string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Op == "open" {
		return fmt.Errorf("%s %s: %w", flag, pe.Path, pe.Err)
	}
	return err
}

// newExtractorWith builds the extractor of a command: the lexicon and
// model files when given (else the built-in ones), or the rules alone.
func newExtractorWith(lexPath, modelPath, classesPath string, rules, tags bool) (*extract.Extractor, error) {
	o := extract.Options{Rules: rules, Tags: tags}
	if classesPath != "" {
		var err error
		if o.Classes, err = extract.LoadWordClasses(classesPath); err != nil {
			return nil, flagFile("--classes", err)
		}
	}
	if lexPath != "" {
		var err error
		if o.Lexicon, err = extract.LoadLexicon(lexPath); err != nil {
			return nil, flagFile("--lexicon", err)
		}
	}
	if modelPath != "" && !rules {
		var err error
		if o.Model, err = extract.LoadModel(modelPath); err != nil {
			return nil, flagFile("--model", err)
		}
	}
	return extract.New(o)
}

// noteModel says so on stderr when a --lexicon leaves the rules alone to
// find the claims: no --model was given, and the built-in model is for
// another lexicon. A user who forgot --model would otherwise get the
// rules' claims, and their confidences, without knowing it.
//
// It warns when the lexicon differs from the one the model was trained
// with under the same name: the model still scores its claims, but the
// confidences were measured with the other lexicon.
func (e *env) noteModel(ex *extract.Extractor, lexPath string, rules bool) {
	if lexPath != "" && !rules && ex.Model() == nil {
		e.log.Info("no claim model for this lexicon: the rules alone find the claims (a model trained for it with redline train is given with --model)",
			"lexicon", ex.Lexicon().Name())
	}
	if m := ex.Model(); m != nil {
		if changed := m.LexiconChanges(ex.Lexicon()); len(changed) > 0 {
			e.log.Warn("the lexicon differs from the one the claim model was trained with: its confidences were measured with the other one; train a model for this lexicon (redline train) to measure them again",
				"lexicon", ex.Lexicon().Name(), "sections", strings.Join(changed, ","))
		}
	}
}

// readMarker is the run's Source: it tells errs of each input it yields,
// so that a failure recorded by an earlier run leaves errors.jsonl once
// this run read that input without it (a URL of a feed, say, which no
// input given on the command line covers).
type readMarker struct {
	*corpus.Inputs
	errs *index.ErrorLog
}

func (r readMarker) Next(ctx context.Context) (corpus.Document, error) {
	doc, err := r.Inputs.Next(ctx)
	var ie *corpus.InputError
	switch {
	case err == nil:
		r.errs.Read(doc.Source)
	case errors.As(err, &ie):
		r.errs.Read(ie.Input)
	}
	return doc, err
}

// coveredBy reports whether the failure of an input as errors.jsonl names it
// is one that a complete run over roots (the PATHs and URLs given, the
// --urls file and the feeds) would have met again: a URL itself; a path
// itself, a line or record of a dump (root:line, root#id) or anything in a
// folder.
func coveredBy(roots []string) func(string) bool {
	var paths []string
	urls := map[string]bool{}
	for _, r := range roots {
		switch {
		case r == "":
		case corpus.IsURL(r):
			urls[r] = true
		case r == "-":
			paths = append(paths, r)
		default:
			paths = append(paths, filepath.Clean(r))
		}
	}
	return func(input string) bool {
		if urls[input] {
			return true
		}
		for _, r := range paths {
			if input == r || strings.HasPrefix(input, r+":") || strings.HasPrefix(input, r+"#") ||
				strings.HasPrefix(input, strings.TrimSuffix(r, string(filepath.Separator))+string(filepath.Separator)) {
				return true
			}
		}
		return false
	}
}
