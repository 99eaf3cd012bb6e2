package nn

import (
	"fmt"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// FuncLayer is a module whose Forward is a Go function over layers
// registered by name: a model of one's own, written in a notebook cell,
// without defining a type.
//
//	fc1, fc2 := nn.Linear(784, 128), nn.Linear(128, 10)
//	net := nn.Func("Net", func(x *tensor.Tensor) *tensor.Tensor {
//		return fc2.Forward(fc1.Forward(x).ReLU())
//	}).With("fc1", fc1).With("fc2", fc2)
//
// Its parameters are its layers', named "fc1.weight", ...; Train, Eval,
// Save and Load reach them. (A struct type in a cell that embeds Base
// works in the cell, but the interpreter cannot hand it to compiled code
// such as Save or Summary as a Module.)
type FuncLayer struct {
	Base
	Name string
	f    func(x *tensor.Tensor) *tensor.Tensor
}

// Func returns a module called name computing forward.
func Func(name string, forward func(x *tensor.Tensor) *tensor.Tensor) *FuncLayer {
	if forward == nil {
		fail(tensor.ErrEmpty, "func", "%s: nil forward function", name)
	}
	return &FuncLayer{Name: name, f: forward}
}

// With registers layer m under name and returns f.
func (f *FuncLayer) With(name string, m Module) *FuncLayer {
	f.RegisterModule(name, m)
	return f
}

// Forward calls the function.
func (f *FuncLayer) Forward(x *tensor.Tensor) *tensor.Tensor { return f.f(x) }

// String lists the registered layers, as PyTorch prints a module.
func (f *FuncLayer) String() string {
	s := f.Name + "("
	if len(f.children) == 0 {
		return s + ")"
	}
	s += "\n"
	for _, c := range f.children {
		s += fmt.Sprintf("  (%s): %s\n", c.Name, indent(describe(c.Module)))
	}
	return s + ")"
}
