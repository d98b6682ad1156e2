package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"redline/compare"
	"redline/index"
)

func TestInterspersed(t *testing.T) {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.String("party", "", "")
	fs.Int("limit", 20, "")
	fs.Bool("json", false, "")
	addMinConfidence(fs)
	tests := []struct {
		in, want string // arguments separated by |
	}{
		{"nato", "--|nato"},
		{"--party|russia|nato", "--party|russia|--|nato"},
		{"nato|--party|russia", "--party|russia|--|nato"},
		{"nato|--json|--limit|5|guarantees", "--json|--limit|5|--|nato|guarantees"},
		{"nato|--json=false|--limit=5", "--json=false|--limit=5|--|nato"},
		{"-party|russia|nato|-limit|3", "-party|russia|-limit|3|--|nato"},
		{"nato|--min-confidence|0", "--min-confidence|0|--|nato"},
		{"--party|-x|nato", "--party|-x|--|nato"},                   // a value that looks like a flag stays a value
		{"ceasefire|-energy|--json", "--json|--|ceasefire|-energy"}, // an excluded word, not a flag
		{"ceasefire|--energy", "--energy|--|ceasefire"},             // left for the flag package to reject
		{"-energy|ceasefire", "-energy|--|ceasefire"},               // before any word: a flag
		{"nato|--|--party|x", "--|nato|--party|x"},
		{"nato|-h", "-h|--|nato"},
		{"nato|--party", "--party"}, // the value is missing: the flag package says so
		{"--json|nato|--limit", "--json|--limit"},
		{"-", "--|-"},
		{"--json", "--json"},
		{"", ""},
	}
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		return strings.Split(s, "|")
	}
	for _, tt := range tests {
		if got := interspersed(fs, split(tt.in)); !slices.Equal(got, split(tt.want)) {
			t.Errorf("interspersed(%q) = %q, want %q", tt.in, strings.Join(got, "|"), tt.want)
		}
	}
}

