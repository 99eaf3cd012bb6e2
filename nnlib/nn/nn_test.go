package nn

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// in64 returns a Float64 leaf requiring grad with standard normal values
// from a generator seeded with seed.
func in64(seed uint64, shape ...int) *tensor.Tensor {
	return tensor.NewGenerator(seed).Randn(shape...).Double().Detach().RequiresGrad()
}

// gradCheck runs tensor.GradCheck on f of x and the parameters of m (made
// Float64), summing the output against fixed weights so that every output
// element matters.
func gradCheck(t *testing.T, m interface {
	Module
	To(tensor.DType)
}, xs ...*tensor.Tensor) {
	t.Helper()
	m.To(tensor.Float64)
	params := m.Parameters()
	inputs := append(append([]*tensor.Tensor{}, xs...), params...)
	err := tensor.GradCheck(func(in []*tensor.Tensor) *tensor.Tensor {
		return m.Forward(in[0])
	}, inputs)
	if err != nil {
		t.Fatal(err)
	}
}

// mustPanic runs f and returns the *Error it panicked with, failing t if it
// did not panic with one of kind.
func mustPanic(t *testing.T, kind error, f func()) *Error {
	t.Helper()
	var got *Error
	func() {
		defer func() {
			r := recover()
			e, ok := r.(*Error)
			if !ok {
				t.Fatalf("panic %v (%T), want an *nn.Error", r, r)
			}
			got = e
		}()
		f()
	}()
	if !errors.Is(got, kind) {
		t.Fatalf("error %q is not %v", got, kind)
	}
	return got
}

func TestLinearGradCheck(t *testing.T) {
	tensor.Seed(1)
	gradCheck(t, Linear(4, 3), in64(1, 5, 4))
	gradCheck(t, Linear(4, 3), in64(2, 2, 3, 4))
	gradCheck(t, LinearNoBias(4, 3), in64(3, 5, 4))
	gradCheck(t, Sequential(Linear(4, 5), Tanh(), Linear(5, 2)), in64(4, 3, 4))
}

func TestLinearInit(t *testing.T) {
	tensor.Seed(7)
	l := Linear(400, 300)
	bound := 1 / math.Sqrt(400)
	w := l.Weight.Float64s()
	lo, hi, mean := 0.0, 0.0, 0.0
	for _, v := range w {
		lo, hi, mean = math.Min(lo, v), math.Max(hi, v), mean+v/float64(len(w))
	}
	if lo < -bound || hi > bound || lo > -0.99*bound || hi < 0.99*bound || math.Abs(mean) > 0.01*bound {
		t.Errorf("weight in [%g, %g], mean %g; want uniform in (-%g, %g)", lo, hi, mean, bound, bound)
	}
	if !slices.Equal(l.Weight.Shape(), []int{300, 400}) || !slices.Equal(l.Bias.Shape(), []int{300}) {
		t.Errorf("shapes %v %v", l.Weight.Shape(), l.Bias.Shape())
	}
	if !l.Weight.NeedsGrad() || !l.Bias.NeedsGrad() || l.Weight.DType() != tensor.Float32 {
		t.Error("parameters must be float32 and require grad")
	}
}

func TestInitStatistics(t *testing.T) {
	tensor.Seed(3)
	w := tensor.Zeros(200, 100, 3, 3)
	std := func(t *tensor.Tensor) float64 { return t.Std().Item() }
	cases := []struct {
		name string
		f    func()
		want float64
	}{
		{"xavier_uniform", func() { XavierUniform(w, 1) }, math.Sqrt(2.0 / (900 + 1800))},
		{"xavier_normal", func() { XavierNormal(w, 2) }, 2 * math.Sqrt(2.0/(900+1800))},
		{"kaiming_uniform", func() { KaimingUniform(w, 0) }, math.Sqrt(2.0 / 900)},
		{"kaiming_normal", func() { KaimingNormal(w, 1) }, math.Sqrt(1.0 / 900)},
		{"normal", func() { Normal(w, 0, 0.3) }, 0.3},
	}
	for _, c := range cases {
		c.f()
		if got := std(w); math.Abs(got-c.want) > 0.02*c.want {
			t.Errorf("%s: std %g, want %g", c.name, got, c.want)
		}
	}
	Constant(w, 2.5)
	if w.Min().Item() != 2.5 || w.Max().Item() != 2.5 {
		t.Error("Constant")
	}
	mustPanic(t, tensor.ErrShape, func() { XavierUniform(tensor.Zeros(3), 1) })
}

