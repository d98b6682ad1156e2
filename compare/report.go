package compare

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"redline/index"
)

// draft is a Comparison whose evidence is still to be read: fills say
// which claim goes where.
type draft struct {
	Comparison
	fills      []fill
	minSources int
}

type fill struct {
	ref claimRef
	dst *Evidence
}

// bucketSort returns a copy of rows ordered by bucket (a number below n),
// then by cmp within each bucket: a counting sort, then a sort of each
// bucket, several times faster than one sort of a million rows. bucket may
// set fields of the row it is given (the copy), and drops it by returning
// a negative number.
func bucketSort(rows []row, n int, bucket func(*row) int32, cmp func(a, b row) int) []row {
	start := make([]int, n+1)
	for _, r := range rows {
		if b := bucket(&r); b >= 0 {
			start[b+1]++
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	out := make([]row, start[n])
	next := slices.Clone(start[:n])
	for _, r := range rows {
		if b := bucket(&r); b >= 0 {
			out[next[b]] = r
			next[b]++
		}
	}
	for b := range n {
		slices.SortFunc(out[start[b]:start[b+1]], cmp)
	}
	return out
}

// report analyses the scanned rows.
func (sc *scanned) report(q Query) *draft {
	d := &draft{}
	d.By, d.Claims, d.Undated = q.By, sc.claims, sc.undated
	d.minSources, d.MinSources = q.MinSources, q.MinSources
	ref := func(r row) claimRef {
		p := sc.ptks[r.ptk]
		return claimRef{r: r, party: p.party, kind: p.kind}
	}
	// Doc ids, clusters and outlets are interned in scan order; compare
	// them by value where the output order depends on it.
	docLess := func(a, b row) bool {
		return sc.docs[a.doc] < sc.docs[b.doc] || sc.docs[a.doc] == sc.docs[b.doc] && a.start < b.start
	}
	// The claim to cite first: higher confidence, then earlier, then by
	// document and position.
	betterRow := func(a, b row) bool {
		if a.conf != b.conf {
			return a.conf > b.conf
		}
		if a.day != b.day {
			return a.day < b.day
		}
		return docLess(a, b)
	}
	earlierRow := func(a, b row) bool {
		if a.day != b.day {
			return a.day < b.day
		}
		return docLess(a, b)
	}

	// The timeline runs concurrently with the positions, each on its own
	// sorted copy of the rows.
	tl := &draft{}
	var wg sync.WaitGroup
	wg.Go(func() { tl.timeline(sc, q, ref, betterRow, earlierRow) })

	// Positions: rows by (ptk, cluster, doc, start).
	rows := bucketSort(sc.rows, len(sc.ptks), func(r *row) int32 { return r.ptk }, func(a, b row) int {
		switch {
		case a.cluster != b.cluster:
			return int(a.cluster - b.cluster)
		case a.doc != b.doc:
			return int(a.doc - b.doc)
		}
		return int(a.start - b.start)
	})
	type posRefs struct{ evidence []claimRef }
	var refs []posRefs
	for i := 0; i < len(rows); {
		j := i
		info := sc.ptks[rows[i].ptk]
		p := Position{Party: info.party, Topic: info.topic, Kind: info.kind}
		outlets := map[int32]bool{}
		first, last := noDay, noDay
		var best []row // best row per cluster
		for j < len(rows) && rows[j].ptk == rows[i].ptk {
			k := j
			cb := rows[j]
			p.Sources++
			for k < len(rows) && rows[k].ptk == rows[i].ptk && rows[k].cluster == rows[j].cluster {
				r := rows[k]
				p.Claims++
				if k == j || r.doc != rows[k-1].doc {
					p.Articles++
				}
				if r.outlet != 0 {
					outlets[r.outlet] = true
				}
				if r.day != noDay {
					if first == noDay || r.day < first {
						first = r.day
					}
					if r.day > last {
						last = r.day
					}
				}
				if betterRow(r, cb) {
					cb = r
				}
				k++
			}
			best = append(best, cb)
			j = k
		}
		p.Outlets = len(outlets)
		p.First, p.Last = dayString(first), dayString(last)
		p.Targets = sc.positionTargets(rows[i:j], info, betterRow)
		sort.Slice(best, func(a, b int) bool { return betterRow(best[a], best[b]) })
		var pr posRefs
		for _, r := range best[:min(len(best), q.Evidence)] {
			pr.evidence = append(pr.evidence, ref(r))
		}
		d.Positions = append(d.Positions, p)
		refs = append(refs, pr)
		i = j
	}
	order := make([]int, len(d.Positions))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		pa, pb := d.Positions[order[a]], d.Positions[order[b]]
		return cmp.Or(cmp.Compare(pa.Topic, pb.Topic), cmp.Compare(pa.Party, pb.Party), cmp.Compare(kindIndex(pa.Kind), kindIndex(pb.Kind)), cmp.Compare(pa.Kind, pb.Kind)) < 0
	})
	positions := make([]Position, len(order))
	posRefsSorted := make([]posRefs, len(order))
	for i, o := range order {
		positions[i], posRefsSorted[i] = d.Positions[o], refs[o]
	}
	d.Positions = positions
	for i := range d.Positions {
		d.Positions[i].Evidence = make([]Evidence, len(posRefsSorted[i].evidence))
		for j, r := range posRefsSorted[i].evidence {
			d.fills = append(d.fills, fill{ref: r, dst: &d.Positions[i].Evidence[j]})
		}
	}

	wg.Wait()
	sc.rows = nil // both have their copies
	d.Periods, d.Timeline, d.Shifts, d.Disagreements = tl.Periods, tl.Timeline, tl.Shifts, tl.Disagreements
	d.fills = append(d.fills, tl.fills...)
	return d
}

