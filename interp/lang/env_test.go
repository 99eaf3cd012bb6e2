package lang

import (
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// programSrc stands for the earlier cells of a notebook, as the rewriter
// keeps them: versioned type names, hoisted variables, internal helpers.
const programSrc = `package main

import (
	"bytes"
	"strings"
)

type P_gonn1 struct{ Old int }

// P is a point.
type P_gonn2 struct {
	X, Y float64
	name string
	Inner
}

// Inner is embedded in P.
type Inner struct{ Depth int }

// Dive returns the depth.
func (i *Inner) Dive() int { return i.Depth }

// Norm is the L1 norm.
func (p P_gonn2) Norm() float64 { return p.X + p.Y }

func (p *P_gonn2) Scale(f float64) { p.X *= f; p.Y *= f }

func (p P_gonn2) Next() P_gonn2 { return P_gonn2{X: p.X + 1} }

type Shape interface{ Area() float64 }

var p = P_gonn2{X: 3, Y: 4}
var pp = &p
var counter int
var words []string
var __gonn_hidden int
var sb strings.Builder
var shape Shape
var buf *bytes.Buffer
var old P_gonn1
var big []int

// square returns x*x.
func square(x float64) float64 { return x * x }

const limit = 10

func __gonn_helper() {}
`

var versioned = regexp.MustCompile(`_gonn[0-9]+$`)

// testEnv returns an Env for programSrc with fmt, strings, math, bytes,
// os and the project's output package imported.
var testEnv = sync.OnceValue(func() Env {
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	f, err := parser.ParseFile(fset, "program.go", programSrc, parser.ParseComments)
	if err != nil {
		panic(err)
	}
	conf := types.Config{Importer: imp}
	prog, err := conf.Check("gonn/notebook", fset, []*ast.File{f}, nil)
	if err != nil {
		panic(err)
	}
	imports := map[string]*types.Package{}
	for _, path := range []string{"fmt", "strings", "math", "bytes", "os", "github.com/gonnlab/gonn/output"} {
		p, err := imp.Import(path)
		if err != nil {
			panic(err)
		}
		imports[p.Name()] = p
	}
	values := map[string]any{
		"p":       struct{ X, Y float64 }{3, 4},
		"counter": 42,
		"words":   []string{"héllo", "wörld"},
		"big":     make([]int, 10000),
	}
	return Env{
		Program:  prog,
		Imports:  imports,
		UserName: func(s string) string { return versioned.ReplaceAllString(s, "") },
		Value: func(name string) (reflect.Value, bool) {
			v, ok := values[name]
			return reflect.ValueOf(v), ok
		},
		GOROOT:   build.Default.GOROOT,
		Importer: imp,
		Docs:     NewDocCache(),
	}
})

// cut splits a test cell at its "|" into the text and the rune cursor.
func cut(t testing.TB, cell string) (string, int) {
	t.Helper()
	before, after, ok := strings.Cut(cell, "|")
	if !ok {
		t.Fatalf("no cursor in %q", cell)
	}
	return before + after, len([]rune(before))
}
