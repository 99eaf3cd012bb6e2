package rewrite

import "testing"

func TestHoisting(t *testing.T) {
	runNotebooks(t, []notebook{
		{"every := and var form", []cell{
			{src: `a := 1`},
			{src: `b, c := "x", 2.5`},
			{src: `var d int`},
			{src: `var e = []int{1, 2}`},
			{src: `var f, g float32 = 1, 2`},
			{src: `var (
	h = "grouped"
	i int
	j, k = true, 'k'
)`},
			{src: `fmt.Println(a, b, c, d, e, f, g, h, i, j, k)`, out: "1 x 2.5 0 [1 2] 1 2 grouped 0 true 107\n"},
			{src: `fmt.Printf("%T %T %T %T %T\n", a, c, f, k, e)`, out: "int float64 float32 int32 []int\n"},
		}},
		{"redeclaration with err", []cell{
			{src: `import "strconv"
n, err := strconv.Atoi("12")
m, err := strconv.Atoi("x")
fmt.Println(n, m, err != nil)`, out: "12 0 true\n"},
			{src: `err`, result: `strconv.Atoi: parsing "x": invalid syntax`},
			{src: `n, err = strconv.Atoi("7")
n + m`, result: "7"},
			{src: `err == nil`, result: "true"},
		}},
		{"comma-ok forms", []cell{
			{src: `m := map[string]int{"a": 1}
v, ok := m["a"]
w, ok2 := m["zz"]
fmt.Println(v, ok, w, ok2)`, out: "1 true 0 false\n"},
			{src: `var any1 any = 3
num, isInt := any1.(int)
str, isStr := any1.(string)
fmt.Println(num, isInt, str == "", isStr)`, out: "3 true true false\n"},
			{src: `ch := make(chan int, 1)
ch <- 4
got, open := <-ch
fmt.Println(got, open)`, out: "4 true\n"},
			{src: `var vv, okk = m["a"]
vv + len(m)`, result: "2"},
			{src: `okk`, result: "true"},
		}},
		{"closures see hoisted variables", []cell{
			{src: `count := 0
inc := func() int { count++; return count }
inc(); inc()
count`, result: "2"},
			{src: `inc()`, result: "3"},
			{src: `count = 10
inc()`, result: "11"},
			{src: `adder := func(k int) func(int) int { return func(x int) int { return x + k } }
add5 := adder(5)
add5(1)`, result: "6"},
			{src: `add5(add5(0))`, result: "10"},
		}},
		{"maps channels structs pointers function values", []cell{
			{src: `type Pt struct{ X, Y float64 }
pts := map[string]*Pt{"o": {0, 0}, "u": {1, 1}}
pts["u"].X += 1
pts["u"].X`, result: "2"},
			{src: `ptr := pts["u"]
ptr.Y = 9
pts["u"].Y`, result: "9"},
			{src: `ops := map[string]func(float64, float64) float64{
	"+": func(a, b float64) float64 { return a + b },
	"*": func(a, b float64) float64 { return a * b },
}
ops["*"](3, 4)`, result: "12"},
			{src: `results := make(chan Pt, 3)
for i := range 3 { results <- Pt{float64(i), 0} }
close(results)
sum := 0.0
for p := range results { sum += p.X }
sum`, result: "3"},
			{src: `grid := [][]Pt{{{1, 2}}, {{3, 4}, {5, 6}}}
len(grid[1])`, result: "2"},
			{src: `arr := [3]int{1, 2, 3}
sl := arr[:]
sl[0] = 100
arr[0]`, result: "100"},
			{src: `s := struct{ Name string; Age int }{"ann", 30}
s.Name`, result: "ann"},
			{src: `s.Age++
s.Age`, result: "31"},
		}},
		{"values that need a package the cell did not import", []cell{
			{src: `import "bufio"
import "strings"
r := bufio.NewReader(strings.NewReader("line1\nline2\n"))
line, _ := r.ReadString('\n')
line`, result: "line1\n"},
			{src: `import "encoding/json"
dec := json.NewDecoder(strings.NewReader("{}"))
buf := dec.Buffered()
buf != nil`, result: "true"},
			{src: `fmt.Sprintf("%T", buf)`, result: "*bytes.Reader"},
			// io was imported for buf's type under a reserved name: io is
			// still free for the user.
			{src: `io := 3
io`, result: "3"},
			{src: `io.Reader(nil)`, err: "io.Reader undefined (type int has no field or method Reader)"},
		}},
		{"nested blocks stay local", []cell{
			{src: `x := 1
if true {
	x := 2
	y := 3
	_ = y
	x++
}
for i := 0; i < 2; i++ {
	z := i
	_ = z
}
x`, result: "1"},
			{src: `y`, err: "1:1: undefined: y"},
			{src: `i`, err: "1:1: undefined: i"},
			{src: `if v, ok := map[int]int{1: 2}[1]; ok {
	fmt.Println(v)
}
switch w := 3; w {
case 3:
	q := w * 2
	fmt.Println(q)
}`, out: "2\n6\n"},
			{src: `v`, err: "undefined: v"},
			{src: `func() { inner := 5; fmt.Println(inner) }()`, out: "5\n"},
			{src: `inner`, err: "undefined: inner"},
		}},
		{"shadowing an earlier hoisted variable inside a block", []cell{
			{src: `total := 10`},
			{src: `{
	total := 1
	total++
}
total`, result: "10"},
			{src: `for _, total := range []int{7} { _ = total }
total`, result: "10"},
		}},
		{"var without value is reset on rerun", []cell{
			{src: `var acc []int
acc = append(acc, 1)
len(acc)`, result: "1"},
			{src: `var acc []int
acc = append(acc, 1)
len(acc)`, result: "1"},
			{src: `var tot float64
for _, v := range []float64{1.5, 2.5} { tot += v }
tot`, result: "4"},
			{src: `var tot float64
for _, v := range []float64{1.5, 2.5} { tot += v }
tot`, result: "4"},
		}},
		{"blank identifiers", []cell{
			{src: `_, second := 1, 2
second`, result: "2"},
			{src: `var _ = fmt.Sprint("side effect")
_ = second`},
		}},
		{"hoisted variable used by a func in the same cell", []cell{
			{src: `scale := 3
func scaled(x int) int { return x * scale }
scaled(2)`, result: "6"},
			{src: `scale = 4
scaled(2)`, result: "8"},
			{src: `scale := 2.5
func scaled(x float64) float64 { return x * scale }
scaled(2)`, result: "5"},
		}},
	})
}

