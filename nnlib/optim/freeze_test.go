package optim_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/gonnlab/gonn/nnlib/nn"
	"github.com/gonnlab/gonn/nnlib/optim"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// TestFrozenParametersAreSkipped checks that every optimizer takes a
// model's Parameters() after nn.Freeze of a layer, as PyTorch's do, and
// that Step leaves the frozen parameters as they are while training the
// others.
func TestFrozenParametersAreSkipped(t *testing.T) {
	makers := map[string]func([]*tensor.Tensor) *optim.Optimizer{
		"sgd":     func(p []*tensor.Tensor) *optim.Optimizer { return optim.SGD(p, 0.1, optim.Momentum(0.9)) },
		"adam":    func(p []*tensor.Tensor) *optim.Optimizer { return optim.Adam(p, 0.1) },
		"adamw":   func(p []*tensor.Tensor) *optim.Optimizer { return optim.AdamW(p, 0.1) },
		"rmsprop": func(p []*tensor.Tensor) *optim.Optimizer { return optim.RMSprop(p, 0.1) },
		"adagrad": func(p []*tensor.Tensor) *optim.Optimizer { return optim.Adagrad(p, 0.1) },
	}
	for name, mk := range makers {
		t.Run(name, func(t *testing.T) {
			tensor.Seed(1)
			first, second := nn.Linear(3, 4), nn.Linear(4, 2)
			model := nn.Sequential(first, nn.ReLU(), second)
			first.Freeze()
			frozen := first.Weight.Float32s()
			trained := second.Weight.Float32s()
			opt := mk(model.Parameters())
			for range 2 {
				opt.ZeroGrad()
				model.Forward(tensor.Randn(5, 3)).Square().Sum().Backward()
				opt.Step()
			}
			if first.Weight.Grad() != nil {
				t.Fatal("a frozen weight got a gradient")
			}
			if got := first.Weight.Float32s(); !slices.Equal(got, frozen) {
				t.Fatalf("frozen weight changed: %v, was %v", got, frozen)
			}
			if got := second.Weight.Float32s(); slices.Equal(got, trained) {
				t.Fatal("the trainable weight did not change")
			}
		})
	}
}

// TestStepMarksParametersModified checks that a Backward through a graph
// retained from before a Step, which saved the parameter's old values,
// panics.
func TestStepMarksParametersModified(t *testing.T) {
	w := tensor.FromSlice([]float32{1, 2}).RequiresGrad()
	y := w.Mul(w).Sum()
	y.BackwardRetain(nil)
	opt := optim.SGD([]*tensor.Tensor{w}, 0.1)
	opt.Step()
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, tensor.ErrGraph) {
			t.Fatalf("Backward after Step: recovered %v, want a tensor.ErrGraph panic", r)
		}
	}()
	y.Backward()
}
