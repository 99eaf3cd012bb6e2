package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

var update = flag.Bool("update", false, "rewrite testdata/gonn_model.safetensors (then run testdata/gen_torch.py)")

// stModel is the model of gen_torch.py's safetensors checks.
func stModel() *SequentialLayer {
	return Sequential(Conv2d(1, 2, 3, 1, 1), BatchNorm2d(2), ReLU(), MaxPool2d(2), Flatten(), Linear(18, 4))
}

// stInput is sin(0.37 i) in shape (2, 1, 6, 6), as in gen_torch.py.
func stInput() *tensor.Tensor {
	vs := make([]float32, 72)
	for i := range vs {
		vs[i] = float32(math.Sin(0.37 * float64(i)))
	}
	return tensor.FromSlice(vs, 2, 1, 6, 6)
}

type stGoldens struct {
	Input         golden            `json:"input"`
	GonnByTorch   golden            `json:"gonn_file_torch_output"`
	GonnMetadata  map[string]string `json:"gonn_file_metadata"`
	TorchFileWant golden            `json:"torch_file_output"`
}

func loadSTGoldens(t *testing.T) stGoldens {
	raw, err := os.ReadFile("testdata/torch_nn.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Safetensors stGoldens `json:"safetensors"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	return file.Safetensors
}

// nearF32 compares float32 results to 1e-5.
func nearF32(t *testing.T, what string, got *tensor.Tensor, want golden) {
	t.Helper()
	if !slices.Equal(got.Shape(), want.Shape) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape(), want.Shape)
	}
	for i, g := range got.Float64s() {
		if w := want.Data[i]; math.Abs(g-w) > 1e-5+1e-5*math.Abs(w) {
			t.Fatalf("%s: element %d = %.8g, want %.8g", what, i, g, w)
		}
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	tensor.Seed(3)
	m := stModel()
	m.Forward(tensor.Randn(4, 1, 6, 6)) // running statistics away from their start
	path := filepath.Join(t.TempDir(), "m.safetensors")
	if err := Save(m, path); err != nil {
		t.Fatal(err)
	}
	m2 := stModel()
	if err := Load(m2, path); err != nil {
		t.Fatal(err)
	}
	a, b := m.StateDict(), m2.StateDict()
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Tensor.DType() != b[i].Tensor.DType() {
			t.Fatalf("%s %v loaded as %s %v", a[i].Name, a[i].Tensor.DType(), b[i].Name, b[i].Tensor.DType())
		}
		if !slices.Equal(a[i].Tensor.Float64s(), b[i].Tensor.Float64s()) {
			t.Errorf("%s differs after loading", a[i].Name)
		}
	}
	if b[len(b)-3].Tensor.Item() != 1 { // 1.num_batches_tracked, then 5.weight, 5.bias
		t.Errorf("num_batches_tracked %v", b[len(b)-3])
	}
	// The loaded values are copied into the model's tensors, which stay.
	w := m2.Layers[0].(*Conv2dLayer).Weight
	if err := Load(m2, path); err != nil || m2.Layers[0].(*Conv2dLayer).Weight != w {
		t.Errorf("Load replaced the parameter tensor (err %v)", err)
	}
}

// TestSafetensorsTorchReadsGonn checks that PyTorch, reading the file gonn
// wrote, computes what gonn computes with it.
func TestSafetensorsTorchReadsGonn(t *testing.T) {
	path := "testdata/gonn_model.safetensors"
	if *update {
		tensor.Seed(11)
		m := stModel()
		m.Forward(tensor.Randn(4, 1, 6, 6))
		m.Forward(tensor.Randn(4, 1, 6, 6))
		if err := Save(m, path); err != nil {
			t.Fatal(err)
		}
		t.Log("wrote", path, "; now run testdata/gen_torch.py")
	}
	g := loadSTGoldens(t)
	if g.GonnByTorch.Shape == nil {
		t.Fatal("torch_nn.json has no output for gonn_model.safetensors: run gen_torch.py")
	}
	m := stModel()
	if err := Load(m, path); err != nil {
		t.Fatal(err)
	}
	m.Eval()
	nearF32(t, "output", m.Forward(g.Input.tensor().Float()), g.GonnByTorch)
	if g.GonnMetadata["format"] != "pt" {
		t.Errorf("metadata %v", g.GonnMetadata)
	}
}

