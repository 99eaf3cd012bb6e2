package interp

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// withLines returns the cell function's source with a call of the Line
// hook before each of its top-level statements, so that a panic can name
// the cell line that was running: yaegi's own panic positions name the
// start of each function, not the failing statement. The call goes before
// the rewriter's //line directive for the statement, which keeps the
// statement's positions. body is returned unchanged when it is not a
// function declaration that parses.
func withLines(body string) string {
	const head = "package main\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", head+body, parser.ParseComments)
	if err != nil || len(f.Decls) != 1 {
		return body
	}
	fn, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || fn.Body == nil {
		return body
	}
	var b strings.Builder
	last := 0
	lbrace := fset.Position(fn.Body.Lbrace).Offset - len(head)
	for _, st := range fn.Body.List {
		line := fset.Position(st.Pos()).Line // after //line directives: the cell's
		off := fset.Position(st.Pos()).Offset - len(head)
		if off < last || off > len(body) {
			return body
		}
		// Insert at the start of the statement's line, or of the //line
		// directive just above it.
		at := strings.LastIndexByte(body[:off], '\n') + 1
		if prev := strings.LastIndexByte(body[:max(at-1, 0)], '\n') + 1; at > 0 && strings.HasPrefix(body[prev:at], "//line ") {
			at = prev
		}
		if at <= lbrace || at < last {
			return body // statements share a line: leave the body alone
		}
		b.WriteString(body[last:at])
		b.WriteString(hooksName + ".Line(" + strconv.Itoa(line) + ")\n")
		last = at
	}
	b.WriteString(body[last:])
	return b.String()
}
