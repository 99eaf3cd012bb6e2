package lang

import (
	"slices"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/interp/rewrite"
	"github.com/gonnlab/gonn/interp/symtypes"
	"github.com/traefik/yaegi/stdlib"
)

// TestWithRewrite runs cells through the rewriter, as the session does,
// and asks questions about the next cell against its Types and UserName.
func TestWithRewrite(t *testing.T) {
	imp := symtypes.NewImporter(stdlib.Symbols)
	prog := rewrite.New(imp, []string{"fmt", "strings"})
	for _, cell := range []string{
		"type P struct{ X int }",
		"p := P{X: 1}",
		"type P struct{ X, Y int }\nfunc (p P) Sum() int { return p.X + p.Y }",
		"q := P{X: 2, Y: 3}\nwords := []string{\"a\"}",
		"import \"sort\"",
		"func double(x int) int { return 2 * x }",
	} {
		plan, err := prog.Rewrite(cell)
		if err != nil {
			t.Fatalf("%q: %v", cell, err)
		}
		prog.Commit(plan)
	}
	env := Env{Program: prog.Types(), UserName: prog.UserName, Importer: imp, Imports: prog.Imports()}
	if env.Program == nil {
		t.Fatal("no Types")
	}
	completions := []struct {
		cell string
		want []string
	}{
		{"q.|", []string{"Sum", "X", "Y"}},
		{"p.|", []string{"X"}}, // p holds a value of the first P: it keeps that type
		{"Q|", []string{"q"}},
		{"P|", []string{"P", "p", "package", "panic", "print", "println"}},
		{"dou|", []string{"double"}},
		{"so|", []string{"sort"}},
		{"sort.Strings|", []string{"Strings", "StringsAreSorted", "StringSlice"}},
		{"wor|", []string{"words"}},
		{"fmt.Sprintl|", []string{"Sprintln"}},
		{"r := P{}\nr.S|", []string{"Sum"}},
	}
	for _, tt := range completions {
		src, cursor := cut(t, tt.cell)
		m, _, _, _ := Complete(src, cursor, env)
		if !slices.Equal(m, tt.want) {
			t.Errorf("%q: %v, want %v", tt.cell, m, tt.want)
		}
		for _, name := range m {
			if strings.Contains(name, "__gonn") {
				t.Errorf("%q: internal name %q", tt.cell, name)
			}
		}
	}
	// without Imports, packages earlier cells imported are found through
	// Program
	bare := env
	bare.Imports = nil
	if m, _, _, _ := Complete("sort.Ints", 9, bare); !slices.Equal(m, []string{"Ints", "IntsAreSorted", "IntSlice"}) {
		t.Errorf("sort.Ints without Imports: %v", m)
	}
	for cell, want := range map[string]string{
		"q|":       "var q P",
		"p|":       "var p P",
		"P|":       "type P struct {\n\tX int\n\tY int\n}\n\nfunc (P).Sum() int",
		"q.Su|m()": "func (P).Sum() int",
		"doub|le":  "func double(x int) int",
	} {
		src, cursor := cut(t, cell)
		if text, _ := Inspect(src, cursor, 0, env); text != want {
			t.Errorf("Inspect %q = %q, want %q", cell, text, want)
		}
	}
}
