package nn

import (
	"fmt"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// Module is a layer or a model: a function of a tensor with parameters.
// Every layer of this package embeds Base, which provides all the methods
// but Forward. A model written in a notebook cell is best a Func (the
// interpreter cannot hand a cell's struct type that embeds Base to
// compiled code as a Module); compiled Go can embed Base and register its
// layers with RegisterModule.
type Module interface {
	// Forward computes the module's output for input x.
	Forward(x *tensor.Tensor) *tensor.Tensor
	// Parameters returns the parameters, this module's first, then its
	// children's, in registration order; frozen ones too (Base's
	// TrainableParameters leaves them out).
	Parameters() []*tensor.Tensor
	// NamedParameters returns the parameters with their state-dict names
	// ("0.weight", "0.bias", ...), as PyTorch names them.
	NamedParameters() []Param
	// Train puts the module and its children in training mode (the
	// default): Dropout drops, BatchNorm uses and updates batch statistics.
	Train()
	// Eval puts the module and its children in evaluation mode.
	Eval()
	// Training reports whether the module is in training mode.
	Training() bool
	// ZeroGrad clears the gradients of all parameters.
	ZeroGrad()
	// ModuleBase returns the module's bookkeeping, the Base it embeds, which
	// Save, Load, Prune and Quantize walk. Embedding Base provides it; a
	// notebook's module type (interpreted) reaches nnlib as a wrapper that
	// has only this interface's methods, so nnlib asks for the Base through
	// it rather than by a type assertion.
	ModuleBase() *Base
}

// Param is a named tensor of a module: a parameter or a buffer (BatchNorm's
// running statistics), named as in a PyTorch state dict.
type Param struct {
	Name   string
	Tensor *tensor.Tensor
}

// NamedModule is a child module and its name within its parent.
type NamedModule struct {
	Name   string
	Module Module
}

// slot is a registered tensor: a pointer to the field that holds it, so
// that To and Freeze can replace the tensor the layer uses.
type slot struct {
	name string
	p    **tensor.Tensor
}

// Base is the bookkeeping every module embeds: its parameters, buffers and
// children, registered by name, and its training flag. Its zero value is an
// empty module in training mode.
type Base struct {
	params   []slot
	buffers  []slot
	children []NamedModule
	eval     bool
}

// ModuleBase returns b: see Module.
func (b *Base) ModuleBase() *Base { return b }

// RegisterParameter adds the tensor held in *p as a parameter called name.
// The pointer, not the tensor, is kept: To and Freeze replace *p.
func (b *Base) RegisterParameter(name string, p **tensor.Tensor) {
	b.params = append(b.params, slot{name, p})
}

// RegisterBuffer adds the tensor held in *p as a buffer called name: state
// that is saved and loaded but not trained (running statistics).
func (b *Base) RegisterBuffer(name string, p **tensor.Tensor) {
	b.buffers = append(b.buffers, slot{name, p})
}

// RegisterModule adds m as a child called name; its parameters are named
// "name.weight", ... in its parent's.
func (b *Base) RegisterModule(name string, m Module) {
	b.children = append(b.children, NamedModule{name, m})
}

// Children returns the registered child modules, in order.
func (b *Base) Children() []NamedModule { return append([]NamedModule{}, b.children...) }

// walk calls f for every slot of b and its descendants, with its full
// name; buffers are marked.
func (b *Base) walk(prefix string, f func(name string, s slot, buffer bool)) {
	for _, s := range b.params {
		f(prefix+s.name, s, false)
	}
	for _, s := range b.buffers {
		f(prefix+s.name, s, true)
	}
	for _, c := range b.children {
		c.Module.ModuleBase().walk(prefix+c.Name+".", f)
	}
}

// NamedParameters returns the parameters of b and its children with their
// state-dict names. A tensor shared by two layers (tied weights) is listed
// once, under its first name, as in PyTorch.
func (b *Base) NamedParameters() []Param {
	var ps []Param
	seen := map[*tensor.Tensor]bool{}
	b.walk("", func(name string, s slot, buffer bool) {
		if !buffer && !seen[*s.p] {
			seen[*s.p] = true
			ps = append(ps, Param{name, *s.p})
		}
	})
	return ps
}

// Parameters returns the parameters of b and its children.
func (b *Base) Parameters() []*tensor.Tensor {
	var ps []*tensor.Tensor
	for _, p := range b.NamedParameters() {
		ps = append(ps, p.Tensor)
	}
	return ps
}

// NamedBuffers returns the buffers of b and its children with their
// state-dict names.
func (b *Base) NamedBuffers() []Param {
	var ps []Param
	b.walk("", func(name string, s slot, buffer bool) {
		if buffer {
			ps = append(ps, Param{name, *s.p})
		}
	})
	return ps
}

// StateDict returns every parameter and buffer with its name, in the order
// of PyTorch's state_dict: each module's parameters, then its buffers, then
// its children's.
func (b *Base) StateDict() []Param {
	var ps []Param
	b.walk("", func(name string, s slot, _ bool) { ps = append(ps, Param{name, *s.p}) })
	return ps
}

// NumParameters returns the number of parameter elements.
func (b *Base) NumParameters() int {
	n := 0
	for _, p := range b.Parameters() {
		n += p.Numel()
	}
	return n
}

// Train puts b and its children in training mode.
func (b *Base) Train() { b.setTraining(true) }

// Eval puts b and its children in evaluation mode.
func (b *Base) Eval() { b.setTraining(false) }

func (b *Base) setTraining(on bool) {
	b.eval = !on
	for _, c := range b.children {
		if on {
			c.Module.Train()
		} else {
			c.Module.Eval()
		}
	}
}

// TrainableParameters returns the parameters that require gradients (all
// but the frozen ones): what an optimizer for fine-tuning takes.
func (b *Base) TrainableParameters() []*tensor.Tensor {
	var ps []*tensor.Tensor
	for _, p := range b.Parameters() {
		if p.NeedsGrad() {
			ps = append(ps, p)
		}
	}
	return ps
}

// Freeze stops gradients to the parameters of b and its children, for
// fine-tuning the rest of a model. Each parameter is replaced by a view
// of its data that does not require a gradient, so freeze before making
// the optimizer (or give it TrainableParameters).
func (b *Base) Freeze() {
	b.replace(true, func(t *tensor.Tensor) *tensor.Tensor {
		if t.NeedsGrad() {
			return t.Detach()
		}
		return t
	})
}

// Unfreeze makes the parameters of b and its children require gradients
// again. Frozen parameters become new tensors (views of the same data):
// make the optimizer after unfreezing.
func (b *Base) Unfreeze() {
	b.replace(true, func(t *tensor.Tensor) *tensor.Tensor {
		if !t.NeedsGrad() && t.DType() != tensor.Int {
			return t.Detach().RequiresGrad()
		}
		return t
	})
}

// replace sets every registered tensor (parameters only, if paramsOnly)
// to f of it, calling f once per tensor, so that tied weights stay tied.
func (b *Base) replace(paramsOnly bool, f func(*tensor.Tensor) *tensor.Tensor) {
	done := map[*tensor.Tensor]*tensor.Tensor{}
	b.walk("", func(_ string, s slot, buffer bool) {
		if buffer && paramsOnly {
			return
		}
		t := *s.p
		u, ok := done[t]
		if !ok {
			u = f(t)
			done[t] = u
		}
		*s.p = u
	})
}

// Training reports whether b is in training mode.
func (b *Base) Training() bool { return !b.eval }

// ZeroGrad clears the gradients of b's parameters and its children's.
func (b *Base) ZeroGrad() {
	for _, p := range b.Parameters() {
		p.ZeroGrad()
	}
}

// To converts every floating-point parameter and buffer of b and its
// children to dtype dt (Float64 for gradient checks), keeping which
// parameters require gradients. Optimizers made before hold the old
// tensors: convert first.
func (b *Base) To(dt tensor.DType) {
	b.replace(false, func(t *tensor.Tensor) *tensor.Tensor {
		if t.DType() == tensor.Int || t.DType() == dt {
			return t
		}
		u := t.Detach().To(dt)
		if t.NeedsGrad() {
			u.RequiresGrad()
		}
		return u
	})
}

// newParam makes a trainable Float32 tensor of zeros.
func newParam(shape ...int) *tensor.Tensor { return tensor.Zeros(shape...).RequiresGrad() }

// SequentialLayer runs its layers one after the other. Its parameters are
// named by position, "0.weight", "0.bias", "2.weight", as in PyTorch.
type SequentialLayer struct {
	Base
	Layers []Module
}

// Sequential returns a module that feeds its input through layers in order:
//
//	model := nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
func Sequential(layers ...Module) *SequentialLayer {
	s := &SequentialLayer{}
	for _, l := range layers {
		s.Append(l)
	}
	return s
}

// Append adds a layer at the end and returns s.
func (s *SequentialLayer) Append(m Module) *SequentialLayer {
	s.RegisterModule(fmt.Sprint(len(s.Layers)), m)
	s.Layers = append(s.Layers, m)
	return s
}

// Set replaces layer i (a LoRA adapter for a Linear, a quantised Linear)
// and returns s; the new layer takes the old one's name.
func (s *SequentialLayer) Set(i int, m Module) *SequentialLayer {
	if i < 0 || i >= len(s.Layers) {
		fail(tensor.ErrIndex, "sequential", "layer %d of %d", i, len(s.Layers))
	}
	s.Layers[i] = m
	s.children[i].Module = m
	return s
}

// Forward feeds x through the layers. A ReLU followed by a max pooling
// runs in the other order, pooling first: ReLU is monotonic, so the values
// and the gradients are the same, and the ReLU sees a quarter of the
// elements after 2x2 pooling.
func (s *SequentialLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	for i := 0; i < len(s.Layers); i++ {
		l := s.Layers[i]
		if a, ok := l.(*ActivationLayer); ok && a.isReLU && i+1 < len(s.Layers) {
			if p, ok := s.Layers[i+1].(*PoolLayer); ok && p.Max {
				x = a.Forward(p.Forward(x))
				i++
				continue
			}
		}
		x = l.Forward(x)
	}
	return x
}

// String lists the layers, as PyTorch prints a Sequential.
func (s *SequentialLayer) String() string {
	var sb strings.Builder
	sb.WriteString("Sequential(\n")
	for i, l := range s.Layers {
		fmt.Fprintf(&sb, "  (%d): %s\n", i, indent(describe(l)))
	}
	sb.WriteString(")")
	return sb.String()
}

// indent indents the lines after the first of a nested description.
func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n  ") }

// describe names a module: its String method, or its Go type (a type
// defined in a notebook cell reaches compiled code wrapped, and is called
// "Module").
func describe(m Module) string {
	if s, ok := m.(fmt.Stringer); ok {
		return s.String()
	}
	name := fmt.Sprintf("%T", m)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if strings.HasPrefix(name, "_") {
		return "Module"
	}
	return name
}

// ActivationLayer applies an elementwise (or per-row) function with no
// parameters: ReLU, Tanh, Softmax, ...
type ActivationLayer struct {
	Base
	name   string
	f      func(x *tensor.Tensor) *tensor.Tensor
	isReLU bool // commutes with max pooling
}

// Forward applies the activation.
func (a *ActivationLayer) Forward(x *tensor.Tensor) *tensor.Tensor { return a.f(x) }

// String returns the activation's PyTorch name, e.g. "ReLU()".
func (a *ActivationLayer) String() string { return a.name }

func activation(name string, f func(x *tensor.Tensor) *tensor.Tensor) *ActivationLayer {
	return &ActivationLayer{name: name, f: f}
}

// ReLU returns a module computing max(x, 0).
func ReLU() *ActivationLayer {
	a := activation("ReLU()", relu)
	a.isReLU = true
	return a
}

// LeakyReLU returns a module computing x where x > 0, slope*x elsewhere
// (PyTorch's default slope is 0.01).
func LeakyReLU(slope float64) *ActivationLayer {
	return activation(fmt.Sprintf("LeakyReLU(negative_slope=%g)", slope), func(x *tensor.Tensor) *tensor.Tensor { return x.LeakyReLU(slope) })
}

// Sigmoid returns a module computing 1/(1+e**-x).
func Sigmoid() *ActivationLayer { return activation("Sigmoid()", (*tensor.Tensor).Sigmoid) }

// Tanh returns a module computing tanh(x).
func Tanh() *ActivationLayer { return activation("Tanh()", (*tensor.Tensor).Tanh) }

// GELU returns a module computing x*Phi(x) (the exact form).
func GELU() *ActivationLayer { return activation("GELU(approximate='none')", (*tensor.Tensor).GELU) }

// SiLU returns a module computing x*sigmoid(x).
func SiLU() *ActivationLayer { return activation("SiLU()", (*tensor.Tensor).SiLU) }

// Identity returns a module that returns its input.
func Identity() *ActivationLayer {
	return activation("Identity()", func(x *tensor.Tensor) *tensor.Tensor { return x })
}

// Softmax returns a module computing the softmax along dim.
func Softmax(dim int) *ActivationLayer {
	return activation(fmt.Sprintf("Softmax(dim=%d)", dim), func(x *tensor.Tensor) *tensor.Tensor { return x.Softmax(dim) })
}

// LogSoftmax returns a module computing the log of the softmax along dim.
func LogSoftmax(dim int) *ActivationLayer {
	return activation(fmt.Sprintf("LogSoftmax(dim=%d)", dim), func(x *tensor.Tensor) *tensor.Tensor { return x.LogSoftmax(dim) })
}

// Flatten returns a module that flattens all dimensions but the first (the
// batch): (N, C, H, W) becomes (N, C*H*W), as PyTorch's nn.Flatten().
func Flatten() *ActivationLayer {
	return activation("Flatten(start_dim=1, end_dim=-1)", func(x *tensor.Tensor) *tensor.Tensor {
		if x.Dim() < 1 {
			fail(tensor.ErrShape, "flatten", "input %s has no batch dimension", shapeStr(x.Shape()))
		}
		return x.Reshape(x.Size(0), -1)
	})
}

// DropoutLayer zeroes each element with probability P while training and
// scales the others by 1/(1-P); in evaluation mode it passes x through.
type DropoutLayer struct {
	Base
	P float64
}

// Dropout returns a dropout module with drop probability p (0 <= p <= 1).
// It draws from tensor's default generator, so tensor.Seed repeats it.
func Dropout(p float64) *DropoutLayer {
	if p < 0 || p > 1 {
		fail(tensor.ErrShape, "dropout", "probability %g is not in [0, 1]", p)
	}
	return &DropoutLayer{P: p}
}

// Forward drops elements of x in training mode.
func (d *DropoutLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	if !d.Training() || d.P == 0 {
		return x
	}
	checkFloat("dropout", x)
	if d.P == 1 {
		return x.Mul(0)
	}
	mask := tensor.Rand(x.Shape()...).Ge(d.P).Mul(1 / (1 - d.P)).To(x.DType())
	return x.Mul(mask)
}

// String returns "Dropout(p=0.5)".
func (d *DropoutLayer) String() string { return fmt.Sprintf("Dropout(p=%g)", d.P) }
