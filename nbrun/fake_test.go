package nbrun

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/output"
)

// fakeExecutor runs cells written in a tiny command language, one command a
// line, so that test notebooks say what each cell publishes:
//
//	stdout "text"          stream text on stdout (stderr likewise)
//	display ID "text"      display a text/plain bundle; ID "-" for none
//	html "text"            display text/html with a text/plain twin and metadata
//	update ID "text"       update the display with id ID
//	clear | clear wait     clear_output
//	result "text"          end the cell with a text/plain result
//	fail NAME "value"      fail with an *interp.Error
//	panic "value"          panic in Execute
//	block                  wait for the context, then fail as interrupted
//	hang DURATION          sleep, ignoring the context
//	input                  ask for input and print the error
type fakeExecutor struct {
	mu    sync.Mutex
	codes []string         // the cells executed, in order
	pub   output.Publisher // the last cell's publisher
}

func (f *fakeExecutor) LanguageInfo() interp.LanguageInfo {
	return interp.LanguageInfo{Name: "go", Version: "1.26", MIMEType: "text/x-go", FileExtension: ".go", Pygments: "go", CodeMirror: "go"}
}

func (f *fakeExecutor) Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
	f.mu.Lock()
	f.codes = append(f.codes, code)
	f.pub = pub
	f.mu.Unlock()
	var result *output.Bundle
	sc := bufio.NewScanner(strings.NewReader(code))
	for sc.Scan() {
		cmd, rest, _ := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		arg := func() string {
			s, err := strconv.Unquote(rest)
			if err != nil {
				panic(fmt.Sprintf("fake: bad argument %q: %v", rest, err))
			}
			return s
		}
		idArg := func() (string, string) {
			id, q, _ := strings.Cut(rest, " ")
			rest = q
			if id == "-" {
				id = ""
			}
			return id, arg()
		}
		switch cmd {
		case "":
		case "stdout", "stderr":
			pub.Stream(cmd, arg())
		case "display":
			id, s := idArg()
			pub.Display(output.Text(s), id, false)
		case "html":
			s := arg()
			pub.Display(output.Bundle{
				Data:     map[string]any{"text/html": s, "text/plain": "<HTML>", "application/json": map[string]any{"lines": []any{"a\n", "b"}}},
				Metadata: map[string]any{"isolated": true},
			}, "", false)
		case "update":
			id, s := idArg()
			pub.Display(output.Text(s), id, true)
		case "clear":
			pub.ClearOutput(rest == "wait")
		case "result":
			b := output.Text(arg())
			result = &b
		case "fail":
			name, q, _ := strings.Cut(rest, " ")
			rest = q
			v := arg()
			return nil, &interp.Error{Name: name, Value: v, Traceback: []string{"\x1b[31m" + name + "\x1b[0m: " + v, "  at cell line 2"}}
		case "panic":
			panic(arg())
		case "block":
			<-ctx.Done()
			return nil, &interp.Error{Name: "Interrupted", Value: "interrupted", Traceback: []string{}}
		case "hang":
			d, err := time.ParseDuration(rest)
			if err != nil {
				panic(err)
			}
			time.Sleep(d)
		case "input":
			_, err := pub.Input("name? ", false)
			pub.Stream("stdout", fmt.Sprintln(err))
		default:
			panic("fake: unknown command " + cmd)
		}
	}
	return result, nil
}
