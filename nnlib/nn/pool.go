package nn

import (
	"fmt"
	"math"

	"github.com/gonnlab/gonn/interrupt"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// PoolLayer is a 2-D max or average pooling over (N, C, H, W) inputs, as
// PyTorch's MaxPool2d and AvgPool2d (floor mode; an average counts the
// padding, count_include_pad=True).
type PoolLayer struct {
	Base
	Max     bool // max pooling, else average
	Kernel  [2]int
	Stride  [2]int
	Padding [2]int
}

// MaxPool2d returns a max pooling with square windows of size kernel,
// then PyTorch's positional stride (default: kernel) and padding (default
// 0, at most kernel/2; padding counts as -Inf).
func MaxPool2d(kernel int, stridePadding ...int) *PoolLayer {
	return newPool("max_pool2d", true, kernel, stridePadding)
}

// AvgPool2d returns an average pooling with square windows of size
// kernel, then stride (default: kernel) and padding (default 0; padding
// counts as zeros in the average).
func AvgPool2d(kernel int, stridePadding ...int) *PoolLayer {
	return newPool("avg_pool2d", false, kernel, stridePadding)
}

func newPool(op string, isMax bool, kernel int, args []int) *PoolLayer {
	if len(args) > 2 {
		fail(tensor.ErrShape, op, "%d extra arguments; at most stride and padding", len(args))
	}
	stride, padding := kernel, 0
	if len(args) > 0 {
		stride = args[0]
	}
	if len(args) > 1 {
		padding = args[1]
	}
	if kernel <= 0 || stride <= 0 || padding < 0 || 2*padding > kernel {
		fail(tensor.ErrShape, op, "kernel=%d, stride=%d, padding=%d: sizes must be positive and padding at most half the kernel", kernel, stride, padding)
	}
	return &PoolLayer{Max: isMax, Kernel: [2]int{kernel, kernel}, Stride: [2]int{stride, stride}, Padding: [2]int{padding, padding}}
}

func (p *PoolLayer) op() string {
	if p.Max {
		return "max_pool2d"
	}
	return "avg_pool2d"
}

// String returns e.g. "MaxPool2d(kernel_size=2, stride=2, padding=0)".
func (p *PoolLayer) String() string {
	name := "AvgPool2d"
	if p.Max {
		name = "MaxPool2d"
	}
	return fmt.Sprintf("%s(kernel_size=%s, stride=%s, padding=%s)", name, pair(p.Kernel), pair(p.Stride), pair(p.Padding))
}

func pair(v [2]int) string {
	if v[0] == v[1] {
		return fmt.Sprint(v[0])
	}
	return fmt.Sprintf("(%d, %d)", v[0], v[1])
}

// Forward pools x of shape (N, C, H, W) into (N, C, OH, OW).
func (p *PoolLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	op := p.op()
	checkFloat(op, x)
	g := geometry(op, x, p.Kernel, p.Stride, p.Padding, [2]int{1, 1})
	out := tensor.New(x.DType(), g.n, g.c, g.oh, g.ow)
	xc := contiguous(x)
	var arg []int // for max pooling, the input offset of each output
	if p.Max {
		arg = make([]int, out.Numel())
	}
	if x.DType() == tensor.Float32 {
		poolForward(raw[float32](xc), raw[float32](out), arg, g)
	} else {
		poolForward(raw[float64](xc), raw[float64](out), arg, g)
	}
	return tensor.Record(out, op, []*tensor.Tensor{x}, nil, func(gr *tensor.Tensor) []*tensor.Tensor {
		gr = contiguous(gr)
		gx := tensor.New(x.DType(), x.Shape()...)
		if x.DType() == tensor.Float32 {
			poolBackward(raw[float32](gr), raw[float32](gx), arg, g)
		} else {
			poolBackward(raw[float64](gr), raw[float64](gx), arg, g)
		}
		return []*tensor.Tensor{gx}
	})
}

// poolForward writes the max (arg != nil, recording where it was) or the
// average of each window.
func poolForward[T float](x, out []T, arg []int, g convGeom) {
	if g.ph == 0 && g.pw == 0 {
		poolForwardValid(x, out, arg, g)
		return
	}
	area := T(g.kh * g.kw)
	for plane := 0; plane < g.n*g.c; plane++ {
		interrupt.Check()
		base := plane * g.h * g.w
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				best, at := T(math.Inf(-1)), -1
				var sum T
				for i := 0; i < g.kh; i++ {
					y := oy*g.sh - g.ph + i
					if y < 0 || y >= g.h {
						continue
					}
					for j := 0; j < g.kw; j++ {
						xx := ox*g.sw - g.pw + j
						if xx < 0 || xx >= g.w {
							continue
						}
						off := base + y*g.w + xx
						v := x[off]
						sum += v
						if v > best || at < 0 || v != v {
							best, at = v, off
						}
					}
				}
				o := (plane*g.oh+oy)*g.ow + ox
				if arg != nil {
					out[o], arg[o] = best, at
				} else {
					out[o] = sum / area
				}
			}
		}
	}
}

