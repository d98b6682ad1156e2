package corpus

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestJSONFiles(t *testing.T) {
	dir := t.TempDir()
	gz := func(s string) string {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.String()
	}
	tests := []struct {
		name, file, content string
		want                []string // outline of the results
		texts               []string // Text of each document, in order
	}{
		{"one record on one line", "a.json", `{"id":"a1","text":"Kyiv wants guarantees."}`,
			[]string{"doc a.json"}, []string{"Kyiv wants guarantees."}},
		{"one record over many lines, after a BOM", "b.json", "\uFEFF{\n  \"title\": \"T\",\n  \"text\": \"Moscow refuses.\"\n}\n",
			[]string{"doc b.json"}, []string{"Moscow refuses."}},
		{"an array of records", "c.json", "[\n {\"id\":\"x\",\"text\":\"One.\"},\n {\"text\":\"Two.\"},\n {\"id\":\"x\",\"text\":\"Again.\"},\n 7,\n {\"url\":\"u\"}\n]",
			[]string{"doc c.json#x", "doc c.json#L2", "err c.json:4", "err c.json:5"}, []string{"One.", "Two."}},
		{"JSON Lines under a .json name", "d.json", "{\"id\":\"p\",\"text\":\"First.\"}\n\n{\"id\":\"q\",\"text\":\"Second.\"}\n",
			[]string{"doc d.json#p", "doc d.json#q"}, []string{"First.", "Second."}},
		{"gzipped", "e.json.gz", gz(`[{"text":"Zipped."}]`),
			[]string{"doc e.json.gz#L1"}, []string{"Zipped."}},
		{"an array cut short", "f.json", `[{"text":"Kept."}, {"text":`,
			[]string{"doc f.json#L1", "err f.json:2"}, []string{"Kept."}},
		{"an empty array", "g.json", "[ ]", []string{"err g.json:0"}, nil},
		{"an empty file", "h.json", "", []string{"err h.json:0"}, nil},
		{"a record without text", "i.json", `{"title":"only a title"}`, []string{"err i.json:0"}, nil},
		{"a JSON string", "j.json", `"text"`, []string{"err j.json:1"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, tc.file, tc.content)
			rs, _ := openAll(t, []string{p}, Options{})
			got := outline(rs)
			for i := range got {
				got[i] = strings.Replace(got[i], dir+string(filepath.Separator), "", 1)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			var texts []string
			for _, r := range rs {
				if r.err == nil {
					texts = append(texts, r.doc.Text)
					if r.doc.ID == "" {
						t.Errorf("%s: no ID", r.doc.Source)
					}
				}
			}
			if !slices.Equal(texts, tc.texts) {
				t.Errorf("texts %q, want %q", texts, tc.texts)
			}
		})
	}
}

// A folder of one-article .json files, as news exporters write them, reads
// each file as one document under its exporter's field names.
func TestJSONExporterFields(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "cc/one.json", `{"url": "https://example.org/a", "title": "Talks", "authors": [], "content": "Kyiv demands a ceasefire.", "published_date": "2022-09-15T23:04:05Z", "language": "en", "domain": "example.org", "meta_info": {"dataset": "news-cc"}}`)
	writeFile(t, dir, "cc/raw.json", `{"article_html": "<html><body><p>Moscow refuses.</p></body></html>", "uri": "https://example.org/b", "domain": "example.org", "warc_sourced_date": "2022-09-15T23:13:27Z"}`)
	writeFile(t, dir, "np/two.json", `{"maintext": "Ankara offers to host talks.", "date_publish": "2022-04-19 10:00:00", "source_domain": "example.com", "url": "https://example.com/c", "title": null}`)
	writeFile(t, dir, "np/both.json", `{"text": "Own field wins.", "maintext": "Not this.", "published": null, "datePublished": "2024-02-01"}`)
	rs, _ := openAll(t, []string{dir}, Options{})
	if len(rs) != 4 {
		t.Fatalf("got %d results: %q", len(rs), outline(rs))
	}
	type want struct{ url, outlet, text, html, published string }
	wants := []want{
		{"https://example.org/a", "example.org", "Kyiv demands a ceasefire.", "", "2022-09-15"},
		{"https://example.org/b", "example.org", "", "<html><body><p>Moscow refuses.</p></body></html>", ""},
		{"", "", "Own field wins.", "", "2024-02-01"},
		{"https://example.com/c", "example.com", "Ankara offers to host talks.", "", "2022-04-19"},
	}
	for i, r := range rs {
		if r.err != nil {
			t.Errorf("error %v", r.err)
			continue
		}
		d, w := r.doc, wants[i]
		pub := ""
		if !d.Published.IsZero() {
			pub = d.Published.Format(time.DateOnly)
		}
		if d.URL != w.url || d.Outlet != w.outlet || d.Text != w.text || d.HTML != w.html || pub != w.published {
			t.Errorf("%s: got url %q outlet %q text %q html %q published %q, want %+v", d.Source, d.URL, d.Outlet, d.Text, d.HTML, pub, w)
		}
	}
}

// FuzzJSONFile reads arbitrary bytes as a .json file: every result is a
// document with an ID and content, or an *InputError naming the file; the
// reading ends.
func FuzzJSONFile(f *testing.F) {
	for _, s := range []string{
		`{"text":"a"}`, "[{\"text\":\"a\"},{\"html\":\"<p>b</p>\"}]", "{\"text\":\"a\"}\n{\"text\":\"b\"}",
		"[", "[]", "[1,", "\uFEFF [ {\"text\":\"x\"} ] ]", "{\n\"content\":\"c\"\n}", "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open([]string{p}, Options{MaxBytes: 512})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for i := 0; ; i++ {
			if i > len(data)+2 {
				t.Fatal("more results than bytes")
			}
			doc, err := r.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				var ie *InputError
				if !errors.As(err, &ie) || ie.Input != p {
					t.Fatalf("error %v does not name %s", err, p)
				}
				continue
			}
			if doc.ID == "" || (doc.Text == "" && doc.HTML == "") || !strings.HasPrefix(doc.Source, p) {
				t.Fatalf("bad document %+v", doc)
			}
		}
	})
}

// A folder walk passes over a .json file that is no article (metadata,
// configuration) and counts it as skipped; named explicitly, it is an error.
func TestJSONNotArticle(t *testing.T) {
	dir := t.TempDir()
	meta := writeFile(t, dir, "page/expected-metadata.json", `{"title": "T", "byline": "B", "lang": "en"}`)
	art := writeFile(t, dir, "page/article.json", `{"title": "T", "content": "Kyiv demands a ceasefire."}`)
	rs, r := openAll(t, []string{dir}, Options{})
	if got := outline(rs); !slices.Equal(got, []string{"doc " + art}) {
		t.Errorf("walk gave %q", got)
	}
	if r.Skipped() != 1 || !slices.Equal(r.SkippedFiles(), []string{meta}) {
		t.Errorf("skipped %d %q, want %q", r.Skipped(), r.SkippedFiles(), meta)
	}
	rs, _ = openAll(t, []string{meta}, Options{})
	if len(rs) != 1 || rs[0].err == nil {
		t.Fatalf("explicit %s gave %q, want an error", meta, outline(rs))
	}
	wantInputError(t, rs[0].err, meta, 0, ErrNoContent, "no text or html")
}
