package rewrite

import "testing"

func TestMixedOrder(t *testing.T) {
	runNotebooks(t, []notebook{
		{"imports, declarations and statements in any order", []cell{
			{src: `x := 2
import "math"
func sq(v float64) float64 { return v * v }
y := math.Sqrt(sq(float64(x)))
import "strings"
type Tag string
t := Tag(strings.Repeat("ab", x))
const Limit = 3
fmt.Println(y, t, Limit)`, out: "2 abab 3\n"},
			{src: `func later() string { return string(t) + "!" }
var z = later()
import "unicode"
unicode.IsUpper(rune(z[0]))`, result: "false"},
			{src: `// a comment first
/* and a block comment */
z // the result`, result: "abab!"},
			{src: `import (
	"sort"
	str "strconv"
)
vals := []int{3, 1, 2}
sort.Ints(vals)
str.Itoa(vals[0]) + str.Itoa(vals[2])`, result: "13"},
			{src: `str.Quote("q")`, result: `"q"`},
		}},
		{"statements that start with func literals and parens", []cell{
			{src: `func() { fmt.Println("iife") }()`, out: "iife\n"},
			{src: `func(a, b int) (int, int) { return b, a }(1, 2)`, result: "[2 1]"},
			{src: `f := func(s string) string { return s + s }
(f)("x")`, result: "xx"},
			{src: `type Op func(int) int
var twice Op = func(i int) int { return 2 * i }
twice(4)`, result: "8"},
		}},
		{"generic functions", []cell{
			// yaegi mis-infers a second type parameter from a func
			// argument and loses the methods of generic types; cells
			// with a single inferred type parameter work.
			{src: `func Sum[T int | float64](xs []T) T {
	var s T
	for _, x := range xs { s += x }
	return s
}
Sum([]float64{1.5, 2})`, result: "3.5"},
			{src: `Sum([]int{1, 2, 3})`, result: "6"},
		}},
		{"package clause and empty cells", []cell{
			{src: ``},
			{src: `// only a comment`},
			{src: `package main
import "strings"
strings.ToLower("AB")`, result: "ab"},
		}},
	})
}

func TestFinalExpression(t *testing.T) {
	runNotebooks(t, []notebook{
		{"values, void calls and multiple values", []cell{
			{src: `42`, result: "42"},
			{src: `"text"`, result: "text"},
			{src: `3.0 / 2`, result: "1.5"},
			{src: `1 << 10`, result: "1024"},
			{src: `nil`, result: "<nil>"},
			{src: `x := 5
x`, result: "5"},
			{src: `x > 3`, result: "true"},
			{src: `[]int{1, 2}`, result: "[1 2]"},
			{src: `map[string]int{"a": 1}`, result: "map[a:1]"},
			{src: `func two() (int, string) { return 1, "b" }
two()`, result: "[1 b]"},
			{src: `func none() {}
none()`},
			{src: `fmt.Println("printed")`, out: "printed\n"},
			{src: `fmt.Sprintf("%03d", 7)`, result: "007"},
			{src: `x = 6`},
			{src: `x++`},
			{src: `x`, result: "7"},
			{src: `var e error
e == nil`, result: "true"},
			{src: `struct{ A int }{3}`, result: "{3}"},
			{src: `(x)`, result: "7"},
			{src: `-x`, result: "-7"},
			{src: `func() int { return 9 }()`, result: "9"},
			{src: `ch := make(chan int, 1)
ch <- 8
<-ch`, result: "8"},
			{src: `int`, err: "int (type) is not an expression"},
			{src: `x
x + 1`, err: "1:1: x (variable of type int) is not used"},
		}},
	})
}

