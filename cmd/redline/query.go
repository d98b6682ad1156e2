package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"redline/claim"
	"redline/filter"
	"redline/index"
)

// filterFlags are the claim filters search and export share.
type filterFlags struct {
	dir                        *string
	party, kind, topic, outlet *string
	speaker, target            *string
	since, until               *string
	minConf                    *confidenceFlag
}

func addFilters(fs *flag.FlagSet) *filterFlags {
	return &filterFlags{
		dir:     fs.String("index", "", "index folder (default $REDLINE_INDEX or ./redline.index)"),
		party:   fs.String("party", "", "only these parties, comma-separated, by id or name in any case (russia,Kyiv,Kremlin)"),
		kind:    fs.String("kind", "", "only these kinds: demand, red_line, offer (comma-separated)"),
		topic:   fs.String("topic", "", "only claims with one of these topics (comma-separated)"),
		outlet:  fs.String("outlet", "", "only these outlets, comma-separated, in any case"),
		speaker: fs.String("speaker", "", "only claims these speakers made, comma-separated, in any case (\"Dmitry Peskov\")"),
		target:  fs.String("target", "", "only claims addressed to these parties, comma-separated, by id or name in any case"),
		since:   fs.String("since", "", "only claims published on or after DATE: a day (YYYY-MM-DD), or a month or year from its first day (2025-01, 2025)"),
		until:   fs.String("until", "", "only claims published on or before DATE: a day (YYYY-MM-DD), or a month or year to its last day (2025-03, 2025)"),
		minConf: addMinConfidence(fs),
	}
}

// query turns the filter flags into an index query; bind completes it
// against the index.
func (f *filterFlags) query(text string) (index.Query, error) {
	q, err := filter.Spec{Text: text, Party: *f.party, Kind: *f.kind, Topic: *f.topic, Outlet: *f.outlet, Speaker: *f.speaker, Target: *f.target, Since: *f.since, Until: *f.until}.Query()
	return q, usage(err)
}

// bind completes q against the index it will run on (filter.Bind); a
// value the index has never seen is a usage error.
func (f *filterFlags) bind(ix *index.Index, q *index.Query) (byDefault bool, err error) {
	byDefault, err = filter.Bind(ix, q, f.minConf.value(), nil)
	return byDefault, usage(err)
}

// usage turns a bad filter value (*filter.Error) into a usage error; other
// errors pass unchanged.
func usage(err error) error {
	var fe *filter.Error
	if errors.As(err, &fe) {
		return &usageError{msg: err.Error()}
	}
	return err
}

// parseQuery is parse for a command whose QUERY may hold an excluded word
// (-energy): one that comes first, before any other word, is read as a
// flag and refused, and the message says how to write it.
func (e *env) parseQuery(fs *flag.FlagSet, args []string) error {
	err := e.parse(fs, args)
	var ue *usageError
	if !errors.As(err, &ue) {
		return err
	}
	for _, a := range args {
		if a == "--" {
			break
		}
		word := strings.TrimPrefix(a, "-")
		if len(a) > 1 && a[0] == '-' && a[1] != '-' && fs.Lookup(word) == nil && (strings.HasSuffix(ue.msg, "not defined: "+a) || strings.Contains(ue.msg, "not defined: "+a+" (")) {
			ue.msg += fmt.Sprintf(" (to leave out the word %q, write NOT %s, or put the query after --: redline %s -- '%s …')", word, word, fs.Name(), a)
			break
		}
	}
	return err
}

// addSort adds --sort to a command's flags; what says what it orders.
func addSort(fs *flag.FlagSet, what, def string) *string {
	return fs.String("sort", "", what+": relevance (best match first), newest, oldest (undated claims last in both) or confidence (most confident first); default "+def)
}

// order reads --sort; a name that is no order is a usage error.
func order(s string) (index.Order, error) {
	o, err := index.ParseOrder(s)
	if err != nil {
		return o, usagef("--sort %q: want relevance, newest, oldest or confidence", s)
	}
	return o, nil
}

