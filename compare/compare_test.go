package compare

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"redline/claim"
	"redline/index"
)

// cart is a compact article for the compare tests: one claim per entry of
// claims, "party[>target] kind topic[,topic] confidence sentence".
func cart(id, cluster, outlet, date string, claims ...string) index.Article {
	a := index.Article{DocID: id, Cluster: cluster, Outlet: outlet, Published: date, Source: id + ".txt", Hash: "h" + id, Title: "T " + id}
	for i, spec := range claims {
		f := strings.SplitN(spec, " ", 5)
		var conf float64
		fmt.Sscan(f[3], &conf)
		party, target, _ := strings.Cut(f[0], ">")
		a.Claims = append(a.Claims, claim.Claim{
			DocID: id, Source: a.Source, Outlet: outlet, Published: date, Title: a.Title,
			Start: i * 100, End: i*100 + len(f[4]), Sentence: f[4],
			Party: party, Target: target, Kind: f[1], Topics: strings.Split(f[2], ","), Confidence: conf, Cue: "x", Attribution: claim.BySubject,
		})
	}
	return a
}

// compareFixture: territory is a standoff (Russia demands of Ukraine,
// Ukraine refuses), ceasefire movement (Ukraine offers Russia a ceasefire,
// Russia demands one), both on one story for Ukraine; Russia moves on NATO
// from demand (January) to red line (March), alone; outlets disagree on
// Ukraine's security guarantees in April, where Russia's red line addresses
// nobody (open); the EU is alone on sanctions. r1b is a syndicated copy of
// r1 (same cluster).
func compareFixture() []index.Article {
	return []index.Article{
		cart("r1", "", "Reuters", "2025-01-10",
			"russia>ukraine demand territory 0.9 Moscow demands that Kyiv cede the four regions.",
			"russia demand nato 0.8 Moscow demands a halt to NATO expansion."),
		cart("r1b", "r1", "AP", "2025-01-11",
			"russia>ukraine demand territory 0.9 Moscow demands that Kyiv cede the four regions.",
			"russia demand nato 0.8 Moscow demands a halt to NATO expansion."),
		cart("r2", "", "BBC", "2025-02-05",
			"russia demand territory 0.7 The Kremlin wants the whole of Donetsk."),
		cart("u1", "", "Kyiv Independent", "2025-01-15",
			"ukraine red_line territory 0.95 Kyiv will never cede its land."),
		cart("n1", "", "TASS", "2025-01-20",
			"russia demand nato 0.6 Russia insists Ukraine drop its NATO bid."),
		cart("n2", "", "Reuters", "2025-03-03",
			"russia red_line nato 0.85 Moscow rejects any NATO troops in Ukraine."),
		cart("n3", "", "BBC", "2025-03-20",
			"russia red_line nato,security_guarantees 0.8 The Kremlin refuses Western guarantees."),
		cart("c1", "", "Reuters", "2025-03-01",
			"ukraine>russia offer ceasefire 0.9 Kyiv is ready to accept a 30-day ceasefire."),
		cart("c2", "", "TASS", "2025-03-02",
			"russia demand ceasefire 0.75 Moscow calls for a ceasefire on its terms."),
		cart("g1", "", "Reuters", "2025-04-02",
			"ukraine demand security_guarantees 0.9 Kyiv demands binding security guarantees."),
		cart("g2", "", "TASS", "2025-04-09",
			"ukraine offer security_guarantees 0.7 Kyiv is willing to drop guarantees for neutrality."),
		cart("s1", "", "", "",
			"eu demand sanctions 0.5 The EU demands tighter sanctions."),
	}
}

