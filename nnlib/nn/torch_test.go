package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// The goldens in testdata/torch_nn.json are PyTorch 1.13's outputs and
// gradients for the layers and losses below, with the weights stored in
// the file; testdata/gen_torch.py writes them (run it with /usr/bin/python3
// to refresh them).

type golden struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func (g golden) tensor() *tensor.Tensor { return tensor.FromSlice(g.Data).Reshape(g.Shape...) }

func (g golden) ints() *tensor.Tensor {
	is := make([]int, len(g.Data))
	for i, v := range g.Data {
		is[i] = int(v)
	}
	return tensor.FromSlice(is).Reshape(g.Shape...)
}

type goldenCase struct {
	Name         string            `json:"name"`
	Kind         string            `json:"kind"`
	Train        bool              `json:"train"`
	State        map[string]golden `json:"state"`
	Inputs       []golden          `json:"inputs"`
	Output       golden            `json:"output"`
	Upstream     golden            `json:"upstream"`
	InputGrads   []golden          `json:"input_grads"`
	ParamGrads   map[string]golden `json:"param_grads"`
	BuffersAfter map[string]golden `json:"buffers_after"`
}

// stateModule is what the golden tests need of a module.
type stateModule interface {
	Module
	LoadStateDict(map[string]*tensor.Tensor) error
	To(tensor.DType)
	NamedBuffers() []Param
}

// torchModules builds the layer of each module case, as gen_torch.py does.
var torchModules = map[string]func() stateModule{
	"linear":        func() stateModule { return Linear(5, 3) },
	"linear_3d":     func() stateModule { return Linear(5, 3) },
	"linear_nobias": func() stateModule { return LinearNoBias(5, 3) },
	"mlp":           func() stateModule { return Sequential(Linear(6, 8), ReLU(), Linear(8, 4), Tanh()) },
	"activations": func() stateModule {
		return Sequential(Linear(4, 6), GELU(), Linear(6, 6), SiLU(), LeakyReLU(0.1), Sigmoid(), Linear(6, 5), LogSoftmax(1))
	},
	"softmax_flatten": func() stateModule { return Sequential(Flatten(), Linear(6, 4), Softmax(1)) },

	"conv2d":            func() stateModule { return Conv2d(3, 4, 3) },
	"conv2d_stride_pad": func() stateModule { return Conv2d(2, 3, 3, 2, 1) },
	"conv2d_dilation":   func() stateModule { return Conv2d(2, 3, 3, 1, 2, 2) },
	"max_pool":          func() stateModule { return MaxPool2d(2) },
	"max_pool_pad":      func() stateModule { return MaxPool2d(3, 2, 1) },
	"avg_pool":          func() stateModule { return AvgPool2d(2) },
	"avg_pool_pad":      func() stateModule { return AvgPool2d(3, 2, 1) },
	"batch_norm1d":      func() stateModule { return BatchNorm1d(3) },
	"batch_norm1d_3d":   func() stateModule { return BatchNorm1d(3) },
	"batch_norm2d":      func() stateModule { return BatchNorm2d(2) },
	"batch_norm2d_eval": func() stateModule { return BatchNorm2d(2) },
	"layer_norm":        func() stateModule { return LayerNorm(4) },
	"layer_norm_2d":     func() stateModule { return LayerNorm(3, 4) },
	"embedding":         func() stateModule { return Embedding(10, 4) },
	"rnn":               func() stateModule { return RNN(3, 4, 1) },
	"rnn_2layers":       func() stateModule { return RNN(3, 4, 2) },
	"lstm":              func() stateModule { return LSTM(3, 4, 1) },
	"lstm_2layers":      func() stateModule { return LSTM(3, 4, 2) },
	"gru":               func() stateModule { return GRU(3, 4, 1) },
	"gru_2layers":       func() stateModule { return GRU(3, 4, 2) },
	"attention":         func() stateModule { return MultiHeadAttention(8, 2) },
	"attention_causal": func() stateModule {
		a := MultiHeadAttention(8, 2)
		a.Causal = true
		return a
	},
	"transformer_block": func() stateModule {
		b := TransformerBlock(8, 2, 16)
		b.Dropout.P = 0
		return b
	},
	"transformer_block_causal_gelu": func() stateModule {
		b := TransformerBlock(8, 2, 16)
		b.Dropout.P, b.SelfAttn.Causal, b.Activation = 0, true, GELU()
		return b
	},
	"cnn": func() stateModule {
		return Sequential(Conv2d(1, 2, 3, 1, 1), BatchNorm2d(2), ReLU(), MaxPool2d(2), Flatten(), Linear(2*3*3, 3))
	},
}

