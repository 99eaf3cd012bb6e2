package tensor

import "slices"

// broadcastShapes returns the NumPy broadcast of two shapes: aligned at the
// right, each pair of sizes equal or one of them 1.
func broadcastShapes(op string, a, b []int) []int {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := i - (n - len(a)); j >= 0 {
			da = a[j]
		}
		if j := i - (n - len(b)); j >= 0 {
			db = b[j]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			fail(ErrShape, op, "%s and %s: cannot broadcast (dim %d: %d vs %d)", shapeStr(a), shapeStr(b), i, da, db)
		}
	}
	return out
}

// broadcastsTo reports whether shape from broadcasts to shape to.
func broadcastsTo(from, to []int) bool {
	if len(from) > len(to) {
		return false
	}
	lead := len(to) - len(from)
	for i, d := range from {
		if d != 1 && d != to[lead+i] {
			return false
		}
	}
	return true
}

// broadcastStrides returns t's strides for viewing it with shape (a
// broadcast of t's shape): stride 0 along expanded dimensions.
func (t *Tensor) broadcastStrides(shape []int) []int {
	s := make([]int, len(shape))
	lead := len(shape) - len(t.shape)
	for i := range shape {
		if i >= lead && t.shape[i-lead] == shape[i] {
			s[i] = t.strides[i-lead]
		}
	}
	return s
}

// Expand returns a view of t broadcast to shape (no copy: expanded
// dimensions have stride 0). It panics if t's shape does not broadcast to
// shape.
func (t *Tensor) Expand(shape ...int) *Tensor {
	if b := broadcastShapes("expand", t.shape, shape); !slices.Equal(b, shape) {
		fail(ErrShape, "expand", "%s cannot expand to %s", shapeStr(t.shape), shapeStr(shape))
	}
	out := t.view(append([]int{}, shape...), t.broadcastStrides(shape), t.offset)
	return record(out, "expand", []*Tensor{t}, nil, func(g *Tensor) []*Tensor { return []*Tensor{g} })
}

// Reshape returns t with a new shape of the same number of elements; one
// size may be -1 and is inferred. The result is a view when t is
// contiguous and a copy otherwise.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	shape = append([]int{}, shape...)
	infer, n := -1, 1
	for i, d := range shape {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			fail(ErrShape, "reshape", "%s to %s: bad size %d", shapeStr(t.shape), shapeStr(shape), d)
		default:
			n *= d
		}
	}
	if infer >= 0 {
		if n == 0 || t.Numel()%n != 0 {
			fail(ErrShape, "reshape", "%s to %s: cannot infer the -1 size", shapeStr(t.shape), shapeStr(shape))
		}
		shape[infer] = t.Numel() / n
		n *= shape[infer]
	}
	if n != t.Numel() {
		fail(ErrShape, "reshape", "%s to %s: %d elements vs %d", shapeStr(t.shape), shapeStr(shape), t.Numel(), n)
	}
	src := t.Contiguous()
	out := src.view(shape, contiguousStrides(shape), src.offset)
	in := t.shape
	return record(out, "reshape", []*Tensor{src}, nil, func(g *Tensor) []*Tensor { return []*Tensor{g.Reshape(in...)} })
}

// Flatten returns t reshaped to one dimension.
func (t *Tensor) Flatten() *Tensor { return t.Reshape(-1) }

// Permute returns a view of t with its dimensions reordered: dimension i of
// the result is dimension dims[i] of t.
func (t *Tensor) Permute(dims ...int) *Tensor {
	if len(dims) != len(t.shape) {
		fail(ErrShape, "permute", "%s: %d dims given for %d dimensions", shapeStr(t.shape), len(dims), len(t.shape))
	}
	shape, strides := make([]int, len(dims)), make([]int, len(dims))
	inv := make([]int, len(dims))
	seen := make([]bool, len(dims))
	for i, d := range dims {
		d = t.axis("permute", d)
		if seen[d] {
			fail(ErrShape, "permute", "%s: dim %d repeated in %v", shapeStr(t.shape), d, dims)
		}
		seen[d] = true
		shape[i], strides[i], inv[d] = t.shape[d], t.strides[d], i
	}
	out := t.view(shape, strides, t.offset)
	return record(out, "permute", []*Tensor{t}, nil, func(g *Tensor) []*Tensor { return []*Tensor{g.Permute(inv...)} })
}

