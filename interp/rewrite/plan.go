package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// unitKind is the kind of a package-level declaration.
type unitKind int

const (
	uFunc unitKind = iota
	uMethod
	uType
	uConst
)

// unit is one package-level declaration of the program: a func, a method,
// one type spec, or one const declaration (all its names, as iota ties
// them). Its AST stays in the file it was parsed from.
type unit struct {
	kind  unitKind
	names []string // declared names; a method's is "T.M"
	recv  string   // a method's receiver base type
	node  ast.Node // *ast.FuncDecl, *ast.TypeSpec, or *ast.GenDecl (const)
	decl  ast.Decl // node as a declaration, for type-checking
	src   *source
	key   string          // source text: an identical redefinition changes nothing
	deps  map[string]bool // package-level names it uses (types, funcs, vars, consts)
}

// rewriter plans one cell.
type rewriter struct {
	p     *Program
	label string
	cell  string
	seq   int
	next  *state
	fn    string // the cell function's name

	src   *source
	file  *ast.File
	body  *ast.FuncDecl
	final ast.Expr // the cell's final expression statement, if any

	cellUnits []*unit
	hoist     []*ast.Ident // top-level variables the statements declare
	hoistSet  map[string]bool

	pkg      *types.Package
	info     *types.Info
	warnings []string

	// restored are pre-import names the cell imports again after a
	// declaration shadowed them; preChanged tells that the cell shadows or
	// restores a pre-import (the whole program is checked).
	restored   map[string]bool
	shadowed   map[string]bool
	preChanged bool

	extra map[string]string // the cell's variables as checked (see check)
}

func (r *rewriter) run() (*Plan, error) {
	p := r.p
	r.fn = fmt.Sprintf("%scell%d", reserved+"_", r.seq)
	file, src, _, err := parseCell(p.fset, r.label, r.cell, r.fn)
	if err != nil {
		return nil, err
	}
	r.file, r.src = file, src
	if err := r.collect(); err != nil {
		return nil, err
	}
	if len(r.cellUnits) == 0 && p.scratch != nil && p.fastCells < maxFastCells && !r.preChanged && !r.hoistCollides() {
		ok, err := r.fastCheck()
		if err != nil {
			return nil, err
		}
		if ok {
			p.fastCells++
			return r.emit(map[string]bool{})
		}
	}
	changed := r.replace()

	// Type-check. Statements are checked inside the cell function, where
	// := declares locals; when the cell's declarations use those variables,
	// or a variable changes type, check again with them declared at
	// package level. Earlier declarations that no longer compile are
	// dropped with a warning (the interpreter keeps their old version), and
	// the check runs again without them.
	var extra map[string]string
	for round := 0; ; round++ {
		pkg, info, errs := r.check(extra)
		if extra == nil && len(r.hoist) > 0 {
			extra = map[string]string{}
			typeChanged := false
			for _, id := range r.hoist {
				if v, ok := info.Defs[id].(*types.Var); ok && v.Type() != types.Typ[types.Invalid] {
					if u, _, ok := r.typeStrings(v.Type(), pkg); ok {
						extra[id.Name] = u
						if old, ok := r.next.hoisted[id.Name]; ok && (old.user != u || old.old != nil) {
							typeChanged = true
						}
					}
				}
			}
			if typeChanged || r.declsUseHoisted() {
				pkg, info, errs = r.check(extra)
			}
		}
		if len(errs) == 0 {
			r.pkg, r.info, r.extra = pkg, info, extra
			break
		}
		if errs[0].File == "" || round > 20 || !r.dropBroken(errs, changed) {
			return nil, r.shadowHint(r.staleHint(errs[0]))
		}
	}
	for _, u := range r.cellUnits {
		u.deps = r.depsOf(u)
	}
	return r.emit(changed)
}

