package nn

import (
	"slices"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

func TestConvPoolNormGradChecks(t *testing.T) {
	tensor.Seed(2)
	cases := []struct {
		name string
		m    interface {
			Module
			To(tensor.DType)
		}
		x *tensor.Tensor
	}{
		{"conv2d", Conv2d(2, 3, 3), in64(1, 2, 2, 5, 4)},
		{"conv2d_stride_pad", Conv2d(2, 2, 3, 2, 1), in64(2, 1, 2, 6, 5)},
		{"conv2d_dilation", Conv2d(1, 2, 2, 1, 1, 2), in64(3, 2, 1, 5, 5)},
		{"conv2d_1x1", Conv2d(3, 2, 1), in64(4, 2, 3, 2, 3)},
		{"max_pool", MaxPool2d(2), in64(5, 2, 2, 4, 4)},
		{"max_pool_pad", MaxPool2d(3, 2, 1), in64(6, 1, 2, 5, 4)},
		{"avg_pool", AvgPool2d(2), in64(7, 2, 2, 4, 4)},
		{"avg_pool_pad", AvgPool2d(3, 2, 1), in64(8, 1, 2, 5, 4)},
		{"batch_norm1d", BatchNorm1d(3), in64(9, 4, 3)},
		{"batch_norm1d_3d", BatchNorm1d(2), in64(10, 3, 2, 4)},
		{"batch_norm2d", BatchNorm2d(2), in64(11, 3, 2, 3, 3)},
		{"layer_norm", LayerNorm(4), in64(12, 2, 3, 4)},
		{"layer_norm_2d", LayerNorm(3, 4), in64(13, 2, 3, 4)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { gradCheck(t, c.m, c.x) })
	}
	t.Run("batch_norm2d_eval", func(t *testing.T) {
		b := BatchNorm2d(2)
		b.Forward(tensor.Randn(4, 2, 3, 3)) // running statistics away from 0 and 1
		b.Eval()
		gradCheck(t, b, in64(14, 3, 2, 3, 3))
	})
	t.Run("embedding", func(t *testing.T) {
		e := Embedding(5, 3)
		e.To(tensor.Float64)
		idx := tensor.FromSlice([]int{1, 4, 1, 0, 2, 2}, 2, 3)
		if err := tensor.GradCheck(func(in []*tensor.Tensor) *tensor.Tensor { return e.Forward(idx) }, e.Parameters()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestConvShapes(t *testing.T) {
	cases := []struct {
		m    Module
		in   []int
		want []int
	}{
		{Conv2d(1, 6, 5), []int{2, 1, 28, 28}, []int{2, 6, 24, 24}},
		{Conv2d(1, 6, 5, 1, 2), []int{2, 1, 28, 28}, []int{2, 6, 28, 28}},
		{Conv2d(3, 8, 3, 2, 1), []int{1, 3, 32, 31}, []int{1, 8, 16, 16}},
		{Conv2d(3, 8, 3, 1, 0, 2), []int{1, 3, 9, 9}, []int{1, 8, 5, 5}},
		{MaxPool2d(2), []int{2, 6, 28, 28}, []int{2, 6, 14, 14}},
		{MaxPool2d(2), []int{2, 6, 5, 5}, []int{2, 6, 2, 2}},
		{AvgPool2d(3, 1, 1), []int{1, 1, 4, 4}, []int{1, 1, 4, 4}},
	}
	for _, c := range cases {
		if got := c.m.Forward(tensor.Zeros(c.in...)).Shape(); !slices.Equal(got, c.want) {
			t.Errorf("%v on %v: %v, want %v", c.m, c.in, got, c.want)
		}
	}
}

func TestBatchNormRunningStats(t *testing.T) {
	b := BatchNorm1d(2)
	x := tensor.FromSlice([][]float32{{1, 10}, {3, 20}, {5, 30}})
	b.Forward(x)
	// mean (3, 20); unbiased variance (4, 100).
	want := []float64{0.9*0 + 0.1*3, 0.9*0 + 0.1*20}
	for i, v := range b.RunningMean.Float64s() {
		if d := v - want[i]; d > 1e-6 || d < -1e-6 {
			t.Errorf("running mean %v, want %v", b.RunningMean.Float64s(), want)
		}
	}
	wantVar := []float64{0.9 + 0.1*4, 0.9 + 0.1*100}
	for i, v := range b.RunningVar.Float64s() {
		if d := v - wantVar[i]; d > 1e-4 || d < -1e-4 {
			t.Errorf("running var %v, want %v", b.RunningVar.Float64s(), wantVar)
		}
	}
	if b.Batches.Item() != 1 {
		t.Errorf("num_batches_tracked %v", b.Batches.Item())
	}
	b.Eval()
	b.Forward(x)
	if b.Batches.Item() != 1 {
		t.Error("eval mode updated the statistics")
	}
	var names []string
	for _, p := range b.StateDict() {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "weight bias running_mean running_var num_batches_tracked" {
		t.Errorf("state dict %q", got)
	}
}

func TestLayerErrors(t *testing.T) {
	e := mustPanic(t, tensor.ErrShape, func() { Conv2d(3, 4, 3).Forward(tensor.Zeros(2, 1, 8, 8)) })
	if !strings.Contains(e.Error(), "(2x1x8x8)") || !strings.Contains(e.Error(), "(4x3x3x3)") {
		t.Errorf("message %q", e)
	}
	mustPanic(t, tensor.ErrShape, func() { Conv2d(3, 4, 3).Forward(tensor.Zeros(3, 8, 8)) })
	mustPanic(t, tensor.ErrShape, func() { Conv2d(1, 1, 5).Forward(tensor.Zeros(1, 1, 3, 3)) })
	mustPanic(t, tensor.ErrShape, func() { Conv2d(1, 1, 3, 1, 1, 1, 1) })
	mustPanic(t, tensor.ErrShape, func() { MaxPool2d(2, 2, 2) })
	mustPanic(t, tensor.ErrShape, func() { BatchNorm2d(3).Forward(tensor.Zeros(2, 4, 3, 3)) })
	mustPanic(t, tensor.ErrShape, func() { BatchNorm1d(3).Forward(tensor.Zeros(1, 3)) })
	mustPanic(t, tensor.ErrShape, func() { LayerNorm(4).Forward(tensor.Zeros(2, 5)) })
	e = mustPanic(t, tensor.ErrIndex, func() { Embedding(10, 4).Forward(tensor.FromSlice([]int{1, 10})) })
	if !strings.Contains(e.Error(), "embedding") || !strings.Contains(e.Error(), "index 10") {
		t.Errorf("message %q", e)
	}
	mustPanic(t, tensor.ErrDType, func() { Embedding(10, 4).Forward(tensor.Zeros(2)) })
}

func TestLayerStrings(t *testing.T) {
	cases := map[string]Module{
		"Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))": Conv2d(1, 6, 5, 1, 2),
		"MaxPool2d(kernel_size=2, stride=2, padding=0)":                   MaxPool2d(2),
		"BatchNorm2d(16, eps=1e-05, momentum=0.1)":                        BatchNorm2d(16),
		"LayerNorm((64,), eps=1e-05, elementwise_affine=True)":            LayerNorm(64),
		"Embedding(1000, 64)":                                             Embedding(1000, 64),
	}
	for want, m := range cases {
		if got := describe(m); got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

// TestConvChunks checks a batch convolved in several chunks (columns
// larger than colsBudget) against each sample convolved alone.
func TestConvChunks(t *testing.T) {
	tensor.Seed(13)
	c := Conv2d(64, 2, 3, 1, 1)
	x := tensor.Randn(3, 64, 32, 32).Double().RequiresGrad()
	c.To(tensor.Float64)
	if g := geometry("conv2d", x, c.Kernel, c.Stride, c.Padding, c.Dilation); g.chunk() != 1 {
		t.Fatalf("chunk of %d samples; the test needs 1", g.chunk())
	}
	y := c.Forward(x)
	up := tensor.Randn(y.Shape()...).Double()
	y.BackwardWith(up)
	gw, gx, gb := c.Weight.Grad().Float64s(), x.Grad().Float64s(), c.Bias.Grad().Float64s()
	c.ZeroGrad()
	var ys, gxs []*tensor.Tensor
	for i := 0; i < 3; i++ {
		xi := x.Detach().Slice(0, i, i+1).Contiguous().RequiresGrad()
		yi := c.Forward(xi)
		yi.BackwardWith(up.Slice(0, i, i+1))
		ys, gxs = append(ys, yi), append(gxs, xi.Grad())
	}
	cmp := func(what string, got, want []float64) {
		for i := range got {
			if d := got[i] - want[i]; d > 1e-9 || d < -1e-9 {
				t.Fatalf("%s element %d: %g in chunks, %g alone", what, i, got[i], want[i])
			}
		}
	}
	cmp("output", y.Float64s(), tensor.Concat(0, ys...).Float64s())
	cmp("input gradient", gx, tensor.Concat(0, gxs...).Float64s())
	cmp("weight gradient", gw, c.Weight.Grad().Float64s())
	cmp("bias gradient", gb, c.Bias.Grad().Float64s())
}

// TestConvBackwardTwice checks that the columns kept from the forward are
// not reused once the first backward has written over them.
func TestConvBackwardTwice(t *testing.T) {
	tensor.Seed(14)
	c := Conv2d(2, 3, 3, 1, 1)
	x := tensor.Randn(2, 2, 5, 5).RequiresGrad()
	y := c.Forward(x).Sum()
	y.BackwardRetain(nil)
	once := c.Weight.Grad().Float64s()
	y.Backward()
	for i, v := range c.Weight.Grad().Float64s() {
		if d := v - 2*once[i]; d > 1e-4 || d < -1e-4 {
			t.Fatalf("element %d: %g after two backwards, want %g", i, v, 2*once[i])
		}
	}
}
