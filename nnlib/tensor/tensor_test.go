package tensor

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// mustPanic runs f and returns the *Error it panics with, failing the test
// if it does not panic with one of kind.
func mustPanic(t *testing.T, kind error, f func()) (e *Error) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		err, ok := r.(*Error)
		if !ok {
			t.Fatalf("panic %v (%T), want a *tensor.Error", r, r)
		}
		if !errors.Is(err, kind) {
			t.Fatalf("panic %q is not %v", err, kind)
		}
		e = err
	}()
	f()
	return nil
}

func TestViewsShareStorage(t *testing.T) {
	x := Arange(0, 12, 1).Reshape(3, 4)
	s := x.Slice(1, 1, 3)
	if !s.SharesStorage(x) || s.IsContiguous() {
		t.Fatalf("slice: shares %v, contiguous %v; want a non-contiguous view", s.SharesStorage(x), s.IsContiguous())
	}
	if got := s.Float32s(); !reflect.DeepEqual(got, []float32{1, 2, 5, 6, 9, 10}) {
		t.Fatalf("slice values %v", got)
	}
	s.Set(100, 2, 0)
	if x.At(2, 1) != 100 {
		t.Fatalf("write through slice not visible in parent: %v", x)
	}
	x.Index(0).Fill(-1)
	if x.At(0, 3) != -1 || s.At(0, 1) != -1 {
		t.Fatalf("Fill through Index view: %v", x)
	}
	x.Slice(0, 1, 2).Assign(Full(7, 4))
	if x.At(1, 0) != 7 || x.At(1, 3) != 7 || x.At(2, 0) != 8 {
		t.Fatalf("Assign through slice: %v", x)
	}
	if tr := x.T(); !tr.SharesStorage(x) || !reflect.DeepEqual(tr.Strides(), []int{1, 4}) {
		t.Fatalf("transpose strides %v, want [1 4] and shared storage", tr.Strides())
	}
}

func TestReshapeCopiesOnlyWhenNeeded(t *testing.T) {
	x := Arange(0, 6, 1).Reshape(2, 3)
	if v := x.Reshape(3, 2); !v.SharesStorage(x) {
		t.Fatal("reshape of a contiguous tensor copied")
	}
	tr := x.T() // (3x2) with strides (1, 3)
	r := tr.Reshape(6)
	if r.SharesStorage(x) {
		t.Fatal("reshape of a transpose shared storage: it must copy")
	}
	if got := r.Float32s(); !reflect.DeepEqual(got, []float32{0, 3, 1, 4, 2, 5}) {
		t.Fatalf("reshape of transpose = %v", got)
	}
	if got := x.Reshape(-1, 2).Shape(); !reflect.DeepEqual(got, []int{3, 2}) {
		t.Fatalf("inferred shape %v", got)
	}
	mustPanic(t, ErrShape, func() { x.Reshape(4, 2) })
	mustPanic(t, ErrShape, func() { x.Reshape(-1, 4) })
}

func TestSliceClipsAndSteps(t *testing.T) {
	x := Arange(0, 10, 1)
	cases := []struct {
		start, end, step int
		want             []float32
	}{
		{2, 5, 1, []float32{2, 3, 4}},
		{-3, 100, 1, []float32{7, 8, 9}},
		{0, 10, 3, []float32{0, 3, 6, 9}},
		{5, 2, 1, []float32{}},
	}
	for _, c := range cases {
		got := x.SliceStep(0, c.start, c.end, c.step).Float32s()
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("SliceStep(0, %d, %d, %d) = %v, want %v", c.start, c.end, c.step, got, c.want)
		}
	}
	mustPanic(t, ErrIndex, func() { x.Index(10) })
	mustPanic(t, ErrShape, func() { x.Slice(1, 0, 1) })
}

