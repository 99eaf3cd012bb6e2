package nn

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gonnlab/gonn/accel"
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
	if g.c != c.In || !slices.Equal(ws, []int{c.Out, c.In, c.Kernel[0], c.Kernel[1]}) {
		fail(tensor.ErrShape, "conv2d", "input %s for weight %s: input channels must be %d", shapeStr(x.Shape()), shapeStr(ws), ws[1])
	}
	return conv2d(x, masked(c.Weight, c.Mask), c.Bias, g)
}

// conv2d is the fused convolution: im2col of a chunk of samples into a
// (C*KH*KW) x (chunk*OH*OW) matrix and one GEMM with the (Out) x (C*KH*KW)
// weight; the backward runs two GEMMs per chunk and col2im. When the whole
// batch is one chunk and a gradient will be needed, the forward's columns
// are kept for the backward.
func conv2d(x, w, b *tensor.Tensor, g convGeom) *tensor.Tensor {
	o := w.Size(0)
	out := tensor.New(x.DType(), g.n, o, g.oh, g.ow)
	xc, wc := contiguous(x), contiguous(w)
	var bc *tensor.Tensor
	if b != nil {
		bc = contiguous(b)
	}
	keep := tensor.GradEnabled() && (x.NeedsGrad() || w.NeedsGrad() || (b != nil && b.NeedsGrad()))
	var kept any // the forward's columns, []float32 or []float64, or nil
	if x.DType() == tensor.Float32 {
		kept = convForward[float32](out, xc, wc, bc, g, keep)
	} else {
		kept = convForward[float64](out, xc, wc, bc, g, keep)
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
			convBackward[float32](gr, xc, wc, gx, gw, gb, g, kept)
		} else {
			convBackward[float64](gr, xc, wc, gx, gw, gb, g, kept)
		}
		kept = nil
		return []*tensor.Tensor{gx, gw, gb}
	})
}

// colsBudget bounds the im2col buffer, in elements (512 KiB of float32):
// samples are convolved in chunks whose columns fit in it, and so stay in
// the L2 cache between im2col and the GEMM (LeNet's first layer, whose
// whole batch's columns are 3.7 MB, trains 7-10% faster than with one
// chunk).
const colsBudget = 1 << 17

// chunk returns how many samples share one GEMM.
func (g convGeom) chunk() int {
	per := g.c * g.kh * g.kw * g.oh * g.ow
	return max(1, min(g.n, colsBudget/max(per, 1)))
}

// span returns the output columns [lo, hi) whose input column
// ox*sw - pw + j*dw falls inside [0, w), for kernel column j.
func (g convGeom) span(j int) (lo, hi int) {
	off := j*g.dw - g.pw // input column of output column 0
	lo = 0
	if off < 0 {
		lo = (-off + g.sw - 1) / g.sw
	}
	hi = 0
	if last := g.w - 1 - off; last >= 0 {
		hi = min(g.ow, last/g.sw+1)
	}
	return lo, max(lo, hi)
}

// dense reports stride 1, no padding and no dilation: every window lies
// inside the input, and each output row of a column row is a run of OW
// inputs.
func (g convGeom) dense() bool {
	return g.sh == 1 && g.sw == 1 && g.ph == 0 && g.pw == 0 && g.dh == 1 && g.dw == 1
}

// im2col writes the windows of one sample x (C, H, W) into cols: row
// (c*KH+i)*KW+j at cols[row*ld:], column oy*OW+ox, zero where the window
// lies in the padding.
func im2col[T float](x, cols []T, ld int, g convGeom) {
	if g.dense() {
		im2colDense(x, cols, ld, g)
		return
	}
	im2colAny(x, cols, ld, g)
}

// im2colDense is im2col for stride 1, no padding and no dilation: every
// window lies inside the input, and each output row of a column row is a
// run of OW inputs: no bounds, spans or zeroing to work out.
func im2colDense[T float](x, cols []T, ld int, g convGeom) {
	l := g.oh * g.ow
	x32, is32 := any(x).([]float32)
	for c := 0; c < g.c; c++ {
		for i := 0; i < g.kh; i++ {
			for j := 0; j < g.kw; j++ {
				row := cols[((c*g.kh+i)*g.kw+j)*ld:][:l]
				if is32 { // accel's kernel: no call per run
					accel.CopyRunsF32(any(row).([]float32), g.ow, x32[(c*g.h+i)*g.w+j:], g.w, g.oh, g.ow)
					continue
				}
				src := x[(c*g.h+i)*g.w+j:]
				for oy := 0; oy < g.oh; oy++ {
					dst := row[oy*g.ow : (oy+1)*g.ow]
					s := src[oy*g.w : oy*g.w+len(dst)]
					copy(dst, s)
				}
			}
		}
	}
}

