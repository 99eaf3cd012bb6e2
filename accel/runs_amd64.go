//go:build !noasm

package accel

import "golang.org/x/sys/cpu"

// archRuns returns the assembly run kernels if this CPU runs them (AVX).
func archRuns() []*runKernels {
	if !cpu.X86.HasAVX {
		return nil
	}
	return []*runKernels{{name: "avx", copy: copyRunsF32AVX, add: addRunsF32AVX}}
}

// copyRunsF32AVX is copyRunsF32Go: for each of runs runs, copy n values
// from src[r*srcStride:] to dst[r*dstStride:].
//
//go:noescape
func copyRunsF32AVX(dst []float32, dstStride int, src []float32, srcStride int, runs, n int)

// addRunsF32AVX is addRunsF32Go: dst[r*dstStride+i] += src[r*srcStride+i].
//
//go:noescape
func addRunsF32AVX(dst []float32, dstStride int, src []float32, srcStride int, runs, n int)
