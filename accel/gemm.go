package accel

import "fmt"

// Error is the panic value for invalid arguments: it names the operation and
// what is wrong, e.g. "accel: sgemm: len(a)=10 < 12 (3x4 A, lda=4)".
type Error struct {
	Op  string // "sgemm", "dgemm"
	Msg string
}

func (e *Error) Error() string { return "accel: " + e.Op + ": " + e.Msg }

// Sgemm computes C = alpha*op(A)*op(B) + beta*C in float32 on the default
// CPU backend. All matrices are row-major: op(A) is m x k, op(B) is k x n and
// C is m x n. With transA false, A is stored as m rows of k elements, row i
// starting at a[i*lda]; with transA true it is stored as k rows of m (A^T),
// and likewise for B. When beta is zero C is not read, so NaNs in C are
// overwritten. Sgemm panics with an *Error if a dimension is negative, a
// leading dimension is smaller than its row length, or a slice is too short.
// Large problems are split across GOMAXPROCS goroutines; long ones poll
// interrupt.Pending and panic with interrupt.ErrInterrupted when it is set.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	defaultCPU.Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Dgemm is Sgemm in float64.
func Dgemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	defaultCPU.Dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// checkGemm panics with an *Error unless the arguments describe valid
// row-major matrices.
func checkGemm(op string, transA, transB bool, m, n, k, lenA, lda, lenB, ldb, lenC, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(&Error{op, fmt.Sprintf("negative dimension: m=%d n=%d k=%d", m, n, k)})
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix(op, "a", ar, ac, lenA, lda)
	checkMatrix(op, "b", br, bc, lenB, ldb)
	checkMatrix(op, "c", m, n, lenC, ldc)
}

// checkMatrix checks one stored rows x cols matrix with leading dimension ld.
func checkMatrix(op, name string, rows, cols, length, ld int) {
	if ld < max(1, cols) {
		panic(&Error{op, fmt.Sprintf("ld%s=%d < max(1, %d) (%dx%d %s)", name, ld, cols, rows, cols, name)})
	}
	if rows == 0 || cols == 0 {
		return
	}
	if need := (rows-1)*ld + cols; length < need {
		panic(&Error{op, fmt.Sprintf("len(%s)=%d < %d (%dx%d %s, ld%s=%d)", name, length, need, rows, cols, name, name, ld)})
	}
}
