package interp

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gonnlab/gonn/interrupt"
	"github.com/gonnlab/gonn/output"
)

func TestCompiledOutputCaptured(t *testing.T) {
	s := newSession(t, Options{Symbols: native(map[string]any{
		"Print":    func(x string) { fmt.Print(x) },
		"PrintErr": func(x string) { fmt.Fprint(os.Stderr, x) },
		"WriteFD1": func(x string) { syscall.Write(1, []byte(x)) },
	})})
	_, pub := run(t, s, "import \"gonntest/native\"\n\nnative.Print(\"compiled\\n\")\nnative.WriteFD1(\"fd1\\n\")\nnative.PrintErr(\"err\\n\")\nos.Stdout.WriteString(\"interp\\n\")")
	if got := pub.stream("stdout"); got != "compiled\nfd1\ninterp\n" {
		t.Errorf("stdout = %q", got)
	}
	if got := pub.stream("stderr"); got != "err\n" {
		t.Errorf("stderr = %q", got)
	}
	_, pub = run(t, s, "!echo from-shell; echo to-err >&2")
	if got := pub.stream("stdout"); got != "from-shell\n" {
		t.Errorf("shell stdout = %q", got)
	}
	if got := pub.stream("stderr"); got != "to-err\n" {
		t.Errorf("shell stderr = %q", got)
	}
}

func TestCompileErrorsNameCellPosition(t *testing.T) {
	s := newSession(t, Options{})
	for _, tc := range []struct{ code, name, pos string }{
		{"x := 1\nfmt.Println(x, undefinedName)", "", "2:16"},
		{"x := 1\nif x {\n", "SyntaxError", "3:"},
	} {
		e, pub := runErr(t, s, tc.code)
		if !strings.HasPrefix(e.Value, tc.pos) {
			t.Errorf("%q: error %q, want at %s\n%s", tc.code, e.Value, tc.pos, strings.Join(e.Traceback, "\n"))
		}
		if tc.name != "" && e.Name != tc.name {
			t.Errorf("%q: name %q, want %q", tc.code, e.Name, tc.name)
		}
		if len(e.Traceback) == 0 || !strings.Contains(e.Traceback[0], e.Value) {
			t.Errorf("%q: traceback %q does not show the error", tc.code, e.Traceback)
		}
		if got := pub.stream("stderr"); got != "" {
			t.Errorf("%q: stray stderr %q", tc.code, got)
		}
	}
}

func TestFailuresEndCellAndKeepState(t *testing.T) {
	s := newSession(t, Options{})
	run(t, s, "x := 42")
	for _, tc := range []struct {
		code, name, value string
	}{
		{"panic(\"boom\")", "panic", "boom"},
		{"panic(fmt.Errorf(\"typed %d\", 7))", "panic", "typed 7"},
		{"var p *struct{ N int }\nfmt.Println(p.N)", "panic", "nil pointer dereference"},
		{"a := []int{1, 2}\ni := 5\nfmt.Println(a[i])", "panic", "index out of range"},
		{"go func() { panic(\"in goroutine\") }()\ntime.Sleep(5 * time.Second)", "panic", "in goroutine"},
		{"os.Exit(3)", "Exit", "exit status 3"},
		{"import \"log\"\nlog.Fatal(\"fatal thing\")", "Exit", "fatal thing"},
	} {
		start := time.Now()
		e, pub := runErr(t, s, tc.code)
		if e.Name != tc.name || !strings.Contains(e.Value, tc.value) {
			t.Errorf("%q: got %s: %s, want %s containing %q\n%s", tc.code, e.Name, e.Value, tc.name, tc.value, strings.Join(e.Traceback, "\n"))
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q took %v", tc.code, d)
		}
		if got := pub.stream("stderr"); got != "" {
			t.Errorf("%q: stray stderr %q", tc.code, got)
		}
		if b, _ := run(t, s, "x"); plain(t, b) != "42" {
			t.Errorf("after %q, x = %s", tc.code, plain(t, b))
		}
	}
}