// collect sorts the cell's declarations into units and imports into the
// next state, and finds the final expression and the hoisted variables.
func (r *rewriter) collect() error {
	bad := ""
	var badPos token.Pos
	ast.Inspect(r.file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && badPos == token.NoPos && strings.Contains(id.Name, reserved) && id.Name != r.fn {
			bad, badPos = id.Name, id.Pos()
		}
		return badPos == token.NoPos
	})
	if badPos != token.NoPos {
		return r.errorAt(badPos, fmt.Sprintf("%s: names containing %q are reserved", bad, reserved))
	}
	for _, d := range r.file.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == r.fn {
				r.body = d
				continue
			}
			u := &unit{kind: uFunc, names: []string{d.Name.Name}, node: d, decl: d, src: r.src}
			if d.Recv != nil && len(d.Recv.List) == 1 {
				u.kind, u.recv = uMethod, recvName(d.Recv.List[0].Type)
				u.names = []string{u.recv + "." + d.Name.Name}
			}
			u.key = r.text(d.Pos(), d.End())
			r.cellUnits = append(r.cellUnits, u)
		case *ast.GenDecl:
			switch d.Tok {
			case token.IMPORT:
				for _, s := range d.Specs {
					if err := r.importSpec(s.(*ast.ImportSpec)); err != nil {
						return err
					}
				}
			case token.TYPE:
				for _, s := range d.Specs {
					ts := s.(*ast.TypeSpec)
					r.cellUnits = append(r.cellUnits, &unit{
						kind: uType, names: []string{ts.Name.Name}, node: ts, src: r.src,
						decl: &ast.GenDecl{Tok: token.TYPE, TokPos: d.TokPos, Specs: []ast.Spec{ts}},
						key:  r.text(ts.Pos(), ts.End()),
					})
				}
			case token.CONST:
				u := &unit{kind: uConst, node: d, decl: d, src: r.src, key: r.text(d.Pos(), d.End())}
				for _, s := range d.Specs {
					for _, n := range s.(*ast.ValueSpec).Names {
						if n.Name != "_" {
							u.names = append(u.names, n.Name)
						}
					}
				}
				r.cellUnits = append(r.cellUnits, u)
			}
		}
	}
	for _, u := range r.cellUnits {
		if u.kind == uMethod {
			continue
		}
		for _, n := range u.names {
			if !r.p.isPre(r.next, n) && !r.restored[n] {
				continue // an explicit import's name: go/types reports it
			}
			if err := r.shadow(n, u.node.Pos()); err != nil {
				return err
			}
		}
	}
	r.hoistSet = map[string]bool{}
	list := r.body.Body.List
	for _, s := range list {
		var ids []*ast.Ident
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, e := range s.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						ids = append(ids, id)
					}
				}
			}
		case *ast.DeclStmt:
			if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
				for _, sp := range g.Specs {
					ids = append(ids, sp.(*ast.ValueSpec).Names...)
				}
			}
		}
		for _, id := range ids {
			if err := r.shadow(id.Name, id.Pos()); err != nil {
				return err
			}
			if id.Name != "_" && !r.hoistSet[id.Name] {
				r.hoistSet[id.Name] = true
				r.hoist = append(r.hoist, id)
			}
		}
	}
	if n := len(list); n > 0 {
		if es, ok := list[n-1].(*ast.ExprStmt); ok {
			r.final = es.X
		}
	}
	return nil
}

// shadow handles a top-level declaration of name by the cell: a
// pre-imported package of that name is shadowed by it from now on. The
// name of a package the cell imports, or of one a cell imported
// explicitly, cannot be declared.
func (r *rewriter) shadow(name string, pos token.Pos) error {
	if _, ok := r.next.imports[name]; !ok {
		return nil
	}
	if r.p.isPre(r.next, name) && !r.restored[name] {
		delete(r.next.imports, name)
		if r.shadowed == nil {
			r.shadowed = map[string]bool{}
		}
		r.shadowed[name] = true
		r.preChanged = true
		return nil
	}
	return r.errorAt(pos, name+" is the name of an imported package; choose another name")
}

// maxFastCells bounds how many cell functions accumulate in the scratch
// package before a full check makes a fresh one.
const maxFastCells = 1000

// hoistCollides tells whether the cell's statements declare a variable
// named like a current declaration (which the variable replaces).
func (r *rewriter) hoistCollides() bool {
	for _, id := range r.hoist {
		if r.next.find(id.Name) != nil {
			return true
		}
	}
	return false
}

