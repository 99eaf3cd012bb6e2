package tensor

import (
	"math"
	"slices"
)

// This file holds the pointwise ops. Each unary op is one line of a table:
// the function and its derivative, both written on float64 (float32
// tensors are converted per element). Binary ops broadcast their operands
// NumPy-style; the backward walk sums a broadcast gradient back to each
// operand's shape, so no rule here has to.

// unaryFn is a pointwise function f and its derivative d, given the input x
// and the output y = f(x) (whichever is cheaper to use). The ops on the
// training path add f32 and d32, the same arithmetic as tight float32 loops
// (fast.go), and nanSafe when f makes NaN only from NaN, so that they skip
// the NaN check.
type unaryFn struct {
	f       func(x float64) float64
	d       func(x, y float64) float64
	f32     func(dst, x []float32)
	d32     func(dst, g, x, y []float32)
	nanSafe bool
}

var (
	fnNeg     = unaryFn{f: func(x float64) float64 { return -x }, d: func(x, y float64) float64 { return -1 }, f32: negF32, nanSafe: true}
	fnExp     = unaryFn{f: math.Exp, d: func(x, y float64) float64 { return y }, f32: expF32, d32: expGradF32, nanSafe: true}
	fnLog     = unaryFn{f: math.Log, d: func(x, y float64) float64 { return 1 / x }}
	fnSqrt    = unaryFn{f: math.Sqrt, d: func(x, y float64) float64 { return 0.5 / y }}
	fnAbs     = unaryFn{f: math.Abs, d: func(x, y float64) float64 { return sign(x) }}
	fnRelu    = unaryFn{f: relu, d: func(x, y float64) float64 { return step(x) }, f32: reluF32, d32: reluGradF32, nanSafe: true}
	fnSigmoid = unaryFn{f: sigmoid, d: func(x, y float64) float64 { return y * (1 - y) }, f32: sigmoidF32, d32: sigmoidGradF32, nanSafe: true}
	fnTanh    = unaryFn{f: math.Tanh, d: func(x, y float64) float64 { return 1 - y*y }, f32: tanhF32, d32: tanhGradF32, nanSafe: true}
	fnSilu    = unaryFn{f: func(x float64) float64 { return x * sigmoid(x) },
		d: func(x, y float64) float64 { s := sigmoid(x); return s * (1 + x*(1-s)) }}
	// fnGelu is the exact GELU, x*Phi(x), PyTorch's default.
	fnGelu = unaryFn{f: func(x float64) float64 { return x * normCDF(x) },
		d: func(x, y float64) float64 { return normCDF(x) + x*math.Exp(-x*x/2)/math.Sqrt(2*math.Pi) }}
)

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x) // no overflow for large negative x
	return e / (1 + e)
}

// relu is max(x, 0) as PyTorch's vector code computes it: NaN stays NaN,
// and so does -0.
func relu(x float64) float64 {
	if x < 0 {
		return 0
	}
	return x
}

