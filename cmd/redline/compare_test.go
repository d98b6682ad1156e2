package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"redline/claim"
	"redline/compare"
	"redline/index"
)

var updateCompare = flag.Bool("update-compare", false, "rewrite testdata/compare.golden.md")

// carticle is one article for the compare tests; each claim is
// "party[>target] kind topic[,topic] confidence sentence".
func carticle(id, cluster, outlet, date string, claims ...string) index.Article {
	a := index.Article{DocID: id, Cluster: cluster, Outlet: outlet, Published: date, Source: "talks.jsonl#" + id, Hash: "h" + id}
	for i, spec := range claims {
		f := strings.SplitN(spec, " ", 5)
		var conf float64
		fmt.Sscan(f[3], &conf)
		party, target, _ := strings.Cut(f[0], ">")
		a.Claims = append(a.Claims, claim.Claim{DocID: id, Source: a.Source, Outlet: outlet, Published: date,
			Start: i * 100, End: i*100 + len(f[4]), Sentence: f[4], Party: party, Target: target, Kind: f[1], Topics: strings.Split(f[2], ","),
			Confidence: conf, Cue: "x", Attribution: claim.BySubject})
	}
	return a
}

// writeArticles writes arts to a new index in one write and returns its
// folder.
func writeArticles(t *testing.T, arts ...index.Article) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Write(arts); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// compareIndex writes a small index whose comparison shows every finding:
// a standoff on territory (two independent sources a side, with a
// syndicated copy that must count once), a movement on a ceasefire that
// rests on one story a side (too little evidence by default), Russia alone
// on NATO (one-sided) and its shift there from demand to red line, and
// outlets disagreeing on Ukraine's security guarantees.
func compareIndex(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "idx")
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	arts := []index.Article{
		carticle("wire-1", "", "Harbour Wire", "2025-01-10",
			"russia>ukraine demand territory 0.9 Moscow demands that Kyiv cede the four regions.",
			"russia demand nato 0.8 Moscow demands a halt to NATO expansion."),
		carticle("daily-1", "wire-1", "Northgate Daily", "2025-01-11",
			"russia>ukraine demand territory 0.9 Moscow demands that Kyiv cede the four regions.",
			"russia demand nato 0.8 Moscow demands a halt to NATO expansion."),
		carticle("review-1", "", "Eastline Review", "2025-02-05",
			"russia demand territory 0.7 The Kremlin wants the whole of Donetsk."),
		carticle("post-1", "", "Kyiv Post", "2025-01-15",
			"ukraine red_line territory 0.95 Kyiv will never cede its land."),
		carticle("agency-4", "", "Central Agency", "2025-02-10",
			"ukraine red_line territory 0.75 Ukraine's parliament rules out any cession of land."),
		carticle("agency-1", "", "Central Agency", "2025-01-20",
			"russia demand nato 0.6 Russia insists Ukraine drop its NATO bid."),
		carticle("wire-2", "", "Harbour Wire", "2025-03-03",
			"russia red_line nato 0.85 Moscow rejects any NATO troops in Ukraine."),
		carticle("review-2", "", "Eastline Review", "2025-03-20",
			"russia red_line nato 0.8 The Kremlin says NATO membership for Kyiv is unacceptable."),
		carticle("wire-3", "", "Harbour Wire", "2025-03-01",
			"ukraine>russia offer ceasefire 0.9 Kyiv is ready to accept a 30-day ceasefire."),
		carticle("agency-2", "", "Central Agency", "2025-03-02",
			"russia demand ceasefire 0.75 Moscow calls for a ceasefire on its terms."),
		carticle("wire-4", "", "Harbour Wire", "2025-04-02",
			"ukraine demand security_guarantees 0.9 Kyiv demands binding security guarantees."),
		carticle("agency-3", "", "Central Agency", "2025-04-09",
			"ukraine offer security_guarantees 0.7 Kyiv is willing to drop guarantees for neutrality."),
	}
	if err := ix.Write(arts); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCompareMarkdownGolden(t *testing.T) {
	dir := compareIndex(t)
	out := mustRun(t, "compare", "--index", dir, "--format", "markdown")
	golden := filepath.Join("testdata", "compare.golden.md")
	if *updateCompare {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestCompareMarkdownGolden -update-compare to write it)", err)
	}
	if out != string(want) {
		t.Errorf("compare --format markdown differs from %s (rerun with -update-compare after checking):\n%s", golden, out)
	}
}

