package optim

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// The goldens in testdata/torch_optim.json are PyTorch 1.13's results,
// written by testdata/gen_torch.py (run it with /usr/bin/python3 to
// refresh them).

type goldenTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

type goldens struct {
	Optimizers []struct {
		Name      string         `json:"name"`
		Optimizer string         `json:"optimizer"`
		Options   map[string]any `json:"options"`
		Init      []goldenTensor `json:"init"`
		Steps     []struct {
			Grads  []goldenTensor `json:"grads"`
			Params []goldenTensor `json:"params"`
		} `json:"steps"`
	} `json:"optimizers"`
	Schedules []struct {
		Name     string    `json:"name"`
		LR       []float64 `json:"lr"`
		Momentum []float64 `json:"momentum"`
		Metrics  []float64 `json:"metrics"`
	} `json:"schedules"`
	Clip []struct {
		Name      string         `json:"name"`
		MaxNorm   float64        `json:"max_norm"`
		Grads     []goldenTensor `json:"grads"`
		TotalNorm float64        `json:"total_norm"`
		Clipped   []goldenTensor `json:"clipped"`
	} `json:"clip"`
}

func loadGoldens(t *testing.T) *goldens {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_optim.json")
	if err != nil {
		t.Fatal(err)
	}
	var g goldens
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("testdata/torch_optim.json: %v", err)
	}
	return &g
}

func (g goldenTensor) tensor(dt tensor.DType) *tensor.Tensor {
	return tensor.FromSlice(g.Data).Reshape(g.Shape...).To(dt)
}

// within fails unless got matches want to rel/abs tolerance tol.
func within(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := math.Abs(got[i] - want[i]); !(d <= tol+tol*math.Abs(want[i])) {
			t.Fatalf("%s: value %d = %.12g, want %.12g (diff %.3g)", what, i, got[i], want[i], d)
		}
	}
}

// setGrads gives each of params the gradient gs[i], through autograd:
// the gradient of sum(p*g) with respect to p is g.
func setGrads(params []*tensor.Tensor, gs []*tensor.Tensor) {
	var loss *tensor.Tensor
	for i, g := range gs {
		term := params[i].Mul(g).Sum()
		if loss == nil {
			loss = term
		} else {
			loss = loss.Add(term)
		}
	}
	loss.Backward()
}

// optionsFor translates the torch keyword arguments of a case.
func optionsFor(t *testing.T, kw map[string]any) (lr float64, opts []Option) {
	for k, v := range kw {
		switch k {
		case "lr":
			lr = v.(float64)
		case "momentum":
			opts = append(opts, Momentum(v.(float64)))
		case "dampening":
			opts = append(opts, Dampening(v.(float64)))
		case "nesterov":
			if v.(bool) {
				opts = append(opts, Nesterov())
			}
		case "weight_decay":
			opts = append(opts, WeightDecay(v.(float64)))
		case "betas":
			b := v.([]any)
			opts = append(opts, Betas(b[0].(float64), b[1].(float64)))
		case "eps":
			opts = append(opts, Eps(v.(float64)))
		case "amsgrad":
			if v.(bool) {
				opts = append(opts, AMSGrad())
			}
		case "alpha":
			opts = append(opts, Alpha(v.(float64)))
		case "centered":
			if v.(bool) {
				opts = append(opts, Centered())
			}
		case "lr_decay":
			opts = append(opts, LRDecay(v.(float64)))
		case "initial_accumulator_value":
			opts = append(opts, InitialAccumulator(v.(float64)))
		default:
			t.Fatalf("unknown torch option %q", k)
		}
	}
	return lr, opts
}

var constructors = map[string]func([]*tensor.Tensor, float64, ...Option) *Optimizer{
	"SGD": SGD, "Adam": Adam, "AdamW": AdamW, "RMSprop": RMSprop, "Adagrad": Adagrad,
}

// TestOptimizersMatchTorch replays three steps of every optimizer case
// (momentum and moment state included) and compares the parameters after
// each step with PyTorch's, in float64 (tolerance 1e-12) and float32
// (1e-5, PyTorch computed in float64).
func TestOptimizersMatchTorch(t *testing.T) {
	g := loadGoldens(t)
	if len(g.Optimizers) < 12 {
		t.Fatalf("only %d optimizer cases", len(g.Optimizers))
	}
	for _, c := range g.Optimizers {
		for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			tol := 1e-12
			if dt == tensor.Float32 {
				tol = 1e-5
			}
			t.Run(fmt.Sprintf("%s/%v", c.Name, dt), func(t *testing.T) {
				var params []*tensor.Tensor
				for _, p := range c.Init {
					params = append(params, p.tensor(dt).RequiresGrad())
				}
				lr, opts := optionsFor(t, c.Options)
				opt := constructors[c.Optimizer](params, lr, opts...)
				for k, st := range c.Steps {
					opt.ZeroGrad()
					var gs []*tensor.Tensor
					for _, gr := range st.Grads {
						gs = append(gs, gr.tensor(dt))
					}
					setGrads(params, gs) // the last parameter gets none
					opt.Step()
					for i, p := range params {
						within(t, fmt.Sprintf("step %d param %d", k+1, i), p.Float64s(), st.Params[i].Data, tol)
					}
				}
			})
		}
	}
}

