package tensor

import (
	"fmt"
	"strings"
	"testing"
)

// in64 returns a Float64 leaf requiring grad, standard normal values from
// a generator seeded with seed, shifted to (0.5, ...) when positive.
func in64(seed uint64, positive bool, shape ...int) *Tensor {
	x := NewGenerator(seed).Randn(shape...).Double().Detach()
	if positive {
		x = x.Abs().Add(0.5).Detach()
	}
	return x.RequiresGrad()
}

type gradCase struct {
	name     string
	shapes   [][]int
	positive bool
	f        func(x []*Tensor) *Tensor
}

func unaryCases() []gradCase {
	s := [][]int{{3, 4}}
	return []gradCase{
		{"neg", s, false, func(x []*Tensor) *Tensor { return x[0].Neg() }},
		{"exp", s, false, func(x []*Tensor) *Tensor { return x[0].Exp() }},
		{"log", s, true, func(x []*Tensor) *Tensor { return x[0].Log() }},
		{"sqrt", s, true, func(x []*Tensor) *Tensor { return x[0].Sqrt() }},
		{"abs", s, false, func(x []*Tensor) *Tensor { return x[0].Abs() }},
		{"relu", s, false, func(x []*Tensor) *Tensor { return x[0].ReLU() }},
		{"leaky_relu", s, false, func(x []*Tensor) *Tensor { return x[0].LeakyReLU(0.1) }},
		{"sigmoid", s, false, func(x []*Tensor) *Tensor { return x[0].Sigmoid() }},
		{"tanh", s, false, func(x []*Tensor) *Tensor { return x[0].Tanh() }},
		{"gelu", s, false, func(x []*Tensor) *Tensor { return x[0].GELU() }},
		{"silu", s, false, func(x []*Tensor) *Tensor { return x[0].SiLU() }},
		{"clamp", s, false, func(x []*Tensor) *Tensor { return x[0].Clamp(-0.5, 0.7) }},
		{"square", s, false, func(x []*Tensor) *Tensor { return x[0].Square() }},
		{"pow_scalar", s, true, func(x []*Tensor) *Tensor { return x[0].Pow(2.5) }},
		{"clone", s, false, func(x []*Tensor) *Tensor { return x[0].Clone() }},
	}
}

func binaryCases() []gradCase {
	var cs []gradCase
	pairs := [][2][]int{{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{2, 1, 4}, {3, 1}}, {{3, 4}, {3, 1}}, {{3, 4}, {}}, {{1}, {2, 3}}}
	ops := []struct {
		name string
		pos  bool
		f    func(a, b *Tensor) *Tensor
	}{
		{"add", false, func(a, b *Tensor) *Tensor { return a.Add(b) }},
		{"sub", false, func(a, b *Tensor) *Tensor { return a.Sub(b) }},
		{"mul", false, func(a, b *Tensor) *Tensor { return a.Mul(b) }},
		{"div", true, func(a, b *Tensor) *Tensor { return a.Div(b) }},
		{"pow", true, func(a, b *Tensor) *Tensor { return a.Pow(b) }},
		{"maximum", false, func(a, b *Tensor) *Tensor { return a.Maximum(b) }},
		{"minimum", false, func(a, b *Tensor) *Tensor { return a.Minimum(b) }},
	}
	for _, op := range ops {
		for _, p := range pairs {
			f := op.f
			cs = append(cs, gradCase{fmt.Sprintf("%s%v%v", op.name, p[0], p[1]), [][]int{p[0], p[1]}, op.pos,
				func(x []*Tensor) *Tensor { return f(x[0], x[1]) }})
		}
	}
	return append(cs,
		gradCase{"add_number", [][]int{{3}}, false, func(x []*Tensor) *Tensor { return x[0].Add(2).Mul(3).Sub(1).Div(4) }},
		gradCase{"same_input_twice", [][]int{{3}}, false, func(x []*Tensor) *Tensor { return x[0].Mul(x[0]).Add(x[0]) }},
	)
}