func kindIndex(k string) int {
	for i, kk := range Kinds {
		if kk == k {
			return i
		}
	}
	return len(Kinds)
}

// periodStart returns the first day of the period of day.
func periodStart(by string, day int32) int32 {
	t := time.Unix(int64(day)*86400, 0).UTC()
	var s time.Time
	switch by {
	case ByWeek:
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		s = t.AddDate(0, 0, -wd)
	case ByQuarter:
		s = time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	default:
		s = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return int32(s.Unix() / 86400)
}

// nextPeriod returns the first day of the period after the one starting on
// start.
func nextPeriod(by string, start int32) int32 {
	t := time.Unix(int64(start)*86400, 0).UTC()
	switch by {
	case ByWeek:
		t = t.AddDate(0, 0, 7)
	case ByQuarter:
		t = t.AddDate(0, 3, 0)
	default:
		t = t.AddDate(0, 1, 0)
	}
	return int32(t.Unix() / 86400)
}

// periodLabel names the period starting on start: "2025-03", "2025-Q1" or
// the ISO week "2025-W09".
func periodLabel(by string, start int32) string {
	t := time.Unix(int64(start)*86400, 0).UTC()
	switch by {
	case ByWeek:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case ByQuarter:
		return fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
	}
	return t.Format("2006-01")
}

// timeline builds the series, shifts and disagreements from the dated rows.
// timeline builds the periods, series, shifts and disagreements from the
// rows with a date and a known kind into d.
func (d *draft) timeline(sc *scanned, q Query, ref func(row) claimRef, betterRow, earlierRow func(a, b row) bool) {
	periodOf := map[int32]int32{} // day -> first day of its period
	minP, maxP := noDay, noDay
	for _, r := range sc.rows {
		if r.day == noDay || r.k < 0 {
			continue
		}
		if _, ok := periodOf[r.day]; !ok {
			p := periodStart(q.By, r.day)
			periodOf[r.day] = p
			if minP == noDay || p < minP {
				minP = p
			}
			maxP = max(maxP, p)
		}
	}
	if minP != noDay {
		for p := minP; p <= maxP; p = nextPeriod(q.By, p) {
			d.Periods = append(d.Periods, periodLabel(q.By, p))
		}
	}
	ptOf := func(r row) int32 { return r.pt }
	kOf := func(r row) int8 { return r.k }
	rows := bucketSort(sc.rows, len(sc.pts), func(r *row) int32 {
		if r.day == noDay || r.k < 0 {
			return -1
		}
		r.period = periodOf[r.day]
		return r.pt
	}, func(a, b row) int {
		switch {
		case a.period != b.period:
			return int(a.period - b.period)
		case a.k != b.k:
			return int(a.k) - int(b.k)
		case a.cluster != b.cluster:
			return int(a.cluster - b.cluster)
		}
		return int(a.outlet - b.outlet)
	})

	type kindGroup struct {
		tally    Tally
		earliest row
		present  bool
		// byOutlet is the best row of each known outlet, by outlet
		// number (a window of the scratch buffer).
		byOutlet []row
	}
	var scratch []row
	type shiftRef struct {
		shift int
		ref   claimRef
	}
	type sideRef struct {
		dis, side int
		refs      []claimRef
	}
	var shiftRefs []shiftRef
	var sideRefs []sideRef
	for i := 0; i < len(rows); {
		pt := ptOf(rows[i])
		s := Series{Party: sc.pts[pt][0], Topic: sc.pts[pt][1]}
		prevDom, prevPeriod := "", ""
		for i < len(rows) && ptOf(rows[i]) == pt {
			period := rows[i].period
			var groups [3]kindGroup
			scratch = scratch[:0]
			for i < len(rows) && ptOf(rows[i]) == pt && rows[i].period == period {
				k := kOf(rows[i])
				g := &groups[k]
				g.present = true
				g.earliest = rows[i]
				lastCluster := int32(-1)
				from := len(scratch)
				for i < len(rows) && ptOf(rows[i]) == pt && rows[i].period == period && kOf(rows[i]) == k {
					r := rows[i]
					g.tally.Claims++
					if r.cluster != lastCluster {
						g.tally.Sources++
						lastCluster = r.cluster
					}
					if earlierRow(r, g.earliest) {
						g.earliest = r
					}
					if r.outlet != 0 {
						scratch = append(scratch, r)
					}
					i++
				}
				// The best row of each outlet: sort by outlet, best first.
				win := scratch[from:]
				slices.SortFunc(win, func(a, b row) int {
					if a.outlet != b.outlet {
						return int(a.outlet - b.outlet)
					}
					if betterRow(a, b) {
						return -1
					}
					if betterRow(b, a) {
						return 1
					}
					return 0
				})
				win = slices.CompactFunc(win, func(a, b row) bool { return a.outlet == b.outlet })
				scratch = scratch[:from+len(win)]
				g.byOutlet = scratch[from : from+len(win) : from+len(win)]
			}
			point := Point{Period: periodLabel(q.By, period), Demand: groups[0].tally, RedLine: groups[1].tally, Offer: groups[2].tally}
			// Dominant: most sources, then most claims; a tie has none.
			bestK, tie := -1, false
			for k := range groups {
				if !groups[k].present {
					continue
				}
				if bestK < 0 {
					bestK = k
					continue
				}
				a, b := groups[k].tally, groups[bestK].tally
				switch {
				case a.Sources > b.Sources || a.Sources == b.Sources && a.Claims > b.Claims:
					bestK, tie = k, false
				case a.Sources == b.Sources && a.Claims == b.Claims:
					tie = true
				}
			}
			if bestK >= 0 && !tie {
				point.Dominant = Kinds[bestK]
				if prevDom != "" && prevDom != point.Dominant {
					d.Shifts = append(d.Shifts, Shift{Party: s.Party, Topic: s.Topic, From: prevDom, To: point.Dominant, FromPeriod: prevPeriod, Period: point.Period})
					shiftRefs = append(shiftRefs, shiftRef{shift: len(d.Shifts) - 1, ref: ref(groups[bestK].earliest)})
				}
				prevDom, prevPeriod = point.Dominant, point.Period
			}
			s.Points = append(s.Points, point)
			s.Claims += point.Demand.Claims + point.RedLine.Claims + point.Offer.Claims

			// Disagreement: kinds k1, k2 each reported by an outlet that
			// does not report the other.
			involved := [3]bool{}
			for k1 := range groups {
				for k2 := k1 + 1; k2 < len(groups); k2++ {
					if !groups[k1].present || !groups[k2].present {
						continue
					}
					// only: some outlet of a is not among b's (both sorted).
					only := func(a, b int) bool {
						ob := groups[b].byOutlet
						j := 0
						for _, r := range groups[a].byOutlet {
							for j < len(ob) && ob[j].outlet < r.outlet {
								j++
							}
							if j == len(ob) || ob[j].outlet != r.outlet {
								return true
							}
						}
						return false
					}
					if only(k1, k2) && only(k2, k1) {
						involved[k1], involved[k2] = true, true
					}
				}
			}
			if involved[0] || involved[1] || involved[2] {
				dis := Disagreement{Party: s.Party, Topic: s.Topic, Period: point.Period}
				for k := range groups {
					if !involved[k] {
						continue
					}
					side := Side{Kind: Kinds[k]}
					best := slices.Clone(groups[k].byOutlet)
					for _, r := range best {
						side.Outlets = append(side.Outlets, sc.outlets[r.outlet])
					}
					sort.Strings(side.Outlets)
					sort.Slice(best, func(a, b int) bool { return betterRow(best[a], best[b]) })
					var rs []claimRef
					for _, r := range best[:min(1, len(best))] {
						rs = append(rs, ref(r))
					}
					dis.Sides = append(dis.Sides, side)
					sideRefs = append(sideRefs, sideRef{dis: len(d.Disagreements), side: len(dis.Sides) - 1, refs: rs})
				}
				d.Disagreements = append(d.Disagreements, dis)
			}
		}
		d.Timeline = append(d.Timeline, s)
	}
	slices.SortStableFunc(d.Timeline, func(a, b Series) int {
		return cmp.Or(cmp.Compare(a.Party, b.Party), cmp.Compare(a.Topic, b.Topic))
	})
	// Shifts and disagreements keep their (party, topic) grouping; sort
	// them the same way, the fill pointers are taken afterwards.
	type shiftWithRef struct {
		s Shift
		r claimRef
	}
	sw := make([]shiftWithRef, len(d.Shifts))
	for _, sr := range shiftRefs {
		sw[sr.shift] = shiftWithRef{d.Shifts[sr.shift], sr.ref}
	}
	slices.SortStableFunc(sw, func(a, b shiftWithRef) int {
		return cmp.Or(cmp.Compare(a.s.Party, b.s.Party), cmp.Compare(a.s.Topic, b.s.Topic))
	})
	for i := range sw {
		d.Shifts[i] = sw[i].s
		d.fills = append(d.fills, fill{ref: sw[i].r, dst: &d.Shifts[i].Evidence})
	}
	type disWithRefs struct {
		d    Disagreement
		refs [][]claimRef
	}
	dw := make([]disWithRefs, len(d.Disagreements))
	for i := range d.Disagreements {
		dw[i].d = d.Disagreements[i]
		dw[i].refs = make([][]claimRef, len(d.Disagreements[i].Sides))
	}
	for _, sr := range sideRefs {
		dw[sr.dis].refs[sr.side] = sr.refs
	}
	slices.SortStableFunc(dw, func(a, b disWithRefs) int {
		return cmp.Or(cmp.Compare(a.d.Party, b.d.Party), cmp.Compare(a.d.Topic, b.d.Topic))
	})
	for i := range dw {
		d.Disagreements[i] = dw[i].d
		for j, rs := range dw[i].refs {
			side := &d.Disagreements[i].Sides[j]
			side.Evidence = make([]Evidence, len(rs))
			for k, r := range rs {
				d.fills = append(d.fills, fill{ref: r, dst: &side.Evidence[k]})
			}
		}
	}
}

// resolve reads the claims the draft cites, each once, on as many
// goroutines as there are CPUs, and fills in their evidence.
func (d *draft) resolve(ctx context.Context, snap *index.Snapshot, sc *scanned) error {
	type key struct {
		doc, start  int32
		party, kind string
	}
	slot := map[key]int{}
	var refs []claimRef
	at := make([]int, len(d.fills))
	for i, f := range d.fills {
		k := key{f.ref.r.doc, f.ref.r.start, f.ref.party, f.ref.kind}
		j, ok := slot[k]
		if !ok {
			j = len(refs)
			slot[k] = j
			refs = append(refs, f.ref)
		}
		at[i] = j
	}
	evs := make([]Evidence, len(refs))
	workers := min(runtime.GOMAXPROCS(0), max(len(refs)/64, 1))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := w; j < len(refs); j += workers {
				if j%256 == w && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				r := refs[j]
				id := index.ClaimID(sc.docs[r.r.doc], int(r.r.start), r.party, r.kind)
				c, found, err := snap.Claim(id)
				if err != nil {
					errs[w] = fmt.Errorf("compare: %w", err)
					return
				}
				ev := Evidence{ID: id, Party: r.party, Kind: r.kind, DocID: sc.docs[r.r.doc], Cluster: sc.clusters[r.r.cluster],
					Outlet: sc.outlets[r.r.outlet], Published: dayString(r.r.day), Confidence: float64(r.r.conf)}
				if found {
					ev.Sentence, ev.URL, ev.Confidence = c.Sentence, c.URL, c.Confidence
				}
				evs[j] = ev
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for i, f := range d.fills {
		*f.dst = evs[at[i]]
	}
	d.buildMap()
	return nil
}

// positionTargets returns the parties that the rows of one position (info;
// sorted by cluster) address, other than its own party, by party id: the
// independent sources of the rows addressing each and the best of them.
func (sc *scanned) positionTargets(rows []row, info ptkInfo, betterRow func(a, b row) bool) []Target {
	type acc struct {
		sources     int
		lastCluster int32
		best        row
	}
	var by map[int32]*acc
	for _, r := range rows {
		if r.target < 0 || sc.targets[r.target] == info.party {
			continue
		}
		if by == nil {
			by = map[int32]*acc{}
		}
		a := by[r.target]
		if a == nil {
			a = &acc{lastCluster: -1, best: r}
			by[r.target] = a
		}
		if r.cluster != a.lastCluster {
			a.sources++
			a.lastCluster = r.cluster
		}
		if betterRow(r, a.best) {
			a.best = r
		}
	}
	if by == nil {
		return nil
	}
	out := make([]Target, 0, len(by))
	for t, a := range by {
		out = append(out, Target{Party: sc.targets[t], Sources: a.sources,
			ClaimID: index.ClaimID(sc.docs[a.best.doc], int(a.best.start), info.party, info.kind)})
	}
	slices.SortFunc(out, func(a, b Target) int { return strings.Compare(a.Party, b.Party) })
	return out
}
