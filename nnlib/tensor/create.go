package tensor

import (
	"math/rand/v2"
	"reflect"
	"sync"
)

func checkShape(op string, shape []int) {
	for _, d := range shape {
		if d < 0 {
			fail(ErrShape, op, "%s: negative size", shapeStr(shape))
		}
	}
}

// Zeros returns a Float32 tensor of zeros.
func Zeros(shape ...int) *Tensor { checkShape("zeros", shape); return newTensor(Float32, shape) }

// Ones returns a Float32 tensor of ones.
func Ones(shape ...int) *Tensor { return Full(1, shape...) }

// Full returns a Float32 tensor filled with v.
func Full(v float64, shape ...int) *Tensor {
	checkShape("full", shape)
	return newTensor(Float32, shape).Fill(v)
}

// New returns a tensor of zeros of dtype dt.
func New(dt DType, shape ...int) *Tensor { checkShape("new", shape); return newTensor(dt, shape) }

// Empty returns a contiguous tensor of dtype dt whose elements are
// undefined, like torch.empty: for an op that writes every element, it
// saves New's clearing, and float32 storage comes from the pool of
// released results (see pool.go), so it may hold any earlier values.
func Empty(dt DType, shape ...int) *Tensor {
	checkShape("empty", shape)
	if dt == Float32 {
		return newTensorF32(shape)
	}
	return newTensor(dt, shape)
}

// ZerosLike returns zeros with t's shape and dtype.
func ZerosLike(t *Tensor) *Tensor { return newTensor(t.dtype, t.shape) }

// OnesLike returns ones with t's shape and dtype.
func OnesLike(t *Tensor) *Tensor { return onesLike(t) }

// Scalar returns a Float32 tensor with no dimensions holding v.
func Scalar(v float64) *Tensor { return newTensor(Float32, nil).Fill(v) }

// Arange returns the Float32 values start, start+step, ... below end (above
// end for a negative step), like NumPy's arange.
func Arange(start, end, step float64) *Tensor {
	if step == 0 {
		fail(ErrShape, "arange", "step is 0")
	}
	n := 0
	for v := start; (step > 0 && v < end) || (step < 0 && v > end); v = start + float64(n)*step {
		n++
	}
	out := newTensor(Float32, []int{n})
	d := buf[float32](out)
	for i := range d {
		d[i] = float32(start + float64(i)*step)
	}
	return out
}

// Eye returns the n x n Float32 identity matrix.
func Eye(n int) *Tensor {
	checkShape("eye", []int{n})
	out := newTensor(Float32, []int{n, n})
	d := buf[float32](out)
	for i := 0; i < n; i++ {
		d[i*n+i] = 1
	}
	return out
}

// FromSlice returns a tensor holding a copy of data, which is a []float32,
// []float64 or []int (the dtype follows), or a nested slice of those
// ([][]float32 ...), with the given shape. Without a shape, a flat slice
// gives a vector and a nested slice its own rectangular shape. It panics if
// the number of elements does not match the shape. (A scalar is
// FromSlice(data).Reshape().)
func FromSlice(data any, shape ...int) *Tensor {
	var out *Tensor
	switch d := data.(type) {
	case []float32:
		out = &Tensor{dtype: Float32, data: append([]float32{}, d...), version: new(uint64), born: births.Add(1)}
	case []float64:
		out = &Tensor{dtype: Float64, data: append([]float64{}, d...), version: new(uint64), born: births.Add(1)}
	case []int:
		out = &Tensor{dtype: Int, data: append([]int{}, d...), version: new(uint64), born: births.Add(1)}
	default:
		return fromNested(data, shape)
	}
	n := reflect.ValueOf(out.data).Len()
	if len(shape) == 0 {
		shape = []int{n}
	}
	checkShape("from_slice", shape)
	if numel(shape) != n {
		fail(ErrShape, "from_slice", "%d values for shape %s", n, shapeStr(shape))
	}
	out.shape, out.strides = append([]int{}, shape...), contiguousStrides(shape)
	return out
}

