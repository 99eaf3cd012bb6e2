package tensor

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/interrupt"
)

func TestBackwardScalarAndAccumulation(t *testing.T) {
	w := FromSlice([]float32{1, 2, 3}).RequiresGrad()
	loss := w.Mul(w).Sum() // d/dw = 2w
	loss.Backward()
	if got := w.Grad().Float32s(); !reflect.DeepEqual(got, []float32{2, 4, 6}) {
		t.Fatalf("grad %v, want [2 4 6]", got)
	}
	w.Mul(3).Sum().Backward() // accumulates 3
	if got := w.Grad().Float32s(); !reflect.DeepEqual(got, []float32{5, 7, 9}) {
		t.Fatalf("accumulated grad %v, want [5 7 9]", got)
	}
	w.ZeroGrad()
	if w.Grad() != nil {
		t.Fatal("ZeroGrad left a gradient")
	}
	e := mustPanic(t, ErrGraph, func() { w.Mul(2).Backward() })
	if !strings.Contains(e.Error(), "(3)") {
		t.Fatalf("non-scalar Backward message %q", e)
	}
	y := w.Mul(2)
	y.BackwardWith(FromSlice([]float32{1, 0, -1}))
	if got := w.Grad().Float32s(); !reflect.DeepEqual(got, []float32{2, 0, -2}) {
		t.Fatalf("BackwardWith grad %v", got)
	}
	mustPanic(t, ErrShape, func() { w.Mul(2).BackwardWith(Ones(2)) })
	mustPanic(t, ErrGraph, func() { Ones(2).Sum().Backward() })
}

func TestSecondBackwardThroughFreedGraph(t *testing.T) {
	x := FromSlice([]float32{1, 2}).RequiresGrad()
	loss := x.Exp().Sum()
	loss.Backward()
	e := mustPanic(t, ErrGraph, func() { loss.Backward() })
	if !strings.Contains(e.Error(), "freed") || !strings.Contains(e.Error(), "sum") || !strings.Contains(e.Error(), "BackwardRetain") {
		t.Fatalf("message %q should say the graph through sum was freed and how to keep it", e)
	}
	if loss.Saved() != nil {
		t.Fatal("saved tensors kept after the graph was freed")
	}

	// A new loss over a freed subgraph fails before touching any gradient.
	x.ZeroGrad()
	h := x.Mul(2)
	h.Sum().Backward()
	x.ZeroGrad()
	loss2 := h.Sum().Add(x.Sum())
	mustPanic(t, ErrGraph, func() { loss2.Backward() })
	if x.Grad() != nil {
		t.Fatalf("a failed Backward left a partial gradient %v", x.Grad())
	}

	loss = x.Mul(x).Sum()
	loss.BackwardRetain(nil)
	loss.BackwardRetain(nil)
	if got := x.Grad().Float32s(); !reflect.DeepEqual(got, []float32{4, 8}) {
		t.Fatalf("two retained backwards: grad %v, want [4 8]", got)
	}
}

func TestDetachAndNoGrad(t *testing.T) {
	x := FromSlice([]float32{1, 2}).RequiresGrad()
	d := x.Detach()
	if d.NeedsGrad() || !d.SharesStorage(x) || !d.IsLeaf() {
		t.Fatal("Detach must share data, be a leaf and not require grad")
	}
	y := x.Mul(d).Sum() // gradient only through the first factor
	y.Backward()
	if got := x.Grad().Float32s(); !reflect.DeepEqual(got, []float32{1, 2}) {
		t.Fatalf("grad through detached factor %v, want [1 2]", got)
	}

	var z *Tensor
	NoGrad(func() {
		if GradEnabled() {
			t.Error("GradEnabled inside NoGrad")
		}
		NoGrad(func() {})
		z = x.Mul(2)
	})
	if z.NeedsGrad() || z.Op() != "" {
		t.Fatal("a tensor made under NoGrad records the graph")
	}
	if !GradEnabled() {
		t.Fatal("NoGrad did not restore recording")
	}
	func() {
		defer func() { recover() }()
		NoGrad(func() { panic("boom") })
	}()
	if !GradEnabled() {
		t.Fatal("a panic inside NoGrad left recording off")
	}
	sq := x.Mul(x).Sum()
	NoGrad(func() {
		NoGrad(func() {
			sq.Backward()        // Backward inside NoGrad
			SetGradEnabled(true) // does not end the NoGrad
			if GradEnabled() {
				t.Error("recording on inside NoGrad")
			}
		})
		if GradEnabled() {
			t.Error("recording on inside the outer NoGrad")
		}
	})
	if !GradEnabled() {
		t.Fatal("nested NoGrad with Backward inside left recording off")
	}
	prev := SetGradEnabled(false)
	if !prev || x.Mul(2).NeedsGrad() {
		t.Fatal("SetGradEnabled(false)")
	}
	SetGradEnabled(true)
	if !x.Mul(2).NeedsGrad() {
		t.Fatal("SetGradEnabled(true) did not restore")
	}
}

