package index

import (
	"context"
	"testing"
)

// TestTypeCounts: the counts a Write records come from the postings, less
// the documents replaced since (deleted in their segments): they equal
// what a search counts, after writes that replace articles with fewer
// claims, and the commit record holds them.
func TestTypeCounts(t *testing.T) {
	ctx := context.Background()
	ix := openTemp(t, Options{})
	arts := manyArticles(300, 3)
	for i := 0; i < len(arts); i += 100 {
		if err := ix.Write(arts[i : i+100]); err != nil {
			t.Fatal(err)
		}
	}
	// Replace every third article by a version with one claim, and one
	// with none.
	var again []Article
	for i := 0; i < len(arts); i += 3 {
		a := arts[i]
		a.Claims = a.Claims[:1]
		if i == 0 {
			a.Claims = nil
		}
		again = append(again, a)
	}
	if err := ix.Write(again); err != nil {
		t.Fatal(err)
	}
	articles, claims, err := ix.typeCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantArticles, err := ix.count(ctx, termQuery(fieldType, typeArticle))
	if err != nil {
		t.Fatal(err)
	}
	wantClaims, err := ix.count(ctx, termQuery(fieldType, typeClaim))
	if err != nil {
		t.Fatal(err)
	}
	if articles != wantArticles || claims != wantClaims || articles != 300 || claims != 300*3-99*2-3 {
		t.Errorf("typeCounts = %d articles, %d claims; a search counts %d and %d", articles, claims, wantArticles, wantClaims)
	}
	c, ok, err := ix.LastCommit()
	if err != nil || !ok || c.Articles != articles || c.Claims != claims {
		t.Errorf("LastCommit = %+v, %v, %v; want %d articles, %d claims", c, ok, err, articles, claims)
	}
}
