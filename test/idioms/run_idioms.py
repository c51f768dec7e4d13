#!/usr/bin/env python3
"""The idiom corpus: one small program per idiom of real callback code, run
before and after `awaitify fix`, must behave the same.

Every test/idioms/<name>.cpp states what it expects in directive comments:

  // EXPECT: rewrite safe          fix (default confidence) rewrites the
  // EXPECT: rewrite reasonable    chain; `check` rates every chain of the
                                   file at exactly that confidence
  // EXPECT: left-alone <text>     fix leaves the file byte-identical, and
                                   a reason the tool gives for this file
                                   (its --explain remarks, or the
                                   assumptions of a chain rated below the
                                   minimum confidence) contains <text>
  // SANITIZE: thread              build with ThreadSanitizer instead of
                                   AddressSanitizer + UBSan
  // KNOWN-GAP: <why>              the tool does not meet EXPECT yet: the
                                   program must still fail (reported as
                                   skipped, with its first problem); once it
                                   passes, the line must go

For each program (in parallel, -j):

  1. compile the original (-std=c++20 -O0, sanitizers) and run it: its
     output and exit status are trace A. A sanitizer report, a crash or a
     timeout is a failure of the program itself;
  2. copy it into <work>/<name>/default with support/ beside it and run
     `awaitify fix --format=json --explain` there (default confidence). Its
     report is the document `check --format=json` prints: each chain's
     confidence and assumptions, and the reason for each chain left alone
     (for a chain below the minimum confidence: its confidence and
     assumptions), so one run both reads the ratings and rewrites. It must
     exit 0, or 1 exactly when the report names a chain dropped (its
     rewrite would not compile): that can be the reason a left-alone
     program expects, and is a failure of a rewrite program;
  3. rewrite: the copy must contain co_await, keep every comment of the
     original (its words, in order, possibly re-wrapped), compile with
     -Wall -Wextra -Werror, and print exactly trace A with the same exit
     status (that a second run finds nothing to do is checked by the lit and
     e2e suites, on every rewrite they make);
     left-alone: the copy must be byte-identical and the reason found;
  4. every program: `awaitify fix --min-confidence=safe` on a fresh copy
     (<work>/<name>/safe), which exits 0 (1 only with a `not rewritten`
     note); if that changed the file, the result must print trace A too.
     (Not run again when step 2 rewrote the file and rated every chain in
     it safe: the safe run would rewrite the same chains; nor when no chain
     is rated safe: it would rewrite nothing.)
  5. the support files beside each copy must be untouched.

Every compile (not --originals-only) uses support/idioms.hpp precompiled
once per run and sanitizer (<work>/.pch; --no-pch turns it off): the
programs include it first, and parsing the standard headers it includes is
most of a compile. The tool's runs parse the programs as written.

Trace A is kept in <work>/.originals and reused while nothing it depends on
changes (compiler, command, program, support files);
--no-cache builds every original again. The last line printed is exactly
`N passed, M failed, K skipped` (K: known gaps); the exit status is non-zero
on any failure. --originals-only compiles and runs the originals
(with -Wall -Wextra too) without the tool: the programs' own check.
"""

import argparse
import concurrent.futures
import difflib
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPORT = os.path.join(HERE, "support")
RULES = "support/idioms.yaml"  # relative to each copy's directory

COMPILE_TIMEOUT = 300
RUN_TIMEOUT = 20  # the programs take well under a second; a deadlock must not cost much
TOOL_TIMEOUT = 300
DETAIL_LINES = 25

SANITIZERS = {
    "address": ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                "-fno-omit-frame-pointer"],
    "thread": ["-fsanitize=thread", "-fno-omit-frame-pointer"],
}
RUN_ENV = {
    # A reference into a dead stack frame (a caller's local read after the
    # first suspension) is caught too.
    "ASAN_OPTIONS": "detect_leaks=1:detect_stack_use_after_return=1:abort_on_error=0",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
    "TSAN_OPTIONS": "halt_on_error=1:second_deadlock_stack=1",
}
SANITIZER_REPORT = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer)|WARNING: ThreadSanitizer|"
    r"runtime error:|SUMMARY: (Address|Leak|Thread|UndefinedBehavior)Sanitizer")

