package corpus

import (
	"errors"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// TestSharedArticles reads the 55 evaluation articles: every line is a
// good record with an id, text, outlet and (for 53 of them) a date.
func TestSharedArticles(t *testing.T) {
	path := filepath.Join(sharedCorpus(t), "articles.jsonl")
	rs, _ := openAll(t, []string{path}, Options{})
	docs, dated, withURL, withTitle := 0, 0, 0, 0
	ids := map[string]bool{}
	for _, r := range rs {
		if r.err != nil {
			t.Errorf("unexpected: %v", r.err)
			continue
		}
		docs++
		d := r.doc
		if d.ID == "" || ids[d.ID] {
			t.Errorf("%s: empty or repeated ID %q", d.Source, d.ID)
		}
		ids[d.ID] = true
		if d.Source != path+"#"+d.ID {
			t.Errorf("Source %q, want %q", d.Source, path+"#"+d.ID)
		}
		if d.Text == "" || d.HTML != "" || !utf8.ValidString(d.Text) {
			t.Errorf("%s: want valid Text only", d.Source)
		}
		if d.Outlet == "" {
			t.Errorf("%s: no outlet", d.Source)
		}
		if d.URL != "" {
			withURL++
		}
		if d.Title != "" {
			withTitle++
		}
		if !d.Published.IsZero() {
			dated++
		}
	}
	if docs != 55 {
		t.Errorf("got %d articles, want 55", docs)
	}
	// Some records have "url": null or "title": null.
	if withURL != 35 || withTitle != 48 {
		t.Errorf("got %d URLs and %d titles, want 35 and 48", withURL, withTitle)
	}
	if dated != 53 {
		t.Errorf("got %d dated articles, want 53 (2 have \"published\": null)", dated)
	}
}

// TestSharedBulk reads the 814-record bulk dump. All of its lines are good
// records; every "published" value but the nulls and three "Month D, YYYY"
// forms is in one of the documented layouts.
func TestSharedBulk(t *testing.T) {
	path := filepath.Join(sharedCorpus(t), "bulk.jsonl")
	rs, r := openAll(t, []string{path}, Options{})
	docs, bad, dated := 0, 0, 0
	ids := map[string]int{}
	contents := map[string]bool{}
	for _, res := range rs {
		if res.err != nil {
			bad++
			t.Logf("input error: %v", res.err)
			continue
		}
		docs++
		ids[res.doc.ID]++
		contents[ContentID(res.doc.Text)] = true
		if !res.doc.Published.IsZero() {
			dated++
		}
		if res.doc.Text == "" {
			t.Errorf("%s: no text", res.doc.Source)
		}
	}
	t.Logf("bulk.jsonl: %d documents, %d input errors, %d distinct ids, %d distinct contents, %d dated",
		docs, bad, len(ids), len(contents), dated)
	if docs+bad != 814 {
		t.Errorf("%d documents + %d errors, want 814 lines", docs, bad)
	}
	if bad != 0 {
		t.Errorf("got %d input errors, want 0", bad)
	}
	if len(ids) != docs {
		t.Errorf("%d distinct ids for %d documents; the dump's ids are unique", len(ids), docs)
	}
	// The README announces 36 exact duplicates (under distinct ids).
	if len(contents) != docs-36 {
		t.Errorf("%d distinct ContentIDs for %d documents, want %d", len(contents), docs, docs-36)
	}
	// 91 records have "published": null; the other 723 all parse.
	if dated != 723 {
		t.Errorf("got %d dated records, want 723", dated)
	}
	if r.Skipped() != 0 {
		t.Errorf("Skipped() = %d, want 0", r.Skipped())
	}
}

// TestSharedHTMLFolder walks the shared folder of raw HTML pages: every
// .html file becomes a document, and INDEX.jsonl is read as a dump whose 15
// records carry "reference_body" rather than "text", so each is an
// ErrNoContent input error.
func TestSharedHTMLFolder(t *testing.T) {
	dir := filepath.Join(sharedCorpus(t), "html")
	rs, r := openAll(t, []string{dir}, Options{})
	html, records, bad := 0, 0, 0
	for _, res := range rs {
		switch {
		case res.err != nil:
			bad++
			if !errors.Is(res.err, ErrNoContent) {
				t.Errorf("unexpected: %v", res.err)
			}
		case res.doc.HTML != "":
			html++
			if !utf8.ValidString(res.doc.HTML) {
				t.Errorf("%s: HTML is not valid UTF-8", res.doc.Source)
			}
		default:
			records++
		}
	}
	t.Logf("html/: %d HTML documents, %d dump records, %d input errors, %d skipped", html, records, bad, r.Skipped())
	if html != 17 || records != 0 || bad != 15 {
		t.Errorf("got %d HTML documents, %d records, %d errors; want 17, 0, 15", html, records, bad)
	}
}

// TestSharedPageFolders walks the Readability test pages (some declare GBK
// but are stored as UTF-8) and the extraction benchmark (.html.gz files):
// every page decodes, and the JSON and licence files are skipped.
func TestSharedPageFolders(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 36 MB")
	}
	for _, tc := range []struct {
		sub                  string
		html, texts, skipped int
	}{
		{"readability-pages", 260, 1, 131}, // source.html and expected.html of 130 pages, LICENSE.md
		{"extraction-benchmark", 181, 0, 4},
	} {
		rs, r := openAll(t, []string{filepath.Join(sharedCorpus(t), tc.sub)}, Options{})
		html, texts := 0, 0
		for _, res := range rs {
			switch {
			case res.err != nil:
				t.Errorf("%s: unexpected: %v", tc.sub, res.err)
			case res.doc.HTML != "":
				html++
				if !utf8.ValidString(res.doc.HTML) {
					t.Errorf("%s: HTML is not valid UTF-8", res.doc.Source)
				}
			default:
				texts++
			}
		}
		if html != tc.html || texts != tc.texts || r.Skipped() != tc.skipped {
			t.Errorf("%s: %d HTML, %d text documents, %d skipped; want %d, %d, %d",
				tc.sub, html, texts, r.Skipped(), tc.html, tc.texts, tc.skipped)
		}
	}
}
