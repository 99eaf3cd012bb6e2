package accel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonnlab/gonn/interrupt"
)

// guard is the number of sentinel elements before and after every buffer.
const guard = 19

// sentinel is a NaN with a payload no computation produces; every element
// outside a matrix (guards and the gap between row length and stride) holds
// it, so reading it poisons the result and writing it is detected.
func sentinel[T float]() T {
	var z T
	switch any(z).(type) {
	case float32:
		return T(math.Float32frombits(0x7fa1dead))
	}
	return T(math.Float64frombits(0x7ff4dead0000dead))
}

func isSentinel[T float](v T) bool {
	switch x := any(v).(type) {
	case float32:
		return math.Float32bits(x) == 0x7fa1dead
	case float64:
		return math.Float64bits(x) == 0x7ff4dead0000dead
	}
	return false
}

// matrix is a rows x cols row-major matrix with stride ld inside a guarded
// buffer: data is buf[guard : len(buf)-guard].
type matrix[T float] struct {
	rows, cols, ld int
	buf            []T
}

func newMatrix[T float](rows, cols, ld int, fill func() T) matrix[T] {
	n := 0
	if rows > 0 {
		n = (rows-1)*ld + cols
	}
	buf := make([]T, n+2*guard)
	for i := range buf {
		buf[i] = sentinel[T]()
	}
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			buf[guard+i*ld+j] = fill()
		}
	}
	return matrix[T]{rows, cols, ld, buf}
}

func (x matrix[T]) data() []T     { return x.buf[guard : len(x.buf)-guard] }
func (x matrix[T]) at(i, j int) T { return x.buf[guard+i*x.ld+j] }

// checkGuards fails if anything outside the matrix proper changed.
func (x matrix[T]) checkGuards(t *testing.T, name string) {
	t.Helper()
	for i, v := range x.buf {
		k := i - guard
		inside := k >= 0 && k < len(x.buf)-2*guard && k%x.ld < x.cols
		if !inside && !isSentinel(v) {
			t.Fatalf("%s: element %d outside the matrix was overwritten with %v", name, k, v)
		}
	}
}

// refGemm is the reference: C = alpha*op(A)*op(B) + beta*C in float64 with
// the obvious loops. It also returns, per element, the bound
// |alpha|*sum|a||b| + |beta*c| that scales the allowed rounding error.
func refGemm[T float](transA, transB bool, m, n, k int, alpha T, a matrix[T], b matrix[T], beta T, c matrix[T]) (want, scale []float64) {
	want = make([]float64, m*n)
	scale = make([]float64, m*n)
	opA := func(i, p int) float64 {
		if transA {
			return float64(a.at(p, i))
		}
		return float64(a.at(i, p))
	}
	opB := func(p, j int) float64 {
		if transB {
			return float64(b.at(j, p))
		}
		return float64(b.at(p, j))
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s, abs float64
			for p := 0; p < k; p++ {
				s += opA(i, p) * opB(p, j)
				abs += math.Abs(opA(i, p) * opB(p, j))
			}
			w := float64(alpha) * s
			sc := math.Abs(float64(alpha)) * abs
			if beta != 0 {
				w += float64(beta) * float64(c.at(i, j))
				sc += math.Abs(float64(beta) * float64(c.at(i, j)))
			}
			want[i*n+j] = w
			scale[i*n+j] = sc
		}
	}
	return want, scale
}

// gemmCase is one call of the conformance suite.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	pad            int // extra stride beyond the minimal one, for all matrices
	alpha, beta    float64
	nanC           bool // fill C with NaN (only with beta == 0)
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d pad=%d alpha=%g beta=%g nanC=%v",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.pad, tc.alpha, tc.beta, tc.nanC)
}

// refCache holds reference results of large cases, keyed by case and type;
// the inputs of a case must then come from a fresh generator with a fixed seed.
type refCache map[string][2][]float64

// runCase runs one case through gemmFn and compares it with refGemm.
func runCase[T float](t *testing.T, rng *rand.Rand, tc gemmCase, eps float64,
	gemmFn func(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)) {
	runCaseCached(t, rng, tc, eps, gemmFn, nil)
}

