package nn

import (
	"math"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// The initialisers below write into a tensor in place (outside autograd),
// drawing from tensor's default generator so that tensor.Seed repeats
// them, and return it. Fans follow PyTorch: for a weight of shape
// (out, in, k...), fan in is in*k... and fan out is out*k....

// fans returns the fan in and fan out of a weight of the given shape.
func fans(op string, shape []int) (in, out int) {
	if len(shape) < 2 {
		fail(tensor.ErrShape, op, "fan in and fan out need a tensor of two or more dimensions, not %s", shapeStr(shape))
	}
	rf := 1
	for _, d := range shape[2:] {
		rf *= d
	}
	return shape[1] * rf, shape[0] * rf
}

// fill writes src (a Float32 tensor of t's shape) into t.
func fill(t, src *tensor.Tensor) *tensor.Tensor {
	checkFloat("init", t)
	tensor.NoGrad(func() { t.Detach().Assign(src.To(t.DType())) })
	return t
}

// Uniform fills t with values uniform in [lo, hi).
func Uniform(t *tensor.Tensor, lo, hi float64) *tensor.Tensor {
	return fill(t, tensor.Rand(t.Shape()...).Mul(hi-lo).Add(lo))
}

// Normal fills t with values from the normal distribution N(mean, std^2).
func Normal(t *tensor.Tensor, mean, std float64) *tensor.Tensor {
	return fill(t, tensor.Randn(t.Shape()...).Mul(std).Add(mean))
}

// Constant fills t with v.
func Constant(t *tensor.Tensor, v float64) *tensor.Tensor {
	checkFloat("init", t)
	tensor.NoGrad(func() { t.Detach().Fill(v) })
	return t
}

// XavierUniform fills t uniformly in (-a, a), a =
// gain*sqrt(6/(fan_in+fan_out)) (Glorot and Bengio, 2010).
func XavierUniform(t *tensor.Tensor, gain float64) *tensor.Tensor {
	in, out := fans("xavier_uniform", t.Shape())
	a := gain * math.Sqrt(6/float64(in+out))
	return Uniform(t, -a, a)
}

// XavierNormal fills t from N(0, std^2), std = gain*sqrt(2/(fan_in+fan_out)).
func XavierNormal(t *tensor.Tensor, gain float64) *tensor.Tensor {
	in, out := fans("xavier_normal", t.Shape())
	return Normal(t, 0, gain*math.Sqrt(2/float64(in+out)))
}

// KaimingUniform fills t uniformly in (-b, b), b = gain*sqrt(3/fan_in),
// gain = sqrt(2/(1+a^2)) for a leaky ReLU of negative slope a (0 for
// ReLU), as torch.nn.init.kaiming_uniform_ in its default fan-in mode.
func KaimingUniform(t *tensor.Tensor, a float64) *tensor.Tensor {
	in, _ := fans("kaiming_uniform", t.Shape())
	b := math.Sqrt(2/(1+a*a)) * math.Sqrt(3/float64(in))
	return Uniform(t, -b, b)
}

// KaimingNormal fills t from N(0, std^2), std = gain/sqrt(fan_in), gain as
// in KaimingUniform.
func KaimingNormal(t *tensor.Tensor, a float64) *tensor.Tensor {
	in, _ := fans("kaiming_normal", t.Shape())
	return Normal(t, 0, math.Sqrt(2/(1+a*a))/math.Sqrt(float64(in)))
}
