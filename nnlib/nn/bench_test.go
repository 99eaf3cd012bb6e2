package nn

import (
	"testing"

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
	for b.Loop() {
		m.ZeroGrad()
		CrossEntropy(m.Forward(x), labels).Backward()
		for _, p := range params {
			p.AddScaledInPlace(-0.01, p.Grad())
		}
	}
}