// TestQueryResolution runs search and export against the sample index:
// filter values in any case and by a party's names, in flags and in the
// query text, unknown values as usage errors naming the nearest values,
// and flags after the query.
func TestQueryResolution(t *testing.T) {
	dir := ingestSample(t)
	all := searchJSON(t, "--index", dir, "--min-confidence", "0", "--limit", "10000")
	count := func(keep func(h searchHit) bool) int {
		n := 0
		for _, h := range all {
			if keep(h) {
				n++
			}
		}
		return n
	}
	russia := count(func(h searchHit) bool { return h.Party == "russia" })
	if russia == 0 {
		t.Fatal("the sample has no russia claims")
	}
	outlet := ""
	for _, h := range all {
		if strings.Contains(h.Outlet, " ") {
			outlet = h.Outlet
			break
		}
	}
	if outlet == "" {
		t.Fatal("no sample outlet has a space in its name")
	}
	ofOutlet := count(func(h searchHit) bool { return h.Outlet == outlet })
	redLines := count(func(h searchHit) bool { return h.Kind == "red_line" })
	uaTerritoryRedLines := count(func(h searchHit) bool {
		return h.Party == "ukraine" && h.Kind == "red_line" && slices.Contains(h.Topics, "territory")
	})
	if uaTerritoryRedLines == 0 {
		t.Fatal("the sample has no Ukrainian red lines on territory")
	}

	same := []struct {
		name string
		args []string
		want int
	}{
		{"party id", []string{"--party", "russia"}, russia},
		{"party capitalised", []string{"--party", "Russia"}, russia},
		{"party alias", []string{"--party", "Kremlin"}, russia},
		{"party alias phrase", []string{"--party", "the kremlin"}, russia},
		{"party twice", []string{"--party", "russia,Moscow"}, russia},
		{"party in the query", []string{"party:Russia"}, russia},
		{"party alias in the query", []string{"party:Kremlin"}, russia},
		{"flags after the query", []string{"*", "--party", "Kremlin"}, russia},
		{"outlet in any case", []string{"--outlet", strings.ToUpper(outlet)}, ofOutlet},
		{"outlet phrase in the query", []string{`outlet:"` + outlet + `"`}, ofOutlet},
		{"outlet in the query, lower case", []string{`outlet:"` + strings.ToLower(outlet) + `"`}, ofOutlet},
		{"kind spelt with a space", []string{"--kind", "Red Line"}, redLines},
		{"kind in the query", []string{"kind:RED_LINE"}, redLines},
		{"README example", []string{"party:ukraine kind:red_line topic:territory"}, uaTerritoryRedLines},
		{"topics: still works", []string{"party:ukraine kind:red_line topics:territory"}, uaTerritoryRedLines},
		{"words as separate arguments", []string{"party:ukraine", "kind:red_line", "topic:territory"}, uaTerritoryRedLines},
		{"flags mixed in", []string{"party:ukraine", "--kind", "red_line", "topic:Territory"}, uaTerritoryRedLines},
	}
	for _, tt := range same {
		hits := searchJSON(t, append([]string{"--index", dir, "--min-confidence", "0", "--limit", "10000"}, tt.args...)...)
		if len(hits) != tt.want {
			t.Errorf("%s: search %q gave %d hits, want %d", tt.name, tt.args, len(hits), tt.want)
		}
		out := mustRun(t, append([]string{"export", "--index", dir, "--min-confidence", "0"}, tt.args...)...)
		if n := len(exported(t, out)); n != tt.want {
			t.Errorf("%s: export %q wrote %d claims, want %d", tt.name, tt.args, n, tt.want)
		}
	}

	// Several words must all match; OR and NOT as in web search.
	and := searchJSON(t, "--index", dir, "--min-confidence", "0", "--limit", "10000", "ceasefire", "energy")
	or := searchJSON(t, "--index", dir, "--min-confidence", "0", "--limit", "10000", "ceasefire OR energy")
	not := searchJSON(t, "--index", dir, "--min-confidence", "0", "--limit", "10000", "ceasefire", "-energy")
	notWord := searchJSON(t, "--index", dir, "--min-confidence", "0", "--limit", "10000", "ceasefire NOT energy")
	ceasefire := searchJSON(t, "--index", dir, "--min-confidence", "0", "--limit", "10000", "ceasefire")
	if len(and) == 0 || len(and) >= len(or) || len(and)+len(not) != len(ceasefire) || len(not) != len(notWord) {
		t.Errorf("ceasefire energy: %d hits, OR: %d, -energy: %d, NOT energy: %d, ceasefire alone: %d", len(and), len(or), len(not), len(notWord), len(ceasefire))
	}
	for _, h := range and {
		s := strings.ToLower(h.Sentence)
		if !strings.Contains(s, "ceasefire") || !strings.Contains(s, "energy") {
			t.Errorf("ceasefire energy: hit %q lacks a word", h.Sentence)
		}
	}

	// Values the index has never seen: exit 2, with the nearest values.
	bad := []struct {
		args []string
		want []string
	}{
		{[]string{"--party", "Rusia"}, []string{"--party", `"Rusia"`, "nearest: russia"}},
		{[]string{"nato", "--topic", "territry"}, []string{"--topic", `"territry"`, "nearest: territory"}},
		{[]string{"--outlet", strings.ToLower(strings.Fields(outlet)[0])}, []string{"--outlet", "nearest: " + outlet}},
		{[]string{"--party", "qatar"}, []string{"no claim in the index has party qatar"}},
		{[]string{"--party", "Doha"}, []string{`"Doha" is qatar`}},
		{[]string{"party:Rusia"}, []string{`invalid query "party:Rusia"`, "nearest: russia"}},
		{[]string{"nato topic:territry"}, []string{"nearest: territory"}},
		{[]string{"--kind", "redline"}, []string{"--kind", "demand, red_line, offer"}},
	}
	// An unknown field is a mistake in the query, as a syntax error is:
	// a usage error (exit 2).
	_, _, err := runCLI(t, "search", "--index", dir, "colour:red")
	var stderr bytes.Buffer
	if code := exitCode(err, &stderr); code != exitUsage || !strings.Contains(stderr.String(), `unknown field "colour"`) {
		t.Errorf("colour:red: exit %d, printed %q", code, stderr.String())
	}
	// compare resolves its --party and --topic the same way.
	want := mustRun(t, "compare", "--index", dir, "--min-confidence", "0", "--format", "json", "--party", "russia,ukraine", "--topic", "territory")
	if got := mustRun(t, "compare", "--index", dir, "--min-confidence", "0", "--format", "json", "--party", "Kremlin,Kyiv", "--topic", "Territory"); got != want {
		t.Errorf("compare --party Kremlin,Kyiv --topic Territory differs from --party russia,ukraine --topic territory")
	}
	_, _, err = runCLI(t, "compare", "--index", dir, "--party", "Rusia")
	stderr.Reset()
	if code := exitCode(err, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "nearest: russia") {
		t.Errorf("compare --party Rusia: exit %d, printed %q", code, stderr.String())
	}

	for _, tt := range bad {
		for _, cmd := range []string{"search", "export"} {
			_, _, err := runCLI(t, append([]string{cmd, "--index", dir}, tt.args...)...)
			var stderr bytes.Buffer
			code := exitCode(err, &stderr)
			if code != exitUsage {
				t.Errorf("%s %q: exit %d (%v), want %d", cmd, tt.args, code, err, exitUsage)
				continue
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("%s %q: printed %q, want %q in it", cmd, tt.args, stderr.String(), w)
				}
			}
		}
	}
}

