package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/gonnlab/gonn/nnlib/nn"
	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// checkBundle checks what every bundle must satisfy: a text/plain string,
// an object for metadata, valid nbformat JSON, SVG that parses as XML
// with its own size, PNG that decodes. It returns the decoded PNG, if any.
func checkBundle(t *testing.T, b output.Bundle) image.Image {
	t.Helper()
	if s, ok := b.Data["text/plain"].(string); !ok || s == "" {
		t.Errorf("text/plain = %#v, want a non-empty string", b.Data["text/plain"])
	}
	if b.Metadata == nil {
		t.Error("metadata is nil, want an object")
	}
	raw, err := json.Marshal(map[string]any{"data": b.Data, "metadata": b.Metadata})
	if err != nil {
		t.Fatalf("bundle does not marshal: %v", err)
	}
	if bytes.Contains(raw, []byte("null")) {
		t.Errorf("bundle JSON holds null: %.200s", raw)
	}
	if s, ok := b.Data["image/svg+xml"].(string); ok {
		checkSVG(t, s)
	}
	if s, ok := b.Data["text/html"].(string); ok {
		checkXML(t, s)
	}
	var img image.Image
	if s, ok := b.Data["image/png"].(string); ok {
		raw, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("image/png is not base64: %v", err)
		}
		img, err = png.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("image/png does not decode: %v", err)
		}
	}
	return img
}

// checkSVG parses s as XML and checks that its root is an <svg> with a
// width and a height.
func checkSVG(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		tok, err := d.Token()
		if err != nil {
			t.Fatalf("SVG has no root element: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local != "svg" {
				t.Fatalf("SVG root is <%s>", se.Name.Local)
			}
			attrs := map[string]string{}
			for _, a := range se.Attr {
				attrs[a.Name.Local] = a.Value
			}
			if attrs["width"] == "" || attrs["height"] == "" {
				t.Errorf("SVG root lacks its size: %v", se.Attr)
			}
			break
		}
	}
	checkXML(t, s)
}

// checkXML checks that s is well-formed XML (HTML fragments are wrapped in
// one root, since they may have several).
func checkXML(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader("<root>" + strings.TrimPrefix(s, `<?xml version="1.0"?>`) + "</root>"))
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%.300s", err, s)
		}
	}
}

func TestRenderTensor(t *testing.T) {
	x := tensor.FromSlice([]float32{1, -2, 3.5, 0, 5, -6}, 2, 3)
	b, ok := Render(x)
	if !ok {
		t.Fatal("Render refused a tensor")
	}
	checkBundle(t, b)
	if b.Data["text/plain"] != x.String() {
		t.Errorf("text/plain = %q, want the tensor's String", b.Data["text/plain"])
	}
	h := b.Data["text/html"].(string)
	for _, want := range []string{"shape=(2, 3)", "dtype=float32", ">3.5000<", ">-6.0000<", "style=", "background:#ff"} {
		if !strings.Contains(h, want) {
			t.Errorf("html lacks %q:\n%s", want, h)
		}
	}
	// The largest magnitude gets the strongest colour, zero stays white.
	if !strings.Contains(h, "background:#70a0ff\">-6.0000") || !strings.Contains(h, "background:#ffffff\">0.0000") {
		t.Errorf("colours by magnitude are wrong:\n%s", h)
	}
	if strings.Contains(h, "&#8230;") {
		t.Error("a small tensor is summarised")
	}
}

func TestRenderTensorShapes(t *testing.T) {
	for _, shape := range [][]int{{}, {5}, {0}, {3, 0}, {2, 3, 4}, {7, 2, 2, 2}, {40}, {30, 30}} {
		x := tensor.Ones(shape...)
		if len(shape) == 0 {
			x = tensor.Scalar(2.5)
		}
		b := TensorBundle(x)
		checkBundle(t, b)
		h := b.Data["text/html"].(string)
		if !strings.Contains(h, "shape=("+joinInts(shape)+")") {
			t.Errorf("%v: header missing:\n%.300s", shape, h)
		}
	}
	h := TensorBundle(tensor.Ones(7, 2, 2, 2)).Data["text/html"].(string)
	if !strings.Contains(h, "[6, 1, :, :]") || strings.Contains(h, "[3, 0, :, :]") || !strings.Contains(h, "&#8942;") {
		t.Errorf("leading dimensions are not summarised:\n%s", h)
	}
	ints := TensorBundle(tensor.FromSlice([]int{3, -1}, 2)).Data["text/html"].(string)
	if !strings.Contains(ints, ">3<") || !strings.Contains(ints, "dtype=int") {
		t.Errorf("int tensor:\n%s", ints)
	}
	g := TensorBundle(tensor.Ones(2).RequiresGrad().Mul(2)).Data["text/html"].(string)
	if !strings.Contains(g, "grad_fn=&lt;mul&gt;") {
		t.Errorf("grad_fn missing:\n%s", g)
	}
}