func runCaseCached[T float](t *testing.T, rng *rand.Rand, tc gemmCase, eps float64,
	gemmFn func(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int),
	cache refCache) {
	t.Helper()
	norm := func() T { return T(rng.NormFloat64()) }
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	a := newMatrix(ar, ac, max(1, ac)+tc.pad, norm)
	b := newMatrix(br, bc, max(1, bc)+tc.pad, norm)
	fillC := norm
	if tc.nanC {
		fillC = func() T { return T(math.NaN()) }
	}
	c := newMatrix(tc.m, tc.n, max(1, tc.n)+tc.pad, fillC)
	alpha, beta := T(tc.alpha), T(tc.beta)
	key := fmt.Sprintf("%v %T", tc, alpha)
	r, ok := cache[key]
	if !ok {
		r[0], r[1] = refGemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, alpha, a, b, beta, c)
		if cache != nil {
			cache[key] = r
		}
	}
	want, scale := r[0], r[1]
	gemmFn(tc.transA, tc.transB, tc.m, tc.n, tc.k, alpha, a.data(), a.ld, b.data(), b.ld, beta, c.data(), c.ld)
	a.checkGuards(t, "a")
	b.checkGuards(t, "b")
	c.checkGuards(t, "c")
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			got := float64(c.at(i, j))
			w := want[i*tc.n+j]
			// Rounding grows like sqrt(k) for these random inputs; the
			// worst-case bound (k times) would hide real errors at large k.
			if math.IsNaN(got) || math.Abs(got-w) > 8*eps*math.Sqrt(float64(tc.k)+1)*scale[i*tc.n+j]+1e-30 {
				t.Fatalf("%v: c[%d][%d] = %v, want %v", tc, i, j, got, w)
			}
		}
	}
}

// testBackends returns every kernel family on this CPU, each single-threaded
// and on two threads; the two-thread ones split even the smallest GEMMs, so
// that the suite runs the parallel path (items, shared packing) on awkward
// sizes too.
func testBackends(t *testing.T) []*CPUBackend {
	var bs []*CPUBackend
	for _, name := range CPUKernels() {
		for _, threads := range []int{1, 2} {
			b, err := NewCPU(CPUOptions{Kernel: name, Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			if threads > 1 {
				b.minParallel = 1
			}
			bs = append(bs, b)
		}
	}
	return bs
}

// smallSizes covers every remainder class of every micro-kernel's mr and nr
// (4, 6, 8, 12, 16, 32) within 1..67.
var smallSizes = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
	24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 35, 40, 45, 47, 48, 49, 55, 60, 63, 64, 65, 67}

var kSizes = []int{1, 2, 3, 5, 8, 16, 17, 31, 33, 64, 67}

// conformance runs the shared suite against one implementation.
func conformance[T float](t *testing.T, eps float64,
	gemmFn func(transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int)) {
	rng := rand.New(rand.NewPCG(1, 2))
	scalars := [][2]float64{{1, 0}, {1, 1}, {-0.5, 2}, {2, 0}, {0, 0.5}, {1.5, -1}}
	i := 0
	for _, m := range smallSizes {
		for _, n := range smallSizes {
			i++
			s := scalars[i%len(scalars)]
			tc := gemmCase{
				transA: i%2 == 1, transB: i/2%2 == 1,
				m: m, n: n, k: kSizes[i%len(kSizes)],
				pad: []int{0, 1, 7}[i%3], alpha: s[0], beta: s[1],
			}
			tc.nanC = tc.beta == 0 && i%4 < 2
			runCase(t, rng, tc, eps, gemmFn)
		}
	}
	// Every k against a few shapes, all four transposes.
	for k := 0; k <= 67; k++ {
		for tr := 0; tr < 4; tr++ {
			tc := gemmCase{transA: tr&1 == 1, transB: tr&2 == 2, m: 13 + k%5, n: 33 + k%7, k: k,
				pad: k % 3, alpha: 1, beta: 0, nanC: true}
			runCase(t, rng, tc, eps, gemmFn)
		}
	}
	// Empty matrices: nothing happens, C is not touched when m or n is 0.
	for _, tc := range []gemmCase{{m: 0, n: 5, k: 3, alpha: 1}, {m: 4, n: 0, k: 3, alpha: 1}, {m: 3, n: 4, k: 0, alpha: 1, beta: 0.5}} {
		runCase(t, rng, tc, eps, gemmFn)
	}
}

func TestSgemmConformance(t *testing.T) {
	for _, b := range testBackends(t) {
		t.Run(fmt.Sprintf("%s-t%d", b.Name(), b.threads), func(t *testing.T) {
			conformance(t, 2e-7, b.Sgemm)
		})
	}
}

func TestDgemmConformance(t *testing.T) {
	for _, b := range testBackends(t) {
		t.Run(fmt.Sprintf("%s-t%d", b.Name(), b.threads), func(t *testing.T) {
			conformance(t, 4e-16, b.Dgemm)
		})
	}
}

// TestGemmLarge runs sizes past every blocking parameter (kc, nc, splits
// across threads, both split directions).
func TestGemmLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large GEMM in -short mode")
	}
	cache := refCache{}
	cases := []gemmCase{
		{m: 517, n: 389, k: 1031, pad: 3, alpha: 1, beta: 0, nanC: true},
		{transA: true, transB: true, m: 389, n: 517, k: 301, pad: 1, alpha: 0.5, beta: 2},
		{transB: true, m: 20, n: 1700, k: 1300, alpha: 1, beta: 1},             // two column slabs
		{transA: true, m: 1600, n: 20, k: 1400, alpha: -1, beta: 0},            // two row slabs
		{m: 3, n: 37, k: 70001, pad: 2, alpha: 1, beta: 0.5},                   // two k slabs (asm kernels)
		{transA: true, transB: true, m: 13, n: 2, k: 70001, alpha: 2, beta: 0}, // two k slabs, transposed
	}
	for _, b := range testBackends(t) {
		if b.threads == 1 && b.ks.name != "generic" {
			continue
		}
		t.Run(fmt.Sprintf("%s-t%d", b.Name(), b.threads), func(t *testing.T) {
			for i, tc := range cases {
				runCaseCached(t, rand.New(rand.NewPCG(3, uint64(i))), tc, 2e-7, b.Sgemm, cache)
				runCaseCached(t, rand.New(rand.NewPCG(3, uint64(i))), tc, 4e-16, b.Dgemm, cache)
			}
		})
	}
}

