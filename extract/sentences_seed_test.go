package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"redline/internal/sharedtest"
	"slices"
	"sort"
	"strings"
	"testing"

	"redline/corpus"
)

// sharedDir is the shared data folder, relative to the package directory.
const sharedDir = "../../shared"

// seedDocs reads the seed articles, or skips the test when the shared
// folder is absent.
func seedDocs(tb testing.TB) map[string]string {
	tb.Helper()
	dir := filepath.Join(sharedDir, "seeds")
	entries, err := os.ReadDir(dir)
	if err != nil {
		sharedtest.Missing(tb, "../shared not found (", err, "): seed tests need ../shared next to the module")
	}
	docs := make(map[string]string)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".txt") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		docs[e.Name()] = string(b)
	}
	if len(docs) == 0 {
		sharedtest.Missing(tb, "../shared/seeds holds no articles")
	}
	return docs
}

// goldSentences reads the distinct gold sentences per document.
func goldSentences(tb testing.TB) map[string][]string {
	tb.Helper()
	f, err := os.Open(filepath.Join(sharedDir, "gold", "seeds.jsonl"))
	if err != nil {
		sharedtest.Missing(tb, "../shared/gold/seeds.jsonl not found: ", err)
	}
	defer f.Close()
	out := make(map[string][]string)
	seen := make(map[[2]string]bool)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct{ Doc, Sentence string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatal(err)
		}
		k := [2]string{r.Doc, r.Sentence}
		if !seen[k] {
			seen[k] = true
			out[r.Doc] = append(out[r.Doc], r.Sentence)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestSeedGoldSentences checks that the gold sentences of the seed articles
// come out of Text + Split as whole sentences.
func TestSeedGoldSentences(t *testing.T) {
	docs := seedDocs(t)
	gold := goldSentences(t)
	sp := newTestSplitter(t)

	names := make([]string, 0, len(gold))
	for n := range gold {
		names = append(names, n)
	}
	sort.Strings(names)
	total, exact, contained := 0, 0, 0
	for _, name := range names {
		text, ok := docs[name]
		if !ok {
			t.Errorf("gold names %s, which is not among the seeds", name)
			continue
		}
		a, err := Text(corpus.Document{ID: name, Text: text})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sents := sp.Split(a)
		checkSentences(t, a, sents)
		got := make(map[string]bool, len(sents))
		for _, s := range sents {
			got[strings.TrimSpace(s.Text)] = true
		}
		for _, g := range gold[name] {
			total++
			g = strings.TrimSpace(g)
			if got[g] {
				exact++
				contained++
				continue
			}
			in := ""
			for _, s := range sents {
				if strings.Contains(s.Text, g) {
					in = s.Text
					break
				}
			}
			if in != "" {
				contained++
				t.Logf("%s: gold sentence only contained:\n  gold: %q\n  in:   %q", name, g, in)
			} else {
				t.Logf("%s: gold sentence missed:\n  gold: %q\n  near: %q", name, g, nearest(sents, g))
			}
		}
	}
	rate := float64(exact) / float64(total)
	t.Logf("seed gold sentences: %d, exact %d (%.1f%%), exact or contained %d (%.1f%%)",
		total, exact, 100*rate, contained, 100*float64(contained)/float64(total))
	if rate < 0.95 {
		t.Errorf("exact gold sentence rate %.1f%% below the 95%% floor", 100*rate)
	}
}

// nearest returns the produced sentence sharing the longest prefix with g.
func nearest(sents []Sentence, g string) string {
	best, bestN := "", 0
	for _, s := range sents {
		n := 0
		for n < len(s.Text) && n < len(g) && s.Text[n] == g[n] {
			n++
		}
		if n > bestN {
			best, bestN = s.Text, n
		}
	}
	return best
}

// TestSeedBlocks pins the block structure the seeds need: headings,
// captions, credits and boilerplate found by general rules.
func TestSeedBlocks(t *testing.T) {
	docs := seedDocs(t)
	want := map[string]map[string]BlockKind{
		"000_de952a0d036cd5b4.txt": {
			"A Guide to What Russia and Ukraine Want From Talks — and Where the Red Lines Are":                      Heading,
			"Aris Messinis | Afp | Getty Images":                                                                    Caption,
			"Both sides have much to lose from the war that Russia began on Feb. 24.":                               ListItem,
			"Here is a brief guide to what each side wants:":                                                        Paragraph,
			"What does Russia want?":                                                                                Heading,
			"Delegations attend the third round of Russia-Ukraine peace talks in Brest, Belarus on March 07, 2022.": Caption,
			"Foreign Ministry of Belarus | Anadolu Agency | Getty Images":                                           Caption,
			"Copyright CNBC": Boilerplate,
			"Contact Us":     Boilerplate,
		},
		"001_4361257fa2884eb2.txt": {
			"Russia-Ukraine Peace Talks: Has There Been A Breakthrough?":                                                                      Heading,
			"Moscow has said it would scale back operations in the Kyiv and Chernihiv – but the move does not represent a ceasefire.":         Paragraph,
			"Turkish president Recep Tayyip Erdogan speaks ahead of the peace talks between delegations from Russia and Ukraine in Istanbul.": Caption,
			"Anadolu Agency via Getty Images":                                            Caption,
			"Ukrainian president Volodymyr Zelenskyy on Monday.":                         Caption,
			"via Associated Press":                                                       Caption,
			"PA Graphics via PA Graphics/Press Association Images":                       Caption,
			"Here’s what we know so far.":                                                Paragraph,
			"What’s happening?":                                                          Heading,
			"Story has been updated throughout based on the latest round of peace talks": Boilerplate,
			"Close":      Boilerplate,
			"What's Hot": Boilerplate,
		},
		"002_3254e885990b81be.txt": {
			"Banner image":         Boilerplate,
			"disarmament,":         ListItem,
			"\"de-nazification\",": ListItem,
			"Will Crouch":          Heading,
		},
		"003_310b361c2c9fc890.txt": {
			"Table of Contents":                             Boilerplate,
			"Overview of the Current Negotiation Landscape": Heading,
			"Ukraine’s Position":                            Heading,
			"Diplomats and analysts have identified several strategic dynamics:": Paragraph,
		},
		"004_5da6d8e6a93fb2e2.txt": {
			"Russia and Ukraine at the Peace Negotiation Table – The Demands of Both Sides": Heading,
			"—": Boilerplate,
		},
	}
	for name, kinds := range want {
		text, ok := docs[name]
		if !ok {
			continue
		}
		a, err := Text(corpus.Document{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		checkBlocks(t, a)
		for bt, k := range kinds {
			// A text may occur twice (a table of contents entry and its
			// heading): one of its blocks must have the kind.
			var kindsSeen []BlockKind
			for _, b := range a.Blocks {
				if b.Text == bt {
					kindsSeen = append(kindsSeen, b.Kind)
				}
			}
			if !slices.Contains(kindsSeen, k) {
				t.Errorf("%s: block %q is %v, want %v", name, bt, kindsSeen, k)
			}
		}
	}
	// The table of contents of 003 is boilerplate; its headings stay.
	a, _ := Text(corpus.Document{Text: docs["003_310b361c2c9fc890.txt"]})
	for _, b := range a.Blocks {
		if b.Text == "Role of International Mediators" && b.Kind != Boilerplate && b.Kind != Heading {
			t.Errorf("003: %q is %v", b.Text, b.Kind)
		}
	}
}

// TestSeedDump logs the blocks and sentences of the seeds (go test -v -run
// SeedDump), for reading the splitter's output.
func TestSeedDump(t *testing.T) {
	if os.Getenv("REDLINE_DUMP") == "" {
		t.Skip("set REDLINE_DUMP=1 to print the seeds' blocks and sentences")
	}
	docs := seedDocs(t)
	sp := newTestSplitter(t)
	names := make([]string, 0, len(docs))
	for n := range docs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a, _ := Text(corpus.Document{Text: docs[n]})
		sents := sp.Split(a)
		t.Logf("==== %s", n)
		si := 0
		for bi, b := range a.Blocks {
			t.Logf("[%s] %q", b.Kind, b.Text)
			for ; si < len(sents) && sents[si].Block == bi; si++ {
				t.Logf("      » %q", sents[si].Text)
			}
		}
	}
}
