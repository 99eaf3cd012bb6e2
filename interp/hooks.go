package interp

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gonnlab/gonn/third_party/yaegi/interp"

	"github.com/gonnlab/gonn/interp/rewrite"
	"github.com/gonnlab/gonn/interrupt"
)

// hooksPath is the import path of the native package that connects
// interpreted code to its session. Cells never import it themselves; the
// session imports it as hooksName.
const (
	hooksPath = "gonn.internal/hooks"
	hooksName = "__gonn"
)

// goPanicHook is the function that rewritten go statements call with the
// value a goroutine panicked with.
const goPanicHook = rewrite.GoPanicHook

// richValue is a cell's final value with the renderer methods of its
// interpreted type (see Session.callSource); render finds those of compiled
// types itself.
type richValue struct {
	Value      any
	MIMEBundle func() map[string]any
	HTML       func() string
	SVG        func() string
	PNG        func() []byte
	Markdown   func() string
	String     func() string
	Error      func() string
}

// prelude is evaluated in every fresh interpreter, after the pre-imports.
const prelude = `import ` + hooksName + ` "` + hooksPath + `"

func ` + goPanicHook + `(r any) { ` + hooksName + `.GoPanic(r) }
`

// exitPanic is what os.Exit and log.Fatal* panic with inside a cell: they
// end the cell, never the kernel.
type exitPanic struct {
	code int
	msg  string
}

// cellRun is the state of one running cell that native hooks reach.
type cellRun struct {
	halted chan struct{} // closed when the cell must stop
	cancel func()        // cancels the context yaegi evaluates the cell in

	// state guards the race between a halt and the end of the cell's call:
	// once the call has returned normally, a halt no longer cancels yaegi's
	// context (its Eval then returns only once its goroutine is done); a
	// call that returns after a halt parks its goroutine instead of
	// returning into an interpreter that has moved on.
	state       sync.Mutex
	isHalt      bool
	runFinished bool
	cause       *Error // why it was halted, when not by an interrupt

	mu    sync.Mutex
	chain []string // interpreted call chain lines printed by yaegi

	runDone  chan struct{} // closed when the cell's Run hook returns
	line     atomic.Int64  // the cell line of the top-level statement running
	panicked bool
	panicVal any
}

func newCellRun(cancel func()) *cellRun {
	return &cellRun{halted: make(chan struct{}), cancel: cancel, runDone: make(chan struct{})}
}

// halt stops the cell, its interpreted code through yaegi's context and
// compiled code through the interrupt flag; cause is nil for an interrupt.
func (c *cellRun) halt(cause *Error) {
	c.state.Lock()
	if c.isHalt {
		c.state.Unlock()
		return
	}
	c.isHalt, c.cause = true, cause
	finished := c.runFinished
	c.state.Unlock()
	interrupt.Raise()
	close(c.halted)
	if !finished {
		c.cancel()
	}
}

// haltCause returns why the cell was halted (nil for an interrupt).
func (c *cellRun) haltCause() *Error {
	c.state.Lock()
	defer c.state.Unlock()
	return c.cause
}

func (c *cellRun) isHalted() bool {
	select {
	case <-c.halted:
		return true
	default:
		return false
	}
}

func (c *cellRun) addChain(line string) {
	c.mu.Lock()
	c.chain = append(c.chain, line)
	c.mu.Unlock()
}

func (c *cellRun) takeChain() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := c.chain
	c.chain = nil
	return ch
}

// hookSymbols returns the native symbols bound to s: the hooks package, and
// the standard library functions a cell must not use to end the process or
// block an interrupt.
func (s *Session) hookSymbols() interp.Exports {
	return interp.Exports{
		hooksPath + "/hooks": {
			"Run":     reflect.ValueOf(s.hookRun),
			"GoPanic": reflect.ValueOf(s.hookGoPanic),
			"Line":    reflect.ValueOf(s.hookLine),
			"Rich":    reflect.ValueOf((*richValue)(nil)),
			"Result":  reflect.ValueOf(func(v any, r *richValue) any { r.Value = v; return r }),
		},
		"os/os": {
			"Exit": reflect.ValueOf(func(code int) { panic(exitPanic{code: code}) }),
		},
		"log/log": {
			"Fatal":   reflect.ValueOf(func(v ...any) { panic(exitPanic{code: 1, msg: fmt.Sprint(v...)}) }),
			"Fatalf":  reflect.ValueOf(func(f string, v ...any) { panic(exitPanic{code: 1, msg: fmt.Sprintf(f, v...)}) }),
			"Fatalln": reflect.ValueOf(func(v ...any) { panic(exitPanic{code: 1, msg: trimNewline(fmt.Sprintln(v...))}) }),
		},
		"time/time": {
			"Sleep": reflect.ValueOf(s.hookSleep),
		},
	}
}

func trimNewline(s string) string {
	if n := len(s); n > 0 && s[n-1] == '\n' {
		return s[:n-1]
	}
	return s
}

// hookRun runs a cell's call, recording a panic and signalling its end even
// when the interpreter abandons the call after an interrupt.
func (s *Session) hookRun(f func() any) (v any) {
	c := s.running()
	defer func() {
		if c == nil {
			return
		}
		if r := recover(); r != nil {
			c.panicked, c.panicVal = true, r
			v = nil
		}
		c.state.Lock()
		halted := c.isHalt
		c.runFinished = !halted
		c.state.Unlock()
		close(c.runDone)
		if halted {
			// yaegi has returned from this Eval already and the next cell
			// may be running: returning into the interpreter would race
			// with it. Park until the session closes.
			<-s.closing
		}
	}()
	return f()
}

// hookLine records the cell line of the top-level statement that starts.
func (s *Session) hookLine(line int) {
	if c := s.running(); c != nil {
		c.line.Store(int64(line))
	}
}

// hookGoPanic receives the panic of a goroutine a cell started: it ends
// the running cell with an error, or reports on stderr once the cell is
// over.
func (s *Session) hookGoPanic(r any) {
	c := s.running()
	var chain []string
	if c != nil {
		chain = c.takeChain()
	}
	e := s.panicError(r, chain, "goroutine ", 0, "")
	if c != nil && !c.isHalted() {
		c.halt(e)
		return
	}
	s.publisher().Stream("stderr", e.Name+": "+e.Value+"\n")
}

// hookSleep is time.Sleep for interpreted code: an interrupt ends it.
func (s *Session) hookSleep(d time.Duration) {
	c := s.running()
	if c == nil {
		time.Sleep(d)
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.halted:
	}
}
