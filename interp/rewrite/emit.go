package rewrite

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// emit computes what the cell changes (type versions, dependents, hoisted
// variables) and writes the plan's sources.
func (r *rewriter) emit(changed map[string]bool) (*Plan, error) {
	next := r.next
	cellUnit := map[*unit]bool{}
	for _, u := range r.cellUnits {
		cellUnit[u] = true
	}
	// Types the cell (re)defines or whose methods it adds or changes.
	versioned := map[string]bool{}
	for _, u := range r.cellUnits {
		switch u.kind {
		case uType:
			if r.typeExisted(u.names[0]) {
				versioned[u.names[0]] = true
			}
		case uMethod:
			// Adding a method works in the interpreter; changing one is
			// ignored, so it needs a new version of the type.
			if !r.declaresType(u.recv) && (r.p.st.find(u.names[0]) != nil || r.p.methodsSeen[r.internal(u.recv)+"."+u.names[0]]) {
				versioned[u.recv] = true
			}
		}
	}
	var hvars []hoisted
	var emitted map[*unit]bool
	for round := 0; ; round++ {
		// Dependents: everything that uses a changed name is compiled
		// again; a type whose declaration or method is compiled again
		// gets a new version (the interpreter ignores redefinitions).
		emitted = map[*unit]bool{}
		for grew := true; grew; {
			grew = false
			for t := range versioned {
				if !changed[t] {
					changed[t], grew = true, true
				}
			}
			for _, u := range next.units {
				if emitted[u] || cellUnit[u] {
					continue
				}
				hit := (u.kind == uMethod && versioned[u.recv]) || (u.kind == uType && versioned[u.names[0]])
				for d := range u.deps {
					if changed[d] {
						hit = true
						break
					}
				}
				if !hit {
					continue
				}
				emitted[u], grew = true, true
				switch u.kind {
				case uType:
					versioned[u.names[0]] = true
				case uMethod:
					versioned[u.recv] = true
				default:
					for _, n := range u.names {
						changed[n] = true
					}
				}
			}
		}
		// Versions: a type keeps its plain name until it is redefined.
		for t := range versioned {
			next.versions[t] = r.seq
		}
		for _, u := range r.cellUnits {
			if _, ok := next.versions[u.names[0]]; u.kind == uType && !ok {
				next.versions[u.names[0]] = 0
			}
		}
		// Hoisted variables: a new type means a new variable (earlier
		// code keeps the old one, so it counts as a change).
		hvars = hvars[:0]
		grew := false
		for _, id := range r.hoist {
			v, ok := r.info.Defs[id].(*types.Var)
			if !ok {
				continue
			}
			user, internal, ok := r.typeStrings(v.Type(), r.pkg)
			if !ok {
				user, internal = r.fallbackType(v.Type())
			}
			hvars = append(hvars, hoisted{id, user, internal})
			old, existed := next.hoisted[id.Name]
			if existed && old.internal != internal && !changed[id.Name] {
				changed[id.Name], grew = true, true
			}
		}
		if !grew || round > 8 {
			break
		}
	}

	if r.staleWarnings(versioned, hvars) {
		// Check again with those variables of their old types, so that
		// the program's types (and later cells) see them as they are.
		// Earlier declarations that used them as the new type are
		// removed, as in run.
		for round := 0; ; round++ {
			pkg, info, errs := r.check(r.extra)
			if len(errs) == 0 {
				r.pkg, r.info = pkg, info
				break
			}
			if errs[0].File == "" || round > 20 || !r.dropBroken(errs, changed) {
				return nil, r.staleHint(errs[0])
			}
		}
	}
	plan := &Plan{next: next, pkg: r.pkg, Warnings: r.warnings}
	for _, h := range hvars {
		if v, ok := r.info.Defs[h.id].(*types.Var); ok {
			plan.vars = append(plan.vars, v)
		}
	}
	var decls strings.Builder
	// Imports new to the interpreter.
	var imps []string
	for name, path := range next.imports {
		if r.p.isPre(next, name) {
			continue // the interpreter has it under its alias
		}
		if k := name + " " + path; !next.loaded[k] {
			imps = append(imps, k)
		}
	}
	sort.Strings(imps)
	for _, k := range imps {
		name, path, _ := strings.Cut(k, " ")
		fmt.Fprintf(&decls, "import %s %s\n", name, quote(path))
		next.loaded[k] = true
		plan.news = append(plan.news, k)
	}
	var list []*unit
	for _, u := range next.units {
		if emitted[u] || cellUnit[u] {
			list = append(list, u)
		}
	}
	// Consts go first, so that types see their new values (yaegi resolves
	// a name to its old declaration when the new one comes later in the
	// same source), except those of the program's own types.
	for _, u := range list {
		if u.kind == uConst && !r.ownTyped(u) {
			r.writeConst(&decls, u)
		}
	}
	for _, u := range list {
		if u.kind == uType {
			r.writeUnit(&decls, u)
		}
	}
	for _, u := range list {
		if u.kind == uConst && r.ownTyped(u) {
			r.writeConst(&decls, u)
		}
	}
	for _, h := range hvars {
		old, existed := next.hoisted[h.id.Name]
		if !existed || old.internal != h.internal {
			decls.WriteString(r.src.directive(h.id.Pos(), false))
			fmt.Fprintf(&decls, "var %s %s\n", h.id.Name, h.internal)
		}
		next.hoisted[h.id.Name] = hoistVar{user: h.user, internal: h.internal}
	}
	for _, kind := range []unitKind{uFunc, uMethod} {
		for _, u := range list {
			if u.kind == kind {
				r.writeUnit(&decls, u)
			}
		}
	}
	for _, u := range list {
		switch u.kind {
		case uType:
			r.p.typesSeen[u.names[0]] = true
		case uMethod:
			r.p.methodsSeen[r.internal(u.recv)+"."+u.names[0]] = true
		}
	}
	plan.Decls = decls.String()
	r.aliasPreimports()
	if len(r.body.Body.List) > 0 {
		plan.Body, plan.HasResult = r.writeBody()
		plan.Call = r.fn + "()"
		if plan.HasResult {
			plan.ResultType = r.info.Types[r.final].Type
		}
	}
	return plan, nil
}

