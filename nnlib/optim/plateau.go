package optim

import "math"

// Plateau is PyTorch's ReduceLROnPlateau: it watches a metric once per
// epoch and multiplies the learning rate by Factor when the metric has not
// improved for more than Patience epochs.
//
//	sched := optim.ReduceOnPlateau(opt, optim.Patience(3))
//	for epoch := 0; epoch < 50; epoch++ {
//		train(opt)
//		sched.Step(validationLoss())
//	}
type Plateau struct {
	opt      LRSetter
	s        settings
	best     float64
	bad      int
	cooldown int
	epoch    int
}

// ReduceOnPlateau returns a Plateau driving opt, with PyTorch's defaults:
// the metric is minimised, Factor(0.1), Patience(10), Threshold(1e-4)
// (relative), Cooldown(0), MinLR(0), Eps(1e-8).
//
// Options: Maximize, Factor, Patience, Threshold, ThresholdAbs, Cooldown,
// MinLR, Eps.
func ReduceOnPlateau(opt LRSetter, opts ...Option) *Plateau {
	const op = "reduce_on_plateau"
	if opt == nil {
		fail(op, "nil optimizer")
	}
	s := settings{factor: 0.1, patience: 10, threshold: 1e-4, eps: 1e-8}
	apply(op, &s, []string{"Maximize", "Factor", "Patience", "Threshold", "ThresholdAbs", "Cooldown", "MinLR", "Eps"}, opts)
	if !(s.factor >= 0 && s.factor < 1) {
		fail(op, "Factor %v is not in [0, 1)", s.factor)
	}
	if s.patience < 0 || s.cooldown < 0 {
		fail(op, "Patience %d and Cooldown %d must not be negative", s.patience, s.cooldown)
	}
	finite(op, "Threshold", s.threshold)
	finite(op, "MinLR", s.minLR)
	finite(op, "Eps", s.eps)
	p := &Plateau{opt: opt, s: s}
	p.Reset()
	return p
}

// Reset forgets the best metric and the counters; the learning rate stays.
func (p *Plateau) Reset() {
	p.best = math.Inf(1)
	if p.s.maximize {
		p.best = math.Inf(-1)
	}
	p.bad, p.cooldown, p.epoch = 0, 0, 0
}

func (p *Plateau) better(v float64) bool {
	s := &p.s
	switch {
	case !s.maximize && !s.thresholdAbs:
		return v < p.best*(1-s.threshold)
	case !s.maximize:
		return v < p.best-s.threshold
	case !s.thresholdAbs:
		return v > p.best*(1+s.threshold)
	}
	return v > p.best+s.threshold
}

// Step records the epoch's metric and reduces the learning rate if it has
// not improved for more than Patience epochs; it reports whether it
// reduced it. A NaN metric counts as no improvement.
func (p *Plateau) Step(metric float64) (reduced bool) {
	p.epoch++
	if p.better(metric) {
		p.best, p.bad = metric, 0
	} else {
		p.bad++
	}
	if p.cooldown > 0 {
		p.cooldown--
		p.bad = 0
	}
	if p.bad > p.s.patience {
		old := p.opt.LR()
		lr := math.Max(old*p.s.factor, p.s.minLR)
		if old-lr > p.s.eps {
			p.opt.SetLR(lr)
			reduced = true
		}
		p.cooldown, p.bad = p.s.cooldown, 0
	}
	return reduced
}

// LR returns the optimizer's learning rate.
func (p *Plateau) LR() float64 { return p.opt.LR() }

// Best returns the best metric seen (+Inf, or -Inf with Maximize, before
// the first Step).
func (p *Plateau) Best() float64 { return p.best }

// BadEpochs returns how many epochs in a row the metric has not improved.
func (p *Plateau) BadEpochs() int { return p.bad }

// Epoch returns how many times Step has been called.
func (p *Plateau) Epoch() int { return p.epoch }