func TestBroadcasting(t *testing.T) {
	cases := []struct{ a, b, want []int }{
		{[]int{3, 4}, []int{4}, []int{3, 4}},
		{[]int{2, 1, 4}, []int{3, 1}, []int{2, 3, 4}},
		{[]int{}, []int{2, 2}, []int{2, 2}},
		{[]int{1}, []int{5}, []int{5}},
		{[]int{5, 1}, []int{1, 6}, []int{5, 6}},
	}
	for _, c := range cases {
		got := Zeros(c.a...).Add(Zeros(c.b...)).Shape()
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v + %v: shape %v, want %v", c.a, c.b, got, c.want)
		}
	}
	// values: a column plus a row
	col := FromSlice([]float32{0, 10}, 2, 1)
	row := FromSlice([]float32{1, 2, 3})
	if got := col.Add(row).Float32s(); !reflect.DeepEqual(got, []float32{1, 2, 3, 11, 12, 13}) {
		t.Fatalf("column + row = %v", got)
	}
	e := mustPanic(t, ErrShape, func() { Zeros(3, 4).Add(Zeros(3)) })
	if want := "tensor: add: (3x4) and (3): cannot broadcast (dim 1: 4 vs 3)"; e.Error() != want {
		t.Fatalf("message %q, want %q", e, want)
	}
	mustPanic(t, ErrShape, func() { Zeros(2, 3).Mul(Zeros(3, 2)) })
	mustPanic(t, ErrShape, func() { Zeros(3).Expand(2, 4) })
	ex := Ones(3, 1).Expand(3, 4)
	if !reflect.DeepEqual(ex.Strides(), []int{1, 0}) {
		t.Fatalf("expand strides %v, want [1 0]", ex.Strides())
	}
}

func TestTypedPanics(t *testing.T) {
	e := mustPanic(t, ErrShape, func() { Zeros(64, 784).MatMul(Zeros(100, 10)) })
	if want := "tensor: matmul: (64x784) x (100x10): inner dimensions differ"; e.Error() != want {
		t.Fatalf("message %q, want %q", e, want)
	}
	if e.Op != "matmul" {
		t.Fatalf("Op %q", e.Op)
	}
	e = mustPanic(t, ErrDType, func() { Zeros(2).Add(Zeros(2).Double()) })
	if !strings.Contains(e.Error(), "add") || !strings.Contains(e.Error(), "float32") || !strings.Contains(e.Error(), "float64") {
		t.Fatalf("dtype message %q", e)
	}
	mustPanic(t, ErrDType, func() { FromSlice([]int{1, 2}).Exp() })
	mustPanic(t, ErrDType, func() { Zeros(2).Mul("two") })
	mustPanic(t, ErrDType, func() { FromSlice([]int{1}).RequiresGrad() })
	e = mustPanic(t, ErrIndex, func() { Zeros(4, 10).Gather(1, FromSlice([]int{3, 10, 0, 1}, 4, 1)) })
	if !strings.Contains(e.Error(), "(4x10)") || !strings.Contains(e.Error(), "index 10") {
		t.Fatalf("label message %q", e)
	}
	mustPanic(t, ErrIndex, func() { Zeros(5, 2).IndexSelect(0, FromSlice([]int{5})) })
	mustPanic(t, ErrDType, func() { Zeros(5, 2).IndexSelect(0, FromSlice([]float32{1})) })
	mustPanic(t, ErrEmpty, func() { Zeros(0, 3).Max(0) })
	mustPanic(t, ErrEmpty, func() { Zeros(0).Mean() })
	mustPanic(t, ErrEmpty, func() { Zeros(1, 3).Var(0) })
	mustPanic(t, ErrEmpty, func() { Zeros(2, 0).Softmax(1) })
	mustPanic(t, ErrShape, func() { Zeros(2, 3).Item() })
	mustPanic(t, ErrShape, func() { Zeros(2, 3).Sum(2) })
	mustPanic(t, ErrShape, func() { Concat(0, Zeros(2, 3), Zeros(2, 4)) })
	mustPanic(t, ErrShape, func() { FromSlice([]float32{1, 2, 3}, 2, 2) })
	mustPanic(t, ErrShape, func() { FromSlice([][]float32{{1, 2}, {3}}) })
	mustPanic(t, ErrShape, func() { Zeros(-1) })
	mustPanic(t, ErrIndex, func() { Zeros(2, 2).At(2, 0) })
	if Zeros(0, 3).Sum().Item() != 0 {
		t.Fatal("sum of an empty tensor is not 0")
	}
}