func TestCompareFormats(t *testing.T) {
	dir := compareIndex(t)

	var c compare.Comparison
	dec := json.NewDecoder(strings.NewReader(mustRun(t, "compare", "--index", dir, "--format", "json")))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		t.Fatal(err)
	}
	if c.Claims != 14 || len(c.Positions) != 8 || len(c.Shifts) != 1 || len(c.Disagreements) != 1 {
		t.Errorf("json: %d claims, %d positions, %d shifts, %d disagreements", c.Claims, len(c.Positions), len(c.Shifts), len(c.Disagreements))
	}
	verdicts := map[string]string{}
	var territory compare.TopicMap
	for _, tm := range c.Map {
		verdicts[tm.Topic] = tm.Verdict
		if tm.Topic == "territory" {
			territory = tm
		}
	}
	if verdicts["territory"] != "standoff" || verdicts["ceasefire"] != "too little evidence" || verdicts["nato"] != "one-sided" || verdicts["security_guarantees"] != "too little evidence" {
		t.Errorf("verdicts = %v", verdicts)
	}
	territoryIDs := "c:wire-1:0:russia:demand c:review-1:0:russia:demand c:post-1:0:ukraine:red_line c:agency-4:0:ukraine:red_line"
	if got := strings.Join(territory.ClaimIDs, " "); got != territoryIDs || c.MinSources != 2 {
		t.Errorf("territory rests on %s (min sources %d), want %s", got, c.MinSources, territoryIDs)
	}
	// One story a side is enough with --min-sources 1.
	var c1 compare.Comparison
	if err := json.Unmarshal([]byte(mustRun(t, "compare", "--index", dir, "--format", "json", "--min-sources", "1")), &c1); err != nil {
		t.Fatal(err)
	}
	for _, tm := range c1.Map {
		if tm.Topic == "ceasefire" && tm.Verdict != "movement" {
			t.Errorf("--min-sources 1: ceasefire %q, want movement", tm.Verdict)
		}
	}

	table := mustRun(t, "compare", "--index", dir)
	for _, want := range []string{"POSITIONS", "territory: STANDOFF", "ceasefire: TOO LITTLE EVIDENCE", "nato: ONE-SIDED",
		"russia · ukraine: standoff", "russia demands (2 sources) what ukraine holds as a red line (2 sources)",
		"claims: c:wire-1:0:russia:demand, c:review-1:0:russia:demand, c:post-1:0:ukraine:red_line, c:agency-4:0:ukraine:red_line",
		"russia demands (1 source) what ukraine offers (1 source)",
		"russia · nato: demand (2025-01) → red_line (2025-03)", `"Moscow rejects any NATO troops in Ukraine." — Harbour Wire, 2025-03-03`,
		"demand according to Harbour Wire", "offer according to Central Agency"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}

	recs, err := csv.NewReader(strings.NewReader(mustRun(t, "compare", "--index", dir, "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(compareCSVColumns, ",") {
		t.Errorf("csv header = %v", recs[0])
	}
	sections := map[string]int{}
	idCol := slices.Index(compareCSVColumns, "claim_ids")
	for _, r := range recs[1:] {
		sections[r[0]]++
		if r[0] == "verdict" && r[1] == "territory" && r[idCol] != strings.ReplaceAll(territoryIDs, " ", ";") {
			t.Errorf("csv territory verdict rests on %q", r[idCol])
		}
		if len(r) != len(compareCSVColumns) {
			t.Errorf("csv row of %d fields", len(r))
		}
	}
	if sections["position"] == 0 || sections["verdict"] != 4 || sections["pair"] != 2 || sections["relation"] != 4 || sections["shift"] != 1 || sections["disagreement"] != 2 || sections["timeline"] == 0 {
		t.Errorf("csv sections = %v", sections)
	}

	// Filters and periods.
	out := mustRun(t, "compare", "--index", dir, "--format", "json", "--party", "russia", "--topic", "nato", "--by", "quarter")
	c = compare.Comparison{}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.By != "quarter" || len(c.Positions) != 2 || strings.Join(c.Periods, ",") != "2025-Q1" || len(c.Shifts) != 0 {
		t.Errorf("russia/nato by quarter: %+v", c)
	}
	empty := mustRun(t, "compare", "--index", dir, "--since", "2100-01-01")
	if !strings.Contains(empty, "No claims match") {
		t.Errorf("no match: %q", empty)
	}
}

func TestComparePlot(t *testing.T) {
	dir := compareIndex(t)
	mode := umaskedMode(t)
	for _, tc := range []struct{ name, magic string }{
		{"talks.svg", "<?xml"},
		{"talks.png", "\x89PNG\r\n\x1a\n"},
	} {
		path := filepath.Join(t.TempDir(), tc.name)
		mustRun(t, "compare", "--index", dir, "--plot", path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(tc.magic)) || len(b) < 1000 {
			t.Errorf("%s: %d bytes starting %q", tc.name, len(b), b[:min(len(b), 16)])
		}
		// As any file the user makes (TestFileModeUmask sets the umask).
		if fi, err := os.Stat(path); err != nil {
			t.Error(err)
		} else if fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", tc.name, fi.Mode().Perm(), mode)
		}
		if tc.name == "talks.svg" {
			for _, want := range []string{"<svg", "Convergence map", "territory — standoff", "russia · nato", "independent sources", "red_line"} {
				if !bytes.Contains(b, []byte(want)) {
					t.Errorf("the SVG lacks %q", want)
				}
			}
		}
	}
	// An empty comparison still gives a valid picture.
	path := filepath.Join(t.TempDir(), "none.png")
	mustRun(t, "compare", "--index", dir, "--since", "2100-01-01", "--plot", path)
	if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("empty plot: %v", err)
	}
}

