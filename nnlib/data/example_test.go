package data_test

import (
	"fmt"
	"strings"

	"github.com/gonnlab/gonn/nnlib/data"
	"github.com/gonnlab/gonn/nnlib/tensor"
)

func ExampleDigits() {
	digits := data.Digits()
	fmt.Println(digits)
	fmt.Println(digits.ClassCounts())
	// Output:
	// TensorDataset(1797 examples, x [64] float32, y [] int, 10 classes)
	// [178 182 177 183 181 182 181 179 174 180]
}

func ExampleMNIST() {
	train, test := data.MNIST() // panics, saying what to run, if the module is not downloaded
	fmt.Println(train.X().Shape(), test.Y().Shape(), train.Labels()[:5])
	fmt.Println(train.View(1, 28, 28).X().Shape())
	// Output:
	// [60000 784] [10000] [5 0 4 1 9]
	// [60000 1 28 28]
}

func ExampleNewLoader() {
	x := tensor.Arange(0, 10, 1).Reshape(5, 2)  // 5 examples of 2 features
	y := tensor.FromSlice([]int{0, 1, 0, 1, 0}) // their labels
	loader := data.NewLoader(data.FromTensors(x, y), 2, data.Shuffle(1))
	for epoch := 0; epoch < 2; epoch++ {
		var batches []string
		for loader.Next() {
			_, yb := loader.Batch() // the loader's buffers: use before the next Next
			batches = append(batches, fmt.Sprint(loader.Indices(), yb.Ints()))
		}
		fmt.Println(strings.Join(batches, " "))
	}
	// Output:
	// [1 0] [1 0] [3 4] [1 0] [2] [0]
	// [1 0] [1 0] [2 3] [0 1] [4] [0]
}

func ExampleStratifiedSplit() {
	train, test := data.StratifiedSplit(data.Digits(), 0.2, 1)
	fmt.Println(train.Len(), test.Len())
	fmt.Println(test.ClassCounts())
	mean, std := train.MeanStd() // normalise both with the training set's statistics
	train.Normalize(mean, std)
	test.Normalize(mean, std)
	// Output:
	// 1438 359
	// [36 36 35 37 36 36 36 36 35 36]
}

func ExampleNewAugmenter() {
	train := data.Digits().View(1, 8, 8)
	aug := data.NewAugmenter(8, 8, 1).Shift(1).Rotate(15).Noise(0.05)
	loader := data.NewLoader(train, 32, data.Shuffle(1), data.Augment(aug))
	loader.Next()
	x, _ := loader.Batch()
	fmt.Println(x.Shape(), x.Min().Item() >= 0, x.Max().Item() <= 1)
	// Output: [32 1 8 8] true true
}

func ExampleNewText() {
	text := data.NewText(data.Opticks(), 32)
	train, val := text.Split(0.1)
	fmt.Println(text.VocabSize(), train.Len() > val.Len())
	loader := data.NewLoader(train, 4, data.Shuffle(1))
	loader.Next()
	x, y := loader.Batch() // Int ids, shape (4, 32); y is x shifted by one character
	fmt.Println(x.Shape(), y.Shape())
	fmt.Printf("%q\n", text.Decode(text.Encode("Light")))
	// Output:
	// 91 true
	// [4 32] [4 32]
	// "Light"
}
