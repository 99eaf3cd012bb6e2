package rewrite

import "testing"

func TestRerun(t *testing.T) {
	runNotebooks(t, []notebook{
		{"rerun every kind of cell", []cell{
			{src: `import "strings"`},
			{src: `import "strings"`},
			{src: `func f() int { return 1 }`},
			{src: `func f() int { return 1 }`},
			{src: `f()`, result: "1"},
			{src: `type T struct{ A int }`},
			{src: `type T struct{ A int }`},
			{src: `t := T{A: 2}`},
			{src: `func (t T) Twice() int { return 2 * t.A }`},
			{src: `func (t T) Twice() int { return 2 * t.A }`},
			// An identical type and method keep existing values compatible.
			{src: `t.Twice()`, result: "4"},
			{src: `const K = 7`},
			{src: `const K = 7`},
			{src: `K + f()`, result: "8"},
			{src: `n := 0`},
			{src: `n++
n`, result: "1"},
			{src: `n++
n`, result: "2"},
			{src: `n := 0`},
			{src: `n`, result: "0"},
			{src: `var z int
z = 5`},
			{src: `z`, result: "5"},
			{src: `var z int`},
			{src: `z`, result: "0"},
			{src: `strings.Repeat("ab", 2)`, result: "abab"},
			{src: `xs := []int{1, 2}
xs = append(xs, 3)
len(xs)`, result: "3"},
			{src: `xs := []int{1, 2}
xs = append(xs, 3)
len(xs)`, result: "3"},
		}},
		{"rerun mixed cell", []cell{
			{src: `import "strings"
type W struct{ S string }
func (w W) Up() string { return strings.ToUpper(w.S) }
ws := []W{{"a"}, {"b"}}
func all() string { s := ""; for _, w := range ws { s += w.Up() }; return s }
all()`, result: "AB"},
			{src: `import "strings"
type W struct{ S string }
func (w W) Up() string { return strings.ToUpper(w.S) }
ws := []W{{"a"}, {"b"}}
func all() string { s := ""; for _, w := range ws { s += w.Up() }; return s }
all()`, result: "AB"},
			{src: `ws = append(ws, W{"c"})
all()`, result: "ABC"},
		}},
	})
}

func TestRedefineFuncs(t *testing.T) {
	runNotebooks(t, []notebook{
		{"last definition wins for earlier callers", []cell{
			{src: `func f() int { return 1 }
func g() int { return f() * 10 }`},
			{src: `g()`, result: "10"},
			{src: `func f() int { return 2 }`},
			{src: `g()`, result: "20"},
			{src: `func h() int { return g() + 1 }`},
			{src: `func f() int { return 3 }`},
			{src: `h()`, result: "31"},
		}},
		{"signature change with dependents fixed in the same cell", []cell{
			{src: `func area(w int) int { return w * w }
func report() string { return fmt.Sprint(area(3)) }`},
			{src: `report()`, result: "9"},
			{src: `func area(w, h int) int { return w * h }
func report() string { return fmt.Sprint(area(3, 4)) }
report()`, result: "12"},
		}},
		{"signature change breaks an earlier caller", []cell{
			{src: `func area(w int) int { return w * w }`},
			{src: `func report() int { return area(2) }`},
			{src: `func area(w, h int) int { return w * h }`, warn: "report (cell:1) no longer compiles and is removed: not enough arguments in call to area"},
			{src: `area(2, 3)`, result: "6"},
			{src: `report()`, err: "1:1: undefined: report"},
		}},
		{"func value captured in a variable keeps the old func", []cell{
			{src: `func f() string { return "old" }`},
			{src: `saved := f`},
			{src: `func f() string { return "new" }`},
			{src: `saved() + " " + f()`, result: "old new"},
		}},
		{"recursive funcs and mutual recursion", []cell{
			{src: `func fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }
fib(10)`, result: "55"},
			{src: `func even(n int) bool { if n == 0 { return true }; return odd(n - 1) }
func odd(n int) bool { if n == 0 { return false }; return even(n - 1) }
even(10)`, result: "true"},
			{src: `func fib(n int) int { a, b := 0, 1; for range n { a, b = b, a+b }; return a }
fib(50)`, result: "12586269025"},
		}},
		{"var read by a func is redeclared", []cell{
			{src: `x := 7
func readX() int { return x }`},
			{src: `readX()`, result: "7"},
			{src: `x = 9
readX()`, result: "9"},
			{src: `x := "now a string"`, warn: "readX (cell:2) no longer compiles and is removed: cannot use x (variable of type string) as int value in return statement"},
			{src: `func readX2() string { return x }
readX2()`, result: "now a string"},
			{src: `readX()`, err: "undefined: readX"},
		}},
		{"func replaced by a variable and back", []cell{
			{src: `func v() int { return 1 }`},
			{src: `v := 5`},
			{src: `v + 1`, result: "6"},
			{src: `func v() int { return 2 }`},
			{src: `v()`, result: "2"},
		}},
	})
}

