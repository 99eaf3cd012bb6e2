package tensor_test

import (
	"errors"
	"fmt"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

func Example() {
	tensor.Seed(0)
	x := tensor.Randn(64, 784)
	w := tensor.Randn(784, 10).Mul(0.01).RequiresGrad()
	logits := x.MatMul(w)
	loss := logits.LogSoftmax(1).Mean().Neg()
	loss.Backward()
	fmt.Println(logits.Shape(), loss.Op(), w.Grad().Shape())
	// Output: [64 10] neg [784 10]
}

func ExampleFromSlice() {
	x := tensor.FromSlice([][]float32{{1, 2, 3}, {4, 5, 6}})
	fmt.Println(x)
	fmt.Println(tensor.FromSlice([]int{3, 1, 4}))
	// Output:
	// tensor([[1., 2., 3.],
	//         [4., 5., 6.]], shape=(2, 3), dtype=float32)
	// tensor([3, 1, 4], shape=(3), dtype=int)
}

func ExampleTensor_Backward() {
	w := tensor.FromSlice([]float32{1, 2, 3}).RequiresGrad()
	loss := w.Mul(w).Sum() // d loss / dw = 2w
	loss.Backward()
	fmt.Println(loss.Item(), w.Grad().Float32s())
	// Output: 14 [2 4 6]
}

func ExampleTensor_MatMul() {
	a := tensor.FromSlice([][]float32{{1, 2}, {3, 4}})
	b := tensor.Eye(2).Mul(10)
	fmt.Println(a.MatMul(b))
	// Output:
	// tensor([[10., 20.],
	//         [30., 40.]], shape=(2, 2), dtype=float32)
}

func ExampleTensor_MatMul_error() {
	defer func() {
		err := recover().(error)
		fmt.Println(err, errors.Is(err, tensor.ErrShape))
	}()
	tensor.Zeros(64, 784).MatMul(tensor.Zeros(100, 10))
	// Output: tensor: matmul: (64x784) x (100x10): inner dimensions differ true
}

func ExampleTensor_Add_broadcast() {
	col := tensor.FromSlice([]float32{0, 10}, 2, 1)
	row := tensor.FromSlice([]float32{1, 2, 3})
	fmt.Println(col.Add(row))
	fmt.Println(row.Mul(2).Add(1).Float32s())
	// Output:
	// tensor([[ 1.,  2.,  3.],
	//         [11., 12., 13.]], shape=(2, 3), dtype=float32)
	// [3 5 7]
}

func ExampleTensor_Slice() {
	x := tensor.Arange(0, 6, 1).Reshape(2, 3)
	col := x.Slice(1, 1, 2) // a view: writes go through to x
	col.Fill(-1)
	fmt.Println(x.Float32s(), col.SharesStorage(x))
	// Output: [0 -1 2 3 -1 5] true
}

func ExampleTensor_Sum() {
	x := tensor.FromSlice([][]float32{{1, 2, 3}, {4, 5, 6}})
	fmt.Println(x.Sum().Item(), x.Sum(0).Float32s(), x.SumKeepDim(1).Shape())
	fmt.Println(x.Mean(1).Float32s(), x.Max(0).Float32s(), x.ArgMax(1).Ints())
	// Output:
	// 21 [5 7 9] [2 1]
	// [2 5] [4 5 6] [2 2]
}

func ExampleTensor_Softmax() {
	x := tensor.FromSlice([]float64{1, 2, 3})
	fmt.Printf("%.4f\n", x.Softmax(0).Float64s())
	// Output: [0.0900 0.2447 0.6652]
}

func ExampleNoGrad() {
	w := tensor.Ones(3).RequiresGrad()
	tensor.NoGrad(func() {
		// evaluation or an optimizer step: no graph is recorded
		fmt.Println(w.Mul(2).NeedsGrad())
	})
	fmt.Println(w.Mul(2).NeedsGrad())
	// Output:
	// false
	// true
}

func ExampleTensor_Detach() {
	x := tensor.FromSlice([]float32{3}).RequiresGrad()
	y := x.Mul(x.Detach()) // the second factor is a constant
	y.Sum().Backward()
	fmt.Println(x.Grad().Item())
	// Output: 3
}

func ExampleTensor_RegisterHook() {
	x := tensor.FromSlice([]float32{1, 2}).RequiresGrad()
	x.RegisterHook(func(g *tensor.Tensor) *tensor.Tensor {
		fmt.Println("gradient arriving:", g.Float32s())
		return g.Clamp(-1, 1) // clip it
	})
	x.Mul(5).Sum().Backward()
	fmt.Println(x.Grad().Float32s())
	// Output:
	// gradient arriving: [5 5]
	// [1 1]
}

func ExampleTensor_Op() {
	x := tensor.Ones(2, 3).RequiresGrad()
	loss := x.Exp().Sum()
	for t := loss; t != nil; {
		fmt.Println(t.Op(), t.Shape(), len(t.Saved()))
		if t.IsLeaf() {
			break
		}
		t = t.Inputs()[0]
	}
	// Output:
	// sum [] 2
	// exp [2 3] 2
	//  [2 3] 0
}

func ExampleGradCheck() {
	x := tensor.Randn(3, 4).Double().Detach().RequiresGrad()
	w := tensor.Randn(4, 2).Double().Detach().RequiresGrad()
	err := tensor.GradCheck(func(in []*tensor.Tensor) *tensor.Tensor {
		return in[0].MatMul(in[1]).Tanh().Sum()
	}, []*tensor.Tensor{x, w})
	fmt.Println(err)
	// Output: <nil>
}

func ExampleTensor_Gather() {
	scores := tensor.FromSlice([][]float32{{0.1, 0.9}, {0.8, 0.2}})
	labels := tensor.FromSlice([]int{1, 0})
	fmt.Println(scores.Gather(1, labels.Unsqueeze(1)).Float32s())
	// Output: [0.9 0.8]
}

func ExampleNewGenerator() {
	g := tensor.NewGenerator(7)
	a := g.Randn(3).Float32s()
	g.Seed(7)
	fmt.Println(a[0] == g.Randn(3).Float32s()[0])
	// Output: true
}

func ExampleWhere() {
	x := tensor.FromSlice([]float32{-2, 0.5, 3})
	fmt.Println(tensor.Where(x.Gt(0), x, 0).Float32s(), x.MaskedFill(x.Lt(0), 9).Float32s())
	// Output: [0 0.5 3] [9 0.5 3]
}

func ExampleConcat() {
	a, b := tensor.Ones(2, 2), tensor.Zeros(2, 1)
	fmt.Println(tensor.Concat(1, a, b).Shape(), tensor.Stack(0, a, a).Shape(), len(tensor.Arange(0, 5, 1).Split(2, 0)))
	// Output: [2 3] [2 2 2] 3
}
