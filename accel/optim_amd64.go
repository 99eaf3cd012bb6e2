//go:build !noasm

package accel

import "golang.org/x/sys/cpu"

// archOptim returns the assembly update kernels if this CPU runs them
// (AVX).
func archOptim() []*optimKernels {
	if !cpu.X86.HasAVX {
		return nil
	}
	return []*optimKernels{{name: "avx", sgd: sgdMomentumF32AVX, adam: adamF32AVX}}
}

// sgdMomentumF32AVX is sgdMomentumF32Go for len(p) a multiple of 8.
//
//go:noescape
func sgdMomentumF32AVX(p, g, buf []float32, lr, wd, mom, keep float32)

// adamF32AVX is adamF32Go for len(p) a multiple of 8.
//
//go:noescape
func adamF32AVX(p, g, m, v []float32, c AdamConsts)
