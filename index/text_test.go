package index

import (
	"context"
	"errors"
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
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// noTextFixture is an index made by redline before article texts were
// stored (schema "3"): the testdata article 01 and a hostile article.
const noTextFixture = "testdata/layout3"

// TestOpenLayoutNoText: an index of the layout before article texts opens
// for reading; its articles and claims read as before with no Text. It does
// not open for writing (its band keys are indexed in the older form, and a
// write would mix the two): the error names --rebuild, and the index is
// left as it was.
func TestOpenLayoutNoText(t *testing.T) {
	ctx := context.Background()
	dir := copyDir(t, noTextFixture)
	ix, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("Open(layout 3, read-only): %v", err)
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
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	w, err := Open(dir, Options{})
	if err == nil {
		w.Close()
		t.Fatal("Open(layout 3) for writing succeeded")
	}
	if !errors.Is(err, ErrNotIndex) || !strings.Contains(err.Error(), "--rebuild") {
		t.Errorf("Open(layout 3) for writing: %v; want ErrNotIndex naming --rebuild", err)
	}
	ix, err = Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("layout 3 after the refused write: %v", err)
	}
	defer ix.Close()
	if v, err := ix.bl.GetInternal([]byte(schemaKey)); err != nil || string(v) != "3" {
		t.Errorf("schema = %q, %v; want it left at 3", v, err)
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
