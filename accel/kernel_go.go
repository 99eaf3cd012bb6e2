package accel

import "unsafe"

// Blocking targets: the packed A panel (mr x kc) stays in L1 while the packed
// B panels of an item (kc x nc) stay in L2; see job.compute.
const (
	kcBytes     = 1024 // kc*sizeof(T): 256 float32 or 128 float64
	bBlockBytes = 512 << 10
)

// newKernel returns a micro-kernel with the blocking this package uses for it.
func newKernel[T float](mr, nr int, fn func(k int, a, b, c *T, ldc int, beta T)) microKernel[T] {
	var z T
	size := int(unsafe.Sizeof(z))
	kc := kcBytes / size
	nc := max(nr, bBlockBytes/(kc*size)/nr*nr)
	return microKernel[T]{mr: mr, nr: nr, kc: kc, nc: nc, fn: fn}
}

// goKernels returns the portable kernel set, written in Go.
func goKernels() *kernelSet {
	return &kernelSet{
		name: "generic",
		s:    newKernel(4, 4, gemmKernelGo[float32]),
		d:    newKernel(4, 4, gemmKernelGo[float64]),
	}
}

// gemmKernelGo computes a 4x4 tile of C from packed panels, the portable twin
// of the assembly kernels:
//
//	for i := 0; i < 4; i++ {
//		for j := 0; j < 4; j++ {
//			var s T
//			for p := 0; p < k; p++ {
//				s += a[p*4+i] * b[p*4+j]
//			}
//			if beta == 0 {
//				c[i*ldc+j] = s
//			} else {
//				c[i*ldc+j] = s + beta*c[i*ldc+j]
//			}
//		}
//	}
func gemmKernelGo[T float](k int, ap, bp, cp *T, ldc int, beta T) {
	a := unsafe.Slice(ap, 4*k)
	b := unsafe.Slice(bp, 4*k)
	var c00, c01, c02, c03, c10, c11, c12, c13 T
	var c20, c21, c22, c23, c30, c31, c32, c33 T
	for p := 0; p < k; p++ {
		av := a[p*4 : p*4+4 : p*4+4]
		bv := b[p*4 : p*4+4 : p*4+4]
		a0, a1, a2, a3 := av[0], av[1], av[2], av[3]
		b0, b1, b2, b3 := bv[0], bv[1], bv[2], bv[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	c := unsafe.Slice(cp, 3*ldc+4)
	store := func(row []T, v0, v1, v2, v3 T) {
		row = row[:4:4]
		if beta == 0 {
			row[0], row[1], row[2], row[3] = v0, v1, v2, v3
			return
		}
		row[0] = v0 + beta*row[0]
		row[1] = v1 + beta*row[1]
		row[2] = v2 + beta*row[2]
		row[3] = v3 + beta*row[3]
	}
	store(c[0:], c00, c01, c02, c03)
	store(c[ldc:], c10, c11, c12, c13)
	store(c[2*ldc:], c20, c21, c22, c23)
	store(c[3*ldc:], c30, c31, c32, c33)
}