func TestRenderTensorLarge(t *testing.T) {
	x := tensor.Randn(1000, 1000)
	x.Set(math.Inf(1), 0, 0)
	b := TensorBundle(x)
	checkBundle(t, b)
	h := b.Data["text/html"].(string)
	if len(h) > 200<<10 {
		t.Errorf("1000x1000 table is %d bytes, want < 200 KB", len(h))
	}
	if !strings.Contains(h, ">999<") || !strings.Contains(h, "&#8230;") || !strings.Contains(h, ">inf<") {
		t.Errorf("summary lacks the last index, the ellipsis or inf")
	}
	t.Logf("1000x1000: html %d bytes, text %d bytes", len(h), len(b.Data["text/plain"].(string)))
}

func linePlot(n int) *plot.Plot {
	xys := make(plotter.XYs, n)
	for i := range xys {
		xys[i] = plotter.XY{X: float64(i), Y: math.Sin(float64(i) / 50)}
	}
	p := plot.New()
	p.Title.Text = "sine"
	l, err := plotter.NewLine(xys)
	if err != nil {
		panic(err)
	}
	p.Add(l, plotter.NewGrid())
	return p
}

func TestRenderPlot(t *testing.T) {
	b, ok := Render(linePlot(1000))
	if !ok {
		t.Fatal("Render refused a plot")
	}
	img := checkBundle(t, b)
	if _, ok := b.Data["text/html"]; ok {
		t.Error("a plot bundle carries text/html")
	}
	if _, ok := b.Data["image/svg+xml"]; !ok || img == nil {
		t.Fatalf("plot bundle lacks SVG or PNG: %v", keys(b))
	}
	if img.Bounds().Dx() != 576 || img.Bounds().Dy() != 384 {
		t.Errorf("PNG is %v, want 576x384", img.Bounds())
	}
	if b.Data["text/plain"] != `<Plot "sine">` {
		t.Errorf("text/plain = %q", b.Data["text/plain"])
	}
}

func keys(b output.Bundle) []string {
	var ks []string
	for k := range b.Data {
		ks = append(ks, k)
	}
	return ks
}

func TestRenderImageAndOthers(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 5))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	b, ok := Render(img)
	if !ok {
		t.Fatal("Render refused an image")
	}
	if got := checkBundle(t, b); got.Bounds().Dx() != 4 || got.Bounds().Dy() != 5 {
		t.Errorf("decoded %v", got.Bounds())
	}
	for _, v := range []any{nil, 3, "s", (*tensor.Tensor)(nil), (*plot.Plot)(nil), struct{}{}} {
		if _, ok := Render(v); ok {
			t.Errorf("Render accepted %#v", v)
		}
	}
}

type htmlModule struct{ nn.Module }

func (htmlModule) HTML() string { return "<b>mine</b>" }

func TestRenderModule(t *testing.T) {
	m := nn.Sequential(nn.Linear(3, 2), nn.ReLU())
	b, ok := Render(m)
	if !ok {
		t.Fatal("Render refused a module")
	}
	checkBundle(t, b)
	text := b.Data["text/plain"].(string)
	if !strings.HasPrefix(text, m.String()) || !strings.HasSuffix(text, "\n2 parameter tensors, 8 parameters (8 trainable)") {
		t.Errorf("text/plain = %q", text)
	}
	if h := b.Data["text/html"].(string); !strings.Contains(h, ">0.weight<") || !strings.Contains(h, "(2, 3)") || !strings.Contains(h, ">8<") {
		t.Errorf("html:\n%s", h)
	}
	if _, ok := Render(htmlModule{m}); ok {
		t.Error("a module with its own HTML method went to the summary")
	}
	s := nn.Summary(m, 1, 3)
	b, ok = Render(s)
	if !ok {
		t.Fatal("Render refused a summary table")
	}
	checkBundle(t, b)
	if b.Data["text/plain"] != s.String() {
		t.Errorf("summary text/plain = %q", b.Data["text/plain"])
	}
	if h := b.Data["text/html"].(string); !strings.Contains(h, "(1, 2)") || !strings.Contains(h, "<b>8</b> parameters") {
		t.Errorf("summary html:\n%s", h)
	}
}

