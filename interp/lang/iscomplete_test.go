package lang

import "testing"

func TestIsComplete(t *testing.T) {
	tests := []struct {
		src, status, indent string
	}{
		{"", "complete", ""},
		{"   \n\t\n", "complete", ""},
		{"x := 1", "complete", ""},
		{"x := 1\n", "complete", ""},
		{"fmt.Println(\"héllo\")", "complete", ""},
		{"func f() int { return 1 }", "complete", ""},
		{"type P struct{ X, Y float64 }\nfunc (p P) Norm() float64 { return p.X }\np := P{1, 2}\np.Norm()", "complete", ""},
		{"import \"strings\"\nstrings.ToUpper(\"a\")", "complete", ""},
		{"for i := range 3 {\n\tfmt.Println(i)\n}", "complete", ""},
		{"if x {\n} else {\n}", "complete", ""},
		{"// just a comment", "complete", ""},
		{"/* a closed\nblock comment */", "complete", ""},
		{"x := `raw\nstring`", "complete", ""},
		{"%time", "complete", ""},
		{"!ls -l", "complete", ""},
		{"%time x := f()", "complete", ""},
		{"%%time\nx := 1", "complete", ""},
		{"%%time\nfor {", "incomplete", "    "},
		{"%time for i := range 3 {", "incomplete", "    "},
		{"%env GOFLAGS=-x", "complete", ""},
		{"x := 1\n!echo hi\nfor {", "incomplete", "    "},
		{"%time x := )", "invalid", ""},
		{"ok := a &&\n\t!b", "complete", ""},
		// incomplete: open brackets, blocks, raw strings, block comments
		{"func f() {", "incomplete", "    "},
		{"for i := 0; i < 3; i++ {", "incomplete", "    "},
		{"if v, ok := m[k]; ok {", "incomplete", "    "},
		{"switch x := f(); x {\ncase 1:\n}", "complete", ""},
		{"for i := 0; i < 3; i++ {\n}\nx := 1; y := 2", "complete", ""},
		{"fmt.Println(", "incomplete", "    "},
		{"fmt.Println(1,", "incomplete", "    "},
		{"xs := []int{", "incomplete", "    "},
		{"xs := []int{1, 2,\n    3,", "incomplete", "    "},
		{"func f() {\n    if x {", "incomplete", "        "},
		{"func f() {\n\tif x {", "incomplete", "\t\t"},
		{"func f() {\n\tif x {\n\t}", "incomplete", "\t"},
		{"m := map[string]int{\n", "incomplete", "    "},
		{"x := f(func() {", "incomplete", "    "},
		{"type P struct {", "incomplete", "    "},
		{"import (", "incomplete", "    "},
		{"s := `raw", "incomplete", ""},
		{"s := `raw\nmore", "incomplete", ""},
		{"/* open comment", "incomplete", ""},
		{"x := 1\nfunc f() {", "incomplete", "    "},
		{"func f() {\n}\nfor {", "incomplete", "    "},
		{"switch x {\ncase 1:", "incomplete", "    "},
		{"x := []string{\"é\",", "incomplete", "    "},
		// invalid: errors more input cannot fix
		{")))", "invalid", ""},
		{"x :=+ ", "invalid", ""},
		{"x := 1 +", "invalid", ""},
		{"}", "invalid", ""},
		{"fmt.Println(1]", "invalid", ""},
		{"f(a b", "invalid", ""},
		{"x := (1 2", "invalid", ""},
		{"func f() {\n\tx := 1 1\n", "invalid", ""},
		{"var x int = = 2", "invalid", ""},
		{"x := \"unterminated", "invalid", ""},
		{"x := 'ab'", "invalid", ""},
		{"func f() {}}", "invalid", ""},
		{"x := 1\ny := ]", "invalid", ""},
		{"1 2\nfunc f() {", "invalid", ""},
		{"if x {\n} else", "invalid", ""},
	}
	for _, tt := range tests {
		status, indent := IsComplete(tt.src)
		if status != tt.status || indent != tt.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", tt.src, status, indent, tt.status, tt.indent)
		}
	}
}
