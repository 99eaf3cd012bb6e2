"""Kernel latency, gonn against ipykernel, measured in the same run.

    make bench-kernel        (or: /usr/bin/python3 kernel_test/py/bench.py)

Prints one JSON line per kernel and measure:
  roundtrip_ms: median over rounds of the median of N trivial execute
                requests, from sending execute_request to the idle status
                on iopub (the kernels alternate, round by round, so that
                the load of a shared machine weighs on them alike);
  client_cpu_ms: median over rounds of the CPU time this client process
                spent per round trip: jupyter_client's own share, which no
                kernel can remove;
  start_ms:     median of S starts, from launching the kernel process (the
                argv of its kernelspec) to its first kernel_info reply, on a
                raw socket (jupyter_client's wait_for_ready polls with sleeps);
  pipelined:    N execute requests sent at once: all answered, in order, with
                consecutive execution counts.
"noop" is kernel_test/noopkernel: gonn's protocol server with an engine that
does nothing, the floor that the server and jupyter_client set together.
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

CODE = {"gonn": "1", "noop": "1", "python3": "1"}


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
    """Round-trip times of n trivial cells, and the CPU seconds this client
    process spent per round trip (sending, receiving and decoding)."""
    times = []
    for _ in range(20):  # warm up
        wait_idle(kc, kc.execute(CODE[name]))
    cpu0 = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter()
        wait_idle(kc, kc.execute(CODE[name]))
        times.append(time.perf_counter() - t0)
    return times, (time.process_time() - cpu0) / n


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
    ap.add_argument("--rounds", type=int, default=3,
                    help="alternate the kernels this many times; medians over rounds")
    ap.add_argument("--kernels", default="gonn,python3")
    a = ap.parse_args()
    names = a.kernels.split(",")
    rts = {n: [] for n in names}
    cpus = {n: [] for n in names}
    starts = {n: [] for n in names}
    ordered = {}
    for r in range(a.rounds):
        for name in names:
            starts[name] += [start_time(name) for _ in range(max(1, a.starts // a.rounds))]
            km, kc = start(name)
            try:
                times, cpu = roundtrips(kc, name, a.n)
                rts[name].append(statistics.median(times))
                cpus[name].append(cpu)
                if r == 0:
                    ordered[name] = pipelined(kc, name, a.n)
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=True)
    for name in names:
        print(json.dumps({"kernel": name,
                          "roundtrip_ms": round(statistics.median(rts[name]) * 1e3, 3),
                          "roundtrip_ms_per_round": [round(x * 1e3, 3) for x in rts[name]],
                          "client_cpu_ms": round(statistics.median(cpus[name]) * 1e3, 3),
                          "start_ms": round(statistics.median(starts[name]) * 1e3, 1),
                          "pipelined_in_order": ordered[name]}), flush=True)
    for name in names:
        if name != "python3" and "python3" in rts:
            ratios = [g / p for g, p in zip(rts[name], rts["python3"])]
            print(json.dumps({f"roundtrip_ratio_{name}_over_ipykernel": round(statistics.median(ratios), 3),
                              "per_round": [round(x, 3) for x in ratios]}))


if __name__ == "__main__":
    main()