func TestRedefineVarsConsts(t *testing.T) {
	runNotebooks(t, []notebook{
		{"var type change", []cell{
			{src: `x := 1`},
			{src: `func show() string { return fmt.Sprintf("%v %T", x, x) }
show()`, result: "1 int"},
			{src: `x := 2.5`},
			{src: `show()`, result: "2.5 float64"},
			{src: `x := []string{"a"}`},
			{src: `show()`, result: "[a] []string"},
			{src: `x = append(x, "b")
show()`, result: "[a b] []string"},
		}},
		{"const redefinition reaches dependents", []cell{
			{src: `const N = 3
func size() int { return N * 2 }
var arr [N]int`},
			{src: `size()`, result: "6"},
			{src: `const N = 5`},
			{src: `size()`, result: "10"},
			{src: `len(arr)`, result: "3"},
			{src: `var arr2 [N]int
len(arr2)`, result: "5"},
		}},
		{"iota group", []cell{
			{src: `const (
	Red = iota
	Green
	Blue
)
Blue`, result: "2"},
			{src: `const (
	Red = iota + 10
	Green
	Blue
)
Green`, result: "11"},
			{src: `Red + Blue`, result: "22"},
		}},
		{"typed consts and const expressions", []cell{
			{src: `import "time"
const Step = 250 * time.Millisecond
const Steps = 4
Step * Steps`, result: "1s"},
			{src: `const Big = 1 << 40
Big / 1024`, result: "1073741824"},
			{src: `const Ratio = 2.5
var f float32 = Ratio
f`, result: "2.5"},
		}},
	})
}

