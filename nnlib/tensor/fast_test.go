package tensor

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// sameFloat32s reports whether a and b hold the same values, NaN equal to
// NaN.
func sameFloat32s(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return true
}

// TestBinaryFastPath checks the float32 fast paths (same shape, row vector,
// one-element tensor, number) against the same op in float64 rounded to
// float32, which is exact for +, -, * and /, and against the general path
// on a non-contiguous copy of the left operand.
func TestBinaryFastPath(t *testing.T) {
	g := NewGenerator(5)
	x := g.Randn(6, 40)
	others := []any{
		g.Randn(6, 40), g.Randn(40), g.Randn(1, 40), g.Randn(1), g.Randn(1, 1), g.Randn().Add(3),
		2.5, float32(-0.5), 3, int64(-2),
	}
	ops := []struct {
		name string
		f    func(a *Tensor, b any) *Tensor
	}{
		{"add", (*Tensor).Add}, {"sub", (*Tensor).Sub}, {"mul", (*Tensor).Mul}, {"div", (*Tensor).Div},
	}
	strided := x.Transpose(0, 1).Contiguous().Transpose(0, 1) // same values, not contiguous
	for _, op := range ops {
		for i, o := range others {
			name := fmt.Sprintf("%s other %d", op.name, i)
			got := op.f(x, o)
			o64 := o
			if ot, ok := o.(*Tensor); ok {
				o64 = ot.Double()
			}
			want := op.f(x.Double(), o64).Float32s()
			if !sameFloat32s(got.Float32s(), want) || !slices.Equal(got.shape, x.shape) {
				t.Fatalf("%s: %v, want the float64 result rounded", name, got.Shape())
			}
			if general := op.f(strided, o); !sameFloat32s(general.Float32s(), want) {
				t.Fatalf("%s: the general path differs", name)
			}
		}
	}
	// Operands the fast path leaves to the general one still work.
	if got := g.Randn(40).Add(x); !slices.Equal(got.shape, []int{6, 40}) {
		t.Fatalf("row + matrix: shape %v", got.Shape())
	}
	if got := x.Add(g.Randn(6, 1)); !slices.Equal(got.shape, []int{6, 40}) {
		t.Fatalf("matrix + column: shape %v", got.Shape())
	}
	mustPanic(t, ErrShape, func() { x.Add(g.Randn(39)) })
	mustPanic(t, ErrDType, func() { x.Add(x.Double()) })
	if got := Zeros(0, 4).Add(Zeros(4)); got.Numel() != 0 {
		t.Fatalf("empty + row: %v", got.Shape())
	}
}

// TestBinaryFastPathGradients checks gradients through the fast paths
// against those of the general path in float64.
func TestBinaryFastPathGradients(t *testing.T) {
	g := NewGenerator(6)
	a0, b0, r0, s0 := g.Randn(4, 8), g.Randn(4, 8).Add(3), g.Randn(8).Add(3), g.Randn(1).Add(3)
	grads := func(dt DType) [][]float64 {
		a, b, r, s := a0.To(dt).Detach().RequiresGrad(), b0.To(dt).Detach().RequiresGrad(), r0.To(dt).Detach().RequiresGrad(), s0.To(dt).Detach().RequiresGrad()
		a.Mul(b).Div(r).Sub(s).Add(r).Mul(2).Div(s).Sum().Backward()
		return [][]float64{a.Grad().Float64s(), b.Grad().Float64s(), r.Grad().Float64s(), s.Grad().Float64s()}
	}
	got, want := grads(Float32), grads(Float64)
	for i := range want {
		for j := range want[i] {
			if d := math.Abs(got[i][j] - want[i][j]); d > 1e-4*(1+math.Abs(want[i][j])) {
				t.Fatalf("gradient %d[%d] = %g in float32, %g in float64", i, j, got[i][j], want[i][j])
			}
		}
	}
}

