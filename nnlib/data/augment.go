package data

import (
	"math"
	"math/rand/v2"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// Augmenter distorts batches of images at random, as a Loader's Augment
// option or by hand: a random shift by whole pixels, a random rotation
// about the centre (bilinear), and Gaussian noise.
//
//	aug := data.NewAugmenter(28, 28, 1).Shift(2).Rotate(10).Noise(0.05)
//	loader := data.NewLoader(train, 64, data.Shuffle(1), data.Augment(aug))
//
// Every output keeps its input's shape and range: pixels shifted or
// rotated in take the image's smallest value (its background, for digits,
// normalised or not), and values are clamped to the image's own minimum
// and maximum after the noise. The draws come from the seed, so a run is
// reproducible.
type Augmenter struct {
	h, w    int
	shift   int
	degrees float64
	noise   float64
	pcg     *rand.PCG
	r       *rand.Rand // over pcg
	scratch []float32
}

// NewAugmenter returns an augmenter of height x width images that changes
// nothing until Shift, Rotate or Noise is set.
func NewAugmenter(height, width int, seed uint64) *Augmenter {
	if height < 1 || width < 1 {
		fail("augmenter", "image size %dx%d is not positive", height, width)
	}
	a := &Augmenter{h: height, w: width}
	a.Seed(seed)
	return a
}

// Shift sets the largest shift, in pixels, along each axis (drawn
// uniformly from -pixels..pixels), and returns a.
func (a *Augmenter) Shift(pixels int) *Augmenter {
	if pixels < 0 {
		fail("augmenter", "shift %d is negative", pixels)
	}
	a.shift = pixels
	return a
}

// Rotate sets the largest rotation, in degrees either way (drawn
// uniformly), and returns a.
func (a *Augmenter) Rotate(degrees float64) *Augmenter {
	if !(degrees >= 0 && degrees <= 180) {
		fail("augmenter", "rotation %v is not in [0, 180] degrees", degrees)
	}
	a.degrees = degrees
	return a
}

// Noise sets the standard deviation of the Gaussian noise added to every
// value, and returns a. The noise is drawn from 4096 quantiles of the
// normal distribution (so it is bounded at ±3.7 std), five values per
// 64-bit random draw.
func (a *Augmenter) Noise(std float64) *Augmenter {
	if !(std >= 0) || math.IsInf(std, 0) {
		fail("augmenter", "noise %v is not a finite number >= 0", std)
	}
	a.noise = std
	return a
}

// Seed restarts a's random draws from seed.
func (a *Augmenter) Seed(seed uint64) {
	a.pcg = rand.NewPCG(seed, 0xa5a5)
	a.r = rand.New(a.pcg)
}

// Apply distorts a batch x in place: a float32 tensor whose trailing
// values come in images of height*width (shapes (B, H*W), (B, H, W) or
// (B, C, H, W)). The channels of one example share its shift and angle. It
// panics if x's examples do not hold whole images.
func (a *Augmenter) Apply(x *tensor.Tensor) {
	if x.DType() != tensor.Float32 || x.Dim() == 0 {
		fail("augment", "batch %v %v is not a float32 batch", x.Shape(), x.DType())
	}
	b, hw := x.Size(0), a.h*a.w
	if b == 0 {
		return
	}
	per := x.Numel() / b
	if per%hw != 0 {
		fail("augment", "examples of %v do not hold whole %dx%d images", x.Shape()[1:], a.h, a.w)
	}
	v := x.Float32Data()
	if cap(a.scratch) < hw {
		a.scratch = make([]float32, hw)
	}
	for e := range b {
		dx, dy, angle := 0, 0, 0.0
		if a.shift > 0 {
			dx, dy = a.r.IntN(2*a.shift+1)-a.shift, a.r.IntN(2*a.shift+1)-a.shift
		}
		if a.degrees > 0 {
			angle = (2*a.r.Float64() - 1) * a.degrees * math.Pi / 180
		}
		for c := 0; c < per; c += hw {
			img := v[e*per+c : e*per+c+hw]
			lo, hi := bounds(img)
			if dx != 0 || dy != 0 || angle != 0 {
				a.warp(img, dx, dy, angle, lo)
			}
			switch {
			case a.noise > 0:
				a.addNoise(img, lo, hi)
			case angle != 0:
				// Bilinear weights can round a value an ulp past its inputs.
				for i := range img {
					img[i] = min(max(img[i], lo), hi)
				}
			}
		}
	}
}

// normTable holds 4096 quantiles of the standard normal distribution,
// at (k+0.5)/4096: noise values are drawn from it, five per 64-bit draw.
// It is computed once and never changes.
var normTable = func() *[4096]float32 {
	var t [4096]float32
	for k := range t {
		t[k] = float32(math.Sqrt2 * math.Erfinv(2*(float64(k)+0.5)/4096-1))
	}
	return &t
}()

// addNoise adds noise of std a.noise to img and clamps it to [lo, hi].
func (a *Augmenter) addNoise(img []float32, lo, hi float32) {
	std := float32(a.noise)
	for i := 0; i < len(img); i += 5 {
		u := a.pcg.Uint64()
		for k := i; k < min(i+5, len(img)); k++ {
			img[k] = min(max(img[k]+normTable[u&4095]*std, lo), hi)
			u >>= 12
		}
	}
}

func bounds(img []float32) (lo, hi float32) {
	lo, hi = img[0], img[0]
	for _, p := range img {
		// Plain comparisons: the min and max builtins' NaN handling costs
		// a fifth of an augmented epoch.
		if p < lo {
			lo = p
		}
		if p > hi {
			hi = p
		}
	}
	return lo, hi
}

// warp moves img by (dx, dy) pixels and rotates it by angle radians about
// its centre, sampling bilinearly; outside pixels read as fill.
func (a *Augmenter) warp(img []float32, dx, dy int, angle float64, fill float32) {
	src := a.scratch[:len(img)]
	copy(src, img)
	h, w := a.h, a.w
	if angle == 0 {
		// A whole-pixel shift: copy rows.
		for i := range h {
			row := img[i*w : (i+1)*w]
			si := i - dy
			if si < 0 || si >= h {
				fillAll(row, fill)
				continue
			}
			srow := src[si*w : (si+1)*w]
			for j := range row {
				if sj := j - dx; sj >= 0 && sj < w {
					row[j] = srow[sj]
				} else {
					row[j] = fill
				}
			}
		}
		return
	}
	cy, cx := float64(h-1)/2, float64(w-1)/2
	sin, cos := math.Sincos(angle)
	at := func(i, j int) float32 {
		if i < 0 || i >= h || j < 0 || j >= w {
			return fill
		}
		return src[i*w+j]
	}
	for i := range h {
		// Invert the transform: undo the shift, then the rotation. Along a
		// row the source point moves by (cos, -sin) per pixel.
		u, t := float64(-dx)-cx, float64(i-dy)-cy
		sx, sy := cos*u+sin*t+cx, -sin*u+cos*t+cy
		for j := range w {
			j0, i0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := float32(sx-float64(j0)), float32(sy-float64(i0))
			var p00, p01, p10, p11 float32
			if i0 >= 0 && i0+1 < h && j0 >= 0 && j0+1 < w {
				k := i0*w + j0
				p00, p01, p10, p11 = src[k], src[k+1], src[k+w], src[k+w+1]
			} else {
				p00, p01, p10, p11 = at(i0, j0), at(i0, j0+1), at(i0+1, j0), at(i0+1, j0+1)
			}
			top := p00 + (p01-p00)*fx
			bot := p10 + (p11-p10)*fx
			img[i*w+j] = top + (bot-top)*fy
			sx += cos
			sy -= sin
		}
	}
}

func fillAll(d []float32, v float32) {
	for i := range d {
		d[i] = v
	}
}