// TestGemmConcurrent calls one backend from several goroutines at once: the
// helpers are busy, so parts run inline, and the results must not mix.
func TestGemmConcurrent(t *testing.T) {
	b, err := NewCPU(CPUOptions{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 9))
			for i := 0; i < 3; i++ {
				runCase(t, rng, gemmCase{m: 170 + g, n: 160, k: 150, alpha: 1, beta: 0.5}, 2e-7, b.Sgemm)
			}
		}()
	}
	wg.Wait()
}

func TestGemmValidation(t *testing.T) {
	f := make([]float32, 100)
	cases := []struct {
		name string
		call func()
		want string
	}{
		{"negative", func() { Sgemm(false, false, -1, 2, 2, 1, f, 2, f, 2, 0, f, 2) }, "accel: sgemm: negative dimension: m=-1"},
		{"lda", func() { Sgemm(false, false, 3, 4, 5, 1, f, 4, f, 4, 0, f, 4) }, "accel: sgemm: lda=4 < max(1, 5)"},
		{"ldb trans", func() { Sgemm(false, true, 3, 4, 5, 1, f, 5, f, 4, 0, f, 4) }, "accel: sgemm: ldb=4 < max(1, 5)"},
		{"short a", func() { Sgemm(false, false, 30, 4, 5, 1, f, 5, f, 4, 0, f, 4) }, "accel: sgemm: len(a)=100 < 150 (30x5 a, lda=5)"},
		{"short c", func() { Sgemm(true, false, 30, 4, 2, 1, f, 30, f, 4, 0, f, 4) }, "accel: sgemm: len(c)=100 < 120"},
		{"dgemm", func() { Dgemm(false, false, 2, 2, 2, 1, nil, 2, nil, 2, 0, nil, 2) }, "accel: dgemm: len(a)=0 < 4"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				e, ok := r.(*Error)
				if !ok {
					t.Fatalf("panic value %#v, want *Error", r)
				}
				if !strings.HasPrefix(e.Error(), tc.want) {
					t.Fatalf("panic %q, want prefix %q", e.Error(), tc.want)
				}
			}()
			tc.call()
		})
	}
}

func TestNewCPU(t *testing.T) {
	names := CPUKernels()
	if names[len(names)-1] != "generic" {
		t.Fatalf("CPUKernels() = %v, want generic last", names)
	}
	if got, want := CPU().Name(), "cpu/"+names[0]; got != want {
		t.Fatalf("CPU().Name() = %q, want %q", got, want)
	}
	if _, err := NewCPU(CPUOptions{Kernel: "sse9"}); err == nil || !strings.Contains(err.Error(), `"sse9"`) {
		t.Fatalf("NewCPU(sse9) error = %v", err)
	}
}

