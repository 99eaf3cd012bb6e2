package lang

import (
	"slices"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	env := testEnv()
	tests := []struct {
		cell string
		want []string // exact matches in order; nil means see has/not
		has  []string // matches that must be there, "name:kind"
		not  []string // matches that must not be there
	}{
		// package members
		{cell: "fmt.Pri|", want: []string{"Print", "Printf", "Println"}},
		{cell: "x := fmt.Spr|", want: []string{"Sprint", "Sprintf", "Sprintln"}},
		{cell: "strings.To|", has: []string{"ToLower:function", "ToUpper:function"}, not: []string{"Builder"}},
		{cell: "math.|", has: []string{"Pi:constant", "Sqrt:function", "MaxInt:constant"}, not: []string{"useFMA", "pow10tab"}},
		{cell: "strings.B|", want: []string{"Builder"}},
		{cell: "os.Std|", has: []string{"Stdout:variable", "Stdin:variable"}},
		{cell: "output.|", has: []string{"Bundle:type", "Publisher:type", "Text:function"}},
		{cell: "fmt.pri|", want: []string{"Print", "Printf", "Println"}}, // case-insensitive fallback
		{cell: "fmt.Pri|ntln", want: []string{"Print", "Printf", "Println"}},
		{cell: "nosuch.Fo|", want: []string{}},
		// fields and methods of user variables
		{cell: "p.|", want: []string{"Depth", "Dive", "Inner", "name", "Next", "Norm", "Scale", "X", "Y"}},
		{cell: "p.N|", want: []string{"Next", "Norm", "name"}},
		{cell: "pp.Sc|", want: []string{"Scale"}},
		{cell: "p.D|", has: []string{"Depth:field", "Dive:method"}},
		{cell: "p.Inner.D|", want: []string{"Depth", "Dive"}},
		{cell: "p.Next().No|", want: []string{"Norm"}},
		{cell: "p.Next().Next().|", has: []string{"X:field", "Scale:method"}},
		{cell: "P.|", want: []string{"Next", "Norm"}},
		{cell: "shape.|", want: []string{"Area"}},
		{cell: "buf.Write|", want: []string{"Write", "WriteByte", "WriteRune", "WriteString", "WriteTo"}},
		{cell: "sb.|", has: []string{"String:method", "WriteString:method", "Len:method"}, not: []string{"addr", "buf"}},
		{cell: "old.|", want: []string{"Old"}},
		{cell: "x := p\nx.No|", want: []string{"Norm"}},
		{cell: "func f(q P) {\n\tq.Sc|", want: []string{"Scale"}},
		{cell: "for _, w := range []P{} {\n\tw.No|\n}", want: []string{"Norm"}},
		{cell: "type Q struct{ A, B int }\nvar q Q\nq.|", want: []string{"A", "B"}},
		{cell: "type P struct{ Z int }\nvar v P\nv.|", want: []string{"Z"}},
		{cell: "type T struct{ n int }\nfunc (t *T) Inc() { t.n++ }\nfunc (t T) Get() int { return t.| }", want: []string{"Get", "Inc", "n"}},
		{cell: "s := sb.String()\ns.|", want: []string{}},
		{cell: "fmt.Println(p.No|", want: []string{"Norm"}},
		{cell: "xs := []float64{p.|", has: []string{"X:field"}},
		{cell: "m := map[string]P{}\nm[\"a\"].N|", want: []string{"Next", "Norm", "name"}},
		{cell: "if p.X > 0 {\n\tfmt.Println(p.Next().Y)\n\tp.Sc|", want: []string{"Scale"}},
		{cell: "switch v := shape.(type) {\ncase P:\n\tv.N|", want: []string{"Next", "Norm", "name"}},
		{cell: "type I interface{ M() }\nvar i I\ni.|", want: []string{"M"}},
		{cell: "go func() {\n\tp.N|", want: []string{"Next", "Norm", "name"}},
		{cell: "defer func(q P) {\n\tq.N|", want: []string{"Next", "Norm", "name"}},
		{cell: "ch := make(chan P)\nselect {\ncase x := <-ch:\n\tx.N|", want: []string{"Next", "Norm", "name"}},
		{cell: "func f[T fmt.Stringer](x T) { x.|", want: []string{"String"}},
		{cell: "var f func() P\nf().N|", want: []string{"Next", "Norm", "name"}},
		{cell: "ps := []*P{}\nps[0].Sc|", want: []string{"Scale"}},
		{cell: "import m \"math\"\nm.Sqrt|", want: []string{"Sqrt", "Sqrt2", "SqrtE", "SqrtPhi", "SqrtPi"}},
		{cell: "func (q P) Extra() int {\n\treturn q.N|", want: []string{"Next", "Norm", "name"}},
		{cell: "func (q *P) Extra(k float64) {\n\tq.Scale(k)\n\tq.|", want: []string{"Depth", "Dive", "Inner", "name", "Next", "Norm", "Scale", "X", "Y"}},
		{cell: "func (q *P) Extra(k float64) {\n\tfmt.Println(k, q.X)\n\tk|", want: []string{"k"}},
		{cell: "func (q *P) Extra() {}\nExt|", want: []string{}},
		{cell: "x := struct{ A, b int }{}\nx.|", want: []string{"A", "b"}},
		{cell: "type E struct{ *P }\nvar e E\ne.N|", want: []string{"Next", "Norm", "name"}},
		// struct literal keys
		{cell: "q := P{N|", has: []string{"name:field"}, not: []string{"Norm"}},
		{cell: "q := P{X: 1, |", has: []string{"Y:field", "Inner:field", "p:variable"}},
		{cell: "q := []P{{Y|", want: []string{"Y"}},
		{cell: "xs := []int{cou|", want: []string{"counter"}},
		// bare identifiers
		{cell: "squ|", want: []string{"square"}},
		{cell: "P|", has: []string{"P:type", "pp:variable", "panic:function"}, not: []string{"P_gonn1", "P_gonn2"}},
		{cell: "__g|", want: []string{}},
		{cell: "lim|", want: []string{"limit"}},
		{cell: "le|", want: []string{"len"}},
		{cell: "mi|", want: []string{"min"}},
		{cell: "fo|", want: []string{"for"}},
		{cell: "fm|", want: []string{"fmt"}},
		{cell: "counter2 := 1\ncou|", want: []string{"counter2", "counter"}},
		{cell: "alpha := 1\nbeta := al|", want: []string{"alpha"}},
		{cell: "func f(alpha int) int {\n\treturn al|", want: []string{"alpha"}},
		{cell: "x := al|\nalpha := 1", want: []string{}},
		{cell: "str|", has: []string{"strings:package", "string:type", "struct:keyword"}},
		{cell: "wor|", has: []string{"words:variable"}},
		{cell: "In|", has: []string{"Inner:type"}},
		{cell: "Sha|", want: []string{"Shape", "shape"}},
		{cell: "var ne|", want: []string{}},
		{cell: "func sq|", want: []string{}},
		{cell: "tr|", has: []string{"true:constant"}},
		// nothing in strings and comments
		{cell: `s := "fmt.Pri|`, want: []string{}},
		{cell: `s := "fmt.Pri|"`, want: []string{}},
		{cell: "// fmt.Pri|", want: []string{}},
		{cell: "/* fmt.Pri| */", want: []string{}},
		{cell: "s := `raw\nfmt.Pri|", want: []string{}},
		{cell: "x := 1.|", want: []string{}},
		{cell: "x := 12|", want: []string{}},
		// magics
		{cell: "%time fmt.Pri|", want: []string{"Print", "Printf", "Println"}},
		{cell: "%%time\nx := p.No|", want: []string{"Norm"}},
		{cell: "!ls fmt.Pri|", want: []string{}},
		{cell: "%env fmt.Pri|", want: []string{}},
		// text that does not parse around the word
		{cell: "x := 1 +* fmt.Pri|", want: []string{"Print", "Printf", "Println"}},
	}
	for _, tt := range tests {
		src, cursor := cut(t, tt.cell)
		matches, start, end, kinds := Complete(src, cursor, env)
		if matches == nil || kinds == nil || len(matches) != len(kinds) {
			t.Errorf("%q: matches %v, kinds %v", tt.cell, matches, kinds)
			continue
		}
		got := map[string]string{}
		for i, m := range matches {
			got[m] = kinds[i]
			if strings.HasPrefix(m, "__gonn") || versioned.MatchString(m) {
				t.Errorf("%q: internal name %q", tt.cell, m)
			}
		}
		if tt.want != nil && !slices.Equal(matches, tt.want) {
			t.Errorf("%q: matches %v, want %v", tt.cell, matches, tt.want)
		}
		for _, h := range tt.has {
			name, kind, _ := strings.Cut(h, ":")
			if got[name] != kind {
				t.Errorf("%q: %q has kind %q, want %q (matches %v)", tt.cell, name, got[name], kind, matches)
			}
		}
		for _, n := range tt.not {
			if _, ok := got[n]; ok {
				t.Errorf("%q: unwanted match %q", tt.cell, n)
			}
		}
		if end != cursor || start > end || start < 0 {
			t.Errorf("%q: range [%d, %d), cursor %d", tt.cell, start, end, cursor)
		}
	}
}