func TestGoroutinePanicAfterCell(t *testing.T) {
	s := newSession(t, Options{})
	pub := &fakePub{}
	if _, err := s.Execute(context.Background(), "go func() {\n\ttime.Sleep(100 * time.Millisecond)\n\tpanic(\"late\")\n}()", pub); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if got := pub.stream("stderr"); !strings.Contains(got, "late") {
		t.Errorf("a goroutine's panic after its cell ended: stderr %q", got)
	}
	if b, _ := run(t, s, "1 + 2"); plain(t, b) != "3" {
		t.Errorf("after a late goroutine panic, 1+2 = %s", plain(t, b))
	}
}

func TestEditorQuestions(t *testing.T) {
	s := newSession(t, Options{})
	run(t, s, "counter := 1")
	if c := s.IsComplete("for i := 0; i < 3; i++ {"); c.Status != "incomplete" {
		t.Errorf("IsComplete of an open loop = %+v", c)
	}
	if c := s.IsComplete("x := 1"); c.Status != "complete" {
		t.Errorf("IsComplete of x := 1 = %+v", c)
	}
	c := s.Complete("coun", 4)
	if !slices.Contains(c.Matches, "counter") || c.Start != 0 || c.End != 4 || len(c.Types) != len(c.Matches) {
		t.Errorf("Complete(coun) = %+v", c)
	}
	c = s.Complete("strings.ToUp", 12)
	if !slices.Contains(c.Matches, "ToUpper") {
		t.Errorf("Complete(strings.ToUp) = %+v", c)
	}
	b, found := s.Inspect("counter + 1", 3, 0)
	if text, _ := b.Data["text/plain"].(string); !found || !strings.Contains(text, "int") {
		t.Errorf("Inspect(counter) = %v, %#v", found, b.Data)
	}
	if _, ok := b.Data["text/markdown"]; !ok {
		t.Errorf("Inspect(counter) has no text/markdown: %#v", b.Data)
	}
	if info := s.LanguageInfo(); info.Name != "go" || info.Version == "" || strings.HasPrefix(info.Version, "go") {
		t.Errorf("LanguageInfo = %+v", info)
	}
}

