package compare

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"redline/index"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt")

// goldenQueries are the comparisons TestCompareGolden pins: every period,
// and each filter the scan treats apart (party, topic, dates, confidence,
// target, evidence and min sources).
var goldenQueries = []goldenQuery{
	{"all-by-month", Query{}},
	{"all-by-week", Query{By: ByWeek}},
	{"all-by-quarter", Query{By: ByQuarter}},
	{"party", Query{Party: []string{"ukraine"}}},
	{"two-parties-quarter-conf", Query{Party: []string{"russia", "ukraine"}, By: ByQuarter, MinConfidence: 0.5}},
	{"topic+year", Query{Topic: []string{"territory"}, Since: day("2024-01-01"), Until: day("2024-12-31")}},
	{"two-topics-week", Query{Topic: []string{"nato", "ceasefire"}, By: ByWeek}},
	{"target", Query{Target: []string{"russia"}}},
	{"evidence5-sources1", Query{Evidence: 5, MinSources: 1}},
}

type goldenQuery struct {
	name string
	q    Query
}

// TestCompareGolden: the comparisons of goldenQueries over an index of
// generated claims (several segments, kinds at random, syndicated copies,
// targets; and some of them again with many outlets) are byte for byte the JSON they were when testdata/golden.txt
// was written, scanned on one goroutine and on several. The file holds a
// SHA-256 of each comparison's JSON and its sizes, so that a change of the
// scan that alters any count, date, claim cited or order fails here; on a
// failure the JSON is written to a temporary file that outlives the test.
// Rewrite it with -update only for a change meant to alter the output.
func TestCompareGolden(t *testing.T) {
	arts := genCompareArticles(4000, 11)
	var got strings.Builder
	compareGolden(t, "", writeGoldenIndex(t, arts), goldenQueries, &got)
	// The same claims from 190 outlets, not 40: a cell or position then
	// has outlets numbered past 64.
	for i := range arts {
		if i%3 == 0 {
			a := &arts[i]
			a.Outlet = fmt.Sprintf("wire-%03d", i%150)
			for j := range a.Claims {
				a.Claims[j].Outlet = a.Outlet
			}
		}
	}
	compareGolden(t, "outlets190/", writeGoldenIndex(t, arts), goldenQueries[:4], &got)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "golden.txt"), []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeGoldenIndex writes arts to a new index in batches of 40 articles,
// so that it has several segments.
func writeGoldenIndex(t *testing.T, arts []index.Article) *index.Index {
	t.Helper()
	ix := openTemp(t)
	for i := 0; i < len(arts); i += 40 {
		if err := ix.Write(arts[i:min(i+40, len(arts))]); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

// compareGolden runs queries over ix, on one goroutine and on several,
// checks each against testdata/golden.txt (prefix before its name) and
// adds its line to got.
func compareGolden(t *testing.T, prefix string, ix *index.Index, queries []goldenQuery, got *strings.Builder) {
	t.Helper()
	for _, g := range queries {
		name := prefix + g.name
		one, err := run(context.Background(), ix, g.q, 1<<30)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := json.Marshal(one)
		if err != nil {
			t.Fatal(err)
		}
		old := runtime.GOMAXPROCS(3)
		many, err := run(context.Background(), ix, g.q, 1)
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if bm, _ := json.Marshal(many); string(bm) != string(b) {
			t.Errorf("%s: the scan on several goroutines gives another comparison", name)
		}
		if len(one.Shifts) == 0 && len(one.Timeline) > 0 && g.q.Party == nil {
			t.Errorf("%s: no shifts: the fixture no longer exercises them", name)
		}
		line := fmt.Sprintf("%s %x claims=%d positions=%d topics=%d series=%d shifts=%d disagreements=%d bytes=%d\n",
			name, sha256.Sum256(b), one.Claims, len(one.Positions), len(one.Map), len(one.Timeline), len(one.Shifts), len(one.Disagreements), len(b))
		got.WriteString(line)
		if !*update && !strings.Contains(readGolden(t), line) {
			// Kept after the test, to be compared with the JSON of the
			// commit that wrote the golden file.
			f, err := os.CreateTemp("", "compare-"+strings.ReplaceAll(name, "/", "-")+"-*.json")
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Write(b)
			if err = errors.Join(err, f.Close()); err != nil {
				t.Fatal(err)
			}
			t.Errorf("%s differs from testdata/golden.txt:\n got %s(its JSON is in %s)", name, line, f.Name())
		}
	}
}

func readGolden(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden.txt"))
	if err != nil {
		t.Fatalf("%v (run go test -run TestCompareGolden -update to write it)", err)
	}
	return string(b)
}
