package accel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulpDiff returns the distance in float32 units in the last place between
// a and b (0 when equal, NaN and NaN included).
func ulpDiff(a, b float32) int64 {
	if a == b || (a != a && b != b) {
		return 0
	}
	ord := func(f float32) int64 {
		u := int64(math.Float32bits(f))
		if u&(1<<31) != 0 {
			return -(u &^ (1 << 31))
		}
		return u
	}
	d := ord(a) - ord(b)
	return max(d, -d)
}

// expSpecials are inputs at the edges of the method: overflow, denormal
// results, underflow to zero, zeros, infinities and NaN.
var expSpecials = []float32{0.625, -0.625, 0.62500006, 1e-3, -1e-3, 9, -9, 0, float32(math.Copysign(0, -1)), 1, -1, 88.72, 88.73, 88.8, 89, -87.3, -87.4, -103.9, -104, -104.5,
	float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-30, -1e-30, 20, -20}

func TestTranscendentalKernels(t *testing.T) {
	ref := transcendentalImpls[len(transcendentalImpls)-1]
	for _, impl := range transcendentalImpls {
		for n := range 100 {
			rng := rand.New(rand.NewPCG(uint64(n), 11))
			xbuf, x := guarded(n, func(i int) float32 {
				if rng.IntN(4) == 0 {
					return expSpecials[rng.IntN(len(expSpecials))]
				}
				return float32(rng.NormFloat64() * []float64{0.5, 30}[rng.IntN(2)])
			})
			for _, k := range []struct {
				name      string
				got, want func(dst, x []float32)
			}{{"exp", impl.exp, ref.exp}, {"sigmoid", impl.sigmoid, ref.sigmoid}, {"tanh", impl.tanh, ref.tanh}} {
				want := make([]float32, n)
				k.want(want, x)
				dbuf, dst := guarded(n, func(int) float32 { return -1 })
				k.got(dst, x)
				for i := range want {
					if ulpDiff(dst[i], want[i]) != 0 {
						t.Fatalf("%s %s n=%d: [%d] = %g for %g, want %g", impl.name, k.name, n, i, dst[i], x[i], want[i])
					}
				}
				checkGuards(t, impl.name+" "+k.name, dbuf)
				in := append([]float32(nil), x...)
				k.got(in, in)
				for i := range want {
					if ulpDiff(in[i], want[i]) != 0 {
						t.Fatalf("%s %s n=%d in place: [%d] = %g, want %g", impl.name, k.name, n, i, in[i], want[i])
					}
				}
			}
			checkGuards(t, impl.name+" x", xbuf)
		}
	}
}

// TestTranscendentalAccuracy sweeps float32 inputs of every magnitude and
// compares the method with math.Exp and a float64 sigmoid, rounded.
func TestTranscendentalAccuracy(t *testing.T) {
	xs := append([]float32(nil), expSpecials...)
	for bits := uint32(0); bits < 0x7f800000; bits += 4093 {
		f := math.Float32frombits(bits)
		xs = append(xs, f, -f)
	}
	dst := make([]float32, len(xs))
	sig := func(x float64) float64 {
		if x >= 0 {
			return 1 / (1 + math.Exp(-x))
		}
		e := math.Exp(x)
		return e / (1 + e)
	}
	for _, k := range []struct {
		name    string
		f       func(dst, x []float32)
		want    func(float64) float64
		maxUlps int64
	}{
		{"exp", ExpF32, math.Exp, 2}, {"sigmoid", SigmoidF32, sig, 3},
		{"exp (twin)", expF32Go, math.Exp, 2}, {"sigmoid (twin)", sigmoidF32Go, sig, 3},
		{"exp (math)", expF32Math, math.Exp, 1}, {"sigmoid (math)", sigmoidF32Math, sig, 1},
		{"tanh", TanhF32, math.Tanh, 3}, {"tanh (twin)", tanhF32Go, math.Tanh, 3}, {"tanh (math)", tanhF32Math, math.Tanh, 1},
	} {
		k.f(dst, xs)
		worst := int64(0)
		for i, x := range xs {
			want := float32(k.want(float64(x)))
			d := ulpDiff(dst[i], want)
			// Results below the smallest normal have fewer bits: allow
			// an absolute error of 2**-149 per ulp there.
			if math.Abs(float64(want)) < 0x1p-126 && math.Abs(float64(dst[i]-want)) <= float64(k.maxUlps)*0x1p-149 {
				continue
			}
			if d > k.maxUlps {
				t.Fatalf("%s(%g) = %g, want %g (%d ulp)", k.name, x, dst[i], want, d)
			}
			worst = max(worst, d)
		}
		t.Logf("%s: worst %d ulp over %d inputs", k.name, worst, len(xs))
	}
}

func TestTranscendentalErrors(t *testing.T) {
	for _, f := range []func(dst, x []float32){ExpF32, SigmoidF32, TanhF32} {
		func() {
			defer func() {
				if _, ok := recover().(*Error); !ok {
					t.Error("a short x did not panic with an *Error")
				}
			}()
			f(make([]float32, 3), make([]float32, 2))
		}()
	}
}

func BenchmarkSigmoidF32(b *testing.B) {
	x := make([]float32, 8192)
	for i := range x {
		x[i] = float32(i%200-100) / 10
	}
	dst := make([]float32, len(x))
	for _, impl := range transcendentalImpls {
		b.Run(impl.name, func(b *testing.B) {
			for b.Loop() {
				impl.sigmoid(dst, x)
			}
		})
	}
}