func TestNamedParameters(t *testing.T) {
	m := Sequential(Linear(4, 5), ReLU(), Linear(5, 2), Sequential(LinearNoBias(2, 2)))
	var names []string
	for _, p := range m.NamedParameters() {
		names = append(names, p.Name)
	}
	want := "0.weight 0.bias 2.weight 2.bias 3.0.weight"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("names %q, want %q", got, want)
	}
	if len(m.Parameters()) != 5 || m.NumParameters() != 4*5+5+5*2+2+4 {
		t.Errorf("%d parameters, %d elements", len(m.Parameters()), m.NumParameters())
	}
	m.Eval()
	if m.Training() || m.Layers[3].Training() {
		t.Error("Eval did not reach the children")
	}
	m.Train()
	if !m.Layers[3].Training() {
		t.Error("Train did not reach the children")
	}
}

func TestZeroGrad(t *testing.T) {
	m := Sequential(Linear(3, 2))
	MSE(m.Forward(tensor.Ones(4, 3)), tensor.Zeros(4, 2)).Backward()
	if m.Parameters()[0].Grad() == nil {
		t.Fatal("no gradient")
	}
	m.ZeroGrad()
	for _, p := range m.Parameters() {
		if p.Grad() != nil {
			t.Error("gradient left after ZeroGrad")
		}
	}
}

func TestLinearErrors(t *testing.T) {
	l := Linear(784, 10)
	e := mustPanic(t, tensor.ErrShape, func() { l.Forward(tensor.Zeros(64, 100)) })
	if !strings.Contains(e.Error(), "linear") || !strings.Contains(e.Error(), "(64x100)") || !strings.Contains(e.Error(), "(10x784)") {
		t.Errorf("message %q does not name the op and shapes", e)
	}
	mustPanic(t, tensor.ErrDType, func() { l.Forward(tensor.Zeros(2, 784).Double()) })
	mustPanic(t, tensor.ErrShape, func() { Linear(0, 3) })
}

