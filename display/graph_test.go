package display

import (
	"os"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// mlp returns the loss of a two-layer perceptron and its parameters.
func mlp() (loss *tensor.Tensor, params []*tensor.Tensor) {
	x := tensor.Randn(8, 4)
	w1 := tensor.Randn(4, 5).RequiresGrad()
	b1 := tensor.Zeros(5).RequiresGrad()
	w2 := tensor.Randn(5, 1).RequiresGrad()
	h := x.MatMul(w1).Add(b1).ReLU()
	loss = h.MatMul(w2).Square().Mean()
	return loss, []*tensor.Tensor{w1, b1, w2}
}

// chain returns a graph of about n tensors: layers of matmul, add, tanh
// with their own weights, plus a residual sum now and then.
func chain(n int) *tensor.Tensor {
	y := tensor.Randn(4, 8)
	for i := 0; i*5 < n; i++ {
		w := tensor.Randn(8, 8).Mul(0.3).RequiresGrad()
		z := y.MatMul(w).Add(tensor.Zeros(8).RequiresGrad()).Tanh()
		if i%3 == 2 {
			z = z.Add(y)
		}
		y = z
	}
	return y.Sum()
}

func TestGraph(t *testing.T) {
	loss, params := mlp()
	b := GraphBundle(loss)
	checkBundle(t, b)
	svg := b.Data["image/svg+xml"].(string)
	for _, want := range []string{"matmul", "relu", "(8, 5) float32", "(4, 5) float32"} {
		if !strings.Contains(svg, want) {
			t.Errorf("graph SVG lacks %q", want)
		}
	}
	// One box of each kind's colour per node, and one in the legend.
	for kind, want := range map[int]int{kindInput: 2, kindParam: 3, kindOp: 6, kindOutput: 1} {
		fill := "fill:" + strings.ToUpper(kindStyle[kind].fill)
		if got := strings.Count(svg, fill); got != want+1 {
			t.Errorf("%d boxes filled %s, want %d and the legend's", got, fill, want)
		}
	}
	if img := checkBundle(t, b); img == nil || img.Bounds().Dx() < 560 {
		t.Errorf("graph PNG: %v", img)
	}
	if strings.Contains(svg, "|grad|") {
		t.Error("gradient norms before Backward")
	}
	text := b.Data["text/plain"].(string)
	if !strings.HasPrefix(text, "<autograd graph: 12 tensors (3 parameters, 2 inputs, 6 ops, 1 output)>") {
		t.Errorf("text/plain:\n%s", text)
	}
	loss.Backward()
	after := GraphBundle(loss)
	checkBundle(t, after)
	svg = after.Data["image/svg+xml"].(string)
	if got := strings.Count(svg, "|grad|"); got != len(params) {
		t.Errorf("%d gradient norms after Backward, want %d (the parameters)", got, len(params))
	}
}

func TestGraphLayout(t *testing.T) {
	g := buildGraph(chain(300), maxGraphNodes)
	if len(g.nodes) < 280 {
		t.Fatalf("chain(300) has %d nodes", len(g.nodes))
	}
	for _, n := range g.nodes {
		for _, in := range n.inputs {
			if g.nodes[in].layer >= n.layer {
				t.Fatalf("#%d (layer %d) has input #%d in layer %d: edges must go right", n.id, n.layer, in, g.nodes[in].layer)
			}
		}
	}
	out := g.nodes[len(g.nodes)-1]
	if out.kind != kindOutput || out.layer != len(g.layers)-1 {
		t.Errorf("output is in layer %d of %d", out.layer, len(g.layers))
	}
	// No two boxes overlap.
	g.svg()
	type cell struct{ x, y float64 }
	seen := map[cell]bool{}
	for _, n := range g.nodes {
		c := cell{n.x, n.y}
		if seen[c] {
			t.Fatalf("two boxes at %v", c)
		}
		seen[c] = true
	}
	if os.Getenv("GONN_DISPLAY_DUMP") != "" {
		os.WriteFile(os.Getenv("GONN_DISPLAY_DUMP")+"/graph300.svg", []byte(g.svg()), 0o644)
		loss, _ := mlp()
		loss.Backward()
		os.WriteFile(os.Getenv("GONN_DISPLAY_DUMP")+"/mlp.svg", []byte(GraphBundle(loss).Data["image/svg+xml"].(string)), 0o644)
	}
}

func TestGraphLimit(t *testing.T) {
	x := chain(100)
	g := buildGraph(x, 10)
	if len(g.nodes) != 10 || g.total < 90 {
		t.Fatalf("limited graph: %d nodes of %d", len(g.nodes), g.total)
	}
	cut := 0
	for _, n := range g.nodes {
		if n.cut {
			cut++
		}
	}
	if cut == 0 {
		t.Error("no node is marked as having inputs left out")
	}
	svg := g.svg()
	checkSVG(t, svg)
	if !strings.Contains(svg, "10 of ") || !strings.Contains(svg, "stroke-dasharray") {
		t.Error("the drawing does not say that it is cut")
	}
	if !strings.Contains(g.text(), "not drawn") {
		t.Errorf("text: %s", g.text())
	}
	single := GraphBundle(tensor.Ones(3))
	checkBundle(t, single)
}

func BenchmarkGraph300(b *testing.B) {
	x := chain(300)
	for b.Loop() {
		GraphBundle(x)
	}
}

func BenchmarkGraph300SVG(b *testing.B) {
	g := buildGraph(chain(300), maxGraphNodes)
	for b.Loop() {
		g.svg()
	}
}