func TestLoops(t *testing.T) {
	runNotebooks(t, []notebook{
		{"range over int and Go 1.22 loop variables", []cell{
			{src: `for i := range 3 { fmt.Print(i, " ") }
fmt.Println()`, out: "0 1 2 \n"},
			{src: `var fs []func() int
for i := range 3 { fs = append(fs, func() int { return i }) }
s := 0
for _, f := range fs { s = s*10 + f() }
s`, result: "12"},
			{src: `var gs []func() int
for i := 0; i < 3; i++ { gs = append(gs, func() int { return i * i }) }
gs[0]() + gs[1]() + gs[2]()`, result: "5"},
			{src: `n := 4
total := 0
for range n { total++ }
total`, result: "4"},
			{src: `for i, c := range "héllo" { if c == 'l' { fmt.Println(i); break } }`, out: "3\n"},
		}},
		{"labels, break and continue at top level", []cell{
			{src: `found := -1
outer:
for i := range 5 {
	for j := range 5 {
		if i*j == 6 {
			found = i*10 + j
			break outer
		}
	}
}
found`, result: "23"},
		}},
		{"defer and recover at top level", []cell{
			{src: `defer fmt.Println("deferred")
fmt.Println("body")`, out: "body\ndeferred\n"},
			{src: `func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil { err = fmt.Errorf("recovered: %v", r) }
	}()
	return a / b, nil
}
safeDiv(1, 0)`, result: "[0 recovered: runtime error: integer divide by zero]"},
		}},
	})
}
