package rewrite

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// GoPanicHook is the name of the function the session must define in the
// interpreter, as `func __gonn_goPanic(r any)`: rewritten `go` statements
// call it with the value of a panic that would otherwise end the goroutine,
// and the process with it.
const GoPanicHook = "__gonn_goPanic"

// reserved marks the internal names the rewriter generates; cells may not
// use identifiers that contain it.
const reserved = "__gonn"

// DefaultLabel is the name Rewrite gives a cell in errors and warnings
// about its declarations seen from later cells (Error.File).
const DefaultLabel = "cell"

// Program is the notebook's accumulated top-level state: the current
// declaration of every name, type versions, and the type-checked package.
// It is not safe for concurrent use.
type Program struct {
	imp        types.Importer
	preimports []string
	pre        map[string]string // pre-import name -> path, for the imports that resolve
	preByPath  map[string]string // path -> pre-import alias
	fset       *token.FileSet
	st         *state
	seq        int // numbers cell functions and type versions; never reused
	// scratch is the package of the last committed check, with the
	// committed cells' hoisted variables added: cells without declarations
	// are checked as one more file of it. It also holds the functions of
	// those cells (names with the reserved marker).
	scratch     *types.Package
	fastCells   int             // cells checked into scratch since it was made
	typesSeen   map[string]bool // type names given to the interpreter, committed or not
	methodsSeen map[string]bool // "internal type.T.M" methods given to the interpreter
	hoistText   string          // the last hoisted-variables file and its parse
	hoistCache  *ast.File
}

// state is what Commit makes current. Rewrite builds a new one and never
// changes the current one.
type state struct {
	units    []*unit             // live declarations, oldest first
	versions map[string]int      // type name -> current version (1 = plain name); kept across redefinitions
	hoisted  map[string]hoistVar // package-level variables made from cells' statements
	imports  map[string]string   // name a cell uses -> import path
	loaded   map[string]bool     // "name path" pairs imported into the interpreter
}

// isPre tells whether name stands for a pre-import in s (it is not
// shadowed by a declaration of the user's): the interpreter knows the
// package by the name's alias (preAlias). Checked files import the aliases
// too (importDecl); imports does not hold them.
func (p *Program) isPre(s *state, name string) bool {
	path, ok := p.pre[name]
	return ok && s.imports[name] == path
}

// hoistVar is a variable hoisted to package level. user is its type as the
// user writes it (type-checking uses it); internal is the type it was
// declared with in the interpreter. A variable whose value is of an earlier
// version of a type (staleOf, since a cell redefined it) is checked with
// old, the type of that version, which the user cannot write.
type hoistVar struct {
	user, internal string
	old            types.Type
	staleOf        string
}

func (s *state) clone() *state {
	n := &state{
		units:    append([]*unit(nil), s.units...),
		versions: make(map[string]int, len(s.versions)),
		hoisted:  make(map[string]hoistVar, len(s.hoisted)),
		imports:  make(map[string]string, len(s.imports)),
		loaded:   make(map[string]bool, len(s.loaded)),
	}
	for k, v := range s.versions {
		n.versions[k] = v
	}
	for k, v := range s.hoisted {
		n.hoisted[k] = v
	}
	for k, v := range s.imports {
		n.imports[k] = v
	}
	for k, v := range s.loaded {
		n.loaded[k] = v
	}
	return n
}

// New returns an empty Program. imp resolves import paths to packages
// (built from yaegi's symbol tables); preimports are the import paths every
// cell sees without importing them, under their package names, like
// Python's builtins: a top-level declaration of the same name by a cell
// shadows the package from then on, and an explicit import of it brings
// it back. The caller imports them into the interpreter itself, under
// internal names: evaluate PreimportSource in every fresh interpreter.
func New(imp types.Importer, preimports []string) *Program {
	p := &Program{imp: imp, preimports: append([]string(nil), preimports...)}
	p.Reset()
	return p
}

