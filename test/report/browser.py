#!/usr/bin/env python3
"""Loads an awaitify report in headless Chromium and uses it as a person
would: types into the search box, opens a chain's before/after, takes a
screenshot. Fails on any console error or uncaught exception of the page.

    browser.py --chromium PATH [--search TEXT]... [--open FUNCTION]...
               [--absent SELECTOR]... [--screenshot OUT.png]
               [--size 1280x900] [--timeout 60] REPORT_DIR

Prints what it saw, one fact a line (for FileCheck):

    loaded: <title>
    rows: N
    search 'TEXT': shown K of N (label 'K of N shown'), all match: yes
    cleared: shown N of N
    opened FUNCTION: hunks H, deleted D, inserted I, text ok: yes
    absent SELECTOR: yes
    screenshot: OUT.png
    console errors: 0

Chromium is driven through the DevTools protocol over
--remote-debugging-pipe (messages of JSON ended by a NUL byte, on file
descriptors 3 and 4): no port, no network, no library beyond Python's own.
Keys and clicks go through Input.* as real input events. The whole run has a
deadline (--timeout, 60 s).
"""
import argparse
import base64
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class Browser:
    """One headless Chromium and one page, over the DevTools pipe."""

    def __init__(self, chromium, width, height):
        self.profile = tempfile.mkdtemp(prefix="awaitify-chromium-")
        # Our ends of two pipes, kept above 4 so that the child's dup2 onto
        # 3 and 4 never closes one of them.
        to_child_r, self.to_child = self._high_pipe()
        self.from_child, from_child_w = self._high_pipe()

        def child_fds():
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        flags = ["--headless", "--disable-gpu", "--no-first-run",
                 "--no-default-browser-check", "--disable-extensions",
                 "--disable-background-networking", "--disable-sync",
                 "--disable-component-update", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--force-device-scale-factor=1",
                 "--remote-debugging-pipe", "--user-data-dir=" + self.profile,
                 "--window-size=%d,%d" % (width, height)]
        if os.getuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses root otherwise
        self.log = open(os.path.join(self.profile, "stderr.log"), "wb")
        self.proc = subprocess.Popen(
            [chromium] + flags + ["about:blank"], preexec_fn=child_fds,
            close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.log)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None
        try:
            self._open_page(width, height)
        except BaseException:
            self.close()
            raise

    def _open_page(self, width, height):
        target = self.call("Target.createTarget", {"url": "about:blank"})
        self.session = self.call("Target.attachToTarget", {
            "targetId": target["targetId"], "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable")
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1,
            "mobile": False})

    @staticmethod
    def _high_pipe():
        fds = []
        for fd in os.pipe():
            fds.append(fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10))
            os.close(fd)
        return fds

    def _gone(self):
        self.log.flush()
        with open(self.log.name, "rb") as f:
            tail = f.read()[-2000:].decode(errors="replace")
        return RuntimeError("Chromium closed the DevTools pipe; its last "
                            "words:\n" + tail)

    def _receive(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise self._gone()
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method,
                   "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        try:
            os.write(self.to_child, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise self._gone() from None
        while True:
            reply = self._receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method):
        for i, event in enumerate(self.events):
            if event.get("method") == method:
                del self.events[i]
                return event
        while True:
            event = self._receive()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {
            "expression": expression, "returnByValue": True,
            "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError("evaluating %r: %s" % (
                expression, result["exceptionDetails"]))
        return result["result"].get("value")

    def key(self, key, code, keycode, modifiers=0):
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {
                "type": kind, "key": key, "code": code,
                "windowsVirtualKeyCode": keycode, "modifiers": modifiers})

    def click(self, selector):
        box = self.evaluate(
            "(() => { const e = document.querySelector(%s);"
            " e.scrollIntoView({block: 'center'});"
            " const r = e.getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
            % json.dumps(selector))
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {
                "type": kind, "x": box[0], "y": box[1], "button": "left",
                "clickCount": 1})

    def console_errors(self):
        """Errors the page reported: console.error, uncaught exceptions,
        and the browser's own (a resource that did not load, a blocked
        script)."""
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and \
                    params.get("type") in ("error", "assert"):
                out.append("console.%s: %s" % (params["type"], " ".join(
                    str(a.get("value", a.get("description")))
                    for a in params.get("args", []))))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                out.append("exception: %s" % details.get(
                    "exception", {}).get("description", details.get("text")))
            elif method == "Log.entryAdded" and \
                    params["entry"].get("level") == "error":
                entry = params["entry"]
                out.append("%s: %s %s" % (entry.get("source"),
                                          entry.get("text"),
                                          entry.get("url", "")))
        return out

    def close(self):
        try:
            self.call("Browser.close")
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.to_child, self.from_child):
            os.close(fd)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def search(browser, text, total):
    browser.evaluate("document.getElementById('search').focus()")
    browser.call("Input.insertText", {"text": text})
    state = browser.evaluate("""(() => {
      const rows = Array.from(document.querySelectorAll('tr.finding'));
      const shown = rows.filter((r) => !r.hidden);
      const terms = %s.toLowerCase().split(/\\s+/).filter(Boolean);
      const matches = (r) => terms.every((t) => Array.from(r.cells)
          .slice(0, -1).map((c) => c.textContent).join(' ')
          .toLowerCase().includes(t));
      return {shown: shown.length,
              label: document.getElementById('shown').textContent,
              right: rows.every((r) => r.hidden !== matches(r))};
    })()""" % json.dumps(text))
    print("search '%s': shown %d of %d (label '%s'), all match: %s" % (
        text, state["shown"], total, state["label"],
        "yes" if state["right"] else "no"))
    # Select all, then Backspace: the box is empty again.
    browser.key("a", "KeyA", 65, modifiers=2)
    browser.key("Backspace", "Backspace", 8)
    shown = browser.evaluate(
        "document.querySelectorAll('tr.finding:not([hidden])').length")
    print("cleared: shown %d of %d" % (shown, total))