func TestHooks(t *testing.T) {
	x := FromSlice([]float32{1, 2}).RequiresGrad()
	var seen []float32
	x.RegisterHook(func(g *Tensor) *Tensor {
		seen = g.Float32s()
		return g.Mul(10)
	})
	h := x.Mul(3)
	h.RegisterHook(func(g *Tensor) *Tensor { return g.Add(1) }) // upstream 1 -> 2
	var observed bool
	h.RegisterHook(func(g *Tensor) *Tensor { observed = true; return nil })
	h.Sum().Backward()
	if !reflect.DeepEqual(seen, []float32{6, 6}) {
		t.Fatalf("leaf hook saw %v, want [6 6]", seen)
	}
	if got := x.Grad().Float32s(); !reflect.DeepEqual(got, []float32{60, 60}) {
		t.Fatalf("grad after hooks %v, want [60 60]", got)
	}
	if !observed {
		t.Fatal("a hook returning nil was not called")
	}
	mustPanic(t, ErrGraph, func() { Ones(1).RegisterHook(func(g *Tensor) *Tensor { return nil }) })
}

func TestRetainGradAndIntrospection(t *testing.T) {
	x := Randn(4, 3).RequiresGrad()
	w := Randn(3, 2).RequiresGrad()
	h := x.MatMul(w).RetainGrad()
	loss := h.ReLU().Sum()
	if loss.Op() != "sum" || h.Op() != "matmul" || !x.IsLeaf() || x.Op() != "" {
		t.Fatalf("ops: loss %q h %q x %q", loss.Op(), h.Op(), x.Op())
	}
	if in := h.Inputs(); len(in) != 2 || in[0] != x || in[1] != w {
		t.Fatalf("matmul inputs %v", in)
	}
	r := loss.Inputs()[0]
	if r.Op() != "relu" || r.Inputs()[0] != h || len(r.Saved()) != 2 {
		t.Fatalf("relu node: op %q saved %d", r.Op(), len(r.Saved()))
	}
	if !reflect.DeepEqual(r.Saved()[0].Shape(), []int{4, 2}) {
		t.Fatalf("saved shape %v", r.Saved()[0].Shape())
	}
	loss.Backward()
	if h.Grad() == nil || !reflect.DeepEqual(h.Grad().Shape(), []int{4, 2}) {
		t.Fatal("RetainGrad did not keep the intermediate gradient")
	}
	if r.Grad() != nil {
		t.Fatal("an intermediate without RetainGrad kept its gradient")
	}
	// x.grad = relu'(h) @ w^T
	want := h.Detach().Gt(0).MatMul(w.Detach().T())
	if d := x.Grad().Sub(want).Abs().Max().Item(); d > 1e-6 {
		t.Fatalf("x.grad differs from relu'(h) w^T by %v", d)
	}
}

func TestBackwardInterrupted(t *testing.T) {
	defer interrupt.Clear()
	x := Ones(3).RequiresGrad()
	loss := x.Mul(2).Sum()
	interrupt.Raise()
	func() {
		defer func() {
			if r := recover(); r != interrupt.ErrInterrupted {
				t.Fatalf("recovered %v, want interrupt.ErrInterrupted", r)
			}
		}()
		loss.Backward()
	}()
	if !GradEnabled() {
		t.Fatal("an interrupted Backward left recording off")
	}
}

func TestToDType(t *testing.T) {
	x := FromSlice([]float32{1.5, -2}).RequiresGrad()
	y := x.Double().Mul(2).Sum()
	y.Backward()
	if x.Grad().DType() != Float32 || x.Grad().At(0) != 2 {
		t.Fatalf("grad through To(Float64): %v", x.Grad())
	}
	if x.To(Float32) != x {
		t.Fatal("To of the same dtype copied")
	}
}

