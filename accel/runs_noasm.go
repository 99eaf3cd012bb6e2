//go:build noasm || !amd64

package accel

// archRuns returns no assembly run kernels: the portable Go ones are used.
func archRuns() []*runKernels { return nil }