// TestEditorQuestionsWhileCellsRun asks completions and inspections while
// cells rewrite and commit declarations (run it with -race).
func TestEditorQuestionsWhileCellsRun(t *testing.T) {
	s := newSession(t, Options{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 20; i++ {
			code := fmt.Sprintf("v%d := %d\nfunc f%d() int { return v%d }\nf%d()", i, i, i, i, i)
			if i%2 == 1 {
				code = fmt.Sprintf("w%d := v%d * 2", i, i-1)
			}
			if _, err := s.Execute(context.Background(), code, output.Discard); err != nil {
				t.Errorf("%q: %v", code, err)
				return
			}
		}
	}()
	for {
		select {
		case <-done:
			if c := s.Complete("v1", 2); !slices.Contains(c.Matches, "v18") {
				t.Errorf("Complete(v1) after the cells = %v", c.Matches)
			}
			return
		default:
		}
		s.Complete("v", 1)
		s.Complete("strings.", 8)
		s.Inspect("v0", 1, 0)
		s.IsComplete("x := ")
	}
}

func TestPanicTracebackShowsCallChain(t *testing.T) {
	s := newSession(t, Options{})
	run(t, s, "func inner(a []int) int { return a[3] }\nfunc outer() int { return inner(nil) }")
	e, _ := runErr(t, s, "x := 1\nfmt.Println(x)\ny := outer()\nfmt.Println(y)")
	tb := strings.Join(e.Traceback, "\n")
	for _, want := range []string{"index out of range", "   3 | y := outer()", "  inner\n  outer\n  cell, line 3"} {
		if !strings.Contains(tb, want) {
			t.Errorf("traceback lacks %q:\n%s", want, tb)
		}
	}
	e, _ = runErr(t, s, "a := []int{1}\nfor i := 0; i < 3; i++ {\n\tfmt.Println(a[i])\n}")
	if tb := strings.Join(e.Traceback, "\n"); !strings.Contains(tb, "cell, line 2") {
		t.Errorf("a panic in a loop on line 2:\n%s", tb)
	}
}

func TestInterrupt(t *testing.T) {
	s := newSession(t, Options{Symbols: native(map[string]any{
		"Spin": func() int {
			n := 0
			for {
				interrupt.Check()
				for i := 0; i < 1000; i++ {
					n += i
				}
			}
		},
	})})
	for _, code := range []string{
		"for {\n}",
		"time.Sleep(time.Hour)",
		"<-make(chan int)",
		"import \"gonntest/native\"\nnative.Spin()",
		"select {}",
	} {
		ctx, cancel := context.WithCancel(context.Background())
		var cancelled time.Time
		time.AfterFunc(200*time.Millisecond, func() { cancelled = time.Now(); cancel() })
		_, err := s.Execute(ctx, code, &fakePub{})
		took := time.Since(cancelled)
		var e *Error
		if !errors.As(err, &e) || e.Name != "Interrupted" {
			t.Errorf("%q: err = %v, want Interrupted", code, err)
		}
		if took > time.Second {
			t.Errorf("%q: stopped %v after the interrupt, want < 1s", code, took)
		}
		if b, _ := run(t, s, "1 + 1"); plain(t, b) != "2" {
			t.Errorf("after interrupting %q, 1+1 = %s", code, plain(t, b))
		}
	}
}

// blockingInput is a front end that never answers an input request.
type blockingInput struct {
	fakePub
	unblock chan struct{}
}

func (p *blockingInput) Input(prompt string, password bool) (string, error) {
	<-p.unblock
	return "", output.ErrNoInput
}

func TestInterruptWhileReadingStdin(t *testing.T) {
	s := newSession(t, Options{})
	pub := &blockingInput{unblock: make(chan struct{})}
	defer close(pub.unblock)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, err := s.Execute(ctx, "var n int\nfmt.Scan(&n)\nfmt.Println(\"after\", n)", pub)
	var e *Error
	if !errors.As(err, &e) || e.Name != "Interrupted" {
		t.Errorf("err = %v, want Interrupted", err)
	}
	if d := time.Since(start); d > 1200*time.Millisecond {
		t.Errorf("took %v", d)
	}
	if b, _ := run(t, s, "2 * 2"); plain(t, b) != "4" {
		t.Errorf("after the interrupt, 2*2 = %s", plain(t, b))
	}
}

func TestStdin(t *testing.T) {
	s := newSession(t, Options{})
	pub := &fakePub{inputs: []string{"Ann", "7 8", "a line"}}
	_, err := s.Execute(context.Background(), `import "bufio"

var name string
fmt.Print("name? ")
fmt.Scan(&name)
fmt.Println("hi", name)
var a, b int
fmt.Print("two numbers: ")
fmt.Scan(&a, &b)
fmt.Println(a + b)
r := bufio.NewReader(os.Stdin)
fmt.Print("line: ")
line, _ := r.ReadString('\n')
fmt.Printf("%q\n", line)`, pub)
	if err != nil {
		t.Fatalf("%v\n%s", err, tracebackOf(err))
	}
	if got, want := pub.prompts(), []string{"name? ", "two numbers: ", "line: "}; !reflect.DeepEqual(got, want) {
		t.Errorf("prompts = %q, want %q", got, want)
	}
	out := pub.stream("stdout")
	for _, want := range []string{"hi Ann\n", "15\n", "\"a line\\n\"\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout %q lacks %q", out, want)
		}
	}
	// A front end that refuses input makes the read fail, not hang.
	b, pub := run(t, s, "var n int\n_, err := fmt.Scan(&n)\nerr != nil")
	if plain(t, b) != "true" {
		t.Errorf("Scan without input: err != nil is %s", plain(t, b))
	}
	_ = pub
}

