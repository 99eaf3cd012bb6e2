package lang

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestInspect(t *testing.T) {
	env := testEnv()
	tests := []struct {
		cell   string
		detail int
		has    []string // substrings of the text, in order
		not    []string
	}{
		// package members: declaration and doc from GOROOT
		{"fmt.Print|ln", 0, []string{"func fmt.Println(a ...any) (n int, err error)", "\n\nPrintln formats using the default formats"}, nil},
		{"fmt.Println|", 0, []string{"func fmt.Println("}, nil},
		{"|fmt.Println", 0, []string{"package fmt // import \"fmt\""}, nil},
		{"fmt.Println(|", 0, []string{"func fmt.Println("}, nil},
		{"fmt.Println(p.X, |", 0, []string{"func fmt.Println("}, nil},
		{"fmt.Println(square(|", 0, []string{"func square(x float64) float64"}, nil},
		{"fmt.Println(square(2), |", 0, []string{"func fmt.Println("}, nil},
		{"fm|t", 0, []string{"package fmt // import \"fmt\"", "Package fmt implements formatted I/O"}, []string{"# Printing"}},
		{"fm|t", 1, []string{"package fmt", "# Printing"}, nil},
		{"strings.Builder|", 0, []string{"type strings.Builder struct", "A Builder is used"}, []string{"WriteString"}},
		{"strings.Builder|", 1, []string{"type strings.Builder struct", "A Builder is used", "func (b *Builder) WriteString(s string) (int, error)"}, nil},
		{"math.Pi|", 0, []string{"const (", "Pi  = 3.14159", "Mathematical constants."}, nil},
		{"os.Stdout|", 0, []string{"Stdout = NewFile", "Stdin, Stdout, and Stderr are open Files"}, nil},
		{"var b bytes.Buffer\nb.Write|String(\"x\")", 0, []string{"func (b *Buffer) WriteString(s string) (n int, err error)", "WriteString appends"}, nil},
		{"buf.Len|()", 0, []string{"func (b *Buffer) Len() int", "Len returns the number of bytes"}, nil},
		{"sb.Wri|teString", 0, []string{"func (b *Builder) WriteString"}, nil},
		// builtins
		{"le|n(words)", 0, []string{"func len(v Type) int", "The len built-in function"}, nil},
		{"x := appe|nd(words, \"a\")", 0, []string{"func append(slice []Type, elems ...Type) []Type"}, nil},
		{"var e erro|r", 0, []string{"type error interface", "Error() string", "The error built-in interface type"}, nil},
		{"var n in|t", 1, []string{"type int int", "signed integer type"}, []string{"func len"}},
		{"x := ni|l", 0, []string{"nil is a predeclared identifier"}, nil},
		// the project's own packages, from the embedded index
		{"output.Bund|le", 0, []string{"type output.Bundle struct", "Data     map[string]any", "Bundle is a MIME bundle"}, nil},
		{"output.Bundle|", 1, []string{"func Text(s string) Bundle"}, nil},
		{"output.Text(|", 0, []string{"func output.Text(s string) Bundle", "Text returns a bundle"}, nil},
		{"var pub output.Publisher\npub.Stre|am(\"stdout\", \"x\")", 0, []string{"Stream(name, text string)", "Stream publishes text"}, nil},
		{"var bu output.Bundle\nbu.Da|ta", 0, []string{"Data map[string]any", "field of output.Bundle"}, nil},
		// user variables: type and value
		{"coun|ter", 0, []string{"var counter int", "\n\n42"}, nil},
		{"counter|", 0, []string{"var counter int"}, nil},
		{"wor|ds", 0, []string{"var words []string", "len 2: [héllo wörld]"}, nil},
		{"p|", 0, []string{"var p P\n", "{3 4}"}, []string{"P_gonn"}},
		{"bi|g", 0, []string{"var big []int", "len 10000: [0 0", "more characters)"}, nil},
		{"sb|", 0, []string{"var sb strings.Builder"}, []string{"A Builder"}},
		{"sb|", 1, []string{"var sb strings.Builder", "A Builder is used"}, nil},
		{"x := 3\nx|", 0, []string{"var x int"}, nil},
		{"x := p.Next()\nx|", 0, []string{"var x P"}, []string{"P_gonn"}},
		{"for i, w := range words {\n\tfmt.Println(i, w|)\n}", 0, []string{"var w string"}, []string{"héllo"}},
		{"counter := \"shadow\"\ncounter|", 0, []string{"var counter string", "42"}, nil},
		// fields and methods of user types
		{"p.X|", 0, []string{"field X float64", "field of P"}, []string{"P_gonn"}},
		{"p.Dep|th", 0, []string{"field Depth int", "field of Inner"}, nil},
		{"p.No|rm()", 0, []string{"func (P).Norm() float64"}, []string{"P_gonn"}},
		{"pp.Scale|(2)", 0, []string{"func (*P).Scale(f float64)"}, nil},
		{"p.Next().Next|()", 0, []string{"func (P).Next() P"}, nil},
		// user functions, types, constants
		{"squ|are(2)", 0, []string{"func square(x float64) float64"}, nil},
		{"P|{}", 0, []string{"type P struct {", "X    float64", "Inner\n}", "func (*Inner).Dive() int", "func (*P).Scale(f float64)"}, []string{"P_gonn"}},
		{"var s Sha|pe", 0, []string{"type Shape interface{ Area() float64 }"}, nil},
		{"lim|it", 0, []string{"const limit untyped int = 10"}, nil},
		{"// Twice doubles.\nfunc twice(x int) int {\n\treturn 2 * x\n}\ntwi|ce(3)", 0, []string{"// Twice doubles.\nfunc twice(x int) int"}, []string{"return"}},
		{"// Twice doubles.\nfunc twice(x int) int {\n\treturn 2 * x\n}\ntwi|ce(3)", 1, []string{"// Twice doubles.\nfunc twice(x int) int {\n\treturn 2 * x\n}"}, nil},
		{"type Q struct{ A int }\nfunc (q Q) Get() int { return q.A }\nvar q Q\nQ|", 0, []string{"type Q struct{ A int }", "func (Q).Get() int"}, nil},
		{"type P struct{ Z int }\nvar v P|", 0, []string{"type P struct{ Z int }"}, []string{"Norm"}},
		{"func (q P) Ext|ra() int {\n\treturn q.X\n}", 0, []string{"func (q P) Extra() int"}, []string{"__gonn", "return"}},
		{"func (q P) Extra() int {\n\treturn q|.X\n}", 0, []string{"var q P"}, []string{"{3 4}"}},
		// unicode before the cursor
		{"s := \"héllo 😀 wörld\"; fmt.Print|ln(s)", 0, []string{"func fmt.Println("}, nil},
		{"ß := 1\nfmt.Println(ß|)", 0, []string{"var ß int"}, nil},
		// magics
		{"%time fmt.Print|ln(1)", 0, []string{"func fmt.Println("}, nil},
		{"%%time\n!ls\ncoun|ter", 0, []string{"var counter int"}, nil},
		// a cell that does not type-check still finds names
		{"x := 1 +* 2\nfmt.Print|ln", 0, []string{"func fmt.Println("}, nil},
	}
	for _, tt := range tests {
		src, cursor := cut(t, tt.cell)
		text, found := Inspect(src, cursor, tt.detail, env)
		if !found {
			t.Errorf("%q (detail %d): not found", tt.cell, tt.detail)
			continue
		}
		rest := text
		for _, h := range tt.has {
			i := strings.Index(rest, h)
			if i < 0 {
				t.Errorf("%q (detail %d): %q not found in order in:\n%s", tt.cell, tt.detail, h, text)
				break
			}
			rest = rest[i+len(h):]
		}
		for _, n := range tt.not {
			if strings.Contains(text, n) {
				t.Errorf("%q (detail %d): unwanted %q in:\n%s", tt.cell, tt.detail, n, text)
			}
		}
	}
}

