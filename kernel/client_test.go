package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// This file is a small Jupyter client, as jupyter_client is: DEALER sockets
// for shell, control and stdin (shell and stdin share an identity), a SUB
// for iopub and a REQ for the heartbeat.

const waitFor = 10 * time.Second

// msg is a message as the client sees it.
type msg struct {
	Header   header
	Parent   map[string]any
	Metadata map[string]any
	Content  map[string]any
	frames   [][]byte
}

func (m *msg) typ() string      { return m.Header.MsgType }
func (m *msg) parentID() string { s, _ := m.Parent["msg_id"].(string); return s }
func (m *msg) str(key string) string {
	s, _ := m.Content[key].(string)
	return s
}

// logBuffer is a logger's writer that keeps the lines for the test.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type testKernel struct {
	t      *testing.T
	eng    *fakeEngine
	logs   *logBuffer
	ep     Endpoints
	signer *signer
	done   chan error // Serve's result
	cancel context.CancelFunc

	session                string
	shell, control, stdin  zmq4.Socket
	iopub, hb              zmq4.Socket
	shellQ, controlQ, stdQ chan *msg
	iopubQ                 chan *msg
}

type kernelConfig struct {
	transport string // "tcp" (default) or "ipc"
	scheme    string // default hmac-sha256
	key       string // default a fixed key; "-" for the empty key
}

// startKernel writes a connection file, runs Serve on it with a fake engine
// and connects a client. The kernel is shut down when the test ends.
func startKernel(t testing.TB, cfg kernelConfig) *testKernel {
	t.Helper()
	if cfg.transport == "" {
		cfg.transport = "tcp"
	}
	if cfg.scheme == "" {
		cfg.scheme = "hmac-sha256"
	}
	switch cfg.key {
	case "":
		cfg.key = "5ca1ab1e-c0de-4bad-a55e-0123456789ab"
	case "-":
		cfg.key = ""
	}
	dir := t.TempDir()
	info := ConnectionInfo{Transport: cfg.transport, IP: "127.0.0.1", SignatureScheme: cfg.scheme, Key: cfg.key, KernelName: "gonn"}
	if cfg.transport == "ipc" {
		info.IP = filepath.Join(dir, "k")
		info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HBPort = 1, 2, 3, 4, 5
	}
	file := filepath.Join(dir, "kernel.json")
	data, _ := json.Marshal(info)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := newSigner(cfg.scheme, []byte(cfg.key))
	if err != nil {
		t.Fatal(err)
	}
	tk := &testKernel{eng: newFakeEngine(), logs: &logBuffer{}, signer: s, done: make(chan error, 1), session: newID()}
	if tt, ok := t.(*testing.T); ok {
		tk.t = tt
	}
	ready := make(chan Endpoints, 1)
	ctx, cancel := context.WithCancel(context.Background())
	tk.cancel = cancel
	opts := Options{Logger: log.New(tk.logs, "", 0), Version: "test", Ready: func(e Endpoints) { ready <- e }}
	go func() { tk.done <- Serve(ctx, file, tk.eng, opts) }()
	select {
	case tk.ep = <-ready:
	case err := <-tk.done:
		t.Fatalf("Serve returned before listening: %v", err)
	case <-time.After(waitFor):
		t.Fatal("Serve did not get ready")
	}
	tk.connect(t)
	t.Cleanup(func() {
		cancel()
		select {
		case <-tk.done:
		case <-time.After(waitFor):
			t.Error("Serve did not return after its context was cancelled")
		}
		for _, s := range []zmq4.Socket{tk.shell, tk.control, tk.stdin, tk.iopub, tk.hb} {
			s.Close()
		}
	})
	return tk
}

func (tk *testKernel) connect(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	id := zmq4.WithID(zmq4.SocketIdentity(tk.session))
	tk.shell = zmq4.NewDealer(ctx, id)
	tk.stdin = zmq4.NewDealer(ctx, id)
	tk.control = zmq4.NewDealer(ctx) // empty identity, as jupyter_client's
	tk.iopub = zmq4.NewSub(ctx)
	tk.hb = zmq4.NewReq(ctx)
	for _, c := range []struct {
		s  zmq4.Socket
		ep string
	}{{tk.shell, tk.ep.Shell}, {tk.stdin, tk.ep.Stdin}, {tk.control, tk.ep.Control}, {tk.iopub, tk.ep.IOPub}, {tk.hb, tk.ep.HB}} {
		if err := c.s.Dial(c.ep); err != nil {
			t.Fatalf("dial %s: %v", c.ep, err)
		}
	}
	if err := tk.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	tk.shellQ, tk.controlQ, tk.stdQ, tk.iopubQ = tk.pump(tk.shell), tk.pump(tk.control), tk.pump(tk.stdin), tk.pump(tk.iopub)
	// A SUB socket misses what is published before its subscription
	// arrives: ask for kernel_info until iopub answers.
	deadline := time.Now().Add(waitFor)
	for {
		tk.send(tk.shell, "kernel_info_request", map[string]any{})
		select {
		case <-tk.iopubQ:
			time.Sleep(50 * time.Millisecond)
			tk.drain()
			return
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("iopub never delivered a message")
		}
	}
}