// TestSafetensorsGonnReadsTorch loads the file PyTorch wrote and computes
// PyTorch's output.
func TestSafetensorsGonnReadsTorch(t *testing.T) {
	g := loadSTGoldens(t)
	m := stModel()
	if err := Load(m, "testdata/torch_model.safetensors"); err != nil {
		t.Fatal(err)
	}
	if got := m.Layers[1].(*BatchNormLayer).Batches.Item(); got != 3 {
		t.Errorf("num_batches_tracked %v, want 3", got)
	}
	m.Eval()
	x := stInput()
	nearF32(t, "input", x, g.Input)
	nearF32(t, "output", m.Forward(x), g.TorchFileWant)
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.safetensors")
	if err := Save(Sequential(Linear(4, 3), ReLU(), Linear(3, 2)), path); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		m    Module
		want []string
	}{
		{Sequential(Linear(4, 3), ReLU(), Linear(3, 5)), []string{`"2.weight" has shape (2x3) in the state, (5x3) in the model`, `"2.bias"`}},
		{Sequential(Linear(4, 3), ReLU(), Linear(3, 2), ReLU(), Linear(2, 2)), []string{`missing "4.weight" (2x2)`, `missing "4.bias"`}},
		{Sequential(Linear(4, 3)), []string{`unexpected "2.weight" (2x3)`}},
		{Sequential(Linear(4, 3), ReLU(), LinearNoBias(3, 2)), []string{`unexpected "2.bias" (2)`}},
	}
	for _, c := range cases {
		before := c.m.Parameters()[0].Float64s()
		err := Load(c.m, path)
		if err == nil {
			t.Errorf("%v: no error", c.m)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q lacks %q", err, w)
			}
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name the file", err)
		}
		if !slices.Equal(before, c.m.Parameters()[0].Float64s()) {
			t.Error("a failed Load changed the model")
		}
	}
	if err := Load(Linear(1, 1), filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	raw, _ := os.ReadFile(path)
	bad := []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", raw[:len(raw)-4], "data_offsets"},
		{"short", raw[:5], "header length"},
		{"huge header", append([]byte{0, 0, 0, 0, 0, 0, 0, 1}, raw[8:]...), "not a safetensors file"},
		{"bad dtype", bytes.Replace(raw, []byte(`"F32"`), []byte(`"U8" `), 1), `dtype "U8"`},
	}
	for _, b := range bad {
		_, _, err := ReadSafetensors(bytes.NewReader(b.data))
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: error %v, want one containing %q", b.name, err, b.want)
		}
	}
}

func TestSafetensorsHeader(t *testing.T) {
	var buf bytes.Buffer
	x := tensor.FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	n := tensor.FromSlice([]int{7}).Reshape()
	if err := WriteSafetensors(&buf, []Param{{"x", x}, {"n", n}}, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	hl := binary.LittleEndian.Uint64(b)
	if hl%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", hl)
	}
	var h map[string]any
	if err := json.Unmarshal(b[8:8+hl], &h); err != nil {
		t.Fatal(err)
	}
	want := `map[__metadata__:map[k:v] n:map[data_offsets:[48 56] dtype:I64 shape:[]] x:map[data_offsets:[0 48] dtype:F64 shape:[2 3]]]`
	if got := fmt.Sprint(h); got != want {
		t.Errorf("header %s\nwant   %s", got, want)
	}
	if len(b) != 8+int(hl)+56 {
		t.Errorf("%d bytes", len(b))
	}
	ts, meta, err := ReadSafetensors(bytes.NewReader(b))
	if err != nil || meta["k"] != "v" || ts["n"].Item() != 7 || ts["n"].Dim() != 0 || ts["x"].At(1, 2) != 6 || ts["x"].DType() != tensor.Float64 {
		t.Errorf("read back %v %v %v", ts, meta, err)
	}
}
