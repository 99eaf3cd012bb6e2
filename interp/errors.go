package interp

import (
	"errors"
	"fmt"
	"go/scanner"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/gonnlab/gonn/third_party/yaegi/interp"

	"github.com/gonnlab/gonn/interp/rewrite"
	"github.com/gonnlab/gonn/interrupt"
)

const (
	ansiRed   = "\x1b[0;31m"
	ansiReset = "\x1b[0m"
)

// chainLine matches the lines yaegi prints to its Stderr while a panic
// unwinds interpreted frames: "1:33: panic: main.f(...)", with an optional
// file name before the position.
var chainLine = regexp.MustCompile(`^(?:(.*?):)?(\d+):(\d+): panic: (.*)\(\.\.\.\)\n?$`)

// position at the start of a compiler message: "file:line:col: " or
// "line:col: ".
var msgPos = regexp.MustCompile(`^(?:([^:\s]*):)?(\d+):(\d+): `)

// runtimeMessages turn the reflect errors that stand for Go runtime errors
// in interpreted code into the messages compiled Go gives.
var runtimeMessages = []struct{ prefix, msg string }{
	{"reflect: slice index out of range", "runtime error: index out of range"},
	{"reflect: array index out of range", "runtime error: index out of range"},
	{"reflect: string index out of range", "runtime error: index out of range"},
	{"reflect: call of reflect.Value.Field on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: call of reflect.Value.Elem on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: call of reflect.Value.Set on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: call of reflect.Value.Call on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect: call of reflect.Value.Interface on zero Value", "runtime error: invalid memory address or nil pointer dereference"},
	{"reflect.Value.SetMapIndex: nil map", "assignment to entry in nil map"},
}

// panicMessage is the one-line text of a panic value.
func panicMessage(r any) string {
	var msg string
	switch v := r.(type) {
	case error:
		msg = v.Error()
	case string:
		msg = v
	case fmt.Stringer:
		msg = v.String()
	default:
		msg = fmt.Sprintf("%v", v)
	}
	for _, m := range runtimeMessages {
		if strings.HasPrefix(msg, m.prefix) {
			return m.msg
		}
	}
	return msg
}

// panicError turns a panic value recovered from a cell into an Error.
// chain is the interpreted call chain yaegi printed while unwinding; where
// names where the panic happened ("goroutine " or ""); line is the cell's
// line that was running (0 when unknown) and cell the cell's code.
func (s *Session) panicError(r any, chain []string, where string, line int, cell string) *Error {
	// A value that interpreted code panics with arrives as a reflect.Value.
	if v, ok := r.(reflect.Value); ok && v.IsValid() && v.CanInterface() {
		r = v.Interface()
	}
	switch v := r.(type) {
	case exitPanic:
		value := "exit status " + strconv.Itoa(v.code)
		if v.msg != "" {
			value = v.msg + " (" + value + ")"
		}
		return &Error{Name: "Exit", Value: value, Traceback: []string{ansiRed + "Exit" + ansiReset + ": " + value}}
	case interrupt.Error:
		return interrupted()
	}
	if err, ok := r.(error); ok && errors.Is(err, interrupt.ErrInterrupted) {
		return interrupted()
	}
	msg := s.prog.UserText(panicMessage(r))
	tb := []string{ansiRed + where + "panic" + ansiReset + ": " + msg}
	if lines := strings.Split(cell, "\n"); line >= 1 && line <= len(lines) {
		tb = append(tb, fmt.Sprintf("%4d | %s", line, strings.ReplaceAll(lines[line-1], "\t", "    ")))
	}
	if frames := s.chainFrames(chain, line); len(frames) > 0 {
		tb = append(tb, "", "interpreted call chain (innermost first):")
		tb = append(tb, frames...)
	}
	return &Error{Name: "panic", Value: msg, Traceback: tb}
}

func interrupted() *Error {
	return &Error{Name: "Interrupted", Value: "the cell was interrupted", Traceback: []string{ansiRed + "Interrupted" + ansiReset + ": the cell was interrupted"}}
}

