package display

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// Graph shows the autograd graph that produced t as a drawing: inputs
// on the left, t on the right, one box per tensor with its op and shape,
// and, once Backward has run, the norm of each gradient that was kept
// (leaves, and tensors that called RetainGrad).
func Graph(t *tensor.Tensor) { Show(GraphBundle(t)) }

// GraphBundle returns Graph's bundle: image/svg+xml, image/png (left out
// when the drawing would exceed 4 megapixels, about 400 tensors) and text/plain listing the
// nodes in topological order for front ends without images.
func GraphBundle(t *tensor.Tensor) output.Bundle {
	return buildGraph(t, maxGraphNodes).bundle()
}

// maxGraphNodes bounds a drawing: a graph with more tensors shows the ones
// nearest the output, and marks boxes whose inputs were left out.
const maxGraphNodes = 1000

// Node kinds, each drawn in its own colours.
const (
	kindInput  = iota // a leaf that needs no gradient: data, a constant
	kindParam         // a leaf that needs a gradient: a weight
	kindOp            // made by an op
	kindOutput        // the tensor drawn
)

var kindStyle = [...]struct{ name, fill, stroke string }{
	kindInput:  {"input", "#eeeeee", "#888888"},
	kindParam:  {"parameter", "#fdd49e", "#e6550d"},
	kindOp:     {"op", "#c6dbef", "#3182bd"},
	kindOutput: {"output", "#c7e9c0", "#31a354"},
}

type graphNode struct {
	t         *tensor.Tensor
	id        int   // topological: inputs before the tensors made from them
	inputs    []int // ids of drawn inputs, in the op's order
	consumers []int
	cut       bool // some inputs were left out (maxGraphNodes)
	kind      int
	layer     int
	pos       float64 // order within the layer
	x, y      float64
	gradNorm  float64 // NaN when no gradient
}

type graph struct {
	nodes  []*graphNode
	layers [][]*graphNode
	total  int // tensors in the whole graph, drawn or not
	// bandTop is where each band of layers starts (see bandLayers).
	bandTop []float64
}

// buildGraph collects the graph of t (at most limit nodes, nearest first),
// assigns layers and orders each layer to shorten edges.
func buildGraph(t *tensor.Tensor, limit int) *graph {
	// Breadth first from the output decides which nodes are kept.
	keep := map[*tensor.Tensor]bool{t: true}
	queue := []*tensor.Tensor{t}
	seen := map[*tensor.Tensor]bool{t: true}
	total := 0
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		total++
		for _, in := range v.Inputs() {
			if in != nil && !seen[in] {
				seen[in] = true
				if len(keep) < limit {
					keep[in] = true
				}
				queue = append(queue, in)
			}
		}
	}
	// Depth first, inputs before users, gives deterministic ids.
	g := &graph{total: total}
	ids := map[*tensor.Tensor]int{}
	var visit func(v *tensor.Tensor)
	visit = func(v *tensor.Tensor) {
		if _, done := ids[v]; done {
			return
		}
		ids[v] = -1
		n := &graphNode{t: v, gradNorm: math.NaN()}
		for _, in := range v.Inputs() {
			if in == nil {
				continue
			}
			if !keep[in] {
				n.cut = true
				continue
			}
			visit(in)
			n.inputs = append(n.inputs, ids[in])
		}
		n.id = len(g.nodes)
		ids[v] = n.id
		g.nodes = append(g.nodes, n)
	}
	visit(t)
	for _, n := range g.nodes {
		switch {
		case n.t == t:
			n.kind = kindOutput
		case n.t.Op() != "":
			n.kind = kindOp
		case n.t.NeedsGrad():
			n.kind = kindParam
		default:
			n.kind = kindInput
		}
		if gr := n.t.Grad(); gr != nil {
			s := 0.0
			for _, x := range gr.Float64s() {
				s += x * x
			}
			n.gradNorm = math.Sqrt(s)
		}
		for _, in := range n.inputs {
			g.nodes[in].consumers = append(g.nodes[in].consumers, n.id)
		}
	}
	g.assignLayers()
	g.order()
	return g
}

