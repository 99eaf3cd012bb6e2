package rewrite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/third_party/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// notebook50 returns the cells of a notebook with about 50 declarations:
// types with methods, funcs that call each other (a chain that depends on
// helper0), consts and hoisted variables.
func notebook50() []string {
	var cells []string
	cells = append(cells, `import ("math"; "strings"; "sort")`)
	for i := range 10 {
		cells = append(cells, fmt.Sprintf(`type T%[1]d struct{ A, B float64; Name string }
func (t T%[1]d) Sum() float64 { return t.A + t.B }
func (t *T%[1]d) Scale(k float64) { t.A *= k; t.B *= k }
v%[1]d := T%[1]d{A: %[1]d, B: 1, Name: strings.Repeat("x", %[1]d)}`, i))
	}
	cells = append(cells, `func helper0(x float64) float64 { return math.Sqrt(x) }`)
	for i := 1; i < 10; i++ {
		cells = append(cells, fmt.Sprintf(`func helper%d(x float64) float64 { return helper%d(x) + 1 }`, i, i-1))
	}
	for i := range 10 {
		cells = append(cells, fmt.Sprintf(`const K%[1]d = %[1]d * 2
xs%[1]d := []float64{K%[1]d, 1, 2}
sort.Float64s(xs%[1]d)`, i))
	}
	return cells
}

func benchSession(b *testing.B, cells []string) *session {
	s := newSession(b)
	for _, c := range cells {
		if _, _, err := s.run(c); err != "" {
			b.Fatalf("%s: %s", c, err)
		}
	}
	return s
}

// BenchmarkRewriteTrivial is Rewrite (split, parse, type-check, plan) of
// `1+1` in an empty notebook.
func BenchmarkRewriteTrivial(b *testing.B) {
	s := benchSession(b, nil)
	b.ResetTimer()
	for range b.N {
		if _, err := s.prog.Rewrite("1+1"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRewriteAfter50 is Rewrite of `fmt.Println(v3.Sum())` after a
// notebook of about 50 declarations.
func BenchmarkRewriteAfter50(b *testing.B) {
	s := benchSession(b, notebook50())
	b.ResetTimer()
	for range b.N {
		if _, err := s.prog.Rewrite("fmt.Println(v3.Sum())"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCellTrivial is a whole cell: Rewrite, yaegi's Eval of the body
// and the call, and Commit, for `x := 1+1` in an empty notebook.
func BenchmarkCellTrivial(b *testing.B) {
	s := benchSession(b, nil)
	b.ResetTimer()
	for range b.N {
		if _, _, err := s.run("x := 1+1"); err != "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkCellAfter50 is a whole cell after the 50-declaration notebook.
func BenchmarkCellAfter50(b *testing.B) {
	s := benchSession(b, notebook50())
	b.ResetTimer()
	for range b.N {
		if _, _, err := s.run("y := v3.Sum() + helper9(K3)"); err != "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkRedefine redefines helper0, which the chain helper1..helper9
// depends on, and a method of T5 (a new version of T5 with its methods and
// dependents): the rewriter's approach to "last definition wins".
func BenchmarkRedefine(b *testing.B) {
	s := benchSession(b, notebook50())
	b.ResetTimer()
	for i := range b.N {
		cell := fmt.Sprintf(`func helper0(x float64) float64 { return math.Sqrt(x) * %d }
func (t T5) Sum() float64 { return t.A - t.B + %d }`, i, i)
		if _, _, err := s.run(cell); err != "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplay is the alternative: a fresh interpreter evaluating every
// declaration of the notebook again (as one source), which is what a
// redefinition would cost if each one replayed the notebook.
func BenchmarkReplay(b *testing.B) {
	s := benchSession(b, notebook50())
	var decls strings.Builder
	decls.WriteString("import (\"fmt\"; \"math\"; \"strings\"; \"sort\")\n")
	for _, u := range s.prog.st.units {
		if u.kind == uType {
			decls.WriteString("type ")
		}
		decls.WriteString(u.src.text[u.src.off(u.node.Pos()):u.src.off(u.node.End())])
		decls.WriteString("\n")
	}
	for n, h := range s.prog.st.hoisted {
		fmt.Fprintf(&decls, "var %s %s\n", n, h.internal)
	}
	src := decls.String()
	b.ResetTimer()
	for range b.N {
		yi := interp.New(interp.Options{})
		if err := yi.Use(stdlib.Symbols); err != nil {
			b.Fatal(err)
		}
		if _, err := yi.Eval(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRewriteDeclAfter50 is Rewrite of a cell that declares a new
// func after the 50-declaration notebook: the whole program is checked.
func BenchmarkRewriteDeclAfter50(b *testing.B) {
	s := benchSession(b, notebook50())
	b.ResetTimer()
	for range b.N {
		if _, err := s.prog.Rewrite("func extra(t T3) float64 { return t.Sum() * K3 }"); err != nil {
			b.Fatal(err)
		}
	}
}
