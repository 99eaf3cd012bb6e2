package interp

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestNotebookModules runs, cell by cell, what a PyTorch user writes first:
// a model type of their own that embeds nn.Base, used wherever nnlib takes
// an nn.Module. yaegi's type check and interface wrappers missed the
// pointer methods of an embedded compiled struct, and wrapped variadic
// arguments for the slice type; third_party/yaegi fixes both.
func TestNotebookModules(t *testing.T) {
	s := newSession(t, Options{})
	path := filepath.Join(t.TempDir(), "mlp.safetensors")
	for _, c := range []struct {
		code string
		want string // the value's text/plain, or a substring of the error with err
		err  bool
	}{
		{code: `type MLP struct {
	nn.Base
	Hidden, Out *nn.LinearLayer
}

func NewMLP(in, hidden, out int) *MLP {
	m := &MLP{Hidden: nn.Linear(in, hidden), Out: nn.Linear(hidden, out)}
	m.RegisterModule("hidden", m.Hidden)
	m.RegisterModule("out", m.Out)
	return m
}

func (m *MLP) Forward(x *tensor.Tensor) *tensor.Tensor {
	return m.Out.Forward(m.Hidden.Forward(x).ReLU())
}`},
		{code: "tensor.Seed(1)\nm := NewMLP(4, 8, 2)\nlen(m.Parameters())", want: "4"},
		{code: "var model nn.Module = m\nmodel.Forward(tensor.Randn(3, 4)).Shape()", want: "[3 2]"},
		{code: "func count(x nn.Module) int { return len(x.NamedParameters()) }\ncount(m)", want: "4"},
		{code: "m.NamedParameters()[2].Name", want: `"out.weight"`},
		{code: "strings.Contains(nn.Summary(m, 3, 4).String(), \"Total params: 58\")", want: "true"},
		{code: "seq := nn.Sequential(nn.Linear(4, 4), nn.ReLU(), m)\nseq.Forward(tensor.Randn(5, 4)).Shape()", want: "[5 2]"},
		{code: "len(seq.Parameters())", want: "6"},
		{code: "m.Eval()\nmodel.Training()", want: "false"},
		{code: "model.Train()\nm.Training()", want: "true"},
		// A training loop over the module: the loss goes down.
		{code: `x := tensor.Randn(64, 4)
y := x.Sum(1).Gt(0).To(tensor.Int)
opt := optim.Adam(m.Parameters(), 0.05)
var first, last float64
for step := 0; step < 60; step++ {
	opt.ZeroGrad()
	loss := nn.CrossEntropy(m.Forward(x), y)
	loss.Backward()
	opt.Step()
	if step == 0 {
		first = loss.Item()
	}
	last = loss.Item()
}
last < first/2`, want: "true"},
		{code: "nn.Save(m, " + quote(path) + ")"},
		{code: "m2 := NewMLP(4, 8, 2)\nnn.Load(m2, " + quote(path) + ")\nm2.Forward(x).Sub(m.Forward(x)).Abs().Max().Item()", want: "0"},
		// Redefining the type (another cell run again) makes new values of
		// the new type; the old ones keep working.
		{code: `type MLP struct {
	nn.Base
	Hidden, Out *nn.LinearLayer
	Drop        *nn.DropoutLayer
}

func NewMLP(in, hidden, out int) *MLP {
	m := &MLP{Hidden: nn.Linear(in, hidden), Out: nn.Linear(hidden, out), Drop: nn.Dropout(0.5)}
	m.RegisterModule("hidden", m.Hidden)
	m.RegisterModule("drop", m.Drop)
	m.RegisterModule("out", m.Out)
	return m
}

func (m *MLP) Forward(x *tensor.Tensor) *tensor.Tensor {
	return m.Out.Forward(m.Drop.Forward(m.Hidden.Forward(x).ReLU()))
}`},
		{code: "m3 := NewMLP(4, 8, 2)\nm3.Eval()\nnn.Sequential(m3).Forward(x).Shape()", want: "[64 2]"},
		{code: "m.Forward(x).Shape()", want: "[64 2]"},
		// Only the pointer has the pointer methods, as in Go.
		{code: "var bad nn.Module = MLP{}", want: "nn.Module", err: true},
		// Variadic compiled functions of other interfaces take interpreted
		// values too.
		{code: "type oops struct{ what string }\nfunc (e *oops) Error() string { return \"oops: \" + e.what }\nerrors.Join(&oops{\"a\"}, &oops{\"b\"}).Error()", want: "\"oops: a\\noops: b\""},
	} {
		if c.err {
			e, _ := runErr(t, s, c.code)
			if !strings.Contains(e.Value, c.want) {
				t.Errorf("%s\n: error %s: %s, want one mentioning %q", c.code, e.Name, e.Value, c.want)
			}
			continue
		}
		b, _ := run(t, s, c.code)
		if c.want == "" {
			continue
		}
		if got := plain(t, b); got != c.want {
			t.Errorf("%s\n= %s, want %s", c.code, got, c.want)
		}
	}
}

func quote(s string) string { return "\"" + strings.ReplaceAll(s, `\`, `\\`) + "\"" }