func TestLossGradChecks(t *testing.T) {
	labels := tensor.FromSlice([]int{0, 3, 1, 1, 2})
	y := in64(9, 5, 4)
	probs := tensor.NewGenerator(5).Rand(5, 4).Double()
	cases := []struct {
		name string
		f    func(in []*tensor.Tensor) *tensor.Tensor
	}{
		{"cross_entropy", func(in []*tensor.Tensor) *tensor.Tensor { return CrossEntropy(in[0], labels) }},
		{"cross_entropy_smooth", func(in []*tensor.Tensor) *tensor.Tensor { return CrossEntropySmoothed(in[0], labels, 0.2) }},
		{"nll", func(in []*tensor.Tensor) *tensor.Tensor { return NLL(in[0].LogSoftmax(1), labels) }},
		{"mse", func(in []*tensor.Tensor) *tensor.Tensor { return MSE(in[0], y) }},
		{"l1", func(in []*tensor.Tensor) *tensor.Tensor { return L1(in[0], y) }},
		{"huber", func(in []*tensor.Tensor) *tensor.Tensor { return Huber(in[0], y, 0.7) }},
		{"bce_with_logits", func(in []*tensor.Tensor) *tensor.Tensor { return BCEWithLogits(in[0], probs) }},
		{"bce_target", func(in []*tensor.Tensor) *tensor.Tensor { return BCEWithLogits(y, in[0]) }},
		{"l1_penalty", func(in []*tensor.Tensor) *tensor.Tensor { return L1Penalty(in) }},
		{"l2_penalty", func(in []*tensor.Tensor) *tensor.Tensor { return L2Penalty(in) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := tensor.GradCheck(c.f, []*tensor.Tensor{in64(11, 5, 4)}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestCrossEntropyFloat32MatchesFloat64(t *testing.T) {
	x := tensor.NewGenerator(2).Randn(64, 10).Mul(3)
	labels := tensor.NewGenerator(3).RandInt(0, 10, 64)
	a := CrossEntropy(x, labels).Item()
	b := CrossEntropy(x.Double(), labels).Item()
	c := x.Double().LogSoftmax(1).Gather(1, labels.Unsqueeze(1)).Mean().Neg().Item()
	if math.Abs(a-b) > 1e-5 || math.Abs(b-c) > 1e-12 {
		t.Errorf("float32 %g, float64 %g, composed %g", a, b, c)
	}
}

func TestLossErrors(t *testing.T) {
	x := tensor.Zeros(4, 3)
	e := mustPanic(t, tensor.ErrIndex, func() { CrossEntropy(x, tensor.FromSlice([]int{0, 1, 3, 2})) })
	for _, s := range []string{"cross_entropy", "(4x3)", "(4)", "label 3"} {
		if !strings.Contains(e.Error(), s) {
			t.Errorf("message %q lacks %q", e, s)
		}
	}
	mustPanic(t, tensor.ErrIndex, func() { CrossEntropy(x, tensor.FromSlice([]int{0, 1, -1, 2})) })
	mustPanic(t, tensor.ErrIndex, func() { NLL(x, tensor.FromSlice([]int{0, 1, 5, 2})) })
	mustPanic(t, tensor.ErrShape, func() { CrossEntropy(x, tensor.FromSlice([]int{0, 1})) })
	mustPanic(t, tensor.ErrDType, func() { CrossEntropy(x, tensor.FromSlice([]float32{0, 1, 1, 2})) })
	mustPanic(t, tensor.ErrShape, func() { CrossEntropy(tensor.Zeros(4), tensor.FromSlice([]int{0})) })
	mustPanic(t, tensor.ErrShape, func() { MSE(tensor.Zeros(4, 1), tensor.Zeros(4)) })
	mustPanic(t, tensor.ErrDType, func() { MSE(tensor.Zeros(4), tensor.Zeros(4).Double()) })
	mustPanic(t, tensor.ErrEmpty, func() { CrossEntropy(tensor.Zeros(0, 3), tensor.New(tensor.Int, 0)) })
}

func TestLossNaNReported(t *testing.T) {
	x := tensor.Zeros(2, 3)
	x.Set(math.Inf(1), 0, 1)
	e := mustPanic(t, tensor.ErrNaN, func() { CrossEntropy(x, tensor.FromSlice([]int{0, 1})) })
	if !strings.Contains(e.Error(), "cross_entropy") || !strings.Contains(e.Error(), "(2x3)") {
		t.Errorf("message %q", e)
	}
	y := tensor.Zeros(3)
	y.Set(math.NaN(), 1)
	mustPanic(t, tensor.ErrNaN, func() { MSE(y, tensor.Zeros(3)) })
	mustPanic(t, tensor.ErrNaN, func() { BCEWithLogits(y, tensor.Zeros(3)) })
}

func TestDropout(t *testing.T) {
	tensor.Seed(5)
	d := Dropout(0.25)
	x := tensor.Ones(100, 100).RequiresGrad()
	y := d.Forward(x)
	vals := y.Float64s()
	zeros := 0
	for _, v := range vals {
		switch {
		case v == 0:
			zeros++
		case math.Abs(v-1/0.75) > 1e-6:
			t.Fatalf("kept value %g, want %g", v, 1/0.75)
		}
	}
	if frac := float64(zeros) / 1e4; math.Abs(frac-0.25) > 0.02 {
		t.Errorf("dropped %g, want 0.25", frac)
	}
	y.Sum().Backward()
	g := x.Grad().Float64s()
	for i := range g {
		if g[i] != vals[i] {
			t.Fatalf("gradient %g where the output is %g", g[i], vals[i])
		}
	}
	d.Eval()
	if d.Forward(x) != x {
		t.Error("dropout in eval mode must pass the input through")
	}
	mustPanic(t, tensor.ErrShape, func() { Dropout(1.5) })
}

func TestFlatten(t *testing.T) {
	y := Flatten().Forward(tensor.Zeros(2, 3, 4, 5))
	if !slices.Equal(y.Shape(), []int{2, 60}) {
		t.Errorf("shape %v", y.Shape())
	}
}

func TestSummary(t *testing.T) {
	m := Sequential(Linear(784, 128), ReLU(), Dropout(0.5), Linear(128, 10))
	s := Summary(m, 1, 784)
	if len(s.Rows) != 4 || s.Total != 784*128+128+128*10+10 || s.Trainable != s.Total {
		t.Fatalf("summary %+v", s)
	}
	if !slices.Equal(s.Rows[3].Output, []int{1, 10}) || s.Rows[0].Params != 784*128+128 || s.Rows[1].Name != "1" {
		t.Errorf("rows %+v", s.Rows)
	}
	str := s.String()
	for _, w := range []string{"Linear(in_features=784, out_features=128, bias=True)", "(1, 128)", "100480", "Total params: 101770"} {
		if !strings.Contains(str, w) {
			t.Errorf("summary lacks %q:\n%s", w, str)
		}
	}
	if !m.Training() {
		t.Error("Summary left the model in eval mode")
	}
}

func TestSequentialString(t *testing.T) {
	got := Sequential(Linear(2, 3), ReLU()).String()
	want := "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFunc(t *testing.T) {
	tensor.Seed(4)
	fc1, fc2 := Linear(4, 8), Linear(8, 3)
	net := Func("Net", func(x *tensor.Tensor) *tensor.Tensor { return fc2.Forward(fc1.Forward(x).ReLU()) }).With("fc1", fc1).With("fc2", fc2)
	var names []string
	for _, p := range net.NamedParameters() {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "fc1.weight fc1.bias fc2.weight fc2.bias" {
		t.Errorf("names %q", got)
	}
	gradCheck(t, net, in64(1, 2, 4))
	want := "Net(\n  (fc1): Linear(in_features=4, out_features=8, bias=True)\n  (fc2): Linear(in_features=8, out_features=3, bias=True)\n)"
	if got := net.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	s := Summary(Sequential(net, Softmax(1)), 2, 4)
	if len(s.Rows) != 2 || s.Rows[0].Layer != "Net(...)" || s.Total != 67 {
		t.Errorf("summary\n%s", s)
	}
}

func TestActivationsGradCheck(t *testing.T) {
	m := Sequential(Linear(4, 6), GELU(), SiLU(), LeakyReLU(0.1), Tanh(), Sigmoid(), Identity(), ReLU(), Softmax(1), LogSoftmax(1))
	gradCheck(t, m, in64(7, 3, 4))
}

// TestDropoutGradCheck reseeds the generator in every call, so that each
// evaluation draws the same mask.
func TestDropoutGradCheck(t *testing.T) {
	d := Dropout(0.4)
	f := func(in []*tensor.Tensor) *tensor.Tensor {
		tensor.Seed(3)
		return d.Forward(in[0])
	}
	if err := tensor.GradCheck(f, []*tensor.Tensor{in64(8, 5, 6)}); err != nil {
		t.Fatal(err)
	}
}

func TestSummaryEmbedding(t *testing.T) {
	m := Sequential(Sequential(Embedding(100, 8)), TransformerBlock(8, 2, 16), Linear(8, 100))
	s := Summary(m, 2, 5)
	if len(s.Rows) != 3 || !slices.Equal(s.Rows[2].Output, []int{2, 5, 100}) || s.Rows[0].Name != "0.0" {
		t.Errorf("summary\n%s", s)
	}
}

func TestTiedWeights(t *testing.T) {
	emb, head := Embedding(10, 4), LinearNoBias(4, 10)
	head.Weight = emb.Weight // both (10, 4)
	m := Sequential(emb, head)
	if n := len(m.Parameters()); n != 1 {
		t.Errorf("%d parameters, want the tied weight once", n)
	}
	if n := len(m.StateDict()); n != 2 {
		t.Errorf("%d state-dict entries, want both names", n)
	}
	m.Freeze()
	m.Unfreeze()
	m.To(tensor.Float64)
	if head.Weight != emb.Weight || len(m.Parameters()) != 1 || head.Weight.DType() != tensor.Float64 {
		t.Error("Freeze, Unfreeze or To untied the weights")
	}
}
