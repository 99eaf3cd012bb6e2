package nn

import (
	"fmt"
	"math"

	"github.com/gonnlab/gonn/interrupt"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// Conv2dLayer is a 2-D convolution (cross-correlation, as in PyTorch) of
// an (N, In, H, W) input with Out filters of shape (In, KH, KW), with
// stride, zero padding and dilation per dimension. Its Weight has shape
// (Out, In, KH, KW) and its Bias (Out).
type Conv2dLayer struct {
	Base
	In, Out  int
	Kernel   [2]int
	Stride   [2]int
	Padding  [2]int
	Dilation [2]int
	Weight   *tensor.Tensor // (Out, In, KH, KW)
	Bias     *tensor.Tensor // (Out), nil without a bias
	Mask     *tensor.Tensor // set by pruning: Weight*Mask is used, so pruned weights stay 0
}

// Conv2d returns a convolution from in to out channels with square kernels
// of size kernel, followed by PyTorch's positional arguments: stride
// (default 1), padding (default 0) and dilation (default 1), the same for
// both dimensions; the fields can be changed for unequal ones. Weight and
// bias are initialised as PyTorch does, uniform in +-1/sqrt(in*kernel^2).
//
//	nn.Conv2d(1, 6, 5, 1, 2)   // stride 1, padding 2: 28x28 stays 28x28
func Conv2d(in, out, kernel int, stridePaddingDilation ...int) *Conv2dLayer {
	args := stridePaddingDilation
	if len(args) > 3 {
		fail(tensor.ErrShape, "conv2d", "%d extra arguments; at most stride, padding and dilation", len(args))
	}
	stride, padding, dilation := 1, 0, 1
	if len(args) > 0 {
		stride = args[0]
	}
	if len(args) > 1 {
		padding = args[1]
	}
	if len(args) > 2 {
		dilation = args[2]
	}
	if in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || dilation <= 0 {
		fail(tensor.ErrShape, "conv2d", "in=%d, out=%d, kernel=%d, stride=%d, padding=%d, dilation=%d: sizes must be positive",
			in, out, kernel, stride, padding, dilation)
	}
	c := &Conv2dLayer{In: in, Out: out, Kernel: [2]int{kernel, kernel}, Stride: [2]int{stride, stride},
		Padding: [2]int{padding, padding}, Dilation: [2]int{dilation, dilation}}
	c.Weight = newParam(out, in, kernel, kernel)
	c.Bias = newParam(out)
	bound := 1 / math.Sqrt(float64(in*kernel*kernel))
	Uniform(c.Weight, -bound, bound)
	Uniform(c.Bias, -bound, bound)
	c.RegisterParameter("weight", &c.Weight)
	c.RegisterParameter("bias", &c.Bias)
	return c
}

// String returns PyTorch's description, e.g.
// "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))".
func (c *Conv2dLayer) String() string {
	s := fmt.Sprintf("Conv2d(%d, %d, kernel_size=(%d, %d), stride=(%d, %d)", c.In, c.Out, c.Kernel[0], c.Kernel[1], c.Stride[0], c.Stride[1])
	if c.Padding != [2]int{} {
		s += fmt.Sprintf(", padding=(%d, %d)", c.Padding[0], c.Padding[1])
	}
	if c.Dilation != [2]int{1, 1} {
		s += fmt.Sprintf(", dilation=(%d, %d)", c.Dilation[0], c.Dilation[1])
	}
	if c.Bias == nil {
		s += ", bias=False"
	}
	return s + ")"
}

// convGeom is the geometry of a 2-D window op (convolution or pooling).
type convGeom struct {
	n, c, h, w int // input
	kh, kw     int
	sh, sw     int
	ph, pw     int
	dh, dw     int
	oh, ow     int // output
}

// geometry checks x (N, C, H, W) and the window and returns the geometry.
func geometry(op string, x *tensor.Tensor, k, s, p, d [2]int) convGeom {
	xs := x.Shape()
	if len(xs) != 4 {
		fail(tensor.ErrShape, op, "input %s: need (batch, channels, height, width)", shapeStr(xs))
	}
	g := convGeom{n: xs[0], c: xs[1], h: xs[2], w: xs[3], kh: k[0], kw: k[1], sh: s[0], sw: s[1], ph: p[0], pw: p[1], dh: d[0], dw: d[1]}
	g.oh = (g.h+2*g.ph-g.dh*(g.kh-1)-1)/g.sh + 1
	g.ow = (g.w+2*g.pw-g.dw*(g.kw-1)-1)/g.sw + 1
	if g.h+2*g.ph-g.dh*(g.kh-1) < 1 || g.w+2*g.pw-g.dw*(g.kw-1) < 1 {
		fail(tensor.ErrShape, op, "input %s is smaller than the kernel (%dx%d, dilation %d, %d, padding %d, %d)",
			shapeStr(xs), g.kh, g.kw, g.dh, g.dw, g.ph, g.pw)
	}
	return g
}

// Forward convolves x of shape (N, In, H, W) into (N, Out, OH, OW).
func (c *Conv2dLayer) Forward(x *tensor.Tensor) *tensor.Tensor {
	if c.Bias != nil {
		checkFloat("conv2d", x, c.Weight, c.Bias)
	} else {
		checkFloat("conv2d", x, c.Weight)
	}
	g := geometry("conv2d", x, c.Kernel, c.Stride, c.Padding, c.Dilation)
	ws := c.Weight.Shape()
	if g.c != c.In || !sameShape(ws, []int{c.Out, c.In, c.Kernel[0], c.Kernel[1]}) {
		fail(tensor.ErrShape, "conv2d", "input %s for weight %s: input channels must be %d", shapeStr(x.Shape()), shapeStr(ws), ws[1])
	}
	return conv2d(x, masked(c.Weight, c.Mask), c.Bias, g)
}

// conv2d is the fused convolution: for each sample, im2col into a (C*KH*KW)
// x (OH*OW) matrix and one GEMM with the (Out) x (C*KH*KW) weight; the
// backward runs two GEMMs per sample and col2im.
func conv2d(x, w, b *tensor.Tensor, g convGeom) *tensor.Tensor {
	o := w.Size(0)
	out := tensor.New(x.DType(), g.n, o, g.oh, g.ow)
	xc, wc := contiguous(x), contiguous(w)
	var bc *tensor.Tensor
	if b != nil {
		bc = contiguous(b)
	}
	if x.DType() == tensor.Float32 {
		convForward[float32](out, xc, wc, bc, g)
	} else {
		convForward[float64](out, xc, wc, bc, g)
	}
	return tensor.Record(out, "conv2d", []*tensor.Tensor{x, w, b}, []*tensor.Tensor{x, w}, func(gr *tensor.Tensor) []*tensor.Tensor {
		gr = contiguous(gr)
		var gx, gw, gb *tensor.Tensor
		if x.NeedsGrad() {
			gx = tensor.New(x.DType(), x.Shape()...)
		}
		if w.NeedsGrad() {
			gw = tensor.New(w.DType(), w.Shape()...)
		}
		if b != nil && b.NeedsGrad() {
			gb = tensor.New(b.DType(), o)
		}
		if x.DType() == tensor.Float32 {
			convBackward[float32](gr, xc, wc, gx, gw, gb, g)
		} else {
			convBackward[float64](gr, xc, wc, gx, gw, gb, g)
		}
		return []*tensor.Tensor{gx, gw, gb}
	})
}

// im2col writes the windows of one sample x (C, H, W) into cols, row
// (c*KH+i)*KW+j, column oy*OW+ox, zero where the window is in the padding.
func im2col[T float](x, cols []T, g convGeom) {
	l := g.oh * g.ow
	for c := 0; c < g.c; c++ {
		for i := 0; i < g.kh; i++ {
			for j := 0; j < g.kw; j++ {
				row := cols[((c*g.kh+i)*g.kw+j)*l:][:l]
				for oy := 0; oy < g.oh; oy++ {
					y := oy*g.sh - g.ph + i*g.dh
					dst := row[oy*g.ow : (oy+1)*g.ow]
					if y < 0 || y >= g.h {
						clear(dst)
						continue
					}
					src := x[(c*g.h+y)*g.w : (c*g.h+y+1)*g.w]
					xx := -g.pw + j*g.dw
					for ox := range dst {
						if xx >= 0 && xx < g.w {
							dst[ox] = src[xx]
						} else {
							dst[ox] = 0
						}
						xx += g.sw
					}
				}
			}
		}
	}
}

// col2im adds the columns back into the sample gradient gx (C, H, W).
func col2im[T float](cols, gx []T, g convGeom) {
	l := g.oh * g.ow
	for c := 0; c < g.c; c++ {
		for i := 0; i < g.kh; i++ {
			for j := 0; j < g.kw; j++ {
				row := cols[((c*g.kh+i)*g.kw+j)*l:][:l]
				for oy := 0; oy < g.oh; oy++ {
					y := oy*g.sh - g.ph + i*g.dh
					if y < 0 || y >= g.h {
						continue
					}
					dst := gx[(c*g.h+y)*g.w : (c*g.h+y+1)*g.w]
					xx := -g.pw + j*g.dw
					for _, v := range row[oy*g.ow : (oy+1)*g.ow] {
						if xx >= 0 && xx < g.w {
							dst[xx] += v
						}
						xx += g.sw
					}
				}
			}
		}
	}
}

func convForward[T float](out, x, w, b *tensor.Tensor, g convGeom) {
	o := w.Size(0)
	k, l := g.c*g.kh*g.kw, g.oh*g.ow
	xd, wd, od := raw[T](x), raw[T](w), raw[T](out)
	cols := make([]T, k*l)
	var bd []T
	if b != nil {
		bd = raw[T](b)
	}
	for n := 0; n < g.n; n++ {
		interrupt.Check()
		im2col(xd[n*g.c*g.h*g.w:], cols, g)
		on := od[n*o*l : (n+1)*o*l]
		var beta T
		if bd != nil {
			for f := 0; f < o; f++ {
				row := on[f*l : (f+1)*l]
				for i := range row {
					row[i] = bd[f]
				}
			}
			beta = 1
		}
		gemm(false, false, o, l, k, 1, wd, k, cols, l, beta, on, l)
	}
}

func convBackward[T float](gr, x, w, gx, gw, gb *tensor.Tensor, g convGeom) {
	o := w.Size(0)
	k, l := g.c*g.kh*g.kw, g.oh*g.ow
	xd, wd, gd := raw[T](x), raw[T](w), raw[T](gr)
	cols := make([]T, k*l)
	for n := 0; n < g.n; n++ {
		interrupt.Check()
		gn := gd[n*o*l : (n+1)*o*l]
		if gw != nil {
			im2col(xd[n*g.c*g.h*g.w:], cols, g)
			gemm(false, true, o, k, l, 1, gn, l, cols, l, 1, raw[T](gw), k)
		}
		if gb != nil {
			bd := raw[T](gb)
			for f := 0; f < o; f++ {
				var s T
				for _, v := range gn[f*l : (f+1)*l] {
					s += v
				}
				bd[f] += s
			}
		}
		if gx != nil {
			gemm(true, false, k, l, o, 1, wd, k, gn, l, 0, cols, l)
			col2im(cols, raw[T](gx)[n*g.c*g.h*g.w:], g)
		}
	}
}
