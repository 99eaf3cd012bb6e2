package rewrite

import (
	"reflect"
	"strings"
	"testing"
)

// Pre-imported packages behave like Python's builtins: a top-level
// declaration of their name shadows them, an explicit import brings them
// back. The test sessions pre-import fmt only.
func TestPreimportShadowing(t *testing.T) {
	runNotebooks(t, []notebook{
		{"a variable shadows a pre-import", []cell{
			{src: `func show(v any) { fmt.Println("show", v) }`},
			{src: `fmt := 5
fmt + 1`, result: "6"},
			{src: `fmt.Println("x")`, err: "1:5: fmt.Println undefined (type int has no field or method Println)"},
			// Earlier declarations keep the package.
			{src: `show(fmt)`, out: "show 5\n"},
			{src: `fmt * 2`, result: "10"},
			{src: `import "fmt"
fmt.Sprint("back")`, result: "back"},
			{src: `show(1)`, out: "show 1\n"},
			{src: `fmt := []int{3}
len(fmt)`, result: "1"},
		}},
		{"the same cell uses the package, then shadows it", []cell{
			{src: `fmt.Println("a")
fmt := "b"
fmt`, err: "1:1: undefined: fmt: the cell declares fmt, which hides the pre-imported package fmt in all of the cell; use another name, or the package in another cell"},
			{src: `fmt := fmt.Sprint(1)`, err: "1:8: undefined: fmt: the cell declares fmt"},
			{src: `s := fmt.Sprint(1)
s`, result: "1"},
		}},
		{"a func, a type and a const shadow a pre-import", []cell{
			{src: `func fmt(x int) int { return x * 3 }
fmt(2)`, result: "6"},
			{src: `import "fmt"
fmt.Sprint("pkg")`, result: "pkg"},
			{src: `type fmt struct{ A int }
fmt{4}.A`, result: "4"},
			{src: `import "fmt"`},
			{src: `const fmt = 7
fmt * 6`, result: "42"},
			{src: `fmt(2)`, err: "1:1: invalid operation: cannot call fmt (untyped int constant 7)"},
		}},
		{"a cell cannot import and shadow the same name", []cell{
			{src: `fmt := 1`},
			{src: `import "fmt"
fmt := 2`, err: "2:1: fmt is the name of an imported package; choose another name"},
			{src: `fmt`, result: "1"},
		}},
		{"hoisted variables of a shadowed package's types", []cell{
			{src: `var st fmt.Stringer
type N int
func (n N) String() string { return "N" }
st = N(1)`},
			{src: `fmt := 0
st.String()`, result: "N"},
			{src: `st2 := st
st2.String()`, result: "N"},
		}},
		{"declarations written before the shadow are emitted again", []cell{
			{src: `func helper() int { return 1 }
type Box struct{ V int }
func (b Box) String() string { return fmt.Sprintf("box(%d)", b.V*helper()) }
func show(v any) string { return fmt.Sprint(v, helper()) }`},
			{src: `fmt := 5`},
			// show and Box's method depend on helper: they are compiled
			// again, and still name the package.
			{src: `func helper() int { return 2 }
show(fmt) + " " + Box{3}.String()`, result: "5 2 box(6)"},
			{src: `import "fmt"
fmt.Sprint(Box{4})`, result: "box(8)"},
		}},
		{"local declarations never shadow", []cell{
			{src: `n := 0
for fmt := 0; fmt < 2; fmt++ { n += fmt }
fmt.Sprint("pkg", n)`, result: "pkg1"},
			{src: `func f(fmt int) int { return fmt }
f(3)`, result: "3"},
		}},
	})
}

func TestPreimportVars(t *testing.T) {
	s := newSession(t)
	if _, _, err := s.run(`var st fmt.Stringer`); err != "" {
		t.Fatal(err)
	}
	if _, _, err := s.run(`fmt := 3`); err != "" {
		t.Fatal(err)
	}
	if _, _, err := s.run(`var w fmt.Stringer`); !strings.Contains(err, "fmt.Stringer is not a type") {
		t.Errorf("var w fmt.Stringer after fmt := 3: err %q", err)
	}
	if v := s.prog.Vars(); !reflect.DeepEqual(v, []Var{{"fmt", "int"}, {"st", "fmt.Stringer"}}) {
		t.Errorf("Vars = %v, want fmt int, st fmt.Stringer", v)
	}
	if _, ok := s.prog.Imports()["fmt"]; ok {
		t.Errorf("Imports still has fmt after fmt := 3")
	}
	s.run(`import "fmt"`)
	if v := s.prog.Vars(); len(v) != 1 || v[0].Name != "st" {
		t.Errorf("Vars = %v after import \"fmt\", want st only", v)
	}
	if _, ok := s.prog.Imports()["fmt"]; !ok {
		t.Errorf("Imports lacks fmt after import \"fmt\"")
	}
}
