package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"redline/compare"
)

// Kind colours and marker shapes, told apart without colour too.
var (
	kindColor = map[string]color.Color{
		"demand":   color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // blue
		"red_line": color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // red
		"offer":    color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // green
	}
	kindShape = map[string]draw.GlyphDrawer{
		"demand":   draw.CircleGlyph{},
		"red_line": draw.BoxGlyph{},
		"offer":    draw.PyramidGlyph{},
	}
)

// maxPanels is the most timelines a plot draws: the series with the most
// claims.
const maxPanels = 8

// writePlot draws the convergence map (top) and the timelines of the
// series with the most claims (below, two a row) to path, as SVG or PNG by
// its extension.
func writePlot(path string, c *compare.Comparison, q compare.Query) error {
	const width = 30 * vg.Centimeter
	mapPlot := convergencePlot(c, q)
	mapH := vg.Length(max(10, 6+0.75*float64(len(c.Map)))) * vg.Centimeter

	series := slices.Clone(c.Timeline)
	slices.SortStableFunc(series, func(a, b compare.Series) int { return b.Claims - a.Claims })
	series = series[:min(len(series), maxPanels)]
	const cols = 2
	rows := (len(series) + cols - 1) / cols
	rowH := 8 * vg.Centimeter
	height := mapH + vg.Length(rows)*rowH

	var cv interface {
		vg.CanvasWriterTo
	}
	var dc draw.Canvas
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(120))
		cv = vgimg.PngCanvas{Canvas: img}
		dc = draw.New(img)
	default:
		svg := vgsvg.New(width, height)
		// A white page: transparent SVGs are unreadable on dark viewers.
		svg.SetColor(color.White)
		svg.Fill(vg.Path{{Type: vg.MoveComp, Pos: vg.Point{}}, {Type: vg.LineComp, Pos: vg.Point{X: width}},
			{Type: vg.LineComp, Pos: vg.Point{X: width, Y: height}}, {Type: vg.LineComp, Pos: vg.Point{Y: height}}, {Type: vg.CloseComp}})
		cv = svg
		dc = draw.New(svg)
	}

	top := draw.Crop(dc, 0, 0, height-mapH, 0)
	mapPlot.Draw(draw.Crop(top, vg.Centimeter/2, -vg.Centimeter/2, vg.Centimeter/4, -vg.Centimeter/4))
	if rows > 0 {
		plots := make([][]*plot.Plot, rows)
		for r := range plots {
			plots[r] = make([]*plot.Plot, cols)
		}
		for i, s := range series {
			p, err := timelinePlot(c, s)
			if err != nil {
				return err
			}
			plots[i/cols][i%cols] = p
		}
		bottom := draw.Crop(dc, 0, 0, 0, -mapH)
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Centimeter, PadY: vg.Centimeter,
			PadTop: vg.Centimeter / 2, PadBottom: vg.Centimeter / 2, PadLeft: vg.Centimeter / 2, PadRight: vg.Centimeter / 2}
		canvases := plot.Align(plots, tiles, bottom)
		for r := range plots {
			for col, p := range plots[r] {
				if p != nil {
					p.Draw(canvases[r][col])
				}
			}
		}
	}
	return writeFileAtomic(path, func(w io.Writer) error {
		_, err := cv.WriteTo(w)
		return err
	})
}

// convergencePlot draws every position as a marker at (party, topic): its
// shape and colour the kind, its area the independent sources; each topic's
// label carries its verdict.
func convergencePlot(c *compare.Comparison, q compare.Query) *plot.Plot {
	p := plot.New()
	p.Title.Text = "Convergence map: each party's positions by topic (marker area = independent sources)"
	if c.Claims == 0 {
		p.Title.Text = "No claims match"
		return p
	}
	p.Title.Padding = vg.Centimeter / 3
	var parties []string
	for _, tm := range c.Map {
		for _, st := range tm.Stances {
			if !slices.Contains(parties, st.Party) {
				parties = append(parties, st.Party)
			}
		}
	}
	slices.Sort(parties)
	// Topics top-down in alphabetical order: the first at the highest y.
	topics := make([]string, len(c.Map))
	for i, tm := range c.Map {
		topics[len(topics)-1-i] = fmt.Sprintf("%s — %s", tm.Topic, tm.Verdict)
	}
	p.X.Label.Text = "party"
	p.Y.Label.Text = "topic — verdict"
	maxSources := 1
	for _, pos := range c.Positions {
		maxSources = max(maxSources, pos.Sources)
	}
	offset := map[string]float64{"demand": -0.22, "red_line": 0, "offer": 0.22}
	for _, kind := range compare.Kinds {
		var xys plotter.XYs
		var radius []vg.Length
		for ti, tm := range c.Map {
			for _, st := range tm.Stances {
				for _, k := range st.Kinds {
					if k.Kind != kind {
						continue
					}
					xys = append(xys, plotter.XY{X: float64(slices.Index(parties, st.Party)) + offset[kind], Y: float64(len(c.Map) - 1 - ti)})
					radius = append(radius, vg.Points(2.5+7*math.Sqrt(float64(k.Sources)/float64(maxSources))))
				}
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			continue
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: kindColor[kind], Shape: kindShape[kind], Radius: vg.Points(4)}
		sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			return draw.GlyphStyle{Color: kindColor[kind], Shape: kindShape[kind], Radius: radius[i]}
		}
		p.Add(sc)
		p.Legend.Add(kind, sc)
	}
	p.NominalX(parties...)
	p.NominalY(topics...)
	// A free band at the top for the legend.
	p.X.Min, p.X.Max = -0.6, float64(len(parties))-0.4
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YTop
	p.Y.Min, p.Y.Max = -0.6, float64(len(topics))+1.6
	p.Add(plotter.NewGrid())
	p.Legend.Top = true
	p.Legend.XOffs = -vg.Centimeter / 4
	return p
}

