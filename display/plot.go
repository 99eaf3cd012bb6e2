package display

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// The size plots are drawn at, in points (1/72 inch), and the PNG
// resolution: 96 dpi is the browser's CSS pixel, so the PNG and the SVG
// show at the same size.
const (
	plotWidth  = 6 * vg.Inch
	plotHeight = 4 * vg.Inch
	pngDPI     = 96
)

// MaxPoints is the most points a series of the package's own charts
// (LiveChart, Line) keeps: longer series are thinned, keeping each
// stretch's minimum and maximum so that spikes stay visible.
const MaxPoints = 2000

// Plot shows a gonum plot as SVG and PNG.
func Plot(p *plot.Plot) { Show(PlotBundle(p)) }

// PlotBundle returns p drawn at 6x4 inches as image/svg+xml and image/png,
// with text/plain naming its title. It never carries text/html, which
// front ends would prefer to the image.
func PlotBundle(p *plot.Plot) output.Bundle {
	return canvasBundle(plotWidth, plotHeight, "<Plot"+titleSuffix(p.Title.Text)+">", p.Draw)
}

func titleSuffix(title string) string {
	if title == "" {
		return ""
	}
	return fmt.Sprintf(" %q", title)
}

// canvasBundle draws with draw on an SVG and a PNG canvas of w x h.
func canvasBundle(w, h vg.Length, text string, drawOn func(draw.Canvas)) output.Bundle {
	svg, png := drawSVG(w, h, drawOn), drawPNG(w, h, drawOn)
	return output.Bundle{
		Data: map[string]any{
			"image/svg+xml": svg,
			"image/png":     base64.StdEncoding.EncodeToString(png),
			"text/plain":    text,
		},
		Metadata: map[string]any{},
	}
}

func drawSVG(w, h vg.Length, drawOn func(draw.Canvas)) string {
	c := vgsvg.New(w, h)
	drawOn(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		panic(fmt.Errorf("display: svg: %w", err)) // a bytes.Buffer does not fail
	}
	// vgsvg gives images SVG's default aspect ratio rule, which letterboxes
	// a heatmap or a colour bar into a thin strip, and browsers smooth
	// them: stretch them to their rectangle, with sharp cells.
	return strings.ReplaceAll(buf.String(), "<image ", `<image preserveAspectRatio="none" style="image-rendering:pixelated" `)
}

func drawPNG(w, h vg.Length, drawOn func(draw.Canvas)) []byte {
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(pngDPI))
	drawOn(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		panic(fmt.Errorf("display: png: %w", err))
	}
	return buf.Bytes()
}

// Thin returns xys with at most about max points: each of max/2 equal
// stretches keeps its lowest and highest point, in order. xys itself is
// returned when it is short enough.
func Thin(xys plotter.XYs, max int) plotter.XYs {
	if max < 2 || len(xys) <= max {
		return xys
	}
	buckets := max / 2
	out := make(plotter.XYs, 0, 2*buckets)
	for k := range buckets {
		lo, hi := k*len(xys)/buckets, (k+1)*len(xys)/buckets
		if lo == hi {
			continue
		}
		imin, imax := lo, lo
		for i := lo + 1; i < hi; i++ {
			if xys[i].Y < xys[imin].Y {
				imin = i
			}
			if xys[i].Y > xys[imax].Y {
				imax = i
			}
		}
		if imin > imax {
			imin, imax = imax, imin
		}
		out = append(out, xys[imin])
		if imax != imin {
			out = append(out, xys[imax])
		}
	}
	return out
}

// Line shows y against its index (0, 1, 2, ...) as a line chart, thinned
// to MaxPoints; y is any tensor, flattened.
func Line(title string, y *tensor.Tensor) { Show(LineBundle(title, y)) }

// LineBundle returns Line's bundle.
func LineBundle(title string, y *tensor.Tensor) output.Bundle {
	vals := y.Float64s()
	xys := make(plotter.XYs, len(vals))
	for i, v := range vals {
		xys[i] = plotter.XY{X: float64(i), Y: v}
	}
	p := plot.New()
	p.Title.Text = title
	p.Add(plotter.NewGrid())
	l, err := plotter.NewLine(Thin(finite(xys), MaxPoints))
	if err != nil {
		panic(fmt.Errorf("display: line: %w", err))
	}
	p.Add(l)
	return PlotBundle(p)
}

// finite drops points with a NaN or infinite coordinate, which gonum's
// plotters refuse.
func finite(xys plotter.XYs) plotter.XYs {
	out := xys[:0:0]
	for _, p := range xys {
		if !math.IsNaN(p.X) && !math.IsNaN(p.Y) && !math.IsInf(p.X, 0) && !math.IsInf(p.Y, 0) {
			out = append(out, p)
		}
	}
	return out
}

// Histogram shows the distribution of t's values (weights, activations,
// gradients) in 50 bins.
func Histogram(t *tensor.Tensor) { Show(HistogramBundle(t, 50)) }

