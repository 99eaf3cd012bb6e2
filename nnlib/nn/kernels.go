package nn

import (
	"math/bits"
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

// scratch pools the temporary buffers of the fused ops (im2col columns,
// per-chunk results), so that a training step's steady state reuses them:
// one pool per power-of-two capacity and element type, so that buffers of
// different sizes in flight at once (a chunk's columns, its result, the
// columns kept for the backward) do not push each other out.
var scratch32, scratch64 [bits.UintSize]sync.Pool

// scratchClass returns the pool index for n elements: the capacity
// 1<<class is the smallest power of two >= n.
func scratchClass(n int) int { return bits.Len(uint(max(n, 1) - 1)) }

// getScratch returns a buffer of n elements (not zeroed); give it back
// with putScratch.
func getScratch[T float](n int) []T {
	var z T
	c := scratchClass(n)
	p := &scratch64[c]
	if _, ok := any(z).(float32); ok {
		p = &scratch32[c]
	}
	if b, ok := p.Get().(*[]T); ok {
		return (*b)[:n]
	}
	return make([]T, n, 1<<c)
}

// putScratch returns a buffer made by getScratch to the pool.
func putScratch[T float](b []T) {
	c := scratchClass(cap(b))
	if cap(b) != 1<<c {
		return // not one of getScratch's
	}
	var z T
	p := &scratch64[c]
	if _, ok := any(z).(float32); ok {
		p = &scratch32[c]
	}
	p.Put(&b)
}

// relu is the fused max(x, 0) of ReLU layers, on raw storage: one pass
// forward and one backward (the gradient passes where the output is
// positive, as PyTorch's threshold_backward; NaN stays NaN and gets no
// gradient). Int tensors go through tensor's ReLU.
func relu(x *tensor.Tensor) *tensor.Tensor {
	if x.DType() == tensor.Int {
		return x.ReLU()
	}
	out := tensor.Empty(x.DType(), x.Shape()...) // reluForward writes every element
	xc := contiguous(x)
	if x.DType() == tensor.Float32 {
		accel.ReLUF32(raw[float32](out), raw[float32](xc))
	} else {
		reluForward(raw[float64](xc), raw[float64](out))
	}
	return tensor.Record(out, "relu", []*tensor.Tensor{x}, []*tensor.Tensor{out}, func(g *tensor.Tensor) []*tensor.Tensor {
		g = contiguous(g)
		var gx *tensor.Tensor
		if x.DType() == tensor.Float32 {
			gx = tensor.Empty(x.DType(), x.Shape()...) // accel.ReLUGradF32 writes every element
			reluBackward(raw[float32](g), raw[float32](out), raw[float32](gx))
		} else {
			gx = tensor.New(x.DType(), x.Shape()...)
			reluBackward(raw[float64](g), raw[float64](out), raw[float64](gx))
		}
		return []*tensor.Tensor{gx}
	})
}

// reluForward sets out[i] = max(x[i], 0), NaN for NaN. It has no
// branch on the sign: signs of activations are random, and mispredicted
// branches made a branching loop 7x slower.
func reluForward[T float](x, out []T) {
	out = out[:len(x)]
	for i, v := range x {
		out[i] = max(v, 0)
	}
}

// reluBackward sets gx[i] = g[i] where out[i] > 0, else 0 (out is a ReLU
// output: +0, positive or NaN). float32 runs on accel's vector kernel,
// which writes every element of gx; the float64 loop leaves the others as
// they are (zero).
func reluBackward[T float](g, out, gx []T) {
	if o32, ok := any(out).([]float32); ok {
		accel.ReLUGradF32(any(gx).([]float32), any(g).([]float32), o32)
		return
	}
	g, gx = g[:len(out)], gx[:len(out)]
	for i, v := range out {
		if v > 0 {
			gx[i] = g[i]
		}
	}
}
