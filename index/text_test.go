package index

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArticleText: the main text written with an article comes back from
// Article byte for byte, is not searchable, is not carried by the cluster
// listing, and a rewrite replaces it.
func TestArticleText(t *testing.T) {
	ctx := context.Background()
	ix := openTemp(t, Options{})
	arts := fixture()
	text := "Ukraine demands security guarantees from NATO allies.\n\nZebrafish <script>alert(1)</script> “quoted” — Київ.\n"
	arts[0].Text = text
	if err := ix.Write(arts); err != nil {
		t.Fatal(err)
	}
	a, ok, err := ix.Article(ctx, "a1")
	if err != nil || !ok {
		t.Fatalf("Article(a1) = %v, %v", ok, err)
	}
	if a.Text != text {
		t.Errorf("Article(a1).Text = %q, want %q", a.Text, text)
	}
	if a.Title != "Kyiv demands guarantees" || a.Claims != 3 {
		t.Errorf("Article(a1) metadata = %+v", a)
	}
	b, ok, err := ix.Article(ctx, "b1")
	if err != nil || !ok || b.Text != "" {
		t.Errorf("Article(b1) written without text: Text %q, ok %v, err %v", b.Text, ok, err)
	}
	// Stored only: a word that only the text holds finds nothing (and
	// "text:" is no field a query may name).
	for _, q := range []string{"zebrafish", "Zebrafish"} {
		if res := mustSearch(t, ix, Query{Text: q}); res.Total != 0 {
			t.Errorf("search %q found %d hits in the stored text", q, res.Total)
		}
	}
	list, err := ix.ClusterArticles(ctx, "a1")
	if err != nil || len(list) != 1 {
		t.Fatalf("ClusterArticles(a1) = %v, %v", list, err)
	}
	if list[0].Text != "" {
		t.Errorf("ClusterArticles carries the text (%d bytes); only Article should read it", len(list[0].Text))
	}
	// Re-ingesting replaces the text; without one the old text is gone.
	arts[0].Text = "New text."
	if err := ix.Write(arts[:1]); err != nil {
		t.Fatal(err)
	}
	if a, _, _ := ix.Article(ctx, "a1"); a.Text != "New text." {
		t.Errorf("after rewrite Text = %q", a.Text)
	}
	arts[0].Text = ""
	if err := ix.Write(arts[:1]); err != nil {
		t.Fatal(err)
	}
	if a, _, _ := ix.Article(ctx, "a1"); a.Text != "" {
		t.Errorf("after rewrite without text Text = %q", a.Text)
	}
}

// copyDir copies the folder src to a new folder in a temporary directory
// and returns its path: tests open fixtures only through a copy.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// noTextFixture is an index made by redline before article texts were
// stored (schema "3"): the testdata article 01 and a hostile article.
const noTextFixture = "testdata/layout3"

// TestOpenLayoutNoText: an index of the layout before article texts opens, for
// reading and for writing; its articles and claims read as before with no
// Text, and a write into it keeps working (the text is dropped: its
// mapping has no room for it).
func TestOpenLayoutNoText(t *testing.T) {
	ctx := context.Background()
	dir := copyDir(t, noTextFixture)
	for _, ro := range []bool{true, false} {
		ix, err := Open(dir, Options{ReadOnly: ro})
		if err != nil {
			t.Fatalf("Open(layout 3, read-only %v): %v", ro, err)
		}
		v, err := ix.bl.GetInternal([]byte(schemaKey))
		if err != nil || string(v) != schemaNoText {
			t.Errorf("schema = %q, %v; want it left at %q", v, err, schemaNoText)
		}
		a, ok, err := ix.Article(ctx, "hostile-001")
		if err != nil || !ok {
			t.Fatalf("Article(hostile-001) = %v, %v", ok, err)
		}
		if a.Text != "" || a.Claims == 0 || !strings.Contains(a.Title, "HYPERLINK") {
			t.Errorf("Article(hostile-001) = %+v; want its metadata and no text", a)
		}
		hits, err := ix.ArticleClaims(ctx, "hostile-001")
		if err != nil || len(hits) != a.Claims {
			t.Errorf("ArticleClaims(hostile-001) = %d claims, %v; want %d", len(hits), err, a.Claims)
		}
		if !ro {
			arts := fixture()
			arts[0].Text = "Some text."
			if err := ix.Write(arts); err != nil {
				t.Fatalf("Write into layout 3: %v", err)
			}
			if a, ok, err := ix.Article(ctx, "a1"); err != nil || !ok || a.Text != "" || a.Claims != 3 {
				t.Errorf("Article(a1) in layout 3 = %+v, %v, %v; want it stored without text", a, ok, err)
			}
		}
		if err := ix.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpenUnknownLayout: a layout version this build does not know is
// refused with a message naming both versions.
func TestOpenUnknownLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "redline.index")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.bl.SetInternal([]byte(schemaKey), []byte("99")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir, Options{ReadOnly: true})
	if err == nil {
		ix.Close()
		t.Fatal("an index of layout 99 opened")
	}
	if !errors.Is(err, ErrNotIndex) || !strings.Contains(err.Error(), `"99"`) || !strings.Contains(err.Error(), `"`+schemaVersion+`"`) {
		t.Errorf("err = %v; want ErrNotIndex naming both layouts", err)
	}
}