// chainFrames formats the chain lines yaegi printed, innermost first, as
// the functions' user names. yaegi's positions there name the start of
// each function rather than the failing statement, so they are left out;
// the cell's own frame gets line, the cell line that was running (when
// known). The session's own frames are dropped: the top level of an
// evaluated source ("main") and the Run wrapper's closure, the outermost
// function.
func (s *Session) chainFrames(chain []string, line int) []string {
	var fns []string
	for _, l := range chain {
		m := chainLine.FindStringSubmatch(l)
		if m == nil || m[4] == "main" {
			continue
		}
		fns = append(fns, m[4])
	}
	if n := len(fns); n > 0 && fns[n-1] == "main.func" {
		fns = fns[:n-1]
	}
	out := make([]string, 0, len(fns))
	for _, fn := range fns {
		name := s.userFunc(fn)
		if name == "cell" && line > 0 {
			name += ", line " + strconv.Itoa(line)
		}
		out = append(out, "  "+name)
	}
	return out
}

// cellFunc matches the name of the function that holds a cell's
// statements.
var cellFunc = regexp.MustCompile(`__gonn_cell\w*`)

// userFunc names an interpreted function as the user knows it: the cell's
// own statements are "cell", its closures "cell.func".
func (s *Session) userFunc(fn string) string {
	fn = strings.TrimPrefix(fn, "main.")
	fn = cellFunc.ReplaceAllString(fn, "cell")
	if s.prog != nil {
		fn = s.prog.UserName(fn)
	}
	return fn
}

// compileError turns an error from the rewriter or from yaegi's compile
// phase into an Error at the cell's own line and column. src is the source
// given to yaegi (empty for rewriter errors).
func (s *Session) compileError(err error, cell string) *Error {
	var re *rewrite.Error
	if errors.As(err, &re) {
		if re.File != "" {
			// A declaration of an earlier cell that this cell breaks.
			value := re.Error()
			name := errName(re.Msg)
			return &Error{Name: name, Value: value, Traceback: []string{ansiRed + name + ansiReset + ": " + value + " (in an earlier cell)"}}
		}
		return sourceError(errName(re.Msg), re.Line, re.Col, re.Msg, cell)
	}
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		p := list[0].Pos
		_, line := cellPos(p.Filename, p.Line)
		return sourceError("SyntaxError", line, p.Column, s.prog.UserText(list[0].Msg), cell)
	}
	var p interp.Panic
	if errors.As(err, &p) {
		// A panic in yaegi's compile phase, or in a package variable's
		// initializer.
		return s.panicError(p.Value, nil, "", 0, "")
	}
	msg := s.prog.UserText(err.Error())
	if m := msgPos.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		_, line = cellPos(m[1], line)
		return sourceError(errName(msg), line, col, msg[len(m[0]):], cell)
	}
	return &Error{Name: "CompileError", Value: msg, Traceback: []string{ansiRed + "CompileError" + ansiReset + ": " + msg}}
}

// errName classifies a compiler message.
func errName(msg string) string {
	for _, p := range []string{"expected ", "illegal ", "unexpected ", "missing ", "syntax error"} {
		if strings.Contains(msg, p) {
			return "SyntaxError"
		}
	}
	return "TypeError"
}

// sourceError is an Error at line:col of the cell, with the line quoted and
// a caret under the column.
func sourceError(name string, line, col int, msg, cell string) *Error {
	value := fmt.Sprintf("%d:%d: %s", line, col, msg)
	tb := []string{ansiRed + name + ansiReset + ": " + value}
	lines := strings.Split(cell, "\n")
	if line >= 1 && line <= len(lines) {
		src := strings.ReplaceAll(lines[line-1], "\t", "    ")
		tb = append(tb, fmt.Sprintf("%4d | %s", line, src))
		// The caret counts the tabs before col as four columns.
		c := col
		if before := lines[line-1]; col-1 <= len(before) && col >= 1 {
			c = len(strings.ReplaceAll(before[:col-1], "\t", "    ")) + 1
		}
		if c >= 1 {
			tb = append(tb, "     | "+strings.Repeat(" ", c-1)+"^")
		}
	}
	return &Error{Name: name, Value: value, Traceback: tb}
}
