"""End-to-end checks of the gonn kernel through Debian's jupyter_client.

Run by kernel_test/e2e_test.go with /usr/bin/python3 and JUPYTER_PATH pointing
at a temporary directory where `gonn install` wrote the kernelspec. Each test
starts from a running kernel shared by the class (state carries over, as in a
notebook); tests that end a kernel start their own.
"""
import queue
import signal
import time
import unittest
import uuid

import zmq
from jupyter_client.manager import KernelManager, start_new_kernel
from jupyter_client.session import Session

TIMEOUT = 20
KERNEL = "gonn"


def collect(kc, msg_id, timeout=TIMEOUT):
    """Return the iopub messages of one request, from busy to idle."""
    msgs = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no idle for {msg_id}; got {[m['msg_type'] for m in msgs]}")
        msg = kc.get_iopub_msg(timeout=left)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return msgs


def shell_reply(kc, msg_id, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def no_nulls(test, obj, where="message"):
    """Jupyter validators reject null where an object or list belongs."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("parent_header", "header", "metadata", "content", "data", "user_expressions", "comms"):
                test.assertIsNotNone(v, f"{where}.{k} is null")
            no_nulls(test, v, f"{where}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            no_nulls(test, v, f"{where}[{i}]")


class KernelCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def setUp(self):
        self.drain()

    def drain(self):
        for get in (self.kc.get_iopub_msg, self.kc.get_shell_msg, self.kc.get_stdin_msg):
            while True:
                try:
                    get(timeout=0.05)
                except queue.Empty:
                    break

    def execute(self, code, **kw):
        """Execute code; return (reply, iopub messages between busy and idle)."""
        msg_id = self.kc.execute(code, **kw)
        reply = shell_reply(self.kc, msg_id)
        msgs = collect(self.kc, msg_id)
        no_nulls(self, reply)
        for m in msgs:
            no_nulls(self, m)
        return reply, msgs

    def ok(self, code, **kw):
        reply, msgs = self.execute(code, **kw)
        errors = [m["content"] for m in msgs if m["msg_type"] == "error"]
        self.assertEqual(reply["content"]["status"], "ok", f"{code!r}: {reply['content']} {errors}")
        return reply, msgs


def stdout(msgs):
    return "".join(m["content"]["text"] for m in msgs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")


def types(msgs):
    return [m["msg_type"] for m in msgs]


def result(msgs):
    rs = [m["content"] for m in msgs if m["msg_type"] == "execute_result"]
    return rs[0]["data"]["text/plain"] if rs else None


class TestInfo(KernelCase):
    def check_info(self, reply):
        c = reply["content"]
        self.assertEqual(reply["header"]["version"], "5.3")
        self.assertRegex(reply["header"]["date"] if isinstance(reply["header"]["date"], str)
                         else reply["header"]["date"].isoformat(), r"\d{4}-\d\d-\d\dT")
        self.assertEqual(c["status"], "ok")
        self.assertEqual(c["protocol_version"], "5.3")
        self.assertEqual(c["implementation"], "gonn")
        li = c["language_info"]
        self.assertEqual(li["name"], "go")
        self.assertRegex(li["version"], r"^1\.\d+")
        self.assertEqual(li["mimetype"], "text/x-go")
        self.assertEqual(li["file_extension"], ".go")
        self.assertEqual(li["pygments_lexer"], "go")
        self.assertEqual(li["codemirror_mode"], "go")
        self.assertIsInstance(c["banner"], str)

    def test_kernel_info_shell(self):
        msg_id = self.kc.kernel_info()
        reply = shell_reply(self.kc, msg_id)
        self.check_info(reply)
        self.assertEqual(types(collect(self.kc, msg_id)), ["status", "status"])

    def test_kernel_info_control(self):
        msg = self.kc.session.msg("kernel_info_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], msg["header"]["msg_id"])
        self.check_info(reply)


class TestExecute(KernelCase):
    def test_stream_and_order(self):
        reply, msgs = self.ok('fmt.Println("hello")')
        self.assertEqual(types(msgs), ["status", "execute_input", "stream", "status"])
        self.assertEqual(msgs[0]["content"]["execution_state"], "busy")
        self.assertEqual(msgs[1]["content"]["code"], 'fmt.Println("hello")')
        self.assertEqual(msgs[1]["content"]["execution_count"], reply["content"]["execution_count"])
        self.assertEqual(stdout(msgs), "hello\n")

    def test_result_and_state(self):
        self.ok("answer := 41")
        reply, msgs = self.ok("answer + 1")
        self.assertEqual(result(msgs), "42")
        res = [m for m in msgs if m["msg_type"] == "execute_result"][0]
        self.assertEqual(res["content"]["execution_count"], reply["content"]["execution_count"])

    def test_counts(self):
        r1, _ = self.ok("1")
        r2, _ = self.ok("2")
        self.assertEqual(r2["content"]["execution_count"], r1["content"]["execution_count"] + 1)
        # silent: nothing on iopub but busy/idle, no count increment
        r3, msgs = self.ok('fmt.Println("quiet")', silent=True)
        self.assertEqual(types(msgs), ["status", "status"])
        r4, _ = self.ok("3", store_history=False)
        r5, _ = self.ok("4")
        self.assertEqual(r5["content"]["execution_count"], r2["content"]["execution_count"] + 1)

    def test_stderr(self):
        _, msgs = self.ok('fmt.Fprintln(os.Stderr, "to stderr")')
        streams = [(m["content"]["name"], m["content"]["text"]) for m in msgs if m["msg_type"] == "stream"]
        self.assertEqual(streams, [("stderr", "to stderr\n")])

    def test_streams_while_running(self):
        code = 'fmt.Println("first")\ntime.Sleep(1500 * time.Millisecond)\nfmt.Println("second")'
        msg_id = self.kc.execute(code)
        t0 = time.monotonic()
        first_at = None
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and "first" in msg["content"]["text"] and first_at is None:
                first_at = time.monotonic() - t0
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        total = time.monotonic() - t0
        shell_reply(self.kc, msg_id)
        self.assertIsNotNone(first_at, "first line never streamed")
        self.assertLess(first_at, 1.0, f"first line arrived after {first_at:.2f}s of {total:.2f}s")
        self.assertGreater(total, 1.4)

    def test_user_expressions(self):
        self.ok("base := 21")
        reply, _ = self.ok("", user_expressions={"twice": "base * 2", "bad": "nosuchname"})
        ue = reply["content"]["user_expressions"]
        self.assertEqual(ue["twice"]["status"], "ok")
        self.assertEqual(ue["twice"]["data"]["text/plain"], "42")
        self.assertEqual(ue["bad"]["status"], "error")

    def test_payload_is_list(self):
        reply, _ = self.ok("1")
        self.assertEqual(reply["content"]["payload"], [])
        self.assertEqual(reply["content"]["user_expressions"], {})


class TestErrors(KernelCase):
    def check_error(self, code, name_re=None):
        reply, msgs = self.execute(code)
        self.assertEqual(reply["content"]["status"], "error", code)
        errs = [m for m in msgs if m["msg_type"] == "error"]
        self.assertEqual(len(errs), 1, f"{code!r}: {types(msgs)}")
        stray = [m for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"]
        self.assertEqual(stray, [], f"{code!r}: stray stderr {stray}")
        e = errs[0]["content"]
        for key in ("ename", "evalue", "traceback"):
            self.assertIn(key, reply["content"])
            self.assertIn(key, e)
        self.assertIsInstance(e["traceback"], list)
        if name_re:
            self.assertRegex(e["ename"] + ": " + e["evalue"] + "\n" + "\n".join(e["traceback"]), name_re)
        return e

    def test_errors_keep_state(self):
        self.ok("kept := 7")
        self.check_error('var bad int = "text"')
        self.check_error("x := ")
        self.check_error('panic("boom")', "boom")
        self.check_error("var p *struct{ X int }\nfmt.Println(p.X)")
        self.check_error("s := []int{1, 2}\ni := 5\n_ = s[i]", "index out of range")
        self.check_error("os.Exit(3)", "3")
        self.check_error('log.Fatal("fatal here")', "fatal here")
        self.check_error('go func() { panic("in goroutine") }()\ntime.Sleep(200 * time.Millisecond)',
                         "in goroutine")
        _, msgs = self.ok("kept * 6")
        self.assertEqual(result(msgs), "42")

    def test_error_names_cell_line(self):
        e = self.check_error('a := 1\nb := 2\nvar c int = "x"\nfmt.Println(a, b, c)')
        text = e["evalue"] + "\n".join(e["traceback"])
        self.assertRegex(text, r"\b3:\d+")

    def test_stop_on_error(self):
        # the failing cell runs long enough for the others to be queued
        # behind it: requests that arrive after the failure run
        ids = [self.kc.execute('time.Sleep(300 * time.Millisecond)\npanic("first fails")'),
               self.kc.execute('fmt.Println("queued 1")'),
               self.kc.execute('fmt.Println("queued 2")')]
        replies = [shell_reply(self.kc, i) for i in ids]
        self.assertEqual([r["content"]["status"] for r in replies], ["error", "aborted", "aborted"])
        self.drain()
        # after the queue drained, execution resumes
        self.ok("1")
        # without stop_on_error the queue runs
        ids = [self.kc.execute('time.Sleep(300 * time.Millisecond)\npanic("fails")', stop_on_error=False),
               self.kc.execute('fmt.Println("still runs")')]
        replies = [shell_reply(self.kc, i) for i in ids]
        self.assertEqual([r["content"]["status"] for r in replies], ["error", "ok"])


class TestInterrupt(KernelCase):
    def interrupt_while(self, code, how):
        msg_id = self.kc.execute(code)
        # wait until the kernel is busy with it
        while True:
            m = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        time.sleep(0.3)
        t0 = time.monotonic()
        how()
        reply = shell_reply(self.kc, msg_id, timeout=10)
        took = time.monotonic() - t0
        self.assertEqual(reply["content"]["status"], "error")
        self.assertLess(took, 2.0, f"interrupt took {took:.2f}s")
        self.drain()
        _, msgs = self.ok("1 + 1")
        self.assertEqual(result(msgs), "2")

    def message(self):
        msg = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(reply["msg_type"], "interrupt_reply")
        self.assertEqual(reply["content"]["status"], "ok")

    def sigint(self):
        self.km.signal_kernel(signal.SIGINT)

    def test_interrupt_loop_message(self):
        self.interrupt_while("for {}", self.message)

    def test_interrupt_sleep_message(self):
        self.interrupt_while("time.Sleep(time.Hour)", self.message)

    def test_interrupt_chan_sigint(self):
        self.interrupt_while("<-make(chan int)", self.sigint)

    def test_interrupt_loop_sigint(self):
        self.interrupt_while("n := 0\nfor {\n\tn++\n}", self.sigint)

    def test_interrupt_manager(self):
        # what the notebook's stop button does: KernelManager.interrupt_kernel,
        # which follows the kernelspec's interrupt_mode (message)
        self.interrupt_while("for {}", self.km.interrupt_kernel)

    def test_interrupt_idle(self):
        self.message()
        self.sigint()
        time.sleep(0.2)
        _, msgs = self.ok("2 + 2")
        self.assertEqual(result(msgs), "4")


class TestStdin(KernelCase):
    def test_input_request(self):
        code = 'var name string\nfmt.Print("Name: ")\nfmt.Scanln(&name)\nfmt.Println("hello", name)'
        msg_id = self.kc.execute(code, allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=TIMEOUT)
        self.assertEqual(req["msg_type"], "input_request")
        self.assertEqual(req["parent_header"]["msg_id"], msg_id)
        self.assertIn("Name: ", req["content"]["prompt"])
        self.assertFalse(req["content"]["password"])
        self.kc.input("gopher")
        reply = shell_reply(self.kc, msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertIn("hello gopher", stdout(collect(self.kc, msg_id)))

    def test_no_stdin(self):
        reply, _ = self.execute('var s string\n_, err := fmt.Scanln(&s)\nfmt.Println(err != nil)',
                                allow_stdin=False)
        self.assertEqual(reply["content"]["status"], "ok")


class TestIntrospection(KernelCase):
    def test_complete(self):
        msg_id = self.kc.complete("fmt.Pri", 7)
        c = shell_reply(self.kc, msg_id)["content"]
        self.assertEqual(c["status"], "ok")
        self.assertTrue({"Print", "Printf", "Println"} <= set(c["matches"]), c["matches"])
        self.assertEqual((c["cursor_start"], c["cursor_end"]), (4, 7))
        self.assertIsInstance(c["metadata"], dict)

    def test_complete_user_names(self):
        self.ok("type Net struct{ Layers []int }\nfunc (n *Net) Forward() {}\nnet := &Net{}")
        c = shell_reply(self.kc, self.kc.complete("net.", 4))["content"]
        self.assertTrue({"Layers", "Forward"} <= set(c["matches"]), c["matches"])

    def test_inspect(self):
        c = shell_reply(self.kc, self.kc.inspect("fmt.Println", 11))["content"]
        self.assertEqual(c["status"], "ok")
        self.assertTrue(c["found"])
        self.assertIn("Println", c["data"]["text/plain"])
        c = shell_reply(self.kc, self.kc.inspect("nosuchthing", 5))["content"]
        self.assertEqual(c["status"], "ok")
        self.assertFalse(c["found"])
        self.assertEqual(c["data"], {})

    def test_is_complete(self):
        for code, status in [("x := 1", "complete"), ("for i := 0; i < 3; i++ {", "incomplete"),
                             ("fmt.Println(", "incomplete"), ("x := )", "invalid"), ("", "complete")]:
            c = shell_reply(self.kc, self.kc.is_complete(code))["content"]
            self.assertEqual(c["status"], status, code)
            if status == "incomplete":
                self.assertIn("indent", c)

    def test_history(self):
        marker = uuid.uuid4().hex[:8]
        self.ok(f'fmt.Println("{marker}")')
        c = shell_reply(self.kc, self.kc.history(hist_access_type="tail", n=2, raw=True, output=False))["content"]
        self.assertEqual(c["status"], "ok")
        self.assertEqual(len(c["history"]), 2)
        last = c["history"][-1]
        self.assertEqual(len(last), 3)
        self.assertIn(marker, last[2])
        c = shell_reply(self.kc, self.kc.history(hist_access_type="search", pattern=f"*{marker}*",
                                                 raw=True, output=False))["content"]
        self.assertEqual(len(c["history"]), 1)
        session, line, _ = last
        c = shell_reply(self.kc, self.kc.history(hist_access_type="range", session=session,
                                                 start=line, stop=line + 1, raw=True, output=False))["content"]
        self.assertEqual([h[1] for h in c["history"]], [line])

    def test_comms(self):
        c = shell_reply(self.kc, self.kc.comm_info())["content"]
        self.assertEqual(c["status"], "ok")
        self.assertEqual(c["comms"], {})
        comm_id = uuid.uuid4().hex
        msg = self.kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "nosuch", "data": {}})
        self.kc.shell_channel.send(msg)
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self.kc.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
            if m["msg_type"] == "comm_close":
                self.assertEqual(m["content"]["comm_id"], comm_id)
                break


class TestBadInput(KernelCase):
    def alive(self):
        _, msgs = self.ok("1 + 1")
        self.assertEqual(result(msgs), "2")

    def raw_socket(self):
        ctx = zmq.Context.instance()
        s = ctx.socket(zmq.DEALER)
        s.linger = 0
        ci = self.km.get_connection_info()
        s.connect(f"{ci['transport']}://{ci['ip']}:{ci['shell_port']}")
        return s

    def test_bad_signature(self):
        s = self.raw_socket()
        bad = Session(key=b"not-the-key")
        bad.send(s, bad.msg("kernel_info_request", {}))
        self.assertEqual(s.poll(1000), 0, "the kernel answered a request with a bad signature")
        # the same request, signed right, is answered on the same socket
        good = Session(key=self.kc.session.key)
        good.send(s, good.msg("kernel_info_request", {}))
        self.assertNotEqual(s.poll(5000), 0, "no answer to a well-signed request")
        s.close()
        self.alive()

    def test_garbage_frames(self):
        s = self.raw_socket()
        s.send_multipart([b"garbage"])
        s.send_multipart([b"<IDS|MSG>", b"sig"])
        s.send_multipart([b"<IDS|MSG>"] + [b"\xff\xfe"] * 5)
        s.close()
        self.alive()

    def test_malformed_json(self):
        s = self.raw_socket()
        frames = [b"{not json", b"{}", b"{}", b"{}"]
        sig = self.kc.session.sign(frames)
        s.send_multipart([b"<IDS|MSG>", sig] + frames)
        s.close()
        self.alive()

    def test_unknown_msg_type(self):
        msg = self.kc.session.msg("frobnicate_request", {})
        self.kc.shell_channel.send(msg)
        self.alive()

    def test_pipelined(self):
        ids = [self.kc.execute(f"{i}") for i in range(200)]
        replies = [shell_reply(self.kc, i, timeout=60) for i in ids]
        self.assertEqual([r["parent_header"]["msg_id"] for r in replies], ids)
        counts = [r["content"]["execution_count"] for r in replies]
        self.assertEqual(counts, list(range(counts[0], counts[0] + 200)))
        self.drain()


class TestShutdown(unittest.TestCase):
    def test_shutdown_and_restart(self):
        km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
        try:
            msg_id = kc.execute("state := 1")
            self.assertEqual(shell_reply(kc, msg_id)["content"]["status"], "ok")
            km.restart_kernel(now=False)
            kc.wait_for_ready(timeout=60)
            reply = shell_reply(kc, kc.execute("state"))
            self.assertEqual(reply["content"]["status"], "error", "state survived a restart")
            msg = kc.session.msg("shutdown_request", {"restart": False})
            kc.control_channel.send(msg)
            reply = kc.get_control_msg(timeout=TIMEOUT)
            self.assertEqual(reply["msg_type"], "shutdown_reply")
            self.assertEqual(reply["content"], {"status": "ok", "restart": False})
            deadline = time.monotonic() + 10
            while km.is_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(km.is_alive(), "kernel still running after shutdown_request")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    def test_shutdown_on_shell(self):
        km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
        try:
            msg = kc.session.msg("shutdown_request", {"restart": False})
            kc.shell_channel.send(msg)
            reply = shell_reply(kc, msg["header"]["msg_id"])
            self.assertEqual(reply["content"]["status"], "ok")
            deadline = time.monotonic() + 10
            while km.is_alive() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(km.is_alive())
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


class TestIPC(unittest.TestCase):
    def test_ipc_transport(self):
        km = KernelManager(kernel_name=KERNEL, transport="ipc")
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            self.assertEqual(km.transport, "ipc")
            reply = shell_reply(kc, kc.execute('fmt.Println("over ipc")'))
            self.assertEqual(reply["content"]["status"], "ok")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


if __name__ == "__main__":
    unittest.main()
