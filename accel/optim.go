package accel

import (
	"fmt"
	"math"
	"sync"
)

// This file holds the update rules of nnlib/optim's two most used
// optimizers for float32 parameters: SGD with momentum and Adam, one pass
// over the parameter, its gradient and the optimizer's state. The loops are
// memory-bound; the assembly (optim_amd64.s, any CPU with AVX) does eight
// elements per instruction and rounds every operation as the Go twins below
// do (no fused multiply-add), so the two agree bit for bit. Updates of
// large parameters are split across the GEMM helpers (parallel.go). The Go
// twins are what -tags noasm and other architectures run, and what the
// tests compare the assembly with.

// optimKernels is one implementation of the update rules; each trusts its
// inputs' lengths (see SGDMomentumF32) and handles len(p) a multiple of
// optimBlock; the exported functions run the rest with the Go twins.
type optimKernels struct {
	name string
	sgd  func(p, g, buf []float32, lr, wd, mom, keep float32)
	adam func(p, g, m, v []float32, c AdamConsts)
}

// optimBlock is the number of elements the assembly updates per step.
const optimBlock = 8

// optimImpls lists the update kernel sets this CPU runs, fastest first; the
// last is the portable Go one.
var optimImpls = append(archOptim(), &optimKernels{name: "go", sgd: sgdMomentumF32Go, adam: adamF32Go})

// optimK is the update kernel set in use.
var optimK = optimImpls[0]

// SGDMomentumF32 is one step of SGD with momentum (PyTorch's rule after
// the first step, without Nesterov), in float32:
//
//	b := mom*buf[i] + keep*(g[i] + wd*p[i])
//	buf[i] = b
//	p[i] -= lr*b
//
// keep is 1 - dampening. It panics with an *Error if g or buf is shorter
// than p.
func SGDMomentumF32(p, g, buf []float32, lr, wd, mom, keep float32) {
	checkOptim("sgd_momentum", len(p), len(g), len(buf))
	n := len(p) - len(p)%optimBlock
	if n > 0 {
		l := optimLoops.Get().(*optimLoop)
		*l = optimLoop{p: p, g: g, a: buf, lr: lr, wd: wd, mom: mom, keep: keep}
		parallelRange(l, n)
		*l = optimLoop{}
		optimLoops.Put(l)
	}
	sgdMomentumF32Go(p[n:], g[n:len(p)], buf[n:len(p)], lr, wd, mom, keep)
}

// AdamConsts are the constants of one Adam step (see AdamF32).
type AdamConsts struct {
	WeightDecay  float32 // L2 penalty added to the gradient (Adam, not AdamW)
	Beta1, Beta2 float32 // decay rates of the moments
	C1, C2       float32 // 1 - Beta1 and 1 - Beta2
	StepSize     float32 // lr / (1 - Beta1^t)
	BiasCorr2    float32 // sqrt(1 - Beta2^t)
	Eps          float32
}

// AdamF32 is one step of Adam without AMSGrad (PyTorch's rule and order of
// operations) in float32, with c's constants:
//
//	gi := g[i] + WeightDecay*p[i]
//	m[i] = Beta1*m[i] + C1*gi
//	v[i] = Beta2*v[i] + C2*gi*gi
//	p[i] -= StepSize*m[i] / (sqrt(v[i])/BiasCorr2 + Eps)
//
// It panics with an *Error if g, m or v is shorter than p.
func AdamF32(p, g, m, v []float32, c AdamConsts) {
	checkOptim("adam", len(p), len(g), len(m), len(v))
	n := len(p) - len(p)%optimBlock
	if n > 0 {
		l := optimLoops.Get().(*optimLoop)
		*l = optimLoop{adam: true, p: p, g: g, a: m, b: v, c: c}
		parallelRange(l, n)
		*l = optimLoop{}
		optimLoops.Put(l)
	}
	adamF32Go(p[n:], g[n:len(p)], m[n:len(p)], v[n:len(p)], c)
}

// optimLoop is one update as a loop that parallelRange splits: SGD with
// momentum (a is the momentum buffer) or Adam (a and b are the moments).
type optimLoop struct {
	adam              bool
	p, g, a, b        []float32
	lr, wd, mom, keep float32
	c                 AdamConsts
}

var optimLoops = sync.Pool{New: func() any { return new(optimLoop) }}

func (l *optimLoop) body(lo, hi int) {
	if l.adam {
		optimK.adam(l.p[lo:hi], l.g[lo:hi], l.a[lo:hi], l.b[lo:hi], l.c)
	} else {
		optimK.sgd(l.p[lo:hi], l.g[lo:hi], l.a[lo:hi], l.lr, l.wd, l.mom, l.keep)
	}
}

// OptimKernels names the update kernels in use: "avx" or "go".
func OptimKernels() string { return optimK.name }

func checkOptim(op string, n int, others ...int) {
	for _, l := range others {
		if l < n {
			panic(&Error{op, fmt.Sprintf("a slice of %d elements for %d parameters", l, n)})
		}
	}
}

// sgdMomentumF32Go is SGDMomentumF32's loop. The conversions round each
// product, so that the compiler fuses no multiply-add.
func sgdMomentumF32Go(p, g, buf []float32, lr, wd, mom, keep float32) {
	g, buf = g[:len(p)], buf[:len(p)]
	for i, pi := range p {
		b := float32(mom*buf[i]) + float32(keep*(g[i]+float32(wd*pi)))
		buf[i] = b
		p[i] = pi - float32(lr*b)
	}
}

// adamF32Go is AdamF32's loop, rounding as sgdMomentumF32Go does.
func adamF32Go(p, g, m, v []float32, c AdamConsts) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i, pi := range p {
		gi := g[i] + float32(c.WeightDecay*pi)
		mi := float32(c.Beta1*m[i]) + float32(c.C1*gi)
		vi := float32(c.Beta2*v[i]) + float32(float32(c.C2*gi)*gi)
		m[i], v[i] = mi, vi
		d := float32(sqrt32(vi)/c.BiasCorr2) + c.Eps
		p[i] = pi - float32(c.StepSize*mi)/d
	}
}

// sqrt32 is the correctly rounded float32 square root (as VSQRTPS).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