// Reset forgets every declaration, variable and import of cells, as after a
// restart with a fresh interpreter (which has imported the preimports).
func (p *Program) Reset() {
	p.fset = token.NewFileSet()
	p.typesSeen = map[string]bool{}
	p.methodsSeen = map[string]bool{}
	p.hoistText, p.hoistCache = "", nil
	p.st = &state{
		versions: map[string]int{},
		hoisted:  map[string]hoistVar{},
		imports:  map[string]string{},
		loaded:   map[string]bool{},
	}
	p.pre, p.preByPath = map[string]string{}, map[string]string{}
	for _, path := range p.preimports {
		pkg, err := p.imp.Import(path)
		if err != nil {
			continue // the session reports it when it imports them
		}
		name := pkg.Name()
		p.pre[name] = path
		p.preByPath[path] = preAlias(name)
		p.st.imports[name] = path
		p.st.loaded[preAlias(name)+" "+path] = true
	}
	p.scratch, p.fastCells = nil, 0
}

// preAlias is the name the interpreter knows a pre-import by, which leaves
// the package's own name free for the user's declarations.
func preAlias(name string) string { return name + reserved }

// PreimportSource is the source that imports the pre-imports into a fresh
// interpreter, under the internal names the rewritten cells use.
func (p *Program) PreimportSource() string {
	var b strings.Builder
	for _, path := range p.preimports {
		pkg, err := p.imp.Import(path)
		if err != nil {
			// Import it plainly: the interpreter says what is wrong.
			fmt.Fprintf(&b, "import %s\n", quote(path))
			continue
		}
		fmt.Fprintf(&b, "import %s %s\n", preAlias(pkg.Name()), quote(path))
	}
	return b.String()
}

// Plan is what the session evaluates for one cell, in order: Decls (if not
// empty), Body (if not empty), then Call (if not empty). Each is a complete
// source for yaegi's Eval. Positions in them carry //line directives, so
// yaegi's compile and run-time errors name the cell's own line and column,
// as "LINE:COL: ..." (declarations re-emitted from earlier cells carry the
// lines of their own cells).
type Plan struct {
	// Decls holds imports and package-level declarations: the cell's own,
	// hoisted variables, and re-emitted declarations that depend on a name
	// the cell redefines.
	Decls string
	// Body declares the function that runs the cell's statements.
	Body string
	// Call runs Body. When HasResult is true its value is the cell's final
	// expression value, as an `any`; a final call with several results gives
	// them as a []any.
	Call      string
	HasResult bool
	// ResultType is the static type of the final expression when HasResult
	// (a *types.Tuple for a call with several results), in the package
	// Types returns once the plan is committed.
	ResultType types.Type
	// Warnings are notes for the user (stderr): earlier declarations that
	// no longer compile after this cell's redefinitions and are removed.
	Warnings []string

	next *state
	gen  int
	pkg  *types.Package
	vars []*types.Var // the cell's hoisted variables, for Types
	news []string     // imports new to the interpreter, "name path"
}

// Error is a compile-time error in a cell, at the cell's own 1-based line
// and column (in characters, as Jupyter counts them; yaegi's messages count
// bytes). File is empty for the cell itself; it is the label of an
// earlier cell when a declaration there no longer compiles because this
// cell redefines something it uses (Line and Col are then in that cell).
type Error struct {
	Line, Col int
	Msg       string
	File      string

	pos token.Pos
}

func (e *Error) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}

// Rewrite plans the evaluation of a cell. It does not change p: call
// Commit once the plan has been evaluated without a compile error.
// Compile-time errors (syntax, types) are returned as *Error.
func (p *Program) Rewrite(cell string) (*Plan, error) {
	return p.RewriteAs(DefaultLabel, cell)
}

// RewriteAs is Rewrite with a name for the cell (for example "In[3]"),
// used in Error.File and warnings when a later cell breaks one of its
// declarations; label must not contain a newline or a colon.
func (p *Program) RewriteAs(label, cell string) (*Plan, error) {
	p.seq++
	r := &rewriter{p: p, label: label, cell: cell, seq: p.seq, next: p.st.clone()}
	plan, err := r.run()
	if err != nil {
		if e, ok := err.(*Error); ok && e.File == "" {
			e.Col = runeCol(cell, e.Line, e.Col)
		}
		return nil, err
	}
	plan.gen = p.seq
	return plan, nil
}