func openTemp(t *testing.T) *index.Index {
	t.Helper()
	ix, err := index.Open(filepath.Join(t.TempDir(), "redline.index"), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func mustCompare(t *testing.T, ix *index.Index, q Query) *Comparison {
	t.Helper()
	c, err := Run(context.Background(), ix, q)
	if err != nil {
		t.Fatalf("Compare(%+v): %v", q, err)
	}
	return c
}

func findPosition(c *Comparison, party, topic, kind string) *Position {
	for i := range c.Positions {
		p := &c.Positions[i]
		if p.Party == party && p.Topic == topic && p.Kind == kind {
			return p
		}
	}
	return nil
}

func TestComparePositions(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write(compareFixture()); err != nil {
		t.Fatal(err)
	}
	c := mustCompare(t, ix, Query{})
	if c.Claims != 14 || c.Undated != 1 {
		t.Errorf("Claims = %d, Undated = %d, want 14 and 1", c.Claims, c.Undated)
	}
	p := findPosition(c, "russia", "territory", "demand")
	if p == nil {
		t.Fatal("no russia/territory/demand position")
	}
	// r1 and its syndicated copy r1b are one source.
	if p.Sources != 2 || p.Articles != 3 || p.Claims != 3 || p.Outlets != 3 || p.First != "2025-01-10" || p.Last != "2025-02-05" {
		t.Errorf("russia/territory/demand = %+v", *p)
	}
	if len(p.Evidence) != 2 {
		t.Fatalf("evidence = %+v, want 2 (one per cluster)", p.Evidence)
	}
	if e := p.Evidence[0]; e.DocID != "r1" || e.Outlet != "Reuters" || e.Published != "2025-01-10" || e.Sentence != "Moscow demands that Kyiv cede the four regions." || e.Cluster != "r1" {
		t.Errorf("first evidence = %+v", e)
	}
	if e := p.Evidence[1]; e.DocID != "r2" || e.Confidence != 0.7 {
		t.Errorf("second evidence = %+v", e)
	}
	// Positions come by topic, party, kind.
	var order []string
	for _, p := range c.Positions {
		order = append(order, p.Topic+"/"+p.Party+"/"+p.Kind)
	}
	want := "ceasefire/russia/demand ceasefire/ukraine/offer nato/russia/demand nato/russia/red_line sanctions/eu/demand " +
		"security_guarantees/russia/red_line security_guarantees/ukraine/demand security_guarantees/ukraine/offer territory/russia/demand territory/ukraine/red_line"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("positions:\n got %s\nwant %s", got, want)
	}
	if p := findPosition(c, "eu", "sanctions", "demand"); p == nil || p.First != "" || p.Outlets != 0 || p.Sources != 1 {
		t.Errorf("undated, outlet-less position = %+v", p)
	}
}

func TestCompareVerdicts(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write(compareFixture()); err != nil {
		t.Fatal(err)
	}
	// One story per side is trusted here: the fixture is small.
	c := mustCompare(t, ix, Query{MinSources: 1})
	verdicts := map[string]TopicMap{}
	for _, tm := range c.Map {
		verdicts[tm.Topic] = tm
	}
	for topic, want := range map[string]string{
		"territory": VerdictStandoff, "ceasefire": VerdictMovement, "sanctions": VerdictOneSided,
		"nato": VerdictOneSided, "security_guarantees": VerdictOpen,
	} {
		if got := verdicts[topic].Verdict; got != want {
			t.Errorf("verdict on %s = %q, want %q", topic, got, want)
		}
	}
	terr := verdicts["territory"]
	if len(terr.Relations) != 1 {
		t.Fatalf("territory relations = %+v", terr.Relations)
	}
	r := terr.Relations[0]
	if r.A != "russia" || r.AKind != "demand" || r.B != "ukraine" || r.BKind != "red_line" || len(r.Evidence) != 2 ||
		r.Evidence[0].Sentence != "Moscow demands that Kyiv cede the four regions." || r.Evidence[1].Sentence != "Kyiv will never cede its land." ||
		r.Evidence[1].Outlet != "Kyiv Independent" || r.Evidence[1].Published != "2025-01-15" || r.ASources != 2 || r.BSources != 1 || r.Thin {
		t.Errorf("territory relation = %+v", r)
	}
	// The verdict names the claims it rests on: Russia's demand in both
	// of its independent sources, Ukraine's red line.
	wantIDs := "c:r1:0:russia:demand c:r2:0:russia:demand c:u1:0:ukraine:red_line"
	if got := strings.Join(terr.ClaimIDs, " "); got != wantIDs {
		t.Errorf("territory claim ids = %s, want %s", got, wantIDs)
	}
	if len(terr.Pairs) != 1 || terr.Pairs[0].A != "russia" || terr.Pairs[0].B != "ukraine" || terr.Pairs[0].Verdict != VerdictStandoff ||
		strings.Join(terr.Pairs[0].ClaimIDs, " ") != wantIDs {
		t.Errorf("territory pairs = %+v", terr.Pairs)
	}
	if r.Evidence[0].ID != "c:r1:0:russia:demand" {
		t.Errorf("evidence id = %q", r.Evidence[0].ID)
	}
	cf := verdicts["ceasefire"].Relations
	if len(cf) != 1 || cf[0].Verdict != VerdictMovement || cf[0].A != "russia" || cf[0].AKind != "demand" || cf[0].B != "ukraine" || cf[0].BKind != "offer" {
		t.Errorf("ceasefire relations = %+v", cf)
	}
	// Ukraine's offer addresses Russia: that claim grounds the movement first.
	if ids := verdicts["ceasefire"].ClaimIDs; len(ids) == 0 || ids[0] != "c:c1:0:ukraine:offer" {
		t.Errorf("ceasefire claim ids = %v", ids)
	}
	if p := findPosition(c, "russia", "territory", "demand"); p == nil || len(p.Targets) != 1 || p.Targets[0] != (Target{Party: "ukraine", Sources: 1, ClaimID: "c:r1:0:russia:demand"}) {
		t.Errorf("russia/territory/demand targets = %+v", p)
	}
	if sg := verdicts["security_guarantees"]; len(sg.Pairs) != 0 || len(sg.Relations) != 0 || len(sg.ClaimIDs) != 0 {
		t.Errorf("security_guarantees, where nobody addresses anybody: %+v", sg)
	}
	if st := verdicts["territory"].Stances; len(st) != 2 || st[0].Party != "russia" || st[0].Kinds[0] != (KindCount{Kind: "demand", Sources: 2, Claims: 3}) {
		t.Errorf("territory stances = %+v", st)
	}
	if ids := verdicts["nato"].ClaimIDs; len(ids) == 0 {
		t.Error("a one-sided verdict names no claims")
	}

	// By default each side needs two independent sources: Ukraine's one
	// story against Russia's demand is too little evidence, and so is the
	// EU alone on sanctions; Russia's demand on NATO rests on two.
	c = mustCompare(t, ix, Query{})
	if c.MinSources != DefaultMinSources {
		t.Errorf("MinSources = %d", c.MinSources)
	}
	for _, tm := range c.Map {
		want := map[string]string{"territory": VerdictThin, "ceasefire": VerdictThin, "sanctions": VerdictThin,
			"nato": VerdictOneSided, "security_guarantees": VerdictOpen}[tm.Topic]
		if tm.Verdict != want {
			t.Errorf("default: verdict on %s = %q, want %q", tm.Topic, tm.Verdict, want)
		}
		if tm.Topic == "territory" && (len(tm.Relations) != 1 || !tm.Relations[0].Thin || strings.Join(tm.ClaimIDs, " ") != wantIDs) {
			t.Errorf("default: territory = %+v", tm)
		}
	}
}

func TestCompareTimeline(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write(compareFixture()); err != nil {
		t.Fatal(err)
	}
	c := mustCompare(t, ix, Query{})
	if got := strings.Join(c.Periods, " "); got != "2025-01 2025-02 2025-03 2025-04" {
		t.Errorf("periods = %s", got)
	}
	var nato *Series
	for i := range c.Timeline {
		if c.Timeline[i].Party == "russia" && c.Timeline[i].Topic == "nato" {
			nato = &c.Timeline[i]
		}
	}
	if nato == nil || len(nato.Points) != 2 {
		t.Fatalf("russia/nato series = %+v", nato)
	}
	if p := nato.Points[0]; p.Period != "2025-01" || p.Demand != (Tally{Sources: 2, Claims: 3}) || p.Dominant != "demand" {
		t.Errorf("January = %+v", p)
	}
	if p := nato.Points[1]; p.Period != "2025-03" || p.RedLine != (Tally{Sources: 2, Claims: 2}) || p.Dominant != "red_line" {
		t.Errorf("March = %+v", p)
	}
	if len(c.Shifts) != 1 {
		t.Fatalf("shifts = %+v", c.Shifts)
	}
	s := c.Shifts[0]
	if s.Party != "russia" || s.Topic != "nato" || s.From != "demand" || s.To != "red_line" || s.FromPeriod != "2025-01" || s.Period != "2025-03" ||
		s.Evidence.Sentence != "Moscow rejects any NATO troops in Ukraine." || s.Evidence.Published != "2025-03-03" {
		t.Errorf("shift = %+v", s)
	}
	// The same by quarter: no shift inside one quarter, demand 3 claims vs
	// red line 2 in Q1.
	q := mustCompare(t, ix, Query{By: ByQuarter})
	if got := strings.Join(q.Periods, " "); got != "2025-Q1 2025-Q2" || len(q.Shifts) != 0 {
		t.Errorf("by quarter: periods %v, shifts %+v", q.Periods, q.Shifts)
	}
	w := mustCompare(t, ix, Query{By: ByWeek})
	if w.Periods[0] != "2025-W02" || w.Periods[len(w.Periods)-1] != "2025-W15" {
		t.Errorf("by week: %v", w.Periods)
	}
}

func TestCompareDisagreements(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write(compareFixture()); err != nil {
		t.Fatal(err)
	}
	c := mustCompare(t, ix, Query{})
	if len(c.Disagreements) != 1 {
		t.Fatalf("disagreements = %+v", c.Disagreements)
	}
	d := c.Disagreements[0]
	if d.Party != "ukraine" || d.Topic != "security_guarantees" || d.Period != "2025-04" || len(d.Sides) != 2 {
		t.Fatalf("disagreement = %+v", d)
	}
	if s := d.Sides[0]; s.Kind != "demand" || strings.Join(s.Outlets, ",") != "Reuters" || len(s.Evidence) != 1 || s.Evidence[0].Sentence != "Kyiv demands binding security guarantees." {
		t.Errorf("demand side = %+v", s)
	}
	if s := d.Sides[1]; s.Kind != "offer" || strings.Join(s.Outlets, ",") != "TASS" || s.Evidence[0].Outlet != "TASS" {
		t.Errorf("offer side = %+v", s)
	}
	// One outlet reporting both kinds is no disagreement between sources.
	ix2 := openTemp(t)
	if err := ix2.Write([]index.Article{
		cart("x1", "", "Reuters", "2025-04-02", "ukraine demand security_guarantees 0.9 A.", "ukraine offer security_guarantees 0.9 B."),
		cart("x2", "", "TASS", "2025-04-03", "ukraine demand security_guarantees 0.9 C."),
	}); err != nil {
		t.Fatal(err)
	}
	if c := mustCompare(t, ix2, Query{}); len(c.Disagreements) != 0 {
		t.Errorf("disagreements = %+v, want none", c.Disagreements)
	}
}

func TestCompareFilters(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write(compareFixture()); err != nil {
		t.Fatal(err)
	}
	c := mustCompare(t, ix, Query{Topic: []string{"nato"}})
	for _, p := range c.Positions {
		if p.Topic != "nato" {
			t.Errorf("topic filter let %+v through", p)
		}
	}
	// n3 has topics nato and security_guarantees: it counts once, under nato.
	if c.Claims != 5 || len(c.Positions) != 2 {
		t.Errorf("nato: %d claims, %d positions", c.Claims, len(c.Positions))
	}
	c = mustCompare(t, ix, Query{Party: []string{"ukraine"}, Since: day("2025-03-01"), Until: day("2025-03-31")})
	if len(c.Positions) != 1 || c.Positions[0].Topic != "ceasefire" || c.Claims != 1 {
		t.Errorf("ukraine in March: %+v", c.Positions)
	}
	if _, err := Run(context.Background(), ix, Query{By: "year"}); err == nil {
		t.Error("By: year did not fail")
	}
	empty := mustCompare(t, openTemp(t), Query{})
	if empty.Claims != 0 || len(empty.Positions) != 0 || len(empty.Periods) != 0 {
		t.Errorf("empty index: %+v", empty)
	}
	// A rewrite of an article replaces its claims in the comparison too.
	if err := ix.Write([]index.Article{cart("r2", "", "BBC", "2025-02-05", "russia offer territory 0.7 The Kremlin could give back Kharkiv.")}); err != nil {
		t.Fatal(err)
	}
	c = mustCompare(t, ix, Query{Topic: []string{"territory"}})
	if p := findPosition(c, "russia", "territory", "demand"); p == nil || p.Sources != 1 || p.Claims != 2 {
		t.Errorf("after rewrite: %+v", p)
	}
}

// TestCompareJSONListsNeverNull: a comparison that finds no shifts, no
// disagreements or no claims at all writes [] for those lists, as it always
// did for positions. They were null, so `jq '.shifts[]'` or a Python loop
// over c["shifts"] failed on a comparison without shifts.
func TestCompareJSONListsNeverNull(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write([]index.Article{cart("one", "", "BBC", "2025-02-05", "russia demand territory 0.7 The Kremlin wants Kharkiv.")}); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*Comparison{"one claim": mustCompare(t, ix, Query{}), "empty index": mustCompare(t, openTemp(t), Query{})} {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"periods", "positions", "map", "timeline", "shifts", "disagreements"} {
			if string(m[key]) == "null" || m[key] == nil {
				t.Errorf("%s: %q is %s, want a list", name, key, m[key])
			}
		}
	}
}

