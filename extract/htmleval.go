package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/sync/errgroup"

	"redline/corpus"
	"redline/internal/benchpage"
)

// This file scores main-text extraction the way the article extraction
// benchmark (github.com/scrapinghub/article-extraction-benchmark,
// evaluate.py) does, so that our numbers compare with its published ones:
//
//   - a text is tokenised into runs of word characters (Python's Unicode
//     \w: letters, numbers and "_"), case kept;
//   - its shingles are the consecutive 4-grams of tokens, as a multiset; a
//     text of fewer than 4 tokens has one shingle of all its tokens, an
//     empty text none;
//   - per page tp = |pred ∩ true|, fp = |pred − true|, fn = |true − pred|
//     (multisets), each divided by tp+fp+fn so that every page weighs the
//     same;
//   - precision is the mean over pages of tp/(tp+fp), over the pages where
//     tp+fp > 0 (a page with no prediction counts for recall only); recall
//     is the mean of tp/(tp+fn) over the pages where tp+fn > 0; a page with
//     fp = fn = 0 scores 1 for both; F1 is the harmonic mean of the two
//     means.

// shingleN is the benchmark's n-gram length.
const shingleN = 4

// PageScore is one page's normalised true positives, false positives and
// false negatives (they sum to 1, or are all 0 when both texts are empty).
type PageScore struct {
	TP, FP, FN float64
}

// isShingleRune reports a character of Python's Unicode \w: letters,
// numbers, and the underscore.
func isShingleRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

// shingleTokens splits s into \w+ runs.
func shingleTokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isShingleRune(r) })
}

// shingles returns the multiset of s's 4-token shingles, each joined with
// a space (tokens hold no spaces, so the key is unambiguous).
func shingles(s string) map[string]int {
	toks := shingleTokens(s)
	m := make(map[string]int)
	if len(toks) == 0 {
		return m
	}
	if len(toks) < shingleN {
		m[strings.Join(toks, " ")]++
		return m
	}
	for i := 0; i+shingleN <= len(toks); i++ {
		m[strings.Join(toks[i:i+shingleN], " ")]++
	}
	return m
}

// ScorePage compares a predicted main text with the true one.
func ScorePage(truth, pred string) PageScore {
	t, p := shingles(truth), shingles(pred)
	var tp, fp, fn float64
	for k, pc := range p {
		tc := t[k]
		tp += float64(min(pc, tc))
		fp += float64(max(0, pc-tc))
	}
	for k, tc := range t {
		fn += float64(max(0, tc-p[k]))
	}
	s := tp + fp + fn
	if s == 0 {
		return PageScore{}
	}
	return PageScore{TP: tp / s, FP: fp / s, FN: fn / s}
}

// Precision is tp/(tp+fp), 1 when nothing is wrong (fp = fn = 0).
func (s PageScore) Precision() float64 {
	switch {
	case s.FP == 0 && s.FN == 0:
		return 1
	case s.TP == 0 && s.FP == 0:
		return 0
	}
	return s.TP / (s.TP + s.FP)
}

// Recall is tp/(tp+fn), 1 when nothing is wrong (fp = fn = 0).
func (s PageScore) Recall() float64 {
	switch {
	case s.FP == 0 && s.FN == 0:
		return 1
	case s.TP == 0 && s.FN == 0:
		return 0
	}
	return s.TP / (s.TP + s.FN)
}

// F1 is the page's own F1 (for listing the worst pages; the benchmark's
// F1 is taken of the means, see Summarize).
func (s PageScore) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Summarize returns the benchmark's precision (mean over the pages with a
// prediction), recall (mean over the pages with a true text) and the F1 of
// the two means. Means over no pages are 0.
func Summarize(pages []PageScore) (precision, recall, f1 float64) {
	var sp, sr float64
	np, nr := 0, 0
	for _, s := range pages {
		if s.TP+s.FP > 0 {
			sp += s.Precision()
			np++
		}
		if s.TP+s.FN > 0 {
			sr += s.Recall()
			nr++
		}
	}
	if np > 0 {
		precision = sp / float64(np)
	}
	if nr > 0 {
		recall = sr / float64(nr)
	}
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}

