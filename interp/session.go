package interp

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gonnlab/gonn/third_party/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/unrestricted"

	"github.com/gonnlab/gonn/interp/exports"
	"github.com/gonnlab/gonn/interp/lang"
	"github.com/gonnlab/gonn/interp/rewrite"
	"github.com/gonnlab/gonn/interp/symtypes"
	"github.com/gonnlab/gonn/interrupt"
	"github.com/gonnlab/gonn/output"
)

// stdPreimports are the standard packages every cell sees without
// importing them. The project's own packages (those of exports.Symbols
// under projectPath) are pre-imported too, except notPreimported; the
// other packages of exports.Symbols (gonum's plot) are imported by cells.
var stdPreimports = []string{"fmt", "math", "os", "strings", "time", "errors", "sort"}

// notPreimported are project packages that cells import themselves when
// they need them: plumbing that cells rarely use (a cell may still declare
// a pre-import's name, which shadows the package; see rewrite.New).
var notPreimported = map[string]bool{"github.com/gonnlab/gonn/output": true}

// projectPath is the import path prefix of the project's own packages.
const projectPath = "github.com/gonnlab/gonn/"

// flushTimeout bounds the wait for a stream's reader to publish what a cell
// wrote; it only matters when the publisher blocks.
const flushTimeout = 5 * time.Second

// abandonTimeout is how long an interrupted cell's call may take to unwind
// before Execute returns anyway (compiled code that never polls the
// interrupt flag keeps running in the background).
const abandonTimeout = 2 * time.Second

// Session is one notebook's interpreter state. A kernel has one Session for
// its lifetime; restarting the kernel starts a fresh one.
//
// Execute runs one cell at a time; Complete, Inspect and IsComplete may be
// called while a cell runs.
type Session struct {
	opts Options

	exec sync.Mutex // held by Execute

	// progMu guards the types the rewriter keeps (Program.Types is
	// updated in place by Rewrite and Commit) against the editor's
	// questions, which read them while a cell runs.
	progMu sync.RWMutex

	// Interpreter state, replaced by %reset; used by Execute only.
	yi         *interp.Interpreter
	prog       *rewrite.Program
	importer   types.Importer
	preimports []string
	// renderTypes is set once a cell declares a method of renderMethods.
	renderTypes bool

	out, errs *stream
	stdin     *stdinReader

	mu     sync.Mutex // guards the fields below
	cell   *cellRun   // the running cell, nil between cells
	pub    output.Publisher
	env    lang.Env // what the editor's questions see, updated after each cell
	closed bool

	closing chan struct{} // closed by Close; goroutines of halted calls wait for it
}

// New starts a Session.
func New(opts Options) (*Session, error) {
	s := &Session{opts: opts, pub: output.Discard, closing: make(chan struct{})}
	var err error
	if s.out, err = newStream("stdout", s.publisher); err != nil {
		return nil, err
	}
	if s.errs, err = newStream("stderr", s.publisher); err != nil {
		s.out.close()
		return nil, err
	}
	s.stdin = &stdinReader{s: s}
	s.importer = symtypes.NewImporter(stdlib.Symbols, unrestricted.Symbols, exports.Symbols, opts.Symbols)
	s.preimports = append([]string(nil), stdPreimports...)
	var project []string
	for key := range exports.Symbols {
		if path := key[:strings.LastIndexByte(key, '/')]; strings.HasPrefix(path, projectPath) && !notPreimported[path] {
			project = append(project, path)
		}
	}
	sort.Strings(project)
	s.preimports = append(s.preimports, project...)
	if err := s.reset(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// reset starts a fresh interpreter and program: the state of New, and of
// %reset.
func (s *Session) reset() error {
	yi := interp.New(interp.Options{
		Stdin:        s.stdin,
		Stdout:       s.out.w,
		Stderr:       &yaegiStderr{s: s},
		Unrestricted: true,
	})
	for _, t := range []interp.Exports{stdlib.Symbols, unrestricted.Symbols, exports.Symbols, s.opts.Symbols, s.hookSymbols(), s.stdinSymbols()} {
		if err := yi.Use(t); err != nil {
			return fmt.Errorf("interp: loading symbols: %w", err)
		}
	}
	prog := rewrite.New(s.importer, s.preimports)
	if _, err := safeEval(context.Background(), yi, prog.PreimportSource()+prelude); err != nil {
		return fmt.Errorf("interp: evaluating the prelude: %w", err)
	}
	s.yi = yi
	s.prog = prog
	s.renderTypes = false
	s.mu.Lock()
	s.env = lang.Env{}
	s.mu.Unlock()
	s.updateEnv()
	return nil
}

// safeEval evaluates src, turning a panic of yaegi's compile phase into an
// error (Eval recovers only the run phase's). A nil ctx evaluates src on
// the calling goroutine, for sources that only declare.
func safeEval(ctx context.Context, yi *interp.Interpreter, src string) (v reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = interp.Panic{Value: r}
		}
	}()
	if ctx == nil {
		return yi.Eval(src)
	}
	return yi.EvalWithContext(ctx, src)
}

