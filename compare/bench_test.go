package compare

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"redline/claim"
	"redline/index"
)

// benchClaims is the size of the BenchmarkCompare index:
// REDLINE_BENCH_CLAIMS, default 100,000. REDLINE_BENCH_INDEX names a folder
// to keep the index in between runs (it is built when missing), since
// building a million claims takes minutes.
func benchClaims() int {
	if n, err := strconv.Atoi(os.Getenv("REDLINE_BENCH_CLAIMS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// genCompareArticles makes articles of ten claims each, about n claims in
// all: 15 parties and 22 topics with skewed frequencies, one or two topics a
// claim, 40 outlets, four years of dates, and one article in five a
// syndicated copy of an earlier one (same cluster, other outlet). Nearly
// half the claims address another party (as in bulk.jsonl), drawn from a
// stream of their own so that the rest is what it was before claims had
// targets.
func genCompareArticles(n int, seed uint64) []index.Article {
	r := rand.New(rand.NewPCG(seed, 1))
	rt := rand.New(rand.NewPCG(seed, 2))
	parties := []string{"russia", "ukraine", "united_states", "european_union", "nato", "united_kingdom", "france", "germany", "turkey", "china", "united_nations", "saudi_arabia", "uae", "qatar", "belarus"}
	topics := []string{"nato", "neutrality", "security_guarantees", "territory", "crimea", "donbas", "kherson_zaporizhzhia", "ceasefire", "withdrawal", "demilitarization", "denazification", "language", "government", "sanctions", "compensation", "humanitarian", "arms_supply", "foreign_troops", "eu_membership", "energy", "black_sea", "negotiations"}
	skew := func(k int) int { return min(int(r.ExpFloat64()*float64(k)/4), k-1) }
	base := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	var arts []index.Article
	for i := 0; i*10 < n; i++ {
		id := fmt.Sprintf("d%07d", i)
		a := index.Article{DocID: id, Source: id + ".txt", Outlet: fmt.Sprintf("outlet-%02d", skew(40)), Hash: "h" + id}
		a.Published = base.AddDate(0, 0, r.IntN(4*365)).Format("2006-01-02")
		if i > 0 && r.IntN(5) == 0 {
			src := arts[r.IntN(len(arts))]
			a.Cluster = cmp.Or(src.Cluster, src.DocID)
			a.Published = src.Published
			for _, c := range src.Claims {
				c.DocID, c.Source, c.Outlet = id, a.Source, a.Outlet
				a.Claims = append(a.Claims, c)
			}
			arts = append(arts, a)
			continue
		}
		for j := range 10 {
			ts := []string{topics[skew(len(topics))]}
			if r.IntN(3) == 0 {
				if t2 := topics[skew(len(topics))]; t2 != ts[0] {
					ts = append(ts, t2)
				}
			}
			s := fmt.Sprintf("Claim %d of %s about %v with some words to make a sentence of usual length.", j, id, ts)
			a.Claims = append(a.Claims, claim.Claim{
				DocID: id, Source: a.Source, Outlet: a.Outlet, Published: a.Published, Sentence: s,
				Start: j * 120, End: j*120 + len(s), Party: parties[skew(len(parties))], Kind: Kinds[r.IntN(3)], Topics: ts,
				Cue: "demands", Attribution: claim.BySubject, Confidence: float64(r.IntN(100)) / 100,
			})
			c := &a.Claims[len(a.Claims)-1]
			if rt.IntN(100) < 46 {
				if t := parties[min(int(rt.ExpFloat64()*float64(len(parties))/4), len(parties)-1)]; t != c.Party {
					c.Target = t
				}
			}
		}
		arts = append(arts, a)
	}
	return arts
}

func benchIndex(b *testing.B, n int) *index.Index {
	b.Helper()
	dir := os.Getenv("REDLINE_BENCH_INDEX")
	if dir == "" {
		dir = filepath.Join(b.TempDir(), "idx")
	}
	_, statErr := os.Stat(dir)
	ix, err := index.Open(dir, index.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if statErr == nil {
		if st, err := ix.Stats(context.Background()); err == nil && st.Claims > 0 {
			b.Logf("reusing %s: %d claims, %d articles", dir, st.Claims, st.Articles)
			return ix
		}
	}
	start := time.Now()
	arts := genCompareArticles(n, 1)
	for i := 0; i < len(arts); i += 500 {
		if err := ix.Write(arts[i:min(i+500, len(arts))]); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("built an index of %d claims (%d articles) in %s", n, len(arts), time.Since(start).Round(time.Second))
	return ix
}

// BenchmarkCompare measures Run over an index of generated claims (see
// benchClaims): the whole index by month, week and quarter, one party, and
// one topic in one year. It reports milliseconds per comparison, its CPU
// time (user and system: cpu-ms/op, and per claim compared, cpu-ns/claim),
// the memory it allocated (MB/op) and the peak heap in use during it
// (MB-heap).
func BenchmarkCompare(b *testing.B) {
	n := benchClaims()
	ix := benchIndex(b, n)
	defer ix.Close()
	for _, bc := range []struct {
		name string
		q    Query
	}{
		{"all", Query{}},
		{"all-by-week", Query{By: ByWeek}},
		{"all-by-quarter", Query{By: ByQuarter}},
		{"party", Query{Party: []string{"ukraine"}}},
		{"topic+year", Query{Topic: []string{"territory"}, Since: day("2024-01-01"), Until: day("2024-12-31")}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var peak uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() { // sample the heap while comparing
				defer close(done)
				// HeapInuse, read without stopping the world as
				// runtime.ReadMemStats does: 50 stops a second cost
				// the comparison CPU time of its own.
				heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
				for {
					select {
					case <-stop:
						return
					case <-time.After(20 * time.Millisecond):
						metrics.Read(heap)
						peak = max(peak, heap[0].Value.Uint64()+heap[1].Value.Uint64())
					}
				}
			}()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			cpu0 := cpuTime()
			var c *Comparison
			for b.Loop() {
				var err error
				if c, err = Run(context.Background(), ix, bc.q); err != nil {
					b.Fatal(err)
				}
			}
			cpu := cpuTime() - cpu0
			runtime.ReadMemStats(&after)
			close(stop)
			<-done
			ops := float64(b.N)
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/ops, "ms/op")
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64(cpu.Milliseconds())/ops, "cpu-ms/op")
			b.ReportMetric(float64(cpu.Nanoseconds())/ops/float64(max(c.Claims, 1)), "cpu-ns/claim")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/1e6/ops, "MB/op")
			b.ReportMetric(float64(peak)/1e6, "MB-heap")
			b.Logf("%s: %d claims, %d positions, %d topics, %d series, %d shifts, %d disagreements", bc.name, c.Claims, len(c.Positions), len(c.Map), len(c.Timeline), len(c.Shifts), len(c.Disagreements))
		})
	}
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCompareScanMemory measures the memory a comparison needs for
// its claims over the index of BenchmarkCompare (see benchClaims): "scan" is
// the scan of every claim, "scan+report" the scan and the report built from
// it (whose findings, shifts and disagreements, take much of it), before the
// few claims it cites are loaded; "visit" is the index's visit of the same
// claims with a visitor that keeps nothing, the part that is not the
// comparison's; "scan-party" is the scan of one party's claims, whose
// lists of what each article and cluster was counted for are short. Each
// reports MB-live, the peak of the live heap beyond what
// the open index holds, read from the runtime's live-heap metric while the
// garbage collector runs at GOGC=5 (so that the live heap is measured
// often), and B/claim, the same per claim.
func BenchmarkCompareScanMemory(b *testing.B) {
	n := benchClaims()
	ix := benchIndex(b, n)
	defer ix.Close()
	q := Query{By: ByMonth, Evidence: 3, MinSources: DefaultMinSources}
	snap, err := ix.Snapshot()
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Close()
	b.Run("visit", func(b *testing.B) {
		peakLive(b, func() int {
			var count countingVisitor
			err := snap.VisitClaims(context.Background(), index.Query{}, index.VisitOptions{Fields: scanFields}, func() index.ClaimVisitor { return &count })
			if err != nil {
				b.Fatal(err)
			}
			return n
		})
	})
	b.Run("scan", func(b *testing.B) {
		peakLive(b, func() int {
			sc, err := scan(context.Background(), snap, q, 0)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC() // the live heap with the scan held
			runtime.KeepAlive(sc)
			return sc.claims
		})
	})
	b.Run("scan-party", func(b *testing.B) {
		// A narrow comparison: its lists are short.
		q := q
		q.Party = []string{"ukraine"}
		peakLive(b, func() int {
			sc, err := scan(context.Background(), snap, q, 0)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			runtime.KeepAlive(sc)
			return sc.claims
		})
	})
	b.Run("scan+report", func(b *testing.B) {
		peakLive(b, func() int {
			sc, err := scan(context.Background(), snap, q, 0)
			if err != nil {
				b.Fatal(err)
			}
			d := sc.report(q)
			runtime.GC() // the live heap with the report and the scan held
			runtime.KeepAlive(sc)
			return d.Claims
		})
	})
}

// countingVisitor is a ClaimVisitor that keeps nothing. Its count is only
// approximate when runs share it: it only has to be written.
type countingVisitor struct{ n int }

func (v *countingVisitor) StartClaim()          {}
func (v *countingVisitor) Value(string, []byte) {}
func (v *countingVisitor) EndClaim()            { v.n++ }

// peakLive runs fn in a b.Loop and reports the peak of the live heap
// beyond the one before (MB-live), and per claim (B/claim; fn returns the
// claims it read).
func peakLive(b *testing.B, fn func() int) {
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() uint64 {
		metrics.Read(live)
		return live[0].Value.Uint64()
	}
	old := debug.SetGCPercent(5)
	defer debug.SetGCPercent(old)
	runtime.GC()
	base := read()
	var peak atomic.Uint64
	note := func() {
		if v := read(); v > peak.Load() {
			peak.Store(v)
		}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				note()
			}
		}
	}()
	claims := 0
	for b.Loop() {
		claims = fn()
		note()
	}
	close(stop)
	<-done
	grown := float64(peak.Load() - min(base, peak.Load()))
	b.ReportMetric(grown/1e6, "MB-live")
	b.ReportMetric(grown/float64(max(claims, 1)), "B/claim")
}