// openIndex opens an existing index read-only; a missing one is a clear
// error rather than a new empty index. While an ingest writes the index, it
// opens the state the ingest published last and says so on stderr.
func (e *env) openIndex(dir string) (*index.Index, error) {
	dir = indexDir(dir)
	if err := e.needIndex(dir, "run redline ingest first, or pass --index"); err != nil {
		return nil, err
	}
	ix, err := index.Open(dir, index.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	if v, ok := ix.View(); ok {
		e.log.Info("an ingest is writing this index: reading the state it committed "+committedAt(v), "index", dir)
	}
	return ix, nil
}

// needIndex first finishes or undoes what a kill left of a repair or a
// --rebuild (index.Heal, which says so on the log), then is the error for
// an index folder that holds no index, with hint saying what to do: a path
// that does not exist, or a folder without Bleve's (a folder of articles
// given as --index, say), which the commands that read an index called
// "does not exist" or answered with a stat error. A file is left to
// index.Open, which says it is not a folder.
func (e *env) needIndex(dir, hint string) error {
	if err := index.Heal(dir, e.log); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("no index at %s (%s): %w", dir, hint, err)
	}
	if !fi.IsDir() {
		return nil
	}
	if bi, err := os.Stat(filepath.Join(dir, index.BleveDir)); err != nil || !bi.IsDir() {
		return fmt.Errorf("no index at %s: the folder holds no redline index (no %s/ inside; %s)", dir, index.BleveDir, hint)
	}
	return nil
}

// committedAt says when the state of a published view was committed.
func committedAt(v index.View) string {
	if v.Commit.Seq == 0 {
		return "before its first write (published " + v.Published.Local().Format("15:04:05") + ")"
	}
	return "at " + v.Commit.Time.Local().Format("2006-01-02 15:04:05") + fmt.Sprintf(" (write #%d)", v.Commit.Seq)
}

const searchUsage = `Usage: redline search [--index DIR] [filters] [--min-confidence X] [--sort ORDER] [--limit N] [--json] QUERY

Searches the indexed claims. QUERY reads as in web search: words match the
sentence and must all be there (nato guarantees), OR joins alternatives
(ceasefire OR truce), NOT word or -word excludes a word, quotes make a
phrase ("security guarantees"), and field:value matches a field
(party:russia kind:red_line topic:crimea outlet:"BBC News"; party, kind,
topic and outlet values in any case, parties also by name: party:Kremlin).
"*" or an empty QUERY matches every claim. Flags may come before or after
QUERY. A filter value the index has never seen is an error that names the
nearest ones. Each hit shows party, kind, topics, date, outlet and the
sentence. Claims with the same sentence text (white space aside), party
and kind are one row, which lists where else the sentence appeared; --limit
counts rows. --json prints one row a line: the claim (the export format),
its score, "claims" (how many it folds) and "sources" (each claim's doc_id,
source, url, outlet, published, start, end and cluster, its own first).
Rows come best match first with a QUERY and newest first without;
--sort newest, oldest (undated claims last in both), confidence (most
confident first, then newest) or relevance chooses. A row is the first
claim of its sentence in that order.

` + minConfidenceHelp + `
Examples:
  redline search --party russia --kind red_line nato
  redline search --min-confidence 0 --party russia nato   # every claim, however unsure
  redline search --topic ceasefire --since 2025-01-01 'truce OR ceasefire -energy'
  redline search 'party:ukraine kind:red_line topic:territory'
  redline search '"security guarantees" NOT nato' --json --limit 100
  redline search --party russia --sort newest ceasefire    # the latest first
`

func (e *env) search(ctx context.Context, args []string) error {
	fs := e.newFlags("search", searchUsage)
	f := addFilters(fs)
	limit := fs.Int("limit", 20, "maximum rows to show (claims of one sentence are one row)")
	asJSON := fs.Bool("json", false, "print hits as JSON lines (the export format plus score)")
	sortBy := addSort(fs, "order of the rows", "relevance with a QUERY, newest without")
	if err := e.parseQuery(fs, args); err != nil {
		return err
	}
	q, err := f.query(strings.Join(fs.Args(), " "))
	if err != nil {
		return err
	}
	if *limit <= 0 {
		return usagef("--limit must be positive")
	}
	if q.Order, err = order(*sortBy); err != nil {
		return err
	}
	q.Limit, q.Facets = *limit, !*asJSON
	ix, err := e.openIndex(*f.dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	byDefault, err := f.bind(ix, &q)
	if err != nil {
		return err
	}
	res, err := ix.Search(ctx, q)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		for _, h := range res.Hits {
			row := struct {
				claim.Claim
				Score   float64        `json:"score"`
				Claims  int            `json:"claims"`
				Sources []index.Source `json:"sources"`
			}{h.Claim, h.Score, h.Claims, h.Sources}
			if err := enc.Encode(row); err != nil {
				return err
			}
		}
		return nil
	}
	return e.printHits(q, res, byDefault)
}