// aliasPreimports renames, in the cell's declarations, the identifiers that
// name a pre-imported package to the package's alias (which every checked
// file imports too), so that they keep naming the package when a later
// cell shadows its name. Call it once the declarations are written: the
// source text keeps the user's name (see preIdent).
func (r *rewriter) aliasPreimports() {
	for _, u := range r.cellUnits {
		ast.Inspect(u.node, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if pn, ok := r.info.Uses[id].(*types.PkgName); ok && r.p.isPre(r.next, pn.Name()) && id.Name == pn.Name() {
					id.Name = preAlias(id.Name)
				}
			}
			return true
		})
	}
}

// preIdent returns the alias of the pre-imported package that id names,
// and the length of id in the source (an identifier renamed by
// aliasPreimports still reads as the user's name there).
func (r *rewriter) preIdent(id *ast.Ident, obj types.Object) (alias string, n int, ok bool) {
	pn, isPkg := obj.(*types.PkgName)
	if !isPkg {
		return "", 0, false
	}
	name := pn.Name()
	if r.p.isPre(r.next, name) {
		return preAlias(name), len(id.Name), true
	}
	if user, cut := strings.CutSuffix(name, reserved); cut && r.p.pre[user] == pn.Imported().Path() {
		return name, len(user), true
	}
	return "", 0, false
}

// hoisted is a variable the cell hoists, with its type strings.
type hoisted struct {
	id             *ast.Ident
	user, internal string
}

// staleWarnings warns about variables of earlier cells whose values are of
// a type that now has a new version: they keep the old type and methods,
// which type-checking gives them from now on (the type they have in the
// last committed check). It reports whether it found any.
func (r *rewriter) staleWarnings(versioned map[string]bool, hvars []hoisted) bool {
	if len(versioned) == 0 {
		return false
	}
	found := false
	redone := map[string]bool{}
	for _, h := range hvars {
		redone[h.id.Name] = true
	}
	names := make([]string, 0, len(r.next.hoisted))
	for name := range r.next.hoisted {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if redone[name] {
			continue
		}
		var ts []string
		for t := range versioned {
			old := t
			if v := r.p.st.versions[t]; v > 0 {
				old = t + reserved + strconv.Itoa(v)
			}
			if containsIdent(r.next.hoisted[name].internal, old) {
				ts = append(ts, t)
			}
		}
		if len(ts) > 0 {
			sort.Strings(ts)
			r.warnings = append(r.warnings, fmt.Sprintf("%s keeps a value of the previous %s (its old fields and methods): run the cell that makes it again to use the new definition",
				name, strings.Join(ts, ", ")))
			h := r.next.hoisted[name]
			if h.old == nil && r.p.scratch != nil {
				if v, ok := r.p.scratch.Scope().Lookup(name).(*types.Var); ok {
					h.old, h.staleOf = v.Type(), strings.Join(ts, ", ")
					r.next.hoisted[name] = h
					found = true
				}
			}
		}
	}
	return found
}

