package accel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestReLUGrad compares every gradient kernel set with the Go loop, bit for
// bit, on lengths 0..99 with guard words, outputs among them +0, -0,
// negative, NaN and infinite, and checks the Go loop's rule on those.
func TestReLUGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -1, 1e-40}
	out := func(int) float32 {
		if rng.IntN(4) == 0 {
			return specials[rng.IntN(len(specials))]
		}
		return float32(rng.NormFloat64())
	}
	grad := func(int) float32 { return float32(rng.NormFloat64()) }
	defer func(k *gradKernels) { gradK = k }(gradK)
	for _, impl := range gradImpls {
		gradK = impl
		for n := 0; n < 100; n++ {
			gBuf, g := guarded(n, grad)
			oBuf, o := guarded(n, out)
			dBuf, d := guarded(n, grad)
			want := make([]float32, n)
			for i := range want {
				if o[i] > 0 {
					want[i] = g[i]
				}
			}
			ReLUGradF32(d, g, o)
			if !sameBits(d, want) {
				t.Fatalf("%s n=%d: got %v, want %v (out %v)", impl.name, n, d, want, o)
			}
			for _, b := range [][]float32{gBuf, oBuf, dBuf} {
				checkGuards(t, impl.name+" relu_grad", b)
			}
		}
	}
}
