package tensor

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"
)

// The goldens in testdata/torch_ops.json are PyTorch 1.13's outputs and
// gradients for the cases of gradcheck_test.go, written by
// testdata/gen_torch.py (run it with /usr/bin/python3 to refresh them).

type goldenTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

type goldenCase struct {
	Name     string         `json:"name"`
	Inputs   []goldenTensor `json:"inputs"`
	Output   goldenTensor   `json:"output"`
	Upstream goldenTensor   `json:"upstream"`
	Grads    []goldenTensor `json:"grads"`
}

func (g goldenTensor) tensor() *Tensor { return FromSlice(g.Data).Reshape(g.Shape...) }

// closeTo reports whether got matches want to a relative and absolute
// tolerance of 1e-9 (both sides compute in float64).
func closeTo(t *testing.T, what string, got *Tensor, want goldenTensor) {
	t.Helper()
	if !slices.Equal(got.shape, want.Shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.shape, want.Shape)
	}
	for i, g := range got.Float64s() {
		w := want.Data[i]
		if math.Abs(g-w) > 1e-9+1e-9*math.Abs(w) {
			t.Fatalf("%s: element %d = %.12g, want %.12g", what, i, g, w)
		}
	}
}

func TestTorchGoldens(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_ops.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Torch string       `json:"torch"`
		Cases []goldenCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatalf("testdata/torch_ops.json: %v", err)
	}
	ops := map[string]gradCase{}
	for _, g := range [][]gradCase{unaryCases(), binaryCases(), reduceCases(), matmulCases(), movementCases(), compositeCases()} {
		for _, c := range g {
			ops[c.name] = c
		}
	}
	if len(file.Cases) != len(ops) {
		t.Errorf("%d golden cases for %d Go cases: regenerate testdata with gen_torch.py", len(file.Cases), len(ops))
	}
	for _, gc := range file.Cases {
		t.Run(gc.Name, func(t *testing.T) {
			c, ok := ops[gc.Name]
			if !ok {
				t.Fatalf("no Go case named %q", gc.Name)
			}
			ins := make([]*Tensor, len(gc.Inputs))
			for i, in := range gc.Inputs {
				ins[i] = in.tensor().RequiresGrad()
			}
			y := c.f(ins)
			closeTo(t, "output", y, gc.Output)
			y.BackwardWith(gc.Upstream.tensor())
			for i, g := range gc.Grads {
				if ins[i].Grad() == nil {
					t.Fatalf("input %d: no gradient", i)
				}
				closeTo(t, "gradient of input "+string(rune('0'+i)), ins[i].Grad(), g)
			}
		})
	}
}
