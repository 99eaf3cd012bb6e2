package accel

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// guarded returns a buffer of n values from fill between guard sentinels,
// and the n values themselves.
func guarded(n int, fill func(i int) float32) (buf, data []float32) {
	buf = make([]float32, n+2*guard)
	for i := range buf {
		buf[i] = sentinel[float32]()
	}
	data = buf[guard : guard+n]
	for i := range data {
		data[i] = fill(i)
	}
	return buf, data
}

// checkGuards fails the test if a sentinel around a guarded buffer changed.
func checkGuards(t *testing.T, what string, buf []float32) {
	t.Helper()
	for i := range guard {
		if !isSentinel(buf[i]) || !isSentinel(buf[len(buf)-1-i]) {
			t.Fatalf("%s: guard word %d written", what, i)
		}
	}
}

// sameBits reports whether two float32 slices hold the same bits.
func sameBits(a, b []float32) bool {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}

// ewValue returns a test value: a normal number, or if special a zero, a
// negative zero or an infinity, so that 0/0 and inf-inf make NaN.
func ewValue(rng *rand.Rand, special bool) float32 {
	if special {
		return []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1))}[rng.IntN(4)]
	}
	return float32(rng.NormFloat64() * 4)
}

func TestElementwiseKernels(t *testing.T) {
	ref := goElementwise()
	for _, impl := range elementwiseImpls {
		for n := range 100 {
			for _, specials := range []bool{false, true} {
				rng := rand.New(rand.NewPCG(uint64(n), 7))
				special := func(int) bool { return specials && rng.IntN(3) == 0 }
				abuf, a := guarded(n, func(i int) float32 { return ewValue(rng, special(i)) })
				bbuf, b := guarded(n, func(i int) float32 { return ewValue(rng, special(i)) })
				s := ewValue(rng, specials)
				for op := OpAdd; op <= OpDiv; op++ {
					want := make([]float32, n)
					wantNaN := ref.vv[op](want, a, b)
					dbuf, dst := guarded(n, func(int) float32 { return -1 })
					gotNaN := impl.vv[op](dst, a, b)
					if !sameBits(dst, want) || gotNaN != wantNaN {
						t.Fatalf("%s %v n=%d: got %v nan=%v, want %v nan=%v", impl.name, op, n, dst, gotNaN, want, wantNaN)
					}
					checkGuards(t, impl.name+" "+op.String(), dbuf)

					wantS := make([]float32, n)
					wantSNaN := ref.vs[op](wantS, a, s)
					gotSNaN := impl.vs[op](dst, a, s)
					if !sameBits(dst, wantS) || gotSNaN != wantSNaN {
						t.Fatalf("%s %v scalar %g n=%d: got %v nan=%v, want %v nan=%v", impl.name, op, s, n, dst, gotSNaN, wantS, wantSNaN)
					}
					checkGuards(t, impl.name+" "+op.String()+" scalar", dbuf)

					// In place: dst is a, then dst is b.
					ca := append([]float32(nil), a...)
					impl.vv[op](ca, ca, b)
					cb := append([]float32(nil), b...)
					impl.vv[op](cb, a, cb)
					if !sameBits(ca, want) || !sameBits(cb, want) {
						t.Fatalf("%s %v n=%d in place: got %v and %v, want %v", impl.name, op, n, ca, cb, want)
					}
				}
				wantY := append([]float32(nil), b...)
				wantNaN := ref.axpy(wantY, a, s)
				ybuf, y := guarded(n, func(i int) float32 { return b[i] })
				if gotNaN := impl.axpy(y, a, s); !sameBits(y, wantY) || gotNaN != wantNaN {
					t.Fatalf("%s axpy %g n=%d: got %v nan=%v, want %v nan=%v", impl.name, s, n, y, gotNaN, wantY, wantNaN)
				}
				checkGuards(t, impl.name+" axpy", ybuf)
				self := append([]float32(nil), a...)
				ref.axpy(self, self, s)
				self2 := append([]float32(nil), a...)
				impl.axpy(self2, self2, s)
				if !sameBits(self, self2) {
					t.Fatalf("%s axpy n=%d with y = x: got %v, want %v", impl.name, n, self2, self)
				}
				want := make([]float32, n)
				ref.relu(want, a)
				dbuf, dst := guarded(n, func(int) float32 { return -1 })
				impl.relu(dst, a)
				if !sameBits(dst, want) {
					t.Fatalf("%s relu n=%d: got %v, want %v", impl.name, n, dst, want)
				}
				checkGuards(t, impl.name+" relu", dbuf)
				if got, want := impl.nan(a), ref.nan(a); got != want {
					t.Fatalf("%s hasNaN n=%d: %v, want %v", impl.name, n, got, want)
				}
				checkGuards(t, impl.name+" a", abuf)
				checkGuards(t, impl.name+" b", bbuf)
			}
		}
	}
}

