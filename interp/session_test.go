package interp

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonnlab/gonn/output"
)

// event is one thing a cell published.
type event struct {
	kind   string // "stream", "display", "clear", "input"
	name   string // stream name, or the prompt of an input
	text   string
	bundle output.Bundle
	at     time.Time
}

// fakePub records what a cell publishes and answers input requests from
// inputs, in order.
type fakePub struct {
	mu     sync.Mutex
	events []event
	inputs []string
}

func (p *fakePub) add(e event) {
	e.at = time.Now()
	p.mu.Lock()
	p.events = append(p.events, e)
	p.mu.Unlock()
}

func (p *fakePub) Stream(name, text string) { p.add(event{kind: "stream", name: name, text: text}) }
func (p *fakePub) Display(b output.Bundle, id string, update bool) {
	p.add(event{kind: "display", bundle: b, name: id})
}
func (p *fakePub) ClearOutput(wait bool) { p.add(event{kind: "clear"}) }
func (p *fakePub) Input(prompt string, password bool) (string, error) {
	p.add(event{kind: "input", name: prompt})
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.inputs) == 0 {
		return "", output.ErrNoInput
	}
	line := p.inputs[0]
	p.inputs = p.inputs[1:]
	return line, nil
}

// stream returns everything published on the named stream.
func (p *fakePub) stream(name string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, e := range p.events {
		if e.kind == "stream" && e.name == name {
			b.WriteString(e.text)
		}
	}
	return b.String()
}

// firstAt returns when text first appeared on stdout.
func (p *fakePub) firstAt(text string) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, e := range p.events {
		if e.kind == "stream" && e.name == "stdout" {
			b.WriteString(e.text)
			if strings.Contains(b.String(), text) {
				return e.at, true
			}
		}
	}
	return time.Time{}, false
}

func (p *fakePub) prompts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, e := range p.events {
		if e.kind == "input" {
			out = append(out, e.name)
		}
	}
	return out
}

func newSession(t testing.TB, opts Options) *Session {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// run executes code and fails the test on an error.
func run(t *testing.T, s *Session, code string) (*output.Bundle, *fakePub) {
	t.Helper()
	pub := &fakePub{}
	b, err := s.Execute(context.Background(), code, pub)
	if err != nil {
		t.Fatalf("cell %q: %v\n%s", code, err, tracebackOf(err))
	}
	return b, pub
}

// runErr executes code that must fail, and returns its *Error.
func runErr(t *testing.T, s *Session, code string) (*Error, *fakePub) {
	t.Helper()
	pub := &fakePub{}
	b, err := s.Execute(context.Background(), code, pub)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("cell %q: got (%v, %v), want an *Error", code, b, err)
	}
	return e, pub
}

func tracebackOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return strings.Join(e.Traceback, "\n")
	}
	return ""
}

// plain returns the text/plain form of a result.
func plain(t *testing.T, b *output.Bundle) string {
	t.Helper()
	if b == nil {
		t.Fatal("no result")
	}
	s, ok := b.Data["text/plain"].(string)
	if !ok {
		t.Fatalf("result has no text/plain: %#v", b.Data)
	}
	return s
}

// native returns Options.Symbols with functions under the import path
// "gonntest/native", as nnlib's compiled code would be.
func native(syms map[string]any) map[string]map[string]reflect.Value {
	m := map[string]reflect.Value{}
	for k, v := range syms {
		m[k] = reflect.ValueOf(v)
	}
	return map[string]map[string]reflect.Value{"gonntest/native/native": m}
}

func TestStreamsWhileCellRuns(t *testing.T) {
	s := newSession(t, Options{})
	pub := &fakePub{}
	done := make(chan time.Time, 1)
	go func() {
		_, err := s.Execute(context.Background(), "fmt.Println(\"a\")\ntime.Sleep(600 * time.Millisecond)\nfmt.Println(\"b\")", pub)
		if err != nil {
			t.Error(err)
		}
		done <- time.Now()
	}()
	ended := <-done
	at, ok := pub.firstAt("a\n")
	if !ok {
		t.Fatalf("stdout = %q, no a", pub.stream("stdout"))
	}
	if !at.Before(ended.Add(-300 * time.Millisecond)) {
		t.Errorf("first line published %v before Execute returned, want it at once (>= 300ms before)", ended.Sub(at))
	}
	if got := pub.stream("stdout"); got != "a\nb\n" {
		t.Errorf("stdout = %q, want a, b", got)
	}
}

func BenchmarkExecuteTrivialCell(b *testing.B) {
	s := newSession(b, Options{})
	ctx := context.Background()
	for b.Loop() {
		res, err := s.Execute(ctx, "1+1", output.Discard)
		if err != nil || res == nil {
			b.Fatal(res, err)
		}
	}
}
