package lang

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
)

const (
	// marker stands for the word being completed, so that the text before
	// the cursor parses with it in the right place.
	marker = "__gonn_lang_cursor"
	// bodyName is the function that holds the cell's statements.
	bodyName = "__gonn_lang_body"
)

// A probe is a cell (or its beginning) type-checked in the environment of
// the notebook: the cell's declarations at package level, its statements
// in a function, open brackets closed, and the user's earlier declarations
// and the imported packages in scope. Errors are tolerated: whatever
// go/types could type is recorded.
type probe struct {
	env  *Env
	fset *token.FileSet
	tf   *token.File
	src  string // the generated file
	file *ast.File
	pkg  *types.Package
	info *types.Info
	// placed maps the segments of the text to where they are in the
	// generated file.
	placed []placedSeg
}

type placedSeg struct {
	pos, end int // in the text
	at       int // offset of pos in the generated file
}

// newProbe type-checks text in env. It never fails: on a hopeless text the
// probe knows only the environment.
func newProbe(text string, env *Env) *probe {
	pr := &probe{env: env, fset: token.NewFileSet()}
	pkgPath, pkgName := "gonn/cell", "main"
	if env.Program != nil {
		pkgPath, pkgName = env.Program.Path(), env.Program.Name()
	}
	pr.pkg = types.NewPackage(pkgPath, pkgName)
	pr.info = &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
	}

	l := lex(text)
	segs := l.segments()
	open, _ := l.brackets()
	var b strings.Builder
	b.WriteString("package " + pkgName + "\n")
	put := func(s segment, last bool) {
		pr.placed = append(pr.placed, placedSeg{pos: s.pos, end: s.end, at: b.Len()})
		b.WriteString(text[s.pos:s.end])
		if last {
			b.WriteString(closers(open))
		}
		b.WriteString("\n")
	}
	lastSeg := len(segs) - 1
	for pass := 0; pass < 2; pass++ { // imports first, then other declarations
		for i, s := range segs {
			if s.decl && s.imp == (pass == 0) {
				put(s, i == lastSeg)
			}
		}
	}
	b.WriteString("func " + bodyName + "() {\n")
	for i, s := range segs {
		if !s.decl {
			put(s, i == lastSeg)
		}
	}
	b.WriteString("}\n")
	src := b.String()
	pr.src = src

	f, _ := parser.ParseFile(pr.fset, "cell.go", src, parser.ParseComments|parser.AllErrors|parser.SkipObjectResolution)
	if f == nil {
		f = &ast.File{Name: ast.NewIdent(pkgName)}
	}
	pr.file = f
	pr.fset.Iterate(func(tf *token.File) bool { pr.tf = tf; return false })

	declared := topLevelNames(f)
	detachMethods(f, declared)
	pr.populate(declared)
	conf := types.Config{
		Importer:                 envImporter{env},
		Error:                    func(error) {},
		DisableUnusedImportCheck: true,
		FakeImportC:              true,
	}
	func() {
		defer func() { _ = recover() }() // go/types must not take the kernel down
		_ = types.NewChecker(&conf, pr.fset, pr.pkg, pr.info).Files([]*ast.File{f})
	}()
	return pr
}

// populate puts the user's earlier declarations (under the names the user
// wrote) and the imported packages in the probe's package scope, except
// those the cell declares again.
func (pr *probe) populate(declared map[string]bool) {
	scope := pr.pkg.Scope()
	for _, obj := range pr.env.programObjects() {
		if declared[obj.Name()] {
			continue
		}
		scope.Insert(obj)
	}
	names := make([]string, 0, len(pr.env.Imports))
	for name := range pr.env.Imports {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if declared[name] || scope.Lookup(name) != nil || pr.env.Imports[name] == nil {
			continue
		}
		scope.Insert(types.NewPkgName(token.NoPos, pr.pkg, name, pr.env.Imports[name]))
	}
	if pr.env.Program != nil {
		// packages earlier cells imported, under their own names, when
		// Imports does not say which names cells use for them
		for _, p := range pr.env.Program.Imports() {
			if !declared[p.Name()] && scope.Lookup(p.Name()) == nil && !internal(p.Name()) {
				scope.Insert(types.NewPkgName(token.NoPos, pr.pkg, p.Name(), p))
			}
		}
	}
}

// detachMethods turns the methods the cell declares on types of earlier
// cells into functions taking the receiver as first parameter: go/types
// refuses methods on types from another package (the earlier cells' is
// one, for it), and the receiver would lose its type.
func detachMethods(f *ast.File, declared map[string]bool) {
	n := 0
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 {
			continue
		}
		base := fd.Recv.List[0].Type
		for {
			switch t := base.(type) {
			case *ast.StarExpr:
				base = t.X
				continue
			case *ast.ParenExpr:
				base = t.X
				continue
			case *ast.IndexExpr:
				base = t.X
				continue
			case *ast.IndexListExpr:
				base = t.X
				continue
			}
			break
		}
		if id, ok := base.(*ast.Ident); !ok || declared[id.Name] {
			continue
		}
		params := []*ast.Field{fd.Recv.List[0]}
		if fd.Type.Params != nil {
			params = append(params, fd.Type.Params.List...)
		} else {
			fd.Type.Params = &ast.FieldList{}
		}
		fd.Type.Params.List = params
		fd.Recv = nil
		n++
		fd.Name = &ast.Ident{NamePos: fd.Name.NamePos, Name: fmt.Sprintf("__gonn_lang_method%d_%s", n, fd.Name.Name)}
	}
}

// topLevelNames returns the package-level names the file declares.
func topLevelNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names[n.Name] = true
					}
				}
			}
		}
	}
	return names
}

// pos returns the position in the generated file of byte offset off of the
// text, or NoPos when that part of the text was not placed.
func (pr *probe) pos(off int) token.Pos {
	if pr.tf == nil {
		return token.NoPos
	}
	for _, p := range pr.placed {
		if p.pos <= off && off <= p.end {
			return pr.tf.Pos(p.at + off - p.pos)
		}
	}
	return token.NoPos
}

// identAt returns the identifier that starts at pos and the path of nodes
// from the file down to it (the identifier last).
func (pr *probe) identAt(pos token.Pos) (*ast.Ident, []ast.Node) {
	var found *ast.Ident
	var path, stack []ast.Node
	ast.Inspect(pr.file, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if n.Pos() > pos || n.End() < pos {
			return false
		}
		stack = append(stack, n)
		if id, ok := n.(*ast.Ident); ok && id.Pos() == pos {
			found = id
			path = slices.Clone(stack)
		}
		return true
	})
	return found, path
}

// markerIdent finds the marker identifier and the path to it.
func (pr *probe) markerIdent() (*ast.Ident, []ast.Node) {
	var pos token.Pos
	ast.Inspect(pr.file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == marker {
			pos = id.Pos()
		}
		return pos == token.NoPos
	})
	if pos == token.NoPos {
		return nil, nil
	}
	return pr.identAt(pos)
}

// envImporter resolves a cell's imports from the environment.
type envImporter struct{ env *Env }

func (i envImporter) Import(path string) (*types.Package, error) {
	for _, p := range i.env.Imports {
		if p != nil && p.Path() == path {
			return p, nil
		}
	}
	if i.env.Importer != nil {
		p, err := i.env.Importer.Import(path)
		if err != nil {
			return nil, fmt.Errorf("lang: importing %q: %w", path, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("lang: package %q is not available", path)
}
