// Package logo draws gonn's kernel logo: a small neural network, white on
// Go's blue, in a rounded square. The same geometry gives the PNGs Jupyter
// shows in its launcher and kernel menus and an SVG for front ends that take
// one. install/gen.go writes the files that install/ embeds.
package logo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
)

// The geometry, in a unit square with y pointing down.
const (
	corner     = 0.19  // corner radius of the background
	nodeRadius = 0.078 // radius of a neuron
	edgeWidth  = 0.034 // width of a connection
	edgeAlpha  = 0.62  // opacity of a connection
)

// background is Go's brand blue, #00ADD8.
var background = color.NRGBA{R: 0x00, G: 0xAD, B: 0xD8, A: 0xFF}

type point struct{ x, y float64 }

// layers are the neurons of a 3-3-2 network, left to right.
var layers = [][]point{
	{{0.22, 0.27}, {0.22, 0.5}, {0.22, 0.73}},
	{{0.5, 0.27}, {0.5, 0.5}, {0.5, 0.73}},
	{{0.78, 0.385}, {0.78, 0.615}},
}

// samples is the side of the grid of subpixel samples per pixel.
const samples = 8

// Image draws the logo as a size x size image, antialiased by averaging
// samples x samples points per pixel.
func Image(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64 // premultiplied sums
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/samples) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/samples) / float64(size)
					cr, cg, cb, ca := shade(x, y)
					r, g, b, a = r+cr*ca, g+cg*ca, b+cb*ca, a+ca
				}
			}
			n := float64(samples * samples)
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(255 * r / a)),
				G: uint8(math.Round(255 * g / a)),
				B: uint8(math.Round(255 * b / a)),
				A: uint8(math.Round(255 * a / n)),
			})
		}
	}
	return img
}

// shade returns the straight (not premultiplied) colour, components in
// [0, 1], of the logo at (x, y) in the unit square.
func shade(x, y float64) (r, g, b, a float64) {
	if !inRoundedSquare(x, y) {
		return 0, 0, 0, 0
	}
	r, g, b = float64(background.R)/255, float64(background.G)/255, float64(background.B)/255
	for i := 0; i+1 < len(layers); i++ {
		for _, p := range layers[i] {
			for _, q := range layers[i+1] {
				if segmentDistance(x, y, p, q) <= edgeWidth/2 {
					r, g, b = over(r, g, b, edgeAlpha)
				}
			}
		}
	}
	for _, layer := range layers {
		for _, p := range layer {
			if math.Hypot(x-p.x, y-p.y) <= nodeRadius {
				r, g, b = over(r, g, b, 1)
			}
		}
	}
	return r, g, b, 1
}

// over composites white with opacity alpha over an opaque colour.
func over(r, g, b, alpha float64) (float64, float64, float64) {
	return r + (1-r)*alpha, g + (1-g)*alpha, b + (1-b)*alpha
}

func inRoundedSquare(x, y float64) bool {
	if x < 0 || x > 1 || y < 0 || y > 1 {
		return false
	}
	cx := math.Min(math.Max(x, corner), 1-corner)
	cy := math.Min(math.Max(y, corner), 1-corner)
	return math.Hypot(x-cx, y-cy) <= corner
}

// segmentDistance is the distance from (x, y) to the segment pq.
func segmentDistance(x, y float64, p, q point) float64 {
	dx, dy := q.x-p.x, q.y-p.y
	t := ((x-p.x)*dx + (y-p.y)*dy) / (dx*dx + dy*dy)
	t = math.Min(math.Max(t, 0), 1)
	return math.Hypot(x-(p.x+t*dx), y-(p.y+t*dy))
}

// PNG returns the logo encoded as a size x size PNG.
func PNG(size int) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, Image(size)); err != nil {
		return nil, fmt.Errorf("logo: encoding %dx%d PNG: %w", size, size, err)
	}
	return buf.Bytes(), nil
}

// SVG returns the logo as a scalable SVG document of nominal size 64x64.
func SVG() []byte {
	const s = 64.0
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" viewBox=\"0 0 %g %g\">\n", s, s, s, s)
	fmt.Fprintf(&buf, "  <rect width=\"%g\" height=\"%g\" rx=\"%g\" fill=\"#%02X%02X%02X\"/>\n",
		s, s, corner*s, background.R, background.G, background.B)
	fmt.Fprintf(&buf, "  <g stroke=\"#FFFFFF\" stroke-opacity=\"%g\" stroke-width=\"%g\">\n", edgeAlpha, edgeWidth*s)
	for i := 0; i+1 < len(layers); i++ {
		for _, p := range layers[i] {
			for _, q := range layers[i+1] {
				fmt.Fprintf(&buf, "    <line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\"/>\n", p.x*s, p.y*s, q.x*s, q.y*s)
			}
		}
	}
	buf.WriteString("  </g>\n  <g fill=\"#FFFFFF\">\n")
	for _, layer := range layers {
		for _, p := range layer {
			fmt.Fprintf(&buf, "    <circle cx=\"%g\" cy=\"%g\" r=\"%g\"/>\n", p.x*s, p.y*s, nodeRadius*s)
		}
	}
	buf.WriteString("  </g>\n</svg>\n")
	return buf.Bytes()
}
