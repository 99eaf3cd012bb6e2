package tensor

import (
	"github.com/gonnlab/gonn/accel"
	"slices"
)

// This file holds the fast paths of the pointwise ops for contiguous
// float32 tensors, the training path: binary ops of two tensors of one
// shape, of a tensor and a row vector (a bias) or a scalar, on accel's
// vector kernels, which fold the NaN check into the op's own loop; and the
// activations' forward and backward loops. Each computes what the general
// path in elementwise.go computes, element for element: exactly, but for
// Exp, Sigmoid and Tanh, which run on accel's vector kernels, within 2, 3
// and 3 ulp of it.

// recording reports whether an op on inputs is recorded: grad mode is on
// and an input requires a gradient. Ops test it before they build their
// backward closure, so that the no-grad path allocates none.
func recording(inputs ...*Tensor) bool {
	if !GradEnabled() {
		return false
	}
	for _, in := range inputs {
		if in != nil && in.requiresGrad {
			return true
		}
	}
	return false
}

var accelOps = [...]accel.Op{opAdd: accel.OpAdd, opSub: accel.OpSub, opMul: accel.OpMul, opDiv: accel.OpDiv}

// binaryF32 is binary for a contiguous float32 t and a contiguous float32
// tensor of t's shape, a row vector (t's last dimension, leading 1s
// allowed), a one-element tensor broadcasting to t, or a Go number. It
// returns nil for any other case, which the general path handles.
func (t *Tensor) binaryF32(op binOp, o any) *Tensor {
	if op == opPow || !t.IsContiguous() {
		return nil
	}
	var u *Tensor
	var s float32
	switch x := o.(type) {
	case *Tensor:
		if x == nil || x.dtype != Float32 || !x.IsContiguous() {
			return nil
		}
		u = x
	case float64:
		s = float32(x)
	case float32:
		s = x
	case int:
		s = float32(float64(x))
	case int64:
		s = float32(float64(x))
	default:
		return nil
	}
	const (
		same = iota
		row
		scalar
	)
	kind := scalar
	if u != nil {
		switch {
		case slices.Equal(u.shape, t.shape):
			kind = same
		case len(u.shape) > len(t.shape):
			return nil
		case u.Numel() == 1:
			s = buf[float32](u)[u.offset]
		case len(t.shape) > 0 && trimOnes(u.shape) == 1 && u.shape[len(u.shape)-1] == t.shape[len(t.shape)-1]:
			kind = row
		default:
			return nil
		}
	}
	n := t.Numel()
	out := newTensorF32(t.shape)
	dst, a := buf[float32](out), buf[float32](t)[t.offset:t.offset+n]
	var nan bool
	switch kind {
	case same:
		nan = accel.BinaryF32(accelOps[op], dst, a, buf[float32](u)[u.offset:u.offset+n])
	case scalar:
		nan = accel.ScalarF32(accelOps[op], dst, a, s)
	case row:
		c := t.shape[len(t.shape)-1]
		r := buf[float32](u)[u.offset : u.offset+c]
		for i := 0; i < n; i += c {
			if accel.BinaryF32(accelOps[op], dst[i:i+c], a[i:i+c], r) {
				nan = true
			}
		}
	}
	if !nan && !recording(t, u) {
		return out
	}
	if u == nil {
		u = newTensor(Float32, nil).Fill(float64(s))
	}
	if nan {
		checkNaN(binNames[op], out, t, u)
	}
	return record(out, binNames[op], []*Tensor{t, u}, []*Tensor{t, u}, binaryBackward(op, t, u, out))
}

// trimOnes returns the number of dimensions of shape after its leading 1s.
func trimOnes(shape []int) int {
	for i, d := range shape {
		if d != 1 {
			return len(shape) - i
		}
	}
	return 0
}

func negF32(dst, x []float32) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = -v
	}
}

func expF32(dst, x []float32) { accel.ExpF32(dst, x) }

func reluF32(dst, x []float32) { accel.ReLUF32(dst, x) }

func sigmoidF32(dst, x []float32) { accel.SigmoidF32(dst, x) }

func tanhF32(dst, x []float32) { accel.TanhF32(dst, x) }

// The gradients below are g * d(x, y), with d computed in float64 and
// rounded, as chainInto does.

func expGradF32(dst, g, x, y []float32) {
	g, y = g[:len(dst)], y[:len(dst)]
	for i := range dst {
		dst[i] = g[i] * y[i]
	}
}

func reluGradF32(dst, g, x, y []float32) {
	g, x = g[:len(dst)], x[:len(dst)]
	for i := range dst {
		var d float32
		if x[i] > 0 {
			d = 1
		}
		dst[i] = g[i] * d
	}
}

func sigmoidGradF32(dst, g, x, y []float32) {
	g, y = g[:len(dst)], y[:len(dst)]
	for i := range dst {
		v := float64(y[i])
		dst[i] = g[i] * float32(v*(1-v))
	}
}

func tanhGradF32(dst, g, x, y []float32) {
	g, y = g[:len(dst)], y[:len(dst)]
	for i := range dst {
		v := float64(y[i])
		dst[i] = g[i] * float32(1-v*v)
	}
}

// chainF32 is chain for float32 with a typed derivative loop.
func chainF32(g, x, y *Tensor, d func(dst, g, x, y []float32)) *Tensor {
	out := newTensorF32(x.shape)
	d(buf[float32](out), flat[float32](g), flat[float32](x), flat[float32](y))
	checkNaN("gradient", out, g, x, y)
	return out
}