func TestInPlaceWriteAfterUseIsCaught(t *testing.T) {
	w := FromSlice([]float32{1, 2}).RequiresGrad()
	x := FromSlice([]float32{3, 4})
	loss := w.Mul(x).Sum()
	x.Slice(0, 0, 1).Fill(0) // through a view of a tensor mul saved
	e := mustPanic(t, ErrGraph, func() { loss.Backward() })
	if !strings.Contains(e.Error(), "modified in place") || !strings.Contains(e.Error(), "mul") {
		t.Fatalf("message %q", e)
	}
	// Writing after Backward, as an optimizer step does, is fine.
	loss = w.Mul(x).Sum()
	loss.Backward()
	NoGrad(func() { w.Assign(w.Sub(w.Grad().Mul(0.1))) })
	if got := w.Float32s(); got[0] != 1 || math.Abs(float64(got[1])-1.6) > 1e-6 {
		t.Fatalf("after a step w = %v", got)
	}
}

func TestMarkModified(t *testing.T) {
	w := FromSlice([]float32{1, 2}).RequiresGrad()
	x := FromSlice([]float32{3, 4, 5, 6}, 2, 2)
	loss := x.Slice(0, 0, 1).Reshape(2).Mul(w).Sum() // saves a view of x
	x.Float32Data()[3] = 7                           // raw write, not seen
	x.MarkModified()
	e := mustPanic(t, ErrGraph, func() { loss.Backward() })
	if !strings.Contains(e.Error(), "modified in place") {
		t.Fatalf("message %q", e)
	}
	// A raw write without MarkModified goes unnoticed, as documented.
	loss = x.Slice(0, 0, 1).Reshape(2).Mul(w).Sum()
	x.Float32Data()[0] = 8
	loss.Backward()
	if got := w.Grad().Float32s(); got[0] != 8 || got[1] != 4 {
		t.Fatalf("w.Grad() = %v, want [8 4] (the values at Backward)", got)
	}
}

// TestTrainsTwoLayerNet trains a small network on XOR-like data with plain
// gradient descent, every piece of the package working together: the loss
// must fall and the points be classified.
func TestTrainsTwoLayerNet(t *testing.T) {
	g := NewGenerator(5)
	x := g.Rand(256, 2).Mul(2).Sub(1)
	xs := x.Float32s()
	lab := make([]int, 256)
	for i := range lab {
		if (xs[2*i] > 0) != (xs[2*i+1] > 0) {
			lab[i] = 1
		}
	}
	y := FromSlice(lab)
	w1 := g.Randn(2, 16).Mul(0.5).RequiresGrad()
	b1 := Zeros(16).RequiresGrad()
	w2 := g.Randn(16, 2).Mul(0.5).RequiresGrad()
	b2 := Zeros(2).RequiresGrad()
	params := []*Tensor{w1, b1, w2, b2}
	var first, last float64
	for step := 0; step < 300; step++ {
		logits := x.MatMul(w1).Add(b1).Tanh().MatMul(w2).Add(b2)
		loss := logits.LogSoftmax(1).Gather(1, y.Unsqueeze(1)).Mean().Neg()
		loss.Backward()
		NoGrad(func() {
			for _, p := range params {
				p.Assign(p.Sub(p.Grad().Mul(0.5)))
				p.ZeroGrad()
			}
		})
		if step == 0 {
			first = loss.Item()
		}
		last = loss.Item()
	}
	acc := x.MatMul(w1).Add(b1).Tanh().MatMul(w2).Add(b2).ArgMax(1).Eq(y).Mean().Item()
	t.Logf("loss %.3f -> %.3f, accuracy %.2f", first, last, acc)
	if last > first/3 || acc < 0.9 {
		t.Fatalf("loss %.3f -> %.3f, accuracy %.2f: not learning", first, last, acc)
	}
}

