"""Shared by run_asio.py, echo_memory.py and bench/asio: compiler flags,
running commands with timeouts, producing the rewritten copy of a program.
"""

import os
import shutil
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = os.path.join(HERE, "programs")
EXPECTED = os.path.join(HERE, "expected")
RUNTIME_INCLUDE = os.path.join(ROOT, "runtime", "include")

# Boost 1.74 does not detect clang's C++20 coroutines by itself, so the
# coroutine support is switched on by hand (for Boost.Asio and standalone
# Asio alike). Boost 1.74's boost/asio/awaitable.hpp uses std::exchange
# without including <utility>: `-include utility` makes up for it, in the
# original and the rewritten program alike.
FLAGS = ["-std=c++20",
         "-DBOOST_ASIO_HAS_CO_AWAIT", "-DBOOST_ASIO_HAS_STD_COROUTINE",
         "-DASIO_HAS_CO_AWAIT", "-DASIO_HAS_STD_COROUTINE",
         "-include", "utility",
         "-pthread", "-I" + RUNTIME_INCLUDE]

# With Boost 1.74 (Asio 1.18) co_spawn posts the coroutine's first step, so a
# rewritten chain's first operation starts one executor turn later than the
# callback code's: awaitify rates it risky and leaves it alone by default.
# These programs queue nothing ahead of a chain's first operation, so that
# turn changes nothing they print; they check the rewrite a user gets who
# accepts the risk.
TOOL_OPTIONS = ["--min-confidence=risky"]

COMPILE_TIMEOUT = 600
TOOL_TIMEOUT = 600


def default_awaitify():
    """The awaitify binary: $AWAITIFY, else one in a usual build directory,
    else the one on PATH."""
    if os.environ.get("AWAITIFY"):
        return os.environ["AWAITIFY"]
    for build in ("build", "build-asio"):
        for sub in ("tool/cli/awaitify", "bin/awaitify", "tool/awaitify"):
            p = os.path.join(ROOT, build, sub)
            if os.access(p, os.X_OK):
                return p
    return shutil.which("awaitify") or "awaitify"


def vm_kib(pid, field):
    """A /proc/PID/status field in KiB (VmRSS, VmHWM)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise Failure("no %s for pid %d" % (field, pid))


def default_cxx():
    return os.environ.get("CXX_ASIO") or shutil.which("clang++-19") or "clang++"


def run(cmd, timeout, cwd=None):
    """(returncode, stdout, stderr); returncode None on timeout."""
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                           errors="replace", timeout=timeout,
                           stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        def text(b):
            return b.decode(errors="replace") if isinstance(b, bytes) else (b or "")
        return None, text(e.stdout), text(e.stderr)
    except OSError as e:
        return 127, "", str(e)


def head(text, n=60):
    lines = text.rstrip("\n").splitlines()
    if len(lines) > n:
        lines = lines[:n] + ["... (%d more lines)" % (len(lines) - n)]
    return "\n".join(lines)


class Failure(Exception):
    pass


def compile_program(cxx, src, out, extra=()):
    cmd = [cxx] + FLAGS + list(extra) + ["-o", out, src]
    rc, so, se = run(cmd, COMPILE_TIMEOUT)
    if rc != 0:
        raise Failure("compile failed (%s): %s\n%s" % (
            "timeout" if rc is None else "exit %d" % rc, " ".join(cmd), head(so + se)))


def make_rewritten(name, dest_dir, awaitify, mode, rewritten_from=None, rules=None):
    """Put the rewritten copy of programs/<name>.cpp at dest_dir/<name>.cpp
    and return its path. mode: "tool" (awaitify fix), "from" (take it from
    rewritten_from), "none" (a plain copy)."""
    src = os.path.join(PROGRAMS, name + ".cpp")
    dst = os.path.join(dest_dir, name + ".cpp")
    os.makedirs(dest_dir, exist_ok=True)
    if mode == "from":
        given = os.path.join(rewritten_from, name + ".cpp")
        if not os.path.exists(given):
            raise Failure("no %s in %s" % (name + ".cpp", rewritten_from))
        shutil.copyfile(given, dst)
    else:
        shutil.copyfile(src, dst)
    if mode == "tool":
        cmd = [awaitify, "fix"] + TOOL_OPTIONS + (["--rules", rules] if rules else []) \
            + [dst, "--"] + FLAGS
        rc, so, se = run(cmd, TOOL_TIMEOUT)
        with open(dst + ".fix.log", "w") as f:
            f.write("$ %s\nexit %s\n%s%s" % (" ".join(cmd), rc, so, se))
        if rc != 0:
            raise Failure("awaitify fix exited %s: %s\n%s" % (rc, " ".join(cmd), head(so + se)))
    if mode != "none":
        with open(dst) as f:
            if "co_await" not in f.read():
                raise Failure("the rewritten %s has no co_await" % os.path.basename(dst))
    return dst