// fastCheck type-checks a cell without declarations as one more file of the
// scratch package, instead of checking the whole program again. It reports
// false when a hoisted variable changes type (its dependents must be
// checked against the new type), or a name the cell hoists exists in the
// scratch package as something else.
func (r *rewriter) fastCheck() (bool, error) {
	pkg := r.p.scratch
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	var errs []*Error
	conf := r.config(&errs)
	f := &ast.File{Name: ast.NewIdent("main"), Decls: []ast.Decl{r.importDeclOf(identNames(r.body)), r.body}}
	_ = types.NewChecker(conf, r.p.fset, pkg, info).Files([]*ast.File{f})
	if len(errs) > 0 {
		sortErrors(errs)
		return false, r.staleHint(errs[0])
	}
	for _, id := range r.hoist {
		v, ok := info.Defs[id].(*types.Var)
		if !ok {
			continue
		}
		old, existed := r.next.hoisted[id.Name]
		if !existed {
			if _, isVar := pkg.Scope().Lookup(id.Name).(*types.Var); pkg.Scope().Lookup(id.Name) != nil && !isVar {
				return false, nil
			}
			continue
		}
		// The same type, in the same version: else the variable is
		// declared again and its dependents are checked and emitted again.
		if u, in, ok := r.typeStrings(v.Type(), pkg); !ok || u != old.user || in != old.internal {
			return false, nil
		}
	}
	r.pkg, r.info = pkg, info
	return true, nil
}

// recvName returns the base type name of a receiver type expression.
func recvName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// importSpec records an import of the cell.
func (r *rewriter) importSpec(s *ast.ImportSpec) error {
	path, err := strconv.Unquote(s.Path.Value)
	if err != nil {
		return r.errorAt(s.Path.Pos(), "invalid import path "+s.Path.Value)
	}
	pkg, err := r.p.imp.Import(path)
	if err != nil {
		return r.errorAt(s.Path.Pos(), fmt.Sprintf("could not import %s (not available in the interpreter)", path))
	}
	name := pkg.Name()
	if s.Name != nil {
		name = s.Name.Name
	}
	switch name {
	case ".":
		return r.errorAt(s.Pos(), "dot imports are not supported in cells")
	case "_":
		return nil
	}
	if r.p.pre[name] == path {
		// A pre-import: importing it again brings it back when a
		// declaration shadows it (the declaration is dropped).
		if _, ok := r.next.imports[name]; !ok {
			r.next.imports[name] = path
			if r.restored == nil {
				r.restored = map[string]bool{}
			}
			r.restored[name] = true
			r.preChanged = true
		}
		return nil
	}
	if old, ok := r.next.imports[name]; ok && old != path {
		return r.errorAt(s.Pos(), fmt.Sprintf("%s already names the import of %q; use another name", name, old))
	}
	r.next.imports[name] = path
	return nil
}

// replace puts the cell's declarations into the next state in place of the
// ones they redefine, and returns the names whose meaning changes.
// Identical redefinitions are dropped: the current declaration stays.
func (r *rewriter) replace() map[string]bool {
	changed := map[string]bool{}
	next := r.next
	drop := func(name string) {
		keep := next.units[:0]
		for _, u := range next.units {
			if !u.declares(name) {
				keep = append(keep, u)
				continue
			}
			for _, n := range u.names {
				changed[n] = true
			}
			if u.kind == uMethod {
				changed[u.recv] = true
			}
		}
		next.units = keep
		if _, ok := next.hoisted[name]; ok {
			delete(next.hoisted, name)
			changed[name] = true
		}
	}
	for name := range r.restored {
		drop(name)
	}
	var added []*unit
	for _, u := range r.cellUnits {
		if old := next.find(u.names[0]); old != nil && old.kind == u.kind && old.key == u.key && slices.Equal(old.names, u.names) {
			continue
		}
		for _, n := range u.names {
			drop(n)
			changed[n] = true
		}
		if u.kind == uMethod {
			changed[u.recv] = true
		}
		added = append(added, u)
	}
	// A type that is gone (not redefined as a type) takes its methods.
	for n := range changed {
		if u := next.find(n); u == nil && !r.declaresType(n) {
			for _, m := range next.units {
				if m.kind == uMethod && m.recv == n {
					drop(m.names[0])
				}
			}
		}
	}
	for _, id := range r.hoist {
		for _, u := range next.units {
			if u.declares(id.Name) {
				drop(id.Name)
				break
			}
		}
	}
	next.units = append(next.units, added...)
	r.cellUnits = added
	return changed
}

