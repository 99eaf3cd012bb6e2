package lang

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/scanner"
	"go/token"
	"go/types"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gonnlab/gonn/interp/lang/internal/docindex"
)

// Value display limits, in runes, for detail 0 and 1.
const (
	valueLimit       = 400
	valueLimitDetail = 4000
	methodLimit      = 30 // methods listed for a type at detail 0
)

// inspect implements Inspect and InspectMarkdown.
func inspect(src string, cursor, detail int, env *Env) answer {
	cur := runeToByte(src, cursor)
	src = maskMagics(src) // same byte offsets
	l := lex(src)
	if l.inLiteral(cur) {
		return nil
	}
	s, e := identBefore(src, cur), identAfter(src, cur)
	if s == e {
		s, e = l.callee(cur)
	}
	if s == e {
		return nil
	}
	if r, _ := utf8.DecodeRuneInString(src[s:]); unicode.IsDigit(r) {
		return nil
	}
	pr := newProbe(src, env)
	var obj types.Object
	var sel *types.Selection
	if id, path := pr.identAt(pr.pos(s)); id != nil {
		obj, sel = pr.resolve(id, path)
	}
	if obj == nil {
		obj = pr.lookupText(src[:s], src[s:e])
	}
	if obj == nil {
		return nil
	}
	return pr.describe(obj, sel, detail)
}

