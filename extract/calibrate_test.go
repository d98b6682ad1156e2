package extract

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestFitIsotonic(t *testing.T) {
	for _, tt := range []struct {
		name string
		x, y []float64
		minN int
		want []CalPoint
	}{
		{"empty", nil, nil, 1, nil},
		{"monotone kept", []float64{0.1, 0.2, 0.3}, []float64{0, 0.5, 1}, 1,
			[]CalPoint{{0.1, 0}, {0.2, 0.5}, {0.3, 1}}},
		{"order of the input does not matter", []float64{0.3, 0.1, 0.2}, []float64{1, 0, 0.5}, 1,
			[]CalPoint{{0.1, 0}, {0.2, 0.5}, {0.3, 1}}},
		// 0.2 right and 0.3 wrong violate the order: pooled at their means.
		{"violators pooled", []float64{0.1, 0.2, 0.3, 0.4}, []float64{0, 1, 0, 1}, 1,
			[]CalPoint{{0.1, 0}, {0.25, 0.5}, {0.4, 1}}},
		// A violation further down pools back through earlier steps.
		{"pooled backwards", []float64{0.1, 0.2, 0.3, 0.4}, []float64{0, 1, 1, 0}, 1,
			[]CalPoint{{0.1, 0}, {0.3, 0.6667}}},
		{"equal scores are one step", []float64{0.2, 0.2, 0.5}, []float64{1, 0, 1}, 1,
			[]CalPoint{{0.2, 0.5}, {0.5, 1}}},
		{"a flat run is one step", []float64{0.1, 0.2, 0.3}, []float64{1, 1, 1}, 1,
			[]CalPoint{{0.2, 1}}},
		// Steps of 1, 2 and 1 points, at least 2 wanted: the last joins
		// its only neighbour, then the first joins the smaller one left.
		{"small steps pooled", []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, []float64{0, 0, 1, 0, 1, 1}, 2,
			[]CalPoint{{0.15, 0}, {0.35, 0.5}, {0.55, 1}}},
		{"everything pooled when too few", []float64{0.1, 0.9}, []float64{0, 1}, 5,
			[]CalPoint{{0.5, 0.5}}},
	} {
		got := fitIsotonic(tt.x, tt.y, tt.minN)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: fitIsotonic = %v, want %v", tt.name, got, tt.want)
		}
		if err := checkTable(ModelFormat, got); err != nil && got != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestFitIsotonicMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	var x, y []float64
	for range 2000 {
		p := rng.Float64()
		x = append(x, p)
		y = append(y, map[bool]float64{true: 1}[rng.Float64() < p])
	}
	tab := fitIsotonic(x, y, 25)
	if err := checkTable(ModelFormat, tab); err != nil {
		t.Fatal(err)
	}
	if len(tab) < 5 {
		t.Errorf("%d knots from 2000 points of a rising curve: %v", len(tab), tab)
	}
	// Blocks of at least 25 points: at most 2000/25 knots.
	if len(tab) > 80 {
		t.Errorf("%d knots, more than the blocks of 25 allow", len(tab))
	}
}

