package tensor

// checkIndex panics unless index is an Int tensor whose values lie in
// [0, n) (negative values count from the end and are normalised).
func checkIndex(op string, t, index *Tensor, n int) []int {
	if index.dtype != Int {
		fail(ErrDType, op, "index %s is %v, want int (convert with To(Int))", shapeStr(index.shape), index.dtype)
	}
	ids := append([]int{}, flat[int](index)...)
	for i, v := range ids {
		if v < -n || v >= n {
			fail(ErrIndex, op, "%s with index %s: index %d out of range for size %d", shapeStr(t.shape), shapeStr(index.shape), v, n)
		}
		if v < 0 {
			ids[i] = v + n
		}
	}
	return ids
}

// IndexSelect returns the slices of t at the given positions along dim;
// index is a one-dimensional Int tensor (an embedding lookup is
// weights.IndexSelect(0, tokens)). It panics if an index is out of range.
func (t *Tensor) IndexSelect(dim int, index *Tensor) *Tensor {
	dim = t.axis("index_select", dim)
	if len(index.shape) != 1 {
		fail(ErrShape, "index_select", "%s: index %s must be one-dimensional", shapeStr(t.shape), shapeStr(index.shape))
	}
	ids := checkIndex("index_select", t, index, t.shape[dim])
	shape := append([]int{}, t.shape...)
	shape[dim] = len(ids)
	out := newTensor(t.dtype, shape)
	src := t.Detach()
	for i, j := range ids {
		out.Slice(dim, i, i+1).copyFrom(src.Slice(dim, j, j+1))
	}
	in, dt := t.shape, t.dtype
	return record(out, "index_select", []*Tensor{t, nil}, []*Tensor{index}, func(g *Tensor) []*Tensor {
		z := newTensor(dt, in)
		for i, j := range ids {
			addInto(z.Slice(dim, j, j+1), g.Slice(dim, i, i+1))
		}
		return []*Tensor{z, nil}
	})
}

// addInto adds src (same shape) into the view dst, in place.
func addInto(dst, src *Tensor) {
	switch dst.dtype {
	case Float32:
		addView[float32](dst, src)
	case Float64:
		addView[float64](dst, src)
	}
}

func addView[T float](dst, src *Tensor) {
	s := flat[T](src)
	d, k := buf[T](dst), 0
	eachOffset(dst.shape, dst.strides, dst.offset, func(off int) { d[off] += s[k]; k++ })
}

// Gather picks, along dim, the elements named by index, as torch.gather:
// for dim 1 of a matrix, out[i][j] = t[i][index[i][j]]. index is an Int
// tensor with t's number of dimensions and no larger sizes; the result has
// index's shape. Picking each row's label score is
// scores.Gather(1, labels.Unsqueeze(1)).
func (t *Tensor) Gather(dim int, index *Tensor) *Tensor {
	checkFloat("gather", t)
	dim = t.axis("gather", dim)
	if len(index.shape) != len(t.shape) {
		fail(ErrShape, "gather", "%s with index %s: numbers of dimensions differ", shapeStr(t.shape), shapeStr(index.shape))
	}
	for i := range index.shape {
		if i != dim && index.shape[i] > t.shape[i] {
			fail(ErrShape, "gather", "%s with index %s: index larger in dim %d", shapeStr(t.shape), shapeStr(index.shape), i)
		}
	}
	ids := checkIndex("gather", t, index, t.shape[dim])
	offs := gatherOffsets(t, index.shape, dim, ids)
	out := newTensor(t.dtype, index.shape)
	switch t.dtype {
	case Float32:
		gatherInto(buf[float32](out), buf[float32](t), offs)
	case Float64:
		gatherInto(buf[float64](out), buf[float64](t), offs)
	}
	in, dt := t.shape, t.dtype
	return record(out, "gather", []*Tensor{t, nil}, []*Tensor{index}, func(g *Tensor) []*Tensor {
		z := newTensor(dt, in)
		zoffs := gatherOffsets(z, index.shape, dim, ids)
		switch dt {
		case Float32:
			scatterAdd(buf[float32](z), flat[float32](g), zoffs)
		case Float64:
			scatterAdd(buf[float64](z), flat[float64](g), zoffs)
		}
		return []*Tensor{z, nil}
	})
}

// gatherOffsets returns, for each position of an index of shape ishape
// (row-major), the storage offset in t of the element it picks.
func gatherOffsets(t *Tensor, ishape []int, dim int, ids []int) []int {
	offs := make([]int, len(ids))
	idx := make([]int, len(ishape))
	for k := range ids {
		off := t.offset
		for d, x := range idx {
			if d == dim {
				x = ids[k]
			}
			off += x * t.strides[d]
		}
		offs[k] = off
		for d := len(ishape) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < ishape[d] {
				break
			}
			idx[d] = 0
		}
	}
	return offs
}

func gatherInto[T float](out, src []T, offs []int) {
	for k, off := range offs {
		out[k] = src[off]
	}
}

func scatterAdd[T float](dst, g []T, offs []int) {
	for k, off := range offs {
		dst[off] += g[k]
	}
}
