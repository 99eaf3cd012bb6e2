package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// sgdStep runs one step of plain SGD on params for an MSE loss of m.
func sgdStep(m Module, params []*tensor.Tensor, x, y *tensor.Tensor) {
	m.ZeroGrad()
	MSE(m.Forward(x), y).Backward()
	for _, p := range params {
		if p.Grad() != nil {
			p.AddScaledInPlace(-0.1, p.Grad())
		}
	}
}

func TestFreeze(t *testing.T) {
	tensor.Seed(8)
	body, head := Linear(4, 5), Linear(5, 2)
	m := Sequential(body, ReLU(), head)
	m.Freeze()
	head.Unfreeze()
	if n := len(m.TrainableParameters()); n != 2 {
		t.Fatalf("%d trainable parameters, want 2", n)
	}
	s := Summary(m, 1, 4)
	if s.Trainable != 12 || s.Total != 37 {
		t.Errorf("summary counts %d of %d trainable", s.Trainable, s.Total)
	}
	before := body.Weight.Float64s()
	headBefore := head.Weight.Float64s()
	sgdStep(m, m.Parameters(), tensor.Randn(8, 4), tensor.Randn(8, 2))
	if !slices.Equal(before, body.Weight.Float64s()) || body.Weight.Grad() != nil {
		t.Error("a frozen layer changed or got a gradient")
	}
	if slices.Equal(headBefore, head.Weight.Float64s()) {
		t.Error("the unfrozen head did not train")
	}
	m.Unfreeze()
	if len(m.TrainableParameters()) != 4 {
		t.Error("Unfreeze")
	}
}

