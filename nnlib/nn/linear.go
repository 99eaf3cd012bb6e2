package nn

import (
	"fmt"
	"github.com/gonnlab/gonn/accel"
	"math"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// LinearLayer computes y = x W^T + b, with W of shape (Out, In) and b of
// shape (Out), as PyTorch's nn.Linear.
type LinearLayer struct {
	Base
	In, Out int
	Weight  *tensor.Tensor // (Out, In)
	Bias    *tensor.Tensor // (Out), nil without a bias
	Mask    *tensor.Tensor // set by pruning: Weight*Mask is used, so pruned weights stay 0
}

// Linear returns a fully connected layer from in to out features with a
// bias, initialised as PyTorch does: weight and bias uniform in
// (-1/sqrt(in), 1/sqrt(in)).
func Linear(in, out int) *LinearLayer { return newLinear(in, out, true) }

// LinearNoBias is Linear without the bias term.
func LinearNoBias(in, out int) *LinearLayer { return newLinear(in, out, false) }

func newLinear(in, out int, bias bool) *LinearLayer {
	if in <= 0 || out <= 0 {
		fail(tensor.ErrShape, "linear", "in=%d, out=%d: sizes must be positive", in, out)
	}
	l := &LinearLayer{In: in, Out: out, Weight: newParam(out, in)}
	bound := 1 / math.Sqrt(float64(in))
	Uniform(l.Weight, -bound, bound)
	l.RegisterParameter("weight", &l.Weight)
	if bias {
		l.Bias = newParam(out)
		Uniform(l.Bias, -bound, bound)
		l.RegisterParameter("bias", &l.Bias)
	}
	return l
}

// Forward maps x of shape (..., In) to (..., Out). It panics if the last
// dimension of x is not In.
func (l *LinearLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	return linear(x, masked(l.Weight, l.Mask), l.Bias)
}

// masked returns w, times mask if there is one.
func masked(w, mask *tensor.Tensor) *tensor.Tensor {
	if mask == nil {
		return w
	}
	return w.Mul(mask.To(w.DType()))
}

// String returns "Linear(in_features=784, out_features=128, bias=True)".
func (l *LinearLayer) String() string {
	return fmt.Sprintf("Linear(in_features=%d, out_features=%d, bias=%s)", l.In, l.Out, pyBool(l.Bias != nil))
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// linear is the fused op x W^T + b on GEMM: one GEMM forward (the bias
// preloaded into the output), two backward, no copies of contiguous
// operands. b may be nil.
func linear(x, w, b *tensor.Tensor) *tensor.Tensor {
	ws := w.Shape()
	xs := x.Shape()
	if b != nil {
		checkFloat("linear", x, w, b)
	} else {
		checkFloat("linear", x, w)
	}
	if len(ws) != 2 || len(xs) == 0 || xs[len(xs)-1] != ws[1] {
		fail(tensor.ErrShape, "linear", "input %s for weight %s: last dimension must be %d", shapeStr(xs), shapeStr(ws), ws[len(ws)-1])
	}
	if b != nil && (b.Dim() != 1 || b.Size(0) != ws[0]) {
		fail(tensor.ErrShape, "linear", "bias %s for weight %s", shapeStr(b.Shape()), shapeStr(ws))
	}
	outShape := append(xs[:len(xs)-1:len(xs)-1], ws[0])
	out := tensor.Empty(x.DType(), outShape...) // the bias or the GEMM writes every element
	xc, wc := contiguous(x), contiguous(w)
	var bc *tensor.Tensor
	if b != nil {
		bc = contiguous(b)
	}
	if x.DType() == tensor.Float32 {
		linearForward[float32](out, xc, wc, bc)
	} else {
		linearForward[float64](out, xc, wc, bc)
	}
	inputs := []*tensor.Tensor{x, w, b}
	return tensor.Record(out, "linear", inputs, []*tensor.Tensor{x, w}, func(g *tensor.Tensor) []*tensor.Tensor {
		g = contiguous(g)
		var gx, gw, gb *tensor.Tensor
		if x.NeedsGrad() { // the GEMMs (beta 0) write every element of gx and gw
			gx = tensor.Empty(x.DType(), xs...)
		}
		if w.NeedsGrad() {
			gw = tensor.Empty(w.DType(), ws...)
		}
		if b != nil && b.NeedsGrad() {
			gb = tensor.New(b.DType(), ws[0])
		}
		if x.DType() == tensor.Float32 {
			linearBackward[float32](g, xc, wc, gx, gw, gb)
		} else {
			linearBackward[float64](g, xc, wc, gx, gw, gb)
		}
		return []*tensor.Tensor{gx, gw, gb}
	})
}

func linearForward[T float](out, x, w, b *tensor.Tensor) {
	o, in := w.Size(0), w.Size(1)
	n := x.Numel() / in
	od := raw[T](out)
	var beta T
	if b != nil {
		bd := raw[T](b)
		for i := 0; i < n; i++ {
			copy(od[i*o:(i+1)*o], bd)
		}
		beta = 1
	}
	gemm(false, true, n, o, in, 1, raw[T](x), in, raw[T](w), in, beta, od, o)
}

// linearBackward computes gx = g W, gw = g^T x and gb = the column sums of
// g, for the ones that are not nil.
func linearBackward[T float](g, x, w, gx, gw, gb *tensor.Tensor) {
	o, in := w.Size(0), w.Size(1)
	n := x.Numel() / in
	gd := raw[T](g)
	if gx != nil {
		gemm(false, false, n, in, o, 1, gd, o, raw[T](w), in, 0, raw[T](gx), in)
	}
	if gw != nil {
		gemm(true, false, o, in, n, 1, gd, o, raw[T](x), in, 0, raw[T](gw), in)
	}
	if gb != nil {
		s := raw[T](gb)
		if s32, ok := any(s).([]float32); ok { // gb is zeros: add g's rows into it
			accel.AddRunsF32(s32, 0, any(gd).([]float32), o, n, o)
			return
		}
		for i := 0; i < n; i++ {
			for j, v := range gd[i*o : (i+1)*o] {
				s[j] += v
			}
		}
	}
}
