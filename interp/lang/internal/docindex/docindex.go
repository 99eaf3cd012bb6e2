// Package docindex extracts the documentation of a Go package from its
// sources into a small index: for each top-level name, method and struct
// field, its declaration as `go doc` prints it and its doc comment.
//
// lang uses it at run time on GOROOT's sources, and the gendocs generator
// uses it to embed the documentation of the project's own packages, so the
// two paths produce the same text.
package docindex

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Package is the documentation of one package.
type Package struct {
	Path string `json:"path"`
	Name string `json:"name"`
	Doc  string `json:"doc,omitempty"`
	// Entries is keyed by "Name" for package-level names, "Type.Method" for
	// methods and "Type.Field" for struct fields.
	Entries map[string]*Entry `json:"entries"`
}

// Entry is the documentation of one name.
type Entry struct {
	// Decl is the declaration without function bodies or unexported struct
	// fields; for a constant or variable it is the whole group.
	Decl string `json:"decl"`
	Doc  string `json:"doc,omitempty"`
	// Related lists, for a type, the keys of its methods and of the
	// functions that return it, in source order.
	Related []string `json:"related,omitempty"`
}

// Load reads the Go files of the package in dir that build for the current
// platform (test files excluded) and indexes them under importPath. For
// the "builtin" package, unexported names are kept.
func Load(dir, importPath string) (*Package, error) {
	fset := token.NewFileSet()
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("docindex: %w", err)
	}
	ctx := build.Default
	ctx.CgoEnabled = true
	var files []*ast.File
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if importPath != "builtin" {
			if ok, err := ctx.MatchFile(dir, name); err != nil || !ok {
				continue
			}
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("docindex: parsing %s: %w", importPath, err)
		}
		if f.Name.Name == "main" || strings.HasSuffix(f.Name.Name, "_test") {
			continue
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("docindex: no Go files for %s in %s", importPath, dir)
	}
	return FromFiles(fset, files, importPath)
}

// FromFiles indexes already parsed files (parsed with comments) of one
// package.
func FromFiles(fset *token.FileSet, files []*ast.File, importPath string) (*Package, error) {
	var mode doc.Mode
	if importPath == "builtin" {
		mode = doc.AllDecls
	}
	d, err := doc.NewFromFiles(fset, files, importPath, mode)
	if err != nil {
		return nil, fmt.Errorf("docindex: %s: %w", importPath, err)
	}
	p := &Package{Path: importPath, Name: d.Name, Doc: d.Doc, Entries: map[string]*Entry{}}
	byFile := map[*token.File]*ast.File{}
	for _, f := range files {
		byFile[fset.File(f.Pos())] = f
	}
	add := func(key string, node ast.Node, docText string) {
		var printed any = node
		if f := byFile[fset.File(node.Pos())]; f != nil {
			if _, isField := node.(*ast.Field); !isField {
				printed = &printer.CommentedNode{Node: node, Comments: f.Comments}
			}
		}
		p.Entries[key] = &Entry{Decl: print(fset, printed), Doc: docText}
	}
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			for _, n := range v.Names {
				add(n, v.Decl, v.Doc)
			}
		}
	}
	funcs := func(fs []*doc.Func, owner *Entry) {
		for _, f := range fs {
			key := f.Name
			if f.Recv != "" {
				key = strings.TrimLeft(f.Recv, "*")
				if i := strings.IndexByte(key, '['); i >= 0 {
					key = key[:i]
				}
				key += "." + f.Name
			}
			f.Decl.Body = nil
			add(key, f.Decl, f.Doc)
			if owner != nil {
				owner.Related = append(owner.Related, key)
			}
		}
	}
	values(d.Consts)
	values(d.Vars)
	funcs(d.Funcs, nil)
	for _, t := range d.Types {
		add(t.Name, t.Decl, t.Doc)
		owner := p.Entries[t.Name]
		values(t.Consts)
		values(t.Vars)
		funcs(t.Funcs, owner)
		funcs(t.Methods, owner)
		for _, spec := range t.Decl.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok || ts.Name.Name != t.Name {
				continue
			}
			var fields *ast.FieldList
			switch tt := ts.Type.(type) {
			case *ast.StructType:
				fields = tt.Fields
			case *ast.InterfaceType:
				fields = tt.Methods
			}
			if fields == nil {
				continue
			}
			for _, f := range fields.List {
				docText := f.Doc.Text()
				if docText == "" {
					docText = f.Comment.Text()
				}
				field := &ast.Field{Names: f.Names, Type: f.Type}
				for _, n := range f.Names {
					if _, dup := p.Entries[t.Name+"."+n.Name]; !dup {
						add(t.Name+"."+n.Name, field, docText)
					}
				}
				if len(f.Names) == 0 { // embedded
					name := embeddedName(f.Type)
					if name != "" {
						add(t.Name+"."+name, field, docText)
					}
				}
			}
		}
	}
	return p, nil
}

func embeddedName(x ast.Expr) string {
	switch t := x.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return embeddedName(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.IndexExpr:
		return embeddedName(t.X)
	case *ast.IndexListExpr:
		return embeddedName(t.X)
	}
	return ""
}

func print(fset *token.FileSet, node any) string {
	var b bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	method := false
	if f, ok := node.(*ast.Field); ok {
		for i, n := range f.Names {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(n.Name)
		}
		_, method = f.Type.(*ast.FuncType)
		method = method && len(f.Names) > 0
		if len(f.Names) > 0 && !method {
			b.WriteByte(' ')
		}
		node = f.Type
	}
	start := b.Len()
	if err := cfg.Fprint(&b, fset, node); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	if method { // an interface method: "String() string", not "String func() string"
		s := b.String()
		return s[:start] + strings.TrimPrefix(s[start:], "func")
	}
	return b.String()
}