// containsIdent tells whether s contains the identifier id as a whole word.
func containsIdent(s, id string) bool {
	isWord := func(c byte) bool {
		return c == '_' || c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	for i := 0; ; {
		j := strings.Index(s[i:], id)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(id)
		if (j == 0 || !isWord(s[j-1])) && (end == len(s) || !isWord(s[end])) {
			return true
		}
		i = j + 1
	}
}

// typeExisted tells whether a type of that name was declared before, in a
// committed cell or in a plan given to the interpreter.
func (r *rewriter) typeExisted(name string) bool {
	_, ok := r.p.st.versions[name]
	return ok || r.p.typesSeen[name]
}

// internal returns the name the interpreter knows the type name by.
func (r *rewriter) internal(name string) string {
	if v := r.next.versions[name]; v > 0 {
		return name + reserved + strconv.Itoa(v)
	}
	return name
}

// edit replaces bytes [start, end) of a source with text. When after is a
// valid position, a /*line*/ comment after text gives the following
// character its position in the cell again.
type edit struct {
	start, end int
	text       string
	after      token.Pos
}

// writeUnit writes a declaration with a //line directive and its edits.
func (r *rewriter) writeUnit(b *strings.Builder, u *unit) {
	start := u.node.Pos()
	b.WriteString(u.src.directive(start, false))
	if u.kind == uType {
		b.WriteString("type " + u.src.directive(start, true))
	}
	b.WriteString(r.splice(u.src, start, u.node.End(), r.edits(u.src, u.node)))
	b.WriteString("\n")
}

// ownTyped tells whether a const declaration has a constant of a type
// declared by the cells.
func (r *rewriter) ownTyped(u *unit) bool {
	for _, sp := range u.node.(*ast.GenDecl).Specs {
		for _, n := range sp.(*ast.ValueSpec).Names {
			if c, ok := r.info.Defs[n].(*types.Const); ok {
				if named, ok := types.Unalias(c.Type()).(*types.Named); ok && named.Obj().Pkg() == r.pkg {
					return true
				}
			}
		}
	}
	return false
}

// writeConst writes a const declaration with the values and types the
// type checker computed: yaegi reports "constant definition loop" for a
// package-level const whose value refers to another constant.
func (r *rewriter) writeConst(b *strings.Builder, u *unit) {
	b.WriteString(u.src.directive(u.node.Pos(), false))
	b.WriteString("const (")
	for _, sp := range u.node.(*ast.GenDecl).Specs {
		for _, n := range sp.(*ast.ValueSpec).Names {
			c, ok := r.info.Defs[n].(*types.Const)
			if !ok || n.Name == "_" {
				continue
			}
			lit := constLiteral(c.Val())
			if basic, ok := c.Type().(*types.Basic); ok && basic.Info()&types.IsUntyped != 0 {
				fmt.Fprintf(b, "%s = %s; ", n.Name, lit)
				continue
			}
			_, t, ok := r.typeStrings(c.Type(), r.pkg)
			if !ok {
				t = ""
			}
			fmt.Fprintf(b, "%s %s = %s; ", n.Name, t, lit)
		}
	}
	b.WriteString(")\n")
}

// splice returns the source between from and to with edits applied; edits
// inside a replaced range are dropped.
func (r *rewriter) splice(src *source, from, to token.Pos, edits []edit) string {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end
	})
	var b strings.Builder
	cur, end := src.off(from), src.off(to)
	for _, e := range edits {
		if e.start < cur || e.end > end {
			continue
		}
		b.WriteString(src.text[cur:e.start])
		b.WriteString(e.text)
		if e.after.IsValid() {
			b.WriteString(src.directive(e.after, true))
		}
		cur = e.end
	}
	b.WriteString(src.text[cur:end])
	return b.String()
}

