//go:build !noasm

package accel

import "golang.org/x/sys/cpu"

//go:generate go run gen_elementwise.go

// archElementwise returns the assembly elementwise kernels if this CPU runs
// them (AVX).
func archElementwise() []*ewKernels {
	if !cpu.X86.HasAVX {
		return nil
	}
	return []*ewKernels{{
		name: "avx",
		vv:   [4]func(dst, a, b []float32) bool{addF32AVX, subF32AVX, mulF32AVX, divF32AVX},
		vs:   [4]func(dst, a []float32, s float32) bool{addScalarF32AVX, subScalarF32AVX, mulScalarF32AVX, divScalarF32AVX},
		relu: reluF32AVX,
		nan:  hasNaNF32AVX,
		axpy: axpyF32AVX,
	}}
}

// addF32AVX is addF32Go: dst[i] = a[i] + b[i] for i < len(dst), and
// whether any dst[i] is NaN.
//
//go:noescape
func addF32AVX(dst, a, b []float32) (nan bool)

// subF32AVX is subF32Go: dst[i] = a[i] - b[i].
//
//go:noescape
func subF32AVX(dst, a, b []float32) (nan bool)

// mulF32AVX is mulF32Go: dst[i] = a[i] * b[i].
//
//go:noescape
func mulF32AVX(dst, a, b []float32) (nan bool)

// divF32AVX is divF32Go: dst[i] = a[i] / b[i].
//
//go:noescape
func divF32AVX(dst, a, b []float32) (nan bool)

// addScalarF32AVX is addScalarF32Go: dst[i] = a[i] + s.
//
//go:noescape
func addScalarF32AVX(dst, a []float32, s float32) (nan bool)

// subScalarF32AVX is subScalarF32Go: dst[i] = a[i] - s.
//
//go:noescape
func subScalarF32AVX(dst, a []float32, s float32) (nan bool)

// mulScalarF32AVX is mulScalarF32Go: dst[i] = a[i] * s.
//
//go:noescape
func mulScalarF32AVX(dst, a []float32, s float32) (nan bool)

// divScalarF32AVX is divScalarF32Go: dst[i] = a[i] / s.
//
//go:noescape
func divScalarF32AVX(dst, a []float32, s float32) (nan bool)

// reluF32AVX is reluF32Go: dst[i] = max(a[i], 0), NaN kept.
//
//go:noescape
func reluF32AVX(dst, a []float32)

// hasNaNF32AVX is hasNaNF32Go: whether any x[i] is NaN.
//
//go:noescape
func hasNaNF32AVX(x []float32) (nan bool)

// axpyF32AVX is axpyF32Go: y[i] += s*x[i], and whether any y[i] is NaN.
//
//go:noescape
func axpyF32AVX(y, x []float32, s float32) (nan bool)