func TestMagics(t *testing.T) {
	s := newSession(t, Options{})
	_, pub := run(t, s, "%help")
	if out := pub.stream("stdout"); !strings.Contains(out, "%reset") || !strings.Contains(out, "!command") {
		t.Errorf("%%help printed %q", out)
	}

	run(t, s, "count := 3\nlabel := \"x\"")
	_, pub = run(t, s, "%who")
	if out := pub.stream("stdout"); !strings.Contains(out, "count") || !strings.Contains(out, "int") || !strings.Contains(out, "label") || !strings.Contains(out, "string") {
		t.Errorf("%%who printed %q", out)
	}

	b, pub := run(t, s, "%time\ntime.Sleep(20 * time.Millisecond)\ncount * 2")
	if plain(t, b) != "6" {
		t.Errorf("%%time cell result %s", plain(t, b))
	}
	if out := pub.stream("stdout"); !strings.Contains(out, "Wall time: ") {
		t.Errorf("%%time printed %q", out)
	}
	b, _ = run(t, s, "%time count + 1")
	if plain(t, b) != "4" {
		t.Errorf("%%time with code on its line: %s", plain(t, b))
	}

	t.Setenv("GONN_TEST_ENV", "")
	run(t, s, "%env GONN_TEST_ENV=hello world")
	b, _ = run(t, s, "os.Getenv(\"GONN_TEST_ENV\")")
	if plain(t, b) != `"hello world"` {
		t.Errorf("after %%env, Getenv = %s", plain(t, b))
	}
	_, pub = run(t, s, "!echo $GONN_TEST_ENV")
	if out := pub.stream("stdout"); out != "hello world\n" {
		t.Errorf("shell saw %q", out)
	}
	_, pub = run(t, s, "%env GONN_TEST_ENV")
	if out := pub.stream("stdout"); out != "hello world\n" {
		t.Errorf("%%env KEY printed %q", out)
	}

	e, _ := runErr(t, s, "%nosuchmagic")
	if e.Name != "UsageError" {
		t.Errorf("unknown magic: %v", e)
	}

	run(t, s, "%reset")
	e, _ = runErr(t, s, "count")
	if !strings.Contains(e.Value, "count") {
		t.Errorf("after %%reset, count gives %v", e)
	}
	if b, _ := run(t, s, "strings.Repeat(\"ab\", 2)"); plain(t, b) != `"abab"` {
		t.Errorf("pre-imports after %%reset: %s", plain(t, b))
	}

	// A magic's positions: code after magic lines keeps its line numbers.
	e, _ = runErr(t, s, "%env GONN_TEST_ENV=1\n\nundefinedAfterMagic")
	if !strings.HasPrefix(e.Value, "3:1") {
		t.Errorf("error after a magic line at %q, want 3:1", e.Value)
	}
}

