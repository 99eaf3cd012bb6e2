package lang

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// candidate is one completion before filtering.
type candidate struct {
	name, kind string
	rank       int // lower first: locals, user's, packages, builtins and keywords
}

const (
	rankLocal = iota
	rankUser
	rankPackage
	rankBuiltin
)

// complete implements Complete.
func complete(src string, cursor int, env *Env) (matches []string, start, end int, kinds []string) {
	cur := runeToByte(src, cursor)
	cursor = byteToRune(src, cur)
	text := maskMagics(src)[:cur]
	l := lex(text)
	if q, ok := l.importPath(cur); ok {
		var cands []candidate
		if env.ImportPaths != nil {
			for _, p := range env.ImportPaths() {
				cands = append(cands, candidate{p, "package", rankUser})
			}
		}
		matches, kinds = filter(cands, text[q:])
		return matches, byteToRune(src, q), cursor, kinds
	}
	if l.inLiteral(cur) || (cur > 0 && text[cur-1] != src[cur-1]) { // in a string, comment or magic
		return []string{}, cursor, cursor, []string{}
	}
	p0 := identBefore(text, cur)
	prefix := text[p0:]
	start, end = byteToRune(src, p0), cursor // src and text share byte offsets
	if r, _ := utf8.DecodeRuneInString(prefix); prefix != "" && unicode.IsDigit(r) {
		return []string{}, start, end, []string{}
	}
	if prefix == "" && p0 > 0 && strings.ContainsRune("\"'`)]}", rune(text[p0-1])) {
		return []string{}, start, end, []string{} // right after a literal or a closing bracket
	}

	pr := newProbe(text[:p0]+marker, env)
	var cands []candidate
	id, path := pr.markerIdent()
	switch {
	case id == nil:
		cands = pr.fallback(text[:p0])
	case len(path) >= 2 && isSel(path[len(path)-2], id):
		cands = pr.members(path[len(path)-2].(*ast.SelectorExpr).X)
	case pr.info.Defs[id] != nil || isFieldName(path, id):
		// a new name is being declared: nothing to propose
	default:
		cands = pr.literalFields(path, id)
		cands = append(cands, pr.scopeNames(id.Pos())...)
		cands = append(cands, keywords()...)
	}
	matches, kinds = filter(cands, prefix)
	return matches, start, end, kinds
}

func isSel(n ast.Node, id *ast.Ident) bool {
	sel, ok := n.(*ast.SelectorExpr)
	return ok && sel.Sel == id
}

// isFieldName reports whether id names a struct field or a parameter in a
// declaration (where completion would propose nonsense).
func isFieldName(path []ast.Node, id *ast.Ident) bool {
	if len(path) < 2 {
		return false
	}
	f, ok := path[len(path)-2].(*ast.Field)
	return ok && slices.Contains(f.Names, id)
}

// members returns the members of x: a package's exported names, or a
// value's (or type's) fields and methods.
func (pr *probe) members(x ast.Expr) []candidate {
	if id, ok := x.(*ast.Ident); ok {
		if pn, ok := pr.info.Uses[id].(*types.PkgName); ok {
			return packageMembers(pn.Imported())
		}
	}
	tv, ok := pr.info.Types[x]
	if !ok || tv.Type == nil || tv.Type == types.Typ[types.Invalid] {
		return nil
	}
	if tv.IsType() {
		return pr.methods(tv.Type, false)
	}
	return append(pr.fields(tv.Type), pr.methods(tv.Type, true)...)
}

// literalFields returns the fields of the struct whose composite literal
// holds id as a key or element.
func (pr *probe) literalFields(path []ast.Node, id *ast.Ident) []candidate {
	i := len(path) - 2
	if i >= 0 {
		if kv, ok := path[i].(*ast.KeyValueExpr); ok && kv.Key == id {
			i--
		}
	}
	if i < 0 {
		return nil
	}
	lit, ok := path[i].(*ast.CompositeLit)
	if !ok {
		return nil
	}
	T := pr.info.TypeOf(lit)
	if T == nil {
		return nil
	}
	if p, ok := T.Underlying().(*types.Pointer); ok { // &T{...} elided in []*T{{...}}
		T = p.Elem()
	}
	st, ok := T.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var cands []candidate
	for i := 0; i < st.NumFields(); i++ {
		if f := st.Field(i); pr.accessible(f) {
			cands = append(cands, candidate{f.Name(), "field", rankLocal})
		}
	}
	return cands
}

// packageMembers returns the exported names of p.
func packageMembers(p *types.Package) []candidate {
	var cands []candidate
	for _, name := range p.Scope().Names() {
		obj := p.Scope().Lookup(name)
		if obj.Exported() {
			cands = append(cands, candidate{name, objKind(obj), rankUser})
		}
	}
	return cands
}

// accessible reports whether the probe's package may use obj.
func (pr *probe) accessible(obj types.Object) bool {
	return obj.Exported() || (obj.Pkg() != nil && obj.Pkg().Path() == pr.pkg.Path())
}

