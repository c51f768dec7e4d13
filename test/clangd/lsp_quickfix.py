#!/usr/bin/env python3
"""Drive a clangd over LSP the way an editor does, and apply a quick fix.

    lsp_quickfix.py --clangd BIN --file SRC --code CHECK --out FILE
                    [--vscode-settings JSON] [-- ARGS]

Starts BIN with ARGS (and the "clangd.arguments" of a VS Code settings.json,
to run what docs/editor.md shows), then: initialize, initialized,
textDocument/didOpen SRC, wait for a textDocument/publishDiagnostics that
holds a diagnostic whose code is CHECK, ask textDocument/codeAction for that
diagnostic, take the quick fix that names it, apply its WorkspaceEdit to the
text and write the result to FILE. Prints the diagnostic, its related
information (the notes) and the fix's title. Exits non-zero, saying why, if
any step does not happen -- a clangd that reports nothing must fail the test,
not pass it.

--expect-no-fix      the diagnostic must come without a quick fix
--expect-no-diagnostic  the first diagnostics published for SRC must not
                     hold one whose code is CHECK
"""
import argparse
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time


class Server:
    def __init__(self, argv, log):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=log)
        self.inbox = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(out.read(length)))

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params, deadline):
        self.next_id += 1
        my_id = self.next_id
        self.send({"jsonrpc": "2.0", "id": my_id, "method": method,
                   "params": params})
        return self.wait(lambda m: m.get("id") == my_id and "method" not in m,
                         deadline, method)

    def wait(self, wanted, deadline, what):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                fail("timed out waiting for " + what)
            try:
                message = self.inbox.get(timeout=left)
            except queue.Empty:
                fail("timed out waiting for " + what)
            if message is None:
                fail("clangd exited while waiting for %s (exit status %s)"
                     % (what, self.proc.wait()))
            if "method" in message and "id" in message:
                # A request from the server (workDoneProgress/create, ...).
                self.send({"jsonrpc": "2.0", "id": message["id"],
                           "result": None})
                continue
            if wanted(message):
                return message
            self.seen.append(message)

    seen = []


def fail(why):
    print("lsp_quickfix: error: " + why, file=sys.stderr)
    sys.exit(1)


def offset_of(text, position):
    """An LSP position (UTF-16 code units) as an index into text."""
    lines = text.split("\n")
    if position["line"] >= len(lines):
        return len(text)
    start = sum(len(l) + 1 for l in lines[:position["line"]])
    units, index = 0, 0
    line = lines[position["line"]]
    while index < len(line) and units < position["character"]:
        units += 2 if ord(line[index]) > 0xFFFF else 1
        index += 1
    return start + index


