#!/usr/bin/env python3
"""End-to-end check of awaitify on Boost.Asio / Beast programs.

For each program in programs/ (callback style, as in Asio's and Beast's own
examples):

  1. compile the original;
  2. copy it and run `awaitify fix <copy> -- <flags>` (exit 0, and the copy
     must now contain co_await);
  3. compile the copy;
  4. run the original and the copy, each against the same scripted peer
     (peers.py) on loopback, once per case (a closed port is a case too):
     the programs' logs (stdout, exit status, stderr less the "port N" line)
     and the peers' logs must be byte-identical; a unified diff is printed
     when they are not;
  5. `awaitify check <copy> -- <flags>` must exit 0 (a second run finds
     nothing).

The original's run must also look right on its own (exit 0, no peer error,
what the case expects), so a broken peer or program is not mistaken for a
faithful rewrite.

Both builds use AddressSanitizer and UBSan unless --no-sanitize: a coroutine
that outlives its object must fail even when the freed memory still holds
the right bytes.

  --no-rewrite          skip the tool: the "rewritten" program is a plain
                        copy (checks the programs, the peers, the harness,
                        and that every log is repeatable)
  --rewritten-from DIR  take the rewritten program from DIR/<name>.cpp
                        instead of running the tool; programs with no file
                        there are skipped

The last line printed is `N passed, M failed`; the exit status is non-zero
when any program failed.
"""

import argparse
import concurrent.futures
import difflib
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peers  # noqa: E402
from asio_common import (PROGRAMS, FLAGS, TOOL_OPTIONS, Failure, compile_program,  # noqa: E402
                         default_awaitify, default_cxx, head, make_rewritten, run)

SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer", "-gline-tables-only"]  # lines in reports
RUN_TIMEOUT = 30        # one run of a program
PORT_TIMEOUT = 15       # until a server says which port it got
TOOL_TIMEOUT = 600
MAX_LINE = 300         # stderr lines are cut there (sanitizer reports)
MAX_DIFF = 80          # diff lines shown per log
PORT_LINE = re.compile(r"^port (\d+)$")


class Case:
    """One run of a program. `args` may contain {port}. Exactly one of
    `client` (a peers.py client peer; the program listens and prints its
    port) and `server` (a server peer; the harness binds the port) or
    neither (the program runs alone). `expect` are substrings the
    original's program log must contain, `expect_peer` its peer log."""

    def __init__(self, name, args, client=None, server=None, closed_port=False,
                 expect=(), expect_peer=()):
        self.name, self.args = name, args
        self.client, self.server, self.closed_port = client, server, closed_port
        self.expect, self.expect_peer = expect, expect_peer


class Program:
    def __init__(self, name, cases, rules=None):
        self.name, self.cases, self.rules = name, cases, rules


ECHO_CASE = Case("echo", ["2"], client=peers.echo_client,
                 expect=["accepted", "echoed 900 bytes", "read: End of file",
                         "session done, 946 bytes echoed", "server done", "exit 0"],
                 expect_peer=["connection 2", "echo ok 4 bytes", "server closed (eof)"])

CATALOG = [
    Program("echo_server", [ECHO_CASE]),
    Program("echo_server_standalone", [ECHO_CASE]),
    Program("line_server", [
        Case("lines", ["1"], client=peers.line_client,
             expect=["line 'split line'", "said goodbye", "session done after 6 lines"],
             expect_peer=["reply 'LINES\\n'", "reply 'BYE\\n'", "server closed (eof)"])]),
    Program("http_client", [
        Case("canned", ["127.0.0.1", "{port}", "/hello"], server=peers.http_server,
             expect=["status 200", "body 'Hello, world!'", "session done", "client done"],
             expect_peer=["request 'GET /hello HTTP/1.1'", "client closed (eof)"]),
        Case("closed-port", ["127.0.0.1", "{port}", "/hello"], server=peers.nobody,
             closed_port=True,
             expect=["error: connect: Connection refused", "session done", "client done"])]),
    Program("http_server", [
        Case("keep-alive", ["2"], client=peers.http_client,
             expect=["GET /missing", "response 404", "closed", "session done after 3 requests",
                     "session done after 1 requests", "server done"],
             expect_peer=["GET /last -> HTTP/1.1 200 OK", "server closed (eof)", "connection 2"])]),
    Program("websocket_server", [
        Case("echo", ["1"], client=peers.ws_client,
             expect=["handshake done", "echo 'second message'", "closed by peer",
                     "session done after 3 messages", "server done"],
             expect_peer=["handshake HTTP/1.1 101", "close from server: code 1000",
                          "server closed (eof)"])]),
    Program("websocket_client", [
        Case("echo", ["127.0.0.1", "{port}", "3"], server=peers.ws_server,
             expect=["handshake done", "got 'message 3'", "closed",
                     "session done after 3 messages", "client done"],
             expect_peer=["text 'message 1'", "close from client: code 1000",
                          "client closed (eof)"]),
        Case("closed-port", ["127.0.0.1", "{port}", "3"], server=peers.nobody,
             closed_port=True,
             expect=["error: connect: Connection refused", "session done after 0"])]),
    Program("timer_loop", [
        Case("ticks", ["5"], expect=["faulty: caught boom", "tick 4", "done after 5 ticks", "watchdog cancelled",
                                     "loop done"])]),
    Program("generic_job", [
        Case("run", [], expect=["a: total 18 (even)", "b: total 3 (odd)", "loop done"])],
        rules=os.path.join(PROGRAMS, "generic_job.yaml")),
]