func TestRedefineTypes(t *testing.T) {
	runNotebooks(t, []notebook{
		{"type with new fields and methods", []cell{
			{src: `type P struct{ X int }
func (p P) Norm() int { return p.X }`},
			{src: `p := P{X: 3}
p.Norm()`, result: "3"},
			{src: `type P struct{ X, Y int }`, warn: "p keeps a value of the previous P (its old fields and methods): run the cell that makes it again to use the new definition"},
			// The method of the old version is carried to the new one.
			{src: `P{X: 3, Y: 4}.Norm()`, result: "3"},
			{src: `func (p P) Norm() int { return p.X*p.X + p.Y*p.Y }
P{X: 3, Y: 4}.Norm()`, result: "25"},
			{src: `func (p P) String() string { return fmt.Sprintf("(%d,%d)", p.X, p.Y) }
fmt.Println(P{1, 2})`, out: "(1,2)\n"},
			// The old value keeps its old type and methods, like an old
			// instance in Python.
			{src: `p.Norm()`, result: "3"},
			// It is checked as the old version: misuse is a compile error.
			{src: `p = P{X: 1, Y: 1}`, err: "1:5: cannot use P{…} (value of struct type P) as P value in assignment: p holds a value of an earlier definition of P; re-run the cell that made it"},
			{src: `p.Y`, err: "1:3: p.Y undefined (type P has no field or method Y): p holds a value of an earlier definition of P; re-run the cell that made it"},
			{src: `q := p
q.Norm()`, result: "3"},
			{src: `p := P{X: 1, Y: 1}
p.Norm()`, result: "2"},
		}},
		{"funcs using a redefined type are recompiled", []cell{
			{src: `type Shape struct{ W, H float64 }
func area(s Shape) float64 { return s.W * s.H }
func unit() Shape { return Shape{W: 1, H: 1} }`},
			{src: `area(unit())`, result: "1"},
			{src: `type Shape struct{ W, H, D float64 }`},
			{src: `func volume(s Shape) float64 { return area(s) * s.D }
volume(Shape{2, 3, 4})`, result: "24"},
			{src: `area(unit())`, result: "1"},
		}},
		{"pointer receivers and slices of user types", []cell{
			{src: `type Counter struct{ n int }
func (c *Counter) Inc() { c.n++ }
cs := []*Counter{{}, {}}
for _, c := range cs { c.Inc() }
cs[0].n + cs[1].n`, result: "2"},
			{src: `func (c *Counter) Inc() { c.n += 10 }
c := &Counter{}
c.Inc()
c.n`, result: "10", warn: "cs keeps a value of the previous Counter"},
			{src: `type Counter struct{ n, max int }
func (c *Counter) Inc() { if c.n < c.max { c.n++ } }
c := &Counter{max: 1}
c.Inc(); c.Inc()
c.n`, result: "1"},
		}},
		{"types referring to types", []cell{
			{src: `type Node struct{ Val int; Next *Node }
type List struct{ Head *Node }
func (l *List) Push(v int) { l.Head = &Node{Val: v, Next: l.Head} }
func (l List) Sum() int { s := 0; for n := l.Head; n != nil; n = n.Next { s += n.Val }; return s }
var l List
l.Push(1); l.Push(2)
l.Sum()`, result: "3"},
			{src: `type Node struct{ Val, Weight int; Next *Node }`, warn: "l keeps a value of the previous List"},
			{src: `var l2 List
l2.Push(5)
l2.Head.Weight = 2
l2.Sum() * l2.Head.Weight`, result: "10"},
		}},
		{"interfaces", []cell{
			{src: `type Shape interface{ Area() float64 }
type Sq struct{ S float64 }
func (s Sq) Area() float64 { return s.S * s.S }
func total(ss []Shape) float64 { t := 0.0; for _, s := range ss { t += s.Area() }; return t }
total([]Shape{Sq{2}, Sq{3}})`, result: "13"},
			{src: `type Circle struct{ R float64 }
func (c Circle) Area() float64 { return 3 * c.R * c.R }
total([]Shape{Sq{1}, Circle{1}})`, result: "4"},
			{src: `type Shape interface{ Area() float64; Name() string }`},
			{src: `func (s Sq) Name() string { return "square" }
func (c Circle) Name() string { return "circle" }
var s Shape = Circle{2}
s.Name()`, result: "circle"},
		}},
		{"method on a type from an earlier cell", []cell{
			{src: `type V []float64`},
			{src: `v := V{1, 2, 3}`},
			{src: `func (v V) Sum() float64 { s := 0.0; for _, x := range v { s += x }; return s }
V{4, 5}.Sum()`, result: "9"},
			{src: `func (v V) Mean() float64 { return v.Sum() / float64(len(v)) }
V{4, 5}.Mean()`, result: "4.5"},
		}},
		{"a variable made again with a new version of its type", []cell{
			{src: `type P struct{ X int }`},
			{src: `p := P{1}`},
			{src: `func getX() int { return min(p.X, 100) }
getX()`, result: "1"},
			{src: `type P struct{ X, Y int }`, warn: "p keeps a value of the previous P"},
			// p changes type (a new version): getX is emitted again, with
			// its min rewritten.
			{src: `p := P{5, 6}`},
			{src: `getX() + p.Y`, result: "11"},
		}},
		{"a redefinition with stale variables and a declaration using the cell's variable", []cell{
			{src: `type P struct{ X int }
p := P{1}
func reset() { p = P{} }`},
			{src: `type P struct{ X, Y int }
limit := 3
func capped() int { return min(p.X, limit) }
capped()`, result: "1", warn: "reset (cell:3) no longer compiles and is removed: cannot use P{} (value of struct type P) as P value in assignment"},
			{src: `p.X + limit`, result: "4"},
		}},
		{"helper used by a method is redefined", []cell{
			{src: `func act(x float64) float64 { return x }
type Neuron struct{ W float64 }
func (n Neuron) Fire(x float64) float64 { return act(n.W * x) }`},
			{src: `Neuron{2}.Fire(-1)`, result: "-2"},
			{src: `func act(x float64) float64 { if x < 0 { return 0 }; return x }`},
			{src: `Neuron{2}.Fire(-1)`, result: "0"},
		}},
	})
}