// BenchPage is one page of an extraction benchmark folder.
type BenchPage struct {
	ID   string // the ground truth's key (the file name without .html.gz)
	URL  string
	HTML string
	Body string // the true article body
}

// LoadHTMLBenchmark reads a benchmark folder laid out like the article
// extraction benchmark: ground-truth.json mapping page ids to
// {"articleBody", "url"}, and html/ID.html.gz (or html/ID.html) for every
// id. Pages come back sorted by id. A page whose HTML file is missing is an
// error: a score over part of the pages would not compare. The pages are
// read and unzipped on every core.
func LoadHTMLBenchmark(dir string) ([]BenchPage, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "ground-truth.json"), err)
	}
	pages := make([]BenchPage, 0, len(gt))
	for id, g := range gt {
		pages = append(pages, BenchPage{ID: id, URL: g.URL, Body: g.ArticleBody})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].ID < pages[j].ID })
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range pages {
		g.Go(func() error {
			h, err := benchpage.Read(filepath.Join(dir, "html", pages[i].ID))
			pages[i].HTML = h
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return pages, nil
}

// BodyText is the text of an article that extraction benchmarks score:
// the blocks the claim extractor reads (no captions, no boilerplate), less
// a heading that repeats the title (benchmarks keep the headline apart
// from the article body), joined by blank lines.
func BodyText(a Article) string {
	var sb strings.Builder
	for _, b := range a.Blocks {
		if b.Kind == Caption || b.Kind == Boilerplate || b.Kind == Heading && sameTitle(b.Text, a.Title) {
			continue
		}
		if sb.Len() > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(b.Text)
	}
	return sb.String()
}

// sameTitle reports whether a heading repeats the title: equal, or one the
// start of the other (titles often carry " | Outlet"), case and white space
// aside.
func sameTitle(heading, title string) bool {
	h, t := strings.ToLower(collapseSpace(heading)), strings.ToLower(collapseSpace(title))
	if h == "" || t == "" {
		return false
	}
	return h == t || len(h) >= 15 && strings.HasPrefix(t, h) || len(t) >= 15 && strings.HasPrefix(h, t)
}

// HTMLPageResult is one page's outcome in EvalHTML.
type HTMLPageResult struct {
	ID    string
	URL   string
	Score PageScore
	Err   error // the extraction error (the page then scores an empty text)
}

// HTMLEvalReport is the benchmark's verdict on the HTML text stage.
type HTMLEvalReport struct {
	Pages     int
	Precision float64
	Recall    float64
	F1        float64
	Seconds   float64 // wall time of the pass over all pages, on every core
	Bytes     int64   // HTML bytes read
	Results   []HTMLPageResult
}

// PagesPerSecond is the extraction throughput.
func (r HTMLEvalReport) PagesPerSecond() float64 {
	if r.Seconds == 0 {
		return 0
	}
	return float64(r.Pages) / r.Seconds
}

// EvalHTML extracts every page's text with Text (the page's URL passed
// along as the document's) and scores its BodyText against the true body,
// on every core. Results keep the order of pages; Seconds is the wall time
// of the whole pass (extraction and scoring), so PagesPerSecond is the
// throughput on this machine's cores.
func EvalHTML(pages []BenchPage) HTMLEvalReport {
	rep := HTMLEvalReport{Pages: len(pages), Results: make([]HTMLPageResult, len(pages))}
	scores := make([]PageScore, len(pages))
	start := time.Now()
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, pg := range pages {
		rep.Bytes += int64(len(pg.HTML))
		g.Go(func() error {
			a, err := Text(corpus.Document{HTML: pg.HTML, URL: pg.URL})
			scores[i] = ScorePage(pg.Body, BodyText(a))
			rep.Results[i] = HTMLPageResult{ID: pg.ID, URL: pg.URL, Score: scores[i], Err: err}
			return nil
		})
	}
	_ = g.Wait() // no task fails: a page's error is in its result
	rep.Seconds = time.Since(start).Seconds()
	rep.Precision, rep.Recall, rep.F1 = Summarize(scores)
	return rep
}
