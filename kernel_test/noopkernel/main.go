// Command noopkernel serves the Jupyter protocol through gonn's kernel
// package with an engine that does nothing but echo the code as the result.
// `make bench-kernel` measures it beside gonn and ipykernel: its round trip
// is the floor that the protocol server and the client set, without the
// interpreter.
//
//	noopkernel CONNECTION_FILE
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/kernel"
	"github.com/gonnlab/gonn/output"
)

// noop is a kernel.Engine that evaluates nothing.
type noop struct{}

func (noop) Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
	b := output.Text(code)
	return &b, nil
}
func (noop) Complete(code string, cursor int) interp.Completion { return interp.Completion{} }
func (noop) Inspect(code string, cursor int, detail int) (output.Bundle, bool) {
	return output.Bundle{}, false
}
func (noop) IsComplete(code string) interp.Completeness {
	return interp.Completeness{Status: "complete"}
}
func (noop) LanguageInfo() interp.LanguageInfo {
	return interp.LanguageInfo{Name: "go", Version: "1.26", MIMEType: "text/x-go", FileExtension: ".go", Pygments: "go", CodeMirror: "go"}
}
func (noop) Close() error { return nil }

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: noopkernel CONNECTION_FILE")
		os.Exit(2)
	}
	if err := kernel.Serve(context.Background(), os.Args[1], noop{}, kernel.Options{}); err != nil {
		fmt.Fprintln(os.Stderr, "noopkernel:", err)
		os.Exit(1)
	}
}
