package nn

import (
	"fmt"
	"math"
	"slices"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// MultiHeadAttentionLayer is scaled dot-product attention with Heads heads
// over batch-first sequences (N, L, Embed), as PyTorch's
// MultiheadAttention with batch_first=True: the query, key and value
// projections are the three row blocks of InProjWeight (3*Embed, Embed)
// and InProjBias, the output projection is OutProj.
type MultiHeadAttentionLayer struct {
	Base
	Embed, Heads int
	Causal       bool           // Forward lets position i attend only to positions <= i
	InProjWeight *tensor.Tensor // (3*Embed, Embed), Xavier uniform
	InProjBias   *tensor.Tensor // (3*Embed), zeros
	OutProj      *LinearLayer   // Embed -> Embed, bias zero
}

// MultiHeadAttention returns self-attention over embed features with heads
// heads (embed must be a multiple of heads), initialised as PyTorch does.
func MultiHeadAttention(embed, heads int) *MultiHeadAttentionLayer {
	if embed <= 0 || heads <= 0 || embed%heads != 0 {
		fail(tensor.ErrShape, "multi_head_attention", "embed=%d, heads=%d: embed must be a positive multiple of heads", embed, heads)
	}
	a := &MultiHeadAttentionLayer{Embed: embed, Heads: heads, InProjWeight: newParam(3*embed, embed), InProjBias: newParam(3 * embed), OutProj: Linear(embed, embed)}
	XavierUniform(a.InProjWeight, 1)
	Constant(a.OutProj.Bias, 0)
	a.RegisterParameter("in_proj_weight", &a.InProjWeight)
	a.RegisterParameter("in_proj_bias", &a.InProjBias)
	a.RegisterModule("out_proj", a.OutProj)
	return a
}

// String returns e.g. "MultiheadAttention(embed_dim=64, num_heads=4, causal=True)".
func (a *MultiHeadAttentionLayer) String() string {
	return fmt.Sprintf("MultiheadAttention(embed_dim=%d, num_heads=%d, causal=%s)", a.Embed, a.Heads, pyBool(a.Causal))
}

// Forward is self-attention: Attend(x, x, x, mask), the mask causal if
// Causal is set.
func (a *MultiHeadAttentionLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	var mask *tensor.Tensor
	if a.Causal && x.Dim() == 3 {
		mask = CausalMask(x.Size(1))
	}
	return a.Attend(x, x, x, mask)
}

// CausalMask returns the (n, n) mask that stops position i attending to
// positions after it: 1 above the diagonal, 0 elsewhere.
func CausalMask(n int) *tensor.Tensor {
	m := tensor.Zeros(n, n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			m.Set(1, i, j)
		}
	}
	return m
}

// Attend attends from query (N, L, Embed) to key and value (N, S, Embed)
// and returns (N, L, Embed). mask, if not nil, is (L, S) and nonzero
// where a query must not see a key (PyTorch's boolean attn_mask).
func (a *MultiHeadAttentionLayer) Attend(query, key, value, mask *tensor.Tensor) *tensor.Tensor {
	out, _ := a.AttendWeights(query, key, value, mask)
	return out
}