// edits returns the rewrites inside node: versioned type names, min, max
// and clear, and go statements.
func (r *rewriter) edits(src *source, node ast.Node) []edit {
	var es []edit
	off := src.off
	scope := r.pkg.Scope()
	ast.Inspect(node, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			obj := r.info.Uses[n]
			if obj == nil {
				obj = r.info.Defs[n]
			}
			var tn *types.TypeName
			switch o := obj.(type) {
			case *types.TypeName:
				tn = o
			case *types.Var:
				// An embedded field is named after its type: d.Base and
				// Derived{Base: ...} follow the type's version.
				if o.IsField() && o.Embedded() {
					t := o.Type()
					if p, ok := t.(*types.Pointer); ok {
						t = p.Elem()
					}
					if named, ok := types.Unalias(t).(*types.Named); ok && named.Obj().Name() == n.Name {
						tn = named.Obj()
					}
				}
			}
			if alias, size, ok := r.preIdent(n, obj); ok {
				es = append(es, edit{off(n.Pos()), off(n.Pos()) + size, alias, n.Pos() + token.Pos(size)})
				return true
			}
			if fn, ok := obj.(*types.Func); ok && n.Name == "main" && fn.Parent() == scope {
				// yaegi calls a package's main after every Eval once it
				// exists: the user's main gets another name.
				es = append(es, edit{off(n.Pos()), off(n.End()), "main" + reserved, n.End()})
			}
			if tn != nil && tn.Pkg() == r.pkg && tn.Parent() == scope {
				if in := r.internal(tn.Name()); in != n.Name {
					es = append(es, edit{off(n.Pos()), off(n.End()), in, n.End()})
				}
			}
		case *ast.CallExpr:
			es = append(es, r.builtinEdits(src, n)...)
		case *ast.GoStmt:
			es = append(es, r.goEdits(src, n)...)
		case *ast.ForStmt:
			es = append(es, emptyLoop(src, n.Body)...)
		case *ast.RangeStmt:
			es = append(es, emptyLoop(src, n.Body)...)
		case *ast.AssignStmt:
			// yaegi gives the blank identifier one slot per function,
			// typed by its first assignment ("reflect.Set: value of type
			// string is not assignable to type int"): make every one any.
			if n.Tok == token.ASSIGN && len(n.Lhs) == len(n.Rhs) {
				for i, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name == "_" {
						es = append(es, anyWrap(src, n.Rhs[i])...)
					}
				}
			}
		}
		return true
	})
	return es
}

// emptyLoop returns the edit that puts an empty block in the empty body of
// a loop: after a loop with an empty body, yaegi's returns in the same
// function return the zero value.
func emptyLoop(src *source, body *ast.BlockStmt) []edit {
	if body == nil || len(body.List) > 0 {
		return nil
	}
	at := src.off(body.Lbrace) + 1
	return []edit{{at, at, "{}", body.Lbrace + 1}}
}

// anyWrap returns the edits that write x as any(x).
func anyWrap(src *source, x ast.Expr) []edit {
	return []edit{
		{src.off(x.Pos()), src.off(x.Pos()), "any(", x.Pos()},
		{src.off(x.End()), src.off(x.End()), ")", token.NoPos},
	}
}

