package logo

import (
	"bytes"
	"encoding/xml"
	"image/color"
	"image/png"
	"testing"
)

func TestImage(t *testing.T) {
	for _, size := range []int{32, 64} {
		img := Image(size)
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("Image(%d) is %v", size, b)
		}
		// Outside the rounded corner: transparent.
		if c := img.NRGBAAt(0, 0); c.A != 0 {
			t.Errorf("size %d: corner pixel %v, want transparent", size, c)
		}
		// The left edge's middle is background.
		if c := img.NRGBAAt(1, size/2); c != background {
			t.Errorf("size %d: edge pixel %v, want %v", size, c, background)
		}
		// The centre of every neuron is white.
		white := color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
		for _, layer := range layers {
			for _, p := range layer {
				x, y := int(p.x*float64(size)), int(p.y*float64(size))
				if c := img.NRGBAAt(x, y); c != white {
					t.Errorf("size %d: neuron at (%d, %d) is %v", size, x, y, c)
				}
			}
		}
	}
}

func TestPNG(t *testing.T) {
	b, err := PNG(32)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 32 {
		t.Errorf("decoded width %d", img.Bounds().Dx())
	}
}

func TestSVG(t *testing.T) {
	var doc struct {
		XMLName xml.Name
		Lines   []struct{} `xml:"g>line"`
		Circles []struct{} `xml:"g>circle"`
	}
	if err := xml.Unmarshal(SVG(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.XMLName.Local != "svg" || len(doc.Lines) != 3*3+3*2 || len(doc.Circles) != 8 {
		t.Errorf("SVG has root %q, %d lines, %d circles", doc.XMLName.Local, len(doc.Lines), len(doc.Circles))
	}
}
