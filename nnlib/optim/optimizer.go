package optim

import (
	"fmt"
	"math"
	"strings"

	"github.com/gonnlab/gonn/accel"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// kind is an optimizer's update rule.
type kind int

const (
	kindSGD kind = iota
	kindAdam
	kindAdamW
	kindRMSprop
	kindAdagrad
)

var kindNames = [...]string{"sgd", "adam", "adamw", "rmsprop", "adagrad"}

// Optimizer updates a list of parameters from their gradients with one of
// the rules SGD, Adam, AdamW, RMSprop or Adagrad, as PyTorch's optimizers
// of those names do. Make one with those functions; the zero value is not
// usable.
//
// A training step is
//
//	opt.ZeroGrad()
//	loss := model.Forward(x) ... ; loss.Backward()
//	opt.Step()
//
// Step marks each parameter it updates as modified in place
// (tensor.MarkModified), so that a Backward through a graph retained from
// before the step, which saved the old values, panics instead of using
// the new ones, as PyTorch's version counter does.
//
// Parameters without a gradient (nil Grad) are skipped, and their state
// does not advance; so are parameters that do not require gradients, such
// as those of a layer after nn.Freeze (they never get one), as PyTorch
// skips frozen parameters: model.Parameters() can be passed as it is. The update writes the parameters' storage directly
// (Float32Data/Float64Data), without recording anything for autograd and
// without allocating after the first step.
type Optimizer struct {
	kind   kind
	params []*tensor.Tensor
	lr     float64
	s      settings
	state  []paramState
}

// paramState is one parameter's running state. The buffers are []float32
// or []float64, the parameter's dtype, made on its first update.
type paramState struct {
	step  int
	buf   any // SGD/RMSprop momentum; Adam exp_avg
	sq    any // Adam exp_avg_sq; RMSprop square_avg; Adagrad sum
	extra any // Adam max_exp_avg_sq (AMSGrad); RMSprop grad_avg (centered)
}

func newOptimizer(k kind, params []*tensor.Tensor, lr float64, s settings, allowed []string, opts []Option) *Optimizer {
	op := kindNames[k]
	apply(op, &s, allowed, opts)
	finite(op, "learning rate", lr)
	if lr < 0 {
		fail(op, "learning rate %v is negative", lr)
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"momentum", s.momentum}, {"weight decay", s.weightDecay}, {"eps", s.eps}, {"lr decay", s.lrDecay}, {"initial accumulator", s.initialAccumulator}} {
		finite(op, v.name, v.v)
		if v.v < 0 {
			fail(op, "%s %v is negative", v.name, v.v)
		}
	}
	for _, b := range []float64{s.beta1, s.beta2} {
		if !(b >= 0 && b < 1) {
			fail(op, "beta %v is not in [0, 1)", b)
		}
	}
	if k == kindRMSprop && !(s.alpha >= 0 && s.alpha <= 1) {
		fail(op, "alpha %v is not in [0, 1]", s.alpha)
	}
	if s.nesterov && (s.momentum <= 0 || s.dampening != 0) {
		fail(op, "Nesterov momentum needs Momentum > 0 and zero Dampening (have momentum %v, dampening %v)", s.momentum, s.dampening)
	}
	o := &Optimizer{kind: k, lr: lr, s: s}
	seen := map[*tensor.Tensor]bool{}
	for i, p := range params {
		if p == nil {
			fail(op, "parameter %d is nil", i)
		}
		if seen[p] {
			fail(op, "parameter %d appears twice in the list", i)
		}
		seen[p] = true
		if dt := p.DType(); dt != tensor.Float32 && dt != tensor.Float64 {
			fail(op, "parameter %d %v is %v; only float tensors can be optimized", i, p.Shape(), dt)
		}
		if !p.IsContiguous() {
			fail(op, "parameter %d %v is a non-contiguous view; optimize the tensor it views", i, p.Shape())
		}
	}
	o.params = append([]*tensor.Tensor{}, params...)
	o.state = make([]paramState, len(params))
	return o
}

