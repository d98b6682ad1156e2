package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"

	"redline/corpus"
	"redline/extract"
)

const textUsage = `Usage: redline text [--json] PATH|URL...

Prints the main text of articles as redline reads it: the blocks (headings,
paragraphs, list items, quotes, captions) separated by blank lines. PATH is
as for ingest (files, folders, JSONL dumps, "-" for standard input); an
http:// or https:// URL is fetched (politely: robots.txt, a delay between
requests to one host). With more than one article, each is headed by a line
"==> SOURCE <==".

With --json, one JSON object a line per article: source, url, title,
published, author, outlet, canonical_url, lang, english (whether redline
reads it as English: see extract.IsEnglish), truncated (only the beginning
of a very large page was read: see extract.Article.Truncated), text, and
blocks [{kind, text}].

Examples:
  redline text page.html
  redline text --json https://example.com/news/talks.html | jq .blocks
  redline text testdata/articles | less
`

// textJSON is one article as "redline text --json" prints it.
type textJSON struct {
	Source       string          `json:"source"`
	URL          string          `json:"url,omitempty"`
	Title        string          `json:"title"`
	Published    string          `json:"published"`
	Author       string          `json:"author"`
	Outlet       string          `json:"outlet"`
	CanonicalURL string          `json:"canonical_url"`
	Lang         string          `json:"lang"`
	English      bool            `json:"english"`
	Truncated    bool            `json:"truncated"`
	Text         string          `json:"text"`
	Blocks       []textBlockJSON `json:"blocks"`
}

type textBlockJSON struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

func (e *env) text(ctx context.Context, args []string) error {
	fs := e.newFlags("text", textUsage)
	asJSON := fs.Bool("json", false, "print one JSON object per article")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usagef("text: no PATH or URL given")
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	var (
		read, failed int
		first        *extract.Article // held back until we know whether to head it
		firstSource  string
		headed       bool
		writeErr     error
	)
	emit := func(source string, a extract.Article) error {
		if *asJSON {
			return enc.Encode(articleJSON(source, a))
		}
		if !headed && first == nil {
			first, firstSource = &a, source
			return nil
		}
		if !headed {
			headed = true
			if _, err := fmt.Fprintf(e.stdout, "==> %s <==\n%s\n", firstSource, first.Text); err != nil {
				return err
			}
			first = nil
		}
		_, err := fmt.Fprintf(e.stdout, "\n==> %s <==\n%s\n", source, a.Text)
		return err
	}
	handle := func(doc corpus.Document, derr error) error {
		read++
		if derr != nil {
			failed++
			e.log.Warn("skipped document", "reason", derr)
			return nil
		}
		a, err := extract.Text(doc)
		if err != nil {
			failed++
			e.log.Warn("skipped document", "input", doc.Source, "reason", err)
			return nil
		}
		if a.CanonicalURL == "" {
			a.CanonicalURL = doc.URL
		}
		if err := emit(doc.Source, a); err != nil {
			writeErr = err
			return err
		}
		return nil
	}
	if err := eachDocument(ctx, fs.Args(), handle); err != nil {
		if writeErr != nil {
			return writeErr
		}
		return err
	}
	if first != nil {
		if _, err := fmt.Fprintln(e.stdout, first.Text); err != nil {
			return err
		}
	}
	if read > 0 && failed == read {
		return fmt.Errorf("text: none of the %d documents could be read", read)
	}
	return nil
}

func articleJSON(source string, a extract.Article) textJSON {
	out := textJSON{
		Source: source, Title: a.Title, Published: a.Published, Author: a.Author,
		Outlet: a.Outlet, CanonicalURL: a.CanonicalURL, Lang: a.Lang,
		English: extract.IsEnglish(a), Truncated: a.Truncated, Text: a.Text,
		Blocks: make([]textBlockJSON, 0, len(a.Blocks)),
	}
	for _, b := range a.Blocks {
		out.Blocks = append(out.Blocks, textBlockJSON{Kind: b.Kind.String(), Text: b.Text})
	}
	return out
}

