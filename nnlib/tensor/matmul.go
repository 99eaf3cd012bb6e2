package tensor

import (
	"github.com/gonnlab/gonn/accel"
	"github.com/gonnlab/gonn/interrupt"
)

// MatMul returns the matrix product of t and o, as NumPy's matmul: two
// matrices multiply; a vector is treated as a row (first operand) or a
// column (second) and that dimension dropped; leading batch dimensions
// broadcast. It panics if the inner dimensions differ.
func (t *Tensor) MatMul(o *Tensor) *Tensor {
	checkFloat("matmul", t, o)
	if t.dtype != o.dtype {
		fail(ErrDType, "matmul", "%s %v x %s %v: dtypes differ", shapeStr(t.shape), t.dtype, shapeStr(o.shape), o.dtype)
	}
	if len(t.shape) == 0 || len(o.shape) == 0 {
		fail(ErrShape, "matmul", "%s x %s: scalars do not multiply as matrices; use Mul", shapeStr(t.shape), shapeStr(o.shape))
	}
	ka, kb := t.shape[len(t.shape)-1], o.shape[max(len(o.shape)-2, 0)]
	if ka != kb {
		fail(ErrShape, "matmul", "%s x %s: inner dimensions differ", shapeStr(t.shape), shapeStr(o.shape))
	}
	switch {
	case len(t.shape) == 1 && len(o.shape) == 1:
		return t.Unsqueeze(0).matmul(o.Unsqueeze(1)).Reshape()
	case len(t.shape) == 1:
		return t.Unsqueeze(0).matmul(o).Squeeze(-2)
	case len(o.shape) == 1:
		return t.matmul(o.Unsqueeze(1)).Squeeze(-1)
	}
	return t.matmul(o)
}

// matmul multiplies operands of at least two dimensions.
func (t *Tensor) matmul(o *Tensor) *Tensor {
	na, nb := len(t.shape), len(o.shape)
	n, k, m := t.shape[na-2], t.shape[na-1], o.shape[nb-1]
	batch := broadcastShapes("matmul", t.shape[:na-2], o.shape[:nb-2])
	shape := append(append([]int{}, batch...), n, m)
	var out *Tensor
	if t.dtype == Float32 {
		out = newTensorF32(shape) // batchedGemm writes every element
	} else {
		out = newTensor(t.dtype, shape)
	}
	switch t.dtype {
	case Float32:
		batchedGemm(accel.Sgemm, out, t, o, batch, n, k, m)
	case Float64:
		batchedGemm(accel.Dgemm, out, t, o, batch, n, k, m)
	}
	checkNaN("matmul", out, t, o)
	return record(out, "matmul", []*Tensor{t, o}, []*Tensor{t, o}, func(g *Tensor) []*Tensor {
		var ga, gb *Tensor
		if t.requiresGrad {
			ga = g.matmul(o.Transpose(-1, -2))
		}
		if o.requiresGrad {
			gb = t.Transpose(-1, -2).matmul(g)
		}
		return []*Tensor{ga, gb}
	})
}

// gemmFunc is the signature of accel.Sgemm and accel.Dgemm: row-major
// C = alpha*op(A)*op(B) + beta*C, A(i,p) at a[i*lda+p] (a[p*lda+i] when
// transposed), B(p,j) at b[p*ldb+j] (b[j*ldb+p] when transposed).
type gemmFunc[T float] func(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)

// matrixOperand returns x's view over batch dims plus its last two, and
// how gemm reads it: transposed or not, and the leading dimension. A
// matrix whose rows or columns are not contiguous is copied first.
func matrixOperand(x *Tensor, batch []int) (v *Tensor, trans bool, ld int) {
	nd := len(x.shape)
	r, c := x.shape[nd-2], x.shape[nd-1]
	sr, sc := x.strides[nd-2], x.strides[nd-1]
	switch {
	case (sc == 1 || c == 1) && sr >= c && sr > 0:
		trans, ld = false, sr
	case (sr == 1 || r == 1) && sc >= r && sc > 0:
		trans, ld = true, sc
	default:
		x = x.materialize()
		trans, ld = false, max(c, 1)
	}
	shape := append(append([]int{}, batch...), r, c)
	return x.view(shape, x.broadcastStrides(shape), x.offset), trans, ld
}

func batchedGemm[T float](gemm gemmFunc[T], out, a, b *Tensor, batch []int, n, k, m int) {
	av, ta, lda := matrixOperand(a.Detach(), batch)
	bv, tb, ldb := matrixOperand(b.Detach(), batch)
	ad, bd, cd := buf[T](av), buf[T](bv), buf[T](out)
	nb := len(batch)
	var aOffs, bOffs []int
	eachOffset(batch, av.strides[:nb], av.offset, func(off int) { aOffs = append(aOffs, off) })
	eachOffset(batch, bv.strides[:nb], bv.offset, func(off int) { bOffs = append(bOffs, off) })
	for i := range aOffs {
		interrupt.Check()
		c := cd[i*n*m : (i+1)*n*m]
		if k == 0 {
			clear(c)
			continue
		}
		gemm(ta, tb, n, m, k, 1, ad[aOffs[i]:], lda, bd[bOffs[i]:], ldb, 0, c, max(m, 1))
	}
}
