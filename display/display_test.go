package display

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/output"
)

type shown struct {
	b      output.Bundle
	id     string
	update bool
}

type recorder struct {
	output.Publisher
	shown   []shown
	cleared []bool
}

func (r *recorder) Display(b output.Bundle, id string, update bool) {
	r.shown = append(r.shown, shown{b, id, update})
}
func (r *recorder) ClearOutput(wait bool) { r.cleared = append(r.cleared, wait) }

func capture(t *testing.T) *recorder {
	r := &recorder{}
	prev := output.SetCurrent(r)
	t.Cleanup(func() { output.SetCurrent(prev) })
	return r
}

func TestBundles(t *testing.T) {
	r := capture(t)
	HTML("<b>bold</b> &amp; more")
	Markdown("*em*")
	Latex(`$x^2$`)
	SVG(`<svg xmlns="http://www.w3.org/2000/svg"/>`)
	JSON(map[string]int{"a": 1})
	want := []struct{ mime, text string }{
		{"text/html", "bold & more"},
		{"text/markdown", "*em*"},
		{"text/latex", "$x^2$"},
		{"image/svg+xml", "<SVG image>"},
		{"application/json", "{\n  \"a\": 1\n}"},
	}
	if len(r.shown) != len(want) {
		t.Fatalf("shown %d outputs, want %d", len(r.shown), len(want))
	}
	for i, w := range want {
		b := r.shown[i].b
		if _, ok := b.Data[w.mime]; !ok {
			t.Errorf("output %d lacks %s: %v", i, w.mime, b.Data)
		}
		if b.Data["text/plain"] != w.text {
			t.Errorf("output %d text/plain = %q, want %q", i, b.Data["text/plain"], w.text)
		}
		if b.Metadata == nil {
			t.Errorf("output %d has nil metadata", i)
		}
		if r.shown[i].id != "" || r.shown[i].update {
			t.Errorf("output %d has a display id", i)
		}
	}
	if tree, ok := r.shown[4].b.Data["application/json"].(map[string]any); !ok || tree["a"] != 1.0 {
		t.Errorf("application/json = %#v, want a decoded object", r.shown[4].b.Data["application/json"])
	}
}

func TestImage(t *testing.T) {
	r := capture(t)
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.White)
	Image(img)
	b := r.shown[0].b
	raw, err := base64.StdEncoding.DecodeString(b.Data["image/png"].(string))
	if err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds().Dx() != 3 || got.Bounds().Dy() != 2 {
		t.Errorf("decoded size %v", got.Bounds())
	}
	if b.Data["text/plain"] != "<PNG image 3x2>" {
		t.Errorf("text/plain = %q", b.Data["text/plain"])
	}
}

func TestHandleAndClear(t *testing.T) {
	r := capture(t)
	h := New(HTMLBundle("<i>0%</i>"))
	h.Update(HTMLBundle("<i>100%</i>"))
	ClearOutput(true)
	if len(r.shown) != 2 {
		t.Fatalf("shown %d, want 2", len(r.shown))
	}
	if r.shown[0].id == "" || r.shown[0].id != h.ID() || r.shown[1].id != h.ID() {
		t.Errorf("ids %q %q, handle %q", r.shown[0].id, r.shown[1].id, h.ID())
	}
	if r.shown[0].update || !r.shown[1].update {
		t.Error("first display must be new, second an update")
	}
	if !strings.Contains(r.shown[1].b.Data["text/html"].(string), "100%") {
		t.Error("update lost its content")
	}
	if len(r.cleared) != 1 || !r.cleared[0] {
		t.Errorf("cleared = %v", r.cleared)
	}
	if New(HTMLBundle("x")).ID() == h.ID() {
		t.Error("two handles share an id")
	}
}

func TestOutsideCell(t *testing.T) {
	HTML("nobody sees this") // must not panic without a cell
}
