package interp

import (
	"reflect"

	"github.com/gonnlab/gonn/output"
)

// Options configure a Session. The zero value is usable.
type Options struct {
	// Renderers turn a cell's final value into a MIME bundle. They are tried
	// in order before the built-in optional interfaces (MIMEBundle, HTML,
	// SVG, PNG, Markdown) and the text/plain fallback.
	Renderers []Renderer
	// Symbols adds native packages for cells to import, in the form of
	// yaegi's Exports ("import/path/name" -> symbol -> value, as `yaegi
	// extract` writes them). gonn's own packages (interp/exports) and the
	// standard library are always there.
	Symbols map[string]map[string]reflect.Value
	// GOROOT locates the Go sources used for documentation in Inspect. Empty
	// means runtime.GOROOT() or `go env GOROOT`, when available.
	GOROOT string
}

// A Renderer returns the MIME bundle for v, or ok == false to let the next
// renderer try.
type Renderer func(v any) (b output.Bundle, ok bool)

// Error is a cell's failure as a notebook shows it: a name ("SyntaxError",
// "TypeError", "panic", "Interrupted", "Exit"), a one-line value, and a
// traceback of lines (which may carry ANSI colours).
type Error struct {
	Name      string
	Value     string
	Traceback []string
}

func (e *Error) Error() string { return e.Name + ": " + e.Value }

// Completion is the answer to a completion request. Start and End are
// offsets in runes (Unicode code points, as Jupyter counts them) of the text
// the matches replace.
type Completion struct {
	Matches    []string
	Start, End int
	// Types gives, for each match, a kind such as "function", "variable",
	// "type", "package", "keyword", "field", "method" (parallel to Matches).
	Types []string
}

// Completeness is the answer to an is_complete request.
type Completeness struct {
	// Status is "complete", "incomplete", "invalid" or "unknown".
	Status string
	// Indent is the indentation for the next line when Status is
	// "incomplete".
	Indent string
}

// LanguageInfo describes the language for kernel_info replies.
type LanguageInfo struct {
	Name          string // "go"
	Version       string // the Go version, without the "go" prefix
	MIMEType      string // "text/x-go"
	FileExtension string // ".go"
	Pygments      string // "go"
	CodeMirror    string // "go"
}
