package display

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/png"
	"regexp"
	"strings"

	"github.com/gonnlab/gonn/output"
)

// Show publishes b as a new output of the running cell.
func Show(b output.Bundle) { output.Current().Display(b, "", false) }

// HTML shows an HTML fragment.
func HTML(s string) { Show(HTMLBundle(s)) }

// Markdown shows Markdown text.
func Markdown(s string) { Show(bundle("text/markdown", s, s)) }

// Latex shows LaTeX maths, e.g. `$\sigma(x) = 1/(1+e^{-x})$`.
func Latex(s string) { Show(bundle("text/latex", s, s)) }

// SVG shows an SVG image given as XML text.
func SVG(s string) { Show(bundle("image/svg+xml", s, "<SVG image>")) }

// PNG shows a PNG image given as its encoded bytes.
func PNG(b []byte) { Show(PNGBundle(b)) }

// Image shows img, encoded as PNG.
func Image(img image.Image) { Show(ImageBundle(img)) }

// JSON shows v as an interactive JSON tree where the front end has one,
// and as indented JSON text elsewhere. It panics if v cannot be encoded.
func JSON(v any) {
	text, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(fmt.Errorf("display: json: %w", err))
	}
	var tree any
	json.Unmarshal(text, &tree) // a map or list, as application/json wants
	Show(output.Bundle{
		Data:     map[string]any{"application/json": tree, "text/plain": string(text)},
		Metadata: map[string]any{},
	})
}

// ClearOutput clears the running cell's output. With wait, the front end
// clears it only when the next output arrives, which avoids flicker when
// redrawing.
func ClearOutput(wait bool) { output.Current().ClearOutput(wait) }

// HTMLBundle returns the bundle for an HTML fragment, with the fragment's
// text (tags removed) as its text/plain form.
func HTMLBundle(s string) output.Bundle { return bundle("text/html", s, htmlText(s)) }

// PNGBundle returns the bundle for encoded PNG bytes.
func PNGBundle(b []byte) output.Bundle {
	text := "<PNG image>"
	if cfg, err := png.DecodeConfig(bytes.NewReader(b)); err == nil {
		text = fmt.Sprintf("<PNG image %dx%d>", cfg.Width, cfg.Height)
	}
	return bundle("image/png", base64.StdEncoding.EncodeToString(b), text)
}

func bundle(mime string, data any, text string) output.Bundle {
	return output.Bundle{
		Data:     map[string]any{mime: data, "text/plain": text},
		Metadata: map[string]any{},
	}
}

var tags = regexp.MustCompile(`<[^>]*>`)

// htmlText is a readable plain-text form of an HTML fragment.
func htmlText(s string) string {
	return strings.TrimSpace(html.UnescapeString(tags.ReplaceAllString(s, "")))
}

// A Handle is an output that can be replaced in place, such as a progress
// bar or a chart that is redrawn while a cell runs.
type Handle struct {
	id  string
	pub output.Publisher
}

// New shows b and returns a handle to update it.
func New(b output.Bundle) *Handle {
	var id [8]byte
	rand.Read(id[:])
	h := &Handle{id: hex.EncodeToString(id[:]), pub: output.Current()}
	h.pub.Display(b, h.id, false)
	return h
}

// ID returns the display id that front ends use for the output.
func (h *Handle) ID() string { return h.id }

// Update replaces the output with b, wherever it was shown.
func (h *Handle) Update(b output.Bundle) { h.pub.Display(b, h.id, true) }