// builtinEdits rewrites calls of min, max and clear, which yaegi lacks.
func (r *rewriter) builtinEdits(src *source, call *ast.CallExpr) []edit {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil
	}
	b, ok := r.info.Uses[id].(*types.Builtin)
	if !ok {
		return nil
	}
	off := src.off
	switch b.Name() {
	case "min", "max":
		tv := r.info.Types[call]
		if tv.Value != nil {
			lit := constLiteral(tv.Value)
			if basic, ok := tv.Type.(*types.Basic); !ok || basic.Info()&types.IsUntyped == 0 {
				_, t, ok := r.typeStrings(tv.Type, r.pkg)
				if !ok {
					return nil
				}
				lit = t + "(" + lit + ")"
			}
			return []edit{{off(call.Pos()), off(call.End()), lit, call.End()}}
		}
		_, t, ok := r.typeStrings(tv.Type, r.pkg)
		if !ok {
			return nil
		}
		op := "<"
		if b.Name() == "max" {
			op = ">"
		}
		// NaN wins, as with the builtins: y != y only for a NaN.
		fn := fmt.Sprintf("func(x__gonn %[1]s, ys__gonn ...%[1]s) %[1]s { for _, y__gonn := range ys__gonn { if y__gonn %[2]s x__gonn || y__gonn != y__gonn { x__gonn = y__gonn } }; return x__gonn }", t, op)
		return []edit{{off(id.Pos()), off(id.End()), fn, id.End()}}
	case "clear":
		if len(call.Args) != 1 {
			return nil
		}
		at := r.info.Types[call.Args[0]].Type
		_, t, ok := r.typeStrings(at, r.pkg)
		if !ok {
			return nil
		}
		var fn string
		switch u := at.Underlying().(type) {
		case *types.Map:
			fn = fmt.Sprintf("func(m__gonn %s) { for k__gonn := range m__gonn { delete(m__gonn, k__gonn) } }", t)
		case *types.Slice:
			_, et, ok := r.typeStrings(u.Elem(), r.pkg)
			if !ok {
				return nil
			}
			fn = fmt.Sprintf("func(s__gonn %s) { var z__gonn %s; for i__gonn := range s__gonn { s__gonn[i__gonn] = z__gonn } }", t, et)
		default:
			return nil
		}
		return []edit{{off(id.Pos()), off(id.End()), fn, id.End()}}
	}
	return nil
}

// constLiteral writes a constant so that it keeps its kind when untyped.
func constLiteral(v constant.Value) string {
	switch v.Kind() {
	case constant.Float:
		f, _ := constant.Float64Val(v)
		s := strconv.FormatFloat(f, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEIN") {
			s += ".0"
		}
		return s
	}
	return v.ExactString()
}

// goEdits rewrites `go f(a, b)` as
//
//	{ f_, a_, b_ := f, a, b; go func() { defer recover-and-report; f_(a_, b_) }() }
//
// so the function and its arguments are still evaluated by the go
// statement, and a panic in the goroutine reaches GoPanicHook instead of
// killing the process.
func (r *rewriter) goEdits(src *source, g *ast.GoStmt) []edit {
	call := g.Call
	off := src.off
	n := len(call.Args)
	if n == 1 {
		if tup, ok := r.info.Types[call.Args[0]].Type.(*types.Tuple); ok {
			n = tup.Len()
		}
	}
	args := make([]string, n)
	for i := range args {
		args[i] = fmt.Sprintf("a%d__gonn", i)
	}
	callArgs := strings.Join(args, ", ")
	if call.Ellipsis.IsValid() {
		callArgs += "..."
	}
	fun := "f__gonn"
	builtin := false
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if _, ok := r.info.Uses[id].(*types.Builtin); ok {
			fun, builtin = id.Name, true
		}
	}
	tail := fmt.Sprintf("; go func() { defer func() { if r__gonn := recover(); r__gonn != nil { %s(r__gonn) } }(); %s(%s) }() }", GoPanicHook, fun, callArgs)
	var es []edit
	if builtin {
		if len(call.Args) == 0 {
			return nil
		}
		es = append(es, edit{off(g.Pos()), off(call.Lparen) + 1, "{ " + strings.Join(args, ", ") + " := ", call.Args[0].Pos()})
	} else {
		lhs := append([]string{fun}, args...)
		es = append(es, edit{off(g.Pos()), off(call.Fun.Pos()), "{ " + strings.Join(lhs, ", ") + " := ", call.Fun.Pos()})
		if len(call.Args) > 0 {
			es = append(es, edit{off(call.Lparen), off(call.Lparen) + 1, ", ", call.Args[0].Pos()})
		}
	}
	from := off(call.Lparen)
	if len(call.Args) > 0 {
		from = off(call.Args[len(call.Args)-1].End())
	}
	es = append(es, edit{from, off(call.Rparen) + 1, tail, call.Rparen + 1})
	return es
}

