package main

import (
	"os"
	"path/filepath"
	"slices"
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
		return evalReport(t, bin, nuclearGold, nuclearArticles, args...)
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
	// The built-in model's min confidence (0.70) says nothing of claims
	// of another lexicon: cross-validation reports the one its claims
	// measure, and says so.
	if !strings.Contains(r.stdout, "claims at the min confidence they measure") || strings.Contains(r.stdout, "default --min-confidence") {
		t.Errorf("eval --cv 3 with another lexicon reports the built-in model's min confidence:\n%s", r.stdout)
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
	// Party names are read with the index's lexicon, not the built-in
	// one: "Britain" is one of the E3 here (the built-in lexicon makes it
	// united_kingdom), "Omani mediators" is Oman, and "Kremlin" is no
	// party at all.
	for _, tt := range []struct {
		cmd  []string
		code int
		want string
		not  string
	}{
		{[]string{"search", "--party", "Britain", "snapback"}, exitOK, "e3 red_line [snapback]", ""},
		{[]string{"search", "--party", "Omani mediators", "--min-confidence", "0", "host"}, exitOK, "oman offer", ""},
		{[]string{"export", "--party", "Britain", "--min-confidence", "0"}, exitOK, `"party":"e3"`, `"party":"iran"`},
		{[]string{"compare", "--party", "Britain", "--min-confidence", "0"}, exitOK, "parties e3", ""},
		{[]string{"search", "--party", "Kremlin", "nato"}, exitUsage, `the index has never seen party "Kremlin"`, "russia"},
	} {
		r := runBinary(t, bin, append(append([]string{}, tt.cmd...), "--index", idx)...)
		if r.code != tt.code || !strings.Contains(r.stdout+r.stderr, tt.want) || (tt.not != "" && strings.Contains(r.stdout+r.stderr, tt.not)) {
			t.Errorf("redline %q: exit %d (want %d), want %q and not %q in\n%s%s", tt.cmd, r.code, tt.code, tt.want, tt.not, r.stdout, r.stderr)
		}
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

// TestGoldUnknownToLexicon gives train and eval gold whose party or topic
// the lexicon does not define: each is an error naming the gold file, the
// line and the lexicon, where such claims used to be read without a word
// and could never be matched (every figure lower, nothing said), as with
// the nuclear gold scored with the built-in lexicon because --lexicon was
// forgotten.
func TestGoldUnknownToLexicon(t *testing.T) {
	data, err := os.ReadFile(nuclearGold)
	if err != nil {
		t.Fatal(err)
	}
	lines := nonEmptyLines(string(data))
	dir := t.TempDir()
	// write puts the nuclear gold, with line 3 changed by edit, where its
	// articles' docs.txt is not, so that only the gold's articles count.
	write := func(name string, edit func(string) string) string {
		t.Helper()
		ls := slices.Clone(lines)
		ls[2] = edit(ls[2])
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	party := write("party.jsonl", func(l string) string {
		return strings.Replace(l, `"party": "united_states"`, `"party": "unted_states"`, 1)
	})
	topic := write("topic.jsonl", func(l string) string { return strings.Replace(l, `"stockpile"`, `"stockpiles"`, 1) })
	other := write("other.jsonl", func(l string) string { return strings.Replace(l, `"party": "united_states"`, `"party": "other"`, 1) })
	model := filepath.Join(dir, "m.json")

	for _, tt := range []struct {
		name string
		args []string
		err  []string
	}{
		{"unknown party, eval", []string{"eval", "--lexicon", nuclearLexicon, "--rules", "--gold", party, "--docs", nuclearArticles},
			[]string{party + `:3: party "unted_states" is not a party of lexicon "us-iran-nuclear"`, "united_states"}},
		{"unknown party, train", []string{"train", "--lexicon", nuclearLexicon, "--gold", party, "--docs", nuclearArticles, "--out", model},
			[]string{party + `:3: party "unted_states"`}},
		{"unknown topic, eval --cv", []string{"eval", "--cv", "2", "--lexicon", nuclearLexicon, "--gold", topic, "--docs", nuclearArticles},
			[]string{topic + `:3: topic "stockpiles" is not a topic of lexicon "us-iran-nuclear"`, "stockpile, inspections"}},
		{"gold of another lexicon", []string{"eval", "--gold", nuclearGold, "--docs", nuclearArticles},
			[]string{nuclearGold + `:1: topic "enrichment" is not a topic of lexicon "russia-ukraine"`, "--lexicon"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := runCLI(t, tt.args...)
			if err == nil {
				t.Fatalf("redline %q: no error\n%s", tt.args, stderr)
			}
			for _, want := range tt.err {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("redline %q: error %q lacks %q", tt.args, err, want)
				}
			}
		})
	}
	if _, err := os.Stat(model); err == nil {
		t.Error("train wrote a model from gold it refused")
	}
	// "other", the spec's id for a party the gold does not name, is no
	// lexicon's party and is read.
	mustRun(t, "eval", "--lexicon", nuclearLexicon, "--rules", "--gold", other, "--docs", nuclearArticles)
}

// TestModelForEditedLexicon loads a model with a lexicon of the name it
// was trained for but other topics, as a user who edits a lexicon under
// its name (or copies the built-in one and adds a topic) does: an error
// naming the topics, where the model used to score claims of topics it
// never learned without a word (a renamed topic "prisoners" took the
// claims of "detainees").
func TestModelForEditedLexicon(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	mustRun(t, "train", "--lexicon", nuclearLexicon, "--gold", nuclearGold, "--docs", nuclearArticles, "--out", model)
	edit := func(src, name, old, new string) string {
		t.Helper()
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s lacks %q", src, old)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	renamed := edit(nuclearLexicon, "renamed.yaml", "\n  detainees:", "\n  prisoners:")
	added := edit("../../extract/lexicon.yaml", "added.yaml", "\ntopics:\n", "\ntopics:\n  water: [water rights, dams]\n")
	article := nuclearArticles + "/07_prisoner_swap.txt"
	for _, tt := range []struct {
		name string
		args []string
		err  []string
	}{
		{"a topic renamed", []string{"extract", "--lexicon", renamed, "--model", model, article},
			[]string{`"us-iran-nuclear"`, "topics the model was not trained on (prisoners)", "topics the lexicon lacks (detainees)"}},
		{"a topic renamed, ingest", []string{"ingest", "--index", filepath.Join(dir, "idx"), "--lexicon", renamed, "--model", model, article},
			[]string{"(prisoners)"}},
		{"the built-in lexicon with a topic added", []string{"extract", "--lexicon", added, article},
			[]string{`"russia-ukraine"`, "topics the model was not trained on (water)", "--rules"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, err := runCLI(t, tt.args...)
			if err == nil {
				t.Fatalf("redline %q: no error\nstdout:\n%s\nstderr:\n%s", tt.args, out, stderr)
			}
			for _, want := range tt.err {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("redline %q: error %q lacks %q", tt.args, err, want)
				}
			}
		})
	}
	// The same lexicon, or the rules alone with the edited one, is fine.
	mustRun(t, "extract", "--lexicon", nuclearLexicon, "--model", model, article)
	mustRun(t, "extract", "--lexicon", renamed, "--rules", article)
}

// TestSynopsesNameLexiconFlags: every command that takes --lexicon,
// --model or --rules says so in redline's own usage, in its --help's first
// line and in the README's synopsis, where train and eval used to show no
// --lexicon at all, so that training for another lexicon was found only by
// reading the flag list.
func TestSynopsesNameLexiconFlags(t *testing.T) {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	main := mainUsage()
	for _, c := range commands() {
		help, _, err := runCLI(t, c.name, "--help")
		if err != nil && !strings.Contains(err.Error(), "help requested") {
			t.Fatalf("%s --help: %v", c.name, err)
		}
		first, _, _ := strings.Cut(help, "\n")
		synopsis := ""
		for _, l := range strings.Split(main, "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == "redline" && f[1] == c.name {
				synopsis = l
			}
		}
		readmeLine := ""
		for _, l := range strings.Split(string(readme), "\n") {
			if f := strings.Fields(l); len(f) > 2 && f[0] == "redline" && f[1] == c.name && strings.Contains(l, "[") {
				readmeLine = l
				break
			}
		}
		for _, flag := range []string{"lexicon", "model", "rules"} {
			if !strings.Contains(help, "\n  -"+flag+" ") && !strings.Contains(help, "\n  -"+flag+"\n") {
				continue
			}
			for _, where := range []struct{ what, line string }{
				{"redline's usage", synopsis}, {c.name + " --help", first}, {"the README's synopsis", readmeLine},
			} {
				if !strings.Contains(where.line, "--"+flag) && !(where.line == first && strings.Contains(first, "[flags]")) {
					t.Errorf("%s takes --%s, but %s does not say so: %q", c.name, flag, where.what, where.line)
				}
			}
		}
	}
}

// TestLexiconWithoutModelSaysRules: a --lexicon no model is given for
// leaves the rules alone to find the claims, and extract, eval and ingest
// say so on stderr, where they used to switch without a word; with
// --model or --rules they do not.
func TestLexiconWithoutModelSaysRules(t *testing.T) {
	const note = "the rules alone find the claims"
	article := nuclearArticles + "/01_muscat_round_opens.txt"
	model := filepath.Join(t.TempDir(), "m.json")
	mustRun(t, "train", "--lexicon", nuclearLexicon, "--gold", nuclearGold, "--docs", nuclearArticles, "--out", model)
	for _, tt := range []struct {
		args []string
		note bool
	}{
		{[]string{"extract", "--lexicon", nuclearLexicon, article}, true},
		{[]string{"eval", "--lexicon", nuclearLexicon, "--gold", nuclearGold, "--docs", nuclearArticles}, true},
		{[]string{"ingest", "--index", filepath.Join(t.TempDir(), "idx"), "--lexicon", nuclearLexicon, article}, true},
		{[]string{"extract", "--lexicon", nuclearLexicon, "--rules", article}, false},
		{[]string{"extract", "--lexicon", nuclearLexicon, "--model", model, article}, false},
		{[]string{"eval", "--cv", "2", "--lexicon", nuclearLexicon, "--gold", nuclearGold, "--docs", nuclearArticles}, false},
		{[]string{"extract", article}, false},
	} {
		_, stderr, err := runCLI(t, tt.args...)
		if err != nil {
			t.Fatalf("redline %q: %v\n%s", tt.args, err, stderr)
		}
		if got := strings.Contains(stderr, note); got != tt.note {
			t.Errorf("redline %q: says %q: %v, want %v\nstderr:\n%s", tt.args, note, got, tt.note, stderr)
		}
	}
}

// TestEditedLexiconWarns: the built-in model with the built-in lexicon
// edited under its name still finds claims, but says which sections
// changed, since its confidences were measured with the other lexicon. A
// copy that differs only in comments and a party's display name says
// nothing.
func TestEditedLexiconWarns(t *testing.T) {
	dir := t.TempDir()
	const builtin = "../../extract/lexicon.yaml"
	b, err := os.ReadFile(builtin)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, edits ...string) string {
		t.Helper()
		s := string(b)
		for i := 0; i < len(edits); i += 2 {
			if !strings.Contains(s, edits[i]) {
				t.Fatalf("%s lacks %q", builtin, edits[i])
			}
			s = strings.Replace(s, edits[i], edits[i+1], 1)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	article := "../../testdata/articles/01_istanbul_round_what_each_side_wants.txt"
	for _, tt := range []struct {
		name, lexicon, sections string
	}{
		{"comments and a display name", write("same.yaml", "    name: Russia\n", "    name: Russian Federation # renamed\n", "\ncues:\n", "\n# a comment\ncues:\n"), ""},
		{"an alias added", write("alias.yaml", "aliases: [Russia, ", "aliases: [Russia, Muscovy, "), "parties"},
		{"a cue and an alias added", write("cue.yaml", "aliases: [Russia, ", "aliases: [Russia, Muscovy, ", "verbs: [demand, ", "verbs: [demand, clamour for, "), "cues,parties"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, err := runCLI(t, "extract", "--lexicon", tt.lexicon, article)
			if err != nil {
				t.Fatalf("extract: %v\n%s", err, stderr)
			}
			if !strings.Contains(out, `"party"`) {
				t.Errorf("extract found no claim with the model:\n%s", out)
			}
			warned := strings.Contains(stderr, "differs from the one the claim model was trained with")
			switch {
			case tt.sections == "" && warned:
				t.Errorf("warned for a lexicon the features read alike:\n%s", stderr)
			case tt.sections != "" && !warned:
				t.Errorf("no warning for changed %s:\n%s", tt.sections, stderr)
			case tt.sections != "" && !strings.Contains(stderr, "sections="+tt.sections):
				t.Errorf("warning does not name sections %s:\n%s", tt.sections, stderr)
			}
		})
	}
}
