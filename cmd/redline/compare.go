package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"redline/filter"
	"redline/index"
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
                  verdict: deadlock (one side demands what another holds as a
                  red line), possible convergence (one side's offer meets
                  another's demand) or open, citing the claims it rests on
  timeline        for each party and topic, the kinds reported per period and
                  the dominant one (most independent sources); shifts list
                  every change of the dominant kind with the first sentence
                  that shows the new kind
  disagreements   a party's position on a topic in one period that some
                  outlets report as one kind and others as another

--party and --topic take comma-separated values (any of them); --party
russia,ukraine compares just those two. On a large corpus, --min-sources 2
keeps positions resting on a single story out of the verdicts. --plot draws
the convergence map and the busiest timelines as SVG or PNG (by the file's
extension).

` + minConfidenceHelp + `
Examples:
  redline compare --topic territory,nato
  redline compare --min-confidence 0.5 --party russia,ukraine
  redline compare --party russia,ukraine --since 2025-01-01 --by quarter
  redline compare --min-sources 2 --format csv > compare.csv
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
	since := fs.String("since", "", "only claims published on or after DATE (YYYY-MM-DD)")
	until := fs.String("until", "", "only claims published on or before DATE (YYYY-MM-DD)")
	by := fs.String("by", index.ByMonth, "timeline period: month, week or quarter")
	format := fs.String("format", "table", "table, json, markdown or csv")
	plotPath := fs.String("plot", "", "also draw the timeline and the convergence map to FILE (.svg or .png)")
	minSources := fs.Int("min-sources", 1, "independent sources a position needs to enter a verdict")
	minConf := addMinConfidence(fs)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("compare: unexpected argument %q (compare takes no query)", fs.Arg(0))
	}
	switch *by {
	case index.ByMonth, index.ByWeek, index.ByQuarter:
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
	}
	if *minSources < 1 {
		return usagef("--min-sources must be at least 1")
	}
	q := index.CompareQuery{Party: filter.List(*party), Topic: filter.List(*topic),
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
	if q.MinConfidence, _, err = filter.MinConfidence(ix, minConf.value()); err != nil {
		return err
	}
	r := filter.NewResolver(ix)
	if q.Party, err = r.Flag("party", q.Party); err != nil {
		return usage(err)
	}
	if q.Topic, err = r.Flag("topic", q.Topic); err != nil {
		return usage(err)
	}
	if q.Speaker, err = r.Flag("speaker", q.Speaker); err != nil {
		return usage(err)
	}
	if q.Target, err = r.Flag("target", q.Target); err != nil {
		return usage(err)
	}
	c, err := ix.Compare(ctx, q)
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
		return writeCompareMarkdown(e.stdout, c, q)
	case "csv":
		return writeCompareCSV(e.stdout, c)
	}
	return writeCompareTable(e.stdout, c, q)
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
func scope(c *index.Comparison, q index.CompareQuery) string {
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
func cite(ev index.Evidence) string {
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
	return fmt.Sprintf("%q — %s", s, where)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func stanceText(st index.Stance) string {
	var parts []string
	for _, k := range st.Kinds {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", k.Kind, plural(k.Sources, "source", "sources"), plural(k.Claims, "claim", "claims")))
	}
	return strings.Join(parts, ", ")
}

func relationText(r index.Relation) string {
	verb := "demands what"
	if r.Verdict == index.VerdictConvergence {
		verb = "offers what"
	}
	tail := "holds as a red line"
	if r.BKind == "demand" {
		tail = "demands"
	}
	return fmt.Sprintf("%s %s %s %s", r.A, verb, r.B, tail)
}

func tallyText(t index.Tally) string {
	if t.Claims == 0 {
		return "-"
	}
	return fmt.Sprintf("%d (%d)", t.Sources, t.Claims)
}

// writeCompareTable prints the comparison as aligned plain text.
func writeCompareTable(w io.Writer, c *index.Comparison, q index.CompareQuery) error {
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
	bw.printf("\nCONVERGENCE MAP\n")
	for _, tm := range c.Map {
		bw.printf("\n%s: %s\n", tm.Topic, strings.ToUpper(tm.Verdict))
		for _, st := range tm.Stances {
			bw.printf("    %-16s %s\n", st.Party, stanceText(st))
		}
		for _, r := range tm.Relations {
			bw.printf("    %s: %s\n", r.Verdict, relationText(r))
			for _, ev := range r.Evidence {
				bw.printf("        %s %s: %s\n", ev.Party, ev.Kind, cite(ev))
			}
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

// mdEscape keeps a value from breaking a Markdown table.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

// writeCompareMarkdown prints the comparison as a Markdown report.
func writeCompareMarkdown(w io.Writer, c *index.Comparison, q index.CompareQuery) error {
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
			bw.printf("- %s\n", mdEscape(cite(ev)))
		}
	}
	bw.printf("\n## Convergence map\n\n")
	bw.printf("| topic | verdict | positions |\n| --- | --- | --- |\n")
	for _, tm := range c.Map {
		var st []string
		for _, s := range tm.Stances {
			st = append(st, "**"+mdEscape(s.Party)+"**: "+stanceText(s))
		}
		bw.printf("| %s | %s | %s |\n", mdEscape(tm.Topic), tm.Verdict, strings.Join(st, "; "))
	}
	for _, tm := range c.Map {
		if len(tm.Relations) == 0 {
			continue
		}
		bw.printf("\n### %s: %s\n\n", mdEscape(tm.Topic), tm.Verdict)
		for _, r := range tm.Relations {
			bw.printf("- %s: %s\n", r.Verdict, mdEscape(relationText(r)))
			for _, ev := range r.Evidence {
				bw.printf("  - %s %s: %s\n", mdEscape(ev.Party), ev.Kind, mdEscape(cite(ev)))
			}
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
		bw.printf("- **%s · %s**: %s (%s) → %s (%s): %s\n", mdEscape(s.Party), mdEscape(s.Topic), s.From, s.FromPeriod, s.To, s.Period, mdEscape(cite(s.Evidence)))
	}
	bw.printf("\n## Disagreements between sources\n\n")
	if len(c.Disagreements) == 0 {
		bw.printf("None.\n")
	}
	for _, d := range c.Disagreements {
		bw.printf("- **%s · %s, %s**\n", mdEscape(d.Party), mdEscape(d.Topic), d.Period)
		for _, s := range d.Sides {
			bw.printf("  - %s according to %s\n", s.Kind, mdEscape(strings.Join(s.Outlets, ", ")))
			for _, ev := range s.Evidence {
				bw.printf("    - %s\n", mdEscape(cite(ev)))
			}
		}
	}
	return bw.err
}

// compareCSVColumns are the columns of --format csv: one row per finding
// and piece of evidence, the section column saying which (position,
// verdict, relation, timeline, shift, disagreement).
var compareCSVColumns = []string{"section", "topic", "party", "kind", "period", "from_kind", "from_period", "verdict",
	"other_party", "other_kind", "sources", "outlets", "articles", "claims", "first", "last", "dominant",
	"outlet_list", "evidence_party", "evidence_kind", "sentence", "outlet", "date"}

type cmpRow map[string]string

func writeCompareCSV(w io.Writer, c *index.Comparison) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(compareCSVColumns); err != nil {
		return err
	}
	put := func(r cmpRow, evs ...index.Evidence) error {
		if len(evs) == 0 {
			evs = []index.Evidence{{}}
		}
		for _, ev := range evs {
			r["evidence_party"], r["evidence_kind"], r["sentence"], r["outlet"], r["date"] = ev.Party, ev.Kind, oneLine(ev.Sentence), ev.Outlet, ev.Published
			rec := make([]string, len(compareCSVColumns))
			for i, col := range compareCSVColumns {
				rec[i] = r[col]
			}
			if err := cw.Write(rec); err != nil {
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
		if err := put(cmpRow{"section": "verdict", "topic": tm.Topic, "verdict": tm.Verdict}); err != nil {
			return err
		}
		for _, r := range tm.Relations {
			if err := put(cmpRow{"section": "relation", "topic": tm.Topic, "verdict": r.Verdict, "party": r.A, "kind": r.AKind, "other_party": r.B, "other_kind": r.BKind}, r.Evidence...); err != nil {
				return err
			}
		}
	}
	for _, s := range c.Timeline {
		for _, p := range s.Points {
			for _, k := range index.Kinds {
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
// so a failed write leaves no half file behind.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	// A file the user asked for is readable by others, as any file they make.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