# --- running one case -----------------------------------------------------------

def _drain(stream, sink):
    for line in iter(stream.readline, ""):
        sink.put(line)
    sink.put(None)


def _collect(q):
    lines = []
    while True:
        item = q.get()
        if item is None:
            return lines
        lines.append(item)


def program_log(rc, out, err_lines):
    """What the program did: stdout, then its exit, then stderr less the
    port announcement."""
    log = out
    if log and not log.endswith("\n"):
        log += "\n"
    log += "exit %s\n" % ("TIMEOUT (killed)" if rc is None else rc)
    for line in err_lines:
        if not PORT_LINE.match(line.rstrip("\n")):
            line = line.rstrip("\n")
            if len(line) > MAX_LINE:
                line = line[:MAX_LINE] + "..."
            log += "stderr: " + line + "\n"
    return log


def run_case(binary, case):
    """(program log, peer log) of one run."""
    args_for = lambda port: [a.replace("{port}", str(port)) for a in case.args]  # noqa: E731
    if case.client:
        p = subprocess.Popen([binary] + args_for(0), stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, errors="replace")
        out_q, err_q = queue.Queue(), queue.Queue()
        threading.Thread(target=_drain, args=(p.stdout, out_q), daemon=True).start()
        threading.Thread(target=_drain, args=(p.stderr, err_q), daemon=True).start()
        err_lines, port = [], None
        deadline = time.monotonic() + PORT_TIMEOUT
        while port is None and time.monotonic() < deadline:
            try:
                line = err_q.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                err_q.put(None)
                break
            err_lines.append(line)
            m = PORT_LINE.match(line.rstrip("\n"))
            if m:
                port = int(m.group(1))
        if port is None:
            peer_log = ["no port announced"]
        else:
            peer_log = case.client(port)
        try:
            rc = p.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            rc = None
        out = "".join(_collect(out_q))
        err_lines += _collect(err_q)
        return program_log(rc, out, err_lines), "\n".join(peer_log) + "\n"

    if case.server:
        if case.closed_port:
            sock, port = peers.closed_port()
        else:
            sock = peers.listening_socket()
            port = sock.getsockname()[1]
        result = {}
        t = threading.Thread(target=lambda: result.setdefault("log", case.server(sock)),
                             daemon=True)
        t.start()
        rc, out, err = run([binary] + args_for(port), RUN_TIMEOUT)
        t.join(timeout=2 * peers.TIMEOUT + 5)
        sock.close()
        peer_log = result.get("log", ["peer did not finish"])
        return program_log(rc, out, err.splitlines(True)), "\n".join(peer_log) + "\n"

    rc, out, err = run([binary] + args_for(0), RUN_TIMEOUT)
    return program_log(rc, out, err.splitlines(True)), ""


def unified(a, b, what):
    return head("".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                             "original/" + what, "rewritten/" + what)),
                MAX_DIFF)


# --- one program ------------------------------------------------------------------

