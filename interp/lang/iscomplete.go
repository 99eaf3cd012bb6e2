package lang

import (
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// isComplete implements IsComplete.
func isComplete(src string) (status, indent string) {
	src = maskMagics(src)
	if strings.TrimSpace(src) == "" {
		return "complete", ""
	}
	l := lex(src)
	if l.unterminated() {
		return "incomplete", ""
	}
	open, mismatch := l.brackets()
	if mismatch {
		return "invalid", ""
	}
	end := len(strings.TrimRight(src, " \t\r\n"))
	atEnd := true
	for _, e := range l.errs {
		if e.off < end {
			return "invalid", ""
		}
	}
	for _, s := range l.segments() {
		if off, ok := parseSegment(src[s.pos:s.end], s.decl); !ok {
			if s.pos+off < end {
				return "invalid", ""
			}
			atEnd = false
		}
	}
	if atEnd {
		// Every segment parsed, although brackets may still be open (a
		// segment ends at a semicolon outside brackets, so only the last
		// can hold them).
		if len(open) == 0 {
			return "complete", ""
		}
	}
	if len(open) == 0 {
		return "invalid", ""
	}
	return "incomplete", nextIndent(src, open)
}

// parseSegment parses one top-level statement or declaration and returns,
// when it fails, the byte offset into seg of the first error (len(seg) or
// more when the error is at its end).
func parseSegment(seg string, decl bool) (errOff int, ok bool) {
	prefix := "package p;func _(){\n"
	suffix := "\n}"
	if decl {
		prefix, suffix = "package p;", "\n"
	}
	_, err := parser.ParseFile(token.NewFileSet(), "", prefix+seg+suffix, parser.SkipObjectResolution)
	if err == nil {
		return 0, true
	}
	if list, isList := err.(scanner.ErrorList); isList && len(list) > 0 {
		return list[0].Pos.Offset - len(prefix), false
	}
	return len(seg), false
}

// nextIndent returns the indentation for the line after src: one level per
// line that still holds an open bracket, in the unit (tab or four spaces)
// of the last indented line.
func nextIndent(src string, open []opener) string {
	levels := 0
	lastLine := -1
	for _, o := range open {
		if o.line != lastLine {
			levels++
			lastLine = o.line
		}
	}
	unit := "    "
	lines := strings.Split(src, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		ln := lines[i]
		if strings.TrimSpace(ln) == "" {
			continue
		}
		if ln[0] == '\t' {
			unit = "\t"
			break
		}
		if ln[0] == ' ' {
			break
		}
	}
	return strings.Repeat(unit, levels)
}

// maskMagics replaces magics with spaces, keeping every byte offset: a
// line magic (%name ...) or a shell line (!cmd) entirely, except that the
// Go statement after %time or %timeit is kept; the line of a cell magic
// (%%name) entirely, its body being Go. A line starting with ! that
// continues an expression (the line before ends with an operator, a comma
// or an open bracket) is Go, not a shell command.
func maskMagics(src string) string {
	if !strings.ContainsAny(src, "%!") {
		return src
	}
	b := []byte(src)
	prev := "" // the last non-blank Go line, trimmed
	for start := 0; start < len(b); {
		end := start + strings.IndexByte(src[start:], '\n')
		if end < start {
			end = len(src)
		}
		line := src[start:end]
		t := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " \t"))
		mask := 0 // bytes of the line to blank, from its start
		switch {
		case strings.HasPrefix(t, "%%"):
			mask = len(line)
		case strings.HasPrefix(t, "%"):
			mask = len(line)
			word, _, _ := strings.Cut(t[1:], " ")
			if word == "time" || word == "timeit" {
				mask = indent + 1 + len(word)
			}
		case strings.HasPrefix(t, "!") && (prev == "" || !strings.ContainsAny(prev[len(prev)-1:], "+-*/%&|^<>=!,([{:")):
			mask = len(line)
		}
		for i := start; i < start+mask; i++ {
			b[i] = ' '
		}
		if rest := strings.TrimSpace(line[mask:]); rest != "" {
			prev = rest
		}
		start = end + 1
	}
	return string(b)
}