// SGD returns stochastic gradient descent with PyTorch's semantics: with
// d = grad + wd*p, the momentum buffer is b = d on the first step and
// b = momentum*b + (1-dampening)*d after; the step is p -= lr*b, or
// p -= lr*(d + momentum*b) with Nesterov.
//
// Options: Momentum, Dampening, Nesterov, WeightDecay.
func SGD(params []*tensor.Tensor, lr float64, opts ...Option) *Optimizer {
	return newOptimizer(kindSGD, params, lr, settings{}, []string{"Momentum", "Dampening", "Nesterov", "WeightDecay"}, opts)
}

// Adam returns Adam (Kingma and Ba, 2015) with PyTorch's semantics,
// bias correction included: m and v average the gradient and its square
// with rates beta1 and beta2, and p -= lr/(1-beta1^t) * m /
// (sqrt(v)/sqrt(1-beta2^t) + eps). WeightDecay adds wd*p to the gradient
// (an L2 penalty; AdamW decouples it instead).
//
// Defaults: Betas(0.9, 0.999), Eps(1e-8). Options: Betas, Eps,
// WeightDecay, AMSGrad. A usual lr is 1e-3.
func Adam(params []*tensor.Tensor, lr float64, opts ...Option) *Optimizer {
	s := settings{beta1: 0.9, beta2: 0.999, eps: 1e-8}
	return newOptimizer(kindAdam, params, lr, s, []string{"Betas", "Eps", "WeightDecay", "AMSGrad"}, opts)
}

// AdamW returns Adam with decoupled weight decay (Loshchilov and Hutter,
// 2019) as PyTorch has it: each step first shrinks the parameters,
// p *= 1 - lr*wd, then takes Adam's step without decay.
//
// Defaults: Betas(0.9, 0.999), Eps(1e-8), WeightDecay(0.01). Options:
// Betas, Eps, WeightDecay, AMSGrad.
func AdamW(params []*tensor.Tensor, lr float64, opts ...Option) *Optimizer {
	s := settings{beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01}
	return newOptimizer(kindAdamW, params, lr, s, []string{"Betas", "Eps", "WeightDecay", "AMSGrad"}, opts)
}

// RMSprop returns RMSprop as PyTorch has it: v = alpha*v + (1-alpha)*g²,
// and p -= lr * g / (sqrt(v) + eps); Centered subtracts the square of the
// running mean gradient from v first, Momentum accumulates the scaled
// step in a buffer.
//
// Defaults: Alpha(0.99), Eps(1e-8). Options: Alpha, Eps, WeightDecay,
// Momentum, Centered. A usual lr is 1e-2.
func RMSprop(params []*tensor.Tensor, lr float64, opts ...Option) *Optimizer {
	s := settings{alpha: 0.99, eps: 1e-8}
	return newOptimizer(kindRMSprop, params, lr, s, []string{"Alpha", "Eps", "WeightDecay", "Momentum", "Centered"}, opts)
}

// Adagrad returns Adagrad as PyTorch has it: the sum of squared gradients
// s grows by g² each step, and p -= lr/(1+(t-1)*lrDecay) * g /
// (sqrt(s) + eps).
//
// Defaults: Eps(1e-10). Options: LRDecay, WeightDecay, InitialAccumulator,
// Eps. A usual lr is 1e-2.
func Adagrad(params []*tensor.Tensor, lr float64, opts ...Option) *Optimizer {
	s := settings{eps: 1e-10}
	return newOptimizer(kindAdagrad, params, lr, s, []string{"LRDecay", "WeightDecay", "InitialAccumulator", "Eps"}, opts)
}

// Params returns the optimized parameters (a copy of the list; the tensors
// are the optimizer's own).
func (o *Optimizer) Params() []*tensor.Tensor { return append([]*tensor.Tensor{}, o.params...) }

