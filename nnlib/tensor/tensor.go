package tensor

import (
	"fmt"
	"sync/atomic"
)

// DType is the element type of a tensor.
type DType int

// The dtypes. Float32 is the default; Float64 is for gradient checks; Int
// holds labels and indices and takes part in no arithmetic.
const (
	Float32 DType = iota
	Float64
	Int
)

// String returns the dtype's name: "float32", "float64" or "int".
func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Float64:
		return "float64"
	case Int:
		return "int"
	}
	return fmt.Sprintf("DType(%d)", int(d))
}

// elem is any element type; float is the ones arithmetic works on.
type elem interface{ float32 | float64 | int }
type float interface{ float32 | float64 }

// Tensor is an n-dimensional array with reverse-mode autograd.
//
// A tensor is a view: a shape, strides and an offset into storage that
// other tensors (slices, transposes, reshapes) may share. Ops never modify
// their operands; Set and Fill write through views into shared storage.
//
// The zero value is not usable; make tensors with the constructors (Zeros,
// Randn, FromSlice, ...).
type Tensor struct {
	dtype   DType
	data    any // []float32, []float64 or []int, shared between views
	shape   []int
	strides []int
	offset  int
	version *uint64 // bumped by in-place writes; shared between views
	born    uint64  // when the storage was made (births); shared between views

	// autograd
	requiresGrad bool
	grad         *Tensor // accumulated gradient (leaves, or RetainGrad)
	retainGrad   bool
	node         *node // the op that made this tensor; nil for a leaf
	hooks        []func(*Tensor) *Tensor
	pass         *Tensor // gradient gathered during one Backward walk
}

// inlineDims is the number of dimensions whose shape and strides newTensor
// keeps in the tensor's own allocation.
const inlineDims = 4

// tensorWithDims is a Tensor with room for its shape and strides, so that a
// small result costs one allocation fewer than three.
type tensorWithDims struct {
	t    Tensor
	dims [2 * inlineDims]int
}

// newTensor returns a zeroed contiguous tensor.
func newTensor(dt DType, shape []int) *Tensor {
	t := newHeader(dt, shape)
	n := numel(shape)
	switch dt {
	case Float32:
		t.data = make([]float32, n)
	case Float64:
		t.data = make([]float64, n)
	case Int:
		t.data = make([]int, n)
	default:
		fail(ErrDType, "new", "unknown dtype %v", dt)
	}
	return t
}

// newHeader returns a contiguous tensor of dtype dt and shape with no
// storage yet.
func newHeader(dt DType, shape []int) *Tensor {
	var t *Tensor
	if nd := len(shape); nd <= inlineDims {
		a := &tensorWithDims{}
		t = &a.t
		t.shape = a.dims[:nd:nd]
		copy(t.shape, shape)
		t.strides = a.dims[inlineDims : inlineDims+nd : inlineDims+nd]
		acc := 1
		for i := nd - 1; i >= 0; i-- {
			t.strides[i] = acc
			acc *= shape[i]
		}
	} else {
		t = &Tensor{shape: append([]int{}, shape...), strides: contiguousStrides(shape)}
	}
	t.dtype, t.version, t.born = dt, new(uint64), births.Add(1)
	return t
}

// births counts the storages made so far; a tensor's born field is the
// count when its storage was made, so that Backward can tell a gradient a
// rule made during the walk from one that existed before it.
var births atomic.Uint64

// view returns a tensor sharing t's storage with another shape and strides.
func (t *Tensor) view(shape, strides []int, offset int) *Tensor {
	return &Tensor{dtype: t.dtype, data: t.data, version: t.version, born: t.born, shape: shape, strides: strides, offset: offset}
}

// buf returns t's storage as a []T; T must match t's dtype.
func buf[T elem](t *Tensor) []T { return t.data.([]T) }

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func contiguousStrides(shape []int) []int {
	s := make([]int, len(shape))
	acc := 1
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = acc
		acc *= shape[i]
	}
	return s
}

// DType returns t's element type.
func (t *Tensor) DType() DType { return t.dtype }

// Shape returns a copy of t's shape; a scalar's shape is empty.
func (t *Tensor) Shape() []int { return append([]int{}, t.shape...) }

// Strides returns a copy of t's strides, in elements.
func (t *Tensor) Strides() []int { return append([]int{}, t.strides...) }

// Dim returns the number of dimensions.
func (t *Tensor) Dim() int { return len(t.shape) }

// Size returns the length of dimension d; negative d counts from the end.
func (t *Tensor) Size(d int) int { return t.shape[t.axis("size", d)] }

// Numel returns the number of elements.
func (t *Tensor) Numel() int { return numel(t.shape) }