// printHits writes search's text report of res: its strings come from the
// pages read, so it goes through a plainWriter.
func (e *env) printHits(q index.Query, res index.Result, byDefault bool) error {
	w := &plainWriter{w: e.stdout}
	shown := 0
	for _, h := range res.Hits {
		shown += h.Claims
	}
	fmt.Fprintf(w, "%s (showing %d in %s, one row a sentence, %s first; %s)\n", plural(int(res.Total), "claim matches", "claims match"), shown, plural(len(res.Hits), "row", "rows"), orderWords(q.Order.For(q.Text)), res.Took.Round(time.Microsecond))
	if q.MinConfidence > 0 {
		why := "--min-confidence"
		if byDefault {
			why = "the model's min confidence; --min-confidence 0 shows all"
		}
		fmt.Fprintf(w, "claims with confidence %.2f or more only (%s)\n", q.MinConfidence, why)
	}
	for i, h := range res.Hits {
		c := h.Claim
		date := c.Published
		if date == "" {
			date = "date unknown"
		}
		outlet := c.Outlet
		if outlet == "" {
			outlet = c.Source
		}
		fmt.Fprintf(w, "\n%d. %s %s [%s]  %s · %s\n", i+1, c.Party, c.Kind, strings.Join(c.Topics, ","), date, outlet)
		sentence := c.Sentence
		var titles []string
		for i, f := range h.Fragments {
			// The sentence's fragment comes first when the sentence
			// matched; a title's follows as "title: …" (index.Hit).
			if i == 0 && !strings.HasPrefix(f, "title: ") {
				sentence = f
			} else {
				titles = append(titles, f)
			}
		}
		fmt.Fprintf(w, "   %s\n", oneLine(sentence))
		for _, t := range titles {
			fmt.Fprintf(w, "   %s\n", oneLine(t))
		}
		var extra []string
		if c.Speaker != "" {
			extra = append(extra, "speaker: "+c.Speaker)
		}
		if c.Target != "" {
			extra = append(extra, "target: "+c.Target)
		}
		if c.Condition != "" {
			extra = append(extra, "condition: "+c.Condition)
		}
		if c.Hedged {
			extra = append(extra, "hedged")
		}
		extra = append(extra, fmt.Sprintf("cue: %q (%s, %.2f)", c.Cue, c.Attribution, c.Confidence))
		fmt.Fprintf(w, "   %s\n", strings.Join(extra, " · "))
		fmt.Fprintf(w, "   %s @%d-%d\n", cmp.Or(c.URL, c.Source), c.Start, c.End)
		if h.Claims > 1 {
			printSources(w, h)
		}
	}
	if len(res.Facets) > 0 && res.Total > 0 {
		fmt.Fprintln(w)
		for _, name := range []string{"party", "kind", "topic", "outlet"} {
			printFacet(w, name, res.Facets[name])
		}
	}
	return nil
}

// orderWords says what comes first in order o.
func orderWords(o index.Order) string {
	switch o {
	case index.OrderRelevance:
		return "best match"
	case index.OrderOldest:
		return "oldest"
	case index.OrderConfidence:
		return "most confident"
	}
	return "newest"
}

// maxSourcesShown is how many of a row's other sources search lists in
// text; --json lists them all.
const maxSourcesShown = 5

// printSources lists where else a row's sentence appeared.
func printSources(w io.Writer, h index.Hit) {
	outlets := map[string]bool{}
	for _, s := range h.Sources {
		outlets[cmp.Or(s.Outlet, s.Source)] = true
	}
	noun := "outlets"
	if len(outlets) == 1 {
		noun = "outlet"
	}
	fmt.Fprintf(w, "   the same sentence in %d claims, %d %s:\n", h.Claims, len(outlets), noun)
	for i, s := range h.Sources[1:] {
		if i == maxSourcesShown {
			fmt.Fprintf(w, "     … %d more (--json lists them)\n", h.Claims-1-maxSourcesShown)
			break
		}
		fmt.Fprintf(w, "     %s · %s · %s\n", cmp.Or(s.Published, "date unknown"), cmp.Or(s.Outlet, "outlet unknown"), cmp.Or(s.URL, s.Source, s.DocID))
	}
}

