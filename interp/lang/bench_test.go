package lang

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// bigEnv returns testEnv with a Program of 50 more declarations, as a
// notebook has after a while.
var bigEnv = sync.OnceValue(func() Env {
	env := testEnv()
	var b strings.Builder
	b.WriteString(strings.Replace(programSrc, "package main", "package main\n", 1))
	for i := range 10 {
		fmt.Fprintf(&b, "type Layer%d_gonn%d struct{ W, B []float64; name string }\n", i, i+3)
		fmt.Fprintf(&b, "func (l *Layer%d_gonn%d) Forward(x []float64) []float64 { return x }\n", i, i+3)
		fmt.Fprintf(&b, "func helper%d(a, b int) int { return a + b }\n", i)
		fmt.Fprintf(&b, "var layer%d = &Layer%d_gonn%d{}\n", i, i, i+3)
		fmt.Fprintf(&b, "const rate%d = 0.%d\n", i, i+1)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "program.go", b.String(), parser.ParseComments)
	if err != nil {
		panic(err)
	}
	conf := types.Config{Importer: env.Importer}
	prog, err := conf.Check("gonn/notebook", fset, []*ast.File{f}, nil)
	if err != nil {
		panic(err)
	}
	env.Program = prog
	return env
})

// benchCell is a typical training cell.
const benchCell = `// train runs a few epochs.
func train(epochs int) float64 {
	loss := 0.0
	for e := range epochs {
		for i := 0; i < 100; i++ {
			out := layer3.Forward(p.Next().Inner.Depth, words)
			loss += float64(len(out)) * rate2
		}
		fmt.Printf("epoch %d: loss %.3f\n", e, loss)
	}
	return loss
}
var history []float64
for run := range 3 {
	history = append(history, train(run))
	sb.WriteString(strings.Repeat("=", run))
}
result := helper7(len(history), counter)
fmt.Println(result, p.Norm(), square(2))
`

// benchCursors are cursor positions in benchCell: after "layer3." and in
// "fmt.Pri" (completion), on "Printf" and "history" (inspect).
func benchCursor(t testing.TB, after string) int {
	i := strings.Index(benchCell, after)
	if i < 0 {
		t.Fatalf("%q not in benchCell", after)
	}
	return len([]rune(benchCell[:i+len(after)]))
}

func TestBigNotebook(t *testing.T) {
	env := bigEnv()
	m, _, _, _ := Complete(benchCell, benchCursor(t, "layer3."), env)
	if !slices.Equal(m, []string{"B", "Forward", "name", "W"}) {
		t.Errorf("layer3.: %v", m)
	}
	m, _, _, _ = Complete(benchCell, benchCursor(t, "layer3.Forward(p.Next().In"), env)
	if !slices.Equal(m, []string{"Inner"}) {
		t.Errorf("p.Next().In: %v", m)
	}
	m, _, _, _ = Complete(benchCell, benchCursor(t, "result := help"), env)
	if len(m) != 10 || m[0] != "helper0" {
		t.Errorf("help: %v", m)
	}
	m, _, _, _ = Complete(benchCell, benchCursor(t, "append(hist"), env)
	if !slices.Equal(m, []string{"history"}) {
		t.Errorf("hist: %v", m)
	}
	m, _, _, _ = Complete(benchCell, benchCursor(t, "\t\tfor i := 0; i < 100; i++ {\n\t\t\tout := lay"), env)
	if len(m) != 20 || m[0] != "layer0" || m[10] != "Layer0" {
		t.Errorf("lay: %v", m)
	}
	text, _ := Inspect(benchCell, benchCursor(t, "layer3.Forw"), 0, env)
	if text != "func (*Layer3).Forward(x []float64) []float64" {
		t.Errorf("inspect Forward: %q", text)
	}
	if s, _ := IsComplete(benchCell); s != "complete" {
		t.Errorf("IsComplete: %s", s)
	}

	// each call well under 10 ms once the docs are cached
	Inspect(benchCell, benchCursor(t, "fmt.Printf"), 0, env)
	calls := map[string]func(){
		"Complete":   func() { Complete(benchCell, benchCursor(t, "layer3."), env) },
		"Inspect":    func() { Inspect(benchCell, benchCursor(t, "fmt.Printf"), 0, env) },
		"IsComplete": func() { IsComplete(benchCell) },
	}
	for name, call := range calls {
		var times []time.Duration
		for range 15 {
			start := time.Now()
			call()
			times = append(times, time.Since(start))
		}
		slices.Sort(times)
		if med := times[len(times)/2]; med > 5*time.Millisecond {
			t.Errorf("%s: median %v over 15 calls, want under 5ms", name, med)
		}
	}
}

func BenchmarkComplete(b *testing.B) {
	env := bigEnv()
	cursor := benchCursor(b, "layer3.")
	for b.Loop() {
		Complete(benchCell, cursor, env)
	}
}

func BenchmarkCompleteBare(b *testing.B) {
	env := bigEnv()
	cursor := benchCursor(b, "result := help")
	for b.Loop() {
		Complete(benchCell, cursor, env)
	}
}

func BenchmarkInspect(b *testing.B) {
	env := bigEnv()
	cursor := benchCursor(b, "fmt.Printf")
	Inspect(benchCell, cursor, 0, env)
	for b.Loop() {
		Inspect(benchCell, cursor, 0, env)
	}
}

func BenchmarkIsComplete(b *testing.B) {
	for b.Loop() {
		IsComplete(benchCell)
	}
}
