package nn

import (
	"fmt"
	"math"
	"sort"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// LoRALayer is a low-rank adapter around a frozen Linear (Hu et al.,
// 2021): y = Linear(x) + (alpha/rank) * x A^T B^T, with A (rank, In)
// initialised as a Linear weight (Kaiming uniform) and B (Out, rank) at
// zero, so that the adapter starts as the identity change. Only A and B
// train. Its state dict holds the Linear's "weight" and "bias" under their
// own names, so a pretrained state still loads, plus "lora_A.weight" and
// "lora_B.weight".
type LoRALayer struct {
	Base
	Linear *LinearLayer
	Rank   int
	Alpha  float64
	A, B   *tensor.Tensor
}

// LoRA freezes l and returns an adapter of the given rank around it; alpha
// scales the update (alpha/rank; PEFT's default alpha is 8). Replace the
// layer in its model with SequentialLayer.Set, then train
// model.TrainableParameters().
func LoRA(l *LinearLayer, rank int, alpha float64) *LoRALayer {
	if rank <= 0 || rank > min(l.In, l.Out) {
		fail(tensor.ErrShape, "lora", "rank %d for %s: need 1..%d", rank, l, min(l.In, l.Out))
	}
	l.Freeze()
	a := &LoRALayer{Linear: l, Rank: rank, Alpha: alpha,
		A: tensor.New(l.Weight.DType(), rank, l.In).RequiresGrad(), B: tensor.New(l.Weight.DType(), l.Out, rank).RequiresGrad()}
	bound := 1 / math.Sqrt(float64(l.In))
	Uniform(a.A, -bound, bound)
	a.RegisterParameter("weight", &l.Weight)
	if l.Bias != nil {
		a.RegisterParameter("bias", &l.Bias)
	}
	a.RegisterParameter("lora_A.weight", &a.A)
	a.RegisterParameter("lora_B.weight", &a.B)
	return a
}

// Forward computes the frozen layer's output plus the low-rank update.
func (a *LoRALayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	y := a.Linear.Forward(x)
	return y.Add(linear(linear(x, a.A, nil), a.B, nil).Mul(a.Alpha / float64(a.Rank)))
}

// String returns e.g. "LoRA(Linear(in_features=..., ...), rank=4, alpha=8)".
func (a *LoRALayer) String() string {
	return fmt.Sprintf("LoRA(%s, rank=%d, alpha=%g)", a.Linear, a.Rank, a.Alpha)
}

// Merge returns a plain Linear whose weight is W + (alpha/rank) B A: the
// adapter folded in, for inference at the original cost.
func (a *LoRALayer) Merge() *LinearLayer {
	l := newLinear(a.Linear.In, a.Linear.Out, a.Linear.Bias != nil)
	l.To(a.Linear.Weight.DType())
	tensor.NoGrad(func() {
		w := a.Linear.Weight.Add(a.B.MatMul(a.A).Mul(a.Alpha / float64(a.Rank)))
		l.Weight.Detach().Assign(masked(w, a.Linear.Mask))
		if l.Bias != nil {
			l.Bias.Detach().Assign(a.Linear.Bias)
		}
	})
	return l
}

// prunable returns the Linear and Conv2d layers of m, in order, with
// their state-dict names.
func prunable(m Module) (names []string, weights []**tensor.Tensor, masks []**tensor.Tensor) {
	var visit func(prefix string, m Module)
	visit = func(prefix string, m Module) {
		switch l := m.(type) {
		case *LinearLayer:
			names, weights, masks = append(names, prefix+"weight"), append(weights, &l.Weight), append(masks, &l.Mask)
			return
		case *Conv2dLayer:
			names, weights, masks = append(names, prefix+"weight"), append(weights, &l.Weight), append(masks, &l.Mask)
			return
		}
		for _, c := range m.ModuleBase().children {
			visit(prefix+c.Name+".", c.Module)
		}
	}
	visit("", m)
	return names, weights, masks
}

// prune zeroes, in each weight, the elements whose |w| ranks among the
// smallest in its group, setting the layer's mask so that they stay zero
// while training; groups are per layer or all layers together.
func prune(op string, m Module, amount float64, global bool) float64 {
	if amount < 0 || amount > 1 {
		fail(tensor.ErrShape, op, "amount %g is not in [0, 1]", amount)
	}
	_, weights, masks := prunable(m)
	if len(weights) == 0 {
		fail(tensor.ErrEmpty, op, "%s has no Linear or Conv2d layer", describe(m))
	}
	type entry struct {
		layer, i int
		abs      float64
	}
	var groups [][]entry
	var all []entry
	for li, w := range weights {
		vals := masked(*w, *masks[li]).Float64s()
		var g []entry
		for i, v := range vals {
			g = append(g, entry{li, i, math.Abs(v)})
		}
		if global {
			all = append(all, g...)
		} else {
			groups = append(groups, g)
		}
	}
	if global {
		groups = [][]entry{all}
	}
	keep := make([][]float64, len(weights))
	total, zeroed := 0, 0
	for li, w := range weights {
		keep[li] = make([]float64, (*w).Numel())
		for i := range keep[li] {
			keep[li][i] = 1
		}
	}
	for _, g := range groups {
		sort.SliceStable(g, func(i, j int) bool { return g[i].abs < g[j].abs })
		k := int(math.RoundToEven(amount * float64(len(g)))) // Python's round, as torch
		for _, e := range g[:k] {
			keep[e.layer][e.i] = 0
		}
		total += len(g)
		zeroed += k
	}
	tensor.NoGrad(func() {
		for li, w := range weights {
			mask := tensor.FromSlice(keep[li], (*w).Shape()...).To((*w).DType())
			*masks[li] = mask
			(*w).Detach().MulInPlace(mask)
		}
	})
	return float64(zeroed) / float64(total)
}

// Prune zeroes the fraction amount of the smallest-magnitude weights in
// each Linear and Conv2d layer of m separately (torch's l1_unstructured on
// every layer) and returns the fraction of those weights now zero. The
// layers keep a mask, so the pruned weights stay zero while training.
// Pruning again prunes amount of all weights, the zero ones included.
func Prune(m Module, amount float64) float64 { return prune("prune", m, amount, false) }

// PruneGlobal is Prune ranking the weights of all Linear and Conv2d layers
// together (torch's global_unstructured), so that layers with many small
// weights lose more of them.
func PruneGlobal(m Module, amount float64) float64 { return prune("prune_global", m, amount, true) }

// Sparsity returns the fraction of zero weights in the Linear and Conv2d
// layers of m.
func Sparsity(m Module) float64 {
	_, weights, _ := prunable(m)
	n, z := 0, 0
	for _, w := range weights {
		for _, v := range (*w).Float64s() {
			n++
			if v == 0 {
				z++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(z) / float64(n)
}

// QuantLinearLayer is a Linear quantised after training to int8, as
// PyTorch's dynamic quantisation: the weight is stored as int8 with one
// scale per output row (symmetric, max|w|/127), each input batch is
// quantised to int8 with one scale (max|x|/127), and the products are
// summed exactly then rescaled; the bias stays float. It is for inference:
// no gradient flows through it.
type QuantLinearLayer struct {
	Base
	In, Out int
	Weight  []int8    // (Out, In), row-major
	Scale   []float32 // (Out)
	Bias    []float32 // (Out), nil without a bias
	wf      *tensor.Tensor
}

// QuantizeLinear returns the int8 version of l.
func QuantizeLinear(l *LinearLayer) *QuantLinearLayer {
	q := &QuantLinearLayer{In: l.In, Out: l.Out, Weight: make([]int8, l.In*l.Out), Scale: make([]float32, l.Out)}
	w := masked(l.Weight, l.Mask).Detach().Float64s()
	wf := make([]float32, len(w))
	for o := 0; o < l.Out; o++ {
		row := w[o*l.In : (o+1)*l.In]
		m := 0.0
		for _, v := range row {
			m = math.Max(m, math.Abs(v))
		}
		s := m / 127
		if s == 0 {
			s = 1
		}
		q.Scale[o] = float32(s)
		for i, v := range row {
			iv := int8(math.Max(-127, math.Min(127, math.Round(v/s))))
			q.Weight[o*l.In+i] = iv
			wf[o*l.In+i] = float32(iv)
		}
	}
	if l.Bias != nil {
		q.Bias = l.Bias.Float32s()
	}
	// The int8 values as float32 for GEMM: their products and sums are
	// exact in float32 for In up to 1040 (127*127*1040 < 2^24).
	q.wf = tensor.FromSlice(wf, l.Out, l.In)
	return q
}

// Quantize replaces every Linear in the Sequential containers of m (nested
// ones included) with its int8 version, and returns how many it replaced.
func Quantize(m Module) int {
	n := 0
	var visit func(m Module)
	visit = func(m Module) {
		if s, ok := m.(*SequentialLayer); ok {
			for i, l := range s.Layers {
				if lin, ok := l.(*LinearLayer); ok {
					s.Set(i, QuantizeLinear(lin))
					n++
				}
			}
		}
		for _, c := range m.ModuleBase().children {
			visit(c.Module)
		}
	}
	visit(m)
	return n
}

// String returns e.g. "QuantLinear(in_features=784, out_features=128, dtype=int8)".
func (q *QuantLinearLayer) String() string {
	return fmt.Sprintf("QuantLinear(in_features=%d, out_features=%d, dtype=int8)", q.In, q.Out)
}

// SizeBytes returns the storage of the quantised weights, scales and bias.
func (q *QuantLinearLayer) SizeBytes() int { return len(q.Weight) + 4*len(q.Scale) + 4*len(q.Bias) }

// Forward maps x (..., In) to (..., Out), Float32 (Float64 inputs are
// computed in float32 and converted back).
func (q *QuantLinearLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	xs := x.Shape()
	checkFloat("quantized_linear", x)
	if len(xs) == 0 || xs[len(xs)-1] != q.In {
		fail(tensor.ErrShape, "quantized_linear", "input %s for weight (%dx%d): last dimension must be %d", shapeStr(xs), q.Out, q.In, q.In)
	}
	xv := x.Detach().Float32s()
	m := 0.0
	for _, v := range xv {
		m = math.Max(m, math.Abs(float64(v)))
	}
	sx := m / 127
	if sx == 0 {
		sx = 1
	}
	for i, v := range xv {
		xv[i] = float32(math.Max(-127, math.Min(127, math.Round(float64(v)/sx))))
	}
	n := len(xv) / q.In
	out := make([]float32, n*q.Out)
	gemm(false, true, n, q.Out, q.In, 1, xv, q.In, q.wf.Float32Data(), q.In, 0, out, q.Out)
	for i := 0; i < n; i++ {
		row := out[i*q.Out : (i+1)*q.Out]
		for o := range row {
			row[o] *= float32(sx) * q.Scale[o]
			if q.Bias != nil {
				row[o] += q.Bias[o]
			}
		}
	}
	return tensor.FromSlice(out, append(xs[:len(xs)-1:len(xs)-1], q.Out)...).To(x.DType())
}
