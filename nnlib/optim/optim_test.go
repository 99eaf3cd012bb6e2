package optim

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// panics runs f and returns the *Error it panicked with, failing the test
// if it did not panic with one whose message contains want.
func panics(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, ErrInvalid) {
			t.Fatalf("panicked with %v, want an optim error containing %q", r, want)
		}
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not contain %q", err, want)
		}
	}()
	f()
}

func param(vals ...float64) *tensor.Tensor {
	return tensor.FromSlice(vals).To(tensor.Float32).RequiresGrad()
}

func TestBadArguments(t *testing.T) {
	p := []*tensor.Tensor{param(1, 2)}
	panics(t, "option Betas does not apply (sgd takes Momentum, Dampening, Nesterov, WeightDecay)", func() { SGD(p, 0.1, Betas(0.9, 0.99)) })
	panics(t, "Nesterov momentum needs Momentum > 0", func() { SGD(p, 0.1, Nesterov()) })
	panics(t, "learning rate -1 is negative", func() { Adam(p, -1) })
	panics(t, "learning rate NaN is not a finite number", func() { Adam(p, math.NaN()) })
	panics(t, "beta 1 is not in [0, 1)", func() { Adam(p, 0.1, Betas(1, 0.9)) })
	panics(t, "appears twice", func() { SGD([]*tensor.Tensor{p[0], p[0]}, 0.1) })
	panics(t, "only float tensors", func() { SGD([]*tensor.Tensor{tensor.New(tensor.Int, 2)}, 0.1) })
	panics(t, "zero Option", func() { SGD(p, 0.1, Option{}) })
	panics(t, "no momentum or beta1 to cycle", func() { OneCycle(Adagrad(p, 0.1), 0.1, 10) })
	panics(t, "past the 3 total steps", func() {
		s := OneCycle(SGD(p, 0.1), 0.1, 3)
		for range 4 {
			s.Step()
		}
	})
	panics(t, "step size 0 is not positive", func() { StepLR(SGD(p, 0.1), 0, 0.1) })
	panics(t, "need 0 <= warmup < total", func() { WarmupCosine(SGD(p, 0.1), 5, 5, 0) })
	panics(t, "Factor 1 is not in [0, 1)", func() { ReduceOnPlateau(SGD(p, 0.1), Factor(1)) })
	panics(t, "patience 0 is less than 1", func() { NewEarlyStopping(0, 0) })
	panics(t, "adagrad has no momentum", func() { Adagrad(p, 0.1).SetMomentum(0.9) })
	panics(t, "max norm -1", func() { ClipGradNorm(p, -1) })
}

func TestOneCycleWithoutMomentum(t *testing.T) {
	opt := Adagrad([]*tensor.Tensor{param(1)}, 0.1)
	s := OneCycle(opt, 0.1, 10, NoMomentumCycle())
	if got := opt.LR(); math.Abs(got-0.004) > 1e-15 {
		t.Fatalf("initial lr %v, want 0.1/25", got)
	}
	s.Step()
	if opt.LR() <= 0.004 {
		t.Fatalf("lr %v did not rise", opt.LR())
	}
}

// TestStepSkipsMissingGradients checks that a parameter without a gradient
// is left alone and that its state does not advance.
func TestStepSkipsMissingGradients(t *testing.T) {
	a, b := param(1, 2), param(3)
	opt := Adam([]*tensor.Tensor{a, b}, 0.1)
	a.Sum().Backward()
	opt.Step()
	if got := b.Float64s()[0]; got != 3 {
		t.Fatalf("b = %v after a step without its gradient", got)
	}
	if got := a.Float64s()[0]; math.Abs(got-0.9) > 1e-6 {
		t.Fatalf("a[0] = %v, want 0.9 (Adam's first step moves by lr)", got)
	}
	if opt.state[1].step != 0 || opt.state[0].step != 1 {
		t.Fatalf("steps %d, %d; want 1, 0", opt.state[0].step, opt.state[1].step)
	}
	opt.ZeroGrad()
	if a.Grad() != nil {
		t.Fatal("ZeroGrad left a gradient")
	}
}

