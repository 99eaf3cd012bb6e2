package nn

import (
	"syscall"
	"testing"
	"time"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// BenchmarkMLPStep is one training step of the MNIST MLP 784-256-128-10 at
// batch 64: forward, cross-entropy, backward and a plain SGD update. An
// epoch is 938 steps (PyTorch 1.13: ~1.7 s per epoch, SGD with momentum).
func BenchmarkMLPStep(b *testing.B) {
	tensor.Seed(1)
	m := Sequential(Linear(784, 256), ReLU(), Linear(256, 128), ReLU(), Linear(128, 10))
	x := tensor.Rand(64, 784)
	labels := tensor.RandInt(0, 10, 64)
	params := m.Parameters()
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		m.ZeroGrad()
		CrossEntropy(m.Forward(x), labels).Backward()
		for _, p := range params {
			p.AddScaledInPlace(-0.01, p.Grad())
		}
	}
}

// BenchmarkLeNetStep is one training step of the LeNet-5 of
// ../shared/bench/torch_reference.py on 28x28 images at batch 64 (PyTorch
// 1.13: ~5.0 s per MNIST epoch with Adam, 938 steps).
func BenchmarkLeNetStep(b *testing.B) {
	tensor.Seed(1)
	m := Sequential(
		Conv2d(1, 6, 5), ReLU(), MaxPool2d(2),
		Conv2d(6, 16, 5), ReLU(), MaxPool2d(2),
		Flatten(), Linear(256, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10))
	x := tensor.Rand(64, 1, 28, 28)
	labels := tensor.RandInt(0, 10, 64)
	params := m.Parameters()
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		m.ZeroGrad()
		CrossEntropy(m.Forward(x), labels).Backward()
		for _, p := range params {
			p.AddScaledInPlace(-0.01, p.Grad())
		}
	}
}

// reportCPU starts counting the process's CPU time (user and system, all
// threads) and returns a func that reports it per op as cpu-ns/op: on a
// machine shared with other work it varies much less than the wall time
// (with -test.cpu 1 it is the single-core cost of an op).
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

// cpuTime returns the CPU time the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
