#!/usr/bin/env python3
"""A long echo session must not grow the server's memory.

Builds the original echo server (programs/echo_server.cpp) and its rewritten
version (`awaitify fix`, or --rewritten-from DIR, or --no-rewrite for a
plain copy), both with -O2 and no sanitizers. Each one serves one
connection on loopback over which this script sends --messages messages
(64 bytes, each echo awaited before the next message). The server's RSS
(VmRSS in /proc/PID/status) is sampled after --sample-at messages and after
the last one; the test fails if it grew by more than --bound-kib, for the
original or for the rewritten server (a rewrite that recursed instead of
looping would keep one coroutine frame per message alive).

The last line printed is `N passed, M failed` (servers); the exit status is
non-zero when any failed.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from asio_common import (PROGRAMS, Failure, compile_program, default_awaitify,  # noqa: E402
                         default_cxx, make_rewritten, vm_kib)

PORT_TIMEOUT = 15
SOCKET_TIMEOUT = 10
SESSION_TIMEOUT = 300


def read_port(p):
    """The "port N" line the server writes to stderr."""
    deadline = time.monotonic() + PORT_TIMEOUT
    while time.monotonic() < deadline:
        line = p.stderr.readline()
        if not line:
            break
        m = re.match(r"port (\d+)$", line.strip())
        if m:
            return int(m.group(1))
    raise Failure("the server announced no port")


def session(binary, messages, sample_at):
    """(RSS KiB after sample_at messages, after all of them, peak KiB)."""
    p = subprocess.Popen([binary, "1", "-q"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        port = read_port(p)
        s = socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        deadline = time.monotonic() + SESSION_TIMEOUT
        early = None
        for i in range(1, messages + 1):
            msg = b"%08d" % i + b"m" * 56
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                chunk = s.recv(len(msg) - len(got))
                if not chunk:
                    raise Failure("the server closed after %d messages" % (i - 1))
                got += chunk
            if got != msg:
                raise Failure("message %d came back as %r" % (i, got[:20]))
            if i == sample_at:
                early = vm_kib(p.pid, "VmRSS")
            if time.monotonic() > deadline:
                raise Failure("too slow: %d messages in %ds" % (i, SESSION_TIMEOUT))
        late = vm_kib(p.pid, "VmRSS")
        peak = vm_kib(p.pid, "VmHWM")
        s.close()
        rc = p.wait(timeout=SOCKET_TIMEOUT)
        if rc != 0:
            raise Failure("the server exited %d" % rc)
        return early, late, peak
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--awaitify", default=default_awaitify())
    ap.add_argument("--cxx", default=default_cxx())
    ap.add_argument("--work", default=os.path.join("/tmp", "awaitify-asio-memory"))
    ap.add_argument("--program", default="echo_server",
                    help="echo_server or echo_server_standalone")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--no-rewrite", action="store_true")
    g.add_argument("--rewritten-from", metavar="DIR")
    ap.add_argument("--messages", type=int, default=10000)
    ap.add_argument("--sample-at", type=int, default=1000)
    ap.add_argument("--bound-kib", type=int, default=512)
    opts = ap.parse_args()
    work = os.path.abspath(os.path.join(opts.work, opts.program))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    passed = failed = 0
    try:
        orig = os.path.join(work, "original")
        compile_program(opts.cxx, os.path.join(PROGRAMS, opts.program + ".cpp"), orig, ["-O2"])
        mode = "none" if opts.no_rewrite else ("from" if opts.rewritten_from else "tool")
        copy = make_rewritten(opts.program, os.path.join(work, "rewritten"), opts.awaitify,
                              mode, opts.rewritten_from and os.path.abspath(opts.rewritten_from))
        new = os.path.join(work, "rewritten.bin")
        compile_program(opts.cxx, copy, new, ["-O2"])
    except Failure as e:
        print("FAIL build: %s" % e)
        print("0 passed, 2 failed")
        return 1

    print("%-10s %12s %12s %10s %10s" % ("server", "RSS@%d" % opts.sample_at,
                                          "RSS@%d" % opts.messages, "growth", "peak"))
    for label, binary in (("original", orig), ("rewritten", new)):
        try:
            early, late, peak = session(binary, opts.messages, opts.sample_at)
        except (Failure, OSError, subprocess.SubprocessError) as e:
            print("%-10s FAIL: %s" % (label, e))
            failed += 1
            continue
        grew = late - early
        ok = grew <= opts.bound_kib
        print("%-10s %9d KiB %9d KiB %+6d KiB %6d KiB  %s" % (
            label, early, late, grew, peak,
            "flat" if ok else "FAIL: grew more than %d KiB" % opts.bound_kib))
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
