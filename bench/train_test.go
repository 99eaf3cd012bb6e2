package main

import (
	"testing"

	"github.com/gonnlab/gonn/nnlib/data"
	"github.com/gonnlab/gonn/nnlib/optim"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// digitsLike returns n synthetic 28x28 images whose label is the row
// (0..9, a band of 2 rows) that is lit: easy to learn, so that the
// training loop is checked without reading MNIST.
func digitsLike(n int, seed uint64) *data.TensorDataset {
	gen := tensor.NewGenerator(seed)
	x := make([]float32, n*784)
	y := make([]int, n)
	labels := gen.RandInt(0, 10, n).IntData()
	noise := gen.Rand(n, 784).Float32s()
	for i := range n {
		y[i] = labels[i]
		for p := range 784 {
			v := 0.2 * noise[i*784+p]
			if row := p / 28; row/2 == y[i]+2 {
				v += 1
			}
			x[i*784+p] = v
		}
	}
	return data.FromTensors(tensor.FromSlice(x, n, 784), tensor.FromSlice(y, n))
}

// TestTrainMNISTLearns runs the mlp and cnn workloads' training loop on
// the synthetic set and checks that both models learn it.
func TestTrainMNISTLearns(t *testing.T) {
	train, test := digitsLike(640, 1), digitsLike(200, 2)
	tensor.Seed(0)
	mlp := mnistMLP()
	r := trainMNIST(train, test, mlp, optim.SGD(mlp.Parameters(), 0.05, optim.Momentum(0.9)), 2, false)
	if r.testAccuracy < 0.9 || r.secondsPerEpoch <= 0 {
		t.Errorf("mlp: %+v, want test accuracy >= 0.9 and a positive epoch time", r)
	}
	tensor.Seed(0)
	cnn := mnistLeNet()
	r = trainMNIST(train, test, cnn, optim.Adam(cnn.Parameters(), 1e-3), 6, true)
	if r.testAccuracy < 0.9 || r.secondsPerEpoch <= 0 {
		t.Errorf("cnn: %+v, want test accuracy >= 0.9 and a positive epoch time", r)
	}
	if err := benchTraining(map[string]bool{"mlp": true}, 0); err == nil {
		t.Error("benchTraining with 0 epochs: no error")
	}
}