func (r *rewriter) declaresType(name string) bool {
	for _, u := range r.cellUnits {
		if u.kind == uType && u.names[0] == name {
			return true
		}
	}
	return false
}

func (u *unit) declares(name string) bool {
	for _, n := range u.names {
		if n == name {
			return true
		}
	}
	return false
}

func (s *state) find(name string) *unit {
	for _, u := range s.units {
		if u.declares(name) {
			return u
		}
	}
	return nil
}

// declsUseHoisted tells whether a declaration of the cell mentions a name
// that the cell's statements declare.
func (r *rewriter) declsUseHoisted() bool {
	if len(r.hoist) == 0 {
		return false
	}
	found := false
	for _, d := range r.file.Decls {
		if d == r.body {
			continue
		}
		ast.Inspect(d, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && r.hoistSet[id.Name] {
				found = true
			}
			return !found
		})
	}
	return found
}

// check type-checks the next state's declarations, its hoisted variables
// (with extra ones, name -> type as the user writes it, in place of those
// of the same names), and the cell function.
func (r *rewriter) check(extra map[string]string) (*types.Package, *types.Info, []*Error) {
	next := r.next
	importDecl := r.importDecl
	var files []*ast.File
	bySrc := map[*source]*ast.File{}
	for _, u := range next.units {
		f := bySrc[u.src]
		if f == nil {
			f = &ast.File{Name: ast.NewIdent("main"), Decls: []ast.Decl{importDecl()}}
			bySrc[u.src] = f
			files = append(files, f)
		}
		f.Decls = append(f.Decls, u.decl)
	}
	if r.body != nil {
		f := bySrc[r.src]
		if f == nil {
			f = &ast.File{Name: ast.NewIdent("main"), Decls: []ast.Decl{importDecl()}}
			files = append(files, f)
		}
		f.Decls = append(f.Decls, r.body)
	}
	var vars strings.Builder
	names := make([]string, 0, len(next.hoisted)+len(extra))
	var stale []string
	for n, h := range next.hoisted {
		if _, ok := extra[n]; ok {
			continue
		}
		if h.old != nil {
			stale = append(stale, n)
			continue
		}
		names = append(names, n)
	}
	sort.Strings(stale)
	for n := range extra {
		names = append(names, n)
	}
	sort.Strings(names)
	vars.WriteString("package main\n")
	for _, n := range names {
		t, ok := extra[n]
		if !ok {
			t = next.hoisted[n].user
		}
		fmt.Fprintf(&vars, "//line variable %s:1:1\nvar %s %s\n", n, n, t)
	}
	if len(names) > 0 {
		vf, err := r.p.hoistedFile(vars.String())
		if err != nil {
			return nil, nil, []*Error{{Line: 1, Col: 1, Msg: "hoisted variables: " + err.Error()}}
		}
		f := &ast.File{Name: vf.Name, Decls: append([]ast.Decl{importDecl()}, vf.Decls...)}
		files = append(files, f)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Defs:  map[*ast.Ident]types.Object{},
		Uses:  map[*ast.Ident]types.Object{},
	}
	var errs []*Error
	conf := r.config(&errs)
	// Variables of earlier versions of types are declared with those
	// types, which no source can name (go/types takes a typed object in
	// the package scope as declared).
	pkg := types.NewPackage("main", "main")
	for _, n := range stale {
		pkg.Scope().Insert(types.NewVar(token.NoPos, pkg, n, next.hoisted[n].old))
	}
	_ = types.NewChecker(conf, r.p.fset, pkg, info).Files(files)
	sortErrors(errs)
	return pkg, info, errs
}