// fields returns the fields of T's struct, promoted ones included, that a
// selector reaches.
func (pr *probe) fields(T types.Type) []candidate {
	var names []string
	seen := map[string]bool{}
	visited := map[types.Type]bool{}
	var walk func(t types.Type, depth int)
	walk = func(t types.Type, depth int) {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		if visited[t] || depth > 8 {
			return
		}
		visited[t] = true
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return
		}
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			if !seen[f.Name()] && pr.accessible(f) {
				seen[f.Name()] = true
				names = append(names, f.Name())
			}
			if f.Embedded() {
				walk(f.Type(), depth+1)
			}
		}
	}
	walk(T, 0)
	var cands []candidate
	for _, name := range names {
		obj, _, _ := types.LookupFieldOrMethod(T, true, pr.pkg, name)
		if v, ok := obj.(*types.Var); ok && v.IsField() {
			cands = append(cands, candidate{name, "field", rankLocal})
		}
	}
	return cands
}

// methods returns the methods of T; for a value (not a method expression)
// pointer-receiver methods of an addressable T are included.
func (pr *probe) methods(T types.Type, value bool) []candidate {
	mt := T
	if _, isPtr := T.Underlying().(*types.Pointer); value && !isPtr && !types.IsInterface(T) {
		if _, named := T.(*types.Named); named {
			mt = types.NewPointer(T)
		}
	}
	ms := types.NewMethodSet(mt)
	var cands []candidate
	for i := 0; i < ms.Len(); i++ {
		m := ms.At(i).Obj()
		if pr.accessible(m) {
			cands = append(cands, candidate{m.Name(), "method", rankLocal})
		}
	}
	return cands
}

// scopeNames returns the names visible at pos.
func (pr *probe) scopeNames(pos token.Pos) []candidate {
	inner := pr.pkg.Scope().Innermost(pos)
	if inner == nil {
		inner = pr.pkg.Scope()
	}
	var cands []candidate
	seen := map[string]bool{}
	for s := inner; s != nil; s = s.Parent() {
		rank := rankLocal
		switch s {
		case types.Universe:
			rank = rankBuiltin
		case pr.pkg.Scope():
			rank = rankUser
		}
		for _, name := range s.Names() {
			if seen[name] || internal(name) {
				continue
			}
			if _, obj := inner.LookupParent(name, pos); obj == nil {
				continue // declared after pos
			}
			seen[name] = true
			obj := s.Lookup(name)
			r := rank
			if _, ok := obj.(*types.PkgName); ok {
				r = rankPackage
			}
			cands = append(cands, candidate{name, objKind(obj), r})
		}
	}
	return cands
}

// fallback proposes names when the text before the word did not parse
// around it: package members after "pkg.", otherwise package-level names.
func (pr *probe) fallback(before string) []candidate {
	t := strings.TrimRight(before, " \t")
	if strings.HasSuffix(t, ".") {
		x := t[identBefore(t, len(t)-1) : len(t)-1]
		if pn, ok := pr.pkg.Scope().Lookup(x).(*types.PkgName); ok {
			return packageMembers(pn.Imported())
		}
		return nil
	}
	return append(pr.scopeNames(token.NoPos), keywords()...)
}

// objKind names the kind of obj as Jupyter front ends show it.
func objKind(obj types.Object) string {
	switch o := obj.(type) {
	case *types.Func:
		if sig, ok := o.Type().(*types.Signature); ok && sig.Recv() != nil {
			return "method"
		}
		return "function"
	case *types.Builtin:
		return "function"
	case *types.Var:
		if o.IsField() {
			return "field"
		}
		return "variable"
	case *types.TypeName:
		return "type"
	case *types.Const, *types.Nil:
		return "constant"
	case *types.PkgName:
		return "package"
	}
	return "variable"
}

// keywords returns Go's keywords as candidates.
func keywords() []candidate {
	kws := []string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
		"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map",
		"package", "range", "return", "select", "struct", "switch", "type", "var"}
	cands := make([]candidate, len(kws))
	for i, k := range kws {
		cands[i] = candidate{k, "keyword", rankBuiltin}
	}
	return cands
}

// filter keeps the candidates that start with prefix (case-sensitive
// matches first, then case-insensitive ones) and sorts them: by match, by
// rank, then alphabetically.
func filter(cands []candidate, prefix string) (matches, kinds []string) {
	type scored struct {
		candidate
		fold bool
	}
	lower := strings.ToLower(prefix)
	var keep []scored
	seen := map[string]bool{}
	for _, c := range cands {
		if seen[c.name] {
			continue
		}
		switch {
		case strings.HasPrefix(c.name, prefix):
			keep = append(keep, scored{c, false})
		case strings.HasPrefix(strings.ToLower(c.name), lower):
			keep = append(keep, scored{c, true})
		default:
			continue
		}
		seen[c.name] = true
	}
	slices.SortFunc(keep, func(a, b scored) int {
		if a.fold != b.fold {
			if a.fold {
				return 1
			}
			return -1
		}
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if c := strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	matches = make([]string, len(keep))
	kinds = make([]string, len(keep))
	for i, k := range keep {
		matches[i], kinds[i] = k.name, k.kind
	}
	return matches, kinds
}
