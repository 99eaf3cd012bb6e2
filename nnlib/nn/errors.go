package nn

import (
	"fmt"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// Error is the value layers and losses panic with on bad input: a shape
// that does not fit, a wrong dtype, a label out of range, a loss that is
// NaN or infinite. Its message names the op and the shapes, e.g.
// "nn: linear: input (64x100) for weight (10x784): last dimension must be 784".
type Error struct {
	Op   string // the layer or loss: "linear", "cross_entropy", ...
	Msg  string // what went wrong, shapes included
	Kind error  // one of tensor.ErrShape, ErrDType, ErrIndex, ErrEmpty, ErrNaN
}

// Error returns "nn: op: message".
func (e *Error) Error() string { return "nn: " + e.Op + ": " + e.Msg }

// Unwrap returns the error's kind, so errors.Is(err, tensor.ErrShape)
// works.
func (e *Error) Unwrap() error { return e.Kind }

func fail(kind error, op, format string, args ...any) {
	panic(&Error{Op: op, Msg: fmt.Sprintf(format, args...), Kind: kind})
}

// shapeStr writes a shape as "(64x784)", as package tensor does.
func shapeStr(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, "x") + ")"
}

// checkFloat panics unless every tensor is Float32 or Float64, all alike.
func checkFloat(op string, ts ...*tensor.Tensor) {
	for _, t := range ts {
		if t.DType() == tensor.Int {
			fail(tensor.ErrDType, op, "%s is int; a float tensor is needed", shapeStr(t.Shape()))
		}
		if t.DType() != ts[0].DType() {
			fail(tensor.ErrDType, op, "%s %v and %s %v: dtypes differ", shapeStr(ts[0].Shape()), ts[0].DType(), shapeStr(t.Shape()), t.DType())
		}
	}
}