func TestFinalValues(t *testing.T) {
	s := newSession(t, Options{})
	run(t, s, "type Point struct{ X, Y int }\n"+
		"type Fancy struct{ Name string }\n"+
		"func (f Fancy) HTML() string { return \"<b>\" + f.Name + \"</b>\" }\n"+
		"func (f Fancy) String() string { return \"Fancy(\" + f.Name + \")\" }\n"+
		"type Pic struct{}\n"+
		"func (Pic) SVG() string { return \"<svg></svg>\" }\n"+
		"func (Pic) PNG() []byte { return []byte{1, 2, 3} }\n"+
		"type Doc struct{}\n"+
		"func (Doc) Markdown() string { return \"# title\" }\n"+
		"type Multi struct{}\n"+
		"func (Multi) MIMEBundle() map[string]any { return map[string]any{\"application/json\": map[string]any{\"a\": 1}} }")
	for _, tc := range []struct {
		code, plain string
		mime        string
		data        any
	}{
		{"1 + 1", "2", "", nil},
		{"\"hi\"", `"hi"`, "", nil},
		{"3.5", "3.5", "", nil},
		{"Point{1, 2}", "{X:1 Y:2}", "", nil},
		{"&Point{3, 4}", "&{X:3 Y:4}", "", nil},
		{"[]int{1, 2}", "[1 2]", "", nil},
		{"var e error\ne", "<nil>", "", nil},
		{"errors.New(\"bad thing\")", "bad thing", "", nil},
		{"Fancy{\"z\"}", "Fancy(z)", "text/html", "<b>z</b>"},
		{"Pic{}", "{}", "image/svg+xml", "<svg></svg>"},
		{"Pic{}", "{}", "image/png", "AQID"},
		{"Doc{}", "{}", "text/markdown", "# title"},
		{"Multi{}", "{}", "application/json", map[string]any{"a": 1}},
	} {
		b, _ := run(t, s, tc.code)
		if got := plain(t, b); got != tc.plain {
			t.Errorf("%q: text/plain %q, want %q", tc.code, got, tc.plain)
		}
		if tc.mime != "" && !reflect.DeepEqual(b.Data[tc.mime], tc.data) {
			t.Errorf("%q: %s = %#v, want %#v", tc.code, tc.mime, b.Data[tc.mime], tc.data)
		}
		if b.Metadata == nil {
			t.Errorf("%q: nil metadata", tc.code)
		}
	}
	// A method added by a later cell to a redefined (versioned) type.
	run(t, s, "type Late struct{ A int }")
	run(t, s, "type Late struct{ A, B int }")
	run(t, s, "func (l Late) HTML() string { return fmt.Sprint(\"<p>\", l.A+l.B, \"</p>\") }")
	if b, _ := run(t, s, "Late{1, 2}"); b.Data["text/html"] != "<p>3</p>" || plain(t, b) != "{A:1 B:2}" {
		t.Errorf("Late{1, 2} = %#v", b.Data)
	}
	if b, _ := run(t, s, "x := 1"); b != nil {
		t.Errorf("a cell without a final expression returned %v", b.Data)
	}
	if b, _ := run(t, s, "fmt.Println(\"no value\")"); b != nil {
		t.Errorf("a call without a value returned %v", b.Data)
	}
}

func TestRenderers(t *testing.T) {
	s := newSession(t, Options{Renderers: []Renderer{
		func(v any) (output.Bundle, bool) {
			n, ok := v.(int)
			if !ok {
				return output.Bundle{}, false
			}
			return output.Bundle{Data: map[string]any{"text/html": fmt.Sprintf("<i>%d</i>", n)}}, true
		},
	}})
	b, _ := run(t, s, "6 * 7")
	if b == nil {
		t.Fatal("no result")
	}
	if b.Data["text/html"] != "<i>42</i>" || b.Data["text/plain"] != "42" || b.Metadata == nil {
		t.Errorf("renderer bundle = %#v", b)
	}
	b, _ = run(t, s, "\"not an int\"")
	if b == nil {
		t.Fatal("no result")
	}
	if _, ok := b.Data["text/html"]; ok || plain(t, b) != `"not an int"` {
		t.Errorf("renderer applied to a string: %#v", b.Data)
	}
}

func TestPreimports(t *testing.T) {
	s := newSession(t, Options{})
	// output is not pre-imported: its name stays free for variables.
	if b, _ := run(t, s, "output := 3\noutput"); plain(t, b) != "3" {
		t.Errorf("output := 3 gives %s", plain(t, b))
	}
	b, _ := run(t, s, "fmt.Sprintln(math.Sqrt(4), strings.ToUpper(\"a\"), errors.New(\"e\"), sort.IntsAreSorted([]int{1}), interrupt.Pending(), display.HTMLBundle(\"<b>x</b>\").Data[\"text/plain\"], time.Duration(0), os.Getpid() > 0)")
	if got := plain(t, b); got != `"2 A e true false x 0s true\n"` {
		t.Errorf("pre-imported packages: %s", got)
	}
	_, pub := run(t, s, "display.HTML(\"<i>hi</i>\")")
	if len(pub.events) != 1 || pub.events[0].kind != "display" || pub.events[0].bundle.Data["text/html"] != "<i>hi</i>" {
		t.Errorf("display.HTML published %+v", pub.events)
	}
}

