package display

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// Tables show every element of a dimension up to tableFull long, and
// tableEdge elements at each end of a longer one, with an ellipsis
// between, as PyTorch's print does; leading dimensions (the 2-D slices
// of a 3-D or larger tensor) are cut to sliceEdge at each end.
const (
	tableFull = 20
	tableEdge = 8
	sliceFull = 6
	sliceEdge = 2
)

// Tensor shows t as a table of values coloured by magnitude, with its
// shape and dtype, and as PyTorch-style text.
func Tensor(t *tensor.Tensor) { Show(TensorBundle(t)) }

// TensorBundle returns t's bundle: text/plain is t.String(), text/html a
// table whose cells carry inline colours (positive values red, negative
// blue, stronger with magnitude), summarised with ellipses so that its size
// is bounded whatever t's size.
func TensorBundle(t *tensor.Tensor) output.Bundle {
	if t == nil {
		return output.Text("tensor(nil)")
	}
	return output.Bundle{
		Data:     map[string]any{"text/plain": t.String(), "text/html": tensorHTML(t)},
		Metadata: map[string]any{},
	}
}

// shownIndices returns the indices of a dimension of size n that a table
// shows; -1 stands for the ellipsis.
func shownIndices(n, full, edge int) []int {
	var idx []int
	if n <= full {
		for i := range n {
			idx = append(idx, i)
		}
		return idx
	}
	for i := range edge {
		idx = append(idx, i)
	}
	idx = append(idx, -1)
	for i := n - edge; i < n; i++ {
		idx = append(idx, i)
	}
	return idx
}

// tensorHTML renders t as HTML: a header line, then one table per 2-D
// slice (a 1-D tensor is one row, a scalar one cell).
func tensorHTML(t *tensor.Tensor) string {
	shape := t.Shape()
	vals := t.Float64s()
	strides := make([]int, len(shape))
	s := 1
	for i := len(shape) - 1; i >= 0; i-- {
		strides[i] = s
		s *= shape[i]
	}
	maxAbs := 0.0
	for _, v := range vals {
		if a := math.Abs(v); a > maxAbs && !math.IsInf(a, 0) {
			maxAbs = a
		}
	}

	// The slices shown: each a base offset and a label like [0, 1, :, :].
	rows, cols := 1, 1
	rowStride, colStride := 0, 0
	lead := shape
	switch len(shape) {
	case 0:
	case 1:
		cols, colStride, lead = shape[0], 1, nil
	default:
		rows, cols = shape[len(shape)-2], shape[len(shape)-1]
		rowStride, colStride = strides[len(shape)-2], 1
		lead = shape[:len(shape)-2]
	}
	ri := shownIndices(rows, tableFull, tableEdge)
	ci := shownIndices(cols, tableFull, tableEdge)

	// Format every shown value first: one format for all, as print does.
	var shown []float64
	var bases []int
	var labels []string
	var walk func(d, base int, label []string)
	walk = func(d, base int, label []string) {
		if d == len(lead) {
			bases = append(bases, base)
			labels = append(labels, strings.Join(label, ", "))
			return
		}
		for _, i := range shownIndices(lead[d], sliceFull, sliceEdge) {
			if i < 0 {
				bases = append(bases, -1)
				labels = append(labels, "")
				continue
			}
			walk(d+1, base+i*strides[d], append(label, strconv.Itoa(i)))
		}
	}
	walk(0, 0, nil)
	for _, base := range bases {
		if base < 0 || len(vals) == 0 {
			continue
		}
		for _, r := range ri {
			for _, c := range ci {
				if r >= 0 && c >= 0 {
					shown = append(shown, vals[base+r*rowStride+c*colStride])
				}
			}
		}
	}
	format := tensor.NumberFormat(shown, t.DType() == tensor.Int)

	var b strings.Builder
	b.Grow(2048 + len(shown)*64)
	b.WriteString(`<div style="font-family:monospace;font-size:12px">`)
	fmt.Fprintf(&b, `<div style="margin-bottom:4px"><b>tensor</b> shape=(%s) dtype=%v`, joinInts(shape), t.DType())
	switch {
	case t.Op() != "":
		fmt.Fprintf(&b, " grad_fn=&lt;%s&gt;", html.EscapeString(t.Op()))
	case t.NeedsGrad():
		b.WriteString(" requires_grad=true")
	}
	if len(vals) > 0 {
		fmt.Fprintf(&b, ` <span style="color:#777">|max|=%s</span>`, html.EscapeString(strconv.FormatFloat(maxAbs, 'g', 4, 64)))
	}
	b.WriteString("</div>")
	if len(vals) == 0 {
		b.WriteString("<i>empty</i></div>")
		return b.String()
	}
	const cell = `padding:1px 6px;text-align:right;border:1px solid #eee`
	for k, base := range bases {
		if base < 0 {
			b.WriteString(`<div style="color:#777;margin:2px 0">&#8942;</div>`)
			continue
		}
		if len(lead) > 0 {
			fmt.Fprintf(&b, `<div style="color:#555;margin-top:4px">[%s, :, :]</div>`, labels[k])
		}
		b.WriteString(`<table style="border-collapse:collapse;margin:0">`)
		if len(shape) >= 1 {
			b.WriteString(`<tr><th style="` + cell + `;color:#999"></th>`)
			for _, c := range ci {
				if c < 0 {
					b.WriteString(`<th style="` + cell + `;color:#999">&#8230;</th>`)
				} else {
					fmt.Fprintf(&b, `<th style="%s;color:#999">%d</th>`, cell, c)
				}
			}
			b.WriteString("</tr>")
		}
		for _, r := range ri {
			b.WriteString("<tr>")
			if len(shape) >= 1 {
				if r < 0 {
					b.WriteString(`<th style="` + cell + `;color:#999">&#8942;</th>`)
				} else {
					fmt.Fprintf(&b, `<th style="%s;color:#999">%d</th>`, cell, r)
				}
			}
			for _, c := range ci {
				if r < 0 || c < 0 {
					b.WriteString(`<td style="` + cell + `;color:#999">&#8230;</td>`)
					continue
				}
				v := vals[base+r*rowStride+c*colStride]
				fmt.Fprintf(&b, `<td style="%s;background:%s">%s</td>`, cell, magnitudeColour(v, maxAbs), format(v))
			}
			b.WriteString("</tr>")
		}
		b.WriteString("</table>")
	}
	b.WriteString("</div>")
	return b.String()
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// magnitudeColour is a light background for v: white at 0, towards red
// for positive and blue for negative values, by |v|/maxAbs. NaN and
// infinities are yellow.
func magnitudeColour(v, maxAbs float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "#ffe066"
	}
	f := 0.0
	if maxAbs > 0 {
		f = math.Abs(v) / maxAbs
	}
	fade := func(full int) int { return 255 - int(math.Round(f*float64(255-full))) }
	if v >= 0 {
		return fmt.Sprintf("#ff%02x%02x", fade(0x70), fade(0x70))
	}
	return fmt.Sprintf("#%02x%02xff", fade(0x70), fade(0xa0))
}