// Transpose returns a view of t with dimensions d0 and d1 swapped.
func (t *Tensor) Transpose(d0, d1 int) *Tensor {
	dims := make([]int, len(t.shape))
	for i := range dims {
		dims[i] = i
	}
	d0, d1 = t.axis("transpose", d0), t.axis("transpose", d1)
	dims[d0], dims[d1] = d1, d0
	return t.Permute(dims...)
}

// T returns the transpose of a matrix (a view). It panics unless t has two
// dimensions.
func (t *Tensor) T() *Tensor {
	if len(t.shape) != 2 {
		fail(ErrShape, "t", "%s: T needs a matrix; use Transpose or Permute", shapeStr(t.shape))
	}
	return t.Transpose(0, 1)
}

// Unsqueeze returns a view of t with a dimension of size 1 inserted at d.
func (t *Tensor) Unsqueeze(d int) *Tensor {
	n := len(t.shape)
	if d < 0 {
		d += n + 1
	}
	if d < 0 || d > n {
		fail(ErrShape, "unsqueeze", "%s: dim %d out of range", shapeStr(t.shape), d)
	}
	shape := append(append(append([]int{}, t.shape[:d]...), 1), t.shape[d:]...)
	stride := 1
	if d < n {
		stride = t.strides[d] * t.shape[d]
	}
	strides := append(append(append([]int{}, t.strides[:d]...), stride), t.strides[d:]...)
	in := t.shape
	return record(t.view(shape, strides, t.offset), "unsqueeze", []*Tensor{t}, nil,
		func(g *Tensor) []*Tensor { return []*Tensor{g.Reshape(in...)} })
}

// Squeeze returns a view of t without its dimensions of size 1, or, given
// dims, without those (each must have size 1).
func (t *Tensor) Squeeze(dims ...int) *Tensor {
	drop := make([]bool, len(t.shape))
	if len(dims) == 0 {
		for i, d := range t.shape {
			drop[i] = d == 1
		}
	}
	for _, d := range dims {
		d = t.axis("squeeze", d)
		if t.shape[d] != 1 {
			fail(ErrShape, "squeeze", "%s: dim %d has size %d, not 1", shapeStr(t.shape), d, t.shape[d])
		}
		drop[d] = true
	}
	var shape, strides []int
	for i := range t.shape {
		if !drop[i] {
			shape, strides = append(shape, t.shape[i]), append(strides, t.strides[i])
		}
	}
	in := t.shape
	return record(t.view(shape, strides, t.offset), "squeeze", []*Tensor{t}, nil,
		func(g *Tensor) []*Tensor { return []*Tensor{g.Reshape(in...)} })
}

// Slice returns a view of t restricted to [start, end) along dim, like
// t[..., start:end, ...] in NumPy: negative bounds count from the end, and
// bounds past the end are clipped. The view shares t's storage.
func (t *Tensor) Slice(dim, start, end int) *Tensor { return t.SliceStep(dim, start, end, 1) }

// SliceStep is Slice taking every step-th element (step > 0).
func (t *Tensor) SliceStep(dim, start, end, step int) *Tensor {
	dim = t.axis("slice", dim)
	n := t.shape[dim]
	if step <= 0 {
		fail(ErrShape, "slice", "%s: step %d must be positive", shapeStr(t.shape), step)
	}
	clip := func(i int) int {
		if i < 0 {
			i += n
		}
		return min(max(i, 0), n)
	}
	start, end = clip(start), clip(end)
	size := 0
	if end > start {
		size = (end - start + step - 1) / step
	}
	shape, strides := append([]int{}, t.shape...), append([]int{}, t.strides...)
	shape[dim], strides[dim] = size, t.strides[dim]*step
	out := t.view(shape, strides, t.offset+start*t.strides[dim])
	in, dt := t.shape, t.dtype
	return record(out, "slice", []*Tensor{t}, nil, func(g *Tensor) []*Tensor {
		z := newTensor(dt, in)
		z.SliceStep(dim, start, end, step).copyFrom(g)
		return []*Tensor{z}
	})
}

// Index returns the i-th sub-tensor along dimension 0 (a view with one
// dimension fewer), like t[i]; negative i counts from the end.
func (t *Tensor) Index(i int) *Tensor {
	if len(t.shape) == 0 {
		fail(ErrShape, "index", "a scalar cannot be indexed")
	}
	n := t.shape[0]
	if i < -n || i >= n {
		fail(ErrIndex, "index", "%s: index %d out of range for size %d", shapeStr(t.shape), i, n)
	}
	if i < 0 {
		i += n
	}
	return t.Slice(0, i, i+1).Squeeze(0)
}

