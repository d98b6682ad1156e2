package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"redline/compare"
	"redline/filter"
)

const compareUsage = `Usage: redline compare [--index DIR] [--party P] [--topic T] [--speaker S] [--target P] [--since DATE] [--until DATE]
                       [--min-confidence X] [--by month|week|quarter]
                       [--format table|json|markdown|csv] [--plot FILE.svg|png]

Compares the parties' positions across sources: who wants what, according to
whom, and how it moved. Sources are counted honestly: a syndicated copy or a
repost of an article is one independent source with it (ingest clusters
near-duplicates), so "sources" is the number of distinct stories.

  positions       for each party, topic and kind (demand, red_line, offer):
                  independent sources, outlets, articles, claims, first and
                  last date, and up to three representative sentences
  convergence     for each topic, each party's positions side by side and a
                  verdict read from the positions, per pair of parties and for
                  the topic. Two positions meet when a claim of one addresses
                  the other party (its target): standoff (a demand of one
                  meets a red line of the other), movement (a demand meets an
                  offer), convergence (both offer); one-sided (one party
                  alone, or the party it addresses holds nothing), open
                  (positions that do not meet), or too little evidence (a side
                  rests on fewer than --min-sources independent sources); each
                  verdict lists the ids of the claims it rests on
  timeline        for each party and topic, the kinds reported per period and
                  the dominant one (most independent sources); shifts list
                  every change of the dominant kind with the first sentence
                  that shows the new kind
  disagreements   a party's position on a topic in one period that some
                  outlets report as one kind and others as another

--party and --topic take comma-separated values (any of them); --party
russia,ukraine compares just those two. --min-sources (default 2) is the
fewest independent sources each side of a verdict needs: below it the
verdict is "too little evidence" instead of a guess; --min-sources 1 trusts
a single story. A topic's verdict is the most cautious of its pairs': one
standoff outweighs any movement, movement outweighs convergence. --plot draws
the convergence map and the busiest timelines as SVG or PNG (by the file's
extension).

` + minConfidenceHelp + `
Examples:
  redline compare --topic territory,nato
  redline compare --min-confidence 0.5 --party russia,ukraine
  redline compare --party russia,ukraine --since 2025-01-01 --by quarter
  redline compare --min-sources 3 --format csv > compare.csv
  redline compare --format markdown > positions.md
  redline compare --format json | jq '.shifts'
  redline compare --plot talks.svg
`

// compareFormats are the --format values.
var compareFormats = []string{"table", "json", "markdown", "csv"}

