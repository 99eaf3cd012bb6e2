package optim

import (
	"math"
	"slices"
	"strings"
)

// Option sets one hyperparameter of an optimizer or a schedule, in the
// style optim.SGD(params, 0.1, optim.Momentum(0.9), optim.Nesterov()).
// Every constructor lists the options it takes and panics, naming them,
// when given another one; options left out keep PyTorch's defaults.
type Option struct {
	name string
	set  func(*settings)
}

// settings holds every hyperparameter any constructor reads.
type settings struct {
	// optimizers
	momentum, dampening, weightDecay float64
	nesterov, amsgrad, centered      bool
	beta1, beta2, eps, alpha         float64
	lrDecay, initialAccumulator      float64

	// schedules
	maximize                      bool
	factor, threshold, minLR      float64
	thresholdAbs                  bool
	patience, cooldown            int
	pctStart, divFactor, finalDiv float64
	linear, threePhase            bool
	cycleMomentum                 bool
	baseMomentum, maxMomentum     float64
}

func finite(op, what string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		fail(op, "%s %v is not a finite number", what, v)
	}
}

// apply checks that every option is one op takes and applies them in order.
func apply(op string, s *settings, allowed []string, opts []Option) {
	for _, o := range opts {
		if o.set == nil {
			fail(op, "zero Option: make options with the package's functions (optim.Momentum(0.9), ...)")
		}
		if !slices.Contains(allowed, o.name) {
			takes := "no options"
			if len(allowed) > 0 {
				takes = strings.Join(allowed, ", ")
			}
			fail(op, "option %s does not apply (%s takes %s)", o.name, op, takes)
		}
		o.set(s)
	}
}

// Momentum sets the momentum factor of SGD or RMSprop (PyTorch's default
// is 0, no momentum).
func Momentum(m float64) Option {
	return Option{"Momentum", func(s *settings) { s.momentum = m }}
}

// Dampening sets SGD's dampening of the momentum (default 0).
func Dampening(d float64) Option {
	return Option{"Dampening", func(s *settings) { s.dampening = d }}
}

// Nesterov makes SGD use Nesterov momentum; it needs Momentum > 0 and no
// Dampening.
func Nesterov() Option {
	return Option{"Nesterov", func(s *settings) { s.nesterov = true }}
}

// WeightDecay sets the L2 penalty (SGD, Adam, RMSprop, Adagrad: added to
// the gradient) or the decoupled decay rate (AdamW: the parameters shrink
// by lr*wd each step; default 0.01 for AdamW, 0 for the others).
func WeightDecay(wd float64) Option {
	return Option{"WeightDecay", func(s *settings) { s.weightDecay = wd }}
}

// Betas sets Adam's and AdamW's decay rates of the running averages of the
// gradient and its square (default 0.9, 0.999).
func Betas(beta1, beta2 float64) Option {
	return Option{"Betas", func(s *settings) { s.beta1, s.beta2 = beta1, beta2 }}
}

// Eps sets the term added to denominators for numerical stability
// (defaults: 1e-8 for Adam, AdamW and RMSprop, 1e-10 for Adagrad), or, for
// ReduceOnPlateau, the smallest change of learning rate worth making
// (default 1e-8).
func Eps(eps float64) Option {
	return Option{"Eps", func(s *settings) { s.eps = eps }}
}

// AMSGrad makes Adam and AdamW divide by the maximum so far of the running
// average of squared gradients (Reddi et al., 2018).
func AMSGrad() Option {
	return Option{"AMSGrad", func(s *settings) { s.amsgrad = true }}
}

// Alpha sets RMSprop's smoothing constant (default 0.99).
func Alpha(a float64) Option {
	return Option{"Alpha", func(s *settings) { s.alpha = a }}
}

// Centered makes RMSprop normalise by an estimate of the gradient's
// variance instead of its second moment.
func Centered() Option {
	return Option{"Centered", func(s *settings) { s.centered = true }}
}

