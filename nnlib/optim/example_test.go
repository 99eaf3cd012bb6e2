package optim_test

import (
	"fmt"
	"math"

	"github.com/gonnlab/gonn/nnlib/optim"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

// Fitting y = 3x - 1 by gradient descent with momentum.
func ExampleSGD() {
	w := tensor.Zeros(1).RequiresGrad()
	b := tensor.Zeros(1).RequiresGrad()
	x := tensor.FromSlice([]float32{0, 1, 2, 3})
	y := x.Mul(3).Sub(1)
	opt := optim.SGD([]*tensor.Tensor{w, b}, 0.05, optim.Momentum(0.9))
	for range 200 {
		opt.ZeroGrad()
		loss := x.Mul(w).Add(b).Sub(y).Square().Mean()
		loss.Backward()
		opt.Step()
	}
	fmt.Printf("w=%.3f b=%.3f\n", w.Item(), b.Item())
	// Output: w=3.000 b=-1.000
}

func ExampleAdam() {
	w := tensor.FromSlice([]float32{5}).RequiresGrad()
	opt := optim.Adam([]*tensor.Tensor{w}, 0.1)
	fmt.Println(opt)
	for range 300 {
		opt.ZeroGrad()
		w.Square().Sum().Backward() // minimum at 0
		opt.Step()
	}
	fmt.Printf("|w| < 0.01: %v\n", math.Abs(w.Item()) < 0.01)
	// Output:
	// Adam(lr=0.1, betas=(0.9, 0.999), eps=1e-08) on 1 tensors (1 values)
	// |w| < 0.01: true
}

func ExampleStepLR() {
	opt := optim.SGD([]*tensor.Tensor{tensor.Zeros(1).RequiresGrad()}, 0.1)
	sched := optim.StepLR(opt, 2, 0.5)
	for epoch := 0; epoch < 5; epoch++ {
		fmt.Printf("%d:%g ", epoch, opt.LR())
		sched.Step()
	}
	fmt.Println()
	// Output: 0:0.1 1:0.1 2:0.05 3:0.05 4:0.025
}

func ExampleOneCycle() {
	opt := optim.SGD([]*tensor.Tensor{tensor.Zeros(1).RequiresGrad()}, 0.1, optim.Momentum(0.9))
	sched := optim.OneCycle(opt, 0.1, 10)
	for step := 0; step < 10; step++ {
		fmt.Printf("lr %.4f momentum %.3f\n", opt.LR(), opt.Momentum())
		if step < 9 {
			sched.Step()
		}
	}
	// Output:
	// lr 0.0040 momentum 0.950
	// lr 0.0520 momentum 0.900
	// lr 0.1000 momentum 0.850
	// lr 0.0950 momentum 0.855
	// lr 0.0812 momentum 0.869
	// lr 0.0611 momentum 0.889
	// lr 0.0389 momentum 0.911
	// lr 0.0188 momentum 0.931
	// lr 0.0050 momentum 0.945
	// lr 0.0000 momentum 0.950
}

func ExampleReduceOnPlateau() {
	opt := optim.Adam([]*tensor.Tensor{tensor.Zeros(1).RequiresGrad()}, 1e-3)
	plateau := optim.ReduceOnPlateau(opt, optim.Patience(1), optim.Factor(0.5))
	for _, loss := range []float64{0.9, 0.8, 0.8, 0.8, 0.7} {
		if plateau.Step(loss) {
			fmt.Println("reduced to", opt.LR())
		}
	}
	// Output: reduced to 0.0005
}

func ExampleClipGradNorm() {
	w := tensor.Zeros(2).RequiresGrad()
	w.Mul(tensor.FromSlice([]float32{3, 4})).Sum().Backward() // gradient (3, 4), norm 5
	norm := optim.ClipGradNorm([]*tensor.Tensor{w}, 1)
	fmt.Printf("norm %.1f, clipped %.3f\n", norm, w.Grad().Float64s())
	// Output: norm 5.0, clipped [0.600 0.800]
}

func ExampleNewEarlyStopping() {
	es := optim.NewEarlyStopping(2, 0)
	for epoch, loss := range []float64{0.9, 0.7, 0.75, 0.72, 0.6} {
		if es.Step(loss) {
			fmt.Printf("stop after epoch %d; best %.2f at epoch %d\n", epoch, es.Best(), es.BestEpoch())
			break
		}
	}
	// Output: stop after epoch 3; best 0.70 at epoch 1
}