func reduceCases() []gradCase {
	var cs []gradCase
	shape := []int{2, 3, 4}
	ops := []struct {
		name string
		pos  bool
		f    func(x *Tensor, keep bool, dims ...int) *Tensor
	}{
		{"sum", false, func(x *Tensor, k bool, d ...int) *Tensor {
			if k {
				return x.SumKeepDim(d...)
			}
			return x.Sum(d...)
		}},
		{"mean", false, func(x *Tensor, k bool, d ...int) *Tensor {
			if k {
				return x.MeanKeepDim(d...)
			}
			return x.Mean(d...)
		}},
		{"max", false, func(x *Tensor, k bool, d ...int) *Tensor {
			if k {
				return x.MaxKeepDim(d...)
			}
			return x.Max(d...)
		}},
		{"min", false, func(x *Tensor, k bool, d ...int) *Tensor {
			if k {
				return x.MinKeepDim(d...)
			}
			return x.Min(d...)
		}},
		{"var", false, func(x *Tensor, k bool, d ...int) *Tensor {
			if k {
				return x.VarKeepDim(d...)
			}
			return x.Var(d...)
		}},
		{"std", false, func(x *Tensor, k bool, d ...int) *Tensor {
			if k {
				return x.StdKeepDim(d...)
			}
			return x.Std(d...)
		}},
	}
	dimSets := [][]int{nil, {0}, {1}, {2}, {-1}, {0, 2}}
	for _, op := range ops {
		for _, dims := range dimSets {
			for _, keep := range []bool{false, true} {
				f, d, k := op.f, dims, keep
				cs = append(cs, gradCase{fmt.Sprintf("%s%v_keep=%v", op.name, dims, keep), [][]int{shape}, op.pos,
					func(x []*Tensor) *Tensor { return f(x[0], k, d...) }})
			}
		}
	}
	for d := -1; d < 3; d++ {
		dim := d
		cs = append(cs,
			gradCase{fmt.Sprintf("softmax%d", d), [][]int{shape}, false, func(x []*Tensor) *Tensor { return x[0].Softmax(dim) }},
			gradCase{fmt.Sprintf("log_softmax%d", d), [][]int{shape}, false, func(x []*Tensor) *Tensor { return x[0].LogSoftmax(dim) }})
	}
	return cs
}

func matmulCases() []gradCase {
	mm := func(x []*Tensor) *Tensor { return x[0].MatMul(x[1]) }
	return []gradCase{
		{"matmul2d", [][]int{{3, 4}, {4, 5}}, false, mm},
		{"matmul_batched", [][]int{{2, 3, 4}, {2, 4, 5}}, false, mm},
		{"matmul_broadcast", [][]int{{2, 3, 4}, {4, 5}}, false, mm},
		{"matmul_broadcast4d", [][]int{{2, 1, 3, 4}, {3, 4, 2}}, false, mm},
		{"matmul_vecmat", [][]int{{4}, {4, 5}}, false, mm},
		{"matmul_matvec", [][]int{{3, 4}, {4}}, false, mm},
		{"matmul_vecvec", [][]int{{4}, {4}}, false, mm},
		{"matmul_transposed", [][]int{{4, 3}, {5, 4}}, false, func(x []*Tensor) *Tensor { return x[0].T().MatMul(x[1].T()) }},
		{"matmul_sliced", [][]int{{3, 8}, {4, 5}}, false, func(x []*Tensor) *Tensor { return x[0].SliceStep(1, 0, 8, 2).MatMul(x[1]) }},
		{"matmul_expanded", [][]int{{1, 4}, {4, 2}}, false, func(x []*Tensor) *Tensor { return x[0].Expand(3, 4).MatMul(x[1]) }},
	}
}