// poolForwardValid is poolForward without padding: every window lies
// inside the input.
func poolForwardValid[T float](x, out []T, arg []int, g convGeom) {
	if arg != nil && g.kh == 2 && g.kw == 2 && g.sh == 2 && g.sw == 2 {
		maxPool2x2(x, out, arg, g)
		return
	}
	area := T(g.kh * g.kw)
	o := 0
	for plane := 0; plane < g.n*g.c; plane++ {
		interrupt.Check()
		base := plane * g.h * g.w
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				at := base + oy*g.sh*g.w + ox*g.sw
				best, bestAt := x[at], at
				var sum T
				for i := 0; i < g.kh; i++ {
					row := x[at+i*g.w : at+i*g.w+g.kw]
					for j, v := range row {
						sum += v
						if v > best || v != v {
							best, bestAt = v, at+i*g.w+j
						}
					}
				}
				if arg != nil {
					out[o], arg[o] = best, bestAt
				} else {
					out[o] = sum / area
				}
				o++
			}
		}
	}
}

// maxPool2x2 is poolForwardValid for max pooling with 2x2 windows and
// stride 2, without data-dependent branches (the comparisons of random
// activations mispredict): the maximum, then the first element equal to
// it; a window with a NaN takes the general loop (its last NaN).
func maxPool2x2[T float](x, out []T, arg []int, g convGeom) {
	o := 0
	for plane := 0; plane < g.n*g.c; plane++ {
		if plane&63 == 0 {
			interrupt.Check()
		}
		base := plane * g.h * g.w
		for oy := 0; oy < g.oh; oy++ {
			at0 := base + 2*oy*g.w
			r0 := x[at0 : at0+2*g.ow]
			r1 := x[at0+g.w : at0+g.w+2*g.ow]
			dst, da := out[o:o+g.ow], arg[o:o+g.ow]
			for ox := range dst {
				j := 2 * ox
				a, b, c, d := r0[j], r0[j+1], r1[j], r1[j+1]
				best := max(max(a, b), max(c, d))
				at := at0 + g.w + j + 1
				if c == best {
					at = at0 + g.w + j
				}
				if b == best {
					at = at0 + j + 1
				}
				if a == best {
					at = at0 + j
				}
				if best != best {
					at = at0 + j
					for _, k := range [3]int{at0 + j + 1, at0 + g.w + j, at0 + g.w + j + 1} {
						if v := x[k]; v > x[at] || v != v {
							at = k
						}
					}
				}
				dst[ox], da[ox] = best, at
			}
			o += g.ow
		}
	}
}

// poolBackward sends each output's gradient to its window: all of it to
// the maximum, or an equal share to each element for the average.
func poolBackward[T float](gr, gx []T, arg []int, g convGeom) {
	if arg != nil {
		for o, at := range arg {
			gx[at] += gr[o]
		}
		return
	}
	area := T(g.kh * g.kw)
	for plane := 0; plane < g.n*g.c; plane++ {
		base := plane * g.h * g.w
		for oy := 0; oy < g.oh; oy++ {
			for ox := 0; ox < g.ow; ox++ {
				v := gr[(plane*g.oh+oy)*g.ow+ox] / area
				for i := 0; i < g.kh; i++ {
					y := oy*g.sh - g.ph + i
					if y < 0 || y >= g.h {
						continue
					}
					for j := 0; j < g.kw; j++ {
						xx := ox*g.sw - g.pw + j
						if xx >= 0 && xx < g.w {
							gx[base+y*g.w+xx] += v
						}
					}
				}
			}
		}
	}
}
