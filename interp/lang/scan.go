package lang

import (
	"go/scanner"
	"go/token"
	"unicode"
	"unicode/utf8"
)

// tok is one token of a cell, with byte offsets into the cell.
type tok struct {
	tok      token.Token
	pos, end int
	lit      string
}

// lexed is a cell split into tokens, with what the scanner found wrong.
type lexed struct {
	src  string
	toks []tok // comments included, EOF excluded
	// errs are the scanner's errors, by byte offset.
	errs []lexError
}

type lexError struct {
	off int
	msg string
}

// lex scans src with comments and automatic semicolons.
func lex(src string) *lexed {
	l := &lexed{src: src}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(pos token.Position, msg string) {
		l.errs = append(l.errs, lexError{off: pos.Offset, msg: msg})
	}, scanner.ScanComments)
	for {
		p, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		off := file.Offset(p)
		end := off
		switch {
		case t == token.SEMICOLON && lit == "\n":
			// automatic semicolon: zero width
		case lit != "":
			end = off + len(lit)
		default:
			end = off + len(t.String())
		}
		if t == token.COMMENT && lit != "" && lit[len(lit)-1] == '\n' {
			end-- // /*...*/ comments with newlines keep them; // comments don't include one
		}
		if end > len(src) {
			end = len(src)
		}
		l.toks = append(l.toks, tok{tok: t, pos: off, end: end, lit: lit})
	}
	return l
}

// unterminated reports whether the cell ends inside a raw string or a
// block comment, which more input can close.
func (l *lexed) unterminated() bool {
	for _, e := range l.errs {
		if e.msg == "raw string literal not terminated" || e.msg == "comment not terminated" {
			return true
		}
	}
	return false
}

// inLiteral reports whether byte offset off lies inside a string, rune
// literal or comment, where completion makes no sense.
func (l *lexed) inLiteral(off int) bool {
	for _, t := range l.toks {
		if t.pos >= off {
			break
		}
		switch t.tok {
		case token.STRING, token.CHAR, token.COMMENT:
		default:
			continue
		}
		var closed bool
		switch {
		case t.tok == token.COMMENT && len(t.lit) >= 2 && t.lit[1] == '/':
			closed = false // a line comment runs to the end of its line
		case t.tok == token.COMMENT:
			closed = len(t.lit) >= 4 && t.lit[len(t.lit)-2:] == "*/"
		default:
			q := t.lit[0]
			closed = len(t.lit) >= 2 && t.lit[len(t.lit)-1] == q && !(q != '`' && escapedEnd(t.lit))
		}
		if off < t.end || (!closed && off == t.end) {
			return true
		}
	}
	return false
}

