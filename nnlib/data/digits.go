package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/gonnlab/gonn/nnlib/tensor"
)

//go:embed digits.csv.gz
var digitsGz []byte

// Digits returns the 8x8 handwritten digits: 1797 images of the digits 0
// to 9, about 180 of each, from the UCI Machine Learning Repository's
// "Optical Recognition of Handwritten Digits" (E. Alpaydin and C. Kaynak,
// 1998; CC BY 4.0), the set scikit-learn's load_digits ships. The data is
// embedded in the package.
//
// X has shape (1797, 64), float32: the pixel counts 0..16 of each image,
// row by row, divided by 16 so that they lie in [0, 1]; View(8, 8) or
// View(1, 8, 8) gives images. Y holds the Int labels. Each call returns a
// new copy.
func Digits() *TensorDataset {
	d, err := parseDigits(digitsGz)
	if err != nil {
		panic(&Error{Op: "digits", Msg: err.Error()})
	}
	return d
}

func parseDigits(gz []byte) (*TensorDataset, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("embedded digits.csv.gz: %w", err)
	}
	var xs []float32
	var ys []int
	sc := bufio.NewScanner(zr)
	for line := 1; sc.Scan(); line++ {
		f := strings.Split(sc.Text(), ",")
		if len(f) != 65 {
			return nil, fmt.Errorf("digits.csv line %d: %d fields, want 65", line, len(f))
		}
		for i, s := range f {
			v, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("digits.csv line %d field %d: %w", line, i+1, err)
			}
			if i == 64 {
				ys = append(ys, v)
			} else {
				xs = append(xs, float32(v)/16)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("digits.csv: %w", err)
	}
	x := tensor.FromSlice(xs).Reshape(len(ys), 64)
	return FromTensors(x, tensor.FromSlice(ys)), nil
}