func TestCompareUsageErrors(t *testing.T) {
	dir := compareIndex(t)
	for _, args := range [][]string{
		{"--by", "year"},
		{"--format", "xml"},
		{"--plot", "x.pdf"},
		{"--since", "yesterday"},
		{"--since", "2025-05-01", "--until", "2025-01-01"},
		{"nato"},
	} {
		_, _, err := runCLI(t, append([]string{"compare", "--index", dir}, args...)...)
		if exitCode(err, &bytes.Buffer{}) != exitUsage {
			t.Errorf("compare %v: err %v, want a usage error", args, err)
		}
	}
	if _, _, err := runCLI(t, "compare", "--index", filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("compare on a missing index did not fail")
	}
	out, _, err := runCLI(t, "compare", "--help")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: redline compare") || !strings.Contains(out, "Examples:") {
		t.Errorf("compare --help: %v\n%s", err, out)
	}
}

// TestCompareSyndicatedCopyIsOneSource ingests an article, a syndicated
// copy of it (a lead-in phrase and a new headline) and an exact copy, with
// the real extractor: the exact copy is skipped, and every position the
// two others support counts two articles but one independent source.
func TestCompareSyndicatedCopyIsOneSource(t *testing.T) {
	body := "Russian President Vladimir Putin demanded on Tuesday that Ukraine withdraw its troops from the Donetsk region before any ceasefire talks can begin, the Kremlin said in a statement after a meeting of the security council in Moscow.\n\n" +
		"Ukrainian President Volodymyr Zelenskyy rejected the demand and said Ukraine will never cede its territory to Russia, telling reporters in Kyiv that the country would not accept any deal that rewards the invasion.\n\n" +
		"European officials said they were studying the statements closely and that the next round of talks in Istanbul had not yet been scheduled, while the fighting in the east of the country continued through the night."
	lines := []map[string]string{
		{"id": "orig", "outlet": "Harbour Wire", "published": "2025-05-06", "title": "Putin demands withdrawal", "text": "Putin demands withdrawal from Donetsk\n\n" + body},
		{"id": "synd", "outlet": "Northgate Daily", "published": "2025-05-06", "title": "Kremlin sets terms", "text": "Breaking: Kremlin sets terms for talks\n\nThis story was first published by Harbour Wire. " + body},
		{"id": "exact", "outlet": "Eastline Review", "published": "2025-05-07", "title": "Putin demands withdrawal", "text": "Putin demands withdrawal from Donetsk\n\n" + body},
	}
	var dump bytes.Buffer
	for _, l := range lines {
		b, _ := json.Marshal(l)
		dump.Write(append(b, '\n'))
	}
	src := filepath.Join(t.TempDir(), "talks.jsonl")
	if err := os.WriteFile(src, dump.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "idx")
	out := mustRun(t, "ingest", "--index", dir, src)
	if !strings.Contains(out, "documents: 3 read, 2 indexed") || !strings.Contains(out, "duplicates: 1 exact copies skipped, 1 near-duplicates") {
		t.Fatalf("ingest summary:\n%s", out)
	}
	var c compare.Comparison
	if err := json.Unmarshal([]byte(mustRun(t, "compare", "--index", dir, "--format", "json")), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Positions) == 0 {
		t.Fatal("no positions: the extractor found no claim in the test article")
	}
	for _, p := range c.Positions {
		if p.Sources != 1 || p.Articles != 2 || p.Outlets != 2 {
			t.Errorf("%s/%s/%s: %d sources, %d articles, %d outlets; want 1 source, 2 articles, 2 outlets", p.Party, p.Topic, p.Kind, p.Sources, p.Articles, p.Outlets)
		}
		for _, ev := range p.Evidence {
			if ev.Cluster != "orig" {
				t.Errorf("evidence from cluster %q, want orig", ev.Cluster)
			}
		}
	}
	// Ingesting the copies again changes nothing: the original is
	// unchanged, the exact copy is skipped again.
	out = mustRun(t, "ingest", "--index", dir, src)
	if !strings.Contains(out, "documents: 3 read, 0 indexed, 2 unchanged") || !strings.Contains(out, "duplicates: 1 exact") {
		t.Errorf("second ingest:\n%s", out)
	}
}