func TestLoRA(t *testing.T) {
	tensor.Seed(9)
	l := Linear(6, 4)
	x := tensor.Randn(3, 6)
	want := l.Forward(x).Float64s()
	a := LoRA(l, 2, 8)
	if got := a.Forward(x).Float64s(); !slices.Equal(got, want) {
		t.Error("a new adapter changed the output")
	}
	if l.Weight.NeedsGrad() || len(a.TrainableParameters()) != 2 {
		t.Error("LoRA must freeze the layer and train A and B")
	}
	var names []string
	for _, p := range Sequential(a).StateDict() {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "0.weight 0.bias 0.lora_A.weight 0.lora_B.weight" {
		t.Errorf("names %q", got)
	}
	Normal(a.B, 0, 0.5)
	a.To(tensor.Float64)
	gradCheck(t, a, in64(3, 3, 6))
	merged := a.Merge()
	x64 := x.Double()
	got, wantM := merged.Forward(x64).Float64s(), a.Forward(x64).Float64s()
	for i := range got {
		if math.Abs(got[i]-wantM[i]) > 1e-12 {
			t.Fatalf("merged %g, adapter %g", got[i], wantM[i])
		}
	}
	mustPanic(t, tensor.ErrShape, func() { LoRA(Linear(6, 4), 5, 1) })
}

func TestLoRAInSequential(t *testing.T) {
	tensor.Seed(10)
	m := Sequential(Linear(4, 8), ReLU(), Linear(8, 2))
	m.Set(2, LoRA(m.Layers[2].(*LinearLayer), 2, 4))
	m.Layers[0].(*LinearLayer).Freeze()
	params := m.TrainableParameters()
	if len(params) != 2 {
		t.Fatalf("%d trainable", len(params))
	}
	x, y := tensor.Randn(16, 4), tensor.Randn(16, 2)
	first := MSE(m.Forward(x), y).Item()
	for i := 0; i < 50; i++ {
		sgdStep(m, params, x, y)
	}
	if last := MSE(m.Forward(x), y).Item(); last >= first {
		t.Errorf("loss %g -> %g: the adapter did not learn", first, last)
	}
	mustPanic(t, tensor.ErrIndex, func() { m.Set(3, ReLU()) })
}

func TestPrune(t *testing.T) {
	tensor.Seed(11)
	m := Sequential(Linear(10, 20), ReLU(), Sequential(Linear(20, 5)), Identity())
	if got := Prune(m, 0.3); math.Abs(got-0.3) > 1e-9 {
		t.Errorf("pruned %g", got)
	}
	for _, l := range []*LinearLayer{m.Layers[0].(*LinearLayer), m.Layers[2].(*SequentialLayer).Layers[0].(*LinearLayer)} {
		z := 0
		for _, v := range l.Weight.Float64s() {
			if v == 0 {
				z++
			}
		}
		if z != int(math.Round(0.3*float64(l.Weight.Numel()))) {
			t.Errorf("%v: %d zeros of %d", l, z, l.Weight.Numel())
		}
	}
	if s := Sparsity(m); math.Abs(s-0.3) > 1e-9 {
		t.Errorf("sparsity %g", s)
	}
	// Training keeps pruned weights at zero.
	sgdStep(m, m.Parameters(), tensor.Randn(4, 10), tensor.Randn(4, 5))
	if s := Sparsity(m); math.Abs(s-0.3) > 1e-9 {
		t.Errorf("sparsity %g after a training step", s)
	}
	mustPanic(t, tensor.ErrShape, func() { Prune(m, 2) })
	mustPanic(t, tensor.ErrEmpty, func() { Prune(Sequential(ReLU()), 0.5) })
}

func TestPruneConv(t *testing.T) {
	c := Conv2d(2, 4, 3)
	m := Sequential(c, ReLU())
	Prune(m, 0.5)
	if s := Sparsity(m); s != 0.5 || c.Mask == nil {
		t.Errorf("sparsity %g", s)
	}
	m.Forward(tensor.Randn(1, 2, 5, 5)).Sum().Backward()
	g, mask := c.Weight.Grad().Float64s(), c.Mask.Float64s()
	for i := range g {
		if mask[i] == 0 && g[i] != 0 {
			t.Fatal("a pruned weight got a gradient")
		}
	}
}

func TestPruneGlobal(t *testing.T) {
	small, big := Linear(10, 10), Linear(10, 10)
	Constant(small.Weight, 0.01)
	Uniform(big.Weight, 1, 2)
	m := Sequential(small, big)
	PruneGlobal(m, 0.5)
	if s := Sparsity(Sequential(small)); s != 1 {
		t.Errorf("the small layer is %g sparse, want 1", s)
	}
	if s := Sparsity(Sequential(big)); s != 0 {
		t.Errorf("the big layer is %g sparse, want 0", s)
	}
}

func TestQuantize(t *testing.T) {
	tensor.Seed(12)
	m := Sequential(Linear(64, 32), ReLU(), Sequential(Linear(32, 10)))
	x := tensor.Randn(20, 64)
	want := m.Forward(x).Float64s()
	if n := Quantize(m); n != 2 {
		t.Fatalf("quantised %d layers", n)
	}
	q := m.Layers[0].(*QuantLinearLayer)
	if q.SizeBytes() != 64*32+4*32+4*32 {
		t.Errorf("size %d", q.SizeBytes())
	}
	got := m.Forward(x).Float64s()
	var num, den float64
	for i := range got {
		num += (got[i] - want[i]) * (got[i] - want[i])
		den += want[i] * want[i]
	}
	if rel := math.Sqrt(num / den); rel > 0.02 || rel == 0 {
		t.Errorf("relative error %g of the int8 model", rel)
	}
	if !strings.HasPrefix(describe(q), "QuantLinear(in_features=64") {
		t.Error(describe(q))
	}
	mustPanic(t, tensor.ErrShape, func() { q.Forward(tensor.Zeros(2, 63)) })
	err := Save(m, filepath.Join(t.TempDir(), "q.safetensors"))
	if err == nil || !strings.Contains(err.Error(), `layer "0" is quantised`) {
		t.Errorf("saving a quantised model: %v", err)
	}
	if err := Save(q, filepath.Join(t.TempDir(), "q.safetensors")); err == nil {
		t.Error("saving a quantised layer: no error")
	}
}

func TestQuantizeLinearExact(t *testing.T) {
	// Weights and inputs on the int8 grid are reproduced exactly.
	l := Linear(3, 2)
	l.Weight.Detach().Assign(tensor.FromSlice([][]float32{{127, -64, 1}, {2, 0, -127}}))
	l.Bias.Detach().Assign(tensor.FromSlice([]float32{0.5, -1}))
	q := QuantizeLinear(l)
	x := tensor.FromSlice([][]float32{{1, -127, 3}})
	got, want := q.Forward(x).Float64s(), l.Forward(x).Float64s()
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-3 {
			t.Errorf("output %v, want %v", got, want)
		}
	}
}

// TestPruneTorch compares the masks with torch.nn.utils.prune's
// l1_unstructured (per layer) and global_unstructured.
func TestPruneTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_nn.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Pruning []struct {
			Amount float64           `json:"amount"`
			Global bool              `json:"global"`
			State  map[string]golden `json:"state"`
			Masks  map[string]golden `json:"masks"`
		} `json:"pruning"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if len(file.Pruning) == 0 {
		t.Fatal("no pruning cases: regenerate testdata with gen_torch.py")
	}
	for _, c := range file.Pruning {
		m := Sequential(Linear(5, 6), ReLU(), Linear(6, 4))
		state := map[string]*tensor.Tensor{}
		for k, v := range c.State {
			state[k] = v.tensor()
		}
		if err := m.LoadStateDict(state); err != nil {
			t.Fatal(err)
		}
		if c.Global {
			PruneGlobal(m, c.Amount)
		} else {
			Prune(m, c.Amount)
		}
		for i, name := range []string{"0.weight", "2.weight"} {
			l := m.Layers[2*i].(*LinearLayer)
			near(t, fmt.Sprintf("amount %g global %v: mask of %s", c.Amount, c.Global, name), l.Mask, c.Masks[name])
		}
	}
}
