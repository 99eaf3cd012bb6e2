package lang

import (
	"go/build"
	"go/types"
	"slices"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/interp/symtypes"
	"github.com/traefik/yaegi/stdlib"
)

// TestWithSymtypes checks completion and inspection against packages built
// from yaegi's symbol tables, as the session provides them: they have no
// parameter names, no unexported methods and no source positions.
func TestWithSymtypes(t *testing.T) {
	imp := symtypes.NewImporter(stdlib.Symbols)
	imports := map[string]*types.Package{}
	for _, path := range []string{"fmt", "strings", "math", "bytes"} {
		p, err := imp.Import(path)
		if err != nil {
			t.Fatal(err)
		}
		imports[p.Name()] = p
	}
	env := Env{Imports: imports, Importer: imp, GOROOT: build.Default.GOROOT, Docs: NewDocCache()}
	completions := []struct {
		cell string
		want []string
	}{
		{"fmt.Pri|", []string{"Print", "Printf", "Println"}},
		{"var sb strings.Builder\nsb.Wr|", []string{"Write", "WriteByte", "WriteRune", "WriteString"}},
		{"b := bytes.NewBufferString(\"x\")\nb.Len|", []string{"Len"}},
		{"r := strings.NewReader(\"x\")\nr.Rea|", []string{"Read", "ReadAt", "ReadByte", "ReadRune"}},
		{"import \"sort\"\nsort.Ints|", []string{"Ints", "IntsAreSorted", "IntSlice"}},
		{"math.Sqr|", []string{"Sqrt", "Sqrt2", "SqrtE", "SqrtPhi", "SqrtPi"}},
	}
	for _, tt := range completions {
		src, cursor := cut(t, tt.cell)
		if m, _, _, _ := Complete(src, cursor, env); !slices.Equal(m, tt.want) {
			t.Errorf("%q: %v, want %v", tt.cell, m, tt.want)
		}
	}
	inspections := []struct {
		cell, want string
	}{
		{"fmt.Print|ln", "func fmt.Println(a ...any) (n int, err error)\n\nPrintln formats"},
		{"var sb strings.Builder\nsb.WriteStr|ing(\"a\")", "func (b *Builder) WriteString(s string) (int, error)\n\nWriteString appends"},
		{"math.Pi|", "const (\n\tE   = 2.71828"},
	}
	for _, tt := range inspections {
		src, cursor := cut(t, tt.cell)
		if text, _ := Inspect(src, cursor, 0, env); !strings.HasPrefix(text, tt.want) {
			t.Errorf("%q:\n%s\nwant prefix:\n%s", tt.cell, text, tt.want)
		}
	}
	env.GOROOT = ""
	if text, _ := Inspect("fmt.Println", 5, 0, env); !strings.HasPrefix(text, "func fmt.Println(") {
		t.Errorf("signature without GOROOT: %q", text)
	}
}
