//go:build noasm || !amd64

package accel

// archOptim returns no assembly update kernels: the portable Go ones are
// used.
func archOptim() []*optimKernels { return nil }
