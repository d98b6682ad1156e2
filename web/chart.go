package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The timeline chart is drawn here as SVG inside the page: elements and
// presentation attributes only, coloured by classes of the stylesheet, so
// it needs no script and nothing the Content-Security-Policy forbids, and
// it scales with the page (viewBox). redline compare --plot draws with
// gonum/plot instead, whose SVG is fixed-size and styled inline.

// chartLine is one kind's value per period.
type chartLine struct {
	Kind   string
	Values map[string]int // by period; missing = 0
}

// chart is a drawn line chart, ready for the template.
type chart struct {
	Title         string
	Width, Height int
	Left, Bottom  int // plot area edges
	Right, Top    int
	Lines         []drawnLine
	XTicks        []tick
	YTicks        []tick
}

type drawnLine struct {
	Kind   string
	Points string // "x,y x,y ..."
	Dots   []dot
}

type dot struct {
	X, Y  float64
	Title string
}

type tick struct {
	Pos   float64
	Label string
}

// timelineChart draws lines over periods (the x axis, in order): the
// independent sources of each kind per period.
func timelineChart(title string, periods []string, lines []chartLine) *chart {
	// The plot keeps 40 px on the right for half the last period's label,
	// which is centred on its edge ("2025-W12" is about 60 px wide).
	c := &chart{Title: title, Width: 720, Height: 280, Left: 44, Right: 680, Top: 16, Bottom: 240}
	if len(periods) == 0 {
		return c
	}
	top := 1
	for _, l := range lines {
		for _, v := range l.Values {
			top = max(top, v)
		}
	}
	step := niceStep(top)
	top = (top + step - 1) / step * step
	x := func(i int) float64 {
		if len(periods) == 1 {
			return float64(c.Left+c.Right) / 2
		}
		return float64(c.Left) + float64(i)*float64(c.Right-c.Left)/float64(len(periods)-1)
	}
	y := func(v int) float64 {
		return float64(c.Bottom) - float64(v)*float64(c.Bottom-c.Top)/float64(top)
	}
	for v := 0; v <= top; v += step {
		c.YTicks = append(c.YTicks, tick{Pos: y(v), Label: strconv.Itoa(v)})
	}
	every := max(1, (len(periods)+7)/8) // at most about eight labels
	for i, p := range periods {
		if i%every == 0 || i == len(periods)-1 && len(periods) <= 8 {
			c.XTicks = append(c.XTicks, tick{Pos: x(i), Label: p})
		}
	}
	for _, l := range lines {
		if !slices.ContainsFunc(periods, func(p string) bool { return l.Values[p] > 0 }) {
			continue // a kind never reported: no flat line over the axis
		}
		dl := drawnLine{Kind: l.Kind}
		var pts []string
		for i, p := range periods {
			v := l.Values[p]
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
			if v > 0 {
				dl.Dots = append(dl.Dots, dot{X: x(i), Y: y(v), Title: fmt.Sprintf("%s, %s: %d %s", p, strings.ReplaceAll(l.Kind, "_", " "), v, plural(v, "source", "sources"))})
			}
		}
		dl.Points = strings.Join(pts, " ")
		c.Lines = append(c.Lines, dl)
	}
	return c
}

// niceStep is a step of 1, 2 or 5 times a power of ten that divides
// [0, top] into at most five intervals.
func niceStep(top int) int {
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			if top <= 5*m*mag {
				return m * mag
			}
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
