package tensor

import (
	"github.com/gonnlab/gonn/accel"
	"slices"
)

// In-place arithmetic, for optimizer updates and running statistics: the
// result is written into t's storage (through views), without allocating
// when t is contiguous. Like Set and Fill, it is not recorded by autograd,
// and Backward panics if a graph saved t before the write.

// inPlace computes t = t op o, o broadcast to t's shape.
func (t *Tensor) inPlace(op binOp, o any) *Tensor {
	name := binNames[op] + "_"
	u := operand(name, t, o)
	checkFloat(name, t, u)
	if t.dtype != u.dtype {
		fail(ErrDType, name, "%s %v and %s %v: dtypes differ", shapeStr(t.shape), t.dtype, shapeStr(u.shape), u.dtype)
	}
	if !slices.Equal(broadcastShapes(name, t.shape, u.shape), t.shape) {
		fail(ErrShape, name, "%s does not broadcast to %s, the shape written", shapeStr(u.shape), shapeStr(t.shape))
	}
	*t.version++
	if !t.IsContiguous() {
		var r *Tensor
		NoGrad(func() { r = t.Detach().binary(op, u.Detach()) })
		t.copyFrom(r)
		return t
	}
	if t.dtype == Float32 && op != opPow {
		if nan, done := inPlaceF32(op, t, u); done {
			if nan {
				checkNaN(name, t)
			}
			return t
		}
	}
	dst := t.flatView()
	switch t.dtype {
	case Float32:
		binaryKernel[float32](op, dst, t, u)
	case Float64:
		binaryKernel[float64](op, dst, t, u)
	}
	checkNaN(name, t)
	return t
}

// inPlaceF32 computes t = t op u on accel's kernels for a contiguous
// float32 t and a contiguous u of t's shape, a row vector, or one element;
// it reports whether it did. u may be t itself, but no other view of its
// storage (the kernels read ahead of what they write).
func inPlaceF32(op binOp, t, u *Tensor) (nan bool, done bool) {
	if !u.IsContiguous() || (u.SharesStorage(t) && (u.offset != t.offset || !slices.Equal(u.shape, t.shape))) {
		return false, false
	}
	n := t.Numel()
	d, ud := buf[float32](t)[t.offset:t.offset+n], buf[float32](u)[u.offset:u.offset+u.Numel()]
	switch {
	case slices.Equal(u.shape, t.shape):
		return accel.BinaryF32(accelOps[op], d, d, ud), true
	case len(ud) == 1:
		return accel.ScalarF32(accelOps[op], d, d, ud[0]), true
	case len(t.shape) > 0 && trimOnes(u.shape) == 1 && len(ud) == t.shape[len(t.shape)-1]:
		c := len(ud)
		for i := 0; i < n; i += c {
			if accel.BinaryF32(accelOps[op], d[i:i+c], d[i:i+c], ud) {
				nan = true
			}
		}
		return nan, true
	}
	return false, false
}

// flatView returns a contiguous tensor over t's storage starting at t's
// first element (t must be contiguous), for kernels that write from 0.
func (t *Tensor) flatView() *Tensor {
	v := &Tensor{dtype: t.dtype, shape: t.shape, strides: t.strides, version: t.version, born: t.born}
	switch d := t.data.(type) {
	case []float32:
		v.data = d[t.offset:]
	case []float64:
		v.data = d[t.offset:]
	}
	return v
}

// AddInPlace sets t = t + o (o a tensor broadcast to t's shape, or a
// number) and returns t.
func (t *Tensor) AddInPlace(o any) *Tensor { return t.inPlace(opAdd, o) }

// SubInPlace sets t = t - o and returns t.
func (t *Tensor) SubInPlace(o any) *Tensor { return t.inPlace(opSub, o) }

// MulInPlace sets t = t * o and returns t.
func (t *Tensor) MulInPlace(o any) *Tensor { return t.inPlace(opMul, o) }

// DivInPlace sets t = t / o and returns t.
func (t *Tensor) DivInPlace(o any) *Tensor { return t.inPlace(opDiv, o) }

// AddScaledInPlace sets t = t + alpha*o (o of t's shape), the update of
// plain gradient descent, p.AddScaledInPlace(-lr, p.Grad()), and returns t.
func (t *Tensor) AddScaledInPlace(alpha float64, o *Tensor) *Tensor {
	checkFloat("add_scaled_", t, o)
	if t.dtype != o.dtype || !slices.Equal(t.shape, o.shape) {
		fail(ErrShape, "add_scaled_", "%s %v into %s %v: shapes or dtypes differ", shapeStr(o.shape), o.dtype, shapeStr(t.shape), t.dtype)
	}
	if !t.IsContiguous() {
		return t.AddInPlace(o.Mul(alpha).Detach())
	}
	*t.version++
	switch t.dtype {
	case Float32:
		d := buf[float32](t)[t.offset : t.offset+t.Numel()]
		x := flat[float32](o)
		if o.SharesStorage(t) && o.offset != t.offset {
			x = append([]float32(nil), x...) // the kernel reads ahead of its writes
		}
		if accel.AxpyF32(d, x, float32(alpha)) {
			checkNaN("add_scaled_", t)
		}
	case Float64:
		d := buf[float64](t)[t.offset : t.offset+t.Numel()]
		axpy(d, alpha, flat[float64](o))
		checkNaN("add_scaled_", t)
	}
	return t
}

// axpy is y += s*x.
func axpy[T float](y []T, s T, x []T) {
	x = x[:len(y)]
	for i := range y {
		y[i] += s * x[i]
	}
}

// MarkModified records that t's storage was written directly, through the
// slice of Float32Data, Float64Data or IntData (an optimizer's update, a
// data loader refilling a batch), as Set and Fill record their writes: a
// later Backward through a graph that saved t, or any view of its storage,
// panics with ErrGraph instead of using the new values, as PyTorch does. It
// costs one increment.
func (t *Tensor) MarkModified() { *t.version++ }
