package nn_test

import (
	"fmt"

	"github.com/gonnlab/gonn/nnlib/nn"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

func Example() {
	tensor.Seed(1)
	model := nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
	x := tensor.Randn(16, 4)
	labels := tensor.RandInt(0, 3, 16)
	first := 0.0
	for step := 0; step < 100; step++ {
		model.ZeroGrad()
		loss := nn.CrossEntropy(model.Forward(x), labels)
		if step == 0 {
			first = loss.Item()
		}
		loss.Backward()
		for _, p := range model.Parameters() {
			p.AddScaledInPlace(-0.5, p.Grad())
		}
	}
	last := nn.CrossEntropy(model.Forward(x), labels).Item()
	fmt.Println("loss went down:", last < first/2)
	// Output: loss went down: true
}

func ExampleSequential() {
	model := nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
	fmt.Println(model)
	for _, p := range model.NamedParameters() {
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	// Output:
	// Sequential(
	//   (0): Linear(in_features=784, out_features=128, bias=True)
	//   (1): ReLU()
	//   (2): Linear(in_features=128, out_features=10, bias=True)
	// )
	// 0.weight [128 784]
	// 0.bias [128]
	// 2.weight [10 128]
	// 2.bias [10]
}

func ExampleSummary() {
	model := nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
	fmt.Println(nn.Summary(model, 1, 28, 28))
	// Output:
	// Layer  Type                                                  Output shape  Params
	// 0      Flatten(start_dim=1, end_dim=-1)                      (1, 784)      0
	// 1      Linear(in_features=784, out_features=128, bias=True)  (1, 128)      100480
	// 2      ReLU()                                                (1, 128)      0
	// 3      Linear(in_features=128, out_features=10, bias=True)   (1, 10)       1290
	// Input shape: (1, 28, 28)
	// Total params: 101770
	// Trainable params: 101770
	// Non-trainable params: 0
}

func ExampleCrossEntropy() {
	logits := tensor.FromSlice([][]float32{{2, 0, 0}, {0, 0, 3}}).RequiresGrad()
	labels := tensor.FromSlice([]int{0, 2})
	loss := nn.CrossEntropy(logits, labels)
	loss.Backward()
	fmt.Printf("%.4f\n", loss.Item())
	fmt.Println(logits.Grad().Shape())
	// Output:
	// 0.1672
	// [2 3]
}
