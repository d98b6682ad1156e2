package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"redline/extract"
)

const tradeLexicon = "../../extract/testdata/trade-lexicon.yaml"

// requiredGold counts the required (not optional) claims of a gold file.
func requiredGold(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gold, err := extract.ReadGold(f, path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range gold {
		if !g.Optional {
			n++
		}
	}
	return n
}

// TestBinaryTrainEval runs redline train and redline eval, with and without
// --cv, as a user would: the real binary on the sample articles and their
// gold.
func TestBinaryTrainEval(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "m.json")
	required := requiredGold(t, sampleGold)

	t.Run("train", func(t *testing.T) {
		var first []byte
		for i, out := range []string{model, filepath.Join(dir, "m2.json")} {
			r := runBinary(t, bin, "train", "--gold", sampleGold, "--docs", sampleArticles, "--out", out)
			if r.code != exitOK || !strings.Contains(r.stdout, "trained on 8 articles") || !strings.Contains(r.stdout, "wrote "+out) {
				t.Fatalf("train %d: exit %d\nstdout:\n%s\nstderr:\n%s", i+1, r.code, r.stdout, r.stderr)
			}
			fi, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm != 0o644 {
				t.Errorf("%s has mode %v, want -rw-r--r--", out, perm)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = data
			} else if !bytes.Equal(data, first) {
				t.Errorf("a second training on the same gold wrote %d bytes differing from the first's %d", len(data), len(first))
			}
			m, err := extract.LoadModel(out)
			if err != nil {
				t.Fatalf("the trained model does not load: %v", err)
			}
			if m.Lexicon() != "russia-ukraine" || m.Training().Docs != 8 || m.Training().Gold != required {
				t.Errorf("trained model: lexicon %q, training %+v; want russia-ukraine, 8 docs, %d gold", m.Lexicon(), m.Training(), required)
			}
		}
		// The atomic write leaves no temporary file behind.
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("the output folder holds %q, want the two models only", names)
		}
	})
	if _, err := os.Stat(model); err != nil {
		t.Fatalf("no trained model: %v", err)
	}

	t.Run("eval with the trained model", func(t *testing.T) {
		// A model scored on its own training gold does far better than
		// the built-in model, which never saw these articles: the flag is
		// really read.
		evalF1 := func(args ...string) extract.Report {
			t.Helper()
			return evalReport(t, bin, sampleGold, sampleArticles, args...)
		}
		own, builtin := evalF1("--model", model), evalF1()
		if own.Gold != required || builtin.Gold != required {
			t.Errorf("eval counts %d and %d gold claims, the file has %d required", own.Gold, builtin.Gold, required)
		}
		if own.F1 <= builtin.F1 {
			t.Errorf("eval --model (trained on this gold) F1 %.3f, not above the built-in model's %.3f: is --model read?", own.F1, builtin.F1)
		}
	})

	t.Run("eval --cv", func(t *testing.T) {
		args := []string{"eval", "--cv", "2", "--gold", sampleGold, "--docs", sampleArticles}
		r := runBinary(t, bin, args...)
		if r.code != exitOK {
			t.Fatalf("eval --cv 2: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, want := range []string{
			"cross-validation: 2 folds by article",
			"model P / R / F1",
			"rules P / R / F1",
			"calibration of the model's confidence, out of fold",
			"claims at the default --min-confidence",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("eval --cv 2 output lacks %q:\n%s", want, r.stdout)
			}
		}
		row := regexp.MustCompile(`(?m)^testdata/gold\.jsonl\s+8\s+` + strconv.Itoa(required) + `\s+0\.\d{3} \| `)
		if !row.MatchString(r.stdout) {
			t.Errorf("eval --cv 2: no row for testdata/gold.jsonl with 8 docs and %d required claims:\n%s", required, r.stdout)
		}
		// The same seed gives the same report.
		if again := runBinary(t, bin, args...); again.stdout != r.stdout {
			t.Errorf("eval --cv 2 twice gives two reports:\n%s\n%s", r.stdout, again.stdout)
		}
	})

	t.Run("eval --cv --json", func(t *testing.T) {
		r := runBinary(t, bin, "eval", "--json", "--cv", "2", "--gold", sampleGold, "--docs", sampleArticles)
		if r.code != exitOK {
			t.Fatalf("eval --json --cv 2: exit %d\n%s", r.code, r.stderr)
		}
		var rep cvReport
		dec := json.NewDecoder(strings.NewReader(r.stdout))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rep); err != nil {
			t.Fatalf("eval --json --cv 2 is not the report: %v\n%s", err, r.stdout)
		}
		if dec.More() {
			t.Error("eval --json --cv 2 prints more than one JSON value")
		}
		if rep.Folds != 2 || len(rep.Sets) != 1 || rep.All.Gold != "all" {
			t.Fatalf("report: %d folds, %d sets, pooled %q; want 2 folds, 1 set, all", rep.Folds, len(rep.Sets), rep.All.Gold)
		}
		s := rep.Sets[0]
		if s.Gold != sampleGold || s.Docs != 8 || s.Required != required || s.Covered > s.Required || s.Covered == 0 {
			t.Errorf("set %+v: want %s, 8 docs, %d required, 0 < covered <= required", s, sampleGold, required)
		}
		if s.Model.Gold != required || s.Model.F1 <= 0 || s.Model.F1 > 1 || s.Rules.F1 <= 0 {
			t.Errorf("set scores: model %+v, rules F1 %v", s.Model, s.Rules.F1)
		}
		if s.Model.F1 != rep.All.Model.F1 || s.Rules.F1 != rep.All.Rules.F1 {
			t.Errorf("one set, but the pooled F1 (model %v, rules %v) differs from the set's (%v, %v)", rep.All.Model.F1, rep.All.Rules.F1, s.Model.F1, s.Rules.F1)
		}
		if n := len(rep.Calibration); n != 10 {
			t.Errorf("%d calibration bands, want 10 (0.1 wide, from 0)", n)
		}
		// The rules column is the rules' score on the same articles, as
		// eval --rules gives it.
		rr := runBinary(t, bin, "eval", "--json", "--rules", "--gold", sampleGold, "--docs", sampleArticles)
		if rr.code != exitOK {
			t.Fatalf("eval --rules: exit %d\n%s", rr.code, rr.stderr)
		}
		var rules extract.Report
		if err := json.Unmarshal([]byte(rr.stdout), &rules); err != nil {
			t.Fatal(err)
		}
		if rules.Predicted != s.Rules.Predicted || rules.Matched != s.Rules.Matched || rules.F1 != s.Rules.F1 {
			t.Errorf("--cv's rules column: %d predicted, %d matched, F1 %v; eval --rules: %d, %d, %v",
				s.Rules.Predicted, s.Rules.Matched, s.Rules.F1, rules.Predicted, rules.Matched, rules.F1)
		}
	})

	empty := t.TempDir()
	corrupt := filepath.Join(t.TempDir(), "corrupt.json")
	if err := os.WriteFile(corrupt, []byte(`{"format": "redline-claim-model/1", "threshold": 2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		err  []string // in stderr
	}{
		{"cv 1", []string{"eval", "--cv", "1", "--gold", sampleGold, "--docs", sampleArticles}, exitUsage, []string{"--cv needs at least 2 folds"}},
		{"cv negative", []string{"eval", "--cv", "-3", "--gold", sampleGold, "--docs", sampleArticles}, exitUsage, []string{"--cv needs at least 2 folds"}},
		{"cv not a number", []string{"eval", "--cv", "two", "--gold", sampleGold, "--docs", sampleArticles}, exitUsage, []string{"invalid value"}},
		{"train without --out", []string{"train", "--gold", sampleGold, "--docs", sampleArticles}, exitUsage, []string{"--gold, --docs and --out are required"}},
		{"train without --docs", []string{"train", "--gold", sampleGold, "--out", filepath.Join(dir, "x.json")}, exitUsage, []string{"required"}},
		{"model for another lexicon", []string{"eval", "--model", model, "--lexicon", tradeLexicon, "--gold", sampleGold, "--docs", sampleArticles},
			exitFailure, []string{`"russia-ukraine"`, `"atlantis-borduria-trade"`}},
		{"corrupt model", []string{"eval", "--model", corrupt, "--gold", sampleGold, "--docs", sampleArticles}, exitFailure, []string{corrupt, "threshold 2"}},
		{"missing model", []string{"eval", "--model", filepath.Join(empty, "none.json"), "--gold", sampleGold, "--docs", sampleArticles}, exitFailure, []string{"none.json"}},
		{"train: no article in --docs", []string{"train", "--gold", sampleGold, "--docs", empty, "--out", filepath.Join(dir, "x.json")},
			exitFailure, []string{"none of the 8 articles of " + sampleGold + " is in " + empty}},
		{"eval --cv: no article in --docs", []string{"eval", "--cv", "2", "--gold", sampleGold, "--docs", empty},
			exitFailure, []string{"none of the 8 articles of " + sampleGold}},
		{"eval: no article in --docs", []string{"eval", "--gold", sampleGold, "--docs", empty}, exitFailure, []string{"none of the 8 articles"}},
		{"missing gold", []string{"train", "--gold", filepath.Join(empty, "gold.jsonl"), "--docs", sampleArticles, "--out", filepath.Join(dir, "x.json")},
			exitFailure, []string{"gold.jsonl"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runBinary(t, bin, tt.args...)
			ok := r.code == tt.code
			for _, want := range tt.err {
				ok = ok && strings.Contains(r.stderr, want)
			}
			if !ok {
				t.Errorf("redline %q: exit %d (want %d), stderr should say %q\nstdout:\n%s\nstderr:\n%s", tt.args, r.code, tt.code, tt.err, r.stdout, r.stderr)
			}
		})
	}
	// A failed training writes no model.
	if _, err := os.Stat(filepath.Join(dir, "x.json")); err == nil {
		t.Error("a failed training wrote its --out file")
	}
}

// TestOutFolderMissing gives train and clusters an --out in a folder that
// does not exist, and a folder as --out: each fails with an error naming
// --out and the reason, and writes nothing (the missing folder used to be
// found only after the whole run, by the temporary file's name:
// "open dir/.model.json.1x2y: no such file or directory").
func TestOutFolderMissing(t *testing.T) {
	tmp := t.TempDir()
	missing := filepath.Join(tmp, "no-such-folder", "out.json")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--gold", sampleGold, "--docs", sampleArticles, "--out", missing}, "folder " + filepath.Dir(missing) + " does not exist"},
		{[]string{"clusters", "--docs", sampleArticles, "--out", missing}, "folder " + filepath.Dir(missing) + " does not exist"},
		{[]string{"train", "--gold", sampleGold, "--docs", sampleArticles, "--out", tmp}, "is a folder"},
		{[]string{"clusters", "--docs", sampleArticles, "--out", tmp}, "is a folder"},
		// Export and the comparison's plot write after reading the whole
		// index: they check first too.
		{[]string{"export", "--index", filepath.Join(tmp, "no-index"), "--out", missing}, "folder " + filepath.Dir(missing) + " does not exist"},
		{[]string{"compare", "--index", filepath.Join(tmp, "no-index"), "--plot", filepath.Join(filepath.Dir(missing), "t.svg")}, "folder " + filepath.Dir(missing) + " does not exist"},
	} {
		out, _, err := runCLI(t, tt.args...)
		flag := "--out "
		if slices.Contains(tt.args, "--plot") {
			flag = "--plot "
		}
		if err == nil || !strings.Contains(err.Error(), flag) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want one naming %s and saying %q", tt.args, err, flag, tt.want)
		}
		if out != "" {
			t.Errorf("%q: printed %q", tt.args, out)
		}
	}
	if entries, err := os.ReadDir(tmp); err != nil || len(entries) != 0 {
		t.Errorf("files left in %s: %v %v", tmp, entries, err)
	}
}

// evalReport runs the binary's eval --json over gold and docs with args
// and returns its report; a failure fails t.
func evalReport(t *testing.T, bin, gold, docs string, args ...string) extract.Report {
	t.Helper()
	r := runBinary(t, bin, append([]string{"eval", "--json", "--gold", gold, "--docs", docs}, args...)...)
	if r.code != exitOK {
		t.Fatalf("eval %q: exit %d\n%s", args, r.code, r.stderr)
	}
	var rep extract.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("eval %q --json: %v\n%s", args, err, r.stdout)
	}
	return rep
}
