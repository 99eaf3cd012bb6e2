package nn

import (
	"fmt"
	"math"
	"slices"

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
	n, c := xs[0], xs[1]
	inner := x.Numel() / max(n*c, 1)
	m := n * inner // values per channel
	mean, rstd := make([]float64, c), make([]float64, c)
	xc := contiguous(x)
	train := b.Training()
	if train {
		if m <= 1 {
			fail(tensor.ErrShape, "batch_norm", "input %s: training needs more than one value per channel", shapeStr(xs))
		}
		vars := make([]float64, c)
		if x.DType() == tensor.Float32 {
			channelStats(raw[float32](xc), n, c, inner, mean, vars)
		} else {
			channelStats(raw[float64](xc), n, c, inner, mean, vars)
		}
		unbiased := make([]float64, c)
		for i, v := range vars {
			rstd[i] = 1 / math.Sqrt(v+b.Eps)
			unbiased[i] = v * float64(m) / float64(m-1)
		}
		mom := b.Momentum
		tensor.NoGrad(func() {
			b.RunningMean.MulInPlace(1-mom).AddScaledInPlace(mom, tensor.FromSlice(mean).To(b.RunningMean.DType()))
			b.RunningVar.MulInPlace(1-mom).AddScaledInPlace(mom, tensor.FromSlice(unbiased).To(b.RunningVar.DType()))
			b.Batches.Set(b.Batches.Item() + 1)
		})
	} else {
		copy(mean, b.RunningMean.Float64s())
		for i, v := range b.RunningVar.Float64s() {
			rstd[i] = 1 / math.Sqrt(v+b.Eps)
		}
	}
	w, bias := contiguous(b.Weight.To(x.DType())), contiguous(b.Bias.To(x.DType()))
	out := tensor.New(x.DType(), xs...)
	if x.DType() == tensor.Float32 {
		batchNormForward(raw[float32](xc), raw[float32](w), raw[float32](bias), raw[float32](out), n, c, inner, mean, rstd)
	} else {
		batchNormForward(raw[float64](xc), raw[float64](w), raw[float64](bias), raw[float64](out), n, c, inner, mean, rstd)
	}
	wt, bt := b.Weight, b.Bias
	return tensor.Record(out, "batch_norm", []*tensor.Tensor{x, wt, bt}, []*tensor.Tensor{x, wt}, func(g *tensor.Tensor) []*tensor.Tensor {
		g = contiguous(g)
		gx := tensor.New(x.DType(), xs...)
		gw, gb := tensor.New(x.DType(), c), tensor.New(x.DType(), c)
		if x.DType() == tensor.Float32 {
			batchNormBackward(raw[float32](g), raw[float32](xc), raw[float32](w), raw[float32](gx), raw[float32](gw), raw[float32](gb), n, c, inner, mean, rstd, train)
		} else {
			batchNormBackward(raw[float64](g), raw[float64](xc), raw[float64](w), raw[float64](gx), raw[float64](gw), raw[float64](gb), n, c, inner, mean, rstd, train)
		}
		return []*tensor.Tensor{gx, gw.To(wt.DType()), gb.To(bt.DType())}
	})
}

// channelStats computes the mean and biased variance of each channel of x
// laid out as (n, c, inner).
func channelStats[T float](x []T, n, c, inner int, mean, vars []float64) {
	m := float64(n * inner)
	for ch := 0; ch < c; ch++ {
		sum := 0.0
		for i := 0; i < n; i++ {
			for _, v := range x[(i*c+ch)*inner : (i*c+ch+1)*inner] {
				sum += float64(v)
			}
		}
		mu := sum / m
		ss := 0.0
		for i := 0; i < n; i++ {
			for _, v := range x[(i*c+ch)*inner : (i*c+ch+1)*inner] {
				d := float64(v) - mu
				ss += d * d
			}
		}
		mean[ch], vars[ch] = mu, ss/m
	}
}

// batchNormForward writes y = (x - mean)*rstd*w + b per channel.
func batchNormForward[T float](x, w, b, y []T, n, c, inner int, mean, rstd []float64) {
	for i := 0; i < n; i++ {
		for ch := 0; ch < c; ch++ {
			scale := rstd[ch] * float64(w[ch])
			shift := float64(b[ch]) - mean[ch]*scale
			o := (i*c + ch) * inner
			for j, v := range x[o : o+inner] {
				y[o+j] = T(float64(v)*scale + shift)
			}
		}
	}
}