// im2colAny is im2col for any geometry.
func im2colAny[T float](x, cols []T, ld int, g convGeom) {
	l := g.oh * g.ow
	for c := 0; c < g.c; c++ {
		for i := 0; i < g.kh; i++ {
			for j := 0; j < g.kw; j++ {
				row := cols[((c*g.kh+i)*g.kw+j)*ld:][:l]
				lo, hi := g.span(j)
				off := j*g.dw - g.pw
				for oy := 0; oy < g.oh; oy++ {
					y := oy*g.sh - g.ph + i*g.dh
					dst := row[oy*g.ow : (oy+1)*g.ow]
					if y < 0 || y >= g.h || lo >= hi {
						clear(dst)
						continue
					}
					clear(dst[:lo])
					clear(dst[hi:])
					src := x[(c*g.h+y)*g.w:]
					if g.sw == 1 {
						copy(dst[lo:hi], src[lo+off:hi+off])
						continue
					}
					for ox, xx := lo, lo*g.sw+off; ox < hi; ox, xx = ox+1, xx+g.sw {
						dst[ox] = src[xx]
					}
				}
			}
		}
	}
}

// col2im adds the columns (laid out as im2col writes them) back into the
// sample gradient gx (C, H, W).
func col2im[T float](cols, gx []T, ld int, g convGeom) {
	if g.dense() {
		col2imDense(cols, gx, ld, g)
		return
	}
	col2imAny(cols, gx, ld, g)
}

// col2imDense is col2im for stride 1, no padding and no dilation (see
// im2colDense): each output row adds a run of OW values.
func col2imDense[T float](cols, gx []T, ld int, g convGeom) {
	l := g.oh * g.ow
	gx32, is32 := any(gx).([]float32)
	for c := 0; c < g.c; c++ {
		for i := 0; i < g.kh; i++ {
			for j := 0; j < g.kw; j++ {
				row := cols[((c*g.kh+i)*g.kw+j)*ld:][:l]
				if is32 {
					accel.AddRunsF32(gx32[(c*g.h+i)*g.w+j:], g.w, any(row).([]float32), g.ow, g.oh, g.ow)
					continue
				}
				dst := gx[(c*g.h+i)*g.w+j:]
				for oy := 0; oy < g.oh; oy++ {
					src := row[oy*g.ow : (oy+1)*g.ow]
					d := dst[oy*g.w : oy*g.w+len(src)]
					for t, v := range src {
						d[t] += v
					}
				}
			}
		}
	}
}

// col2imAny is col2im for any geometry.
func col2imAny[T float](cols, gx []T, ld int, g convGeom) {
	l := g.oh * g.ow
	for c := 0; c < g.c; c++ {
		for i := 0; i < g.kh; i++ {
			for j := 0; j < g.kw; j++ {
				row := cols[((c*g.kh+i)*g.kw+j)*ld:][:l]
				lo, hi := g.span(j)
				off := j*g.dw - g.pw
				for oy := 0; oy < g.oh && lo < hi; oy++ {
					y := oy*g.sh - g.ph + i*g.dh
					if y < 0 || y >= g.h {
						continue
					}
					dst := gx[(c*g.h+y)*g.w:]
					src := row[oy*g.ow : (oy+1)*g.ow]
					for ox, xx := lo, lo*g.sw+off; ox < hi; ox, xx = ox+1, xx+g.sw {
						dst[xx] += src[ox]
					}
				}
			}
		}
	}
}

// convForward convolves chunks of samples: im2col of each sample into the
// columns of one (K) x (chunk*L) matrix, one GEMM with the (O) x (K)
// weight, and the result moved to (N, O, L) with the bias added. Chunks
// are shared between goroutines (see forChunks). If keep is set and the
// batch is one chunk, it returns the columns (a []T), which the caller
// then owns.
func convForward[T float](out, x, w, b *tensor.Tensor, g convGeom, keep bool) any {
	o := w.Size(0)
	k, l, in := g.c*g.kh*g.kw, g.oh*g.ow, g.c*g.h*g.w
	xd, wd, od := raw[T](x), raw[T](w), raw[T](out)
	nb := g.chunk()
	keep = keep && nb == g.n
	var bd []T
	if b != nil {
		bd = raw[T](b)
	}
	var kept []T
	forChunks(g.n, nb, func(n0, m int) {
		ld := m * l
		cols, res := getScratch[T](k*ld), getScratch[T](o*ld)
		defer putScratch(res)
		for s := 0; s < m; s++ {
			im2col(xd[(n0+s)*in:], cols[s*l:], ld, g)
		}
		gemm(false, false, o, ld, k, 1, wd, k, cols, ld, 0, res, ld)
		for s := 0; s < m; s++ {
			for f := 0; f < o; f++ {
				dst := od[((n0+s)*o+f)*l:][:l]
				copy(dst, res[f*ld+s*l:][:l])
				if bd != nil {
					bf := bd[f]
					for i := range dst {
						dst[i] += bf
					}
				}
			}
		}
		if keep {
			kept = cols
			return
		}
		putScratch(cols)
	})
	if keep {
		return kept
	}
	return nil
}