// TestRecordCustomOp defines an op outside the primitive set, as nn will
// for fused kernels, and checks it with GradCheck and the walk's checks.
func TestRecordCustomOp(t *testing.T) {
	// cube(x) = x^3 computed on raw data, gradient 3x^2.
	cube := func(x *Tensor) *Tensor {
		out := New(x.DType(), x.Shape()...)
		xs, os := x.Contiguous().Float64Data(), out.Float64Data()
		for i, v := range xs {
			os[i] = v * v * v
		}
		return Record(out, "cube", []*Tensor{x}, []*Tensor{x}, func(g *Tensor) []*Tensor {
			return []*Tensor{g.Mul(x.Mul(x).Mul(3))}
		})
	}
	if err := GradCheck(func(in []*Tensor) *Tensor { return cube(in[0]) }, []*Tensor{in64(3, false, 2, 3)}); err != nil {
		t.Fatal(err)
	}
	x := in64(4, false, 3)
	if y := cube(x); y.Op() != "cube" || y.Inputs()[0] != x {
		t.Fatalf("custom op recorded as %q", y.Op())
	}
	mustPanic(t, ErrGraph, func() { Record(x.Mul(2), "again", []*Tensor{x}, nil, nil) })
	bad := Record(New(Float64, 3), "bad_shape", []*Tensor{x}, nil, func(g *Tensor) []*Tensor { return []*Tensor{Ones(4).Double()} })
	e := mustPanic(t, ErrGraph, func() { bad.Sum().Backward() })
	if !strings.Contains(e.Error(), "bad_shape returned a (4) float64 gradient for input 0, (3) float64") {
		t.Fatalf("message %q", e)
	}
	short := Record(New(Float64, 3), "short", []*Tensor{x}, nil, func(g *Tensor) []*Tensor { return nil })
	mustPanic(t, ErrGraph, func() { short.Sum().Backward() })
	mustPanic(t, ErrShape, func() { x.T() })
	mustPanic(t, ErrShape, func() { x.Expand(2, 3).Float64Data() })
	mustPanic(t, ErrDType, func() { x.Float32Data() })
}

// TestLeafGradientOwnership checks that a leaf keeps a gradient without a
// copy only when nothing else can reach its storage: writing into one
// leaf's Grad in place must change no other gradient, no tensor the caller
// or a hook holds, and no later step.
func TestLeafGradientOwnership(t *testing.T) {
	seq := func(n int) *Tensor { return Arange(1, float64(n+1), 1) }
	cases := []struct {
		name  string
		run   func(a, b *Tensor) (other *Tensor) // runs a backward; returns a tensor a.Grad() must not alias
		wantA []float32
	}{
		{"add gives both inputs one gradient", func(a, b *Tensor) *Tensor {
			a.Add(b).Sum().Backward()
			return b.Grad()
		}, []float32{1, 1, 1}},
		{"the caller's upstream gradient", func(a, b *Tensor) *Tensor {
			g := seq(3)
			a.Reshape(3).BackwardWith(g)
			return g
		}, []float32{1, 2, 3}},
		{"a gradient a hook kept", func(a, b *Tensor) *Tensor {
			var kept *Tensor
			a.RegisterHook(func(g *Tensor) *Tensor { kept = g; return nil })
			a.Mul(b).Sum().Backward()
			return kept
		}, []float32{1, 2, 3}},
		{"a tensor a custom rule returns", func(a, b *Tensor) *Tensor {
			fixed := seq(3)
			Record(a.Detach().Sum(), "custom", []*Tensor{a}, nil, func(*Tensor) []*Tensor { return []*Tensor{fixed} }).Backward()
			return fixed
		}, []float32{1, 2, 3}},
		{"a view of the gradient another leaf keeps", func(a, b *Tensor) *Tensor {
			Record(a.Detach().Sum(), "twice", []*Tensor{a, b}, nil, func(*Tensor) []*Tensor {
				g := seq(3)
				return []*Tensor{g, g.Reshape(3)}
			}).Backward()
			return b.Grad()
		}, []float32{1, 2, 3}},
	}
	for _, c := range cases {
		a, b := Zeros(3).RequiresGrad(), seq(3).RequiresGrad()
		other := c.run(a, b)
		if got := a.Grad().Float32s(); !reflect.DeepEqual(got, c.wantA) {
			t.Fatalf("%s: a.Grad() = %v, want %v", c.name, got, c.wantA)
		}
		before := other.Float32s()
		a.Grad().Fill(-7)
		if got := other.Float32s(); !reflect.DeepEqual(got, before) {
			t.Errorf("%s: writing a.Grad() changed another tensor: %v, was %v", c.name, got, before)
		}
	}

	// A gradient a rule made for one leaf alone is kept as is, and is the
	// leaf's own: the next step's gradient is new storage.
	w := seq(3).RequiresGrad()
	var made *Tensor
	step := func() {
		Record(w.Detach().Sum(), "own", []*Tensor{w}, nil, func(*Tensor) []*Tensor {
			made = seq(3).Mul(2)
			return []*Tensor{made}
		}).Backward()
	}
	step()
	if w.Grad() != made {
		t.Fatal("a leaf copied the gradient its rule made for it alone")
	}
	first := w.Grad()
	w.ZeroGrad()
	step()
	first.Fill(0)
	if got := w.Grad().Float32s(); !reflect.DeepEqual(got, []float32{2, 4, 6}) {
		t.Fatalf("second step's gradient %v after clearing the first, want [2 4 6]", got)
	}
}