func normCDF(x float64) float64 { return 0.5 * (1 + math.Erf(x/math.Sqrt2)) }

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// step is the derivative of ReLU; 0 at 0, as in PyTorch.
func step(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

func checkFloat(op string, ts ...*Tensor) {
	for _, t := range ts {
		if t.dtype != Float32 && t.dtype != Float64 {
			fail(ErrDType, op, "%s: %v tensors take no arithmetic; convert with To(Float32)", shapeStr(t.shape), t.dtype)
		}
	}
}

// unary applies fn to every element; its backward multiplies the gradient
// by fn.d(x, y), in one pass.
func (t *Tensor) unary(op string, fn unaryFn) *Tensor {
	checkFloat(op, t)
	var out *Tensor
	if t.dtype == Float32 && fn.f32 != nil {
		out = newTensorF32(t.shape)
	} else {
		out = newTensor(t.dtype, t.shape)
	}
	switch {
	case t.dtype == Float32 && fn.f32 != nil:
		fn.f32(buf[float32](out), flat[float32](t))
	case t.dtype == Float32:
		mapInto(buf[float32](out), flat[float32](t), fn.f)
	case t.dtype == Float64:
		mapInto(buf[float64](out), flat[float64](t), fn.f)
	}
	if !fn.nanSafe {
		checkNaN(op, out, t)
	}
	if !recording(t) {
		return out
	}
	return record(out, op, []*Tensor{t}, []*Tensor{t, out}, func(g *Tensor) []*Tensor {
		if g.dtype == Float32 && fn.d32 != nil {
			return []*Tensor{chainF32(g, t, out, fn.d32)}
		}
		return []*Tensor{chain(g, t, out, fn.d)}
	})
}

func mapInto[T float](dst, src []T, f func(float64) float64) {
	for i, v := range src {
		dst[i] = T(f(float64(v)))
	}
}

// chain returns g * d(x, y) for every element (the chain rule).
func chain(g, x, y *Tensor, d func(x, y float64) float64) *Tensor {
	out := newTensor(x.dtype, x.shape)
	switch x.dtype {
	case Float32:
		chainInto(buf[float32](out), flat[float32](g), flat[float32](x), flat[float32](y), d)
	case Float64:
		chainInto(buf[float64](out), flat[float64](g), flat[float64](x), flat[float64](y), d)
	}
	checkNaN("gradient", out, g, x, y)
	return out
}

func chainInto[T float](dst, g, x, y []T, d func(x, y float64) float64) {
	g, x, y = g[:len(dst)], x[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = g[i] * T(d(float64(x[i]), float64(y[i])))
	}
}

// Neg returns -t.
func (t *Tensor) Neg() *Tensor { return t.unary("neg", fnNeg) }

// Exp returns e**t.
func (t *Tensor) Exp() *Tensor { return t.unary("exp", fnExp) }

// Log returns the natural logarithm of t: -Inf at 0; below 0 it panics
// with ErrNaN (NaN, as PyTorch, with SetNaNCheck(false)).
func (t *Tensor) Log() *Tensor { return t.unary("log", fnLog) }

// Sqrt returns the square root of t.
func (t *Tensor) Sqrt() *Tensor { return t.unary("sqrt", fnSqrt) }

// Abs returns |t|; its gradient at 0 is 0.
func (t *Tensor) Abs() *Tensor { return t.unary("abs", fnAbs) }

// ReLU returns max(t, 0).
func (t *Tensor) ReLU() *Tensor { return t.unary("relu", fnRelu) }

// Sigmoid returns 1/(1+e**-t), computed stably.
func (t *Tensor) Sigmoid() *Tensor { return t.unary("sigmoid", fnSigmoid) }

// Tanh returns the hyperbolic tangent of t.
func (t *Tensor) Tanh() *Tensor { return t.unary("tanh", fnTanh) }

// GELU returns t*Phi(t), Phi the standard normal CDF (the exact form).
func (t *Tensor) GELU() *Tensor { return t.unary("gelu", fnGelu) }

// SiLU returns t*sigmoid(t) (also called swish).
func (t *Tensor) SiLU() *Tensor { return t.unary("silu", fnSilu) }

// LeakyReLU returns t where t > 0 and slope*t elsewhere.
func (t *Tensor) LeakyReLU(slope float64) *Tensor {
	return t.unary("leaky_relu", unaryFn{
		f: func(x float64) float64 { return max(x, 0) + slope*min(x, 0) },
		d: func(x, y float64) float64 { return step(x) + slope*(1-step(x)) }})
}

// Clamp limits t to [lo, hi]; use math.Inf for a missing bound. The
// gradient passes where lo <= t <= hi, as in PyTorch.
func (t *Tensor) Clamp(lo, hi float64) *Tensor {
	if lo > hi {
		fail(ErrShape, "clamp", "%s: lo %g > hi %g", shapeStr(t.shape), lo, hi)
	}
	return t.unary("clamp", unaryFn{
		f: func(x float64) float64 { return min(max(x, lo), hi) },
		d: func(x, y float64) float64 {
			if x >= lo && x <= hi {
				return 1
			}
			return 0
		}})
}

// binOp names the binary primitives.
type binOp int

const (
	opAdd binOp = iota
	opSub
	opMul
	opDiv
	opPow
)

var binNames = [...]string{"add", "sub", "mul", "div", "pow"}

// operand turns the other argument of a binary op into a tensor: a *Tensor
// as is, a Go number into a scalar of t's dtype.
func operand(op string, t *Tensor, o any) *Tensor {
	var v float64
	switch x := o.(type) {
	case *Tensor:
		if x == nil {
			fail(ErrShape, op, "%s and a nil tensor", shapeStr(t.shape))
		}
		return x
	case float64:
		v = x
	case float32:
		v = float64(x)
	case int:
		v = float64(x)
	case int64:
		v = float64(x)
	default:
		fail(ErrDType, op, "%s and a %T: want a *Tensor or a number", shapeStr(t.shape), o)
	}
	dt := t.dtype
	if dt == Int {
		dt = Float32
	}
	return newTensor(dt, nil).Fill(v)
}

// binary applies a broadcasting binary primitive.
func (t *Tensor) binary(op binOp, o any) *Tensor {
	if t.dtype == Float32 {
		if out := t.binaryF32(op, o); out != nil {
			return out
		}
	}
	name := binNames[op]
	u := operand(name, t, o)
	checkFloat(name, t, u)
	if t.dtype != u.dtype {
		fail(ErrDType, name, "%s %v and %s %v: dtypes differ", shapeStr(t.shape), t.dtype, shapeStr(u.shape), u.dtype)
	}
	shape := broadcastShapes(name, t.shape, u.shape)
	out := newTensor(t.dtype, shape)
	switch t.dtype {
	case Float32:
		binaryKernel[float32](op, out, t, u)
	case Float64:
		binaryKernel[float64](op, out, t, u)
	}
	checkNaN(name, out, t, u)
	if !recording(t, u) {
		return out
	}
	return record(out, name, []*Tensor{t, u}, []*Tensor{t, u}, binaryBackward(op, t, u, out))
}

// binaryBackward returns the backward rule of a = t op b, given out.
func binaryBackward(op binOp, a, b, out *Tensor) func(g *Tensor) []*Tensor {
	switch op {
	case opAdd:
		return func(g *Tensor) []*Tensor { return []*Tensor{g, g} }
	case opSub:
		return func(g *Tensor) []*Tensor { return []*Tensor{g, g.Neg()} }
	case opMul:
		return func(g *Tensor) []*Tensor { return []*Tensor{g.Mul(b), g.Mul(a)} }
	case opDiv:
		return func(g *Tensor) []*Tensor { return []*Tensor{g.Div(b), g.Mul(a).Div(b.Mul(b)).Neg()} }
	}
	return func(g *Tensor) []*Tensor {
		var gb *Tensor
		if b.requiresGrad {
			gb = g.Mul(out).Mul(a.Log())
		}
		return []*Tensor{g.Mul(b).Mul(a.Pow(b.Sub(1))), gb}
	}
}

// binaryKernel computes out = a op b over out's shape, a and b broadcast.
func binaryKernel[T float](op binOp, out, a, b *Tensor) {
	o := buf[T](out)
	ad, bd := buf[T](a), buf[T](b)
	as, bs := a.broadcastStrides(out.shape), b.broadcastStrides(out.shape)
	nd := len(out.shape)
	if nd == 0 {
		binRow(op, o, ad[a.offset:], 0, bd[b.offset:], 0)
		return
	}
	if slices.Equal(a.shape, out.shape) && slices.Equal(b.shape, out.shape) && a.IsContiguous() && b.IsContiguous() {
		n := len(o)
		binRow(op, o, ad[a.offset:a.offset+n], 1, bd[b.offset:b.offset+n], 1)
		return
	}
	inner := out.shape[nd-1]
	rows := numel(out.shape[:nd-1])
	if inner == 0 {
		return
	}
	idx := make([]int, nd-1)
	ao, bo := a.offset, b.offset
	for r := 0; r < rows; r++ {
		binRow(op, o[r*inner:(r+1)*inner], ad[ao:], as[nd-1], bd[bo:], bs[nd-1])
		for d := nd - 2; d >= 0; d-- {
			idx[d]++
			ao += as[d]
			bo += bs[d]
			if idx[d] < out.shape[d] {
				break
			}
			ao -= as[d] * out.shape[d]
			bo -= bs[d] * out.shape[d]
			idx[d] = 0
		}
	}
}

// binRow computes o[i] = a[i*sa] op b[i*sb].
func binRow[T float](op binOp, o, a []T, sa int, b []T, sb int) {
	if sa == 1 && sb == 1 {
		a, b = a[:len(o)], b[:len(o)]
		switch op {
		case opAdd:
			for i := range o {
				o[i] = a[i] + b[i]
			}
		case opSub:
			for i := range o {
				o[i] = a[i] - b[i]
			}
		case opMul:
			for i := range o {
				o[i] = a[i] * b[i]
			}
		case opDiv:
			for i := range o {
				o[i] = a[i] / b[i]
			}
		case opPow:
			for i := range o {
				o[i] = T(math.Pow(float64(a[i]), float64(b[i])))
			}
		}
		return
	}
	if sa == 1 && sb == 0 && op != opPow {
		a, s := a[:len(o)], b[0]
		switch op {
		case opAdd:
			for i := range o {
				o[i] = a[i] + s
			}
		case opSub:
			for i := range o {
				o[i] = a[i] - s
			}
		case opMul:
			for i := range o {
				o[i] = a[i] * s
			}
		case opDiv:
			for i := range o {
				o[i] = a[i] / s
			}
		}
		return
	}
	ia, ib := 0, 0
	for i := range o {
		x, y := a[ia], b[ib]
		switch op {
		case opAdd:
			o[i] = x + y
		case opSub:
			o[i] = x - y
		case opMul:
			o[i] = x * y
		case opDiv:
			o[i] = x / y
		case opPow:
			o[i] = T(math.Pow(float64(x), float64(y)))
		}
		ia += sa
		ib += sb
	}
}

// Add returns t + o; o is a *Tensor (broadcast) or a number.
func (t *Tensor) Add(o any) *Tensor { return t.binary(opAdd, o) }

// Sub returns t - o; o is a *Tensor (broadcast) or a number.
func (t *Tensor) Sub(o any) *Tensor { return t.binary(opSub, o) }

// Mul returns t * o elementwise; o is a *Tensor (broadcast) or a number.
func (t *Tensor) Mul(o any) *Tensor { return t.binary(opMul, o) }

// Div returns t / o elementwise; o is a *Tensor (broadcast) or a number.
func (t *Tensor) Div(o any) *Tensor { return t.binary(opDiv, o) }

// Pow returns t ** o elementwise; o is a *Tensor (broadcast) or a number.
func (t *Tensor) Pow(o any) *Tensor { return t.binary(opPow, o) }

// Square returns t*t.
func (t *Tensor) Square() *Tensor { return t.Mul(t) }

// cmpOp names the comparisons.
type cmpOp func(x, y float64) bool

// compare returns a mask of 1s where the comparison holds and 0s elsewhere;
// the mask is Float64 if either operand is, Float32 otherwise.
func (t *Tensor) compare(name string, o any, f cmpOp) *Tensor {
	u := operand(name, t, o)
	shape := broadcastShapes(name, t.shape, u.shape)
	dt := Float32
	if t.dtype == Float64 || u.dtype == Float64 {
		dt = Float64
	}
	x := t.view(shape, t.broadcastStrides(shape), t.offset).To(Float64)
	y := u.view(shape, u.broadcastStrides(shape), u.offset).To(Float64)
	xs, ys := flat[float64](x), flat[float64](y)
	m := make([]float64, len(xs))
	for i := range m {
		if f(xs[i], ys[i]) {
			m[i] = 1
		}
	}
	return FromSlice(m, shape...).To(dt)
}

// Eq returns a mask of t == o (1 where equal, 0 elsewhere).
func (t *Tensor) Eq(o any) *Tensor {
	return t.compare("eq", o, func(x, y float64) bool { return x == y })
}

// Ne returns a mask of t != o.
func (t *Tensor) Ne(o any) *Tensor {
	return t.compare("ne", o, func(x, y float64) bool { return x != y })
}

// Gt returns a mask of t > o.
func (t *Tensor) Gt(o any) *Tensor {
	return t.compare("gt", o, func(x, y float64) bool { return x > y })
}

// Ge returns a mask of t >= o.
func (t *Tensor) Ge(o any) *Tensor {
	return t.compare("ge", o, func(x, y float64) bool { return x >= y })
}

// Lt returns a mask of t < o.
func (t *Tensor) Lt(o any) *Tensor {
	return t.compare("lt", o, func(x, y float64) bool { return x < y })
}

// Le returns a mask of t <= o.
func (t *Tensor) Le(o any) *Tensor {
	return t.compare("le", o, func(x, y float64) bool { return x <= y })
}

// Where returns a where cond is nonzero and b elsewhere, all three
// broadcast together; a and b are tensors or numbers, and the gradient
// flows to each where it was chosen.
func Where(cond *Tensor, a, b any) *Tensor {
	var ta, tb *Tensor
	if x, ok := a.(*Tensor); ok {
		ta = x
	}
	if y, ok := b.(*Tensor); ok {
		tb = y
	}
	like := ta
	if like == nil {
		like = tb
	}
	if like == nil {
		like = newTensor(Float32, nil)
	}
	ta, tb = operand("where", like, a), operand("where", like, b)
	checkFloat("where", ta, tb)
	if ta.dtype != tb.dtype {
		fail(ErrDType, "where", "%s %v and %s %v: dtypes differ", shapeStr(ta.shape), ta.dtype, shapeStr(tb.shape), tb.dtype)
	}
	shape := broadcastShapes("where", broadcastShapes("where", cond.shape, ta.shape), tb.shape)
	c := flat[float64](cond.view(shape, cond.broadcastStrides(shape), cond.offset).To(Float64))
	out := newTensor(ta.dtype, shape)
	switch out.dtype {
	case Float32:
		whereInto(buf[float32](out), c, ta, tb, shape)
	case Float64:
		whereInto(buf[float64](out), c, ta, tb, shape)
	}
	return record(out, "where", []*Tensor{ta, tb}, []*Tensor{cond}, func(g *Tensor) []*Tensor {
		z := newTensor(g.dtype, nil)
		return []*Tensor{Where(cond, g, z), Where(cond, z, g)}
	})
}

func whereInto[T float](o []T, c []float64, a, b *Tensor, shape []int) {
	x := flat[T](a.view(shape, a.broadcastStrides(shape), a.offset))
	y := flat[T](b.view(shape, b.broadcastStrides(shape), b.offset))
	for i := range o {
		if c[i] != 0 {
			o[i] = x[i]
		} else {
			o[i] = y[i]
		}
	}
}

// MaskedFill returns t with v wherever mask (broadcast to t's shape) is
// nonzero; no gradient flows to the filled places.
func (t *Tensor) MaskedFill(mask *Tensor, v float64) *Tensor {
	if !slices.Equal(broadcastShapes("masked_fill", t.shape, mask.shape), t.shape) {
		fail(ErrShape, "masked_fill", "mask %s does not broadcast to %s", shapeStr(mask.shape), shapeStr(t.shape))
	}
	return Where(mask, v, t)
}

// Maximum returns the elementwise larger of t and o (broadcast); at ties
// the gradient goes to t.
func (t *Tensor) Maximum(o any) *Tensor {
	u := operand("maximum", t, o)
	return Where(t.Ge(u), t, u)
}

// Minimum returns the elementwise smaller of t and o; at ties the gradient
// goes to t.
func (t *Tensor) Minimum(o any) *Tensor {
	u := operand("minimum", t, o)
	return Where(t.Le(u), t, u)
}
