"""End-to-end checks of gonn's display package through Debian's jupyter_client
and, with --browser, through a real Jupyter Notebook server and headless
chromium.

Run by kernel_test/e2e_display_test.go with /usr/bin/python3 and JUPYTER_PATH
pointing at a temporary directory where `gonn install` wrote the kernelspec.

    display_test.py [-v]                      the jupyter_client checks
    display_test.py --browser OUTDIR [-v]     the browser checks; screenshots
                                              are written to OUTDIR
"""
import base64
import datetime
import io
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
import uuid

import nbformat
from jupyter_client.manager import start_new_kernel

from protocol import collect

TIMEOUT = 30
KERNEL = "gonn"
HERE = os.path.dirname(os.path.abspath(__file__))
NOTEBOOK = os.path.join(HERE, "..", "testdata", "display.ipynb")


def outputs(msgs):
    kinds = ("display_data", "update_display_data", "execute_result", "clear_output", "stream", "error")
    return [m for m in msgs if m["msg_type"] in kinds]


def sent_at(msg):
    d = msg["header"]["date"]
    if isinstance(d, str):
        d = datetime.datetime.fromisoformat(d.replace("Z", "+00:00"))
    return d.timestamp()


class DisplayCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def setUp(self):
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0.05)
            except queue.Empty:
                break

    def run_cell(self, code, timeout=TIMEOUT):
        msg_id = self.kc.execute(code)
        msgs = collect(self.kc, msg_id, timeout)
        reply = self.kc.get_shell_msg(timeout=timeout)
        self.assertEqual(reply["content"]["status"], "ok", f"{code!r}: {reply['content']} {[m['content'] for m in outputs(msgs)]}")
        outs = outputs(msgs)
        for m in outs:
            self.check_output(m)
        return outs

    def check_output(self, m):
        """Every output is valid nbformat with text/plain and object metadata."""
        c = m["content"]
        if m["msg_type"] in ("display_data", "update_display_data", "execute_result"):
            self.assertIsInstance(c["metadata"], dict, m)
            self.assertIsInstance(c["data"].get("text/plain"), str, f"no text/plain in {list(c['data'])}")
            self.assertIsInstance(c.get("transient", {}), dict, m)
            if m["msg_type"] != "update_display_data":
                out = nbformat.v4.output_from_msg(m)
                nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[out])])
                nbformat.validate(nb)
            if "image/svg+xml" in c["data"] and "image/png" in c["data"] and "Plot" in c["data"]["text/plain"]:
                self.assertNotIn("text/html", c["data"], "a plot carries text/html")
            if "image/png" in c["data"]:
                raw = base64.b64decode(c["data"]["image/png"])
                self.assertEqual(raw[:8], b"\x89PNG\r\n\x1a\n")

    def test_tensor_result(self):
        outs = self.run_cell("tensor.FromSlice([]float32{1, -2, 3.5, 4}, 2, 2)")
        self.assertEqual([m["msg_type"] for m in outs], ["execute_result"])
        data = outs[0]["content"]["data"]
        self.assertIn("<table", data["text/html"])
        self.assertIn("style=", data["text/html"])
        self.assertIn("shape=(2, 2)", data["text/plain"])

    def test_display_calls(self):
        code = "\n".join([
            "w := tensor.Randn(4, 3).RequiresGrad()",
            "loss := tensor.Randn(5, 4).MatMul(w).ReLU().Mean()",
            "loss.Backward()",
            "display.Graph(loss)",
            "display.Heatmap(tensor.Randn(10, 12))",
            "display.Histogram(tensor.Randn(1000))",
            "display.Images(tensor.Rand(6, 8, 8), []string{\"a\", \"b\"})",
            "display.Tensor(w)",
            "display.Markdown(\"**hi**\")",
        ])
        outs = self.run_cell(code)
        self.assertEqual([m["msg_type"] for m in outs], ["display_data"] * 6)
        mimes = [sorted(m["content"]["data"]) for m in outs]
        self.assertEqual(mimes, [
            ["image/png", "image/svg+xml", "text/plain"],
            ["image/png", "image/svg+xml", "text/plain"],
            ["image/png", "image/svg+xml", "text/plain"],
            ["image/png", "text/plain"],
            ["text/html", "text/plain"],
            ["text/markdown", "text/plain"],
        ])
        self.assertIn("|grad|", outs[0]["content"]["data"]["image/svg+xml"])
        for m in outs:
            self.assertEqual(m["content"].get("transient", {}), {}, "a plain display has no display id")

    def test_handle_and_clear(self):
        outs = self.run_cell('h := display.New(display.HTMLBundle("<i>one</i>"))\n'
                             'h.Update(display.HTMLBundle("<b>two</b>"))\n'
                             'display.ClearOutput(true)\n'
                             'display.HTML("three")')
        self.assertEqual([m["msg_type"] for m in outs], ["display_data", "update_display_data", "clear_output", "display_data"])
        ids = [m["content"]["transient"]["display_id"] for m in outs[:2]]
        self.assertTrue(ids[0])
        self.assertEqual(ids[0], ids[1])
        self.assertEqual(outs[1]["content"]["data"]["text/plain"], "two")
        self.assertIs(outs[2]["content"]["wait"], True)

    def test_progress_rate_limit(self):
        code = ('p := display.NewProgress(100, "train")\n'
                'for i := 0; i < 100; i++ {\n'
                '\ttime.Sleep(20 * time.Millisecond)\n'
                '\tp.Add(1)\n'
                '\tp.SetMetrics(map[string]float64{"loss": 1 / float64(i+1)})\n'
                '}')
        self.run_cell('import "time"')
        outs = self.run_cell(code)
        kinds = [m["msg_type"] for m in outs]
        self.assertEqual(kinds[0], "display_data")
        self.assertTrue(all(k == "update_display_data" for k in kinds[1:]), kinds)
        ids = {m["content"]["transient"]["display_id"] for m in outs}
        self.assertEqual(len(ids), 1, ids)
        # 2 s of steps: the display, the first updates, ~5 a second, the end.
        self.assertGreaterEqual(len(outs), 6)
        self.assertLessEqual(len(outs), 3 + 2 * 5 + 3, [m["content"]["data"]["text/plain"] for m in outs])
        times = [sent_at(m) for m in outs]
        gaps = [b - a for a, b in zip(times[3:-1], times[4:-1])]
        self.assertTrue(all(g >= 0.15 for g in gaps), f"updates closer than the interval: {gaps}")
        last = outs[-1]["content"]["data"]
        self.assertIn("100/100", last["text/plain"])
        self.assertIn('<progress value="100" max="100"', last["text/html"])
        for m in outs:
            self.assertIn("text/plain", m["content"]["data"])

    def test_live_chart(self):
        self.run_cell('import "time"')
        outs = self.run_cell('c := display.NewLiveChart("loss")\n'
                             'for i := 0; i < 100; i++ {\n'
                             '\ttime.Sleep(10 * time.Millisecond)\n'
                             '\tc.Add("train", float64(i), 1/float64(i+1))\n'
                             '}\n'
                             'c.Done()')
        self.assertEqual(outs[0]["msg_type"], "display_data")
        self.assertLessEqual(len(outs), 3 + 2 + 3)
        for m in outs[:-1]:
            self.assertEqual(sorted(m["content"]["data"]), ["image/svg+xml", "text/plain"])
        self.assertEqual(sorted(outs[-1]["content"]["data"]), ["image/png", "image/svg+xml", "text/plain"])
        self.assertIn("100 points", outs[-1]["content"]["data"]["text/plain"])

    def test_plot_result(self):
        outs = self.run_cell('import "gonum.org/v1/plot"\n'
                             'import "gonum.org/v1/plot/plotter"\n'
                             'pl := plot.New()\n'
                             'l, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})\n'
                             'pl.Add(l)\n'
                             'pl')
        self.assertEqual([m["msg_type"] for m in outs], ["execute_result"])
        self.assertEqual(sorted(outs[0]["content"]["data"]), ["image/png", "image/svg+xml", "text/plain"])