// assignLayers puts each node one layer right of its furthest input, then
// moves nodes without inputs (leaves) right next to their first user, so
// that a weight used late is not drawn far away on the left.
func (g *graph) assignLayers() {
	last := 0
	for _, n := range g.nodes { // ids are topological
		for _, in := range n.inputs {
			n.layer = max(n.layer, g.nodes[in].layer+1)
		}
		last = max(last, n.layer)
	}
	for _, n := range g.nodes {
		if len(n.inputs) == 0 && len(n.consumers) > 0 {
			first := math.MaxInt
			for _, c := range n.consumers {
				first = min(first, g.nodes[c].layer)
			}
			n.layer = first - 1
		}
	}
	g.layers = make([][]*graphNode, last+1)
	for _, n := range g.nodes {
		n.pos = float64(len(g.layers[n.layer]))
		g.layers[n.layer] = append(g.layers[n.layer], n)
	}
}

// order reduces crossings with barycentre sweeps: each layer is sorted by
// the mean position of its neighbours in the layers already placed,
// alternately from the left (inputs) and from the right (users).
func (g *graph) order() {
	centre := func(layer []*graphNode) {
		for i, n := range layer {
			n.pos = float64(i) - float64(len(layer)-1)/2
		}
	}
	for _, l := range g.layers {
		centre(l)
	}
	mean := func(n *graphNode, ids []int) float64 {
		if len(ids) == 0 {
			return n.pos
		}
		s := 0.0
		for _, id := range ids {
			s += g.nodes[id].pos
		}
		return s / float64(len(ids))
	}
	sortBy := func(l []*graphNode, key func(*graphNode) float64) {
		keys := make(map[*graphNode]float64, len(l))
		for _, n := range l {
			keys[n] = key(n)
		}
		slices.SortStableFunc(l, func(a, b *graphNode) int {
			switch ka, kb := keys[a], keys[b]; {
			case ka < kb:
				return -1
			case ka > kb:
				return 1
			}
			return a.id - b.id
		})
		centre(l)
	}
	for range 3 {
		for i := 1; i < len(g.layers); i++ {
			sortBy(g.layers[i], func(n *graphNode) float64 { return mean(n, n.inputs) })
		}
		for i := len(g.layers) - 2; i >= 0; i-- {
			sortBy(g.layers[i], func(n *graphNode) float64 { return mean(n, n.consumers) })
		}
	}
}

// Drawing sizes, in CSS pixels.
const (
	boxW    = 130.0
	boxH    = 46.0
	colStep = boxW + 60
	rowStep = boxH + 16
	margin  = 16.0
	legendH = 28.0
	bandGap = 34.0
)

// bandLayers is how many layers a drawing puts side by side before it
// wraps (5 fit the 940 pixels of a classic notebook's output area): a deep graph is drawn as bands stacked top to bottom, so that it
// stays readable at the width of a notebook instead of being scaled down.
const bandLayers = 5

// place gives every node its position and returns the drawing's size.
func (g *graph) place() (width, height float64) {
	cols := min(len(g.layers), bandLayers)
	width = max(margin*2+float64(cols-1)*colStep+boxW, 560)
	top := margin + legendH
	g.bandTop = g.bandTop[:0]
	for start := 0; start < len(g.layers); start += bandLayers {
		g.bandTop = append(g.bandTop, top)
		band := g.layers[start:min(start+bandLayers, len(g.layers))]
		tallest := 1
		for _, l := range band {
			tallest = max(tallest, len(l))
		}
		mid := top + float64(tallest-1)*rowStep/2
		for i, l := range band {
			for _, n := range l {
				n.x = margin + float64(i)*colStep
				n.y = mid + n.pos*rowStep
			}
		}
		top += float64(tallest-1)*rowStep + boxH + bandGap
	}
	return width, top - bandGap + margin
}

// maxGraphPixels bounds the PNG of a graph: a larger drawing is shown as
// SVG alone.
const maxGraphPixels = 4 << 20

