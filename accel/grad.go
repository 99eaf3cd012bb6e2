package accel

// This file holds ReLUGradF32, the backward pass of ReLU: one pass that
// keeps the incoming gradient where the forward output is positive. The
// assembly (grad_amd64.s, any CPU with AVX) compares eight outputs with
// zero per instruction and masks the gradient with the result; the Go twin
// is what -tags noasm and other architectures run, and what the tests
// compare the assembly with.

// gradKernels is one implementation of the gradient kernels; it handles
// lengths that are multiples of gradBlock, and the exported function runs
// the rest with the Go twin.
type gradKernels struct {
	name     string
	reluGrad func(dst, g, out []float32)
}

// gradBlock is the number of elements the assembly handles per step.
const gradBlock = 8

// gradImpls lists the gradient kernel sets this CPU runs, fastest first;
// the last is the portable Go one.
var gradImpls = append(archGrad(), &gradKernels{name: "go", reluGrad: reluGradF32Go})

// gradK is the gradient kernel set in use.
var gradK = gradImpls[0]

// ReLUGradF32 sets dst[i] = g[i] where out[i] > 0 and 0 elsewhere (where
// out[i] is zero, negative or NaN), for every i < len(dst): the gradient
// of ReLU, given its output, as PyTorch's threshold_backward. It panics
// with an *Error if g or out is shorter than dst.
func ReLUGradF32(dst, g, out []float32) {
	checkOptim("relu_grad", len(dst), len(g), len(out))
	n := len(dst) - len(dst)%gradBlock
	if n > 0 {
		gradK.reluGrad(dst[:n], g[:n], out[:n])
	}
	reluGradF32Go(dst[n:], g[n:len(dst)], out[n:len(dst)])
}

// reluGradF32Go is ReLUGradF32's loop.
func reluGradF32Go(dst, g, out []float32) {
	g, out = g[:len(dst)], out[:len(dst)]
	for i, v := range out {
		if v > 0 {
			dst[i] = g[i]
		} else {
			dst[i] = 0
		}
	}
}