func TestBuiltins(t *testing.T) {
	runNotebooks(t, []notebook{
		{"min, max and clear", []cell{
			{src: `min(3, 1, 2)`, result: "1"},
			{src: `max(2.5, 1)`, result: "2.5"},
			{src: `a, b := 4, 9
min(a, b) + max(a, b)`, result: "13"},
			{src: `min("b", "a", "c")`, result: "a"},
			{src: `import "math"
fl := []float64{1, math.NaN()}
math.IsNaN(min(fl[0], fl[1])) && math.IsNaN(max(fl[1], fl[0]))`, result: "true"},
			{src: `const lo = min(10, 20)
lo`, result: "10"},
			{src: `import "time"
d := max(time.Second, 2*time.Millisecond)
d`, result: "1s"},
			{src: `m := map[string]int{"a": 1, "b": 2}
clear(m)
len(m)`, result: "0"},
			{src: `s := []int{1, 2, 3}
clear(s)
s`, result: "[0 0 0]"},
			{src: `func clampAll(xs []float64, lo, hi float64) {
	for i := range xs { xs[i] = max(lo, min(hi, xs[i])) }
}
ys := []float64{-1, 0.5, 3}
clampAll(ys, 0, 1)
ys`, result: "[0 0.5 1]"},
			{src: `type Score int
sc := []Score{5, 3}
min(sc[0], sc[1])`, result: "3"},
			{src: `max(1.0, 2)`, result: "2"},
			{src: `fmt.Sprintf("%T", max(1.0, 2))`, result: "float64"},
		}},
		{"user-defined min shadows the builtin", []cell{
			{src: `func min(a, b int) int { if a < b { return a * 100 }; return b * 100 }
min(1, 2)`, result: "100"},
		}},
	})
}

func TestGoroutines(t *testing.T) {
	runPanicNotebooks(t, []notebook{
		{"panics in goroutines are reported and the process survives", []cell{
			{src: `go func() { panic("boom") }()
<-panicked`, out: "goroutine panic: boom\n", result: "boom"},
			{src: `func worker(id int, fail bool) {
	if fail { panic(fmt.Sprintf("worker %d failed", id)) }
}
go worker(7, true)
<-panicked`, out: "goroutine panic: worker 7 failed\n", result: "worker 7 failed"},
			{src: `var m map[string]int
go func() { m["x"] = 1 }()
fmt.Println(<-panicked)`, out: "goroutine panic: assignment to entry in nil map\nassignment to entry in nil map\n"},
			{src: `1 + 1`, result: "2"},
		}},
		{"arguments are evaluated at the go statement", []cell{
			{src: `import "sync"
var wg sync.WaitGroup
res := make([]int, 3)
i := 0
set := func(k, v int) { defer wg.Done(); res[k] = v }
for i < 3 {
	wg.Add(1)
	go set(i, i*10)
	i++
}
wg.Wait()
res`, result: "[0 10 20]"},
			{src: `ch := make(chan int)
nums := []int{1, 2, 3}
go func(xs ...int) { s := 0; for _, x := range xs { s += x }; ch <- s }(nums...)
<-ch`, result: "6"},
			{src: `done := make(chan struct{})
go close(done)
<-done
"closed"`, result: "closed"},
			{src: `type Acc struct{ n int; ch chan int }
func (a *Acc) Run(k int) { a.ch <- a.n + k }
acc := &Acc{n: 1, ch: make(chan int)}
go acc.Run(2)
<-acc.ch`, result: "3"},
		}},
		{"go statements inside declared functions", []cell{
			{src: `func spawn(msg string) { go func() { panic(msg) }() }
spawn("from a func")
<-panicked`, out: "goroutine panic: from a func\n", result: "from a func"},
			{src: `results := make(chan int, 2)
func produce(n int) { go func() { results <- n * n }() }
produce(3)
<-results`, result: "9"},
			// A re-emitted dependent keeps its rewritten go statement.
			{src: `func spawn2() { spawn("again") }`},
			{src: `func spawn(msg string) { go func() { panic("v2 " + msg) }() }
spawn2()
<-panicked`, out: "goroutine panic: v2 again\n", result: "v2 again"},
		}},
	})
}