// Commit records plan's declarations as the program's current ones. Commit
// the plan of the latest Rewrite, after its Decls and Body were evaluated
// without error (a panic in Call does not matter: the declarations exist).
func (p *Program) Commit(plan *Plan) {
	if plan == nil || plan.next == nil {
		return
	}
	if plan.gen != p.seq {
		panic("rewrite: Commit of a plan that is not the latest Rewrite's")
	}
	p.st = plan.next
	if plan.pkg != p.scratch {
		p.fastCells = 0
	}
	p.scratch = plan.pkg
	if p.scratch != nil {
		scope := p.scratch.Scope()
		for _, v := range plan.vars {
			if scope.Lookup(v.Name()) == nil {
				scope.Insert(types.NewVar(token.NoPos, p.scratch, v.Name(), v.Type()))
			}
		}
	}
}

// CommitImports records only the plan's imports as done in the interpreter.
// Call it when Decls was evaluated but the plan is not committed (an error
// after or during Decls): yaegi keeps an import even when the rest of the
// source fails, and importing it again would fail with "redeclared".
func (p *Program) CommitImports(plan *Plan) {
	if plan == nil {
		return
	}
	for _, k := range plan.news {
		p.st.loaded[k] = true
	}
}

// Types returns the type-checked package of the current declarations and
// hoisted variables, for completion and inspection (types.Eval works in
// it). It may be nil before the first cell. Its scope also holds the
// generated functions of cells (names containing "__gonn": leave them out
// of completions), and the next Rewrite of a cell without declarations
// adds one: do not read it while Rewrite runs.
func (p *Program) Types() *types.Package { return p.scratch }

var versionSuffix = regexp.MustCompile(`^(.+)` + reserved + `[0-9]+$`)

// UserName maps an internal name (a versioned type name) to the name the user
// wrote.
func (p *Program) UserName(internal string) string {
	if m := versionSuffix.FindStringSubmatch(internal); m != nil {
		return m[1]
	}
	return internal
}

var internalNames = regexp.MustCompile(`\b([A-Za-z_][A-Za-z0-9_]*?)` + reserved + `[0-9]*\b`)

// UserText replaces the versioned type names and the names of packages
// imported for hoisted variables in s (an error message, a %T, a type) with
// the names the user knows.
func (p *Program) UserText(s string) string {
	if !strings.Contains(s, reserved) {
		return s
	}
	return internalNames.ReplaceAllString(s, "$1")
}

// Source returns the source text of the current declaration of name (a
// func, a type, a const, or a method as "T.M"), as the user wrote it, with
// the doc comment just above it; a type's methods are not included. A
// const of a group gives the whole const declaration.
func (p *Program) Source(name string) (string, bool) {
	u := p.st.find(name)
	if u == nil {
		return "", false
	}
	start := u.node.Pos()
	text := u.src.text[u.src.off(start):u.src.off(u.node.End())]
	if u.kind == uType {
		// A spec of `type ( ... )` is written as a declaration of its own.
		tok := u.decl.(*ast.GenDecl).TokPos
		if strings.TrimSpace(u.src.text[u.src.off(tok):u.src.off(start)]) == "type" {
			start = tok
		}
		text = "type " + text
	}
	return u.src.docAbove(start) + text, true
}

// Var is a variable the cells have defined at top level.
type Var struct {
	Name, Type string
}

// Vars returns the cells' top-level variables, sorted by name.
func (p *Program) Vars() []Var {
	vs := make([]Var, 0, len(p.st.hoisted))
	for n, h := range p.st.hoisted {
		vs = append(vs, Var{n, p.UserText(h.user)})
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Name < vs[j].Name })
	return vs
}

// Imports returns the packages cells see, by the name they use for them.
func (p *Program) Imports() map[string]*types.Package {
	m := make(map[string]*types.Package, len(p.st.imports))
	for name, path := range p.st.imports {
		if strings.Contains(name, reserved) {
			continue // imported for a hoisted variable's type, not by a cell
		}
		if pkg, err := p.imp.Import(path); err == nil {
			m[name] = pkg
		}
	}
	return m
}