func TestDisplayKeepsOrderWithStdout(t *testing.T) {
	s := newSession(t, Options{Symbols: native(map[string]any{
		"Show": func(x string) { output.Current().Display(output.Text(x), "", false) },
	})})
	_, pub := run(t, s, "import \"gonntest/native\"\nfmt.Println(\"before\")\nnative.Show(\"shown\")\nfmt.Println(\"after\")")
	var order []string
	for _, e := range pub.events {
		switch e.kind {
		case "stream":
			order = append(order, strings.TrimSpace(e.text))
		case "display":
			order = append(order, "display")
		}
	}
	if got := strings.Join(order, ","); got != "before,display,after" {
		t.Errorf("order = %s", got)
	}
}

// TestPreimportsShadowed: a cell's declaration of a pre-imported package's
// name shadows the package (like a Python builtin); an import or %reset
// brings it back.
func TestPreimportsShadowed(t *testing.T) {
	s := newSession(t, Options{})
	run(t, s, "func stamp() string { return time.Duration(1500 * time.Millisecond).String() }")
	b, _ := run(t, s, "time := 5\ndisplay := \"x\"\nsort := []int{3}\nfunc tensor() int { return 7 }\nfmt.Sprint(time, display, sort, tensor(), stamp())")
	if got := plain(t, b); got != `"5x[3] 71.5s"` {
		t.Errorf("shadowing cell = %s", got)
	}
	e, _ := runErr(t, s, "time.Now()")
	if !strings.Contains(e.Value, "time.Now undefined (type int has no field or method Now)") {
		t.Errorf("time.Now() after time := 5: %q", e.Value)
	}
	_, pub := run(t, s, "%who")
	if out := pub.stream("stdout"); !strings.Contains(out, "time") || !strings.Contains(out, "display") || strings.Contains(out, "__gonn") {
		t.Errorf("%%who printed %q", out)
	}
	if c := s.Complete("time.", 5); slices.Contains(c.Matches, "Now") {
		t.Errorf("Complete(time.) offers the package after time := 5: %v", c.Matches)
	}
	if c := s.Complete("dis", 3); !slices.Contains(c.Matches, "display") {
		t.Errorf("Complete(dis) = %v", c.Matches)
	}
	b, _ = run(t, s, "import \"time\"\ntime.Duration(2 * time.Second).String()")
	if got := plain(t, b); got != `"2s"` {
		t.Errorf("after import \"time\": %s", got)
	}
	if c := s.Complete("time.No", 7); !slices.Contains(c.Matches, "Now") {
		t.Errorf("Complete(time.No) after the import = %v", c.Matches)
	}
	run(t, s, "%reset")
	b, _ = run(t, s, "sort.IntsAreSorted([]int{1, 2})")
	if got := plain(t, b); got != "true" {
		t.Errorf("sort after %%reset: %s", got)
	}
}

