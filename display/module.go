package display

import (
	"fmt"
	"html"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// Module is what Render shows as a model summary: anything with
// parameters, such as an nn layer or a Sequential. A Module that also has
// a Summary() string method (a layer table) or a String method shows that
// text too.
type Module interface {
	Parameters() []*tensor.Tensor
}

// ModuleBundle returns m's summary: text/plain is its Summary (or String)
// followed by the parameter count; text/html the same text and a table of
// its parameters' shapes and sizes.
func ModuleBundle(m Module) output.Bundle {
	params := m.Parameters()
	total, trainable := 0, 0
	for _, p := range params {
		if p == nil {
			continue
		}
		total += p.Numel()
		if p.NeedsGrad() {
			trainable += p.Numel()
		}
	}
	desc := ""
	switch x := m.(type) {
	case interface{ Summary() string }:
		desc = x.Summary()
	case fmt.Stringer:
		desc = x.String()
	}
	counts := fmt.Sprintf("%d parameter tensors, %s parameters (%s trainable)", len(params), groupDigits(total), groupDigits(trainable))
	text := counts
	if desc != "" {
		text = strings.TrimRight(desc, "\n") + "\n" + counts
	}
	var b strings.Builder
	b.WriteString(`<div style="font-family:monospace;font-size:12px">`)
	if desc != "" {
		fmt.Fprintf(&b, `<pre style="margin:0 0 4px 0">%s</pre>`, html.EscapeString(desc))
	}
	const cell = `padding:1px 8px;border:1px solid #ddd;text-align:right`
	b.WriteString(`<table style="border-collapse:collapse"><tr>`)
	for _, h := range []string{"#", "shape", "dtype", "parameters", "trainable"} {
		fmt.Fprintf(&b, `<th style="%s;background:#f4f4f4">%s</th>`, cell, h)
	}
	b.WriteString("</tr>")
	const maxRows = 50
	for i, p := range params {
		if i == maxRows {
			fmt.Fprintf(&b, `<tr><td colspan="5" style="%s;text-align:center">&#8230; %d more</td></tr>`, cell, len(params)-maxRows)
			break
		}
		if p == nil {
			continue
		}
		fmt.Fprintf(&b, `<tr><td style="%s">%d</td><td style="%s">(%s)</td><td style="%s">%v</td><td style="%s">%s</td><td style="%s">%v</td></tr>`,
			cell, i, cell, joinInts(p.Shape()), cell, p.DType(), cell, groupDigits(p.Numel()), cell, p.NeedsGrad())
	}
	fmt.Fprintf(&b, `<tr><th colspan="3" style="%s">total</th><th style="%s">%s</th><th style="%s">%s</th></tr></table></div>`,
		cell, cell, groupDigits(total), cell, groupDigits(trainable))
	return output.Bundle{
		Data:     map[string]any{"text/plain": text, "text/html": b.String()},
		Metadata: map[string]any{},
	}
}

// groupDigits writes n with thousands separators: 101,770.
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