func printFacet(w io.Writer, name string, fc []index.FacetCount) {
	if len(fc) == 0 {
		return
	}
	parts := make([]string, 0, len(fc))
	for _, c := range fc {
		parts = append(parts, fmt.Sprintf("%s %d", c.Value, c.Count))
	}
	fmt.Fprintf(w, "%-7s %s\n", name+":", strings.Join(parts, ", "))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

const exportUsage = `Usage: redline export [--index DIR] [filters] [--min-confidence X] [--sort ORDER] [--format jsonl|csv] [--out FILE [--force]] [QUERY]

Writes the indexed claims, sorted by document and position (or in the
--sort order of search: relevance, newest, oldest, confidence), one a line:
JSONL (default) or CSV with the same columns: doc_id, source, url, title,
outlet, published, sentence, start, end, party, speaker, kind, topics, target,
hedged, condition, cue, attribution, confidence, cluster, long. cluster is
the near-duplicate cluster of the claim's article (the doc_id of the first
copy of a story the index holds): claims of one cluster are one independent
source. long is set only for a sentence over 600 bytes, saying why ("list
item" or "no boundary"; JSONL leaves it out otherwise). Every claim is
written, copies included. It takes the filters of search.

` + exportSafetyHelp + `
` + minConfidenceHelp + `
Examples:
  redline export > claims.jsonl
  redline export --min-confidence 0 > all-claims.jsonl
  redline export --party ukraine --kind red_line --format csv --out red-lines.csv
  redline export --format csv --out red-lines.csv --force
  redline export --party russia --sort newest --format csv --out russia-latest.csv
`

func (e *env) export(ctx context.Context, args []string) error {
	fs := e.newFlags("export", exportUsage)
	f := addFilters(fs)
	format := fs.String("format", "jsonl", "jsonl or csv")
	out := fs.String("out", "", "write to FILE instead of stdout (a new file; see --force; - is stdout)")
	force := fs.Bool("force", false, "with --out, replace an existing regular file (never a symbolic link)")
	sortBy := addSort(fs, "order of the claims", "by document and position")
	if err := e.parseQuery(fs, args); err != nil {
		return err
	}
	o, err := order(*sortBy)
	if err != nil {
		return err
	}
	if *format != "jsonl" && *format != "csv" {
		return usagef("--format %q: want jsonl or csv", *format)
	}
	if *out == "-" {
		*out = "" // stdout, as "-" is stdin for the inputs
	}
	if err := checkOut(*out, *force); err != nil {
		return err
	}
	q, err := f.query(strings.Join(fs.Args(), " "))
	if err != nil {
		return err
	}
	q.Order = o
	ix, err := e.openIndex(*f.dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	byDefault, err := f.bind(ix, &q)
	if err != nil {
		return err
	}
	if byDefault {
		e.log.Info("claims below the model's min confidence are left out; --min-confidence 0 exports all", "min_confidence", q.MinConfidence)
	}

	n := 0
	err = e.writeOut(*out, *force, func(w io.Writer) (err error) {
		n, err = writeClaims(ctx, w, *format, ix, q)
		return err
	})
	if err != nil {
		return err
	}
	if *out != "" {
		e.log.Info("exported", "claims", n, "file", *out)
	}
	return nil
}

const statsUsage = `Usage: redline stats [--index DIR] [--json]

Says what the index holds: articles, claims, claims by party, kind, topic and
outlet, how many inputs are failing (those errors.jsonl names), and the claim
model recorded at ingest with its min confidence, the default
--min-confidence of search, export and compare, and how many claims reach
it. An index made by the rules alone or by an older redline records no
model; its default is 0 (every claim is shown).

Example:
  redline stats --json | jq .by_party
`

func (e *env) stats(ctx context.Context, args []string) error {
	fs := e.newFlags("stats", statsUsage)
	dir := fs.String("index", "", "index folder (default $REDLINE_INDEX or ./redline.index)")
	asJSON := fs.Bool("json", false, "print JSON")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		// "redline stats other.index" would otherwise show ./redline.index.
		return usagef("stats takes no arguments (got %q); use --index DIR", fs.Args())
	}
	ix, err := e.openIndex(*dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	st, err := ix.Stats(ctx)
	if err != nil {
		return err
	}
	errCount, _, err := index.ReadErrors(ix.Dir(), 0)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st.Report(ix.Dir(), errCount))
	}
	// The file lies in the index folder, not where the user stands: name
	// it by its path, and only when it has something to show.
	w := &plainWriter{w: e.stdout} // outlets come from the pages read
	see := ""
	if errCount > 0 {
		see = " (see " + filepath.Join(ix.Dir(), index.ErrorsFile) + ")"
	}
	fmt.Fprintf(w, "index:    %s\narticles: %d (%d not in English, kept without claims)\nclaims:   %d\nerrors:   %s failing as of the last ingest that read them%s\n", ix.Dir(), st.Articles, st.NotEnglish, st.Claims, plural(errCount, "input", "inputs"), see)
	if m := st.Model; m != nil {
		fmt.Fprintf(w, "model:    %s, recorded %s\n", describeModel(*m), m.Recorded.Format("2006-01-02 15:04 MST"))
		fmt.Fprintf(w, "          %d of %d claims at confidence %.2f or more (shown by default; --min-confidence 0 shows all)\n", st.AtMinConfidence, st.Claims, m.MinConfidence)
	} else {
		fmt.Fprintf(w, "model:    none recorded (the rules alone, or an older redline): every claim is shown by default\n")
	}
	printFacet(w, "party", st.ByParty)
	printFacet(w, "kind", st.ByKind)
	printFacet(w, "topic", st.ByTopic)
	printFacet(w, "outlet", st.ByOutlet)
	return nil
}