// TestCompleteRange checks the replaced range, in runes, with non-ASCII
// text before the cursor.
func TestCompleteRange(t *testing.T) {
	env := testEnv()
	tests := []struct {
		cell       string
		start, end int
		first      string
	}{
		{"fmt.Pri|", 4, 7, "Print"},
		{"s := \"héllo wörld ✓\"; fmt.Pri|", 26, 29, "Print"},
		{"// ünïcödé 😀\nfmt.Pri|", 17, 20, "Print"},
		{"ß := 1\nx := ß + squ|", 16, 19, "square"},
		{"ßeta := 1\nße|", 10, 12, "ßeta"},
		{"fmt.|", 4, 4, "Append"},
		{"x := p.|", 7, 7, "Depth"},
		{"π := p\nπ.N|", 9, 10, "Next"},
		{"😀 := 1; fmt.Pri|", 12, 15, "Print"},
	}
	for _, tt := range tests {
		src, cursor := cut(t, tt.cell)
		matches, start, end, _ := Complete(src, cursor, env)
		if start != tt.start || end != tt.end || len(matches) == 0 || matches[0] != tt.first {
			t.Errorf("%q: [%d, %d) %v; want [%d, %d) starting %q", tt.cell, start, end, matches, tt.start, tt.end, tt.first)
		}
	}
	// cursors past either end are clamped
	if _, start, end, _ := Complete("fmt.Pri", 100, env); start != 4 || end != 7 {
		t.Errorf("cursor past the end: [%d, %d)", start, end)
	}
	if m, start, end, _ := Complete("fmt.Pri", -3, env); start != 0 || end != 0 || len(m) == 0 {
		t.Errorf("negative cursor: [%d, %d) %d matches", start, end, len(m))
	}
}

