package rewrite

import "testing"

// TestCommonPatterns runs idioms that notebook code uses all the time.
func TestCommonPatterns(t *testing.T) {
	runNotebooks(t, []notebook{
		{"enums with iota and String", []cell{
			{src: `type Color int
const (
	Red Color = iota
	Green
	Blue
)
func (c Color) String() string { return [...]string{"red", "green", "blue"}[c] }
fmt.Println(Green, Blue)`, out: "green blue\n"},
			{src: `c := Blue
c.String()`, result: "blue"},
			{src: `func (c Color) String() string { return [...]string{"R", "G", "B"}[c] }
Red.String() + Green.String()`, result: "RG", warn: "c keeps a value of the previous Color"},
		}},
		{"recursive closure and method values", []cell{
			{src: `var fib func(int) int
fib = func(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }
fib(15)`, result: "610"},
			{src: `type Greeter struct{ Name string }
func (g Greeter) Greet(s string) string { return s + ", " + g.Name }
greet := Greeter{"Ada"}.Greet
greet("hi")`, result: "hi, Ada"},
			{src: `func apply(fs ...func(int) int) int { x := 1; for _, f := range fs { x = f(x) }; return x }
apply(func(i int) int { return i + 1 }, func(i int) int { return i * 10 })`, result: "20"},
		}},
		{"pointers to hoisted variables and value semantics", []cell{
			{src: `n := 5
pn := &n
*pn = 7
n`, result: "7"},
			{src: `arr := [3]int{1, 2, 3}
cp := arr
cp[0] = 99
arr[0]*100 + cp[0]`, result: "199"},
			{src: `x, y := 1, 2
x, y = y, x
fmt.Println(x, y)`, out: "2 1\n"},
			{src: `import "strings"
var sb strings.Builder
sb.WriteString("ab")
sb.WriteString("cd")
sb.String()`, result: "abcd"},
			{src: `sb.Len()`, result: "4"},
		}},
		{"named results, defer in loops, switch", []cell{
			{src: `func divmod(a, b int) (q, r int) { q = a / b; r = a % b; return }
q, r := divmod(17, 5)
fmt.Println(q, r)`, out: "3 2\n"},
			{src: `for i := range 3 { defer fmt.Print(i) }
fmt.Print("x")`, out: "x210"},
			{src: `grade := func(s int) string {
	switch {
	case s >= 90:
		return "A"
	case s >= 80:
		return "B"
	default:
		return "C"
	}
}
grade(85) + grade(95) + grade(10)`, result: "BAC"},
			{src: `k := 0
switch k {
case 0:
	fmt.Print("zero ")
	fallthrough
case 1:
	fmt.Print("one")
}
fmt.Println()`, out: "zero one\n"},
		}},
		{"timing and randomness", []cell{
			{src: `import (
	"math/rand"
	"time"
)
start := time.Now()
r := rand.New(rand.NewSource(42))
v := r.Intn(100)
el := time.Since(start)
v >= 0 && v < 100 && el >= 0`, result: "true"},
			{src: `r2 := rand.New(rand.NewSource(42))
r2.Intn(100) == v`, result: "true"},
		}},
		{"slices of slices, maps of slices, anonymous structs", []cell{
			{src: `groups := map[string][]int{}
for i := range 6 {
	k := "odd"
	if i%2 == 0 { k = "even" }
	groups[k] = append(groups[k], i)
}
groups["even"]`, result: "[0 2 4]"},
			{src: `people := []struct {
	Name string
	Age  int
}{{"a", 30}, {"b", 20}}
import "sort"
sort.Slice(people, func(i, j int) bool { return people[i].Age < people[j].Age })
people[0].Name`, result: "b"},
			{src: `matrix := make([][]float64, 2)
for i := range matrix { matrix[i] = make([]float64, 3) }
matrix[1][2] = 5
matrix`, result: "[[0 0 0] [0 0 5]]"},
		}},
		{"interfaces holding user types", []cell{
			{src: `type Animal interface{ Sound() string }
type Dog struct{}
type Cat struct{ name string }
func (Dog) Sound() string { return "woof" }
func (c *Cat) Sound() string { return c.name + " meows" }
zoo := []Animal{Dog{}, &Cat{"tom"}}
s := ""
for _, a := range zoo { s += a.Sound() + ";" }
s`, result: "woof;tom meows;"},
			{src: `var a Animal = Dog{}
_, isDog := a.(Dog)
isDog`, result: "true"},
			{src: `func describe(a Animal) string {
	switch v := a.(type) {
	case *Cat:
		return "cat " + v.name
	case Dog:
		return "dog"
	}
	return "?"
}
describe(zoo[1])`, result: "cat tom"},
		}},
	})
}
