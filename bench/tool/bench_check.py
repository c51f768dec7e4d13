#!/usr/bin/env python3
"""How much `awaitify check` costs on top of parsing, measured in one run.

1. A heavy translation unit (a Boost.Beast HTTP server): `awaitify check`
   against `clang++-19 -fsyntax-only` with the same flags, interleaved, the
   median of N runs each. Target: check / syntax-only <= 1.15.
2. Eight translation units through a compile_commands.json: `-j 2` against
   `-j 1` (the speedup; two cores here).

Prints a table and PASS/FAIL for the target; exits 1 on FAIL.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLAGS = ["-std=c++20", "-DBOOST_ASIO_HAS_CO_AWAIT", "-DBOOST_ASIO_HAS_STD_COROUTINE",
         "-DASIO_HAS_CO_AWAIT", "-DASIO_HAS_STD_COROUTINE",
         # Boost 1.74's awaitable.hpp uses std::exchange without <utility>.
         "-include", "utility",
         "-I" + os.path.join(ROOT, "runtime", "include")]
PROGRAMS = os.path.join(ROOT, "test", "asio", "programs")


def timed(cmd, ok=(0,)):
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        sys.exit(f"bench: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--awaitify", required=True)
    ap.add_argument("--cxx", default="clang++-19")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--target", type=float, default=1.15)
    args = ap.parse_args()

    heavy = os.path.join(PROGRAMS, "http_server.cpp")
    check = [args.awaitify, "check", heavy, "--"] + FLAGS
    syntax = [args.cxx, "-fsyntax-only"] + FLAGS + [heavy]
    timed(syntax)  # warm the file cache
    t_check, t_syntax = [], []
    for _ in range(args.runs):
        t_syntax.append(timed(syntax))
        t_check.append(timed(check, ok=(0, 1)))
    ratio = statistics.median(t_check) / statistics.median(t_syntax)

    work = tempfile.mkdtemp(prefix="awaitify-bench-")
    try:
        files = sorted(f for f in os.listdir(PROGRAMS) if f.endswith(".cpp"))[:8]
        db = []
        for f in files:
            shutil.copy(os.path.join(PROGRAMS, f), work)
            db.append({"directory": work, "file": os.path.join(work, f),
                       "arguments": [args.cxx, "-c"] + FLAGS + [os.path.join(work, f)]})
        with open(os.path.join(work, "compile_commands.json"), "w") as out:
            json.dump(db, out)
        j1, j2 = [], []
        for _ in range(args.runs):
            j1.append(timed([args.awaitify, "check", "-p", work, "-j", "1"], ok=(0, 1)))
            j2.append(timed([args.awaitify, "check", "-p", work, "-j", "2"], ok=(0, 1)))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"== awaitify check cost ({os.cpu_count()} cores, median of {args.runs}, "
          f"{time.strftime('%Y-%m-%d')})")
    print(f"  {'clang++ -fsyntax-only (Beast HTTP server)':44} {statistics.median(t_syntax):7.2f} s")
    print(f"  {'awaitify check (same flags)':44} {statistics.median(t_check):7.2f} s")
    print(f"  {'ratio check / syntax-only':44} {ratio:7.2f}x  (target <= {args.target})")
    print(f"  {'8 translation units, -j 1':44} {statistics.median(j1):7.2f} s")
    print(f"  {'8 translation units, -j 2':44} {statistics.median(j2):7.2f} s")
    print(f"  {'speedup -j 2 / -j 1':44} {statistics.median(j1) / statistics.median(j2):7.2f}x")
    verdict = "PASS" if ratio <= args.target else "FAIL"
    print(f"{verdict}  awaitify check costs {ratio:.2f}x clang -fsyntax-only (target <= {args.target})")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
