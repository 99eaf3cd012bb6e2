// Package interp evaluates notebook cells of Go source on the yaegi
// interpreter, with the semantics a notebook user expects: any cell can be
// re-run, the last definition of a name wins, output streams while a cell
// runs, and an error ends the cell without losing earlier state.
//
// interp knows nothing about Jupyter's wire protocol: it receives source text
// and an output.Publisher, and returns a result bundle or an error. The kernel
// package serves a Session over ZeroMQ; `gonn run` drives it directly.
//
// # The way a cell flows
//
// Session.Execute takes the cell's code, a context (cancelled by the
// kernel's interrupt) and the publisher of the request. Every cell sees
// fmt, math, os, strings, time, errors, sort and gonn's own packages
// (interp/exports) without importing them, except output. Like Python's
// builtins, a cell's top-level declaration of such a name (`time := 5`,
// `data := ...`) shadows the package until an explicit import or %reset
// brings it back (see package rewrite).
//
//  1. Magic lines at the top of the cell run first (%help, %reset, %time,
//     %env, %who, !command); they are blanked in the code, so that the
//     positions of the Go code below still name the cell's own lines.
//  2. Streams: for the whole cell, file descriptors 1 and 2 point at two
//     pipes owned by the session (and yaegi writes fmt.Print* and
//     os.Stdout to the stdout pipe). A reader goroutine per pipe publishes
//     each chunk as it arrives, so output reaches the front end while the
//     cell runs, from interpreted code, compiled code and ! commands alike.
//     Before a display, a result or the end of the cell, the session syncs
//     the pipes (a marker written through them) to keep outputs in order.
//  3. The rewriter (package rewrite) plans the cell: declarations, a
//     function holding its statements, and the call of that function whose
//     value, if any, is the cell's result. A compile-time error stops here,
//     at the cell's line and column.
//  4. The session evaluates the plan with yaegi, the call wrapped in a
//     native Run hook that recovers the cell's panic and signals its end.
//     yaegi prints the interpreted call chain of a panic on its stderr;
//     the session catches those lines for the error's traceback instead of
//     streaming them. A Line hook before each top-level statement of the
//     cell function records the cell line that runs, which the traceback
//     names (yaegi's own panic positions name the start of a function).
//  5. A final value goes to Options' Renderers first, then to its own
//     MIMEBundle, HTML, SVG, PNG, Markdown, String or Error methods, and
//     always gets a text/plain form. Methods of interpreted types are
//     invisible to compiled code, so when a cell declares such methods the
//     session type-checks the final expression and rewrites the cell
//     function to hand their method values to native code with the value.
//
// # What ends a cell
//
// Every failure ends the cell with one *Error and leaves the session and
// every earlier variable alive: compile errors, panics (runtime errors,
// nil dereferences, index errors, typed errors from nnlib), a panic in a
// goroutine the cell started (the rewriter wraps go statements to call
// __gonn_goPanic), os.Exit and log.Fatal* (replaced in the symbol tables;
// Error.Name "Exit"). An interrupt cancels yaegi's context, which stops
// interpreted loops and channel waits; time.Sleep is replaced by a sleep
// that an interrupt ends; reading stdin stops waiting; and interrupt.Raise
// tells compiled code, which polls interrupt.Check, to stop. The result
// is an *Error named "Interrupted". yaegi returns from an interrupted Eval
// before its goroutine has unwound; that goroutine parks in the Run hook
// (until Close) rather than return into an interpreter that has moved on
// to the next cell, so each interrupt keeps one idle goroutine.
//
// # Stdin
//
// Cells read stdin with fmt.Scan*, or bufio over os.Stdin (whose static type
// in cells is io.Reader). A read with nothing buffered asks the front end
// for a line through Publisher.Input, with the partial last line printed on
// stdout as the prompt.
package interp
