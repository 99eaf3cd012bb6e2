package optim

import (
	"math"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// ClipGradNorm scales the gradients of params together so that their
// global L2 norm (the norm of all their values as one vector) is at most
// maxNorm, as PyTorch's clip_grad_norm_ does: each gradient is multiplied
// by min(1, maxNorm/(norm+1e-6)). It returns the norm before clipping,
// worth logging: a jump in it is the first sign of a diverging run.
// Parameters without a gradient are skipped. It panics if maxNorm is
// negative or NaN.
func ClipGradNorm(params []*tensor.Tensor, maxNorm float64) float64 {
	if !(maxNorm >= 0) {
		fail("clip_grad_norm", "max norm %v is negative or NaN", maxNorm)
	}
	var sum float64
	for _, p := range params {
		g := p.Grad()
		if g == nil {
			continue
		}
		switch g = g.Contiguous(); g.DType() {
		case tensor.Float32:
			for _, v := range g.Float32Data() {
				sum += float64(v) * float64(v)
			}
		case tensor.Float64:
			for _, v := range g.Float64Data() {
				sum += v * v
			}
		}
	}
	norm := math.Sqrt(sum)
	coef := maxNorm / (norm + 1e-6)
	if coef < 1 {
		for _, p := range params {
			if g := p.Grad(); g != nil {
				g.MulInPlace(coef)
			}
		}
	}
	return norm
}

// ClipGradValue clamps every gradient value of params into [-clip, clip],
// as PyTorch's clip_grad_value_. It panics if clip is negative or NaN.
func ClipGradValue(params []*tensor.Tensor, clip float64) {
	if !(clip >= 0) {
		fail("clip_grad_value", "clip %v is negative or NaN", clip)
	}
	for _, p := range params {
		g := p.Grad()
		if g == nil {
			continue
		}
		if !g.IsContiguous() {
			g.Assign(g.Clamp(-clip, clip))
			continue
		}
		switch g.DType() {
		case tensor.Float32:
			clampAll(g.Float32Data(), clip)
		case tensor.Float64:
			clampAll(g.Float64Data(), clip)
		}
	}
}

func clampAll[T float](d []T, c float64) {
	lo, hi := T(-c), T(c)
	for i, v := range d {
		d[i] = min(max(v, lo), hi)
	}
}
