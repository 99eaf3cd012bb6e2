"""Kernel latency, gonn against ipykernel, measured in the same run.

    make bench-kernel        (or: /usr/bin/python3 kernel_test/py/bench.py)

Prints one JSON line per kernel and measure:
  roundtrip_ms: median of N trivial execute requests, from sending
                execute_request to the idle status on iopub;
  start_ms:     median of S starts, from launching the kernel process (the
                argv of its kernelspec) to its first kernel_info reply, on a
                raw socket (jupyter_client's wait_for_ready polls with sleeps);
  pipelined:    N execute requests sent at once: all answered, in order, with
                consecutive execution counts.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import zmq
from jupyter_client.connect import write_connection_file
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

CODE = {"gonn": "1", "python3": "1"}


def wait_idle(kc, msg_id):
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return


def start_time(name):
    """Seconds from exec of the kernel to its first kernel_info reply."""
    argv = KernelSpecManager().get_kernel_spec(name).argv
    fname = tempfile.mktemp(suffix=".json")
    fname, cfg = write_connection_file(fname=fname, key=os.urandom(16).hex().encode())
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.linger = 0
    sock.connect(f"tcp://{cfg['ip']}:{cfg['shell_port']}")
    session = Session(key=cfg["key"].encode())
    t0 = time.perf_counter()
    proc = subprocess.Popen([a.replace("{connection_file}", fname) for a in argv],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        session.send(sock, session.msg("kernel_info_request", {}))
        if not sock.poll(60000):
            raise RuntimeError(f"{name}: no kernel_info reply in 60 s")
        return time.perf_counter() - t0
    finally:
        proc.kill()
        proc.wait()
        sock.close()
        os.unlink(fname)


def start(name):
    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def roundtrips(kc, name, n):
    times = []
    for _ in range(20):  # warm up
        wait_idle(kc, kc.execute(CODE[name]))
    for _ in range(n):
        t0 = time.perf_counter()
        wait_idle(kc, kc.execute(CODE[name]))
        times.append(time.perf_counter() - t0)
    return times


def pipelined(kc, name, n):
    ids = [kc.execute(CODE[name]) for _ in range(n)]
    replies = {}
    order = []
    while len(replies) < n:
        msg = kc.get_shell_msg(timeout=60)
        pid = msg["parent_header"].get("msg_id")
        if pid in ids:
            replies[pid] = msg
            order.append(pid)
    counts = [replies[i]["content"]["execution_count"] for i in ids]
    return order == ids and counts == list(range(counts[0], counts[0] + n))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--starts", type=int, default=7)
    ap.add_argument("--kernels", default="gonn,python3")
    a = ap.parse_args()
    res = {}
    for name in a.kernels.split(","):
        starts = [start_time(name) for _ in range(a.starts)]
        km, kc = start(name)
        try:
            rt = roundtrips(kc, name, a.n)
            ok = pipelined(kc, name, a.n)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        res[name] = statistics.median(rt) * 1e3
        print(json.dumps({"kernel": name, "roundtrip_ms": round(res[name], 3),
                          "roundtrip_p90_ms": round(sorted(rt)[int(0.9 * len(rt))] * 1e3, 3),
                          "start_ms": round(statistics.median(starts) * 1e3, 1),
                          "pipelined_in_order": ok}), flush=True)
    if "gonn" in res and "python3" in res:
        print(json.dumps({"roundtrip_ratio_gonn_over_ipykernel": round(res["gonn"] / res["python3"], 3)}))


if __name__ == "__main__":
    main()
