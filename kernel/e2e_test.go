package kernel

import (
	"context"
	"fmt"
	"io"
	"log"
	"reflect"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestE2EKernelInfo(t *testing.T) {
	for _, transport := range []string{"tcp", "ipc"} {
		t.Run(transport, func(t *testing.T) {
			tk := startKernel(t, kernelConfig{transport: transport})
			for _, ch := range []string{"shell", "control"} {
				s, q := tk.shell, tk.shellQ
				if ch == "control" {
					s, q = tk.control, tk.controlQ
				}
				id := tk.send(s, "kernel_info_request", map[string]any{})
				r := tk.reply(t, q, id)
				if r.typ() != "kernel_info_reply" || r.str("status") != "ok" || r.str("protocol_version") != "5.3" || r.str("implementation") != "gonn" {
					t.Errorf("%s: reply %s %v", ch, r.typ(), r.Content)
				}
				li, _ := r.Content["language_info"].(map[string]any)
				if li["name"] != "go" || li["file_extension"] != ".go" || li["mimetype"] != "text/x-go" {
					t.Errorf("%s: language_info %v", ch, li)
				}
				if _, ok := r.Content["help_links"].([]any); !ok {
					t.Errorf("%s: help_links %v, want a list", ch, r.Content["help_links"])
				}
				if r.Header.Session == tk.session {
					t.Errorf("%s: the kernel uses the client's session id", ch)
				}
				if got := types(tk.outputs(t, id)); !slices.Equal(got, []string{"busy", "idle"}) {
					t.Errorf("%s: iopub %v, want busy idle", ch, got)
				}
			}
		})
	}
}

func TestE2ESchemes(t *testing.T) {
	for _, scheme := range append(Schemes(), "-empty-key") {
		t.Run(scheme, func(t *testing.T) {
			cfg := kernelConfig{scheme: scheme}
			if scheme == "-empty-key" {
				cfg = kernelConfig{key: "-"}
			}
			tk := startKernel(t, cfg)
			r, _ := tk.execute(t, "result 7", nil)
			if r.str("status") != "ok" {
				t.Errorf("reply %v", r.Content)
			}
			if cfg.key == "-" && len(r.frames[1]) != 0 {
				t.Errorf("empty key: signature frame %q, want empty", r.frames[1])
			}
		})
	}
}

func TestE2EExecuteOutputs(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	code := "print hello\neprint oops\ndisplay d1 first\nupdate d1 second\ndisplay - anon\nclear\nresult 42"
	r, out := tk.execute(t, code, nil)
	if r.typ() != "execute_reply" || r.str("status") != "ok" || r.Content["execution_count"] != 1.0 {
		t.Fatalf("reply %s %v", r.typ(), r.Content)
	}
	if _, ok := r.Content["user_expressions"].(map[string]any); !ok {
		t.Errorf("user_expressions %v", r.Content["user_expressions"])
	}
	if p, ok := r.Content["payload"].([]any); !ok || len(p) != 0 {
		t.Errorf("payload %v", r.Content["payload"])
	}
	want := []string{"busy", "execute_input", "stream", "stream", "display_data", "update_display_data", "display_data", "clear_output", "execute_result", "idle"}
	if got := types(out); !slices.Equal(got, want) {
		t.Fatalf("iopub %v\nwant %v", got, want)
	}
	if out[1].str("code") != code || out[1].Content["execution_count"] != 1.0 {
		t.Errorf("execute_input %v", out[1].Content)
	}
	if out[2].str("name") != "stdout" || out[2].str("text") != "hello\n" || out[3].str("name") != "stderr" {
		t.Errorf("streams %v %v", out[2].Content, out[3].Content)
	}
	if tr := out[4].Content["transient"].(map[string]any); tr["display_id"] != "d1" {
		t.Errorf("display transient %v", tr)
	}
	if tr := out[5].Content["transient"].(map[string]any); tr["display_id"] != "d1" {
		t.Errorf("update transient %v", tr)
	}
	if d := out[5].Content["data"].(map[string]any); d["text/plain"] != "second" {
		t.Errorf("update data %v", d)
	}
	if tr := out[6].Content["transient"].(map[string]any); len(tr) != 0 {
		t.Errorf("anonymous display transient %v, want {}", tr)
	}
	if out[7].Content["wait"] != true {
		t.Errorf("clear_output %v", out[7].Content)
	}
	res := out[8].Content
	if res["execution_count"] != 1.0 || res["data"].(map[string]any)["text/plain"] != "42" {
		t.Errorf("execute_result %v", res)
	}

	// The count grows by one per stored request only.
	r, _ = tk.execute(t, "result 1", nil)
	if r.Content["execution_count"] != 2.0 {
		t.Errorf("second count %v", r.Content["execution_count"])
	}
	r, out = tk.execute(t, "result 1", map[string]any{"store_history": false})
	if r.Content["execution_count"] != 2.0 || out[1].Content["execution_count"] != 2.0 {
		t.Errorf("store_history=false: count %v, execute_input %v", r.Content["execution_count"], out[1].Content)
	}
	// Silent: nothing on iopub but busy and idle, no count.
	r, out = tk.execute(t, "print quiet\ndisplay - x\nclear\nresult 1", map[string]any{"silent": true})
	if r.str("status") != "ok" || r.Content["execution_count"] != 2.0 {
		t.Errorf("silent reply %v", r.Content)
	}
	if got := types(out); !slices.Equal(got, []string{"busy", "idle"}) {
		t.Errorf("silent iopub %v", got)
	}
	r, out = tk.execute(t, "error", map[string]any{"silent": true, "stop_on_error": false})
	if r.str("status") != "error" || r.str("ename") != "TypeError" {
		t.Errorf("silent error reply %v", r.Content)
	}
	if got := types(out); !slices.Equal(got, []string{"busy", "idle"}) {
		t.Errorf("silent error iopub %v", got)
	}
	r, _ = tk.execute(t, "result 3", nil)
	if r.Content["execution_count"] != 3.0 {
		t.Errorf("count after silent and unstored requests %v, want 3", r.Content["execution_count"])
	}
	// Missing optional fields take the protocol's defaults.
	id := tk.send(tk.shell, "execute_request", map[string]any{"code": "result 4"})
	if r := tk.reply(t, tk.shellQ, id); r.str("status") != "ok" || r.Content["execution_count"] != 4.0 {
		t.Errorf("minimal request: %v", r.Content)
	}
	tk.outputs(t, id)
}

func TestE2EUserExpressionsAndNulls(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	r, out := tk.execute(t, "rich", map[string]any{"user_expressions": map[string]any{"a": "result 5", "b": "error", "c": "print x"}})
	ue := r.Content["user_expressions"].(map[string]any)
	a, b, c := ue["a"].(map[string]any), ue["b"].(map[string]any), ue["c"].(map[string]any)
	if a["status"] != "ok" || a["data"].(map[string]any)["text/plain"] != "5" {
		t.Errorf("user expression a: %v", a)
	}
	if b["status"] != "error" || b["ename"] != "TypeError" {
		t.Errorf("user expression b: %v", b)
	}
	if c["status"] != "ok" || len(c["data"].(map[string]any)) != 0 {
		t.Errorf("user expression c: %v", c)
	}
	// "rich" has nil metadata and nil MIME values: check() found no null.
	res := out[len(out)-2]
	if res.typ() != "execute_result" || !reflect.DeepEqual(res.Content["data"], map[string]any{"text/plain": "rich"}) {
		t.Errorf("execute_result %v", res.Content)
	}
}

func TestE2EErrors(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	for _, c := range []struct{ code, ename, evalue string }{
		{"print before\nerror", "TypeError", "cannot use x"},
		{"fail", "Error", errFake.Error()},
		{"panic", "panic", "fake engine exploded"},
	} {
		r, out := tk.execute(t, c.code, nil)
		if r.str("status") != "error" || r.str("ename") != c.ename || r.str("evalue") != c.evalue {
			t.Errorf("%q: reply %v", c.code, r.Content)
		}
		if tb, ok := r.Content["traceback"].([]any); !ok || len(tb) == 0 {
			t.Errorf("%q: traceback %v", c.code, r.Content["traceback"])
		}
		var errs []*msg
		for _, m := range out {
			if m.typ() == "error" {
				errs = append(errs, m)
			}
		}
		if len(errs) != 1 {
			t.Fatalf("%q: %d error messages on iopub (%v), want 1", c.code, len(errs), types(out))
		}
		if errs[0].str("ename") != c.ename || errs[0].str("evalue") != c.evalue {
			t.Errorf("%q: error content %v", c.code, errs[0].Content)
		}
		if out[len(out)-2].typ() != "error" {
			t.Errorf("%q: iopub %v, want the error last before idle", c.code, types(out))
		}
	}
	// The kernel still works.
	if r, _ := tk.execute(t, "result ok", nil); r.str("status") != "ok" {
		t.Errorf("after errors: %v", r.Content)
	}
}

func TestE2EStopOnError(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	// The queued requests must reach the kernel while the first cell runs.
	first := tk.send(tk.shell, "execute_request", executeContent("sleep 600\nerror", nil))
	queued := []string{
		tk.send(tk.shell, "execute_request", executeContent("result a", nil)),
		tk.send(tk.shell, "kernel_info_request", map[string]any{}),
		tk.send(tk.shell, "execute_request", executeContent("result b", map[string]any{"silent": true})),
		tk.send(tk.shell, "execute_request", executeContent("result c", nil)),
	}
	if r := tk.reply(t, tk.shellQ, first); r.str("status") != "error" {
		t.Fatalf("first: %v", r.Content)
	}
	for i, id := range queued {
		r := tk.reply(t, tk.shellQ, id)
		if i == 1 {
			if r.typ() != "kernel_info_reply" || r.str("status") != "ok" {
				t.Errorf("kernel_info while aborting: %s %v", r.typ(), r.Content)
			}
		} else if r.str("status") != "aborted" {
			t.Errorf("queued execute %d: %v, want aborted", i, r.Content)
		}
		if got := types(tk.outputs(t, id)); !slices.Equal(got, []string{"busy", "idle"}) {
			t.Errorf("queued %d: iopub %v, want busy idle", i, got)
		}
	}
	tk.eng.mu.Lock()
	ran := slices.Clone(tk.eng.executed)
	tk.eng.mu.Unlock()
	if len(ran) != 1 {
		t.Errorf("the engine ran %q, want only the failing cell", ran)
	}
	// Aborting ends with the queue: a new request runs.
	if r, _ := tk.execute(t, "result d", nil); r.str("status") != "ok" || r.Content["execution_count"] != 2.0 {
		t.Errorf("after aborting: %v", r.Content)
	}

	// stop_on_error false: the queue runs.
	first = tk.send(tk.shell, "execute_request", executeContent("sleep 100\nerror", map[string]any{"stop_on_error": false}))
	next := tk.send(tk.shell, "execute_request", executeContent("result e", nil))
	if r := tk.reply(t, tk.shellQ, first); r.str("status") != "error" {
		t.Errorf("first: %v", r.Content)
	}
	if r := tk.reply(t, tk.shellQ, next); r.str("status") != "ok" {
		t.Errorf("after an error with stop_on_error false: %v", r.Content)
	}
}

func TestE2EInterrupt(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	// Idle interrupts are harmless.
	id := tk.send(tk.control, "interrupt_request", map[string]any{})
	if r := tk.reply(t, tk.controlQ, id); r.typ() != "interrupt_reply" || r.str("status") != "ok" {
		t.Errorf("idle interrupt: %s %v", r.typ(), r.Content)
	}
	tk.outputs(t, id)
	if r, _ := tk.execute(t, "result fine", nil); r.str("status") != "ok" {
		t.Errorf("after an idle interrupt: %v", r.Content)
	}
	for _, how := range []string{"message", "SIGINT"} {
		t.Run(how, func(t *testing.T) {
			id := tk.send(tk.shell, "execute_request", executeContent("print started\nwait", nil))
			queued := tk.send(tk.shell, "execute_request", executeContent("result never", nil))
			select {
			case <-tk.eng.started:
			case <-time.After(waitFor):
				t.Fatal("the cell did not start")
			}
			// Control is answered while the cell runs.
			ki := tk.send(tk.control, "kernel_info_request", map[string]any{})
			if r := tk.reply(t, tk.controlQ, ki); r.typ() != "kernel_info_reply" {
				t.Errorf("kernel_info on control during a cell: %s", r.typ())
			}
			if how == "message" {
				ir := tk.send(tk.control, "interrupt_request", map[string]any{})
				if r := tk.reply(t, tk.controlQ, ir); r.str("status") != "ok" {
					t.Errorf("interrupt_reply %v", r.Content)
				}
			} else if err := syscall.Kill(syscall.Getpid(), syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			r := tk.reply(t, tk.shellQ, id)
			if r.str("status") != "error" || r.str("ename") != "Interrupted" {
				t.Errorf("interrupted cell: %v", r.Content)
			}
			out := tk.outputs(t, id)
			if got := types(out); !slices.Equal(got, []string{"busy", "execute_input", "stream", "error", "idle"}) {
				t.Errorf("interrupted cell iopub %v", got)
			}
			if r := tk.reply(t, tk.shellQ, queued); r.str("status") != "aborted" {
				t.Errorf("request queued behind the interrupted cell: %v", r.Content)
			}
			tk.eng.mu.Lock()
			seen := tk.eng.flagSeen
			tk.eng.mu.Unlock()
			if !seen {
				t.Error("interrupt.Pending was false in the interrupted cell")
			}
		})
	}
	if r, _ := tk.execute(t, "result alive", nil); r.str("status") != "ok" {
		t.Errorf("after interrupts: %v", r.Content)
	}
}

func TestE2EStdin(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	id := tk.send(tk.shell, "execute_request", executeContent("print asking\ninput Name? ", nil))
	req := recv(t, tk.stdQ, "input_request")
	if req.typ() != "input_request" || req.str("prompt") != "Name? " || req.Content["password"] != false || req.parentID() != id {
		t.Fatalf("input_request %s %v parent %s", req.typ(), req.Content, req.parentID())
	}
	tk.send(tk.stdin, "input_reply", map[string]any{"value": "Ada", "status": "ok"})
	if r := tk.reply(t, tk.shellQ, id); r.str("status") != "ok" {
		t.Errorf("reply %v", r.Content)
	}
	out := tk.outputs(t, id)
	var text string
	for _, m := range out {
		if m.typ() == "stream" {
			text += m.str("text")
		}
	}
	if text != "asking\ngot Ada" {
		t.Errorf("streamed %q", text)
	}
	// allow_stdin false: input fails as the cell's error, nothing on stdin.
	r, _ := tk.execute(t, "input x", map[string]any{"allow_stdin": false})
	if r.str("status") != "error" || !strings.Contains(r.str("evalue"), "allow_stdin") {
		t.Errorf("input without stdin: %v", r.Content)
	}
	if len(tk.stdQ) != 0 {
		t.Error("an input_request was sent although allow_stdin was false")
	}
	// An interrupt ends a cell waiting for input.
	id = tk.send(tk.shell, "execute_request", executeContent("input waiting", nil))
	recv(t, tk.stdQ, "input_request")
	tk.send(tk.control, "interrupt_request", map[string]any{})
	if r := tk.reply(t, tk.shellQ, id); r.str("status") != "error" {
		t.Errorf("interrupted input: %v", r.Content)
	}
}

func TestE2EHistory(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	codes := []string{"result 1", "result 22", "print x", "result 22"}
	for _, c := range codes {
		tk.execute(t, c, nil)
	}
	tk.execute(t, "result not stored", map[string]any{"store_history": false})
	hist := func(req map[string]any) []any {
		t.Helper()
		req["raw"] = true
		if _, ok := req["output"]; !ok {
			req["output"] = false
		}
		id := tk.send(tk.shell, "history_request", req)
		r := tk.reply(t, tk.shellQ, id)
		tk.outputs(t, id)
		if r.typ() != "history_reply" || r.str("status") != "ok" {
			t.Fatalf("history reply %s %v", r.typ(), r.Content)
		}
		return r.Content["history"].([]any)
	}
	js := func(v any) string { return fmt.Sprint(v) }
	if got := hist(map[string]any{"hist_access_type": "tail", "n": 2}); js(got) != "[[1 3 print x] [1 4 result 22]]" {
		t.Errorf("tail: %v", got)
	}
	if got := hist(map[string]any{"hist_access_type": "tail", "n": 1, "output": true}); js(got) != "[[1 4 [result 22 22]]]" {
		t.Errorf("tail with output: %v", got)
	}
	if got := hist(map[string]any{"hist_access_type": "range", "session": 1, "start": 1, "stop": 3}); js(got) != "[[1 1 result 1] [1 2 result 22]]" {
		t.Errorf("range: %v", got)
	}
	if got := hist(map[string]any{"hist_access_type": "search", "pattern": "result 2?", "unique": true}); js(got) != "[[1 4 result 22]]" {
		t.Errorf("search unique: %v", got)
	}
	if got := hist(map[string]any{"hist_access_type": "search", "pattern": "result*", "n": 2}); js(got) != "[[1 2 result 22] [1 4 result 22]]" {
		t.Errorf("search n: %v", got)
	}
}

func TestE2EIntrospection(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	ask := func(msgType string, content map[string]any) *msg {
		t.Helper()
		id := tk.send(tk.shell, msgType, content)
		r := tk.reply(t, tk.shellQ, id)
		if got := types(tk.outputs(t, id)); !slices.Equal(got, []string{"busy", "idle"}) {
			t.Errorf("%s: iopub %v", msgType, got)
		}
		return r
	}
	r := ask("complete_request", map[string]any{"code": "x := fm", "cursor_pos": 7})
	if r.typ() != "complete_reply" || fmt.Sprint(r.Content["matches"]) != "[fmt]" || r.Content["cursor_start"] != 5.0 || r.Content["cursor_end"] != 7.0 {
		t.Errorf("complete: %v", r.Content)
	}
	if types := r.Content["metadata"].(map[string]any)["_jupyter_types_experimental"]; fmt.Sprint(types) != "[map[end:7 start:5 text:fmt type:package]]" {
		t.Errorf("completion types %v", types)
	}
	r = ask("complete_request", map[string]any{"code": "zz", "cursor_pos": 2})
	if m, ok := r.Content["matches"].([]any); !ok || len(m) != 0 || r.Content["cursor_start"] != 2.0 {
		t.Errorf("no completions: %v", r.Content)
	}
	r = ask("inspect_request", map[string]any{"code": "fmt.Println", "cursor_pos": 2, "detail_level": 0})
	if r.typ() != "inspect_reply" || r.Content["found"] != true || r.Content["data"].(map[string]any)["text/plain"] != "package fmt" {
		t.Errorf("inspect: %v", r.Content)
	}
	r = ask("inspect_request", map[string]any{"code": "zz", "cursor_pos": 1, "detail_level": 1})
	if r.Content["found"] != false || len(r.Content["data"].(map[string]any)) != 0 {
		t.Errorf("inspect not found: %v", r.Content)
	}
	for code, want := range map[string]string{"for {": "incomplete", "x := 1": "complete", "f())": "invalid"} {
		r = ask("is_complete_request", map[string]any{"code": code})
		if r.typ() != "is_complete_reply" || r.str("status") != want {
			t.Errorf("is_complete %q: %v", code, r.Content)
		}
		if _, ok := r.Content["indent"]; ok != (want == "incomplete") {
			t.Errorf("is_complete %q: indent present = %v", code, ok)
		}
	}
	// A handler that panics still answers, with an error reply.
	r = ask("complete_request", map[string]any{"code": "panic", "cursor_pos": 5})
	if r.typ() != "complete_reply" || r.str("status") != "error" || r.str("ename") != "KernelError" {
		t.Errorf("complete with a panicking engine: %s %v", r.typ(), r.Content)
	}
	r = ask("comm_info_request", map[string]any{})
	if r.typ() != "comm_info_reply" || r.str("status") != "ok" || len(r.Content["comms"].(map[string]any)) != 0 {
		t.Errorf("comm_info: %v", r.Content)
	}
	r = ask("connect_request", map[string]any{})
	if r.typ() != "connect_reply" || r.str("status") != "ok" {
		t.Errorf("connect: %v", r.Content)
	}
}

func TestE2EComm(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	id := tk.send(tk.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "nobody", "data": map[string]any{}})
	out := tk.outputs(t, id)
	if got := types(out); !slices.Equal(got, []string{"busy", "comm_close", "idle"}) {
		t.Fatalf("comm_open iopub %v", got)
	}
	if out[1].str("comm_id") != "c1" {
		t.Errorf("comm_close %v", out[1].Content)
	}
	for _, typ := range []string{"comm_msg", "comm_close"} {
		id := tk.send(tk.shell, typ, map[string]any{"comm_id": "c1", "data": map[string]any{}})
		if got := types(tk.outputs(t, id)); !slices.Equal(got, []string{"busy", "idle"}) {
			t.Errorf("%s iopub %v", typ, got)
		}
	}
	if len(tk.shellQ) != 0 {
		t.Errorf("comm messages got a reply on shell: %v", (<-tk.shellQ).typ())
	}
}

func TestE2EBadInput(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	good := func(msgType, content string) [][]byte {
		h := header{MsgID: newID(), Session: tk.session, Username: "test", Date: formatDate(time.Now()), MsgType: msgType, Version: protocolVersion}
		f, _ := encode(tk.signer, nil, h, nil, nil, map[string]any{})
		f[5] = []byte(content)
		f[1] = tk.signer.sign(f[2], f[3], f[4], f[5])
		return f
	}
	badSig := good("kernel_info_request", "{}")
	badSig[1] = []byte(strings.Repeat("ab", 32))
	for _, frames := range [][][]byte{
		badSig,
		{[]byte("garbage")},
		{[]byte("<IDS|MSG>"), []byte("x")},
		{{0xff, 0x00}, {}, {}, {}},
		good("no_such_request", "{}"),
		good("execute_request", "{not json"),
		good("execute_request", `{"code": 5}`),
	} {
		tk.sendRaw(tk.shell, frames...)
		tk.sendRaw(tk.control, frames...)
		tk.sendRaw(tk.stdin, frames...)
	}
	id := tk.send(tk.shell, "kernel_info_request", map[string]any{})
	if r := tk.reply(t, tk.shellQ, id); r.typ() != "kernel_info_reply" {
		t.Errorf("after bad input: %s", r.typ())
	}
	id = tk.send(tk.control, "kernel_info_request", map[string]any{})
	if r := tk.reply(t, tk.controlQ, id); r.typ() != "kernel_info_reply" {
		t.Errorf("control after bad input: %s", r.typ())
	}
	if r, _ := tk.execute(t, "result 1", nil); r.str("status") != "ok" || r.Content["execution_count"] != 1.0 {
		t.Errorf("execute after bad input: %v", r.Content)
	}
	if len(tk.stdQ) != 0 {
		t.Error("stdin answered bad input")
	}
	logs := tk.logs.String()
	for _, want := range []string{"invalid signature", "no <IDS|MSG> delimiter", "frames after the delimiter", `unknown type "no_such_request"`, "not a JSON object", "bad content"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestE2EStreamCoalescing(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	text := strings.Repeat("x", 500)
	r, out := tk.execute(t, "chars "+text+"\neprint e\nprint end", nil)
	if r.str("status") != "ok" {
		t.Fatal(r.Content)
	}
	var streams []string
	for _, m := range out {
		if m.typ() == "stream" {
			streams = append(streams, m.str("name")+":"+m.str("text"))
		}
	}
	// Three when the 500 writes take under 20ms; a loaded machine may
	// split them, but never anywhere near one message per write.
	if len(streams) > 50 || len(streams) < 3 {
		t.Fatalf("%d stream messages for 502 writes: %q", len(streams), streams)
	}
	joined := strings.Join(streams, "|")
	if !strings.HasPrefix(joined, "stdout:x") || !strings.Contains(joined, "|stderr:e\n|stdout:end\n") {
		t.Errorf("streams out of order or merged across names: %q", joined)
	}
}

func TestE2EStreamLatency(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	// The cell prints, then blocks until interrupted: the line must arrive
	// while it runs, within the coalescing delay (generous for a loaded
	// machine).
	id := tk.send(tk.shell, "execute_request", executeContent("print first\nwait", nil))
	<-tk.eng.started
	start := time.Now()
	for {
		m := recv(t, tk.iopubQ, "stream")
		if m.typ() == "stream" && m.parentID() == id {
			break
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("first line arrived %v after the cell blocked", d)
	}
	tk.send(tk.control, "interrupt_request", map[string]any{})
	tk.reply(t, tk.shellQ, id)
}

func TestE2EPipelined(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	const n = 200
	ids := make([]string, n)
	for i := range ids {
		ids[i] = tk.send(tk.shell, "execute_request", executeContent(fmt.Sprintf("result %d", i), nil))
	}
	for i, id := range ids {
		r := recv(t, tk.shellQ, "reply")
		if r.parentID() != id {
			t.Fatalf("reply %d answers %s, want %s", i, r.parentID(), id)
		}
		if r.str("status") != "ok" || r.Content["execution_count"] != float64(i+1) {
			t.Fatalf("reply %d: %v", i, r.Content)
		}
	}
	for i, id := range ids {
		out := tk.outputs(t, id)
		if got := types(out); !slices.Equal(got, []string{"busy", "execute_input", "execute_result", "idle"}) {
			t.Fatalf("request %d iopub %v", i, got)
		}
		if out[2].Content["data"].(map[string]any)["text/plain"] != fmt.Sprint(i) {
			t.Fatalf("request %d result %v", i, out[2].Content)
		}
	}
}

func TestE2EHeartbeat(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	for i := range 3 {
		ping := fmt.Sprintf("ping %d", i)
		if err := tk.hb.Send(zmqMsg(ping)); err != nil {
			t.Fatal(err)
		}
		m, err := tk.hb.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if got := string(m.Bytes()); got != ping {
			t.Errorf("heartbeat echoed %q, want %q", got, ping)
		}
	}
}

func TestE2EShutdown(t *testing.T) {
	for _, c := range []struct {
		name    string
		restart bool
	}{{"control", false}, {"control", true}, {"shell", false}} {
		t.Run(fmt.Sprintf("%s restart=%v", c.name, c.restart), func(t *testing.T) {
			tk := startKernel(t, kernelConfig{})
			s, q := tk.control, tk.controlQ
			if c.name == "shell" {
				s, q = tk.shell, tk.shellQ
			}
			id := tk.send(s, "shutdown_request", map[string]any{"restart": c.restart})
			r := tk.reply(t, q, id)
			if r.typ() != "shutdown_reply" || r.str("status") != "ok" || r.Content["restart"] != c.restart {
				t.Errorf("reply %s %v", r.typ(), r.Content)
			}
			if got := types(tk.outputs(t, id)); !slices.Equal(got, []string{"busy", "idle"}) {
				t.Errorf("iopub %v", got)
			}
			select {
			case err := <-tk.done:
				if err != nil {
					t.Errorf("Serve returned %v, want nil", err)
				}
				tk.done <- err // for the cleanup
			case <-time.After(waitFor):
				t.Fatal("Serve did not return after shutdown")
			}
			if !tk.eng.isClosed() {
				t.Error("the engine was not closed")
			}
		})
	}
	// Shutdown while a cell runs ends the cell.
	tk := startKernel(t, kernelConfig{})
	tk.send(tk.shell, "execute_request", executeContent("wait", nil))
	<-tk.eng.started
	id := tk.send(tk.control, "shutdown_request", map[string]any{"restart": false})
	tk.reply(t, tk.controlQ, id)
	select {
	case err := <-tk.done:
		tk.done <- err
	case <-time.After(waitFor):
		t.Fatal("Serve did not return after shutdown during a cell")
	}
}

func TestServeErrors(t *testing.T) {
	if err := Serve(t.Context(), "/nonexistent/kernel.json", newFakeEngine(), Options{}); err == nil {
		t.Error("Serve with a missing connection file succeeded")
	}
}

// BenchmarkExecuteRoundTrip measures one execute_request from send to idle
// with an engine that does nothing.
func BenchmarkExecuteRoundTrip(b *testing.B) {
	tk := startKernel(b, kernelConfig{})
	b.ResetTimer()
	for range b.N {
		id := tk.send(tk.shell, "execute_request", executeContent("", nil))
		tk.reply(b, tk.shellQ, id)
		tk.outputs(b, id)
	}
}

// TestServeWithoutClients: a kernel nobody connects to still stops.
func TestServeWithoutClients(t *testing.T) {
	p := writeFile(t, `{"ip": "127.0.0.1", "key": "k"}`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	ready := make(chan Endpoints, 1)
	eng := newFakeEngine()
	go func() {
		done <- Serve(ctx, p, eng, Options{Logger: log.New(io.Discard, "", 0), Ready: func(e Endpoints) { ready <- e }})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v", err)
		}
	case <-time.After(waitFor):
		t.Fatal("Serve did not return")
	}
	if !eng.isClosed() {
		t.Error("engine not closed")
	}
}

func TestE2EPager(t *testing.T) {
	tk := startKernel(t, kernelConfig{})
	for _, code := range []string{"?fmt.Println", "fmt.Println?", "??fmt", " fmt.Printf?? "} {
		r, out := tk.execute(t, code, nil)
		p, _ := r.Content["payload"].([]any)
		if r.str("status") != "ok" || len(p) != 1 {
			t.Fatalf("%q: reply %v", code, r.Content)
		}
		page := p[0].(map[string]any)
		if page["source"] != "page" || page["data"].(map[string]any)["text/plain"] != "package fmt" || page["start"] != 0.0 {
			t.Errorf("%q: payload %v", code, page)
		}
		if got := types(out); !slices.Equal(got, []string{"busy", "execute_input", "idle"}) {
			t.Errorf("%q: iopub %v", code, got)
		}
	}
	r, out := tk.execute(t, "?nothing", nil)
	if p := r.Content["payload"].([]any); len(p) != 0 || out[2].typ() != "stream" {
		t.Errorf("unknown name: payload %v, iopub %v", p, types(out))
	}
	tk.eng.mu.Lock()
	ran := len(tk.eng.executed)
	tk.eng.mu.Unlock()
	if ran != 0 {
		t.Errorf("help cells reached Execute %d times", ran)
	}
}
