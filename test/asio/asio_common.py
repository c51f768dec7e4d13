"""Shared by run_asio.py, clang_note.py, echo_memory.py and bench/asio:
compiler flags, the libraries the programs are built against, running
commands with timeouts, producing the rewritten copy of a program.
"""

import os
import re
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

# What a user's g++ build of these programs passes (the "plain" and "cmake"
# styles of run_asio.py): C++20 and threads, nothing that switches Asio's
# coroutine support on or makes up for a missing include. g++ 12 gets
# coroutines from Boost 1.74 and Asio 1.22 by itself (their detection tests
# __cpp_impl_coroutine under __GNUC__); awaitify's clang parse has to see
# the same.
GXX_FLAGS = ["-std=c++20", "-pthread"]

COMPILE_TIMEOUT = 600
TOOL_TIMEOUT = 600


def boost181_dir():
    """Where scripts/install-deps.sh unpacks libboost1.81-dev (the headers
    are in DIR/usr/include)."""
    return os.environ.get("AWAITIFY_BOOST181_DIR") or os.path.join(
        os.path.expanduser("~"), ".cache", "awaitify", "boost-1.81")


class Library:
    """What a program is built against. `kinds`: the programs it runs
    (a program's kind is the library its source is written for: "boost",
    "asio" for standalone Asio, "none" for code that owes nothing to Asio).
    `include`: -I flags, ahead of everything else so that they win over
    /usr/include. `tool_options`: what awaitify needs for this library.
    `token`: what the tool's rewrite must await with, when it matters."""

    def __init__(self, name, kinds, describe, include=(), tool_options=(), token=None):
        self.name, self.kinds, self.describe = name, set(kinds), describe
        self.include, self.tool_options = list(include), list(tool_options)
        self.token = token  # the completion token a rewrite must await with


def library(name, boost181=None):
    """A Library by name: system, boost, boost181, asio."""
    if name == "system":
        # Every program, each on the library of the system it is written
        # for (Boost 1.74, libasio-dev's Asio 1.22): the suite as it always
        # ran. TOOL_OPTIONS for the Boost 1.74 programs (see above).
        return Library(name, ["boost", "asio", "none"],
                       "system headers (Boost 1.74, Asio 1.22)",
                       tool_options=TOOL_OPTIONS)
    if name == "boost":
        # Boost 1.74 (Asio 1.18): co_spawn posts, every chain is risky, so
        # --min-confidence=risky as above, or nothing is rewritten.
        return Library(name, ["boost"], "Boost 1.74 (/usr/include)",
                       tool_options=TOOL_OPTIONS)
    if name == "boost181":
        # Boost 1.81 (Asio 1.26): co_spawn dispatches, the chains are
        # `reasonable`, the default --min-confidence: no option, the command
        # a user types. Boost >= 1.80 (Asio >= 1.24) has as_tuple: the
        # rewrite must await with it, not with redirect_error.
        inc = os.path.join(boost181 or boost181_dir(), "usr", "include")
        return Library(name, ["boost"], "Boost 1.81 (%s)" % inc, include=["-I" + inc],
                       token="as_tuple")
    if name == "asio":
        # Standalone Asio 1.22 (libasio-dev): co_spawn dispatches, as above.
        return Library(name, ["asio"], "standalone Asio (/usr/include/asio.hpp)")
    raise ValueError("unknown library %r" % name)


LIBRARIES = ["system", "boost", "boost181", "asio"]


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
    """A step failed. str(e): the whole story; e.summary: one line of it
    (the first error line) for the harness's table."""

    def __init__(self, message, summary=None):
        super().__init__(message)
        self.summary = summary or (message.splitlines() or ["failed"])[0]


# A compiler's or the tool's error line, or a note saying why a chain was
# left alone.
_ERROR_LINE = re.compile(r"(\berror\b|\bfatal\b|undefined reference|not rewritten|"
                         r"Error|FAILED)")


def first_error(text):
    """The first line of a compiler's or the tool's output that says what
    went wrong, else its first line."""
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    for l in lines:
        if _ERROR_LINE.search(l):
            return l
    return lines[0] if lines else "(no output)"


def compile_program(cxx, src, out, extra=(), flags=None):
    """cxx <flags> <extra> -o out src; flags default to FLAGS (the clang
    build)."""
    cmd = [cxx] + list(FLAGS if flags is None else flags) + list(extra) + ["-o", out, src]
    rc, so, se = run(cmd, COMPILE_TIMEOUT)
    if rc != 0:
        raise Failure("compile failed (%s): %s\n%s" % (
            "timeout" if rc is None else "exit %d" % rc, " ".join(cmd), head(so + se)),
            "compile of %s failed: %s" % (os.path.basename(src), first_error(so + se)))


def converted_nothing(tool_output):
    """Why a run of `fix` left the file without co_await: its first note
    saying why (not rewritten, left alone), else its first error, else its
    summary line."""
    lines = [l.strip() for l in tool_output.splitlines() if l.strip()]
    for pat in ("not rewritten", "error:", "left alone", "note:"):
        for l in lines:
            if pat in l:
                return l
    summary = [l for l in lines if l.startswith("awaitify:")]
    return summary[-1] if summary else (lines[-1] if lines else "(no output)")


def make_rewritten(name, dest_dir, awaitify, mode, rewritten_from=None, rules=None,
                   flags=None, tool_options=None):
    """Put the rewritten copy of programs/<name>.cpp at dest_dir/<name>.cpp
    and return its path. mode: "tool" (awaitify fix), "from" (take it from
    rewritten_from), "none" (a plain copy). The tool gets `-- <flags>`
    (default FLAGS) and tool_options (default TOOL_OPTIONS)."""
    flags = FLAGS if flags is None else flags
    tool_options = TOOL_OPTIONS if tool_options is None else tool_options
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
        cmd = [awaitify, "fix"] + list(tool_options) + (["--rules", rules] if rules else []) \
            + [dst, "--"] + list(flags)
        run_fix(cmd, dst, dst + ".fix.log")
    elif mode != "none":
        require_co_await(dst, "")
    return dst


def run_fix(cmd, dst, log):
    """Run an `awaitify fix` command that rewrites dst; its output goes to
    log. Fails when it exits non-zero or leaves dst without co_await."""
    rc, so, se = run(cmd, TOOL_TIMEOUT)
    with open(log, "w") as f:
        f.write("$ %s\nexit %s\n%s%s" % (" ".join(cmd), rc, so, se))
    if rc != 0:
        raise Failure("awaitify fix exited %s: %s\n%s" % (rc, " ".join(cmd), head(so + se)),
                      "awaitify fix exited %s: %s" % (rc, first_error(so + se)))
    require_co_await(dst, so + se, cmd)


def require_co_await(dst, tool_output, cmd=None):
    with open(dst) as f:
        if "co_await" in f.read():
            return
    why = converted_nothing(tool_output) if cmd else "(no co_await in the given file)"
    raise Failure("the rewritten %s has no co_await%s\n%s" % (
        os.path.basename(dst), (": " + " ".join(cmd)) if cmd else "", head(tool_output, 30)),
        "the tool converted nothing: " + why)