func TestInspectNotFound(t *testing.T) {
	env := testEnv()
	for _, cell := range []string{
		"|",
		"x := 1 |+ 2",
		"x := 12|3",
		"s := \"fmt.Print|ln\"",
		"// fmt.Print|ln",
		"nosuch|thing",
		"nosuch.Fo|o",
		"fmt.NoSuch|Thing",
		"x := (|1 + 2)",
	} {
		src, cursor := cut(t, cell)
		if text, found := Inspect(src, cursor, 0, env); found || text != "" {
			t.Errorf("%q: found %q", cell, text)
		}
	}
}

// TestInspectNoGOROOT checks that without sources, members show their
// go/types signature.
func TestInspectNoGOROOT(t *testing.T) {
	env := testEnv()
	env.GOROOT = ""
	env.Docs = NewDocCache()
	text, found := Inspect("fmt.Println", 5, 0, env)
	if !found || text != "func fmt.Println(a ...any) (n int, err error)" {
		t.Errorf("got %q, %v", text, found)
	}
	// the project's docs are embedded: no GOROOT needed
	text, _ = Inspect("output.Text", 9, 0, env)
	if !strings.Contains(text, "Text returns a bundle") {
		t.Errorf("project docs without GOROOT: %q", text)
	}
}

// TestInspectSource checks that Env.Source gives earlier cells'
// declarations.
func TestInspectSource(t *testing.T) {
	env := testEnv()
	env.Source = func(name string) (string, bool) {
		if name == "square" {
			return "// square returns x*x.\nfunc square(x float64) float64 {\n\treturn x * x\n}\n", true
		}
		if name == "P.Norm" {
			return "// Norm is the length.\nfunc (p P) Norm() float64 { return math.Hypot(p.X, p.Y) }", true
		}
		if name == "P" {
			return "// P is a point.\ntype P struct {\n\tX, Y float64 // coordinates\n\tname string\n\tInner\n}", true
		}
		return "", false
	}
	tests := []struct {
		cell   string
		detail int
		want   string
	}{
		{"squ|are", 0, "// square returns x*x.\nfunc square(x float64) float64"},
		{"squ|are", 1, "// square returns x*x.\nfunc square(x float64) float64 {\n\treturn x * x\n}"},
		// A cell as long as the program: the program's positions (of
		// another file set) fall inside the cell's.
		{"// " + strings.Repeat("-", len(programSrc)) + "\nsqu|are", 0, "// square returns x*x.\nfunc square(x float64) float64"},
		{"P{}.No|rm()", 0, "// Norm is the length.\nfunc (p P) Norm() float64"},
		{"P|", 0, "// P is a point.\ntype P struct {\n\tX, Y float64 // coordinates\n\tname string\n\tInner\n}\n\nfunc (*Inner).Dive() int\nfunc (P).Next() P\nfunc (P).Norm() float64\nfunc (*P).Scale(f float64)"},
	}
	for _, tt := range tests {
		src, cursor := cut(t, tt.cell)
		if text, _ := Inspect(src, cursor, tt.detail, env); text != tt.want {
			t.Errorf("%q (detail %d):\n%s\nwant:\n%s", tt.cell, tt.detail, text, tt.want)
		}
	}
}