// timelinePlot draws one party's kinds on one topic per period: a line per
// kind of independent sources, shifts marked by a dashed vertical line.
func timelinePlot(c *compare.Comparison, s compare.Series) (*plot.Plot, error) {
	p := plot.New()
	title := fmt.Sprintf("%s · %s", s.Party, s.Topic)
	var shifts []compare.Shift
	for _, sh := range c.Shifts {
		if sh.Party == s.Party && sh.Topic == s.Topic {
			shifts = append(shifts, sh)
		}
	}
	if len(shifts) > 0 {
		last := shifts[len(shifts)-1]
		title += fmt.Sprintf(" — %s, last: %s → %s in %s", plural(len(shifts), "shift", "shifts"), last.From, last.To, last.Period)
	}
	p.Title.Text = title
	p.X.Label.Text = c.By
	p.Y.Label.Text = "independent sources"
	at := map[string]int{}
	for i, per := range c.Periods {
		at[per] = i
	}
	first, last := at[s.Points[0].Period], at[s.Points[len(s.Points)-1].Period]
	ymax := 1.0
	for _, kind := range compare.Kinds {
		vals := make([]float64, last-first+1)
		any := false
		for _, pt := range s.Points {
			t := pt.Tally(kind)
			vals[at[pt.Period]-first] = float64(t.Sources)
			any = any || t.Claims > 0
			ymax = max(ymax, float64(t.Sources))
		}
		if !any {
			continue
		}
		xys := make(plotter.XYs, len(vals))
		for i, v := range vals {
			xys[i] = plotter.XY{X: float64(first + i), Y: v}
		}
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, err
		}
		l.Color = kindColor[kind]
		l.Width = vg.Points(1.5)
		pts.Color = kindColor[kind]
		pts.Shape = kindShape[kind]
		pts.Radius = vg.Points(2.5)
		p.Add(l, pts)
		p.Legend.Add(kind, l, pts)
	}
	for _, sh := range shifts {
		x := float64(at[sh.Period])
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: ymax}})
		if err != nil {
			return nil, err
		}
		l.Color = color.Gray{Y: 0x80}
		l.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
		p.Add(l)
	}
	if len(shifts) > 0 {
		p.Legend.Add("shift of the dominant kind", func() plot.Thumbnailer {
			l, _ := plotter.NewLine(plotter.XYs{{}, {}})
			l.Color = color.Gray{Y: 0x80}
			l.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
			return l
		}())
	}
	// Period labels: about six, evenly spaced, at whole periods.
	step := max(1, (last-first+1+5)/6)
	var ticks []plot.Tick
	for i := first; i <= last; i++ {
		label := ""
		if (i-first)%step == 0 {
			label = c.Periods[i]
		}
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: label})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = float64(first)-0.5, float64(last)+0.5
	p.Y.Min, p.Y.Max = 0, ymax*1.7+1 // a band at the top for the legend
	p.Y.Tick.Marker = countTicks{}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Centimeter / 4
	p.Add(plotter.NewGrid())
	return p, nil
}

// countTicks marks whole numbers only: the axis counts sources.
type countTicks struct{}

// Ticks returns about five whole-number ticks between lo and hi.
func (countTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Max(1, math.Ceil((hi-lo)/5))
	var ts []plot.Tick
	for v := math.Ceil(lo); v <= hi; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
	}
	return ts
}