// TestElementwiseNaN checks the NaN report for one NaN at each position, in
// the vector body and in the tail.
func TestElementwiseNaN(t *testing.T) {
	for _, impl := range elementwiseImpls {
		for _, n := range []int{1, 7, 8, 9, 31, 32, 33, 45, 64, 99} {
			for at := range n {
				a := make([]float32, n)
				b := make([]float32, n)
				for i := range a {
					a[i], b[i] = 1, 2
				}
				a[at], b[at] = float32(math.Inf(1)), float32(math.Inf(1))
				dst := make([]float32, n)
				if !impl.vv[OpSub](dst, a, b) {
					t.Fatalf("%s: inf-inf at %d of %d not reported", impl.name, at, n)
				}
				if impl.vv[OpAdd](dst, a, b) {
					t.Fatalf("%s: inf+inf at %d of %d reported as NaN", impl.name, at, n)
				}
				if !impl.vs[OpSub](dst, a, float32(math.Inf(1))) {
					t.Fatalf("%s: inf-inf (scalar) at %d of %d not reported", impl.name, at, n)
				}
				y := append([]float32(nil), b...)
				y[at] = float32(math.Inf(-1))
				if !impl.axpy(y, a, 1) {
					t.Fatalf("%s: axpy -inf+inf at %d of %d not reported", impl.name, at, n)
				}
				if impl.nan(a) {
					t.Fatalf("%s: NaN reported in %d values without", impl.name, n)
				}
				a[at] = float32(math.NaN())
				if !impl.nan(a) || !HasNaNF32(a) {
					t.Fatalf("%s: NaN at %d of %d not found", impl.name, at, n)
				}
				impl.relu(dst, a)
				if dst[at] == dst[at] {
					t.Fatalf("%s: relu of NaN at %d of %d is %g", impl.name, at, n, dst[at])
				}
			}
		}
	}
}

func TestElementwiseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"short a", func() { BinaryF32(OpAdd, make([]float32, 3), make([]float32, 2), make([]float32, 3)) }},
		{"short b", func() { BinaryF32(OpMul, make([]float32, 3), make([]float32, 3), make([]float32, 2)) }},
		{"short scalar a", func() { ScalarF32(OpDiv, make([]float32, 3), make([]float32, 2), 1) }},
		{"short relu a", func() { ReLUF32(make([]float32, 3), make([]float32, 2)) }},
		{"short axpy x", func() { AxpyF32(make([]float32, 3), make([]float32, 2), 1) }},
		{"unknown op", func() { BinaryF32(Op(9), nil, nil, nil) }},
	} {
		func() {
			defer func() {
				var e *Error
				if r, _ := recover().(error); !errors.As(r, &e) {
					t.Errorf("%s: recovered %v, want an *Error", tc.name, r)
				}
			}()
			tc.f()
		}()
	}
}

func TestElementwiseAPI(t *testing.T) {
	a := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	b := []float32{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	dst := make([]float32, len(a))
	if BinaryF32(OpAdd, dst, a, b) {
		t.Fatal("Add reported NaN")
	}
	for i, v := range dst {
		if v != 11 {
			t.Fatalf("Add: dst[%d] = %g, want 11", i, v)
		}
	}
	ScalarF32(OpMul, dst, a, -1)
	ReLUF32(dst, dst)
	for i, v := range dst {
		if v != 0 {
			t.Fatalf("ReLU(-a): dst[%d] = %g, want 0", i, v)
		}
	}
	if k := ElementwiseKernels(); k != elementwiseImpls[0].name {
		t.Fatalf("ElementwiseKernels() = %q, want %q", k, elementwiseImpls[0].name)
	}
}

func BenchmarkAddF32(b *testing.B) {
	for _, impl := range elementwiseImpls {
		b.Run(impl.name, func(b *testing.B) {
			x, y, z := make([]float32, 4096), make([]float32, 4096), make([]float32, 4096)
			b.SetBytes(3 * 4 * 4096)
			for b.Loop() {
				impl.vv[OpAdd](z, x, y)
			}
		})
	}
}

// BenchmarkAddF32Cold times a 64x64 float32 Add whose result goes to a
// buffer taken in turn from a set of this many MB, as results recycled by
// the collector are: the set no longer fits the caches when it grows.
func BenchmarkAddF32Cold(b *testing.B) {
	for _, mb := range []int{0, 1, 4, 16, 32, 64} {
		b.Run(fmt.Sprintf("set=%dMB", mb), func(b *testing.B) {
			bufs := make([][]float32, max(1, mb<<20/(4*4096)))
			for i := range bufs {
				bufs[i] = make([]float32, 4096)
			}
			x, y := make([]float32, 4096), make([]float32, 4096)
			i := 0
			for b.Loop() {
				BinaryF32(OpAdd, bufs[i], x, y)
				if i++; i == len(bufs) {
					i = 0
				}
			}
		})
	}
}
