#!/usr/bin/env python3
"""End-to-end test of the shipped gRPC rules (rewrite-rules/grpc.yaml).

checkout_client.cpp chains three unary RPCs of shop.proto in nested
callbacks against the in-process server of shop_server.cpp. This script

  1. builds it with the user's command (clang++ -std=c++20 -Wall -Wextra
     -Werror, AddressSanitizer + UBSan) and runs it: trace A;
  2. runs `awaitify fix <copy> -- <the same flags, without the sanitizers>`
     with the shipped rules only (exit 0 expected);
  3. checks the rewrite: each RPC of the chain is awaited
     (`co_await awaitify::from_callback<grpc::Status>`), no callback of the
     chain is left, each failed status ends the coroutine (`co_return`), and
     the streaming call (a reactor, no callback) is as it was;
  4. builds the copy with the very same command, runs it: trace B == A;
  5. `awaitify check` on the copy finds nothing (a second run has nothing
     to do).

The server, and the code protoc generates for shop.proto, are built by
CMake (test/grpc/CMakeLists.txt) into a library; --build names the JSON
file that says where it is and what gRPC needs (flags, libraries).
The last line is `PASS` or `FAIL: <why>`; the exit status is non-zero on
a failure.
"""

import argparse
import difflib
import json
import os
import re
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "test", "asio"))
from asio_common import (Failure, first_error, head, run,  # noqa: E402
                         run_fix, RUNTIME_INCLUDE)

PROGRAM = "checkout_client.cpp"
SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer", "-gline-tables-only"]
COMPILE_TIMEOUT = 300
TOOL_TIMEOUT = 300
RUN_TIMEOUT = 60

# What the rewrite must have done to checkout_client.cpp.
CHAIN = ["FindUser", "GetCart", "PlaceOrder"]
AWAIT = re.compile(r"co_await awaitify::from_callback<grpc::Status>\(\s*"
                   r"\[&\]\(auto resume\) \{\s*"
                   r"stub_->async\(\)->(\w+)\([^;]*\bresume\);\s*\}\);")
CALLBACK = re.compile(r"\]\(grpc::Status status\)")
STREAM_CALL = "stub_->async()->WatchOrder(&context_, &request_, this);"


def flags(build):
    """The compile flags of the user's build, but the sanitizers."""
    return (["-std=c++20", "-Wall", "-Wextra", "-Werror"] + build["cflags"]
            + ["-I" + build["gen_dir"], "-I" + HERE, "-I" + RUNTIME_INCLUDE])


def build_program(build, src, exe):
    """Compile and link src into exe with the user's command."""
    obj = exe + ".o"
    steps = [[build["cxx"]] + flags(build) + SANITIZE + ["-c", src, "-o", obj],
             [build["cxx"]] + SANITIZE + ["-o", exe, obj, build["library"]]
             + build["link"]]
    for cmd in steps:
        rc, so, se = run(cmd, COMPILE_TIMEOUT)
        if rc != 0:
            raise Failure("build failed (%s): %s\n%s" % (
                "timeout" if rc is None else "exit %d" % rc, " ".join(cmd),
                head(so + se)),
                "build of %s failed: %s" % (src, first_error(so + se)))


def run_program(exe):
    rc, so, se = run([exe], RUN_TIMEOUT)
    if rc != 0:
        raise Failure("%s %s\nstdout:\n%s\nstderr:\n%s" % (
            exe, "timed out" if rc is None else "exited %d" % rc,
            head(so), head(se)),
            "%s %s: %s" % (os.path.basename(exe),
                           "timed out" if rc is None else "exited %d" % rc,
                           first_error(se) if se.strip() else "(no stderr)"))
    return so


def check_rewrite(path):
    """The chain's three RPCs are awaited in order, nothing else changed
    kind."""
    with open(path) as f:
        text = f.read()
    awaited = AWAIT.findall(text)
    problems = []
    if awaited != CHAIN:
        problems.append("awaited RPCs %s, expected %s" % (awaited, CHAIN))
    if CALLBACK.search(text):
        problems.append("a callback of the chain is still there: %s"
                        % CALLBACK.search(text).group(0))
    if text.count("co_return;") != len(CHAIN):
        problems.append("%d co_return, expected one per failed status (%d)"
                        % (text.count("co_return;"), len(CHAIN)))
    if STREAM_CALL not in text:
        problems.append("the streaming call changed: %s is gone" % STREAM_CALL)
    if problems:
        raise Failure("the rewrite of %s is not the expected one:\n  %s" % (
            path, "\n  ".join(problems)), "rewrite: " + problems[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--awaitify", required=True)
    ap.add_argument("--build", required=True,
                    help="grpc_build.json written by test/grpc/CMakeLists.txt")
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    with open(args.build) as f:
        build = json.load(f)

    start = time.monotonic()
    original = os.path.join(args.work, "original")
    rewritten = os.path.join(args.work, "rewritten")
    for d in (original, rewritten):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        shutil.copyfile(os.path.join(HERE, PROGRAM), os.path.join(d, PROGRAM))

    try:
        src = os.path.join(original, PROGRAM)
        print("$ %s" % " ".join([build["cxx"]] + flags(build) + SANITIZE
                                + ["-c", PROGRAM]))
        build_program(build, src, os.path.join(original, "client"))
        before = run_program(os.path.join(original, "client"))

        copy = os.path.join(rewritten, PROGRAM)
        fix = [args.awaitify, "fix", "--no-project-rules", copy, "--"] + flags(build)
        run_fix(fix, copy, copy + ".fix.log")
        with open(copy + ".fix.log") as f:
            print(f.read().rstrip())
        check_rewrite(copy)

        build_program(build, copy, os.path.join(rewritten, "client"))
        after = run_program(os.path.join(rewritten, "client"))
        if after != before:
            diff = "".join(difflib.unified_diff(
                before.splitlines(True), after.splitlines(True),
                "original", "rewritten"))
            raise Failure("the rewritten client prints something else:\n" + diff,
                          "the rewritten client prints something else")

        check = [args.awaitify, "check", "--no-project-rules", copy, "--"] + flags(build)
        rc, so, se = run(check, TOOL_TIMEOUT)
        if rc != 0:
            raise Failure("a second run finds more (exit %s): %s\n%s" % (
                rc, " ".join(check), head(so + se)),
                "a second run finds more: " + first_error(so + se))
    except Failure as e:
        print(str(e))
        print("FAIL: %s (%.1f s)" % (e.summary, time.monotonic() - start))
        return 1

    print(before.rstrip())
    print("PASS: the rewritten client awaits %s and prints the same "
          "(%.1f s)" % (", ".join(CHAIN), time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
