// Package interrupt carries the notebook's "stop" button to compiled code.
//
// Cancelling an interpreted cell stops interpreted loops, but compiled code
// called from the cell (a tensor op, a training epoch in nnlib or accel) never
// sees the interpreter's context. The kernel raises this package's flag when
// the user interrupts; long-running compiled code polls it with Pending or
// Check, between blocks of work, so that it stops within a fraction of a
// second.
//
// The flag is process-wide because a kernel runs one cell at a time. Clear
// resets it; the interpreter clears it before each cell.
package interrupt

import "sync/atomic"

var flag atomic.Bool

// Error is the panic value raised by Check when an interrupt is pending.
type Error struct{}

func (Error) Error() string { return "interrupted" }

// ErrInterrupted is the value Check panics with.
var ErrInterrupted error = Error{}

// Raise sets the interrupt flag.
func Raise() { flag.Store(true) }

// Clear resets the interrupt flag.
func Clear() { flag.Store(false) }

// Pending reports whether an interrupt has been raised and not cleared.
// It costs one atomic load, cheap enough to call per block of work.
func Pending() bool { return flag.Load() }

// Check panics with ErrInterrupted if an interrupt is pending. Compiled code
// calls it between blocks of work; the interpreter recovers the panic and
// reports the cell as interrupted.
func Check() {
	if flag.Load() {
		panic(ErrInterrupted)
	}
}
