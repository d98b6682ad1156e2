package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"redline/claim"
)

const readmePath = "../../README.md"

// readmeExamples returns the redline search and export commands in the code
// blocks of the README's "Using it" section, as written (comments and all),
// but not the synopsis lines ("redline search  [--index DIR] ...").
func readmeExamples(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "\n## Using it\n")
	if start < 0 {
		t.Fatal(`README.md has no "## Using it" section`)
	}
	section := text[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	var out []string
	inCode := false
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		cmd, rest, _ := strings.Cut(strings.TrimPrefix(line, "redline "), " ")
		if !inCode || !strings.HasPrefix(line, "redline ") || cmd != "search" && cmd != "export" {
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(rest), "[") {
			continue // the synopsis
		}
		out = append(out, line)
	}
	return out
}

// shellWords splits a command line as sh would for the README's examples:
// single and double quotes, backslash escapes, a # comment, and a > FILE
// redirection (returned apart).
func shellWords(t *testing.T, line string) (words []string, redirect string) {
	t.Helper()
	var cur strings.Builder
	have := false
	var quote rune
	toRedirect := false
	flush := func() {
		if !have {
			return
		}
		if toRedirect {
			redirect, toRedirect = cur.String(), false
		} else {
			words = append(words, cur.String())
		}
		cur.Reset()
		have = false
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' && i+1 < len(rs) && strings.ContainsRune(`"\$`+"`", rs[i+1]) {
				i++
				cur.WriteRune(rs[i])
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, have = r, true
		case r == '\\' && i+1 < len(rs):
			i++
			cur.WriteRune(rs[i])
			have = true
		case r == ' ' || r == '\t':
			flush()
		case r == '#' && !have:
			flush()
			return words, redirect
		case r == '>' && !have:
			flush()
			toRedirect = true
		case r == '|' || r == ';' || r == '&' || r == '<':
			t.Fatalf("README example %q: the test cannot run %q", line, string(r))
		default:
			cur.WriteRune(r)
			have = true
		}
	}
	if quote != 0 {
		t.Fatalf("README example %q: unclosed quote", line)
	}
	flush()
	return words, redirect
}

// readmeWants says what each README example must return from the sample
// articles: every claim it returns passes the test, and there is at least
// one. A new example needs an entry here, so that it cannot say one thing
// and do another.
var readmeWants = map[string]func(c claim.Claim) bool{
	"redline search --party russia --kind red_line nato": func(c claim.Claim) bool {
		return c.Party == "russia" && c.Kind == claim.RedLine && containsWord(c.Sentence, "nato")
	},
	"redline search --topic ceasefire --since 2025-01-01 'truce OR ceasefire -energy'": func(c claim.Claim) bool {
		return slices.Contains(c.Topics, "ceasefire") && c.Published >= "2025-01-01" &&
			(containsWord(c.Sentence, "truce") || containsWord(c.Sentence, "ceasefire")) && !containsWord(c.Sentence, "energy")
	},
	`redline search '"security guarantees" NOT nato'`: func(c claim.Claim) bool {
		return strings.Contains(strings.ToLower(c.Sentence), "security guarantees") && !containsWord(c.Sentence, "nato")
	},
	"redline search 'party:ukraine kind:red_line topic:territory'": func(c claim.Claim) bool {
		return c.Party == "ukraine" && c.Kind == claim.RedLine && slices.Contains(c.Topics, "territory")
	},
	"redline search territory --party Kremlin --kind red_line": func(c claim.Claim) bool {
		return c.Party == "russia" && c.Kind == claim.RedLine && strings.Contains(strings.ToLower(c.Sentence), "territor")
	},
	`redline search '"will not"' --kind red_line`: func(c claim.Claim) bool {
		return c.Kind == claim.RedLine && strings.Contains(strings.Join(strings.Fields(strings.ToLower(c.Sentence)), " "), "will not")
	},
	"redline search --target Kyiv --kind demand": func(c claim.Claim) bool {
		return c.Target == "ukraine" && c.Kind == claim.Demand
	},
	"redline export --party ukraine --kind red_line --format csv --out red-lines.csv": func(c claim.Claim) bool {
		return c.Party == "ukraine" && c.Kind == claim.RedLine
	},
	"redline export --min-confidence 0 > all-claims.jsonl": func(c claim.Claim) bool { return true },
}

