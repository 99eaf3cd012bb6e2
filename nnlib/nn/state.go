package nn

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// LoadStateDict copies the tensors of state into b's parameters and
// buffers of the same names, in place (so optimizers holding them see the
// new values), converting between Float32 and Float64. As PyTorch's
// strict load_state_dict, it returns an error naming every missing,
// unexpected or mis-shaped tensor, and changes nothing then.
func (b *Base) LoadStateDict(state map[string]*tensor.Tensor) error {
	var problems []string
	seen := map[string]bool{}
	type pair struct{ dst, src *tensor.Tensor }
	var todo []pair
	b.walk("", func(name string, s slot, _ bool) {
		seen[name] = true
		src, ok := state[name]
		dst := *s.p
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("missing %q %s", name, shapeStr(dst.Shape())))
		case !slices.Equal(src.Shape(), dst.Shape()):
			problems = append(problems, fmt.Sprintf("%q has shape %s in the state, %s in the model", name, shapeStr(src.Shape()), shapeStr(dst.Shape())))
		case (src.DType() == tensor.Int) != (dst.DType() == tensor.Int):
			problems = append(problems, fmt.Sprintf("%q is %v in the state, %v in the model", name, src.DType(), dst.DType()))
		default:
			todo = append(todo, pair{dst, src})
		}
	})
	var extra []string
	for name, t := range state {
		if !seen[name] {
			extra = append(extra, fmt.Sprintf("unexpected %q %s", name, shapeStr(t.Shape())))
		}
	}
	sort.Strings(extra)
	problems = append(problems, extra...)
	if len(problems) > 0 {
		return fmt.Errorf("nn: load state dict: %s", strings.Join(problems, "; "))
	}
	tensor.NoGrad(func() {
		for _, p := range todo {
			p.dst.Detach().Assign(p.src.Detach().To(p.dst.DType()))
		}
	})
	return nil
}