// LR returns the learning rate the next Step uses.
func (o *Optimizer) LR() float64 { return o.lr }

// SetLR sets the learning rate; schedules call it. It panics if lr is
// negative or not finite.
func (o *Optimizer) SetLR(lr float64) {
	finite(o.Name(), "learning rate", lr)
	if lr < 0 {
		fail(o.Name(), "learning rate %v is negative", lr)
	}
	o.lr = lr
}

// Momentum returns the momentum (SGD, RMSprop) or beta1 (Adam, AdamW); 0
// for Adagrad.
func (o *Optimizer) Momentum() float64 {
	switch o.kind {
	case kindAdam, kindAdamW:
		return o.s.beta1
	case kindAdagrad:
		return 0
	}
	return o.s.momentum
}

// SetMomentum sets the momentum (SGD, RMSprop) or beta1 (Adam, AdamW), as
// OneCycle does. It panics for Adagrad, which has none.
func (o *Optimizer) SetMomentum(m float64) {
	finite(o.Name(), "momentum", m)
	switch o.kind {
	case kindAdam, kindAdamW:
		if !(m >= 0 && m < 1) {
			fail(o.Name(), "beta1 %v is not in [0, 1)", m)
		}
		o.s.beta1 = m
	case kindAdagrad:
		fail(o.Name(), "adagrad has no momentum")
	default:
		if m < 0 {
			fail(o.Name(), "momentum %v is negative", m)
		}
		o.s.momentum = m
	}
}

// hasMomentum reports whether SetMomentum works.
func (o *Optimizer) hasMomentum() bool { return o.kind != kindAdagrad }

// Name returns the rule's name: "sgd", "adam", "adamw", "rmsprop" or
// "adagrad".
func (o *Optimizer) Name() string { return kindNames[o.kind] }

// String describes the optimizer and its hyperparameters, e.g.
// "SGD(lr=0.1, momentum=0.9, nesterov) on 4 tensors (101770 values)".
func (o *Optimizer) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s(lr=%g", map[kind]string{kindSGD: "SGD", kindAdam: "Adam", kindAdamW: "AdamW", kindRMSprop: "RMSprop", kindAdagrad: "Adagrad"}[o.kind], o.lr)
	s := o.s
	opt := func(cond bool, format string, args ...any) {
		if cond {
			fmt.Fprintf(&b, ", "+format, args...)
		}
	}
	switch o.kind {
	case kindSGD:
		opt(s.momentum != 0, "momentum=%g", s.momentum)
		opt(s.dampening != 0, "dampening=%g", s.dampening)
		opt(s.nesterov, "nesterov")
	case kindAdam, kindAdamW:
		opt(true, "betas=(%g, %g), eps=%g", s.beta1, s.beta2, s.eps)
		opt(s.amsgrad, "amsgrad")
	case kindRMSprop:
		opt(true, "alpha=%g, eps=%g", s.alpha, s.eps)
		opt(s.momentum != 0, "momentum=%g", s.momentum)
		opt(s.centered, "centered")
	case kindAdagrad:
		opt(s.lrDecay != 0, "lr_decay=%g", s.lrDecay)
		opt(s.initialAccumulator != 0, "initial_accumulator=%g", s.initialAccumulator)
		opt(true, "eps=%g", s.eps)
	}
	opt(s.weightDecay != 0, "weight_decay=%g", s.weightDecay)
	n := 0
	for _, p := range o.params {
		n += p.Numel()
	}
	fmt.Fprintf(&b, ") on %d tensors (%d values)", len(o.params), n)
	return b.String()
}

// ZeroGrad clears the gradients of every parameter (sets them to nil, so
// the next Backward starts from zero).
func (o *Optimizer) ZeroGrad() {
	for _, p := range o.params {
		p.ZeroGrad()
	}
}