// TestSchedulesMatchTorch compares each schedule's learning rates (and
// OneCycle's momenta) epoch by epoch with PyTorch's.
func TestSchedulesMatchTorch(t *testing.T) {
	g := loadGoldens(t)
	makers := map[string]func(o *Optimizer) interface{ LR() float64 }{
		"step_lr":           func(o *Optimizer) interface{ LR() float64 } { return StepLR(o, 3, 0.5) },
		"multistep_lr":      func(o *Optimizer) interface{ LR() float64 } { return MultiStepLR(o, []int{7, 3}, 0.1) },
		"exponential_lr":    func(o *Optimizer) interface{ LR() float64 } { return ExponentialLR(o, 0.9) },
		"cosine_lr":         func(o *Optimizer) interface{ LR() float64 } { return CosineLR(o, 10, 0.001) },
		"warmup_cosine":     func(o *Optimizer) interface{ LR() float64 } { return WarmupCosine(o, 5, 20, 0) },
		"warmup_cosine_min": func(o *Optimizer) interface{ LR() float64 } { return WarmupCosine(o, 4, 12, 0.01) },
		"onecycle_sgd":      func(o *Optimizer) interface{ LR() float64 } { return OneCycle(o, 0.1, 20) },
		"onecycle_adam_three_phase_linear": func(o *Optimizer) interface{ LR() float64 } {
			return OneCycle(o, 0.01, 17, PctStart(0.25), LinearAnneal(), ThreePhase(), DivFactor(10), FinalDivFactor(100), CycleMomentum(0.8, 0.9))
		},
		"plateau_default": func(o *Optimizer) interface{ LR() float64 } { return ReduceOnPlateau(o) },
		"plateau_patience_cooldown": func(o *Optimizer) interface{ LR() float64 } {
			return ReduceOnPlateau(o, Factor(0.5), Patience(2), Cooldown(1), MinLR(0.02))
		},
		"plateau_max_abs": func(o *Optimizer) interface{ LR() float64 } {
			return ReduceOnPlateau(o, Maximize(), Factor(0.3), Patience(1), ThresholdAbs(0.01))
		},
	}
	if len(g.Schedules) != len(makers) {
		t.Fatalf("%d schedule goldens, %d makers", len(g.Schedules), len(makers))
	}
	for _, c := range g.Schedules {
		t.Run(c.Name, func(t *testing.T) {
			p := []*tensor.Tensor{tensor.Zeros(1).RequiresGrad()}
			opt := SGD(p, 0.1, Momentum(0.9))
			if c.Name == "onecycle_adam_three_phase_linear" {
				opt = Adam(p, 0.1)
			}
			s := makers[c.Name](opt)
			lrs, moms := []float64{opt.LR()}, []float64{opt.Momentum()}
			for i := 1; i < len(c.LR); i++ {
				switch s := s.(type) {
				case *Schedule:
					s.Step()
				case *Plateau:
					s.Step(c.Metrics[i-1])
				}
				lrs = append(lrs, opt.LR())
				moms = append(moms, opt.Momentum())
			}
			within(t, "lr", lrs, c.LR, 1e-12)
			if c.Name == "onecycle_sgd" || c.Name == "onecycle_adam_three_phase_linear" {
				within(t, "momentum", moms, c.Momentum, 1e-12)
			}
		})
	}
}

// TestClipGradNormMatchesTorch compares the returned norm and the clipped
// gradients with PyTorch's clip_grad_norm_.
func TestClipGradNormMatchesTorch(t *testing.T) {
	g := loadGoldens(t)
	for _, c := range g.Clip {
		for _, dt := range []tensor.DType{tensor.Float64, tensor.Float32} {
			tol := 1e-12
			if dt == tensor.Float32 {
				tol = 1e-6
			}
			var params, gs []*tensor.Tensor
			for _, gr := range c.Grads {
				params = append(params, tensor.Zeros(gr.Shape...).To(dt).RequiresGrad())
				gs = append(gs, gr.tensor(dt))
			}
			setGrads(params, gs)
			norm := ClipGradNorm(append(params, tensor.Zeros(3).RequiresGrad()), c.MaxNorm)
			within(t, c.Name+" norm", []float64{norm}, []float64{c.TotalNorm}, tol)
			for i, p := range params {
				within(t, fmt.Sprintf("%s %v grad %d", c.Name, dt, i), p.Grad().Float64s(), c.Clipped[i].Data, tol)
			}
		}
	}
}
