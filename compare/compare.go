// Package compare finds who wants what, according to how many independent
// sources, and how it moved: the positions of the parties on each topic, a
// verdict per topic and pair of parties read from what the positions say,
// timelines with their shifts, and disagreements between outlets.
//
// It is its own package because this is analysis, not storage: package index
// stores and searches claims, and offers a visit of the matching claims' doc
// values (index.Snapshot.VisitClaims) that this package aggregates. Reading
// doc values, not stored JSON, keeps a comparison over a million claims in
// seconds; only the claims a report cites are loaded. Run is the entry point.
package compare

import (
	"context"
	"fmt"
	"time"

	"redline/claim"
	"redline/index"
)

// Periods of a timeline (Query.By).
const (
	ByMonth   = "month"
	ByWeek    = "week"
	ByQuarter = "quarter"
)

// Kinds in the order every report lists them.
var Kinds = []string{claim.Demand, claim.RedLine, claim.Offer}

// ErrQuery: the query cannot be run (a bad period, or an error of
// index.ErrQuery). Test with errors.Is.
var ErrQuery = index.ErrQuery

// Query selects the claims Run aggregates and how. The zero value compares
// every claim by month.
type Query struct {
	// Party and Topic restrict the claims (any of the values; empty =
	// all). A claim with several topics counts under each selected one.
	Party, Topic []string
	// Speaker and Target restrict the claims to those speakers and target
	// parties (exact values, any of them; empty = all), as index.Query does.
	Speaker, Target []string
	// Since and Until bound the published date, both inclusive; claims
	// without a date are left out when either is set.
	Since, Until time.Time
	// MinConfidence leaves out the claims whose confidence is below it
	// (in [0, 1]; 0 = no bound), as index.Query.MinConfidence does.
	MinConfidence float64
	// By is the timeline period: ByMonth (default), ByWeek (ISO weeks) or
	// ByQuarter.
	By string
	// Evidence is the most sentences a position cites (default 3).
	Evidence int
	// MinSources is the fewest independent sources (distinct
	// near-duplicate clusters) each side of a verdict needs (default 2):
	// a standoff, movement or convergence resting on fewer on either side
	// is reported as VerdictThin. 1 trusts a single story.
	MinSources int
}

// DefaultMinSources is Query.MinSources when zero.
const DefaultMinSources = 2

// Run compares the claims q selects in one snapshot of ix: positions, the
// convergence map with a verdict per topic and pair of parties, timelines,
// shifts and disagreements. Its time grows with the number of matching
// claims; its memory with the articles and clusters they come from and the
// cells of the timeline (party, topic, period and kind), not with a row per
// claim: each claim is folded into the aggregates as the index hands it
// over. It may run concurrently with ix.Write.
func Run(ctx context.Context, ix *index.Index, q Query) (*Comparison, error) {
	return run(ctx, ix, q, 0)
}

// run is Run with the fewest matches per scanning goroutine (0 = the
// index's default), which the tests lower to scan small indexes in parts.
func run(ctx context.Context, ix *index.Index, q Query, perRun int) (*Comparison, error) {
	start := time.Now()
	switch q.By {
	case "":
		q.By = ByMonth
	case ByMonth, ByWeek, ByQuarter:
	default:
		return nil, fmt.Errorf("%w: period %q: want month, week or quarter", ErrQuery, q.By)
	}
	if q.Evidence <= 0 {
		q.Evidence = 3
	}
	if q.MinSources <= 0 {
		q.MinSources = DefaultMinSources
	}
	snap, err := ix.Snapshot()
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	sc, err := scan(ctx, snap, q, perRun)
	if err != nil {
		return nil, err
	}
	d := sc.report(q)
	if err := d.resolve(ctx, snap, sc); err != nil {
		return nil, err
	}
	d.MinConfidence = q.MinConfidence
	// An empty list is [] in JSON, as positions always was, not null: a
	// reader iterating .shifts must not fail on a comparison without any.
	d.Periods = nonNil(d.Periods)
	d.Positions = nonNil(d.Positions)
	d.Map = nonNil(d.Map)
	d.Timeline = nonNil(d.Timeline)
	d.Shifts = nonNil(d.Shifts)
	d.Disagreements = nonNil(d.Disagreements)
	d.Took = time.Since(start)
	return &d.Comparison, nil
}

// nonNil returns s, or an empty slice for nil.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