func TestFromSliceAndCreation(t *testing.T) {
	x := FromSlice([][]float64{{1, 2}, {3, 4}, {5, 6}})
	if x.DType() != Float64 || !reflect.DeepEqual(x.Shape(), []int{3, 2}) || x.At(2, 1) != 6 {
		t.Fatalf("nested FromSlice: %v", x)
	}
	if v := FromSlice([]float32{1, 2}, []int{}...); !reflect.DeepEqual(v.Shape(), []int{2}) {
		t.Fatalf("an empty (non-nil) shape, as yaegi passes for no arguments: %v", v.Shape())
	}
	data := []float32{1, 2}
	y := FromSlice(data)
	data[0] = 9
	if y.At(0) != 1 {
		t.Fatal("FromSlice did not copy")
	}
	if got := Eye(3).Sum().Item(); got != 3 {
		t.Fatalf("Eye sum %v", got)
	}
	if got := Arange(0, 1, 0.25).Float32s(); !reflect.DeepEqual(got, []float32{0, 0.25, 0.5, 0.75}) {
		t.Fatalf("Arange %v", got)
	}
	if got := Arange(3, 0, -1).Float32s(); !reflect.DeepEqual(got, []float32{3, 2, 1}) {
		t.Fatalf("Arange down %v", got)
	}
	if Full(2.5, 2, 2).Sum().Item() != 10 || Ones(3).Sum().Item() != 3 || Scalar(4).Dim() != 0 {
		t.Fatal("Full, Ones or Scalar")
	}
	if got := FromSlice([]float32{1.9, -1.9}).Ints(); !reflect.DeepEqual(got, []int{1, -1}) {
		t.Fatalf("Ints %v", got)
	}
}

func TestSeedRepeats(t *testing.T) {
	Seed(42)
	a := Randn(5).Float32s()
	Seed(42)
	b := Randn(5).Float32s()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Seed did not reset the default generator")
	}
	g := NewGenerator(42)
	if !reflect.DeepEqual(g.Randn(5).Float32s(), a) {
		t.Fatal("NewGenerator(42) differs from Seed(42)")
	}
	if reflect.DeepEqual(NewGenerator(43).Randn(5).Float32s(), a) {
		t.Fatal("different seeds gave the same values")
	}
	u := NewGenerator(1).Rand(1000)
	if u.Min().Item() < 0 || u.Max().Item() >= 1 || math.Abs(u.Mean().Item()-0.5) > 0.05 {
		t.Fatalf("Rand out of [0,1) or biased: mean %v", u.Mean().Item())
	}
	n := NewGenerator(1).Randn(10000)
	if math.Abs(n.Mean().Item()) > 0.05 || math.Abs(n.Std().Item()-1) > 0.05 {
		t.Fatalf("Randn mean %v std %v", n.Mean().Item(), n.Std().Item())
	}
	r := NewGenerator(1).RandInt(3, 7, 1000)
	if r.DType() != Int || r.Min().Item() != 3 || r.Max().Item() != 6 {
		t.Fatalf("RandInt range [%v, %v]", r.Min().Item(), r.Max().Item())
	}
}

