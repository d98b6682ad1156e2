package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"strings"
	"testing"

	"redline/extract"
	"redline/index"
)

// modelMinConfidence is the min confidence of the built-in model, which
// ingest uses for the sample articles.
func modelMinConfidence(t *testing.T) float64 {
	t.Helper()
	m, err := extract.DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	if m.MinConfidence() <= 0 {
		t.Skipf("the built-in model has min confidence %v: nothing is hidden by default", m.MinConfidence())
	}
	return m.MinConfidence()
}

// After an ingest with the model, search and export hide the claims below
// the model's min confidence; --min-confidence 0 shows them all.
func TestMinConfidenceDefault(t *testing.T) {
	floor := modelMinConfidence(t)
	dir := ingestSample(t)

	st := stats(t, dir)
	if st.Model == nil || st.Model.Model == "" || st.Model.Lexicon != "russia-ukraine" || st.Model.Recorded.IsZero() {
		t.Fatalf("stats: model %+v, want the built-in model recorded", st.Model)
	}
	if st.MinConfidence != floor || st.Model.MinConfidence != floor {
		t.Errorf("stats: min confidence %v (model %v), want %v", st.MinConfidence, st.Model.MinConfidence, floor)
	}
	if st.ClaimsAtMin == 0 || st.ClaimsAtMin >= st.Claims {
		t.Fatalf("stats: %d of %d claims at min confidence; the sample needs some on each side", st.ClaimsAtMin, st.Claims)
	}
	text := mustRun(t, "stats", "--index", dir)
	for _, want := range []string{"model:    claim model " + st.Model.Model, "of " + itoa(st.Claims) + " claims at confidence"} {
		if !strings.Contains(text, want) {
			t.Errorf("stats text lacks %q:\n%s", want, text)
		}
	}

	countBelow := func(confs []float64) (below int) {
		for _, c := range confs {
			if c < floor {
				below++
			}
		}
		return below
	}
	confsOf := func(args ...string) []float64 {
		var out []float64
		for _, c := range exported(t, mustRun(t, append([]string{"export", "--index", dir}, args...)...)) {
			out = append(out, c.Confidence)
		}
		return out
	}

	// export: the default hides, 0 shows all.
	def := confsOf()
	if uint64(len(def)) != st.ClaimsAtMin || countBelow(def) != 0 {
		t.Errorf("export: %d claims, %d below %v; want the %d at or above it", len(def), countBelow(def), floor, st.ClaimsAtMin)
	}
	all := confsOf("--min-confidence", "0")
	if uint64(len(all)) != st.Claims || countBelow(all) == 0 {
		t.Errorf("export --min-confidence 0: %d claims (%d below %v), want all %d", len(all), countBelow(all), floor, st.Claims)
	}
	half := confsOf("--min-confidence", "0.5", "--party", "russia")
	for _, c := range half {
		if c < 0.5 {
			t.Errorf("export --min-confidence 0.5 wrote a claim at %v", c)
		}
	}
	if n := len(confsOf("--min-confidence", "1")); n != 0 {
		t.Errorf("export --min-confidence 1 wrote %d claims", n)
	}
	csvOut := mustRun(t, "export", "--index", dir, "--format", "csv")
	if rows := len(nonEmptyLines(csvOut)) - 1; uint64(rows) != st.ClaimsAtMin {
		t.Errorf("export --format csv: %d rows, want %d", rows, st.ClaimsAtMin)
	}

	// search: the same, in JSON and text.
	hits := searchJSON(t, "--index", dir, "--limit", "10000")
	if uint64(len(hits)) != st.ClaimsAtMin {
		t.Errorf("search: %d hits, want %d", len(hits), st.ClaimsAtMin)
	}
	for _, h := range hits {
		if h.Confidence < floor {
			t.Errorf("search returned a claim at %v, below %v: %s", h.Confidence, floor, h.Sentence)
		}
	}
	if hits := searchJSON(t, "--index", dir, "--limit", "10000", "--min-confidence", "0"); uint64(len(hits)) != st.Claims {
		t.Errorf("search --min-confidence 0: %d hits, want %d", len(hits), st.Claims)
	}
	out := mustRun(t, "search", "--index", dir)
	if !strings.HasPrefix(out, itoa(st.ClaimsAtMin)+" claims match") || !strings.Contains(out, "--min-confidence 0 shows all") {
		t.Errorf("search text does not say that claims are hidden:\n%s", firstLines(out, 3))
	}
	out = mustRun(t, "search", "--index", dir, "--min-confidence", "0")
	if !strings.HasPrefix(out, itoa(st.Claims)+" claims match") || strings.Contains(out, "or more only") {
		t.Errorf("search --min-confidence 0:\n%s", firstLines(out, 3))
	}

	// compare: the same claims.
	var c index.Comparison
	if err := json.Unmarshal([]byte(mustRun(t, "compare", "--index", dir, "--format", "json")), &c); err != nil {
		t.Fatal(err)
	}
	if c.MinConfidence != floor || uint64(c.Claims) != st.ClaimsAtMin {
		t.Errorf("compare: %d claims at min confidence %v, want %d at %v", c.Claims, c.MinConfidence, st.ClaimsAtMin, floor)
	}
	c = index.Comparison{}
	if err := json.Unmarshal([]byte(mustRun(t, "compare", "--index", dir, "--format", "json", "--min-confidence", "0")), &c); err != nil {
		t.Fatal(err)
	}
	if c.MinConfidence != 0 || uint64(c.Claims) != st.Claims {
		t.Errorf("compare --min-confidence 0: %d claims at %v, want %d at 0", c.Claims, c.MinConfidence, st.Claims)
	}
}

