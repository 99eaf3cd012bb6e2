package tensor

import (
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/gonnlab/gonn/interrupt"
)

// node records the op that made a tensor: its inputs in order, the tensors
// its backward rule needs (for display), and the rule itself.
type node struct {
	op       string
	inputs   []*Tensor
	saved    []*Tensor
	versions []uint64                  // of saved, when recorded
	backward func(g *Tensor) []*Tensor // gradient of each input, given the output's
	freed    bool
}

// Recording is off while noGradDepth > 0 (NoGrad calls in progress) or
// gradDisabled is set (SetGradEnabled(false)).
var (
	noGradDepth  atomic.Int64
	gradDisabled atomic.Bool
)

// GradEnabled reports whether ops record the graph (false inside NoGrad or
// after SetGradEnabled(false)).
func GradEnabled() bool { return noGradDepth.Load() == 0 && !gradDisabled.Load() }

// SetGradEnabled turns graph recording on or off outside of NoGrad, and
// returns the previous setting of this switch. Notebooks and tests use it
// to reset the state; prefer NoGrad. The setting is process-wide, not per
// goroutine.
func SetGradEnabled(on bool) (prev bool) { return !gradDisabled.Swap(!on) }

// NoGrad runs f with graph recording off: tensors made inside do not
// require gradients (evaluation, optimizer updates). It nests, and
// restores recording even if f panics.
func NoGrad(f func()) {
	noGradDepth.Add(1)
	defer noGradDepth.Add(-1)
	f()
}

// record attaches the graph to out, made by op from inputs, if any input
// requires a gradient and recording is on. backward returns the gradient of
// each input (nil for none) given out's gradient; gradients whose shape was
// broadcast are summed back by the walk. saved lists the tensors backward
// uses, for graph displays. It returns out.
func record(out *Tensor, op string, inputs, saved []*Tensor, backward func(g *Tensor) []*Tensor) *Tensor {
	if !GradEnabled() {
		return out
	}
	need := false
	for _, in := range inputs {
		if in != nil && in.requiresGrad {
			need = true
		}
	}
	if !need {
		return out
	}
	out.requiresGrad = true
	versions := make([]uint64, len(saved))
	for i, s := range saved {
		versions[i] = *s.version
	}
	out.node = &node{op: op, inputs: inputs, saved: saved, versions: versions, backward: backward}
	return out
}

// Record makes out the result of a new differentiable op named op,
// computed from inputs, for packages that add fused ops (a convolution, a
// cross-entropy) outside this one. backward receives the gradient of out
// and returns one gradient per input, in order: nil where none flows, else
// a tensor of the input's dtype and shape (or a shape that broadcasts to
// it, summed back). saved lists the tensors backward reads, for graph
// displays and the in-place check. out must be new (made by no op) and is
// returned; if recording is off or no input requires a gradient, it is
// returned as is.
func Record(out *Tensor, op string, inputs, saved []*Tensor, backward func(grad *Tensor) []*Tensor) *Tensor {
	if out.node != nil || out.requiresGrad {
		fail(ErrGraph, op, "%s: Record needs a new tensor, not one made by %s", shapeStr(out.shape), out.Op())
	}
	return record(out, op, inputs, saved, backward)
}

// RequiresGrad marks a leaf tensor as a parameter whose gradient Backward
// accumulates in Grad, and returns t. It panics on an Int tensor.
func (t *Tensor) RequiresGrad() *Tensor {
	if t.dtype == Int {
		fail(ErrDType, "requires_grad", "%s: int tensors have no gradient", shapeStr(t.shape))
	}
	t.requiresGrad = true
	return t
}

// NeedsGrad reports whether gradients flow to t: it called RequiresGrad,
// or was computed from a tensor that did while recording was on.
func (t *Tensor) NeedsGrad() bool { return t.requiresGrad }

// IsLeaf reports whether t was made by no recorded op (a parameter, data, a
// detached tensor).
func (t *Tensor) IsLeaf() bool { return t.node == nil }

// RetainGrad asks Backward to keep the gradient of a non-leaf tensor in
// Grad, and returns t.
func (t *Tensor) RetainGrad() *Tensor {
	t.retainGrad = true
	return t
}

// Grad returns the gradient accumulated by Backward, or nil if none.
func (t *Tensor) Grad() *Tensor { return t.grad }

// ZeroGrad drops t's accumulated gradient.
func (t *Tensor) ZeroGrad() { t.grad = nil }