func TestReductionValues(t *testing.T) {
	x := FromSlice([][]float32{{1, 5, 3}, {4, 2, 6}})
	check := func(name string, got *Tensor, shape []int, want []float32) {
		t.Helper()
		if !reflect.DeepEqual(got.Shape(), shape) || !reflect.DeepEqual(got.Float32s(), want) {
			t.Errorf("%s = %v, want shape %v values %v", name, got, shape, want)
		}
	}
	check("Sum(0)", x.Sum(0), []int{3}, []float32{5, 7, 9})
	check("SumKeepDim(1)", x.SumKeepDim(1), []int{2, 1}, []float32{9, 12})
	check("Max(1)", x.Max(1), []int{2}, []float32{5, 6})
	check("Min()", x.Min(), []int{}, []float32{1})
	check("Mean(-1)", x.Mean(-1), []int{2}, []float32{3, 4})
	check("Var(1)", x.Var(1), []int{2}, []float32{4, 4})
	check("Std(1)", x.Std(1), []int{2}, []float32{2, 2})
	if got := x.ArgMax(1).Ints(); !reflect.DeepEqual(got, []int{1, 2}) {
		t.Errorf("ArgMax(1) = %v", got)
	}
	if got := x.ArgMin(0).Ints(); !reflect.DeepEqual(got, []int{0, 1, 0}) {
		t.Errorf("ArgMin(0) = %v", got)
	}
	acc := x.ArgMax(1).Eq(FromSlice([]int{1, 0})).Mean().Item()
	if acc != 0.5 {
		t.Errorf("accuracy %v, want 0.5", acc)
	}
	big := FromSlice([]float32{1000, 1001, 1002})
	if s := big.Softmax(0); math.IsNaN(s.Sum().Item()) || math.Abs(s.Sum().Item()-1) > 1e-6 {
		t.Errorf("softmax of large values %v", s)
	}
	if l := big.LogSoftmax(0); math.IsInf(l.Min().Item(), 0) || math.IsNaN(l.Min().Item()) {
		t.Errorf("log_softmax of large values %v", l)
	}
	if s := FromSlice([]float32{-1000, 0}).Sigmoid().Float32s(); s[0] != 0 || s[1] != 0.5 {
		t.Errorf("sigmoid(-1000, 0) = %v", s)
	}
}

