package kernel

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/interrupt"
	"github.com/gonnlab/gonn/output"
)

// executeRequest is the content of an execute_request. Pointers tell a
// missing field (which takes the protocol's default) from false.
type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

func orTrue(b *bool) bool { return b == nil || *b }

// execute answers execute_request: execute_input, the cell's outputs, then
// execute_reply. The execution count grows only for non-silent requests
// that store history. A failed cell gets one error message on iopub and an
// error reply; with stop_on_error, the execute requests queued behind it
// are then aborted. A silent request publishes nothing on iopub but busy
// and idle, as the protocol specifies ("will not broadcast output on the
// IOPUB channel"); its reply still carries an error.
func (k *kernel) execute(c *channel, m *message) {
	var req executeRequest
	if !k.parse(m, &req) {
		return
	}
	store := orTrue(req.StoreHistory) && !req.Silent
	if store {
		k.count++
		k.history.add(k.count, req.Code)
	}
	n := k.count
	// The cell counts as running from execute_input on: a client that
	// interrupts as soon as it sees execute_input reaches this cell.
	ctx, cancel := context.WithCancel(k.ctx)
	k.mu.Lock()
	k.running = cancel
	k.mu.Unlock()
	if !req.Silent {
		k.publish("execute_input", m, map[string]any{"code": req.Code, "execution_count": n})
	}
	pub := newCellPublisher(ctx, k, m, orTrue(req.AllowStdin), req.Silent)
	payload := []any{}
	var result *output.Bundle
	var err error
	if name, detail, ok := pageRequest(req.Code); ok {
		payload = k.page(pub, name, detail)
	} else {
		result, err = k.run1(ctx, req.Code, pub)
	}
	k.mu.Lock()
	k.running = nil
	k.mu.Unlock()
	interrupted := ctx.Err() != nil
	cancel()
	interrupt.Clear()
	pub.flush()

	if err != nil {
		e := cellError(err, interrupted)
		content := errorContent(e.Name, e.Value, e.Traceback)
		if !req.Silent {
			k.publish("error", m, map[string]any{
				"ename": content["ename"], "evalue": content["evalue"], "traceback": content["traceback"],
			})
		}
		content["execution_count"] = n
		k.reply(c, m, "execute_reply", content, map[string]any{"status": "error"})
		if orTrue(req.StopOnError) {
			k.abortBefore = time.Now()
		}
		return
	}
	if result != nil && !req.Silent {
		data, md := bundleFields(*result)
		k.publish("execute_result", m, map[string]any{"execution_count": n, "data": data, "metadata": md})
		if store {
			if s, ok := data["text/plain"].(string); ok {
				k.history.setOutput(n, s)
			}
		}
	}
	k.reply(c, m, "execute_reply", map[string]any{
		"status":           "ok",
		"execution_count":  n,
		"user_expressions": k.userExpressions(req.UserExpressions),
		"payload":          payload,
	}, map[string]any{"status": "ok"})
}

// run1 calls the engine under recover: a panic escaping the engine becomes
// the cell's error rather than the kernel's death.
func (k *kernel) run1(ctx context.Context, code string, pub output.Publisher) (b *output.Bundle, err error) {
	defer func() {
		if r := recover(); r != nil {
			k.log.Printf("engine panicked: %v\n%s", r, debug.Stack())
			err = &interp.Error{Name: "panic", Value: fmt.Sprint(r), Traceback: strings.Split(string(debug.Stack()), "\n")}
		}
	}()
	return k.eng.Execute(ctx, code, pub)
}

// cellError turns the error a cell returned into what the notebook shows;
// interrupted tells whether the cell was interrupted.
func cellError(err error, interrupted bool) *interp.Error {
	var e *interp.Error
	switch {
	case errors.As(err, &e):
		return e
	case interrupted:
		return &interp.Error{Name: "Interrupted", Value: err.Error()}
	default:
		return &interp.Error{Name: "Error", Value: err.Error()}
	}
}

// userExpressions evaluates each expression as a silent cell and returns
// its result bundle or error, keyed like the request. An interrupt stops
// them as it stops a cell.
func (k *kernel) userExpressions(exprs map[string]string) map[string]any {
	out := make(map[string]any, len(exprs))
	if len(exprs) == 0 {
		return out
	}
	ctx, cancel := context.WithCancel(k.ctx)
	k.mu.Lock()
	k.running = cancel
	k.mu.Unlock()
	defer func() {
		k.mu.Lock()
		k.running = nil
		k.mu.Unlock()
		cancel()
		interrupt.Clear()
	}()
	for name, expr := range exprs {
		b, err := k.run1(ctx, expr, output.Discard)
		switch {
		case err != nil:
			e := cellError(err, ctx.Err() != nil)
			out[name] = errorContent(e.Name, e.Value, e.Traceback)
		case b == nil:
			out[name] = map[string]any{"status": "ok", "data": map[string]any{}, "metadata": map[string]any{}}
		default:
			data, md := bundleFields(*b)
			out[name] = map[string]any{"status": "ok", "data": data, "metadata": md}
		}
	}
	return out
}
