package kernel

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

// A handler answers one request. c is the socket the request came on (shell
// or control); replies go back on it. The dispatcher has already published
// busy and publishes idle when the handler returns.
type handler func(k *kernel, c *channel, m *message)

// shellHandlers is the shell socket's table, by msg_type.
var shellHandlers = map[string]handler{
	"execute_request":     (*kernel).execute,
	"kernel_info_request": (*kernel).kernelInfo,
	"inspect_request":     (*kernel).inspect,
	"complete_request":    (*kernel).complete,
	"is_complete_request": (*kernel).isComplete,
	"history_request":     (*kernel).historyReq,
	"comm_info_request":   (*kernel).commInfo,
	"comm_open":           (*kernel).commOpen,
	"comm_msg":            (*kernel).commMsg,
	"comm_close":          (*kernel).commClose,
	"connect_request":     (*kernel).connect,
	"shutdown_request":    (*kernel).shutdownReq,
}

// queueShell is the shell reader's sink: requests wait their turn in shellQ.
func (k *kernel) queueShell(m *message) {
	m.received = time.Now()
	select {
	case k.shellQ <- m:
	case <-k.ctx.Done():
	}
}

// serveShell handles shell requests one at a time, in arrival order, until
// the kernel stops.
func (k *kernel) serveShell() {
	for {
		select {
		case m := <-k.shellQ:
			if k.queuedBehindFailure(m) {
				k.abort(m)
				continue
			}
			if m.header.MsgType == "execute_request" {
				k.abortBefore = time.Time{} // it may fail and set it again
			}
			k.dispatch(k.shell, shellHandlers, m)
			if k.stopRequested.Load() {
				k.shutdown()
				return
			}
		case <-k.ctx.Done():
			return
		}
	}
}

// abortGrace is how long after a cell failed with stop_on_error a request
// that the client made before the failure (by its header's date) is still
// taken as queued behind it. The shell reader stamps a request when it
// takes it from the socket, and a reader kept from its core for a while
// stamps a request the client sent long before the failure after it.
const abortGrace = 250 * time.Millisecond

// queuedBehindFailure reports whether m is an execute request that was
// queued behind a cell that failed with stop_on_error (k.abortBefore): the
// kernel received it before the failure, or the client made it before the
// failure and it arrived within abortGrace. Other requests are served as
// usual; an execute request made after the failure ends the aborting (the
// client sent it after seeing the error).
func (k *kernel) queuedBehindFailure(m *message) bool {
	if k.abortBefore.IsZero() || m.header.MsgType != "execute_request" {
		return false
	}
	if m.received.Before(k.abortBefore) {
		return true
	}
	made, err := time.Parse(time.RFC3339Nano, m.header.Date)
	return err == nil && made.Before(k.abortBefore) && m.received.Before(k.abortBefore.Add(abortGrace))
}

// abort answers m with status "aborted", between busy and idle.
func (k *kernel) abort(m *message) {
	k.publishStatus("busy", m)
	k.reply(k.shell, m, "execute_reply", map[string]any{
		"status":          "aborted",
		"execution_count": k.count,
	}, map[string]any{"status": "aborted"})
	k.publishStatus("idle", m)
}

// dispatch runs the handler for m from table between busy and idle, under
// recover. A msg_type missing from the table is logged and dropped.
func (k *kernel) dispatch(c *channel, table map[string]handler, m *message) {
	h, ok := table[m.header.MsgType]
	if !ok {
		k.log.Printf("%s: dropped a message of unknown type %q", c.name, m.header.MsgType)
		return
	}
	k.publishStatus("busy", m)
	defer k.publishStatus("idle", m)
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("%s: %s handler panicked: %v\n%s", c.name, m.header.MsgType, r, debug.Stack())
			// A client waits for the reply: send an error one.
			if base, ok := strings.CutSuffix(m.header.MsgType, "_request"); ok {
				k.reply(c, m, base+"_reply", errorContent("KernelError", fmt.Sprint(r), nil), nil)
			}
		}
	}()
	h(k, c, m)
}

// reply sends a reply to m on c, to m's identities.
func (k *kernel) reply(c *channel, m *message, msgType string, content, metadata any) {
	frames, err := encode(k.signer, m.identities, k.newHeader(msgType), m.rawHeader, metadata, content)
	if err != nil {
		k.log.Print(err)
		return
	}
	if err := c.send(frames); err != nil && !k.closing.Load() {
		k.log.Print(err)
	}
}

// parse decodes m's content into v; on failure it logs and returns false.
func (k *kernel) parse(m *message, v any) bool {
	if err := json.Unmarshal(m.content, v); err != nil {
		k.log.Printf("dropped a %s with bad content: %v", m.header.MsgType, err)
		return false
	}
	return true
}

// errorContent is the content of an error message and of an error reply.
func errorContent(ename, evalue string, traceback []string) map[string]any {
	if len(traceback) == 0 {
		traceback = []string{fmt.Sprintf("%s: %s", ename, evalue)}
	}
	return map[string]any{
		"status":    "error",
		"ename":     ename,
		"evalue":    evalue,
		"traceback": traceback,
	}
}
