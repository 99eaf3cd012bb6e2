package display

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// Images shows a batch of small images as a grid, each with its caption
// from labels (which may be nil or shorter than the batch): digits with
// their predictions, filters, generated samples. See ImagesBundle for the
// shapes it takes.
func Images(t *tensor.Tensor, labels []string) { Show(ImagesBundle(t, labels)) }

// Grid layout of Images: at most gridColumns per row, each image scaled up
// by a whole factor to about gridCell pixels, at most gridMax images.
const (
	gridColumns = 10
	gridCell    = 56
	gridMax     = 200
	gridPad     = 6
)

// ImagesBundle returns the grid of Images as image/png. t is (N, H, W)
// greyscale, (N, C, H, W) with C 1 or 3, or (N, D) with D a square of at least
// 16 other than N (a flattened MNIST or digits batch); another (H, W) is
// one image. Each
// image is scaled to its own minimum and maximum. It panics on other
// shapes.
func ImagesBundle(t *tensor.Tensor, labels []string) output.Bundle {
	n, c, h, w := imageShape(t)
	vals := t.Float64s()
	shown := min(n, gridMax)
	scale := max(1, int(math.Round(float64(gridCell)/float64(max(h, w)))))
	cw, ch := w*scale, h*scale
	face := basicfont.Face7x13
	capH := 0
	if len(labels) > 0 {
		capH = face.Height + 2
	}
	cols := min(shown, gridColumns)
	rows := (shown + cols - 1) / max(cols, 1)
	cellW := max(cw, 7*maxLabel(labels, shown)) + gridPad
	cellH := ch + capH + gridPad
	img := image.NewRGBA(image.Rect(0, 0, max(cols*cellW+gridPad, 1), max(rows*cellH+gridPad, 1)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	per := c * h * w
	for k := range shown {
		x0 := gridPad + (k%cols)*cellW + (cellW-gridPad-cw)/2
		y0 := gridPad + (k/cols)*cellH
		px := vals[k*per : (k+1)*per]
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range px {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		span := hi - lo
		if !(span > 0) {
			span = 1
		}
		level := func(v float64) uint8 {
			if math.IsNaN(v) {
				return 0
			}
			return uint8(math.Round(255 * math.Min(1, math.Max(0, (v-lo)/span))))
		}
		for y := range h {
			for x := range w {
				var col color.RGBA
				if c == 3 {
					col = color.RGBA{level(px[y*w+x]), level(px[h*w+y*w+x]), level(px[2*h*w+y*w+x]), 255}
				} else {
					g := level(px[y*w+x])
					col = color.RGBA{g, g, g, 255}
				}
				draw.Draw(img, image.Rect(x0+x*scale, y0+y*scale, x0+(x+1)*scale, y0+(y+1)*scale), image.NewUniform(col), image.Point{}, draw.Src)
			}
		}
		if k < len(labels) && labels[k] != "" {
			d := font.Drawer{Dst: img, Src: image.Black, Face: face}
			tw := d.MeasureString(labels[k]).Round()
			cx := gridPad + (k%cols)*cellW + (cellW-gridPad-tw)/2
			d.Dot = fixed.P(cx, y0+ch+face.Ascent+1)
			d.DrawString(labels[k])
		}
	}
	b := ImageBundle(img)
	text := fmt.Sprintf("<Images: %d of %dx%d", n, h, w)
	if c == 3 {
		text += " RGB"
	}
	if shown < n {
		text += fmt.Sprintf(", first %d shown", shown)
	}
	if len(labels) > 0 {
		text += "; labels: " + strings.Join(labels[:min(len(labels), shown)], " ")
	}
	b.Data["text/plain"] = text + ">"
	return b
}

func maxLabel(labels []string, n int) int {
	m := 0
	for i := 0; i < len(labels) && i < n; i++ {
		m = max(m, len(labels[i]))
	}
	return m
}

// imageShape reads a batch of images' count, channels, height and width
// from t's shape.
func imageShape(t *tensor.Tensor) (n, c, h, w int) {
	s := t.Shape()
	switch {
	case len(s) == 2 && isSquare(s[1]) && s[1] >= 16 && s[0] != s[1]: // flattened images
		side := int(math.Round(math.Sqrt(float64(s[1]))))
		return s[0], 1, side, side
	case len(s) == 2:
		return 1, 1, s[0], s[1]
	case len(s) == 3:
		return s[0], 1, s[1], s[2]
	case len(s) == 4 && (s[1] == 1 || s[1] == 3):
		return s[0], s[1], s[2], s[3]
	}
	panic(fmt.Errorf("display: images: shape (%s): want (N, H, W), (N, 1|3, H, W) or (N, H*W)", joinInts(s)))
}

func isSquare(d int) bool {
	r := int(math.Round(math.Sqrt(float64(d))))
	return d > 1 && r*r == d
}
