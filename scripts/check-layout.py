#!/usr/bin/env python3
"""Checks the code-layout rules of tool/ (the ctest `layout`).

  (a) no source file under tool/ (*.cpp, *.h) over 600 lines;
  (b) no function over 120 lines: clang-tidy's readability-function-size
      with LineThreshold 120, run on every tool/ translation unit of
      compile_commands.json, with the functions of tool/'s own headers
      (-header-filter) counted once each;
  (c) the CLI's `main` (tool/cli/main.cpp) at most 80 lines: the same check
      with LineThreshold 80, keeping only the diagnostic for function 'main'.

clang-tidy reads each unit's command without the build's precompiled header
(tool/CMakeLists.txt): a source that includes too little, and compiles only
because the header brings the rest, cannot be parsed here and fails.

    scripts/check-layout.py --build BUILD --source ROOT [-j N]
                            [--clang-tidy clang-tidy-19]

Each offender is printed as `file:line: what` (paths relative to ROOT), then
one summary line: `layout: N files, M functions over the limit, T s`.
A translation unit that clang-tidy cannot parse (a compiler error, a crash,
a non-zero exit) is printed the same way and counted as a failure, never
skipped. Exit status: 0 when clean, 1 on any offender or failure, 2 when the
check cannot run at all (no database, no clang-tidy, no tool/ entry in it).
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

FILE_LINE_LIMIT = 600
FUNCTION_LINE_LIMIT = 120
MAIN_LINE_LIMIT = 80
MAIN_FILE = os.path.join("tool", "cli", "main.cpp")
SOURCE_EXTS = (".cpp", ".h")
TU_EXTS = (".cpp", ".cc", ".cxx", ".c++")

# `path:line:col: severity: message [check]` (check is absent for some errors)
DIAG_RE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>warning|error|fatal error|note): (?P<msg>.*?)"
    r"(?: \[(?P<check>[^\]]+)\])?$")
LINES_NOTE_RE = re.compile(r"^(\d+) lines including whitespace and comments")
FUNCTION_RE = re.compile(r"^function '(?P<name>.*)' exceeds recommended")


def tidy_config(line_threshold):
    """Only the line count: the check's other thresholds are switched off."""
    options = {"LineThreshold": str(line_threshold)}
    for other in ("StatementThreshold", "BranchThreshold", "ParameterThreshold",
                  "NestingThreshold", "VariableThreshold"):
        options[other] = "none"
    return json.dumps({
        "Checks": "-*,readability-function-size",
        "CheckOptions": {"readability-function-size." + k: v
                         for k, v in options.items()},
    })


def find_clang_tidy(explicit):
    candidates = [explicit] if explicit else [
        "clang-tidy-19", "/usr/lib/llvm-19/bin/clang-tidy"]
    for c in candidates:
        path = shutil.which(c)
        if path:
            return path
    return None


def rel(path, root):
    path = os.path.realpath(path)
    r = os.path.relpath(path, root)
    return path if r.startswith("..") else r


def is_under(path, folder):
    return os.path.commonpath([os.path.realpath(path), folder]) == folder


def oversized_files(root, tool_dir):
    """(a): every *.cpp / *.h under tool/ over FILE_LINE_LIMIT lines."""
    out = []
    for dirpath, dirnames, filenames in os.walk(tool_dir):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(SOURCE_EXTS):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                lines = sum(1 for _ in f)
            if lines > FILE_LINE_LIMIT:
                out.append((rel(path, root), 1,
                            f"file has {lines} lines (limit {FILE_LINE_LIMIT})"))
    return out


def database_units(build, tool_dir):
    """The tool/ translation units of compile_commands.json: real path ->
    the path as the database spells it (what clang-tidy -p looks up)."""
    db_path = os.path.join(build, "compile_commands.json")
    with open(db_path) as f:
        db = json.load(f)
    units = {}
    for entry in db:
        path = os.path.normpath(
            os.path.join(entry.get("directory", ""), entry["file"]))
        if path.endswith(TU_EXTS) and is_under(path, tool_dir):
            units[os.path.realpath(path)] = path
    return units


def without_pch(args):
    """A compile command's arguments without CMake's precompiled header
    (`-Xclang -include-pch -Xclang P -Xclang -include -Xclang H`)."""
    out, i = [], 0
    while i < len(args):
        if (args[i] == "-Xclang" and i + 3 < len(args)
                and args[i + 1] in ("-include-pch", "-include")
                and args[i + 2] == "-Xclang"
                and os.path.basename(args[i + 3]).startswith("cmake_pch")):
            i += 4
            continue
        if args[i] != "-Winvalid-pch":
            out.append(args[i])
        i += 1
    return out


def write_database(build, folder):
    """compile_commands.json of BUILD, each command without the precompiled
    header, into FOLDER (what clang-tidy -p reads)."""
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = json.load(f)
    for entry in db:
        args = entry.pop("arguments", None) or shlex.split(entry.pop("command"))
        entry["arguments"] = without_pch(args)
    with open(os.path.join(folder, "compile_commands.json"), "w") as f:
        json.dump(db, f)


def run_tidy(clang_tidy, build, unit, threshold, header_filter):
    cmd = [clang_tidy, "-p", build, "--quiet",
           f"--config={tidy_config(threshold)}",
           f"--header-filter={header_filter}",
           # Compiler warnings are not this check's business; -Werror in the
           # database would otherwise turn them into parse failures.
           "--extra-arg=-Wno-error",
           unit]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace")
    return proc.returncode, proc.stdout, proc.stderr