type panicky struct{}

func (panicky) String() string { panic("boom") }

func TestFormatValue(t *testing.T) {
	tests := []struct {
		v     any
		limit int
		want  string
	}{
		{42, 100, "42"},
		{"héllo", 100, `len 6: "héllo"`},
		{[]int{1, 2, 3}, 100, "len 3: [1 2 3]"},
		{map[string]int{"a": 1}, 100, "len 1: map[a:1]"},
		{strings.Repeat("é", 20), 5, `len 40: "éééé… (17 more characters)`},
		{panicky{}, 100, "%!v(PANIC=String method: boom)"}, // fmt recovers it
		{nil, 100, "<nil>"},
		{struct{ a, B int }{1, 2}, 100, "{1 2}"},
	}
	for _, tt := range tests {
		if got := formatValue(reflect.ValueOf(tt.v), tt.limit); got != tt.want {
			t.Errorf("formatValue(%#v, %d) = %q, want %q", tt.v, tt.limit, got, tt.want)
		}
	}
	// unexported fields reached by reflection cannot Interface
	v := reflect.ValueOf(struct{ x []int }{[]int{7}}).Field(0)
	if got := formatValue(v, 100); got != "len 1: [7]" {
		t.Errorf("unexported field: %q", got)
	}
}

func ExampleInspect() {
	text, found := Inspect("total := 3 * 4\ntotal", 17, 0, Env{})
	fmt.Println(found)
	fmt.Println(text)
	// Output:
	// true
	// var total int
}

func TestInspectMarkdown(t *testing.T) {
	env := testEnv()
	tests := []struct {
		cell string
		want []string // in order
	}{
		{"fmt.Print|ln", []string{"```go\nfunc fmt.Println(a ...any) (n int, err error)\n```\n\nPrintln formats"}},
		{"strings.Builder|", []string{"```go\ntype strings.Builder struct {", "```\n\nA Builder is used to efficiently build a string using [Builder.Write](https://pkg.go.dev/strings#Builder.Write) methods."}},
		{"os.Stdout|", []string{"standard output"}},
		{"coun|ter", []string{"```go\nvar counter int\n```\n\n```\n42\n```"}},
		{"fm|t", []string{"```go\npackage fmt // import \"fmt\"\n```\n\nPackage fmt implements"}},
		{"output.Tex|t", []string{"```go\nfunc output.Text(s string) Bundle\n```\n\nText returns"}},
		{"s := \"```\"\ns|", []string{"```go\nvar s string\n```"}},
	}
	for _, tt := range tests {
		src, cursor := cut(t, tt.cell)
		md, found := InspectMarkdown(src, cursor, 0, env)
		if !found {
			t.Errorf("%q: not found", tt.cell)
			continue
		}
		rest := md
		for _, w := range tt.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Errorf("%q: %q not in order in:\n%s", tt.cell, w, md)
				break
			}
			rest = rest[i+len(w):]
		}
	}
	if md, found := InspectMarkdown("x := 1 |+ 2", 7, 0, env); found || md != "" {
		t.Errorf("nothing to inspect: %q", md)
	}
	if got := fence("", "a ``` b"); got != "````\na ``` b\n````" {
		t.Errorf("fence: %q", got)
	}
}