// parseCell splits a cell and parses its pieces as one file: imports, then
// declarations, then `func fn() { statements }`. Every piece is preceded by
// a //line directive, so positions read back through fset are the cell's.
func parseCell(fset *token.FileSet, label, cell, fn string) (*ast.File, *source, []segment, error) {
	segs := splitCell(cell)
	var b strings.Builder
	var spans []span
	b.WriteString("package main\n")
	emit := func(kind segKind) {
		for _, s := range segs {
			if s.kind != kind {
				continue
			}
			l, c := lineCol(cell, s.start)
			fmt.Fprintf(&b, "//line %s:%d:%d\n", label, l, c)
			spans = append(spans, span{b.Len(), s.start, s.end - s.start})
			b.WriteString(cell[s.start:s.end])
			b.WriteString("\n")
		}
	}
	emit(segImport)
	emit(segDecl)
	fmt.Fprintf(&b, "func %s() {\n", fn)
	emit(segStmt)
	b.WriteString("}\n")
	src := &source{label: label, text: b.String(), cell: cell}
	f, err := parser.ParseFile(fset, label, src.text, parser.SkipObjectResolution)
	if f != nil {
		src.file = fset.File(f.Pos())
	}
	if err != nil {
		return nil, nil, nil, syntaxError(src.text, cell, spans)
	}
	return f, src, segs, nil
}

// runeCol converts a 1-based byte column of a line of cell to a column in
// characters.
func runeCol(cell string, line, col int) int {
	lines := strings.Split(cell, "\n")
	if line < 1 || line > len(lines) || col < 1 || col-1 > len(lines[line-1]) {
		return col
	}
	return 1 + utf8.RuneCountInString(lines[line-1][:col-1])
}

// span maps bytes of the generated file to the cell.
type span struct{ gen, cell, n int }

// syntaxError reports the parser's first error in text order at its place
// in the cell. The parser sorts its errors by position, which the //line
// directives reorder, so the text is parsed again without them.
func syntaxError(text, cell string, spans []span) error {
	plain := strings.ReplaceAll(text, "//line ", "//     ")
	_, err := parser.ParseFile(token.NewFileSet(), "", plain, parser.SkipObjectResolution)
	list, ok := err.(scanner.ErrorList)
	if !ok || len(list) == 0 {
		return &Error{Line: 1, Col: 1, Msg: fmt.Sprint(err)}
	}
	off := list[0].Pos.Offset
	at := len(cell) // past the pieces: an unclosed bracket or block
	for _, s := range spans {
		if s.gen <= off && off <= s.gen+s.n {
			at = s.cell + off - s.gen
			break
		}
	}
	line, col := lineCol(cell, at)
	return &Error{Line: line, Col: col, Msg: list[0].Msg}
}

// source is the generated file a cell was parsed from.
type source struct {
	label string
	text  string
	file  *token.File
	cell  string // the cell's own text
}

// docAbove returns the // comment lines just above pos in the cell (a
// declaration's doc comment), each with its newline.
func (s *source) docAbove(pos token.Pos) string {
	p := s.file.PositionFor(pos, true)
	lines := strings.SplitAfter(s.cell, "\n")
	if p.Line < 1 || p.Line > len(lines) || strings.TrimSpace(lines[p.Line-1][:min(p.Column-1, len(lines[p.Line-1]))]) != "" {
		return ""
	}
	first := p.Line - 1
	for first > 0 && strings.HasPrefix(strings.TrimSpace(lines[first-1]), "//") {
		first--
	}
	var b strings.Builder
	for _, l := range lines[first : p.Line-1] {
		b.WriteString(strings.TrimLeft(l, " \t"))
	}
	return b.String()
}

// off returns the offset in s.text of pos.
func (s *source) off(pos token.Pos) int { return s.file.Offset(pos) }

// directive returns the //line comment that gives the character at pos its
// position in the cell, for the interpreter. The file name stays yaegi's
// own "_.go": yaegi resolves a package-level declaration's imports by its
// file name, and omits that name from its error messages.
func (s *source) directive(pos token.Pos, block bool) string {
	p := s.file.PositionFor(pos, true)
	if block {
		return fmt.Sprintf("/*line _.go:%d:%d*/", p.Line, p.Column)
	}
	return fmt.Sprintf("//line _.go:%d:%d\n", p.Line, p.Column)
}

func quote(s string) string { return strconv.Quote(s) }
