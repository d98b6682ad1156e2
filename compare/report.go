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

// report turns the aggregates into the comparison.
func (sc *scanned) report(q Query) *draft {
	d := &draft{}
	d.By, d.Claims, d.Undated = q.By, sc.claims, sc.undated
	d.minSources, d.MinSources = q.MinSources, q.MinSources
	ref := func(r row) claimRef {
		p := sc.ptks[r.ptk]
		return claimRef{r: r, party: p.party, kind: p.kind}
	}
	tl := &draft{}
	tl.timeline(sc, q, ref)

	type posRefs struct{ evidence []claimRef }
	var refs []posRefs
	for ptk, info := range sc.ptks {
		a := &sc.pos[ptk]
		if !info.keep || a.claims == 0 {
			continue
		}
		p := Position{Party: info.party, Topic: info.topic, Kind: info.kind, Sources: a.sources, Outlets: a.outlets,
			Articles: a.articles, Claims: a.claims, First: dayString(a.first), Last: dayString(a.last)}
		p.Targets = sc.positionTargets(a, info)
		var pr posRefs
		for _, r := range a.best {
			pr.evidence = append(pr.evidence, ref(r))
		}
		d.Positions = append(d.Positions, p)
		refs = append(refs, pr)
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

// timeline builds the periods, series, shifts and disagreements from the
// timeline cells (the claims with a date and a known kind) into d.
func (d *draft) timeline(sc *scanned, q Query, ref func(row) claimRef) {
	if sc.minPeriod != noDay {
		for p := sc.minPeriod; p <= sc.maxPeriod; p = nextPeriod(q.By, p) {
			d.Periods = append(d.Periods, periodLabel(q.By, p))
		}
	}
	// The cells by (party, topic), period and kind, as numbers: the cells
	// stay where they are.
	order := make([]int32, sc.ncells)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := sc.cell(int(i)), sc.cell(int(j))
		return cmp.Or(cmp.Compare(a.pt, b.pt), cmp.Compare(a.period, b.period), cmp.Compare(a.k, b.k))
	})
	cell := func(i int) *cellAgg { return sc.cell(int(order[i])) }

	type kindGroup struct {
		tally    Tally
		earliest row
		present  bool
		outlets  []int32 // sorted
		best     row     // the best claim with an outlet
	}
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
	for i := 0; i < len(order); {
		pt := cell(i).pt
		s := Series{Party: sc.pts[pt][0], Topic: sc.pts[pt][1]}
		prevDom, prevPeriod := "", ""
		for i < len(order) && cell(i).pt == pt {
			period := cell(i).period
			var groups [3]kindGroup
			for ; i < len(order) && cell(i).pt == pt && cell(i).period == period; i++ {
				c := cell(i)
				groups[c.k] = kindGroup{tally: Tally{Claims: int(c.claims), Sources: int(c.sources)}, earliest: c.earliest, present: true, outlets: c.outlets, best: c.best}
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
						ob := groups[b].outlets
						j := 0
						for _, o := range groups[a].outlets {
							for j < len(ob) && ob[j] < o {
								j++
							}
							if j == len(ob) || ob[j] != o {
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
					for _, o := range groups[k].outlets {
						side.Outlets = append(side.Outlets, sc.outlets[o])
					}
					sort.Strings(side.Outlets)
					// The best claim of the best outlet's: the best claim
					// with an outlet (the side has one, or it is not a side).
					rs := []claimRef{ref(groups[k].best)}
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
				c, found, err := snap.CitationAt(id, r.r.ref)
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

// positionTargets returns the parties that the claims of one position (a,
// info) address, other than its own party, by party id: the independent
// sources of the claims addressing each and the best of them.
func (sc *scanned) positionTargets(a *posAgg, info ptkInfo) []Target {
	if len(a.targets) == 0 {
		return nil
	}
	out := make([]Target, 0, len(a.targets))
	for _, ta := range a.targets {
		out = append(out, Target{Party: sc.targets[ta.target], Sources: ta.sources,
			ClaimID: index.ClaimID(sc.docs[ta.best.doc], int(ta.best.start), info.party, info.kind)})
	}
	slices.SortFunc(out, func(a, b Target) int { return strings.Compare(a.Party, b.Party) })
	return out
}
