#!/usr/bin/env python3
"""A clang build gets a one-line note naming the flag it needs.

Boost 1.74 (and standalone Asio 1.22) switch their coroutine support on for
g++ by themselves but not for clang: a program built with the plain clang++
command (`clang++ -std=c++20`, no -D flags) has no boost::asio::awaitable.
`awaitify check -p build f.cpp` over the compile_commands.json of such a
clang build must say so, once, naming the flag the build needs: exactly one
line of its output contains -DBOOST_ASIO_HAS_CO_AWAIT (-DASIO_HAS_CO_AWAIT
for standalone Asio). (Flags after `--` name no compiler; awaitify takes
them as the system's `c++`, g++ on Debian, whose build needs no flag.)

  --library boost   programs/echo_server.cpp on Boost 1.74 (default)
  --library asio    programs/echo_server_standalone.cpp on libasio-dev

The last line printed is `N passed, M failed`.
"""

import argparse
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from asio_common import PROGRAMS, default_awaitify, default_cxx, head, run  # noqa: E402

CASES = {
    # library: (program, the flag the note must name)
    "boost": ("echo_server", "-DBOOST_ASIO_HAS_CO_AWAIT"),
    "asio": ("echo_server_standalone", "-DASIO_HAS_CO_AWAIT"),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--awaitify", default=default_awaitify())
    ap.add_argument("--library", choices=sorted(CASES), default="boost")
    ap.add_argument("--work", required=True,
                    help="a folder of its own for the work files")
    opts = ap.parse_args()
    program, flag = CASES[opts.library]
    work = os.path.abspath(opts.work)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    src = os.path.join(work, program + ".cpp")
    shutil.copyfile(os.path.join(PROGRAMS, program + ".cpp"), src)

    clangxx = default_cxx()
    with open(os.path.join(work, "compile_commands.json"), "w") as f:
        json.dump([{"directory": work, "file": src,
                    "arguments": [clangxx, "-std=c++20", "-pthread", "-c", src,
                                  "-o", src + ".o"]}], f)
    cmd = [opts.awaitify, "check", "-p", work, src]
    rc, so, se = run(cmd, 600)
    out = so + se
    with open(os.path.join(work, "check.log"), "w") as f:
        f.write("$ %s\nexit %s\n%s" % (" ".join(cmd), rc, out))
    naming = [l for l in out.splitlines() if flag in l]
    print("$ " + " ".join(cmd))
    print("exit %s" % rc)
    ok = len(naming) == 1 and rc is not None
    if ok:
        print("PASS %s: one line names %s:" % (opts.library, flag))
        print("  " + naming[0])
    else:
        print("FAIL %s: %d lines name %s (want exactly 1)%s" % (
            opts.library, len(naming), flag, "" if rc is not None else "; the tool timed out"))
        for l in naming:
            print("  " + l)
        print("  the tool printed:")
        print("\n".join("    " + l for l in head(out, 40).splitlines()))
    print("%d passed, %d failed" % (ok, not ok))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
