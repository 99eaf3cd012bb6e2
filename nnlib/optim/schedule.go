package optim

import (
	"math"
	"slices"
)

// LRSetter is what a schedule drives: an Optimizer, or anything else with
// a learning rate. A schedule that cycles momentum (OneCycle) also needs
// Momentum and SetMomentum.
type LRSetter interface {
	LR() float64
	SetLR(lr float64)
}

// momentumSetter is an optimizer whose momentum (or Adam's beta1) OneCycle
// can drive.
type momentumSetter interface {
	Momentum() float64
	SetMomentum(m float64)
}

// Schedule sets an optimizer's learning rate as a function of the epoch
// (or step) count: StepLR, MultiStepLR, ExponentialLR, CosineLR,
// WarmupCosine, OneCycle, LambdaLR. Making one sets the rate for epoch 0;
// each Step advances the count and sets the next rate, as PyTorch's
// schedulers do:
//
//	sched := optim.StepLR(opt, 10, 0.1)
//	for epoch := 0; epoch < 30; epoch++ {
//		train(opt) // opt.Step() per batch
//		sched.Step()
//	}
//
// The rates are computed in closed form from the optimizer's learning rate
// when the schedule was made (PyTorch's initial_lr), so a SetLR by hand is
// overwritten at the next Step.
type Schedule struct {
	name  string
	opt   LRSetter
	epoch int
	base  float64
	limit int // largest epoch allowed; 0 for none
	lrAt  func(epoch int) float64
	momAt func(epoch int) float64 // nil: momentum left alone
}

func newSchedule(name string, opt LRSetter, lrAt func(int) float64) *Schedule {
	if opt == nil {
		fail(name, "nil optimizer")
	}
	s := &Schedule{name: name, opt: opt, base: opt.LR(), lrAt: lrAt}
	return s
}

// start sets the epoch-0 values.
func (s *Schedule) start() *Schedule {
	s.set()
	return s
}

func (s *Schedule) set() {
	s.opt.SetLR(s.lrAt(s.epoch))
	if s.momAt != nil {
		s.opt.(momentumSetter).SetMomentum(s.momAt(s.epoch))
	}
}

// Step advances the epoch (or step) count by one and sets the learning
// rate for it. OneCycle panics when stepped past its total steps, as
// PyTorch's does.
func (s *Schedule) Step() {
	if s.limit > 0 && s.epoch+1 > s.limit {
		fail(s.name, "stepped %d times, past the %d total steps it was made for", s.epoch+1, s.limit)
	}
	s.epoch++
	s.set()
}

// Epoch returns how many times Step has been called.
func (s *Schedule) Epoch() int { return s.epoch }

// LR returns the learning rate the schedule set last.
func (s *Schedule) LR() float64 { return s.opt.LR() }

// LRAt returns the learning rate the schedule gives epoch e, without
// changing anything: plot a schedule with it before training.
func (s *Schedule) LRAt(e int) float64 {
	if e < 0 {
		fail(s.name, "epoch %d is negative", e)
	}
	return s.lrAt(e)
}

// Name returns the schedule's name: "step_lr", "one_cycle", ...
func (s *Schedule) Name() string { return s.name }

func positive(op, what string, v float64) {
	finite(op, what, v)
	if v <= 0 {
		fail(op, "%s %v is not positive", what, v)
	}
}

// StepLR multiplies the learning rate by gamma every stepSize epochs:
// epoch e has lr0 * gamma^(e/stepSize). PyTorch's default gamma is 0.1.
func StepLR(opt LRSetter, stepSize int, gamma float64) *Schedule {
	if stepSize <= 0 {
		fail("step_lr", "step size %d is not positive", stepSize)
	}
	finite("step_lr", "gamma", gamma)
	s := newSchedule("step_lr", opt, nil)
	s.lrAt = func(e int) float64 { return s.base * math.Pow(gamma, float64(e/stepSize)) }
	return s.start()
}

// MultiStepLR multiplies the learning rate by gamma at each milestone
// epoch: epoch e has lr0 * gamma^(number of milestones <= e).
func MultiStepLR(opt LRSetter, milestones []int, gamma float64) *Schedule {
	finite("multistep_lr", "gamma", gamma)
	ms := slices.Clone(milestones)
	slices.Sort(ms)
	s := newSchedule("multistep_lr", opt, nil)
	s.lrAt = func(e int) float64 {
		n := 0
		for _, m := range ms {
			if m <= e {
				n++
			}
		}
		return s.base * math.Pow(gamma, float64(n))
	}
	return s.start()
}

// ExponentialLR multiplies the learning rate by gamma every epoch.
func ExponentialLR(opt LRSetter, gamma float64) *Schedule {
	finite("exponential_lr", "gamma", gamma)
	s := newSchedule("exponential_lr", opt, nil)
	s.lrAt = func(e int) float64 { return s.base * math.Pow(gamma, float64(e)) }
	return s.start()
}

// CosineLR anneals the learning rate from lr0 to minLR along half a cosine
// over tMax epochs, as PyTorch's CosineAnnealingLR: lr = minLR +
// (lr0-minLR)*(1+cos(pi*e/tMax))/2. Past tMax it rises again (the cosine
// continues), as in PyTorch.
func CosineLR(opt LRSetter, tMax int, minLR float64) *Schedule {
	if tMax <= 0 {
		fail("cosine_lr", "tMax %d is not positive", tMax)
	}
	finite("cosine_lr", "minLR", minLR)
	s := newSchedule("cosine_lr", opt, nil)
	s.lrAt = func(e int) float64 {
		return minLR + (s.base-minLR)*(1+math.Cos(math.Pi*float64(e)/float64(tMax)))/2
	}
	return s.start()
}