// IsContiguous reports whether t's elements lie in row-major order with no
// gaps, so that its storage can be read as a flat slice.
func (t *Tensor) IsContiguous() bool {
	acc := 1
	for i := len(t.shape) - 1; i >= 0; i-- {
		if t.shape[i] != 1 && t.strides[i] != acc {
			return false
		}
		acc *= t.shape[i]
	}
	return true
}

// SharesStorage reports whether t and u are views of the same storage.
func (t *Tensor) SharesStorage(u *Tensor) bool {
	switch a := t.data.(type) {
	case []float32:
		b, ok := u.data.([]float32)
		return ok && cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][cap(a)-1] == &b[:cap(b)][cap(b)-1]
	case []float64:
		b, ok := u.data.([]float64)
		return ok && cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][cap(a)-1] == &b[:cap(b)][cap(b)-1]
	case []int:
		b, ok := u.data.([]int)
		return ok && cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][cap(a)-1] == &b[:cap(b)][cap(b)-1]
	}
	return false
}

// axis normalises a possibly negative axis of t, panicking if out of range.
func (t *Tensor) axis(op string, d int) int {
	n := len(t.shape)
	if d < -n || d >= n {
		fail(ErrShape, op, "%s: dim %d out of range for %d dimensions", shapeStr(t.shape), d, n)
	}
	if d < 0 {
		d += n
	}
	return d
}

// flatIndex returns the storage offset of the element at idx.
func (t *Tensor) flatIndex(op string, idx []int) int {
	if len(idx) != len(t.shape) {
		fail(ErrIndex, op, "%s: %d indices for %d dimensions", shapeStr(t.shape), len(idx), len(t.shape))
	}
	off := t.offset
	for i, x := range idx {
		if x < 0 {
			x += t.shape[i]
		}
		if x < 0 || x >= t.shape[i] {
			fail(ErrIndex, op, "%s: index %d out of range for dim %d of size %d", shapeStr(t.shape), idx[i], i, t.shape[i])
		}
		off += x * t.strides[i]
	}
	return off
}

// At returns the element at idx as a float64 (negative indices count from
// the end). It panics if the indices do not fit t's shape.
func (t *Tensor) At(idx ...int) float64 {
	off := t.flatIndex("at", idx)
	switch d := t.data.(type) {
	case []float32:
		return float64(d[off])
	case []float64:
		return d[off]
	default:
		return float64(d.([]int)[off])
	}
}

// Set writes v at idx, in place, through any view. It is not recorded by
// autograd; Backward panics if a tensor its graph saved was modified.
func (t *Tensor) Set(v float64, idx ...int) {
	off := t.flatIndex("set", idx)
	*t.version++
	switch d := t.data.(type) {
	case []float32:
		d[off] = float32(v)
	case []float64:
		d[off] = v
	default:
		d.([]int)[off] = int(v)
	}
}

// Item returns the value of a one-element tensor. It panics if t has more or
// fewer than one element.
func (t *Tensor) Item() float64 {
	if t.Numel() != 1 {
		fail(ErrShape, "item", "%s: a tensor with %d elements has no single value", shapeStr(t.shape), t.Numel())
	}
	return t.At(make([]int, len(t.shape))...)
}

// Float32s returns a copy of t's elements in row-major order as float32.
func (t *Tensor) Float32s() []float32 { return buf[float32](t.Detach().To(Float32).materialize()) }

// Float64s returns a copy of t's elements in row-major order as float64.
func (t *Tensor) Float64s() []float64 { return buf[float64](t.Detach().To(Float64).materialize()) }

// Ints returns a copy of t's elements in row-major order as int (floats are
// truncated toward zero).
func (t *Tensor) Ints() []int { return buf[int](t.Detach().To(Int).materialize()) }

// Fill sets every element of t to v, in place, through any view. It is not
// recorded by autograd (see Set). It returns t.
func (t *Tensor) Fill(v float64) *Tensor {
	*t.version++
	switch t.dtype {
	case Float32:
		fillStrided(t, float32(v))
	case Float64:
		fillStrided(t, v)
	case Int:
		fillStrided(t, int(v))
	}
	return t
}

func fillStrided[T elem](t *Tensor, v T) {
	d := buf[T](t)
	eachOffset(t.shape, t.strides, t.offset, func(off int) { d[off] = v })
}

// eachOffset calls f with the storage offset of every element of a view, in
// row-major order.
func eachOffset(shape, strides []int, offset int, f func(off int)) {
	n := numel(shape)
	if n == 0 {
		return
	}
	idx := make([]int, len(shape))
	off := offset
	for k := 0; k < n; k++ {
		f(off)
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d]++
			off += strides[d]
			if idx[d] < shape[d] {
				break
			}
			off -= strides[d] * shape[d]
			idx[d] = 0
		}
	}
}