// Step updates every parameter that has a gradient by the optimizer's rule.
// It panics if a gradient's shape or dtype differs from its parameter's.
func (o *Optimizer) Step() {
	for i, p := range o.params {
		g := p.Grad()
		if g == nil {
			continue
		}
		if g.DType() != p.DType() || !sameShape(g, p) {
			fail(o.Name(), "parameter %d %v %v has a gradient %v %v", i, p.Shape(), p.DType(), g.Shape(), g.DType())
		}
		g = g.Contiguous()
		st := &o.state[i]
		st.step++
		if p.DType() == tensor.Float32 {
			update(o, st, p.Float32Data(), g.Float32Data())
		} else {
			update(o, st, p.Float64Data(), g.Float64Data())
		}
		p.MarkModified()
	}
}

// sameShape compares shapes without copying them (Shape copies).
func sameShape(a, b *tensor.Tensor) bool {
	if a.Dim() != b.Dim() {
		return false
	}
	for d := range a.Dim() {
		if a.Size(d) != b.Size(d) {
			return false
		}
	}
	return true
}

type float interface{ float32 | float64 }

// buffer returns *slot as a []T of len n, making it (filled with v) on
// first use; made reports whether it was just made.
func buffer[T float](slot *any, n int, v float64) (b []T, made bool) {
	if *slot == nil {
		b = make([]T, n)
		if v != 0 {
			for i := range b {
				b[i] = T(v)
			}
		}
		*slot = b
		return b, true
	}
	return (*slot).([]T), false
}

// update applies o's rule to one parameter p with gradient g (same
// length). Arithmetic is in float64, rounded once to p's dtype, except
// for the two rules of the MNIST benchmarks (SGD with momentum after its
// first step, without Nesterov; Adam without AMSGrad), which compute in
// p's dtype, as PyTorch does (see sgdMomentum).
func update[T float](o *Optimizer, st *paramState, p, g []T) {
	s := &o.s
	lr, wd := o.lr, s.weightDecay
	n := len(p)
	g = g[:n]
	switch o.kind {
	case kindSGD:
		var buf []T
		first := false
		if s.momentum != 0 {
			buf, first = buffer[T](&st.buf, n, 0)
		}
		mom, damp := s.momentum, s.dampening
		if mom != 0 && !first && !s.nesterov {
			sgdMomentum(p, g, buf[:n], lr, wd, mom, damp)
			return
		}
		for i := range p {
			pi := float64(p[i])
			d := float64(g[i]) + wd*pi
			if mom != 0 {
				var b float64
				if first {
					b = d
				} else {
					b = mom*float64(buf[i]) + (1-damp)*d
				}
				buf[i] = T(b)
				if s.nesterov {
					d += mom * b
				} else {
					d = b
				}
			}
			p[i] = T(pi - lr*d)
		}

	case kindAdam, kindAdamW:
		m, _ := buffer[T](&st.buf, n, 0)
		v, _ := buffer[T](&st.sq, n, 0)
		var vmax []T
		if s.amsgrad {
			vmax, _ = buffer[T](&st.extra, n, 0)
		}
		b1, b2 := s.beta1, s.beta2
		t := float64(st.step)
		stepSize := lr / (1 - math.Pow(b1, t))
		bc2 := math.Sqrt(1 - math.Pow(b2, t))
		shrink := 1 - lr*wd
		if o.kind == kindAdam && !s.amsgrad {
			adam(p, g, m[:n], v[:n], wd, b1, b2, stepSize, bc2, s.eps)
			return
		}
		for i := range p {
			pi, gi := float64(p[i]), float64(g[i])
			if o.kind == kindAdamW {
				pi *= shrink
			} else {
				gi += wd * pi
			}
			mi := b1*float64(m[i]) + (1-b1)*gi
			vi := b2*float64(v[i]) + (1-b2)*gi*gi
			m[i], v[i] = T(mi), T(vi)
			if s.amsgrad {
				vi = math.Max(float64(vmax[i]), vi)
				vmax[i] = T(vi)
			}
			p[i] = T(pi - stepSize*mi/(math.Sqrt(vi)/bc2+s.eps))
		}

	case kindRMSprop:
		sq, _ := buffer[T](&st.sq, n, 0)
		var avg, buf []T
		if s.centered {
			avg, _ = buffer[T](&st.extra, n, 0)
		}
		if s.momentum > 0 {
			buf, _ = buffer[T](&st.buf, n, 0)
		}
		a := s.alpha
		for i := range p {
			pi := float64(p[i])
			gi := float64(g[i]) + wd*pi
			si := a*float64(sq[i]) + (1-a)*gi*gi
			sq[i] = T(si)
			if s.centered {
				ai := a*float64(avg[i]) + (1-a)*gi
				avg[i] = T(ai)
				si -= ai * ai
			}
			den := math.Sqrt(si) + s.eps
			if s.momentum > 0 {
				b := s.momentum*float64(buf[i]) + gi/den
				buf[i] = T(b)
				p[i] = T(pi - lr*b)
			} else {
				p[i] = T(pi - lr*gi/den)
			}
		}

	case kindAdagrad:
		sum, _ := buffer[T](&st.sq, n, s.initialAccumulator)
		clr := lr / (1 + float64(st.step-1)*s.lrDecay)
		for i := range p {
			pi := float64(p[i])
			gi := float64(g[i]) + wd*pi
			si := float64(sum[i]) + gi*gi
			sum[i] = T(si)
			p[i] = T(pi - clr*gi/(math.Sqrt(si)+s.eps))
		}
	}
}

