package main

import (
	"fmt"
	"syscall"
	"time"

	"github.com/gonnlab/gonn/nnlib/data"
	"github.com/gonnlab/gonn/nnlib/nn"
	"github.com/gonnlab/gonn/nnlib/optim"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// trainBatch is torch_reference.py's batch size for the MNIST workloads.
const trainBatch = 64

// mnistMLP is torch_reference.py's bench_mlp model: 784-256-128-10 with
// ReLUs.
func mnistMLP() nn.Module {
	return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
}

// mnistLeNet is torch_reference.py's LeNet: two 5x5 convolutions (6 and 16
// channels) each followed by ReLU and 2x2 max pooling, then 256-120-84-10.
func mnistLeNet() nn.Module {
	return nn.Sequential(
		nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
		nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
		nn.Flatten(), nn.Linear(256, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
}

// trainResult is what one MNIST workload measured.
type trainResult struct {
	secondsPerEpoch float64 // the fastest epoch, as torch_reference.py reports
	testAccuracy    float64
}

// trainMNIST trains model on MNIST for epochs epochs (batch 64, shuffled
// each epoch, the last short batch kept, as torch_reference.py's
// train_epoch does) and measures its accuracy on the test set. images
// selects (N, 1, 28, 28) inputs instead of (N, 784).
func trainMNIST(train, test *data.TensorDataset, model nn.Module, opt *optim.Optimizer, epochs int, images bool) trainResult {
	shape := func(x *tensor.Tensor) *tensor.Tensor {
		if images {
			return x.Reshape(x.Size(0), 1, 28, 28)
		}
		return x
	}
	loader := data.NewLoader(train, trainBatch, data.Shuffle(0))
	res := trainResult{}
	for e := 0; e < epochs; e++ {
		model.Train()
		start := time.Now()
		for loader.Next() {
			x, y := loader.Batch()
			opt.ZeroGrad()
			nn.CrossEntropy(model.Forward(shape(x)), y).Backward()
			opt.Step()
		}
		dt := time.Since(start).Seconds()
		if e == 0 || dt < res.secondsPerEpoch {
			res.secondsPerEpoch = dt
		}
	}
	model.Eval()
	tensor.NoGrad(func() {
		pred := model.Forward(shape(test.X())).ArgMax(1).IntData()
		hits := 0
		for i, label := range test.Y().IntData() {
			if pred[i] == label {
				hits++
			}
		}
		res.testAccuracy = float64(hits) / float64(len(pred))
	})
	return res
}

// benchMLP prints mnist_mlp_784_256_128_10_b64_sgdm: the MLP trained with
// SGD, lr 0.05, momentum 0.9, as torch_reference.py's bench_mlp.
func benchMLP(train, test *data.TensorDataset, epochs int) {
	tensor.Seed(0)
	model := mnistMLP()
	opt := optim.SGD(model.Parameters(), 0.05, optim.Momentum(0.9))
	r := trainMNIST(train, test, model, opt, epochs, false)
	emitTrain("mnist_mlp_784_256_128_10_b64_sgdm", r, epochs)
}

// benchCNN prints mnist_lenet5_b64_adam: LeNet-5 trained with Adam, lr
// 1e-3, as torch_reference.py's bench_cnn.
func benchCNN(train, test *data.TensorDataset, epochs int) {
	tensor.Seed(0)
	model := mnistLeNet()
	opt := optim.Adam(model.Parameters(), 1e-3)
	r := trainMNIST(train, test, model, opt, epochs, true)
	emitTrain("mnist_lenet5_b64_adam", r, epochs)
}

func emitTrain(name string, r trainResult, epochs int) {
	emit(map[string]any{"workload": name, "seconds_per_epoch": r.secondsPerEpoch, "epochs": epochs,
		"test_accuracy": r.testAccuracy, "peak_rss_mb": peakRSSMB()})
}

// peakRSSMB returns the process's peak resident set size so far, in MiB
// (getrusage's ru_maxrss, KiB on Linux), or -1 if it cannot be read.
func peakRSSMB() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return float64(ru.Maxrss) / 1024
}

// benchTraining runs the selected MNIST workloads. nn's GEMMs and
// convolutions use GOMAXPROCS goroutines (both cores here, as PyTorch's
// OpenBLAS does); -threads does not reach them: run with GOMAXPROCS=1 for
// one thread.
func benchTraining(selected map[string]bool, epochs int) error {
	if epochs < 1 {
		return fmt.Errorf("bench: -epochs %d: need at least 1", epochs)
	}
	train, test := data.MNIST()
	if selected["mlp"] {
		benchMLP(train, test, epochs)
	}
	if selected["cnn"] {
		benchCNN(train, test, epochs)
	}
	return nil
}
