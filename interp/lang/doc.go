// Package lang answers the editor's questions about Go cells without running
// them: is the cell complete, what completes the word at the cursor, what is
// the name under the cursor.
//
// IsComplete uses only go/scanner and go/parser. A cell is split at the
// semicolons outside brackets into top-level statements and declarations,
// and each is parsed as Go allows it (declarations in a file, statements
// in a function body), so cells that mix the two are understood.
//
// Complete and Inspect type-check the cell (for Complete, the text before
// the cursor with the word replaced by a marker and open brackets closed)
// in a fresh package that shares the import path of Env.Program: the
// user's earlier declarations are put in its scope under the names the
// user wrote, the imported packages as package names, and the cell's
// declarations at package level with its statements in a function. Errors
// are ignored; whatever go/types could type is used. Sharing the path lets
// selectors reach the unexported fields and methods of the user's types.
//
// Documentation comes from GOROOT's sources for the standard library,
// parsed once per package into a DocCache, and from projectdocs.json for
// the project's own packages, embedded at build time (`go generate
// ./interp/lang`; a test fails when it is stale) so it works wherever the
// binary runs. Both are built by internal/docindex.
package lang
