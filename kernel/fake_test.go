package kernel

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/interrupt"
	"github.com/gonnlab/gonn/output"
)

// fakeEngine runs a tiny command language, one command a line:
//
//	print TEXT        stdout "TEXT\n"
//	eprint TEXT       stderr "TEXT\n"
//	chars TEXT        stdout, one Stream call per character
//	result TEXT       the cell's value is text/plain TEXT
//	rich              a value with nil metadata and a nil-valued MIME entry
//	display ID TEXT   display_data (ID "-" for none)
//	update ID TEXT    update_display_data
//	clear             clear_output(wait=true)
//	error             fails with an *interp.Error
//	fail              fails with a plain error
//	panic             panics
//	sleep MS          sleeps, or ends early as Interrupted
//	wait              blocks until interrupted (signals started first)
//	input PROMPT      reads a line and prints "got LINE"
//
// Anything else is echoed as the result.
type fakeEngine struct {
	started chan struct{} // receives when a "wait" cell is running

	mu       sync.Mutex
	closed   bool
	executed []string
	flagSeen bool // interrupt.Pending was true when a "wait" cell ended
}

func newFakeEngine() *fakeEngine { return &fakeEngine{started: make(chan struct{}, 16)} }

var errFake = errors.New("fake: plain failure")

func (f *fakeEngine) Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
	f.mu.Lock()
	f.executed = append(f.executed, code)
	f.mu.Unlock()
	var result *output.Bundle
	for _, line := range strings.Split(code, "\n") {
		cmd, arg, _ := strings.Cut(line, " ")
		switch cmd {
		case "":
		case "print":
			pub.Stream("stdout", arg+"\n")
		case "eprint":
			pub.Stream("stderr", arg+"\n")
		case "chars":
			for _, r := range arg {
				pub.Stream("stdout", string(r))
			}
		case "result":
			b := output.Text(arg)
			result = &b
		case "rich":
			result = &output.Bundle{Data: map[string]any{"text/plain": "rich", "text/html": nil, "application/json": []int(nil)}}
		case "display", "update":
			id, text, _ := strings.Cut(arg, " ")
			if id == "-" {
				id = ""
			}
			pub.Display(output.Text(text), id, cmd == "update")
		case "clear":
			pub.ClearOutput(true)
		case "error":
			return nil, &interp.Error{Name: "TypeError", Value: "cannot use x", Traceback: []string{"cell:1: cannot use x"}}
		case "fail":
			return nil, errFake
		case "panic":
			panic("fake engine exploded")
		case "sleep":
			d, _ := time.ParseDuration(arg + "ms")
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return nil, &interp.Error{Name: "Interrupted", Value: "interrupted"}
			}
		case "wait":
			f.started <- struct{}{}
			<-ctx.Done()
			f.mu.Lock()
			f.flagSeen = interrupt.Pending()
			f.mu.Unlock()
			return nil, &interp.Error{Name: "Interrupted", Value: "interrupted by the user"}
		case "input":
			v, err := pub.Input(arg, false)
			if err != nil {
				return nil, err
			}
			pub.Stream("stdout", "got "+v)
		default:
			b := output.Text(line)
			result = &b
		}
	}
	return result, nil
}

func (f *fakeEngine) Complete(code string, cursor int) interp.Completion {
	if code == "panic" {
		panic("fake completion exploded")
	}
	if strings.HasSuffix(string([]rune(code)[:cursor]), "fm") {
		return interp.Completion{Matches: []string{"fmt"}, Start: cursor - 2, End: cursor, Types: []string{"package"}}
	}
	return interp.Completion{}
}

func (f *fakeEngine) Inspect(code string, cursor int, detail int) (output.Bundle, bool) {
	if strings.Contains(code, "fmt") {
		return output.Bundle{Data: map[string]any{"text/plain": "package fmt"}}, true
	}
	return output.Bundle{}, false
}

func (f *fakeEngine) IsComplete(code string) interp.Completeness {
	switch {
	case strings.HasSuffix(code, "{"):
		return interp.Completeness{Status: "incomplete", Indent: "\t"}
	case strings.HasSuffix(code, ")"):
		return interp.Completeness{Status: "invalid"}
	}
	return interp.Completeness{Status: "complete"}
}

func (f *fakeEngine) LanguageInfo() interp.LanguageInfo {
	return interp.LanguageInfo{Name: "go", Version: "1.26", MIMEType: "text/x-go", FileExtension: ".go", Pygments: "go", CodeMirror: "go"}
}

func (f *fakeEngine) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

func (f *fakeEngine) isClosed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}
