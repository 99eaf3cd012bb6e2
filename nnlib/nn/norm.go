package nn

import (
	"fmt"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// BatchNormLayer normalises each channel (dimension 1) of its input over
// the batch and the spatial dimensions, then scales by Weight and shifts by
// Bias, as PyTorch's BatchNorm1d and BatchNorm2d. In training mode it uses
// the batch's statistics (biased variance) and updates the running ones,
// running = (1-Momentum)*running + Momentum*batch (the unbiased variance);
// in evaluation mode it uses the running statistics.
type BatchNormLayer struct {
	Base
	Features    int
	Dims        int // input dimensions: 2 or 3 for BatchNorm1d, 4 for BatchNorm2d
	Eps         float64
	Momentum    float64
	Weight      *tensor.Tensor // (Features), ones
	Bias        *tensor.Tensor // (Features), zeros
	RunningMean *tensor.Tensor // (Features), zeros
	RunningVar  *tensor.Tensor // (Features), ones
	Batches     *tensor.Tensor // Int scalar: num_batches_tracked
}

// BatchNorm1d returns a batch normalisation of (N, C) or (N, C, L) inputs
// with C = features, eps 1e-5 and momentum 0.1.
func BatchNorm1d(features int) *BatchNormLayer { return newBatchNorm(features, 1) }

// BatchNorm2d returns a batch normalisation of (N, C, H, W) inputs with C
// = features, eps 1e-5 and momentum 0.1.
func BatchNorm2d(features int) *BatchNormLayer { return newBatchNorm(features, 2) }

func newBatchNorm(features, kind int) *BatchNormLayer {
	if features <= 0 {
		fail(tensor.ErrShape, "batch_norm", "features=%d must be positive", features)
	}
	b := &BatchNormLayer{Features: features, Dims: kind + 2, Eps: 1e-5, Momentum: 0.1,
		Weight: tensor.Ones(features).RequiresGrad(), Bias: newParam(features),
		RunningMean: tensor.Zeros(features), RunningVar: tensor.Ones(features), Batches: tensor.New(tensor.Int)}
	b.RegisterParameter("weight", &b.Weight)
	b.RegisterParameter("bias", &b.Bias)
	b.RegisterBuffer("running_mean", &b.RunningMean)
	b.RegisterBuffer("running_var", &b.RunningVar)
	b.RegisterBuffer("num_batches_tracked", &b.Batches)
	return b
}

// String returns e.g. "BatchNorm2d(16, eps=1e-05, momentum=0.1)".
func (b *BatchNormLayer) String() string {
	return fmt.Sprintf("BatchNorm%dd(%d, eps=%g, momentum=%g)", b.Dims-2, b.Features, b.Eps, b.Momentum)
}

// Forward normalises x.
func (b *BatchNormLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	checkFloat("batch_norm", x, b.Weight)
	xs := x.Shape()
	okDims := len(xs) == b.Dims || (b.Dims == 3 && len(xs) == 2)
	if !okDims || xs[1] != b.Features {
		want := fmt.Sprintf("(N, %d) or (N, %d, L)", b.Features, b.Features)
		if b.Dims == 4 {
			want = fmt.Sprintf("(N, %d, H, W)", b.Features)
		}
		fail(tensor.ErrShape, "batch_norm", "input %s: need %s", shapeStr(xs), want)
	}
	dims := []int{0}
	for d := 2; d < len(xs); d++ {
		dims = append(dims, d)
	}
	bshape := make([]int, len(xs)) // (1, C, 1, ...)
	for i := range bshape {
		bshape[i] = 1
	}
	bshape[1] = b.Features
	var mean, v *tensor.Tensor
	if b.Training() {
		n := x.Numel() / b.Features
		if n <= 1 {
			fail(tensor.ErrShape, "batch_norm", "input %s: training needs more than one value per channel", shapeStr(xs))
		}
		mean = x.MeanKeepDim(dims...)
		v = x.Sub(mean).Square().MeanKeepDim(dims...)
		m := b.Momentum
		tensor.NoGrad(func() {
			bm := mean.Detach().Reshape(b.Features).To(b.RunningMean.DType())
			bv := v.Detach().Reshape(b.Features).Mul(float64(n) / float64(n-1)).To(b.RunningVar.DType())
			b.RunningMean.MulInPlace(1-m).AddScaledInPlace(m, bm)
			b.RunningVar.MulInPlace(1-m).AddScaledInPlace(m, bv)
			b.Batches.Set(b.Batches.Item() + 1)
		})
	} else {
		mean = b.RunningMean.Reshape(bshape...).To(x.DType())
		v = b.RunningVar.Reshape(bshape...).To(x.DType())
	}
	y := x.Sub(mean).Div(v.Add(b.Eps).Sqrt())
	return y.Mul(b.Weight.Reshape(bshape...)).Add(b.Bias.Reshape(bshape...))
}

// LayerNormLayer normalises over the last dimensions of its input (given by
// Shape) with the biased variance, then scales by Weight and shifts by
// Bias, both of that shape, as PyTorch's LayerNorm.
type LayerNormLayer struct {
	Base
	Shape  []int
	Eps    float64
	Weight *tensor.Tensor // Shape, ones
	Bias   *tensor.Tensor // Shape, zeros
}

// LayerNorm returns a layer normalisation over the trailing dimensions of
// the given shape (usually one: the feature size), with eps 1e-5.
func LayerNorm(shape ...int) *LayerNormLayer {
	if len(shape) == 0 {
		fail(tensor.ErrShape, "layer_norm", "no normalised shape")
	}
	l := &LayerNormLayer{Shape: append([]int{}, shape...), Eps: 1e-5,
		Weight: tensor.Ones(shape...).RequiresGrad(), Bias: newParam(shape...)}
	l.RegisterParameter("weight", &l.Weight)
	l.RegisterParameter("bias", &l.Bias)
	return l
}

// String returns e.g. "LayerNorm((64,), eps=1e-05, elementwise_affine=True)".
func (l *LayerNormLayer) String() string {
	return fmt.Sprintf("LayerNorm(%s, eps=%g, elementwise_affine=True)", pyShape(l.Shape), l.Eps)
}

// Forward normalises x, whose last dimensions must be Shape.
func (l *LayerNormLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	checkFloat("layer_norm", x, l.Weight)
	xs := x.Shape()
	k := len(l.Shape)
	if len(xs) < k || !sameShape(xs[len(xs)-k:], l.Shape) {
		fail(tensor.ErrShape, "layer_norm", "input %s: last dimensions must be %s", shapeStr(xs), shapeStr(l.Shape))
	}
	dims := make([]int, k)
	for i := range dims {
		dims[i] = len(xs) - k + i
	}
	mean := x.MeanKeepDim(dims...)
	xc := x.Sub(mean)
	v := xc.Square().MeanKeepDim(dims...)
	return xc.Div(v.Add(l.Eps).Sqrt()).Mul(l.Weight).Add(l.Bias)
}

// EmbeddingLayer maps token indices to rows of Weight, (Num, Dim), as
// PyTorch's Embedding.
type EmbeddingLayer struct {
	Base
	Num, Dim int
	Weight   *tensor.Tensor // (Num, Dim), standard normal
}

// Embedding returns a lookup table of num vectors of size dim, drawn from
// the standard normal distribution.
func Embedding(num, dim int) *EmbeddingLayer {
	if num <= 0 || dim <= 0 {
		fail(tensor.ErrShape, "embedding", "num=%d, dim=%d: sizes must be positive", num, dim)
	}
	e := &EmbeddingLayer{Num: num, Dim: dim, Weight: newParam(num, dim)}
	Normal(e.Weight, 0, 1)
	e.RegisterParameter("weight", &e.Weight)
	return e
}

// String returns e.g. "Embedding(1000, 64)".
func (e *EmbeddingLayer) String() string { return fmt.Sprintf("Embedding(%d, %d)", e.Num, e.Dim) }

// Forward maps an Int tensor of indices of any shape S to the vectors,
// shape (S..., Dim). It panics if an index is outside [0, Num).
func (e *EmbeddingLayer) Forward(idx *tensor.Tensor) *tensor.Tensor {
	if idx.DType() != tensor.Int {
		fail(tensor.ErrDType, "embedding", "indices %s are %v; need int", shapeStr(idx.Shape()), idx.DType())
	}
	flat := idx.Reshape(-1)
	for i, v := range flat.Ints() {
		if v < 0 || v >= e.Num {
			fail(tensor.ErrIndex, "embedding", "indices %s: index %d at %d is outside [0, %d) for weight %s", shapeStr(idx.Shape()), v, i, e.Num, shapeStr(e.Weight.Shape()))
		}
	}
	return e.Weight.IndexSelect(0, flat).Reshape(append(idx.Shape(), e.Dim)...)
}