// TestQueryResolutionEmptyIndex: with no claims at all, any value of a
// filter is unknown, and the error says the index has none.
func TestQueryResolutionEmptyIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, "search", "--index", dir, "--party", "russia")
	var stderr bytes.Buffer
	if code := exitCode(err, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "no claims with a party") {
		t.Errorf("exit %d, printed %q", code, stderr.String())
	}
}

// TestSpeakerTargetFilters: --speaker and --target filter search and
// export in any case (targets also by a party's name), and an unknown value
// names the nearest ones.
func TestSpeakerTargetFilters(t *testing.T) {
	dir := ingestSample(t)
	all := searchJSON(t, "--index", dir, "--min-confidence", "0", "--limit", "10000")
	speakers, targets := map[string]int{}, map[string]int{}
	for _, h := range all {
		n := h.Claims
		if h.Speaker != "" {
			speakers[h.Speaker] += n
		}
		if h.Target != "" {
			targets[h.Target] += n
		}
	}
	speaker, target := "", ""
	for s := range speakers {
		if strings.Contains(s, " ") && (speaker == "" || s < speaker) {
			speaker = s
		}
	}
	if speaker == "" || targets["ukraine"] == 0 {
		t.Fatalf("the sample needs a speaker with a space in the name and claims addressed to ukraine: %v %v", speakers, targets)
	}
	target = "ukraine"
	for _, tt := range []struct {
		name string
		args []string
		want int
	}{
		{"speaker as written", []string{"--speaker", speaker}, speakers[speaker]},
		{"speaker in upper case", []string{"--speaker", strings.ToUpper(speaker)}, speakers[speaker]},
		{"speaker in the query", []string{`speaker:"` + strings.ToLower(speaker) + `"`}, speakers[speaker]},
		{"target id", []string{"--target", target}, targets[target]},
		{"target capitalised", []string{"--target", "Ukraine"}, targets[target]},
		{"target by name", []string{"--target", "Kyiv"}, targets[target]},
		{"target in the query", []string{"target:UKRAINE"}, targets[target]},
	} {
		out := mustRun(t, append([]string{"export", "--index", dir, "--min-confidence", "0"}, tt.args...)...)
		cs := exported(t, out)
		if len(cs) != tt.want {
			t.Errorf("%s: export %q wrote %d claims, want %d", tt.name, tt.args, len(cs), tt.want)
		}
		for _, c := range cs {
			if strings.HasPrefix(tt.name, "speaker") && c.Speaker != speaker || strings.HasPrefix(tt.name, "target") && c.Target != target {
				t.Errorf("%s: claim of speaker %q, target %q", tt.name, c.Speaker, c.Target)
			}
		}
		hits := searchJSON(t, append([]string{"--index", dir, "--min-confidence", "0", "--limit", "10000"}, tt.args...)...)
		if len(hits) == 0 || len(hits) > tt.want {
			t.Errorf("%s: search %q gave %d rows, want 1 to %d", tt.name, tt.args, len(hits), tt.want)
		}
	}
	// compare takes the same filters.
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"--target", "KYIV"}, targets[target]},
		{[]string{"--speaker", strings.ToLower(speaker)}, speakers[speaker]},
	} {
		var c compare.Comparison
		out := mustRun(t, append([]string{"compare", "--index", dir, "--format", "json", "--min-confidence", "0"}, tt.args...)...)
		if err := json.Unmarshal([]byte(out), &c); err != nil {
			t.Fatal(err)
		}
		if c.Claims != tt.want {
			t.Errorf("compare %q: %d claims, want %d", tt.args, c.Claims, tt.want)
		}
	}
	_, _, err := runCLI(t, "search", "--index", dir, "--speaker", speaker[:len(speaker)-1]+"x", "nato")
	var ue *usageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--speaker") || !strings.Contains(err.Error(), speaker) {
		t.Errorf("misspelt speaker: err = %v, want a usage error naming %q", err, speaker)
	}
}
