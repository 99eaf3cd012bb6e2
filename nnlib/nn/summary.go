package nn

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// SummaryTable describes a model layer by layer: what Summary returns.
// Its String method prints it as a table; its fields are there for
// renderers (a notebook's HTML table).
type SummaryTable struct {
	Input     []int        // the shape of the input the model was run on
	Rows      []SummaryRow // one per layer, Sequential containers expanded
	Total     int          // parameter elements in the model
	Trainable int          // of Total, the ones that require gradients
}

// SummaryRow is one layer of a SummaryTable.
type SummaryRow struct {
	Name   string // the layer's state-dict prefix: "0", "2", "1.0"
	Layer  string // the layer's description: "Linear(in_features=784, ...)"
	Output []int  // the shape of its output
	Params int    // its number of parameter elements
}

// Summary runs model on zeros of inputShape (batch dimension included), of
// the dtype of its parameters (token 0 if its first layer is an
// Embedding), and returns its layers, their output shapes and parameter
// counts:
//
//	nn.Summary(model, 1, 784)
//
// The model runs in evaluation mode without recording a graph, and is put
// back in the mode it was in. SummaryOf takes an input of one's choice.
func Summary(model Module, inputShape ...int) *SummaryTable {
	x := tensor.Zeros(inputShape...)
	first := model
	for s, ok := first.(*SequentialLayer); ok && len(s.Layers) > 0; s, ok = first.(*SequentialLayer) {
		first = s.Layers[0]
	}
	if _, ok := first.(*EmbeddingLayer); ok {
		x = tensor.New(tensor.Int, inputShape...)
	} else if ps := model.Parameters(); len(ps) > 0 {
		x = x.To(ps[0].DType())
	}
	return SummaryOf(model, x)
}

// SummaryOf is Summary on a given input x.
func SummaryOf(model Module, x *tensor.Tensor) *SummaryTable {
	s := &SummaryTable{Input: x.Shape()}
	training := model.Training()
	model.Eval()
	defer func() {
		if training {
			model.Train()
		}
	}()
	tensor.NoGrad(func() { s.add("", model, x) })
	for _, p := range model.Parameters() {
		s.Total += p.Numel()
		if p.NeedsGrad() {
			s.Trainable += p.Numel()
		}
	}
	return s
}

// add runs m on x, adding a row per layer, and returns its output.
func (s *SummaryTable) add(name string, m Module, x *tensor.Tensor) *tensor.Tensor {
	if seq, ok := m.(*SequentialLayer); ok {
		for i, l := range seq.Layers {
			x = s.add(strings.TrimPrefix(name+"."+fmt.Sprint(i), "."), l, x)
		}
		return x
	}
	y := m.Forward(x)
	n := 0
	for _, p := range m.Parameters() {
		n += p.Numel()
	}
	if name == "" {
		name = "-"
	}
	layer := describe(m)
	if i := strings.IndexByte(layer, '\n'); i >= 0 {
		layer = layer[:i] + "...)"
	}
	s.Rows = append(s.Rows, SummaryRow{Name: name, Layer: layer, Output: y.Shape(), Params: n})
	return y
}

// String prints the table:
//
//	Layer  Type                                                  Output shape  Params
//	0      Linear(in_features=784, out_features=128, bias=True)  (1, 128)      100480
//	...
func (s *SummaryTable) String() string {
	var sb strings.Builder
	w := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "Layer\tType\tOutput shape\tParams")
	for _, r := range s.Rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\n", r.Name, r.Layer, pyShape(r.Output), r.Params)
	}
	w.Flush()
	fmt.Fprintf(&sb, "Input shape: %s\nTotal params: %d\nTrainable params: %d\nNon-trainable params: %d",
		pyShape(s.Input), s.Total, s.Trainable, s.Total-s.Trainable)
	return sb.String()
}

// pyShape writes a shape as Python does: "(1, 128)".
func pyShape(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}
