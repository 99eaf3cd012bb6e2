package lang

import (
	"go/types"
	"reflect"
)

// Env is what the session knows when a question is asked. Any field may be
// empty (before the first cell, everything is).
type Env struct {
	// Program is the type-checked package of the user's declarations and
	// hoisted variables from earlier cells.
	Program *types.Package
	// Imports maps the name a cell uses for a package ("fmt", "tensor") to
	// the package, for pre-imported packages and those imported by cells.
	Imports map[string]*types.Package
	// UserName maps an internal name (a versioned type name) back to the
	// name the user wrote. Nil means the identity.
	UserName func(string) string
	// Value returns the current value of a user variable.
	Value func(name string) (reflect.Value, bool)
	// GOROOT locates Go's sources for documentation; empty disables it.
	GOROOT string
	// Importer resolves imports a cell adds that are not in Imports
	// (optional).
	Importer types.Importer
	// Source returns the source text of the user's current declaration of
	// a package-level name, doc comment included, for Inspect (optional);
	// a method's name is asked as "T.M".
	Source func(name string) (string, bool)
	// ImportPaths returns the import paths cells may import, for completing
	// import declarations (optional; symtypes.Importer.Paths fits).
	ImportPaths func() []string
	// Docs caches the documentation read from GOROOT. Nil means a cache
	// shared by the package.
	Docs *DocCache
}

// IsComplete reports "complete", "incomplete" (with the indent of the next
// line) or "invalid" for src; it never answers "unknown".
//
// A cell is incomplete when the only thing wrong with it is at its end and
// brackets, a raw string or a block comment are still open; it is invalid
// when more input cannot fix it (an interpreted string cannot span lines,
// so an open "... is invalid). The indent is one level (four spaces, or a
// tab when the last indented line uses tabs) per line holding an open
// bracket. Magic lines (%time, !ls) count as complete.
func IsComplete(src string) (status, indent string) {
	return isComplete(src)
}

// Complete returns the completions at cursor (a rune offset into src) and
// the rune range [start, end) they replace; kinds is parallel to matches.
//
// Contexts: members of an imported package after "pkg." (exported only);
// fields and methods, promoted and pointer-receiver ones included, after a
// value of a known type ("x.", "a.b.", "x.Method()."); otherwise the names
// in scope (the cell's own, earlier cells', imported packages, builtins)
// and keywords. Nothing is proposed inside strings and comments. Matches
// never include the machinery's internal names, and versioned names show
// as the user wrote them. The slices are never nil.
func Complete(src string, cursor int, env Env) (matches []string, start, end int, kinds []string) {
	return complete(src, cursor, &env)
}

// Inspect returns plain-text documentation for the name at cursor (a rune
// offset into src); detail 1 asks for more (the source, when known).
//
// The name is the identifier at or just before the cursor or, when the
// cursor is between a call's parentheses, the called function. Package
// members show their declaration and doc comment (the standard library's
// from Env.GOROOT's sources, the project's from an index embedded at
// build time); user variables their type and current value; user
// functions and types their declaration and methods.
func Inspect(src string, cursor int, detail int, env Env) (text string, found bool) {
	text = inspect(src, cursor, detail, &env).text()
	return text, text != ""
}

// InspectMarkdown is Inspect rendered as Markdown, for a text/markdown
// representation beside Inspect's text/plain: declarations in Go code
// blocks, doc comments converted to Markdown, values in code blocks.
func InspectMarkdown(src string, cursor int, detail int, env Env) (markdown string, found bool) {
	markdown = inspect(src, cursor, detail, &env).markdown(&env)
	return markdown, markdown != ""
}