# ---- the browser ----

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read()
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class Chrome:
    """Headless chromium driven through the DevTools protocol."""

    FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--window-size=1200,900"]

    def __init__(self, tmp):
        from tornado.ioloop import IOLoop
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["chromium", *self.FLAGS, f"--user-data-dir={tmp}/chrome", f"--remote-debugging-port={self.port}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "chrome.log"), "w"))
        pages = json.loads(wait_http(f"http://127.0.0.1:{self.port}/json/list"))
        self.ws_url = [p for p in pages if p["type"] == "page"][0]["webSocketDebuggerUrl"]
        self.loop = IOLoop()
        self.ws = self.loop.run_sync(self._connect)
        self.next_id = 0

    async def _connect(self):
        from tornado.websocket import websocket_connect
        return await websocket_connect(self.ws_url, max_message_size=256 << 20)

    def call(self, method, **params):
        self.next_id += 1
        msg_id = self.next_id

        async def go():
            await self.ws.write_message(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                raw = await self.ws.read_message()
                if raw is None:
                    raise RuntimeError("chromium closed the connection")
                m = json.loads(raw)
                if m.get("id") == msg_id:
                    if "error" in m:
                        raise RuntimeError(f"{method}: {m['error']}")
                    return m["result"]
        return self.loop.run_sync(go, timeout=60)

    def eval(self, js):
        r = self.call("Runtime.evaluate", expression=js, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{js}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait(self, js, timeout=120, what=None):
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.eval(js):
                    return
            except RuntimeError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or js}")
            time.sleep(0.5)

    def screenshot(self, path):
        """Capture the whole page to path and return it as a PIL image."""
        from PIL import Image
        # The classic notebook scrolls inside #site: let it grow instead, so
        # that the whole notebook is on the page.
        h = self.eval("""(() => {
            const site = document.getElementById('site');
            if (site) {
                for (const e of [document.documentElement, document.body, site]) {
                    e.style.overflow = 'visible'; e.style.height = 'auto'; e.style.position = 'static';
                }
            }
            return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);
        })()""")
        self.call("Emulation.setDeviceMetricsOverride", width=1200, height=min(h, 16000), deviceScaleFactor=1, mobile=False)
        time.sleep(0.5)
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        raw = base64.b64decode(shot["data"])
        with open(path, "wb") as f:
            f.write(raw)
        return Image.open(io.BytesIO(raw)).convert("RGB")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(10)


# What the notebook's output areas must hold, in the Notebook (SVG inline)
# and in the HTML export (images extracted to files): a CSS selector inside
# an output area, what to call it, and how many at least.
NOTEBOOK_DRAWN = [
    ("svg", "graph, plot or chart (SVG)", 5),
    ("img", "PNG image", 1),
    ("table", "tensor table", 1),
    ("progress", "progress bar", 1),
]
EXPORT_DRAWN = [
    ("img", "graph, plot, chart or image", 6),
    ("table", "tensor table", 1),
    ("progress", "progress bar", 1),
]

RECTS_JS = """
Array.from(document.querySelectorAll('%s')).map(e => {
  const r = e.getBoundingClientRect();
  return [e.tagName.toLowerCase(), r.left + window.scrollX, r.top + window.scrollY, r.width, r.height];
}).filter(r => r[3] > 4 && r[4] > 4)
"""


def ink(img, box):
    """The fraction of pixels in box that are not near-white; None when box
    is not inside the screenshot."""
    x, y, w, h = (int(round(v)) for v in box)
    if x < 0 or y < 0 or x + w > img.size[0] + 1 or y + h > img.size[1] + 1:
        return None
    crop = img.crop((x, y, x + w, y + h)).convert("L")
    hist = crop.histogram()
    total = sum(hist)
    return sum(hist[:235]) / total if total else 0.0


class BrowserCase(unittest.TestCase):
    outdir = None

    def setUp(self):
        for tool in ("chromium", "jupyter-notebook", "jupyter-nbconvert"):
            if shutil.which(tool) is None:
                if os.environ.get("GONN_E2E") == "require":
                    self.fail(f"{tool} is missing (apt-get install chromium jupyter-notebook)")
                self.skipTest(f"{tool} is missing")
        self.tmp = tempfile.mkdtemp(prefix="gonn-browser-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        os.makedirs(self.outdir, exist_ok=True)

    def check_areas(self, chrome, img, scope, name, drawn):
        """Each kind of output is on the page and has ink where it is drawn."""
        found = {}
        for sel, what, least in drawn:
            rects = chrome.eval(RECTS_JS % f"{scope} {sel}")
            found[what] = rects
            self.assertGreaterEqual(len(rects), least, f"{name}: {len(rects)} {what} ({scope} {sel}) on the page")
            for r in rects:
                frac = ink(img, r[1:])
                self.assertIsNotNone(frac, f"{name}: {what} at {r[1:]} is outside the {img.size} screenshot")
                self.assertGreater(frac, 0.01, f"{name}: {what} at {r[1:]} is blank ({frac:.4f} ink)")
        return found

    def test_notebook_server(self):
        """Run the notebook in Jupyter Notebook, in chromium, and look at it."""
        nbdir = os.path.join(self.tmp, "nb")
        os.makedirs(nbdir)
        shutil.copy(NOTEBOOK, os.path.join(nbdir, "display.ipynb"))
        token = uuid.uuid4().hex
        port = free_port()
        log = open(os.path.join(self.tmp, "server.log"), "w")
        server = subprocess.Popen(
            ["jupyter-notebook", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--port-retries=0",
             f"--NotebookApp.token={token}", f"--notebook-dir={nbdir}", "--allow-root"],
            stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(lambda: (server.terminate(), server.wait(20)))
        wait_http(f"http://127.0.0.1:{port}/api?token={token}")
        chrome = Chrome(self.tmp)
        self.addCleanup(chrome.close)
        chrome.call("Page.enable")
        chrome.call("Page.navigate", url=f"http://127.0.0.1:{port}/notebooks/display.ipynb?token={token}")
        chrome.wait("window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()",
                    what="the notebook's kernel to connect")
        chrome.eval("Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells(); true")
        chrome.wait("Jupyter.notebook.get_cells().every(c => c.cell_type != 'code' || "
                    "(typeof c.input_prompt_number == 'number'))", what="every cell to run")
        errors = chrome.eval("Jupyter.notebook.get_cells().flatMap(c => (c.output_area ? c.output_area.outputs : []))"
                             ".filter(o => o.output_type == 'error').map(o => o.ename + ': ' + o.evalue)")
        self.assertEqual(errors, [], "cells failed in the browser")
        time.sleep(1)  # let images decode
        img = self.screenshot_and_check(chrome, ".output_area", "notebook", NOTEBOOK_DRAWN)
        self.assertIsNotNone(img)

    def screenshot_and_check(self, chrome, scope, name, drawn):
        path = os.path.join(self.outdir, f"{name}.png")
        img = chrome.screenshot(path)
        found = self.check_areas(chrome, img, scope, name, drawn)
        print(f"{name}: {path} {img.size}; " + ", ".join(f"{len(v)} {k}" for k, v in found.items()), file=sys.stderr)
        return img

    def test_nbconvert_html(self):
        """Execute with nbconvert, export to HTML, and look at it in chromium."""
        executed = os.path.join(self.tmp, "display.out.ipynb")
        subprocess.run(["jupyter-nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=gonn",
                        "--ExecutePreprocessor.timeout=120", "--output", executed, NOTEBOOK],
                       check=True, capture_output=True, timeout=300)
        nbformat.validate(nbformat.read(executed, 4))
        # nbconvert 6.5 (Debian 12) passes inline SVG through lxml's
        # clean_html, which strips every element inside <svg>, so that any
        # kernel's SVG output is blank in its HTML export. Every image bundle
        # of display has a PNG twin: export preferring PNG to SVG.
        config = os.path.join(self.tmp, "png_first.py")
        with open(config, "w") as f:
            f.write("c.NbConvertBase.display_data_priority = ['text/html', 'text/markdown', 'text/latex', "
                    "'image/png', 'image/jpeg', 'image/svg+xml', 'text/plain']\n")
        html = os.path.join(self.tmp, "display.html")
        subprocess.run(["jupyter-nbconvert", "--to", "html", f"--config={config}", "--output", html, executed],
                       check=True, capture_output=True, timeout=120)
        chrome = Chrome(self.tmp)
        self.addCleanup(chrome.close)
        chrome.call("Page.enable")
        chrome.call("Page.navigate", url="file://" + html)
        chrome.wait("document.readyState == 'complete'")
        time.sleep(1)
        # nbconvert 6 and 7 name the output areas differently.
        scope = chrome.eval("document.querySelector('.jp-OutputArea-output') ? '.jp-OutputArea-output' : '.output_area'")
        self.screenshot_and_check(chrome, scope, "nbconvert", EXPORT_DRAWN)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--browser" in args:
        i = args.index("--browser")
        BrowserCase.outdir = os.path.abspath(args[i + 1])
        del args[i:i + 2]
        unittest.main(argv=[sys.argv[0], *args, "BrowserCase"])
    else:
        unittest.main(argv=[sys.argv[0], *args, "DisplayCase"])
