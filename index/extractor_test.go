package index

import (
	"errors"
	"testing"
)

// TestLexiconRecord keeps a lexicon's source in the index and reads it
// back after a reopen, read-only as the reading commands open it; a new
// index keeps none, and a read-only one refuses to keep one.
func TestLexiconRecord(t *testing.T) {
	ix := openTemp(t, Options{})
	dir := ix.Dir()
	if src, ok, err := ix.Lexicon(); err != nil || ok || src != nil {
		t.Fatalf("a new index keeps lexicon %q, %v, %v; want none", src, ok, err)
	}
	want := "name: us-iran-nuclear\nparties: []\n"
	if err := ix.SetLexicon([]byte(want)); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if src, ok, err := ro.Lexicon(); err != nil || !ok || string(src) != want {
		t.Errorf("reopened: lexicon %q, %v, %v; want %q", src, ok, err, want)
	}
	if err := ro.SetLexicon([]byte("x")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("SetLexicon on a read-only index: %v, want ErrReadOnly", err)
	}
}