def apply_edits(text, edits):
    spans = sorted(((offset_of(text, e["range"]["start"]),
                     offset_of(text, e["range"]["end"]), e["newText"])
                    for e in edits), key=lambda s: (s[0], s[1]))
    for begin, end, _ in spans:
        if begin > end:
            fail("an edit ends before it begins")
    for (b1, e1, _), (b2, _, _) in zip(spans, spans[1:]):
        if e1 > b2:
            fail("the quick fix has overlapping edits")
    for begin, end, new in reversed(spans):
        text = text[:begin] + new + text[end:]
    return text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clangd", required=True)
    parser.add_argument("--file", required=True)
    parser.add_argument("--code", required=True)
    parser.add_argument("--out")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--log", default=os.devnull)
    parser.add_argument("--vscode-settings")
    parser.add_argument("--expect-no-fix", action="store_true")
    parser.add_argument("--expect-no-diagnostic", action="store_true")
    parser.add_argument("args", nargs="*")
    opts = parser.parse_args()
    if opts.vscode_settings:
        with open(opts.vscode_settings) as f:
            opts.args = json.load(f).get("clangd.arguments", []) + opts.args

    path = pathlib.Path(opts.file).resolve()
    uri = path.as_uri()
    text = path.read_text()
    deadline = time.monotonic() + opts.timeout
    with open(opts.log, "wb") as log:
        server = Server([opts.clangd] + opts.args, log)
        server.request("initialize", {
            "processId": os.getpid(),
            "rootUri": path.parent.as_uri(),
            "capabilities": {
                "textDocument": {
                    "publishDiagnostics": {"relatedInformation": True},
                    "codeAction": {"codeActionLiteralSupport": {
                        "codeActionKind": {"valueSet": ["quickfix"]}}},
                },
                "workspace": {"workspaceEdit": {"documentChanges": True}},
            },
        }, deadline)
        server.notify("initialized", {})
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "cpp", "version": 1, "text": text}})

        def ours(message):
            if message.get("method") != "textDocument/publishDiagnostics":
                return False
            params = message["params"]
            if opts.expect_no_diagnostic:
                return params["uri"] == uri
            return params["uri"] == uri and any(
                d.get("code") == opts.code for d in params["diagnostics"])
        try:
            published = server.wait(ours, deadline,
                                    "a '%s' diagnostic" % opts.code)
        except SystemExit:
            for m in server.seen:
                if m.get("method") == "textDocument/publishDiagnostics":
                    print("lsp_quickfix: published: "
                          + json.dumps(m["params"]["diagnostics"]),
                          file=sys.stderr)
            raise
        if opts.expect_no_diagnostic:
            codes = [d.get("code") for d in published["params"]["diagnostics"]]
            if opts.code in codes:
                fail("clangd published a '%s' diagnostic" % opts.code)
            print("no '%s' diagnostic; published: %s"
                  % (opts.code, ", ".join(str(c) for c in codes) or "none"))
            shutdown(server, deadline)
            return
        diag = next(d for d in published["params"]["diagnostics"]
                    if d.get("code") == opts.code)
        print("diagnostic: %d:%d: %s" % (diag["range"]["start"]["line"] + 1,
                                         diag["range"]["start"]["character"] + 1,
                                         diag["message"]))
        for info in diag.get("relatedInformation", []):
            print("related: %d:%d: %s" % (
                info["location"]["range"]["start"]["line"] + 1,
                info["location"]["range"]["start"]["character"] + 1,
                info["message"]))

        actions = server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": diag["range"],
            "context": {"diagnostics": [diag], "only": ["quickfix"]},
        }, deadline).get("result") or []
        fixes = [a for a in actions
                 if a.get("kind") == "quickfix" and "edit" in a and any(
                     d.get("code") == opts.code
                     for d in a.get("diagnostics", []))]
        if opts.expect_no_fix:
            if fixes:
                fail("the diagnostic has a quick fix: " + fixes[0]["title"])
            print("no quick fix")
            shutdown(server, deadline)
            return
        if not fixes:
            fail("no quick fix for the diagnostic; code actions: "
                 + json.dumps(actions))
        fix = fixes[0]
        print("quick fix: " + fix["title"])

        edit = fix["edit"]
        edits = []
        for change in edit.get("documentChanges", []):
            if change["textDocument"]["uri"] != uri:
                fail("the quick fix edits another file: "
                     + change["textDocument"]["uri"])
            edits += change["edits"]
        for changed_uri, changes in edit.get("changes", {}).items():
            if changed_uri != uri:
                fail("the quick fix edits another file: " + changed_uri)
            edits += changes
        if not edits:
            fail("the quick fix has no edits")
        if not opts.out:
            fail("--out is needed to write the fixed file")
        pathlib.Path(opts.out).write_text(apply_edits(text, edits))
        shutdown(server, deadline)


def shutdown(server, deadline):
    server.request("shutdown", None, deadline)
    server.notify("exit", None)
    try:
        server.proc.wait(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        server.proc.kill()
        fail("clangd did not exit after shutdown")


if __name__ == "__main__":
    main()
