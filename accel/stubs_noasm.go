//go:build noasm || !amd64

package accel

// archKernels lists the assembly kernel sets this CPU can run: none without
// assembly, so the portable Go kernels are used.
func archKernels() []*kernelSet { return nil }
