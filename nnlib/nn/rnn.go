package nn

import (
	"fmt"
	"math"
	"slices"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// RNNLayer is a multi-layer recurrent network over batch-first sequences,
// (N, T, Input) -> (N, T, Hidden), as PyTorch's RNN (tanh), LSTM and GRU
// with batch_first=True. Layer k has weights WeightIH[k] (G*Hidden, in_k)
// and WeightHH[k] (G*Hidden, Hidden) and biases BiasIH[k], BiasHH[k]
// (G*Hidden), G being 1, 4 or 3 gates, stacked in PyTorch's order: LSTM
// input, forget, cell, output; GRU reset, update, new. Parameters are named
// weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ..., and initialised
// uniform in +-1/sqrt(Hidden).
type RNNLayer struct {
	Base
	Kind                  string // "RNN", "LSTM" or "GRU"
	Input, Hidden, Layers int
	WeightIH, WeightHH    []*tensor.Tensor
	BiasIH, BiasHH        []*tensor.Tensor
	gates                 int
}

// RNNState is the state of an RNNLayer between calls: H, the last hidden
// state of each layer, (Layers, N, Hidden), and for an LSTM C, its cell
// state, of the same shape.
type RNNState struct {
	H, C *tensor.Tensor
}

// RNN returns an Elman network with tanh, of the given number of stacked
// layers.
func RNN(input, hidden, layers int) *RNNLayer { return newRNN("RNN", 1, input, hidden, layers) }

// LSTM returns a long short-term memory network of the given number of
// stacked layers.
func LSTM(input, hidden, layers int) *RNNLayer { return newRNN("LSTM", 4, input, hidden, layers) }

// GRU returns a gated recurrent unit network of the given number of
// stacked layers.
func GRU(input, hidden, layers int) *RNNLayer { return newRNN("GRU", 3, input, hidden, layers) }

func newRNN(kind string, gates, input, hidden, layers int) *RNNLayer {
	if input <= 0 || hidden <= 0 || layers <= 0 {
		fail(tensor.ErrShape, kind, "input=%d, hidden=%d, layers=%d: sizes must be positive", input, hidden, layers)
	}
	r := &RNNLayer{Kind: kind, Input: input, Hidden: hidden, Layers: layers, gates: gates,
		WeightIH: make([]*tensor.Tensor, layers), WeightHH: make([]*tensor.Tensor, layers),
		BiasIH: make([]*tensor.Tensor, layers), BiasHH: make([]*tensor.Tensor, layers)}
	bound := 1 / math.Sqrt(float64(hidden))
	for k := 0; k < layers; k++ {
		in := input
		if k > 0 {
			in = hidden
		}
		r.WeightIH[k] = Uniform(newParam(gates*hidden, in), -bound, bound)
		r.WeightHH[k] = Uniform(newParam(gates*hidden, hidden), -bound, bound)
		r.BiasIH[k] = Uniform(newParam(gates*hidden), -bound, bound)
		r.BiasHH[k] = Uniform(newParam(gates*hidden), -bound, bound)
		r.RegisterParameter(fmt.Sprintf("weight_ih_l%d", k), &r.WeightIH[k])
		r.RegisterParameter(fmt.Sprintf("weight_hh_l%d", k), &r.WeightHH[k])
		r.RegisterParameter(fmt.Sprintf("bias_ih_l%d", k), &r.BiasIH[k])
		r.RegisterParameter(fmt.Sprintf("bias_hh_l%d", k), &r.BiasHH[k])
	}
	return r
}

// String returns e.g. "LSTM(10, 20, num_layers=2, batch_first=True)".
func (r *RNNLayer) String() string {
	return fmt.Sprintf("%s(%d, %d, num_layers=%d, batch_first=True)", r.Kind, r.Input, r.Hidden, r.Layers)
}

// Forward runs the network from a zero state over x (N, T, Input) and
// returns the last layer's hidden states, (N, T, Hidden).
func (r *RNNLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	out, _ := r.Run(x, nil)
	return out
}

// Run runs the network over x (N, T, Input) from state s (nil: zeros) and
// returns the last layer's hidden states (N, T, Hidden) and the final
// state of every layer.
func (r *RNNLayer) Run(x *tensor.Tensor, s *RNNState) (*tensor.Tensor, *RNNState) {
	op := r.Kind
	checkFloat(op, x, r.WeightIH[0])
	xs := x.Shape()
	if len(xs) != 3 || xs[2] != r.Input {
		fail(tensor.ErrShape, op, "input %s: need (batch, time, %d)", shapeStr(xs), r.Input)
	}
	n, steps := xs[0], xs[1]
	if steps == 0 {
		fail(tensor.ErrEmpty, op, "input %s has no time steps", shapeStr(xs))
	}
	stateShape := []int{r.Layers, n, r.Hidden}
	zero := tensor.New(x.DType(), stateShape...)
	if s == nil {
		s = &RNNState{}
	}
	h0, c0 := s.H, s.C
	if h0 == nil {
		h0 = zero
	}
	if c0 == nil && r.Kind == "LSTM" {
		c0 = zero
	}
	for _, st := range []*tensor.Tensor{h0, c0} {
		if st != nil && !slices.Equal(st.Shape(), stateShape) {
			fail(tensor.ErrShape, op, "state %s for input %s: need %s", shapeStr(st.Shape()), shapeStr(xs), shapeStr(stateShape))
		}
	}
	var hs, cs []*tensor.Tensor
	for k := 0; k < r.Layers; k++ {
		h := h0.Index(k)
		var c *tensor.Tensor
		if c0 != nil {
			c = c0.Index(k)
		}
		// The input projections of all steps at once: one GEMM.
		xp := linear(x, r.WeightIH[k], r.BiasIH[k])
		outs := make([]*tensor.Tensor, steps)
		for t := 0; t < steps; t++ {
			xpt := xp.Slice(1, t, t+1).Squeeze(1)
			hp := linear(h, r.WeightHH[k], r.BiasHH[k])
			h, c = r.cell(xpt, hp, h, c)
			outs[t] = h
		}
		x = tensor.Stack(1, outs...)
		hs = append(hs, h)
		if c != nil {
			cs = append(cs, c)
		}
	}
	state := &RNNState{H: tensor.Stack(0, hs...)}
	if cs != nil {
		state.C = tensor.Stack(0, cs...)
	}
	return x, state
}

// cell advances one step given the input and hidden projections.
func (r *RNNLayer) cell(xp, hp, h, c *tensor.Tensor) (*tensor.Tensor, *tensor.Tensor) {
	switch r.Kind {
	case "LSTM":
		g := xp.Add(hp).Chunk(4, 1)
		i, f, gg, o := g[0].Sigmoid(), g[1].Sigmoid(), g[2].Tanh(), g[3].Sigmoid()
		c = f.Mul(c).Add(i.Mul(gg))
		return o.Mul(c.Tanh()), c
	case "GRU":
		xg, hg := xp.Chunk(3, 1), hp.Chunk(3, 1)
		rr := xg[0].Add(hg[0]).Sigmoid()
		z := xg[1].Add(hg[1]).Sigmoid()
		nn := xg[2].Add(rr.Mul(hg[2])).Tanh()
		return nn.Sub(z.Mul(nn)).Add(z.Mul(h)), nil // (1-z)*n + z*h
	}
	return xp.Add(hp).Tanh(), nil
}