// AttendWeights is Attend that also returns the attention weights, (N,
// Heads, L, S), each row a softmax over the keys: what a notebook draws
// as an attention map.
func (a *MultiHeadAttentionLayer) AttendWeights(query, key, value, mask *tensor.Tensor) (out, weights *tensor.Tensor) {
	const op = "multi_head_attention"
	checkFloat(op, query, key, value, a.InProjWeight)
	qs, ks, vs := query.Shape(), key.Shape(), value.Shape()
	e := a.Embed
	if len(qs) != 3 || len(ks) != 3 || !slices.Equal(ks, vs) || qs[2] != e || ks[2] != e || qs[0] != ks[0] {
		fail(tensor.ErrShape, op, "query %s, key %s, value %s: need (batch, length, %d), key and value alike", shapeStr(qs), shapeStr(ks), shapeStr(vs), e)
	}
	n, l, s := qs[0], qs[1], ks[1]
	if mask != nil && !slices.Equal(mask.Shape(), []int{l, s}) {
		fail(tensor.ErrShape, op, "mask %s for query %s and key %s: need (%d, %d)", shapeStr(mask.Shape()), shapeStr(qs), shapeStr(ks), l, s)
	}
	h, d := a.Heads, e/a.Heads
	heads := func(x *tensor.Tensor, i, length int) *tensor.Tensor {
		w := a.InProjWeight.Slice(0, i*e, (i+1)*e)
		b := a.InProjBias.Slice(0, i*e, (i+1)*e)
		return linear(x, w, b).Reshape(n, length, h, d).Permute(0, 2, 1, 3) // (N, H, len, d)
	}
	q, k, v := heads(query, 0, l), heads(key, 1, s), heads(value, 2, s)
	scores := q.MatMul(k.Transpose(-1, -2)).Mul(1 / math.Sqrt(float64(d))) // (N, H, L, S)
	if mask != nil {
		scores = scores.MaskedFill(mask.To(scores.DType()), math.Inf(-1))
	}
	weights = scores.Softmax(-1)
	out = weights.MatMul(v) // (N, H, L, d)
	return a.OutProj.Forward(out.Permute(0, 2, 1, 3).Reshape(n, l, e)), weights
}

// TransformerBlockLayer is a pre-norm transformer encoder block, as
// PyTorch's TransformerEncoderLayer with norm_first=True and
// batch_first=True: x + attention(norm1(x)), then x + feed-forward(norm2(x)),
// the feed-forward being linear1, the activation, linear2, with dropout
// after the attention, the activation and linear2.
type TransformerBlockLayer struct {
	Base
	SelfAttn   *MultiHeadAttentionLayer
	Linear1    *LinearLayer
	Linear2    *LinearLayer
	Norm1      *LayerNormLayer
	Norm2      *LayerNormLayer
	Activation Module        // ReLU, as PyTorch's default; GELU for GPT-style models
	Dropout    *DropoutLayer // p 0.1, as PyTorch's default
}

// TransformerBlock returns a pre-norm block of model width dModel, heads
// attention heads and a feed-forward layer of width ff. Set
// SelfAttn.Causal for a decoder-only (GPT-style) model.
func TransformerBlock(dModel, heads, ff int) *TransformerBlockLayer {
	t := &TransformerBlockLayer{SelfAttn: MultiHeadAttention(dModel, heads), Linear1: Linear(dModel, ff), Linear2: Linear(ff, dModel),
		Norm1: LayerNorm(dModel), Norm2: LayerNorm(dModel), Activation: ReLU(), Dropout: Dropout(0.1)}
	t.RegisterModule("self_attn", t.SelfAttn)
	t.RegisterModule("linear1", t.Linear1)
	t.RegisterModule("dropout", t.Dropout)
	t.RegisterModule("linear2", t.Linear2)
	t.RegisterModule("norm1", t.Norm1)
	t.RegisterModule("norm2", t.Norm2)
	return t
}

// String returns e.g. "TransformerBlock(d_model=64, nhead=4, dim_feedforward=256, causal=False)".
func (t *TransformerBlockLayer) String() string {
	return fmt.Sprintf("TransformerBlock(d_model=%d, nhead=%d, dim_feedforward=%d, causal=%s)",
		t.SelfAttn.Embed, t.SelfAttn.Heads, t.Linear1.Out, pyBool(t.SelfAttn.Causal))
}

// Forward maps x (N, L, dModel) to the same shape.
func (t *TransformerBlockLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	x = x.Add(t.Dropout.Forward(t.SelfAttn.Forward(t.Norm1.Forward(x))))
	f := t.Linear2.Forward(t.Dropout.Forward(t.Activation.Forward(t.Linear1.Forward(t.Norm2.Forward(x)))))
	return x.Add(t.Dropout.Forward(f))
}
