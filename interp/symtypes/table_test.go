package symtypes

import (
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"testing"

	"github.com/gonnlab/gonn/third_party/yaegi/interp"
)

// Node is a recursive test type with a value and a pointer method.
type Node struct {
	Val      float64
	Next     *Node
	Children []*Node
	Embedded
	hidden int
}

// Embedded is embedded in Node.
type Embedded struct{ Tag string }

// Sum has a value receiver.
func (n Node) Sum(xs ...float64) float64 { return n.Val }

// Link has a pointer receiver.
func (n *Node) Link(m *Node) { n.Next = m; n.hidden++ }

// Level is a typed constant's type.
type Level int

// Pipe has channels of every direction.
func Pipe(in <-chan int, out chan<- int, both chan Level) {}

// Counter is a variable.
var Counter int

func testTable() interp.Exports {
	return interp.Exports{"example.com/nn/nn": {
		"Node":     reflect.ValueOf((*Node)(nil)),
		"Embedded": reflect.ValueOf((*Embedded)(nil)),
		"Level":    reflect.ValueOf((*Level)(nil)),
		"High":     reflect.ValueOf(Level(3)),
		"Eps":      reflect.ValueOf(constant.MakeFromLiteral("1e-8", token.FLOAT, 0)),
		"Pipe":     reflect.ValueOf(Pipe),
		"Counter":  reflect.ValueOf(&Counter).Elem(),
		"_Wrapper": reflect.ValueOf((*struct{ IValue any })(nil)),
	}}
}

func TestCustomTable(t *testing.T) {
	im := NewImporter(testTable())
	src := `package main
import "example.com/nn"
func main() {
	n := &nn.Node{Val: 1}
	n.Link(&nn.Node{})
	_ = n.Next.Next.Sum() + n.Sum(1, 2, 3) + n.Children[0].Val
	_ = n.Tag + n.Embedded.Tag
	var l nn.Level = nn.High
	var f float32 = nn.Eps
	in, out, both := make(chan int), make(chan int), make(chan nn.Level)
	nn.Pipe(in, out, both)
	nn.Counter++
	_, _ = l, f
}`
	if err := check(t, im, src); err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"pointer method via value in interface": `package main
import "example.com/nn"
func main() { var _ interface{ Link(*nn.Node) } = nn.Node{} }`,
		"unexported field": `package main
import "example.com/nn"
func main() { _ = nn.Node{}.hidden }`,
		"send on recv-only": `package main
import "example.com/nn"
func main() { nn.Pipe(nil, nil, nil); var c <-chan int; nn.Pipe(c, c, nil) }`,
		"typed const mismatch": `package main
import "example.com/nn"
func main() { var i int = nn.High; _ = i }`,
		"wrapper hidden": `package main
import "example.com/nn"
func main() { _ = nn._Wrapper{} }`,
		"assign to const": `package main
import "example.com/nn"
func main() { nn.High = 2 }`,
	}
	for name, src := range bad {
		if err := check(t, im, src); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	pkg, _ := im.Import("example.com/nn")
	if c, ok := pkg.Scope().Lookup("High").(*types.Const); !ok || c.Val().String() != "3" {
		t.Errorf("High = %v", pkg.Scope().Lookup("High"))
	}
	if pkg.Name() != "nn" {
		t.Errorf("package name %q", pkg.Name())
	}
}

func BenchmarkImportFmtOsStrings(b *testing.B) {
	for i := 0; i < b.N; i++ {
		im := NewImporter(stdImporterTables())
		for _, p := range []string{"fmt", "os", "strings"} {
			if _, err := im.Import(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}