// torchLosses computes each loss case.
var torchLosses = map[string]func(x, y *tensor.Tensor) *tensor.Tensor{
	"cross_entropy":        CrossEntropy,
	"cross_entropy_smooth": func(x, y *tensor.Tensor) *tensor.Tensor { return CrossEntropySmoothed(x, y, 0.1) },
	"nll":                  func(x, y *tensor.Tensor) *tensor.Tensor { return NLL(x.LogSoftmax(1), y) },
	"mse":                  MSE,
	"l1":                   L1,
	"huber":                func(x, y *tensor.Tensor) *tensor.Tensor { return Huber(x, y, 1) },
	"huber_half":           func(x, y *tensor.Tensor) *tensor.Tensor { return Huber(x, y, 0.5) },
	"bce_with_logits":      BCEWithLogits,
}

// near fails t unless got matches want to 1e-9 (float64 on both sides).
func near(t *testing.T, what string, got *tensor.Tensor, want golden) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: nil, want shape %v", what, want.Shape)
	}
	if !slices.Equal(got.Shape(), want.Shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape(), want.Shape)
	}
	for i, g := range got.Float64s() {
		w := want.Data[i]
		if math.Abs(g-w) > 1e-9+1e-8*math.Abs(w) {
			t.Fatalf("%s: element %d = %.12g, want %.12g", what, i, g, w)
		}
	}
}

func loadGoldens(t *testing.T) []goldenCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/torch_nn.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("testdata/torch_nn.json: %v", err)
	}
	return file.Cases
}

func TestTorchGoldens(t *testing.T) {
	cases := loadGoldens(t)
	if len(cases) != len(torchModules)+len(torchLosses) {
		t.Errorf("%d golden cases for %d Go cases: regenerate testdata with gen_torch.py", len(cases), len(torchModules)+len(torchLosses))
	}
	for _, gc := range cases {
		t.Run(gc.Name, func(t *testing.T) {
			if gc.Kind == "loss" {
				runLossGolden(t, gc)
			} else {
				runModuleGolden(t, gc)
			}
		})
	}
}

func runLossGolden(t *testing.T, gc goldenCase) {
	f, ok := torchLosses[gc.Name]
	if !ok {
		t.Fatalf("no Go loss named %q", gc.Name)
	}
	x := gc.Inputs[0].tensor().RequiresGrad()
	var y *tensor.Tensor
	if len(gc.InputGrads) == 1 {
		y = gc.Inputs[1].ints()
	} else {
		y = gc.Inputs[1].tensor().RequiresGrad()
	}
	loss := f(x, y)
	near(t, "loss", loss, gc.Output)
	loss.Backward()
	near(t, "gradient of the prediction", x.Grad(), gc.InputGrads[0])
	if len(gc.InputGrads) > 1 {
		near(t, "gradient of the target", y.Grad(), gc.InputGrads[1])
	}
}

func runModuleGolden(t *testing.T, gc goldenCase) {
	mk, ok := torchModules[gc.Name]
	if !ok {
		t.Fatalf("no Go module named %q", gc.Name)
	}
	m := mk()
	m.To(tensor.Float64)
	state := map[string]*tensor.Tensor{}
	for k, v := range gc.State {
		if isIntBuffer(k) {
			state[k] = v.ints()
		} else {
			state[k] = v.tensor()
		}
	}
	if err := m.LoadStateDict(state); err != nil {
		t.Fatal(err)
	}
	if !gc.Train {
		m.Eval()
	}
	var ins []*tensor.Tensor
	for _, in := range gc.Inputs {
		if len(gc.InputGrads) == 0 {
			ins = append(ins, in.ints())
		} else {
			ins = append(ins, in.tensor().RequiresGrad())
		}
	}
	y := m.Forward(ins[0])
	near(t, "output", y, gc.Output)
	y.BackwardWith(gc.Upstream.tensor())
	for i, g := range gc.InputGrads {
		near(t, fmt.Sprintf("gradient of input %d", i), ins[i].Grad(), g)
	}
	named := map[string]*tensor.Tensor{}
	for _, p := range m.NamedParameters() {
		named[p.Name] = p.Tensor
	}
	var names []string
	for k := range gc.ParamGrads {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) != len(named) {
		t.Errorf("%d parameters, PyTorch has %d (%v)", len(named), len(names), names)
	}
	for _, k := range names {
		near(t, "gradient of "+k, named[k].Grad(), gc.ParamGrads[k])
	}
	for _, b := range m.NamedBuffers() {
		want, ok := gc.BuffersAfter[b.Name]
		if !ok {
			t.Errorf("buffer %q unknown to PyTorch", b.Name)
			continue
		}
		near(t, "buffer "+b.Name, b.Tensor, want)
	}
}

func isIntBuffer(name string) bool {
	const s = "num_batches_tracked"
	return len(name) >= len(s) && name[len(name)-len(s):] == s
}
