#!/usr/bin/env python3
"""How close awaitify's rewrite comes to what a person writes.

For each program in programs/ that has a hand-written coroutine twin in
twins/ (what a senior engineer writes with Asio's cpp20 coroutines or
Beast's awaitable examples; run_asio.py --twins proves each twin behaves
like its program), the program is rewritten with the tool as run_asio.py
does for --library boost181 (Boost 1.81 headers, the default
--min-confidence), then the rewritten program and the twin are measured on
clang's AST (libclang, the python3-clang-19 bindings), main file only:

  awaited/all   calls of the library's asynchronous initiating functions
                (callee named async_*; co_spawn, post and dispatch are not
                counted): how many are the operand of a co_await / all of
                them
  success-arms  `if` statements whose condition says that an error code is
                NOT set (`!ec`, `!ec.failed()`, `ec == false`, `!ec && x`)
                and whose then-branch contains a co_await: the
                callback-era `if (!ec) { next step }` left in a coroutine,
                where a person writes `if (ec) { ...; co_return; }` and goes
                on straight
  lines         lines holding a token that is not a comment
  depth         the deepest nesting of compound statements (`{ }`) inside
                function bodies, lambda bodies counted where they nest; a
                function body is 1

A program FAILS when its rewrite awaits fewer operations than its twin (a
chain a person converts was left as callbacks), has any success arm, has
more than LINES_TOLERANCE times the twin's lines, or nests deeper than the
twin's depth + DEPTH_TOLERANCE (the README says why these tolerances). The
failure lines name the program, the metric and both values. Exit status 1
when any program fails, 2 when the measurement itself cannot run.

    metrics.py --awaitify BUILD/tool/cli/awaitify --work DIR [--json FILE]
               [--only a,b] [-j N]
    metrics.py --measure FILE -- FLAGS...     (one file's metrics as JSON)
"""

import argparse
import concurrent.futures
import json
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from asio_common import (FLAGS, PROGRAMS, Failure, boost181_dir, default_awaitify,  # noqa: E402
                         library, make_rewritten, run)

TWINS = os.path.join(HERE, "twins")

# A rewrite may keep up to a quarter more lines than the twin: it keeps the
# program's classes, member names and helpers where a person may fold a
# session into one free coroutine; beyond that, what is left is callback
# scaffolding (handlers that only forward, success arms, duplicated steps).
# What awaitify does not do yet, per program and metric ("awaited
# operations", "lines", "depth"), and why. A metric listed here may fail
# without failing the test; one listed that no longer fails does fail it
# (the gap closed: take it off the list). Everything else must hold.
KNOWN_GAPS = {
    ("boost_bind_echo", "lines"):
        "the classes and their public functions stay (a wrapper spawns a "
        "member coroutine) and the file gains `rethrow`; the twin is free "
        "coroutines",
    ("echo_server", "lines"): "as boost_bind_echo",
    ("http_server", "lines"): "as boost_bind_echo",
    ("line_server", "lines"): "as boost_bind_echo",
    ("websocket_server", "lines"): "as boost_bind_echo",
}

LINES_TOLERANCE = 1.25
# One level more than the twin: keeping a member-function structure or one
# extra block is a matter of taste; two levels is a callback's nesting that
# was moved, not flattened.
DEPTH_TOLERANCE = 1

MEASURE_TIMEOUT = 300


# --- measuring one file (runs in its own process: libclang is not shared) -----

def load_cindex():
    """clang.cindex from python3-clang-19 (Debian installs it under
    /usr/lib/python3/dist-packages, which a python3 of its own may not
    search)."""
    try:
        import clang.cindex as ci  # noqa: F401
    except ImportError:
        for d in ("/usr/lib/python3/dist-packages", "/usr/lib/llvm-19/lib/python3/dist-packages"):
            if os.path.isdir(os.path.join(d, "clang")) and d not in sys.path:
                sys.path.append(d)
        import clang.cindex as ci
    for lib in ("/usr/lib/llvm-19/lib/libclang.so.1", "/usr/lib/llvm-19/lib/libclang-19.so.1",
                "/usr/lib/llvm-19/lib/libclang.so"):
        if os.path.exists(lib) and not ci.Config.loaded:
            ci.Config.set_library_file(lib)
            break
    return ci