func TestCompleteImportPaths(t *testing.T) {
	env := testEnv()
	env.ImportPaths = func() []string {
		return []string{"fmt", "math", "math/rand", "github.com/gonnlab/gonn/nnlib/tensor", "strings"}
	}
	tests := []struct {
		cell       string
		want       []string
		start, end int
	}{
		{"import \"mat|", []string{"math", "math/rand"}, 8, 11},
		{"import \"|", []string{"fmt", "github.com/gonnlab/gonn/nnlib/tensor", "math", "math/rand", "strings"}, 8, 8},
		{"import r \"math/|", []string{"math/rand"}, 10, 15},
		{"import (\n\t\"fmt\"\n\t\"gith|", []string{"github.com/gonnlab/gonn/nnlib/tensor"}, 18, 22},
		{"import (\n\t\"fmt\"\n\tt \"gith|", []string{"github.com/gonnlab/gonn/nnlib/tensor"}, 20, 24},
		{"import \"fmt\"\nx := \"mat|", []string{}, 22, 22},
		{"import \"math\"|", []string{}, 13, 13},
		{"s := \"mat|", []string{}, 9, 9},
	}
	for _, tt := range tests {
		src, cursor := cut(t, tt.cell)
		m, start, end, kinds := Complete(src, cursor, env)
		if !slices.Equal(m, tt.want) || start != tt.start || end != tt.end || len(kinds) != len(m) {
			t.Errorf("%q: %v [%d, %d); want %v [%d, %d)", tt.cell, m, start, end, tt.want, tt.start, tt.end)
		}
	}
}

// TestCompleteEmptyEnv checks that an empty Env (before the first cell)
// still completes the cell's own names, builtins and keywords.
func TestCompleteEmptyEnv(t *testing.T) {
	m, _, _, _ := Complete("total := 0\nto|", 13, Env{})
	if !slices.Equal(m, []string{"total"}) {
		t.Errorf("matches %v", m)
	}
	m, _, _, _ = Complete("ret|", 3, Env{})
	if !slices.Equal(m, []string{"return"}) {
		t.Errorf("matches %v", m)
	}
	m, _, _, _ = Complete("fmt.P|", 5, Env{})
	if len(m) != 0 {
		t.Errorf("unknown package: %v", m)
	}
}
