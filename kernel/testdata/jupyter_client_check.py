#!/usr/bin/python3
"""Drives a running gonn kernel (with kernel/'s fake engine) through Debian's
jupyter_client and validates every message with jupyter_kernel_test's
schemas. Usage: jupyter_client_check.py CONNECTION_FILE. Prints "ok" and
exits 0, or prints the failures and exits 1. Run by TestJupyterClient.
"""
import sys
import time
from queue import Empty

from jupyter_client import BlockingKernelClient
from jupyter_kernel_test.msgspec_v5 import validate_message

T = 10
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def valid(msg, msg_type=None, parent=None):
    try:
        validate_message(msg, msg_type, parent)
    except Exception as e:  # noqa: BLE001 - report every schema failure
        failures.append("%s: %s: %s" % (msg["header"]["msg_type"], type(e).__name__, e))


def outputs(kc, msg_id):
    """iopub messages for msg_id from busy to idle, validated."""
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=T)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        valid(m)
        out.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return out


def kinds(msgs):
    return [m["content"]["execution_state"] if m["msg_type"] == "status" else m["msg_type"] for m in msgs]


def shell(kc, msg_id, msg_type):
    r = kc.get_shell_msg(timeout=T)
    valid(r, msg_type, msg_id)
    return r


def main():
    kc = BlockingKernelClient(connection_file=sys.argv[1])
    kc.load_connection_file()
    kc.start_channels()
    kc.wait_for_ready(timeout=T)
    # Let the SUB subscription settle, then forget what came before.
    time.sleep(0.3)
    while True:
        try:
            kc.get_iopub_msg(timeout=0.2)
        except Empty:
            break

    mid = kc.kernel_info()
    r = shell(kc, mid, "kernel_info_reply")
    check(r["content"]["protocol_version"] == "5.3", "protocol_version")
    check(kinds(outputs(kc, mid)) == ["busy", "idle"], "kernel_info busy/idle")

    code = "print hello\ndisplay d1 one\nupdate d1 two\nclear\nresult 42"
    mid = kc.execute(code)
    r = shell(kc, mid, "execute_reply")
    check(r["content"]["status"] == "ok" and r["content"]["execution_count"] == 1, "execute reply %r" % r["content"])
    got = kinds(outputs(kc, mid))
    want = ["busy", "execute_input", "stream", "display_data", "update_display_data", "clear_output", "execute_result", "idle"]
    check(got == want, "execute iopub %r" % got)

    mid = kc.execute("error")
    r = shell(kc, mid, "execute_reply")
    check(r["content"]["status"] == "error", "error reply")
    out = outputs(kc, mid)
    check([m["msg_type"] for m in out].count("error") == 1, "one error output")

    mid = kc.complete("x := fm", 7)
    r = shell(kc, mid, "complete_reply")
    check(r["content"]["matches"] == ["fmt"], "complete %r" % r["content"])
    outputs(kc, mid)
    mid = kc.inspect("fmt.Println", 2)
    r = shell(kc, mid, "inspect_reply")
    check(r["content"]["found"] is True, "inspect")
    outputs(kc, mid)
    mid = kc.is_complete("for {")
    r = shell(kc, mid, "is_complete_reply")
    check(r["content"]["status"] == "incomplete", "is_complete")
    outputs(kc, mid)
    mid = kc.history(hist_access_type="tail", n=2, output=True, raw=True)
    r = shell(kc, mid, "history_reply")
    check(len(r["content"]["history"]) == 2, "history %r" % r["content"])
    outputs(kc, mid)
    mid = kc.comm_info()
    shell(kc, mid, "comm_info_reply")
    outputs(kc, mid)

    # stdin round trip.
    mid = kc.execute("input Name? ", allow_stdin=True)
    req = kc.get_stdin_msg(timeout=T)
    # jupyter_kernel_test's schema types password as a number; the protocol
    # (and ipykernel) send a boolean, so the content is checked here.
    check(req["header"]["msg_type"] == "input_request", "input_request type")
    check(req["content"]["password"] is False, "input_request password %r" % req["content"])
    check(req["content"]["prompt"] == "Name? ", "prompt")
    check(req["parent_header"]["msg_id"] == mid, "input_request parent")
    kc.input("Ada")
    r = shell(kc, mid, "execute_reply")
    text = "".join(m["content"]["text"] for m in outputs(kc, mid) if m["msg_type"] == "stream")
    check(text == "got Ada", "stdin echo %r" % text)

    # Interrupt over control while a cell runs.
    mid = kc.execute("wait")
    while True:  # the cell runs once its execute_input is out
        m = kc.get_iopub_msg(timeout=T)
        if m["parent_header"].get("msg_id") == mid and m["msg_type"] == "execute_input":
            break
    imsg = kc.session.msg("interrupt_request", {})
    kc.control_channel.send(imsg)
    ir = kc.get_control_msg(timeout=T)
    valid(ir, "interrupt_reply", imsg["header"]["msg_id"])
    r = shell(kc, mid, "execute_reply")
    check(r["content"]["status"] == "error", "interrupted cell reply %r" % r["content"])

    check(kc.hb_channel.is_beating(), "heartbeat")
    check(kc.is_alive(), "alive")

    # Shutdown over control.
    mid = kc.shutdown()
    r = kc.get_control_msg(timeout=T)
    valid(r, "shutdown_reply", mid)
    kc.stop_channels()

    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("ok")


main()
