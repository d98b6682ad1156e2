package extract

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"redline/internal/sharedtest"
	"sort"
	"strings"
	"testing"
	"unicode"

	"redline/corpus"
)

// wordBag counts the lower-cased words of s.
func wordBag(s string) map[string]int {
	bag := make(map[string]int)
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		bag[w]++
	}
	return bag
}

// bagScores returns the word-bag precision and recall of got against want.
func bagScores(got, want string) (p, r float64) {
	g, w := wordBag(got), wordBag(want)
	ng, nw, common := 0, 0, 0
	for k, c := range g {
		ng += c
		common += min(c, w[k])
	}
	for _, c := range w {
		nw += c
	}
	if ng > 0 {
		p = float64(common) / float64(ng)
	}
	if nw > 0 {
		r = float64(common) / float64(nw)
	}
	return p, r
}

type refPage struct{ name, html, ref string }

// referencePages loads the pages with a reference article text: the shared
// extraction benchmark and the shared HTML index.
func referencePages(tb testing.TB) []refPage {
	tb.Helper()
	var pages []refPage
	bench := filepath.Join(sharedDir, "corpus", "extraction-benchmark")
	if b, err := os.ReadFile(filepath.Join(bench, "ground-truth.json")); err == nil {
		var gt map[string]struct {
			ArticleBody string `json:"articleBody"`
		}
		if err := json.Unmarshal(b, &gt); err != nil {
			tb.Fatal(err)
		}
		for id, g := range gt {
			f, err := os.Open(filepath.Join(bench, "html", id+".html.gz"))
			if err != nil {
				continue
			}
			zr, err := gzip.NewReader(f)
			if err != nil {
				f.Close()
				tb.Fatal(err)
			}
			h, err := io.ReadAll(zr)
			f.Close()
			if err != nil {
				tb.Fatal(err)
			}
			pages = append(pages, refPage{name: "bench/" + id[:12], html: string(h), ref: g.ArticleBody})
		}
	}
	dir := filepath.Join(sharedDir, "corpus", "html")
	if f, err := os.Open(filepath.Join(dir, "INDEX.jsonl")); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var r struct {
				File          string `json:"file"`
				ReferenceBody string `json:"reference_body"`
			}
			if json.Unmarshal(sc.Bytes(), &r) != nil || r.ReferenceBody == "" {
				continue
			}
			h, err := os.ReadFile(filepath.Join(dir, r.File))
			if err != nil {
				continue
			}
			pages = append(pages, refPage{name: r.File, html: string(h), ref: r.ReferenceBody})
		}
		f.Close()
	}
	if len(pages) == 0 {
		sharedtest.Missing(tb, "../shared not found: no reference pages")
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].name < pages[j].name })
	return pages
}

// TestHTMLReferenceOverlap measures the HTML stage against the reference
// article texts (word-bag precision, recall, F1; articleBody texts drop
// headings and captions, so precision is a lower bound) and guards a floor.
func TestHTMLReferenceOverlap(t *testing.T) {
	pages := referencePages(t)
	var sp, sr, sf float64
	for _, pg := range pages {
		a, err := Text(corpus.Document{HTML: pg.html})
		if err != nil {
			t.Logf("%s: %v", pg.name, err)
			continue
		}
		checkBlocks(t, a)
		// Score the text a claim extractor reads: no captions, no boilerplate.
		var sb strings.Builder
		for _, b := range a.Blocks {
			if b.Kind != Caption && b.Kind != Boilerplate {
				sb.WriteString(b.Text)
				sb.WriteByte('\n')
			}
		}
		p, r := bagScores(sb.String(), pg.ref)
		f := 0.0
		if p+r > 0 {
			f = 2 * p * r / (p + r)
		}
		sp, sr, sf = sp+p, sr+r, sf+f
		if f < 0.8 {
			t.Logf("%s: P %.2f R %.2f F1 %.2f", pg.name, p, r, f)
		}
	}
	n := float64(len(pages))
	t.Logf("%d pages: mean precision %.3f, recall %.3f, F1 %.3f", len(pages), sp/n, sr/n, sf/n)
	if sf/n < 0.80 {
		t.Errorf("mean word-bag F1 %.3f below the 0.80 floor", sf/n)
	}
}