// TestPositionsInHeaders: panics in for, if and switch headers and in
// closures name the cell's line; no position names the rewriter's files.
func TestPositionsInHeaders(t *testing.T) {
	s := newSession(t, Options{})
	run(t, s, "xs := []int{1}\nn := 0")
	for _, tc := range []struct{ code, want string }{
		{"n++\nfor i := 0; i < xs[3]; i++ { n++ }", "   2 | for i := 0; i < xs[3]; i++ { n++ }"},
		{"n++\n\nif v := xs[5]; v > 0 {\n\tn++\n}", "   3 | if v := xs[5]; v > 0 {"},
		{"switch v := xs[7]; v {\ncase 1:\n}", "   1 | switch v := xs[7]; v {"},
		{"f := func() int {\n\treturn xs[9]\n}\nf()", "   4 | f()"},
	} {
		e, _ := runErr(t, s, tc.code)
		tb := strings.Join(e.Traceback, "\n")
		if !strings.Contains(tb, tc.want) || strings.Contains(tb, "_.go") || strings.Contains(tb, "cell:") {
			t.Errorf("%q: traceback\n%s\nwant %q", tc.code, tb, tc.want)
		}
	}
	for _, tc := range []struct{ code, pos string }{
		{"for i := 0; i < len(xs); i += \"a\" { n++ }", "1:26: "},
		{"n++\nswitch v := n; v {\ncase \"a\":\n}", "3:6: "},
		{"g := func() {\n\tfor {\n\t\tif n > \"x\" {}\n\t}\n}", "3:10: "},
	} {
		e, _ := runErr(t, s, tc.code)
		if !strings.HasPrefix(e.Value, tc.pos) {
			t.Errorf("%q: error %q, want at %s", tc.code, e.Value, tc.pos)
		}
	}
}

// TestInspectShowsSource: Inspect of a func, type or method declared by an
// earlier cell shows its source with its doc comment.
func TestInspectShowsSource(t *testing.T) {
	s := newSession(t, Options{})
	run(t, s, "// sq squares.\nfunc sq(x int) int {\n\treturn x * x\n}\n\n// Pt is a point.\ntype Pt struct{ X int }\n\n// Twice doubles.\nfunc (p Pt) Twice() int { return 2 * p.X }")
	for _, tc := range []struct {
		code           string
		cursor, detail int
		want           []string
	}{
		{"sq(2)", 1, 1, []string{"// sq squares.", "func sq(x int) int {", "return x * x"}},
		{"sq(2)", 1, 0, []string{"// sq squares.", "func sq(x int) int"}},
		{"Pt{}", 1, 0, []string{"// Pt is a point.", "type Pt struct{ X int }"}},
		{"Pt{}.Twice()", 7, 1, []string{"// Twice doubles.", "func (p Pt) Twice() int { return 2 * p.X }"}},
	} {
		b, found := s.Inspect(tc.code, tc.cursor, tc.detail)
		text, _ := b.Data["text/plain"].(string)
		for _, w := range tc.want {
			if !found || !strings.Contains(text, w) {
				t.Errorf("Inspect(%q, detail %d) = %q, want %q in it", tc.code, tc.detail, text, w)
			}
		}
	}
}

// TestStaleVariables: a variable holding a value of an earlier definition
// of a type keeps that type for completion and type-checking.
func TestStaleVariables(t *testing.T) {
	s := newSession(t, Options{})
	run(t, s, "type P struct{ X, Y float64 }\np := P{3, 4}")
	_, pub := run(t, s, "type P struct{ X, Y, Z float64 }")
	if w := pub.stream("stderr"); !strings.Contains(w, "p keeps a value of the previous P") {
		t.Errorf("warning %q", w)
	}
	if c := s.Complete("p.", 2); slices.Contains(c.Matches, "Z") || !slices.Contains(c.Matches, "Y") {
		t.Errorf("Complete(p.) = %v, want the old fields", c.Matches)
	}
	e, _ := runErr(t, s, "p.Z")
	if want := "1:3: p.Z undefined (type P has no field or method Z): p holds a value of an earlier definition of P; re-run the cell that made it"; e.Value != want {
		t.Errorf("p.Z: %q, want %q", e.Value, want)
	}
	if b, _ := run(t, s, "p.X + p.Y"); plain(t, b) != "7" {
		t.Errorf("p.X + p.Y = %s", plain(t, b))
	}
	run(t, s, "p := P{1, 2, 3}")
	if b, _ := run(t, s, "p.Z"); plain(t, b) != "3" {
		t.Errorf("p.Z after p is made again = %s", plain(t, b))
	}
}
