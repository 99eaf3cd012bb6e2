//go:build noasm || !amd64

package accel

// archElementwise returns no assembly kernels: the portable Go ones are used.
func archElementwise() []*ewKernels { return nil }