// writeBody writes the cell function: statements with their top-level
// variables assigned instead of declared, and the final expression
// returned.
func (r *rewriter) writeBody() (string, bool) {
	list := r.body.Body.List
	hasResult, multi := false, 0
	if r.final != nil && !r.printCall(r.final) && !r.returns() {
		switch t := r.info.Types[r.final].Type.(type) {
		case nil:
		case *types.Tuple:
			if t.Len() > 1 {
				hasResult, multi = true, t.Len()
			}
		default:
			hasResult = !r.info.Types[r.final].IsType()
		}
	}
	var b strings.Builder
	if hasResult {
		fmt.Fprintf(&b, "func %s() any {\n", r.fn)
	} else {
		fmt.Fprintf(&b, "func %s() {\n", r.fn)
	}
	src := r.src
	off := src.off
	for i, s := range list {
		es := r.edits(src, s)
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				es = append(es, edit{off(s.TokPos), off(s.TokPos) + 2, " =", token.NoPos})
			}
		case *ast.DeclStmt:
			es = append(es, r.varEdits(s.Decl.(*ast.GenDecl))...)
		}
		if i == len(list)-1 && hasResult {
			x := r.final
			if multi > 0 {
				rs := make([]string, multi)
				for j := range rs {
					rs[j] = fmt.Sprintf("r%d__gonn", j)
				}
				es = append(es,
					edit{off(x.Pos()), off(x.Pos()), strings.Join(rs, ", ") + " := ", x.Pos()},
					edit{off(x.End()), off(x.End()), "; return []any{" + strings.Join(rs, ", ") + "}", token.NoPos})
			} else {
				// return any(x): yaegi fails on `return err == nil` into
				// an any result ("SetBool on interface Value").
				es = append(es, edit{off(x.Pos()), off(x.Pos()), "return any(", x.Pos()},
					edit{off(x.End()), off(x.End()), ")", token.NoPos})
			}
		}
		b.WriteString(src.directive(s.Pos(), false))
		b.WriteString(r.splice(src, s.Pos(), s.End(), es))
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return b.String(), hasResult
}

// returns tells whether the cell's statements return from the cell
// function (a bare return at top level): then the cell has no result.
func (r *rewriter) returns() bool {
	found := false
	ast.Inspect(r.body.Body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		}
		return !found
	})
	return found
}

// printCall tells whether x calls a function whose results nobody wants
// to see at the end of a cell: fmt's Print, Fprint and Scan families, and
// Write methods (their results are a count and an error).
func (r *rewriter) printCall(x ast.Expr) bool {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok {
		return false
	}
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return false
	}
	fn, ok := r.info.Uses[id].(*types.Func)
	if !ok {
		return false
	}
	name := fn.Name()
	if fn.Pkg() != nil && fn.Pkg().Path() == "fmt" {
		for _, prefix := range []string{"Print", "Fprint", "Scan", "Fscan", "Sscan"} {
			if strings.HasPrefix(name, prefix) {
				return true
			}
		}
		return false
	}
	recv := fn.Type().(*types.Signature).Recv() != nil
	return recv && strings.HasPrefix(name, "Write")
}

// varEdits turns a top-level var declaration into assignments to the
// hoisted variables; a variable without a value is reset to its zero value.
func (r *rewriter) varEdits(g *ast.GenDecl) []edit {
	off := r.src.off
	var es []edit
	grouped := g.Lparen.IsValid()
	if grouped {
		es = append(es, edit{off(g.Pos()), off(g.Lparen) + 1, "", token.NoPos},
			edit{off(g.Rparen), off(g.Rparen) + 1, "", token.NoPos})
	}
	for _, sp := range g.Specs {
		vs := sp.(*ast.ValueSpec)
		start := vs.Pos()
		if !grouped {
			start = g.Pos()
		}
		names := make([]string, len(vs.Names))
		for i, n := range vs.Names {
			names[i] = n.Name
		}
		lhs := strings.Join(names, ", ") + " = "
		if len(vs.Values) > 0 {
			es = append(es, edit{off(start), off(vs.Values[0].Pos()), lhs, vs.Values[0].Pos()})
			if len(vs.Values) == len(vs.Names) {
				for i, n := range vs.Names {
					if n.Name == "_" {
						es = append(es, anyWrap(r.src, vs.Values[i])...)
					}
				}
			}
			continue
		}
		zeros := make([]string, len(vs.Names))
		for i, n := range vs.Names {
			t := r.info.TypeOf(vs.Type)
			if v := r.info.Defs[n]; v != nil {
				t = v.Type()
			}
			_, in, ok := r.typeStrings(t, r.pkg)
			if !ok {
				_, in = r.fallbackType(t)
			}
			zeros[i] = "*new(" + in + ")"
		}
		es = append(es, edit{off(start), off(vs.End()), lhs + strings.Join(zeros, ", "), vs.End()})
	}
	return es
}