// An index without a recorded model (made by an older redline, or by the
// rules alone) shows every claim by default; a recorded model sets the
// default of compare too.
func TestMinConfidenceNoRecord(t *testing.T) {
	dir := compareIndex(t) // written with the index package: no model recorded
	st := stats(t, dir)
	if st.Model != nil || st.MinConfidence != 0 || st.ClaimsAtMin != st.Claims || st.Claims != 13 {
		t.Fatalf("stats: model %+v, %d of %d claims at %v; want none recorded, all 13", st.Model, st.ClaimsAtMin, st.Claims, st.MinConfidence)
	}
	if text := mustRun(t, "stats", "--index", dir); !strings.Contains(text, "model:    none recorded") {
		t.Errorf("stats text:\n%s", text)
	}
	if n := len(exported(t, mustRun(t, "export", "--index", dir))); n != 13 {
		t.Errorf("export: %d claims, want all 13", n)
	}
	n := 0
	for _, h := range searchJSON(t, "--index", dir, "--limit", "100") {
		n += h.Claims // claims of one sentence are one row
	}
	if n != 13 {
		t.Errorf("search: %d claims, want all 13", n)
	}

	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.SetModel(&index.ModelInfo{Model: "test", MinConfidence: 0.8}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	var c index.Comparison
	if err := json.Unmarshal([]byte(mustRun(t, "compare", "--index", dir, "--format", "json")), &c); err != nil {
		t.Fatal(err)
	}
	if c.Claims != 9 || c.MinConfidence != 0.8 {
		t.Errorf("compare with a recorded 0.8: %d claims at %v, want 9 at 0.8", c.Claims, c.MinConfidence)
	}
	for _, p := range c.Positions {
		for _, ev := range p.Evidence {
			if ev.Confidence < 0.8 {
				t.Errorf("compare cites a claim at %v", ev.Confidence)
			}
		}
	}
	if table := mustRun(t, "compare", "--index", dir); !strings.Contains(table, "Compared 9 claims; confidence 0.80 or more;") {
		t.Errorf("compare table header:\n%s", firstLines(table, 2))
	}
	if n := len(exported(t, mustRun(t, "export", "--index", dir))); n != 9 {
		t.Errorf("export with a recorded 0.8: %d claims, want 9", n)
	}
}

// A value outside [0, 1] or not a number is a bad command line (exit 2),
// for every command that takes the flag.
func TestMinConfidenceUsageErrors(t *testing.T) {
	dir := compareIndex(t)
	for _, cmd := range []string{"search", "export", "compare"} {
		for _, v := range []string{"-0.1", "1.5", "x", "NaN", "Inf", "", "0.8.1"} {
			_, errOut, err := runCLI(t, cmd, "--index", dir, "--min-confidence", v)
			var ue *usageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), "min-confidence") {
				t.Errorf("%s --min-confidence %q: error %v, want a usage error naming the flag", cmd, v, err)
				continue
			}
			if code := exitCode(err, &bytes.Buffer{}); code != exitUsage {
				t.Errorf("%s --min-confidence %q: exit %d, want %d", cmd, v, code, exitUsage)
			}
			if !strings.Contains(errOut, "Usage: redline "+cmd) {
				t.Errorf("%s --min-confidence %q: no usage on stderr", cmd, v)
			}
		}
		for _, v := range []string{"0", "1", "0.8", " 0.5"} {
			if _, errOut, err := runCLI(t, cmd, "--index", dir, "--min-confidence", v); err != nil {
				t.Errorf("%s --min-confidence %q: %v\n%s", cmd, v, err, errOut)
			}
		}
		out, _, err := runCLI(t, cmd, "--help")
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "--min-confidence X") || !strings.Contains(out, "default is 0") {
			t.Errorf("%s --help does not explain --min-confidence:\n%s", cmd, out)
		}
	}
}

func itoa(n uint64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