def check_program(prog, opts):
    """(ok, report lines)."""
    report = []
    work = os.path.join(opts.work, prog.name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    extra = [] if opts.no_sanitize else SANITIZE
    try:
        src = os.path.join(PROGRAMS, prog.name + ".cpp")
        orig_bin = os.path.join(work, "original")
        compile_program(opts.cxx, src, orig_bin, extra)

        mode = "none" if opts.no_rewrite else ("from" if opts.rewritten_from else "tool")
        copy = make_rewritten(prog.name, os.path.join(work, "rewritten"), opts.awaitify,
                              mode, opts.rewritten_from, prog.rules)
        with open(src) as f, open(copy) as g:
            diff = list(difflib.unified_diff(f.readlines(), g.readlines(),
                                             "original/" + prog.name + ".cpp",
                                             "rewritten/" + prog.name + ".cpp"))
        with open(os.path.join(work, "rewrite.diff"), "w") as f:
            f.writelines(diff)
        if mode != "none":
            report.append("rewrite: %d lines changed (%s)" % (
                sum(1 for l in diff if l[:1] in "+-" and l[:3] not in ("+++", "---")),
                os.path.join(work, "rewrite.diff")))
        new_bin = os.path.join(work, "rewritten.bin")
        compile_program(opts.cxx, copy, new_bin, extra)

        ok = True
        for case in prog.cases:
            a_prog, a_peer = run_case(orig_bin, case)
            b_prog, b_peer = run_case(new_bin, case)
            for tag, text in (("original", a_prog + a_peer), ("rewritten", b_prog + b_peer)):
                with open(os.path.join(work, "%s.%s.log" % (case.name, tag)), "w") as f:
                    f.write(text)
            problems = []
            if "exit 0\n" not in a_prog:
                problems.append("the original did not exit 0")
            if "peer error" in a_peer or "peer did not finish" in a_peer:
                problems.append("the peer failed against the original")
            problems += ["the original's log lacks %r" % e for e in case.expect if e not in a_prog]
            problems += ["the peer's log lacks %r" % e for e in case.expect_peer if e not in a_peer]
            if a_prog != b_prog:
                problems.append("program logs differ:\n" + unified(a_prog, b_prog, "program.log"))
            if a_peer != b_peer:
                problems.append("peer logs differ:\n" + unified(a_peer, b_peer, "peer.log"))
            if problems:
                ok = False
                report.append("case %s: FAIL" % case.name)
                report += ["  " + line for p in problems for line in p.splitlines()]
                report.append("  original program log:")
                report += ["    " + l for l in head(a_prog, 30).splitlines()]
                if case.client or case.server:
                    report.append("  original peer log:")
                    report += ["    " + l for l in head(a_peer, 30).splitlines()]
            else:
                report.append("case %s: same behaviour (%d program lines, %d peer lines)" % (
                    case.name, a_prog.count("\n"), a_peer.count("\n")))

        if mode == "none":
            report.append("check: skipped (--no-rewrite)")
        elif mode == "from" and not shutil.which(opts.awaitify) and not os.access(opts.awaitify, os.X_OK):
            report.append("check: skipped (no awaitify at %s)" % opts.awaitify)
        else:
            cmd = [opts.awaitify, "check"] + TOOL_OPTIONS \
                + (["--rules", prog.rules] if prog.rules else []) + [copy, "--"] + FLAGS
            rc, so, se = run(cmd, TOOL_TIMEOUT)
            if rc != 0:
                ok = False
                report.append("check: FAIL, exit %s (a second run still finds something)" % rc)
                report += ["  " + l for l in head(so + se, 30).splitlines()]
            else:
                report.append("check: nothing more to do")
        return ok, report
    except Failure as e:
        report += str(e).splitlines()
        return False, report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--awaitify", default=default_awaitify())
    ap.add_argument("--cxx", default=default_cxx())
    ap.add_argument("--work", default=os.path.join("/tmp", "awaitify-asio-e2e"))
    ap.add_argument("--only", action="append", default=[],
                    help="run only this program (repeatable, or comma-separated)")
    ap.add_argument("--skip", action="append", default=[],
                    help="leave this program out (repeatable, or comma-separated)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--no-rewrite", action="store_true")
    g.add_argument("--rewritten-from", metavar="DIR")
    ap.add_argument("--no-sanitize", action="store_true")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    opts = ap.parse_args()
    opts.work = os.path.abspath(opts.work)
    if opts.rewritten_from:
        opts.rewritten_from = os.path.abspath(opts.rewritten_from)

    only = {n for o in opts.only for n in o.split(",") if n}
    skip = {n for o in opts.skip for n in o.split(",") if n}
    names = {p.name for p in CATALOG}
    unknown = (only | skip) - names
    if unknown:
        print("unknown program(s): %s (known: %s)" % (", ".join(sorted(unknown)),
                                                     ", ".join(p.name for p in CATALOG)))
        return 2
    selected = [p for p in CATALOG if (not only or p.name in only) and p.name not in skip]
    if opts.rewritten_from:
        missing = [p.name for p in selected
                   if not os.path.exists(os.path.join(opts.rewritten_from, p.name + ".cpp"))]
        for name in missing:
            print("skip %s: no %s.cpp in %s" % (name, name, opts.rewritten_from))
        selected = [p for p in selected if p.name not in missing]
    os.makedirs(opts.work, exist_ok=True)

    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        futures = [(p, pool.submit(check_program, p, opts)) for p in selected]
        for prog, fut in futures:
            ok, report = fut.result()
            print("%s %s" % ("PASS" if ok else "FAIL", prog.name))
            for line in report:
                print("  " + line)
            sys.stdout.flush()
            passed += ok
            failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
