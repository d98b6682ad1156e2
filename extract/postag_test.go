package extract

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jdkato/prose/v2"

	"redline/internal/sharedtest"
)

// proseTagged tags text with prose itself: its words and their tags.
func proseTagged(tb testing.TB, m *prose.Model, text string) (words, tags []string) {
	tb.Helper()
	doc, err := prose.NewDocument(text, prose.UsingModel(m), prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		tb.Fatal(err)
	}
	for _, t := range doc.Tokens() {
		words = append(words, t.Text)
		tags = append(tags, t.Tag)
	}
	return words, tags
}

// proseModel loads prose's own tagging model, to compare with.
func proseModel(tb testing.TB) *prose.Model {
	tb.Helper()
	doc, err := prose.NewDocument("", prose.WithSegmentation(false), prose.WithExtraction(false))
	if err != nil {
		tb.Fatal(err)
	}
	return doc.Model
}

func newTestTagger(tb testing.TB) *Tagger {
	tb.Helper()
	tg, err := NewTagger()
	if err != nil {
		tb.Fatal(err)
	}
	return tg
}

// writtenSentences reads testdata/postag.txt.
func writtenSentences(tb testing.TB) []string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "postag.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// trainSentences reads the distinct sentences of the training gold, real
// candidate sentences from the corpus.
func trainSentences(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open(filepath.Join(sharedDir, "gold", "train", "gold.jsonl"))
	if err != nil {
		sharedtest.Missing(tb, "../shared/gold/train/gold.jsonl not found: ", err)
	}
	defer f.Close()
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct{ Sentence string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatal(err)
		}
		if r.Sentence != "" && !seen[r.Sentence] {
			seen[r.Sentence] = true
			out = append(out, r.Sentence)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestTaggerMatchesProse checks that the tagger gives prose's words and
// prose's tags, word for word, on sentences written for prose's special
// cases and on the real sentences of the training gold. A sentence where
// two tags tie exactly is left out: prose's choice there follows Go's
// random map order (the test counts them and keeps them rare).
func TestTaggerMatchesProse(t *testing.T) {
	m := proseModel(t)
	tg := newTestTagger(t)
	check := func(t *testing.T, sents []string) {
		tied, words := 0, 0
		for _, s := range sents {
			want, wantTags := proseTagged(t, m, s)
			got, tags, ties := tg.proseTagged(s)
			if !slices.Equal(got, want) {
				t.Fatalf("%q: words %q, prose %q", s, got, want)
			}
			words += len(got)
			if ties > 0 {
				tied++
				continue
			}
			if !slices.Equal(tags, wantTags) {
				for i := range tags {
					if tags[i] != wantTags[i] {
						t.Errorf("%q: word %d %q tagged %s, prose %s", s, i, got[i], tags[i], wantTags[i])
					}
				}
			}
		}
		t.Logf("%d sentences, %d words, %d with a tie", len(sents), words, tied)
		if tied*50 > len(sents) {
			t.Errorf("%d of %d sentences have a tie", tied, len(sents))
		}
	}
	t.Run("written", func(t *testing.T) { check(t, writtenSentences(t)) })
	t.Run("gold", func(t *testing.T) {
		sents := trainSentences(t)
		if len(sents) < 300 {
			t.Fatalf("%d gold sentences, want at least 300", len(sents))
		}
		check(t, sents)
	})
}

// proseOrPanic runs f, reporting whether prose panicked in it (some input
// makes prose slice past the end of a word).
func proseOrPanic(f func()) (panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	f()
	return false
}

// FuzzTaggerMatchesProse checks the words and tags of any text against
// prose's, wherever prose itself does not panic and no tags tie.
func FuzzTaggerMatchesProse(f *testing.F) {
	for _, s := range writtenSentences(f) {
		f.Add(s)
	}
	for _, s := range []string{"", " ", "'s,", "they'll go", "don't", "U.S. A.B.C. Mr. Mrs.", "$5 (a) [b] \"c\"", "x x x", "İİ'S", "a\u00a0b\tc\n"} {
		f.Add(s)
	}
	m := proseModel(f)
	tg := newTestTagger(f)
	f.Fuzz(func(t *testing.T, s string) {
		var want, wantTags []string
		if proseOrPanic(func() { want, wantTags = proseTagged(t, m, s) }) {
			tg.proseTagged(s) // must not panic
			return
		}
		got, tags, ties := tg.proseTagged(s)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: words %q, prose %q", s, got, want)
		}
		if ties == 0 && !slices.Equal(tags, wantTags) {
			t.Fatalf("%q: tags %q, prose %q", s, tags, wantTags)
		}
	})
}

// BenchmarkTagger tags the distinct sentences of the training gold with
// prose and with the Tagger (as the claim features ask for the tags: on
// our tokens), and splits them into prose's words alone. MB/s counts
// sentence text.
func BenchmarkTagger(b *testing.B) {
	sents := trainSentences(b)
	n := 0
	toks := make([][]token, len(sents))
	for i, s := range sents {
		n += len(s)
		toks[i] = tokenize(s)
	}
	b.Run("prose", func(b *testing.B) {
		m := proseModel(b)
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range sents {
				if _, err := prose.NewDocument(s, prose.UsingModel(m), prose.WithSegmentation(false), prose.WithExtraction(false)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("tagger", func(b *testing.B) {
		tg := newTestTagger(b)
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			for i, s := range sents {
				tg.tags(s, toks[i])
			}
		}
	})
	b.Run("words", func(b *testing.B) {
		var pw proseWords
		b.SetBytes(int64(n))
		b.ReportAllocs()
		for b.Loop() {
			for _, s := range sents {
				pw.split(s)
			}
		}
	})
}

// TestTaggerTags checks the tags as the claim features read them: one per
// token of ours, "" where prose's word cannot be found in the text (prose
// reads curly quotes as straight ones).
func TestTaggerTags(t *testing.T) {
	tg := newTestTagger(t)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"Moscow will not accept NATO's expansion, Lavrov said.",
			[]string{"NNP", "MD", "RB", "VB", "NNP", "POS", "NN", ",", "NNP", "VBD", "."}},
		{"“We won’t give up Crimea,” he said.",
			[]string{"PRP", "MD", "", "VB", "RP", "NNP", ",", "PRP", "VBD", "."}},
		{"", nil},
	} {
		toks := tokenize(tc.text)
		got := tg.tags(tc.text, toks)
		if len(got) != len(toks) || !slices.Equal(got, tc.want) && len(tc.want) > 0 {
			t.Errorf("%q: tags %q, want %q", tc.text, got, tc.want)
		}
	}
	var none *Tagger
	if got := none.tags("Kyiv said no.", tokenize("Kyiv said no.")); !slices.Equal(got, []string{"", "", "", ""}) {
		t.Errorf("nil tagger: %q", got)
	}
}

// TestTaggerConcurrent tags from several goroutines at once with one
// Tagger (its model is shared, its working space pooled) and checks every
// result against the same text tagged alone.
func TestTaggerConcurrent(t *testing.T) {
	tg := newTestTagger(t)
	sents := writtenSentences(t)
	want := make([][]string, len(sents))
	for i, s := range sents {
		want[i] = tg.tags(s, tokenize(s))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(sents))
	for g := range 4 {
		wg.Go(func() {
			for k := range sents {
				i := (k + g*7) % len(sents)
				if got := tg.tags(sents[i], tokenize(sents[i])); !slices.Equal(got, want[i]) {
					errs <- fmt.Sprintf("%q: %q, alone %q", sents[i], got, want[i])
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