// callee returns the byte range of the name of the function whose call's
// parentheses hold off ("f" in "f(a, |"), or an empty range.
func (l *lexed) callee(off int) (start, end int) {
	type paren struct{ fn int } // index of the name token before "(", or -1
	var stack []paren
	prev := -1
	for i, t := range l.toks {
		if t.pos >= off {
			break
		}
		switch t.tok {
		case token.COMMENT:
			continue
		case token.LPAREN, token.LBRACK, token.LBRACE:
			fn := -1
			if t.tok == token.LPAREN && prev >= 0 && l.toks[prev].tok == token.IDENT {
				fn = prev
			}
			stack = append(stack, paren{fn})
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
		prev = i
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if fn := stack[i].fn; fn >= 0 {
			return l.toks[fn].pos, l.toks[fn].end
		}
	}
	return off, off
}

// resolve returns the object id denotes and, for a field or method
// selector, the selection.
func (pr *probe) resolve(id *ast.Ident, path []ast.Node) (types.Object, *types.Selection) {
	if len(path) >= 2 {
		if se, ok := path[len(path)-2].(*ast.SelectorExpr); ok && se.Sel == id {
			if sel := pr.info.Selections[se]; sel != nil {
				return sel.Obj(), sel
			}
		}
	}
	if obj := pr.info.Uses[id]; obj != nil {
		return obj, nil
	}
	if obj := pr.info.Defs[id]; obj != nil {
		return obj, nil
	}
	return nil, nil
}

// lookupText finds name when the cell did not type around it: a member of
// a package ("pkg.name"), a package-level name or a builtin.
func (pr *probe) lookupText(before, name string) types.Object {
	t := strings.TrimRight(before, " \t")
	if strings.HasSuffix(t, ".") {
		x := t[identBefore(t, len(t)-1) : len(t)-1]
		if pn, ok := pr.pkg.Scope().Lookup(x).(*types.PkgName); ok {
			return pn.Imported().Scope().Lookup(name)
		}
		return nil
	}
	if obj := pr.pkg.Scope().Lookup(name); obj != nil {
		return obj
	}
	return types.Universe.Lookup(name)
}

// qualifier names packages by name, the user's own package not at all.
func (pr *probe) qualifier(p *types.Package) string {
	if p == nil || p.Path() == pr.pkg.Path() {
		return ""
	}
	return p.Name()
}

// userize rewrites the identifiers in a printed declaration or type that
// are internal names into the user's names.
func (pr *probe) userize(s string) string {
	if pr.env.UserName == nil {
		return s
	}
	var b strings.Builder
	var sc scanner.Scanner
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(s))
	sc.Init(f, []byte(s), func(token.Position, string) {}, scanner.ScanComments)
	last, prevTok := 0, token.ILLEGAL
	for {
		p, t, lit := sc.Scan()
		if t == token.EOF {
			break
		}
		if t == token.IDENT && prevTok != token.PERIOD {
			off := f.Offset(p)
			if u := pr.env.userName(lit); u != lit {
				b.WriteString(s[last:off])
				b.WriteString(u)
				last = off + len(lit)
			}
		}
		if !(t == token.SEMICOLON && lit == "\n") {
			prevTok = t
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// describe returns what is shown for obj.
func (pr *probe) describe(obj types.Object, sel *types.Selection, detail int) answer {
	if tn, ok := obj.(*types.TypeName); ok && tn.IsAlias() {
		// a versioned type under the user's name: show the type itself
		if n, ok := types.Unalias(tn.Type()).(*types.Named); ok && pr.env.userName(n.Obj().Name()) == tn.Name() {
			obj = n.Obj()
		}
	}
	switch o := obj.(type) {
	case *types.PkgName:
		return pr.describePackage(o.Imported(), detail)
	case *types.Builtin, *types.Nil:
		return pr.describeDoc(obj, nil, "builtin", obj.Name(), detail)
	}
	if obj.Pkg() == nil { // universe types and constants
		return pr.describeDoc(obj, nil, "builtin", obj.Name(), detail)
	}
	if obj.Pkg().Path() == pr.pkg.Path() {
		return pr.describeUser(obj, sel, detail)
	}
	return pr.describeDoc(obj, sel, obj.Pkg().Path(), docKey(obj, sel), detail)
}

// docKey returns the docindex key of a package member, method or field.
func docKey(obj types.Object, sel *types.Selection) string {
	switch o := obj.(type) {
	case *types.Func:
		if sig, ok := o.Type().(*types.Signature); ok && sig.Recv() != nil {
			if n := namedOf(sig.Recv().Type()); n != nil {
				return n.Obj().Name() + "." + o.Name()
			}
			if sel != nil {
				if n := namedOf(sel.Recv()); n != nil {
					return n.Obj().Name() + "." + o.Name()
				}
			}
		}
	case *types.Var:
		if o.IsField() && sel != nil {
			if n := fieldOwner(sel); n != nil {
				return n.Obj().Name() + "." + o.Name()
			}
		}
	}
	return obj.Name()
}

// namedOf returns the named type of t or *t.
func namedOf(t types.Type) *types.Named {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}

// fieldOwner returns the named struct type that declares the selected
// field, following embedded fields.
func fieldOwner(sel *types.Selection) *types.Named {
	t := sel.Recv()
	idx := sel.Index()
	for i, k := range idx {
		n := namedOf(t)
		st, ok := derefUnder(t).(*types.Struct)
		if !ok || k >= st.NumFields() {
			return nil
		}
		if i == len(idx)-1 {
			return n
		}
		t = st.Field(k).Type()
	}
	return nil
}

func derefUnder(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem().Underlying()
	}
	return t.Underlying()
}

// describePackage shows a package's clause and its doc (the first
// paragraph at detail 0).
func (pr *probe) describePackage(p *types.Package, detail int) answer {
	a := answer{{partCode, fmt.Sprintf("package %s // import %q", p.Name(), p.Path())}}
	if d := pr.env.docs(p.Path()); d != nil && d.Doc != "" {
		body := d.Doc
		if detail == 0 {
			body = firstParagraph(body)
		}
		a = append(a, part{partDoc, body})
	}
	return a.in(p.Path())
}

func firstParagraph(s string) string {
	s = strings.TrimLeft(s, "\n")
	if i := strings.Index(s, "\n\n"); i >= 0 {
		return s[:i+1]
	}
	return s
}

// describeDoc shows a member of another package (or a builtin): its
// declaration and doc comment from the sources when known, its go/types
// signature otherwise. At detail 1 a type's methods and constructors
// follow.
func (pr *probe) describeDoc(obj types.Object, sel *types.Selection, path, key string, detail int) answer {
	sig := types.ObjectString(obj, pr.qualifier)
	if _, ok := obj.(*types.Builtin); ok {
		sig = "func " + obj.Name() // go/types prints builtins as "builtin len"
	}
	d := pr.env.docs(path)
	var e *docindex.Entry
	if d != nil {
		e = d.Entries[key]
	}
	if e == nil {
		return answer{{partCode, pr.userize(sig)}}
	}
	decl := e.Decl
	if d.Name != "builtin" && !strings.Contains(key, ".") {
		decl = qualifyDecl(decl, d.Name, key)
	}
	if sel != nil && sel.Kind() == types.FieldVal {
		if owner := fieldOwner(sel); owner != nil {
			decl += "    // field of " + types.TypeString(owner, pr.qualifier)
		}
	}
	a := answer{{partCode, decl}}
	if e.Doc != "" {
		a = append(a, part{partDoc, e.Doc})
	}
	if detail > 0 && len(e.Related) > 0 && d.Name != "builtin" {
		var related []string
		for _, k := range e.Related {
			if r := d.Entries[k]; r != nil {
				related = append(related, r.Decl)
			}
		}
		a = append(a, part{partCode, strings.Join(related, "\n")})
	}
	return a.in(path)
}

// qualifyDecl writes the package name before the declared name of a
// function or type declaration ("func Println(" -> "func fmt.Println(").
func qualifyDecl(decl, pkg, name string) string {
	for _, kw := range []string{"func ", "type "} {
		if strings.HasPrefix(decl, kw+name) {
			rest := decl[len(kw)+len(name):]
			if rest == "" || !isIdentRune([]rune(rest)[0]) {
				return kw + pkg + "." + name + rest
			}
		}
	}
	return decl
}

// describeUser shows the user's own names: variables with their type and
// value, functions and types with their declaration.
func (pr *probe) describeUser(obj types.Object, sel *types.Selection, detail int) answer {
	code := func(s string) answer { return answer{{partCode, s}} }
	switch o := obj.(type) {
	case *types.Var:
		decl := pr.userize(types.ObjectString(o, pr.qualifier))
		if o.IsField() {
			if sel != nil {
				if owner := fieldOwner(sel); owner != nil {
					decl += "    // field of " + pr.userize(types.TypeString(owner, pr.qualifier))
				}
			}
			return code(decl)
		}
		a := code(decl)
		if v, ok := pr.value(o); ok {
			limit := valueLimit
			if detail > 0 {
				limit = valueLimitDetail
			}
			a = append(a, part{partValue, formatValue(v, limit)})
		}
		if detail > 0 {
			if n := namedOf(o.Type()); n != nil && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() != pr.pkg.Path() {
				a = append(a, pr.describeDoc(n.Obj(), nil, n.Obj().Pkg().Path(), n.Obj().Name(), 0)...)
			}
		}
		return a
	case *types.Func:
		if src, ok := pr.source(o, detail); ok {
			return code(src)
		}
		return code(pr.userize(types.ObjectString(o, pr.qualifier)))
	case *types.TypeName:
		a := code(pr.typeDecl(o))
		if src, ok := pr.source(o, detail); ok {
			a = code(src)
		}
		if ms := pr.methodList(o, detail); ms != "" {
			a = append(a, part{partCode, ms})
		}
		return a
	case *types.Const:
		decl := pr.userize(types.ObjectString(o, pr.qualifier))
		if v := o.Val().ExactString(); len(v) < valueLimit {
			decl += " = " + v
		}
		return code(decl)
	}
	return code(pr.userize(types.ObjectString(obj, pr.qualifier)))
}

// typeDecl prints a user type's declaration from go/types, gofmt-ed.
func (pr *probe) typeDecl(tn *types.TypeName) string {
	s := pr.userize(types.ObjectString(tn, pr.qualifier))
	if out, err := format.Source([]byte("package p\n" + s)); err == nil {
		return strings.TrimSpace(strings.TrimPrefix(string(out), "package p\n"))
	}
	return s
}

// methodList lists the methods of a user type (those of *T included).
func (pr *probe) methodList(tn *types.TypeName, detail int) string {
	T := tn.Type()
	if types.IsInterface(T) {
		return ""
	}
	ms := types.NewMethodSet(types.NewPointer(T))
	var lines []string
	for i := 0; i < ms.Len(); i++ {
		if detail == 0 && i == methodLimit {
			lines = append(lines, fmt.Sprintf("// ... and %d more", ms.Len()-i))
			break
		}
		lines = append(lines, pr.userize(types.ObjectString(ms.At(i).Obj(), pr.qualifier)))
	}
	return strings.Join(lines, "\n")
}

// source returns a user declaration's source: from the cell when it is
// declared there, else from Env.Source. At detail 0 a function's body is
// left out.
func (pr *probe) source(obj types.Object, detail int) (string, bool) {
	// Earlier cells' objects have positions of another file set, which
	// may fall in the cell's range: only the cell's own objects are in
	// the probe's package.
	if obj.Pkg() == pr.pkg && pr.tf != nil && obj.Pos().IsValid() && pr.tf.Base() <= int(obj.Pos()) && int(obj.Pos()) <= pr.tf.Base()+pr.tf.Size() {
		return pr.cellSource(obj.Pos(), detail)
	}
	if pr.env.Source == nil {
		return "", false
	}
	name := pr.env.userName(obj.Name())
	if _, isFunc := obj.(*types.Func); isFunc && objRecv(obj) != nil {
		// A method is looked up as "T.M".
		n := namedOf(objRecv(obj).Type())
		if n == nil {
			return "", false
		}
		name = pr.env.userName(n.Obj().Name()) + "." + obj.Name()
	}
	src, ok := pr.env.Source(name)
	if !ok || src == "" {
		return "", false
	}
	src = strings.TrimSpace(src)
	if detail == 0 {
		src = stripBody(src)
	}
	return src, true
}

func objRecv(obj types.Object) *types.Var {
	if sig, ok := obj.Type().(*types.Signature); ok {
		return sig.Recv()
	}
	return nil
}

// cellSource returns the text of the cell's declaration of the name at
// pos, with its doc comment.
func (pr *probe) cellSource(pos token.Pos, detail int) (string, bool) {
	for _, d := range pr.file.Decls {
		var node ast.Node
		var doc *ast.CommentGroup
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.Pos() == pos {
				node, doc = d, d.Doc
				if detail == 0 && d.Body != nil {
					return pr.text(doc, d.Pos(), d.Body.Lbrace), true
				}
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if ts, ok := s.(*ast.TypeSpec); ok && ts.Name.Pos() == pos {
					node, doc = d, d.Doc
					if len(d.Specs) > 1 {
						node, doc = ts, ts.Doc
					}
				}
			}
		}
		if node != nil {
			return pr.text(doc, node.Pos(), node.End()), true
		}
	}
	return "", false
}

// text returns the generated file's text from the doc comment (or from)
// to end.
func (pr *probe) text(doc *ast.CommentGroup, from, end token.Pos) string {
	if doc != nil {
		from = doc.Pos()
	}
	a, z := pr.tf.Offset(from), pr.tf.Offset(end)
	if a < 0 || z > len(pr.src) || a > z {
		return ""
	}
	return strings.TrimSpace(pr.src[a:z])
}

// stripBody cuts a function declaration's source before its body.
func stripBody(src string) string {
	if !strings.Contains(src, "func") {
		return src
	}
	l := lex(src)
	depth := 0
	seenFunc := false
	for _, t := range l.toks {
		switch t.tok {
		case token.FUNC:
			seenFunc = true
		case token.LPAREN, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACK:
			depth--
		case token.LBRACE:
			if seenFunc && depth == 0 {
				return strings.TrimSpace(src[:t.pos])
			}
			depth++
		case token.RBRACE:
			depth--
		}
	}
	return src
}

// value returns the current value of a user variable: a package-level one,
// or one declared at the top level of the cell (which is hoisted when the
// cell runs).
func (pr *probe) value(v *types.Var) (reflect.Value, bool) {
	if pr.env.Value == nil || v.Parent() == nil {
		return reflect.Value{}, false
	}
	top := v.Parent() == pr.pkg.Scope() || v.Parent() == pr.env.programScope()
	if !top && v.Parent().Parent() != nil && v.Parent().Parent().Parent() == pr.pkg.Scope() {
		// the body function's scope: its parent is the file scope
		top = pr.isBodyScope(v.Parent())
	}
	if !top {
		return reflect.Value{}, false
	}
	return pr.env.Value(pr.env.userName(v.Name()))
}

// isBodyScope reports whether s is the scope of the function holding the
// cell's statements.
func (pr *probe) isBodyScope(s *types.Scope) bool {
	for _, d := range pr.file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == bodyName {
			return pr.info.Scopes[fd.Type] == s
		}
	}
	return false
}

// formatValue prints v with %v, cut to limit runes; a panicking String
// method is reported, not propagated.
func formatValue(v reflect.Value, limit int) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprintf("<cannot print value: %v>", r)
		}
	}()
	if !v.IsValid() {
		return "<nil>"
	}
	if v.CanInterface() {
		s = fmt.Sprintf("%v", v.Interface())
	} else {
		s = fmt.Sprint(v)
	}
	prefix := ""
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.Array, reflect.Chan:
		prefix = fmt.Sprintf("len %d: ", v.Len())
	case reflect.String:
		prefix = fmt.Sprintf("len %d: ", v.Len())
		s = fmt.Sprintf("%q", v.String())
	}
	if n := utf8.RuneCountInString(s); n > limit {
		s = string([]rune(s)[:limit]) + fmt.Sprintf("… (%d more characters)", n-limit)
	}
	return prefix + s
}
