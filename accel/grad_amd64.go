//go:build !noasm

package accel

import "golang.org/x/sys/cpu"

// archGrad returns the assembly gradient kernels if this CPU runs them
// (AVX).
func archGrad() []*gradKernels {
	if !cpu.X86.HasAVX {
		return nil
	}
	return []*gradKernels{{name: "avx", reluGrad: reluGradF32AVX}}
}

// reluGradF32AVX is reluGradF32Go for len(dst) a multiple of 8.
//
//go:noescape
func reluGradF32AVX(dst, g, out []float32)