func TestTableConfidence(t *testing.T) {
	tab := []CalPoint{{0.2, 0.1}, {0.4, 0.5}, {0.8, 0.7}}
	for _, tt := range []struct {
		p, want float64
	}{
		{0, 0.1}, {0.2, 0.1}, {0.3, 0.3}, {0.4, 0.5}, {0.6, 0.6}, {0.8, 0.7}, {1, 0.7},
	} {
		if got := tableConfidence(tab, tt.p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("tableConfidence(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := tableConfidence(nil, 0.37); got != 0.37 {
		t.Errorf("no table: confidence %v, want the probability 0.37", got)
	}
}

func TestCheckTable(t *testing.T) {
	for _, tt := range []struct {
		name, format string
		table        []CalPoint
		err          string
	}{
		{"valid", ModelFormat, []CalPoint{{0.2, 0.1}, {0.5, 0.5}}, ""},
		{"flat", ModelFormat, []CalPoint{{0.2, 0.5}, {0.5, 0.5}}, ""},
		{"format 1 without a table", modelFormat1, nil, ""},
		{"format 1 with a table", modelFormat1, []CalPoint{{0.2, 0.1}}, "has no confidence table"},
		{"missing", ModelFormat, nil, "no confidence table"},
		{"falling", ModelFormat, []CalPoint{{0.2, 0.5}, {0.5, 0.4}}, "does not follow knot 1"},
		{"P not increasing", ModelFormat, []CalPoint{{0.5, 0.1}, {0.5, 0.4}}, "does not follow knot 1"},
		{"out of range", ModelFormat, []CalPoint{{0.2, 1.5}}, "not in [0, 1]"},
		{"NaN", ModelFormat, []CalPoint{{math.NaN(), 0.5}}, "not in [0, 1]"},
	} {
		err := checkTable(tt.format, tt.table)
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: checkTable = %v, want an error containing %q", tt.name, err, tt.err)
		}
	}
}

func TestWilsonLower(t *testing.T) {
	for _, tt := range []struct {
		right, n int
		z, want  float64
	}{
		{0, 0, 1, 0},
		{8, 10, 1, 0.6491},
		{80, 100, 1, 0.7571},
		{10, 10, 1, 0.9091},
		{0, 10, 1, 0},
		{80, 100, 0, 0.8},
	} {
		if got := wilsonLower(tt.right, tt.n, tt.z); math.Abs(got-tt.want) > 1e-4 {
			t.Errorf("wilsonLower(%d, %d, %v) = %.4f, want %.4f", tt.right, tt.n, tt.z, got, tt.want)
		}
	}
}

// syntheticClaims draws n candidates, one a sentence, with a score z,
// right with the probability truth gives for their calibrated probability
// σ(z): a curve no sigmoid of z follows.
func syntheticClaims(rng *rand.Rand, n int, truth func(p float64) float64) (z, y []float64, sent []int) {
	z, y, sent = make([]float64, n), make([]float64, n), make([]int, n)
	for i := range n {
		z[i] = rng.Float64()*6 - 3
		sent[i] = i
		if rng.Float64() < truth(sigmoid(z[i])) {
			y[i] = 1
		}
	}
	return z, y, sent
}

// plateau is a precision curve like the claim model's: rising with the
// score, then flat at 0.7.
func plateau(p float64) float64 { return min(0.7, 0.1+p) }

func TestConfidenceTableCalibrated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	z, y, sent := syntheticClaims(rng, 6000, plateau)
	table, pc, pr := confidenceTable(z, y, sent, 1, 0, 0.1, 1)
	if len(pc) != len(pr) || len(pc) == 0 {
		t.Fatalf("confidenceTable: %d confidences, %d outcomes", len(pc), len(pr))
	}
	if err := checkTable(ModelFormat, table); err != nil {
		t.Fatal(err)
	}
	// Fresh claims from the same curve: each band's precision is its
	// confidence, within 0.1; the probability itself misses by more.
	z, y, _ = syntheticClaims(rng, 6000, plateau)
	var conf, raw []float64
	var right []bool
	for i := range z {
		p := sigmoid(z[i])
		if p < 0.1 {
			continue
		}
		conf = append(conf, tableConfidence(table, p))
		raw = append(raw, p)
		right = append(right, y[i] > 0)
	}
	if d, b := worstBand(conf, right); d > 0.1 {
		t.Errorf("band [%.1f,%.1f): %d claims right %.3f, off its mean confidence by %.3f", b.Min, b.Max, b.Predicted, b.Precision, d)
	}
	if d, _ := worstBand(raw, right); d <= 0.1 {
		t.Errorf("the probability alone is off by %.3f at worst: the curve does not test the table", d)
	}
	if top := tableConfidence(table, 0.99); math.Abs(top-0.7) > 0.1 {
		t.Errorf("the table tops at %.3f, want about 0.7", top)
	}
}

// worstBand returns how far the precision of a band of at least 100
// claims lies from their mean confidence at most, and the band.
func worstBand(conf []float64, right []bool) (float64, CalibrationBand) {
	w, wb := 0.0, CalibrationBand{}
	for _, b := range Calibration(conf, right) {
		if b.Predicted < 100 {
			continue
		}
		sum := 0.0
		for _, c := range conf {
			if c >= b.Min && (c < b.Max || b.Max == 1) {
				sum += c
			}
		}
		if d := math.Abs(b.Precision - sum/float64(b.Predicted)); d > w {
			w, wb = d, b
		}
	}
	return w, wb
}