// pump decodes messages from s into a channel. Undecodable messages arrive
// as a msg with the header type "!undecodable".
func (tk *testKernel) pump(s zmq4.Socket) chan *msg {
	ch := make(chan *msg, 10000)
	go func() {
		for {
			raw, err := s.Recv()
			if err != nil {
				close(ch)
				return
			}
			ch <- tk.decodeMsg(raw.Frames)
		}
	}()
	return ch
}

func (tk *testKernel) decodeMsg(frames [][]byte) *msg {
	m, err := decode(frames, tk.signer)
	if err != nil {
		return &msg{Header: header{MsgType: "!undecodable: " + err.Error()}, frames: frames}
	}
	out := &msg{Header: m.header, frames: frames}
	for _, p := range []struct {
		data []byte
		dst  *map[string]any
	}{{m.parent, &out.Parent}, {m.metadata, &out.Metadata}, {m.content, &out.Content}} {
		if err := json.Unmarshal(p.data, p.dst); err != nil {
			out.Header.MsgType = "!undecodable: " + err.Error()
		}
	}
	return out
}

// drain empties every receive queue.
func (tk *testKernel) drain() {
	for _, q := range []chan *msg{tk.shellQ, tk.controlQ, tk.stdQ, tk.iopubQ} {
		for len(q) > 0 {
			<-q
		}
	}
}

// send sends a request and returns its msg_id.
func (tk *testKernel) send(s zmq4.Socket, msgType string, content map[string]any) string {
	h := header{MsgID: newID(), Session: tk.session, Username: "test", Date: formatDate(time.Now()), MsgType: msgType, Version: protocolVersion}
	frames, err := encode(tk.signer, nil, h, nil, nil, content)
	if err != nil {
		panic(err)
	}
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		panic(fmt.Sprintf("client send %s: %v", msgType, err))
	}
	return h.MsgID
}

func (tk *testKernel) sendRaw(s zmq4.Socket, frames ...[]byte) {
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		panic(fmt.Sprintf("client send raw: %v", err))
	}
}

var dateRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$`)

// check fails t if m breaks a rule every kernel message keeps.
func check(t testing.TB, m *msg) {
	t.Helper()
	if strings.HasPrefix(m.typ(), "!") {
		t.Fatalf("kernel sent a message the client cannot decode: %s", m.typ())
	}
	if m.Header.Version != "5.3" {
		t.Errorf("%s: header version %q", m.typ(), m.Header.Version)
	}
	if !dateRE.MatchString(m.Header.Date) {
		t.Errorf("%s: header date %q", m.typ(), m.Header.Date)
	}
	if m.Header.MsgID == "" || m.Header.Session == "" || m.Header.Username == "" {
		t.Errorf("%s: incomplete header %+v", m.typ(), m.Header)
	}
	// No null anywhere, in any part.
	n := len(m.frames)
	for _, f := range m.frames[n-4:] {
		var v any
		if err := json.Unmarshal(f, &v); err != nil {
			t.Errorf("%s: part %s is not JSON", m.typ(), f)
		}
		if path := findNull(v, ""); path != "" {
			t.Errorf("%s: null at %s in %s", m.typ(), path, f)
		}
	}
}

// findNull returns the path of a JSON null in v, or "".
func findNull(v any, path string) string {
	switch v := v.(type) {
	case nil:
		if path == "" {
			return "(top)"
		}
		return path
	case map[string]any:
		for k, e := range v {
			if p := findNull(e, path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range v {
			if p := findNull(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

func recv(t testing.TB, q chan *msg, what string) *msg {
	t.Helper()
	select {
	case m, ok := <-q:
		if !ok {
			t.Fatalf("%s: socket closed", what)
		}
		check(t, m)
		return m
	case <-time.After(waitFor):
		t.Fatalf("timed out waiting for %s", what)
	}
	return nil
}

// reply waits for the reply to id on q.
func (tk *testKernel) reply(t testing.TB, q chan *msg, id string) *msg {
	t.Helper()
	for {
		m := recv(t, q, "reply to "+id)
		if m.parentID() == id {
			return m
		}
	}
}

// outputs returns the iopub messages whose parent is id, from busy to idle
// included, and fails unless they start with busy and end with idle.
func (tk *testKernel) outputs(t testing.TB, id string) []*msg {
	t.Helper()
	var out []*msg
	for {
		m := recv(t, tk.iopubQ, "iopub for "+id)
		if m.parentID() != id {
			continue
		}
		out = append(out, m)
		if m.typ() == "status" && m.str("execution_state") == "idle" {
			break
		}
	}
	if first := out[0]; first.typ() != "status" || first.str("execution_state") != "busy" {
		t.Errorf("first iopub message for %s is %s %v, want status busy", id, first.typ(), first.Content)
	}
	return out
}

// types lists the message types of ms, statuses as "busy"/"idle".
func types(ms []*msg) []string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.typ()
		if m.typ() == "status" {
			s[i] = m.str("execution_state")
		}
	}
	return s
}

// execute runs code with the given extra content fields and returns the
// reply and the iopub messages between busy and idle.
func (tk *testKernel) execute(t testing.TB, code string, extra map[string]any) (*msg, []*msg) {
	t.Helper()
	id := tk.send(tk.shell, "execute_request", executeContent(code, extra))
	reply := tk.reply(t, tk.shellQ, id)
	return reply, tk.outputs(t, id)
}

func executeContent(code string, extra map[string]any) map[string]any {
	c := map[string]any{"code": code, "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": true, "stop_on_error": true}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func zmqMsg(s string) zmq4.Msg { return zmq4.NewMsgString(s) }