// batchNormBackward computes the gradients: gb = sum g, gw = sum g*xhat per
// channel, and gx = w*rstd*(g - gb/m - xhat*gw/m) in training (the
// statistics depend on x), w*rstd*g in evaluation.
func batchNormBackward[T float](g, x, w, gx, gw, gb []T, n, c, inner int, mean, rstd []float64, train bool) {
	m := float64(n * inner)
	for ch := 0; ch < c; ch++ {
		sg, sgx := 0.0, 0.0
		for i := 0; i < n; i++ {
			o := (i*c + ch) * inner
			for j, v := range g[o : o+inner] {
				sg += float64(v)
				sgx += float64(v) * (float64(x[o+j]) - mean[ch]) * rstd[ch]
			}
		}
		gb[ch], gw[ch] = T(sg), T(sgx)
		k := float64(w[ch]) * rstd[ch]
		for i := 0; i < n; i++ {
			o := (i*c + ch) * inner
			for j, v := range g[o : o+inner] {
				d := float64(v)
				if train {
					xhat := (float64(x[o+j]) - mean[ch]) * rstd[ch]
					d -= sg/m + xhat*sgx/m
				}
				gx[o+j] = T(k * d)
			}
		}
	}
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
	if len(xs) < k || !slices.Equal(xs[len(xs)-k:], l.Shape) {
		fail(tensor.ErrShape, "layer_norm", "input %s: last dimensions must be %s", shapeStr(xs), shapeStr(l.Shape))
	}
	d := 1
	for _, v := range l.Shape {
		d *= v
	}
	rows := x.Numel() / d
	xc := contiguous(x)
	w, b := contiguous(l.Weight.To(x.DType())), contiguous(l.Bias.To(x.DType()))
	mean, rstd := make([]float64, rows), make([]float64, rows)
	out := tensor.New(x.DType(), xs...)
	if x.DType() == tensor.Float32 {
		layerNormForward(raw[float32](xc), raw[float32](w), raw[float32](b), raw[float32](out), d, l.Eps, mean, rstd)
	} else {
		layerNormForward(raw[float64](xc), raw[float64](w), raw[float64](b), raw[float64](out), d, l.Eps, mean, rstd)
	}
	wt, bt := l.Weight, l.Bias
	return tensor.Record(out, "layer_norm", []*tensor.Tensor{x, wt, bt}, []*tensor.Tensor{x, wt}, func(g *tensor.Tensor) []*tensor.Tensor {
		g = contiguous(g)
		gx := tensor.New(x.DType(), xs...)
		gw, gb := tensor.New(x.DType(), l.Shape...), tensor.New(x.DType(), l.Shape...)
		if x.DType() == tensor.Float32 {
			layerNormBackward(raw[float32](g), raw[float32](xc), raw[float32](w), raw[float32](gx), raw[float32](gw), raw[float32](gb), d, mean, rstd)
		} else {
			layerNormBackward(raw[float64](g), raw[float64](xc), raw[float64](w), raw[float64](gx), raw[float64](gw), raw[float64](gb), d, mean, rstd)
		}
		return []*tensor.Tensor{gx, gw.To(wt.DType()), gb.To(bt.DType())}
	})
}

// layerNormForward normalises each row of d values of x, recording each
// row's mean and 1/std.
func layerNormForward[T float](x, w, b, y []T, d int, eps float64, mean, rstd []float64) {
	for r := range mean {
		row := x[r*d : (r+1)*d]
		sum := 0.0
		for _, v := range row {
			sum += float64(v)
		}
		mu := sum / float64(d)
		ss := 0.0
		for _, v := range row {
			ss += (float64(v) - mu) * (float64(v) - mu)
		}
		rs := 1 / math.Sqrt(ss/float64(d)+eps)
		mean[r], rstd[r] = mu, rs
		out := y[r*d : (r+1)*d]
		for j, v := range row {
			out[j] = T((float64(v)-mu)*rs*float64(w[j]) + float64(b[j]))
		}
	}
}

// layerNormBackward computes gw += g*xhat and gb += g over rows, and
// gx = rstd*(h - mean(h) - xhat*mean(h*xhat)) with h = g*w, per row.
func layerNormBackward[T float](g, x, w, gx, gw, gb []T, d int, mean, rstd []float64) {
	for r := range mean {
		gr, xr := g[r*d:(r+1)*d], x[r*d:(r+1)*d]
		sh, shx := 0.0, 0.0
		for j, v := range gr {
			xhat := (float64(xr[j]) - mean[r]) * rstd[r]
			h := float64(v) * float64(w[j])
			sh += h
			shx += h * xhat
			gw[j] += T(float64(v) * xhat)
			gb[j] += v
		}
		out := gx[r*d : (r+1)*d]
		for j, v := range gr {
			xhat := (float64(xr[j]) - mean[r]) * rstd[r]
			h := float64(v) * float64(w[j])
			out[j] = T(rstd[r] * (h - sh/float64(d) - xhat*shx/float64(d)))
		}
	}
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
