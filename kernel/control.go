package kernel

// controlHandlers is the control socket's table. Control is served on its
// own goroutine, so these are answered while a cell runs.
var controlHandlers = map[string]handler{
	"kernel_info_request": (*kernel).kernelInfo,
	"interrupt_request":   (*kernel).interruptReq,
	"shutdown_request":    (*kernel).shutdownReq,
}

// serveControl handles one control request, on the control reader's
// goroutine.
func (k *kernel) serveControl(m *message) {
	k.dispatch(k.control, controlHandlers, m)
	if k.stopRequested.Load() {
		k.shutdown()
	}
}

// interruptReq answers interrupt_request: the running cell, if any, is
// cancelled and ends with an error reply of its own.
func (k *kernel) interruptReq(c *channel, m *message) {
	k.interrupt()
	k.reply(c, m, "interrupt_reply", map[string]any{"status": "ok"}, nil)
}
