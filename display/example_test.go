package display_test

import (
	"fmt"

	"github.com/gonnlab/gonn/display"
	"github.com/gonnlab/gonn/nnlib/tensor"
	"github.com/gonnlab/gonn/output"
)

// printer is a publisher that prints what it is given, as a front end
// without images would show it.
type printer struct{ output.Publisher }

func (printer) Display(b output.Bundle, id string, update bool) {
	kind := "display"
	if update {
		kind = "update"
	}
	fmt.Printf("%s: %s\n", kind, b.Data["text/plain"])
}

func ExampleRender() {
	b, ok := display.Render(tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2))
	fmt.Println(ok)
	fmt.Println(b.Data["text/plain"])
	_, hasHTML := b.Data["text/html"]
	fmt.Println(hasHTML)
	// Output:
	// true
	// tensor([[1., 2.],
	//         [3., 4.]], shape=(2, 2), dtype=float32)
	// true
}

func ExampleGraph() {
	prev := output.SetCurrent(printer{})
	defer output.SetCurrent(prev)
	w := tensor.Ones(2).RequiresGrad()
	loss := w.Mul(3).Sum()
	loss.Backward()
	display.Graph(loss)
	// Output:
	// display: <autograd graph: 4 tensors (1 parameters, 1 inputs, 1 ops, 1 output)>
	//   #0 parameter (2) float32 |grad| 4.243
	//   #1 input () float32
	//   #2 mul (2) float32 <- #0, #1
	//   #3 sum () float32 <- #2
}

func ExampleNewProgress() {
	prev := output.SetCurrent(printer{})
	defer output.SetCurrent(prev)
	p := display.NewProgress(0, "steps") // an unknown total
	p.Add(1)
	p.SetMetrics(map[string]float64{"loss": 0.5})
	p.Done()
	// The first three states are shown at once, then at most one per
	// ProgressInterval, and the final state.
}

func ExampleNew() {
	prev := output.SetCurrent(printer{})
	defer output.SetCurrent(prev)
	h := display.New(display.HTMLBundle("<i>waiting</i>"))
	h.Update(display.HTMLBundle("<b>done</b>"))
	// Output:
	// display: waiting
	// update: done
}
