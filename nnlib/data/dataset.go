package data

import (
	"fmt"
	"math"
	"slices"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

// Dataset is a collection of examples, each an input and a target, that a
// Loader batches. TensorDataset and TextDataset implement it; so can a
// notebook's own type.
type Dataset interface {
	// Len returns the number of examples.
	Len() int
	// NewBatch returns zeroed input and target tensors for n examples,
	// stacked along a new first dimension.
	NewBatch(n int) (x, y *tensor.Tensor)
	// Gather writes examples idx[0], idx[1], ... into rows 0, 1, ... of x
	// and y, which NewBatch made (or are leading slices of its tensors).
	Gather(idx []int, x, y *tensor.Tensor)
}

// TensorDataset is a Dataset held in two tensors: inputs X, of shape
// (N, ...), and targets Y, of shape (N) or (N, ...). Labels are Int
// tensors of class indices; inputs are Float32 (or Float64, or Int token
// ids).
type TensorDataset struct {
	x, y    *tensor.Tensor
	classes int
}

// FromTensors returns a dataset over x and y, which must have the same
// first dimension. It keeps them (contiguous copies if they are views that
// are not), so later writes to them show in the dataset.
func FromTensors(x, y *tensor.Tensor) *TensorDataset {
	const op = "from_tensors"
	if x == nil || y == nil {
		fail(op, "nil tensor")
	}
	if x.Dim() == 0 || y.Dim() == 0 || x.Size(0) != y.Size(0) {
		fail(op, "inputs %v and targets %v need the same first dimension", x.Shape(), y.Shape())
	}
	d := &TensorDataset{x: x.Detach().Contiguous(), y: y.Detach().Contiguous()}
	if y.DType() == tensor.Int && y.Dim() == 1 {
		for _, c := range d.y.IntData() {
			if c < 0 {
				fail(op, "label %d is negative", c)
			}
			d.classes = max(d.classes, c+1)
		}
	}
	return d
}

// Len returns the number of examples.
func (d *TensorDataset) Len() int { return d.x.Size(0) }

// X returns the inputs, shape (N, ...); the tensor is the dataset's own.
func (d *TensorDataset) X() *tensor.Tensor { return d.x }

// Y returns the targets, shape (N) or (N, ...); the tensor is the
// dataset's own.
func (d *TensorDataset) Y() *tensor.Tensor { return d.y }

// Classes returns the number of classes, one more than the largest label,
// when Y holds Int labels of shape (N); 0 otherwise.
func (d *TensorDataset) Classes() int { return d.classes }

// Labels returns a copy of the labels; it panics if Y does not hold labels.
func (d *TensorDataset) Labels() []int {
	d.needLabels("labels")
	return slices.Clone(d.y.IntData())
}

// ClassCounts returns how many examples each class has.
func (d *TensorDataset) ClassCounts() []int {
	d.needLabels("class_counts")
	n := make([]int, d.classes)
	for _, c := range d.y.IntData() {
		n[c]++
	}
	return n
}

func (d *TensorDataset) needLabels(op string) {
	if d.y.DType() != tensor.Int || d.y.Dim() != 1 {
		fail(op, "targets %v %v are not Int labels of shape (N)", d.y.Shape(), d.y.DType())
	}
}

// Example returns example i's input and target, views into the dataset.
func (d *TensorDataset) Example(i int) (x, y *tensor.Tensor) {
	if i < 0 || i >= d.Len() {
		fail("example", "index %d out of range [0, %d)", i, d.Len())
	}
	return d.x.Index(i), d.y.Index(i)
}

// String describes the dataset, e.g. "TensorDataset(60000 examples, x
// (784) float32, y int, 10 classes)".
func (d *TensorDataset) String() string {
	s := fmt.Sprintf("TensorDataset(%d examples, x %v %v, y %v %v", d.Len(), d.x.Shape()[1:], d.x.DType(), d.y.Shape()[1:], d.y.DType())
	if d.classes > 0 {
		s += fmt.Sprintf(", %d classes", d.classes)
	}
	return s + ")"
}

// View returns a dataset sharing d's storage whose inputs have the
// example shape shape, e.g. train.View(1, 28, 28) for a convolutional
// net's (N, 1, 28, 28). It panics if the sizes differ.
func (d *TensorDataset) View(shape ...int) *TensorDataset {
	n := 1
	for _, s := range shape {
		n *= s
	}
	if row := d.x.Numel() / max(d.Len(), 1); n != row || len(shape) == 0 {
		fail("view", "example shape %v does not hold the %d values of %v", shape, row, d.x.Shape()[1:])
	}
	return &TensorDataset{x: d.x.Reshape(append([]int{d.Len()}, shape...)...), y: d.y, classes: d.classes}
}

// Subset returns a new dataset of the examples idx, in that order (copies).
func (d *TensorDataset) Subset(idx []int) *TensorDataset {
	for _, i := range idx {
		if i < 0 || i >= d.Len() {
			fail("subset", "index %d out of range [0, %d)", i, d.Len())
		}
	}
	x, y := d.NewBatch(len(idx))
	d.Gather(idx, x, y)
	return &TensorDataset{x: x, y: y, classes: d.classes}
}

// NewBatch returns zeroed tensors for n examples, of d's dtypes and
// example shapes.
func (d *TensorDataset) NewBatch(n int) (x, y *tensor.Tensor) {
	xs, ys := d.x.Shape(), d.y.Shape()
	xs[0], ys[0] = n, n
	return tensor.New(d.x.DType(), xs...), tensor.New(d.y.DType(), ys...)
}

// Gather copies examples idx into the leading rows of x and y.
func (d *TensorDataset) Gather(idx []int, x, y *tensor.Tensor) {
	gatherRows("gather", d.x, x, idx)
	gatherRows("gather", d.y, y, idx)
}

// gatherRows copies rows idx of src (contiguous, (N, ...)) into the rows
// of dst, which must hold at least len(idx) rows of src's row shape.
func gatherRows(op string, src, dst *tensor.Tensor, idx []int) {
	n := src.Size(0)
	row := src.Numel() / max(n, 1)
	if dst.DType() != src.DType() || dst.Dim() == 0 || dst.Size(0) < len(idx) || dst.Numel()/max(dst.Size(0), 1) != row {
		fail(op, "batch %v %v cannot hold %d examples of %v %v", dst.Shape(), dst.DType(), len(idx), src.Shape()[1:], src.DType())
	}
	switch src.DType() {
	case tensor.Float32:
		copyRows(dst.Float32Data(), src.Float32Data(), idx, row, n)
	case tensor.Float64:
		copyRows(dst.Float64Data(), src.Float64Data(), idx, row, n)
	case tensor.Int:
		copyRows(dst.IntData(), src.IntData(), idx, row, n)
	}
}

func copyRows[T any](dst, src []T, idx []int, row, n int) {
	for k, i := range idx {
		if i < 0 || i >= n {
			fail("gather", "index %d out of range [0, %d)", i, n)
		}
		copy(dst[k*row:(k+1)*row], src[i*row:(i+1)*row])
	}
}

// floatData returns d's inputs as a float slice, or panics.
func (d *TensorDataset) floatData(op string) []float32 {
	if d.x.DType() != tensor.Float32 {
		fail(op, "inputs are %v; normalisation works on float32 inputs", d.x.DType())
	}
	return d.x.Float32Data()
}

// MeanStd returns the mean and (population) standard deviation of all
// input values, e.g. for Normalize: MNIST's are about 0.1307 and 0.3081.
func (d *TensorDataset) MeanStd() (mean, std float64) {
	v := d.floatData("mean_std")
	if len(v) == 0 {
		fail("mean_std", "empty dataset")
	}
	var s, ss float64
	for _, x := range v {
		s += float64(x)
	}
	mean = s / float64(len(v))
	for _, x := range v {
		dx := float64(x) - mean
		ss += dx * dx
	}
	return mean, math.Sqrt(ss / float64(len(v)))
}

// Normalize sets every input value x to (x-mean)/std, in place, and
// returns d. Compute mean and std on the training set and apply the same
// to the test set. It panics unless std > 0.
func (d *TensorDataset) Normalize(mean, std float64) *TensorDataset {
	if !(std > 0) || math.IsInf(std, 0) || math.IsNaN(mean) || math.IsInf(mean, 0) {
		fail("normalize", "need a finite mean and std > 0, have %v and %v", mean, std)
	}
	v := d.floatData("normalize")
	m, inv := float32(mean), float32(1/std)
	for i := range v {
		v[i] = (v[i] - m) * inv
	}
	return d
}

// FeatureMeanStd returns the mean and standard deviation of each input
// feature over the examples, as tensors of one example's shape (for
// tabular data such as Digits, where features differ in scale).
func (d *TensorDataset) FeatureMeanStd() (mean, std *tensor.Tensor) {
	v := d.floatData("feature_mean_std")
	n := d.Len()
	if n == 0 {
		fail("feature_mean_std", "empty dataset")
	}
	row := len(v) / n
	m, s := make([]float64, row), make([]float64, row)
	for i := range n {
		for j, x := range v[i*row : (i+1)*row] {
			m[j] += float64(x)
		}
	}
	for j := range m {
		m[j] /= float64(n)
	}
	for i := range n {
		for j, x := range v[i*row : (i+1)*row] {
			dx := float64(x) - m[j]
			s[j] += dx * dx
		}
	}
	for j := range s {
		s[j] = math.Sqrt(s[j] / float64(n))
	}
	shape := d.x.Shape()[1:]
	return tensor.FromSlice(m).Reshape(shape...).To(tensor.Float32), tensor.FromSlice(s).Reshape(shape...).To(tensor.Float32)
}

// NormalizeFeatures sets each input feature x to (x-mean)/std, in place,
// with mean and std of one example's shape (from FeatureMeanStd), and
// returns d. Features with std below 1e-8 (constant ones, such as the
// blank corners of the digits) are only centred.
func (d *TensorDataset) NormalizeFeatures(mean, std *tensor.Tensor) *TensorDataset {
	v := d.floatData("normalize_features")
	row := len(v) / max(d.Len(), 1)
	if mean.Numel() != row || std.Numel() != row {
		fail("normalize_features", "mean %v and std %v do not match the example shape %v", mean.Shape(), std.Shape(), d.x.Shape()[1:])
	}
	m, s := mean.Float64s(), std.Float64s()
	inv := make([]float32, row)
	for j := range s {
		inv[j] = 1
		if s[j] >= 1e-8 {
			inv[j] = float32(1 / s[j])
		}
	}
	for i := 0; i+row <= len(v); i += row {
		for j := range row {
			v[i+j] = (v[i+j] - float32(m[j])) * inv[j]
		}
	}
	return d
}
