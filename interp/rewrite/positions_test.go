package rewrite

import (
	"regexp"
	"strings"
	"testing"
)

// Errors name the cell's line and column wherever they are: in the
// headers of for, if and switch statements, in closures, in nested
// blocks and in declarations.
func TestErrorPositions(t *testing.T) {
	runNotebooks(t, []notebook{{"compile errors", []cell{
		{src: `xs := []int{1, 2}`},
		{src: `for i := 0; i < undefinedX; i++ {}`, err: "1:17: undefined: undefinedX"},
		{src: `n := 0
for i := 0; i < len(xs); i += "a" { n++ }`, err: `2:26: invalid operation: i += "a" (mismatched types int and untyped string)`},
		{src: `if v := 1; v > "a" {}`, err: `1:16: invalid operation: v > "a" (mismatched types int and untyped string)`},
		{src: `if true {
} else if v := xs[0]; v == "s" {
}`, err: `2:28: invalid operation: v == "s"`},
		{src: `switch v := 1; v {
case "a":
}`, err: `2:6: cannot convert "a" (untyped string constant) to type int`},
		{src: `for _, x := range xs { _ = x }; for i := 0; i < 2; i++ { undefinedY() }`, err: "1:58: undefined: undefinedY"},
		{src: `f := func() int {
	return "s"
}`, err: `2:9: cannot use "s" (untyped string constant) as int value in return statement`},
		{src: `{
	{
		var q int = "s"
	}
}`, err: `3:15: cannot use "s" (untyped string constant) as int value in variable declaration`},
		{src: `func g() {
	go func() {
		for i := 0; i < 2; i++ {
			if i > "x" {}
		}
	}()
}`, err: `4:11: invalid operation: i > "x"`},
		{src: `type T struct{ A int }
func (t T) M() string {
	return t.A
}`, err: `3:9: cannot use t.A (variable of type int) as string value in return statement`},
	}}})
}

// The sources given to the interpreter name positions with yaegi's file
// name only: //line directives of the checked file (the cell's label) never
// leak into them, header semicolons included.
func TestDirectivesUseOneName(t *testing.T) {
	directive := regexp.MustCompile(`(//|/\*)line ([^:]*):`)
	s := newSession(t)
	cells := []string{
		`xs := []int{1, 2, 3}`,
		`n := 0
for i := 0; i < len(xs); i++ { n += xs[i] }
if m := n * 2; m > 3 { n = m }
switch k := n % 3; k { case 0: n++ }
for x := []int{1}; len(x) < 3; x = append(x, 1) { n++ }; fmt.Println(n)
outer:
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			if j > i { continue outer }
			n++
		}
	}
n`,
		`type P struct{ X int }
func (p P) Get() int { for i := 0; i < 1; i++ {}; return p.X }
p := P{3}
var q P
q.X = max(p.Get(), 2)`,
		`type P struct{ X, Y int }
func (p P) Get() int { if v := p.X; v > 0 { return v }; return p.Y }
P{1, 2}.Get()`,
	}
	for _, c := range cells {
		plan, err := s.prog.Rewrite(c)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		for _, src := range []string{plan.Decls, plan.Body} {
			for _, m := range directive.FindAllStringSubmatch(src, -1) {
				if m[2] != "_.go" {
					t.Errorf("cell %q: directive %q in\n%s", c, m[0], src)
				}
			}
			if strings.Contains(src, "\nfor i := 0\n") {
				t.Errorf("cell %q: a for header is cut:\n%s", c, src)
			}
		}
		if _, res, e := s.run(c); e != "" || c == cells[1] && res != "21" {
			t.Fatalf("%s: %q %s", c, res, e)
		}
	}
}

// After a loop with an empty body, yaegi's returns give the zero value;
// the rewriter puts a block in such bodies.
func TestEmptyLoopBodies(t *testing.T) {
	runNotebooks(t, []notebook{{"empty loops", []cell{
		{src: `for i := 0; i < 3; i++ {}
"after"`, result: "after"},
		{src: `func count(xs []int) int {
	n := 0
	for range xs {
		// nothing
	}
	for n = 0; n < len(xs); n++ {
	}
	return n
}
count([]int{4, 5})`, result: "2"},
		{src: `for range 2 {}; 7`, result: "7"},
	}}})
}