// convBackward computes, chunk by chunk, gw += g cols^T, gb += the sums of
// g, and gx = col2im(W^T g). kept is the forward's columns or nil; it is
// given back to the pool. Chunks are shared between goroutines; each
// chunk's gw and gb are summed into the results in chunk order, so the
// result does not depend on how many goroutines ran.
func convBackward[T float](gr, x, w, gx, gw, gb *tensor.Tensor, g convGeom, kept any) {
	o := w.Size(0)
	k, l, in := g.c*g.kh*g.kw, g.oh*g.ow, g.c*g.h*g.w
	xd, wd, gd := raw[T](x), raw[T](w), raw[T](gr)
	nb := g.chunk()
	chunks := (g.n + nb - 1) / nb
	kcols, have := kept.([]T)
	var parts []T // per chunk: its gw (o*k values), then its gb (o)
	if gw != nil || gb != nil {
		parts = getScratch[T](chunks * (o*k + o))
		defer putScratch(parts)
	}
	forChunks(g.n, nb, func(n0, m int) {
		ld := m * l
		cols := kcols
		if !have {
			cols = getScratch[T](k * ld)
		}
		defer putScratch(cols)
		gm := getScratch[T](o * ld) // the chunk's output gradient as (O) x (chunk*L)
		defer putScratch(gm)
		for s := 0; s < m; s++ {
			for f := 0; f < o; f++ {
				copy(gm[f*ld+s*l:][:l], gd[((n0+s)*o+f)*l:][:l])
			}
		}
		var part []T
		if parts != nil {
			part = parts[n0/nb*(o*k+o):][:o*k+o]
		}
		if gb != nil {
			for f := 0; f < o; f++ {
				var sum T
				for _, v := range gm[f*ld : (f+1)*ld] {
					sum += v
				}
				part[o*k+f] = sum
			}
		}
		if gw != nil {
			for s := 0; s < m && !have; s++ {
				im2col(xd[(n0+s)*in:], cols[s*l:], ld, g)
			}
			gemm(false, true, o, k, ld, 1, gm, ld, cols, ld, 0, part[:o*k], k)
		}
		if gx != nil {
			gemm(true, false, k, ld, o, 1, wd, k, gm, ld, 0, cols, ld)
			gxd := raw[T](gx)
			for s := 0; s < m; s++ {
				col2im(cols[s*l:], gxd[(n0+s)*in:], ld, g)
			}
		}
	})
	for c := 0; c < chunks; c++ {
		part := parts[c*(o*k+o):][:o*k+o]
		if gw != nil {
			add(raw[T](gw), part[:o*k])
		}
		if gb != nil {
			add(raw[T](gb), part[o*k:])
		}
	}
}

// add sets dst[i] += src[i].
func add[T float](dst, src []T) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}

// forChunks calls f(n0, m) for the chunks [n0, n0+m) of n items in chunks
// of size, on up to GOMAXPROCS goroutines (the caller and helpers) that
// take chunks from a shared counter, so that a core slowed down by other
// processes does fewer. f must be safe to call concurrently on different
// chunks. interrupt.Check runs before each chunk; a panic in any call
// (an interruption included) stops the others from starting new chunks
// and is raised again in the caller once all have stopped.
func forChunks(n, size int, f func(n0, m int)) {
	chunks := (n + size - 1) / size
	var next atomic.Int64
	var failed atomic.Bool
	var mu sync.Mutex
	var first any
	run := func() {
		defer func() {
			if r := recover(); r != nil {
				failed.Store(true)
				mu.Lock()
				if first == nil {
					first = r
				}
				mu.Unlock()
			}
		}()
		for !failed.Load() {
			c := int(next.Add(1)) - 1
			if c >= chunks {
				return
			}
			interrupt.Check()
			n0 := c * size
			f(n0, min(size, n-n0))
		}
	}
	helpers := min(runtime.GOMAXPROCS(0), chunks) - 1
	var wg sync.WaitGroup
	for range helpers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run()
		}()
	}
	run()
	wg.Wait()
	if first != nil {
		panic(first)
	}
}
