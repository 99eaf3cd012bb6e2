package tensor

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel kinds of Error; test them with errors.Is.
var (
	// ErrShape reports shapes that do not fit an op: mismatched sizes,
	// broadcasting that fails, a bad axis or reshape.
	ErrShape = errors.New("shape mismatch")
	// ErrDType reports an op given a dtype it does not support, or two
	// tensors of different dtypes.
	ErrDType = errors.New("wrong dtype")
	// ErrIndex reports an index or label out of range.
	ErrIndex = errors.New("index out of range")
	// ErrEmpty reports an op that needs at least one element given none.
	ErrEmpty = errors.New("empty tensor")
	// ErrGraph reports misuse of autograd: a second backward through a
	// freed graph, Backward on a non-scalar without a gradient, ...
	ErrGraph = errors.New("autograd")
)

// Error is the value every tensor op panics with on bad input. Its message
// names the op and the shapes, e.g.
// "tensor: matmul: (64x784) x (100x10): inner dimensions differ".
type Error struct {
	Op   string // the op, as in Tensor.Op: "matmul", "add", ...
	Msg  string // what went wrong, shapes included
	Kind error  // one of ErrShape, ErrDType, ErrIndex, ErrEmpty, ErrGraph
}

func (e *Error) Error() string { return "tensor: " + e.Op + ": " + e.Msg }

// Unwrap returns the error's kind, so errors.Is(err, ErrShape) works.
func (e *Error) Unwrap() error { return e.Kind }

// fail panics with an *Error.
func fail(kind error, op, format string, args ...any) {
	panic(&Error{Op: op, Msg: fmt.Sprintf(format, args...), Kind: kind})
}

// shapeStr writes a shape as "(64x784)"; a scalar is "()".
func shapeStr(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, "x") + ")"
}