def parse_tidy(output):
    """Yields ('function', file, line, name, lines) and ('error', file, line,
    message) from clang-tidy's output."""
    pending = None
    for raw in output.splitlines():
        m = DIAG_RE.match(raw)
        if not m:
            continue
        sev, msg, check = m["sev"], m["msg"], m["check"]
        if sev == "note":
            n = LINES_NOTE_RE.match(msg)
            if pending and n:
                yield ("function", pending[0], pending[1], pending[2],
                       int(n.group(1)))
                pending = None
            continue
        pending = None
        if sev in ("error", "fatal error"):
            yield ("error", m["file"], int(m["line"]),
                   msg + (f" [{check}]" if check else ""))
        elif check == "readability-function-size":
            f = FUNCTION_RE.match(msg)
            pending = (m["file"], int(m["line"]), f["name"] if f else "?")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True,
                    help="folder with compile_commands.json")
    ap.add_argument("--source", required=True, help="project root")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1,
                    help="clang-tidy processes at once")
    ap.add_argument("--clang-tidy", default=None,
                    help="clang-tidy binary (default: clang-tidy-19)")
    args = ap.parse_args()
    started = time.monotonic()

    root = os.path.realpath(args.source)
    build = os.path.realpath(args.build)
    tool_dir = os.path.join(root, "tool")
    if not os.path.isdir(tool_dir):
        print(f"layout: {tool_dir} is not a folder", file=sys.stderr)
        return 2
    if not os.path.isfile(os.path.join(build, "compile_commands.json")):
        print(f"layout: no compile_commands.json in {build}", file=sys.stderr)
        return 2
    clang_tidy = find_clang_tidy(args.clang_tidy)
    if not clang_tidy:
        print("layout: clang-tidy-19 not found (--clang-tidy)", file=sys.stderr)
        return 2

    file_offenders = oversized_files(root, tool_dir)

    units = database_units(build, tool_dir)
    if not units:
        print(f"layout: compile_commands.json has no file under {tool_dir}",
              file=sys.stderr)
        return 2
    # Sources that no target compiles are not checked for function size.
    on_disk = set()
    for dirpath, _, filenames in os.walk(tool_dir):
        on_disk.update(os.path.realpath(os.path.join(dirpath, n))
                       for n in filenames if n.endswith(TU_EXTS))
    for path in sorted(on_disk - set(units)):
        print(f"layout: note: {rel(path, root)} is not in compile_commands.json;"
              " its functions are not checked", file=sys.stderr)

    failures = []  # (file, line, what)
    main_unit = os.path.join(root, MAIN_FILE)
    # main.cpp's second pass (80 lines) is queued last, beside the others.
    jobs = [(u, FUNCTION_LINE_LIMIT, False) for u in sorted(units)]
    if main_unit in units:
        jobs.append((main_unit, MAIN_LINE_LIMIT, True))
    else:
        failures.append((MAIN_FILE, 1, "not in compile_commands.json: the "
                         f"{MAIN_LINE_LIMIT}-line limit of main() is unchecked"))
    # Functions defined in tool/'s own headers: clang-tidy matches the
    # header filter against paths as the include flags spell them.
    prefixes = {tool_dir + os.sep,
                os.path.join(os.path.abspath(args.source), "tool") + os.sep}
    for real, spelled in units.items():
        tail = os.path.relpath(real, root)
        if spelled.endswith(os.sep + tail):
            prefixes.add(spelled[:-len(tail)] + "tool" + os.sep)
    header_filter = "^(" + "|".join(
        re.escape(p) for p in sorted(prefixes)) + ")"

    functions = {}  # (file, line) -> (limit, name, lines)
    database = tempfile.TemporaryDirectory(prefix="awaitify-layout-")
    write_database(build, database.name)
    pool = concurrent.futures.ThreadPoolExecutor(max(1, args.j))
    with database, pool:
        futures = {pool.submit(run_tidy, clang_tidy, database.name, units[u],
                               limit, header_filter): (u, limit, main_pass)
                   for u, limit, main_pass in jobs}
        for fut in concurrent.futures.as_completed(futures):
            unit, limit, main_pass = futures[fut]
            rc, out, err = fut.result()
            errors = 0
            for item in parse_tidy(out + "\n" + err):
                if item[0] == "error":
                    _, f, line, msg = item
                    errors += 1
                    failures.append((rel(f, root), line,
                                     f"clang-tidy cannot parse "
                                     f"{rel(unit, root)}: {msg}"))
                    continue
                _, f, line, name, lines = item
                path = os.path.realpath(f)
                if not is_under(path, tool_dir):
                    continue
                if main_pass and (path != main_unit or name != "main"):
                    continue  # (c) is about main() of tool/cli/main.cpp only
                key = (rel(path, root), line)
                old = functions.get(key)
                if old is None or limit < old[0]:
                    functions[key] = (limit, name, lines)
            if rc != 0 and errors == 0:
                tail = (err.strip().splitlines() or ["(no output)"])[-1]
                failures.append((rel(unit, root), 1,
                                 f"clang-tidy exited {rc}: {tail}"))

    for f, line, what in sorted(file_offenders):
        print(f"{f}:{line}: {what}")
    for (f, line), (limit, name, lines) in sorted(functions.items()):
        print(f"{f}:{line}: function '{name}' has {lines} lines "
              f"(limit {limit})")
    for f, line, what in sorted(set(failures)):
        print(f"{f}:{line}: {what}")

    elapsed = time.monotonic() - started
    summary = (f"layout: {len(file_offenders)} files, {len(functions)} "
               "functions over the limit")
    if failures:
        summary += f", {len(set(failures))} failures"
    print(f"{summary}, {elapsed:.1f} s")
    return 1 if file_offenders or functions or failures else 0


if __name__ == "__main__":
    sys.exit(main())
