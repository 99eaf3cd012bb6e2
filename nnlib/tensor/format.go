package tensor

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Printing follows PyTorch: one format and width for every element,
// dimensions over printEdge*2 elements summarised with "...", when the
// tensor has more than printThreshold elements.
const (
	printThreshold = 1000
	printEdge      = 3
)

// String prints t like PyTorch, with its shape and dtype:
//
//	tensor([[1.0000, 2.5000],
//	        [3.0000, 4.0000]], shape=(2, 2), dtype=float32)
//
// plus the op that made it (grad_fn=<mul>) or requires_grad=true.
func (t *Tensor) String() string {
	if t == nil {
		return "tensor(nil)"
	}
	vals := t.Detach()
	summarise := t.Numel() > printThreshold
	fmtNum := numberFormat(t, shownValues(vals, nil, summarise, nil))
	var b strings.Builder
	b.WriteString("tensor(")
	writeNested(&b, vals, nil, fmtNum, summarise, len("tensor("))
	dims := make([]string, len(t.shape))
	for i, d := range t.shape {
		dims[i] = fmt.Sprint(d)
	}
	fmt.Fprintf(&b, ", shape=(%s), dtype=%v", strings.Join(dims, ", "), t.dtype)
	switch {
	case t.node != nil:
		fmt.Fprintf(&b, ", grad_fn=<%s>", t.node.op)
	case t.requiresGrad:
		b.WriteString(", requires_grad=true")
	}
	b.WriteString(")")
	return b.String()
}

// shownValues appends to xs the elements of the sub-tensor of vals at idx
// that String shows (those outside the "..." when summarising), in order.
func shownValues(vals *Tensor, idx []int, summarise bool, xs []float64) []float64 {
	d := len(idx)
	if d == len(vals.shape) {
		return append(xs, vals.At(idx...))
	}
	n := vals.shape[d]
	for i := 0; i < n; i++ {
		if summarise && n > 2*printEdge && i == printEdge {
			i = n - printEdge
		}
		xs = shownValues(vals, append(idx, i), summarise, xs)
	}
	return xs
}

// numberFormat is NumberFormat for the shown elements xs of t, with every
// number padded to one width.
func numberFormat(t *Tensor, xs []float64) func(float64) string {
	f := NumberFormat(xs, t.dtype == Int)
	width := 0
	for _, x := range xs {
		width = max(width, len(f(x)))
	}
	return func(x float64) string {
		s := f(x)
		return strings.Repeat(" ", width-len(s)) + s
	}
}

// NumberFormat picks one format for the values xs, as PyTorch's printing
// does: integers as "3" (isInt), whole floats as "3.", fixed point with 4
// decimals, or scientific notation when the magnitudes are too large, too
// small or too far apart; NaN and infinities as "nan", "inf", "-inf". It
// is what String uses, so other views of a tensor (display's tables) can
// show the same numbers.
func NumberFormat(xs []float64, isInt bool) func(float64) string {
	allInt, maxAbs, minAbs := true, 0.0, math.Inf(1)
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		if x != math.Trunc(x) {
			allInt = false
		}
		a := math.Abs(x)
		maxAbs = max(maxAbs, a)
		if a != 0 {
			minAbs = min(minAbs, a)
		}
	}
	var f func(float64) string
	switch {
	case isInt:
		f = func(x float64) string { return strconv.FormatInt(int64(x), 10) }
	case allInt && maxAbs < 1e8:
		f = func(x float64) string { return strconv.FormatFloat(x, 'f', 0, 64) + "." }
	case maxAbs >= 1e8 || (minAbs < 1e-4 && !math.IsInf(minAbs, 1)) || maxAbs/minAbs > 1e3:
		f = func(x float64) string { return strconv.FormatFloat(x, 'e', 4, 64) }
	default:
		f = func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	}
	return func(x float64) string { return fixNonFinite(x, f) }
}

// fixNonFinite formats x with f, or as PyTorch writes NaN and infinities.
func fixNonFinite(x float64, f func(float64) string) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return f(x)
}

// writeNested writes the sub-tensor of vals at idx as nested brackets.
func writeNested(b *strings.Builder, vals *Tensor, idx []int, f func(float64) string, summarise bool, indent int) {
	d := len(idx)
	if d == len(vals.shape) {
		b.WriteString(f(vals.At(idx...)))
		return
	}
	n := vals.shape[d]
	b.WriteString("[")
	last := d == len(vals.shape)-1
	for i := 0; i < n; i++ {
		if summarise && n > 2*printEdge && i == printEdge {
			if last {
				b.WriteString("..., ")
			} else {
				b.WriteString("...,\n" + strings.Repeat(" ", indent+d+1))
			}
			i = n - printEdge
		}
		writeNested(b, vals, append(idx, i), f, summarise, indent)
		if i < n-1 {
			if last {
				b.WriteString(", ")
			} else {
				b.WriteString("," + strings.Repeat("\n", len(vals.shape)-d-1) + strings.Repeat(" ", indent+d+1))
			}
		}
	}
	b.WriteString("]")
}