def measure(path, flags):
    """The metrics of one file (a dict), from libclang's AST of the file
    compiled with `flags`."""
    ci = load_cindex()
    K = ci.CursorKind
    index = ci.Index.create()
    tu = index.parse(path, args=list(flags) + ["-x", "c++"])
    errors = [str(d) for d in tu.diagnostics
              if d.severity >= ci.Diagnostic.Error]
    main = tu.spelling
    with open(path, "rb") as f:
        size = len(f.read())

    def in_main(c):
        f = c.location.file
        return f is not None and f.name == main

    def first_token(c):
        for t in c.get_tokens():
            return t.spelling
        return None

    def span(c):
        return (c.extent.start.offset, c.extent.end.offset)

    def is_co_await(c, kids):
        # A CoawaitExpr: libclang shows it unexposed, with its operand and
        # the implicit await_ready/await_suspend/await_resume calls as
        # children.
        def callee(k):
            while k.kind == K.UNEXPOSED_EXPR:
                inner = list(k.get_children())
                if len(inner) != 1:
                    break
                k = inner[0]
            return k.spelling if k.kind == K.CALL_EXPR else None

        return (c.kind == K.UNEXPOSED_EXPR and first_token(c) == "co_await"
                and any(callee(k) in ("await_suspend", "await_resume") for k in kids))

    def is_coroutine_body(c, kids):
        # A CoroutineBodyStmt: the written body first, then implicit
        # statements (promise, initial and final suspend) spelled at the
        # function's name.
        return (c.kind == K.UNEXPOSED_STMT and kids and kids[0].kind == K.COMPOUND_STMT
                and span(kids[0]) == span(c))

    awaits = {}       # co_await span -> operand span
    calls = {}        # async_* call span -> callee name
    ifs = []          # (if span, is a success test, then-branch span)
    depth = [0]

    def unwrap(c):
        """Through implicit casts, parentheses, explicit bool conversions
        and static_cast<bool> to the expression tested."""
        while True:
            kids = list(c.get_children())
            if c.kind in (K.UNEXPOSED_EXPR, K.PAREN_EXPR, K.CXX_STATIC_CAST_EXPR,
                          K.CXX_FUNCTIONAL_CAST_EXPR) and len(kids) == 1:
                c = kids[0]
            elif c.kind == K.CALL_EXPR and c.spelling == "operator bool" and len(kids) == 1:
                c = kids[0]
            elif c.kind == K.MEMBER_REF_EXPR and c.spelling == "operator bool" and len(kids) == 1:
                c = kids[0]
            else:
                return c

    def is_error_code(c):
        return "error_code" in c.type.get_canonical().spelling

    def is_set_test(c):
        """c is `ec`, `ec.failed()` (true when the error code is set)."""
        c = unwrap(c)
        if c.kind == K.CALL_EXPR and c.spelling == "failed":
            kids = list(c.get_children())
            return bool(kids) and any(is_error_code(unwrap(g)) for g in kids[0].get_children())
        return c.kind in (K.DECL_REF_EXPR, K.MEMBER_REF_EXPR) and is_error_code(c)

    def bool_literal(c, value):
        c = unwrap(c)
        return c.kind == K.CXX_BOOL_LITERAL_EXPR and first_token(c) == value

    def is_success_test(c):
        """c holds only when an error code is NOT set."""
        c = unwrap(c)
        kids = list(c.get_children())
        if c.kind == K.UNARY_OPERATOR and first_token(c) in ("!", "not") and len(kids) == 1:
            return is_set_test(kids[0])
        if c.kind == K.BINARY_OPERATOR or (c.kind == K.CALL_EXPR and c.spelling in (
                "operator==", "operator!=")):
            operands = [k for k in kids if not (k.kind == K.UNEXPOSED_EXPR
                                                and k.spelling in ("operator==", "operator!="))]
            op = None
            if c.kind == K.BINARY_OPERATOR:
                op = {ci.BinaryOperator.LAnd: "&&", ci.BinaryOperator.EQ: "==",
                      ci.BinaryOperator.NE: "!="}.get(c.binary_operator)
            else:
                op = c.spelling[len("operator"):]
            if len(operands) != 2:
                return False
            a, b = operands
            if op == "&&":
                return is_success_test(a) or is_success_test(b)
            if op in ("==", "!="):
                lit = "false" if op == "==" else "true"
                return (is_set_test(a) and bool_literal(b, lit)) or \
                       (is_set_test(b) and bool_literal(a, lit))
        return False

    def if_parts(c, kids):
        """(condition, then-branch) of an IF_STMT: the children before and
        after the parenthesis that closes the condition."""
        level, close = 0, None
        for t in c.get_tokens():
            if t.spelling == "(":
                level += 1
            elif t.spelling == ")":
                level -= 1
                if level == 0:
                    close = t.extent.end.offset
                    break
        if close is None:
            return None, None
        before = [k for k in kids if k.extent.end.offset <= close]
        after = [k for k in kids if k.extent.start.offset >= close]
        return (before[-1] if before else None), (after[0] if after else None)

    def visit(c, level):
        kids = list(c.get_children())
        if is_coroutine_body(c, kids):
            kids = kids[:1]
        if c.kind == K.COMPOUND_STMT:
            level += 1
            depth[0] = max(depth[0], level)
        if is_co_await(c, kids):
            awaits[span(c)] = span(kids[0])
            kids = kids[:1]  # the operand; the rest is implicit
        elif c.kind == K.CALL_EXPR and c.spelling.startswith("async_"):
            calls[span(c)] = c.spelling
        elif c.kind == K.IF_STMT:
            cond, then = if_parts(c, kids)
            if cond is not None and then is not None:
                ifs.append((span(c), is_success_test(cond), span(then)))
        for k in kids:
            visit(k, level)

    for top in tu.cursor.get_children():
        if in_main(top):
            visit(top, 0)

    operands = set(awaits.values())
    awaited = sorted(s for s in calls if s in operands)
    arms = []
    for s, success, then in ifs:
        if success and any(then[0] <= a[0] and a[1] <= then[1] for a in awaits):
            arms.append(s)

    def line_of(offset):
        return tu.get_location(main, offset).line

    # Lines: those with a token other than a comment (raw tokens of the
    # whole file, preprocessor lines included).
    lines = set()
    whole = ci.SourceRange.from_locations(tu.get_location(main, 0), tu.get_location(main, size))
    for t in tu.get_tokens(extent=whole):
        if t.kind != ci.TokenKind.COMMENT:
            lines.add(t.location.line)
    return {
        "file": path,
        "errors": errors[:5],
        "operations": len(calls),
        "awaited": len(awaited),
        "not_awaited": ["%s (line %d)" % (calls[s], line_of(s[0]))
                        for s in sorted(calls) if s not in operands],
        "success_arms": len(arms),
        "success_arm_lines": [line_of(s[0]) for s in sorted(arms)],
        "co_awaits": len(awaits),
        "lines": len(lines),
        "depth": depth[0],
    }