func TestCompareCancelled(t *testing.T) {
	ix := openTemp(t)
	if err := ix.Write(compareFixture()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, ix, Query{}); err == nil {
		t.Error("Compare with a cancelled context did not fail")
	}
}

// TestCompareParallelScan: the scan (and the visits of addressed claims)
// split over several goroutines gives exactly the comparison of one
// goroutine, on an index of generated claims with several segments.
func TestCompareParallelScan(t *testing.T) {
	ix := openTemp(t)
	arts := genCompareArticles(3000, 7)
	for i := 0; i < len(arts); i += 50 {
		if err := ix.Write(arts[i:min(i+50, len(arts))]); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []Query{{}, {By: ByWeek, Topic: []string{"territory", "nato"}}} {
		one, err := run(context.Background(), ix, q, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		for _, procs := range []int{2, 3} {
			old := runtime.GOMAXPROCS(procs)
			many, err := run(context.Background(), ix, q, 1)
			runtime.GOMAXPROCS(old)
			if err != nil {
				t.Fatal(err)
			}
			one.Took, many.Took = 0, 0
			if !reflect.DeepEqual(one, many) {
				t.Errorf("%+v: %d goroutines give another comparison", q, procs)
			}
		}
		targeted, pairs := 0, 0
		for _, p := range one.Positions {
			targeted += len(p.Targets)
		}
		for _, tm := range one.Map {
			pairs += len(tm.Pairs)
		}
		if one.Claims == 0 || len(one.Shifts) == 0 || len(one.Disagreements) == 0 || targeted == 0 || pairs == 0 {
			t.Errorf("%+v: a comparison without findings: %d claims, %d targets, %d pairs", q, one.Claims, targeted, pairs)
		}
	}
}
