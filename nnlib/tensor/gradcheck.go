package tensor

import (
	"fmt"
	"math"
)

// GradCheck's step and tolerances, PyTorch's defaults: an analytic
// gradient a passes against the numeric n when |a-n| <= atol + rtol*|n|.
const (
	GradCheckEps  = 1e-6 // finite-difference step
	GradCheckAtol = 1e-5 // absolute tolerance
	GradCheckRtol = 1e-3 // relative tolerance
)

// GradCheck compares the gradients Backward computes for f with central
// finite differences, element by element, for every input that requires a
// gradient, as torch.autograd.gradcheck does (eps 1e-6, atol 1e-5, rtol
// 1e-3). The inputs must be Float64. f may return a tensor of any shape:
// every output element is checked. It returns nil when all agree, and an
// error naming the first input and element that differ otherwise. It
// leaves the inputs' gradients cleared.
func GradCheck(f func(inputs []*Tensor) *Tensor, inputs []*Tensor) error {
	for i, x := range inputs {
		if x.dtype != Float64 {
			return fmt.Errorf("tensor: gradcheck: input %d is %v, want float64", i, x.dtype)
		}
		if !x.IsLeaf() {
			return fmt.Errorf("tensor: gradcheck: input %d is not a leaf", i)
		}
	}
	y0 := f(inputs)
	if y0.dtype != Float64 {
		return fmt.Errorf("tensor: gradcheck: output is %v, want float64", y0.dtype)
	}
	nOut := y0.Numel()
	for i, x := range inputs {
		if !x.requiresGrad {
			continue
		}
		xs := buf[float64](x)
		// numeric[j][o] = d out[o] / d x[j]
		numeric := make([][]float64, x.Numel())
		j := 0
		var ferr error
		eachOffset(x.shape, x.strides, x.offset, func(off int) {
			orig := xs[off]
			var plus, minus []float64
			NoGrad(func() {
				xs[off] = orig + GradCheckEps
				plus = f(inputs).Float64s()
				xs[off] = orig - GradCheckEps
				minus = f(inputs).Float64s()
			})
			xs[off] = orig
			if len(plus) != nOut || len(minus) != nOut {
				ferr = fmt.Errorf("tensor: gradcheck: output size changed")
			}
			col := make([]float64, nOut)
			for o := range col {
				if o < len(plus) && o < len(minus) {
					col[o] = (plus[o] - minus[o]) / (2 * GradCheckEps)
				}
			}
			numeric[j] = col
			j++
		})
		if ferr != nil {
			return ferr
		}
		for o := 0; o < nOut; o++ {
			for _, in := range inputs {
				in.grad = nil
			}
			y := f(inputs)
			if !y.requiresGrad {
				return fmt.Errorf("tensor: gradcheck: output does not require grad")
			}
			up := newTensor(Float64, y.shape)
			buf[float64](up)[o] = 1
			y.BackwardWith(up)
			var analytic []float64
			if x.grad != nil {
				analytic = x.grad.Float64s()
			} else {
				analytic = make([]float64, x.Numel())
			}
			for j := range analytic {
				a, n := analytic[j], numeric[j][o]
				if math.IsNaN(a) || math.IsNaN(n) || math.Abs(a-n) > GradCheckAtol+GradCheckRtol*math.Abs(n) {
					return fmt.Errorf("tensor: gradcheck: %s: input %d %s element %d, output element %d: analytic %.8g, numeric %.8g",
						y.Op(), i, shapeStr(x.shape), j, o, a, n)
				}
			}
		}
	}
	for _, in := range inputs {
		in.grad = nil
	}
	return nil
}
