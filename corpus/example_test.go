package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"

	"redline/corpus"
)

// Reading a folder: documents come in lexical order, a bad dump record is
// reported and skipped, and the hidden and unknown files are counted.
func ExampleReader() {
	r, err := corpus.Open([]string{"testdata/example"}, corpus.Options{})
	if err != nil {
		log.Fatal(err) // a path is missing or unreadable
	}
	defer r.Close()
	ctx := context.Background()
	for {
		doc, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		var bad *corpus.InputError
		if errors.As(err, &bad) {
			fmt.Println("skipped:", bad)
			continue
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s id=%s html=%v title=%q\n", doc.Source, doc.ID, doc.HTML != "", doc.Title)
	}
	fmt.Println("files skipped:", r.Skipped(), r.SkippedFiles())
	// Output:
	// testdata/example/a.txt id=6de049ced853908b html=false title=""
	// testdata/example/b.html id=b57b3bae6d2b5e42 html=true title=""
	// testdata/example/dump.jsonl#rec-1 id=rec-1 html=false title="Ceasefire proposal"
	// skipped: testdata/example/dump.jsonl:2: record has no text or html
	// files skipped: 2 [testdata/example/.draft.txt testdata/example/notes.pdf]
}

func ExampleContentID() {
	fmt.Println(corpus.ContentID("Talks resumed\r\n  in Istanbul."))
	fmt.Println(corpus.ContentID("Talks resumed in Istanbul."))
	// Output:
	// 196155b569df8bf2
	// 196155b569df8bf2
}