EXPECT = re.compile(r"^//\s*EXPECT:\s*(.*?)\s*$", re.M)
GAP = re.compile(r"^//\s*KNOWN-GAP:\s*(.*?)\s*$", re.M)
SANITIZE = re.compile(r"^//\s*SANITIZE:\s*(.*?)\s*$", re.M)
# How a report names a chain rated below the minimum confidence.
BELOW_MINIMUM = re.compile(r"confidence '(\w+)' is below the minimum")


class Failure(Exception):
    pass


# ------------------------------------------------------------------ helpers --

STEP_SECONDS = {}
STEP_LOCK = threading.Lock()


def run(cmd, timeout, cwd=None, env=None, step=None):
    """(returncode, stdout, stderr); returncode None on timeout. The time
    taken is added to STEP_SECONDS[step] (--timings)."""
    t0 = time.time()
    try:
        return _run(cmd, timeout, cwd, env)
    finally:
        if step:
            with STEP_LOCK:
                STEP_SECONDS[step] = STEP_SECONDS.get(step, 0.0) + time.time() - t0


def _run(cmd, timeout, cwd, env):
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace",
                           timeout=timeout, stdin=subprocess.DEVNULL, env=env)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
        return None, out, err


def head(text, n=DETAIL_LINES, indent="      "):
    lines = text.rstrip("\n").splitlines()
    if len(lines) > n:
        lines = lines[:n] + ["... (%d more lines)" % (len(lines) - n)]
    return "\n".join(indent + l for l in lines)


def cmdline(cmd):
    return " ".join(shlex.quote(c) for c in cmd)


def diff(a, b, na, nb, n=2):
    lines = difflib.unified_diff(a.splitlines(), b.splitlines(), na, nb, n=n, lineterm="")
    return head("\n".join(lines))


def status_text(rc):
    if rc is None:
        return "timed out"
    if rc < 0:
        return "killed by signal %d" % -rc
    return "exit status %d" % rc


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def tree_hashes(folder):
    return {n: sha(os.path.join(folder, n)) for n in sorted(os.listdir(folder))}


def sanitizer_summary(err):
    """A sanitizer report shortened: its headline, the stack frames that are
    in the program's own file, and its summary line."""
    lines = err.splitlines()
    headline = [l for l in lines if re.search(r"ERROR: |WARNING: |runtime error:", l)][:1]
    frames = [l for l in lines if re.match(r"\s*#\d+ ", l) and re.search(r"\.cpp:\d+", l)
              and "/support/" not in l][:10]
    summary = [l for l in lines if l.startswith("SUMMARY:")][:1]
    keep = headline + frames + summary
    return "\n".join(keep) if keep else "\n".join(lines[:15])


