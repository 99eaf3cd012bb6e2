package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// receiveInput takes a message from the stdin socket: input_reply messages
// go to the cell waiting in input; anything else is dropped.
func (k *kernel) receiveInput(m *message) {
	if m.header.MsgType != "input_reply" {
		k.log.Printf("stdin: dropped a %q message (only input_reply is expected)", m.header.MsgType)
		return
	}
	select {
	case k.inputs <- m:
	default:
		k.log.Print("stdin: dropped an input_reply nobody asked for")
	}
}

// input asks the front end that sent parent for a line of input. The
// input_request goes on stdin to the identities of the shell request.
func (k *kernel) input(ctx context.Context, parent *message, prompt string, password bool) (string, error) {
	k.inputMu.Lock()
	defer k.inputMu.Unlock()
	// Discard replies to earlier requests that nobody waited for.
	for len(k.inputs) > 0 {
		<-k.inputs
	}
	content := map[string]any{"prompt": prompt, "password": password}
	frames, err := encode(k.signer, parent.identities, k.newHeader("input_request"), parent.rawHeader, nil, content)
	if err != nil {
		return "", err
	}
	if err := k.stdin.send(frames); err != nil {
		return "", err
	}
	select {
	case m := <-k.inputs:
		var c struct {
			Value  *string `json:"value"`
			Status string  `json:"status"`
		}
		if err := json.Unmarshal(m.content, &c); err != nil {
			return "", fmt.Errorf("kernel: bad input_reply content: %w", err)
		}
		if c.Value == nil {
			return "", fmt.Errorf("kernel: input_reply without a value (status %q)", c.Status)
		}
		return strings.TrimSuffix(*c.Value, "\n"), nil
	case <-ctx.Done():
		return "", fmt.Errorf("kernel: waiting for input: %w", ctx.Err())
	}
}