const evalHTMLUsage = `Usage: redline eval-html [--json] [--verbose] DIR

Scores the HTML text stage on an article extraction benchmark laid out like
github.com/scrapinghub/article-extraction-benchmark: DIR/ground-truth.json
maps page ids to {"articleBody", "url"}, and DIR/html/ID.html.gz holds each
page. Each page's body text (its headings, paragraphs, list items and
quotes; captions and a heading that repeats the title left out) is scored
against the true article body by the benchmark's own method: the texts'
4-token shingles are compared as multisets, each page's true and false
positives and false negatives are normalised by their sum, precision and
recall are averaged over pages, and F1 is taken of the two means. Prints
precision, recall, F1 and the speed (pages are read, extracted and scored
on every core; the seconds are the wall time of extracting and scoring);
--verbose lists every page, worst first.

Examples:
  redline eval-html ../shared/corpus/extraction-benchmark
  redline eval-html --json --verbose ../shared/corpus/extraction-benchmark | jq '.pages_detail[:5]'
`

// evalHTMLJSON is the report "redline eval-html --json" prints.
type evalHTMLJSON struct {
	Pages          int            `json:"pages"`
	Precision      float64        `json:"precision"`
	Recall         float64        `json:"recall"`
	F1             float64        `json:"f1"`
	Seconds        float64        `json:"seconds"`
	PagesPerSecond float64        `json:"pages_per_second"`
	MBPerSecond    float64        `json:"mb_per_second"`
	Detail         []evalPageJSON `json:"pages_detail,omitempty"`
}

type evalPageJSON struct {
	ID        string  `json:"id"`
	URL       string  `json:"url"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Error     string  `json:"error,omitempty"`
}

func (e *env) evalHTML(ctx context.Context, args []string) error {
	fs := e.newFlags("eval-html", evalHTMLUsage)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	verbose := fs.Bool("verbose", false, "list every page's scores, worst first")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usagef("eval-html: give one benchmark folder")
	}
	pages, err := extract.LoadHTMLBenchmark(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("eval-html: %w", err)
	}
	if len(pages) == 0 {
		return fmt.Errorf("eval-html: %s has no pages", fs.Arg(0))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := extract.EvalHTML(pages)
	out := evalHTMLJSON{
		Pages: rep.Pages, Precision: rep.Precision, Recall: rep.Recall, F1: rep.F1,
		Seconds: rep.Seconds, PagesPerSecond: rep.PagesPerSecond(),
	}
	if rep.Seconds > 0 {
		out.MBPerSecond = float64(rep.Bytes) / 1e6 / rep.Seconds
	}
	if *verbose {
		res := append([]extract.HTMLPageResult(nil), rep.Results...)
		sort.SliceStable(res, func(i, j int) bool { return res[i].Score.F1() < res[j].Score.F1() })
		for _, r := range res {
			p := evalPageJSON{ID: r.ID, URL: r.URL, Precision: r.Score.Precision(), Recall: r.Score.Recall(), F1: r.Score.F1()}
			if r.Err != nil {
				p.Error = r.Err.Error()
			}
			out.Detail = append(out.Detail, p)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return writeEvalHTML(e.stdout, out)
}

func writeEvalHTML(w io.Writer, r evalHTMLJSON) error {
	var sb strings.Builder
	fmt.Fprintf(&sb, "pages      %d\n", r.Pages)
	fmt.Fprintf(&sb, "precision  %.3f\n", r.Precision)
	fmt.Fprintf(&sb, "recall     %.3f\n", r.Recall)
	fmt.Fprintf(&sb, "F1         %.3f\n", r.F1)
	fmt.Fprintf(&sb, "speed      %.1f pages/s, %.2f MB/s (%.2f s extracting and scoring on %d cores)\n", r.PagesPerSecond, r.MBPerSecond, r.Seconds, runtime.GOMAXPROCS(0))
	if len(r.Detail) > 0 {
		sb.WriteString("\nper page, worst first:\n")
		for _, p := range r.Detail {
			id := p.ID
			if len(id) > 12 {
				id = id[:12]
			}
			fmt.Fprintf(&sb, "  %-12s P %.3f  R %.3f  F1 %.3f  %s", id, p.Precision, p.Recall, p.F1, p.URL)
			if p.Error != "" {
				fmt.Fprintf(&sb, "  (%s)", p.Error)
			}
			sb.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}
