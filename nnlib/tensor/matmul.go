package tensor

import "github.com/gonnlab/gonn/interrupt"

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
	out := newTensor(t.dtype, append(append([]int{}, batch...), n, m))
	switch t.dtype {
	case Float32:
		batchedGemm(sgemm, out, t, o, batch, n, k, m)
	case Float64:
		batchedGemm(dgemm, out, t, o, batch, n, k, m)
	}
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
// C = alpha*op(A)*op(B) + beta*C.
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

// sgemm is row-major C = alpha*op(A)*op(B) + beta*C in float32 (the
// signature of accel.Sgemm).
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// dgemm is sgemm in float64.
func dgemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemm is the plain Go matrix product: C[i][j] = alpha * sum_p A(i,p)*B(p,j)
// + beta*C[i][j], where A(i,p) is a[i*lda+p], or a[p*lda+i] if transA, and
// B(p,j) is b[p*ldb+j], or b[j*ldb+p] if transB.
func gemm[T float](transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
		} else if beta != 1 {
			for j := range row {
				row[j] *= beta
			}
		}
	}
	aik := func(i, p int) T {
		if transA {
			return a[p*lda+i]
		}
		return a[i*lda+p]
	}
	if transB {
		arow := make([]T, k)
		for i := 0; i < m; i++ {
			for p := range arow {
				arow[p] = aik(i, p)
			}
			row := c[i*ldc : i*ldc+n]
			for j := range row {
				row[j] += alpha * dot(arow, b[j*ldb:j*ldb+k])
			}
		}
		return
	}
	const kb = 128 // block of k, so a block of B rows stays in cache
	for p0 := 0; p0 < k; p0 += kb {
		p1 := min(p0+kb, k)
		for i := 0; i < m; i++ {
			row := c[i*ldc : i*ldc+n]
			for p := p0; p < p1; p++ {
				if s := alpha * aik(i, p); s != 0 {
					axpy(row, s, b[p*ldb:p*ldb+n])
				}
			}
		}
	}
}

// axpy is y += s*x.
func axpy[T float](y []T, s T, x []T) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y[i] += s * x[i]
		y[i+1] += s * x[i+1]
		y[i+2] += s * x[i+2]
		y[i+3] += s * x[i+3]
	}
	for ; i < len(y); i++ {
		y[i] += s * x[i]
	}
}

// dot is sum x[i]*y[i].
func dot[T float](x, y []T) T {
	y = y[:len(x)]
	var s0, s1, s2, s3 T
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return s0 + s1 + s2 + s3
}
