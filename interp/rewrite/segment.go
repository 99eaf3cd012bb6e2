package rewrite

import (
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// segKind classifies a top-level piece of a cell.
type segKind int

const (
	segStmt   segKind = iota // a statement: runs in the cell's function
	segImport                // an import declaration
	segDecl                  // a func, method, type or const declaration
	segSkip                  // a package clause: cells are all package main
)

// segment is a top-level piece of a cell: bytes [start, end) of the cell,
// from its first token to the end of its last one.
type segment struct {
	kind       segKind
	start, end int
}

// splitCell cuts a cell into top-level pieces at the semicolons (written or
// inserted at line ends) that are outside any bracket. Scanner errors are
// left for the parser to report.
func splitCell(src string) []segment {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)
	var (
		segs  []segment
		toks  []token.Token // first tokens of the current piece
		depth int
		start = -1
		end   int
	)
	flush := func() {
		if start >= 0 {
			segs = append(segs, segment{kind: classify(toks), start: start, end: end})
		}
		toks, start = toks[:0], -1
	}
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		off := file.Offset(pos)
		if t == token.SEMICOLON && depth <= 0 {
			// The semicolons of a for, if or switch header do not end
			// the statement: cut there only once the piece so far is a
			// whole statement.
			if lit == ";" && start >= 0 && hasHeader(toks) && !wholeStmt(src[start:end]) {
				end = off + 1
				continue
			}
			flush()
			continue
		}
		switch t {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		}
		if start < 0 {
			start = off
		}
		if len(toks) < 64 {
			toks = append(toks, t)
		}
		if lit != "" {
			end = off + len(lit)
		} else {
			end = off + len(t.String())
		}
		end = min(end, len(src))
	}
	flush()
	return segs
}

// hasHeader tells whether a statement starting with tokens ts (a label
// allowed) has a header that may hold semicolons.
func hasHeader(ts []token.Token) bool {
	if len(ts) > 2 && ts[0] == token.IDENT && ts[1] == token.COLON {
		ts = ts[2:]
	}
	return len(ts) > 0 && (ts[0] == token.FOR || ts[0] == token.IF || ts[0] == token.SWITCH)
}

// wholeStmt tells whether src parses as a statement list.
func wholeStmt(src string) bool {
	_, err := parser.ParseFile(token.NewFileSet(), "", "package p;func _(){"+src+"\n}", parser.SkipObjectResolution)
	return err == nil
}

// classify tells a piece's kind from its first tokens. `func` starts a
// declaration when a name follows, or a receiver and then a name and a
// parameter list; otherwise it is a function literal in a statement.
func classify(ts []token.Token) segKind {
	if len(ts) == 0 {
		return segStmt
	}
	switch ts[0] {
	case token.PACKAGE:
		return segSkip
	case token.IMPORT:
		return segImport
	case token.TYPE, token.CONST:
		return segDecl
	case token.FUNC:
		if len(ts) > 1 && ts[1] == token.IDENT {
			return segDecl
		}
		if len(ts) > 1 && ts[1] == token.LPAREN {
			depth := 0
			for i := 1; i < len(ts); i++ {
				switch ts[i] {
				case token.LPAREN, token.LBRACK, token.LBRACE:
					depth++
				case token.RPAREN, token.RBRACK, token.RBRACE:
					depth--
				}
				if depth == 0 {
					if i+2 < len(ts) && ts[i+1] == token.IDENT && (ts[i+2] == token.LPAREN || ts[i+2] == token.LBRACK) {
						return segDecl
					}
					return segStmt
				}
			}
		}
	}
	return segStmt
}

// lineCol returns the 1-based line and byte column of offset off in src.
func lineCol(src string, off int) (line, col int) {
	line = 1 + strings.Count(src[:off], "\n")
	return line, off - strings.LastIndexByte(src[:off], '\n')
}
