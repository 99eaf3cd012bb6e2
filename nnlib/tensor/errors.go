package tensor

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/gonnlab/gonn/accel"
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
	// ErrNaN reports an op that made NaN from inputs without any (log or
	// sqrt of a negative, 0/0, inf-inf); see SetNaNCheck.
	ErrNaN = errors.New("NaN produced")
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
	Kind error  // one of ErrShape, ErrDType, ErrIndex, ErrEmpty, ErrNaN, ErrGraph
}

// Error returns "tensor: op: message".
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

// nanCheckOff turns the NaN check off (its zero value leaves it on).
var nanCheckOff atomic.Bool

// SetNaNCheck turns on or off the check that makes arithmetic ops panic
// with ErrNaN when they produce NaN from inputs that hold none, and returns
// the previous setting. The check is on by default and costs one pass over
// each result; a tuned training loop may turn it off.
func SetNaNCheck(on bool) (prev bool) { return !nanCheckOff.Swap(!on) }

// checkNaN panics if out holds NaN and none of inputs does.
func checkNaN(op string, out *Tensor, inputs ...*Tensor) {
	if nanCheckOff.Load() || !hasNaN(out) {
		return
	}
	shapes := make([]string, len(inputs))
	for i, in := range inputs {
		if hasNaN(in) {
			return
		}
		shapes[i] = shapeStr(in.shape)
	}
	fail(ErrNaN, op, "%s: NaN from inputs without NaN (log or sqrt of a negative, 0/0, inf-inf, ...); SetNaNCheck(false) turns this check off",
		strings.Join(shapes, ", "))
}

func hasNaN(t *Tensor) bool {
	switch t.dtype {
	case Float32:
		if t.IsContiguous() {
			return accel.HasNaNF32(buf[float32](t)[t.offset : t.offset+t.Numel()])
		}
		return anyNaN(buf[float32](t), t)
	case Float64:
		return anyNaN(buf[float64](t), t)
	}
	return false
}

func anyNaN[T float](d []T, t *Tensor) bool {
	if t.IsContiguous() {
		for _, v := range d[t.offset : t.offset+t.Numel()] {
			if v != v {
				return true
			}
		}
		return false
	}
	found := false
	eachOffset(t.shape, t.strides, t.offset, func(off int) { found = found || d[off] != d[off] })
	return found
}
