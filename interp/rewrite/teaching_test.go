package rewrite

import "testing"

// TestTeachingNotebooks runs notebooks the way a student writes them: a
// little at a time, fixing and re-running cells.
func TestTeachingNotebooks(t *testing.T) {
	runNotebooks(t, []notebook{
		{"an MLP from scratch", []cell{
			{src: `import (
	"math"
	"math/rand"
)
rng := rand.New(rand.NewSource(1))`},
			{src: `type Matrix struct {
	Rows, Cols int
	Data       []float64
}

func NewMatrix(r, c int) *Matrix { return &Matrix{r, c, make([]float64, r*c)} }
func (m *Matrix) At(i, j int) float64 { return m.Data[i*m.Cols+j] }
func (m *Matrix) Set(i, j int, v float64) { m.Data[i*m.Cols+j] = v }`},
			{src: `func MatMul(a, b *Matrix) *Matrix {
	out := NewMatrix(a.Rows, b.Cols)
	for i := range a.Rows {
		for j := range b.Cols {
			s := 0.0
			for k := range a.Cols { s += a.At(i, k) * b.At(k, j) }
			out.Set(i, j, s)
		}
	}
	return out
}
a := &Matrix{2, 2, []float64{1, 2, 3, 4}}
MatMul(a, a).Data`, result: "[7 10 15 22]"},
			{src: `func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
sigmoid(0)`, result: "0.5"},
			{src: `type Layer struct {
	W   *Matrix
	B   []float64
	Act func(float64) float64
}

func NewLayer(in, out int, act func(float64) float64) *Layer {
	w := NewMatrix(in, out)
	for i := range w.Data { w.Data[i] = rng.NormFloat64() * 0.1 }
	return &Layer{W: w, B: make([]float64, out), Act: act}
}

func (l *Layer) Forward(x *Matrix) *Matrix {
	y := MatMul(x, l.W)
	for i := range y.Rows {
		for j := range y.Cols { y.Set(i, j, l.Act(y.At(i, j)+l.B[j])) }
	}
	return y
}`},
			{src: `layers := []*Layer{NewLayer(2, 3, sigmoid), NewLayer(3, 1, sigmoid)}
x := &Matrix{1, 2, []float64{0.5, -0.5}}
h := x
for _, l := range layers { h = l.Forward(h) }
h.Rows*10 + h.Cols`, result: "11"},
			{src: `out := h.At(0, 0)
out > 0 && out < 1`, result: "true"},
			// The student adds a bias field to Matrix and a method to
			// Layer; the functions and earlier types follow.
			{src: `func (l *Layer) NumParams() int { return len(l.W.Data) + len(l.B) }
total := 0
for _, l := range layers { total += l.NumParams() }
total`, result: "13"},
			{src: `func relu(x float64) float64 { return math.Max(0, x) }
layers[0].Act = relu
h = x
for _, l := range layers { h = l.Forward(h) }
h.Rows`, result: "1"},
			{src: `func mse(pred, target []float64) (float64, error) {
	if len(pred) != len(target) {
		return 0, fmt.Errorf("mse: %d predictions for %d targets", len(pred), len(target))
	}
	s := 0.0
	for i := range pred { d := pred[i] - target[i]; s += d * d }
	return s / float64(len(pred)), nil
}
_, err := mse([]float64{1}, []float64{1, 2})
err`, result: "mse: 1 predictions for 2 targets"},
			{src: `loss, err := mse([]float64{1, 2}, []float64{1, 4})
loss`, result: "2"},
		}},
		{"word statistics with sort and strings", []cell{
			{src: `import (
	"sort"
	"strings"
)
text := "the cat sat on the mat the end"
words := strings.Fields(text)
len(words)`, result: "8"},
			{src: `counts := map[string]int{}
for _, w := range words { counts[w]++ }
counts["the"]`, result: "3"},
			{src: `type WordCount struct {
	Word  string
	Count int
}
var wc []WordCount
for w, c := range counts { wc = append(wc, WordCount{w, c}) }
sort.Slice(wc, func(i, j int) bool {
	if wc[i].Count != wc[j].Count { return wc[i].Count > wc[j].Count }
	return wc[i].Word < wc[j].Word
})
wc[:3]`, result: "[{the 3} {cat 1} {end 1}]"},
			{src: `func (w WordCount) String() string { return fmt.Sprintf("%s=%d", w.Word, w.Count) }
fmt.Println(wc[0])`, out: "the=3\n"},
			{src: `func (w WordCount) String() string { return fmt.Sprintf("%s:%d", w.Word, w.Count) }
top := WordCount{"x", 9}
fmt.Println(top)`, out: "x:9\n", warn: "wc keeps a value of the previous WordCount"},
			{src: `upper := strings.Map(func(r rune) rune {
	if r == 'a' { return 'A' }
	return r
}, text)
upper[:7]`, result: "the cAt"},
		}},
		{"errors and custom error types", []cell{
			{src: `import (
	"errors"
	"strconv"
)
type ParseError struct {
	Line int
	Err  error
}
func (e *ParseError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Err.Error() }
func (e *ParseError) Unwrap() error { return e.Err }
var ErrEmpty = errors.New("empty line")`},
			{src: `func parseLines(lines []string) ([]int, error) {
	var out []int
	for i, l := range lines {
		if l == "" { return nil, &ParseError{i + 1, ErrEmpty} }
		n, err := strconv.Atoi(l)
		if err != nil { return nil, &ParseError{i + 1, err} }
		out = append(out, n)
	}
	return out, nil
}
nums, err := parseLines([]string{"1", "2", ""})
err`, result: "line 3: empty line"},
			// errors.Is and errors.As do not see the Unwrap method of an
			// interpreted type (a yaegi limitation): use a type switch.
			{src: `pe, ok := err.(*ParseError)
ok && pe.Line == 3 && pe.Err == ErrEmpty`, result: "true"},
			{src: `errors.Is(fmt.Errorf("wrapped: %w", ErrEmpty), ErrEmpty)`, result: "true"},
			{src: `nums, err = parseLines([]string{"4", "5"})
nums`, result: "[4 5]"},
			{src: `err == nil`, result: "true"},
		}},
		{"gradient descent on a line", []cell{
			{src: `xs := []float64{0, 1, 2, 3}
ys := []float64{1, 3, 5, 7}
w, b := 0.0, 0.0
lr := 0.05`},
			{src: `func step(w, b float64) (float64, float64) {
	var gw, gb float64
	for i := range xs {
		e := w*xs[i] + b - ys[i]
		gw += 2 * e * xs[i] / float64(len(xs))
		gb += 2 * e / float64(len(xs))
	}
	return w - lr*gw, b - lr*gb
}
for range 2000 { w, b = step(w, b) }
fmt.Printf("%.2f %.2f\n", w, b)`, out: "2.00 1.00\n"},
			// step reads the hoisted lr: re-running its cell with the same
			// type keeps the variable, so step sees the new rate.
			{src: `lr := 0.01
w, b = step(0, 0)
fmt.Printf("%.2f\n", w)`, out: "0.17\n"},
		}},
	})
}
