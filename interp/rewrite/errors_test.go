package rewrite

import (
	"strings"
	"testing"
)

func TestErrors(t *testing.T) {
	runNotebooks(t, []notebook{
		{"syntax errors at the cell's line and column", []cell{
			{src: `x := `, err: "1:6: expected operand"},
			{src: `a := 1
b := 2 +
c := 3`, err: "3:3: expected ';', found ':='"},
			{src: `for i := range 3 {
	fmt.Println(i)`, err: "2:16: expected '}', found 'EOF'"},
			{src: `fmt.Println("unterminated)`, err: "1:13: string literal not terminated"},
			{src: `import "strings"
func f( { }
strings.ToUpper("a")`, err: "2:9: expected ')', found '{'"},
			{src: `y := 1
z := y
func g() int {
	return 1 +
}`, err: "5:1: expected operand, found '}'"},
		}},
		{"type errors at the cell's line and column", []cell{
			{src: `x := 1
y := undefinedThing + x`, err: "2:6: undefined: undefinedThing"},
			{src: `var s string = 5`, err: "1:16: cannot use 5 (untyped int constant) as string value in variable declaration"},
			{src: `q := 1
	q = "str"`, err: `2:6: cannot use "str" (untyped string constant) as int value in assignment`},
			{src: `func f(a int) int { return a }
w := 1
v := f(w, w)`, err: "3:11: too many arguments in call to f"},
			{src: `v := 1
func h() string {
	return 1.5
}`, err: "3:9: cannot use 1.5 (untyped float constant) as string value in return statement"},
			{src: `π := 3.14
μ, σ := π, undefinedSigma`, err: "2:12: undefined: undefinedSigma"},
			{src: `import "strings"
strings.NoSuchFunc()`, err: "2:9: undefined: strings.NoSuchFunc"},
			{src: `type T struct{ A int }
T{}.B`, err: "2:5: T{}.B undefined (type T has no field or method B)"},
			// Nothing of the failed cells was committed.
			{src: `x`, err: "1:1: undefined: x"},
			{src: `T{}`, err: "1:1: undefined: T"},
		}},
		{"import errors", []cell{
			{src: `import "no/such/package"`, err: `1:8: could not import no/such/package (not available in the interpreter)`},
			{src: `import . "strings"`, err: "1:8: dot imports are not supported in cells"},
			{src: `import s "strings"`},
			{src: `import s "sort"`, err: `1:8: s already names the import of "strings"; use another name`},
			{src: `s.ToUpper("ok")`, result: "OK"},
		}},
		{"reserved names", []cell{
			{src: `__gonn_x := 1`, err: `1:1: __gonn_x: names containing "__gonn" are reserved`},
			{src: `func f__gonn2() {}`, err: "reserved"},
		}},
		{"a later cell works after an error", []cell{
			{src: `a := 1`},
			{src: `a := undefinedB`, err: "undefined: undefinedB"},
			{src: `a + 1`, result: "2"},
			{src: `b := a / 0`, err: "1:10: invalid operation: division by zero"},
			{src: `zero := 0
b := a / zero`, err: "panic: "},
			{src: `zero`, result: "0"},
		}},
	})
}

// TestRuntimePositions checks that yaegi's own reports use the cell's
// lines and columns, through the //line directives of the plan.
func TestRuntimePositions(t *testing.T) {
	stderr := &syncBuffer{}
	s2 := newSessionStderr(t, stderr)
	cells := []struct{ src, want string }{
		// yaegi's choice of node is approximate (a panic after the first
		// statement of a function is often reported at an earlier one),
		// but the lines it reports are the cell's: boom is on line 1-3
		// of the cell, not of the generated source.
		{`n := 3
panic("stop")`, "1:1: panic: main.__gonn_cell"},
		{`func boom(m map[string]int) {
	panic(len(m))
}
import "strings"
var m map[string]int
_ = strings.ToUpper("a")
boom(m)`, "2:8: panic: main.boom"},
	}
	for _, c := range cells {
		_, _, errText := s2.run(c.src)
		if !strings.Contains(errText, "panic") {
			t.Errorf("%q: no panic: %q", c.src, errText)
		}
		if got := stderr.take(); !strings.Contains(got, c.want) {
			t.Errorf("%q: yaegi's trace %q does not contain %q", c.src, got, c.want)
		}
	}
}
