package kernel

import (
	"context"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/output"
)

// Engine is what the kernel serves: the interpreter behind the protocol.
// *interp.Session implements it; tests use a fake.
//
// The kernel owns execution counts, history, busy/idle and execute_input;
// the Engine only evaluates. Execute is called from one goroutine at a time;
// Complete, Inspect and IsComplete may be called while Execute runs.
type Engine interface {
	// Execute runs a cell. Output goes to pub while it runs. It returns the
	// cell's result bundle (nil if the cell has no final value) or an error;
	// a failed cell returns an *interp.Error. Cancelling ctx interrupts the
	// cell.
	Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error)
	// Complete returns completions at cursor, a rune offset into code.
	Complete(code string, cursor int) interp.Completion
	// Inspect returns documentation for the name at cursor (a rune offset);
	// detail is 0 or 1 as in inspect_request. found is false when there is
	// nothing to show.
	Inspect(code string, cursor int, detail int) (b output.Bundle, found bool)
	// IsComplete tells whether code is ready to run.
	IsComplete(code string) interp.Completeness
	// LanguageInfo describes the language for kernel_info.
	LanguageInfo() interp.LanguageInfo
	// Close releases the engine's resources.
	Close() error
}