// identNames returns the names of the identifiers in node.
func identNames(node ast.Node) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(node, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			names[id.Name] = true
		}
		return true
	})
	return names
}

// mentions tells whether an identifier in node is name.
func mentions(node ast.Node, name string) bool {
	found := false
	ast.Inspect(node, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// shadowHint explains an undefined pre-import name in a cell that declares
// it: the declaration hides the package in the whole cell.
func (r *rewriter) shadowHint(e *Error) *Error {
	name, ok := strings.CutPrefix(e.Msg, "undefined: ")
	if e.File != "" || !ok || !r.shadowed[name] {
		return e
	}
	return &Error{Line: e.Line, Col: e.Col, pos: e.pos,
		Msg: fmt.Sprintf("%s: the cell declares %s, which hides the pre-imported package %s in all of the cell; use another name, or the package in another cell", e.Msg, name, name)}
}

// oldQualifier is how go/types qualifies the types of an earlier check of
// the program (another package named main) in its messages.
var oldQualifier = regexp.MustCompile(`\bmain\.`)

// staleHint adds to an error in the cell that names a variable holding a
// value of an earlier version of a type what the user can do about it.
// go/types qualifies that version with the package name: it is dropped.
func (r *rewriter) staleHint(e *Error) *Error {
	if e.File != "" {
		return e
	}
	var names, used []string
	for n, h := range r.next.hoisted {
		if h.old == nil {
			continue
		}
		if containsIdent(e.Msg, n) {
			names = append(names, n)
		} else if r.body != nil && oldQualifier.MatchString(e.Msg) && mentions(r.body, n) {
			used = append(used, n)
		}
	}
	if len(names) == 0 {
		names = used // the message names the old type only
	}
	if len(names) == 0 {
		return e
	}
	sort.Strings(names)
	h := r.next.hoisted[names[0]]
	msg := oldQualifier.ReplaceAllString(e.Msg, "")
	return &Error{Line: e.Line, Col: e.Col, File: e.File, pos: e.pos,
		Msg: fmt.Sprintf("%s: %s holds a value of an earlier definition of %s; re-run the cell that made it", msg, names[0], h.staleOf)}
}

// dropBroken removes from the next state the earlier declarations and
// variables that errs are in, with a warning for each; it reports whether
// it removed any.
func (r *rewriter) dropBroken(errs []*Error, changed map[string]bool) bool {
	dropped := false
	for _, e := range errs {
		if e.pos == token.NoPos {
			continue
		}
		if name, ok := strings.CutPrefix(e.File, "variable "); ok {
			if _, ok := r.next.hoisted[name]; ok {
				delete(r.next.hoisted, name)
				changed[name], dropped = true, true
				r.warnings = append(r.warnings, fmt.Sprintf("variable %s is no longer usable: %s", name, e.Msg))
			}
			continue
		}
		f := r.p.fset.File(e.pos)
		keep := r.next.units[:0]
		for _, u := range r.next.units {
			if u.src.file == f && u.node.Pos() <= e.pos && e.pos < u.node.End() {
				for _, n := range u.names {
					changed[n] = true
				}
				dropped = true
				r.warnings = append(r.warnings, fmt.Sprintf("%s (%s:%d) no longer compiles and is removed: %s",
					strings.Join(u.names, ", "), e.File, e.Line, oldQualifier.ReplaceAllString(e.Msg, "")))
				continue
			}
			keep = append(keep, u)
		}
		r.next.units = keep
	}
	return dropped
}

// importDecl declares the imports cells see, for one file, with the
// internal names (pre-imports' aliases, packages imported for hoisted
// variables' types) the program's declarations and variables use.
func (r *rewriter) importDecl() ast.Decl { return r.importDeclOf(nil) }

// importDeclOf is importDecl for a cell's own statements when only is not
// nil: only the imports whose names are in it (the statements never use
// the internal names).
func (r *rewriter) importDeclOf(only map[string]bool) ast.Decl {
	internal := only == nil
	type imp struct{ name, path string }
	imps := make([]imp, 0, len(r.next.imports)+len(r.p.pre))
	for n, path := range r.next.imports {
		if internal || only[n] {
			imps = append(imps, imp{n, path})
		}
	}
	if internal {
		for n, path := range r.p.pre {
			imps = append(imps, imp{preAlias(n), path})
		}
	}
	sort.Slice(imps, func(i, j int) bool { return imps[i].name < imps[j].name })
	g := &ast.GenDecl{Tok: token.IMPORT, Specs: make([]ast.Spec, 0, len(imps))}
	for _, m := range imps {
		g.Specs = append(g.Specs, &ast.ImportSpec{
			Name: ast.NewIdent(m.name),
			Path: &ast.BasicLit{Kind: token.STRING, Value: quote(m.path)},
		})
	}
	return g
}

// config returns the type checker's configuration, which collects errors
// in errs, leaving out unused variables and imports and the unused value of
// the cell's final expression (it is the cell's result).
func (r *rewriter) config(errs *[]*Error) *types.Config {
	return &types.Config{
		Importer: r.p.imp,
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok {
				*errs = append(*errs, &Error{Line: 1, Col: 1, Msg: err.Error()})
				return
			}
			if strings.Contains(te.Msg, "declared and not used") || strings.Contains(te.Msg, "imported") && strings.HasSuffix(te.Msg, "not used") {
				return
			}
			if r.final != nil && te.Pos == r.final.Pos() && strings.HasSuffix(te.Msg, "is not used") {
				return
			}
			*errs = append(*errs, r.typeError(te))
		},
	}
}

// sortErrors puts the cell's own errors first, in position order.
func sortErrors(errs []*Error) {
	sort.SliceStable(errs, func(i, j int) bool {
		a, b := errs[i], errs[j]
		if (a.File == "") != (b.File == "") {
			return a.File == ""
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// hoistedFile parses the declarations of the hoisted variables, reusing the
// last parse when they have not changed.
func (p *Program) hoistedFile(text string) (*ast.File, error) {
	if p.hoistCache != nil && p.hoistText == text {
		return p.hoistCache, nil
	}
	f, err := parser.ParseFile(p.fset, "variables", text, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	p.hoistText, p.hoistCache = text, f
	return f, nil
}

// typeError converts a type-checking error to an *Error in the cell, or in
// the earlier cell whose declaration it is in.
func (r *rewriter) typeError(te types.Error) *Error {
	f := r.p.fset.File(te.Pos)
	if f == nil {
		return &Error{Line: 1, Col: 1, Msg: te.Msg}
	}
	pos := f.PositionFor(te.Pos, true)
	if r.src != nil && f == r.src.file {
		return &Error{Line: pos.Line, Col: pos.Column, Msg: te.Msg}
	}
	return &Error{File: pos.Filename, Line: pos.Line, Col: pos.Column, Msg: te.Msg, pos: te.Pos}
}

// errorAt returns an *Error at pos of the cell.
func (r *rewriter) errorAt(pos token.Pos, msg string) *Error {
	p := r.p.fset.PositionFor(pos, true)
	return &Error{Line: p.Line, Col: p.Column, Msg: msg}
}

// text returns the generated source between two positions of the cell.
func (r *rewriter) text(from, to token.Pos) string {
	return r.src.text[r.src.off(from):r.src.off(to)]
}

// depsOf returns the package-level names that u uses.
func (r *rewriter) depsOf(u *unit) map[string]bool {
	deps := map[string]bool{}
	scope := r.pkg.Scope()
	ast.Inspect(u.node, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		obj := r.info.Uses[id]
		if obj == nil || obj.Pkg() != r.pkg {
			return true
		}
		if obj.Parent() == scope {
			deps[obj.Name()] = true
		} else if fn, ok := obj.(*types.Func); ok {
			// A method: depend on its receiver's type.
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
				t := sig.Recv().Type()
				if pt, ok := t.(*types.Pointer); ok {
					t = pt.Elem()
				}
				if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Parent() == scope {
					deps[named.Obj().Name()] = true
				}
			}
		}
		return true
	})
	for _, n := range u.names {
		delete(deps, n)
	}
	if u.kind == uMethod {
		delete(deps, u.recv)
	}
	return deps
}
