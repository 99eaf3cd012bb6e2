package interp

import "testing"

func TestWithLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{
			"func __gonn_cell5() {\n//line _.go:1:1\ny  = 2\n//line _.go:3:1\nfmt.Println(y)\n}\n",
			"func __gonn_cell5() {\n__gonn.Line(1)\n//line _.go:1:1\ny  = 2\n__gonn.Line(3)\n//line _.go:3:1\nfmt.Println(y)\n}\n",
		},
		{ // no directives: the statements' own lines
			"func f() {\n\tx := 1\n\t_ = x\n}",
			"func f() {\n__gonn.Line(3)\n\tx := 1\n__gonn.Line(4)\n\t_ = x\n}",
		},
		{"func f() { x := 1; _ = x }", "func f() { x := 1; _ = x }"}, // one line: unchanged
		{"var x = 1", "var x = 1"},
		{"func f() {", "func f() {"},
	} {
		if got := withLines(tc.in); got != tc.want {
			t.Errorf("withLines(%q) =\n%q\nwant\n%q", tc.in, got, tc.want)
		}
	}
}
