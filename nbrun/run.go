package nbrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gonnlab/gonn/interp"
	"github.com/gonnlab/gonn/output"
)

// Executor runs cells. *interp.Session implements it, as it implements
// kernel.Engine, whose Execute has the same contract: output goes to pub
// while the cell runs; the result is the cell's final value (nil for none)
// or an error, an *interp.Error for a failed cell; cancelling ctx
// interrupts the cell.
//
// If the Executor also has a method LanguageInfo() interp.LanguageInfo,
// Run stores its answer in the notebook's metadata.
type Executor interface {
	Execute(ctx context.Context, code string, pub output.Publisher) (*output.Bundle, error)
}

// Options configure Run. The zero value runs every cell with no time limit
// and stops at the first failing cell that is not tagged raises-exception.
type Options struct {
	// AllowErrors keeps running after a failing cell, as nbconvert's
	// --allow-errors does.
	AllowErrors bool
	// Timeout limits each cell's running time; zero means no limit. A cell
	// that overruns is interrupted by cancelling its context.
	Timeout time.Duration
	// Grace is how long Run waits for a cell to return once its context is
	// cancelled (by Timeout or by ctx) before it gives up on the Executor
	// and returns. Zero means 10 seconds.
	Grace time.Duration
}

// RaisesException is the cell tag (as nbconvert knows it) that lets a cell
// fail without stopping the run.
const RaisesException = "raises-exception"

// Kernelspec identity stored in the notebook's metadata.
const (
	KernelName        = "gonn"
	KernelDisplayName = "Go (gonn)"
)

// CellError reports the cell that stopped a run.
type CellError struct {
	// Cell is the 1-based position of the cell in the notebook, counting
	// every cell (markdown and raw ones too).
	Cell int
	// Line is the line of the notebook file where the cell's source begins,
	// 1-based, or 0 when unknown.
	Line int
	// Name, Value and Traceback are the error as the notebook shows it.
	Name, Value string
	Traceback   []string
	// Err is the error the Executor returned.
	Err error
}

func (e *CellError) Error() string {
	return fmt.Sprintf("cell %d (line %d): %s: %s", e.Cell, e.Line, e.Name, e.Value)
}

// Unwrap returns the Executor's error.
func (e *CellError) Unwrap() error { return e.Err }

// Run executes the notebook's code cells in order through ex and stores
// their outputs and execution counts in nb, replacing earlier outputs. Empty
// code cells are not run. It also sets the notebook's kernelspec and
// language_info metadata.
//
// At the first failing cell not tagged raises-exception (unless
// AllowErrors), Run stops and returns a *CellError: nb then holds the
// outputs up to and including the error, and no outputs for the cells after
// it. Run also stops, with an error, when ctx is cancelled.
func Run(ctx context.Context, nb *Notebook, ex Executor, opts Options) error {
	nb.setMetadata(ex)
	for _, c := range nb.cells {
		if c.typ == "code" {
			c.outputs, c.count = nil, 0
		}
	}
	r := &runner{nb: nb}
	count := 0
	for i, c := range nb.cells {
		if c.typ != "code" || strings.TrimSpace(c.source) == "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("nbrun: stopped before cell %d: %w", i+1, err)
		}
		count++
		c.count = count
		abandoned, err := r.execute(ctx, c, count, ex, opts)
		if err == nil {
			continue
		}
		ce := &CellError{Cell: i + 1, Line: c.line, Err: err}
		var ie *interp.Error
		if errors.As(err, &ie) {
			ce.Name, ce.Value, ce.Traceback = ie.Name, ie.Value, ie.Traceback
		} else {
			ce.Name, ce.Value = "Error", err.Error()
		}
		if len(ce.Traceback) == 0 {
			// Front ends show an error output by its traceback alone.
			ce.Traceback = []string{ce.Name + ": " + ce.Value}
		}
		r.add(c, &outputItem{kind: "error", ename: ce.Name, evalue: ce.Value, traceback: ce.Traceback})
		if abandoned || ctx.Err() != nil || !(opts.AllowErrors || c.hasTag(RaisesException)) {
			return ce
		}
	}
	return nil
}

// setMetadata stores gonn's kernelspec and language_info in the notebook.
func (nb *Notebook) setMetadata(ex Executor) {
	md := nb.top["metadata"].(map[string]any)
	md["kernelspec"] = map[string]any{"name": KernelName, "display_name": KernelDisplayName, "language": "go"}
	li := interp.LanguageInfo{Name: "go", MIMEType: "text/x-go", FileExtension: ".go", Pygments: "go", CodeMirror: "go"}
	if l, ok := ex.(interface{ LanguageInfo() interp.LanguageInfo }); ok {
		li = l.LanguageInfo()
	}
	if li.Name == "" {
		li.Name = "go"
	}
	if li.Version == "" {
		li.Version = strings.TrimPrefix(runtime.Version(), "go")
	}
	// As the kernel's kernel_info_reply has it, which is what nbconvert
	// stores when it executes a notebook with the gonn kernel.
	info := map[string]any{"name": li.Name, "version": li.Version, "nbconvert_exporter": "script"}
	for k, v := range map[string]string{
		"mimetype":        li.MIMEType,
		"file_extension":  li.FileExtension,
		"pygments_lexer":  li.Pygments,
		"codemirror_mode": li.CodeMirror,
	} {
		if v != "" {
			info[k] = v
		}
	}
	md["language_info"] = info
}

