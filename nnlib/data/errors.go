package data

import (
	"errors"
	"fmt"
)

// ErrInvalid is the kind of the errors the package panics with: bad
// arguments, shapes or dtypes that do not fit. Test for it with errors.Is.
var ErrInvalid = errors.New("invalid argument")

// Error is the value the package panics with on bad input, as nnlib's
// tensor package does; the notebook shows it as the cell's error. Its
// message names the function, e.g. "data: loader: batch size 0 is not
// positive".
type Error struct {
	Op  string // the function or method: "loader", "stratified_split", ...
	Msg string // what went wrong
}

// Error returns "data: op: message".
func (e *Error) Error() string { return "data: " + e.Op + ": " + e.Msg }

// Unwrap returns ErrInvalid.
func (e *Error) Unwrap() error { return ErrInvalid }

func fail(op, format string, args ...any) {
	panic(&Error{Op: op, Msg: fmt.Sprintf(format, args...)})
}