// bundle draws the graph as SVG and, unless it is huge, PNG.
func (g *graph) bundle() output.Bundle {
	wpx, hpx := g.place()
	w, h := vg.Length(wpx)*ptPerPx, vg.Length(hpx)*ptPerPx
	if wpx*hpx > maxGraphPixels {
		return output.Bundle{
			Data:     map[string]any{"image/svg+xml": drawSVG(w, h, g.draw), "text/plain": g.text()},
			Metadata: map[string]any{},
		}
	}
	return canvasBundle(w, h, g.text(), g.draw)
}

// svg returns the SVG drawing alone.
func (g *graph) svg() string {
	wpx, hpx := g.place()
	return drawSVG(vg.Length(wpx)*ptPerPx, vg.Length(hpx)*ptPerPx, g.draw)
}

// ptPerPx converts the layout's CSS pixels to the canvas's points.
const ptPerPx = 0.75

var (
	edgeColour  = color.RGBA{0x66, 0x66, 0x66, 0xff}
	jumpColour  = color.RGBA{0x99, 0x99, 0x99, 0xff}
	warnColour  = color.RGBA{0xbb, 0, 0, 0xff}
	regularFont = font.Font{Typeface: "Liberation", Variant: "Sans", Size: 11 * ptPerPx}
	boldFont    = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold, Size: 11 * ptPerPx}
)

// draw draws the placed graph on c. The layout is in pixels from the top
// left; the canvas counts points from the bottom left.
func (g *graph) draw(c draw.Canvas) {
	top := c.Max.Y
	pt := func(x, y float64) vg.Point {
		return vg.Point{X: c.Min.X + vg.Length(x)*ptPerPx, Y: top - vg.Length(y)*ptPerPx}
	}
	textStyle := func(f font.Font, col color.Color, xAlign draw.XAlignment) draw.TextStyle {
		return draw.TextStyle{Color: col, Font: f, XAlign: xAlign, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	}
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	// Legend.
	lx := margin
	for _, k := range kindStyle {
		roundRect(c, pt(lx, margin+12), pt(lx+14, margin), 2, hexColour(k.fill), hexColour(k.stroke), false)
		c.FillText(textStyle(regularFont, color.Black, draw.XLeft), pt(lx+19, margin+6), k.name)
		lx += 30 + 6.5*float64(len(k.name))
	}
	if len(g.nodes) < g.total {
		c.FillText(textStyle(regularFont, warnColour, draw.XLeft), pt(lx+10, margin+6),
			fmt.Sprintf("%d of %d tensors drawn (nearest the output); dashed boxes have inputs left out", len(g.nodes), g.total))
	}
	// Edges first, under the boxes. Each input arrives at its own height.
	c.SetLineWidth(1.2 * ptPerPx)
	for _, n := range g.nodes {
		k := len(n.inputs)
		for j, in := range n.inputs {
			src := g.nodes[in]
			x1, y1 := src.x+boxW, src.y+boxH/2
			x2 := n.x
			y2 := n.y + boxH/2 + (float64(j)-float64(k-1)/2)*min(10, boxH/float64(k+1))
			var p vg.Path
			p.Move(pt(x1, y1))
			if x2 > x1 {
				dx := (x2 - x1) / 2
				p.CubeTo(pt(x1+dx, y1), pt(x2-dx, y2), pt(x2-7, y2))
				c.SetLineDash(nil, 0)
				c.SetColor(edgeColour)
			} else {
				// From one band to a later one: out to the right, down
				// the gap above the later band, and in from the left.
				gapY := g.bandTop[n.layer/bandLayers] - bandGap/2
				for _, q := range [][2]float64{{x1 + 8, y1}, {x1 + 8, gapY}, {x2 - 10, gapY}, {x2 - 10, y2}, {x2 - 7, y2}} {
					p.Line(pt(q[0], q[1]))
				}
				c.SetLineDash([]vg.Length{5 * ptPerPx, 3 * ptPerPx}, 0)
				c.SetColor(jumpColour)
			}
			c.Stroke(p)
			c.FillPolygon(edgeColour, []vg.Point{pt(x2-8, y2-3.5), pt(x2, y2), pt(x2-8, y2+3.5)})
		}
	}
	c.SetLineDash(nil, 0)
	for _, n := range g.nodes {
		st := kindStyle[n.kind]
		roundRect(c, pt(n.x, n.y+boxH), pt(n.x+boxW, n.y), 5, hexColour(st.fill), hexColour(st.stroke), n.cut)
		lines := n.describe()
		y0 := n.y + boxH/2 - float64(len(lines)-1)*6.5
		for i, line := range lines {
			f := regularFont
			if i == 0 {
				f = boldFont
			}
			c.FillText(textStyle(f, color.Black, draw.XCenter), pt(n.x+boxW/2, y0+float64(i)*13), line)
		}
	}
}

// roundRect fills and strokes a rectangle with rounded corners between
// the points lo (bottom left) and hi (top right), r pixels round.
func roundRect(c draw.Canvas, lo, hi vg.Point, r float64, fill, stroke color.Color, dashed bool) {
	rr := vg.Length(r) * ptPerPx
	var p vg.Path
	p.Move(vg.Point{X: lo.X + rr, Y: lo.Y})
	p.Line(vg.Point{X: hi.X - rr, Y: lo.Y})
	p.Arc(vg.Point{X: hi.X - rr, Y: lo.Y + rr}, rr, -math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: hi.X, Y: hi.Y - rr})
	p.Arc(vg.Point{X: hi.X - rr, Y: hi.Y - rr}, rr, 0, math.Pi/2)
	p.Line(vg.Point{X: lo.X + rr, Y: hi.Y})
	p.Arc(vg.Point{X: lo.X + rr, Y: hi.Y - rr}, rr, math.Pi/2, math.Pi/2)
	p.Line(vg.Point{X: lo.X, Y: lo.Y + rr})
	p.Arc(vg.Point{X: lo.X + rr, Y: lo.Y + rr}, rr, math.Pi, math.Pi/2)
	p.Close()
	c.SetColor(fill)
	c.Fill(p)
	c.SetColor(stroke)
	c.SetLineWidth(1.5 * ptPerPx)
	if dashed {
		c.SetLineDash([]vg.Length{4 * ptPerPx, 3 * ptPerPx}, 0)
	}
	c.Stroke(p)
	c.SetLineDash(nil, 0)
}

