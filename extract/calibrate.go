package extract

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Claim model: the confidence table. Platt scaling (CalA, CalB) orders
// and thresholds the candidates; a claim's confidence is then read from a
// monotone table, fitted by isotonic regression on the claims
// that models trained as the shipped one is took in articles they never
// saw, so that a confidence is the precision measured for such claims,
// whatever the shape of the curve.

// CalPoint is one knot of a confidence table: claims whose Platt
// probability is P were right with measured precision C.
type CalPoint struct {
	P float64 `json:"p"`
	C float64 `json:"c"`
}

// minBlock is how many claims a knot of the confidence table pools: a
// precision measured on fewer is too noisy to be a confidence.
const minBlock = 25

// fitIsotonic fits the non-decreasing step function of x that is closest
// to y in squared error (pool adjacent violators), then pools adjacent
// steps until each holds at least minN points, and returns one knot per
// step: the mean x and mean y of its points. Pooling adjacent steps of a
// non-decreasing sequence keeps it non-decreasing.
func fitIsotonic(x, y []float64, minN int) []CalPoint {
	if len(x) == 0 {
		return nil
	}
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	// Ties are ordered by y, so that equal scores pool into one step.
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(x[a], x[b]), cmp.Compare(y[a], y[b]))
	})
	type block struct{ sx, sy, n float64 }
	var bs []block
	for _, i := range order {
		bs = append(bs, block{x[i], y[i], 1})
		for len(bs) > 1 {
			a, b := bs[len(bs)-2], bs[len(bs)-1]
			if a.sy/a.n < b.sy/b.n && a.sx/a.n < b.sx/b.n {
				break
			}
			bs = append(bs[:len(bs)-2], block{a.sx + b.sx, a.sy + b.sy, a.n + b.n})
		}
	}
	// Pool the smallest step with its smaller neighbour until every step
	// is large enough (or one is left).
	for len(bs) > 1 {
		k := 0
		for i := range bs {
			if bs[i].n < bs[k].n {
				k = i
			}
		}
		if bs[k].n >= float64(minN) {
			break
		}
		j := k + 1
		if k == len(bs)-1 || (k > 0 && bs[k-1].n < bs[k+1].n) {
			j = k - 1
		}
		lo, hi := min(j, k), max(j, k)
		bs[lo] = block{bs[lo].sx + bs[hi].sx, bs[lo].sy + bs[hi].sy, bs[lo].n + bs[hi].n}
		bs = slices.Delete(bs, hi, hi+1)
	}
	out := make([]CalPoint, len(bs))
	for i, b := range bs {
		out[i] = CalPoint{P: round4(b.sx / b.n), C: round4(b.sy / b.n)}
	}
	return out
}

// tableConfidence reads the confidence of Platt probability p from the
// table: linear between knots, flat beyond the first and the last. With
// no table the confidence is p itself.
func tableConfidence(t []CalPoint, p float64) float64 {
	if len(t) == 0 {
		return p
	}
	if p <= t[0].P {
		return t[0].C
	}
	for i := 1; i < len(t); i++ {
		if p <= t[i].P {
			a, b := t[i-1], t[i]
			return a.C + (b.C-a.C)*(p-a.P)/(b.P-a.P)
		}
	}
	return t[len(t)-1].C
}

// ensembleScores returns each example's score by the mean of the models
// that never saw its document, trained the way the shipped model is: the
// shipped weights are the mean of the k fold models, which scores an
// unseen article more surely than any one of them, so the scores a
// calibration is fitted on come from such means. For each pair of folds
// (f, g) a model is fitted without both; an example of fold f is scored
// by the mean of the k-1 models fitted without f.
func ensembleScores(ex []example, fold []int, k, dim int, o TrainOptions) []float64 {
	z := make([]float64, len(ex))
	for f := range k {
		for g := f + 1; g < k; g++ {
			var train []example
			for _, e := range ex {
				if fd := fold[e.doc]; fd != f && fd != g {
					train = append(train, e)
				}
			}
			w := fitLR(train, dim, o)
			for i, e := range ex {
				if fd := fold[e.doc]; fd == f || fd == g {
					z[i] += score(w, e.x) / float64(k-1)
				}
			}
		}
	}
	return z
}

// confidenceTable fits the confidence table on the claims taken at
// thresholds t and second when each example is scored ze (ensembleScores)
// and calibrated σ(a·z + b). It returns the table with the taken claims'
// confidences by it and whether each was right. (Tables per kind, fitted
// on a third of the claims each, and steps pooled further where they are
// less than one or two standard errors apart, were measured no closer
// out of fold.)
func confidenceTable(ze, y []float64, sent []int, a, b, t, second float64) ([]CalPoint, []float64, []bool) {
	conf := make([]float64, len(ze))
	for i, z := range ze {
		conf[i] = sigmoid(a*z + b)
	}
	taken := decode(conf, sent, t, second)
	p, r := make([]float64, len(taken)), make([]float64, len(taken))
	for n, i := range taken {
		p[n], r[n] = conf[i], y[i]
	}
	table := fitIsotonic(p, r, minBlock)
	pc := make([]float64, len(taken))
	pr := make([]bool, len(taken))
	for n := range taken {
		pc[n], pr[n] = tableConfidence(table, p[n]), r[n] > 0
	}
	return table, pc, pr
}

// wilsonLower is the lower end of the Wilson score interval of a
// proportion of right out of n at z standard errors: the precision the
// claims can be trusted to reach, however few they are.
func wilsonLower(right, n int, z float64) float64 {
	if n == 0 {
		return 0
	}
	p, nf := float64(right)/float64(n), float64(n)
	c := p + z*z/(2*nf)
	d := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return (c - d) / (1 + z*z/nf)
}

// checkTable reports whether a model file's confidence table is usable:
// none in the format before tables, else knots of increasing P and
// non-decreasing C, all in [0, 1].
func checkTable(format string, t []CalPoint) error {
	if format == modelFormat1 {
		if len(t) > 0 {
			return fmt.Errorf("format %q has no confidence table: make the model again with redline train", format)
		}
		return nil
	}
	if len(t) == 0 {
		return fmt.Errorf("no confidence table")
	}
	for i, k := range t {
		if !(k.P >= 0 && k.P <= 1 && k.C >= 0 && k.C <= 1) {
			return fmt.Errorf("confidence table knot %d (%v, %v) is not in [0, 1]", i+1, k.P, k.C)
		}
		if i > 0 && !(k.P > t[i-1].P && k.C >= t[i-1].C) {
			return fmt.Errorf("confidence table knot %d (%v, %v) does not follow knot %d (%v, %v) upwards", i+1, k.P, k.C, i, t[i-1].P, t[i-1].C)
		}
	}
	return nil
}
