package display

import (
	"fmt"
	"html"
	"strings"

	"github.com/gonnlab/gonn/nnlib/nn"
	"github.com/gonnlab/gonn/output"
)

// Summary shows a model summary (nn.Summary's table) as an HTML table.
func Summary(s *nn.SummaryTable) { Show(SummaryBundle(s)) }

// SummaryBundle returns s as text/plain (its String) and as an HTML table
// of layers, output shapes and parameter counts with the totals.
func SummaryBundle(s *nn.SummaryTable) output.Bundle {
	var b strings.Builder
	b.WriteString(`<div style="font-family:monospace;font-size:12px"><table style="border-collapse:collapse">`)
	headerRow(&b, "Layer", "Type", "Output shape", "Params")
	const maxRows = 200
	for i, r := range s.Rows {
		if i == maxRows {
			fmt.Fprintf(&b, `<tr><td colspan="4" style="%s;text-align:center">&#8230; %d more layers</td></tr>`, tableCell, len(s.Rows)-maxRows)
			break
		}
		fmt.Fprintf(&b, `<tr><td style="%s">%s</td><td style="%s;text-align:left">%s</td><td style="%s">(%s)</td><td style="%s">%s</td></tr>`,
			tableCell, html.EscapeString(r.Name), tableCell, html.EscapeString(r.Layer), tableCell, joinInts(r.Output), tableCell, groupDigits(r.Params))
	}
	b.WriteString("</table>")
	fmt.Fprintf(&b, `<div style="margin-top:4px">input (%s) &#183; <b>%s</b> parameters, %s trainable, %s not</div></div>`,
		joinInts(s.Input), groupDigits(s.Total), groupDigits(s.Trainable), groupDigits(s.Total-s.Trainable))
	return output.Bundle{
		Data:     map[string]any{"text/plain": s.String(), "text/html": b.String()},
		Metadata: map[string]any{},
	}
}

const tableCell = `padding:1px 8px;border:1px solid #ddd;text-align:right`

func headerRow(b *strings.Builder, names ...string) {
	b.WriteString("<tr>")
	for _, h := range names {
		fmt.Fprintf(b, `<th style="%s;background:#f4f4f4">%s</th>`, tableCell, h)
	}
	b.WriteString("</tr>")
}

// ModuleBundle returns a model's description and its parameters: text/plain
// is its String (the layers, as PyTorch prints a module) and the counts;
// text/html the same text and a table of named parameters with their shapes
// and sizes. (nn.Summary also shows output shapes, by running the model.)
func ModuleBundle(m nn.Module) output.Bundle {
	params := m.NamedParameters()
	total, trainable := 0, 0
	for _, p := range params {
		total += p.Tensor.Numel()
		if p.Tensor.NeedsGrad() {
			trainable += p.Tensor.Numel()
		}
	}
	desc := ""
	if s, ok := m.(fmt.Stringer); ok {
		desc = strings.TrimRight(s.String(), "\n")
	}
	counts := fmt.Sprintf("%d parameter tensors, %s parameters (%s trainable)", len(params), groupDigits(total), groupDigits(trainable))
	text := counts
	if desc != "" {
		text = desc + "\n" + counts
	}
	var b strings.Builder
	b.WriteString(`<div style="font-family:monospace;font-size:12px">`)
	if desc != "" {
		fmt.Fprintf(&b, `<pre style="margin:0 0 4px 0">%s</pre>`, html.EscapeString(desc))
	}
	b.WriteString(`<table style="border-collapse:collapse">`)
	headerRow(&b, "Parameter", "Shape", "DType", "Size", "Trainable")
	const maxRows = 100
	for i, p := range params {
		if i == maxRows {
			fmt.Fprintf(&b, `<tr><td colspan="5" style="%s;text-align:center">&#8230; %d more</td></tr>`, tableCell, len(params)-maxRows)
			break
		}
		fmt.Fprintf(&b, `<tr><td style="%s;text-align:left">%s</td><td style="%s">(%s)</td><td style="%s">%v</td><td style="%s">%s</td><td style="%s">%v</td></tr>`,
			tableCell, html.EscapeString(p.Name), tableCell, joinInts(p.Tensor.Shape()), tableCell, p.Tensor.DType(), tableCell, groupDigits(p.Tensor.Numel()), tableCell, p.Tensor.NeedsGrad())
	}
	fmt.Fprintf(&b, `<tr><th colspan="3" style="%s">total</th><th style="%s">%s</th><th style="%s">%s</th></tr></table></div>`,
		tableCell, tableCell, groupDigits(total), tableCell, groupDigits(trainable))
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