// TestSetLRAndMomentum checks the accessors schedules use.
func TestSetLRAndMomentum(t *testing.T) {
	p := []*tensor.Tensor{param(1)}
	opt := Adam(p, 1e-3)
	opt.SetLR(0.5)
	opt.SetMomentum(0.8)
	if opt.LR() != 0.5 || opt.Momentum() != 0.8 {
		t.Fatalf("lr %v momentum %v", opt.LR(), opt.Momentum())
	}
	if got, want := opt.String(), "Adam(lr=0.5, betas=(0.8, 0.999), eps=1e-08) on 1 tensors (1 values)"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
	s := SGD(p, 0.1, Momentum(0.9), Nesterov(), WeightDecay(1e-4))
	if got, want := s.String(), "SGD(lr=0.1, momentum=0.9, nesterov, weight_decay=0.0001) on 1 tensors (1 values)"; got != want {
		t.Fatalf("String() = %q, want %q", got, want)
	}
}

// TestSGDStepAllocatesNothing checks the steady state of an update.
func TestSGDStepAllocatesNothing(t *testing.T) {
	w := tensor.Randn(256, 64).RequiresGrad()
	w.Mul(2).Sum().Backward()
	for _, opt := range []*Optimizer{SGD([]*tensor.Tensor{w}, 0.01, Momentum(0.9)), Adam([]*tensor.Tensor{w}, 1e-3)} {
		opt.Step()
		if n := testing.AllocsPerRun(10, opt.Step); n != 0 {
			t.Errorf("%s: %v allocations per Step", opt.Name(), n)
		}
	}
}

func TestScheduleLRAt(t *testing.T) {
	opt := SGD([]*tensor.Tensor{param(1)}, 1)
	s := StepLR(opt, 2, 0.5)
	if s.LRAt(5) != 0.25 || s.Epoch() != 0 || opt.LR() != 1 {
		t.Fatalf("LRAt(5) = %v, epoch %d, lr %v", s.LRAt(5), s.Epoch(), opt.LR())
	}
	s.Step()
	s.Step()
	if s.LR() != 0.5 || s.Epoch() != 2 {
		t.Fatalf("after 2 steps lr %v epoch %d", s.LR(), s.Epoch())
	}
	l := LambdaLR(opt, func(e int) float64 { return 1 / float64(e+1) })
	l.Step()
	if opt.LR() != 0.25 { // LambdaLR's base is the lr when it was made: 0.5
		t.Fatalf("lambda lr %v", opt.LR())
	}
}

func TestEarlyStopping(t *testing.T) {
	es := NewEarlyStopping(2, 0.01)
	var stops []bool
	for _, v := range []float64{1, 0.5, 0.495, 0.6, 0.4, 0.45, 0.41} {
		stops = append(stops, es.Step(v))
	}
	want := []bool{false, false, false, true, false, false, true}
	for i := range want {
		if stops[i] != want[i] {
			t.Fatalf("stops %v, want %v", stops, want)
		}
	}
	if es.Best() != 0.4 || es.BestEpoch() != 4 || es.Wait() != 2 || es.Improved() {
		t.Fatalf("best %v at %d, wait %d, improved %v", es.Best(), es.BestEpoch(), es.Wait(), es.Improved())
	}
	es.Reset()
	if es.BestEpoch() != -1 || !math.IsInf(es.Best(), 1) {
		t.Fatal("Reset kept state")
	}
	acc := NewEarlyStopping(1, 0).Maximize()
	if acc.Step(0.5) || !acc.Improved() || !acc.Step(0.4) || acc.Step(math.NaN()) == false {
		t.Fatal("maximize mode")
	}
}

func TestClipGradValue(t *testing.T) {
	p := param(1, 2, 3)
	p.Mul(tensor.FromSlice([]float32{-5, 0.5, 7})).Sum().Backward()
	ClipGradValue([]*tensor.Tensor{p}, 1)
	got := p.Grad().Float64s()
	if got[0] != -1 || got[1] != 0.5 || got[2] != 1 {
		t.Fatalf("clipped %v", got)
	}
}