// TestCompareStandoffFromTestdata ingests the sample articles with the real
// extractor's rules and compares every claim: Russia demands
// demilitarization and Ukraine refuses it, each in at least two independent
// stories, so the verdict is a standoff, and each claim id it names is a
// claim of the index with that party, kind and topic. The rules find
// Russia's demands in the articles' lists, as the gold has them; the model
// (whose misses there are scored by eval) would make the verdict hang on
// its weakest claims.
func TestCompareStandoffFromTestdata(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	mustRun(t, "ingest", "--rules", "--index", dir, sampleArticles)
	var c compare.Comparison
	if err := json.Unmarshal([]byte(mustRun(t, "compare", "--index", dir, "--min-confidence", "0", "--format", "json")), &c); err != nil {
		t.Fatal(err)
	}
	var tm *compare.TopicMap
	for i := range c.Map {
		if c.Map[i].Topic == "demilitarization" {
			tm = &c.Map[i]
		}
	}
	if tm == nil || tm.Verdict != compare.VerdictStandoff || len(tm.Pairs) == 0 {
		t.Fatalf("demilitarization: %+v, want a standoff", tm)
	}
	p := tm.Pairs[0]
	if p.A != "russia" || p.B != "ukraine" || p.Verdict != compare.VerdictStandoff || len(p.Relations) != 1 {
		t.Fatalf("first pair %+v, want russia · ukraine: standoff", p)
	}
	r := p.Relations[0]
	if r.A != "russia" || r.AKind != "demand" || r.B != "ukraine" || r.BKind != "red_line" || r.Thin || r.ASources < 2 || r.BSources < 2 {
		t.Errorf("relation %+v, want russia's demand against ukraine's red line, two sources or more each", r)
	}

	claims := map[string]claim.Claim{}
	for _, cl := range exported(t, mustRun(t, "export", "--index", dir, "--min-confidence", "0")) {
		claims[index.ClaimID(cl.DocID, cl.Start, cl.Party, cl.Kind)] = cl
	}
	sides := map[string]int{}
	for _, id := range tm.ClaimIDs {
		cl, ok := claims[id]
		if !ok {
			t.Errorf("claim id %s is not in the index", id)
			continue
		}
		if !slices.Contains(cl.Topics, "demilitarization") || cl.Party+" "+cl.Kind != "russia demand" && cl.Party+" "+cl.Kind != "ukraine red_line" {
			t.Errorf("claim %s grounds the standoff: %s %s on %v: %q", id, cl.Party, cl.Kind, cl.Topics, cl.Sentence)
		}
		sides[cl.Party+" "+cl.Kind]++
	}
	if sides["russia demand"] < 2 || sides["ukraine red_line"] < 2 {
		t.Errorf("grounding claims by side: %v, want two or more each", sides)
	}
	table := mustRun(t, "compare", "--index", dir, "--min-confidence", "0", "--topic", "demilitarization")
	for _, want := range []string{"demilitarization: STANDOFF", "russia · ukraine: standoff", "claims: " + strings.Join(p.ClaimIDs, ", ")} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
}

