package dedup

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"redline/index"
	"redline/internal/textgen"
)

// BenchmarkDuplicateLookup measures the writer's decision for one article
// against an index of 20,000 fingerprinted articles on one topic: the
// sketch comparison and the index lookup of its band keys.
func BenchmarkDuplicateLookup(b *testing.B) {
	ix, err := index.Open(filepath.Join(b.TempDir(), "idx"), index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	r := rand.New(rand.NewPCG(11, 11))
	const n = 20000
	var batch []index.Article
	dd := New(ix)
	for i := range n {
		a := index.Article{DocID: fmt.Sprintf("a%05d", i), Hash: "h"}
		if _, err := dd.Check(&a, NewSketch(textgen.JoinParas(textgen.Article(r)))); err != nil {
			b.Fatal(err)
		}
		if batch = append(batch, a); len(batch) == 500 {
			if err := ix.Write(batch); err != nil {
				b.Fatal(err)
			}
			batch = nil
			dd.Flush()
			dd.Written()
		}
	}
	probes := make([]Sketch, 64)
	for i := range probes {
		probes[i] = NewSketch(textgen.JoinParas(textgen.Article(r)))
	}
	i := 0
	for b.Loop() {
		a := index.Article{DocID: "probe"}
		if _, err := dd.Check(&a, probes[i%len(probes)]); err != nil {
			b.Fatal(err)
		}
		dd.Reset()
		i++
	}
}

// BenchmarkSketch is the fingerprint of one article's text (the dedup
// stage's cost in the extraction workers): shingles, MinHash and the text
// hash, in MB/s of text.
func BenchmarkSketch(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 3))
	texts := make([]string, 64)
	n := 0
	for i := range texts {
		texts[i] = textgen.JoinParas(textgen.Article(r))
		n += len(texts[i])
	}
	b.SetBytes(int64(n))
	for b.Loop() {
		for _, t := range texts {
			NewSketch(t)
		}
	}
}
