package accel

import "fmt"

// Op is an elementwise arithmetic operation of BinaryF32 and ScalarF32.
type Op int

// The elementwise operations.
const (
	OpAdd Op = iota // x + y
	OpSub           // x - y
	OpMul           // x * y
	OpDiv           // x / y
)

var opNames = [...]string{"add", "sub", "mul", "div"}

// String returns the operation's name: "add", "sub", "mul" or "div".
func (op Op) String() string {
	if op < 0 || int(op) >= len(opNames) {
		return fmt.Sprintf("Op(%d)", int(op))
	}
	return opNames[op]
}

// ewKernels is one implementation of the float32 elementwise kernels; each
// trusts its inputs (len(a), len(b) >= len(dst)).
type ewKernels struct {
	name string
	vv   [4]func(dst, a, b []float32) bool         // by Op
	vs   [4]func(dst, a []float32, s float32) bool // by Op
	relu func(dst, a []float32)
}

// elementwiseImpls lists the elementwise kernel sets this CPU runs, fastest
// first; the last is the portable Go one.
var elementwiseImpls = append(archElementwise(), goElementwise())

// ew is the elementwise kernel set in use.
var ew = elementwiseImpls[0]

// BinaryF32 sets dst[i] = a[i] op b[i] for every i < len(dst), and reports
// whether any dst[i] is NaN (so that a caller's NaN check needs no second
// pass). dst may be a or b, but must not otherwise overlap them. It panics
// with an *Error if op is unknown or a or b is shorter than dst.
func BinaryF32(op Op, dst, a, b []float32) (nan bool) {
	checkElementwise(op, len(dst), len(a), len(b))
	return ew.vv[op](dst, a, b)
}

// ScalarF32 sets dst[i] = a[i] op s for every i < len(dst), and reports
// whether any dst[i] is NaN. dst may be a, but must not otherwise overlap
// it. It panics with an *Error if op is unknown or a is shorter than dst.
func ScalarF32(op Op, dst, a []float32, s float32) (nan bool) {
	checkElementwise(op, len(dst), len(a), len(dst))
	return ew.vs[op](dst, a, s)
}

// ReLUF32 sets dst[i] = max(a[i], 0) for every i < len(dst); a NaN stays
// NaN. dst may be a, but must not otherwise overlap it. It panics with an
// *Error if a is shorter than dst.
func ReLUF32(dst, a []float32) {
	checkElementwise(OpAdd, len(dst), len(a), len(dst))
	ew.relu(dst, a)
}

// ElementwiseKernels returns the name of the elementwise kernel family in
// use: "avx" (ymm registers) or "generic" (Go).
func ElementwiseKernels() string { return ew.name }

func checkElementwise(op Op, n, na, nb int) {
	if op < 0 || int(op) >= len(opNames) {
		panic(&Error{"elementwise", fmt.Sprintf("unknown %v", op)})
	}
	if na < n || nb < n {
		panic(&Error{op.String(), fmt.Sprintf("operands of lengths %d and %d for %d results", na, nb, n)})
	}
}

// goElementwise returns the portable kernels, the twins the assembly is
// tested against.
func goElementwise() *ewKernels {
	return &ewKernels{
		name: "generic",
		vv:   [4]func(dst, a, b []float32) bool{addF32Go, subF32Go, mulF32Go, divF32Go},
		vs:   [4]func(dst, a []float32, s float32) bool{addScalarF32Go, subScalarF32Go, mulScalarF32Go, divScalarF32Go},
		relu: reluF32Go,
	}
}

// addF32Go sets dst[i] = a[i] + b[i] and reports whether a result is NaN.
func addF32Go(dst, a, b []float32) bool {
	a, b = a[:len(dst)], b[:len(dst)]
	nan := false
	for i := range dst {
		v := a[i] + b[i]
		dst[i] = v
		nan = nan || v != v
	}
	return nan
}

// subF32Go sets dst[i] = a[i] - b[i] and reports whether a result is NaN.
func subF32Go(dst, a, b []float32) bool {
	a, b = a[:len(dst)], b[:len(dst)]
	nan := false
	for i := range dst {
		v := a[i] - b[i]
		dst[i] = v
		nan = nan || v != v
	}
	return nan
}

// mulF32Go sets dst[i] = a[i] * b[i] and reports whether a result is NaN.
func mulF32Go(dst, a, b []float32) bool {
	a, b = a[:len(dst)], b[:len(dst)]
	nan := false
	for i := range dst {
		v := a[i] * b[i]
		dst[i] = v
		nan = nan || v != v
	}
	return nan
}

// divF32Go sets dst[i] = a[i] / b[i] and reports whether a result is NaN.
func divF32Go(dst, a, b []float32) bool {
	a, b = a[:len(dst)], b[:len(dst)]
	nan := false
	for i := range dst {
		v := a[i] / b[i]
		dst[i] = v
		nan = nan || v != v
	}
	return nan
}

// addScalarF32Go sets dst[i] = a[i] + s and reports whether a result is NaN.
func addScalarF32Go(dst, a []float32, s float32) bool {
	a = a[:len(dst)]
	nan := false
	for i := range dst {
		v := a[i] + s
		dst[i] = v
		nan = nan || v != v
	}
	return nan
}

// subScalarF32Go sets dst[i] = a[i] - s and reports whether a result is NaN.
func subScalarF32Go(dst, a []float32, s float32) bool {
	a = a[:len(dst)]
	nan := false
	for i := range dst {
		v := a[i] - s
		dst[i] = v
		nan = nan || v != v
	}
	return nan
}

// mulScalarF32Go sets dst[i] = a[i] * s and reports whether a result is NaN.
func mulScalarF32Go(dst, a []float32, s float32) bool {
	a = a[:len(dst)]
	nan := false
	for i := range dst {
		v := a[i] * s
		dst[i] = v
		nan = nan || v != v
	}
	return nan
}

// divScalarF32Go sets dst[i] = a[i] / s and reports whether a result is NaN.
func divScalarF32Go(dst, a []float32, s float32) bool {
	a = a[:len(dst)]
	nan := false
	for i := range dst {
		v := a[i] / s
		dst[i] = v
		nan = nan || v != v
	}
	return nan
}

// reluF32Go sets dst[i] = max(a[i], 0), keeping NaN.
func reluF32Go(dst, a []float32) {
	a = a[:len(dst)]
	for i, v := range a {
		if !(v < 0) { // NaN and positives stay
			dst[i] = v
		} else {
			dst[i] = 0
		}
	}
}
