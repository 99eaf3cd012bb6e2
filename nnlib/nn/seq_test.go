package nn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

func TestSequenceGradChecks(t *testing.T) {
	tensor.Seed(4)
	causal := MultiHeadAttention(4, 2)
	causal.Causal = true
	block := TransformerBlock(4, 2, 6)
	block.Dropout.P = 0
	block.SelfAttn.Causal = true
	cases := []struct {
		name string
		m    interface {
			Module
			To(tensor.DType)
		}
		x *tensor.Tensor
	}{
		{"rnn", RNN(3, 2, 2), in64(1, 2, 3, 3)},
		{"lstm", LSTM(3, 2, 2), in64(2, 2, 3, 3)},
		{"gru", GRU(3, 2, 2), in64(3, 2, 3, 3)},
		{"attention", MultiHeadAttention(4, 2), in64(4, 2, 3, 4)},
		{"attention_causal", causal, in64(5, 2, 3, 4)},
		{"transformer_block", block, in64(6, 1, 3, 4)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { gradCheck(t, c.m, c.x) })
	}
}

func TestRNNState(t *testing.T) {
	tensor.Seed(5)
	l := LSTM(3, 4, 2)
	x := tensor.Randn(2, 6, 3)
	whole, s := l.Run(x, nil)
	if !slices.Equal(s.H.Shape(), []int{2, 2, 4}) || !slices.Equal(s.C.Shape(), []int{2, 2, 4}) || !slices.Equal(whole.Shape(), []int{2, 6, 4}) {
		t.Fatalf("shapes %v %v %v", whole.Shape(), s.H.Shape(), s.C.Shape())
	}
	// Running the sequence in two halves, carrying the state, gives the same.
	first, s1 := l.Run(x.Slice(1, 0, 3), nil)
	second, s2 := l.Run(x.Slice(1, 3, 6), s1)
	got := tensor.Concat(1, first, second).Float64s()
	for i, w := range whole.Float64s() {
		if d := got[i] - w; d > 1e-6 || d < -1e-6 {
			t.Fatalf("element %d: %g in halves, %g whole", i, got[i], w)
		}
	}
	last := whole.Slice(1, 5, 6).Squeeze(1).Float64s()
	for i, v := range s2.H.Index(1).Float64s() {
		if v != last[i] {
			t.Fatal("final H of the top layer is not the last output")
		}
	}
	if _, s := GRU(3, 4, 1).Run(x, nil); s.C != nil {
		t.Error("a GRU has no cell state")
	}
}

func TestCausalAttention(t *testing.T) {
	tensor.Seed(6)
	a := MultiHeadAttention(4, 2)
	a.Causal = true
	x := tensor.Randn(1, 5, 4)
	y := a.Forward(x)
	// Changing the last position must not change the earlier outputs.
	x2 := x.Clone()
	x2.Slice(1, 4, 5).Fill(3)
	y2 := a.Forward(x2)
	for p := 0; p < 4; p++ {
		u, v := y.Index(0).Index(p).Float64s(), y2.Index(0).Index(p).Float64s()
		for i := range u {
			if u[i] != v[i] {
				t.Fatalf("position %d sees the future", p)
			}
		}
	}
	_, w := a.AttendWeights(x, x, x, CausalMask(5))
	if !slices.Equal(w.Shape(), []int{1, 2, 5, 5}) || w.At(0, 1, 2, 3) != 0 || math.Abs(w.Sum(3).At(0, 1, 4)-1) > 1e-6 {
		t.Errorf("weights %v", w)
	}
	want := []float64{0, 1, 1, 0, 0, 1, 0, 0, 0}
	for i, v := range CausalMask(3).Float64s() {
		if v != want[i] {
			t.Fatalf("CausalMask(3) = %v, want %v", CausalMask(3).Float64s(), want)
		}
	}
}

func TestSequenceErrors(t *testing.T) {
	mustPanic(t, tensor.ErrShape, func() { LSTM(3, 4, 1).Forward(tensor.Zeros(2, 5, 4)) })
	mustPanic(t, tensor.ErrShape, func() { LSTM(3, 4, 1).Forward(tensor.Zeros(5, 3)) })
	mustPanic(t, tensor.ErrShape, func() { LSTM(3, 4, 1).Run(tensor.Zeros(2, 5, 3), &RNNState{H: tensor.Zeros(1, 3, 4)}) })
	e := mustPanic(t, tensor.ErrShape, func() { MultiHeadAttention(8, 2).Forward(tensor.Zeros(2, 5, 6)) })
	if !strings.Contains(e.Error(), "(2x5x6)") {
		t.Errorf("message %q", e)
	}
	mustPanic(t, tensor.ErrShape, func() { MultiHeadAttention(8, 3) })
	mustPanic(t, tensor.ErrShape, func() {
		MultiHeadAttention(4, 2).Attend(tensor.Zeros(1, 3, 4), tensor.Zeros(1, 2, 4), tensor.Zeros(1, 2, 4), tensor.Zeros(3, 3))
	})
}

func TestTransformerNames(t *testing.T) {
	var names []string
	for _, p := range TransformerBlock(8, 2, 16).NamedParameters() {
		names = append(names, p.Name)
	}
	want := "self_attn.in_proj_weight self_attn.in_proj_bias self_attn.out_proj.weight self_attn.out_proj.bias " +
		"linear1.weight linear1.bias linear2.weight linear2.bias norm1.weight norm1.bias norm2.weight norm2.bias"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("names\n%s\nwant\n%s", got, want)
	}
}
