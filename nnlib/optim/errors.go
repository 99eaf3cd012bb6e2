package optim

import (
	"errors"
	"fmt"
)

// ErrInvalid is the kind of every Error: an argument or option out of
// range, an option given to an optimizer or schedule it does not apply to,
// a parameter that cannot be updated. Test for it with errors.Is.
var ErrInvalid = errors.New("invalid argument")

// Error is the value the package panics with on bad input, as nnlib's
// tensor package does; the notebook shows it as the cell's error. Its
// message names the optimizer or schedule, e.g.
// "optim: sgd: option Betas does not apply (sgd takes Momentum, ...)".
type Error struct {
	Op  string // the optimizer, schedule or helper: "sgd", "one_cycle", ...
	Msg string // what went wrong
}

// Error returns "optim: op: message".
func (e *Error) Error() string { return "optim: " + e.Op + ": " + e.Msg }

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }

// fail panics with an *Error.
func fail(op, format string, args ...any) {
	panic(&Error{Op: op, Msg: fmt.Sprintf(format, args...)})
}