// publisher returns where streams go now: the running cell's publisher, or
// the last one once it ended (goroutines a cell started may still print).
func (s *Session) publisher() output.Publisher {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pub
}

// running returns the running cell, or nil.
func (s *Session) running() *cellRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cell
}

// Execute runs a cell: magics, then the rewritten Go source. Output streams
// to pub while the cell runs; cancelling ctx interrupts it. It returns the
// bundle of the cell's final expression (nil when there is none) or an
// *Error.
func (s *Session) Execute(ctx context.Context, code string, pub output.Publisher) (b *output.Bundle, err error) {
	if pub == nil {
		pub = output.Discard
	}
	s.exec.Lock()
	defer s.exec.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errors.New("interp: session closed")
	}
	s.mu.Unlock()

	interrupt.Clear()
	// yaegi's context is cancelled only through c.halt, which knows
	// whether the cell's call has finished (see cellRun).
	cellCtx, cancel := context.WithCancel(context.Background())
	c := newCellRun(cancel)
	stopInterrupt := context.AfterFunc(ctx, func() { c.halt(nil) })
	cp := &cellPublisher{s: s, pub: pub}
	s.mu.Lock()
	s.cell, s.pub = c, cp
	s.mu.Unlock()
	s.out.resetPartial()
	s.stdin.reset()
	prevCurrent := output.SetCurrent(cp)

	restore, rerr := redirect(s.out.w, s.errs.w)
	defer func() {
		s.flush()
		if restore != nil {
			restore()
		}
		output.SetCurrent(prevCurrent)
		stopInterrupt()
		cancel()
		s.mu.Lock()
		s.cell = nil
		s.mu.Unlock()
		s.updateEnv()
	}()
	defer func() {
		if r := recover(); r != nil {
			buf := make([]byte, 16<<10)
			buf = buf[:runtime.Stack(buf, false)]
			b, err = nil, &Error{Name: "InternalError", Value: fmt.Sprint(r), Traceback: []string{ansiRed + "InternalError" + ansiReset + ": " + fmt.Sprint(r), string(buf)}}
		}
	}()
	if rerr != nil {
		pub.Stream("stderr", fmt.Sprintf("gonn: %v: compiled code's output goes to the kernel's own streams\n", rerr))
	}
	return s.runCell(cellCtx, c, code)
}

// runCell runs the magics of a cell, then its Go code.
func (s *Session) runCell(ctx context.Context, c *cellRun, code string) (*output.Bundle, error) {
	code, timed, err := s.runMagics(ctx, c, code)
	if err != nil {
		return nil, err
	}
	if timed {
		start := time.Now()
		defer func() {
			s.flush()
			s.publisher().Stream("stdout", "Wall time: "+formatDuration(time.Since(start))+"\n")
		}()
	}
	if strings.TrimSpace(code) == "" {
		return nil, nil
	}
	return s.runGo(ctx, c, code)
}

// runGo rewrites and evaluates a cell's Go code.
func (s *Session) runGo(ctx context.Context, c *cellRun, code string) (*output.Bundle, error) {
	s.progMu.Lock()
	plan, err := s.prog.Rewrite(code)
	s.progMu.Unlock()
	if err != nil {
		return nil, s.compileError(err, code)
	}
	for _, w := range plan.Warnings {
		s.publisher().Stream("stderr", "warning: "+w+"\n")
	}
	for i, src := range []string{plan.Decls, withLines(plan.Body)} {
		if src == "" {
			continue
		}
		evalCtx := ctx
		if i == 1 {
			// Body only declares the cell's function: no user code runs,
			// so there is nothing to interrupt, and Eval saves
			// EvalWithContext's goroutine.
			evalCtx = nil
		}
		_, err := safeEval(evalCtx, s.yi, src)
		if err != nil {
			// yaegi keeps the imports of a source that fails.
			s.progMu.Lock()
			s.prog.CommitImports(plan)
			s.progMu.Unlock()
			if e := s.stopError(ctx, c); e != nil {
				return nil, e
			}
			return nil, s.compileError(err, code)
		}
	}
	// The declarations exist now, whatever the call does.
	s.progMu.Lock()
	s.prog.Commit(plan)
	s.progMu.Unlock()
	if declaresRenderer.MatchString(code) {
		s.renderTypes = true
	}
	if plan.Call == "" {
		return nil, nil
	}
	if plan.HasResult && s.renderTypes {
		if body, ok := s.withMethods(plan.Body); ok {
			if _, err := safeEval(ctx, s.yi, withLines(body)); err != nil && ctx.Err() == nil {
				// Keep the plain result; the function stays as it was.
				s.publisher().Stream("stderr", fmt.Sprintf("gonn: cannot take the renderer methods of the result: %v\n", err))
			}
		}
	}
	v, err := safeEval(ctx, s.yi, s.callSource(plan))
	if ctx.Err() != nil {
		// Interrupted, or halted by a goroutine's panic or exit: give the
		// call a moment to unwind, with the interrupt flag raised.
		select {
		case <-c.runDone:
		case <-time.After(abandonTimeout):
		}
		c.takeChain()
		return nil, s.stopError(ctx, c)
	}
	chain := c.takeChain()
	line := int(c.line.Load())
	if c.panicked {
		return nil, s.panicError(c.panicVal, chain, "", line, code)
	}
	if err != nil {
		var p interp.Panic
		if errors.As(err, &p) {
			return nil, s.panicError(p.Value, chain, "", line, code)
		}
		return nil, s.compileError(err, code)
	}
	if !plan.HasResult {
		return nil, nil
	}
	r := &richValue{}
	if v.IsValid() && v.CanInterface() {
		if rv, ok := v.Interface().(*richValue); ok {
			r = rv
		} else {
			r.Value = v.Interface()
		}
	}
	s.flush()
	return s.render(r)
}

