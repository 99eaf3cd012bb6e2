// Package rewrite turns notebook cells into sources that yaegi evaluates
// correctly, and keeps the notebook's accumulated declarations.
//
// This file fixes the API the session uses; the implementation is in
// progress.
package rewrite

import (
	"fmt"
	"go/types"
)

// Program is the notebook's accumulated top-level state: the current
// declaration of every name, type versions, and the type-checked package.
// It is not safe for concurrent use.
type Program struct {
	imp types.Importer
}

// New returns an empty Program. imp resolves import paths to packages
// (built from yaegi's symbol tables); preimports are the import paths every
// cell sees without importing them.
func New(imp types.Importer, preimports []string) *Program {
	return &Program{imp: imp}
}

// Plan is what the session evaluates for one cell, in order: Decls (if not
// empty), Body (if not empty), then Call (if not empty). Each is a complete
// source for yaegi's Eval.
type Plan struct {
	// Decls holds imports and package-level declarations: the cell's own,
	// hoisted variables, and re-emitted declarations that depend on a name
	// the cell redefines.
	Decls string
	// Body declares the function that runs the cell's statements.
	Body string
	// Call runs Body. When HasResult is true its value is the cell's final
	// expression value, as an `any`.
	Call      string
	HasResult bool
}

// Error is a compile-time error in a cell, at the cell's own 1-based line
// and column.
type Error struct {
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Rewrite plans the evaluation of a cell. It does not change p: call
// Commit once the plan has been evaluated without a compile error.
// Compile-time errors (syntax, types) are returned as *Error.
func (p *Program) Rewrite(cell string) (*Plan, error) {
	return &Plan{Body: "func __gonn_cell() {\n" + cell + "\n}", Call: "__gonn_cell()"}, nil
}

// Commit records plan's declarations as the program's current ones.
func (p *Program) Commit(plan *Plan) {}

// Types returns the type-checked package of the current declarations and
// hoisted variables, for completion and inspection. It may be nil before the
// first cell.
func (p *Program) Types() *types.Package { return nil }

// UserName maps an internal name (a versioned type name) to the name the user
// wrote.
func (p *Program) UserName(internal string) string { return internal }