// Detach returns a view of t's data cut from the graph: no gradient flows
// through it.
func (t *Tensor) Detach() *Tensor { return t.view(t.shape, t.strides, t.offset) }

// RegisterHook adds f, called with t's gradient during Backward before the
// gradient is used; if f returns a tensor, it replaces the gradient.
func (t *Tensor) RegisterHook(f func(grad *Tensor) *Tensor) {
	if !t.requiresGrad {
		fail(ErrGraph, "register_hook", "%s: tensor does not require grad", shapeStr(t.shape))
	}
	t.hooks = append(t.hooks, f)
}

// Op returns the name of the op that made t ("mul", "matmul", ...), or ""
// for a leaf.
func (t *Tensor) Op() string {
	if t.node == nil {
		return ""
	}
	return t.node.op
}

// Inputs returns the tensors the op that made t took, in order (nil for a
// leaf). An input that is not a tensor (a dropped mask) is nil.
func (t *Tensor) Inputs() []*Tensor {
	if t.node == nil {
		return nil
	}
	return append([]*Tensor{}, t.node.inputs...)
}

// Saved returns the tensors the backward rule of t's op keeps alive, or nil
// once Backward has freed the graph.
func (t *Tensor) Saved() []*Tensor {
	if t.node == nil || len(t.node.saved) == 0 {
		return nil
	}
	return append([]*Tensor{}, t.node.saved...)
}

// Backward computes the gradient of t, a one-element tensor (a loss), with
// respect to every tensor it was computed from, accumulates it into the Grad
// of the leaves that require one, and frees the graph.
func (t *Tensor) Backward() {
	if t.Numel() != 1 {
		fail(ErrGraph, "backward", "%s: Backward without a gradient needs a one-element tensor; use BackwardWith", shapeStr(t.shape))
	}
	t.backward(onesLike(t), false)
}

// BackwardWith is Backward for a tensor of any shape, given the gradient of
// the final result with respect to t (same shape as t).
func (t *Tensor) BackwardWith(grad *Tensor) { t.backward(grad, false) }

// BackwardRetain is BackwardWith that keeps the graph, so that Backward can
// run through it again. A nil grad means ones (for a one-element t).
func (t *Tensor) BackwardRetain(grad *Tensor) {
	if grad == nil {
		grad = onesLike(t)
	}
	t.backward(grad, true)
}

func onesLike(t *Tensor) *Tensor { return newTensor(t.dtype, t.shape).Fill(1) }

// backward is the reverse walk: order the graph so that every tensor comes
// after the tensors made from it, then hand each tensor's gradient to its
// op's rule and add what the rule returns into the inputs' gradients.
func (t *Tensor) backward(grad *Tensor, retain bool) {
	if !t.requiresGrad {
		fail(ErrGraph, "backward", "%s: tensor does not require grad (no input called RequiresGrad, or made under NoGrad)", shapeStr(t.shape))
	}
	if !slices.Equal(grad.shape, t.shape) || grad.dtype != t.dtype {
		fail(ErrShape, "backward", "gradient %s %v for tensor %s %v", shapeStr(grad.shape), grad.dtype, shapeStr(t.shape), t.dtype)
	}
	order := topoSort(t)
	for i := len(order) - 1; i >= 0; i-- { // check it all before changing any gradient
		order[i].checkNode()
	}
	noGradDepth.Add(1) // backward rules use ops without recording them
	defer noGradDepth.Add(-1)
	defer func() { // leave no partial gradients behind, even on a panic
		for _, v := range order {
			v.pass = nil
		}
	}()
	walk := gradWalk{start: births.Load(), refs: map[*uint64]int{}}
	t.pass = grad
	walk.hold(grad)
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		interrupt.Check()
		g := v.pass
		if g == nil {
			continue
		}
		own := len(v.hooks) == 0 // a hook may keep the gradient it is given
		for _, h := range v.hooks {
			if r := h(g); r != nil {
				g = r
			}
		}
		if v.node == nil || v.retainGrad {
			switch {
			case v.grad != nil:
				v.grad = v.grad.Add(g)
			case own && v.node == nil && walk.owns(g):
				v.grad = g // nothing else refers to g's storage: keep it, as PyTorch steals a gradient no one else holds
			default:
				v.grad = g.materialize()
			}
		}
		if v.node == nil {
			continue
		}
		n := v.node
		grads := n.gradients(g, v.shape)
		if len(grads) != len(n.inputs) {
			fail(ErrGraph, "backward", "the backward of %s returned %d gradients for %d inputs", n.op, len(grads), len(n.inputs))
		}
		for j, in := range n.inputs {
			if in == nil || !in.requiresGrad || grads[j] == nil {
				continue
			}
			gj := grads[j]
			if gj.dtype != in.dtype || !broadcastsTo(in.shape, gj.shape) {
				fail(ErrGraph, "backward", "the backward of %s returned a %s %v gradient for input %d, %s %v",
					n.op, shapeStr(gj.shape), gj.dtype, j, shapeStr(in.shape), in.dtype)
			}
			gj = sumTo(gj, in.shape)
			if in.pass == nil {
				in.pass = gj
			} else {
				walk.drop(in.pass)
				in.pass = in.pass.Add(gj)
			}
			walk.hold(in.pass)
		}
		walk.drop(v.pass) // v's gradient is spent; what the rule made of it is held above
		if !retain {
			n.freed, n.backward, n.saved = true, nil, nil
		}
	}
}

