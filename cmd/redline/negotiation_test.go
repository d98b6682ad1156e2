package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"redline/extract"
)

// The second negotiation of testdata/nuclear: a lexicon of its own (Iran,
// the United States, the E3, the IAEA, Israel, Oman and the topics of
// nuclear talks), nine invented articles and their gold.
const (
	nuclearLexicon  = "../../testdata/nuclear/lexicon.yaml"
	nuclearArticles = "../../testdata/nuclear/articles"
	nuclearGold     = "../../testdata/nuclear/gold.jsonl"
)

// TestSecondNegotiation follows another negotiation as the README says a
// user would: train a model on the lexicon and gold of testdata/nuclear,
// evaluate it (as trained and cross-validated), ingest with it and read the
// index back, all with the real binary.
func TestSecondNegotiation(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "nuclear-model.json")
	required := requiredGold(t, nuclearGold)

	r := runBinary(t, bin, "train", "--lexicon", nuclearLexicon, "--gold", nuclearGold, "--docs", nuclearArticles, "--out", model)
	if r.code != exitOK || !strings.Contains(r.stdout, "trained on 9 articles") {
		t.Fatalf("train: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	m, err := extract.LoadModel(model)
	if err != nil {
		t.Fatal(err)
	}
	if m.Lexicon() != "us-iran-nuclear" || m.Training().Gold != required || m.Training().Covered == 0 {
		t.Fatalf("trained model: lexicon %q, training %+v; want us-iran-nuclear and %d required gold claims", m.Lexicon(), m.Training(), required)
	}

	evalJSON := func(args ...string) extract.Report {
		t.Helper()
		r := runBinary(t, bin, append([]string{"eval", "--json", "--gold", nuclearGold, "--docs", nuclearArticles}, args...)...)
		if r.code != exitOK {
			t.Fatalf("eval %q: exit %d\n%s", args, r.code, r.stderr)
		}
		var rep extract.Report
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("eval %q --json: %v\n%s", args, err, r.stdout)
		}
		return rep
	}
	// The rules read this negotiation with its lexicon alone; the model,
	// scored on the gold it was trained on, does at least as well.
	rules := evalJSON("--lexicon", nuclearLexicon, "--rules")
	own := evalJSON("--lexicon", nuclearLexicon, "--model", model)
	if rules.Gold != required || rules.F1 < 0.6 || rules.PartyAccuracy < 0.9 {
		t.Errorf("eval --rules with the nuclear lexicon: %d gold, F1 %.3f, party accuracy %.3f; want %d gold, F1 >= 0.6, party accuracy >= 0.9",
			rules.Gold, rules.F1, rules.PartyAccuracy, required)
	}
	if own.F1 < rules.F1 || own.TopicF1 < 0.6 {
		t.Errorf("eval --model on its own training gold: F1 %.3f (rules %.3f), topic F1 %.3f", own.F1, rules.F1, own.TopicF1)
	}

	r = runBinary(t, bin, "eval", "--cv", "3", "--lexicon", nuclearLexicon, "--gold", nuclearGold, "--docs", nuclearArticles)
	if r.code != exitOK || !strings.Contains(r.stdout, "cross-validation: 3 folds by article") {
		t.Fatalf("eval --cv 3: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}

	idx := filepath.Join(dir, "idx")
	r = runBinary(t, bin, "ingest", "--index", idx, "--lexicon", nuclearLexicon, "--model", model, nuclearArticles)
	if r.code != exitOK || !strings.Contains(r.stdout, "9 read, 9 indexed") {
		t.Fatalf("ingest: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	r = runBinary(t, bin, "stats", "--index", idx)
	if r.code != exitOK || !strings.Contains(r.stdout, "(lexicon us-iran-nuclear)") || !strings.Contains(r.stdout, "iran ") {
		t.Errorf("stats: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runBinary(t, bin, "search", "--index", idx, "--json", "--party", "iran", "--kind", "red_line", "--topic", "missiles", "missile")
	if r.code != exitOK || !strings.Contains(r.stdout, `"Our missiles are not on the table,\" Tavani said.`) {
		t.Errorf("search for Iran's red lines on missiles: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runBinary(t, bin, "compare", "--index", idx, "--min-confidence", "0", "--topic", "snapback", "--format", "json")
	if r.code != exitOK || !strings.Contains(r.stdout, `"e3"`) {
		t.Errorf("compare on snapback: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out := filepath.Join(dir, "claims.csv")
	r = runBinary(t, bin, "export", "--index", idx, "--min-confidence", "0", "--format", "csv", "--out", out)
	if r.code != exitOK {
		t.Fatalf("export: exit %d\n%s", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), ",oman,") {
		t.Errorf("the export holds no claim of Oman:\n%s", data)
	}
}