# --- the test ----------------------------------------------------------------------

def measure_in_child(path, flags, slots):
    """measure() in a python3 of its own (libclang parses one TU per
    process, and two can run at once)."""
    cmd = [sys.executable, os.path.abspath(__file__), "--measure", path, "--"] + list(flags)
    with slots:
        rc, so, se = run(cmd, MEASURE_TIMEOUT)
    if rc != 0:
        raise Failure("measuring %s failed (exit %s):\n%s" % (path, rc, (so + se)[-2000:]),
                      "measuring %s failed: %s" % (os.path.basename(path),
                                                   ((se or so).strip().splitlines() or ["?"])[-1]))
    return json.loads(so)


def tool_note(log_path):
    """The tool's summary line and its first note saying why a chain was
    left alone, from the fix log."""
    try:
        with open(log_path) as f:
            text = f.read()
    except OSError:
        return ""
    folder = os.path.dirname(log_path) + os.sep
    lines = [l.strip().replace(folder, "") for l in text.splitlines()]
    summary = [l for l in lines if l.startswith("awaitify:")]
    left = [l for l in lines if ("left alone" in l or "not rewritten" in l)
            and not l.startswith("awaitify:")]
    return "; ".join((summary[-1:] + left[:3]))


def check_program(name, opts, lib, slots):
    """A row of the table: the metrics of the rewrite and of the twin, and
    the failures (strings naming the program, the metric and the values)."""
    flags = lib.include + FLAGS
    twin_path = os.path.join(TWINS, name + ".cpp")
    row = {"program": name, "failures": [], "tool": ""}

    def twin():
        return measure_in_child(twin_path, flags, slots)

    def rewritten():
        dest = os.path.join(opts.work, "rewritten")
        log = os.path.join(dest, name + ".cpp.fix.log")
        try:
            with slots:
                # --explain only adds a remark per chain left alone (why),
                # for the report; the rewrite is the one a user gets.
                path = make_rewritten(name, dest, opts.awaitify, "tool", flags=flags,
                                      tool_options=lib.tool_options + ["--explain"])
        except Failure as e:
            # No co_await, or the tool failed: the copy (the original, or
            # what the tool left) is still measured, so the table says how
            # far it is from the twin.
            if "exited" in e.summary:
                why = [l for l in tool_note(log).split("; ") if "not rewritten:" in l]
                row["failures"].append("%s: tool: %s" % (
                    name, e.summary.split(":")[0] + (": " + why[0] if why else "")))
            else:
                row["converted_nothing"] = e.summary
            path = os.path.join(dest, name + ".cpp")
            if not os.path.exists(path):
                raise
        row["tool"] = tool_note(log)
        return measure_in_child(path, flags, slots)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        ft, fr = pool.submit(twin), pool.submit(rewritten)
        row["twin"], row["rewritten"] = ft.result(), fr.result()
    if opts.original:
        row["original"] = measure_in_child(os.path.join(PROGRAMS, name + ".cpp"), flags, slots)

    r, t = row["rewritten"], row["twin"]
    fail = row["failures"]
    for what, m in (("twin", t), ("rewritten", r)):
        if m["errors"]:
            fail.append("%s: the %s does not parse: %s" % (name, what, m["errors"][0]))
    if r["awaited"] < t["awaited"]:
        fail.append("%s: awaited operations: rewritten %d/%d < twin %d/%d (left as callbacks: %s)"
                    % (name, r["awaited"], r["operations"], t["awaited"], t["operations"],
                       ", ".join(r["not_awaited"]) or "-"))
    if r["success_arms"] > 0:
        fail.append("%s: success arms: rewritten has %d (if (!ec) { ... co_await ... } at line %s)"
                    % (name, r["success_arms"], ", ".join(map(str, r["success_arm_lines"]))))
    if t["success_arms"] > 0:
        fail.append("%s: success arms: the TWIN has %d (line %s)" % (
            name, t["success_arms"], ", ".join(map(str, t["success_arm_lines"]))))
    if r["lines"] > LINES_TOLERANCE * t["lines"]:
        fail.append("%s: lines: rewritten %d > %.2f x twin %d (= %d)" % (
            name, r["lines"], LINES_TOLERANCE, t["lines"], int(LINES_TOLERANCE * t["lines"])))
    if r["depth"] > t["depth"] + DEPTH_TOLERANCE:
        fail.append("%s: depth: rewritten %d > twin %d + %d" % (
            name, r["depth"], t["depth"], DEPTH_TOLERANCE))
    return row


