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
  --twins               --rewritten-from twins/: run each program against its
                        hand-written coroutine twin (twins/<name>.cpp, as_tuple:
                        --library boost181); the same log proves the twin
                        faithful, and `awaitify check` must find nothing in it

What the programs are built against (--library) and how (--style):

  --library system      (default) every program on the system's headers:
                        Boost 1.74 for the Boost programs, libasio-dev's
                        Asio 1.22 for the standalone ones
  --library boost       the Boost programs on Boost 1.74 (the system's)
  --library boost181    the Boost programs on Boost 1.81, unpacked by
                        scripts/install-deps.sh (--boost181 DIR; its include
                        folder comes first, so it wins over the system's)
  --library asio        the standalone-Asio programs on libasio-dev

  --style clang         (default) clang++ with asio_common.FLAGS: the -D flags
                        that switch Asio's coroutine support on for clang and
                        `-include utility`; the tool gets the same flags
  --style plain         g++ with asio_common.GXX_FLAGS (-std=c++20 -pthread,
                        and -I<boost 1.81> for boost181): the command a user
                        types. The tool gets exactly `-- <those flags>`; the
                        original and the rewritten program are compiled with
                        that same g++ command (plus the sanitizers)
  --style cmake         a CMake project per program (CMAKE_CXX_COMPILER=g++,
                        CMAKE_CXX_STANDARD 20, Threads::Threads, the sanitizers
                        in CMAKE_CXX_FLAGS, CMAKE_EXPORT_COMPILE_COMMANDS=ON);
                        the tool runs as `awaitify fix -p <build> <file>`, and
                        the same project is built again for the rewritten file

The tool's options are the library's (asio_common.library): Boost 1.74 needs
--min-confidence=risky, the others take the default.

Each program's report ends with its time; a summary lists each program with
PASS or FAIL and the first line that says why. The last line printed is
`N passed, M failed`; the exit status is non-zero when any program failed.
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
from asio_common import (PROGRAMS, FLAGS, GXX_FLAGS, LIBRARIES, RUNTIME_INCLUDE,  # noqa: E402
                         Failure, boost181_dir, compile_program, default_awaitify,
                         default_cxx, first_error, head, library, make_rewritten,
                         require_co_await, run, run_fix)

SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer", "-gline-tables-only"]  # lines in reports
# The same for g++, which has no -gline-tables-only (-g1: line tables).
GXX_SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                "-fno-omit-frame-pointer", "-g1"]
STYLES = ["clang", "plain", "cmake"]
# Hand-written coroutine twins of the programs (metrics.py, --twins).
TWINS = os.path.join(HERE, "twins")
# Every compile, tool run and program run holds one of -j slots; all the
# programs go at once, so a cheap one's steps fill the cores a Beast
# program's long compile leaves idle, and a program's original compiles
# while the tool rewrites its copy.
SLOTS = threading.Semaphore(2)
BUSY = {}  # program name: seconds its steps held a slot
_BUSY_LOCK = threading.Lock()


class slot:
    """`with slot(name):` holds one of the -j slots for program `name`."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        SLOTS.acquire()
        self.t0 = time.monotonic()

    def __exit__(self, *exc):
        with _BUSY_LOCK:
            BUSY[self.name] = BUSY.get(self.name, 0.0) + time.monotonic() - self.t0
        SLOTS.release()
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
    """kind: the library the source is written for ("boost", "asio" for
    standalone Asio, "none"); needs: flags its build needs beyond
    GXX_FLAGS."""

    def __init__(self, name, cases, rules=None, kind="boost", needs=()):
        self.name, self.cases, self.rules = name, cases, rules
        self.kind, self.needs = kind, list(needs)


ECHO_CASE = Case("echo", ["2"], client=peers.echo_client,
                 expect=["accepted", "echoed 900 bytes", "read: End of file",
                         "session done, 946 bytes echoed", "server done", "exit 0"],
                 expect_peer=["connection 2", "echo ok 4 bytes", "server closed (eof)"])

LINE_CASE = Case("lines", ["1"], client=peers.line_client,
                 expect=["line 'split line'", "said goodbye", "session done after 6 lines"],
                 expect_peer=["reply 'LINES\\n'", "reply 'BYE\\n'", "server closed (eof)"])

BIND_ECHO_CASE = Case("echo", ["2"], client=peers.echo_client,
                      expect=["accepted", "echoed, 946 bytes so far", "read: End of file",
                              "session done, 946 bytes echoed", "session done, 33 bytes echoed",
                              "server done", "exit 0"],
                      expect_peer=["connection 2", "echo ok 900 bytes", "server closed (eof)"])

TIMER_CASE = Case("ticks", ["5"], expect=["faulty: caught boom", "tick 4", "done after 5 ticks",
                                          "watchdog cancelled", "loop done"])

CATALOG = [
    Program("echo_server", [ECHO_CASE]),
    Program("echo_server_standalone", [ECHO_CASE], kind="asio"),
    Program("line_server", [LINE_CASE]),
    Program("line_server_standalone", [LINE_CASE], kind="asio"),
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
    Program("boost_bind_echo", [BIND_ECHO_CASE]),
    Program("deadline_client", [
        Case("heartbeats", ["127.0.0.1", "{port}", "1000"], server=peers.heartbeat_server,
             expect=["connected to 127.0.0.1", "received 'line 3'", "deadline passed",
                     "error on receive: Operation canceled after 3 lines", "stopped",
                     "client done"],
             expect_peer=["heartbeat 3", "silent", "client closed (eof)"]),
        Case("closed-port", ["127.0.0.1", "{port}"], server=peers.nobody, closed_port=True,
             expect=["connect error: Connection refused", "no more endpoints", "stopped",
                     "client done"])]),
    Program("timer_loop", [TIMER_CASE]),
    Program("timer_loop_standalone", [TIMER_CASE], kind="asio"),
    Program("generic_job", [
        Case("run", [], expect=["a: total 18 (even)", "b: total 3 (odd)", "loop done"])],
        rules=os.path.join(PROGRAMS, "generic_job.yaml"), kind="none",
        needs=["-I" + RUNTIME_INCLUDE]),  # the rewrite includes awaitify/detached.hpp
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


# --- how a program is built ----------------------------------------------------

class DirectBuild:
    """The clang and plain styles: the compiler run on the source file; the
    tool gets `-- <the same flags>`."""

    def __init__(self, prog, opts, lib, work):
        self.prog, self.opts, self.lib, self.work = prog, opts, lib, work
        if opts.style == "clang":
            self.cxx, self.flags = opts.cxx, lib.include + FLAGS + prog.needs
            self.extra = [] if opts.no_sanitize else SANITIZE
        else:
            self.cxx, self.flags = opts.gxx, lib.include + GXX_FLAGS + prog.needs
            self.extra = [] if opts.no_sanitize else GXX_SANITIZE
        self.rules = ["--rules", prog.rules] if prog.rules else []

    def describe(self):
        return "%s %s (+ %s)" % (os.path.basename(self.cxx), " ".join(self.flags),
                                 " ".join(self.extra) or "no sanitizers")

    parallel = True  # the original's build and the rewrite are independent

    def original(self, out):
        with slot(self.prog.name):
            compile_program(self.cxx, os.path.join(PROGRAMS, self.prog.name + ".cpp"), out,
                            self.extra, self.flags)

    def rewrite(self, mode):
        with slot(self.prog.name):
            return make_rewritten(self.prog.name, os.path.join(self.work, "rewritten"),
                                  self.opts.awaitify, mode, self.opts.rewritten_from,
                                  self.prog.rules, flags=self.flags,
                                  tool_options=self.lib.tool_options)

    def rewritten(self, copy, out):
        with slot(self.prog.name):
            compile_program(self.cxx, copy, out, self.extra, self.flags)

    def check_cmd(self, copy):
        return [self.opts.awaitify, "check"] + self.lib.tool_options + self.rules \
            + [copy, "--"] + self.flags


CMAKE_LISTS = """cmake_minimum_required(VERSION 3.16)
project(asio_{name} CXX)
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)
add_executable({name} {name}.cpp)
target_link_libraries({name} PRIVATE Threads::Threads)
{includes}"""


class CMakeBuild:
    """The cmake style: a project per program built with g++, its
    compile_commands.json read by `awaitify fix -p`."""

    def __init__(self, prog, opts, lib, work):
        self.prog, self.opts, self.lib, self.work = prog, opts, lib, work
        self.src_dir = os.path.join(work, "cmake")
        self.build_dir = os.path.join(self.src_dir, "build")
        self.src = os.path.join(self.src_dir, prog.name + ".cpp")
        self.sanitize = [] if opts.no_sanitize else GXX_SANITIZE
        self.rules = ["--rules", prog.rules] if prog.rules else []

    def describe(self):
        return "cmake, CMAKE_CXX_COMPILER=%s, CMAKE_CXX_FLAGS=%s (compile_commands.json in %s)" % (
            os.path.basename(self.opts.gxx), " ".join(self.sanitize) or "''", self.build_dir)

    parallel = False  # the tool reads the build's compile_commands.json

    def _build(self, out, what, clean):
        cmd = [self.opts.cmake, "--build", self.build_dir] + (["--clean-first"] if clean else [])
        with slot(self.prog.name):
            rc, so, se = run(cmd, 600)
        if rc != 0:
            raise Failure("cmake --build (%s) failed: %s\n%s" % (what, " ".join(cmd),
                                                                head(so + se)),
                          "build of the %s failed: %s" % (what, first_error(so + se)))
        shutil.copyfile(os.path.join(self.build_dir, self.prog.name), out)
        os.chmod(out, 0o755)

    def original(self, out):
        os.makedirs(self.src_dir, exist_ok=True)
        shutil.copyfile(os.path.join(PROGRAMS, self.prog.name + ".cpp"), self.src)
        includes = [f[2:] for f in self.lib.include + self.prog.needs if f.startswith("-I")]
        with open(os.path.join(self.src_dir, "CMakeLists.txt"), "w") as f:
            f.write(CMAKE_LISTS.format(name=self.prog.name, includes="".join(
                "target_include_directories(%s BEFORE PRIVATE %s)\n" % (self.prog.name, i)
                for i in includes)))
        cmd = [self.opts.cmake, "-S", self.src_dir, "-B", self.build_dir,
               "-DCMAKE_CXX_COMPILER=" + self.opts.gxx,
               "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON", "-DCMAKE_BUILD_TYPE=",
               "-DCMAKE_CXX_FLAGS=" + " ".join(self.sanitize)]
        if shutil.which("ninja"):
            cmd += ["-G", "Ninja"]
        with slot(self.prog.name):
            rc, so, se = run(cmd, 300)
        if rc != 0:
            raise Failure("cmake configure failed: %s\n%s" % (" ".join(cmd), head(so + se)),
                          "cmake configure failed: " + first_error(so + se))
        self._build(out, "original", False)

    def rewrite(self, mode):
        if mode == "tool":
            cmd = [self.opts.awaitify, "fix"] + self.lib.tool_options + self.rules \
                + ["-p", self.build_dir, self.src]
            with slot(self.prog.name):
                run_fix(cmd, self.src, os.path.join(self.work, "fix.log"))
        elif mode == "from":
            given = os.path.join(self.opts.rewritten_from, self.prog.name + ".cpp")
            shutil.copyfile(given, self.src)
            require_co_await(self.src, "")
        return self.src

    def rewritten(self, copy, out):
        self._build(out, "rewritten program", True)

    def check_cmd(self, copy):
        return [self.opts.awaitify, "check"] + self.lib.tool_options + self.rules \
            + ["-p", self.build_dir, copy]


# --- one program ------------------------------------------------------------------

def first_diff(a, b):
    for x, y in zip(a.splitlines(), b.splitlines()):
        if x != y:
            return "%r, rewritten %r" % (x, y)
    return "one log is longer"


def check_program(prog, opts):
    """(ok, report lines, summary line)."""
    report = []
    summary = None
    work = os.path.join(opts.work, prog.name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    build = (CMakeBuild if opts.style == "cmake" else DirectBuild)(prog, opts, opts.lib, work)
    report.append("build: " + build.describe())
    try:
        src = os.path.join(PROGRAMS, prog.name + ".cpp")
        orig_bin = os.path.join(work, "original")
        new_bin = os.path.join(work, "rewritten.bin")
        mode = "none" if opts.no_rewrite else ("from" if opts.rewritten_from else "tool")
        failures = {}

        def build_original():
            try:
                build.original(orig_bin)
            except Failure as e:
                e.summary = "the ORIGINAL does not build (not the tool's fault): " + e.summary
                failures["original"] = e

        def rewrite_and_build():
            try:
                copy = build.rewrite(mode)
            except Failure as e:
                failures["rewrite"] = e
                return None
            with open(src) as f, open(copy) as g:
                diff = list(difflib.unified_diff(f.readlines(), g.readlines(),
                                                 "original/" + prog.name + ".cpp",
                                                 "rewritten/" + prog.name + ".cpp"))
            with open(os.path.join(work, "rewrite.diff"), "w") as f:
                f.writelines(diff)
            if mode != "none":
                with open(copy) as f:
                    text = f.read()
                awaits = [w for w in ("as_tuple", "redirect_error", "use_awaitable") if w in text]
                report.append("rewrite: %d lines changed, uses %s (%s)" % (
                    sum(1 for l in diff if l[:1] in "+-" and l[:3] not in ("+++", "---")),
                    ", ".join(awaits) or "no Asio token", os.path.join(work, "rewrite.diff")))
                token = opts.lib.token
                if mode == "tool" and prog.kind != "none" and token and (
                        token not in awaits or "redirect_error" in awaits):
                    failures["token"] = "the rewrite awaits with %s, not %s (%s has it)" % (
                        ", ".join(a for a in awaits if a not in (token, "use_awaitable"))
                        or "no error-code token", token,
                        opts.lib.describe.split(" (")[0])
                    report.append("rewrite: FAIL, " + failures["token"])
            try:
                build.rewritten(copy, new_bin)
            except Failure as e:
                e.summary = "the rewritten program does not build: " + e.summary
                failures["rewritten"] = e
            return copy

        if build.parallel:
            # The original compiles while the tool rewrites the copy.
            t = threading.Thread(target=build_original)
            t.start()
            copy = rewrite_and_build()
            t.join()
        else:
            build_original()
            copy = None if failures else rewrite_and_build()
        for what in ("original", "rewrite", "rewritten"):
            if what in failures:
                raise failures[what]
        # A wrong token fails the program, but the runs and the check still
        # say whether the rewrite behaves.
        summary = failures.get("token")

        ok = summary is None
        for case in prog.cases:
            with slot(prog.name):
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
                summary = summary or "case %s: program logs differ: original %s" % (
                    case.name, first_diff(a_prog, b_prog))
            if a_peer != b_peer:
                problems.append("peer logs differ:\n" + unified(a_peer, b_peer, "peer.log"))
                summary = summary or "case %s: peer logs differ: original %s" % (
                    case.name, first_diff(a_peer, b_peer))
            if problems:
                ok = False
                summary = summary or "case %s: %s" % (case.name, problems[0].splitlines()[0])
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
            cmd = build.check_cmd(copy)
            with slot(prog.name):
                rc, so, se = run(cmd, TOOL_TIMEOUT)
            if rc != 0:
                ok = False
                found = [l for l in (so + se).splitlines() if "warning:" in l]
                summary = summary or "check: a second run still finds something (exit %s): %s" % (
                    rc, found[0] if found else first_error(so + se))
                report.append("check: FAIL, exit %s (a second run still finds something): %s" % (
                    rc, " ".join(cmd)))
                report += ["  " + l for l in head(so + se, 30).splitlines()]
            else:
                report.append("check: nothing more to do")
        return ok, report, summary
    except Failure as e:
        report += str(e).splitlines()
        return False, report, e.summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--awaitify", default=default_awaitify())
    ap.add_argument("--cxx", default=default_cxx(), help="the clang++ of --style clang")
    ap.add_argument("--gxx", default=os.environ.get("CXX_GCC") or shutil.which("g++") or "g++",
                    help="the g++ of --style plain and cmake")
    ap.add_argument("--cmake", default=shutil.which("cmake") or "cmake")
    ap.add_argument("--style", choices=STYLES, default="clang")
    ap.add_argument("--library", choices=LIBRARIES, default="system")
    ap.add_argument("--boost181", default=boost181_dir(), metavar="DIR",
                    help="where libboost1.81-dev is unpacked (default: "
                         "$AWAITIFY_BOOST181_DIR, else the folder "
                         "scripts/install-deps.sh unpacks it to)")
    ap.add_argument("--work", required=True,
                    help="a folder of its own for the work files")
    ap.add_argument("--only", action="append", default=[],
                    help="run only this program (repeatable, or comma-separated)")
    ap.add_argument("--skip", action="append", default=[],
                    help="leave this program out (repeatable, or comma-separated)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--no-rewrite", action="store_true")
    g.add_argument("--rewritten-from", metavar="DIR")
    g.add_argument("--twins", action="store_true",
                   help="--rewritten-from twins/ (beside this script)")
    ap.add_argument("--no-sanitize", action="store_true")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    opts = ap.parse_args()
    opts.work = os.path.abspath(opts.work)
    if opts.twins:
        opts.rewritten_from = TWINS
    if opts.rewritten_from:
        opts.rewritten_from = os.path.abspath(opts.rewritten_from)
    opts.lib = library(opts.library, opts.boost181)
    if opts.library == "boost181" and not os.path.exists(
            os.path.join(opts.boost181, "usr", "include", "boost", "version.hpp")):
        print("no Boost 1.81 headers under %s (scripts/install-deps.sh unpacks them)"
              % opts.boost181)
        return 2

    only = {n for o in opts.only for n in o.split(",") if n}
    skip = {n for o in opts.skip for n in o.split(",") if n}
    names = {p.name for p in CATALOG}
    unknown = (only | skip) - names
    if unknown:
        print("unknown program(s): %s (known: %s)" % (", ".join(sorted(unknown)),
                                                     ", ".join(p.name for p in CATALOG)))
        return 2
    wrong = [p.name for p in CATALOG if p.name in only and p.kind not in opts.lib.kinds]
    if wrong:
        print("not written for --library %s: %s" % (opts.library, ", ".join(wrong)))
        return 2
    selected = [p for p in CATALOG if (not only or p.name in only) and p.name not in skip
                and p.kind in opts.lib.kinds]
    if opts.rewritten_from:
        missing = [p.name for p in selected
                   if not os.path.exists(os.path.join(opts.rewritten_from, p.name + ".cpp"))]
        for name in missing:
            print("skip %s: no %s.cpp in %s" % (name, name, opts.rewritten_from))
        selected = [p for p in selected if p.name not in missing]
    os.makedirs(opts.work, exist_ok=True)
    print("style %s, library %s: %s" % (opts.style, opts.library, opts.lib.describe))
    sys.stdout.flush()

    def timed(prog):
        t0 = time.monotonic()
        result = check_program(prog, opts)
        return result + (time.monotonic() - t0,)

    global SLOTS
    SLOTS = threading.Semaphore(max(1, opts.jobs))
    passed = failed = 0
    table = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(selected))) as pool:
        futures = [(p, pool.submit(timed, p)) for p in selected]
        for prog, fut in futures:
            ok, report, summary, secs = fut.result()
            busy = BUSY.get(prog.name, 0.0)
            print("%s %s (%.0f s of work, done after %.0f s)" % (
                "PASS" if ok else "FAIL", prog.name, busy, secs))
            for line in report:
                print("  " + line)
            sys.stdout.flush()
            table.append("%s %s/%s/%s (%.0f s)%s" % (
                "PASS" if ok else "FAIL", opts.style, opts.library, prog.name, busy,
                "" if ok else ": " + (summary or "failed")))
            passed += ok
            failed += not ok
    print("summary (seconds of work: compiles, tool runs, program runs):")
    for line in table:
        print("  " + line)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