// stopError is the error of a cell that was stopped: by its goroutine's
// panic or exit, or by an interrupt. It is nil when the cell was not
// stopped.
func (s *Session) stopError(ctx context.Context, c *cellRun) *Error {
	if !c.isHalted() && ctx.Err() == nil {
		return nil
	}
	if cause := c.haltCause(); cause != nil {
		return cause
	}
	return interrupted()
}

// renderMethods are the methods a final value may have for its bundle.
var renderMethods = []string{"MIMEBundle", "HTML", "SVG", "PNG", "Markdown", "String", "Error"}

// declaresRenderer matches a cell that declares one of renderMethods.
var declaresRenderer = regexp.MustCompile(`func\s*\([^)]*\)\s*(MIMEBundle|HTML|SVG|PNG|Markdown|String|Error)\s*\(`)

// callSource is the source that runs a plan's call in the Run hook.
func (s *Session) callSource(plan *rewrite.Plan) string {
	if plan.HasResult {
		return fmt.Sprintf("%s.Run(func() any { return %s })", hooksName, plan.Call)
	}
	return fmt.Sprintf("%s.Run(func() any {\n%s\nreturn nil })", hooksName, plan.Call)
}

// withMethods returns the cell function body with its final
// `return any(EXPR)` (the rewriter's form of the final expression) replaced
// by a return of a richValue holding the value and its renderMethods, when EXPR
// is of a type the cells declared with some of them. Methods of interpreted
// types are invisible to compiled code, and yaegi's type assertions to
// interfaces do not find them reliably; method values taken through the
// static type do work. Call it after Commit: it type-checks EXPR against
// the program's declarations.
func (s *Session) withMethods(body string) (string, bool) {
	const ret = "return any("
	i := strings.LastIndex(body, ret)
	if i < 0 {
		return "", false
	}
	rest := body[i+len(ret):]
	j := strings.LastIndexByte(rest, ')')
	if j < 0 || strings.TrimSpace(rest[j+1:]) != "}" {
		return "", false
	}
	expr := rest[:j]
	pkg := s.prog.Types()
	if pkg == nil {
		return "", false
	}
	// Types names the user's types as the user wrote them.
	tv, err := types.Eval(token.NewFileSet(), pkg, token.NoPos, s.prog.UserText(expr))
	if err != nil || tv.Type == nil {
		return "", false
	}
	t := tv.Type
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := t.(*types.Named); !ok || n.Obj().Pkg() != pkg {
		return "", false
	}
	ms := types.NewMethodSet(tv.Type)
	var b strings.Builder
	b.WriteString(body[:i])
	fmt.Fprintf(&b, "__gonn_t := (%s)\nreturn %s.Result(__gonn_t, &%s.Rich{", expr, hooksName, hooksName)
	n := 0
	for _, m := range renderMethods {
		if ms.Lookup(nil, m) != nil {
			fmt.Fprintf(&b, "%[1]s: __gonn_t.%[1]s, ", m)
			n++
		}
	}
	b.WriteString("})")
	b.WriteString(rest[j+1:])
	return b.String(), n > 0
}

// cellPos names a position of yaegi's: the rewriter's //line directives
// make lines the cell's own; a file name other than yaegi's default "_.go"
// is kept.
func cellPos(file string, line int) (string, int) {
	if file != "" && file != "_.go" {
		return file + ":", line
	}
	return "", line
}