// TestCompareQuotesSentenceAsWritten: the table and Markdown reports quote
// a sentence as it was written. They used to print it with Go's %q, so a
// quote inside it became \" and a soft hyphen, a joiner or a right-to-left
// mark became \u00ad, \u200d, \u200f (212 lines of the bulk corpus's
// comparison); control characters still must not reach a terminal.
func TestCompareQuotesSentenceAsWritten(t *testing.T) {
	sentence := "Kyiv says \"never\" to giving up the re\u00adgions, \u200fאוקראינה\u200f says Zel\u200densky\x1b(0."
	dir := writeArticles(t, carticle("quote-1", "", "Harbour Wire", "2025-01-10", "ukraine red_line territory 0.9 "+sentence))
	want := "\"" + strings.ReplaceAll(sentence, "\x1b", " ") + "\" — Harbour Wire, 2025-01-10"
	for _, format := range []string{"table", "markdown"} {
		out := mustRun(t, "compare", "--index", dir, "--format", format)
		if !strings.Contains(out, want) {
			t.Errorf("--format %s does not quote the sentence as written, %q:\n%s", format, want, out)
		}
		if strings.Contains(out, "\x1b") {
			t.Errorf("--format %s prints an escape character", format)
		}
	}
}

// TestCompareCSVNeutralisesFormulas: compare --format csv puts a ' before a
// cell a spreadsheet would run as a formula, as export does. It wrote
// sentences and outlets as they were, so the bulk corpus's "- I appeal to
// President Putin: …" and a crafted "=HYPERLINK(…)" reached a spreadsheet as
// formulas.
func TestCompareCSVNeutralisesFormulas(t *testing.T) {
	dir := writeArticles(t,
		carticle("f-1", "", "@Wire", "2025-01-10", `russia>ukraine demand territory 0.9 =HYPERLINK("http://example.org","Moscow demands Donetsk")`),
		carticle("f-2", "", "+Daily", "2025-01-11", "ukraine>russia red_line territory 0.9 - Kyiv will never cede Donetsk."))
	rows, err := csv.NewReader(strings.NewReader(mustRun(t, "compare", "--index", dir, "--format", "csv", "--min-sources", "1"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		for i, cell := range r {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s runs as a formula: %q", rows[0][i], cell)
			}
			seen[cell] = true
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://example.org","Moscow demands Donetsk")`, "'- Kyiv will never cede Donetsk.", "'@Wire", "'+Daily"} {
		if !seen[want] {
			t.Errorf("no cell %q", want)
		}
	}
}

// TestCompareMarkdownEscapesArticleText: a sentence or outlet in the
// Markdown report shows as written. Only | was escaped, so the bulk
// corpus's "p***** off" rendered as emphasis, a crawled footnote
// "[[4]](https://…)" as a link, and a <script> tag in an article would
// pass into the rendered report as HTML.
func TestCompareMarkdownEscapesArticleText(t *testing.T) {
	sentence := "Kyiv is *p***** off* at Moscow's `demand` for_all [[4]](https://x.org/<#_e>) <script>x</script> a|b ~~c~~ \\d."
	dir := writeArticles(t, carticle("md-1", "", "<b>Wire</b>", "2025-01-10", "ukraine red_line territory 0.9 "+sentence))
	out := mustRun(t, "compare", "--index", dir, "--format", "markdown")
	want := `- "Kyiv is \*p\*\*\*\*\* off\* at Moscow's ` + "\\`demand\\`" + ` for\_all \[\[4\]\](https://x.org/\<#\_e\>) \<script\>x\</script\> a\|b \~\~c\~\~ \\d." — \<b\>Wire\</b\>, 2025-01-10`
	if !strings.Contains(out, want+"\n") {
		t.Errorf("markdown lacks the escaped sentence\n%s\n:\n%s", want, out)
	}
}