// typeStrings writes t as the user writes it and as the interpreter knows
// it (versioned type names), with the import names cells use. Packages that
// no cell imported are imported under a reserved name. ok
// is false when t cannot be named at package level (an unexported type of
// another package, or a type local to a function).
func (r *rewriter) typeStrings(t types.Type, pkg *types.Package) (user, internal string, ok bool) {
	const (
		local = "\x03"
		open  = "\x01"
		close = "\x02"
	)
	ok = true
	s := types.TypeString(t, func(p *types.Package) string {
		if p == pkg {
			return local
		}
		if p.Path() == pkg.Path() {
			ok = false // an earlier check's: an earlier version of a type
		}
		return open + p.Path() + close
	})
	if !ok {
		return "", "", false
	}
	var ub, ib strings.Builder
	var paths []string
	for len(s) > 0 {
		i := strings.IndexAny(s, local+open)
		if i < 0 {
			ub.WriteString(s)
			ib.WriteString(s)
			break
		}
		ub.WriteString(s[:i])
		ib.WriteString(s[:i])
		var path string
		if s[i] == local[0] {
			s = s[i+2:] // "\x03."
		} else {
			j := strings.IndexByte(s, close[0])
			path = s[i+1 : j]
			s = s[j+2:] // "\x02."
		}
		k := 0
		for k < len(s) && (s[k] == '_' || s[k] >= 0x80 || 'a' <= s[k] && s[k] <= 'z' || 'A' <= s[k] && s[k] <= 'Z' || '0' <= s[k] && s[k] <= '9') {
			k++
		}
		name := s[:k]
		s = s[k:]
		if path == "" {
			if tn, isType := pkg.Scope().Lookup(name).(*types.TypeName); !isType || tn == nil {
				ok = false
			}
			ub.WriteString(name)
			ib.WriteString(r.internal(name))
			continue
		}
		if !token.IsExported(name) {
			ok = false
		}
		// The import name is filled in below, once t is known to be
		// nameable (importing is a change to the next state).
		paths = append(paths, path)
		ub.WriteString("\x00." + name)
		ib.WriteString("\x00." + name)
	}
	if !ok {
		return "", "", false
	}
	user, internal = ub.String(), ib.String()
	for _, path := range paths {
		q := r.importName(path)
		user = strings.Replace(user, "\x00", q, 1)
		internal = strings.Replace(internal, "\x00", q, 1)
	}
	return user, internal, true
}

// importName returns the name cells use for the package at path. A
// package no cell imported is imported under a reserved name (its name with
// the reserved marker), so that the user's names stay free.
func (r *rewriter) importName(path string) string {
	if alias, ok := r.p.preByPath[path]; ok {
		// Stays when a declaration shadows the package's name.
		return alias
	}
	names := make([]string, 0, 1)
	for n, p := range r.next.imports {
		if p == path {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		return names[0]
	}
	name := path[strings.LastIndexByte(path, '/')+1:]
	if pkg, err := r.p.imp.Import(path); err == nil {
		name = pkg.Name()
	}
	name += reserved
	for i := 2; ; i++ {
		_, taken := r.next.imports[name]
		if _, pre := r.p.pre[strings.TrimSuffix(name, reserved)]; !taken && !pre {
			break
		}
		name = fmt.Sprintf("%s%d", strings.TrimRight(name, "0123456789"), i)
	}
	r.next.imports[name] = path
	return name
}

// fallbackType names a type that cannot be named: as the interface of its
// exported methods, or any.
func (r *rewriter) fallbackType(t types.Type) (user, internal string) {
	ms := types.NewMethodSet(t)
	var fns []*types.Func
	for i := 0; i < ms.Len(); i++ {
		f, ok := ms.At(i).Obj().(*types.Func)
		if !ok || !f.Exported() {
			continue
		}
		sig := f.Type().(*types.Signature)
		fns = append(fns, types.NewFunc(token.NoPos, f.Pkg(), f.Name(),
			types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic())))
	}
	if len(fns) > 0 {
		it := types.NewInterfaceType(fns, nil).Complete()
		if u, in, ok := r.typeStrings(it, r.pkg); ok {
			return u, in
		}
	}
	return "any", "any"
}