// gradWalk is what one Backward walk knows about the storage of the
// gradients it hands from tensor to tensor, so that a leaf can keep its
// first gradient instead of copying it: refs counts, for each storage
// (identified by its version counter, which views share), the tensors'
// pending gradients that refer to it.
type gradWalk struct {
	start uint64 // births when the walk began
	refs  map[*uint64]int
}

func (w *gradWalk) hold(g *Tensor) { w.refs[g.version]++ }
func (w *gradWalk) drop(g *Tensor) { w.refs[g.version]-- }

// owns reports whether g's storage can become a leaf's gradient as is: a
// backward rule made it during this walk (so no tensor from before, such
// as the upstream gradient or a saved tensor, shares it), only g's pass
// refers to it, and g covers it contiguously from its start.
func (w *gradWalk) owns(g *Tensor) bool {
	return g.born > w.start && w.refs[g.version] == 1 && g.offset == 0 && g.IsContiguous() &&
		storageLen(g) == g.Numel()
}

// storageLen returns the number of elements of t's storage.
func storageLen(t *Tensor) int {
	switch d := t.data.(type) {
	case []float32:
		return len(d)
	case []float64:
		return len(d)
	case []int:
		return len(d)
	}
	return 0
}

// checkNode panics if the op that made v cannot run its backward rule: the
// graph was freed, or a tensor it saved was modified in place since.
func (v *Tensor) checkNode() {
	n := v.node
	if n == nil {
		return
	}
	if n.freed {
		fail(ErrGraph, "backward", "graph through %s %s was freed by an earlier Backward; call BackwardRetain the first time to go through it twice", n.op, shapeStr(v.shape))
	}
	for j, s := range n.saved {
		if *s.version != n.versions[j] {
			fail(ErrGraph, "backward", "%s %s needs a %s tensor that was modified in place (Set, Fill, Assign, ...InPlace) after %s used it",
				n.op, shapeStr(v.shape), shapeStr(s.shape), n.op)
		}
	}
}

// gradients runs the op's backward rule, naming the op in a NaN error
// raised inside it.
func (n *node) gradients(g *Tensor, shape []int) []*Tensor {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(*Error); ok && e.Kind == ErrNaN {
				e.Msg += fmt.Sprintf(" (in the gradient of %s %s)", n.op, shapeStr(shape))
			}
			panic(r)
		}
	}()
	return n.backward(g)
}

// topoSort returns the tensors t depends on that require grad, each after
// all of its inputs, t last.
func topoSort(t *Tensor) []*Tensor {
	var order []*Tensor
	seen := map[*Tensor]bool{}
	var visit func(v *Tensor)
	visit = func(v *Tensor) {
		if v == nil || seen[v] || !v.requiresGrad {
			return
		}
		seen[v] = true
		if v.node != nil {
			for _, in := range v.node.inputs {
				visit(in)
			}
		}
		order = append(order, v)
	}
	visit(t)
	return order
}

// sumTo sums g over the dimensions that broadcasting expanded, so that it
// has shape.
func sumTo(g *Tensor, shape []int) *Tensor {
	if slices.Equal(g.shape, shape) {
		return g
	}
	lead := len(g.shape) - len(shape)
	var dims []int
	for i := range g.shape {
		if i < lead || (shape[i-lead] == 1 && g.shape[i] != 1) {
			dims = append(dims, i)
		}
	}
	return g.SumKeepDim(dims...).Reshape(shape...)
}