func (e *env) compare(ctx context.Context, args []string) error {
	fs := e.newFlags("compare", compareUsage)
	dir := fs.String("index", "", "index folder (default $REDLINE_INDEX or ./redline.index)")
	party := fs.String("party", "", "only these parties, comma-separated, by id or name in any case (russia,Kyiv)")
	topic := fs.String("topic", "", "only these topics, comma-separated, in any case (territory,nato)")
	speaker := fs.String("speaker", "", "only claims these speakers made, comma-separated, in any case")
	target := fs.String("target", "", "only claims addressed to these parties, comma-separated, by id or name in any case")
	since := fs.String("since", "", "only claims published on or after DATE: a day (YYYY-MM-DD), or a month or year from its first day (2025-01, 2025)")
	until := fs.String("until", "", "only claims published on or before DATE: a day (YYYY-MM-DD), or a month or year to its last day (2025-03, 2025)")
	by := fs.String("by", compare.ByMonth, "timeline period: month, week or quarter")
	format := fs.String("format", "table", "table, json, markdown or csv")
	plotPath := fs.String("plot", "", "also draw the timeline and the convergence map to FILE (.svg or .png)")
	minSources := fs.Int("min-sources", compare.DefaultMinSources, "independent sources each side of a verdict needs; below it: too little evidence")
	minConf := addMinConfidence(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("compare: unexpected argument %q (compare takes no query)", fs.Arg(0))
	}
	switch *by {
	case compare.ByMonth, compare.ByWeek, compare.ByQuarter:
	default:
		return usagef("--by %q: want month, week or quarter", *by)
	}
	if !contains(compareFormats, *format) {
		return usagef("--format %q: want table, json, markdown or csv", *format)
	}
	if *plotPath != "" {
		if ext := strings.ToLower(filepath.Ext(*plotPath)); ext != ".svg" && ext != ".png" {
			return usagef("--plot %q: the file name must end in .svg or .png", *plotPath)
		}
		if err := checkOutFolder("--plot", *plotPath); err != nil {
			return err
		}
	}
	if *minSources < 1 {
		return usagef("--min-sources must be at least 1")
	}
	q := compare.Query{Party: filter.List(*party), Topic: filter.List(*topic),
		Speaker: filter.List(*speaker), Target: filter.List(*target), By: *by, MinSources: *minSources}
	var err error
	if q.Since, q.Until, err = filter.DateRange(*since, *until); err != nil {
		return usage(err)
	}

	ix, err := e.openIndex(*dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	if err := filter.BindCompare(ix, &q, minConf.value(), nil); err != nil {
		return usage(err)
	}
	c, err := compare.Run(ctx, ix, q)
	if err != nil {
		return err
	}
	if *plotPath != "" {
		if err := writePlot(*plotPath, c, q); err != nil {
			return err
		}
		e.log.Info("plot written", "file", *plotPath)
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(c)
	case "markdown":
		return writeCompareMarkdown(&plainWriter{w: e.stdout}, c, q)
	case "csv":
		return writeCompareCSV(e.stdout, c)
	}
	// Sentences and outlets come from the pages read.
	return writeCompareTable(&plainWriter{w: e.stdout}, c, q)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// scope describes what was compared, for report headers.
func scope(c *compare.Comparison, q compare.Query) string {
	var parts []string
	if len(q.Party) > 0 {
		parts = append(parts, "parties "+strings.Join(q.Party, ", "))
	}
	if len(q.Topic) > 0 {
		parts = append(parts, "topics "+strings.Join(q.Topic, ", "))
	}
	if !q.Since.IsZero() {
		parts = append(parts, "since "+q.Since.Format("2006-01-02"))
	}
	if !q.Until.IsZero() {
		parts = append(parts, "until "+q.Until.Format("2006-01-02"))
	}
	if c.MinConfidence > 0 {
		parts = append(parts, fmt.Sprintf("confidence %.2f or more", c.MinConfidence))
	}
	s := fmt.Sprintf("%d claims", c.Claims)
	if c.Undated > 0 {
		s += fmt.Sprintf(" (%d without a date: in positions, not in the timeline)", c.Undated)
	}
	if len(parts) > 0 {
		s += "; " + strings.Join(parts, "; ")
	}
	if len(c.Periods) > 0 {
		s += fmt.Sprintf("; by %s, %s to %s", c.By, c.Periods[0], c.Periods[len(c.Periods)-1])
	}
	return s
}

// maxCited is the longest sentence the table and Markdown reports quote in
// full, in bytes; longer ones are cut at a word (JSON and CSV keep all).
const maxCited = 300

// cite formats one piece of evidence: the sentence, then outlet and date.
func cite(ev compare.Evidence) string {
	s := oneLine(ev.Sentence)
	if len(s) > maxCited {
		cut := strings.LastIndexByte(s[:maxCited], ' ')
		if cut < maxCited/2 {
			cut = maxCited
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		s = s[:cut] + " …"
	}
	where := ev.Outlet
	if where == "" {
		where = ev.DocID
	}
	if ev.Published != "" {
		where += ", " + ev.Published
	}
	// The sentence as written, in plain quotes: Go's %q would print its
	// quotes as \" and a soft hyphen or a joiner as \u00ad. Control
	// characters, which a terminal would act on, become spaces.
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return "\"" + s + "\" — " + where
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func stanceText(st compare.Stance) string {
	var parts []string
	for _, k := range st.Kinds {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", k.Kind, plural(k.Sources, "source", "sources"), plural(k.Claims, "claim", "claims")))
	}
	return strings.Join(parts, ", ")
}

// relationText says what a meeting of two positions is, with the
// independent sources of each side.
func relationText(r compare.Relation) string {
	as, bs := plural(r.ASources, "source", "sources"), plural(r.BSources, "source", "sources")
	switch r.Verdict {
	case compare.VerdictStandoff:
		return fmt.Sprintf("%s demands (%s) what %s holds as a red line (%s)", r.A, as, r.B, bs)
	case compare.VerdictMovement:
		return fmt.Sprintf("%s demands (%s) what %s offers (%s)", r.A, as, r.B, bs)
	}
	return fmt.Sprintf("%s offers (%s) and %s offers (%s)", r.A, as, r.B, bs)
}

// pairText is a pair's verdict in a line: "russia · ukraine: standoff".
func pairText(p compare.Pair) string {
	return fmt.Sprintf("%s · %s: %s", p.A, p.B, p.Verdict)
}

// splitPairs returns the pairs a report shows in full and, when the topic
// has a verdict of its own, the names of the pairs with too little
// evidence, which are only named (JSON and CSV carry them in full).
func splitPairs(tm compare.TopicMap) (shown []compare.Pair, thin []string) {
	for _, p := range tm.Pairs {
		if p.Verdict == compare.VerdictThin && tm.Verdict != compare.VerdictThin {
			thin = append(thin, p.A+" · "+p.B)
			continue
		}
		shown = append(shown, p)
	}
	return shown, thin
}

// claimIDsText lists claim ids for a report line.
func claimIDsText(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	return strings.Join(ids, ", ")
}

func tallyText(t compare.Tally) string {
	if t.Claims == 0 {
		return "-"
	}
	return fmt.Sprintf("%d (%d)", t.Sources, t.Claims)
}

// writeCompareTable prints the comparison as aligned plain text.
func writeCompareTable(w io.Writer, c *compare.Comparison, q compare.Query) error {
	bw := &errWriter{w: w}
	bw.printf("Compared %s.\n", scope(c, q))
	if c.Claims == 0 {
		bw.printf("No claims match.\n")
		return bw.err
	}
	bw.printf("\nPOSITIONS  (sources = independent stories: a syndicated copy counts once)\n\n")
	bw.printf("%-22s %-16s %-9s %7s %7s %8s %6s  %-10s  %-10s\n", "topic", "party", "kind", "sources", "outlets", "articles", "claims", "first", "last")
	for _, p := range c.Positions {
		bw.printf("%-22s %-16s %-9s %7d %7d %8d %6d  %-10s  %-10s\n", p.Topic, p.Party, p.Kind, p.Sources, p.Outlets, p.Articles, p.Claims, dash(p.First), dash(p.Last))
		for _, ev := range p.Evidence {
			bw.printf("    %s\n", cite(ev))
		}
	}
	bw.printf("\nCONVERGENCE MAP  (verdicts from the positions; each side needs %s)\n", plural(c.MinSources, "independent source", "independent sources"))
	for _, tm := range c.Map {
		bw.printf("\n%s: %s\n", tm.Topic, strings.ToUpper(tm.Verdict))
		for _, st := range tm.Stances {
			bw.printf("    %-16s %s\n", st.Party, stanceText(st))
		}
		if len(tm.Pairs) == 0 && len(tm.ClaimIDs) > 0 {
			bw.printf("    claims: %s\n", claimIDsText(tm.ClaimIDs))
		}
		shown, thin := splitPairs(tm)
		for _, p := range shown {
			bw.printf("    %s\n", pairText(p))
			for _, r := range p.Relations {
				bw.printf("        %s\n", relationText(r))
				for _, ev := range r.Evidence {
					bw.printf("            %s %s: %s\n", ev.Party, ev.Kind, cite(ev))
				}
			}
			bw.printf("        claims: %s\n", claimIDsText(p.ClaimIDs))
		}
		if len(thin) > 0 {
			bw.printf("    also %s: %s\n", compare.VerdictThin, strings.Join(thin, ", "))
		}
	}
	bw.printf("\nTIMELINE  (independent sources (claims) per %s; dominant = most sources)\n", c.By)
	for _, s := range c.Timeline {
		bw.printf("\n%s · %s\n", s.Party, s.Topic)
		bw.printf("    %-9s %-9s %-9s %-9s %s\n", "period", "demand", "red_line", "offer", "dominant")
		for _, p := range s.Points {
			bw.printf("    %-9s %-9s %-9s %-9s %s\n", p.Period, tallyText(p.Demand), tallyText(p.RedLine), tallyText(p.Offer), dash(p.Dominant))
		}
	}
	bw.printf("\nSHIFTS\n")
	if len(c.Shifts) == 0 {
		bw.printf("    none\n")
	}
	for _, s := range c.Shifts {
		bw.printf("    %s · %s: %s (%s) → %s (%s)\n        %s\n", s.Party, s.Topic, s.From, s.FromPeriod, s.To, s.Period, cite(s.Evidence))
	}
	bw.printf("\nDISAGREEMENTS BETWEEN SOURCES\n")
	if len(c.Disagreements) == 0 {
		bw.printf("    none\n")
	}
	for _, d := range c.Disagreements {
		bw.printf("    %s · %s, %s\n", d.Party, d.Topic, d.Period)
		for _, s := range d.Sides {
			bw.printf("        %s according to %s\n", s.Kind, strings.Join(s.Outlets, ", "))
			for _, ev := range s.Evidence {
				bw.printf("            %s\n", cite(ev))
			}
		}
	}
	return bw.err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// mdText is mdEscape for text from articles (a sentence, an outlet): it
// also escapes the characters Markdown would read as emphasis, code, a link
// or HTML, so "p***** off", a crawled "[[4]](https://…)" or a <script> tag
// show as written instead of being rendered.
func mdText(s string) string {
	return mdEscape(mdPunct.Replace(s))
}

var mdPunct = strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "~", `\~`)

// mdEscape keeps a value from breaking a Markdown table.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

// writeCompareMarkdown prints the comparison as a Markdown report.
func writeCompareMarkdown(w io.Writer, c *compare.Comparison, q compare.Query) error {
	bw := &errWriter{w: w}
	bw.printf("# Positions compared across sources\n\n")
	bw.printf("Compared %s. *Sources* are independent stories: a syndicated copy or repost counts once.\n", mdEscape(scope(c, q)))
	if c.Claims == 0 {
		bw.printf("\nNo claims match.\n")
		return bw.err
	}
	bw.printf("\n## Positions\n\n")
	bw.printf("| topic | party | kind | sources | outlets | articles | claims | first | last |\n")
	bw.printf("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |\n")
	for _, p := range c.Positions {
		bw.printf("| %s | %s | %s | %d | %d | %d | %d | %s | %s |\n", mdEscape(p.Topic), mdEscape(p.Party), p.Kind, p.Sources, p.Outlets, p.Articles, p.Claims, dash(p.First), dash(p.Last))
	}
	bw.printf("\n### Representative sentences\n")
	for _, p := range c.Positions {
		bw.printf("\n**%s · %s · %s**\n\n", mdEscape(p.Party), mdEscape(p.Topic), p.Kind)
		for _, ev := range p.Evidence {
			bw.printf("- %s\n", mdText(cite(ev)))
		}
	}
	bw.printf("\n## Convergence map\n\n")
	bw.printf("Verdicts come from the positions, per pair of parties; two positions meet when a claim of one addresses the other party: *standoff* (a demand of one meets a red line of the other), *movement* (a demand meets an offer), *convergence* (both offer); *one-sided* when one party alone speaks or the party it addresses holds nothing, *open* when positions do not meet, *too little evidence* when a side rests on fewer than %s. A topic takes the most cautious verdict of its pairs.\n\n", plural(c.MinSources, "independent source", "independent sources"))
	bw.printf("| topic | verdict | positions |\n| --- | --- | --- |\n")
	for _, tm := range c.Map {
		var st []string
		for _, s := range tm.Stances {
			st = append(st, "**"+mdEscape(s.Party)+"**: "+stanceText(s))
		}
		bw.printf("| %s | %s | %s |\n", mdEscape(tm.Topic), tm.Verdict, strings.Join(st, "; "))
	}
	for _, tm := range c.Map {
		if len(tm.Pairs) == 0 && len(tm.ClaimIDs) == 0 {
			continue
		}
		bw.printf("\n### %s: %s\n\n", mdEscape(tm.Topic), tm.Verdict)
		if len(tm.Pairs) == 0 {
			bw.printf("- claims: %s\n", mdEscape(claimIDsText(tm.ClaimIDs)))
		}
		shown, thin := splitPairs(tm)
		for _, p := range shown {
			bw.printf("- **%s**\n", mdEscape(pairText(p)))
			for _, r := range p.Relations {
				bw.printf("  - %s\n", mdEscape(relationText(r)))
				for _, ev := range r.Evidence {
					bw.printf("    - %s %s: %s\n", mdEscape(ev.Party), ev.Kind, mdText(cite(ev)))
				}
			}
			bw.printf("  - claims: %s\n", mdEscape(claimIDsText(p.ClaimIDs)))
		}
		if len(thin) > 0 {
			bw.printf("- also %s: %s\n", compare.VerdictThin, mdEscape(strings.Join(thin, ", ")))
		}
	}
	bw.printf("\n## Timeline\n\nIndependent sources (claims) per %s; the dominant kind has the most sources.\n", c.By)
	for _, s := range c.Timeline {
		bw.printf("\n### %s · %s\n\n", mdEscape(s.Party), mdEscape(s.Topic))
		bw.printf("| period | demand | red_line | offer | dominant |\n| --- | ---: | ---: | ---: | --- |\n")
		for _, p := range s.Points {
			bw.printf("| %s | %s | %s | %s | %s |\n", p.Period, tallyText(p.Demand), tallyText(p.RedLine), tallyText(p.Offer), dash(p.Dominant))
		}
	}
	bw.printf("\n## Shifts\n\n")
	if len(c.Shifts) == 0 {
		bw.printf("None.\n")
	}
	for _, s := range c.Shifts {
		bw.printf("- **%s · %s**: %s (%s) → %s (%s): %s\n", mdEscape(s.Party), mdEscape(s.Topic), s.From, s.FromPeriod, s.To, s.Period, mdText(cite(s.Evidence)))
	}
	bw.printf("\n## Disagreements between sources\n\n")
	if len(c.Disagreements) == 0 {
		bw.printf("None.\n")
	}
	for _, d := range c.Disagreements {
		bw.printf("- **%s · %s, %s**\n", mdEscape(d.Party), mdEscape(d.Topic), d.Period)
		for _, s := range d.Sides {
			bw.printf("  - %s according to %s\n", s.Kind, mdText(strings.Join(s.Outlets, ", ")))
			for _, ev := range s.Evidence {
				bw.printf("    - %s\n", mdText(cite(ev)))
			}
		}
	}
	return bw.err
}

// compareCSVColumns are the columns of --format csv: one row per finding
// and piece of evidence, the section column saying which (position,
// verdict, pair, relation, timeline, shift, disagreement). claim_ids lists
// the claims a verdict, pair or relation rests on (separated by ";"),
// claim_id names the row's piece of evidence. Cells a spreadsheet would run
// as formulas are neutralised as in export (csvSafeRow).
var compareCSVColumns = []string{"section", "topic", "party", "kind", "period", "from_kind", "from_period", "verdict",
	"other_party", "other_kind", "sources", "outlets", "articles", "claims", "first", "last", "dominant",
	"outlet_list", "evidence_party", "evidence_kind", "sentence", "outlet", "date", "other_sources", "claim_ids", "claim_id"}

type cmpRow map[string]string

func writeCompareCSV(w io.Writer, c *compare.Comparison) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(compareCSVColumns); err != nil {
		return err
	}
	put := func(r cmpRow, evs ...compare.Evidence) error {
		if len(evs) == 0 {
			evs = []compare.Evidence{{}}
		}
		for _, ev := range evs {
			r["evidence_party"], r["evidence_kind"], r["sentence"], r["outlet"], r["date"], r["claim_id"] = ev.Party, ev.Kind, oneLine(ev.Sentence), ev.Outlet, ev.Published, ev.ID
			rec := make([]string, len(compareCSVColumns))
			for i, col := range compareCSVColumns {
				rec[i] = r[col]
			}
			if err := cw.Write(csvSafeRow(rec)); err != nil {
				return err
			}
		}
		return nil
	}
	itoa := strconv.Itoa
	for _, p := range c.Positions {
		if err := put(cmpRow{"section": "position", "topic": p.Topic, "party": p.Party, "kind": p.Kind, "sources": itoa(p.Sources),
			"outlets": itoa(p.Outlets), "articles": itoa(p.Articles), "claims": itoa(p.Claims), "first": p.First, "last": p.Last}, p.Evidence...); err != nil {
			return err
		}
	}
	for _, tm := range c.Map {
		if err := put(cmpRow{"section": "verdict", "topic": tm.Topic, "verdict": tm.Verdict, "claim_ids": strings.Join(tm.ClaimIDs, ";")}); err != nil {
			return err
		}
		for _, p := range tm.Pairs {
			if err := put(cmpRow{"section": "pair", "topic": tm.Topic, "verdict": p.Verdict, "party": p.A, "other_party": p.B, "claim_ids": strings.Join(p.ClaimIDs, ";")}); err != nil {
				return err
			}
		}
		for _, r := range tm.Relations {
			verdict := r.Verdict
			if r.Thin {
				verdict += " (" + compare.VerdictThin + ")"
			}
			if err := put(cmpRow{"section": "relation", "topic": tm.Topic, "verdict": verdict, "party": r.A, "kind": r.AKind, "other_party": r.B, "other_kind": r.BKind,
				"sources": itoa(r.ASources), "other_sources": itoa(r.BSources), "claim_ids": strings.Join(r.ClaimIDs, ";")}, r.Evidence...); err != nil {
				return err
			}
		}
	}
	for _, s := range c.Timeline {
		for _, p := range s.Points {
			for _, k := range compare.Kinds {
				t := p.Tally(k)
				if t.Claims == 0 {
					continue
				}
				if err := put(cmpRow{"section": "timeline", "topic": s.Topic, "party": s.Party, "kind": k, "period": p.Period,
					"sources": itoa(t.Sources), "claims": itoa(t.Claims), "dominant": strconv.FormatBool(p.Dominant == k)}); err != nil {
					return err
				}
			}
		}
	}
	for _, s := range c.Shifts {
		if err := put(cmpRow{"section": "shift", "topic": s.Topic, "party": s.Party, "kind": s.To, "period": s.Period, "from_kind": s.From, "from_period": s.FromPeriod}, s.Evidence); err != nil {
			return err
		}
	}
	for _, d := range c.Disagreements {
		for _, side := range d.Sides {
			if err := put(cmpRow{"section": "disagreement", "topic": d.Topic, "party": d.Party, "kind": side.Kind, "period": d.Period,
				"outlet_list": strings.Join(side.Outlets, ";")}, side.Evidence...); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// errWriter remembers the first write error, so report code can print
// without checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// writeFileAtomic writes a file through a temporary one in the same folder,
// so a failed write leaves no half file behind. The file gets mode 0666 less
// the umask (0644 under the usual 022), as any file the user makes.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := createTemp(filepath.Dir(path), "."+filepath.Base(path)+".")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// createTemp creates a new file named prefix and a random suffix in dir,
// with mode 0666 so that the kernel applies the umask (and a folder's default
// ACL) as for any file the user makes. os.CreateTemp's 0600 would hide the
// file from the user's group, and a chmod to a fixed mode would ignore the
// umask; reading the umask itself is racy (syscall.Umask sets it to read it)
// or Linux-only (/proc/self/status).
func createTemp(dir, prefix string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no unused temporary name for %s in %s", prefix, dir)
}