def table(rows, with_original):
    head = ["program", "awaited/all (rewritten)", "awaited/all (twin)", "success-arms",
            "lines rewritten/twin", "depth rewritten/twin", "result"]
    if with_original:
        head[-1:-1] = ["original awaited/all, lines, depth"]
    out = [head]
    for row in rows:
        if "error" in row:
            out.append([row["program"], "-", "-", "-", "-", "-", "ERROR"])
            continue
        r, t = row["rewritten"], row["twin"]
        cells = [row["program"],
                 "%d/%d" % (r["awaited"], r["operations"]),
                 "%d/%d" % (t["awaited"], t["operations"]),
                 "%d" % r["success_arms"],
                 "%d/%d" % (r["lines"], t["lines"]),
                 "%d/%d" % (r["depth"], t["depth"]),
                 "FAIL" if row["failures"] else "PASS"]
        if with_original:
            o = row["original"]
            cells[-1:-1] = ["%d/%d, %d, %d" % (o["awaited"], o["operations"], o["lines"],
                                                o["depth"])]
        out.append(cells)
    widths = [max(len(r[i]) for r in out) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in out)


def gallery(rows, opts):
    """docs/asio-gallery.md: per program, the callback code, awaitify's
    rewrite and the twin written by hand, whole, with the table's numbers."""
    out = ["# Gallery: awaitify's rewrite beside code written by hand", "",
           "Generated by `test/asio/metrics.py --gallery` (the `asio-metrics`",
           "test fails when this page is not what the tool writes now). Each",
           "program of [test/asio](../test/asio/README.md) is shown as written",
           "in callback style, as `awaitify fix` rewrites it (Boost 1.81, no",
           "options) and as a person writes it with coroutines",
           "([test/asio/twins](../test/asio/twins)). The end-to-end suite runs",
           "all three against the same peer and compares their logs.", "",
           "```", table(rows, False), "```", ""]
    if any(k[0] in {r["program"] for r in rows} for k in KNOWN_GAPS):
        out += ["Where a program misses a mark, and why:", ""]
        for k in sorted(KNOWN_GAPS):
            out.append("* %s, %s: %s." % (k[0], k[1], KNOWN_GAPS[k]))
        out.append("")
    for row in rows:
        name = row["program"]
        out += ["## %s" % name, ""]
        for title, path in (
                ("Callback code", os.path.join(PROGRAMS, name + ".cpp")),
                ("awaitify's rewrite", os.path.join(opts.work, "rewritten", name + ".cpp")),
                ("Written by hand", os.path.join(TWINS, name + ".cpp"))):
            with open(path) as f:
                text = f.read().rstrip("\n")
            out += ["<details%s><summary>%s</summary>" % (
                " open" if title == "awaitify's rewrite" else "", title), "",
                    "```cpp", text, "```", "", "</details>", ""]
    return "\n".join(out)


