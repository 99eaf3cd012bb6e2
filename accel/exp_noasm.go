//go:build noasm || !amd64

package accel

// archTranscendentals returns no assembly kernels: the Go ones are used.
func archTranscendentals() []*transcendentalKernels { return nil }
