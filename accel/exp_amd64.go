//go:build !noasm

package accel

import "golang.org/x/sys/cpu"

// archTranscendentals returns the assembly ExpF32, SigmoidF32 and TanhF32 if this
// CPU runs them (AVX2).
func archTranscendentals() []*transcendentalKernels {
	if !cpu.X86.HasAVX2 {
		return nil
	}
	return []*transcendentalKernels{{name: "avx2", exp: expF32AVX2, sigmoid: sigmoidF32AVX2, tanh: tanhF32AVX2}}
}

// expF32AVX2 is expF32Go: dst[i] = e**x[i] for i < len(dst).
//
//go:noescape
func expF32AVX2(dst, x []float32)

// sigmoidF32AVX2 is sigmoidF32Go: dst[i] = 1/(1+e**-x[i]).
//
//go:noescape
func sigmoidF32AVX2(dst, x []float32)

// tanhF32AVX2 is tanhF32Go: dst[i] = tanh(x[i]).
//
//go:noescape
func tanhF32AVX2(dst, x []float32)