// containsWord tells whether s has w as a word, in any case.
func containsWord(s, w string) bool {
	return slices.Contains(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), w)
}

// TestREADMEExamples runs every search and export example of the README's
// "Using it" section on an index of the sample articles, with
// --min-confidence 0 added where the example does not set it (the sample's
// claims are mostly below the model's min confidence), and checks that it
// returns claims, and only claims it says it returns.
func TestREADMEExamples(t *testing.T) {
	examples := readmeExamples(t)
	if len(examples) < 5 {
		t.Fatalf("found %d search and export examples in the README: %q", len(examples), examples)
	}
	dir := ingestSample(t)
	all := exported(t, mustRun(t, "export", "--index", dir, "--min-confidence", "0"))
	seen := map[string]bool{}
	for _, ex := range examples {
		seen[ex] = true
		want, ok := readmeWants[ex]
		if !ok {
			t.Errorf("README example %q: add what it must return to readmeWants", ex)
			continue
		}
		words, redirect := shellWords(t, ex)
		args := append([]string{}, words[1:]...)
		args = append(args, "--index", dir)
		if !slices.Contains(args, "--min-confidence") {
			args = append(args, "--min-confidence", "0")
		}
		outFile := ""
		if i := slices.Index(args, "--out"); i >= 0 && i+1 < len(args) {
			outFile = filepath.Join(t.TempDir(), filepath.Base(args[i+1]))
			args[i+1] = outFile
		}
		var got []claim.Claim
		switch args[0] {
		case "search":
			mustRun(t, args...) // as written: the text output
			for _, h := range searchJSON(t, append(args[1:], "--json", "--limit", "10000")...) {
				got = append(got, h.Claim)
			}
		case "export":
			out := mustRun(t, args...)
			format := "jsonl"
			if i := slices.Index(args, "--format"); i >= 0 {
				format = args[i+1]
			}
			if outFile != "" {
				b, err := os.ReadFile(outFile)
				if err != nil {
					t.Fatalf("%s: %v", ex, err)
				}
				out = string(b)
			} else if redirect == "" {
				t.Errorf("%s: writes to the terminal", ex)
			}
			if format == "csv" {
				got = csvClaims(t, ex, out)
			} else {
				got = exported(t, out)
			}
		}
		if len(got) == 0 {
			t.Errorf("README example %q returns no claims from the sample", ex)
		}
		for _, c := range got {
			if !want(c) {
				t.Errorf("README example %q returns a claim it should not: %s %s %v %s: %q", ex, c.Party, c.Kind, c.Topics, c.Published, c.Sentence)
			}
		}
		// Every claim of the sample the example asks for, when it asks by
		// fields only (no words, which the analyzer stems).
		if args[0] == "export" {
			n := 0
			for _, c := range all {
				if want(c) {
					n++
				}
			}
			if n != len(got) {
				t.Errorf("README example %q returns %d claims, the sample has %d it asks for", ex, len(got), n)
			}
		}
	}
	for ex := range readmeWants {
		if !seen[ex] {
			t.Errorf("readmeWants has %q, which the README no longer shows", ex)
		}
	}
}

// csvClaims reads the party, kind and topics columns of a CSV export.
func csvClaims(t *testing.T, name, out string) []claim.Claim {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: CSV %v", name, err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var cs []claim.Claim
	for _, r := range rows[1:] {
		c := claim.Claim{Party: r[col["party"]], Kind: r[col["kind"]], Sentence: r[col["sentence"]], Published: r[col["published"]]}
		if s := r[col["topics"]]; s != "" {
			c.Topics = strings.Split(s, ";")
		}
		cs = append(cs, c)
	}
	return cs
}

