package nn_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

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

func ExampleSave() {
	tensor.Seed(1)
	model := nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
	dir, _ := os.MkdirTemp("", "gonn")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")
	if err := nn.Save(model, path); err != nil {
		fmt.Println(err)
	}
	same := nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
	fmt.Println(nn.Load(same, path))
	wider := nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 2))
	err := nn.Load(wider, path)
	fmt.Println(strings.Split(err.Error(), "; ")[0])
	// Output:
	// <nil>
	// nn: load state dict: "0.weight" has shape (3x4) in the state, (5x4) in the model
}

func ExampleConv2d() {
	model := nn.Sequential(
		nn.Conv2d(1, 6, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2),
		nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
		nn.Flatten(), nn.Linear(16*5*5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
	s := nn.Summary(model, 1, 1, 28, 28)
	for _, r := range s.Rows[:7] {
		fmt.Println(r.Name, r.Output, r.Params)
	}
	fmt.Println("total", s.Total)
	// Output:
	// 0 [1 6 28 28] 156
	// 1 [1 6 28 28] 0
	// 2 [1 6 14 14] 0
	// 3 [1 16 10 10] 2416
	// 4 [1 16 10 10] 0
	// 5 [1 16 5 5] 0
	// 6 [1 400] 0
	// total 61706
}

func ExampleLSTM() {
	lstm := nn.LSTM(10, 20, 2)   // input size, hidden size, layers
	x := tensor.Randn(8, 35, 10) // batch 8, 35 time steps
	out, state := lstm.Run(x, nil)
	fmt.Println(out.Shape(), state.H.Shape(), state.C.Shape())
	fmt.Println(lstm.NamedParameters()[0].Name, lstm.NamedParameters()[0].Tensor.Shape())
	// Output:
	// [8 35 20] [2 8 20] [2 8 20]
	// weight_ih_l0 [80 10]
}

func ExampleTransformerBlock() {
	block := nn.TransformerBlock(64, 4, 256)
	block.SelfAttn.Causal = true // GPT-style: no peeking at later tokens
	x := tensor.Randn(2, 16, 64)
	fmt.Println(block.Forward(x).Shape(), block.NumParameters())
	// Output: [2 16 64] 49984
}

func ExampleFunc() {
	fc1, fc2 := nn.Linear(784, 128), nn.Linear(128, 10)
	net := nn.Func("Net", func(x *tensor.Tensor) *tensor.Tensor {
		return fc2.Forward(fc1.Forward(x).ReLU())
	}).With("fc1", fc1).With("fc2", fc2)
	fmt.Println(net.Forward(tensor.Zeros(64, 784)).Shape())
	fmt.Println(net)
	// Output:
	// [64 10]
	// Net(
	//   (fc1): Linear(in_features=784, out_features=128, bias=True)
	//   (fc2): Linear(in_features=128, out_features=10, bias=True)
	// )
}

func ExampleLoRA() {
	model := nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
	model.Freeze()                                                 // the pretrained body stays as it is
	model.Set(2, nn.LoRA(model.Layers[2].(*nn.LinearLayer), 2, 8)) // rank 2, alpha 8
	trainable := 0
	for _, p := range model.TrainableParameters() {
		trainable += p.Numel()
	}
	fmt.Println(trainable, "of", model.NumParameters(), "parameters train")
	// Output: 72 of 748 parameters train
}

func ExamplePrune() {
	tensor.Seed(1)
	model := nn.Sequential(nn.Linear(100, 50), nn.ReLU(), nn.Linear(50, 10))
	nn.Prune(model, 0.9)
	fmt.Printf("%.2f\n", nn.Sparsity(model))
	// Output: 0.90
}

func ExampleQuantize() {
	tensor.Seed(1)
	model := nn.Sequential(nn.Linear(100, 50), nn.ReLU(), nn.Linear(50, 10))
	x := tensor.Randn(32, 100)
	before := model.Forward(x)
	fmt.Println(nn.Quantize(model), "layers in int8")
	after := model.Forward(x)
	fmt.Println(after.ArgMax(1).Eq(before.ArgMax(1)).Float().Mean().Item() > 0.9)
	// Output:
	// 2 layers in int8
	// true
}