def open_diff(browser, function):
    row = browser.evaluate("""(() => {
      const r = Array.from(document.querySelectorAll('tr.finding')).find(
          (r) => r.querySelector('.function').textContent === %s &&
                 r.querySelector('button.show-diff'));
      return r ? r.dataset.id : null; })()""" % json.dumps(function))
    if row is None:
        print("opened %s: no such chain" % function)
        return
    browser.click("#finding-%s button.show-diff" % row)
    deadline = time.time() + 10
    while time.time() < deadline and not browser.evaluate(
            "!!document.querySelector('#diff-%s:not([hidden]) .hunk')" % row):
        time.sleep(0.05)
    state = browser.evaluate("""(() => {
      const d = document.getElementById('diff-%s');
      if (!d || d.hidden) return null;
      const data = JSON.parse(
          document.getElementById('report-data').textContent).chains['%s'];
      const side = (n) => Array.from(d.querySelectorAll('table.side-by-side'))
          .map((t) => Array.from(t.tBodies[0].rows)
              .map((r) => r.cells[n].classList.contains('empty') ? null
                          : r.cells[n].textContent)
              .filter((l) => l !== null).join('\\n') + '\\n');
      const text = (s) => s.replace(/\\r/g, '');
      return {hunks: d.querySelectorAll('.hunk').length,
              del: d.querySelectorAll('td.code.del').length,
              add: d.querySelectorAll('td.code.add').length,
              ok: data.hunks.every((h, i) =>
                  side(1)[i] === text(h.before) && side(3)[i] === text(h.after))};
    })()""" % (row, row))
    if state is None:
        print("opened %s: no diff shown" % function)
        return
    print("opened %s: hunks %d, deleted %d, inserted %d, text ok: %s" % (
        function, state["hunks"], state["del"], state["add"],
        "yes" if state["ok"] else "no"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--search", action="append", default=[])
    parser.add_argument("--open", action="append", default=[])
    parser.add_argument("--absent", action="append", default=[],
                        help="a selector that must match nothing")
    parser.add_argument("--screenshot")
    parser.add_argument("--size", default="1280x900")
    parser.add_argument("--timeout", type=int, default=60)
    parser.add_argument("report")
    args = parser.parse_args()
    width, height = map(int, args.size.split("x"))

    def too_slow(*_):
        raise TimeoutError("no result within %d s" % args.timeout)
    signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(args.timeout)

    index = os.path.join(os.path.abspath(args.report), "index.html")
    if not os.path.isfile(index):
        sys.exit("browser.py: no %s" % index)
    browser = Browser(args.chromium, width, height)
    try:
        browser.call("Page.navigate", {"url": "file://" + index})
        browser.wait_for("Page.loadEventFired")
        print("loaded: %s" % browser.evaluate("document.title"))
        total = browser.evaluate(
            "document.querySelectorAll('tr.finding').length")
        print("rows: %d" % total)
        for text in args.search:
            search(browser, text, total)
        for function in args.open:
            open_diff(browser, function)
        for selector in args.absent:
            found = browser.evaluate("document.querySelectorAll(%s).length"
                                     % json.dumps(selector))
            print("absent %s: %s" % (selector, "no" if found else "yes"))
        if args.screenshot:
            shot = browser.call("Page.captureScreenshot", {"format": "png"})
            with open(args.screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            print("screenshot: %s" % os.path.basename(args.screenshot))
        # Anything the page still had to say.
        browser.evaluate("new Promise((r) => setTimeout(r, 100))")
        errors = browser.console_errors()
        print("console errors: %d" % len(errors))
        for e in errors:
            print("  " + e)
    finally:
        browser.close()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