func TestShellWords(t *testing.T) {
	for _, tt := range []struct {
		in, want, redirect string
	}{
		{`redline search nato`, "redline|search|nato", ""},
		{`redline search '"will not" -energy'  # comment`, `redline|search|"will not" -energy`, ""},
		{`redline search "a \"b\"" c\ d`, `redline|search|a "b"|c d`, ""},
		{`redline export --min-confidence 0 > all.jsonl`, "redline|export|--min-confidence|0", "all.jsonl"},
		{`redline search a#b`, "redline|search|a#b", ""},
	} {
		words, redirect := shellWords(t, tt.in)
		if strings.Join(words, "|") != tt.want || redirect != tt.redirect {
			t.Errorf("shellWords(%q) = %q, %q; want %q, %q", tt.in, strings.Join(words, "|"), redirect, tt.want, tt.redirect)
		}
	}
}

// TestREADMECompareExamples runs every compare example of the README on an
// index of the sample articles: each must succeed and produce what its line
// says (a markdown file, JSON with the shifts, a plot file).
func TestREADMECompareExamples(t *testing.T) {
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	var examples []string
	inCode := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if !inCode || !strings.HasPrefix(line, "redline compare ") || strings.HasPrefix(strings.TrimPrefix(line, "redline compare "), "[") {
			continue
		}
		examples = append(examples, line)
	}
	if len(examples) < 3 {
		t.Fatalf("found %d compare examples in the README: %q", len(examples), examples)
	}
	dir := ingestSample(t)
	for _, ex := range examples {
		line, _, _ := strings.Cut(ex, "#") // a trailing comment
		line, pipe, piped := strings.Cut(line, "|")
		words, redirect := shellWords(t, line)
		args := append(append([]string{}, words[1:]...), "--index", dir)
		plot := ""
		if i := slices.Index(args, "--plot"); i >= 0 && i+1 < len(args) {
			plot = filepath.Join(t.TempDir(), filepath.Base(args[i+1]))
			args[i+1] = plot
		}
		out, stderr, err := runCLI(t, args...)
		if err != nil {
			t.Errorf("README example %q: %v\n%s", ex, err, stderr)
			continue
		}
		switch {
		case strings.Contains(ex, "--format markdown"):
			if redirect == "" || !strings.Contains(out, "|") {
				t.Errorf("README example %q: want a markdown table on stdout, redirected; got:\n%s", ex, out)
			}
		case strings.Contains(ex, "--format json"):
			var c map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &c); err != nil {
				t.Errorf("README example %q: not JSON: %v", ex, err)
			} else if piped && strings.Contains(pipe, ".shifts") && c["shifts"] == nil {
				t.Errorf("README example %q: no shifts in the JSON", ex)
			}
		case plot != "":
			if fi, err := os.Stat(plot); err != nil || fi.Size() == 0 {
				t.Errorf("README example %q: no plot written: %v", ex, err)
			}
		default:
			if strings.TrimSpace(out) == "" {
				t.Errorf("README example %q: printed nothing", ex)
			}
		}
	}
}

// TestDemoMostConfident runs the searches of "make demo" (Makefile) that
// the README says print "the most confident claims" — the search of every
// claim, '*' — on the sample index, and checks that their rows come most
// confident first. The demo once printed the newest five instead.
func TestDemoMostConfident(t *testing.T) {
	b, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "the most confident claims") {
		t.Fatal("the README no longer says make demo prints the most confident claims: say what it prints, and change this test to check it")
	}
	dir := ingestSample(t)
	found := 0
	for _, line := range strings.Split(string(b), "\n") {
		cmd, ok := strings.CutPrefix(strings.TrimSpace(line), "$(BIN) search ")
		if !ok || !strings.Contains(cmd, "'*'") {
			continue
		}
		found++
		words, _ := shellWords(t, cmd)
		for i, w := range words {
			if w == "$(DEMO_INDEX)" {
				words[i] = dir
			}
		}
		hits := searchJSON(t, words...)
		if len(hits) < 2 {
			t.Fatalf("make demo's %q found %d rows on the sample index", cmd, len(hits))
		}
		for i := 1; i < len(hits); i++ {
			if hits[i].Confidence > hits[i-1].Confidence {
				t.Errorf("make demo's %q: row %d (confidence %.3f) after row %d (%.3f): not the most confident first", cmd, i+1, hits[i].Confidence, i, hits[i-1].Confidence)
			}
		}
	}
	if found == 0 {
		t.Fatal("no search of every claim ('*') in make demo")
	}
}