// TestGemmInterrupt raises an interrupt while a long GEMM runs: it must stop
// with interrupt.ErrInterrupted within a second.
func TestGemmInterrupt(t *testing.T) {
	const n = 2048 // ~17 GFLOP: seconds even for the fastest kernel on 2 cores
	a := make([]float32, n*n)
	c := make([]float32, n*n)
	for _, threads := range []int{1, 2} {
		for _, name := range CPUKernels() {
			b, err := NewCPU(CPUOptions{Kernel: name, Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			t.Run(fmt.Sprintf("%s-t%d", b.Name(), threads), func(t *testing.T) {
				defer interrupt.Clear()
				timer := time.AfterFunc(30*time.Millisecond, interrupt.Raise)
				defer timer.Stop()
				start := time.Now()
				var r any
				func() {
					defer func() { r = recover() }()
					b.Sgemm(false, false, n, n, n, 1, a, n, a, n, 0, c, n)
					b.Sgemm(false, false, n, n, n, 1, a, n, a, n, 0, c, n)
				}()
				if r != interrupt.ErrInterrupted {
					t.Fatalf("recovered %v, want interrupt.ErrInterrupted", r)
				}
				if d := time.Since(start); d > time.Second {
					t.Fatalf("stopped after %v, want < 1s", d)
				}
			})
		}
	}
}

// TestGemmParallel checks that small GEMMs stay on the calling goroutine and
// large ones are shared with a helper.
func TestGemmParallel(t *testing.T) {
	b, err := NewCPU(CPUOptions{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if b.Threads() < 2 {
		t.Skip("GOMAXPROCS < 2")
	}
	const n = 256
	big := make([]float32, n*n)
	c := make([]float32, n*n)
	// The first call starts the helper; later ones find it idle, unless
	// another GEMM keeps it busy: try a few times.
	before := helpers.sent.Load()
	for i := 0; i < 20 && helpers.sent.Load() == before; i++ {
		b.Sgemm(false, false, n, n, n, 1, big, n, big, n, 0, c, n)
		time.Sleep(time.Millisecond)
	}
	if helpers.sent.Load() == before {
		t.Errorf("%d^3 GEMMs never used a helper", n)
	}
	small, smallC := make([]float32, 64*64), make([]float32, 64*64)
	// The helper is idle now (it polls for work, then parks).
	before = helpers.sent.Load()
	for i := 0; i < 10; i++ {
		b.Sgemm(false, false, 64, 64, 64, 1, small, 64, small, 64, 0, smallC, 64)
		time.Sleep(100 * time.Microsecond)
	}
	if d := helpers.sent.Load() - before; d != 0 {
		t.Errorf("64^3 GEMMs sent %d tasks to helpers, want 0", d)
	}
}

// TestGemmAllocs checks that the steady state allocates nothing, on one
// thread and on two.
func TestGemmAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	for _, size := range []int{64, 300} {
		a := make([]float32, size*size)
		c := make([]float32, size*size)
		for _, threads := range []int{1, 2} {
			b, err := NewCPU(CPUOptions{Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(20, func() {
				b.Sgemm(false, true, size, size, size, 1, a, size, a, size, 0, c, size)
			})
			if allocs != 0 {
				t.Errorf("%s, %d threads, %d^3: %v allocations per call, want 0", b.Name(), threads, size, allocs)
			}
		}
	}
}

// TestSgemmKernelChoice checks which float32 kernel a GEMM gets: the 8-row
// one only on one goroutine and where it pads less (TestSgemmConformance
// then runs it on every small size it is chosen for).
func TestSgemmKernelChoice(t *testing.T) {
	ks := allKernels[0]
	if ks.s8 == nil {
		t.Skipf("kernel set %s has no 8-row kernel", ks.name)
	}
	for _, c := range []struct {
		m, n, k int
		want    int // mr
	}{
		{64, 128, 256, 8}, {16, 5, 3, 8}, {60, 128, 256, 12}, {12, 5, 3, 12}, {10, 128, 64, 12},
		{1024, 8, 8, 12},   // pads 8 rows of 1032: under 2%
		{64, 256, 784, 12}, // split across goroutines
	} {
		if got := ks.sgemmKernel(c.m, c.n, c.k, 0).mr; got != c.want {
			t.Errorf("%dx%dx%d: %d-row kernel, want %d", c.m, c.n, c.k, got, c.want)
		}
	}
}