func TestComparisonsAndWhere(t *testing.T) {
	x := FromSlice([]float32{-1, 0, 2})
	for _, c := range []struct {
		name string
		got  *Tensor
		want []float32
	}{
		{"Gt", x.Gt(0), []float32{0, 0, 1}},
		{"Ge", x.Ge(0), []float32{0, 1, 1}},
		{"Lt", x.Lt(0), []float32{1, 0, 0}},
		{"Le", x.Le(0), []float32{1, 1, 0}},
		{"Eq", x.Eq(FromSlice([]float32{-1, 1, 2})), []float32{1, 0, 1}},
		{"Ne", x.Ne(0), []float32{1, 0, 1}},
		{"Where", Where(x.Gt(0), x, -5), []float32{-5, -5, 2}},
		{"MaskedFill", x.MaskedFill(x.Lt(0), 9), []float32{9, 0, 2}},
		{"Clamp", x.Clamp(-0.5, 1), []float32{-0.5, 0, 1}},
	} {
		if got := c.got.Float32s(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestConcatStackSplit(t *testing.T) {
	a, b := Ones(2, 2), Zeros(2, 1)
	c := Concat(1, a, b)
	if got := c.Float32s(); !reflect.DeepEqual(got, []float32{1, 1, 0, 1, 1, 0}) {
		t.Fatalf("Concat = %v", got)
	}
	s := Stack(0, a, a.Mul(2))
	if !reflect.DeepEqual(s.Shape(), []int{2, 2, 2}) || s.At(1, 1, 1) != 2 {
		t.Fatalf("Stack = %v", s)
	}
	parts := Arange(0, 7, 1).Split(3, 0)
	if len(parts) != 3 || parts[2].Numel() != 1 || parts[1].At(0) != 3 {
		t.Fatalf("Split = %v", parts)
	}
	if ch := Arange(0, 6, 1).Chunk(3, 0); len(ch) != 3 || ch[2].At(1) != 5 {
		t.Fatalf("Chunk = %v", ch)
	}
}

func TestMatMulValues(t *testing.T) {
	a := FromSlice([][]float32{{1, 2}, {3, 4}})
	b := FromSlice([][]float32{{5, 6}, {7, 8}})
	if got := a.MatMul(b).Float32s(); !reflect.DeepEqual(got, []float32{19, 22, 43, 50}) {
		t.Fatalf("a@b = %v", got)
	}
	if got := a.MatMul(FromSlice([]float32{1, 1})).Float32s(); !reflect.DeepEqual(got, []float32{3, 7}) {
		t.Fatalf("a@v = %v", got)
	}
	if got := Zeros(2, 0).MatMul(Zeros(0, 3)).Float32s(); !reflect.DeepEqual(got, make([]float32, 6)) {
		t.Fatalf("k=0 product %v", got)
	}
}

// TestMatMulAgainstNaive compares MatMul, which hands contiguous or
// transposed matrices to accel's GEMM and copies the rest, with the
// reference loop, over sizes, batch broadcasting and operand layouts.
func TestMatMulAgainstNaive(t *testing.T) {
	g := NewGenerator(3)
	layouts := []struct {
		name string
		make func(shape []int) *Tensor // a tensor of shape in some layout
	}{
		{"contiguous", func(s []int) *Tensor { return g.Randn(s...) }},
		{"transposed", func(s []int) *Tensor {
			n := len(s)
			u := append(append([]int{}, s[:n-2]...), s[n-1], s[n-2])
			return g.Randn(u...).Transpose(-1, -2)
		}},
		{"strided", func(s []int) *Tensor {
			u := append([]int{}, s...)
			u[len(u)-1] *= 2
			return g.Randn(u...).SliceStep(-1, 1, u[len(u)-1], 2)
		}},
		{"expanded", func(s []int) *Tensor {
			u := append([]int{}, s...)
			u[len(u)-2] = 1
			return g.Randn(u...).Expand(s...)
		}},
	}
	shapes := [][2][]int{
		{{1, 1}, {1, 1}}, {{3, 7}, {7, 5}}, {{33, 17}, {17, 40}}, {{2, 5, 3}, {3, 4}},
		{{4, 1, 6, 2}, {3, 2, 5}}, {{70, 65}, {65, 3}},
	}
	for _, la := range layouts {
		for _, lb := range layouts {
			for _, s := range shapes {
				a, b := la.make(s[0]), lb.make(s[1])
				got := a.MatMul(b)
				want := naiveMatMul(a.Double(), b.Double())
				if !slices.Equal(got.shape, want.shape) {
					t.Fatalf("%s x %s %v: shape %v, want %v", la.name, lb.name, s, got.shape, want.shape)
				}
				if d := got.Double().Sub(want).Abs().Max().Item(); d > 1e-4 {
					t.Fatalf("%s x %s %v: max difference %g", la.name, lb.name, s, d)
				}
				got64 := a.Double().MatMul(b.Double())
				if d := got64.Sub(want).Abs().Max().Item(); d > 1e-12 {
					t.Fatalf("float64 %s x %s %v: max difference %g", la.name, lb.name, s, d)
				}
			}
		}
	}
}

// naiveMatMul is the triple loop over broadcast batches, in float64.
func naiveMatMul(a, b *Tensor) *Tensor {
	na, nb := len(a.shape), len(b.shape)
	n, k, m := a.shape[na-2], a.shape[na-1], b.shape[nb-1]
	batch := broadcastShapes("naive", a.shape[:na-2], b.shape[:nb-2])
	ae := a.Expand(append(append([]int{}, batch...), n, k)...).Reshape(-1, n, k)
	be := b.Expand(append(append([]int{}, batch...), k, m)...).Reshape(-1, k, m)
	out := New(Float64, ae.shape[0], n, m)
	for z := 0; z < ae.shape[0]; z++ {
		for i := 0; i < n; i++ {
			for j := 0; j < m; j++ {
				var s float64
				for p := 0; p < k; p++ {
					s += ae.At(z, i, p) * be.At(z, p, j)
				}
				out.Set(s, z, i, j)
			}
		}
	}
	return out.Reshape(append(append([]int{}, batch...), n, m)...)
}

func TestPrint(t *testing.T) {
	cases := []struct {
		x    *Tensor
		want string
	}{
		{FromSlice([][]float32{{1, 2.5}, {-3, 4}}), "tensor([[ 1.0000,  2.5000],\n        [-3.0000,  4.0000]], shape=(2, 2), dtype=float32)"},
		{FromSlice([]int{3, 10}), "tensor([ 3, 10], shape=(2), dtype=int)"},
		{Scalar(2), "tensor(2., shape=(), dtype=float32)"},
		{FromSlice([]float64{1e-6, 1}), "tensor([1.0000e-06, 1.0000e+00], shape=(2), dtype=float64)"},
		{Ones(2).RequiresGrad(), "tensor([1., 1.], shape=(2), dtype=float32, requires_grad=true)"},
		{Ones(2).RequiresGrad().Mul(2), "tensor([2., 2.], shape=(2), dtype=float32, grad_fn=<mul>)"},
		{FromSlice([]float32{float32(math.NaN()), 1}), "tensor([nan,  1.], shape=(2), dtype=float32)"},
	}
	for _, c := range cases {
		if got := c.x.String(); got != c.want {
			t.Errorf("got\n%s\nwant\n%s", got, c.want)
		}
	}
	big := Arange(0, 2000, 1).Reshape(40, 50).String()
	if !strings.Contains(big, "...") || strings.Count(big, "\n") > 10 {
		t.Errorf("a large tensor is not summarised:\n%s", big)
	}
	if got := fmt.Sprint((*Tensor)(nil)); got != "tensor(nil)" {
		t.Errorf("nil prints %q", got)
	}
}

func TestNaNCheck(t *testing.T) {
	x := FromSlice([]float32{1, -1})
	e := mustPanic(t, ErrNaN, func() { x.Log() })
	if !strings.Contains(e.Error(), "tensor: log: (2)") {
		t.Fatalf("message %q", e)
	}
	mustPanic(t, ErrNaN, func() { Zeros(2).Div(0) })
	mustPanic(t, ErrNaN, func() { FromSlice([]float32{-8}).Pow(0.5) })
	if got := FromSlice([]float32{0}).Log().Item(); !math.IsInf(got, -1) {
		t.Fatalf("log(0) = %v, want -Inf", got)
	}
	nan := FromSlice([]float32{float32(math.NaN()), 1})
	if got := nan.Mul(2).Float32s(); !math.IsNaN(float64(got[0])) {
		t.Fatal("NaN in the data did not pass through")
	}
	z := Zeros(2).RequiresGrad()
	e = mustPanic(t, ErrNaN, func() { z.Sqrt().Mul(0).Sum().Backward() })
	if !strings.Contains(e.Error(), "in the gradient of sqrt (2)") {
		t.Fatalf("backward NaN message %q", e)
	}
	if !SetNaNCheck(false) {
		t.Fatal("the NaN check was not on by default")
	}
	defer SetNaNCheck(true)
	if got := x.Log().Float32s(); !math.IsNaN(float64(got[1])) {
		t.Fatalf("log(-1) with the check off = %v", got[1])
	}
}

func TestInPlace(t *testing.T) {
	x := FromSlice([][]float32{{1, 2}, {3, 4}})
	x.AddInPlace(1).MulInPlace(FromSlice([]float32{1, 10})).SubInPlace(x.Slice(0, 0, 1).Clone()).DivInPlace(2)
	if got := x.Float32s(); !reflect.DeepEqual(got, []float32{0, 0, 1, 10}) {
		t.Fatalf("in-place chain = %v", got)
	}
	col := x.Slice(1, 1, 2) // a non-contiguous view
	col.AddInPlace(5)
	if got := x.Float32s(); !reflect.DeepEqual(got, []float32{0, 5, 1, 15}) {
		t.Fatalf("in place through a view = %v", got)
	}
	x.AddScaledInPlace(-0.5, Full(2, 2, 2))
	if got := x.Float32s(); !reflect.DeepEqual(got, []float32{-1, 4, 0, 14}) {
		t.Fatalf("AddScaledInPlace = %v", got)
	}
	col.AddScaledInPlace(2, Ones(2, 1))
	if got := x.Float32s(); !reflect.DeepEqual(got, []float32{-1, 6, 0, 16}) {
		t.Fatalf("AddScaledInPlace through a view = %v", got)
	}
	mustPanic(t, ErrShape, func() { Zeros(2).AddInPlace(Zeros(2, 2)) })
	mustPanic(t, ErrDType, func() { Zeros(2).MulInPlace(Zeros(2).Double()) })
	mustPanic(t, ErrNaN, func() { Zeros(2).DivInPlace(0) })
	if allocs := testing.AllocsPerRun(10, func() { x.AddScaledInPlace(0.1, x) }); allocs != 0 {
		t.Errorf("AddScaledInPlace allocates %v times", allocs)
	}
	w := Ones(2).RequiresGrad()
	loss := w.Mul(w).Sum()
	w.MulInPlace(2)
	mustPanic(t, ErrGraph, func() { loss.Backward() })
}

func TestSmallAccessors(t *testing.T) {
	x := Randn(2, 3).Double()
	if z := ZerosLike(x); z.DType() != Float64 || !reflect.DeepEqual(z.Shape(), []int{2, 3}) || z.Sum().Item() != 0 {
		t.Fatalf("ZerosLike %v", z)
	}
	if o := OnesLike(x); o.Sum().Item() != 6 {
		t.Fatalf("OnesLike %v", o)
	}
	if x.Size(-1) != 3 || x.Size(0) != 2 || x.Flatten().Dim() != 1 {
		t.Fatal("Size or Flatten")
	}
	mustPanic(t, ErrShape, func() { x.Size(2) })
	if x.SharesStorage(x.Float()) || x.SharesStorage(Randn(2, 3).Double()) || !x.SharesStorage(x.T()) {
		t.Fatal("SharesStorage")
	}
	ids := FromSlice([]int{4, 5, 6}, 3)
	if got := ids.Slice(0, 1, 3).IntData(); !reflect.DeepEqual(got, []int{5, 6}) {
		t.Fatalf("IntData of a slice = %v", got)
	}
	Seed(9)
	a, p, r, ri := Rand(3).Float32s(), Perm(5), Randn(2).Float32s(), RandInt(0, 3, 4).Ints()
	DefaultGenerator().Seed(9)
	if !reflect.DeepEqual(a, Rand(3).Float32s()) || !reflect.DeepEqual(p, Perm(5)) ||
		!reflect.DeepEqual(r, Randn(2).Float32s()) || !reflect.DeepEqual(ri, RandInt(0, 3, 4).Ints()) {
		t.Fatal("DefaultGenerator().Seed does not repeat Rand, Perm, Randn, RandInt")
	}
	sorted := append([]int{}, p...)
	for i := range sorted {
		for j := i + 1; j < len(sorted); j++ {
			if sorted[j] < sorted[i] {
				sorted[i], sorted[j] = sorted[j], sorted[i]
			}
		}
	}
	if !reflect.DeepEqual(sorted, []int{0, 1, 2, 3, 4}) {
		t.Fatalf("Perm(5) = %v", p)
	}
	// the NaN check on a non-contiguous result, and inf printing
	v := FromSlice([][]float32{{1, -1}, {2, -2}}).T()
	mustPanic(t, ErrNaN, func() { v.Slice(0, 1, 2).Sqrt() })
	if got := FromSlice([]float32{float32(math.Inf(1)), float32(math.Inf(-1)), 1}).String(); !strings.Contains(got, "[ inf, -inf,   1.]") {
		t.Fatalf("inf prints as %s", got)
	}
}
