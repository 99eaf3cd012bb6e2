// Package kernel serves an Engine over the Jupyter messaging protocol (5.3),
// so that any Jupyter front end (Notebook, JupyterLab, VS Code, jupyter
// console, nbclient) can run gonn cells.
//
// The split follows xeus: this package owns the transport and the protocol
// bookkeeping, the Engine owns evaluation. kernel reads the connection file,
// binds the five ZeroMQ sockets (github.com/go-zeromq/zmq4, pure Go), signs
// and verifies every message with the HMAC the file names, keeps the
// execution count and the history, publishes busy and idle around every
// request and execute_input before a cell runs, and turns what a cell
// produces into iopub messages. It knows nothing about Go source: the Engine
// (implemented by interp.Session) receives code and an output.Publisher and
// returns a result bundle or an error.
//
// One file per concern:
//
//	connection.go  the connection file and endpoints (tcp and ipc)
//	sign.go        HMAC signing and constant-time verification
//	wire.go        framing: identities, delimiter, signature, JSON parts
//	server.go      Serve, sockets, lifecycle, SIGINT
//	shell.go       the shell queue, the handler tables' dispatcher, aborting
//	handlers.go    kernel_info, inspect, complete, is_complete, history, comms
//	execute.go     execute_request
//	pager.go       help cells (?name, name?) answered as a pager payload
//	control.go     control: interrupt, shutdown, kernel_info
//	iopub.go       publishing on iopub
//	publisher.go   the output.Publisher a cell writes to, stream coalescing
//	stdin.go       input_request and input_reply
//	heartbeat.go   the heartbeat echo
//	history.go     history tail, range and search
//
// Each socket has a goroutine that receives and a mutex for sends (zmq4 has
// no poller). Shell requests are queued and served one at a time in arrival
// order; control is served on its own goroutine, so interrupt_request and
// shutdown_request are answered while a cell runs. An interrupt, by message
// or by SIGINT, cancels the running cell's context and raises the process-wide
// interrupt flag that compiled code polls. When a cell fails and its request
// asked for stop_on_error, the execute requests already queued are answered
// with status "aborted": those received before the failure, and those the
// client made before it (its header's date) that arrive shortly after.
//
// A message that cannot be trusted or understood (bad signature, missing
// delimiter, malformed JSON, unknown msg_type) is logged and dropped; the
// kernel keeps serving. Every handler and every cell runs under recover.
package kernel
