package rewrite

import "testing"

func TestEdgeCases(t *testing.T) {
	runNotebooks(t, []notebook{
		{"embedding", []cell{
			{src: `type Base struct{ ID int }
func (b Base) Hello() string { return fmt.Sprint("hello ", b.ID) }
type Derived struct {
	Base
	Name string
}
d := Derived{Base{1}, "x"}
d.Hello() + " " + d.Name`, result: "hello 1 x"},
			{src: `d.ID`, result: "1"},
			{src: `type Base struct{ ID, Rank int }`, warn: "d keeps a value of the previous Derived (its old fields and methods)"},
			{src: `d2 := Derived{Base{2, 5}, "y"}
d2.Hello()`, result: "hello 2"},
			{src: `d2.Rank`, result: "5"},
			// In yaegi the embedded field of the new version is named
			// after the versioned type; references follow it.
			{src: `d2.Base.ID + d2.Base.Rank`, result: "7"},
			{src: `d3 := Derived{Base: Base{ID: 3}, Name: "z"}
d3.Base.ID`, result: "3"},
		}},
		{"const used by a type", []cell{
			{src: `const N = 2
type Vec [N]float64
func (v Vec) Len() int { return len(v) }
Vec{}.Len()`, result: "2"},
			{src: `const N = 4`},
			{src: `Vec{}.Len()`, result: "4"},
		}},
		{"a name changes kind", []cell{
			{src: `x := 1
func useX() int { return x + 1 }
useX()`, result: "2"},
			{src: `const x = 10`},
			{src: `useX()`, result: "11"},
			{src: `func x() int { return 5 }`, warn: "useX (cell:2) no longer compiles and is removed"},
			{src: `x()`, result: "5"},
			{src: `type x struct{}`},
			{src: `x{}`, result: "{}"},
		}},
		{"import names are not variables", []cell{
			{src: `import "strings"`},
			{src: `strings := []string{"a"}`, err: "1:1: strings is the name of an imported package; choose another name"},
			{src: `func strings() {}`, err: `1:6: strings already declared through import of package strings ("strings")`},
			{src: `strings.ToUpper("still works")`, result: "STILL WORKS"},
		}},
		{"return at the top of a cell", []cell{
			{src: `limit := 3
if limit > 2 {
	fmt.Println("early")
	return
}
fmt.Println("late")
limit`, out: "early\n"},
			{src: `limit`, result: "3"},
		}},
		{"dropped declarations can be defined again", []cell{
			{src: `func f(a int) int { return a }
func g() int { return f(1) }`},
			{src: `func f(a, b int) int { return a + b }`, warn: "g (cell:2) no longer compiles"},
			{src: `func g() int { return f(1, 2) }
g()`, result: "3"},
		}},
		{"methods calling methods across versions", []cell{
			{src: `type Acc struct{ vals []float64 }
func (a *Acc) Add(v float64) { a.vals = append(a.vals, v) }
func (a *Acc) Sum() float64 { s := 0.0; for _, v := range a.vals { s += v }; return s }
func (a *Acc) Mean() float64 { return a.Sum() / float64(len(a.vals)) }
acc := &Acc{}
acc.Add(1); acc.Add(3)
acc.Mean()`, result: "2"},
			{src: `func (a *Acc) Sum() float64 { s := 0.0; for _, v := range a.vals { s += v * v }; return s }
acc2 := &Acc{}
acc2.Add(1); acc2.Add(3)
acc2.Mean()`, result: "5", warn: "acc keeps a value of the previous Acc"},
			{src: `acc.Mean()`, result: "2"},
		}},
		{"closures declared at top level capture hoisted state", []cell{
			{src: `history := []string{}
log := func(s string) { history = append(history, s) }
log("a")`},
			{src: `log("b")
history`, result: "[a b]"},
			{src: `history := []string{"reset"}
log("c")
history`, result: "[reset c]"},
		}},
		{"a func called main is not run by every later cell", []cell{
			{src: `func main() { fmt.Println("main ran") }`},
			{src: `1 + 1`, result: "2"},
			{src: `main()`, out: "main ran\n"},
			{src: `func twice() { main(); main() }
twice()`, out: "main ran\nmain ran\n"},
		}},
		{"unicode and raw strings", []cell{
			{src: "s := `raw\nline`\nlen(s)", result: "8"},
			{src: `π := 3.14159
r := 2.0
π * r * r`, result: "12.56636"},
			{src: `naïve := "ok"
naïve`, result: "ok"},
		}},
		{"switch, select and type switch at top level", []cell{
			{src: `var v any = 2.5
switch x := v.(type) {
case int:
	fmt.Println("int", x)
case float64:
	fmt.Println("float", x)
}`, out: "float 2.5\n"},
			{src: `c1 := make(chan string, 1)
c1 <- "ready"
select {
case m := <-c1:
	fmt.Println(m)
default:
	fmt.Println("none")
}`, out: "ready\n"},
		}},
	})
}
