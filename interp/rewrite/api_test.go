package rewrite

import (
	"go/types"
	"reflect"
	"strings"
	"testing"

	"github.com/gonnlab/gonn/interp/symtypes"
	"github.com/gonnlab/gonn/third_party/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

func TestVarsResetAndNames(t *testing.T) {
	s := newSession(t)
	for _, c := range []string{
		`type P struct{ X int }`,
		`a, b := 1, "s"`,
		`ps := []P{{1}}`,
		`import "strings"
sb := &strings.Builder{}`,
		`type P struct{ X, Y int }`,
		`import "encoding/json"
dec := json.NewDecoder(strings.NewReader("{}"))
buf := dec.Buffered()`,
	} {
		if _, _, err := s.run(c); err != "" {
			t.Fatalf("%s: %s", c, err)
		}
	}
	got := s.prog.Vars()
	want := []Var{{"a", "int"}, {"b", "string"}, {"buf", "io.Reader"}, {"dec", "*json.Decoder"}, {"ps", "[]P"}, {"sb", "*strings.Builder"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Vars = %v, want %v", got, want)
	}
	pkg := s.prog.Types()
	if pkg == nil {
		t.Fatal("Types is nil")
	}
	for _, name := range []string{"P", "a", "b", "ps", "sb"} {
		if pkg.Scope().Lookup(name) == nil {
			t.Errorf("Types has no %s", name)
		}
	}
	if tn, ok := pkg.Scope().Lookup("P").(*types.TypeName); !ok || tn.Type().Underlying().(*types.Struct).NumFields() != 2 {
		t.Errorf("Types has the old P: %v", pkg.Scope().Lookup("P"))
	}
	if imps := s.prog.Imports(); imps["strings"] == nil || imps["fmt"] == nil || len(imps) != 3 {
		t.Errorf("Imports = %v, want fmt, strings and json only", imps)
	}
	// ps holds values of the first P: it keeps that type.
	oldP := func(t types.Type) bool {
		n, ok := t.(*types.Named)
		return ok && n.Obj().Name() == "P" && n.Obj() != pkg.Scope().Lookup("P") && n.Underlying().(*types.Struct).NumFields() == 1
	}
	tv, err := types.Eval(s.prog.fset, pkg, 0, "ps[0]")
	if err != nil || !oldP(tv.Type) {
		t.Errorf("types.Eval(ps[0]) in Types = %v, %v", tv.Type, err)
	}
	plan, err := s.prog.Rewrite("ps[0]")
	if err != nil {
		t.Fatal(err)
	}
	if !oldP(plan.ResultType) {
		t.Errorf("ResultType = %v", plan.ResultType)
	}
	if _, err := s.prog.Rewrite("ps[0].Y"); err == nil || !strings.Contains(err.Error(), "ps holds a value of an earlier definition of P") {
		t.Errorf("ps[0].Y: %v", err)
	}
	internal := "P" + reserved + "5"
	if got := s.prog.UserName(internal); got != "P" {
		t.Errorf("UserName(%q) = %q", internal, got)
	}
	if got := s.prog.UserName("plain"); got != "plain" {
		t.Errorf("UserName(plain) = %q", got)
	}
	if got := s.prog.UserText("cannot use x (type " + internal + ") as []" + internal); got != "cannot use x (type P) as []P" {
		t.Errorf("UserText = %q", got)
	}
	s.prog.Reset()
	if v := s.prog.Vars(); len(v) != 0 {
		t.Errorf("Vars after Reset = %v", v)
	}
	if _, err := s.prog.Rewrite("a"); err == nil || !strings.Contains(err.Error(), "undefined: a") {
		t.Errorf("after Reset, a is still defined: %v", err)
	}
	if _, err := s.prog.Rewrite(`fmt.Sprint(1)`); err != nil {
		t.Errorf("preimports lost by Reset: %v", err)
	}
}

func TestCommitRules(t *testing.T) {
	p := New(stdImporter(), []string{"fmt"})
	first, err := p.Rewrite(`x := 1`)
	if err != nil {
		t.Fatal(err)
	}
	second, err := p.Rewrite(`y := 2`)
	if err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Commit of a stale plan did not panic")
			}
		}()
		p.Commit(first)
	}()
	p.Commit(second)
	if v := p.Vars(); len(v) != 1 || v[0].Name != "y" {
		t.Errorf("Vars = %v", v)
	}
	// An import evaluated by a plan that is not committed is not emitted
	// again.
	plan, err := p.Rewrite(`import "strings"
z := strings.ToUpper("a")`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan.Decls, `import strings "strings"`) {
		t.Fatalf("Decls %q has no import", plan.Decls)
	}
	p.CommitImports(plan)
	plan, err = p.Rewrite(`import "strings"
z := strings.ToUpper("a")`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plan.Decls, "import") {
		t.Errorf("import emitted twice: %q", plan.Decls)
	}
}

