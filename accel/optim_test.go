package accel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sameOrNaN reports whether a and b hold the same bits, any NaN matching
// any NaN.
func sameOrNaN(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || a != a && b != b
}

// TestOptimKernels compares every update kernel set with the Go loops on
// lengths 0..99 (through the exported functions, which split off the tail),
// bit for bit, with guard words around every buffer, zeros among the values
// and constants of the kinds nnlib/optim passes.
func TestOptimKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	value := func(int) float32 {
		if rng.IntN(10) == 0 {
			return 0
		}
		return float32(rng.NormFloat64())
	}
	square := func(i int) float32 { v := value(i); return v * v }
	defer func(k *optimKernels) { optimK = k }(optimK)
	for _, impl := range optimImpls {
		optimK = impl
		for n := 0; n < 100; n++ {
			for _, wd := range []float32{0, 1e-4} {
				pBuf, p := guarded(n, value)
				gBuf, g := guarded(n, value)
				bBuf, b := guarded(n, value)
				wantP, wantB := append([]float32(nil), p...), append([]float32(nil), b...)
				SGDMomentumF32(p, g, b, 0.05, wd, 0.9, 0.75)
				sgdMomentumF32Go(wantP, g, wantB, 0.05, wd, 0.9, 0.75)
				for i := range p {
					if !sameOrNaN(p[i], wantP[i]) || !sameOrNaN(b[i], wantB[i]) {
						t.Fatalf("%s sgd n=%d wd=%g: p[%d], buf[%d] = %v, %v; want %v, %v", impl.name, n, wd, i, i, p[i], b[i], wantP[i], wantB[i])
					}
				}
				for _, buf := range [][]float32{pBuf, gBuf, bBuf} {
					checkGuards(t, impl.name+" sgd", buf)
				}

				c := AdamConsts{WeightDecay: wd, Beta1: 0.9, Beta2: 0.999, C1: 0.1, C2: 0.001,
					StepSize: 1e-3 / 0.19, BiasCorr2: float32(math.Sqrt(1 - 0.999*0.999)), Eps: 1e-8}
				mBuf, m := guarded(n, value)
				vBuf, v := guarded(n, square)
				wantP, wantM, wantV := append([]float32(nil), p...), append([]float32(nil), m...), append([]float32(nil), v...)
				AdamF32(p, g, m, v, c)
				adamF32Go(wantP, g, wantM, wantV, c)
				for i := range p {
					if !sameOrNaN(p[i], wantP[i]) || !sameOrNaN(m[i], wantM[i]) || !sameOrNaN(v[i], wantV[i]) {
						t.Fatalf("%s adam n=%d wd=%g: p, m, v[%d] = %v, %v, %v; want %v, %v, %v",
							impl.name, n, wd, i, p[i], m[i], v[i], wantP[i], wantM[i], wantV[i])
					}
				}
				for _, buf := range [][]float32{pBuf, gBuf, mBuf, vBuf} {
					checkGuards(t, impl.name+" adam", buf)
				}
			}
		}
	}
}

// TestOptimRules checks the Go loops against the formulas in float64 on a
// few values, so that the kernels are right and not merely equal.
func TestOptimRules(t *testing.T) {
	p, g, b := []float32{1, -2}, []float32{0.5, 0.25}, []float32{0.1, 0}
	sgdMomentumF32Go(p, g, b, 0.1, 0.01, 0.9, 1)
	for i, want := range [][2]float64{{0.9*0.1 + (0.5 + 0.01), 0}, {0.25 - 0.02, 0}} {
		want[1] = []float64{1, -2}[i] - 0.1*want[0]
		if math.Abs(float64(b[i])-want[0]) > 1e-6 || math.Abs(float64(p[i])-want[1]) > 1e-6 {
			t.Errorf("sgd [%d]: p, buf = %v, %v; want %v, %v", i, p[i], b[i], want[1], want[0])
		}
	}
	p, g = []float32{1}, []float32{0.5}
	m, v := []float32{0}, []float32{0}
	c := AdamConsts{Beta1: 0.9, Beta2: 0.999, C1: 0.1, C2: 0.001, StepSize: 1e-3 / 0.1,
		BiasCorr2: float32(math.Sqrt(0.001)), Eps: 1e-8}
	adamF32Go(p, g, m, v, c)
	// The first Adam step moves every parameter by lr against its
	// gradient's sign.
	if math.Abs(float64(p[0])-(1-1e-3)) > 1e-6 {
		t.Errorf("adam: p = %v, want %v", p[0], 1-1e-3)
	}
}

// TestOptimChecks checks the panics of the update rules.
func TestOptimChecks(t *testing.T) {
	for _, c := range []struct {
		f    func()
		want string
	}{
		{func() { SGDMomentumF32(make([]float32, 4), make([]float32, 3), make([]float32, 4), 1, 0, 0.9, 1) },
			"accel: sgd_momentum: a slice of 3 elements for 4 parameters"},
		{func() {
			AdamF32(make([]float32, 4), make([]float32, 4), make([]float32, 4), make([]float32, 2), AdamConsts{})
		}, "accel: adam: a slice of 2 elements for 4 parameters"},
	} {
		checkPanic(t, c.f, c.want)
	}
}

func BenchmarkSGDMomentumF32(b *testing.B) {
	for _, impl := range optimImpls {
		b.Run(impl.name, func(b *testing.B) {
			n := 784 * 256
			p, g, buf := make([]float32, n), make([]float32, n), make([]float32, n)
			b.SetBytes(5 * 4 * int64(n))
			for b.Loop() {
				impl.sgd(p, g, buf, 0.05, 0, 0.9, 1)
			}
		})
	}
}

// TestOptimParallel checks the updates of a parameter long enough to be
// split across goroutines against the Go loops, bit for bit.
func TestOptimParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3*rangeChunk + rangeMinElems + 13
	fill := func() []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(rng.NormFloat64())
		}
		return s
	}
	p, g, b := fill(), fill(), fill()
	wantP, wantB := append([]float32(nil), p...), append([]float32(nil), b...)
	SGDMomentumF32(p, g, b, 0.05, 1e-4, 0.9, 1)
	sgdMomentumF32Go(wantP, g, wantB, 0.05, 1e-4, 0.9, 1)
	if !sameBits(p, wantP) || !sameBits(b, wantB) {
		t.Fatal("split SGD update differs from the Go loop")
	}
	m, v := fill(), fill()
	for i := range v {
		v[i] *= v[i]
	}
	c := AdamConsts{Beta1: 0.9, Beta2: 0.999, C1: 0.1, C2: 0.001, StepSize: 0.01, BiasCorr2: 0.05, Eps: 1e-8}
	wantP, wantM, wantV := append([]float32(nil), p...), append([]float32(nil), m...), append([]float32(nil), v...)
	AdamF32(p, g, m, v, c)
	adamF32Go(wantP, g, wantM, wantV, c)
	if !sameBits(p, wantP) || !sameBits(m, wantM) || !sameBits(v, wantV) {
		t.Fatal("split Adam update differs from the Go loop")
	}
}
