package accel

import (
	"fmt"
	"runtime"
	"strings"
)

// Backend is a compute backend: the operations nnlib hands to precompiled
// kernels. Every implementation computes the same results (up to rounding)
// and panics with an *Error on invalid arguments. The interface will grow
// (convolution, fused elementwise ops) as nnlib needs them; a CUDA backend
// implements it behind the cuda build tag.
type Backend interface {
	// Name identifies the backend and its active kernels, e.g. "cpu/avx512".
	Name() string
	// Sgemm computes C = alpha*op(A)*op(B) + beta*C in float32; see the
	// package-level Sgemm for the argument contract.
	Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)
	// Dgemm is Sgemm in float64.
	Dgemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int)
}

// CPUOptions selects the kernels and the parallelism of a CPU backend. The
// zero value selects the fastest kernels this CPU runs and one worker per
// GOMAXPROCS.
type CPUOptions struct {
	// Kernel names the micro-kernel family: one of CPUKernels(), such as
	// "avx512", "avx2" or "generic". Empty selects the first (fastest).
	Kernel string
	// Threads caps the number of goroutines a large GEMM is split across.
	// Zero or less means runtime.GOMAXPROCS(0) at the time of the call.
	Threads int
}

// CPUBackend runs GEMM on the CPU with packed, cache-blocked micro-kernels.
// Its methods are safe for concurrent use.
type CPUBackend struct {
	ks      *kernelSet
	threads int
	// minParallel overrides parallelMinFlops, so that tests can run the
	// parallel path on small matrices.
	minParallel int
}

var _ Backend = (*CPUBackend)(nil)

// allKernels is the list of kernel sets for this CPU, fastest first; it is
// fixed at package initialisation from the CPU's features.
var allKernels = append(archKernels(), goKernels())

var defaultCPU = &CPUBackend{ks: allKernels[0]}

// CPU returns the default CPU backend: the fastest kernels this CPU supports,
// chosen once at start-up, and all of GOMAXPROCS for large problems.
func CPU() *CPUBackend { return defaultCPU }

// CPUKernels returns the names of the kernel families this CPU can run,
// fastest first; the last is always "generic", the portable Go kernel.
func CPUKernels() []string {
	names := make([]string, len(allKernels))
	for i, ks := range allKernels {
		names[i] = ks.name
	}
	return names
}

// NewCPU returns a CPU backend with the given options. It fails if the
// requested kernel family is unknown or not supported by this CPU.
func NewCPU(opts CPUOptions) (*CPUBackend, error) {
	b := &CPUBackend{ks: allKernels[0], threads: opts.Threads}
	if opts.Kernel == "" {
		return b, nil
	}
	for _, ks := range allKernels {
		if ks.name == opts.Kernel {
			b.ks = ks
			return b, nil
		}
	}
	return nil, fmt.Errorf("accel: cpu kernel %q not available on this CPU (have %s)",
		opts.Kernel, strings.Join(CPUKernels(), ", "))
}

// Name returns "cpu/" followed by the kernel family, e.g. "cpu/avx512".
func (b *CPUBackend) Name() string { return "cpu/" + b.ks.name }

// Threads returns how many goroutines a large GEMM would be split across now.
func (b *CPUBackend) Threads() int {
	t := runtime.GOMAXPROCS(0)
	if b.threads > 0 && b.threads < t {
		t = b.threads
	}
	return t
}

// Sgemm computes C = alpha*op(A)*op(B) + beta*C; see the package-level Sgemm.
func (b *CPUBackend) Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, bm []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm("sgemm", transA, transB, m, n, k, len(a), lda, len(bm), ldb, len(c), ldc)
	gemm(b.ks.sgemmKernel(m, n, k, b.minParallel), b.Threads(), b.minParallel, gemmArgs[float32]{
		transA: transA, transB: transB, m: m, n: n, k: k,
		alpha: alpha, a: a, lda: lda, b: bm, ldb: ldb, beta: beta, c: c, ldc: ldc,
	})
}

// Dgemm computes C = alpha*op(A)*op(B) + beta*C; see the package-level Dgemm.
func (b *CPUBackend) Dgemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, bm []float64, ldb int, beta float64, c []float64, ldc int) {
	checkGemm("dgemm", transA, transB, m, n, k, len(a), lda, len(bm), ldb, len(c), ldc)
	gemm(&b.ks.d, b.Threads(), b.minParallel, gemmArgs[float64]{
		transA: transA, transB: transB, m: m, n: n, k: k,
		alpha: alpha, a: a, lda: lda, b: bm, ldb: ldb, beta: beta, c: c, ldc: ldc,
	})
}
