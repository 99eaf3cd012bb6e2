package nn

import (
	"sync"

	"github.com/gonnlab/gonn/accel"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// float is the element type of the fused ops' kernels.
type float interface{ float32 | float64 }

// raw returns the storage of a contiguous float tensor of element type T.
func raw[T float](t *tensor.Tensor) []T {
	var z T
	switch any(z).(type) {
	case float32:
		return any(t.Float32Data()).([]T)
	default:
		return any(t.Float64Data()).([]T)
	}
}

// gemm is accel.Sgemm or accel.Dgemm: row-major
// C = alpha*op(A)*op(B) + beta*C, with op(A) m x k and op(B) k x n.
func gemm[T float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if beta == 0 {
			clear(c[:(m-1)*ldc+n])
		}
		return
	}
	switch a := any(a).(type) {
	case []float32:
		accel.Sgemm(transA, transB, m, n, k, float32(alpha), a, lda, any(b).([]float32), ldb, float32(beta), any(c).([]float32), ldc)
	case []float64:
		accel.Dgemm(transA, transB, m, n, k, float64(alpha), a, lda, any(b).([]float64), ldb, float64(beta), any(c).([]float64), ldc)
	}
}

// contiguous returns t's values in a contiguous tensor without a graph.
func contiguous(t *tensor.Tensor) *tensor.Tensor { return t.Detach().Contiguous() }

// scratch pools the temporary buffers of the fused ops (im2col columns),
// so that a training step's steady state reuses them.
var scratch32, scratch64 sync.Pool

// getScratch returns a buffer of n elements (not zeroed); give it back
// with putScratch.
func getScratch[T float](n int) []T {
	var z T
	p := &scratch64
	if _, ok := any(z).(float32); ok {
		p = &scratch32
	}
	if b, ok := p.Get().(*[]T); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return make([]T, n)
}

// putScratch returns a buffer to the pool.
func putScratch[T float](b []T) {
	var z T
	p := &scratch64
	if _, ok := any(z).(float32); ok {
		p = &scratch32
	}
	p.Put(&b)
}
