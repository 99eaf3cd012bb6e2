//go:build noasm || !amd64

package accel

// archGrad returns no assembly gradient kernels: the portable Go ones are
// used.
func archGrad() []*gradKernels { return nil }
