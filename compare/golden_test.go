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
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt")

// goldenQueries are the comparisons TestCompareGolden pins: every period,
// and each filter the scan treats apart (party, topic, dates, confidence,
// target, evidence and min sources).
var goldenQueries = []struct {
	name string
	q    Query
}{
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

// TestCompareGolden: the comparisons of goldenQueries over an index of
// generated claims (several segments, kinds at random, syndicated copies,
// targets) are byte for byte the JSON they were when testdata/golden.txt
// was written, scanned on one goroutine and on several. The file holds a
// SHA-256 of each comparison's JSON and its sizes, so that a change of the
// scan that alters any count, date, claim cited or order fails here; on a
// failure the JSON is written to a temporary file that outlives the test.
// Rewrite it with -update only for a change meant to alter the output.
func TestCompareGolden(t *testing.T) {
	ix := openTemp(t)
	arts := genCompareArticles(4000, 11)
	for i := 0; i < len(arts); i += 40 {
		if err := ix.Write(arts[i:min(i+40, len(arts))]); err != nil {
			t.Fatal(err)
		}
	}
	var got strings.Builder
	for _, g := range goldenQueries {
		one, err := run(context.Background(), ix, g.q, 1<<30)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		b, err := json.Marshal(one)
		if err != nil {
			t.Fatal(err)
		}
		old := runtime.GOMAXPROCS(3)
		many, err := run(context.Background(), ix, g.q, 1)
		runtime.GOMAXPROCS(old)
		if err != nil {
			t.Fatalf("%s: %v", g.name, err)
		}
		if bm, _ := json.Marshal(many); string(bm) != string(b) {
			t.Errorf("%s: the scan on several goroutines gives another comparison", g.name)
		}
		if len(one.Shifts) == 0 && len(one.Timeline) > 0 && g.q.Party == nil {
			t.Errorf("%s: no shifts: the fixture no longer exercises them", g.name)
		}
		line := fmt.Sprintf("%s %x claims=%d positions=%d topics=%d series=%d shifts=%d disagreements=%d bytes=%d\n",
			g.name, sha256.Sum256(b), one.Claims, len(one.Positions), len(one.Map), len(one.Timeline), len(one.Shifts), len(one.Disagreements), len(b))
		got.WriteString(line)
		if !*update && !strings.Contains(readGolden(t), line) {
			// Kept after the test, to be compared with the JSON of the
			// commit that wrote the golden file.
			f, err := os.CreateTemp("", "compare-"+g.name+"-*.json")
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Write(b)
			if err = errors.Join(err, f.Close()); err != nil {
				t.Fatal(err)
			}
			t.Errorf("%s differs from testdata/golden.txt:\n got %s(its JSON is in %s)", g.name, line, f.Name())
		}
	}
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "golden.txt"), []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
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