// fromNested flattens a rectangular nested slice.
func fromNested(data any, shape []int) *Tensor {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		fail(ErrDType, "from_slice", "%T is not a slice of float32, float64 or int", data)
	}
	var own []int
	for w := v; w.Kind() == reflect.Slice; {
		own = append(own, w.Len())
		if w.Len() == 0 {
			break
		}
		w = w.Index(0)
	}
	leaf := v.Type()
	for leaf.Kind() == reflect.Slice {
		leaf = leaf.Elem()
	}
	flatV := reflect.MakeSlice(reflect.SliceOf(leaf), 0, numel(own))
	var walk func(w reflect.Value, depth int)
	walk = func(w reflect.Value, depth int) {
		if w.Len() != own[depth] {
			fail(ErrShape, "from_slice", "ragged nested slice: length %d at depth %d, want %d", w.Len(), depth, own[depth])
		}
		if depth == len(own)-1 {
			flatV = reflect.AppendSlice(flatV, w)
			return
		}
		for i := 0; i < w.Len(); i++ {
			walk(w.Index(i), depth+1)
		}
	}
	walk(v, 0)
	switch flatV.Interface().(type) {
	case []float32, []float64, []int:
	default:
		fail(ErrDType, "from_slice", "%T is not a slice of float32, float64 or int", data)
	}
	if len(shape) == 0 {
		shape = own
	}
	return FromSlice(flatV.Interface(), shape...)
}

// A Generator makes reproducible random tensors. Its methods are safe for
// concurrent use.
type Generator struct {
	mu sync.Mutex
	r  *rand.Rand
}

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

// Seed resets the generator to the sequence of NewGenerator(seed).
func (g *Generator) Seed(seed uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.r = rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

func (g *Generator) fill(shape []int, f func(r *rand.Rand) float64) *Tensor {
	checkShape("rand", shape)
	out := newTensor(Float32, shape)
	g.mu.Lock()
	defer g.mu.Unlock()
	d := buf[float32](out)
	for i := range d {
		d[i] = float32(f(g.r))
	}
	return out
}

// Rand returns Float32 values uniform in [0, 1).
func (g *Generator) Rand(shape ...int) *Tensor {
	return g.fill(shape, func(r *rand.Rand) float64 { return r.Float64() })
}

// Randn returns Float32 values from the standard normal distribution.
func (g *Generator) Randn(shape ...int) *Tensor {
	return g.fill(shape, func(r *rand.Rand) float64 { return r.NormFloat64() })
}

// RandInt returns Int values uniform in [lo, hi).
func (g *Generator) RandInt(lo, hi int, shape ...int) *Tensor {
	if hi <= lo {
		fail(ErrShape, "rand_int", "empty range [%d, %d)", lo, hi)
	}
	checkShape("rand_int", shape)
	out := newTensor(Int, shape)
	g.mu.Lock()
	defer g.mu.Unlock()
	d := buf[int](out)
	for i := range d {
		d[i] = lo + g.r.IntN(hi-lo)
	}
	return out
}

// Perm returns a random permutation of 0..n-1.
func (g *Generator) Perm(n int) []int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.r.Perm(n)
}

// defaultGen is the generator behind the package-level Rand, Randn, ...;
// Seed resets it.
var defaultGen = NewGenerator(0)

// Seed resets the default generator, so that the package-level Rand, Randn,
// RandInt and Perm repeat their sequence.
func Seed(seed uint64) { defaultGen.Seed(seed) }

// DefaultGenerator returns the generator behind the package-level Rand,
// Randn, RandInt and Perm.
func DefaultGenerator() *Generator { return defaultGen }

// Rand returns Float32 values uniform in [0, 1) from the default generator.
func Rand(shape ...int) *Tensor { return defaultGen.Rand(shape...) }

// Randn returns standard normal Float32 values from the default generator.
func Randn(shape ...int) *Tensor { return defaultGen.Randn(shape...) }

// RandInt returns Int values uniform in [lo, hi) from the default generator.
func RandInt(lo, hi int, shape ...int) *Tensor { return defaultGen.RandInt(lo, hi, shape...) }

// Perm returns a random permutation of 0..n-1 from the default generator.
func Perm(n int) []int { return defaultGen.Perm(n) }
