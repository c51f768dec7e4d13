#!/usr/bin/env python3
"""Original vs rewritten echo server under the same loopback load.

Builds test/asio/programs/echo_server.cpp and its rewritten version
(`awaitify fix`, --rewritten-from DIR, or --no-rewrite for a plain copy)
with -O2, and the load generator load.cpp. After --warmup uncounted rounds,
alternating (original,
rewritten, original, rewritten, ...) for --runs rounds, starts a server for
--connections connections and drives it with --connections x --round-trips
round trips of --size bytes. For each server: the median messages/s and the
median peak RSS (VmHWM, read while the connections are still open), and the
ratio rewritten/original; also, for information, the server's CPU time per
message (less sensitive to a busy machine than wall-clock throughput). PASS when the rewritten server's throughput is at
least (100 - tolerance)% of the original's and its peak memory at most
(100 + tolerance)%; the exit status says the same.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "test", "asio"))
from asio_common import (PROGRAMS, Failure, compile_program, default_awaitify,  # noqa: E402
                         default_cxx, make_rewritten, run, vm_kib)

PORT_TIMEOUT = 15
RUN_TIMEOUT = 300


def cpu_seconds(pid):
    """User + system CPU time the process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def kill(p):
    if p.poll() is None:
        p.kill()
        p.wait()


def one_run(server, load, opts):
    """(messages/s, peak RSS KiB, server CPU microseconds per message) of
    one server under one load."""
    srv = subprocess.Popen([server, str(opts.connections), "-q"], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ld = None
    try:
        port = None
        deadline = time.monotonic() + PORT_TIMEOUT
        while port is None and time.monotonic() < deadline:
            line = srv.stderr.readline()
            if not line:
                break
            m = re.match(r"port (\d+)$", line.strip())
            port = int(m.group(1)) if m else None
        if port is None:
            raise Failure("the server announced no port")
        ld = subprocess.Popen([load, str(port), str(opts.connections), str(opts.round_trips),
                               str(opts.size)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
        line = ld.stdout.readline()  # the load's sockets time out after 10 s
        m = re.match(r"done (\d+) ([\d.]+)$", line.strip())
        if not m:
            raise Failure("the load generator failed (%r)" % line)
        peak = vm_kib(srv.pid, "VmHWM")
        cpu = cpu_seconds(srv.pid)
        ld.stdin.write("close\n")
        ld.stdin.flush()
        if ld.wait(timeout=RUN_TIMEOUT) != 0:
            raise Failure("the load generator exited %d" % ld.returncode)
        if srv.wait(timeout=RUN_TIMEOUT) != 0:
            raise Failure("the server exited %d" % srv.returncode)
        messages = int(m.group(1))
        return messages / float(m.group(2)), peak, 1e6 * cpu / messages
    finally:
        if ld:
            kill(ld)
        kill(srv)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--awaitify", default=default_awaitify())
    ap.add_argument("--cxx", default=default_cxx())
    ap.add_argument("--work", default=os.path.join("/tmp", "awaitify-bench-asio"))
    ap.add_argument("--program", default="echo_server")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--no-rewrite", action="store_true")
    g.add_argument("--rewritten-from", metavar="DIR")
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--round-trips", type=int, default=20000)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=1,
                    help="rounds run first and not counted")
    ap.add_argument("--tolerance", type=float, default=5.0, help="percent")
    opts = ap.parse_args()
    work = os.path.abspath(opts.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    try:
        orig = os.path.join(work, "original")
        compile_program(opts.cxx, os.path.join(PROGRAMS, opts.program + ".cpp"), orig,
                        ["-O2", "-DNDEBUG"])
        mode = "none" if opts.no_rewrite else ("from" if opts.rewritten_from else "tool")
        copy = make_rewritten(opts.program, os.path.join(work, "src"), opts.awaitify, mode,
                              opts.rewritten_from and os.path.abspath(opts.rewritten_from))
        new = os.path.join(work, "rewritten")
        compile_program(opts.cxx, copy, new, ["-O2", "-DNDEBUG"])
        load = os.path.join(work, "load")
        rc, so, se = run([opts.cxx, "-std=c++20", "-O2", "-pthread", "-o", load,
                          os.path.join(HERE, "load.cpp")], 300)
        if rc != 0:
            raise Failure("load.cpp did not compile:\n" + so + se)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1

    print("echo server (%s), %d connections x %d round trips of %d bytes, %d runs each" % (
        opts.program, opts.connections, opts.round_trips, opts.size, opts.runs))
    results = {"original": [], "rewritten": []}
    try:
        for i in range(opts.warmup):
            for binary in (orig, new):
                one_run(binary, load, opts)
        for i in range(opts.runs):
            for label, binary in (("original", orig), ("rewritten", new)):
                rate, peak, cpu = one_run(binary, load, opts)
                results[label].append((rate, peak, cpu))
                print("  run %d %-9s %12.0f msg/s %8d KiB %8.2f us CPU/msg" % (
                    i + 1, label, rate, peak, cpu))
                sys.stdout.flush()
    except (Failure, OSError, subprocess.SubprocessError) as e:
        print("FAIL: %s" % e)
        return 1

    med = {k: [statistics.median(run[j] for run in v) for j in range(3)]
           for k, v in results.items()}
    print()
    print("%-10s %14s %14s %16s" % ("server", "messages/s", "peak RSS", "CPU/msg (info)"))
    for k in ("original", "rewritten"):
        print("%-10s %14.0f %10d KiB %13.2f us" % (k, med[k][0], med[k][1], med[k][2]))
    rate_ratio = med["rewritten"][0] / med["original"][0]
    mem_ratio = med["rewritten"][1] / med["original"][1]
    cpu_ratio = med["rewritten"][2] / med["original"][2] if med["original"][2] else float("nan")
    print("%-10s %13.3fx %13.3fx %15.3fx" % ("ratio", rate_ratio, mem_ratio, cpu_ratio))
    tol = opts.tolerance / 100.0
    rates = [r for r, _, _ in results["original"]]
    spread = (max(rates) - min(rates)) / statistics.median(rates)
    if spread > tol:
        advice = "try --runs 7" if opts.runs < 7 else "run it on a quieter machine"
        print("note: the original's own runs spread %.0f%% (load average %.1f): the "
              "machine is too busy for a %g%% verdict to mean much; %s" % (
                  100 * spread, os.getloadavg()[0], opts.tolerance, advice))
    problems = []
    if rate_ratio < 1 - tol:
        problems.append("throughput %.1f%% below the original's" % (100 * (1 - rate_ratio)))
    if mem_ratio > 1 + tol:
        problems.append("peak memory %.1f%% above the original's" % (100 * (mem_ratio - 1)))
    if problems:
        print("FAIL: " + "; ".join(problems) + " (tolerance %g%%)" % opts.tolerance)
        return 1
    print("PASS (within %g%%)" % opts.tolerance)
    return 0


if __name__ == "__main__":
    sys.exit(main())
