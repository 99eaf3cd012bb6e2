package kernel

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/gonnlab/gonn/output"
)

// Stream coalescing: text written to a stream is held at most streamDelay
// before it is published, so that a loop printing thousands of short lines
// sends a few messages rather than thousands; more than streamMax bytes are
// sent at once.
const (
	streamDelay = 20 * time.Millisecond
	streamMax   = 64 << 10
)

// cellPublisher is the output.Publisher a cell writes to: it turns streams,
// displays and input requests into iopub and stdin messages that are
// children of the cell's execute_request.
type cellPublisher struct {
	k          *kernel
	parent     *message
	ctx        context.Context // the cell's; cancelling it ends a pending Input
	allowStdin bool
	silent     bool // publish nothing on iopub (silent execute_request)

	mu    sync.Mutex
	name  string // stream of the pending text
	buf   strings.Builder
	timer *time.Timer
}

func newCellPublisher(ctx context.Context, k *kernel, parent *message, allowStdin, silent bool) *cellPublisher {
	return &cellPublisher{k: k, parent: parent, ctx: ctx, allowStdin: allowStdin, silent: silent}
}

// Stream implements output.Publisher.
func (p *cellPublisher) Stream(name, text string) {
	if text == "" || p.silent {
		return
	}
	if name != "stderr" {
		name = "stdout"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.buf.Len() > 0 && p.name != name {
		p.flushLocked()
	}
	p.name = name
	p.buf.WriteString(text)
	switch {
	case p.buf.Len() >= streamMax:
		p.flushLocked()
	case p.timer == nil:
		p.timer = time.AfterFunc(streamDelay, p.flush)
	}
}

// flush publishes pending stream text.
func (p *cellPublisher) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flushLocked()
}

func (p *cellPublisher) flushLocked() {
	if p.timer != nil {
		p.timer.Stop()
		p.timer = nil
	}
	if p.buf.Len() == 0 {
		return
	}
	text := p.buf.String()
	p.buf.Reset()
	p.k.publish("stream", p.parent, map[string]string{"name": p.name, "text": text})
}

// Display implements output.Publisher.
func (p *cellPublisher) Display(b output.Bundle, displayID string, update bool) {
	if p.silent {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flushLocked()
	data, md := bundleFields(b)
	c := bundleContent{Data: data, Metadata: md, Transient: map[string]any{}}
	if displayID != "" {
		c.Transient["display_id"] = displayID
	}
	typ := "display_data"
	if update && displayID != "" {
		typ = "update_display_data"
	}
	p.k.publish(typ, p.parent, c)
}

// ClearOutput implements output.Publisher.
func (p *cellPublisher) ClearOutput(wait bool) {
	if p.silent {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flushLocked()
	p.k.publish("clear_output", p.parent, map[string]bool{"wait": wait})
}

// Input implements output.Publisher: it sends an input_request on stdin to
// the client that sent the execute_request and waits for its input_reply,
// or for the cell to be interrupted.
func (p *cellPublisher) Input(prompt string, password bool) (string, error) {
	if !p.allowStdin {
		return "", output.ErrNoInput
	}
	p.flush()
	return p.k.input(p.ctx, p.parent, prompt, password)
}