// flush publishes everything written to the cell's streams so far.
func (s *Session) flush() {
	// Both markers go out first, so the two readers work in parallel.
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	out, errs := s.out.mark(), s.errs.mark()
	s.out.await(out, ctx.Done())
	s.errs.await(errs, ctx.Done())
}

// updateEnv records what the editor's questions see after a cell.
func (s *Session) updateEnv() {
	prog := s.prog
	pkg := prog.Types()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.env = lang.Env{
		Program:  pkg,
		Imports:  prog.Imports(),
		UserName: prog.UserName,
		Value:    s.value,
		Importer: s.importer,
		Source:   prog.Source,
	}
}

func (s *Session) goroot() string {
	if s.opts.GOROOT != "" {
		return s.opts.GOROOT
	}
	return defaultGOROOT()
}

// defaultGOROOT is $GOROOT, or what `go env GOROOT` says, or "" without a
// go command.
var defaultGOROOT = sync.OnceValue(func() string {
	if r := os.Getenv("GOROOT"); r != "" {
		return r
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

// value returns the current value of a user variable, when no cell runs.
func (s *Session) value(name string) (reflect.Value, bool) {
	s.mu.Lock()
	busy := s.cell != nil
	s.mu.Unlock()
	if busy || strings.HasPrefix(name, "__gonn") {
		return reflect.Value{}, false
	}
	v, ok := s.yi.Globals()[name]
	return v, ok
}

func (s *Session) langEnv() lang.Env {
	s.mu.Lock()
	env := s.env
	s.mu.Unlock()
	env.GOROOT = s.goroot()
	return env
}

// Complete returns completions at cursor, a rune offset into code.
func (s *Session) Complete(code string, cursor int) Completion {
	s.progMu.RLock()
	defer s.progMu.RUnlock()
	m, start, end, kinds := lang.Complete(code, cursor, s.langEnv())
	if m == nil {
		m = []string{}
	}
	if kinds == nil {
		kinds = []string{}
	}
	return Completion{Matches: m, Start: start, End: end, Types: kinds}
}

// Inspect returns documentation for the identifier at cursor.
func (s *Session) Inspect(code string, cursor int, detail int) (output.Bundle, bool) {
	s.progMu.RLock()
	defer s.progMu.RUnlock()
	env := s.langEnv()
	text, ok := lang.Inspect(code, cursor, detail, env)
	if !ok {
		return output.Bundle{}, false
	}
	b := output.Text(text)
	if md, ok := lang.InspectMarkdown(code, cursor, detail, env); ok {
		b.Data["text/markdown"] = md
	}
	return b, true
}

// IsComplete tells whether code is ready to run.
func (s *Session) IsComplete(code string) Completeness {
	status, indent := lang.IsComplete(code)
	return Completeness{Status: status, Indent: indent}
}

// LanguageInfo describes Go for kernel_info replies.
func (s *Session) LanguageInfo() LanguageInfo {
	return LanguageInfo{
		Name:          "go",
		Version:       strings.TrimPrefix(runtime.Version(), "go"),
		MIMEType:      "text/x-go",
		FileExtension: ".go",
		Pygments:      "go",
		CodeMirror:    "go",
	}
}

// Close releases the session: its pipes and their readers. A cell still
// running is interrupted first.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	c := s.cell
	close(s.closing)
	s.mu.Unlock()
	if c != nil {
		c.halt(nil)
	}
	s.exec.Lock()
	defer s.exec.Unlock()
	return errors.Join(s.out.close(), s.errs.close())
}

// cellPublisher is the publisher a cell's code reaches (output.Current and
// the streams). A display first publishes the text written before it, so
// that outputs keep the order in which the cell produced them.
type cellPublisher struct {
	s   *Session
	pub output.Publisher
}

func (p *cellPublisher) Stream(name, text string) { p.pub.Stream(name, text) }

func (p *cellPublisher) Display(b output.Bundle, displayID string, update bool) {
	p.s.flush()
	p.pub.Display(b, displayID, update)
}

func (p *cellPublisher) ClearOutput(wait bool) {
	p.s.flush()
	p.pub.ClearOutput(wait)
}

func (p *cellPublisher) Input(prompt string, password bool) (string, error) {
	return p.pub.Input(prompt, password)
}

// yaegiStderr is the interpreter's own stderr: the lines yaegi prints while
// a panic unwinds interpreted frames go to the cell's traceback, everything
// else (log.Print*) to the cell's stderr stream.
type yaegiStderr struct{ s *Session }

func (w *yaegiStderr) Write(p []byte) (int, error) {
	if c := w.s.running(); c != nil && chainLine.Match(p) {
		c.addChain(string(p))
		return len(p), nil
	}
	return w.s.errs.w.Write(p)
}