def twin_names():
    return sorted(f[:-4] for f in os.listdir(TWINS)
                  if f.endswith(".cpp") and os.path.exists(os.path.join(PROGRAMS, f)))


def main():
    if "--measure" in sys.argv:
        i = sys.argv.index("--measure")
        path = sys.argv[i + 1]
        flags = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
        print(json.dumps(measure(path, flags)))
        return 0

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--awaitify", default=default_awaitify())
    ap.add_argument("--boost181", default=boost181_dir(), metavar="DIR",
                    help="where libboost1.81-dev is unpacked (default: "
                         "$AWAITIFY_BOOST181_DIR, else ~/.cache/awaitify/boost-1.81)")
    ap.add_argument("--work", required=True, help="a folder of its own for the rewritten files")
    ap.add_argument("--only", action="append", default=[],
                    help="measure only this program (repeatable, or comma-separated)")
    ap.add_argument("--json", metavar="FILE", help="also write the table as JSON to FILE")
    ap.add_argument("--gallery", metavar="FILE",
                    help="write the gallery page (docs/asio-gallery.md) to FILE")
    ap.add_argument("--check-gallery", action="store_true",
                    help="with --gallery: fail unless FILE is what would be written")
    ap.add_argument("--original", action="store_true",
                    help="measure the callback program too (a column of the table)")
    ap.add_argument("-j", "--jobs", type=int, default=2,
                    help="tool runs and parses at once (default %(default)s)")
    opts = ap.parse_args()
    opts.work = os.path.abspath(opts.work)

    if not os.path.exists(os.path.join(opts.boost181, "usr", "include", "boost", "version.hpp")):
        print("no Boost 1.81 headers in %s/usr/include (scripts/install-deps.sh unpacks them)"
              % opts.boost181)
        return 2
    try:
        load_cindex()
    except (ImportError, OSError) as e:
        print("no clang.cindex (python3-clang-19; scripts/install-deps.sh installs it): %s" % e)
        return 2
    lib = library("boost181", opts.boost181)
    names = twin_names()
    only = {n for o in opts.only for n in o.split(",") if n}
    if only - set(names):
        print("no twin for: %s (twins: %s)" % (", ".join(sorted(only - set(names))),
                                              ", ".join(names)))
        return 2
    names = [n for n in names if not only or n in only]
    os.makedirs(opts.work, exist_ok=True)
    print("library %s; tool %s %s; tolerances: lines <= %.2f x twin, depth <= twin + %d"
          % (lib.describe, opts.awaitify, " ".join(lib.tool_options) or "(default options)",
             LINES_TOLERANCE, DEPTH_TOLERANCE))
    sys.stdout.flush()

    slots = threading.Semaphore(max(1, opts.jobs))
    rows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(names) or 1) as pool:
        futures = [(n, pool.submit(check_program, n, opts, lib, slots)) for n in names]
        for name, fut in futures:
            try:
                rows.append(fut.result())
            except Failure as e:
                rows.append({"program": name, "error": str(e),
                             "failures": ["%s: %s" % (name, e.summary)]})

    print(table(rows, opts.original))
    if opts.gallery and not any("error" in r for r in rows):
        page = gallery(rows, opts)
        if opts.check_gallery:
            with open(opts.gallery) as f:
                if f.read() != page + "\n":
                    print("FAILED: %s is not what the tool writes now: run "
                          "metrics.py --gallery %s (without --check-gallery)"
                          % (opts.gallery, opts.gallery))
                    return 1
        else:
            with open(opts.gallery, "w") as f:
                f.write(page + "\n")
    failures = []
    seen_gaps = set()
    for row in rows:
        for f in row["failures"]:
            key = tuple(f.split(": ")[:2])
            if key in KNOWN_GAPS and "error" not in row:
                seen_gaps.add(key)
            else:
                failures.append(f)
    known = [k for k in sorted(KNOWN_GAPS) if k in seen_gaps]
    if known:
        print("known gaps (KNOWN_GAPS):")
        for k in known:
            print("  %s: %s -- %s" % (k[0], k[1], KNOWN_GAPS[k]))
    measured = {r["program"] for r in rows if "error" not in r}
    for k in sorted(KNOWN_GAPS):
        if k[0] in measured and k not in seen_gaps:
            failures.append("%s: %s: holds now; take it off KNOWN_GAPS" % k)
    for row in rows:
        if row.get("tool"):
            print("tool on %s: %s" % (row["program"], row["tool"]))
    if failures:
        print("FAILED:")
        for f in failures:
            print("  " + f)
    print("%d programs, %d with known gaps, %d failures" % (
        len(rows), len({k[0] for k in known}), len(failures)))
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump({"library": lib.name,
                       "tolerances": {"lines": LINES_TOLERANCE, "depth": DEPTH_TOLERANCE},
                       "programs": rows}, f, indent=2)
            f.write("\n")
    if any("error" in r for r in rows):
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
