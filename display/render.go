package display

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"gonum.org/v1/plot"

	"github.com/gonnlab/gonn/nnlib/nn"
	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// Render returns the bundle for a value the package knows how to show: a
// *tensor.Tensor (TensorBundle), a *plot.Plot (PlotBundle), an image.Image
// (image/png), an nn.Module (ModuleBundle) or an *nn.SummaryTable
// (SummaryBundle). ok is false for anything else,
// so that Render can be the kernel's first renderer (an interp.Renderer)
// and leave other values to the value's own HTML, SVG, PNG, Markdown or
// MIMEBundle methods.
func Render(v any) (b output.Bundle, ok bool) {
	switch x := v.(type) {
	case *tensor.Tensor:
		if x == nil {
			return output.Bundle{}, false
		}
		return TensorBundle(x), true
	case *plot.Plot:
		if x == nil {
			return output.Bundle{}, false
		}
		return PlotBundle(x), true
	case image.Image:
		return ImageBundle(x), true
	case *nn.SummaryTable:
		if x == nil {
			return output.Bundle{}, false
		}
		return SummaryBundle(x), true
	case nn.Module:
		if hasOwnRendering(v) {
			return output.Bundle{}, false
		}
		return ModuleBundle(x), true
	}
	return output.Bundle{}, false
}

// ImageBundle returns img encoded as PNG. It panics if img cannot be
// encoded (an empty image).
func ImageBundle(img image.Image) output.Bundle {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(fmt.Errorf("display: image: %w", err))
	}
	return PNGBundle(buf.Bytes())
}

// hasOwnRendering reports whether v has one of the methods the
// interpreter renders with (IPython's _repr_*_ convention), which then
// win over a generic module summary.
func hasOwnRendering(v any) bool {
	switch v.(type) {
	case interface{ MIMEBundle() map[string]any }, interface{ HTML() string },
		interface{ SVG() string }, interface{ PNG() []byte }, interface{ Markdown() string }:
		return true
	}
	return false
}
