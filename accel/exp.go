package accel

import "math"

// This file holds the float32 exponential, sigmoid and tanh of nnlib's
// activation fast paths: ExpF32, SigmoidF32 and TanhF32. Go's math.Exp costs ~10 ns
// an element, and a sigmoid built on it 25-35 ns; these run 8 lanes at a
// time (exp_amd64.s, AVX2) at a few tenths of a nanosecond an element.
//
// The method is Cephes' expf: clamp x to [-104, 88.8], n = floor(x*log2(e)
// + 1/2), r = x - n*ln2 in two steps (Cody-Waite), e**r by a degree-7
// polynomial, times 2**n applied as 2**(n>>1) * 2**(n-(n>>1)) so that
// results between 2**-149 and 2**128 (denormals, and overflow to +Inf)
// come out right. Over a sweep of float32 inputs of every magnitude the
// result is at most 1 ulp from e**x rounded to float32, and the sigmoid 3
// ulp from the float64 sigmoid rounded. Sigmoid is 1/(1+e) for x >= 0
// and e/(1+e) below, from e = e**-|x|, so that it neither overflows nor
// loses the tiny values of large negative x. Tanh is Cephes' tanhf: an odd
// polynomial for |x| <= 0.625, 1 - 2/(e**2|x| + 1) above, with x's sign.
// NaN stays NaN.
//
// expF32Go and sigmoidF32Go are the same operations in the same order,
// each rounded to float32 (the explicit conversions keep the compiler from
// fusing a multiply and an add), so the assembly matches them bit for bit;
// they are the reference of the tests. Without the assembly (-tags noasm,
// other architectures, CPUs without AVX2) ExpF32 and SigmoidF32 run
// math.Exp in float64 instead, which is faster than the twins there.

// Constants of expOneF32 (Cephes expf) and tanhOneF32 (Cephes tanhf).
const (
	expLo    float32 = -104
	expHi    float32 = 88.8
	expLog2e float32 = 1.44269504088896341
	expC1    float32 = 0.693359375
	expC2    float32 = -2.12194440e-4
	expP0    float32 = 1.9875691500e-4
	expP1    float32 = 1.3981999507e-3
	expP2    float32 = 8.3334519073e-3
	expP3    float32 = 4.1665795894e-2
	expP4    float32 = 1.6666665459e-1
	expP5    float32 = 5.0000001201e-1

	tanhSwitch float32 = 0.625 // Cephes tanhf: polynomial below, exp above
	tanhQ0     float32 = -5.70498872745e-3
	tanhQ1     float32 = 2.06390887954e-2
	tanhQ2     float32 = -5.37397155531e-2
	tanhQ3     float32 = 1.33314422036e-1
	tanhQ4     float32 = -3.33332819422e-1
)

// ExpF32 sets dst[i] = e**x[i] for every i < len(dst), within 2 ulp. dst
// may be x, but must not otherwise overlap it. It panics with an *Error
// if x is shorter than dst.
func ExpF32(dst, x []float32) {
	checkElementwise(OpAdd, len(dst), len(x), len(dst))
	transcendentals.exp(dst, x)
}

// SigmoidF32 sets dst[i] = 1/(1+e**-x[i]) for every i < len(dst), within 3
// ulp. dst may be x, but must not otherwise overlap it. It panics with an *Error if x is
// shorter than dst.
func SigmoidF32(dst, x []float32) {
	checkElementwise(OpAdd, len(dst), len(x), len(dst))
	transcendentals.sigmoid(dst, x)
}

// TanhF32 sets dst[i] = tanh(x[i]) for every i < len(dst), within 3 ulp.
// dst may be x, but must not otherwise overlap it. It panics with an
// *Error if x is shorter than dst.
func TanhF32(dst, x []float32) {
	checkElementwise(OpAdd, len(dst), len(x), len(dst))
	transcendentals.tanh(dst, x)
}

// transcendentalKernels is one implementation of ExpF32, SigmoidF32 and
// TanhF32.
type transcendentalKernels struct {
	name               string
	exp, sigmoid, tanh func(dst, x []float32)
}

// transcendentalImpls lists the implementations this CPU runs, fastest
// first; the last is the portable Go twin of the assembly.
var transcendentalImpls = append(archTranscendentals(),
	&transcendentalKernels{name: "generic", exp: expF32Go, sigmoid: sigmoidF32Go, tanh: tanhF32Go})

// transcendentals is the implementation in use: the assembly, or without
// it math.Exp in float64, which is faster than the Go twin and as close.
var transcendentals = append(archTranscendentals(),
	&transcendentalKernels{name: "math", exp: expF32Math, sigmoid: sigmoidF32Math, tanh: tanhF32Math})[0]

// expF32Math sets dst[i] = e**x[i] through math.Exp.
func expF32Math(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = float32(math.Exp(float64(v)))
	}
}

// tanhF32Math sets dst[i] = tanh(x[i]) through math.Tanh.
func tanhF32Math(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

// sigmoidF32Math sets dst[i] = 1/(1+e**-x[i]) in float64.
func sigmoidF32Math(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		e := math.Exp(-math.Abs(float64(v)))
		s := 1 / (1 + e)
		if v < 0 {
			s = e * s
		}
		dst[i] = float32(s)
	}
}

// expOneF32 is e**v as the kernels compute it.
func expOneF32(v float32) float32 {
	if v != v {
		return v
	}
	v = min(max(v, expLo), expHi)
	n := float32(math.Floor(float64(float32(v*expLog2e) + 0.5)))
	r := v - float32(n*expC1)
	r -= float32(n * expC2)
	z := float32(r * r)
	y := float32(expP0*r) + expP1
	y = float32(y*r) + expP2
	y = float32(y*r) + expP3
	y = float32(y*r) + expP4
	y = float32(y*r) + expP5
	y = float32(y*z) + r
	y++
	ni := int32(n)
	h := ni >> 1
	s1 := math.Float32frombits(uint32(h+127) << 23)
	s2 := math.Float32frombits(uint32(ni-h+127) << 23)
	return float32(y*s1) * s2
}

// expF32Go sets dst[i] = e**x[i].
func expF32Go(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = expOneF32(v)
	}
}

// sigmoidF32Go sets dst[i] = 1/(1+e**-x[i]).
func sigmoidF32Go(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		e := expOneF32(-float32(math.Abs(float64(v))))
		s := 1 / (1 + e)
		if math.Signbit(float64(v)) {
			s = e * s
		}
		dst[i] = s
	}
}

// tanhOneF32 is tanh(v) as the kernels compute it: for |v| > 0.625,
// 1 - 2/(e**2|v| + 1), else |v + v*z*q(z)| with z = v*v; then v's sign.
func tanhOneF32(v float32) float32 {
	a := math.Float32frombits(math.Float32bits(v) &^ (1 << 31))
	var m float32
	if a > tanhSwitch {
		e := expOneF32(a + a)
		m = 1 - 2/(e+1)
	} else {
		z := float32(v * v)
		y := float32(tanhQ0*z) + tanhQ1
		y = float32(y*z) + tanhQ2
		y = float32(y*z) + tanhQ3
		y = float32(y*z) + tanhQ4
		y = float32(y * z)
		y = float32(y*v) + v
		m = math.Float32frombits(math.Float32bits(y) &^ (1 << 31))
	}
	return math.Float32frombits(math.Float32bits(m) | math.Float32bits(v)&(1<<31))
}

// tanhF32Go sets dst[i] = tanh(x[i]).
func tanhF32Go(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = tanhOneF32(v)
	}
}