func TestThin(t *testing.T) {
	xys := make(plotter.XYs, 100000)
	for i := range xys {
		xys[i] = plotter.XY{X: float64(i), Y: float64(i % 7)}
	}
	xys[54321].Y = 1000
	got := Thin(xys, MaxPoints)
	if len(got) > MaxPoints || len(got) < MaxPoints/2 {
		t.Fatalf("thinned to %d points", len(got))
	}
	peak := false
	for i, p := range got {
		if i > 0 && p.X <= got[i-1].X {
			t.Fatalf("points out of order at %d", i)
		}
		peak = peak || p.Y == 1000
	}
	if !peak {
		t.Error("thinning lost the spike")
	}
	if short := xys[:10]; len(Thin(short, MaxPoints)) != 10 {
		t.Error("a short series was thinned")
	}
}

func TestLineHistogramHeatmap(t *testing.T) {
	b := LineBundle("loss", tensor.Randn(50000))
	checkBundle(t, b)
	if n := strings.Count(b.Data["image/svg+xml"].(string), " L"); n > MaxPoints+100 {
		t.Errorf("line SVG has %d segments, want thinning to %d", n, MaxPoints)
	}
	h := HistogramBundle(tensor.Randn(10000), 50)
	checkBundle(t, h)
	if _, ok := h.Data["text/html"]; ok {
		t.Error("histogram carries text/html")
	}
	checkBundle(t, HistogramBundle(tensor.Full(math.NaN(), 3), 10))
	for _, x := range []*tensor.Tensor{tensor.Randn(28, 28), tensor.Rand(1, 10, 10), tensor.Ones(4, 4), tensor.Arange(0, 5, 1)} {
		b := HeatmapBundle(x)
		img := checkBundle(t, b)
		if img.Bounds().Dx() != 576 {
			t.Errorf("heatmap PNG %v", img.Bounds())
		}
		if !strings.Contains(b.Data["image/svg+xml"].(string), `<image preserveAspectRatio="none"`) {
			t.Error("heatmap SVG images keep their aspect ratio (letterboxed)")
		}
		if !strings.Contains(b.Data["text/plain"].(string), "Heatmap") {
			t.Errorf("heatmap text %q", b.Data["text/plain"])
		}
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "display: heatmap: shape (2, 3, 4)") {
			t.Errorf("heatmap of a 3-D tensor: panic %v", r)
		}
	}()
	HeatmapBundle(tensor.Ones(2, 3, 4))
}

func TestImagesGrid(t *testing.T) {
	cases := []struct {
		x      *tensor.Tensor
		labels []string
		text   string
		w, h   int
	}{
		{tensor.Rand(12, 28, 28), []string{"7", "2", "1"}, "<Images: 12 of 28x28; labels: 7 2 1>", 10*(56+6) + 6, 2*(56+15+6) + 6},
		{tensor.Rand(3, 64), nil, "<Images: 3 of 8x8>", 3*(56+6) + 6, 56 + 12},
		{tensor.Rand(2, 3, 5, 5), nil, "<Images: 2 of 5x5 RGB>", 2*(55+6) + 6, 55 + 12},
		{tensor.Rand(5, 7), nil, "<Images: 1 of 5x7>", 56 + 12, 40 + 12},
	}
	for _, c := range cases {
		b := ImagesBundle(c.x, c.labels)
		img := checkBundle(t, b)
		if b.Data["text/plain"] != c.text {
			t.Errorf("text = %q, want %q", b.Data["text/plain"], c.text)
		}
		if img.Bounds().Dx() != c.w || img.Bounds().Dy() != c.h {
			t.Errorf("%s: grid is %v, want %dx%d", c.text, img.Bounds(), c.w, c.h)
		}
	}
	// The caption is drawn: dark pixels below the first image.
	img := checkBundle(t, ImagesBundle(tensor.Zeros(1, 28, 28), []string{"label"}))
	dark := 0
	for y := 6 + 56; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				dark++
			}
		}
	}
	if dark < 10 {
		t.Errorf("caption has %d dark pixels", dark)
	}
}

func BenchmarkPlotSVG1000(b *testing.B) {
	p := linePlot(1000)
	for b.Loop() {
		drawSVG(plotWidth, plotHeight, p.Draw)
	}
}

func BenchmarkPlotPNG1000(b *testing.B) {
	p := linePlot(1000)
	for b.Loop() {
		drawPNG(plotWidth, plotHeight, p.Draw)
	}
}

func BenchmarkTensorTable100(b *testing.B) {
	x := tensor.Randn(100, 100)
	for b.Loop() {
		TensorBundle(x)
	}
}

func BenchmarkTensorTable1000(b *testing.B) {
	x := tensor.Randn(1000, 1000)
	for b.Loop() {
		TensorBundle(x)
	}
}