// hasTag reports whether the cell's metadata.tags holds tag.
func (c *cell) hasTag(tag string) bool {
	md, _ := c.fields["metadata"].(map[string]any)
	tags, _ := md["tags"].([]any)
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

// runner applies what cells publish to the notebook. One mutex guards every
// cell's outputs, because a display update from one cell may change
// another's.
type runner struct {
	mu sync.Mutex
	nb *Notebook
}

// add appends o to the cell's outputs, as Jupyter's front ends and nbclient
// do: a pending clear_output(wait=True) happens first, and stream text is
// merged into a stream output on the same stream just before it.
func (r *runner) add(c *cell, o *outputItem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.addLocked(c, o)
}

func (r *runner) addLocked(c *cell, o *outputItem) {
	if c.clearPending {
		c.outputs, c.clearPending = nil, false
	}
	if o.kind == "stream" && len(c.outputs) > 0 {
		if last := c.outputs[len(c.outputs)-1]; last.kind == "stream" && last.name == o.name {
			last.text += o.text
			return
		}
	}
	c.outputs = append(c.outputs, o)
}

// update replaces the data and metadata of every output displayed with id,
// in any cell, as update_display_data does. An unknown id changes nothing.
func (r *runner) update(id string, b output.Bundle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.nb.cells {
		for _, o := range c.outputs {
			if o.displayID == id {
				o.data, o.metadata = b.Data, b.Metadata
			}
		}
	}
}

// clear clears the cell's outputs now or, with wait, before its next one.
func (r *runner) clear(c *cell, wait bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if wait {
		c.clearPending = true
		return
	}
	c.outputs, c.clearPending = nil, false
}

// publisher is the output.Publisher a cell runs with. Once the cell has
// returned it drops what goroutines the cell left behind still publish, as
// nbclient stops listening when the kernel goes idle. Its mutex is held
// while publishing, so that close waits for a publication in progress.
type publisher struct {
	r      *runner
	c      *cell
	mu     sync.Mutex
	closed bool
}

var _ output.Publisher = (*publisher)(nil)

func (p *publisher) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
}

// Stream appends text to the cell's output on stream name.
func (p *publisher) Stream(name, text string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || text == "" {
		return
	}
	p.r.add(p.c, &outputItem{kind: "stream", name: name, text: text})
}

// Display adds a display_data output or, with update, updates the outputs
// displayed with displayID.
func (p *publisher) Display(b output.Bundle, displayID string, update bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	if update {
		if displayID != "" {
			p.r.update(displayID, snapshot(b))
		}
		return
	}
	b = snapshot(b)
	p.r.add(p.c, &outputItem{kind: "display_data", data: b.Data, metadata: b.Metadata, displayID: displayID})
}

// snapshot returns the bundle as JSON values (strings, json.Number, maps,
// lists), copied, so that a cell changing a bundle after publishing it (a
// progress display) does not change what was published, and so that the
// notebook can always be written. A representation that cannot be encoded
// as JSON (a NaN in application/json) is left out and named in text/plain.
func snapshot(b output.Bundle) output.Bundle {
	out := output.Bundle{Data: make(map[string]any, len(b.Data)), Metadata: map[string]any{}}
	var failed []string
	for mime, v := range b.Data {
		jv, err := jsonValue(v)
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s (%v)", mime, err))
			continue
		}
		out.Data[mime] = jv
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		note := "[gonn run: left out what JSON cannot encode: " + strings.Join(failed, "; ") + "]"
		if s, ok := out.Data["text/plain"].(string); ok {
			note = s + "\n" + note
		}
		out.Data["text/plain"] = note
	}
	if md, err := jsonValue(b.Metadata); err == nil {
		if m, ok := md.(map[string]any); ok {
			out.Metadata = m
		}
	}
	return out
}

// jsonValue returns v as the value decoding its JSON encoding gives.
func jsonValue(v any) (any, error) {
	if s, ok := v.(string); ok {
		return s, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// ClearOutput clears the cell's outputs.
func (p *publisher) ClearOutput(wait bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.r.clear(p.c, wait)
}

// Input fails: a headless run has no one to answer, as nbclient runs with
// allow_stdin off.
func (p *publisher) Input(prompt string, password bool) (string, error) {
	return "", output.ErrNoInput
}

// execute runs one cell and adds its outputs and result to it. abandoned
// is true when the cell did not return within the grace period after its
// context was cancelled: the Executor's state is then unknown.
func (r *runner) execute(ctx context.Context, c *cell, count int, ex Executor, opts Options) (abandoned bool, err error) {
	cctx, cancel := ctx, context.CancelFunc(func() {})
	if opts.Timeout > 0 {
		cctx, cancel = context.WithTimeout(ctx, opts.Timeout)
	}
	defer cancel()
	pub := &publisher{r: r, c: c}
	defer pub.close()

	type result struct {
		b   *output.Bundle
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- result{err: &interp.Error{Name: "panic", Value: fmt.Sprint(v), Traceback: []string{fmt.Sprintf("panic: %v", v)}}}
			}
		}()
		b, err := ex.Execute(cctx, c.source, pub)
		done <- result{b, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-cctx.Done():
		grace := opts.Grace
		if grace == 0 {
			grace = 10 * time.Second
		}
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case res = <-done:
		case <-t.C:
			return true, &interp.Error{Name: "Interrupted", Value: fmt.Sprintf("the cell did not stop within %v of being interrupted (%v)", grace, cctx.Err())}
		}
	}
	if res.err != nil {
		var ie *interp.Error
		if cctx.Err() == context.DeadlineExceeded && ctx.Err() == nil && errors.As(res.err, &ie) {
			timedOut := *ie
			timedOut.Value += fmt.Sprintf(" (timed out after %v)", opts.Timeout)
			return false, &timedOut
		}
		return false, res.err
	}
	if res.b != nil {
		b := snapshot(*res.b)
		r.add(c, &outputItem{kind: "execute_result", count: count, data: b.Data, metadata: b.Metadata})
	}
	return false, nil
}