// copyInto copies the view (shape, strides, offset) of src into the
// contiguous dst, whose length is numel(shape).
func copyInto[T elem](dst, src []T, shape, strides []int, offset int) {
	nd := len(shape)
	if nd == 0 {
		dst[0] = src[offset]
		return
	}
	inner, is := shape[nd-1], strides[nd-1]
	rows := numel(shape[:nd-1])
	if inner == 0 || rows == 0 {
		return
	}
	idx := make([]int, nd-1)
	off := offset
	for r := 0; r < rows; r++ {
		row := dst[r*inner : (r+1)*inner]
		if is == 1 {
			copy(row, src[off:off+inner])
		} else {
			o := off
			for j := range row {
				row[j] = src[o]
				o += is
			}
		}
		for d := nd - 2; d >= 0; d-- {
			idx[d]++
			off += strides[d]
			if idx[d] < shape[d] {
				break
			}
			off -= strides[d] * shape[d]
			idx[d] = 0
		}
	}
}

// flat returns t's elements as a contiguous []T of length Numel, sharing
// storage when t is already contiguous.
func flat[T elem](t *Tensor) []T {
	d := buf[T](t)
	n := t.Numel()
	if t.IsContiguous() {
		return d[t.offset : t.offset+n]
	}
	out := make([]T, n)
	copyInto(out, d, t.shape, t.strides, t.offset)
	return out
}

// materialize returns a new contiguous tensor with t's values and no graph.
func (t *Tensor) materialize() *Tensor {
	var out *Tensor
	if t.dtype == Float32 {
		out = newTensorF32(t.shape) // copyInto writes every element
	} else {
		out = newTensor(t.dtype, t.shape)
	}
	switch t.dtype {
	case Float32:
		copyInto(buf[float32](out), buf[float32](t), t.shape, t.strides, t.offset)
	case Float64:
		copyInto(buf[float64](out), buf[float64](t), t.shape, t.strides, t.offset)
	case Int:
		copyInto(buf[int](out), buf[int](t), t.shape, t.strides, t.offset)
	}
	return out
}

// Clone returns a contiguous copy of t that owns its storage; gradients
// flow back through it to t.
func (t *Tensor) Clone() *Tensor {
	out := t.materialize()
	return record(out, "clone", []*Tensor{t}, nil, func(g *Tensor) []*Tensor { return []*Tensor{g} })
}

// Contiguous returns t if it is contiguous, and a contiguous copy otherwise.
func (t *Tensor) Contiguous() *Tensor {
	if t.IsContiguous() {
		return t
	}
	return t.Clone()
}

// To returns t converted to dtype dt (t itself if it already has it).
// Conversions between float dtypes are differentiable.
func (t *Tensor) To(dt DType) *Tensor {
	if t.dtype == dt {
		return t
	}
	out := newTensor(dt, t.shape)
	switch dt {
	case Float32:
		convert(buf[float32](out), t)
	case Float64:
		convert(buf[float64](out), t)
	case Int:
		convert(buf[int](out), t)
	}
	if dt == Int {
		return out
	}
	src := t.dtype
	return record(out, "to_"+dt.String(), []*Tensor{t}, nil, func(g *Tensor) []*Tensor { return []*Tensor{g.To(src)} })
}

func convert[D elem](dst []D, t *Tensor) {
	switch t.dtype {
	case Float32:
		convertFrom(dst, flat[float32](t))
	case Float64:
		convertFrom(dst, flat[float64](t))
	case Int:
		convertFrom(dst, flat[int](t))
	}
}

func convertFrom[D, S elem](dst []D, src []S) {
	for i, v := range src {
		dst[i] = D(v)
	}
}

// Float returns t as Float32 (a shorthand for t.To(Float32)).
func (t *Tensor) Float() *Tensor { return t.To(Float32) }

// Double returns t as Float64 (a shorthand for t.To(Float64)).
func (t *Tensor) Double() *Tensor { return t.To(Float64) }

// Float32Data returns the storage of a contiguous Float32 tensor as a
// slice, shared, not copied, for kernels in other packages. Writes through
// it are seen by autograd's in-place check only after MarkModified. It panics
// if t is not a contiguous Float32 tensor.
func (t *Tensor) Float32Data() []float32 { return rawData[float32](t, "float32_data", Float32) }

// Float64Data is Float32Data for a Float64 tensor.
func (t *Tensor) Float64Data() []float64 { return rawData[float64](t, "float64_data", Float64) }

// IntData is Float32Data for an Int tensor.
func (t *Tensor) IntData() []int { return rawData[int](t, "int_data", Int) }

func rawData[T elem](t *Tensor, op string, dt DType) []T {
	if t.dtype != dt {
		fail(ErrDType, op, "%s is %v, not %v", shapeStr(t.shape), t.dtype, dt)
	}
	if !t.IsContiguous() {
		fail(ErrShape, op, "%s with strides %v is not contiguous; call Contiguous first", shapeStr(t.shape), t.strides)
	}
	return buf[T](t)[t.offset : t.offset+t.Numel()]
}