// copyFrom writes src's values (broadcast to t's shape) into t, in place.
func (t *Tensor) copyFrom(src *Tensor) {
	if src.dtype != t.dtype {
		src = src.To(t.dtype)
	}
	if !slices.Equal(broadcastShapes("copy", t.shape, src.shape), t.shape) {
		fail(ErrShape, "copy", "%s into %s", shapeStr(src.shape), shapeStr(t.shape))
	}
	*t.version++
	s := src.view(t.shape, src.broadcastStrides(t.shape), src.offset)
	switch t.dtype {
	case Float32:
		copyView[float32](t, s)
	case Float64:
		copyView[float64](t, s)
	case Int:
		copyView[int](t, s)
	}
}

func copyView[T elem](dst, src *Tensor) {
	tmp := make([]T, dst.Numel())
	copyInto(tmp, buf[T](src), src.shape, src.strides, src.offset)
	d, k := buf[T](dst), 0
	eachOffset(dst.shape, dst.strides, dst.offset, func(off int) { d[off] = tmp[k]; k++ })
}

// Assign copies src's values (broadcast to t's shape) into t, in place and
// through views: x.Slice(0, 0, 2).Assign(y) writes into x. It is not
// recorded by autograd.
func (t *Tensor) Assign(src *Tensor) *Tensor {
	t.copyFrom(src)
	return t
}

// Concat joins tensors along dim; their other dimensions must agree.
func Concat(dim int, ts ...*Tensor) *Tensor {
	if len(ts) == 0 {
		fail(ErrEmpty, "concat", "no tensors")
	}
	first := ts[0]
	dim = first.axis("concat", dim)
	shape := append([]int{}, first.shape...)
	shape[dim] = 0
	for _, x := range ts {
		if x.dtype != first.dtype {
			fail(ErrDType, "concat", "%s %v and %s %v", shapeStr(first.shape), first.dtype, shapeStr(x.shape), x.dtype)
		}
		if len(x.shape) != len(first.shape) {
			fail(ErrShape, "concat", "%s and %s: different numbers of dimensions", shapeStr(first.shape), shapeStr(x.shape))
		}
		for i := range x.shape {
			if i != dim && x.shape[i] != first.shape[i] {
				fail(ErrShape, "concat", "%s and %s along dim %d: dim %d differs", shapeStr(first.shape), shapeStr(x.shape), dim, i)
			}
		}
		shape[dim] += x.shape[dim]
	}
	out := newTensor(first.dtype, shape)
	at := 0
	bounds := make([]int, len(ts)+1)
	for i, x := range ts {
		out.Slice(dim, at, at+x.shape[dim]).Detach().copyFrom(x)
		at += x.shape[dim]
		bounds[i+1] = at
	}
	return record(out, "concat", append([]*Tensor{}, ts...), nil, func(g *Tensor) []*Tensor {
		gs := make([]*Tensor, len(ts))
		for i := range ts {
			gs[i] = g.Slice(dim, bounds[i], bounds[i+1])
		}
		return gs
	})
}

// Stack joins tensors of one shape along a new dimension dim.
func Stack(dim int, ts ...*Tensor) *Tensor {
	if len(ts) == 0 {
		fail(ErrEmpty, "stack", "no tensors")
	}
	us := make([]*Tensor, len(ts))
	for i, x := range ts {
		if !slices.Equal(x.shape, ts[0].shape) {
			fail(ErrShape, "stack", "%s and %s: shapes differ", shapeStr(ts[0].shape), shapeStr(x.shape))
		}
		us[i] = x.Unsqueeze(dim)
	}
	return Concat(dim, us...)
}

// Split cuts t along dim into pieces of size (the last may be smaller);
// the pieces are views.
func (t *Tensor) Split(size, dim int) []*Tensor {
	dim = t.axis("split", dim)
	if size <= 0 {
		fail(ErrShape, "split", "%s: size %d must be positive", shapeStr(t.shape), size)
	}
	var out []*Tensor
	for at := 0; at < t.shape[dim]; at += size {
		out = append(out, t.Slice(dim, at, at+size))
	}
	return out
}

// Chunk cuts t along dim into n pieces of near-equal size (views).
func (t *Tensor) Chunk(n, dim int) []*Tensor {
	d := t.axis("chunk", dim)
	if n <= 0 {
		fail(ErrShape, "chunk", "%s: %d chunks", shapeStr(t.shape), n)
	}
	return t.Split((t.shape[d]+n-1)/n, d)
}
