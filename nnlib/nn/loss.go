package nn

import (
	"math"
	"slices"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// Losses reduce to the mean over all elements (PyTorch's default
// reduction) and return a scalar. A loss that comes out NaN or infinite
// panics with an *Error of kind tensor.ErrNaN naming the loss and its
// input shapes, rather than train on it.

// checkLoss panics if the one-element loss is not finite.
func checkLoss(op string, loss *tensor.Tensor, inputs ...*tensor.Tensor) *tensor.Tensor {
	v := loss.Item()
	if !math.IsNaN(v) && !math.IsInf(v, 0) {
		return loss
	}
	shapes := make([]string, len(inputs))
	for i, in := range inputs {
		shapes[i] = shapeStr(in.Shape())
	}
	fail(tensor.ErrNaN, op, "loss is %v for inputs %s: an input holds NaN or Inf, or the model diverged (lower the learning rate)",
		v, strings.Join(shapes, ", "))
	return nil
}

// checkLabels panics unless labels is an Int tensor of shape (n) with
// values in [0, classes).
func checkLabels(op string, scores, labels *tensor.Tensor, n, classes int) []int {
	if labels.DType() != tensor.Int {
		fail(tensor.ErrDType, op, "labels %s are %v; class indices must be int (convert with To(tensor.Int))", shapeStr(labels.Shape()), labels.DType())
	}
	if labels.Dim() != 1 || labels.Size(0) != n {
		fail(tensor.ErrShape, op, "scores %s and labels %s: labels must have shape (%d)", shapeStr(scores.Shape()), shapeStr(labels.Shape()), n)
	}
	ls := labels.Ints()
	for i, y := range ls {
		if y < 0 || y >= classes {
			fail(tensor.ErrIndex, op, "scores %s and labels %s: label %d at index %d is outside [0, %d)", shapeStr(scores.Shape()), shapeStr(labels.Shape()), y, i, classes)
		}
	}
	return ls
}

// checkScores panics unless scores is a float (N, C) matrix with N > 0.
func checkScores(op string, scores *tensor.Tensor) (n, c int) {
	checkFloat(op, scores)
	if scores.Dim() != 2 {
		fail(tensor.ErrShape, op, "scores %s: need a (batch x classes) matrix", shapeStr(scores.Shape()))
	}
	n, c = scores.Size(0), scores.Size(1)
	if n == 0 || c == 0 {
		fail(tensor.ErrEmpty, op, "scores %s: empty batch", shapeStr(scores.Shape()))
	}
	return n, c
}

// CrossEntropy returns the mean cross-entropy of logits (N x C, raw
// scores) against labels (Int, N class indices), as PyTorch's
// F.cross_entropy: log-softmax and negative log-likelihood fused into one
// op with its own backward, (softmax - onehot)/N. It panics if a label is
// outside [0, C).
func CrossEntropy(logits, labels *tensor.Tensor) *tensor.Tensor {
	return CrossEntropySmoothed(logits, labels, 0)
}

// CrossEntropySmoothed is CrossEntropy with label smoothing as PyTorch's
// label_smoothing: the target is (1-s) on the label plus s/C on every
// class.
func CrossEntropySmoothed(logits, labels *tensor.Tensor, smoothing float64) *tensor.Tensor {
	const op = "cross_entropy"
	n, c := checkScores(op, logits)
	ls := checkLabels(op, logits, labels, n, c)
	if smoothing < 0 || smoothing > 1 {
		fail(tensor.ErrShape, op, "label smoothing %g is not in [0, 1]", smoothing)
	}
	x := contiguous(logits)
	probs := tensor.New(logits.DType(), n, c)
	var loss float64
	if x.DType() == tensor.Float32 {
		loss = crossEntropyForward(raw[float32](x), raw[float32](probs), ls, c, smoothing)
	} else {
		loss = crossEntropyForward(raw[float64](x), raw[float64](probs), ls, c, smoothing)
	}
	out := tensor.New(logits.DType())
	out.Set(loss)
	checkLoss(op, out, logits, labels)
	out = tensor.Record(out, op, []*tensor.Tensor{logits, nil}, []*tensor.Tensor{logits}, func(g *tensor.Tensor) []*tensor.Tensor {
		gx := tensor.New(logits.DType(), n, c)
		scale := g.Item() / float64(n)
		if x.DType() == tensor.Float32 {
			crossEntropyBackward(raw[float32](probs), raw[float32](gx), ls, c, smoothing, scale)
		} else {
			crossEntropyBackward(raw[float64](probs), raw[float64](gx), ls, c, smoothing, scale)
		}
		return []*tensor.Tensor{gx, nil}
	})
	return out
}

// crossEntropyForward writes each row's softmax into probs and returns the
// mean loss; row i contributes (1-s)(lse - x_y) + s(lse - mean(x)).
func crossEntropyForward[T float](x, probs []T, labels []int, c int, s float64) float64 {
	total := 0.0
	for i, y := range labels {
		row, p := x[i*c:(i+1)*c], probs[i*c:(i+1)*c]
		m := math.Inf(-1)
		sum := 0.0
		for _, v := range row {
			m = math.Max(m, float64(v))
			sum += float64(v)
		}
		z := 0.0
		for j, v := range row {
			e := math.Exp(float64(v) - m)
			p[j] = T(e)
			z += e
		}
		for j := range p {
			p[j] = T(float64(p[j]) / z)
		}
		lse := m + math.Log(z)
		total += (1-s)*(lse-float64(row[y])) + s*(lse-sum/float64(c))
	}
	return total / float64(len(labels))
}

// crossEntropyBackward writes scale*(softmax - target) into gx.
func crossEntropyBackward[T float](probs, gx []T, labels []int, c int, s, scale float64) {
	for i, y := range labels {
		p, g := probs[i*c:(i+1)*c], gx[i*c:(i+1)*c]
		for j, v := range p {
			q := s / float64(c)
			if j == y {
				q += 1 - s
			}
			g[j] = T(scale * (float64(v) - q))
		}
	}
}

// NLL returns the mean negative log-likelihood of log-probabilities (N x
// C, e.g. from LogSoftmax) at labels (Int, N class indices), as PyTorch's
// F.nll_loss. It panics if a label is outside [0, C).
func NLL(logProbs, labels *tensor.Tensor) *tensor.Tensor {
	n, c := checkScores("nll_loss", logProbs)
	checkLabels("nll_loss", logProbs, labels, n, c)
	loss := logProbs.Gather(1, labels.Unsqueeze(1)).Mean().Neg()
	return checkLoss("nll_loss", loss, logProbs, labels)
}

// checkPair panics unless pred and target are float tensors of one shape.
func checkPair(op string, pred, target *tensor.Tensor) {
	checkFloat(op, pred, target)
	if !slices.Equal(pred.Shape(), target.Shape()) {
		fail(tensor.ErrShape, op, "prediction %s and target %s: shapes differ", shapeStr(pred.Shape()), shapeStr(target.Shape()))
	}
	if pred.Numel() == 0 {
		fail(tensor.ErrEmpty, op, "prediction %s is empty", shapeStr(pred.Shape()))
	}
}

// MSE returns the mean squared error between pred and target, which must
// have the same shape.
func MSE(pred, target *tensor.Tensor) *tensor.Tensor {
	checkPair("mse_loss", pred, target)
	return checkLoss("mse_loss", pred.Sub(target).Square().Mean(), pred, target)
}

// L1 returns the mean absolute error between pred and target.
func L1(pred, target *tensor.Tensor) *tensor.Tensor {
	checkPair("l1_loss", pred, target)
	return checkLoss("l1_loss", pred.Sub(target).Abs().Mean(), pred, target)
}

// Huber returns the mean Huber loss with threshold delta (PyTorch's default
// is 1): 0.5*d^2 where |d| < delta, delta*(|d| - delta/2) elsewhere, d =
// pred - target.
func Huber(pred, target *tensor.Tensor, delta float64) *tensor.Tensor {
	checkPair("huber_loss", pred, target)
	if delta <= 0 {
		fail(tensor.ErrShape, "huber_loss", "delta %g must be positive", delta)
	}
	d := pred.Sub(target)
	a := d.Abs()
	loss := tensor.Where(a.Lt(delta), d.Square().Mul(0.5), a.Sub(delta/2).Mul(delta)).Mean()
	return checkLoss("huber_loss", loss, pred, target)
}

// BCEWithLogits returns the mean binary cross-entropy of sigmoid(logits)
// against targets in [0, 1] of the same shape, computed stably as
// max(x, 0) - x*y + log(1 + e**-|x|), fused with its own backward,
// (sigmoid(x) - y)/n for the logits and -x/n for the targets.
func BCEWithLogits(logits, targets *tensor.Tensor) *tensor.Tensor {
	const op = "binary_cross_entropy_with_logits"
	checkPair(op, logits, targets)
	x, y := contiguous(logits).Float64s(), contiguous(targets).Float64s()
	n := float64(len(x))
	total := 0.0
	for i, v := range x {
		total += math.Max(v, 0) - v*y[i] + math.Log1p(math.Exp(-math.Abs(v)))
	}
	out := tensor.New(logits.DType())
	out.Set(total / n)
	checkLoss(op, out, logits, targets)
	shape := logits.Shape()
	return tensor.Record(out, op, []*tensor.Tensor{logits, targets}, []*tensor.Tensor{logits, targets}, func(g *tensor.Tensor) []*tensor.Tensor {
		scale := g.Item() / n
		gx, gy := make([]float64, len(x)), make([]float64, len(x))
		for i, v := range x {
			gx[i] = scale * (1/(1+math.Exp(-v)) - y[i])
			gy[i] = -scale * v
		}
		dt := logits.DType()
		return []*tensor.Tensor{tensor.FromSlice(gx, shape...).To(dt), tensor.FromSlice(gy, shape...).To(dt)}
	})
}

// L1Penalty returns the sum of |p| over all elements of params, to add to
// a loss (times a strength) for L1 regularisation.
func L1Penalty(params []*tensor.Tensor) *tensor.Tensor {
	return penalty("l1_penalty", params, (*tensor.Tensor).Abs)
}

// L2Penalty returns the sum of p^2 over all elements of params, to add to
// a loss (times a strength) for L2 regularisation; its gradient is 2*p.
func L2Penalty(params []*tensor.Tensor) *tensor.Tensor {
	return penalty("l2_penalty", params, (*tensor.Tensor).Square)
}

func penalty(op string, params []*tensor.Tensor, f func(*tensor.Tensor) *tensor.Tensor) *tensor.Tensor {
	if len(params) == 0 {
		fail(tensor.ErrEmpty, op, "no parameters")
	}
	var sum *tensor.Tensor
	for _, p := range params {
		checkFloat(op, params[0], p)
		s := f(p).Sum()
		if sum == nil {
			sum = s
		} else {
			sum = sum.Add(s)
		}
	}
	return sum
}
