package tensor

import (
	"math"
	"sort"
)

// reduceKind names the reduction primitives; Mean, Var and Std are built
// from them.
type reduceKind int

const (
	redSum reduceKind = iota
	redMax
	redMin
	redArgMax
	redArgMin
)

var reduceNames = [...]string{"sum", "max", "min", "argmax", "argmin"}

// reduceDims normalises dims (none means all), sorted and without repeats.
func (t *Tensor) reduceDims(op string, dims []int) []int {
	if len(dims) == 0 {
		all := make([]int, len(t.shape))
		for i := range all {
			all[i] = i
		}
		return all
	}
	seen := map[int]bool{}
	var out []int
	for _, d := range dims {
		d = t.axis(op, d)
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	sort.Ints(out)
	return out
}

// reduceShapes returns the shape with the reduced dims kept as 1 and the
// shape with them dropped.
func reduceShapes(shape, dims []int) (keep, drop []int) {
	keep = append([]int{}, shape...)
	isRed := map[int]bool{}
	for _, d := range dims {
		keep[d] = 1
		isRed[d] = true
	}
	drop = []int{}
	for i, s := range shape {
		if !isRed[i] {
			drop = append(drop, s)
		}
	}
	return keep, drop
}

// reduceRaw computes a reduction of t's data over dims, without the graph,
// in the keepdim shape. It moves the reduced dims last, copies, and reduces
// each row.
func (t *Tensor) reduceRaw(kind reduceKind, dims []int) *Tensor {
	name := reduceNames[kind]
	keepShape, _ := reduceShapes(t.shape, dims)
	isRed := map[int]bool{}
	for _, d := range dims {
		isRed[d] = true
	}
	var perm []int
	for i := range t.shape {
		if !isRed[i] {
			perm = append(perm, i)
		}
	}
	r := 1
	for _, d := range dims {
		perm = append(perm, d)
		r *= t.shape[d]
	}
	if r == 0 && kind != redSum {
		fail(ErrEmpty, name, "%s over dims %v: no elements to reduce", shapeStr(t.shape), dims)
	}
	if kind == redSum && t.dtype != Int && t.IsContiguous() && isPrefix(dims) {
		return t.sumLeading(r, keepShape)
	}
	p := t.Detach().Permute(perm...)
	outDT := t.dtype
	if kind == redArgMax || kind == redArgMin {
		outDT = Int
	}
	out := newTensor(outDT, keepShape)
	switch t.dtype {
	case Float32:
		reduceRows(kind, out, flat[float32](p), r)
	case Float64:
		reduceRows(kind, out, flat[float64](p), r)
	case Int:
		reduceRows(kind, out, flat[int](p), r)
	}
	return out
}

// isPrefix reports whether sorted dims are 0, 1, ..., len(dims)-1.
func isPrefix(dims []int) bool {
	for i, d := range dims {
		if d != i {
			return false
		}
	}
	return true
}

// sumLeading sums a contiguous tensor over its first dims (r rows of the
// rest), without moving them last: the bias gradient's case.
func (t *Tensor) sumLeading(r int, keepShape []int) *Tensor {
	out := newTensor(t.dtype, keepShape)
	switch t.dtype {
	case Float32:
		sumRows(buf[float32](out), flat[float32](t), r)
	case Float64:
		sumRows(buf[float64](out), flat[float64](t), r)
	}
	return out
}

// sumRows sets out to the sum of the r rows of x, in float64.
func sumRows[T float](out, x []T, r int) {
	n := len(out)
	acc := make([]float64, n)
	for i := 0; i < r; i++ {
		row := x[i*n : (i+1)*n]
		for j, v := range row {
			acc[j] += float64(v)
		}
	}
	for j, v := range acc {
		out[j] = T(v)
	}
}

func reduceRows[T elem](kind reduceKind, out *Tensor, x []T, r int) {
	n := out.Numel()
	for i := 0; i < n; i++ {
		row := x[i*r : (i+1)*r]
		var v float64
		switch kind {
		case redSum:
			for _, e := range row {
				v += float64(e)
			}
		case redMax, redMin, redArgMax, redArgMin:
			best, at := row[0], 0
			for j, e := range row {
				if ((kind == redMax || kind == redArgMax) && e > best) || ((kind == redMin || kind == redArgMin) && e < best) || e != e {
					best, at = e, j
					if e != e { // NaN wins, as in PyTorch
						break
					}
				}
			}
			v = float64(best)
			if kind == redArgMax || kind == redArgMin {
				v = float64(at)
			}
		}
		switch o := out.data.(type) {
		case []float32:
			o[i] = float32(v)
		case []float64:
			o[i] = v
		case []int:
			o[i] = int(v)
		}
	}
}

// reduce is the differentiable sum, max or min over dims.
func (t *Tensor) reduce(kind reduceKind, dims []int, keepdim bool) *Tensor {
	name := reduceNames[kind]
	dims = t.reduceDims(name, dims)
	keepShape, dropShape := reduceShapes(t.shape, dims)
	out := t.reduceRaw(kind, dims)
	checkNaN(name, out, t)
	if !keepdim {
		out = out.view(dropShape, contiguousStrides(dropShape), 0)
	}
	in := t.shape
	var back func(g *Tensor) []*Tensor
	if kind == redSum {
		back = func(g *Tensor) []*Tensor { return []*Tensor{g.Reshape(keepShape...).Expand(in...)} }
	} else {
		// The gradient is shared among the elements equal to the extreme
		// (PyTorch's amax/amin rule).
		back = func(g *Tensor) []*Tensor {
			mask := t.Eq(out.Reshape(keepShape...)).To(t.dtype)
			count := mask.reduce(redSum, dims, true)
			return []*Tensor{mask.Div(count).Mul(g.Reshape(keepShape...))}
		}
	}
	return record(out, name, []*Tensor{t}, []*Tensor{t, out}, back)
}

// Sum returns the sum over dims (all if none), which are dropped. Sum, Max
// and Min also work on Int tensors (giving Int).
func (t *Tensor) Sum(dims ...int) *Tensor { return t.reduce(redSum, dims, false) }

// SumKeepDim is Sum keeping the reduced dims with size 1.
func (t *Tensor) SumKeepDim(dims ...int) *Tensor { return t.reduce(redSum, dims, true) }

// Max returns the maximum over dims (all if none), which are dropped. At
// ties the gradient is shared equally.
func (t *Tensor) Max(dims ...int) *Tensor { return t.reduce(redMax, dims, false) }

// MaxKeepDim is Max keeping the reduced dims with size 1.
func (t *Tensor) MaxKeepDim(dims ...int) *Tensor { return t.reduce(redMax, dims, true) }

// Min returns the minimum over dims (all if none), which are dropped.
func (t *Tensor) Min(dims ...int) *Tensor { return t.reduce(redMin, dims, false) }

// MinKeepDim is Min keeping the reduced dims with size 1.
func (t *Tensor) MinKeepDim(dims ...int) *Tensor { return t.reduce(redMin, dims, true) }

// count returns the number of elements the reduction over dims combines.
func (t *Tensor) count(op string, dims []int, least int) int {
	n := 1
	for _, d := range t.reduceDims(op, dims) {
		n *= t.shape[d]
	}
	if n < least {
		fail(ErrEmpty, op, "%s over dims %v: %d elements, need at least %d", shapeStr(t.shape), dims, n, least)
	}
	return n
}

// Mean returns the mean over dims (all if none), which are dropped.
func (t *Tensor) Mean(dims ...int) *Tensor { return t.Sum(dims...).Div(t.count("mean", dims, 1)) }

// MeanKeepDim is Mean keeping the reduced dims with size 1.
func (t *Tensor) MeanKeepDim(dims ...int) *Tensor {
	return t.SumKeepDim(dims...).Div(t.count("mean", dims, 1))
}

// Var returns the unbiased variance (divided by n-1, as PyTorch) over dims
// (all if none), which are dropped.
func (t *Tensor) Var(dims ...int) *Tensor { return t.variance(dims, false) }

// VarKeepDim is Var keeping the reduced dims with size 1.
func (t *Tensor) VarKeepDim(dims ...int) *Tensor { return t.variance(dims, true) }

func (t *Tensor) variance(dims []int, keepdim bool) *Tensor {
	n := t.count("var", dims, 2)
	d := t.Sub(t.MeanKeepDim(dims...))
	return d.Mul(d).reduce(redSum, dims, keepdim).Div(n - 1)
}

// Std returns the unbiased standard deviation over dims (all if none).
func (t *Tensor) Std(dims ...int) *Tensor { return t.variance(dims, false).Sqrt() }

// StdKeepDim is Std keeping the reduced dims with size 1.
func (t *Tensor) StdKeepDim(dims ...int) *Tensor { return t.variance(dims, true).Sqrt() }

// ArgMax returns the Int index of the largest element along dim (the
// first, at ties), with dim dropped.
func (t *Tensor) ArgMax(dim int) *Tensor { return t.arg(redArgMax, dim) }

// ArgMin returns the Int index of the smallest element along dim.
func (t *Tensor) ArgMin(dim int) *Tensor { return t.arg(redArgMin, dim) }

func (t *Tensor) arg(kind reduceKind, dim int) *Tensor {
	dims := []int{t.axis(reduceNames[kind], dim)}
	_, drop := reduceShapes(t.shape, dims)
	out := t.reduceRaw(kind, dims)
	return out.view(drop, contiguousStrides(drop), 0)
}

// Softmax returns exp(t) normalised to sum 1 along dim, computed stably
// (the row maximum is subtracted first).
func (t *Tensor) Softmax(dim int) *Tensor {
	checkFloat("softmax", t)
	dim = t.axis("softmax", dim)
	y := t.rowwise("softmax", dim, false)
	return record(y, "softmax", []*Tensor{t}, []*Tensor{y}, func(g *Tensor) []*Tensor {
		return []*Tensor{y.Mul(g.Sub(g.Mul(y).SumKeepDim(dim)))}
	})
}

// LogSoftmax returns log(Softmax(t, dim)), computed stably as
// t - max - log(sum(exp(t - max))).
func (t *Tensor) LogSoftmax(dim int) *Tensor {
	checkFloat("log_softmax", t)
	dim = t.axis("log_softmax", dim)
	y := t.rowwise("log_softmax", dim, true)
	return record(y, "log_softmax", []*Tensor{t}, []*Tensor{y}, func(g *Tensor) []*Tensor {
		return []*Tensor{g.Sub(y.Exp().Mul(g.SumKeepDim(dim)))}
	})
}

// rowwise computes softmax or log-softmax along dim on t's data, without
// the graph, into a contiguous tensor of t's shape.
func (t *Tensor) rowwise(op string, dim int, logOut bool) *Tensor {
	if t.shape[dim] == 0 {
		fail(ErrEmpty, op, "%s: dim %d is empty", shapeStr(t.shape), dim)
	}
	last := len(t.shape) - 1
	x := t.Detach().Transpose(dim, last) // rows along dim, a view
	y := newTensor(t.dtype, x.shape)
	switch t.dtype {
	case Float32:
		softmaxRows(buf[float32](y), flat[float32](x), t.shape[dim], logOut)
	case Float64:
		softmaxRows(buf[float64](y), flat[float64](x), t.shape[dim], logOut)
	}
	if dim != last {
		y = y.Transpose(dim, last).materialize()
	}
	checkNaN(op, y, t)
	return y
}

func softmaxRows[T float](y, x []T, r int, logOut bool) {
	for i := 0; i+r <= len(x); i += r {
		row, out := x[i:i+r], y[i:i+r]
		m := math.Inf(-1)
		for _, v := range row {
			m = max(m, float64(v))
		}
		var s float64
		for _, v := range row {
			s += math.Exp(float64(v) - m)
		}
		ls := math.Log(s)
		for j, v := range row {
			if logOut {
				out[j] = T(float64(v) - m - ls)
			} else {
				out[j] = T(math.Exp(float64(v)-m) / s)
			}
		}
	}
}
