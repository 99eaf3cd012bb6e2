// Package rewrite turns notebook cells into sources that yaegi evaluates
// correctly, and keeps the notebook's accumulated declarations.
//
// # What a cell may be
//
// A cell mixes imports, declarations and statements in any order. yaegi
// evaluates either declarations or statements, never both; package-level
// `var` initializers that mention another package-level name fail ("variable
// definition loop"); code compiled before a redefinition keeps the old
// binding; type and method redefinitions are silently ignored; min, max and
// clear do not exist; a panic in an interpreted goroutine kills the process.
// Rewrite plans around all of it. A Plan is three sources for Eval: Decls
// (imports and package-level declarations), Body (a function holding the
// cell's statements) and Call (which runs it and returns the final value).
//
// # Splitting and checking
//
// The cell is cut at top-level semicolons (go/scanner, outside brackets;
// the semicolons of a for, if or switch header cut only where the piece
// before them parses as a whole statement). Pieces starting with import,
// type, const, func NAME or func (recv) NAME are declarations; everything
// else (var included) is a statement. The
// pieces are reassembled as one file: imports, declarations, then
// `func __gonn_cellN() { statements }`, each preceded by a //line directive,
// so every position the parser and go/types report is the cell's own line
// and column. The file is type-checked with go/types together with the
// program's current declarations and hoisted variables (the importer comes
// from interp/symtypes, so it sees exactly yaegi's symbol tables). Unused
// variables and imports are not errors; the unused value of the final
// expression is the cell's result.
//
// A cell without declarations is checked as one more file of the package
// from the last committed check (go/types accepts files added to a checked
// package), so a trivial cell does not re-check the program. Its cell
// function stays in that package's scope; after 1000 such cells a full check
// makes a fresh one. A cell with declarations, or one that changes the type
// of a variable, re-checks the whole program.
//
// # Hoisting
//
// Each variable declared by a top-level statement (`x := ...`,
// `a, err := f()`, `var y T`, `var z = ...`, grouped vars) becomes a
// package-level `var x T` in Decls, with T from go/types (untyped constants
// take their default type), written with the import names cells use
// (a package no cell imported, such as io for a json.Decoder's Buffered, is
// imported as io__gonn, which leaves the name io free; Vars and UserText
// show it as io). In Body the declaration becomes an assignment:
// `x := 1` is written `x  = 1` (same columns), `var y T` is `y = *new(T)`, so
// re-running a cell resets it. Variables of nested blocks stay local. A type
// that cannot be named at package level (an unexported type of a package)
// is hoisted as the interface of its exported methods, or any.
//
// A variable is declared again only when its type changes. Then it is new
// storage in yaegi, so declarations that use it are compiled again; code
// that still holds the old storage is gone from the program.
//
// # Pre-imports
//
// The packages every cell sees without importing them (New's preimports)
// behave like Python's builtins. The interpreter imports them as NAME__gonn
// (PreimportSource), and the rewriter writes every use of such a package
// with that alias, so the plain name stays free: a top-level declaration of
// it by a cell (`time := 5`, `func sort()`, `type data ...`, a const)
// shadows the package from then on (`time.Now()` is then a type error, as
// in Go), and an explicit `import "time"` brings the package back and drops
// the user's declaration of time. Declarations keep the binding they were
// written with: once a cell's declarations are emitted, their identifiers
// that name a pre-import are renamed to the alias in the AST, so a func
// written with time.Now still type-checks after `time := 5`. Every checked
// file imports the aliases too, and hoisted variables' types are written
// with them (Vars and UserText show the plain names). A cell that declares
// the name hides the package in all of its code (`data := data.Digits()`
// is an error that says so). A cell cannot import and declare the same
// name, nor declare the name of a package it or an earlier cell imported
// explicitly.
//
// # Redefinition: "last definition wins"
//
// Each package-level declaration is a unit (a func, a method, one type spec,
// one const declaration) with the names it uses. Re-running an identical
// declaration changes nothing. A changed func, const, type or variable
// marks its name changed, and every unit that uses a changed name is
// emitted again in Decls, transitively, so earlier callers see the new
// definition (yaegi fact 3). A unit from an earlier cell that no longer
// type-checks against the new definitions (a caller of a func whose
// signature changed) is removed from the program with a warning
// (Plan.Warnings); yaegi keeps its old compiled version, which later cells
// cannot name.
//
// Types: yaegi ignores a second `type P ...` and a second method of the same
// name (issue #1410), but adding a method works. We measured the options:
//
//   - replaying all declarations into a fresh interpreter: 4.2 ms for the
//     50-declaration notebook of the benchmarks, growing with the notebook,
//     and every variable's value is lost (values cannot move between
//     interpreters), so a replay must also re-run every cell: unacceptable
//     for a training notebook;
//   - versioned type names (chosen): a redefined type, or a type whose
//     method changes, or whose declaration or methods use a changed name, is
//     emitted as P__gonnN (N unique across the session) with all its current
//     methods, and every reference in emitted code uses the current version.
//     1.5 ms for the same notebook (BenchmarkRedefine: a helper used by 9
//     funcs and a method of a type used by its methods), and variables keep
//     their values.
//
// The first version of a type keeps the plain name. Names containing
// "__gonn" are reserved; UserName and UserText map versioned names back for
// messages. Type-checking uses the user's names (the current version),
// except for variables that hold values of an older version: like an old
// instance in Python, such a variable keeps its old type and methods. The
// plan warns, naming the variables; from then on they are declared to the
// type checker with the type they had in the last committed check (an
// object in the package scope, since no source can name that version), so
// Types, completion and type-checking see the old fields and methods, and
// misusing one as the new type is a compile-time error that ends with "p
// holds a value of an earlier definition of P; re-run the cell that made
// it". A variable made from one (`q := p`) is hoisted as the interface of
// its methods, as for a type that cannot be named. An embedded field is
// named after its type, so references to it by name (d.Base, Derived{Base:
// ...}) follow the type's version too.
//
// # Consts
//
// A const declaration is emitted with the values and types go/types
// computed (`const (Step time.Duration = 250000000; )`): yaegi reports
// "constant definition loop" for a const whose value uses another constant.
//
// # Final expression
//
// If the last top-level statement is an expression with a value, Body
// returns it as `any(x)`, and Plan.ResultType is its static type (yaegi fails on `return err == nil` into an any
// result); a call with several results returns them as a []any. Calls of
// fmt's Print, Fprint and Scan families and Write methods show no result.
//
// # min, max, clear, go, blank assignments
//
// Calls of the builtins (not of a user's min) become function literals of
// the concrete type (`func(x T, ys ...T) T {...}(args)`, NaN-aware);
// constant calls become the constant. `go f(a, b)` becomes
// `{ f_, a_, b_ := f, a, b; go func() { defer recover-and-report; f_(a_, b_) }() }`,
// so arguments are evaluated at the go statement and a panic reaches
// GoPanicHook (the session defines it) instead of killing the process.
// `_ = x` becomes `_ = any(x)`: yaegi types the blank identifier's slot by
// its first use in a function. A loop with an empty body gets an empty
// block in it (`for ... {{}}`): after such a loop, yaegi's returns in the
// same function return the zero value.
//
// # Source
//
// Program.Source gives the text of a name's current declaration as the
// user wrote it, with the // comment lines just above it in its cell, for
// Inspect (the session sets lang.Env.Source to it).
//
// # Positions
//
// Decls and Body carry //line directives (and /*line*/ after each rewritten
// piece) with yaegi's file name "_.go" and nothing else: yaegi resolves
// imports of package-level declarations by file name, and leaves that name
// out of its messages, which therefore read "LINE:COL: msg" with the cell's
// own line and column (declarations re-emitted from earlier cells carry
// their own cell's lines; a hoisted variable's declaration the position of
// the statement that makes it). The checked file's directives name the
// cell's label instead; they never reach the interpreter, because no
// statement spans two pieces of the cell (headers stay whole). yaegi's
// choice of node for a run-time panic is approximate, but its lines are the
// cell's.
//
// # Not handled
//
// yaegi limitations the rewriter does not hide: generic types lose their
// methods and a second type parameter inferred from a func argument is
// mis-inferred; errors.Is and errors.As do not see an interpreted Unwrap
// method; a panic in a nested block is reported at an earlier statement.
// A cell's `init` runs when its Decls are evaluated. A func named main is
// emitted as main__gonn: yaegi calls main after every Eval once it exists.
//
// # Cost
//
// Measured on the 2-core development machine (shared with other builds, so
// figures vary by about 2x between runs), Go 1.26:
//
//	go test -run XXX -bench . -benchtime 1000x -benchmem ./interp/rewrite/
//
//	BenchmarkRewriteTrivial       17 us/op  (Rewrite of `1+1`)
//	BenchmarkRewriteAfter50       25 us/op  (Rewrite of a print after ~50 declarations)
//	BenchmarkRewriteDeclAfter50  0.8 ms/op  (a new func: the whole program is checked)
//	BenchmarkCellTrivial          56 us/op  (Rewrite + yaegi Eval + Commit)
//	BenchmarkCellAfter50          93 us/op
//	BenchmarkRedefine            1.5 ms/op  (helper and method redefined, dependents re-emitted)
//	BenchmarkReplay              4.2 ms/op  (fresh interpreter, all declarations again)
//
// With the pre-import aliases, a cell without declarations is checked with
// only the imports it names: BenchmarkCellTrivial allocates 526 times (541
// before the aliases) and interp's BenchmarkExecuteTrivialCell, with all
// the session's pre-imports, 949 (1133); a full check imports the aliases
// too (BenchmarkRewriteTrivial, which never commits, 203 against 180).
// Times are within this machine's noise.
package rewrite