// HistogramBundle returns the histogram of t's values in bins bins, with
// the count, mean and standard deviation in the title.
func HistogramBundle(t *tensor.Tensor, bins int) output.Bundle {
	vals := plotter.Values{}
	for _, v := range t.Float64s() {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			vals = append(vals, v)
		}
	}
	p := plot.New()
	p.Y.Label.Text = "count"
	if len(vals) == 0 {
		p.Title.Text = "histogram: no finite values"
		return PlotBundle(p)
	}
	mean, sd := meanStd(vals)
	p.Title.Text = fmt.Sprintf("n=%d  mean=%.4g  std=%.4g", len(vals), mean, sd)
	h, err := plotter.NewHist(vals, max(bins, 1))
	if err != nil {
		panic(fmt.Errorf("display: histogram: %w", err))
	}
	h.FillColor = color.RGBA{R: 0x4c, G: 0x72, B: 0xb0, A: 0xff}
	h.LineStyle.Color = color.White
	p.Add(h)
	return PlotBundle(p)
}

func meanStd(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)))
}

// Heatmap shows a matrix (filters, attention maps, confusion matrices) as
// an image with a colour bar. t must have two dimensions, or more with
// leading dimensions of size 1; it panics otherwise.
func Heatmap(t *tensor.Tensor) { Show(HeatmapBundle(t)) }

// HeatmapBundle returns Heatmap's bundle: row 0 at the top, one pixel block
// per element, colours from Kindlmann's perceptual map (a diverging
// blue-red one when the values have both signs).
func HeatmapBundle(t *tensor.Tensor) output.Bundle {
	shape := t.Shape()
	for len(shape) > 2 && shape[0] == 1 {
		shape = shape[1:]
	}
	if len(shape) == 1 {
		shape = []int{1, shape[0]}
	}
	if len(shape) != 2 || shape[0] == 0 || shape[1] == 0 {
		panic(fmt.Errorf("display: heatmap: shape (%s): want a non-empty matrix", joinInts(t.Shape())))
	}
	rows, cols := shape[0], shape[1]
	vals := t.Float64s()
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if lo > hi { // no finite value
		lo, hi = 0, 1
	}
	var cmap palette.ColorMap
	if lo < 0 && hi > 0 {
		m := math.Max(-lo, hi)
		lo, hi = -m, m
		cmap = moreland.SmoothBlueRed()
	} else {
		cmap = moreland.Kindlmann()
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	cmap.SetMin(lo)
	cmap.SetMax(hi)
	img := image.NewRGBA(image.Rect(0, 0, cols, rows))
	for r := range rows {
		for c := range cols {
			v := vals[r*cols+c]
			col, err := cmap.At(v)
			if err != nil { // NaN or infinite
				col = color.RGBA{R: 0xff, G: 0xe0, B: 0x66, A: 0xff}
			}
			img.Set(c, r, col)
		}
	}
	// Cells are enlarged by a whole factor so that PNG scaling, which
	// interpolates, keeps them sharp.
	if k := 400 / max(rows, cols); k > 1 {
		big := image.NewRGBA(image.Rect(0, 0, cols*k, rows*k))
		for y := range rows * k {
			for x := range cols * k {
				big.SetRGBA(x, y, img.RGBAAt(x/k, y/k))
			}
		}
		img = big
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%dx%d  min=%.4g  max=%.4g", rows, cols, lo, hi)
	// The image spans x in [0, cols] and y in [0, rows], row 0 at the top.
	p.Add(plotter.NewImage(img, 0, 0, float64(cols), float64(rows)))
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, float64(cols), 0, float64(rows)
	p.X.Tick.Marker = cellTicks{n: cols}
	p.Y.Tick.Marker = cellTicks{n: rows, flip: true}
	bar := plot.New()
	bar.HideX()
	bar.Y.Padding = 0
	bar.Add(&plotter.ColorBar{ColorMap: cmap, Vertical: true})
	const barWidth = 0.9 * vg.Inch
	text := fmt.Sprintf("<Heatmap %dx%d, values %.4g..%.4g>", rows, cols, lo, hi)
	return canvasBundle(plotWidth, plotHeight, text, func(c draw.Canvas) {
		p.Draw(draw.Crop(c, 0, -barWidth, 0, 0))
		bar.Draw(draw.Crop(c, plotWidth-barWidth, 0, p.Title.TextStyle.Height(p.Title.Text)+p.Title.Padding, 0))
	})
}

// cellTicks labels the cells of a heatmap axis by index at their
// centres; flip counts rows from the top.
type cellTicks struct {
	n    int
	flip bool
}

// Ticks implements plot.Ticker.
func (c cellTicks) Ticks(min, max float64) []plot.Tick {
	if c.n == 1 {
		return []plot.Tick{{Value: 0.5, Label: "0"}}
	}
	var ticks []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(0, float64(c.n-1)) {
		if t.Label == "" || t.Value != math.Trunc(t.Value) || t.Value < 0 || t.Value > float64(c.n-1) {
			continue
		}
		pos := t.Value + 0.5
		if c.flip {
			pos = float64(c.n) - t.Value - 0.5
		}
		ticks = append(ticks, plot.Tick{Value: pos, Label: fmt.Sprint(t.Value)})
	}
	return ticks
}
