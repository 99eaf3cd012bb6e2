package accel

import "fmt"

// This file holds the strided-run kernels of nnlib's convolutions:
// CopyRunsF32 (im2col: each row of a window matrix is rows of the image
// copied side by side) and AddRunsF32 (col2im: the same runs added back).
// The runs are short (8 to 32 float32 in LeNet), so a call of the
// runtime's memmove per run cost more than the move; the assembly
// (runs_amd64.s, any CPU with AVX) moves 8 elements per instruction and
// loops over the runs itself. The Go twins below are what -tags noasm and
// other architectures run, and what the tests compare the assembly with on
// sizes 0..99 with guard words.

// runKernels is one implementation of the run kernels; each trusts its
// inputs (see CopyRunsF32).
type runKernels struct {
	name string
	copy func(dst []float32, dstStride int, src []float32, srcStride int, runs, n int)
	add  func(dst []float32, dstStride int, src []float32, srcStride int, runs, n int)
}

// runImpls lists the run kernel sets this CPU runs, fastest first; the
// last is the portable Go one.
var runImpls = append(archRuns(), &runKernels{name: "go", copy: copyRunsF32Go, add: addRunsF32Go})

// runK is the run kernel set in use.
var runK = runImpls[0]

// CopyRunsF32 copies runs runs of n float32 values:
//
//	for r := 0; r < runs; r++ {
//		copy(dst[r*dstStride:r*dstStride+n], src[r*srcStride:r*srcStride+n])
//	}
//
// dst and src must not overlap. It panics with an *Error if a size or
// stride is negative or a slice is too short for the runs.
func CopyRunsF32(dst []float32, dstStride int, src []float32, srcStride int, runs, n int) {
	checkRuns("copy_runs", len(dst), dstStride, len(src), srcStride, runs, n)
	if runs == 0 || n == 0 {
		return
	}
	runK.copy(dst, dstStride, src, srcStride, runs, n)
}

// AddRunsF32 is CopyRunsF32 adding instead of copying:
// dst[r*dstStride+i] += src[r*srcStride+i].
func AddRunsF32(dst []float32, dstStride int, src []float32, srcStride int, runs, n int) {
	checkRuns("add_runs", len(dst), dstStride, len(src), srcStride, runs, n)
	if runs == 0 || n == 0 {
		return
	}
	runK.add(dst, dstStride, src, srcStride, runs, n)
}

// RunKernels names the run kernels in use: "avx" or "go".
func RunKernels() string { return runK.name }

func checkRuns(op string, ld, dstStride, ls, srcStride, runs, n int) {
	if runs < 0 || n < 0 || dstStride < 0 || srcStride < 0 {
		panic(&Error{op, fmt.Sprintf("negative size: runs=%d n=%d strides %d, %d", runs, n, dstStride, srcStride)})
	}
	if runs == 0 || n == 0 {
		return
	}
	if need := (runs-1)*dstStride + n; ld < need {
		panic(&Error{op, fmt.Sprintf("len(dst)=%d < %d (%d runs of %d, stride %d)", ld, need, runs, n, dstStride)})
	}
	if need := (runs-1)*srcStride + n; ls < need {
		panic(&Error{op, fmt.Sprintf("len(src)=%d < %d (%d runs of %d, stride %d)", ls, need, runs, n, srcStride)})
	}
}

// copyRunsF32Go is CopyRunsF32's loop.
func copyRunsF32Go(dst []float32, dstStride int, src []float32, srcStride int, runs, n int) {
	for r := 0; r < runs; r++ {
		copy(dst[r*dstStride:r*dstStride+n], src[r*srcStride:r*srcStride+n])
	}
}

// addRunsF32Go is AddRunsF32's loop.
func addRunsF32Go(dst []float32, dstStride int, src []float32, srcStride int, runs, n int) {
	for r := 0; r < runs; r++ {
		d, s := dst[r*dstStride:r*dstStride+n], src[r*srcStride:r*srcStride+n]
		for i, v := range s {
			d[i] += v
		}
	}
}