// hidden is an unexported type that a package function returns.
type hidden struct{ n int }

// Get is its exported method.
func (h *hidden) Get() int { return h.n }

func newHidden(n int) *hidden { return &hidden{n} }

func TestUnnameableTypes(t *testing.T) {
	table := interp.Exports{"example.com/hid/hid": {"New": reflect.ValueOf(newHidden)}}
	s := newSession(t)
	if err := s.yi.Use(table); err != nil {
		t.Fatal(err)
	}
	s.prog = New(symtypes.NewImporter(stdlib.Symbols, table), []string{"fmt"})
	for _, c := range []cell{
		{src: `import "example.com/hid"
h := hid.New(4)
h.Get()`, result: "4"},
		{src: `h.Get() * 2`, result: "8"},
		{src: `fmt.Sprintf("%T", h)`, result: "*rewrite.hidden"},
	} {
		out, result, err := s.run(c.src)
		if out != c.out || result != c.result || err != c.err {
			t.Errorf("%s: got %q %q %q, want %q %q %q", c.src, out, result, err, c.out, c.result, c.err)
		}
	}
	if v := s.prog.Vars(); len(v) != 1 || v[0].Type != "interface{Get() int}" {
		t.Errorf("Vars = %v, want h as interface{Get() int}", v)
	}
}

// TestUncommittedPlans checks that a plan whose Decls were evaluated but
// which was not committed (its Body failed) leaves nothing that breaks the
// next attempt: type names are never reused.
func TestUncommittedPlans(t *testing.T) {
	s := newSession(t)
	evalDeclsOnly := func(src string) {
		t.Helper()
		plan, err := s.prog.Rewrite(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.eval(plan.Decls); err != nil {
			t.Fatal(err)
		}
		s.prog.CommitImports(plan)
	}
	evalDeclsOnly("type Q struct{ A int }")
	if _, res, err := s.run("type Q struct{ A, B int }\nQ{1, 2}.B"); err != "" || res != "2" {
		t.Errorf("after an uncommitted first Q: %q %q", res, err)
	}
	evalDeclsOnly("type Q struct{ A, B, C int }\nimport \"strings\"\nq := Q{C: 3}")
	if _, res, err := s.run("type Q struct{ A, B, C, D int }\nimport \"strings\"\nq := Q{D: 4}\nq.D + len(strings.Repeat(\"a\", 2))"); err != "" || res != "6" {
		t.Errorf("after an uncommitted second version: %q %q", res, err)
	}
	if _, res, err := s.run("func (q Q) Sum() int { return q.A + q.B + q.C + q.D }\nq.Sum()"); err != "" || res != "4" {
		t.Errorf("method on the committed version: %q %q", res, err)
	}
	// A method added by an uncommitted plan is in the interpreter: the
	// next attempt needs a new version of the type.
	evalDeclsOnly("func (q Q) Twice() int { return 2 }")
	if _, res, err := s.run("func (q Q) Twice() int { return 2 * q.Sum() }\nQ{A: 5}.Twice()"); err != "" || res != "10" {
		t.Errorf("method after an uncommitted one: %q %q", res, err)
	}
}