// escapedEnd reports whether the closing quote of an interpreted literal is
// escaped (so the literal is not closed).
func escapedEnd(lit string) bool {
	n := 0
	for i := len(lit) - 2; i >= 1 && lit[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// opener is an open bracket and the line it is on.
type opener struct {
	tok  token.Token // LPAREN, LBRACK or LBRACE
	off  int
	line int
	// call marks the body of a function literal after go or defer, which
	// must be closed with "}()" to parse.
	call bool
}

// brackets returns the brackets still open at the end of the cell, and
// whether a closing bracket did not match (which more input cannot fix).
func (l *lexed) brackets() (open []opener, mismatch bool) {
	line, last := 0, 0
	goFunc := -1 // the depth of a "go func" or "defer func" literal's body
	for i, t := range l.toks {
		for _, c := range l.src[last:t.pos] {
			if c == '\n' {
				line++
			}
		}
		last = t.pos
		switch t.tok {
		case token.GO, token.DEFER:
			if i+1 < len(l.toks) && l.toks[i+1].tok == token.FUNC {
				goFunc = len(open)
			}
		case token.LBRACE:
			open = append(open, opener{tok: t.tok, off: t.pos, line: line, call: goFunc == len(open)})
			if goFunc == len(open)-1 {
				goFunc = -1
			}
		case token.LPAREN, token.LBRACK:
			open = append(open, opener{tok: t.tok, off: t.pos, line: line})
		case token.RPAREN, token.RBRACK, token.RBRACE:
			want := map[token.Token]token.Token{token.RPAREN: token.LPAREN, token.RBRACK: token.LBRACK, token.RBRACE: token.LBRACE}[t.tok]
			if len(open) == 0 || open[len(open)-1].tok != want {
				return open, true
			}
			open = open[:len(open)-1]
		}
	}
	return open, false
}

// closers returns the text that closes the open brackets.
func closers(open []opener) string {
	b := make([]byte, 0, len(open))
	for i := len(open) - 1; i >= 0; i-- {
		switch open[i].tok {
		case token.LPAREN:
			b = append(b, ')')
		case token.LBRACK:
			b = append(b, ']')
		default:
			b = append(b, '}')
			if open[i].call {
				b = append(b, "()"...)
			}
		}
	}
	return string(b)
}

// segment is one top-level statement or declaration of a cell.
type segment struct {
	pos, end int // byte range in the cell, without the terminating semicolon
	decl     bool
	imp      bool // an import declaration
}

// segments splits the cell at the semicolons (explicit or automatic) that
// are outside any bracket. Comments are not part of any segment.
func (l *lexed) segments() []segment {
	var segs []segment
	depth := 0
	header := false // in the header of if, for or switch, whose ; don't end statements
	first := -1     // index of the segment's first token
	comment := -1   // offset of the comments just before the segment
	lastEnd := 0
	flush := func() {
		if first < 0 {
			return
		}
		s := segment{pos: l.toks[first].pos, end: lastEnd}
		if comment >= 0 {
			s.pos = comment // keep doc comments with their declaration
		}
		s.decl, s.imp = l.isDecl(first)
		segs = append(segs, s)
		first = -1
		comment = -1
		header = false
	}
	for i, t := range l.toks {
		switch t.tok {
		case token.COMMENT:
			if first < 0 && comment < 0 {
				comment = t.pos
			}
			continue
		case token.SEMICOLON:
			if depth == 0 && !header {
				flush()
				continue
			}
		case token.IF, token.FOR, token.SWITCH:
			if depth == 0 {
				header = true
			}
		case token.LBRACE:
			if depth == 0 {
				header = false
			}
			depth++
		case token.LPAREN, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if depth > 0 {
				depth--
			}
		}
		if first < 0 {
			first = i
		}
		lastEnd = t.end
	}
	flush()
	return segs
}

// isDecl reports whether the segment starting at token i is a declaration
// (func, method, import, type, var, const: the last three can be
// statements too, but the notebook makes them package-level), and whether
// it is an import.
func (l *lexed) isDecl(i int) (decl, imp bool) {
	next := func(j int) token.Token {
		for ; j < len(l.toks); j++ {
			if l.toks[j].tok != token.COMMENT {
				return l.toks[j].tok
			}
		}
		return token.EOF
	}
	nextIdx := func(j int) int {
		for ; j < len(l.toks); j++ {
			if l.toks[j].tok != token.COMMENT {
				return j
			}
		}
		return len(l.toks)
	}
	switch l.toks[i].tok {
	case token.IMPORT:
		return true, true
	case token.PACKAGE, token.TYPE, token.VAR, token.CONST:
		return true, false
	case token.FUNC:
		j := nextIdx(i + 1)
		switch next(j) {
		case token.IDENT:
			return true, false
		case token.LPAREN:
			// method declaration "func (r T) Name(" vs literal "func(a T) {...}()"
			depth := 0
			for k := j; k < len(l.toks); k++ {
				switch l.toks[k].tok {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
				}
				if depth == 0 {
					k = nextIdx(k + 1)
					return next(k) == token.IDENT && next(nextIdx(k+1)) == token.LPAREN, false
				}
			}
		}
	}
	return false, false
}

// isIdentRune reports whether r can be part of an identifier.
func isIdentRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// identBefore returns the start of the identifier characters that end at
// byte offset off.
func identBefore(src string, off int) int {
	for off > 0 {
		r, n := utf8.DecodeLastRuneInString(src[:off])
		if !isIdentRune(r) {
			break
		}
		off -= n
	}
	return off
}

// identAfter returns the end of the identifier characters that start at
// byte offset off.
func identAfter(src string, off int) int {
	for off < len(src) {
		r, n := utf8.DecodeRuneInString(src[off:])
		if !isIdentRune(r) {
			break
		}
		off += n
	}
	return off
}

// runeToByte converts a rune offset into src to a byte offset, clamped to
// the text.
func runeToByte(src string, runes int) int {
	if runes <= 0 {
		return 0
	}
	n := 0
	for i := range src {
		if n == runes {
			return i
		}
		n++
	}
	return len(src)
}

// byteToRune converts a byte offset into src to a rune offset.
func byteToRune(src string, off int) int {
	if off > len(src) {
		off = len(src)
	}
	return utf8.RuneCountInString(src[:off])
}

// importPath reports whether off is inside the path of an import
// declaration, and where the path's text (after the quote) starts.
func (l *lexed) importPath(off int) (start int, ok bool) {
	var toks []tok
	for _, t := range l.toks {
		if t.tok != token.COMMENT && !(t.tok == token.SEMICOLON && t.lit == "\n" && t.pos >= off) {
			toks = append(toks, t)
		}
	}
	n := len(toks)
	if n < 2 {
		return 0, false
	}
	last := toks[n-1]
	if last.tok != token.STRING || last.end != off || last.lit[0] == '\'' {
		return 0, false
	}
	if len(last.lit) >= 2 && last.lit[len(last.lit)-1] == last.lit[0] {
		return 0, false // the path is closed before the cursor
	}
	j := n - 2
	if toks[j].tok == token.IDENT || toks[j].tok == token.PERIOD { // a named import
		j--
	}
	if j >= 0 && toks[j].tok == token.IMPORT {
		return last.pos + 1, true
	}
	// inside import ( ... )
	group := false
	for i := 0; i < n-1; i++ {
		switch toks[i].tok {
		case token.LPAREN:
			group = i > 0 && toks[i-1].tok == token.IMPORT
		case token.RPAREN:
			group = false
		}
	}
	if group && j >= 0 && (toks[j].tok == token.SEMICOLON || toks[j].tok == token.LPAREN) {
		return last.pos + 1, true
	}
	return 0, false
}