// hexColour parses "#rrggbb".
func hexColour(s string) color.Color {
	var r, g, b uint8
	fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b)
	return color.RGBA{r, g, b, 0xff}
}

// describe returns the lines of a node's box: its op (or kind), its shape
// and dtype, and its gradient's norm.
func (n *graphNode) describe() []string {
	name := n.t.Op()
	if name == "" {
		name = kindStyle[n.kind].name
	}
	lines := []string{clip(name, 20), clip("("+joinInts(n.t.Shape())+") "+n.t.DType().String(), 22)}
	if !math.IsNaN(n.gradNorm) {
		lines = append(lines, "|grad| "+formatNorm(n.gradNorm))
	}
	return lines
}

func formatNorm(x float64) string {
	if x != 0 && (math.Abs(x) < 1e-3 || math.Abs(x) >= 1e4) {
		return fmt.Sprintf("%.3e", x)
	}
	return fmt.Sprintf("%.4g", x)
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// text lists the graph for text front ends, at most 60 lines.
func (g *graph) text() string {
	counts := [len(kindStyle)]int{}
	for _, n := range g.nodes {
		counts[n.kind]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<autograd graph: %d tensors (%d parameters, %d inputs, %d ops, 1 output)", len(g.nodes),
		counts[kindParam], counts[kindInput], counts[kindOp])
	if len(g.nodes) < g.total {
		fmt.Fprintf(&b, ", %d not drawn", g.total-len(g.nodes))
	}
	b.WriteString(">")
	for i, n := range g.nodes {
		if i == 60 {
			fmt.Fprintf(&b, "\n  ... %d more", len(g.nodes)-60)
			break
		}
		lines := n.describe()
		fmt.Fprintf(&b, "\n  #%d %s", n.id, strings.Join(lines, " "))
		if len(n.inputs) > 0 {
			ins := make([]string, len(n.inputs))
			for j, in := range n.inputs {
				ins[j] = fmt.Sprintf("#%d", in)
			}
			fmt.Fprintf(&b, " <- %s", strings.Join(ins, ", "))
		}
	}
	return b.String()
}
