// Package output holds what a running cell produces, independent of where it
// goes: MIME bundles and the Publisher that carries streams, displays and
// input requests to a front end.
//
// It is a leaf package so that the kernel (which sends outputs over ZeroMQ),
// the interpreter (which produces them) and display (which renders values into
// bundles) can share the types without depending on one another.
package output

// Bundle is a MIME bundle: the same value in one or more representations,
// keyed by MIME type ("text/plain", "text/html", "image/png", ...). Binary
// data such as PNG images is stored base64-encoded, as Jupyter expects.
type Bundle struct {
	Data     map[string]any
	Metadata map[string]any
}

// Text returns a bundle with only a text/plain representation.
func Text(s string) Bundle {
	return Bundle{Data: map[string]any{"text/plain": s}, Metadata: map[string]any{}}
}

// Publisher receives what a cell produces while it runs. Implementations must
// be safe for concurrent use: goroutines started by a cell may publish.
type Publisher interface {
	// Stream publishes text on the named stream, "stdout" or "stderr".
	Stream(name, text string)
	// Display publishes a bundle. A non-empty displayID names the display so
	// that it can be updated later; update replaces an earlier display with
	// the same id instead of adding a new one.
	Display(b Bundle, displayID string, update bool)
	// ClearOutput clears the cell's output; with wait, the front end clears
	// it only when new output arrives.
	ClearOutput(wait bool)
	// Input asks the user for a line of input and returns it without the
	// trailing newline. It fails when the front end does not accept input.
	Input(prompt string, password bool) (string, error)
}

// Discard is a Publisher that drops everything and refuses input.
var Discard Publisher = discard{}

type discard struct{}

func (discard) Stream(string, string)        {}
func (discard) Display(Bundle, string, bool) {}
func (discard) ClearOutput(bool)             {}
func (discard) Input(string, bool) (string, error) {
	return "", ErrNoInput
}

// ErrNoInput is returned by Input when the front end does not accept input.
var ErrNoInput = inputError("output: the front end does not accept input (allow_stdin is false)")

type inputError string

func (e inputError) Error() string { return string(e) }