// WarmupCosine raises the learning rate linearly from 0 to lr0 over warmup
// steps, then anneals it along half a cosine to minLR at step total, and
// holds minLR after (the schedule of transformers' training, Hugging
// Face's get_cosine_schedule_with_warmup when minLR is 0). PyTorch has it
// as a LambdaLR; the goldens test it as one.
func WarmupCosine(opt LRSetter, warmup, total int, minLR float64) *Schedule {
	if warmup < 0 || total <= warmup {
		fail("warmup_cosine", "need 0 <= warmup < total, have warmup %d, total %d", warmup, total)
	}
	finite("warmup_cosine", "minLR", minLR)
	s := newSchedule("warmup_cosine", opt, nil)
	s.lrAt = func(e int) float64 {
		if e < warmup {
			return s.base * float64(e) / float64(warmup)
		}
		progress := math.Min(1, float64(e-warmup)/float64(total-warmup))
		ratio := minLR / s.base
		if s.base == 0 {
			ratio = 0
		}
		return s.base * (ratio + (1-ratio)*0.5*(1+math.Cos(math.Pi*progress)))
	}
	return s.start()
}

// LambdaLR sets the learning rate to lr0 * f(epoch). f may be interpreted
// code; it is called once per Step.
func LambdaLR(opt LRSetter, f func(epoch int) float64) *Schedule {
	if f == nil {
		fail("lambda_lr", "nil function")
	}
	s := newSchedule("lambda_lr", opt, nil)
	s.lrAt = func(e int) float64 { return s.base * f(e) }
	return s.start()
}

// OneCycle is PyTorch's OneCycleLR (Smith and Topin, 2018), stepped once
// per batch for totalSteps steps: the learning rate rises from
// maxLR/DivFactor to maxLR over the first PctStart of the steps, then
// anneals to maxLR/DivFactor/FinalDivFactor, along cosines by default;
// meanwhile the momentum (beta1 for Adam) goes the other way, from 0.95
// down to 0.85 and back.
//
// Defaults: PctStart(0.3), DivFactor(25), FinalDivFactor(1e4), cosine
// annealing, CycleMomentum(0.85, 0.95). Options: PctStart, DivFactor,
// FinalDivFactor, LinearAnneal, ThreePhase, CycleMomentum,
// NoMomentumCycle. With an optimizer that has no momentum (Adagrad) pass
// NoMomentumCycle, as PyTorch requires cycle_momentum=False.
func OneCycle(opt LRSetter, maxLR float64, totalSteps int, opts ...Option) *Schedule {
	const op = "one_cycle"
	set := settings{pctStart: 0.3, divFactor: 25, finalDiv: 1e4, cycleMomentum: true, baseMomentum: 0.85, maxMomentum: 0.95}
	apply(op, &set, []string{"PctStart", "DivFactor", "FinalDivFactor", "LinearAnneal", "ThreePhase", "CycleMomentum", "NoMomentumCycle"}, opts)
	positive(op, "maxLR", maxLR)
	positive(op, "DivFactor", set.divFactor)
	positive(op, "FinalDivFactor", set.finalDiv)
	if totalSteps <= 0 {
		fail(op, "total steps %d is not positive", totalSteps)
	}
	if !(set.pctStart >= 0 && set.pctStart <= 1) {
		fail(op, "PctStart %v is not in [0, 1]", set.pctStart)
	}
	initial := maxLR / set.divFactor
	final := initial / set.finalDiv
	type phase struct {
		end        float64
		lr0, lr1   float64
		mom0, mom1 float64
	}
	hi, lo := set.maxMomentum, set.baseMomentum
	up := set.pctStart*float64(totalSteps) - 1
	var phases []phase
	if set.threePhase {
		phases = []phase{
			{up, initial, maxLR, hi, lo},
			{2*set.pctStart*float64(totalSteps) - 2, maxLR, initial, lo, hi},
			{float64(totalSteps) - 1, initial, final, hi, hi},
		}
	} else {
		phases = []phase{
			{up, initial, maxLR, hi, lo},
			{float64(totalSteps) - 1, maxLR, final, lo, hi},
		}
	}
	anneal := func(a, b, pct float64) float64 { return b + (a-b)/2*(math.Cos(math.Pi*pct)+1) }
	if set.linear {
		anneal = func(a, b, pct float64) float64 { return (b-a)*pct + a }
	}
	// at finds the phase of step e and how far into it e is.
	at := func(e int) (phase, float64) {
		start := 0.0
		for i, p := range phases {
			if float64(e) <= p.end || i == len(phases)-1 {
				return p, (float64(e) - start) / (p.end - start)
			}
			start = p.end
		}
		panic("unreachable")
	}
	s := newSchedule(op, opt, func(e int) float64 {
		p, pct := at(e)
		return anneal(p.lr0, p.lr1, pct)
	})
	s.limit = totalSteps
	if set.cycleMomentum {
		_, ok := opt.(momentumSetter)
		if h, isOpt := opt.(interface{ hasMomentum() bool }); !ok || (isOpt && !h.hasMomentum()) {
			fail(op, "the optimizer has no momentum or beta1 to cycle; pass optim.NoMomentumCycle()")
		}
		s.momAt = func(e int) float64 {
			p, pct := at(e)
			return anneal(p.mom0, p.mom1, pct)
		}
	}
	return s.start()
}
