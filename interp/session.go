package interp

import (
	"context"
	"errors"

	"github.com/gonnlab/gonn/output"
)

// Session is one notebook's interpreter state. A kernel has one Session for
// its lifetime; restarting the kernel starts a fresh one.
type Session struct {
	opts Options
}

// New starts a Session.
func New(opts Options) (*Session, error) {
	return &Session{opts: opts}, nil
}

var errTODO = errors.New("interp: not implemented yet")

// Execute runs a cell: magics, then the rewritten Go source. Output streams
// to pub while the cell runs; cancelling ctx interrupts it. It returns the
// bundle of the cell's final expression (nil when there is none) or an
// *Error.
func (s *Session) Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error) {
	return nil, errTODO
}

// Complete returns completions at cursor, a rune offset into code.
func (s *Session) Complete(code string, cursor int) Completion {
	return Completion{Start: cursor, End: cursor}
}

// Inspect returns documentation for the identifier at cursor.
func (s *Session) Inspect(code string, cursor int, detail int) (output.Bundle, bool) {
	return output.Bundle{}, false
}

// IsComplete tells whether code is ready to run.
func (s *Session) IsComplete(code string) Completeness {
	return Completeness{Status: "unknown"}
}

// LanguageInfo describes Go for kernel_info replies.
func (s *Session) LanguageInfo() LanguageInfo {
	return LanguageInfo{Name: "go", MIMEType: "text/x-go", FileExtension: ".go", Pygments: "go", CodeMirror: "go"}
}

// Close releases the session.
func (s *Session) Close() error { return nil }