def comments(text):
    """The text of every // and /* */ comment, in order, skipping string and
    character literals (raw strings included)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(text[i + 2:j])
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j
            out.append(text[i + 2:j])
            i = j + 2
        elif text[i] == '"':
            m = re.compile(r'R"([^(\s]*)\(').match(text, i - 1) if i > 0 and text[i - 1] == "R" else None
            if m:
                end = text.find(")" + m.group(1) + '"', m.end())
                i = n if end < 0 else end + len(m.group(1)) + 2
                continue
            i += 1
            while i < n and text[i] not in '"\n':
                i += 2 if text[i] == "\\" else 1
            i += 1
        elif text[i] == "'" and not (i > 0 and text[i - 1].isdigit()):
            i += 1
            while i < n and text[i] not in "'\n":
                i += 2 if text[i] == "\\" else 1
            i += 1
        else:
            i += 1
    return out


def lost_comments(original, rewritten):
    """Comments of `original` whose words do not appear, in order and next to
    each other, among the comment words of `rewritten` (a formatter may
    re-wrap a comment, so line breaks and comment markers do not count)."""
    stream = " " + " ".join(w for c in comments(rewritten) for w in c.split()) + " "
    lost = []
    for c in comments(original):
        words = c.split()
        if words and (" " + " ".join(words) + " ") not in stream:
            lost.append(" ".join(words))
    return lost


# ----------------------------------------------------------------- programs --

class Program:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.stem = os.path.splitext(self.name)[0]
        with open(path) as f:
            self.text = f.read()
        expects = EXPECT.findall(self.text)
        if len(expects) != 1:
            raise Failure("%s: needs exactly one `// EXPECT:` line, has %d" % (self.name, len(expects)))
        words = expects[0].split(None, 1)
        self.kind = words[0]
        self.confidence = self.reason = None
        if self.kind == "rewrite" and len(words) == 2 and words[1] in ("safe", "reasonable"):
            self.confidence = words[1]
        elif self.kind == "left-alone" and len(words) == 2:
            self.reason = words[1]
        else:
            raise Failure("%s: bad directive `// EXPECT: %s` (rewrite safe|reasonable, "
                          "or left-alone <text>)" % (self.name, expects[0]))
        sanitize = SANITIZE.findall(self.text)
        if len(sanitize) > 1 or (sanitize and sanitize[0] != "thread"):
            raise Failure("%s: bad `// SANITIZE:` (only `thread`, once)" % self.name)
        self.sanitizer = "thread" if sanitize else "address"
        gaps = GAP.findall(self.text)
        self.gap = gaps[0] if gaps else None

    def expectation(self):
        if self.kind == "rewrite":
            return "rewrite " + self.confidence
        return "left-alone " + self.reason


class Corpus:
    def __init__(self, args):
        self.args = args
        self.work = os.path.abspath(args.work)
        self.lock = threading.Lock()
        self.runtime = os.path.abspath(args.runtime_include) if args.runtime_include else None
        self.env = dict(os.environ, **RUN_ENV)
        self.setarch = []  # set once a ThreadSanitizer run needs ASLR off
        self.compiler_id = None
        self.pch = {}  # sanitizer -> precompiled support/idioms.hpp, or None
        self.pch_lock = threading.Lock()

    def say(self, text):
        with self.lock:
            print(text, flush=True)

    # Flags given to the compiler and, after `--`, to awaitify (relative to
    # the copy's directory, as a user's compile command would be).
    def base_flags(self):
        flags = ["-std=c++20", "-I", "support"]
        if self.runtime:
            flags += ["-I", self.runtime]
        return flags

    def setup(self, folder, prog):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        shutil.copytree(SUPPORT, os.path.join(folder, "support"))
        shutil.copyfile(prog.path, os.path.join(folder, prog.name))

    def pch_for(self, sanitizer):
        """support/idioms.hpp, which every program includes first, compiled
        once per run and sanitizer: parsing the standard headers it includes
        is most of the time of a compile. None with --no-pch, for
        --originals-only (the programs' own check), or when it fails to
        build (then each compile parses the headers itself)."""
        if not self.args.pch or self.args.originals_only:
            return None
        with self.pch_lock:
            if sanitizer not in self.pch:
                path = os.path.join(self.work, ".pch", sanitizer, "idioms.hpp.pch")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                cmd = ([self.args.cxx, "-std=c++20", "-I", SUPPORT, "-O0"]
                       + SANITIZERS[sanitizer]
                       + ["-x", "c++-header", os.path.join(SUPPORT, "idioms.hpp"), "-o", path])
                rc, out, err = run(cmd, COMPILE_TIMEOUT, step="pch")
                if rc != 0:
                    self.say("note: no precompiled idioms.hpp (%s); compiling without it\n%s"
                             % (status_text(rc), head(out + err)))
                    path = None
                self.pch[sanitizer] = path
            return self.pch[sanitizer]

    def compile_command(self, prog, exe, warnings):
        cmd = [self.args.cxx] + self.base_flags() + ["-O0"] + SANITIZERS[prog.sanitizer]
        pch = self.pch_for(prog.sanitizer)
        if pch:
            cmd += ["-include-pch", pch]
        if warnings:
            cmd += ["-Wall", "-Wextra", "-Werror"]
        if warnings == "original":
            # implicit_this_copy_default.cpp is C++17-style code on purpose.
            cmd += ["-Wno-deprecated-this-capture"]
        return cmd + [prog.name, "-o", exe]

    def compile(self, folder, prog, exe, warnings, what):
        cmd = self.compile_command(prog, exe, warnings)
        rc, out, err = run(cmd, COMPILE_TIMEOUT, cwd=folder, step="compile")
        if rc != 0:
            raise Failure("%s does not compile (%s)\n      $ cd %s && %s\n%s"
                          % (what, status_text(rc), folder, cmdline(cmd), head(out + err)))

    def execute(self, exe, prog, what):
        """(stdout, returncode) of a clean run; Failure on a sanitizer report
        or a timeout."""
        prefix = self.setarch if prog.sanitizer == "thread" and self.setarch else []
        rc, out, err = run(prefix + [exe], RUN_TIMEOUT, env=self.env, step="run")
        if (prog.sanitizer == "thread" and not prefix and "unexpected memory mapping" in err
                and shutil.which("setarch")):
            # ThreadSanitizer cannot place its shadow memory when the kernel
            # randomises addresses too much: run without randomisation.
            self.setarch = ["setarch", platform.machine(), "-R"]
            rc, out, err = run(self.setarch + [exe], RUN_TIMEOUT, env=self.env, step="run")
        if rc is None or SANITIZER_REPORT.search(err):
            lines = out.splitlines()
            raise Failure("%s %s%s\n      last lines of its output:\n%s\n      stderr:\n%s"
                          % (what, "timed out" if rc is None else "failed under the sanitizer",
                             "" if rc is None else " (%s)" % status_text(rc),
                             head("\n".join(lines[-8:]) or "(none)"), head(sanitizer_summary(err))))
        return out, rc, err

    def tool(self, folder, prog, mode, *options):
        cmd = [self.args.awaitify, mode] + list(options) + ["--rules", RULES, prog.name, "--"] \
            + self.base_flags()
        step = "awaitify " + " ".join([mode] + [o for o in options if "confidence" in o])
        rc, out, err = run(cmd, TOOL_TIMEOUT, cwd=folder, step=step)
        return cmd, rc, out, err

    def compare(self, trace_a, folder, prog, exe, warnings, what):
        """Compile and run a rewritten copy; problems as a list."""
        try:
            self.compile(folder, prog, exe, warnings, what)
            out, rc, err = self.execute(exe, prog, what)
        except Failure as e:
            return [str(e)]
        with open(exe + ".trace.txt", "w") as f:
            f.write(out + "-- %s\n" % status_text(rc))
        problems = []
        if rc != trace_a[1]:
            stderr = ("\n      stderr:\n" + head(err, 8)) if err.strip() else ""
            problems.append("%s: %s, the original had %s%s"
                            % (what, status_text(rc), status_text(trace_a[1]), stderr))
        if out != trace_a[0]:
            problems.append("%s prints a different trace (-original +rewritten):\n%s"
                            % (what, diff(trace_a[0], out, "original", "rewritten")))
        return problems

    def original_key(self, prog, command):
        """Everything the original's trace depends on: the compiler (its
        path and version), the command, the program, the support files and
        the sanitizer options. (The originals never include the runtime.)"""
        if self.compiler_id is None:
            rc, out, err = run([self.args.cxx, "--version"], 60)
            self.compiler_id = "%s\n%s" % (shutil.which(self.args.cxx), out)
        h = hashlib.sha256()
        for part in [self.compiler_id, json.dumps(command), json.dumps(RUN_ENV), prog.text]:
            h.update(part.encode() + b"\0")
        for n, digest in tree_hashes(SUPPORT).items():
            h.update(n.encode() + b"\0" + digest.encode() + b"\0")
        return h.hexdigest()

    # -------------------------------------------------------------- one ----

    def check(self, prog):
        t0 = time.time()
        problems = []
        base = os.path.join(self.work, prog.stem)
        try:
            problems = self.check_steps(prog, base)
        except Failure as e:
            problems.append(str(e))
        return problems, time.time() - t0

    def check_steps(self, prog, base):
        a = self.args
        problems = []

        # 1. The original, trace A. A trace from an earlier run is reused
        # when nothing it depends on changed (see original_key).
        shutil.rmtree(base, ignore_errors=True)
        orig = os.path.join(base, "original")
        self.setup(orig, prog)
        exe_a = os.path.join(base, prog.stem + ".original")
        warnings = "original" if a.originals_only else False
        cache = os.path.join(self.work, ".originals", prog.stem + ".json")
        key = self.original_key(prog, self.compile_command(prog, "a.out", warnings))
        trace_a = None
        if a.cache and not a.originals_only:
            try:
                with open(cache) as f:
                    entry = json.load(f)
                if entry.get("key") == key:
                    trace_a = (entry["stdout"], entry["status"])
            except (OSError, ValueError, KeyError):
                pass
        if trace_a is None:
            self.compile(orig, prog, exe_a, warnings, "the original")
            out, rc, err = self.execute(exe_a, prog, "the original")
            if rc < 0:
                raise Failure("the original was %s\n      stderr:\n%s"
                              % (status_text(rc), head(err, 10)))
            trace_a = (out, rc)
            os.makedirs(os.path.dirname(cache), exist_ok=True)
            with open(cache, "w") as f:
                json.dump({"key": key, "stdout": out, "status": rc}, f)
        with open(exe_a + ".trace.txt", "w") as f:
            f.write(trace_a[0] + "-- %s\n" % status_text(trace_a[1]))
        if a.originals_only:
            return problems

        # 2. fix at the default confidence. Its JSON report is the one `check
        # --format=json` prints: every chain at or above the minimum with its
        # confidence and assumptions, and, with --explain, every chain left
        # alone with the reason (for a chain below the minimum: its
        # confidence and assumptions). One run instead of check + fix.
        folder = os.path.join(base, "default")
        self.setup(folder, prog)
        support_before = tree_hashes(os.path.join(folder, "support"))
        cmd, rc, out, err = self.tool(folder, prog, "fix", "--format=json", "--explain")
        # fix exits 1 when it dropped a chain (its rewrite would not
        # compile); the report says which, and the checks below whether
        # that was expected.
        if rc not in (0, 1):
            raise Failure("awaitify fix %s\n      $ cd %s && %s\n%s"
                          % (status_text(rc), folder, cmdline(cmd), head(out + err)))
        try:
            report = json.loads(out)
        except ValueError as e:
            raise Failure("awaitify fix --format=json printed no JSON (%s)\n%s" % (e, head(out + err)))
        dropped = [c for c in report.get("chains", []) if c.get("dropped")]
        if (rc == 1) != bool(dropped):
            raise Failure("awaitify fix %s, and its report names %d dropped chains (exit 1 "
                          "exactly when a chain is dropped)\n      $ cd %s && %s\n%s"
                          % (status_text(rc), len(dropped), folder, cmdline(cmd), head(out + err)))
        mine = lambda items: [x for x in items if os.path.basename(x.get("file", "")) == prog.name
                              and not x.get("file", "").startswith("support")]
        chains = mine(report.get("chains", []))
        left = mine(report.get("leftAlone", []))
        # A chain below the minimum confidence is reported as left alone.
        for x in left:
            m = BELOW_MINIMUM.search(x.get("reason", ""))
            if m:
                chains.append({"function": x.get("function"), "line": x.get("line"),
                               "confidence": m.group(1), "rewritable": True,
                               "assumptions": [x.get("reason")], "below_minimum": True})
        errors = report.get("errors", [])
        if errors:
            problems.append("awaitify fix reports errors: %s" % json.dumps(errors)[:600])
        with open(os.path.join(folder, prog.name)) as f:
            rewritten = f.read()
        if tree_hashes(os.path.join(folder, "support")) != support_before:
            problems.append("awaitify fix changed a file in support/")

        def reasons():
            lines = ["%s:%s: left alone in '%s': %s" % (prog.name, x.get("line"), x.get("function"),
                                                       x.get("reason")) for x in left]
            for c in chains:
                if c.get("below_minimum"):
                    continue  # its reason is listed above
                lines += ["%s:%s: chain in '%s' (%s): assumes %s" % (
                    prog.name, c.get("line"), c.get("function"), c.get("confidence"), s)
                    for s in c.get("assumptions", [])]
                if c.get("dropped"):
                    lines.append("%s:%s: chain in '%s' dropped: %s" % (
                        prog.name, c.get("line"), c.get("function"), c.get("dropped")))
            return lines

        rewritten_ok = None  # the default fix's result passed (None: not run)
        if prog.kind == "rewrite":
            # 3a. Confidence as stated, the rewrite done and equivalent.
            if not chains:
                problems.append("the report names no chain in %s%s"
                                % (prog.name, ("; it says:\n" + head("\n".join(reasons())))
                                   if reasons() else ""))
            for c in chains:
                where = "chain in '%s' at line %s" % (c.get("function"), c.get("line"))
                if c.get("confidence") != prog.confidence:
                    why = c.get("assumptions") or []
                    problems.append("%s: confidence %s, expected %s%s" % (
                        where, c.get("confidence"), prog.confidence,
                        ("; assumes:\n" + head("\n".join(why))) if why else ""))
                if c.get("rewritable") is False:
                    problems.append("%s: not rewritable: %s" % (where, c.get("dropped", "(no reason given)")))
            if rewritten == prog.text:
                problems.append("fix left the file unchanged%s"
                                % ("" if all(c.get("below_minimum") for c in chains) or not reasons() else
                                   "; the tool says:\n" + head("\n".join(reasons()))))
            elif not re.search(r"\bco_await\b", rewritten):
                problems.append("the rewritten file has no co_await:\n%s"
                                % diff(prog.text, rewritten, "original", "rewritten"))
            else:
                lost = lost_comments(prog.text, rewritten)
                if lost:
                    problems.append("comments lost or changed in the rewrite:\n%s"
                                    % head("\n".join(repr(c) for c in lost)))
                got = self.compare(trace_a, folder, prog, os.path.join(base, prog.stem + ".rewritten"),
                                   True, "the rewritten program")
                rewritten_ok = not got
                problems += got
        else:
            # 3b. Left alone, for the stated reason.
            if rewritten != prog.text:
                got = self.compare(trace_a, folder, prog, os.path.join(base, prog.stem + ".rewritten"),
                                   False, "the rewritten program")
                rewritten_ok = not got
                problems.append("fix changed the file (-original +rewritten):\n%s\n      %s"
                                % (diff(prog.text, rewritten, "original", "rewritten"),
                                   "(the result behaves the same)" if not got else
                                   "and the result does not behave the same:"))
                problems += got
            said = reasons()
            if not any(prog.reason in s for s in said):
                problems.append("no reason given for %s mentions %r%s" % (
                    prog.name, prog.reason,
                    ("; the tool says:\n" + head("\n".join(said))) if said else
                    " (the tool says nothing about this file)"))

        # 4. The strictest setting: whatever it rewrites must behave the same.
        # When the default run rewrote every chain of the file and rated each
        # of them safe, the safe run would rewrite the same chains: the
        # result checked above stands for it (this saves the slowest tool run
        # of most programs).
        if chains and rewritten != prog.text and all(
                c.get("confidence") == "safe" and c.get("rewritable") is not False
                and not c.get("below_minimum") for c in chains):
            return problems
        # No chain rated safe (every chain is named in the report, those
        # below the minimum too): the safe run has nothing to rewrite.
        if not any(c.get("confidence") == "safe" for c in chains):
            return problems
        folder = os.path.join(base, "safe")
        self.setup(folder, prog)
        cmd, rc, out, err = self.tool(folder, prog, "fix", "--min-confidence=safe")
        # Exit 1: a chain was dropped, and said so.
        if rc != 0 and not (rc == 1 and "note: not rewritten:" in out):
            problems.append("awaitify fix --min-confidence=safe %s\n      $ cd %s && %s\n%s"
                            % (status_text(rc), folder, cmdline(cmd), head(out + err)))
        else:
            with open(os.path.join(folder, prog.name)) as f:
                safe_text = f.read()
            if tree_hashes(os.path.join(folder, "support")) != support_before:
                problems.append("awaitify fix --min-confidence=safe changed a file in support/")
            if safe_text != prog.text and not (safe_text == rewritten and rewritten_ok is not None):
                problems += self.compare(trace_a, folder, prog, os.path.join(base, prog.stem + ".safe"),
                                         False, "the program after fix --min-confidence=safe")
        return problems

    # -------------------------------------------------------------- all ----

    def programs(self):
        paths = sorted(os.path.join(HERE, n) for n in os.listdir(HERE) if n.endswith(".cpp"))
        if self.args.filter:
            pattern = re.compile(self.args.filter)
            paths = [p for p in paths if pattern.search(os.path.basename(p))]
        return [Program(p) for p in paths]

    def main(self):
        a = self.args
        t0 = time.time()
        try:
            programs = self.programs()
        except Failure as e:
            print("error: %s" % e, file=sys.stderr)
            return 2
        if a.list:
            for p in programs:
                print("%-36s %s%s" % (p.name, p.expectation(),
                                      "  (ThreadSanitizer)" if p.sanitizer == "thread" else ""))
            return 0
        os.makedirs(self.work, exist_ok=True)
        self.say("idioms: %d programs, %s, tool: %s, work: %s" % (
            len(programs), a.cxx, "none (--originals-only)" if a.originals_only else a.awaitify,
            self.work))
        passed = failed = gaps = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            futures = {pool.submit(self.check, p): p for p in programs}
            for fut in concurrent.futures.as_completed(futures):
                prog = futures[fut]
                problems, seconds = fut.result()
                if prog.gap and problems:
                    # A known gap: it must still fail, for the reason given.
                    gaps += 1
                    self.say("KNOWN-GAP %s (%s)\n  - %s" % (prog.name, prog.gap, problems[0]))
                elif prog.gap:
                    failed += 1
                    self.say("FAIL %s: passes now; remove its `// KNOWN-GAP:` line (%s)"
                             % (prog.name, prog.gap))
                elif problems:
                    failed += 1
                    self.say("FAIL %s (expect %s, %.0fs)\n%s" % (
                        prog.name, prog.expectation(), seconds,
                        "\n".join("  - " + p for p in problems)))
                else:
                    passed += 1
                    self.say("PASS %s (%s, %.0fs)" % (prog.name, prog.expectation(), seconds))
        if a.timings:
            for step, seconds in sorted(STEP_SECONDS.items(), key=lambda kv: -kv[1]):
                self.say("  %-40s %6.1fs" % (step, seconds))
        self.say("idioms: %.0f seconds" % (time.time() - t0))
        print("%d passed, %d failed, %d skipped" % (passed, failed, gaps), flush=True)
        return 0 if failed == 0 and programs else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring and README.md for what is checked.")
    ap.add_argument("--awaitify", help="the awaitify binary")
    ap.add_argument("--runtime-include", help="directory holding awaitify/awaitify.hpp")
    ap.add_argument("--cxx", default="clang++-19", help="compiler for the programs (default clang++-19)")
    ap.add_argument("--work", default="idioms-work", help="scratch directory (default ./idioms-work)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="programs in parallel (default 2)")
    ap.add_argument("--filter", help="only programs whose file name matches this regular expression")
    ap.add_argument("--originals-only", action="store_true",
                    help="compile (-Wall -Wextra -Werror) and run the originals only, without the tool")
    ap.add_argument("--no-cache", dest="cache", action="store_false",
                    help="compile and run every original again, even when its trace from an "
                         "earlier run (kept in <work>/.originals) still holds")
    ap.add_argument("--no-pch", dest="pch", action="store_false",
                    help="compile every program without the precompiled support/idioms.hpp")
    ap.add_argument("--list", action="store_true", help="list the programs and their expectations")
    ap.add_argument("--timings", action="store_true",
                    help="print the time spent in each kind of step (summed over the programs)")
    args = ap.parse_args(argv)
    if not args.originals_only and not args.list:
        if not args.awaitify:
            ap.error("--awaitify is required (or --originals-only)")
        args.awaitify = os.path.abspath(args.awaitify)
        if not os.access(args.awaitify, os.X_OK):
            ap.error("not an executable: %s" % args.awaitify)
        if not args.runtime_include:
            ap.error("--runtime-include is required (or --originals-only)")
    if args.runtime_include and not os.path.isfile(
            os.path.join(args.runtime_include, "awaitify", "awaitify.hpp")):
        ap.error("no awaitify/awaitify.hpp under %s" % args.runtime_include)
    if not args.list and shutil.which(args.cxx) is None:
        ap.error("compiler not found: %s" % args.cxx)
    return Corpus(args).main()


if __name__ == "__main__":
    sys.exit(main())