// TestFastPathNaN checks that the folded NaN check panics as the general
// one does, and only for NaN made from inputs without any.
func TestFastPathNaN(t *testing.T) {
	inf := float32(math.Inf(1))
	x := FromSlice([]float32{1, inf, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5)
	mustPanic(t, ErrNaN, func() { x.Sub(x) })
	mustPanic(t, ErrNaN, func() { x.Mul(0) })
	mustPanic(t, ErrNaN, func() { x.Sub(FromSlice([]float32{0, inf, 0, 0, 0})) })
	mustPanic(t, ErrNaN, func() { Zeros(3, 3).Div(Zeros(1)) })
	nan := FromSlice([]float32{float32(math.NaN()), 1})
	if got := nan.Add(nan).Float32s(); !math.IsNaN(float64(got[0])) || got[1] != 2 {
		t.Fatalf("NaN + NaN = %v", got)
	}
	defer SetNaNCheck(SetNaNCheck(false))
	if got := x.Sub(x).Float32s(); !math.IsNaN(float64(got[1])) {
		t.Fatalf("inf-inf with the check off = %v", got[1])
	}
}

// ulp32 returns the spacing of float32 values at v.
func ulp32(v float32) float64 {
	a := float32(math.Abs(float64(v)))
	return float64(math.Nextafter32(a, float32(math.Inf(1))) - a)
}

// TestActivationFastPath checks the float32 loops of the activations and
// their gradients against float64.
func TestActivationFastPath(t *testing.T) {
	g := NewGenerator(7)
	x0 := g.Randn(3, 50).Mul(4)
	nan := float32(math.NaN())
	for _, op := range []struct {
		name string
		f    func(*Tensor) *Tensor
		ulps int // from the float64 result rounded
	}{
		{"relu", (*Tensor).ReLU, 0}, {"sigmoid", (*Tensor).Sigmoid, 3}, {"tanh", (*Tensor).Tanh, 3},
		{"exp", (*Tensor).Exp, 2}, {"neg", (*Tensor).Neg, 0},
	} {
		x := x0.Detach().RequiresGrad()
		y := op.f(x)
		wantY := op.f(x0.Double()).Float32s()
		for i, v := range y.Float32s() {
			if d := math.Abs(float64(v - wantY[i])); d > float64(op.ulps)*ulp32(wantY[i]) {
				t.Fatalf("%s: [%d] = %g, want %g (float64 rounded) within %d ulp", op.name, i, v, wantY[i], op.ulps)
			}
		}
		y.Sum().Backward()
		x64 := x0.Double().RequiresGrad()
		op.f(x64).Sum().Backward()
		got, want := x.Grad().Float64s(), x64.Grad().Float64s()
		for i := range want {
			if d := math.Abs(got[i] - want[i]); d > 1e-5*(1+math.Abs(want[i])) {
				t.Fatalf("%s: gradient[%d] = %g, want %g", op.name, i, got[i], want[i])
			}
		}
		if v := op.f(FromSlice([]float32{nan})).Float32s()[0]; v == v {
			t.Fatalf("%s(NaN) = %g", op.name, v)
		}
	}
	if got := FromSlice([]float32{-2, 0, 3}).ReLU().Float32s(); got[0] != 0 || got[1] != 0 || got[2] != 3 {
		t.Fatalf("ReLU = %v", got)
	}
}

// TestFastPathNoAliasing checks that results never share storage with the
// operands, in-place writes to an operand do not change a result, and the
// fast paths leave their operands alone.
func TestFastPathNoAliasing(t *testing.T) {
	a, b := Ones(64, 64), Full(2, 64, 64)
	for i := 0; i < 10; i++ {
		c := a.Add(b)
		want := a.At(5, 5) + 2
		if c.SharesStorage(a) || c.SharesStorage(b) {
			t.Fatal("result shares an operand's storage")
		}
		a.Fill(float64(i))
		if got := c.At(5, 5); got != want {
			t.Fatalf("step %d: result changed with its operand: %g, want %g", i, got, want)
		}
	}
	if a.At(0, 0) != 9 || b.At(0, 0) != 2 {
		t.Fatal("an operand changed")
	}
}

// TestPrintLargeIsFast checks that printing a large tensor formats only the
// values it shows: a 1000x1000 tensor in well under the ~120 ms it took
// when every value was formatted to find the column width; and that the
// format and width come from the shown values only, as in PyTorch.
func TestPrintLargeIsFast(t *testing.T) {
	x := Arange(0, 1e6, 1).Reshape(1000, 1000).Div(7)
	start := time.Now()
	s := x.String()
	if d := time.Since(start); d > 30*time.Millisecond {
		t.Errorf("String of 1000x1000 took %v", d)
	}
	first := "tensor([[0.0000e+00, 1.4286e-01, 2.8571e-01, ..., 1.4243e+02, 1.4257e+02, 1.4271e+02],\n"
	if !strings.HasPrefix(s, first) || strings.Count(s, "\n") != 6 {
		t.Errorf("summary of 1000x1000:\n%s", s)
	}
	y := Ones(40, 50)
	y.Set(123456.5, 20, 25) // hidden by "...": changes neither format nor width
	if s := y.String(); !strings.HasPrefix(s, "tensor([[1., 1., 1., ..., 1., 1., 1.],\n") {
		t.Errorf("a hidden value changed the format:\n%s", s)
	}
}

// TestInPlaceFastPath checks in-place arithmetic on accel's kernels against
// the out-of-place ops, and its NaN check.
func TestInPlaceFastPath(t *testing.T) {
	g := NewGenerator(8)
	x := g.Randn(5, 33)
	for i, o := range []any{g.Randn(5, 33), g.Randn(33), g.Randn(1, 33), g.Randn(1), 1.5, x} {
		for _, op := range []struct {
			name    string
			inPlace func(*Tensor, any) *Tensor
			outOf   func(*Tensor, any) *Tensor
		}{
			{"add", (*Tensor).AddInPlace, (*Tensor).Add}, {"sub", (*Tensor).SubInPlace, (*Tensor).Sub},
			{"mul", (*Tensor).MulInPlace, (*Tensor).Mul}, {"div", (*Tensor).DivInPlace, (*Tensor).Div},
		} {
			want := op.outOf(x, o).Float32s()
			y := x.Clone()
			if o == x {
				o = y
			}
			v := *y.version
			if got := op.inPlace(y, o); got != y || !sameFloat32s(y.Float32s(), want) || *y.version == v {
				t.Fatalf("%s in place, operand %d: %v, want %v", op.name, i, y.Float32s()[:3], want[:3])
			}
			if o == y {
				o = x
			}
		}
	}
	z := Zeros(4, 4)
	mustPanic(t, ErrNaN, func() { z.DivInPlace(Zeros(4)) })
}

// TestAddScaledInPlaceFastPath checks t += alpha*o on accel's kernel
// against t.Add(o.Mul(alpha)), with an overlapping view as o, and its NaN
// check.
func TestAddScaledInPlaceFastPath(t *testing.T) {
	g := NewGenerator(9)
	x, o := g.Randn(7, 13), g.Randn(7, 13)
	want := x.Add(o.Mul(-0.37)).Float32s()
	if got := x.Clone().AddScaledInPlace(-0.37, o).Float32s(); !sameFloat32s(got, want) {
		t.Fatalf("AddScaledInPlace: %v, want %v", got[:3], want[:3])
	}
	v := g.Randn(40)
	head, tail := v.Slice(0, 0, 39), v.Slice(0, 1, 40) // overlapping views
	want = head.Add(tail.Mul(2)).Float32s()
	if got := head.AddScaledInPlace(2, tail).Float32s(); !sameFloat32s(got, want) {
		t.Fatalf("AddScaledInPlace of overlapping views: %v, want %v", got[:3], want[:3])
	}
	inf := Full(math.Inf(1), 3, 3)
	mustPanic(t, ErrNaN, func() { Full(math.Inf(-1), 3, 3).AddScaledInPlace(1, inf) })
}
