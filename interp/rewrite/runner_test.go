package rewrite

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gonnlab/gonn/interp/symtypes"
	"github.com/gonnlab/gonn/third_party/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// cell is one notebook cell and what running it must give: its printed
// output, the text of its result (fmt's %v; "" when it has none), or an
// error containing err.
type cell struct {
	src    string
	out    string
	result string
	err    string
	warn   string // a substring of the plan's warnings
}

// notebook is a sequence of cells run in one interpreter.
type notebook struct {
	name  string
	cells []cell
}

var (
	importerOnce sync.Once
	testImporter *symtypes.Importer
)

func stdImporter() *symtypes.Importer {
	importerOnce.Do(func() { testImporter = symtypes.NewImporter(stdlib.Symbols) })
	return testImporter
}

// session is what the test runner keeps per notebook: a real yaegi
// interpreter and the Program, driven as the interp session drives them.
type session struct {
	t    testing.TB
	yi   *interp.Interpreter
	prog *Program
	out  *syncBuffer
	warn string // the last plan's warnings
}

// syncBuffer is a bytes.Buffer safe for goroutines' prints.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.b.String()
	s.b.Reset()
	return out
}

func newSession(t testing.TB) *session { return newSessionStderr(t, &syncBuffer{}) }

// newSessionStderr starts a session whose interpreter writes its panic
// traces to stderr.
func newSessionStderr(t testing.TB, stderr *syncBuffer) *session {
	out := &syncBuffer{}
	yi := interp.New(interp.Options{Stdout: out, Stderr: stderr})
	if err := yi.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	prog := New(stdImporter(), []string{"fmt"})
	if _, err := yi.Eval(prog.PreimportSource()); err != nil {
		t.Fatal(err)
	}
	if _, err := yi.Eval(`func ` + GoPanicHook + `(r any) { fmt__gonn.Println("goroutine panic:", r) }`); err != nil {
		t.Fatal(err)
	}
	return &session{t: t, yi: yi, prog: prog, out: out}
}

// eval evaluates src, turning a compile-phase panic into an error.
func (s *session) eval(src string) (v reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("compile panic: %v", r)
		}
	}()
	return s.yi.Eval(src)
}

// run runs one cell and returns its output, result text and error text.
func (s *session) run(src string) (out, result, errText string) {
	plan, err := s.prog.Rewrite(src)
	s.warn = ""
	if plan != nil {
		s.warn = strings.Join(plan.Warnings, "\n")
	}
	if err != nil {
		if _, ok := err.(*Error); !ok {
			s.t.Errorf("Rewrite error is %T, not *Error: %v", err, err)
		}
		return s.out.take(), "", err.Error()
	}
	for _, code := range []string{plan.Decls, plan.Body} {
		if code == "" {
			continue
		}
		if _, err := s.eval(code); err != nil {
			s.prog.CommitImports(plan)
			return s.out.take(), "", s.prog.UserText(err.Error()) + "\n-- source --\n" + code
		}
	}
	if plan.Call == "" {
		s.prog.Commit(plan)
		return s.out.take(), "", ""
	}
	v, err := s.eval(plan.Call)
	if err != nil {
		if _, ok := err.(interp.Panic); !ok && !strings.Contains(err.Error(), "panic") {
			s.prog.CommitImports(plan)
			return s.out.take(), "", err.Error()
		}
		s.prog.Commit(plan)
		return s.out.take(), "", "panic: " + err.Error()
	}
	s.prog.Commit(plan)
	if plan.HasResult {
		if !v.IsValid() {
			return s.out.take(), "<invalid>", ""
		}
		return s.out.take(), s.prog.UserText(fmt.Sprintf("%v", v.Interface())), ""
	}
	return s.out.take(), "", ""
}

func runNotebooks(t *testing.T, nbs []notebook) {
	t.Helper()
	runNotebooksWith(t, nbs, false)
}

// runPanicNotebooks runs notebooks whose goroutine-panic hook also sends
// the value on a channel the cells can wait on: panicked.
func runPanicNotebooks(t *testing.T, nbs []notebook) {
	t.Helper()
	runNotebooksWith(t, nbs, true)
}

func runNotebooksWith(t *testing.T, nbs []notebook, panics bool) {
	t.Helper()
	for _, nb := range nbs {
		t.Run(nb.name, func(t *testing.T) {
			s := newSession(t)
			setupPanics(t, s, panics)
			for i, c := range nb.cells {
				out, result, errText := s.run(c.src)
				fail := false
				if c.err == "" && errText != "" || c.err != "" && !strings.Contains(errText, c.err) {
					fail = true
				}
				if out != c.out || result != c.result {
					fail = true
				}
				if c.warn == "" && s.warn != "" || !strings.Contains(s.warn, c.warn) {
					fail = true
				}
				if fail {
					t.Errorf("cell %d:\n%s\n--- got out %q result %q err %q warn %q\n--- want out %q result %q err %q warn %q",
						i+1, c.src, out, result, errText, s.warn, c.out, c.result, c.err, c.warn)
				}
			}
		})
		// Re-running any cell works: in a fresh session, each cell runs twice
		// in a row, and the second run fails only if the first did.
		t.Run(nb.name+"/rerun", func(t *testing.T) {
			s := newSession(t)
			setupPanics(t, s, panics)
			for i, c := range nb.cells {
				_, _, first := s.run(c.src)
				if first != "" {
					continue
				}
				if _, _, again := s.run(c.src); again != "" {
					t.Errorf("cell %d ran, but not again:\n%s\n--- %s", i+1, c.src, again)
				}
			}
		})
	}
}

// setupPanics makes the goroutine-panic hook also send the value on a
// channel the cells can wait on (panicked), when panics is set.
func setupPanics(t *testing.T, s *session, panics bool) {
	if !panics {
		return
	}
	if _, _, err := s.run("panicked := make(chan any, 16)"); err != "" {
		t.Fatal(err)
	}
	if _, err := s.eval(`func ` + GoPanicHook + `(r any) { fmt__gonn.Println("goroutine panic:", r); panicked <- r }`); err != nil {
		t.Fatal(err)
	}
}

func TestSmoke(t *testing.T) {
	runNotebooks(t, []notebook{{"smoke", []cell{
		{src: `1+1`, result: "2"},
		{src: `x := 3
fmt.Println(x)`, out: "3\n"},
		{src: `x * 2`, result: "6"},
		{src: `func double(a int) int { return a * 2 }
double(x)`, result: "6"},
		{src: `type P struct{ X int }
func (p P) Get() int { return p.X }
p := P{5}
p.Get()`, result: "5"},
		{src: `type P struct{ X, Y int }
func (p P) Get() int { return p.X + p.Y }
q := P{1, 2}
q.Get()`, result: "3", warn: "p keeps a value of the previous P"},
		{src: `y := undefinedName`, err: "1:6: undefined: undefinedName"},
	}}})
}