// LRDecay sets Adagrad's learning-rate decay: step t uses lr/(1+(t-1)*d)
// (default 0).
func LRDecay(d float64) Option {
	return Option{"LRDecay", func(s *settings) { s.lrDecay = d }}
}

// InitialAccumulator sets the starting value of Adagrad's sum of squared
// gradients (default 0).
func InitialAccumulator(v float64) Option {
	return Option{"InitialAccumulator", func(s *settings) { s.initialAccumulator = v }}
}

// Maximize makes ReduceOnPlateau treat a larger metric as better (an
// accuracy rather than a loss).
func Maximize() Option {
	return Option{"Maximize", func(s *settings) { s.maximize = true }}
}

// Factor sets the factor ReduceOnPlateau multiplies the learning rate by
// (default 0.1).
func Factor(f float64) Option {
	return Option{"Factor", func(s *settings) { s.factor = f }}
}

// Patience sets how many epochs without improvement ReduceOnPlateau waits
// before reducing the learning rate (default 10).
func Patience(n int) Option {
	return Option{"Patience", func(s *settings) { s.patience = n }}
}

// Threshold sets the relative improvement ReduceOnPlateau requires: a
// metric improves when it is below best*(1-t) (default 1e-4).
func Threshold(t float64) Option {
	return Option{"Threshold", func(s *settings) { s.threshold, s.thresholdAbs = t, false }}
}

// ThresholdAbs sets an absolute improvement threshold instead: a metric
// improves when it is below best-t (above best+t with Maximize).
func ThresholdAbs(t float64) Option {
	return Option{"ThresholdAbs", func(s *settings) { s.threshold, s.thresholdAbs = t, true }}
}

// Cooldown sets how many epochs ReduceOnPlateau waits after a reduction
// before counting bad epochs again (default 0).
func Cooldown(n int) Option {
	return Option{"Cooldown", func(s *settings) { s.cooldown = n }}
}

// MinLR sets the learning rate ReduceOnPlateau never goes below
// (default 0).
func MinLR(lr float64) Option {
	return Option{"MinLR", func(s *settings) { s.minLR = lr }}
}

// PctStart sets the fraction of OneCycle's steps spent raising the
// learning rate (default 0.3).
func PctStart(p float64) Option {
	return Option{"PctStart", func(s *settings) { s.pctStart = p }}
}

// DivFactor sets OneCycle's initial learning rate to maxLR/d (default 25).
func DivFactor(d float64) Option {
	return Option{"DivFactor", func(s *settings) { s.divFactor = d }}
}

// FinalDivFactor sets OneCycle's final learning rate to the initial one
// divided by d (default 1e4).
func FinalDivFactor(d float64) Option {
	return Option{"FinalDivFactor", func(s *settings) { s.finalDiv = d }}
}

// LinearAnneal makes OneCycle anneal linearly instead of along a cosine.
func LinearAnneal() Option {
	return Option{"LinearAnneal", func(s *settings) { s.linear = true }}
}

// ThreePhase makes OneCycle come back down to the initial learning rate
// symmetrically before annealing to the final one (fast.ai's schedule).
func ThreePhase() Option {
	return Option{"ThreePhase", func(s *settings) { s.threePhase = true }}
}

// CycleMomentum sets the momentum (SGD, RMSprop) or beta1 (Adam, AdamW)
// that OneCycle cycles inversely to the learning rate, between base and
// max (default 0.85 and 0.95).
func CycleMomentum(base, max float64) Option {
	return Option{"CycleMomentum", func(s *settings) { s.cycleMomentum, s.baseMomentum, s.maxMomentum = true, base, max }}
}

// NoMomentumCycle makes OneCycle leave the momentum alone; it is needed
// for Adagrad, which has none.
func NoMomentumCycle() Option {
	return Option{"NoMomentumCycle", func(s *settings) { s.cycleMomentum = false }}
}