func movementCases() []gradCase {
	s := [][]int{{2, 3, 4}}
	idx := FromSlice([]int{2, 0, 2, 1})
	gidx := FromSlice([][]int{{0, 2}, {1, 1}, {2, 0}}).Unsqueeze(0).Expand(2, 3, 2).Contiguous()
	mask := FromSlice([]float32{1, 0, 0, 1}, 4)
	return []gradCase{
		{"reshape", s, false, func(x []*Tensor) *Tensor { return x[0].Reshape(4, -1) }},
		{"permute", s, false, func(x []*Tensor) *Tensor { return x[0].Permute(2, 0, 1) }},
		{"transpose_reshape", s, false, func(x []*Tensor) *Tensor { return x[0].Transpose(0, 2).Reshape(-1) }},
		{"unsqueeze_squeeze", s, false, func(x []*Tensor) *Tensor { return x[0].Unsqueeze(1).Mul(2).Squeeze() }},
		{"expand", [][]int{{3, 1}}, false, func(x []*Tensor) *Tensor { return x[0].Expand(2, 3, 4) }},
		{"slice", s, false, func(x []*Tensor) *Tensor { return x[0].Slice(2, 1, -1) }},
		{"slice_step", s, false, func(x []*Tensor) *Tensor { return x[0].SliceStep(1, 0, 3, 2) }},
		{"index", s, false, func(x []*Tensor) *Tensor { return x[0].Index(-1) }},
		{"concat", [][]int{{2, 3}, {2, 1}, {2, 2}}, false, func(x []*Tensor) *Tensor { return Concat(1, x[0], x[1], x[2]) }},
		{"stack", [][]int{{2, 3}, {2, 3}}, false, func(x []*Tensor) *Tensor { return Stack(1, x[0], x[1]) }},
		{"split", s, false, func(x []*Tensor) *Tensor { p := x[0].Split(3, 2); return p[0].Sum().Add(p[1].Mul(3).Sum()) }},
		{"gather", s, false, func(x []*Tensor) *Tensor { return x[0].Gather(2, gidx) }},
		{"index_select", s, false, func(x []*Tensor) *Tensor { return x[0].IndexSelect(2, idx) }},
		{"where", [][]int{{3, 4}, {4}}, false, func(x []*Tensor) *Tensor { return Where(mask.Double(), x[0], x[1]) }},
		{"where_number", [][]int{{3, 4}}, false, func(x []*Tensor) *Tensor { return Where(x[0].Gt(0), x[0], 0.5) }},
		{"masked_fill", [][]int{{3, 4}}, false, func(x []*Tensor) *Tensor { return x[0].MaskedFill(mask, -1) }},
		{"contiguous", s, false, func(x []*Tensor) *Tensor { return x[0].Transpose(0, 1).Contiguous() }},
	}
}

func compositeCases() []gradCase {
	return []gradCase{
		{"mlp", [][]int{{5, 4}, {4, 3}, {3}}, false, func(x []*Tensor) *Tensor {
			return x[0].MatMul(x[1]).Add(x[2]).Tanh().LogSoftmax(1).Mean()
		}},
		{"layernorm", [][]int{{3, 5}}, false, func(x []*Tensor) *Tensor {
			m := x[0].MeanKeepDim(-1)
			return x[0].Sub(m).Div(x[0].VarKeepDim(-1).Add(1e-5).Sqrt())
		}},
	}
}

// TestGradCheck checks every differentiable op against finite differences.
func TestGradCheck(t *testing.T) {
	var all []gradCase
	for _, g := range [][]gradCase{unaryCases(), binaryCases(), reduceCases(), matmulCases(), movementCases(), compositeCases()} {
		all = append(all, g...)
	}
	for _, c := range all {
		t.Run(c.name, func(t *testing.T) {
			ins := make([]*Tensor, len(c.shapes))
			for i, s := range c.shapes {
				ins[i] = in64(uint64(7+i), c.positive, s...)
			}
			if err := GradCheck(c.f, ins); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestGradCheckCatchesWrongGradient makes sure the checker can fail: an op
// whose backward rule is off by a factor must be reported.
func TestGradCheckCatchesWrongGradient(t *testing.T) {
	wrong := func(x []*Tensor) *Tensor {
		out := x[0].Detach().Mul(x[0].Detach())
		in := x[0]
		return record(out, "bad_square", []*Tensor{in}, nil, func(g *Tensor) []*Tensor { return []*Tensor{g.Mul(in)} })
	}
	err := GradCheck(wrong, []*Tensor{in64(1, false, 3)})
	if err == nil || !strings.Contains(err.Error(), "bad_square") {
		t.Fatalf("GradCheck on a wrong gradient: %v, want an error naming bad_square", err)
	}
	if err := GradCheck(wrong, []*Tensor{in64(1, false, 3).Float()}); err == nil {
		t.Fatal("GradCheck accepted float32 inputs")
	}
}

func TestGradCheckTolerances(t *testing.T) {
	if GradCheckEps != 1e-6 || GradCheckAtol != 1e-5 || GradCheckRtol != 1e-3 {
		t.Fatal("GradCheck tolerances differ from PyTorch's defaults")
	}
}