// sgdMomentum is update's SGD rule after the first step, without
// Nesterov, in T's arithmetic (float32 parameters in float32, as PyTorch
// computes them): the loop is memory-bound, and float64 conversions made
// it twice as slow. float32 runs on accel's vector kernel.
func sgdMomentum[T float](p, g, buf []T, lr, wd, mom, damp float64) {
	if p32, ok := any(p).([]float32); ok {
		accel.SGDMomentumF32(p32, any(g).([]float32), any(buf).([]float32), float32(lr), float32(wd), float32(mom), float32(1-damp))
		return
	}
	g, buf = g[:len(p)], buf[:len(p)]
	lrT, wdT, momT, keep := T(lr), T(wd), T(mom), T(1-damp)
	for i, pi := range p {
		b := momT*buf[i] + keep*(g[i]+wdT*pi)
		buf[i] = b
		p[i] = pi - lrT*b
	}
}

// adam is update's Adam rule without AMSGrad, in T's arithmetic as
// sgdMomentum, in PyTorch's order of operations.
func adam[T float](p, g, m, v []T, wd, b1, b2, stepSize, bc2, eps float64) {
	if p32, ok := any(p).([]float32); ok {
		accel.AdamF32(p32, any(g).([]float32), any(m).([]float32), any(v).([]float32), accel.AdamConsts{
			WeightDecay: float32(wd), Beta1: float32(b1), Beta2: float32(b2), C1: float32(1 - b1), C2: float32(1 - b2),
			StepSize: float32(stepSize), BiasCorr2: float32(bc2), Eps: float32(eps)})
		return
	}
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	wdT, b1T, b2T, c1, c2 := T(wd), T(b1), T(b2), T(1-b1), T(1-b2)
	stepT, bc2T, epsT := T(stepSize), T(bc2), T(eps)
	for i, pi := range p {
		gi := g[i] + wdT*pi
		mi := b1T*m[i] + c1*gi
		vi := b2T*v[i] + c2*gi*gi
		m[i], v[i] = mi, vi
		p[i] = pi - stepT*mi/(T(math.Sqrt(float64(vi)))/bc2T+epsT)
	}
}
